// libFuzzer target: the heroku library's readers of Platform API answers (app, releases, slug,
// formation, dynos, error bodies), on any body a server could send.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heroku/api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(bytes), size);
  (void)shipgate::heroku::parse_app(body);
  if (auto releases = shipgate::heroku::parse_releases(body)) {
    for (const auto& r : *releases) {
      (void)r.has_code();
      (void)shipgate::heroku::age_seconds(r.created_at, 1'790'000'000);
    }
  }
  (void)shipgate::heroku::parse_slug(body);
  (void)shipgate::heroku::parse_formation(body);
  (void)shipgate::heroku::parse_dynos(body);
  (void)shipgate::heroku::parse_error(body);
  (void)shipgate::heroku::error_text(body);
  (void)shipgate::heroku::valid_app_name(body);
  return 0;
}
