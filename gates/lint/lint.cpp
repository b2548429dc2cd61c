#include "lint/lint.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "core/cli.hpp"
#include "core/paths.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "github/environments.hpp"
#include "lint/caller_places.hpp"
#include "lint/registry.hpp"

namespace shipgate::lint {

namespace {

namespace fs = std::filesystem;

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

/// The repository pass: every enabled rule's on_repository hook, or why it was skipped. Each
/// rule sees the summaries `summaries_for` gives it (its suppressed deploy sites left out).
void lint_repository(const std::function<const std::vector<WorkflowSummary>&(const std::string&)>& summaries_for,
                     const Context& ctx, const Options& options, std::vector<Check>& findings,
                     std::vector<Skipped>& skipped) {
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
    rule->on_repository(rule->judges_sites() ? summaries_for(std::string(rule->id())) : summaries_for({}), ctx,
                        reporter);
  }
}

}  // namespace

/// What evaluating calls found, at the caller's places.
struct Linter::Followed {
  std::vector<CallFinding> findings;
  std::vector<DeploySite> sites;
  std::vector<DeploySite> unknown;
};

namespace {

/// A finding as its own file reports it, to tell a callee's own findings (reported once, at the
/// callee) from those one call's values cause (reported at that call).
std::string finding_key(const Check& f) {
  return f.name + '\n' + f.where.file + '\n' + std::to_string(f.where.line) + ':' + std::to_string(f.where.column) +
         '\n' + std::string(f.label()) + '\n' + f.message;
}

/// A deploy site inside a callee, as the caller's: its job, at the call, via the callee's place.
/// A composite action's steps run in the calling job, so that job's facts (environment,
/// concurrency) are the site's; a reusable workflow's jobs keep their own.
DeploySite moved_site(DeploySite site, const workflow::FollowedCall& c, const CallerPlaces& places,
                      std::shared_ptr<const JobFacts>& caller_facts) {
  if (!site.via) {
    site.via = site.where;
  }
  site.where = places.place();
  site.job = c.call.job->id;
  if (c.callee.is_action) {
    if (caller_facts == nullptr) {
      caller_facts = job_facts(c.caller, *c.call.job);
    }
    site.facts = caller_facts;
    if (site.condition.empty() && c.call.step != nullptr && c.call.step->condition) {
      site.condition = text::shorten(c.call.step->condition->value, 4096);
    }
    // A check after the calling step verifies what the action deployed.
    const auto& steps = c.call.job->steps;
    site.checked = site.checked || std::any_of(steps.begin(), steps.end(), [&c](const Step& s) {
                     return s.index > c.call.step->index && step_checks(c.caller, s);
                   });
  }
  return site;
}

}  // namespace

Linter::Linter(const Context& ctx, const Options& options, std::optional<Files> files)
    : m_ctx(ctx), m_options(options), m_files_access(std::move(files)) {
  if (m_files_access) {
    m_walker.emplace(*m_files_access, m_options.root);
  }
}

Linter::~Linter() = default;

void Linter::add(const Source& source) {
  const auto key = source.absolute.empty() ? std::string() : paths::canonical(source.absolute);
  if (!key.empty() && !m_linted.insert(key).second) {
    return;  // already linted, as the callee of a file before it
  }
  lint_one(source, key);
  // Callees are linted on their own once, here rather than where they are called, so a chain
  // of calls costs a queue, not a deeper stack.
  while (!m_queue.empty()) {
    const auto file = std::move(m_queue.back());
    m_queue.pop_back();
    const auto callee = paths::canonical(file);
    if (!m_linted.insert(callee).second) {
      continue;
    }
    if (auto text = m_files_access->read(file); text) {
      lint_one(Source{m_files_access->shown(file), std::move(*text), file}, callee);
    }
  }
}

void Linter::lint_one(const Source& source, const std::string& key) {
  ++m_files;
  auto doc = yaml::parse(source.text, source.path);
  auto wf = doc ? build_model(*doc) : Result<Workflow>(doc.error());
  if (!wf) {
    m_outcome.input_errors.push_back(wf.error());
    return;
  }
  wf->text = source.text;
  m_inline_ignores.emplace(source.path, InlineSuppressions(source.text, *doc, rule_ids(), m_outcome.input_errors));
  std::vector<Check> own;
  lint_workflow(*wf, m_ctx, m_options, own);
  auto summary = summarize(*wf, m_ctx.data);
  auto& own_keys = m_own_findings[key];
  if (m_files_access && !key.empty()) {
    Followed followed;
    follow(*wf, source.absolute, key, followed);
    for (auto& f : followed.findings) {
      own_keys.insert(finding_key(f.check));  // so a caller of this file does not report it again
      m_call_findings.push_back(std::move(f));
    }
    if (!wf->called_only) {  // else its callers carry these, with their own triggers
      summary.sites.insert(summary.sites.end(), followed.sites.begin(), followed.sites.end());
      summary.unknown.insert(summary.unknown.end(), followed.unknown.begin(), followed.unknown.end());
    }
  }
  for (auto& f : own) {
    own_keys.insert(finding_key(f));
    m_findings.push_back(std::move(f));
  }
  m_summaries.push_back(std::move(summary));
}

