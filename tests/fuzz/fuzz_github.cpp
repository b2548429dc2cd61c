// libFuzzer target: shipgate-env's readers of GitHub REST answers (one environment, a page of
// environments, an error body) and of `Link` headers, on any text a server could send.
#include <cstddef>
#include <cstdint>
#include <string>

#include "env/github.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(bytes), size);
  (void)shipgate::env::parse_environment(body);
  (void)shipgate::env::parse_environment_page(body);
  (void)shipgate::env::error_message(body);
  (void)shipgate::env::next_link(body);
  (void)shipgate::env::path_segment(body);
  return 0;
}
