#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shipgate {

/// The one table of names for an enum: printing, parsing and the list of choices (for flags,
/// config values and "did you mean") all read it, so a name is written once.
template <typename E, std::size_t N>
class NameTable {
public:
  constexpr explicit NameTable(std::array<std::pair<E, std::string_view>, N> entries) : m_entries(entries) {}

  /// The value's name; every enumerator has one (a missing one is a build-time table bug).
  constexpr std::string_view name(E value) const {
    for (const auto& [e, n] : m_entries) {
      if (e == value) {
        return n;
      }
    }
    return "?";
  }
  constexpr std::optional<E> parse(std::string_view text) const {
    for (const auto& [e, n] : m_entries) {
      if (n == text) {
        return e;
      }
    }
    return std::nullopt;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : m_entries) {
      out.emplace_back(entry.second);
    }
    return out;
  }
  /// "a|b|c", as help texts list choices.
  std::string choices() const {
    std::string out;
    for (const auto& entry : m_entries) {
      out += (out.empty() ? "" : "|") + std::string(entry.second);
    }
    return out;
  }

private:
  std::array<std::pair<E, std::string_view>, N> m_entries;
};

}  // namespace shipgate
