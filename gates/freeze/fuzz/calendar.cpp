// libFuzzer target: the freeze calendar reader (a --calendar file, or the freeze section), on text
// as read_calendar_file() hands it over (checked to be UTF-8 without NULs), and what a verdict and
// a week's listing do with whatever it accepts. Zones come from the embedded copy only, and
// includes from a root that does not exist, so a run reads no other file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/source.hpp"
#include "freeze/calendar.hpp"
#include "freeze/periods.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace shipgate::freeze;
  const std::string name = "calendar.yml";
  auto text = shipgate::check_text(std::string(reinterpret_cast<const char*>(bytes), size), name);
  if (!text) {
    return -1;
  }
  auto doc = shipgate::yaml::parse(*text, name);
  if (!doc || !doc->root().is_mapping()) {
    return 0;
  }
  static Zones zones("");
  const Reader reader{zones, "/nonexistent-shipgate-fuzz-root", [](const std::string& p) { return p; }};
  Calendar calendar;
  std::vector<shipgate::Error> errors;
  read_calendar(reader, *doc, doc->root(), name, {}, "", calendar, errors);
  const auto at = *parse_instant("2026-03-08T06:30:00Z");
  (void)evaluate(calendar, "production", at, std::chrono::hours{24 * 7});
  for (const auto& w : calendar.windows) {
    (void)periods(w, at, at + std::chrono::hours{24 * 7}, 10'000);
  }
  return 0;
}
