#include "core/gate.hpp"

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

#include "core/cli.hpp"
#include "core/command_guard.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace shipgate {

Log::Log(const Invocation& inv, std::string tool, github::Runtime& runtime, const Secrets& secrets)
    : m_inv(inv),
      m_tool(std::move(tool)),
      m_runtime(runtime),
      m_secrets(secrets),
      m_debug(runtime.debug() || inv.getenv("SHIPGATE_DEBUG").value_or("") == "1") {}

void Log::diagnose(const std::string& message) const { cli::diagnose(m_inv, m_tool, m_secrets.scrub(message)); }

void Log::debug(const std::string& message) const {
  if (m_debug) {
    diagnose("debug: " + message);
  }
}

void Log::group_begin(const std::string& title) const {
  if (m_debug) {
    m_runtime.group_begin(title);
  }
}

void Log::group_end() const {
  if (m_debug) {
    m_runtime.group_end();
  }
}

const std::vector<options::Output>& core_outputs() {
  static const std::vector<options::Output> k_outputs = {
      {"result", "pass, fail or error (a usage or config error, or could not evaluate)."},
      {"exit-code", "The gate's exit code: 0 passed, 1 failed, 2 usage or config error, 3 could not evaluate."},
      {"report", "The results as text, cut short below GitHub's 1 MiB output limit."}};
  return k_outputs;
}

namespace {

std::vector<std::string> format_choices(bool with_sarif) {
  auto choices = k_format_names.names();
  if (!with_sarif) {
    choices.erase(std::remove(choices.begin(), choices.end(), "sarif"), choices.end());
  }
  return choices;
}

}  // namespace

std::vector<options::Option> core_options(bool with_sarif) {
  using options::Type;
  std::vector<options::Option> list = {
      {.name = "format",
       .type = Type::choice,
       .help = "Result format on stdout",
       .default_value = "text",
       .placeholder = "FORMAT",
       .choices = format_choices(with_sarif),
       .flag_only = true},
      {.name = "config",
       .type = Type::path,
       .help = "Config file (default: .github/shipgate.yml, found upwards)",
       .flag_only = true},
  };
  list[0].help += ": " + text::join(list[0].choices, "|");
  if (with_sarif) {
    list.push_back({.name = "list-rules",
                    .type = Type::boolean,
                    .help = "List every rule with its severity and exit",
                    .flag_only = true});
  }
  return list;
}

