#include "lint/fix.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/paths.hpp"
#include "core/text.hpp"

namespace shipgate::lint {

namespace {

constexpr std::size_t k_context = 3;

bool by_offset(const Edit& a, const Edit& b) { return a.offset < b.offset; }

/// The offsets where each line starts (a last line without an ending counts too).
std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts = {0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) {
      starts.push_back(i + 1);
    }
  }
  return starts;
}

/// The 0-based line holding `offset`.
std::size_t line_of(const std::vector<std::size_t>& starts, std::size_t offset) {
  return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
}

/// Splits `text` into lines, each with its ending.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const auto stop = end == std::string_view::npos ? text.size() : end + 1;
    out.push_back(text.substr(start, stop - start));
    start = stop;
  }
  return out;
}

void put_line(std::ostringstream& out, char mark, std::string_view line) {
  out << mark << line;
  if (line.empty() || line.back() != '\n') {
    out << "\n\\ No newline at end of file\n";
  }
}

std::string errno_text() { return std::strerror(errno); }

Result<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{"cannot read it again: " + errno_text(), {path, 0, 0}, {}};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string_view line_ending(std::string_view text) {
  const auto end = text.find('\n');
  return end != std::string_view::npos && end > 0 && text[end - 1] == '\r' ? "\r\n" : "\n";
}

std::size_t line_start(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}

std::size_t line_end(std::string_view text, std::size_t offset) {
  const auto newline = text.find('\n', std::min(offset, text.size()));
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

bool starts_line(std::string_view text, std::size_t offset) {
  const auto start = line_start(text, offset);
  return offset <= text.size() &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start),
                     text.begin() + static_cast<std::ptrdiff_t>(offset), [](char c) { return c == ' '; });
}

bool flow_between(std::string_view text, std::size_t from, std::size_t to) {
  to = std::min(to, text.size());
  for (std::size_t i = from; i < to; ++i) {
    if (text[i] == '#') {
      i = std::min(line_end(text, i), to) - 1;
    } else if (text[i] == '{' || text[i] == '[') {
      return true;
    }
  }
  return false;
}

std::optional<std::string> apply_edits(std::string_view text, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(), by_offset);
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& e : edits) {
    if (e.offset < at || e.offset > text.size() || e.length > text.size() - e.offset) {
      return std::nullopt;
    }
    out.append(text.substr(at, e.offset - at));
    out += e.text;
    at = e.offset + e.length;
  }
  out.append(text.substr(at));
  return out;
}

bool EditSet::conflicts(const Edit& e) const {
  const auto end = e.offset + e.length;
  // Ranges taken do not overlap, and no insertion lies inside a replaced range: only the range
  // just before `e.offset` and those starting in [offset, end] can meet it.
  auto it = m_ranges.lower_bound({e.offset, 0});
  if (it != m_ranges.begin()) {
    if (std::prev(it)->second > e.offset) {
      return true;  // a range that starts before e runs into it (or holds e's insertion point)
    }
  }
  for (; it != m_ranges.end() && it->first <= end; ++it) {
    const bool inserts = it->first == it->second;
    // An insertion meets a range replaced from its point; a replacement meets whatever starts
    // inside it (touching its end is fine).
    if (e.length == 0 ? !inserts : it->first < end) {
      return true;
    }
  }
  return false;
}

bool EditSet::add(const std::vector<Edit>& fix) {
  std::vector<const Edit*> fresh;
  for (const auto& e : fix) {
    if (e.offset > m_size || e.length > m_size - e.offset) {
      return false;
    }
    if (m_taken.count({e.offset, e.length, e.text}) == 0) {
      fresh.push_back(&e);
    }
  }
  // The fix's own edits must not overlap each other either.
  EditSet own(m_size);
  for (const auto* e : fresh) {
    if (conflicts(*e) || own.conflicts(*e)) {
      return false;
    }
    own.m_ranges.emplace(e->offset, e->offset + e->length);
  }
  for (const auto* e : fresh) {
    m_ranges.emplace(e->offset, e->offset + e->length);
    m_taken.emplace(e->offset, e->length, e->text);
    m_edits.push_back(*e);
  }
  return true;
}

