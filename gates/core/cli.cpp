#include "core/cli.hpp"

#include <algorithm>
#include <ostream>

#include "core/text.hpp"
#include "core/yaml.hpp"

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
  // Unknown arguments are collected rather than thrown, so the error can say "did you mean".
  app->allow_extras(true);
  return app;
}

std::vector<std::string> long_flags(const CLI::App& app) {
  std::vector<std::string> flags = {"--help"};
  for (const auto* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) {
      flags.push_back("--" + name);
    }
  }
  return flags;
}

bool given(const CLI::App& app, const std::string& flag) { return app.count(flag) > 0; }

namespace {

ExitCode print_version(const CLI::App& app, const Invocation& inv, const std::string& note) {
  inv.out << app.get_name() << " " << SHIPGATE_VERSION << (note.empty() ? "" : " (" + note + ")") << '\n';
  return ExitCode::pass;
}

/// The error for arguments nobody asked for: an unknown flag gets "did you mean".
std::string extras_error(const CLI::App& app, const std::vector<std::string>& extras) {
  const auto& first = extras.front();
  if (first.size() > 1 && first.front() == '-') {
    const auto flag = first.substr(0, first.find('='));
    return text::unknown_name("flag", flag, long_flags(app)).value_or("unexpected flag '" + flag + "'");
  }
  return "unexpected argument '" + first + "'";
}

}  // namespace

std::optional<ExitCode> parse(CLI::App& app, const Invocation& inv, std::string& usage_error,
                              const std::string& version_note) {
  // A lone --version is answered before CLI11 runs: the cheapest start-up, and the same answer.
  if (inv.args.size() == 1 && inv.args.front() == "--version") {
    return print_version(app, inv, version_note);
  }
  std::vector<std::string> args(inv.args.rbegin(), inv.args.rend());  // CLI11 wants them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    inv.out << app.help();
    return ExitCode::pass;
  } catch (const CLI::ParseError& e) {
    usage_error = text::one_line(e.what());
    return ExitCode::usage;
  }
  // CLI11 hands back the `--` that ends the flags among the extras; it is no argument.
  auto extras = app.remaining();
  extras.erase(std::remove(extras.begin(), extras.end(), "--"), extras.end());
  if (!extras.empty()) {
    usage_error = text::one_line(extras_error(app, extras));
    return ExitCode::usage;
  }
  if (app.count("--version") > 0) {
    return print_version(app, inv, version_note);
  }
  return std::nullopt;
}

void diagnose(const Invocation& inv, const std::string& tool, const std::string& message) {
  inv.err << tool << ": " << text::one_line(message) << '\n';
}

}  // namespace shipgate::cli
