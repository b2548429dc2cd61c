#include <catch2/catch.hpp>

#include <atomic>
#include <ctime>
#include <map>
#include <mutex>
#include <regex>

#include <nlohmann/json.hpp>

#include "api_server.hpp"
#include "core/text.hpp"
#include "helpers.hpp"
#include "heroku/api.hpp"
#include "release/release.hpp"

using namespace shipgate;
using nlohmann::json;

namespace {

constexpr const char* k_token = "HRKU-s3cr3t-api-key";
constexpr const char* k_sha = "0123456789abcdef0123456789abcdef01234567";
constexpr long long k_now = 1'790'000'000;  // test::ManualClock's start

/// An ISO 8601 time `seconds_ago` before the manual clock's start.
std::string ago(long long seconds_ago) {
  const std::time_t t = static_cast<std::time_t>(k_now - seconds_ago);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json release_json(long version, const char* slug, const char* status = "succeeded", long long age = 3600) {
  return {{"version", version},
          {"status", status},
          {"description", slug != nullptr ? "Deploy abc1234" : "Set DATABASE_URL config vars"},
          {"created_at", ago(age)},
          {"current", true},
          {"slug", slug != nullptr ? json{{"id", slug}} : json(nullptr)},
          {"artifacts", slug != nullptr ? json::array({{{"type", "slug"}, {"id", slug}}}) : json::array()}};
}

/// One app as the fake Platform API holds it.
struct FakeApp {
  json app;
  std::vector<json> releases;  // any order
  std::map<std::string, json> slugs;
  json formation = json::array();
  std::vector<json> dynos_by_poll = {json::array()};  // each read of /dynos takes the next, then stays
  std::vector<std::string> release_status_by_poll;    // overrides the latest release's status per read
  int dyno_reads = 0;
  int release_reads = 0;
};

FakeApp healthy_app(const std::string& name, const std::string& commit = k_sha) {
  FakeApp a;
  a.app = {{"name", name}, {"generation", {{"name", "cedar"}}}, {"slug_size", 222'000'000}};
  a.releases = {release_json(41, "slug-41"), release_json(42, "slug-42")};
  a.slugs["slug-42"] = {
      {"id", "slug-42"}, {"size", 222'000'000}, {"commit", commit}, {"stack", {{"name", "heroku-24"}}}};
  a.slugs["slug-41"] = {{"id", "slug-41"}, {"size", 221'000'000}, {"commit", "ffff"}};
  a.formation = json::array({{{"type", "web"}, {"quantity", 2}, {"size", "standard-1x"}}});
  a.dynos_by_poll = {json::array(
      {{{"name", "web.1"}, {"type", "web"}, {"state", "up"}}, {{"name", "web.2"}, {"type", "web"}, {"state", "up"}}})};
  return a;
}

/// A fake Heroku Platform API on 127.0.0.1 with the documented shapes and Range pagination.
class FakeHeroku {
public:
  using Reply = test::ApiServer::Reply;
  using Route = std::function<Reply(const test::ApiServer::Request&)>;

  FakeHeroku() : m_server([this](const test::ApiServer::Request& req) { return handle(req); }) {}

  void add(const std::string& name, FakeApp app) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_apps[name] = std::move(app);
  }
  /// A scripted answer for one path, ahead of the fake apps.
  void on(const std::string& path, Route route) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_routes[path] = std::move(route);
  }
  std::string base() const { return m_server.base(); }
  test::ApiServer& server() { return m_server; }
  int requests() const { return m_server.requests.load(); }

private:
  static Reply json_reply(int status, const json& body) {
    return {status, {{"Content-Type", "application/json"}, {"RateLimit-Remaining", "120"}}, body.dump()};
  }
  static Reply error(int status, const char* id, const char* message) {
    return json_reply(status, {{"id", id}, {"message", message}});
  }