std::string unified_diff(const std::string& path, std::string_view before, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(), by_offset);
  const auto starts = line_starts(before);
  // Groups of edits on the same or touching lines: old lines [first, last], and their new text.
  struct Group {
    std::size_t first, last;
    std::vector<std::string_view> old_lines;
    std::string new_text;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < edits.size();) {
    const auto first = line_of(starts, edits[i].offset);
    auto last = line_of(starts, edits[i].offset + (edits[i].length > 0 ? edits[i].length - 1 : 0));
    std::size_t j = i + 1;
    while (j < edits.size() && line_of(starts, edits[j].offset) <= last + 1) {
      last = std::max(last, line_of(starts, edits[j].offset + (edits[j].length > 0 ? edits[j].length - 1 : 0)));
      ++j;
    }
    const auto from = starts[first];
    const auto to = last + 1 < starts.size() ? starts[last + 1] : before.size();
    std::vector<Edit> local(edits.begin() + static_cast<std::ptrdiff_t>(i),
                            edits.begin() + static_cast<std::ptrdiff_t>(j));
    for (auto& e : local) {
      e.offset -= from;
    }
    auto changed = apply_edits(before.substr(from, to - from), std::move(local));
    if (!changed) {
      return {};
    }
    groups.push_back({first, last, lines_of(before.substr(from, to - from)), std::move(*changed)});
    i = j;
  }
  std::ostringstream out;
  bool any = false;
  long delta = 0;  // new line numbers minus old ones, before the hunk
  const auto all_lines = starts.size();
  const auto old_line = [&](std::size_t n) {
    const auto from = starts[n];
    const auto to = n + 1 < starts.size() ? starts[n + 1] : before.size();
    return before.substr(from, to - from);
  };
  for (std::size_t g = 0; g < groups.size();) {
    // One hunk: groups whose context touches, with three lines around.
    std::size_t h = g + 1;
    while (h < groups.size() && groups[h].first <= groups[h - 1].last + 2 * k_context + 1) {
      ++h;
    }
    const auto begin = groups[g].first >= k_context ? groups[g].first - k_context : 0;
    const auto end = std::min(all_lines - 1, groups[h - 1].last + k_context);
    std::ostringstream body;
    std::size_t old_count = 0;
    std::size_t new_count = 0;
    std::size_t line = begin;
    bool changed = false;
    for (std::size_t k = g; k < h; ++k) {
      for (; line < groups[k].first; ++line, ++old_count, ++new_count) {
        put_line(body, ' ', old_line(line));
      }
      const auto new_lines = lines_of(groups[k].new_text);
      if (groups[k].old_lines == new_lines) {
        continue;
      }
      changed = true;
      // Lines the edits left as they were are context (an inserted line shows as one `+`).
      const auto& old_lines = groups[k].old_lines;
      std::size_t same_front = 0;
      while (same_front < old_lines.size() && same_front < new_lines.size() &&
             old_lines[same_front] == new_lines[same_front]) {
        ++same_front;
      }
      std::size_t same_back = 0;
      while (same_back < old_lines.size() - same_front && same_back < new_lines.size() - same_front &&
             old_lines[old_lines.size() - 1 - same_back] == new_lines[new_lines.size() - 1 - same_back]) {
        ++same_back;
      }
      for (std::size_t i = 0; i < same_front; ++i, ++old_count, ++new_count) {
        put_line(body, ' ', old_lines[i]);
      }
      for (std::size_t i = same_front; i < old_lines.size() - same_back; ++i, ++old_count) {
        put_line(body, '-', old_lines[i]);
      }
      for (std::size_t i = same_front; i < new_lines.size() - same_back; ++i, ++new_count) {
        put_line(body, '+', new_lines[i]);
      }
      for (std::size_t i = old_lines.size() - same_back; i < old_lines.size(); ++i, ++old_count, ++new_count) {
        put_line(body, ' ', old_lines[i]);
      }
      line = groups[k].last + 1;
    }
    for (; line <= end && line < all_lines; ++line, ++old_count, ++new_count) {
      put_line(body, ' ', old_line(line));
    }
    if (changed) {
      if (!any) {
        // One line each, whatever the name holds; a tab ends a name with spaces, as patch reads it.
        const auto name = text::one_line(path);
        const auto* tail = name.find_first_of(" \t") != std::string::npos ? "\t" : "";
        out << "--- a/" << name << tail << "\n+++ b/" << name << tail << '\n';
        any = true;
      }
      const auto new_begin = static_cast<long>(begin) + delta;
      out << "@@ -" << (old_count == 0 ? begin : begin + 1) << ',' << old_count << " +"
          << (new_count == 0 ? new_begin : new_begin + 1) << ',' << new_count << " @@\n"
          << body.str();
    }
    delta += static_cast<long>(new_count) - static_cast<long>(old_count);
    g = h;
  }
  return out.str();
}