namespace {

/// Usage errors printed before the rest are summarised in one line, so a hostile config cannot
/// flood the log.
constexpr std::size_t k_max_listed_errors = 50;

/// The `report` output is cut below GitHub's 1 MiB limit for one output value.
constexpr std::size_t k_max_report_output = std::size_t{1000} * 1000;

/// Every option of a run in --help order: --format, the gate's own, then --config (and
/// --list-rules for a gate with rules).
std::vector<options::Option> all_options(const Gate& gate, bool has_rules) {
  auto core = core_options(has_rules);
  if (const auto extra = gate.document_formats(); !extra.empty()) {
    auto& format = core.front();
    format.choices.insert(format.choices.end(), extra.begin(), extra.end());
    format.help = format.help.substr(0, format.help.find(": ")) + ": " + text::join(format.choices, "|");
  }
  std::vector<options::Option> all{core.front()};
  const auto& own = gate.options();
  all.insert(all.end(), own.begin(), own.end());
  all.insert(all.end(), core.begin() + 1, core.end());
  return all;
}

/// The environment variables a gate reads options from (secrets, and defaults of flags), for
/// the end of --help.
std::string environment_footer(const std::vector<options::Option>& all) {
  std::string footer;
  for (const auto& o : all) {
    if (o.type == options::Type::secret) {
      footer += "\n  " + text::join(o.env, " or ") + ": " + o.help + " (masked in every output)";
    } else if (!o.env.empty()) {
      footer += "\n  " + text::join(o.env, " or ") + ": the default of --" + o.name;
    }
  }
  return footer.empty() ? footer : "Environment:" + footer + "\n\n";
}

std::unique_ptr<CLI::App> make_cli(const GateInfo& info, const std::vector<options::Option>& all,
                                   options::RawFlags& raw) {
  auto app = cli::make_app(info.name, info.description);
  options::add_to_cli(*app, all, raw);
  app->footer(environment_footer(all) + app->get_footer());
  return app;
}

void scrub(nlohmann::json& j, const Secrets& secrets) {
  if (j.is_string()) {
    j = secrets.scrub(j.get<std::string>());
  } else if (j.is_object()) {
    nlohmann::json clean = nlohmann::json::object();
    for (auto& [key, value] : j.items()) {
      scrub(value, secrets);
      clean[secrets.scrub(key)] = std::move(value);
    }
    j = std::move(clean);
  } else if (j.is_array()) {
    for (auto& item : j) {
      scrub(item, secrets);
    }
  }
}

void scrub(Location& where, const Secrets& secrets) { secrets.scrub_in_place(where.file); }

void scrub(Error& e, const Secrets& secrets) {
  e.message = text::without_userinfo(e.message);
  secrets.scrub_in_place(e.message);
  secrets.scrub_in_place(e.key);
  scrub(e.where, secrets);
}

/// Every check's name and message, every related message and headline, as one line: they often
/// hold what a server or a pull request wrote (a dyno name, an environment name), and a line
/// break there would let it start a line of the log with `::` (a forged workflow command).
void one_line(Outcome& o) {
  for (auto& c : o.checks) {
    c.name = text::one_line(c.name);
    c.message = text::one_line(c.message);
    for (auto& r : c.related) {
      r.message = text::one_line(r.message);
    }
  }
  for (auto& e : o.input_errors) {
    e.message = text::one_line(e.message);
  }
  o.headline = text::one_line(o.headline);
}

/// Every text of the outcome with the secrets replaced, before any of it is rendered (escaping
/// in a format could otherwise hide a secret from a scrub of the rendered text).
void scrub(Outcome& o, const Secrets& secrets) {
  one_line(o);
  if (secrets.values().empty()) {
    return;
  }
  for (auto& c : o.checks) {
    secrets.scrub_in_place(c.name);
    secrets.scrub_in_place(c.message);
    scrub(c.where, secrets);
    scrub(c.details, secrets);
    for (auto& r : c.related) {
      secrets.scrub_in_place(r.message);
      scrub(r.where, secrets);
    }
  }
  for (auto& e : o.input_errors) {
    scrub(e, secrets);
  }
  for (auto& s : o.skipped) {
    secrets.scrub_in_place(s.name);
    secrets.scrub_in_place(s.reason);
  }
  secrets.scrub_in_place(o.headline);
  scrub(o.summary, secrets);
  for (auto& output : o.outputs) {
    secrets.scrub_in_place(output.second);
  }
}

/// Runs one gate invocation; every way out goes through finish(), stop() or internal_error().
class Driver {
public:
  Driver(Gate& gate, const Invocation& inv)
      : m_gate(gate),
        m_inv(inv),
        m_info(gate.info()),
        m_report_info{m_info.name, SHIPGATE_VERSION, gate.rules()},
        m_runtime(inv, inv.err) {
    m_runtime.hide(&m_secrets);
  }

  int run();
  void keep_secret(const std::string& value);
  /// Stops on errors in the flags or the config: those with a place are the config file's.
  int stop_on_settings(std::vector<Error> errors);
  int internal_error(const std::string& what) noexcept;

private:
  void say(const std::string& message) const { cli::diagnose(m_inv, m_info.name, m_secrets.scrub(message)); }
  /// What was written to stdout reached it; otherwise says so. Results that cannot be written
  /// make the run "could not evaluate".
  bool stdout_ok() const;
  int stop(ExitCode code, std::vector<Error> errors, const std::string& prefix, const std::string& lead,
           const std::string& hint = {});
  ExitCode list_rules() const;
  int finish(Outcome outcome, Format format);
  ExitCode publish(const Outcome& outcome, Format format, ExitCode code);
  bool set_outputs(const std::vector<std::pair<std::string, std::string>>& outputs);

