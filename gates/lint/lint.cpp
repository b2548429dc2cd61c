#include "lint/lint.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/cli.hpp"
#include "core/environments.hpp"
#include "core/paths.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "lint/registry.hpp"

namespace shipgate::lint {

namespace {

namespace fs = std::filesystem;

bool is_workflow_name(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

/// Severity for `rule` after config overrides; nullopt when the rule is turned off.
std::optional<Severity> effective_severity(const Rule& rule, const Options& options) {
  const auto it = options.severity.find(std::string(rule.id()));
  return it == options.severity.end() ? std::optional<Severity>(rule.severity()) : it->second;
}

/// Runs the per-file hooks of every enabled rule over one workflow.
void lint_workflow(const Workflow& wf, const Context& ctx, const Options& options, std::vector<Check>& out) {
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
void apply_severity(std::vector<Check>& findings, const Options& options) {
  for (auto& f : findings) {
    const auto it = options.severity.find(f.name);
    if (it == options.severity.end() || !it->second) {
      continue;
    }
    for (const auto& rule : all_rules()) {
      if (rule->id() == f.name) {
        f.severity = f.severity == rule->severity() ? *it->second : std::min(*f.severity, *it->second);
      }
    }
  }
}

/// The files a PATH names: itself, or the *.yml/*.yaml entries of a directory, sorted. Entries
/// that are not regular files are kept, so that reading them reports them instead of skipping.
std::vector<std::string> expand_path(const std::string& path, const std::string& cwd, std::vector<Error>& unreadable) {
  std::error_code ec;
  const fs::path real = paths::join(cwd, path);
  if (!fs::is_directory(real, ec)) {
    return {path};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(real, ec)) {
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

/// The repository pass: every enabled rule's on_repository hook, or why it was skipped.
void lint_repository(const std::vector<WorkflowSummary>& summaries, const Context& ctx, const Options& options,
                     std::vector<Check>& findings, std::vector<Skipped>& skipped) {
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

}  // namespace

std::vector<std::string> collect_files(const std::vector<std::string>& paths, const std::string& cwd,
                                       std::vector<Error>& unreadable) {
  std::vector<std::string> files;
  std::set<std::string> seen;  // a file named twice (a dir and a file in it) is linted once
  for (const auto& path : paths) {
    for (auto& file : expand_path(path, cwd, unreadable)) {
      if (seen.insert(paths::canonical(paths::join(cwd, file))).second) {
        files.push_back(std::move(file));
      }
    }
  }
  return files;
}

Linter::Linter(const Context& ctx, const Options& options) : m_ctx(ctx), m_options(options) {}

void Linter::add(const Source& source) {
  ++m_files;
  auto doc = yaml::parse(source.text, source.path);
  auto wf = doc ? build_workflow(*doc) : Result<Workflow>(doc.error());
  if (!wf) {
    m_outcome.input_errors.push_back(wf.error());
    return;
  }
  lint_workflow(*wf, m_ctx, m_options, m_findings);
  m_summaries.push_back(summarize(*wf, m_ctx.data));
  m_inline_ignores.emplace(source.path, InlineSuppressions(source.text, *doc, rule_ids(), m_outcome.input_errors));
}

void Linter::add_error(Error error) {
  ++m_files;
  m_outcome.input_errors.push_back(std::move(error));
}

Outcome Linter::finish() && {
  lint_repository(m_summaries, m_ctx, m_options, m_findings, m_outcome.skipped);
  apply_severity(m_findings, m_options);
  std::map<std::string, std::string> canonical;  // finding file -> canonical path, computed once
  for (auto& f : m_findings) {
    const auto it = m_inline_ignores.find(f.where.file);
    const bool inline_hit = it != m_inline_ignores.end() && it->second.covers(f);
    const auto inserted = canonical.try_emplace(f.where.file);
    std::string& file = inserted.first->second;
    if (inserted.second && !m_options.ignore.empty()) {
      file = paths::canonical(paths::join(m_options.root.empty() ? m_options.base_dir : m_options.root, f.where.file));
    }
    const bool config_hit = std::any_of(m_options.ignore.begin(), m_options.ignore.end(),
                                        [&f, &file](const IgnoreEntry& e) { return e.covers(f, file); });
    if (inline_hit || config_hit) {
      ++m_suppressed;
    } else {
      m_outcome.checks.push_back(std::move(f));
    }
  }
  sort_checks(m_outcome.checks);
  std::sort(m_outcome.input_errors.begin(), m_outcome.input_errors.end(),
            [](const Error& a, const Error& b) { return a.where < b.where; });
  m_outcome.set_fail_level(m_options.fail_level);
  m_outcome.headline = count_findings(m_outcome) + " in " + text::plural(m_files, "file");
  if (m_suppressed > 0) {
    m_outcome.headline += " (" + std::to_string(m_suppressed) + " suppressed)";
  }
  m_outcome.summary = {{"files", m_files}, {"suppressed", m_suppressed}};
  m_outcome.outputs = {{"findings", std::to_string(m_outcome.findings())},
                       {"errors", std::to_string(m_outcome.count(Severity::error))},
                       {"warnings", std::to_string(m_outcome.count(Severity::warning))},
                       {"notes", std::to_string(m_outcome.count(Severity::note))},
                       {"suppressed", std::to_string(m_suppressed)}};
  return std::move(m_outcome);
}

Outcome lint_sources(const std::vector<Source>& sources, std::vector<Error> unreadable, const Context& ctx,
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

class LintGate final : public Gate {
public:
  GateInfo info() const override {
    return {"shipgate-lint", "lint",
            "Lint GitHub Actions workflow files for unsafe deploys.\n"
            "PATH is a workflow file or a directory of them (default: .github/workflows)."};
  }

  std::vector<RuleInfo> rules() const override {
    std::vector<RuleInfo> infos;
    for (const auto& rule : all_rules()) {
      infos.push_back({std::string(rule->id()), rule->severity(), std::string(rule->summary())});
    }
    return infos;
  }

  void add_flags(CLI::App& app) override { lint::add_flags(app, m_flags); }

  void configure(config::Section& section, const CLI::App&, const Invocation& inv) override {
    m_options = lint::configure(m_flags, section, inv.cwd);
    m_options.root = paths::repository_root(inv.cwd, inv.getenv("GITHUB_WORKSPACE").value_or(""));
  }

  std::vector<Error> prepare(const Invocation& inv) override {
    auto data = builtin_data();
    if (!data) {
      throw std::runtime_error("built-in rule data: " + data.error().to_string());
    }
    m_data = std::move(*data);
    m_data->actions.insert(m_data->actions.begin(), m_options.extra_actions.begin(), m_options.extra_actions.end());
    if (m_options.environments) {
      auto loaded = load_environments(*m_options.environments, inv.cwd);
      if (!loaded) {
        return {loaded.error()};
      }
      m_records = std::move(*loaded);
    }
    return {};
  }

  Outcome evaluate(const Invocation& inv, Log& log) override;

  std::vector<std::string> output_names() const override {
    return {"findings", "errors", "warnings", "notes", "suppressed"};
  }

private:
  Flags m_flags;
  Options m_options;
  std::optional<LintData> m_data;
  std::optional<EnvironmentRecords> m_records;
};

/// Reads and lints one file at a time, so memory holds one file's text, not the corpus; in debug
/// mode it says what it reads.
Outcome LintGate::evaluate(const Invocation& inv, Log& log) {
  const Context ctx{*m_data, m_records ? &*m_records : nullptr};
  log.group_begin("shipgate-lint inputs");
  log.debug("fail level " + std::string(to_string(m_options.fail_level)));
  if (m_records) {
    log.debug(std::to_string(m_records->records.size()) + " environment records from " + m_records->source);
  }
  for (const auto& path : m_options.paths) {
    log.debug("path " + path);
  }
  Linter linter(ctx, m_options);
  std::vector<Error> unreadable;
  log.debug("paths shown relative to " + m_options.root);
  const auto shown = [&](const std::string& path) { return paths::shown_path(path, inv.cwd, m_options.root); };
  for (const auto& file : collect_files(m_options.paths, inv.cwd, unreadable)) {
    auto text = read_text_file_in(inv.cwd, file);
    if (!text) {
      unreadable.push_back(text.error());
      continue;
    }
    log.debug("read " + file + " (" + std::to_string(text->size()) + " bytes)");
    linter.add(Source{shown(file), std::move(*text)});
  }
  for (auto& e : unreadable) {
    if (!e.where.file.empty()) {
      e.where.file = shown(e.where.file);
    }
    linter.add_error(std::move(e));
  }
  log.group_end();
  return std::move(linter).finish();
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<LintGate>(); }

}  // namespace shipgate::lint
