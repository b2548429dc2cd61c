#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/result.hpp"

namespace shipgate {

/// Version of the JSON report schema (docs/json-schema.md); bumped only on incompatible change.
inline constexpr int k_json_schema_version = 1;

enum class Format { text, json, github, sarif };
std::optional<Format> parse_format(std::string_view text);

/// A check that did not run, and why (it is reported, never silently passed).
struct Skipped {
  std::string rule;
  std::string reason;
};

/// Documentation of one rule, for --list-rules and SARIF.
struct RuleInfo {
  std::string id;
  Severity severity;
  std::string summary;
};

/// What a gate found: the findings, the inputs it could not evaluate, and the verdict.
struct Report {
  std::string tool;
  std::vector<Finding> findings;
  std::vector<Error> input_errors;
  std::vector<Skipped> skipped;
  std::size_t files = 0;
  std::size_t suppressed = 0;
  Severity fail_level = Severity::error;

  std::size_t count(Severity severity) const;
  /// 2 when any input could not be read or parsed, else 1 when a finding reaches the fail level.
  ExitCode exit_code() const;
  /// "pass", "fail" or "error", as written to outputs and JSON.
  std::string_view verdict() const;
  /// One line for people: "2 errors, 1 warning in 3 files (1 suppressed)".
  std::string headline() const;
};

/// `file:line:col: severity: message [rule-id]`, related places indented below.
void write_text(const Report& report, std::ostream& out, bool color);
/// The versioned JSON document (see README "JSON report").
void write_json(const Report& report, std::ostream& out);
/// One workflow command per finding, with file, line, col and the rule id as title.
void write_github(const Report& report, std::ostream& out);
/// SARIF 2.1.0 for code scanning upload; `rules` describes every rule the tool has.
void write_sarif(const Report& report, const std::vector<RuleInfo>& rules, const std::string& version,
                 std::ostream& out);
/// A short Markdown report for $GITHUB_STEP_SUMMARY.
std::string summary_markdown(const Report& report);

}  // namespace shipgate