  Gate& m_gate;
  const Invocation& m_inv;
  GateInfo m_info;
  ReportInfo m_report_info;  // the tool, its version and its rules (for --list-rules and SARIF)
  Secrets m_secrets;
  github::Runtime m_runtime;
  bool m_summary_written = false;
  std::set<std::string> m_masked;  // values already sent to ::add-mask::
  std::string m_format_name;       // as --format gave it: a document may have formats of its own
};

bool Driver::stdout_ok() const {
  m_inv.out.flush();
  if (!m_inv.out) {
    say("cannot write the results to stdout");
    return false;
  }
  return true;
}

/// Adds secrets and masks each new one inside Actions, before anything else is printed.
void Driver::keep_secret(const std::string& value) {
  m_secrets.add(value);
  for (const auto& v : m_secrets.values()) {
    if (m_masked.insert(v).second) {
      m_runtime.mask(v);
    }
  }
}

int Driver::stop_on_settings(std::vector<Error> errors) {
  const auto in_file =
      std::count_if(errors.begin(), errors.end(), [](const Error& e) { return !e.where.file.empty(); });
  if (in_file == static_cast<std::ptrdiff_t>(errors.size())) {
    return stop(ExitCode::usage, std::move(errors), "config: ", "The gate did not run: fix the config file");
  }
  return stop(ExitCode::usage, std::move(errors), "",
              in_file == 0 ? "The gate did not run: fix the step's arguments"
                           : "The gate did not run: fix the flags and the config file named here",
              "Run '" + m_info.name + " --help' for usage.");
}

int Driver::run() {
  const bool has_rules = !m_report_info.rules.empty();
  const auto declared = all_options(m_gate, has_rules);
  for (const auto& o : declared) {  // secrets come first: nothing is printed before they are masked
    for (const auto& var : o.type == options::Type::secret ? o.env : std::vector<std::string>{}) {
      if (auto value = m_inv.getenv(var); value && !value->empty()) {
        keep_secret(*value);
        break;
      }
    }
  }
  const ActiveSecrets active(m_secrets);
  options::RawFlags raw;
  auto app = make_cli(m_info, declared, raw);
  if (auto wrong = options::check_boolean_flags(declared, m_inv.args); !wrong.empty()) {
    return stop(ExitCode::usage, std::move(wrong), "", "The gate did not run: fix the step's arguments",
                "Run '" + m_info.name + " --help' for usage.");
  }
  std::string usage_error;
  if (const auto early = cli::parse(*app, m_inv, usage_error, m_info.version_note)) {
    if (*early == ExitCode::pass) {  // --help or --version, already printed
      return stdout_ok() ? 0 : static_cast<int>(ExitCode::could_not_evaluate);
    }
    return stop(*early, {{usage_error, {}, {}}}, "", "The gate did not run: fix the step's arguments",
                "Run '" + m_info.name + " --help' for usage.");
  }
  const auto config_flag = raw["config"];
  const auto explicit_config = config_flag.empty() ? std::nullopt : std::optional<std::string>(config_flag.back());
  const auto loaded = config::load(explicit_config, m_inv.cwd);
  if (!loaded) {
    return stop(ExitCode::usage, {loaded.error()}, "config: ", "The gate did not run: fix the config file");
  }
  const config::File* file = loaded->has_value() ? &**loaded : nullptr;
  config::Section section(file, m_info.section);
  std::vector<Error> errors;
  const auto values = options::resolve(declared, raw, *app, section, m_inv, errors);
  m_gate.read_config(section, m_inv);
  if (file) {
    auto sections = config::check_sections(*file, m_info.section);
    errors.insert(errors.end(), sections.begin(), sections.end());
  }
  auto section_errors = section.finish();
  errors.insert(errors.end(), section_errors.begin(), section_errors.end());
  if (!errors.empty()) {
    return stop_on_settings(std::move(errors));
  }
  if (has_rules && values.boolean("list-rules")) {
    return static_cast<int>(list_rules());
  }
  Secrets derived;
  auto configured = m_gate.configure(values, m_inv, derived);
  for (const auto& secret : derived.values()) {
    keep_secret(secret);
  }
  if (!configured.empty()) {
    return stop_on_settings(std::move(configured));
  }
  if (auto prepared = m_gate.prepare(m_inv); !prepared.empty()) {
    return stop(ExitCode::usage, std::move(prepared), "", "The gate did not run: fix the inputs named here");
  }
  Log log(m_inv, m_info.name, m_runtime, m_secrets);
  auto outcome = m_gate.evaluate(m_inv, log);
  const auto outputs = m_gate.outputs();
  for (const auto& output : outcome.outputs) {
    if (std::none_of(outputs.begin(), outputs.end(),
                     [&](const options::Output& o) { return o.name == output.first; })) {
      throw std::logic_error("output '" + output.first + "' is not declared by the gate");
    }
  }
  m_format_name = values.text("format");
  return finish(std::move(outcome), k_format_names.parse(m_format_name).value_or(Format::text));
}

ExitCode Driver::list_rules() const {
  for (const auto& rule : m_report_info.rules) {
    m_inv.out << rule.id << "  " << to_string(rule.severity) << "  " << rule.summary << '\n';
  }
  return stdout_ok() ? ExitCode::pass : ExitCode::could_not_evaluate;
}

/// Reports errors that stop the gate before it has results (bad flags, config, inputs, an
/// internal error): on stderr, and inside Actions as annotations, `result=error` and the exit
/// code, and a step summary that leads with what to do.
int Driver::stop(ExitCode code, std::vector<Error> errors, const std::string& prefix, const std::string& lead,
                 const std::string& hint) {
  if (code == ExitCode::usage) {
    // A usage error may quote any argument, before the options that say which are secret are read.
    const auto quoted = argument_secrets(m_inv.args);
    for (const auto& secret : quoted.values()) {
      keep_secret(secret);
    }
  }
  for (auto& e : errors) {
    scrub(e, m_secrets);
  }
  const auto shown = std::min(errors.size(), k_max_listed_errors);
  std::string listed;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& e = errors[i];
    say(prefix + e.to_string() + (e.key.empty() ? "" : " [" + e.key + "]"));
    m_runtime.annotate(Severity::error, e.where, m_info.name, e.message);
    listed += "- " + (e.where.file.empty() ? "" : text::markdown(e.where.to_string()) + ": ") +
              text::markdown(e.message) + "\n";
  }
  if (errors.size() > shown) {
    say("... and " + std::to_string(errors.size() - shown) + " more errors");
    listed += "- ... and " + std::to_string(errors.size() - shown) + " more\n";
  }
  if (!hint.empty()) {
    m_inv.err << hint << '\n';
  }
  if (m_runtime.active()) {
    const auto heading = m_summary_written ? std::string() : "### " + m_info.name + ": error\n\n";
    const auto summary = m_runtime.append_summary(heading + text::markdown(lead) + ".\n\n" + listed);
    if (!summary.ok()) {
      say(summary.error().to_string());
      code = ExitCode::could_not_evaluate;
    }
    if (!set_outputs({{"result", "error"}, {"exit-code", std::to_string(static_cast<int>(code))}})) {
      code = ExitCode::could_not_evaluate;
    }
  }
  return static_cast<int>(code);
}

