#include "lint/conditions.hpp"

#include <algorithm>
#include <optional>

#include "core/text.hpp"

namespace shipgate::lint {

namespace {

/// Bounds that keep a hostile `if:` cheap; past them the condition gives no requirements (or no
/// more), which only means two jobs are not proven exclusive.
constexpr std::size_t k_max_condition = 4096;
constexpr int k_max_parentheses = 16;
constexpr std::size_t k_max_requirements = 16;

/// The top-level parts of `s` between `op` ("&&" or "||"), outside quotes and parentheses.
std::vector<std::string_view> split_top(std::string_view s, std::string_view op) {
  std::vector<std::string_view> parts;
  int depth = 0;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\'') {
      quoted = !quoted;  // '' inside a string toggles twice: still inside
    } else if (!quoted && c == '(') {
      ++depth;
    } else if (!quoted && c == ')') {
      --depth;
    } else if (!quoted && depth == 0 && s.substr(i, op.size()) == op) {
      parts.push_back(s.substr(start, i - start));
      start = i + op.size();
      ++i;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

/// A single-quoted literal, unescaped and lower-cased.
std::optional<std::string> literal(std::string_view s) {
  s = text::trim(s);
  if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\'') {
      if (s[i + 1] != '\'' || i + 2 >= s.size()) {
        return std::nullopt;  // an unescaped quote: not one literal
      }
      ++i;
    }
    out += s[i];
  }
  return text::to_lower(out);
}

/// `startsWith(github.ref, 'LITERAL')`, compared case-insensitively as GitHub does.
std::optional<Requirement> starts_with(std::string_view part) {
  const auto lower = text::to_lower(part);
  if (lower.rfind("startswith(", 0) != 0 || lower.back() != ')') {
    return std::nullopt;
  }
  const auto inner = std::string_view(lower).substr(11, lower.size() - 12);
  const auto comma = inner.find(',');
  if (comma == std::string_view::npos || text::trim(inner.substr(0, comma)) != "github.ref") {
    return std::nullopt;
  }
  const auto value = literal(inner.substr(comma + 1));
  if (!value) {
    return std::nullopt;
  }
  return Requirement{"github.ref", true, *value, true};
}

std::optional<Requirement> comparison(std::string_view part) {
  part = text::trim(part);
  for (int unwrapped = 0; unwrapped < k_max_parentheses && part.size() >= 2 && part.front() == '(' &&
                          part.back() == ')' && split_top(part.substr(1, part.size() - 2), "||").size() == 1;
       ++unwrapped) {
    part = text::trim(part.substr(1, part.size() - 2));
  }
  if (auto prefix = starts_with(part)) {
    return prefix;
  }
  for (const auto& [op, equal] : {std::pair{"==", true}, std::pair{"!=", false}}) {
    const auto at = part.find(op);
    if (at == std::string_view::npos) {
      continue;
    }
    auto left = text::trim(part.substr(0, at));
    auto right = text::trim(part.substr(at + 2));
    if (literal(left)) {
      std::swap(left, right);
    }
    const auto value = literal(right);
    const auto field = text::to_lower(left);
    if (value && (field == "github.event_name" || field == "github.ref")) {
      return Requirement{field, equal, *value};
    }
    if (value && equal && field == "github.ref_type" && (*value == "tag" || *value == "branch")) {
      return Requirement{"github.ref", true, *value == "tag" ? "refs/tags/" : "refs/heads/", true};
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<Requirement> requirements(std::string_view condition) {
  auto s = text::trim(condition);
  if (s.size() >= 5 && s.substr(0, 3) == "${{" && s.substr(s.size() - 2) == "}}") {
    s = text::trim(s.substr(3, s.size() - 5));
  }
  std::vector<Requirement> out;
  if (s.size() > k_max_condition || split_top(s, "||").size() != 1) {
    return out;
  }
  for (const auto part : split_top(s, "&&")) {
    auto r = comparison(part);
    if (r && std::find(out.begin(), out.end(), *r) == out.end() && out.size() < k_max_requirements) {
      out.push_back(std::move(*r));
    }
  }
  return out;
}

bool exclusive(const std::vector<Requirement>& a, const std::vector<Requirement>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x.field != y.field) {
        continue;
      }
      const auto begins = [](const Requirement& r, const std::string& v) {
        return !r.prefix || v.rfind(r.value, 0) == 0;
      };
      if (x.prefix || y.prefix) {
        // Prefixes only constrain positively: 'refs/tags/' excludes 'refs/heads/main' and 'refs/heads/'.
        if (x.equal && y.equal &&
            ((x.prefix && y.prefix) ? !(begins(x, y.value) || begins(y, x.value))
                                    : (x.prefix ? !begins(x, y.value) : !begins(y, x.value)))) {
          return true;
        }
        continue;
      }
      if ((x.equal && y.equal && x.value != y.value) || (x.equal != y.equal && x.value == y.value)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace shipgate::lint