/// Evaluates each local call of `caller` with the values it passes: the callee's rules and deploy
/// sites (and its own calls, depth first), moved to the caller's places. Findings the callee has
/// on its own are left at the callee, where they are reported once.
void Linter::follow(const Workflow& caller, const std::string& caller_file, const std::string& key, Followed& out) {
  Followed* level = &out;  // what the call being visited adds to
  workflow::CallVisitor visitor;
  visitor.found = [this](const std::string& file, const std::string& callee) {
    if (m_linted.count(callee) == 0) {
      m_queue.push_back(file);
    }
  };
  visitor.visit = [&](const workflow::FollowedCall& c, const std::function<void()>& deeper) {
    Followed& parent = *level;
    Followed inner;
    std::vector<Check> found;
    lint_workflow(c.callee, m_ctx, m_options, found);
    for (const auto& job : c.callee.jobs) {
      auto sites = find_deploy_sites(c.callee, job, m_ctx.data, &inner.unknown);
      std::move(sites.begin(), sites.end(), std::back_inserter(inner.sites));
    }
    level = &inner;
    deeper();
    level = &parent;
    const CallerPlaces places(c.caller, c.call, c.callee);
    // What deeper calls found is at the callee's places by now: the callee's own findings there.
    for (auto& f : inner.findings) {
      found.push_back(std::move(f.check));
    }
    for (auto& f : found) {
      auto own_key = finding_key(f);
      auto in_callee = f.where;
      places.move(f);
      parent.findings.push_back({std::move(f), c.key, std::move(own_key), std::move(in_callee)});
    }
    // At the call every site has the same place and job: one per app (and how) is enough.
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    std::shared_ptr<const JobFacts> caller_facts;
    for (auto& site : inner.sites) {
      if (seen.emplace(site.app, site.how, site.scope).second) {
        parent.sites.push_back(moved_site(std::move(site), c, places, caller_facts));
      }
    }
    for (auto& site : inner.unknown) {
      if (seen.emplace(site.app, site.how, "?").second) {
        parent.unknown.push_back(moved_site(std::move(site), c, places, caller_facts));
      }
    }
  };
  m_walker->walk(caller, caller_file, key, visitor);
  if (m_walker->stopped() && (m_outcome.skipped.empty() || m_outcome.skipped.back().name != "local-calls")) {
    m_outcome.skipped.push_back({"local-calls", "stopped following local workflows and actions after " +
                                                    std::to_string(m_walker->calls()) + " calls"});
  }
}

void Linter::add_error(Error error) {
  ++m_files;
  m_outcome.input_errors.push_back(std::move(error));
}

