// libFuzzer target: the github library's readers of GitHub REST answers (one environment, a page of
// environments, an error body) and of `Link` headers, on any text a server could send; and the
// path-segment encoder and API base check, on any name or GITHUB_API_URL a user could give.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/net/url.hpp"
#include "github/api.hpp"
#include "github/environments.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(bytes), size);
  (void)shipgate::github::parse_environment(body);
  (void)shipgate::github::parse_environment_page(body);
  (void)shipgate::github::error_message(body);
  (void)shipgate::github::next_link(body);
  (void)shipgate::net::path_segment(body);
  (void)shipgate::net::api_base(body);
  return 0;
}
