#include <catch2/catch.hpp>

#include <atomic>

#include "core/net/curl.hpp"
#include "core/net/retry.hpp"
#include "helpers.hpp"
#include "http_server.hpp"

using namespace shipgate;

TEST_CASE("requests name the gate, its version and libcurl", "[net]") {
  REQUIRE(net::global_init());
  const auto agent = net::user_agent("shipgate-smoke");
  CHECK_THAT(agent, Catch::StartsWith(std::string("shipgate-smoke/") + SHIPGATE_VERSION + " libcurl/"));
  CHECK(agent.find('\n') == std::string::npos);
}

TEST_CASE("backoff grows to its cap, with full jitter", "[net]") {
  const net::RetryPolicy policy;
  CHECK(policy.delay(1, 0.999).count() == 499);
  CHECK(policy.delay(2, 0.999).count() == 999);
  CHECK(policy.delay(5, 0.999).count() == 7'992);
  CHECK(policy.delay(30, 0.999).count() == 7'992);  // capped at 8 s
  CHECK(policy.delay(3, 0.0).count() == 0);
}

TEST_CASE("what is worth another try, and Retry-After", "[net]") {
  net::Response r;
  r.status = 503;
  CHECK(net::retryable(r));
  r.status = 404;
  CHECK_FALSE(net::retryable(r));
  r.status = 0;
  r.failure = net::Failure::tls;
  CHECK_FALSE(net::retryable(r));
  r.failure = net::Failure::refused;
  CHECK(net::retryable(r));
  const auto now = std::chrono::system_clock::from_time_t(1'445'412'470);  // 2015-10-21 07:27:50 UTC
  r.headers.emplace("retry-after", "120");
  CHECK(net::retry_after(r, now) == std::chrono::milliseconds(120'000));
  r.headers.clear();
  r.headers.emplace("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");
  CHECK(net::retry_after(r, now) == std::chrono::milliseconds(10'000));
  r.headers.clear();
  r.headers.emplace("retry-after", "soon");
  CHECK_FALSE(net::retry_after(r, now));
}

TEST_CASE("fetch retries 503s and 429s on a real server, honouring Retry-After", "[net]") {
  test::HttpServer server;
  std::atomic<int> hits{0};
  server.server().Get("/api", [&](const httplib::Request&, httplib::Response& res) {
    const int n = ++hits;
    if (n == 1) {
      res.status = 503;
    } else if (n == 2) {
      res.status = 429;
      res.set_header("Retry-After", "30");
    } else {
      res.set_content("{}", "application/json");
    }
  });
  server.server().Get("/gone", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  test::ManualClock clock;
  net::Client client("shipgate-test");
  net::Request request;
  request.url = server.url("/api");
  int attempts = 0;
  const auto start = clock.monotonic();
  auto r = net::fetch(client, request, {}, clock, start + std::chrono::minutes(5), &attempts, 42);
  CHECK(r.status == 200);
  CHECK(attempts == 3);
  CHECK(clock.monotonic() - start >= std::chrono::seconds(30));  // waited as asked
  request.url = server.url("/gone");
  r = net::fetch(client, request, {}, clock, clock.monotonic() + std::chrono::minutes(5), &attempts, 42);
  CHECK(r.status == 404);
  CHECK(attempts == 1);
  // A wait that would pass the deadline is not made: the 503 stands.
  hits = 0;
  request.url = server.url("/api");
  r = net::fetch(client, request, {}, clock, clock.monotonic() + std::chrono::milliseconds(100), &attempts, 7);
  CHECK(r.status != 200);
  CHECK(attempts <= 2);
}

TEST_CASE("a secondary rate limit (403 with Retry-After) is worth another try", "[net]") {
  net::Response r;
  r.status = 403;
  CHECK_FALSE(net::retryable(r));
  r.headers.emplace("retry-after", "2");
  CHECK(net::retryable(r));
}
