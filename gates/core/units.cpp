#include "core/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

namespace shipgate::units {

namespace {

/// A decimal number at the start of `text` (digits with at most one '.'), and its length.
std::optional<std::pair<double, std::size_t>> leading_number(std::string_view text) {
  std::size_t n = 0;
  bool dot = false;
  bool digits = false;
  while (n < text.size() && n < 32) {
    const char c = text[n];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
    ++n;
  }
  if (!digits) {
    return std::nullopt;
  }
  double value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + n, value, std::chars_format::fixed);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + n) {
    return std::nullopt;
  }
  return std::pair{value, n};
}

Error bad(std::string_view text, const std::string& what) {
  std::string shown(text.substr(0, 40));
  return Error{"'" + shown + (text.size() > 40 ? "...'" : "'") + " is not " + what, {}, {}};
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  static constexpr std::string_view k_expected = "a duration such as 90s, 5m, 1h30m or 250ms";
  struct Unit {
    std::string_view name;
    double ms;
  };
  static constexpr std::array<Unit, 4> k_units = {{{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
  if (text.empty()) {
    return bad(text, std::string(k_expected));
  }
  double total = 0;
  std::size_t next_unit = 0;  // units must come largest first, each once
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto number = leading_number(rest);
    if (!number) {
      return bad(text, std::string(k_expected));
    }
    rest.remove_prefix(number->second);
    // "ms" before "m": the longest unit name that matches.
    std::optional<std::size_t> found;
    for (std::size_t u = 0; u < k_units.size(); ++u) {
      const auto name = k_units[u].name;
      if (rest.substr(0, name.size()) == name && (!found || name.size() > k_units[*found].name.size())) {
        found = u;
      }
    }
    if (!found) {
      return bad(text, std::string(k_expected) + (rest.empty() ? " (a unit is required)" : ""));
    }
    if (*found < next_unit) {
      return bad(text, std::string(k_expected) + " (units largest first, each once)");
    }
    next_unit = *found + 1;
    rest.remove_prefix(k_units[*found].name.size());
    total += number->first * k_units[*found].ms;
  }
  if (total > 7.0 * 24 * 3'600'000) {
    return bad(text, "a duration of at most a week");
  }
  return Duration(static_cast<Duration::rep>(std::llround(total)));
}

Result<std::uint64_t> parse_size(std::string_view text) {
  static constexpr std::string_view k_expected = "a size such as 300MB, 500MiB or 4096";
  struct Unit {
    std::string_view name;
    double bytes;
  };
  static constexpr std::array<Unit, 9> k_units = {{{"B", 1},
                                                   {"kB", 1e3},
                                                   {"KB", 1e3},
                                                   {"MB", 1e6},
                                                   {"GB", 1e9},
                                                   {"KiB", 1024.0},
                                                   {"MiB", 1024.0 * 1024},
                                                   {"GiB", 1024.0 * 1024 * 1024},
                                                   {"", 1}}};
  const auto number = leading_number(text);
  if (!number) {
    return bad(text, std::string(k_expected));
  }
  auto unit = text.substr(number->second);
  while (!unit.empty() && unit.front() == ' ') {
    unit.remove_prefix(1);
  }
  for (const auto& u : k_units) {
    if (unit == u.name) {
      const double bytes = number->first * u.bytes;
      if (bytes > 1024.0 * 1024 * 1024 * 1024) {
        return bad(text, "a size of at most 1 TiB");
      }
      return static_cast<std::uint64_t>(std::llround(bytes));
    }
  }
  return bad(text, std::string(k_expected) + " (units: B, kB, MB, GB, KiB, MiB, GiB)");
}

std::string format_duration(Duration d) {
  auto ms = d.count();
  if (ms < 1000 && ms != 0) {
    return std::to_string(ms) + "ms";
  }
  std::string out;
  const auto h = ms / 3'600'000;
  const auto m = ms % 3'600'000 / 60'000;
  const auto s = ms % 60'000 / 1000;
  const auto rest = ms % 1000;
  if (h > 0) {
    out += std::to_string(h) + "h";
  }
  if (m > 0) {
    out += std::to_string(m) + "m";
  }
  if (s > 0 || rest > 0 || out.empty()) {
    if (rest > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(s), static_cast<long long>(rest));
      std::string text(buf);
      while (text[text.size() - 2] == '0') {  // 1.500s -> 1.5s
        text.erase(text.size() - 2, 1);
      }
      out += text;
    } else {
      out += std::to_string(s) + "s";
    }
  }
  return out;
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::array<const char*, 4> k_names = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) {
    return std::to_string(bytes) + " B";
  }
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < k_names.size()) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, value == std::floor(value) ? "%.0f %s" : "%.1f %s", value, k_names[unit]);
  return buf;
}

}  // namespace shipgate::units