  Reply handle(const test::ApiServer::Request& req) {
    if (req.header("accept") != "application/vnd.heroku+json; version=3") {
      return error(406, "not_acceptable", "Please specify a version along with Heroku's API MIME type.");
    }
    Route route;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (const auto it = m_routes.find(req.path); it != m_routes.end()) {
        route = it->second;
      }
    }
    if (route) {
      return route(req);  // outside the lock: a route may hang
    }
    if (req.header("authorization") != std::string("Bearer ") + k_token) {
      return error(401, "unauthorized", "Invalid credentials provided.");
    }
    std::smatch m;
    static const std::regex k_path(R"(/apps/([a-z0-9-]+)(/(releases|formation|dynos|slugs/([a-z0-9-]+)))?)");
    if (!std::regex_match(req.path, m, k_path)) {
      return error(404, "not_found", "Not found.");
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_apps.find(m[1]);
    if (it == m_apps.end()) {
      return error(404, "not_found", "Couldn't find that app.");
    }
    auto& a = it->second;
    const std::string what = m[3];
    if (what.empty()) {
      return json_reply(200, a.app);
    }
    if (what == "releases") {
      return list_releases(a, req.header("range"));
    }
    if (what == "formation") {
      return json_reply(200, a.formation);
    }
    if (what == "dynos") {
      const auto i = std::min<std::size_t>(static_cast<std::size_t>(a.dyno_reads++), a.dynos_by_poll.size() - 1);
      return json_reply(200, a.dynos_by_poll[i]);
    }
    const auto slug = a.slugs.find(m[4]);
    return slug == a.slugs.end() ? error(404, "not_found", "Couldn't find that slug.") : json_reply(200, slug->second);
  }

  /// `Range: version ..; order=desc, max=N`, or the `]V..` a Next-Range hands back.
  static Reply list_releases(FakeApp& a, const std::string& range) {
    auto list = a.releases;
    std::sort(list.begin(), list.end(), [](const json& x, const json& y) { return x["version"] > y["version"]; });
    if (!a.release_status_by_poll.empty() && !list.empty()) {
      const auto i =
          std::min<std::size_t>(static_cast<std::size_t>(a.release_reads), a.release_status_by_poll.size() - 1);
      list.front()["status"] = a.release_status_by_poll[i];
    }
    ++a.release_reads;
    std::smatch m;
    long below = -1;
    std::size_t max = 200;
    if (std::regex_search(range, m, std::regex(R"(max=(\d+))"))) {
      max = std::stoul(m[1]);
    }
    if (std::regex_search(range, m, std::regex(R"(version \](\d+)\.\.)"))) {
      below = std::stol(m[1]);
    }
    json page = json::array();
    for (const auto& r : list) {
      if ((below < 0 || r["version"].get<long>() < below) && page.size() < max) {
        page.push_back(r);
      }
    }
    Reply reply = json_reply(200, page);
    if (!page.empty() && page.back()["version"].get<long>() > list.back()["version"].get<long>()) {
      reply.status = 206;
      reply.headers.emplace_back("Next-Range", "version ]" + std::to_string(page.back()["version"].get<long>()) +
                                                   "..; order=desc, max=" + std::to_string(max));
    }
    return reply;
  }

  std::mutex m_mutex;
  std::map<std::string, FakeApp> m_apps;
  std::map<std::string, Route> m_routes;
  test::ApiServer m_server;  // last: destroyed first, so no handler runs on a dead fake
};

test::Captured run_release(const FakeHeroku& api, std::vector<std::string> args, Environment env = {}) {
  args.insert(args.begin(), {"--format", "json"});
  env.emplace("HEROKU_API_KEY", k_token);
  env.emplace("HEROKU_API_URL", api.base());
  auto r = test::capture([](const Invocation& inv) { return run_gate(*release::make_gate(), inv); }, std::move(args),
                         std::move(env));
  CHECK_FALSE(test::leaks(r, k_token));  // never the token, in any scenario, in any output
  return r;
}

json checks(const test::Captured& r) { return json::parse(r.out)["checks"]; }
std::string message(const test::Captured& r, std::size_t i = 0) { return checks(r).at(i).value("message", ""); }

}  // namespace

