#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
class Set;
}  // namespace re2

namespace shipgate::slug {

/// A line of `.slugignore` that does not do what it seems to (PLATFORM-FACTS.md: Heroku reads
/// the file "roughly" as .gitignore, without `!`).
struct IgnoreNote {
  int line = 0;
  std::string message;
};

/// The patterns of one `.slugignore`, matched the way Heroku applies them to the pushed tree:
/// blank lines and `#` comments skipped; `*`, `?` and `[...]` within one path segment, `**`
/// across segments; a pattern with a `/` (other than a trailing one) is anchored at the app's
/// root, one without matches a name at any depth; a trailing `/` matches directories only; a
/// matched directory takes everything under it. A `!` line negates nothing: it is noted and
/// skipped. Matching is linear in the path (RE2), whatever the patterns.
class SlugIgnore {
public:
  /// Patterns read from one file at most; a file with more is refused (real ones hold a few dozen).
  static constexpr std::size_t k_max_patterns = 10'000;

  SlugIgnore();
  ~SlugIgnore();
  SlugIgnore(SlugIgnore&&) noexcept;
  SlugIgnore& operator=(SlugIgnore&&) noexcept;

  /// Reads the file's text (any bytes; lines end at LF, a CR before it is dropped).
  static SlugIgnore parse(std::string_view text);

  /// Whether `path` (relative to the app root, `/`-separated, no leading `/`) is removed; `dir`
  /// says whether it names a directory. Its parent directories are not looked at: a walk asks
  /// for each directory before going into it.
  bool ignored(std::string_view path, bool dir) const;

  bool empty() const { return m_patterns == 0; }
  std::size_t patterns() const { return m_patterns; }
  const std::vector<IgnoreNote>& notes() const { return m_notes; }
  /// The line of the pattern past k_max_patterns, or 0 when every pattern was read.
  int too_many_at() const { return m_too_many_at; }

private:
  struct Sets;
  std::unique_ptr<Sets> m_sets;
  std::size_t m_patterns = 0;
  std::vector<IgnoreNote> m_notes;
  int m_too_many_at = 0;
};

/// The RE2 pattern (Latin-1, whole-path) for one `.slugignore` pattern, without its trailing
/// `/`; "" when the pattern can match nothing. Exposed for tests.
std::string glob_to_regex(std::string_view pattern, bool anchored);

}  // namespace shipgate::slug
