#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shipgate::text {

/// ASCII lower-case copy (GitHub compares environment and input names this way).
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
/// `s` without the white space JavaScript's String.prototype.trim removes (ASCII white space,
/// NBSP, BOM, the Unicode space separators, line and paragraph separators): how an action's
/// `core.getInput` reads an input.
std::string_view trim_js(std::string_view s);
std::vector<std::string_view> split_lines(std::string_view s);
/// The parts of `s` between `separator`s (an empty `s` gives one empty part).
std::vector<std::string_view> split(std::string_view s, char separator);

/// Byte offset of the first invalid UTF-8 sequence, or nullopt when the text is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view s);

/// 1-based line number of byte offset `pos` in `s`.
int line_of_offset(std::string_view s, std::size_t pos);

/// Names longer than this get no "did you mean" (no flag, key, rule or environment is that long).
inline constexpr std::size_t k_max_guess_length = 256;

/// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
/// Linear in the candidates: a word longer than k_max_guess_length gets no guess, and a
/// candidate whose length alone rules it out is not compared.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// shorten, one_line and markdown first take out the running gate's secrets (ActiveSecrets), so
/// no part of a secret survives a cut or an escape.

/// `s` cut to at most `max` bytes (on a UTF-8 boundary) with "..." appended when it was longer:
/// for echoing input in one short line.
std::string shorten(std::string_view s, std::size_t max = 80);

/// `s` with CR, LF and other control characters shown as escapes (\n, \r, \x1b), so a value
/// taken from input can never break a line of output or carry terminal escapes.
std::string one_line(std::string_view s);

/// nullopt when `word` is one of `known`; otherwise "unknown KIND 'word'CONTEXT", followed by
/// "; did you mean 'x'?" when a known name is close: the one wording of every unknown-name error.
std::optional<std::string> unknown_name(std::string_view kind, std::string_view word,
                                        const std::vector<std::string>& known, std::string_view context = {});

/// `s` safe inside Markdown text and table cells (never at the start of a line): inline Markdown
/// punctuation is backslash-escaped,
/// `<`, `>` and `&` become entities (no HTML reaches the page), line breaks become `<br>` and
/// other control characters are shown as escapes, so input can neither format nor break a line.
std::string markdown(std::string_view s);

/// "1 file", "2 files": a count with its noun, plural by adding "s".
std::string plural(std::size_t n, std::string_view word);

/// The parts joined with `separator` ("a, b, c").
std::string join(const std::vector<std::string>& parts, std::string_view separator);

/// `text` with the user:password@ taken out of every URL in it: how every gate shows a URL, and
/// what every error message passes through.
std::string without_userinfo(std::string_view text);

}  // namespace shipgate::text
