#include "lint/suppress.hpp"

#include <algorithm>

#include <re2/re2.h>

#include "core/text.hpp"

namespace shipgate::lint {

namespace {

const RE2& directive() {
  static const RE2 k_directive = [] {
    RE2::Options options;
    options.set_log_errors(false);
    return RE2(R"((#\s*shipgate:\s*ignore\[)([A-Za-z0-9_,\s-]+)\])", options);
  }();
  return k_directive;
}

/// Where scalar values lie in the text, so that a `#` inside one is known not to be a comment.
class ValueSpans {
public:
  ValueSpans(std::string_view text, const yaml::Document& doc) : m_text(text) {
    for (std::size_t id = 0; id < doc.size(); ++id) {
      const auto& node = doc.at(static_cast<yaml::NodeId>(id));
      m_starts.push_back(node.pos.offset);
      if (node.is_scalar() && !node.plain && node.pos.offset < text.size()) {
        m_styled.push_back(node.pos.offset);
      }
    }
    std::sort(m_starts.begin(), m_starts.end());
    std::sort(m_styled.begin(), m_styled.end());
  }

  /// Whether the `#` at `offset` is inside a quoted or block scalar.
  bool inside_value(std::size_t offset) const {
    auto it = std::upper_bound(m_styled.begin(), m_styled.end(), offset);
    if (it == m_styled.begin()) {
      return false;
    }
    const std::size_t start = *--it;
    const char style = m_text[start];
    if (style == '"' || style == '\'') {
      return offset < quoted_end(start, style);
    }
    if (style == '|' || style == '>') {
      return in_block(start, offset);
    }
    return false;
  }

private:
  std::size_t quoted_end(std::size_t start, char quote) const {
    for (std::size_t i = start + 1; i < m_text.size(); ++i) {
      if (quote == '"' && m_text[i] == '\\') {
        ++i;
      } else if (m_text[i] == quote) {
        if (quote == '\'' && i + 1 < m_text.size() && m_text[i + 1] == '\'') {
          ++i;
          continue;
        }
        return i;
      }
    }
    return m_text.size();
  }

  /// A block scalar's content is the lines after its indicator that are indented at least as
  /// far as its first non-empty line, up to the next node; a less indented line (a comment
  /// among them) ends it.
  bool in_block(std::size_t indicator, std::size_t offset) const {
    const auto next = std::upper_bound(m_starts.begin(), m_starts.end(), indicator);
    if (next != m_starts.end() && offset >= *next) {
      return false;
    }
    const auto first_line = m_text.find('\n', indicator);
    if (first_line == std::string_view::npos || offset <= first_line) {
      return false;  // on the indicator's own line: `run: | # comment`
    }
    std::size_t content_indent = 0;
    for (std::size_t line = first_line + 1; line < m_text.size();) {
      const auto indent = m_text.find_first_not_of(' ', line) - line;
      const auto end = m_text.find('\n', line);
      if (line + indent < m_text.size() && m_text[line + indent] != '\n' && m_text[line + indent] != '\r') {
        content_indent = indent;
        break;
      }
      line = end == std::string_view::npos ? m_text.size() : end + 1;
    }
    const auto line_start = m_text.rfind('\n', offset) + 1;
    const auto indent = m_text.find_first_not_of(' ', line_start) - line_start;
    return content_indent > 0 && indent >= content_indent;
  }

  std::string_view m_text;
  std::vector<std::size_t> m_starts;
  std::vector<std::size_t> m_styled;
};

}  // namespace

InlineSuppressions::InlineSuppressions(std::string_view text, const yaml::Document& doc,
                                       const std::vector<std::string>& rule_ids, std::vector<Error>& errors) {
  if (text.find("shipgate:") == std::string_view::npos) {
    return;  // the common case: nothing to look for
  }
  const ValueSpans spans(text, doc);
  std::size_t line_start = 0;
  for (int line = 1; line_start <= text.size(); ++line) {
    const auto end = std::min(text.find('\n', line_start), text.size());
    const auto line_text = text.substr(line_start, end - line_start);
    re2::StringPiece input(line_text.data(), line_text.size());
    re2::StringPiece head;
    std::string ids;
    while (RE2::FindAndConsume(&input, directive(), &head, &ids)) {
      const auto hash = static_cast<std::size_t>(head.data() - text.data());
      const bool comment =
          (hash == line_start || text[hash - 1] == ' ' || text[hash - 1] == '\t') && !spans.inside_value(hash);
      if (!comment) {
        continue;
      }
      const bool alone = text::trim(line_text.substr(0, hash - line_start)).empty();
      for (const auto& part : text::split(ids, ',')) {
        const auto id = std::string(text::trim(part));
        if (id.empty()) {
          continue;
        }
        if (auto message = text::unknown_name("rule", id, rule_ids, " in a `shipgate: ignore` comment")) {
          errors.push_back({std::move(*message), {doc.file(), line, static_cast<int>(hash - line_start) + 1}, {}});
          continue;
        }
        m_by_line[line].push_back(id);
        if (alone) {
          m_by_line[line + 1].push_back(id);
        }
      }
    }
    line_start = end + 1;
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
