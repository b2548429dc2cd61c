#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/names.hpp"
#include "core/result.hpp"

namespace shipgate {

/// How serious a finding is; a gate's fail level says from which severity it fails.
enum class Severity { note = 0, warning = 1, error = 2 };
inline constexpr NameTable<Severity, 3> k_severity_names(
    {{{Severity::error, "error"}, {Severity::warning, "warning"}, {Severity::note, "note"}}});
inline std::string_view to_string(Severity s) { return k_severity_names.name(s); }
inline std::optional<Severity> parse_severity(std::string_view text) { return k_severity_names.parse(text); }

/// What one check concluded. `error` means it could not be evaluated (exit 3), never a pass.
enum class Verdict { pass = 0, warn = 1, fail = 2, error = 3 };
inline constexpr NameTable<Verdict, 4> k_verdict_names(
    {{{Verdict::pass, "pass"}, {Verdict::warn, "warn"}, {Verdict::fail, "fail"}, {Verdict::error, "error"}}});
inline std::string_view to_string(Verdict v) { return k_verdict_names.name(v); }

/// Another place that belongs to a check (the other deploy sites of an overlap, say).
struct Related {
  Location where;
  std::string message;
};

/// One thing a gate checked, and what it concluded: a value, never an exception.
/// A lint finding is a check with a place and a severity; a health probe, a freeze window or a
/// release check has a name, a verdict and a message, and often no place at all.
/// A replacement of bytes in a file's text as it was read: how a fix (lint's --fix) is written.
struct Edit {
  std::size_t offset = 0;
  std::size_t length = 0;  // bytes replaced; 0 inserts
  std::string text;
  friend bool operator==(const Edit&, const Edit&) = default;
};

struct Check {
  /// The rule id for findings, else a stable name for the check ("health /v1/health").
  std::string name;
  Verdict verdict = Verdict::pass;
  std::string message;
  /// Where it points; an empty file means nowhere in particular.
  Location where;
  /// Set for findings: the severity that, against the fail level, gave the verdict.
  std::optional<Severity> severity;
  std::vector<Related> related;
  /// Other places that name the same finding for suppressions (a finding on a step's input is
  /// also the step's: a comment on its `uses:` line covers it). Not shown.
  std::vector<Location> also_at;
  /// Machine-readable detail for the JSON report (a timeline, the release seen, ...).
  nlohmann::json details = nlohmann::json::object();
  /// What resolves the finding, as edits to `where.file` (applied all or none); empty for none.
  /// `fix_safe` fixes change only what the finding names; others need a human look.
  std::vector<Edit> fix;
  bool fix_safe = true;
  /// For a fix that needs a look, what to look at; for a finding its rule could not fix, why.
  std::string fix_note;

  bool is_finding() const { return severity.has_value(); }
  bool has_place() const { return !where.file.empty(); }
  /// The word shown for it: the severity of a finding, else the verdict.
  std::string_view label() const { return severity ? to_string(*severity) : to_string(verdict); }
  /// Where a finding's rule is documented: rules/<id>.md in shipgate's repository at this
  /// version's tag (SHIPGATE_DOCS_URL).
  std::string docs() const { return docs_url(name); }
  static std::string docs_url(const std::string& rule) {
    return std::string(SHIPGATE_DOCS_URL) + "/rules/" + rule + ".md";
  }

  /// A finding of `rule`; its verdict follows from the fail level (see set_fail_level).
  static Check finding(std::string rule, Severity severity, Location where, std::string message,
                       std::vector<Related> related = {});
};

/// Sorts by place, name and message and drops exact repeats, so output never depends on the
/// order checks were made in.
void sort_checks(std::vector<Check>& checks);

/// A check that did not run, and why (reported, never silently passed).
struct Skipped {
  std::string name;
  std::string reason;
};

/// Documentation of one rule, for --list-rules and SARIF.
struct RuleInfo {
  std::string id;
  Severity severity;
  std::string summary;
  std::string help = {};  // the rule's page (Markdown), for SARIF; "" when not built in
};

/// A table for people (the largest parts of a slug, say): shown after the checks in the text form
/// and in the step summary, every cell escaped there; the JSON report carries the same data in
/// the checks' details.
struct Table {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

/// What a gate's evaluation produced; core turns it into every output form and the exit code.
struct Outcome {
  std::vector<Check> checks;
  /// Inputs that could not be read or parsed: the run ends in exit 2, and other results still show.
  std::vector<Error> input_errors;
  std::vector<Skipped> skipped;
  /// For gates whose checks are findings: the lowest severity that fails.
  std::optional<Severity> fail_level;
  /// One line for people; empty means core's generic "N checks: ..." line.
  std::string headline;
  /// Gate-specific fields added to the JSON summary object.
  nlohmann::json summary = nlohmann::json::object();
  /// Tables shown after the checks (text form and step summary).
  std::vector<Table> tables;
  /// Gate-specific step outputs (each must be declared by the gate).
  std::vector<std::pair<std::string, std::string>> outputs;
  /// A document the gate made in place of its checks (lint's deploy map): core writes the form
  /// --format names instead of the checks' rendering, scrubbed of secrets like the rest, and
  /// `summary` (Markdown) as the step summary.
  struct Document {
    std::map<std::string, std::string> forms;  // format name -> the document in that format
    std::string summary;
  };
  std::optional<Document> document;

  /// Gives every finding its verdict: fail at or above `level`, warn below it.
  void set_fail_level(Severity level);
  std::size_t count(Verdict verdict) const;
  std::size_t count(Severity severity) const;
  std::size_t findings() const;
  /// The most serious of: 3 when a check could not be evaluated, 2 when an input could not be
  /// read, 1 when a check failed, 0 otherwise.
  ExitCode exit_code() const;
};

/// "pass", "fail" or "error" for an exit code, as written to outputs and JSON.
std::string_view result_name(ExitCode code);

}  // namespace shipgate
