#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/secrets.hpp"
#include "core/text.hpp"
#include "helpers.hpp"
#include "http_server.hpp"
#include "smoke/poll.hpp"
#include "smoke/probe.hpp"
#include "smoke/smoke.hpp"

using namespace shipgate;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr const char* k_warming = R"({"status":"warming_up","model_loaded":false})";
constexpr const char* k_ready =
    R"({"status":"ok","model_loaded":true,"model_sha":"abc","queue_depth":{"total":3},"uptime_seconds":5,"version":"1.0.0"})";
constexpr const char* k_token = "s3cr3t-token-value";
constexpr const char* k_router_page =
    "<!DOCTYPE html><html><head><title>Application Error</title></head><body><iframe "
    "src=\"//www.herokucdn.com/error-pages/application-error.html\"></iframe></body></html>";

/// Runs shipgate-smoke on the test's manual clock: waits between attempts take no real time.
test::Captured run_smoke(std::vector<std::string> args, Environment env = {}) {
  args.insert(args.begin(), {"--format", "json"});
  env.emplace("SMOKE_TOKEN", k_token);
  args.insert(args.end(), {"--header-from-env", "Authorization: SMOKE_TOKEN"});
  auto r = test::capture([](const Invocation& inv) { return run_gate(*smoke::make_gate(), inv); }, std::move(args),
                         std::move(env));
  CHECK_FALSE(test::leaks(r, k_token));  // never the token, in any scenario, in any output
  return r;
}

/// The same on the real clock, for scenarios that need time to pass while no request runs.
test::Captured run_smoke_real_time(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  args.insert(args.begin(), {"--format", "json"});
  Invocation inv{std::move(args), {}, out, err, false, false, std::filesystem::current_path().string(), nullptr};
  test::Captured c;
  c.code = run_gate(*smoke::make_gate(), inv);
  c.out = out.str();
  c.err = err.str();
  return c;
}

nlohmann::json report(const test::Captured& r) { return nlohmann::json::parse(r.out); }

std::string message(const test::Captured& r, std::size_t check = 0) {
  return report(r)["checks"].at(check).value("message", std::string());
}

std::size_t attempts(const test::Captured& r, std::size_t check = 0) {
  return report(r)["checks"].at(check)["details"]["attempts"].size();
}

/// A loopback port that refuses connections (bound, then closed).
int refused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

TEST_CASE("smoke: the ML service warms up with 503s, then answers healthy", "[smoke]") {
  test::HttpServer server;
  std::atomic<int> hits{0};
  server.server().Get("/v1/health", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits <= 6) {
      res.status = 503;
      res.set_content(k_warming, "application/json");
    } else {
      res.set_content(k_ready, "application/json");
    }
  });
  const auto r = run_smoke({"--url", server.url("/v1/health"), "--warmup", "2m", "--interval", "10s", "--expect-json",
                            "/model_loaded == true", "--expect-json", "/status == \"ok\"", "--expect-json",
                            "/queue_depth/total < 50", "--warming-json", "/status == \"warming_up\""});
  CHECK(r.code == 0);
  CHECK(attempts(r) == 7);
  CHECK_THAT(message(r), Catch::Contains("healthy after 60.0s (7 attempts)"));
  CHECK_THAT(r.err, Catch::Contains("not ready, 503: warming up"));
}

TEST_CASE("smoke: 200 with the model never loaded fails at the deadline, saying why", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(k_warming, "application/json");  // 200, but not ready
  });
  const auto r = run_smoke({"--url", server.url("/v1/health"), "--expect-json", "/model_loaded == true", "--deadline",
                            "1m", "--interval", "10s"});
  CHECK(r.code == 1);
  CHECK(attempts(r) == 6);
  CHECK_THAT(message(r), Catch::Contains("not healthy within 1m: last 200: expected /model_loaded == true, got false"));
}

TEST_CASE("smoke: the run ends when no attempt fits before the deadline", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
  // Attempts at 0, 7, ..., 56 s; the next would be at 63 s, past the 1m deadline: it ends there.
  const auto started = steady_clock::now();
  const auto r = run_smoke({"--url", server.url("/"), "--deadline", "1m", "--interval", "7s"});
  CHECK(r.code == 1);
  CHECK(attempts(r) == 9);
  CHECK(steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("smoke: the never-deployed app's router errors are tolerated during warm-up only", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.status = 502;
    res.set_content(k_router_page, "text/html");
  });
  const auto r = run_smoke({"--url", server.url("/"), "--warmup", "30s", "--interval", "10s"});
  CHECK(r.code == 1);
  CHECK(attempts(r) == 4);  // at 0, 10, 20 and 30 s: the last one is past the warm-up
  CHECK_THAT(message(r), Catch::Contains("still not ready after the 30s warm-up: 502: Heroku router error page"));
  CHECK_THAT(r.err, Catch::Contains("  | <!DOCTYPE html>"));
}

