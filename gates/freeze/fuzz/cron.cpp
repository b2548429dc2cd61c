// libFuzzer target: the cron parser (GitLab's freeze_start/freeze_end), on any text, and the next
// and previous firings of whatever it accepts, around a daylight-saving change.
#include <cstddef>
#include <cstdint>
#include <string>

#include "freeze/cron.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace shipgate::freeze;
  const std::string text(reinterpret_cast<const char*>(bytes), size);
  auto cron = Cron::parse(text);
  if (!cron) {
    return 0;
  }
  static Zones zones("");
  const auto* zone = *zones.get("America/New_York");
  const Instant at{std::chrono::seconds{1'772'953'200}};  // 2026-03-08T07:00:00Z, the spring jump
  (void)cron->next(at, *zone, Repeat::earliest);
  (void)cron->previous(at, *zone, Repeat::latest);
  Cron::Forward forward(*cron, *zone, Repeat::earliest, at);
  for (int i = 0; i < 100 && forward.next(); ++i) {
  }
  return 0;
}
