#include "core/clock.hpp"

#include <thread>

namespace shipgate {

Clock::WallTime SystemClock::now() const { return std::chrono::system_clock::now(); }

Clock::Instant SystemClock::monotonic() const { return std::chrono::steady_clock::now(); }

void SystemClock::sleep_for(std::chrono::nanoseconds duration) { std::this_thread::sleep_for(duration); }

Clock& system_clock() {
  static SystemClock k_clock;
  return k_clock;
}

}  // namespace shipgate
