#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace shipgate {

enum class Severity { note = 0, warning = 1, error = 2 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

/// Another place that belongs to a finding (the other deploy sites of an overlap, say).
struct Related {
  Location where;
  std::string message;
};

/// One result of a check: a value, never an exception.
struct Finding {
  std::string rule;
  Severity severity = Severity::error;
  Location where;
  std::string message;
  std::vector<Related> related;

  /// Where the rule's documentation lives, relative to the repository root.
  std::string docs() const { return "rules/" + rule + ".md"; }
};

/// Sorts by file, line, column, rule and message, so output never depends on traversal order.
void sort_findings(std::vector<Finding>& findings);

}  // namespace shipgate
