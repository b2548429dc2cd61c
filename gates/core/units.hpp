#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace shipgate::units {

using Duration = std::chrono::milliseconds;

/// Parses a duration the way people write them in CI: a sequence of number-unit parts, largest
/// first, each unit once: `90s`, `5m`, `1h30m`, `250ms`, `1.5s`, `2m30s`. Units: ms, s, m, h.
/// A bare number is refused (seconds or milliseconds? the reader cannot tell), and so are
/// negative values and anything past a week. The error says what was expected.
Result<Duration> parse_duration(std::string_view text);

/// Parses a size: a number and a unit, decimal (B, kB/KB, MB, GB: powers of 1000, as Heroku and
/// disk vendors count) or binary (KiB, MiB, GiB: powers of 1024): `300MB`, `500MiB`, `1.5GB`,
/// `4096B`. A bare number is bytes. Capped at 1 TiB.
Result<std::uint64_t> parse_size(std::string_view text);

/// `1h30m`, `90s`, `250ms`: the shortest exact form of a duration, for messages.
std::string format_duration(Duration d);

/// `512 MiB`, `1.5 GiB`, `300 B`: binary units with one decimal, for messages.
std::string format_size(std::uint64_t bytes);

}  // namespace shipgate::units
