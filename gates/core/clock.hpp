#pragma once

#include <chrono>

namespace shipgate {

/// Time as a gate sees it. Gates never read the system clock or sleep directly: tests pass a
/// clock they move forward themselves, so time-based behaviour is tested without real waiting.
class Clock {
public:
  using WallTime = std::chrono::system_clock::time_point;
  using Instant = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  /// Calendar time, for freeze windows and timestamps in reports.
  virtual WallTime now() const = 0;
  /// Monotonic time, for deadlines and elapsed time; never jumps with the wall clock.
  virtual Instant monotonic() const = 0;
  /// Waits (or, in tests, advances time) for `duration`.
  virtual void sleep_for(std::chrono::nanoseconds duration) = 0;
};

/// The real clocks of the process.
class SystemClock final : public Clock {
public:
  WallTime now() const override;
  Instant monotonic() const override;
  void sleep_for(std::chrono::nanoseconds duration) override;
};

/// The process-wide system clock.
Clock& system_clock();

}  // namespace shipgate
