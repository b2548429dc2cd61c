#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "core/result.hpp"

/// Time zones for the freeze gate: Howard Hinnant's date/tz (the library C++20's std::chrono
/// time zones were standardised from) over the system's compiled zones, TZDIR or
/// /usr/share/zoneinfo, else the copy of tzdata embedded in the binary (tzdata.hpp).
namespace shipgate::freeze {

using Instant = date::sys_seconds;  // a point in time, UTC seconds
using Local = date::local_seconds;  // a wall-clock date and time, in no zone yet

/// The instants the freeze gate reasons about: 1970-01-01 to 2037-12-31 UTC. Compiled zone files
/// list each transition only up to 2037, so later wall-clock times cannot be told reliably.
inline constexpr Instant k_earliest{std::chrono::seconds{0}};
inline constexpr Instant k_latest{std::chrono::seconds{2145916799}};  // 2037-12-31T23:59:59Z
bool in_range(Instant t);

/// Where a zone's data came from.
enum class ZoneOrigin { system, embedded };

/// Which instant a wall-clock time means when the clocks go back and it happens twice.
enum class Repeat { earliest, latest };

/// What a wall-clock time is in a zone.
enum class LocalKind { unique, skipped, repeated };

/// One zone, loaded and checked.
class Zone {
public:
  Zone(std::string name, ZoneOrigin origin, const date::time_zone* tz)
      : m_name(std::move(name)), m_origin(origin), m_tz(tz) {}

  const std::string& name() const { return m_name; }
  ZoneOrigin origin() const { return m_origin; }

  /// The wall-clock time at `t`, and the zone's offset from UTC and abbreviation then.
  struct LocalTime {
    Local local;
    std::chrono::seconds offset;
    std::string abbrev;
  };
  LocalTime to_local(Instant t) const;

  /// The instant of a wall-clock time. A time the clocks skip (02:30 when they jump from 02:00
  /// to 03:00) is the instant they jump; a time that happens twice is its first or its second
  /// occurrence, as `repeat` says.
  Instant to_instant(Local local, Repeat repeat) const;
  LocalKind kind(Local local) const;

private:
  std::string m_name;
  ZoneOrigin m_origin;
  const date::time_zone* m_tz;
};

/// Finds zones: the system's compiled zone file when it is present and sound (TZif version 2 or
/// later, transitions listed up to 2037, no leap seconds), else the embedded copy. Zones are
/// loaded once per process and kept.
class Zones {
public:
  /// `system_dir`: TZDIR's value when set, else /usr/share/zoneinfo ("" for none).
  explicit Zones(std::string system_dir) : m_dir(std::move(system_dir)) {}

  /// The zone, or an error that names it and guesses what was meant. Never UTC by accident.
  Result<const Zone*> get(std::string_view name);

  /// The directory system zones are read from ("" for none).
  const std::string& system_dir() const { return m_dir; }

private:
  std::string m_dir;
  std::vector<std::unique_ptr<Zone>> m_loaded;
};

/// Why `bytes` is not a compiled zone the gate can use (nullopt when it is): RFC 8536's layout,
/// version 2 or later, every index in range, transitions in order and listed up to 2037 when the
/// zone still changes its clocks, no leap seconds.
std::optional<std::string> check_tzif(std::string_view bytes);

/// Whether `name` is written as a zone name can be: parts of letters, digits, '_', '+', '-'
/// separated by '/', no part starting with '.', at most 64 characters.
bool plausible_zone_name(std::string_view name);

/// Every zone name the embedded copy has, for "did you mean" and docs.
std::vector<std::string> embedded_zone_names();

}  // namespace shipgate::freeze
