#include "core/cli.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <ostream>

namespace shipgate::cli {

std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description) {
  auto app = std::make_unique<CLI::App>(description, name);
  // A plain flag, checked after parsing, so a bad flag beside --version is still a usage error.
  static const std::string k_version_help = "Print the version and exit";
  app->add_flag("--version", k_version_help);
  app->footer(
      "Exit codes: 0 passed, 1 failed, 2 usage or input error, 3 could not evaluate.\n"
      "Inside GitHub Actions it also writes outputs, a step summary and annotations.");
  app->get_formatter()->column_width(34);
  return app;
}

void add_format_option(CLI::App& app, std::string& format, bool with_sarif) {
  std::vector<std::string> choices = {"text", "json", "github"};
  if (with_sarif) {
    choices.emplace_back("sarif");
  }
  std::string all;
  for (const auto& c : choices) {
    all += (all.empty() ? "" : "|") + c;
  }
  app.add_option("--format", format, "Result format on stdout: " + all + " (default: text)")
      ->check(CLI::IsMember(choices))
      ->option_text("FORMAT");
}

namespace {

ExitCode print_version(const CLI::App& app, const Invocation& inv) {
  inv.out << app.get_name() << " " << SHIPGATE_VERSION << '\n';
  return ExitCode::pass;
}

}  // namespace

std::optional<ExitCode> parse(CLI::App& app, const Invocation& inv) {
  // A lone --version is answered before CLI11 runs: the cheapest start-up, and the same answer.
  if (inv.args.size() == 1 && inv.args.front() == "--version") {
    return print_version(app, inv);
  }
  std::vector<std::string> args(inv.args.rbegin(), inv.args.rend());  // CLI11 wants them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    inv.out << app.help();
    return ExitCode::pass;
  } catch (const CLI::ParseError& e) {
    inv.err << app.get_name() << ": " << e.what() << "\n" << "Run '" << app.get_name() << " --help' for usage.\n";
    return ExitCode::usage;
  }
  if (app.count("--version") > 0) {
    return print_version(app, inv);
  }
  return std::nullopt;
}

void diagnose(const Invocation& inv, const std::string& tool, const std::string& message) {
  inv.err << tool << ": " << text::one_line(message) << '\n';
}

}  // namespace shipgate::cli
