#include <catch2/catch.hpp>

#include <atomic>

#include "core/net/curl.hpp"
#include "core/net/http.hpp"
#include "core/net/retry.hpp"
#include "core/net/url.hpp"
#include "core/secrets.hpp"
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

TEST_CASE("a path segment is percent-encoded, dot segments included", "[net]") {
  CHECK(net::path_segment("qa env/1") == "qa%20env%2F1");
  CHECK(net::path_segment("production-eu_1.x~") == "production-eu_1.x~");
  CHECK(net::path_segment(".") == "%2E");
  CHECK(net::path_segment("..") == "%2E%2E");
  CHECK(net::path_segment("...") == "...");  // not a dot segment
  CHECK(net::path_segment("../../../apps/other") == "..%2F..%2F..%2Fapps%2Fother");
  CHECK(net::path_segment("%2e\n\xC3\xA9") == "%252e%0A%C3%A9");
}

TEST_CASE("an API base is https, or plain http only to loopback", "[net]") {
  REQUIRE(net::global_init());
  for (const char* good :
       {"https://api.github.com", "https://ghe.example.com/api/v3/", "http://127.0.0.1:8080", "http://127.1.2.3",
        "http://[::1]:9000", "http://LOCALHOST:3000/", "HTTPS://api.heroku.com"}) {
    INFO(good);
    CHECK(net::api_base(good).ok());
  }
  CHECK(*net::api_base("https://ghe.example.com/api/v3//") == "https://ghe.example.com/api/v3");
  const auto reason = [](const std::string& url) {
    const auto r = net::api_base(url);
    return r.ok() ? std::string("accepted") : r.error().message;
  };
  CHECK_THAT(reason("http://api.example.com"), Catch::Contains("plain http to a host that is not loopback"));
  CHECK_THAT(reason("http://127.0.0.1.evil.example"), Catch::Contains("not loopback"));
  CHECK_THAT(reason("http://localhost.evil.example"), Catch::Contains("not loopback"));
  CHECK_THAT(reason("http://10.0.0.1"), Catch::Contains("not loopback"));
  CHECK_THAT(reason("api.github.com"), Catch::Contains("is not a URL"));
  CHECK_THAT(reason(""), Catch::Contains("is not a URL"));
  CHECK_THAT(reason("ftp://127.0.0.1"), Catch::Contains("is not an https:// URL"));
  CHECK_THAT(reason("https://api.github.com/?x=1"), Catch::Contains("query"));
  CHECK_THAT(reason("https://api.github.com#frag"), Catch::Contains("fragment"));
  // Credentials in the URL are refused, and never shown, parsed or not.
  for (const char* url : {"https://bob:hunter2@api.github.com", "http://bob:hunter2@127.0.0.1:1",
                          "htps:/bob:hunter2@host", "https://:hunter2@[bad"}) {
    INFO(url);
    const auto why = reason(url);
    CHECK(why != "accepted");
    CHECK(why.find("hunter2") == std::string::npos);
  }
  CHECK_THAT(reason("https://bob:hunter2@api.github.com"), Catch::Contains("'https://***@api.github.com'"));
}

TEST_CASE("one description of a failed request, each API adding its own words", "[net]") {
  Secrets secrets;
  secrets.add("tok-123");
  net::Response r;
  r.failure = net::Failure::timeout;
  r.error = "Operation timed out after 300 milliseconds with tok-123";
  CHECK(net::describe_failure(r, secrets) == "timed out: Operation timed out after 300 milliseconds with ***");
  r = {};
  r.status = 404;
  r.body = R"({"message": "Not Found tok-123"})";
  CHECK(net::describe_failure(r, secrets) == "HTTP 404");
  const net::ApiErrors api{
      [](const std::string& body) -> std::optional<std::string> { return body.substr(13, 17); },
      [](const net::Response& response) { return response.status == 404 ? std::string("check the name") : ""; }};
  CHECK(net::describe_failure(r, secrets, api) == "HTTP 404: Not Found *** (check the name)");
}
