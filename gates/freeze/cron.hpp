#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "freeze/zone.hpp"

/// Cron expressions as GitLab's deploy freezes read them: five fields (minute, hour, day of
/// month, month, day of week), each `*`, a number or name, a range `a-b`, a step `*/n` or `a-b/n`,
/// or a list of those; month and weekday names (jan, mon); 0 and 7 both Sunday; `L` (the last
/// day of the month) in the day-of-month field and `DAY#N` (the Nth such weekday, 1 to 5) in the
/// weekday field. When both day fields are restricted a day matches either (as cron does).
/// Matched against wall-clock time in a zone (zone.hpp says what a skipped or repeated time is).
namespace shipgate::freeze {

class Cron {
public:
  /// The expression, or what is wrong with it (which field, what was expected).
  static Result<Cron> parse(std::string_view text);

  /// Whether the expression ever fires (a day such as 30 February never comes).
  bool can_fire() const;

  /// Whether `day` (a local date) is one the expression fires on.
  bool matches_day(date::year_month_day day) const;

  /// The first instant strictly after `t` at which it fires in `zone`, nullopt when none comes
  /// before k_latest. A wall-clock time that happens twice fires once, at the occurrence `repeat`
  /// says; a skipped one fires when the clocks jump.
  std::optional<Instant> next(Instant t, const Zone& zone, Repeat repeat) const;
  /// The last instant at or before `t` at which it fires, nullopt when none since k_earliest.
  std::optional<Instant> previous(Instant t, const Zone& zone, Repeat repeat) const;

  const std::string& text() const { return m_text; }

  /// Every firing after a point, in order: for listing a range without searching from scratch
  /// for each one.
  class Forward {
  public:
    Forward(const Cron& cron, const Zone& zone, Repeat repeat, Instant after);
    /// The next firing, strictly later than the one before; nullopt past k_latest.
    std::optional<Instant> next();

  private:
    const Cron& m_cron;
    const Zone& m_zone;
    Repeat m_repeat;
    Instant m_after;
    Local m_start;
    date::local_days m_day;
    date::local_days m_end;
    std::size_t m_hour = 0;
    std::size_t m_minute = 0;
    bool m_day_ok = false;
  };

private:
  std::vector<int> m_hour_list;
  std::vector<int> m_minute_list;
  std::string m_text;
  std::bitset<60> m_minutes;
  std::bitset<24> m_hours;
  std::bitset<32> m_days;  // 1..31
  bool m_last_day = false;
  std::bitset<13> m_months;  // 1..12
  std::bitset<7> m_weekdays;
  std::bitset<std::size_t{7} * 6> m_nth;  // weekday * 6 + n (1..5)
  bool m_days_restricted = false;
  bool m_weekdays_restricted = false;
};

}  // namespace shipgate::freeze
