#include <catch2/catch.hpp>

#include "core/net/curl.hpp"

using namespace shipgate;

TEST_CASE("requests name the gate, its version and libcurl", "[net]") {
  REQUIRE(net::global_init());
  const auto agent = net::user_agent("shipgate-smoke");
  CHECK_THAT(agent, Catch::StartsWith(std::string("shipgate-smoke/") + SHIPGATE_VERSION + " libcurl/"));
  CHECK(agent.find('\n') == std::string::npos);
}