Result<bool> replace_file(const std::string& path, const std::string& root, std::string_view expected,
                          std::string_view text) {
  namespace fs = std::filesystem;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return Error{"not fixed: " + errno_text(), {path, 0, 0}, {}};
  }
  if (S_ISLNK(st.st_mode)) {
    return Error{"not fixed: it is a symbolic link (fix the file it points to)", {path, 0, 0}, {}};
  }
  if (!S_ISREG(st.st_mode)) {
    return Error{"not fixed: not a regular file", {path, 0, 0}, {}};
  }
  const auto canonical = paths::canonical(path);
  const auto inside = fs::path(canonical).lexically_relative(paths::canonical(root));
  if (root.empty() || inside.empty() || *inside.begin() == "..") {
    return Error{"not fixed: outside the repository", {path, 0, 0}, {}};
  }
  // The mode bits, not access(): a root job may write anything, but a read-only file is meant so.
  if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(path.c_str(), W_OK) != 0) {
    return Error{"not fixed: the file is not writable", {path, 0, 0}, {}};
  }
  if (st.st_nlink > 1) {
    return Error{"not fixed: the file has other hard links, which a rewrite would part from it", {path, 0, 0}, {}};
  }
  const auto now = read_all(path);
  if (!now) {
    return now.error();
  }
  // A byte-order mark is not part of the text as read (core drops it); it is kept as it was.
  constexpr std::string_view k_bom = "\xEF\xBB\xBF";
  const bool bom = now->rfind(k_bom, 0) == 0 && expected.rfind(k_bom, 0) != 0;
  const auto unchanged = [&](const std::string& current) {
    return bom ? current.size() >= 3 && std::string_view(current).substr(3) == expected : current == expected;
  };
  if (!unchanged(*now)) {
    return Error{"not fixed: the file changed since it was read; run again", {path, 0, 0}, {}};
  }
  const std::string written_text = bom ? std::string(k_bom) + std::string(text) : std::string(text);
  text = written_text;
  const auto dir = fs::path(path).parent_path();
  auto pattern = (dir / ("." + fs::path(path).filename().string() + ".shipgate-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return Error{"not fixed: cannot create a file beside it: " + errno_text(), {path, 0, 0}, {}};
  }
  const auto fail = [&](const std::string& what) -> Result<bool> {
    const auto reason = errno_text();
    ::close(fd);
    ::unlink(pattern.c_str());
    return Error{"not fixed: " + what + ": " + reason, {path, 0, 0}, {}};
  };
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail("cannot write");
    }
    written += static_cast<std::size_t>(n);
  }
  if ((::fchown(fd, st.st_uid, st.st_gid) != 0 && (st.st_uid != ::geteuid() || st.st_gid != ::getegid())) ||
      ::fchmod(fd, st.st_mode & 07777) != 0 || ::fsync(fd) != 0) {
    return fail("cannot keep its owner and permissions");
  }
  if (::close(fd) != 0) {
    ::unlink(pattern.c_str());
    return Error{"not fixed: cannot write: " + errno_text(), {path, 0, 0}, {}};
  }
  // The last look before the rename: a change in between is kept, and the fix dropped.
  const auto last = read_all(path);
  if (!last || !unchanged(*last)) {
    ::unlink(pattern.c_str());
    return Error{"not fixed: the file changed while it was being fixed; run again", {path, 0, 0}, {}};
  }
  if (::rename(pattern.c_str(), path.c_str()) != 0) {
    const auto reason = errno_text();
    ::unlink(pattern.c_str());
    return Error{"not fixed: cannot replace it: " + reason, {path, 0, 0}, {}};
  }
  // The rename is durable once the directory is synced too; a failure there loses nothing the
  // rename did not already make visible, so it is not an error.
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    static_cast<void>(::fsync(dir_fd));
    ::close(dir_fd);
  }
  return true;
}

}  // namespace shipgate::lint