int Driver::finish(Outcome outcome, Format format) {
  scrub(outcome, m_secrets);
  for (const auto& e : outcome.input_errors) {
    say(e.to_string());
  }
  std::ostringstream results;
  if (outcome.document) {
    const auto form = outcome.document->forms.find(m_format_name);
    if (form == outcome.document->forms.end()) {
      throw std::logic_error("the gate's document has no '" + m_format_name + "' form");
    }
    results << form->second;
  } else {
    write_results(format, outcome, m_report_info, results, m_inv.color_out());
  }
  m_inv.out << m_secrets.scrub(results.str());
  auto code = outcome.exit_code();
  if (!stdout_ok()) {
    code = ExitCode::could_not_evaluate;
  }
  for (const auto& s : outcome.skipped) {
    say("skipped " + s.name + ": " + s.reason);
  }
  say(headline(outcome));
  return static_cast<int>(publish(outcome, format, code));
}

bool Driver::set_outputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (const auto& [name, value] : outputs) {
    if (const auto written = m_runtime.set_output(name, value); !written) {
      say(written.error().to_string() + "; step outputs are not set");
      return false;
    }
  }
  return true;
}

/// Annotations, the step summary and the step outputs inside Actions; a failure to write any of
/// them makes the run "could not evaluate", and the summary says so when it was written first.
ExitCode Driver::publish(const Outcome& outcome, Format format, ExitCode code) {
  if (!m_runtime.active()) {
    return code;
  }
  if (format != Format::github) {  // with github, the results on stdout are the annotations
    for (const auto& c : outcome.checks) {
      if (c.verdict != Verdict::pass) {
        m_runtime.annotate(annotation_level(c), c.where, c.name, c.message);
      }
    }
    for (const auto& e : outcome.input_errors) {
      m_runtime.annotate(Severity::error, e.where, m_info.name, e.message);
    }
  }
  const auto summary = outcome.document ? outcome.document->summary : summary_markdown(outcome, m_report_info, code);
  if (const auto written = m_runtime.append_summary(summary); !written) {
    say(written.error().to_string());
    code = ExitCode::could_not_evaluate;
  } else {
    m_summary_written = true;
  }
  std::ostringstream report;
  if (outcome.document && outcome.document->forms.count("text") != 0) {
    report << outcome.document->forms.at("text");
  } else {
    write_text(outcome, report, false);
  }
  auto outputs = outcome.outputs;
  outputs.insert(outputs.begin(),
                 {{"result", std::string(result_name(code))},
                  {"exit-code", std::to_string(static_cast<int>(code))},
                  {"report", github::cut_at_line(report.str(), k_max_report_output,
                                                 "(report cut short: see the step summary or the log)")}});
  if (!set_outputs(outputs)) {
    code = ExitCode::could_not_evaluate;
    if (m_summary_written) {
      (void)m_runtime.append_summary("\n_The step outputs could not be written: the gate ends with exit 3._\n");
    }
  }
  return code;
}

