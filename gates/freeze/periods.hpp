#pragma once

#include <string>
#include <vector>

#include "freeze/calendar.hpp"

/// When windows apply: each window's periods in a range, and the verdict for one instant.
namespace shipgate::freeze {

/// [start, end): a cron window's inclusive end (GitLab's meaning) is stored as end + 1 s.
struct Period {
  Instant start;
  Instant end;
};

/// Every period of `window` that overlaps [from, until), in order, overlapping and touching ones
/// merged; each keeps its whole extent (a period that began before `from` starts where it began).
/// Stops with an error past `max` periods.
Result<std::vector<Period>> periods(const Window& window, Instant from, Instant until, std::size_t max);

/// Sorted, non-overlapping periods: the union of `all`.
std::vector<Period> merge(std::vector<Period> all);

/// The period of `set` (merged) that holds `t`, if any.
const Period* containing(const std::vector<Period>& set, Instant t);

/// What the calendar says about one environment at one instant.
struct Answer {
  bool frozen = false;
  bool hard = false;
  /// Frozen because no allow window is open (and allow windows name the environment).
  bool outside_allowed = false;
  /// The windows that hold `at`: deny windows whose period holds it, or the allow windows that
  /// were not open. With each, the period that holds `at` (deny) or the next opening (allow).
  struct Applied {
    const Window* window;
    Period period;
  };
  std::vector<Applied> applied;
  /// When deploys may go ahead again (frozen); nullopt when not within the horizon.
  std::optional<Instant> ends_at;
  /// The next instant a freeze starts (not frozen); nullopt when none within the horizon.
  std::optional<Instant> next_freeze;
  /// The windows that start that next freeze.
  std::vector<const Window*> next_windows;
};

/// The verdict for `environment` ("" : every window) at `at`, looking `horizon` ahead.
Result<Answer> evaluate(const Calendar& calendar, const std::string& environment, Instant at,
                        std::chrono::seconds horizon);

}  // namespace shipgate::freeze