TEST_CASE("smoke: answers that cannot get better fail at once", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  server.server().Get("/json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  auto r = run_smoke({"--url", server.url("/missing")});
  CHECK(r.code == 1);
  CHECK(attempts(r) == 1);
  CHECK_THAT(message(r), Catch::Contains("404: this answer does not change with time"));
  r = run_smoke({"--url", server.url("/json"), "--expect-json", "/model_loaded == true"});
  CHECK(r.code == 1);
  CHECK(attempts(r) == 1);
  CHECK_THAT(message(r), Catch::Contains("the answer has no /model_loaded"));
}

TEST_CASE("smoke: flapping never gives the healthy answers in a row it needs", "[smoke]") {
  test::HttpServer server;
  std::atomic<int> hits{0};
  server.server().Get(
      "/", [&](const httplib::Request&, httplib::Response& res) { res.status = ++hits % 2 == 0 ? 500 : 200; });
  auto r = run_smoke({"--url", server.url("/"), "--successes", "3", "--deadline", "1m", "--interval", "5s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("not healthy within 1m"));
  r = run_smoke({"--url", server.url("/"), "--successes", "1"});
  CHECK(r.code == 0);
}

TEST_CASE("smoke: refused, then up", "[smoke]") {
  const int port = refused_port();
  const auto url = "http://127.0.0.1:" + std::to_string(port) + "/";
  std::thread later([port] {
    std::this_thread::sleep_for(milliseconds(600));
    httplib::Server server;
    server.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    std::thread stopper([&server] {
      std::this_thread::sleep_for(milliseconds(3000));
      server.stop();
    });
    server.listen("127.0.0.1", port);
    stopper.join();
  });
  const auto r = run_smoke_real_time({"--url", url, "--interval", "200ms", "--warmup", "10s", "--deadline", "20s"});
  later.join();
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("connection refused"));
  CHECK(attempts(r) >= 2);
}

TEST_CASE("smoke: a server that accepts and never answers times out within the deadline", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/", [&](const httplib::Request&, httplib::Response&) { server.hang(); });
  const auto started = steady_clock::now();
  const auto r = run_smoke_real_time(
      {"--url", server.url("/"), "--timeout", "300ms", "--deadline", "1s", "--warmup", "0s", "--interval", "100ms"});
  const auto took = steady_clock::now() - started;
  server.release();
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("timed out"));
  CHECK(took < milliseconds(1000 + 300 + 700));  // the deadline, one request timeout, and slack
}

TEST_CASE("smoke: resets, slow drips and huge bodies are no answer, or too large to judge", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/reset", [](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(1000, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
      sink.write("{\"status\":", 10);
      return false;  // closes the connection mid-body
    });
  });
  server.server().Get("/drip", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t offset, httplib::DataSink& sink) {
      std::this_thread::sleep_for(milliseconds(100));
      sink.write("x", 1);
      return offset < 100;
    });
  });
  server.server().Get("/huge", [](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(std::size_t{100} << 20, "application/json",
                             [](std::size_t, std::size_t length, httplib::DataSink& sink) {
                               static const std::string block(std::size_t{64} * 1024, ' ');
                               sink.write(block.data(), std::min(length, block.size()));
                               return true;
                             });
  });
  auto r = run_smoke({"--url", server.url("/reset"), "--warmup", "0s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("connection reset"));
  r = run_smoke_real_time({"--url", server.url("/drip"), "--timeout", "500ms", "--warmup", "0s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("timed out"));
  const auto started = steady_clock::now();
  r = run_smoke(
      {"--url", server.url("/huge"), "--expect-json", "/ok == true", "--deadline", "20s", "--interval", "10s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("larger than --max-body"));
  CHECK(steady_clock::now() - started < std::chrono::seconds(10));  // 1 MiB read per attempt, not 100 MB
}

TEST_CASE("smoke: redirects only when allowed, loops end, and the token stays on its host", "[smoke]") {
  test::HttpServer server;
  test::HttpServer other;
  std::string seen_authorization = "unset";
  other.server().Get("/health", [&](const httplib::Request& req, httplib::Response& res) {
    seen_authorization = req.get_header_value("Authorization");
    res.set_content("ok", "text/plain");
  });
  server.server().Get("/moved", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(other.url("/health", "localhost"));  // another host
  });
  server.server().Get("/loop",
                      [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(server.url("/loop")); });
  auto r = run_smoke({"--url", server.url("/moved")});
  CHECK(r.code == 1);  // 302 is the answer: redirects are not followed unless allowed
  CHECK_THAT(message(r), Catch::Contains("302: expected 200"));
  CHECK(seen_authorization == "unset");
  r = run_smoke({"--url", server.url("/moved"), "--max-redirects", "2"});
  CHECK(r.code == 0);
  CHECK(seen_authorization.empty());
  r = run_smoke({"--url", server.url("/loop"), "--max-redirects", "3"});
  CHECK(r.code == 1);
  CHECK(attempts(r) == 1);
  CHECK_THAT(message(r), Catch::Contains("more than 3 redirects"));
}

TEST_CASE("smoke: not JSON, an unknown name, several URLs at once", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/text", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>fine</html>", "text/html");
  });
  server.server().Get("/ok",
                      [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  auto r = run_smoke({"--url", server.url("/text"), "--expect-json", "/ok == true", "--deadline", "30s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("the answer is not JSON"));
  r = run_smoke({"--url", "http://shipgate-test.invalid/health", "--warmup", "20s", "--interval", "10s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("still not ready after the 20s warm-up: name not resolved"));
  r = run_smoke(
      {"--url", server.url("/ok"), "--url", server.url("/text"), "--expect-body", "^ok$", "--deadline", "30s"});
  CHECK(r.code == 1);
  const auto doc = report(r);
  CHECK(doc["checks"][0]["verdict"] == "pass");
  CHECK(doc["checks"][1]["verdict"] == "fail");
}

TEST_CASE("smoke: the secret header is sent, and masked wherever the server echoes it", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 500;
    res.set_content("denied for " + req.get_header_value("Authorization"), "text/plain");
  });
  const auto r =
      run_smoke({"--url", server.url("/"), "--deadline", "10s"},
                {{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", "/dev/null"}, {"GITHUB_STEP_SUMMARY", "/dev/null"}});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("::add-mask::") && Catch::Contains("denied for ***"));
}

TEST_CASE("smoke: a latency budget over the healthy answers", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(250));
    res.set_content("ok", "text/plain");
  });
  auto r = run_smoke({"--url", server.url("/slow"), "--successes", "2", "--max-latency", "p95<100ms"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("healthy, but p95 latency") && Catch::Contains("breaks p95<100ms"));
  r = run_smoke({"--url", server.url("/slow"), "--max-latency", "max<30s"});
  CHECK(r.code == 0);
}

TEST_CASE("smoke: HTTPS against a test CA", "[smoke]") {
  test::TempDir dir;
  const auto d = dir.path().string();
  REQUIRE(test::make_test_ca(d));
  test::HttpServer server(d + "/server.pem", d + "/server.key");
  std::atomic<int> hits{0};
  server.server().Get("/", [&hits](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.set_content("ok", "text/plain");
  });
  auto r = run_smoke({"--url", server.url("/"), "--cacert", d + "/ca.pem"});
  CHECK(r.code == 0);
  // A CA bundle that is missing, a directory or not a bundle at all is the step's mistake
  // (exit 2, nothing requested), never the service's.
  for (const auto& bad : {std::string("/dev/null/none"), d}) {
    r = run_smoke({"--url", server.url("/"), "--cacert", bad});
    CHECK(r.code == 2);
    CHECK(hits == 1);
    CHECK_THAT(r.err, Catch::Contains("--cacert: cannot read the CA bundle"));
  }
  r = run_smoke({"--url", server.url("/")}, {{"SSL_CERT_FILE", "/dev/null/none"}});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("SSL_CERT_FILE: cannot read the CA bundle"));
  // A bundle that holds no certificate GitHub's runner could use is read, and the TLS check fails.
  r = run_smoke({"--url", server.url("/"), "--cacert", d + "/server.key"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("TLS"));
  r = run_smoke({"--url", server.url("/"), "--insecure", "--cacert", d + "/server.key"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("not verified (--insecure)"));
}

TEST_CASE("smoke: bad flags are usage errors", "[smoke]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--url", "ftp://example.com/"},
           {"--url", "http://x/", "--warmup", "90"},
           {"--url", "http://x/", "--expect-status", "abc"},
           {"--url", "http://x/", "--expect-json", "model_loaded == true"},
           {"--url", "http://x/", "--expect-json", "/n < big"},
           {"--url", "http://x/", "--expect-body", "("},
           {"--url", "http://x/", "--max-latency", "p97<1s"},
           {"--url", "http://x/", "--header", "X-Bad"},
           {"--url", "http://x/", "--header-from-env", "Authorization: UNSET_VAR"},
           {"--url", "http://x/", "--successes", "0"},
       }) {
    INFO(text::join(args, " "));
    const auto r = test::capture([](const Invocation& inv) { return run_gate(*smoke::make_gate(), inv); }, args);
    CHECK(r.code == 2);
  }
}

TEST_CASE("smoke: JSON expectations and status lists", "[smoke]") {
  const auto e = smoke::JsonExpectation::parse("/queue_depth/total < 50").value();
  CHECK(e.holds(nlohmann::json::parse(R"({"queue_depth":{"total":3}})")) == true);
  CHECK(e.holds(nlohmann::json::parse(R"({"queue_depth":{"total":70}})")) == false);
  CHECK_FALSE(e.holds(nlohmann::json::parse(R"({"queue_depth":{}})")).has_value());
  CHECK(smoke::JsonExpectation::parse("/status == ok").value().value == "ok");
  // An index no array can have names nothing; it does not throw.
  const auto huge = smoke::JsonExpectation::parse("/a/99999999999999999999999 == 1").value();
  CHECK_FALSE(huge.holds(nlohmann::json::parse(R"({"a":[1]})")).has_value());
  const auto list = smoke::StatusList::parse("200-299,304").value();
  CHECK(list.contains(204));
  CHECK(list.contains(304));
  CHECK_FALSE(list.contains(301));
}

TEST_CASE("smoke: outputs and step summary inside Actions, and the config section", "[smoke]") {
  test::HttpServer server;
  std::atomic<int> hits{0};
  server.server().Get("/h", [&](const httplib::Request&, httplib::Response& res) {
    res.status = ++hits <= 2 ? 503 : 200;
    res.set_content(hits <= 2 ? k_warming : k_ready, "application/json");
  });
  test::TempDir dir;
  const auto output = dir.write("output", "");
  const auto summary = dir.write("summary", "");
  dir.write(".github/shipgate.yml", "smoke:\n  url: [" + server.url("/h") +
                                        "]\n  interval: 15s\n  expect-json: [/model_loaded == true]\n"
                                        "  warming-json: ['/status == \"warming_up\"']\n");
  const auto r = test::capture(
      [](const Invocation& inv) { return run_gate(*smoke::make_gate(), inv); }, {"--format", "github"},
      {{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", output}, {"GITHUB_STEP_SUMMARY", summary}}, dir.path().string());
  CHECK(r.code == 0);
  const auto outputs = test::read_file(output);
  CHECK_THAT(outputs, Catch::Contains("healthy=true") && Catch::Contains("time-to-healthy=30.0") &&
                          Catch::Contains("attempts=3") && Catch::Contains("last-status=200"));
  CHECK_THAT(test::read_file(summary),
             Catch::Contains("| health http://127.0.0.1:") && Catch::Contains("| pass | healthy after 30.0s"));
  // A misspelt key in the section is a config error with a guess.
  dir.write(".github/shipgate.yml", "smoke:\n  url: [http://x/]\n  warm-up: 2m\n");
  const auto bad = test::capture([](const Invocation& inv) { return run_gate(*smoke::make_gate(), inv); }, {}, {},
                                 dir.path().string());
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("warm-up") && Catch::Contains("warmup"));
}

TEST_CASE("smoke: a body past --max-body is never healthy, even without a body expectation", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(std::size_t{64} * 1024, 'o'), "text/plain");
  });
  auto r = run_smoke({"--url", server.url("/big"), "--max-body", "1KiB", "--deadline", "20s", "--warmup", "0s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("larger than --max-body"));
  r = run_smoke({"--url", server.url("/big"), "--max-body", "1MiB"});
  CHECK(r.code == 0);
}

TEST_CASE("smoke: the interval has a floor, and the attempt log a bound", "[smoke]") {
  for (const auto* interval : {"0s", "50ms"}) {
    const auto r = run_smoke({"--url", "http://127.0.0.1:9/", "--interval", interval});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--interval: must be at least 100ms"));
  }
  test::HttpServer server;
  std::atomic<int> hits{0};
  server.server().Get("/", [&hits](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 500;
  });
  // 100 ms apart for 3 minutes of the test's clock: 1,800 attempts, a log of at most 500.
  const auto r = run_smoke({"--url", server.url("/"), "--interval", "100ms", "--deadline", "3m"});
  CHECK(r.code == 1);
  const auto details = report(r)["checks"].at(0)["details"];
  CHECK(details["attempt_count"].get<int>() == hits.load());
  CHECK(hits.load() >= 1700);
  CHECK(details["attempts"].size() == smoke::k_max_logged_attempts);
  // The log keeps the start and the end of the run.
  CHECK(details["attempts"].front()["at_ms"].get<long>() == 0);
  CHECK(details["attempts"].back()["at_ms"].get<long>() >= 179'000);
}

TEST_CASE("smoke: latency budgets leave out the first healthy answer, the end of a cold start", "[smoke]") {
  test::HttpServer server;
  std::atomic<int> hits{0};
  server.server().Get("/", [&hits](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      std::this_thread::sleep_for(milliseconds(400));  // the first answer after boot is slow
    }
    res.set_content("ok", "text/plain");
  });
  auto r = run_smoke({"--url", server.url("/"), "--max-latency", "max<300ms"});
  CHECK(r.code == 0);
  CHECK(hits.load() == 2);  // one more answer than --successes, to have a sample
  server.server().Get("/always-slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(400));
    res.set_content("ok", "text/plain");
  });
  r = run_smoke({"--url", server.url("/always-slow"), "--max-latency", "max<300ms"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("over 1 answer after the first healthy one breaks max<300ms"));
}

TEST_CASE("smoke: a body of megabytes that echoes the credential shows its first lines, masked", "[smoke]") {
  test::HttpServer server;
  server.server().Get("/echo", [](const httplib::Request&, httplib::Response& res) {
    std::string body;
    for (int i = 0; body.size() < (std::size_t{6} << 20); ++i) {
      body += "line " + std::to_string(i) + ": got " + std::string(k_token) + " and " +
              std::string(k_token).substr(2, 16) + "\n";
    }
    res.status = 500;
    res.set_content(body, "text/plain");
  });
  const auto r = run_smoke(
      {"--url", server.url("/echo"), "--max-body", "8MiB", "--deadline", "10s", "--interval", "10s", "--warmup", "0s"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("  | line 0: got *** and ***"));
  const std::string token = k_token;
  for (std::size_t i = 0; i + Secrets::k_window <= token.size(); ++i) {
    CHECK(r.err.find(token.substr(i, Secrets::k_window)) == std::string::npos);
  }
}

namespace {

/// A clock the test server moves while it answers: an answer that takes 20 s, in no real time.
class ServerMovedClock final : public Clock {
public:
  WallTime now() const override { return WallTime(std::chrono::seconds(1'790'000'000)) + milliseconds(m_ms.load()); }
  Instant monotonic() const override { return Instant{} + milliseconds(m_ms.load()); }
  void sleep_for(std::chrono::nanoseconds d) override { m_ms += std::chrono::duration_cast<milliseconds>(d).count(); }
  void advance(milliseconds d) { m_ms += d.count(); }

private:
  std::atomic<long long> m_ms{0};
};

}  // namespace

TEST_CASE("smoke: no latency sample is taken from an answer that came after the deadline", "[smoke]") {
  test::HttpServer server;
  ServerMovedClock clock;
  std::atomic<int> hits{0};
  server.server().Get("/", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 2) {
      clock.advance(milliseconds(20'000));  // the sample's answer lands 10 s past the deadline
    }
    res.set_content("ok", "text/plain");
  });
  std::ostringstream out;
  std::ostringstream err;
  Invocation inv{{"--format", "json", "--url", server.url("/"), "--deadline", "10s", "--interval", "1s",
                  "--max-latency", "max<30s"},
                 {},
                 out,
                 err,
                 false,
                 false,
                 std::filesystem::current_path().string(),
                 &clock};
  const auto code = run_gate(*smoke::make_gate(), inv);
  INFO(out.str() << err.str());
  CHECK(code == 1);
  CHECK(hits.load() == 2);
  const auto check = nlohmann::json::parse(out.str())["checks"].at(0);
  CHECK_THAT(check["message"].get<std::string>(),
             Catch::Contains("healthy, but no answer after the first healthy one came within the 10s deadline"));
}