TEST_CASE("release: the incident's app, configured but never deployed, on no dynos", "[release]") {
  FakeHeroku api;
  FakeApp incident;
  incident.app = {{"name", "raxx-api-prod"}, {"generation", {{"name", "cedar"}}}, {"slug_size", nullptr}};
  for (long v = 1; v <= 7; ++v) {
    incident.releases.push_back(release_json(v, nullptr));
  }
  api.add("raxx-api-prod", incident);
  const auto r = run_release(api, {"--app", "raxx-api-prod"});
  CHECK(r.code == 1);
  // Each problem is named in the one-line message, so the annotation and step summary show both.
  CHECK(message(r) ==
        "configured but never deployed: none of its 7 releases carries code; no web dynos: the web formation is 0 "
        "(heroku ps:scale web=1)");
  const auto problems = checks(r)[0]["details"]["problems"];
  CHECK(problems.dump().find("no web dynos: the web formation is 0") != std::string::npos);
}

TEST_CASE("release: a healthy app, at the commit this workflow built", "[release]") {
  FakeHeroku api;
  api.add("raxx-api-prod", healthy_app("raxx-api-prod"));
  auto r = run_release(api, {"--app", "raxx-api-prod"}, {{"GITHUB_SHA", k_sha}});
  CHECK(r.code == 0);
  CHECK_THAT(message(r),
             Catch::StartsWith("v42 succeeded 1h ago, 211.7 MiB slug of 0123456") && Catch::EndsWith("web 2/2 up"));
  CHECK_THAT(r.err, Catch::Contains("allows 120 more requests for now (RateLimit-Remaining)"));
  // Another commit: the deploy step "succeeded" without shipping this one.
  api.add("raxx-api-prod", healthy_app("raxx-api-prod", "fedcba9876543210fedcba9876543210fedcba98"));
  r = run_release(api, {"--app", "raxx-api-prod"}, {{"GITHUB_SHA", k_sha}});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("v42 runs commit fedcba98765") && Catch::Contains("not 0123456789a"));
  r = run_release(api, {"--app", "raxx-api-prod", "--expect-commit", "none", "--max-slug-size", "200MB"},
                  {{"GITHUB_SHA", k_sha}});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("the slug is 211.7 MiB, over the budget of 190.7 MiB"));
}

