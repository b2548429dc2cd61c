#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shipgate::json {

/// Real documents (API answers, environment records) nest a few levels; anything far deeper is
/// hostile, and nlohmann/json's recursive parser would overflow the stack on it.
inline constexpr int k_max_depth = 64;

/// The byte offset where `text` nests arrays and objects deeper than `limit`, if it does.
std::optional<std::size_t> too_deep(std::string_view text, int limit = k_max_depth);

/// `text` as one JSON value, or nullopt when it is not JSON or nests deeper than `limit`.
std::optional<nlohmann::json> parse(const std::string& text, int limit = k_max_depth);

}  // namespace shipgate::json
