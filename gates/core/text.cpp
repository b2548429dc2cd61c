#include "core/text.hpp"

#include "core/secrets.hpp"

#include <algorithm>
#include <cstdint>

namespace shipgate::text {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&lower](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

namespace {

/// Length of the JavaScript white-space character at the start of `s`, or 0.
std::size_t js_space_at(std::string_view s) {
  static constexpr std::string_view k_multibyte[] = {
      "\xC2\xA0",     "\xEF\xBB\xBF", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",
      "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  if (!s.empty() && std::string_view(" \t\n\v\f\r").find(s.front()) != std::string_view::npos) {
    return 1;
  }
  for (const auto space : k_multibyte) {
    if (s.substr(0, space.size()) == space) {
      return space.size();
    }
  }
  return 0;
}

}  // namespace

std::string_view trim_js(std::string_view s) {
  for (auto n = js_space_at(s); n > 0; n = js_space_at(s)) {
    s.remove_prefix(n);
  }
  for (bool trimmed = true; trimmed && !s.empty();) {
    trimmed = false;
    for (std::size_t n = 1; n <= 3 && n <= s.size(); ++n) {
      if (js_space_at(s.substr(s.size() - n)) == n) {
        s.remove_suffix(n);
        trimmed = true;
        break;
      }
    }
  }
  return s;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto at = s.find(separator, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) {
      return parts;
    }
    start = at + 1;
  }
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto end = s.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < s.size()) {
        lines.push_back(s.substr(start));
      }
      break;
    }
    auto line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + len > s.size()) {
      return i;
    }
    std::uint32_t cp = c & (0xFFu >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<std::uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return i;
      }
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

int line_of_offset(std::string_view s, std::size_t pos) {
  pos = std::min(pos, s.size());
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  if (word.size() > k_max_guess_length) {
    return best;  // no name is that long; comparing it would cost length x length per candidate
  }
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  const auto lowered = to_lower(word);
  for (const auto& candidate : candidates) {
    const auto gap = candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (gap >= best_distance) {
      continue;  // the edit distance is at least the difference in length
    }
    const auto d = edit_distance(lowered, to_lower(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

static std::string one_line_raw(std::string_view s) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += k_hex[u >> 4];
      out += k_hex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> unknown_name(std::string_view kind, std::string_view word,
                                        const std::vector<std::string>& known, std::string_view context) {
  if (std::find(known.begin(), known.end(), word) != known.end()) {
    return std::nullopt;
  }
  std::string message = "unknown " + std::string(kind) + " '" + shorten(word) + "'" + std::string(context);
  if (const auto guess = did_you_mean(word, known)) {
    message += "; did you mean '" + *guess + "'?";
  }
  return message;
}

static std::string markdown_raw(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        if (std::string_view("\\`*_[]()|~").find(c) != std::string_view::npos) {
          out += '\\';
          out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += one_line(std::string_view(&c, 1));
        } else {
          out += c;
        }
    }
  }
  return out;
}

static std::string shorten_raw(std::string_view s, std::size_t max) {
  if (s.size() <= max) {
    return std::string(s);
  }
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;  // never split a UTF-8 sequence
  }
  return std::string(s.substr(0, cut)) + "...";
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += parts[i];
  }
  return out;
}

/// `s` with the running gate's secrets taken out (ActiveSecrets), before it is cut or escaped.
template <class Transform>
static std::string clean(std::string_view s, Transform transform) {
  const auto* secrets = ActiveSecrets::current();
  if (secrets == nullptr || secrets->values().empty()) {
    return transform(s);
  }
  return transform(secrets->scrub(s));
}

std::string one_line(std::string_view s) { return clean(s, one_line_raw); }

std::string markdown(std::string_view s) { return clean(s, markdown_raw); }

std::string shorten(std::string_view s, std::size_t max) {
  return clean(s, [max](std::string_view t) { return shorten_raw(t, max); });
}

std::string without_userinfo(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  for (auto scheme = text.find("://"); scheme != std::string_view::npos; scheme = text.find("://", scheme + 3)) {
    // The authority ends at its path, query or fragment, or where the URL ends in a message.
    const auto host = scheme + 3;
    const auto end = std::min(text.find_first_of("/?#'\"<> \t\r\n", host), text.size());
    const auto at = text.substr(host, end - host).rfind('@');
    if (at != std::string_view::npos) {
      out.append(text.substr(copied, host - copied));
      copied = host + at + 1;
    }
  }
  return out.append(text.substr(copied));
}

}  // namespace shipgate::text
