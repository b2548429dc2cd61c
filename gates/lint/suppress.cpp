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

/// Where quoted and block scalar values lie in the text, each span found once, so that a `#`
/// inside one is known not to be a comment with one binary search.
class ValueSpans {
public:
  ValueSpans(std::string_view text, const yaml::Document& doc) : m_text(text) {
    std::vector<std::size_t> starts;
    std::vector<std::pair<std::size_t, char>> styled;
    for (std::size_t id = 0; id < doc.size(); ++id) {
      const auto& node = doc.at(static_cast<yaml::NodeId>(id));
      starts.push_back(node.pos.offset);
      if (node.is_scalar() && node.style != 0) {
        styled.emplace_back(yaml::skip_properties(text, node.pos.offset), node.style);
      }
    }
    std::sort(starts.begin(), starts.end());
    std::sort(styled.begin(), styled.end());
    for (const auto& [start, style] : styled) {
      if (start >= text.size()) {
        continue;
      }
      if (style == '"' || style == '\'') {
        m_spans.push_back({start, std::min(yaml::closing_quote(text, start), text.size()), 0});
      } else {
        const auto next = std::upper_bound(starts.begin(), starts.end(), start);
        add_block(start, next == starts.end() ? text.size() : *next);
      }
    }
  }

  /// Whether the `#` at `offset` is inside a quoted or block scalar.
  bool inside_value(std::size_t offset) const {
    auto it = std::upper_bound(m_spans.begin(), m_spans.end(), offset,
                               [](std::size_t o, const Span& s) { return o < s.start; });
    if (it == m_spans.begin()) {
      return false;
    }
    const auto& span = *--it;
    if (offset >= span.end) {
      return false;
    }
    if (span.indent == 0) {
      return true;  // inside quotes
    }
    // A block's content is its lines indented at least as far as its first non-empty line; a less
    // indented line (a comment among them) ends it.
    const auto line_start = m_text.rfind('\n', offset) + 1;
    return m_text.find_first_not_of(' ', line_start) - line_start >= span.indent;
  }

private:
  struct Span {
    std::size_t start;
    std::size_t end;
    std::size_t indent;  // 0 for quoted scalars
  };

  /// A block scalar from the line after its indicator up to the next node; its content indent
  /// is the explicit indicator's (`|2`, relative to the parent's) or its first non-empty line's.
  void add_block(std::size_t indicator, std::size_t next) {
    const auto first_line = m_text.find('\n', indicator);
    if (first_line == std::string_view::npos || first_line >= next) {
      return;
    }
    std::size_t indent = 0;
    const auto header_end = m_text.find_first_of(" #\n", indicator);
    for (std::size_t i = indicator + 1; i < header_end; ++i) {
      if (m_text[i] >= '1' && m_text[i] <= '9') {
        const auto parent_start = m_text.rfind('\n', indicator) + 1;
        indent = m_text.find_first_not_of(' ', parent_start) - parent_start + static_cast<std::size_t>(m_text[i] - '0');
      }
    }
    for (std::size_t line = first_line + 1; indent == 0 && line < next;) {
      const auto first = m_text.find_first_not_of(' ', line);
      if (first == std::string_view::npos) {
        break;
      }
      if (m_text[first] != '\n' && m_text[first] != '\r') {
        indent = first - line;
        break;
      }
      line = first + 1;
    }
    if (indent > 0) {
      m_spans.push_back({first_line + 1, next, indent});
    }
  }

  std::string_view m_text;
  std::vector<Span> m_spans;  // sorted by start; scalars never overlap
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
        m_by_line[line].push_back(m_directives.size());
        if (alone) {
          m_by_line[line + 1].push_back(m_directives.size());
        }
        m_directives.push_back({line, static_cast<int>(hash - line_start) + 1, id});
      }
    }
    line_start = end + 1;
  }
}

bool InlineSuppressions::covers(const Check& finding) const {
  const auto at_line = [this, &finding](int line) {
    const auto it = m_by_line.find(line);
    if (it == m_by_line.end()) {
      return false;
    }
    for (const auto index : it->second) {
      if (m_directives[index].rule == finding.name) {
        m_directives[index].used = true;
        return true;
      }
    }
    return false;
  };
  if (at_line(finding.where.line)) {
    return true;
  }
  return std::any_of(finding.also_at.begin(), finding.also_at.end(),
                     [&](const Location& other) { return other.file == finding.where.file && at_line(other.line); });
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
