#include "lint/lint.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <variant>

#include "core/cli.hpp"
#include "core/github.hpp"
#include "core/source.hpp"
#include "lint/registry.hpp"
#include "lint/suppress.hpp"

namespace shipgate::lint {

namespace {

bool is_workflow_name(const std::filesystem::path& p) {
  const auto ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

/// Severity for `rule` after config overrides; nullopt when the rule is turned off.
std::optional<Severity> effective_severity(const Rule& rule, const Options& options) {
  const auto it = options.severity.find(std::string(rule.id()));
  return it == options.severity.end() ? std::optional<Severity>(rule.severity()) : it->second;
}

/// Runs the per-file hooks of every enabled rule over one workflow.
void lint_workflow(const Workflow& wf, const Context& ctx, const Options& options, std::vector<Finding>& out) {
  for (const auto& rule : all_rules()) {
    const auto severity = effective_severity(*rule, options);
    if (!severity || !rule->skip_reason(ctx).empty()) {
      continue;
    }
    Reporter reporter(std::string(rule->id()), *severity, out);
    rule->on_workflow(wf, ctx, reporter);
    for (const auto& job : wf.jobs) {
      rule->on_job(wf, job, ctx, reporter);
      for (const auto& step : job.steps) {
        rule->on_step(wf, job, step, ctx, reporter);
      }
    }
  }
}

/// A config severity for a rule moves the rule's findings at its default severity to the new
/// level and caps its other findings (unverifiable cases, races) at that level, so lowering a
/// rule never leaves one of its findings above what the config asked for.
void apply_severity(std::vector<Finding>& findings, const Options& options) {
  for (auto& f : findings) {
    const auto it = options.severity.find(f.rule);
    if (it == options.severity.end() || !it->second) {
      continue;
    }
    for (const auto& rule : all_rules()) {
      if (rule->id() == f.rule) {
        f.severity = f.severity == rule->severity() ? *it->second : std::min(f.severity, *it->second);
      }
    }
  }
}

/// The files a PATH names: itself, or the *.yml/*.yaml entries of a directory, sorted. Entries
/// that are not regular files are kept, so that reading them reports them instead of skipping.
std::vector<std::string> expand_path(const std::string& path, std::vector<Error>& unreadable) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return {path};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (is_workflow_name(entry.path())) {
      files.push_back((fs::path(path) / entry.path().filename()).string());
    }
  }
  if (ec) {
    unreadable.push_back({"cannot list directory: " + ec.message(), {path, 0, 0}, {}});
  } else if (files.empty()) {
    unreadable.push_back({"no workflow files (*.yml, *.yaml) in this directory", {path, 0, 0}, {}});
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> collect_files(const std::vector<std::string>& paths, std::vector<Error>& unreadable) {
  std::vector<std::string> files;
  std::set<std::string> seen;  // a file named twice (a dir and a file in it) is linted once
  for (const auto& path : paths) {
    for (auto& file : expand_path(path, unreadable)) {
      if (seen.insert(canonical_path(file)).second) {
        files.push_back(std::move(file));
      }
    }
  }
  return files;
}

namespace {

/// The file as a Source, or nullopt with its error added to `unreadable`.
std::optional<Source> read_source(const std::string& file, std::vector<Error>& unreadable) {
  auto text = read_text_file(file);
  if (!text) {
    unreadable.push_back(text.error());
    return std::nullopt;
  }
  return Source{file, std::move(*text)};
}

}  // namespace

std::vector<Source> collect_sources(const std::vector<std::string>& paths, std::vector<Error>& unreadable) {
  std::vector<Source> sources;
  for (const auto& file : collect_files(paths, unreadable)) {
    if (auto source = read_source(file, unreadable)) {
      sources.push_back(std::move(*source));
    }
  }
  return sources;
}

namespace {

/// The repository pass: every enabled rule's on_repository hook, or why it was skipped.
void lint_repository(const std::vector<WorkflowSummary>& summaries, const Context& ctx, const Options& options,
                     std::vector<Finding>& findings, std::vector<Skipped>& skipped) {
  for (const auto& rule : all_rules()) {
    const auto severity = effective_severity(*rule, options);
    if (!severity) {
      continue;
    }
    if (const auto reason = rule->skip_reason(ctx); !reason.empty()) {
      skipped.push_back({std::string(rule->id()), reason});
      continue;
    }
    Reporter reporter(std::string(rule->id()), *severity, findings);
    rule->on_repository(summaries, ctx, reporter);
  }
}

/// Moves the findings that no inline comment or config entry suppresses into the report.
void keep_unsuppressed(std::vector<Finding>& findings, const std::map<std::string, InlineSuppressions>& inline_ignores,
                       const Options& options, Report& report) {
  std::map<std::string, std::string> canonical;  // finding file -> canonical path, computed once
  for (auto& f : findings) {
    const auto it = inline_ignores.find(f.where.file);
    const bool inline_hit = it != inline_ignores.end() && it->second.covers(f);
    const auto inserted = canonical.try_emplace(f.where.file);
    std::string& file = inserted.first->second;
    if (inserted.second && !options.ignore.empty()) {
      file = canonical_path(f.where.file);
    }
    const bool config_hit = std::any_of(options.ignore.begin(), options.ignore.end(),
                                        [&f, &file](const IgnoreEntry& e) { return e.covers(f, file); });
    if (inline_hit || config_hit) {
      ++report.suppressed;
    } else {
      report.findings.push_back(std::move(f));
    }
  }
}

}  // namespace

Linter::Linter(const Context& ctx, const Options& options) : m_ctx(ctx), m_options(options) {
  m_report.tool = k_tool;
  m_report.fail_level = options.fail_level;
}

void Linter::add(const Source& source) {
  ++m_report.files;
  auto doc = yaml::parse(source.text, source.path);
  auto wf = doc ? build_workflow(*doc, source.text) : Result<Workflow>(doc.error());
  if (!wf) {
    m_report.input_errors.push_back(wf.error());
    return;
  }
  lint_workflow(*wf, m_ctx, m_options, m_findings);
  m_summaries.push_back(summarize(*wf, m_ctx.data));
  m_inline_ignores.emplace(source.path, InlineSuppressions(source.text));
}

void Linter::add_error(Error error) {
  ++m_report.files;
  m_report.input_errors.push_back(std::move(error));
}

Report Linter::finish() && {
  lint_repository(m_summaries, m_ctx, m_options, m_findings, m_report.skipped);
  apply_severity(m_findings, m_options);
  keep_unsuppressed(m_findings, m_inline_ignores, m_options, m_report);
  sort_findings(m_report.findings);
  std::sort(m_report.input_errors.begin(), m_report.input_errors.end(),
            [](const Error& a, const Error& b) { return a.where < b.where; });
  return std::move(m_report);
}

Report lint_sources(const std::vector<Source>& sources, std::vector<Error> unreadable, const Context& ctx,
                    const Options& options) {
  Linter linter(ctx, options);
  for (auto& e : unreadable) {
    linter.add_error(std::move(e));
  }
  for (const auto& source : sources) {
    linter.add(source);
  }
  return std::move(linter).finish();
}

namespace {

std::vector<RuleInfo> rule_infos() {
  std::vector<RuleInfo> infos;
  for (const auto& rule : all_rules()) {
    infos.push_back({std::string(rule->id()), rule->severity(), std::string(rule->summary())});
  }
  return infos;
}

void list_rules(const Invocation& inv) {
  for (const auto& info : rule_infos()) {
    inv.out << info.id << "  " << to_string(info.severity) << "  " << info.summary << '\n';
  }
}

void write_results(const Report& report, const Options& options, const Invocation& inv) {
  switch (options.format) {
    case Format::text:
      write_text(report, inv.out, inv.color_out());
      break;
    case Format::json:
      write_json(report, inv.out);
      break;
    case Format::github:
      write_github(report, inv.out);
      break;
    case Format::sarif:
      write_sarif(report, rule_infos(), SHIPGATE_VERSION, inv.out);
      break;
  }
}

/// Outputs, step summary and annotations when running inside GitHub Actions.
void publish(const Report& report, const Options& options, const Invocation& inv) {
  github::Runtime gh(inv, inv.err);
  if (!gh.active()) {
    return;
  }
  if (options.format != Format::github) {
    for (const auto& f : report.findings) {
      gh.annotate(f.severity, f.where, f.rule, f.message);
    }
    for (const auto& e : report.input_errors) {
      gh.annotate(Severity::error, e.where, k_tool, e.message);
    }
  }
  std::ostringstream text;
  write_text(report, text, false);
  const std::vector<std::pair<std::string, std::string>> outputs = {
      {"result", std::string(report.verdict())},
      {"findings", std::to_string(report.findings.size())},
      {"errors", std::to_string(report.count(Severity::error))},
      {"warnings", std::to_string(report.count(Severity::warning))},
      {"notes", std::to_string(report.count(Severity::note))},
      {"suppressed", std::to_string(report.suppressed)},
      {"report", text.str()}};
  for (const auto& [name, value] : outputs) {
    if (const auto written = gh.set_output(name, value); !written) {
      cli::diagnose(inv, k_tool, written.error().to_string() + "; step outputs are not set");
      break;
    }
  }
  if (const auto written = gh.append_summary(summary_markdown(report)); !written) {
    cli::diagnose(inv, k_tool, written.error().to_string());
  }
}

/// Reads and lints one file at a time, so memory holds one file's text, not the corpus. With
/// RUNNER_DEBUG=1 (or SHIPGATE_DEBUG=1) it says what it reads, folded in a group.
Report lint_files(const Invocation& inv, const Options& options, const Context& ctx) {
  github::Runtime gh(inv, inv.err);
  const bool debug = gh.debug() || inv.getenv("SHIPGATE_DEBUG").value_or("") == "1";
  auto say = [&](const std::string& line) {
    if (debug) {
      cli::diagnose(inv, k_tool, "debug: " + line);
    }
  };
  if (debug) {
    gh.group_begin("shipgate-lint inputs");
  }
  say("fail level " + std::string(to_string(options.fail_level)));
  if (ctx.environments != nullptr) {
    say(std::to_string(ctx.environments->records.size()) + " environment records from " + ctx.environments->source);
  }
  Linter linter(ctx, options);
  std::vector<Error> unreadable;
  for (const auto& path : options.paths) {
    say("path " + path);
  }
  for (const auto& file : collect_files(options.paths, unreadable)) {
    if (const auto source = read_source(file, unreadable)) {
      say("read " + file + " (" + std::to_string(source->text.size()) + " bytes)");
      linter.add(*source);
    }
  }
  for (auto& e : unreadable) {
    linter.add_error(std::move(e));
  }
  if (debug) {
    gh.group_end();
  }
  return std::move(linter).finish();
}

int run_checked(const Invocation& inv) {
  auto parsed = parse_options(inv);
  if (const auto* stop = std::get_if<ExitCode>(&parsed)) {
    return static_cast<int>(*stop);
  }
  auto& options = std::get<Options>(parsed);
  if (options.list_rules) {
    list_rules(inv);
    return 0;
  }
  auto data = builtin_data();
  if (!data) {
    cli::diagnose(inv, k_tool, "internal error: built-in rule data: " + data.error().to_string());
    return static_cast<int>(ExitCode::could_not_evaluate);
  }
  data->actions.insert(data->actions.begin(), options.extra_actions.begin(), options.extra_actions.end());
  std::optional<EnvironmentRecords> records;
  if (options.environments) {
    auto loaded = load_environments(*options.environments);
    if (!loaded) {
      cli::diagnose(inv, k_tool, loaded.error().to_string());
      return static_cast<int>(ExitCode::usage);
    }
    records = std::move(*loaded);
  }
  const Context ctx{*data, records ? &*records : nullptr};
  const auto report = lint_files(inv, options, ctx);
  for (const auto& e : report.input_errors) {
    cli::diagnose(inv, k_tool, e.to_string());
  }
  write_results(report, options, inv);
  inv.out.flush();
  if (!inv.out) {
    cli::diagnose(inv, k_tool, "cannot write the results to stdout");
    return static_cast<int>(ExitCode::could_not_evaluate);
  }
  for (const auto& s : report.skipped) {
    cli::diagnose(inv, k_tool, "skipped " + s.rule + ": " + s.reason);
  }
  cli::diagnose(inv, k_tool, report.headline());
  publish(report, options, inv);
  return static_cast<int>(report.exit_code());
}

}  // namespace

int run(const Invocation& inv) {
  try {
    return run_checked(inv);
  } catch (const std::exception& e) {
    cli::diagnose(inv, k_tool, std::string("internal error: ") + e.what());
  } catch (...) {
    cli::diagnose(inv, k_tool, "internal error");
  }
  return static_cast<int>(ExitCode::could_not_evaluate);
}

}  // namespace shipgate::lint
