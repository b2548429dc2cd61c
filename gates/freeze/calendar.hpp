#pragma once

#include <bitset>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/result.hpp"
#include "core/yaml.hpp"
#include "freeze/cron.hpp"
#include "freeze/zone.hpp"

/// The freeze calendar: the `freeze` section of .github/shipgate.yml, or a file of the same shape
/// (--calendar): `windows`, `include`, `timezone` and `overriders`. docs/freeze.md is its reference.
namespace shipgate::freeze {

/// How a window says when it applies.
enum class Kind {
  absolute,  // from/until: instants, local date-times or dates
  weekly,    // from/until: "Fri 17:00" to "Mon 09:00", every week
  daily,     // from/until: "09:00" to "16:00", on `days` (weekdays) or `dates` (local dates)
  cron,      // GitLab's freeze_start/freeze_end/cron_timezone
};
std::string_view to_string(Kind kind);

struct Window {
  std::string name;
  std::string reason;
  std::vector<std::string> environments;  // globs, case-insensitive; empty: every environment
  bool hard = false;
  bool allow = false;
  Kind kind = Kind::absolute;
  const Zone* zone = nullptr;  // the zone its wall-clock times are in (UTC for instants)
  Location where;              // the window's first line
  // absolute
  Instant from{};
  Instant until{};
  // weekly: weekday (0 Sunday) and minute of the day at each end
  unsigned from_day = 0;
  unsigned until_day = 0;
  // weekly and daily: minutes after local midnight; `until` at or before `from` is the next day
  int from_minute = 0;
  int until_minute = 0;
  // daily
  std::bitset<7> days;                  // all set when neither days nor dates are given
  std::vector<date::local_days> dates;  // sorted; when given, only these days
  // cron
  std::optional<Cron> start;
  std::optional<Cron> end;

  /// Whether the window applies to `environment` ("" : every window applies).
  bool applies_to(std::string_view environment) const;
};

struct Calendar {
  std::vector<Window> windows;
  /// GitHub logins and `@org/team`s who may override a soft freeze; empty: anyone.
  std::vector<std::string> overriders;
  /// The files read (the config or --calendar file first, then each include).
  std::vector<std::string> files;
};

/// Limits that keep a hostile calendar cheap.
inline constexpr std::size_t k_max_windows = 10'000;
inline constexpr std::size_t k_max_dates = 10'000;  // per window
inline constexpr std::size_t k_max_includes = 32;   // files, all levels together
inline constexpr std::size_t k_max_include_depth = 8;
inline constexpr std::size_t k_max_text = 200;  // name, reason, an environment glob

/// Where a calendar's files may be: `include:` paths are relative to the including file and must
/// stay inside `root` (the repository).
struct Reader {
  Zones& zones;
  std::string root;
  /// How a path is shown in errors (relative to the working directory).
  std::function<std::string(const std::string&)> shown;
};

/// Reads the calendar keys of `map` (a freeze section or a calendar file's top level) into
/// `calendar`; `file` is the path `doc` was read from. `own_keys` are other keys the mapping may
/// hold (the gate's options, in the config section), not reported as unknown. Errors carry file,
/// line, column and key.
void read_calendar(const Reader& reader, const yaml::Document& doc, const yaml::Node& map, const std::string& file,
                   const std::vector<std::string>& own_keys, const std::string& key_prefix, Calendar& calendar,
                   std::vector<Error>& errors);

/// Reads a calendar file (--calendar): up to 4 MiB of YAML.
void read_calendar_file(const Reader& reader, const std::string& path, Calendar& calendar, std::vector<Error>& errors);

/// An RFC 3339 instant: 2026-12-24T17:00:00Z, 2026-12-24T17:00:00-05:00 (seconds and fractions
/// optional, T or a space between date and time); nullopt when `text` is not one.
std::optional<Instant> parse_instant(std::string_view text);

/// 2026-12-04T22:00:00Z
std::string format_utc(Instant t);
/// 2026-12-04T17:00:00-05:00
std::string format_local(Instant t, const Zone& zone);
/// "Fri 2026-12-04 17:00 EST" for messages.
std::string format_human(Instant t, const Zone& zone);

/// Whether `name` matches the glob `pattern` (`*`, `?`; case-insensitive), in time linear in
/// their lengths' product at most.
bool glob_match(std::string_view pattern, std::string_view name);

}  // namespace shipgate::freeze