TEST_CASE("release: pending releases are waited for within their grace", "[release]") {
  FakeHeroku api;
  auto app = healthy_app("raxx-api-prod");
  app.releases.back() = release_json(42, "slug-42", "pending", 60);
  app.release_status_by_poll = {"pending", "pending", "succeeded"};
  api.add("raxx-api-prod", app);
  CHECK(run_release(api, {"--app", "raxx-api-prod"}).code == 0);
  app.release_status_by_poll = {"pending"};
  api.add("raxx-api-prod", app);
  auto r = run_release(api, {"--app", "raxx-api-prod", "--pending-grace", "2m"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("release v42 is still pending after the 2m grace"));
  app.releases.back() = release_json(42, "slug-42", "failed");
  app.release_status_by_poll.clear();
  api.add("raxx-api-prod", app);
  r = run_release(api, {"--app", "raxx-api-prod"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("release v42 failed"));
}

TEST_CASE("release: dynos crashed, starting, idle", "[release]") {
  FakeHeroku api;
  auto app = healthy_app("raxx-api-prod");
  app.dynos_by_poll = {json::array({{{"name", "web.1"}, {"type", "web"}, {"state", "crashed"}},
                                    {{"name", "web.2"}, {"type", "web"}, {"state", "up"}}})};
  api.add("raxx-api-prod", app);
  auto r = run_release(api, {"--app", "raxx-api-prod"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("web.1 crashed"));
  app.dynos_by_poll = {json::array({{{"name", "web.1"}, {"type", "web"}, {"state", "starting"}}}),
                       json::array({{{"name", "web.1"}, {"type", "web"}, {"state", "up"}}})};
  api.add("raxx-api-prod", app);
  CHECK(run_release(api, {"--app", "raxx-api-prod"}).code == 0);
  app.dynos_by_poll = {json::array({{{"name", "web.1"}, {"type", "web"}, {"state", "starting"}}})};
  api.add("raxx-api-prod", app);
  r = run_release(api, {"--app", "raxx-api-prod", "--grace", "30s"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("web.1 still starting after the 30s grace"));
  app.dynos_by_poll = {json::array({{{"name", "web.1"}, {"type", "web"}, {"state", "idle"}}})};
  api.add("raxx-api-prod", app);
  r = run_release(api, {"--app", "raxx-api-prod"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("web.1 is idle"));
  CHECK(run_release(api, {"--app", "raxx-api-prod", "--fail-idle"}).code == 1);
}

TEST_CASE("release: an app on the newer generation runs an image, not a slug", "[release]") {
  FakeHeroku api;
  auto app = healthy_app("raxx-fir");
  app.app["generation"] = {{"name", "fir"}};
  auto latest = release_json(42, nullptr);
  latest["artifacts"] = json::array({{{"type", "oci-image"}, {"id", "img-1"}}});
  app.releases = {latest};
  api.add("raxx-fir", app);
  const auto r = run_release(api, {"--app", "raxx-fir"}, {{"GITHUB_SHA", k_sha}});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("runs an image, whose commit the API does not say"));
}

TEST_CASE("release: the latest release found across pages", "[release]") {
  FakeHeroku api;
  auto app = healthy_app("raxx-api-prod");
  app.releases.clear();
  app.releases.push_back(release_json(1, "slug-41"));
  for (long v = 2; v <= 450; ++v) {
    app.releases.push_back(release_json(v, nullptr));
  }
  api.add("raxx-api-prod", app);
  const auto before = api.requests();
  const auto r = run_release(api, {"--app", "raxx-api-prod"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("latest release v450 runs no code"));
  CHECK(checks(r)[0]["details"]["releases_read"] == 450);
  CHECK(api.requests() - before == 6);  // app, 3 pages of releases, formation, dynos
}

TEST_CASE("release: API errors: missing, rejected, forbidden, limited, failing, hanging, not JSON", "[release]") {
  FakeHeroku api;
  api.add("raxx-api-prod", healthy_app("raxx-api-prod"));
  auto r = run_release(api, {"--app", "raxx-nope"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("the app does not exist, or the token's account cannot see it"));
  // A wrong token: could not evaluate (3), saying what to fix.
  r = test::capture([](const Invocation& inv) { return run_gate(*release::make_gate(), inv); },
                    {"--format", "json", "--app", "raxx-api-prod"},
                    {{"HEROKU_API_KEY", "wrong"}, {"HEROKU_API_URL", api.base()}});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("HTTP 401: unauthorized: Invalid credentials provided.") &&
                             Catch::Contains("HEROKU_API_KEY is missing, expired or revoked"));
  std::atomic<int> hits{0};
  using Req = test::ApiServer::Request;
  using Reply = test::ApiServer::Reply;
  const auto body = [](int status, const std::string& text) {
    return Reply{status, {{"Content-Type", "application/json"}}, text};
  };
  api.on("/apps/raxx-forbidden", [&](const Req&) {
    return body(403, R"({"id":"forbidden","message":"You do not have access to the app raxx-forbidden."})");
  });
  api.on("/apps/raxx-limited", [&](const Req&) {
    if (++hits == 1) {
      auto reply = body(429, R"({"id":"rate_limit","message":"Your account reached the API rate limit."})");
      reply.headers.emplace_back("Retry-After", "20");
      return reply;
    }
    return body(404, R"({"id":"not_found","message":"Couldn't find that app."})");
  });
  api.on("/apps/raxx-broken", [&](const Req& req) {
    return body(500, R"({"id":"internal","message":"oops )" + req.header("authorization") + "\"}");
  });
  api.on("/apps/raxx-hangs", [&api](const Req&) {
    api.server().hang();
    return Reply{};
  });
  api.on("/apps/raxx-garbled", [](const Req&) { return Reply{200, {}, "<html>maintenance</html>"}; });
  r = run_release(api, {"--app", "raxx-forbidden"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r),
             Catch::Contains("HTTP 403: forbidden: You do not have access") && Catch::Contains("no access"));
  r = run_release(api, {"--app", "raxx-limited"});
  CHECK(r.code == 1);  // retried after the 429's Retry-After, then a real answer
  CHECK(hits == 2);
  r = run_release(api, {"--app", "raxx-broken"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("HTTP 500: internal: oops Bearer ***"));
  r = run_release(api, {"--app", "raxx-garbled"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("not JSON"));
  r = run_release(api, {"--app", "raxx-hangs", "--timeout", "300ms", "--deadline", "1s"});
  api.server().release();
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("timed out"));
}

TEST_CASE("release: a sweep over many apps, each with its own verdict", "[release]") {
  FakeHeroku api;
  api.add("raxx-api-prod", healthy_app("raxx-api-prod"));
  api.add("raxx-web-prod", healthy_app("raxx-web-prod"));
  api.add("raxx_old", healthy_app("raxx_old"));
  test::TempDir dir;
  const auto file = dir.write("apps.txt", "raxx-web-prod  # the web app\n\nraxx-api-prod\nraxx-ml-staging\n");
  const auto r =
      run_release(api, {"--apps-file", file, "--app-pattern", "raxx-{surface}-{env}", "--app", "raxx-api-prod,legacy"},
                  {{"GITHUB_SHA", k_sha}});
  CHECK(r.code == 1);
  const auto c = checks(r);
  REQUIRE(c.size() == 4);  // sorted, each once
  CHECK(c[0]["name"] == "release legacy");
  CHECK_THAT(c[0]["message"].get<std::string>(),  // missing first, then every other problem
             Catch::StartsWith("the app does not exist") && Catch::Contains("; the name breaks the naming convention"));
  CHECK(c[1]["verdict"] == "pass");
  CHECK(c[2]["message"].get<std::string>().find("does not exist") != std::string::npos);
  CHECK(c[3]["verdict"] == "pass");  // no commit expected from GITHUB_SHA over many apps
  CHECK_THAT(c[0]["details"]["problems"].dump(), Catch::Contains("naming convention raxx-{surface}-{env}"));
}

TEST_CASE("release: bad flags are usage errors", "[release]") {
  for (const auto& [args, env] : std::vector<std::pair<std::vector<std::string>, Environment>>{
           {{}, {{"HEROKU_API_KEY", "x"}}},
           {{"--app", "../etc/passwd"}, {{"HEROKU_API_KEY", "x"}}},
           {{"--app", "raxx"}, {}},
           {{"--app", "raxx", "--expect-commit", "xyz"}, {{"HEROKU_API_KEY", "x"}}},
           {{"--app", "raxx", "--grace", "10"}, {{"HEROKU_API_KEY", "x"}}},
           {{"--app", "raxx", "--max-slug-size", "big"}, {{"HEROKU_API_KEY", "x"}}},
       }) {
    INFO(text::join(args, " "));
    const auto r = test::capture([](const Invocation& inv) { return run_gate(*release::make_gate(), inv); }, args, env);
    CHECK(r.code == 2);
  }
}

TEST_CASE("release: what a server writes cannot forge log lines or leak part of the token", "[release]") {
  FakeHeroku api;
  auto app = healthy_app("raxx-api-prod");
  app.dynos_by_poll = {json::array({{{"name", "web.1\n::error::FORGED"}, {"type", "web"}, {"state", "crashed"}}})};
  api.add("raxx-api-prod", app);
  auto r = test::capture([](const Invocation& inv) { return run_gate(*release::make_gate(), inv); },
                         {"--app", "raxx-api-prod"}, {{"HEROKU_API_KEY", k_token}, {"HEROKU_API_URL", api.base()}});
  CHECK(r.code == 1);
  CHECK(r.out.find("\n::error::FORGED") == std::string::npos);
  CHECK(r.err.find("\n::error::FORGED") == std::string::npos);
  // The token echoed where a cut at 100 characters would keep only its start.
  api.on("/apps/raxx-echo", [](const test::ApiServer::Request&) {
    return test::ApiServer::Reply{
        401, {}, R"({"id":"unauthorized","message":")" + std::string(90, 'x') + " " + k_token + "\"}"};
  });
  r = run_release(api, {"--app", "raxx-echo"});
  CHECK(r.code == 3);
  CHECK(r.out.find("HRKU-s3") == std::string::npos);
  // A pending release the deadline cuts short is not a verdict: exit 3, not "after the grace".
  app = healthy_app("raxx-api-prod");
  app.releases.back() = release_json(42, "slug-42", "pending", 5);
  app.release_status_by_poll = {"pending"};
  api.add("raxx-api-prod", app);
  r = run_release(api, {"--app", "raxx-api-prod", "--deadline", "15s"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("the --deadline came before its grace ended"));
}

TEST_CASE("release: a slug id from the API stays one path segment", "[release]") {
  FakeHeroku api;
  auto app = healthy_app("raxx-api-prod");
  app.releases.back() = release_json(42, "../../../apps/raxx-other");
  api.add("raxx-api-prod", app);
  api.add("raxx-other", healthy_app("raxx-other"));  // what the raw id would have read instead
  std::atomic<int> other{0};
  api.on("/apps/raxx-other", [&other](const test::ApiServer::Request&) {
    ++other;
    return test::ApiServer::Reply{200, {}, R"({"name": "raxx-other"})"};
  });
  const auto r = run_release(api, {"--app", "raxx-api-prod", "--max-slug-size", "500MB"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("the slug: HTTP 404"));
  CHECK(other == 0);
}

TEST_CASE("release: HEROKU_API_URL is https, or plain http only to loopback", "[release]") {
  FakeHeroku api;
  api.add("raxx-api-prod", healthy_app("raxx-api-prod"));
  const auto run = [](const std::string& base) {
    return test::capture([](const Invocation& inv) { return run_gate(*release::make_gate(), inv); },
                         {"--app", "raxx-api-prod", "--expect-commit", "none"},
                         {{"HEROKU_API_KEY", k_token}, {"HEROKU_API_URL", base}});
  };
  CHECK(run(api.base() + "/").code == 0);  // loopback over http: the tests' own servers
  auto r = run("http://api.example.com");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("HEROKU_API_URL: 'http://api.example.com' is plain http to a host that is not "
                                    "loopback"));
  r = run("api.heroku.com");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("HEROKU_API_URL: 'api.heroku.com' is not a URL"));
  r = run("https://api.heroku.com/?page=2");
  CHECK(r.code == 2);
  r = run("https://me:pa55word@api.heroku.com");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("'https://api.heroku.com' carries credentials (user:password@)"));
  CHECK(r.err.find("pa55word") == std::string::npos);
  CHECK(r.out.find("pa55word") == std::string::npos);
}

TEST_CASE("release: a slug size or release status the API does not document is not a pass", "[release]") {
  FakeHeroku api;
  for (const auto& size : {json(nullptr), json("222000000"), json(-5), json(1.5)}) {
    INFO(size.dump());
    auto app = healthy_app("raxx-api-prod");
    app.slugs["slug-42"]["size"] = size;
    api.add("raxx-api-prod", app);
    const auto r = run_release(api, {"--app", "raxx-api-prod", "--max-slug-size", "500MB"});
    CHECK(r.code == 3);
    CHECK_THAT(message(r), Catch::Contains("could not check: the slug: the slug's size is"));
  }
  auto app = healthy_app("raxx-api-prod");
  app.slugs["slug-42"].erase("size");
  api.add("raxx-api-prod", app);
  auto r = run_release(api, {"--app", "raxx-api-prod", "--max-slug-size", "500MB"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("the slug's size is missing"));
  app = healthy_app("raxx-api-prod");
  app.releases.back()["status"] = "deleted";
  api.add("raxx-api-prod", app);
  r = run_release(api, {"--app", "raxx-api-prod"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("release v42 has status \"deleted\""));
}

TEST_CASE("release: --expect-commit takes a SHA-1, a SHA-256 or a prefix of 7+ hex digits, in either case",
          "[release]") {
  const std::string sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  FakeHeroku api;
  api.add("raxx-api-prod", healthy_app("raxx-api-prod", sha256));
  const auto upper = [](std::string s) {
    for (auto& c : s) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
  };
  for (const auto& good : {sha256, upper(sha256), sha256.substr(0, 7), upper(sha256.substr(0, 40))}) {
    INFO("--expect-commit " << good);
    const auto r = run_release(api, {"--app", "raxx-api-prod", "--expect-commit", good});
    CHECK(r.code == 0);
  }
  for (const auto& bad : {sha256.substr(0, 6), sha256.substr(0, 41), sha256.substr(0, 63), sha256 + "0",
                          "g" + sha256.substr(1, 39), std::string("HEAD")}) {
    INFO("--expect-commit " << bad);
    auto r = run_release(api, {"--app", "raxx-api-prod", "--expect-commit", bad});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--expect-commit: expected a commit SHA: 7 to 40 hex digits"));
    r = run_release(api, {"--app", "raxx-api-prod"}, {{"GITHUB_SHA", bad}});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("GITHUB_SHA: expected a commit SHA"));
  }
}
