#include "core/finding.hpp"

#include <algorithm>
#include <tuple>

namespace shipgate {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::note:
      return "note";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note") {
    return Severity::note;
  }
  if (text == "warning") {
    return Severity::warning;
  }
  if (text == "error") {
    return Severity::error;
  }
  return std::nullopt;
}

void sort_findings(std::vector<Finding>& findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.where, a.rule, a.message) < std::tie(b.where, b.rule, b.message);
  });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.where == b.where && a.rule == b.rule && a.message == b.message;
                             }),
                 findings.end());
}

}  // namespace shipgate
