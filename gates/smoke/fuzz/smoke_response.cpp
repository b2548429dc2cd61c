// libFuzzer target: shipgate-smoke's judgement of one answer (status, headers and body, as a
// server chooses them) against fixed healthy and warming expectations, JSON ones included.
// Input: the first two bytes pick the status (100-599), then header lines up to a blank line,
// then the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "smoke/probe.hpp"

namespace {

shipgate::smoke::Expectation expectation(const char* statuses, const char* json, const char* body) {
  shipgate::smoke::Expectation e;
  e.statuses = shipgate::smoke::StatusList::parse(statuses).value();
  e.json.push_back(shipgate::smoke::JsonExpectation::parse(json).value());
  (void)e.set_body(body);
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  static const auto healthy = expectation("200-299", "/queue_depth/total < 50", "\"status\"\\s*:\\s*\"ok\"");
  static const auto warming = expectation("503", "/status == \"warming_up\"", "warming");
  if (size < 2) {
    return -1;
  }
  shipgate::net::Response r;
  r.status = 100 + (bytes[0] << 8 | bytes[1]) % 500;
  const std::string rest(reinterpret_cast<const char*>(bytes) + 2, size - 2);
  const auto blank = rest.find("\n\n");
  const auto head = rest.substr(0, blank == std::string::npos ? 0 : blank);
  r.body = blank == std::string::npos ? rest : rest.substr(blank + 2);
  std::size_t at = 0;
  while (at < head.size()) {
    const auto end = head.find('\n', at);
    const auto line = head.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (const auto colon = line.find(':'); colon != std::string::npos) {
      r.headers.emplace(line.substr(0, colon), line.substr(colon + 1));
    }
    at = end == std::string::npos ? head.size() : end + 1;
  }
  const auto judged = shipgate::smoke::judge(r, healthy, warming);
  return judged.reason.find('\n') == std::string::npos ? 0 : -1;
}
