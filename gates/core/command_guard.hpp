#pragma once

#include <streambuf>
#include <string_view>

// The Actions runner reads a workflow command in two forms: `::command::value` at a line's start
// after any leading whitespace, and its older `##[command]value` anywhere in a line. Every value a
// gate prints is one line and starts none, but some output shows other text after an indent (a
// diff's context lines are a workflow's own lines after a space). Inside Actions, a gate's stdout
// and stderr pass through a guard that puts a zero-width space (U+200B, not whitespace to the
// runner) between `##` and `[`, and before a `:` that follows only whitespace at a line's start,
// so nothing a gate prints (a file name, a step's text, a server's answer) forms a command. The
// gates' own commands start at column 0 and are left alone.

namespace shipgate {

/// A stream buffer that forwards to another, breaking every `##[` and every indented `:` that
/// starts a line's text (also across writes).
class CommandGuard final : public std::streambuf {
public:
  explicit CommandGuard(std::streambuf* to) : m_to(to) {}

protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      return traits_type::not_eof(c);
    }
    const char ch = traits_type::to_char_type(c);
    return put(std::string_view(&ch, 1)) ? c : traits_type::eof();
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    return put(std::string_view(s, static_cast<std::size_t>(n))) ? n : 0;
  }
  int sync() override { return m_to->pubsync(); }

private:
  bool put(std::string_view s) {
    static constexpr std::string_view k_break = "\xE2\x80\x8B";  // U+200B ZERO WIDTH SPACE
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      // Leading whitespace as the runner trims it: ASCII blanks, and any non-ASCII character
      // (some are Unicode spaces; the check errs towards breaking).
      const bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c >= 0x80;
      if ((c == '[' && m_hashes >= 2) || (c == ':' && m_lead == Lead::blank)) {
        if (!write(s.substr(from, i - from)) || !write(k_break)) {
          return false;
        }
        from = i;
      }
      m_hashes = c == '#' ? m_hashes + 1 : 0;
      m_lead = c == '\n' ? Lead::start : (m_lead != Lead::text && blank) ? Lead::blank : Lead::text;
    }
    return write(s.substr(from));
  }
  bool write(std::string_view s) {
    return s.empty() ||
           m_to->sputn(s.data(), static_cast<std::streamsize>(s.size())) == static_cast<std::streamsize>(s.size());
  }

  std::streambuf* m_to;
  enum class Lead { start, blank, text };
  std::size_t m_hashes = 0;   // how many '#' the output ends with
  Lead m_lead = Lead::start;  // where the current line is: at its start, in its indent, past it
};

}  // namespace shipgate
