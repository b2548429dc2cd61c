// libFuzzer target: shipgate-release's readers of Platform API answers (app, releases, slug,
// formation, dynos, error bodies), on any body a server could send.
#include <cstddef>
#include <cstdint>
#include <string>

#include "release/heroku.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(bytes), size);
  (void)shipgate::release::parse_app(body);
  if (auto releases = shipgate::release::parse_releases(body)) {
    for (const auto& r : *releases) {
      (void)r.has_code();
      (void)shipgate::release::age_seconds(r.created_at, 1'790'000'000);
    }
  }
  (void)shipgate::release::parse_slug(body);
  (void)shipgate::release::parse_formation(body);
  (void)shipgate::release::parse_dynos(body);
  (void)shipgate::release::parse_error(body);
  (void)shipgate::release::valid_app_name(body);
  return 0;
}
