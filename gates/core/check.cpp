#include "core/check.hpp"

#include <algorithm>
#include <tuple>

namespace shipgate {

Check Check::finding(std::string rule, Severity severity, Location where, std::string message,
                     std::vector<Related> related) {
  Check c;
  c.name = std::move(rule);
  c.verdict = Verdict::fail;
  c.message = std::move(message);
  c.where = std::move(where);
  c.severity = severity;
  c.related = std::move(related);
  return c;
}

void sort_checks(std::vector<Check>& checks) {
  auto key = [](const Check& c) { return std::tie(c.where, c.name, c.message); };
  std::stable_sort(checks.begin(), checks.end(), [&key](const Check& a, const Check& b) { return key(a) < key(b); });
  checks.erase(
      std::unique(checks.begin(), checks.end(), [&key](const Check& a, const Check& b) { return key(a) == key(b); }),
      checks.end());
}

void Outcome::set_fail_level(Severity level) {
  fail_level = level;
  for (auto& c : checks) {
    if (c.severity) {
      c.verdict = *c.severity >= level ? Verdict::fail : Verdict::warn;
    }
  }
}

std::size_t Outcome::count(Verdict verdict) const {
  return static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [verdict](const Check& c) { return c.verdict == verdict; }));
}

std::size_t Outcome::count(Severity severity) const {
  return static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [severity](const Check& c) { return c.severity == severity; }));
}

std::size_t Outcome::findings() const {
  return static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [](const Check& c) { return c.is_finding(); }));
}

ExitCode Outcome::exit_code() const {
  ExitCode code = input_errors.empty() ? ExitCode::pass : ExitCode::usage;
  for (const auto& c : checks) {
    if (c.verdict == Verdict::error) {
      code = worst(code, ExitCode::could_not_evaluate);
    } else if (c.verdict == Verdict::fail && input_errors.empty()) {
      code = worst(code, ExitCode::fail);
    }
  }
  return code;
}

std::string_view result_name(ExitCode code) {
  switch (code) {
    case ExitCode::pass:
      return "pass";
    case ExitCode::fail:
      return "fail";
    default:
      return "error";
  }
}

}  // namespace shipgate
