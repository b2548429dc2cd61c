#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/check.hpp"
#include "core/yaml.hpp"

namespace shipgate::lint {

/// Inline suppressions of one file: `# shipgate: ignore[rule-id, other-id] reason` silences those
/// rules on its own line and, when the comment stands alone on its line, on the next line too.
/// Only a real YAML comment counts: the same text inside a quoted string or a block scalar (a
/// `run:` script) is a value, never a directive.
class InlineSuppressions {
public:
  /// `doc` is `text` parsed (it names the file in errors). An id that is not one of `rule_ids`
  /// is an error (with "did you mean"), collected in `errors`.
  InlineSuppressions(std::string_view text, const yaml::Document& doc, const std::vector<std::string>& rule_ids,
                     std::vector<Error>& errors);
  /// Whether a directive covers the finding; a directive that does is marked used.
  bool covers(const Check& finding) const;

  /// One rule id of one directive: where it is written, and whether it covered anything.
  struct Directive {
    int line = 0;
    int column = 0;
    std::string rule;
    mutable bool used = false;
  };
  const std::vector<Directive>& directives() const { return m_directives; }

private:
  std::vector<Directive> m_directives;
  std::map<int, std::vector<std::size_t>> m_by_line;  // line -> directives that cover it
};

/// A config `ignore` entry: a rule id and/or a `file[:line[:col]]` place; empty parts match all.
/// `file` is compared as a canonical path, so `./x.yml` and `x.yml` name the same file.
struct IgnoreEntry {
  std::string rule;
  std::string file;
  int line = 0;
  int column = 0;

  /// `canonical_file` is the finding's file as paths::canonical() gives it.
  bool covers(const Check& finding, const std::string& canonical_file) const;
};

/// Parses "path", "path:12" or "path:12:5" into an IgnoreEntry's place.
IgnoreEntry parse_ignore_place(std::string rule, std::string_view place);

}  // namespace shipgate::lint
