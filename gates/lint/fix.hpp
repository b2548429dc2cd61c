#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/check.hpp"
#include "core/result.hpp"

// Fixes (`shipgate-lint --fix`, `--diff`): edits to a file's text as read, applied all at once,
// shown as a unified diff or written in place of the file, atomically.

namespace shipgate::lint {

/// The line ending of the first line of `text` ("\r\n" or "\n"): pass the text from a line's
/// start for that line's ending (a file may mix them).
std::string_view line_ending(std::string_view text);

/// The offset where the line holding `offset` starts.
std::size_t line_start(std::string_view text, std::size_t offset);

/// The offset just past the end of the line holding `offset`, its line ending included.
std::size_t line_end(std::string_view text, std::size_t offset);

/// Whether only spaces come before `offset` on its line (a key that starts its line).
bool starts_line(std::string_view text, std::size_t offset);

/// Whether a flow collection opens (`{` or `[`) in text[from, to), comments left out: the YAML
/// between a node and its first key is written in flow style, where a block line cannot go.
bool flow_between(std::string_view text, std::size_t from, std::size_t to);

/// `edits` applied to `text`: nullopt when two overlap or one runs past the end (a fix that
/// would have to guess is not applied). Edits at the same offset apply in the order given.
std::optional<std::string> apply_edits(std::string_view text, std::vector<Edit> edits);

/// The edits of the fixes taken for one file: a fix is taken whole or not at all, and not when
/// one of its edits overlaps an edit taken before (an insertion inside or at the start of a
/// replaced range counts) or runs past the end of the text. An edit equal to one taken before is
/// made once (two findings asking for the same change). Each add is O(log n) per edit.
class EditSet {
public:
  explicit EditSet(std::size_t text_size) : m_size(text_size) {}
  /// Whether `fix` was taken (or was already there whole).
  bool add(const std::vector<Edit>& fix);
  const std::vector<Edit>& edits() const { return m_edits; }

private:
  bool conflicts(const Edit& e) const;
  std::size_t m_size;
  std::vector<Edit> m_edits;
  std::set<std::pair<std::size_t, std::size_t>> m_ranges;  // [offset, end) of every edit taken
  std::set<std::tuple<std::size_t, std::size_t, std::string>> m_taken;
};

/// A unified diff (`--- a/PATH`, `+++ b/PATH`, hunks with three lines of context) of what
/// `edits` change in `before`; linear in the text and the edits. "" when they change nothing.
std::string unified_diff(const std::string& path, std::string_view before, std::vector<Edit> edits);

/// Replaces the file at `path` with `text`, atomically (a temporary file in the same directory,
/// the old file's permissions, then a rename), when it still holds `expected`: a file changed
/// since it was read, a symbolic link, a file that is not writable, or one outside `root` is left
/// as it is, with an error saying why.
Result<bool> replace_file(const std::string& path, const std::string& root, std::string_view expected,
                          std::string_view text);

}  // namespace shipgate::lint
