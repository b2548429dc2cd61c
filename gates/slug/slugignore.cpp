#include "slug/slugignore.hpp"

#include <cstdio>

#include <re2/re2.h>
#include <re2/set.h>

namespace shipgate::slug {

namespace {

bool is_word(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/// One byte as an RE2 literal (Latin-1): letters and digits as they are, anything else as \xHH,
/// so no byte of a pattern can be RE2 syntax.
void literal(std::string& out, unsigned char c) {
  if (is_word(c)) {
    out += static_cast<char>(c);
    return;
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  out += "\\x";
  out += k_hex[c >> 4];
  out += k_hex[c & 15];
}

/// `[...]` starting at `i` (the `[`) as an RE2 class that never matches `/`; returns the index
/// after the `]`, or `i` when the bracket does not close (then it is a literal `[`).
std::size_t bracket(std::string_view p, std::size_t i, std::string& out) {
  std::size_t j = i + 1;
  const bool negated = j < p.size() && (p[j] == '!' || p[j] == '^');
  if (negated) {
    ++j;
  }
  const std::size_t body = j;
  if (j < p.size() && p[j] == ']') {
    ++j;  // a `]` first is a member
  }
  while (j < p.size() && p[j] != ']') {
    j += p[j] == '\\' && j + 1 < p.size() ? std::size_t{2} : std::size_t{1};
  }
  if (j >= p.size()) {
    return i;
  }
  std::string cls = negated ? "[^/" : "[";
  bool any = false;
  for (std::size_t k = body; k < j; ++k) {
    unsigned char c = static_cast<unsigned char>(p[k]);
    if (c == '\\' && k + 1 < j) {
      c = static_cast<unsigned char>(p[++k]);
    }
    if (c == '/') {
      continue;  // a path segment never holds one
    }
    if (k + 2 < j && p[k + 1] == '-') {
      const auto hi = static_cast<unsigned char>(p[k + 2]);
      if (hi < c) {
        return std::string::npos;  // an empty range: the whole pattern matches nothing
      }
      literal(cls, c);
      cls += '-';
      literal(cls, hi);
      k += 2;
    } else {
      literal(cls, c);
    }
    any = true;
  }
  if (!any && !negated) {
    return std::string::npos;
  }
  out += cls + "]";
  return j + 1;
}

}  // namespace

std::string glob_to_regex(std::string_view p, bool anchored) {
  std::string out = anchored ? "" : "(?:.*/)?";
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '*' && i + 1 < p.size() && p[i + 1] == '*') {
      const bool starts_segment = i == 0 || p[i - 1] == '/';
      const bool ends_segment = i + 2 == p.size() || p[i + 2] == '/';
      if (starts_segment && ends_segment) {
        if (i + 2 == p.size()) {
          out += ".*";  // `dir/**`: everything below (and `**` alone: everything)
          i += 2;
        } else {
          out += "(?:.*/)?";  // `**/`: any number of directories, none included
          i += 3;
        }
        continue;
      }
      while (i < p.size() && p[i] == '*') {
        ++i;
      }
      out += "[^/]*";
      continue;
    }
    if (c == '*') {
      out += "[^/]*";
      ++i;
    } else if (c == '?') {
      out += "[^/]";
      ++i;
    } else if (c == '[') {
      const auto next = bracket(p, i, out);
      if (next == std::string::npos) {
        return {};
      }
      if (next == i) {
        literal(out, '[');
        ++i;
      } else {
        i = next;
      }
    } else if (c == '\\' && i + 1 < p.size()) {
      literal(out, static_cast<unsigned char>(p[i + 1]));
      i += 2;
    } else {
      literal(out, static_cast<unsigned char>(c));
      ++i;
    }
  }
  return out;
}

struct SlugIgnore::Sets {
  static RE2::Options options() {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingLatin1);
    o.set_dot_nl(true);
    o.set_never_capture(true);
    o.set_log_errors(false);
    o.set_max_mem(std::int64_t{256} << 20);
    return o;
  }
  Sets() : any(options(), RE2::ANCHOR_BOTH), dirs(options(), RE2::ANCHOR_BOTH) {}
  RE2::Set any;   // files and directories
  RE2::Set dirs;  // directories only (a trailing `/`)
  std::vector<std::unique_ptr<RE2>> any_each;
  std::vector<std::unique_ptr<RE2>> dirs_each;
  bool any_used = false;
  bool dirs_used = false;

  static bool match(const RE2::Set& set, const std::vector<std::unique_ptr<RE2>>& each, std::string_view path) {
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{};
    if (set.Match(path, &hits, &info)) {
      return true;
    }
    if (info.kind == RE2::Set::kNoError) {
      return false;
    }
    // The DFA ran out of memory on a huge pattern list: the same answer, one pattern at a time.
    for (const auto& re : each) {
      if (RE2::FullMatch(path, *re)) {
        return true;
      }
    }
    return false;
  }
};

SlugIgnore::SlugIgnore() : m_sets(std::make_unique<Sets>()) {}
SlugIgnore::~SlugIgnore() = default;
SlugIgnore::SlugIgnore(SlugIgnore&&) noexcept = default;
SlugIgnore& SlugIgnore::operator=(SlugIgnore&&) noexcept = default;

SlugIgnore SlugIgnore::parse(std::string_view text) {
  SlugIgnore out;
  auto& sets = *out.m_sets;
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    auto line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    // Trailing spaces and tabs go (gitignore keeps an escaped one: `\ `).
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t') &&
           !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.front() == '!') {
      out.m_notes.push_back({number, "Heroku's .slugignore has no '!': this line keeps nothing and removes nothing"});
      continue;
    }
    bool dir_only = false;
    while (!line.empty() && line.back() == '/') {
      line.remove_suffix(1);
      dir_only = true;
    }
    bool anchored = false;
    while (!line.empty() && line.front() == '/') {
      line.remove_prefix(1);
      anchored = true;
    }
    anchored = anchored || line.find('/') != std::string_view::npos;
    if (line.empty()) {
      out.m_notes.push_back({number, "a pattern of slashes alone matches nothing"});
      continue;
    }
    if (out.m_patterns == k_max_patterns) {
      out.m_too_many_at = number;
      break;
    }
    const auto regex = glob_to_regex(line, anchored);
    auto& set = dir_only ? sets.dirs : sets.any;
    if (regex.empty() || set.Add(regex, nullptr) < 0) {
      out.m_notes.push_back({number, "this pattern can match no path (an empty or reversed [range])"});
      continue;
    }
    (dir_only ? sets.dirs_each : sets.any_each).push_back(std::make_unique<RE2>(regex, Sets::options()));
    (dir_only ? sets.dirs_used : sets.any_used) = true;
    ++out.m_patterns;
  }
  if (sets.any_used && !sets.any.Compile()) {
    sets.any_used = false;
    out.m_notes.push_back({0, "the patterns are too many to compile; none was applied"});
  }
  if (sets.dirs_used && !sets.dirs.Compile()) {
    sets.dirs_used = false;
    out.m_notes.push_back({0, "the directory patterns are too many to compile; none was applied"});
  }
  return out;
}

bool SlugIgnore::ignored(std::string_view path, bool dir) const {
  const auto& sets = *m_sets;
  if (sets.any_used && Sets::match(sets.any, sets.any_each, path)) {
    return true;
  }
  return dir && sets.dirs_used && Sets::match(sets.dirs, sets.dirs_each, path);
}

}  // namespace shipgate::slug
