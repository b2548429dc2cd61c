#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/check.hpp"
#include "core/names.hpp"

namespace shipgate {

/// Version of the JSON report schema (README "JSON report"); bumped only on incompatible change.
inline constexpr int k_json_schema_version = 1;

/// Result forms on stdout. sarif is offered only by gates whose checks are findings with places.
enum class Format { text, json, github, sarif };
inline constexpr NameTable<Format, 4> k_format_names(
    {{{Format::text, "text"}, {Format::json, "json"}, {Format::github, "github"}, {Format::sarif, "sarif"}}});

/// What the writers need besides the outcome.
struct ReportInfo {
  std::string tool;
  std::string version;
  /// Every rule the gate has (SARIF lists them); empty for gates without rules.
  std::vector<RuleInfo> rules;
};

/// "2 errors, 1 warning, 0 notes": the findings counted by severity.
std::string count_findings(const Outcome& outcome);

/// "2 errors, 1 warning, 0 notes" for findings, "3 checks: 2 passed, 1 failed" for other checks;
/// the outcome's own headline when it has one.
std::string headline(const Outcome& outcome);

/// One line per check: `file:line:col: label: message [name]` when it has a place (related places
/// indented below), `name: label: message` when it has none.
void write_text(const Outcome& outcome, std::ostream& out, bool color);
/// The versioned JSON document, one schema for every gate.
void write_json(const Outcome& outcome, const ReportInfo& info, std::ostream& out);
/// One workflow command per check and per unreadable input.
void write_github(const Outcome& outcome, const ReportInfo& info, std::ostream& out);
/// SARIF 2.1.0 for code scanning upload.
void write_sarif(const Outcome& outcome, const ReportInfo& info, std::ostream& out);
/// The chosen form.
void write_results(Format format, const Outcome& outcome, const ReportInfo& info, std::ostream& out, bool color);
/// A short Markdown report for $GITHUB_STEP_SUMMARY headed by the run's result (`code`, which
/// may be worse than the outcome's own when results could not be written); every value from
/// input is escaped.
std::string summary_markdown(const Outcome& outcome, const ReportInfo& info, ExitCode code);

/// The annotation level of a check: its severity, else error for fail and error verdicts,
/// warning for warn, note for pass.
Severity annotation_level(const Check& check);

}  // namespace shipgate