int Driver::internal_error(const std::string& what) noexcept {
  try {
    return stop(ExitCode::could_not_evaluate, {{"internal error: " + what, {}, {}}}, "",
                "The gate stopped with an internal error, a bug in shipgate: please report it with the log");
  } catch (...) {
    return static_cast<int>(ExitCode::could_not_evaluate);
  }
}

}  // namespace

std::string help_text(Gate& gate) {
  options::RawFlags raw;
  return make_cli(gate.info(), all_options(gate, !gate.rules().empty()), raw)->help();
}

namespace {

int run_guarded(Gate& gate, const Invocation& inv) {
  std::optional<Driver> driver;
  try {
    driver.emplace(gate, inv);
    return driver->run();
  } catch (const std::exception& e) {
    return driver ? driver->internal_error(e.what()) : static_cast<int>(ExitCode::could_not_evaluate);
  } catch (...) {
    return driver ? driver->internal_error("unknown exception") : static_cast<int>(ExitCode::could_not_evaluate);
  }
}

}  // namespace

int run_gate(Gate& gate, const Invocation& inv) {
  if (inv.getenv("GITHUB_ACTIONS") != "true") {
    return run_guarded(gate, inv);
  }
  // Inside Actions, nothing printed can form an older-style `##[command]` (core/command_guard.hpp).
  CommandGuard out_guard(inv.out.rdbuf());
  CommandGuard err_guard(inv.err.rdbuf());
  std::ostream out(&out_guard);
  std::ostream err(&err_guard);
  const Invocation guarded{inv.args, inv.env, out, err, inv.out_is_terminal, inv.err_is_terminal, inv.cwd, inv.clock};
  const int code = run_guarded(gate, guarded);
  out.flush();
  err.flush();
  return code;
}

}  // namespace shipgate
