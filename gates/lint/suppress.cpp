#include "lint/suppress.hpp"

#include <re2/re2.h>

#include "core/text.hpp"

namespace shipgate::lint {

namespace {

const RE2& directive() {
  static const RE2 k_directive = [] {
    RE2::Options options;
    options.set_log_errors(false);
    return RE2(R"(#\s*shipgate:\s*ignore\[([A-Za-z0-9_,\s-]+)\])", options);
  }();
  return k_directive;
}

}  // namespace

InlineSuppressions::InlineSuppressions(std::string_view text) {
  if (text.find("shipgate:") == std::string_view::npos) {
    return;  // the common case: nothing to look for
  }
  const auto lines = text::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string ids;
    if (!RE2::PartialMatch(lines[i], directive(), &ids)) {
      continue;
    }
    const int line = static_cast<int>(i) + 1;
    const bool alone = text::trim(lines[i]).front() == '#';
    std::size_t start = 0;
    while (start <= ids.size()) {
      const auto comma = ids.find(',', start);
      const auto id = std::string(text::trim(std::string_view(ids).substr(start, comma - start)));
      if (!id.empty()) {
        m_by_line[line].push_back(id);
        if (alone) {
          m_by_line[line + 1].push_back(id);
        }
      }
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
  }
}

bool InlineSuppressions::covers(const Check& finding) const {
  const auto it = m_by_line.find(finding.where.line);
  if (it == m_by_line.end()) {
    return false;
  }
  for (const auto& id : it->second) {
    if (id == finding.name) {
      return true;
    }
  }
  return false;
}

bool IgnoreEntry::covers(const Check& finding, const std::string& canonical_file) const {
  if (!rule.empty() && rule != finding.name) {
    return false;
  }
  if (!file.empty() && file != canonical_file) {
    return false;
  }
  if (line > 0 && line != finding.where.line) {
    return false;
  }
  return column <= 0 || column == finding.where.column;
}

IgnoreEntry parse_ignore_place(std::string rule, std::string_view place) {
  IgnoreEntry entry{std::move(rule), std::string(place), 0, 0};
  auto take_number = [&entry]() -> int {
    const auto colon = entry.file.rfind(':');
    if (colon == std::string::npos || colon + 1 == entry.file.size()) {
      return 0;
    }
    const auto digits = entry.file.substr(colon + 1);
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) {
      return 0;
    }
    entry.file.resize(colon);
    return std::stoi(digits);
  };
  const int last = take_number();
  const int before = last > 0 ? take_number() : 0;
  if (before > 0) {
    entry.line = before;
    entry.column = last;
  } else {
    entry.line = last;
  }
  return entry;
}

}  // namespace shipgate::lint
