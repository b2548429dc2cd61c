#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/check.hpp"
#include "core/text.hpp"
#include "github/environments.hpp"
#include "heroku/names.hpp"
#include "lint/data.hpp"
#include "lint/deploy_sites.hpp"
#include "lint/model.hpp"

namespace shipgate::lint {

/// What every rule may read besides the model: rule data and the repository's records.
struct Context {
  const LintData& data;
  const github::Environments* environments = nullptr;  // nullptr: not given
  const heroku::AppPattern* app_pattern = nullptr;     // nullptr: no naming convention configured
  bool pin_sha = false;                                // deploy actions must be pinned by commit SHA
};

/// Collects one rule's findings; the only way a rule reports.
class Reporter {
public:
  Reporter(std::string rule, Severity severity, std::vector<Check>& sink)
      : m_rule(std::move(rule)), m_severity(severity), m_sink(sink) {}

  /// A finding at the rule's default severity.
  void report(const Location& where, const std::string& message, std::vector<Related> related = {}) {
    report(m_severity, where, message, std::move(related));
  }
  /// A finding on a value that a suppression at `also` (the step's `uses:` line) covers too.
  void report_also(Severity severity, const Location& where, const Location& also, const std::string& message) {
    report(severity, where, message);
    if (also != where) {
      m_sink.back().also_at.push_back(also);
    }
  }
  /// A finding at another severity (an unverifiable case reported lower, say).
  /// Messages embed values from the workflow; they are made one line here, so that no value can
  /// start a line of output (a forged `::add-mask::` or `::stop-commands::` in Actions logs).
  void report(Severity severity, const Location& where, const std::string& message, std::vector<Related> related = {}) {
    for (auto& r : related) {
      r.message = text::one_line(r.message);
    }
    m_sink.push_back(Check::finding(m_rule, severity, where, text::one_line(message), std::move(related)));
  }

  /// Attaches a fix to the finding reported last (edits to its file, as read; see Edit).
  void fix(std::vector<Edit> edits) {
    m_sink.back().fix = std::move(edits);
    m_sink.back().fix_safe = true;
  }
  /// Attaches a fix that needs a human look (made only with --fix=unsafe), and what to look at.
  void unsafe_fix(std::vector<Edit> edits, const std::string& look_at) {
    m_sink.back().fix = std::move(edits);
    m_sink.back().fix_safe = false;
    m_sink.back().fix_note = text::one_line(look_at);
  }
  /// Says why the finding reported last gets no fix (shown with --fix and --diff).
  void no_fix(const std::string& why) { m_sink.back().fix_note = text::one_line(why); }
  /// Attaches `edits` when there are some, else says why not.
  void fix_or(std::optional<std::vector<Edit>> edits, const std::string& why) {
    if (edits) {
      fix(std::move(*edits));
    } else {
      no_fix(why);
    }
  }

  /// How many findings the sink holds: compared before and after a call, whether it reported.
  std::size_t reported() const { return m_sink.size(); }

  /// The rule's severity (after config).
  Severity severity() const { return m_severity; }

private:
  std::string m_rule;
  Severity m_severity;
  std::vector<Check>& m_sink;
};

/// A lint rule: pure (model, context in; findings out), implementing only the hooks it needs.
class Rule {
public:
  virtual ~Rule() = default;
  virtual std::string_view id() const = 0;
  virtual Severity severity() const = 0;
  /// One line for --list-rules and SARIF.
  virtual std::string_view summary() const = 0;

  virtual void on_workflow(const Workflow&, const Context&, Reporter&) const {}
  virtual void on_job(const Workflow&, const Job&, const Context&, Reporter&) const {}
  virtual void on_step(const Workflow&, const Job&, const Step&, const Context&, Reporter&) const {}
  /// Whether the rule reports through on_repository from deploy sites (a suppression at a site
  /// then takes that site out of what the rule sees).
  virtual bool judges_sites() const { return false; }
  /// Sees every workflow at once, through their summaries.
  virtual void on_repository(const std::vector<WorkflowSummary>&, const Context&, Reporter&) const {}
  /// When the rule cannot run with this context, why (it is reported as skipped); "" otherwise.
  virtual std::string skip_reason(const Context&) const { return {}; }
};

/// A position in a workflow file as a Location.
inline Location at(const Workflow& wf, const yaml::Node& node) { return {wf.path, node.pos.line, node.pos.column}; }

}  // namespace shipgate::lint