Outcome Linter::finish() && {
  // A call's finding the callee reports itself (or suppresses) is left to the callee.
  for (auto& f : m_call_findings) {
    const auto own = m_own_findings.find(f.callee);
    if (own != m_own_findings.end() && own->second.count(f.own_key) != 0) {
      continue;
    }
    const auto ignores = m_inline_ignores.find(f.in_callee.file);
    if (ignores != m_inline_ignores.end()) {
      Check there = f.check;
      there.where = f.in_callee;
      if (ignores->second.covers(there)) {
        ++m_suppressed;
        continue;
      }
    }
    m_findings.push_back(std::move(f.check));
  }
  m_call_findings.clear();
  std::vector<WorkflowSummary> filtered;
  const auto summaries_for = [this, &filtered](const std::string& rule) -> const std::vector<WorkflowSummary>& {
    return without_suppressed_sites(rule, filtered);
  };
  lint_repository(summaries_for, m_ctx, m_options, m_findings, m_outcome.skipped);
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
  report_unused_suppressions();
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

/// A repository-level finding is suppressed per deploy site: a site covered by a suppression of
/// `rule` (at the site, or where a callee writes it) drops out before the rule runs, so the
/// finding moves to the sites left, and a suppression never hides sites added later.
const std::vector<WorkflowSummary>& Linter::without_suppressed_sites(const std::string& rule,
                                                                      std::vector<WorkflowSummary>& out) {
  const bool mentioned = !rule.empty() && std::any_of(m_inline_ignores.begin(), m_inline_ignores.end(), [&rule](const auto& entry) {
    const auto& all = entry.second.directives();
    return std::any_of(all.begin(), all.end(), [&rule](const auto& d) { return d.rule == rule; });
  });
  if (!mentioned) {
    return m_summaries;
  }
  const auto suppressed = [&](const DeploySite& site) {
    for (const auto& place : {std::optional<Location>(site.where), site.via}) {
      if (!place) {
        continue;
      }
      const auto it = m_inline_ignores.find(place->file);
      Check probe;
      probe.name = rule;
      probe.where = *place;
      if (it != m_inline_ignores.end() && it->second.covers(probe)) {
        ++m_suppressed;
        return true;
      }
    }
    return false;
  };
  out = m_summaries;
  for (auto& summary : out) {
    std::erase_if(summary.sites, suppressed);
    std::erase_if(summary.unknown, suppressed);
  }
  return out;
}

/// unused-suppression: each inline suppression of an enabled rule that ran and covered nothing.
void Linter::report_unused_suppressions() {
  const auto& rules = all_rules();
  const auto rule_of = [&rules](const std::string& id) -> const Rule* {
    for (const auto& r : rules) {
      if (r->id() == id) {
        return r.get();
      }
    }
    return nullptr;
  };
  const auto* self = rule_of("unused-suppression");
  const auto severity = self != nullptr ? effective_severity(*self, m_options) : std::nullopt;
  if (!severity) {
    return;
  }
  for (const auto& [file, ignores] : m_inline_ignores) {
    for (const auto& d : ignores.directives()) {
      const auto* rule = rule_of(d.rule);
      if (d.used || rule == nullptr || rule == self || !effective_severity(*rule, m_options) ||
          !rule->skip_reason(m_ctx).empty()) {
        continue;
      }
      m_outcome.checks.push_back(Check::finding(
          "unused-suppression", *severity, {file, d.line, d.column},
          "`shipgate: ignore[" + d.rule + "]` suppresses nothing here; remove it, or move it to the finding's line"));
    }
  }
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

  const std::vector<options::Option>& options() const override { return lint::declared(); }

  void read_config(config::Section& section, const Invocation& inv) override {
    m_options.base_dir = inv.cwd;
    lint::read_config(section, m_options);
  }

  std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets&) override {
    m_options.base_dir = inv.cwd;
    m_options.root = paths::repository_root(inv.cwd, inv.getenv("GITHUB_WORKSPACE").value_or(""));
    lint::apply(values, m_options);
    return std::move(m_options.errors);
  }

  std::vector<Error> prepare(const Invocation& inv) override {
    auto data = builtin_data();
    if (!data) {
      throw std::runtime_error("built-in rule data: " + data.error().to_string());
    }
    m_data = std::move(*data);
    m_data->actions.insert(m_data->actions.begin(), m_options.extra_actions.begin(), m_options.extra_actions.end());
    if (m_options.environments) {
      auto loaded = github::load_environments(*m_options.environments, inv.cwd);
      if (!loaded) {
        return {loaded.error()};
      }
      m_records = std::move(*loaded);
    }
    return {};
  }

  Outcome evaluate(const Invocation& inv, Log& log) override;

  std::vector<options::Output> outputs() const override {
    return {{"findings", "Findings reported (not suppressed)."},
            {"errors", "Findings at error level."},
            {"warnings", "Findings at warning level."},
            {"notes", "Findings at note level."},
            {"suppressed", "Findings suppressed by comments or config."}};
  }

private:
  Options m_options;
  std::optional<LintData> m_data;
  std::optional<github::Environments> m_records;
};

/// Reads and lints one file at a time, so memory holds one file's text, not the corpus; in debug
/// mode it says what it reads.
Outcome LintGate::evaluate(const Invocation& inv, Log& log) {
  const Context ctx{*m_data, m_records ? &*m_records : nullptr,
                    m_options.app_pattern ? &*m_options.app_pattern : nullptr, m_options.pin_sha};
  log.group_begin("shipgate-lint inputs");
  log.debug("fail level " + std::string(to_string(m_options.fail_level)));
  if (m_records) {
    log.debug(std::to_string(m_records->list.size()) + " environment records from " + m_records->source);
  }
  for (const auto& path : m_options.paths) {
    log.debug("path " + path);
  }
  std::vector<Error> unreadable;
  log.debug("paths shown relative to " + m_options.root);
  const auto shown = [&](const std::string& path) { return paths::shown_path(path, inv.cwd, m_options.root); };
  Linter linter(ctx, m_options, Files{[](const std::string& file) { return read_text_file(file); }, shown});
  for (const auto& file : collect_files(m_options.paths, inv.cwd, unreadable)) {
    auto text = read_text_file_in(inv.cwd, file);
    if (!text) {
      unreadable.push_back(text.error());
      continue;
    }
    log.debug("read " + file + " (" + std::to_string(text->size()) + " bytes)");
    linter.add(
        Source{shown(file), std::move(*text), fs::absolute(paths::join(inv.cwd, file)).lexically_normal().string()});
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
