#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "api_server.hpp"
#include "core/text.hpp"
#include "env/env.hpp"
#include "github/api.hpp"
#include "github/environments.hpp"
#include "helpers.hpp"
#include "lint/lint.hpp"

using namespace shipgate;
using nlohmann::json;

namespace {

constexpr const char* k_token = "ghs_s3cr3tT0kenValue";

json environment(const std::string& name, int reviewers, bool self_review_blocked, bool branch_policy,
                 int wait_minutes = 0) {
  json rules = json::array();
  if (reviewers > 0) {
    json list = json::array();
    for (int i = 0; i < reviewers; ++i) {
      list.push_back({{"type", "User"}, {"reviewer", {{"login", "rev" + std::to_string(i)}, {"id", i}}}});
    }
    rules.push_back(
        {{"id", 3}, {"type", "required_reviewers"}, {"prevent_self_review", self_review_blocked}, {"reviewers", list}});
  }
  if (wait_minutes > 0) {
    rules.push_back({{"id", 4}, {"type", "wait_timer"}, {"wait_timer", wait_minutes}});
  }
  return {{"id", 1},
          {"name", name},
          {"url", "https://api.github.com/repos/raxx/api/environments/" + name},
          {"protection_rules", rules},
          {"deployment_branch_policy",
           branch_policy ? json{{"protected_branches", true}, {"custom_branch_policies", false}} : json(nullptr)}};
}

/// A fake of GitHub's REST API for one repository's environments, on 127.0.0.1.
class FakeGitHub {
public:
  using Reply = test::ApiServer::Reply;
  FakeGitHub() : m_server([this](const test::ApiServer::Request& req) { return handle(req); }) {}

  void add(const json& env) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_envs[text::to_lower(env["name"].get<std::string>())] = env;
  }
  void set_private(bool value) { m_private = value; }
  void on(const std::string& path, std::function<Reply(const test::ApiServer::Request&)> route) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_routes[path] = std::move(route);
  }
  std::string base() const { return m_server.base(); }
  test::ApiServer& server() { return m_server; }

private:
  static Reply reply(int status, const json& body) {
    return {status, {{"Content-Type", "application/json"}}, body.dump()};
  }
  static Reply error(int status, const std::string& message) {
    return reply(status, {{"message", message}, {"documentation_url", "https://docs.github.com/rest"}});
  }

  Reply handle(const test::ApiServer::Request& req) {
    std::function<Reply(const test::ApiServer::Request&)> route;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (const auto it = m_routes.find(req.path); it != m_routes.end()) {
        route = it->second;
      }
    }
    if (route) {
      return route(req);
    }
    if (req.header("authorization") != std::string("Bearer ") + k_token) {
      return error(401, "Bad credentials");
    }
    if (req.header("accept") != "application/vnd.github+json" || req.header("x-github-api-version").empty()) {
      return error(415, "Unsupported media type");
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    auto path = req.path;  // GitHub routes a path with a trailing slash as the path without it
    if (path.size() > 1 && path.back() == '/') {
      path.pop_back();
    }
    if (path == "/repos/raxx/api") {
      return reply(200, {{"full_name", "raxx/api"}, {"private", m_private}});
    }
    const std::string prefix = "/repos/raxx/api/environments";
    if (path == prefix) {  // three pages of environments, 2 per page, linked by Link
      const auto at = ("&" + req.query).find("&page=");
      const int page = at != std::string::npos ? std::stoi(req.query.substr(at + 5)) : 1;
      json envs = json::array();
      std::size_t i = 0;
      for (const auto& [name, env] : m_envs) {
        if (i / 2 + 1 == static_cast<std::size_t>(page)) {
          envs.push_back(env);
        }
        ++i;
      }
      Reply r = reply(200, {{"total_count", m_envs.size()}, {"environments", envs}});
      if (static_cast<std::size_t>(page) * 2 < m_envs.size()) {
        r.headers.emplace_back("Link", "<" + base() + prefix + "?per_page=2&page=" + std::to_string(page + 1) +
                                           ">; rel=\"next\", <" + base() + prefix + "?page=1>; rel=\"first\"");
      }
      return r;
    }
    if (path.rfind(prefix + "/", 0) == 0) {
      auto name = path.substr(prefix.size() + 1);
      for (std::size_t at = name.find("%20"); at != std::string::npos; at = name.find("%20")) {
        name.replace(at, 3, " ");
      }
      const auto it = m_envs.find(text::to_lower(name));
      return it == m_envs.end() ? error(404, "Not Found") : reply(200, it->second);
    }
    return error(404, "Not Found");
  }

  std::mutex m_mutex;
  std::map<std::string, json> m_envs;
  std::map<std::string, std::function<Reply(const test::ApiServer::Request&)>> m_routes;
  bool m_private = false;
  test::ApiServer m_server;  // last: stopped first
};

test::Captured run_env(const FakeGitHub& api, std::vector<std::string> args, Environment env = {},
                       const std::string& cwd = {}) {
  args.insert(args.begin(), {"--format", "json"});
  env.emplace("GITHUB_TOKEN", k_token);
  env.emplace("GITHUB_API_URL", api.base());
  env.emplace("GITHUB_REPOSITORY", "raxx/api");
  auto r = test::capture([](const Invocation& inv) { return run_gate(*env::make_gate(), inv); }, std::move(args),
                         std::move(env), cwd);
  CHECK_FALSE(test::leaks(r, k_token));  // never the token, in any scenario, in any output
  return r;
}

std::string message(const test::Captured& r, std::size_t i = 0) {
  return json::parse(r.out)["checks"].at(i).value("message", "");
}

}  // namespace

TEST_CASE("env: a protected environment passes; a missing one is the incident", "[env]") {
  FakeGitHub api;
  api.add(environment("Production", 2, true, true, 5));
  auto r = run_env(api, {"--environment", "production", "--forbid-self-review", "--require-branch-policy"});
  CHECK(r.code == 0);
  CHECK_THAT(message(r), Catch::Contains("'production' exists: 2 required reviewers, no self-review, branch policy, "
                                         "waits 5m"));
  r = run_env(api, {"--environment", "prodution"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("'prodution' does not exist (did you mean 'production'?): GitHub creates "
                                         "it unprotected on first use"));
}

TEST_CASE("env: the policy: reviewers, self-review, branches, wait timers, plan limits", "[env]") {
  FakeGitHub api;
  api.add(environment("staging", 0, false, false));
  api.add(environment("production", 1, false, false, 1));
  auto r = run_env(api, {"--environment", "staging"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("'staging' has no required reviewers") && !Catch::Contains("private"));
  api.set_private(true);
  r = run_env(api, {"--environment", "staging"});
  CHECK_THAT(message(r), Catch::Contains("in a private repository reviewers and wait timers need GitHub Enterprise"));
  CHECK(run_env(api, {"--environment", "staging", "--require-reviewers", "0"}).code == 0);
  r = run_env(api, {"--environment", "production", "--require-reviewers", "2"});
  CHECK_THAT(message(r), Catch::Contains("has 1 required reviewer, fewer than 2"));
  r = run_env(api, {"--environment", "production", "--forbid-self-review"});
  CHECK(r.code == 1);
  CHECK_THAT(message(r), Catch::Contains("Prevent self-review"));
  r = run_env(api, {"--environment", "production", "--require-branch-policy"});
  CHECK_THAT(message(r), Catch::Contains("can be deployed from any branch"));
  r = run_env(api, {"--environment", "production", "--min-wait-timer", "5m"});
  CHECK_THAT(message(r), Catch::Contains("waits 1m0s, less than 5m") || Catch::Contains("waits 1m, less than 5m"));
  CHECK(run_env(api, {"--environment", "production", "--max-wait-timer", "30s"}).code == 1);
}

TEST_CASE("env: --list writes what shipgate-lint --environments reads, over every page", "[env]") {
  FakeGitHub api;
  for (const char* name : {"alpha", "beta", "Production", "qa env", "staging"}) {
    api.add(environment(name, 1, true, true));
  }
  test::TempDir dir;
  const auto r = run_env(api, {"--list", "envs.json"}, {}, dir.path().string());
  CHECK(r.code == 0);
  const auto records = json::parse(test::read_file((dir.path() / "envs.json").string()));
  CHECK(records["total_count"] == 5);
  CHECK(records["environments"].size() == 5);
  // One model: what --list wrote reads back with every protection rule, as the API gave it.
  const auto read_back = github::load_environments("envs.json", dir.path().string());
  REQUIRE(read_back.ok());
  const auto* production = read_back->find("PRODUCTION");
  REQUIRE(production != nullptr);
  CHECK(production->protection_rules == std::vector<std::string>{"required_reviewers"});
  CHECK(production->reviewers == 1);
  CHECK(production->prevent_self_review);
  CHECK(production->branch_policy);
  // The two gates compose: lint reads the file the env gate wrote.
  dir.write(".github/workflows/deploy.yml",
            "on: push\njobs:\n  prod:\n    runs-on: ubuntu-latest\n    environment: production\n    steps: [{run: x}]\n"
            "  qa:\n    runs-on: ubuntu-latest\n    environment: prodution\n    steps: [{run: x}]\n");
  const auto lint = test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); },
                                  {"--environments", "envs.json"}, {}, dir.path().string());
  CHECK(lint.code == 1);
  CHECK_THAT(lint.out,
             Catch::Contains("'prodution', which does not exist") && Catch::Contains("did you mean 'Production'?"));
  // Names with spaces are one path segment; names compare case-insensitively.
  CHECK(run_env(api, {"--environment", "QA ENV"}).code == 0);
}

TEST_CASE("env: --all-deploying checks every environment the workflows name", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, true, true));
  test::TempDir dir;
  dir.write(".github/workflows/deploy.yml",
            "on:\n  workflow_dispatch:\n    inputs:\n      target: {type: choice, options: [production, staging]}\n"
            "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: ${{ inputs.target }}\n"
            "    steps: [{run: x}]\n  other:\n    runs-on: ubuntu-latest\n    environment: ${{ vars.ENV }}\n"
            "    steps: [{run: x}]\n");
  const auto r = run_env(api, {"--all-deploying"}, {}, dir.path().string());
  CHECK(r.code == 1);
  const auto checks = json::parse(r.out)["checks"];
  REQUIRE(checks.size() == 2);
  CHECK(checks[0]["verdict"] == "pass");  // production
  CHECK(checks[1]["message"].get<std::string>().find("'staging' does not exist") != std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("cannot be known before the run"));
}

TEST_CASE("env: --all-deploying follows calls to local reusable workflows, as lint does", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, true, true));
  api.add(environment("staging", 1, true, true));
  test::TempDir dir;
  // The callee's environment is whatever each caller passes: a typo at one caller is a missing
  // environment, found through the call; on its own the callee names nothing to check.
  dir.write(".github/workflows/called.yml",
            "on:\n  workflow_call:\n    inputs:\n      target: {type: string, required: true}\n"
            "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: ${{ inputs.target }}\n"
            "    steps: [{run: ./deploy}]\n");
  dir.write(".github/workflows/deploy.yml",
            "on: push\njobs:\n  prod:\n    uses: ./.github/workflows/called.yml\n    with: {target: prodution}\n"
            "  staging:\n    uses: ./.github/workflows/called.yml\n    with: {target: staging}\n");
  auto r = run_env(api, {"--all-deploying"}, {{"RUNNER_DEBUG", "1"}}, dir.path().string());
  CHECK(r.code == 1);
  auto checks = json::parse(r.out)["checks"];
  REQUIRE(checks.size() == 2);
  CHECK(checks[0]["name"] == "environment prodution");
  CHECK_THAT(checks[0]["message"].get<std::string>(), Catch::Contains("'prodution' does not exist"));
  CHECK(checks[0]["details"]["named_in"][0] ==
        ".github/workflows/called.yml:8 (called at .github/workflows/deploy.yml:4)");
  CHECK(checks[1]["verdict"] == "pass");  // staging
  CHECK_THAT(r.err, !Catch::Contains("cannot be known before the run"));
  // lint, given the same repository's records, finds the same name at the caller's value.
  dir.write("envs.yml", "- production\n- staging\n");
  const auto lint = test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); },
                                  {"--environments", "envs.yml"}, {}, dir.path().string());
  CHECK(lint.code == 1);
  CHECK_THAT(lint.out, Catch::Contains("deploy.yml:5:") && Catch::Contains("'prodution', which does not exist"));
  // A chain of calls: the name passes through a second reusable workflow.
  dir.write(".github/workflows/middle.yml",
            "on:\n  workflow_call:\n    inputs:\n      env: {type: string}\njobs:\n  inner:\n"
            "    uses: ./.github/workflows/called.yml\n    with: {target: \"${{ inputs.env }}\"}\n");
  dir.write(".github/workflows/deploy.yml",
            "on: push\njobs:\n  prod:\n    uses: ./.github/workflows/middle.yml\n    with: {env: Productoin}\n");
  r = run_env(api, {"--all-deploying"}, {}, dir.path().string());
  CHECK(r.code == 1);
  checks = json::parse(r.out)["checks"];
  REQUIRE(checks.size() == 1);
  CHECK_THAT(checks[0]["message"].get<std::string>(), Catch::Contains("'productoin' does not exist"));
}

TEST_CASE("env: API errors are 3, naming the token's problem", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, true, true));
  auto r =
      test::capture([](const Invocation& inv) { return run_gate(*env::make_gate(), inv); },
                    {"--format", "json", "--environment", "production"},
                    {{"GITHUB_TOKEN", "wrong"}, {"GITHUB_API_URL", api.base()}, {"GITHUB_REPOSITORY", "raxx/api"}});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("HTTP 401: Bad credentials") && Catch::Contains("GITHUB_TOKEN or GH_TOKEN"));
  using Reply = test::ApiServer::Reply;
  api.on("/repos/raxx/api/environments/forbidden", [](const test::ApiServer::Request&) {
    return Reply{
        403, {{"Content-Type", "application/json"}}, R"({"message":"Resource not accessible by integration"})"};
  });
  api.on("/repos/raxx/api/environments/limited", [](const test::ApiServer::Request&) {
    return Reply{403, {{"x-ratelimit-remaining", "0"}}, R"({"message":"API rate limit exceeded"})"};
  });
  api.on("/repos/raxx/api/environments/broken", [](const test::ApiServer::Request& req) {
    return Reply{500, {}, "{\"message\":\"oops " + req.header("authorization") + "\"}"};
  });
  api.on("/repos/raxx/api/environments/hangs", [&api](const test::ApiServer::Request&) {
    api.server().hang();
    return Reply{};
  });
  r = run_env(api, {"--environment", "forbidden"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("not accessible by integration") && Catch::Contains("actions: read"));
  r = run_env(api, {"--environment", "limited"});
  CHECK_THAT(message(r), Catch::Contains("rate limit reached"));
  r = run_env(api, {"--environment", "broken"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("oops Bearer ***"));
  r = run_env(api, {"--environment", "hangs", "--timeout", "300ms", "--deadline", "1s"});
  api.server().release();
  CHECK(r.code == 3);
}

TEST_CASE("env: bad flags are usage errors", "[env]") {
  for (const auto& [args, environment_vars] : std::vector<std::pair<std::vector<std::string>, Environment>>{
           {{"--environment", "production"}, {{"GITHUB_TOKEN", "x"}}},
           {{"--environment", "production", "--repo", "../x"}, {{"GITHUB_TOKEN", "x"}}},
           {{"--environment", "production", "--repo", "raxx/api"}, {}},
           {{"--repo", "raxx/api"}, {{"GITHUB_TOKEN", "x"}}},
           {{"--environment", "p", "--repo", "raxx/api", "--min-wait-timer", "5"}, {{"GITHUB_TOKEN", "x"}}},
       }) {
    INFO(text::join(args, " "));
    const auto r =
        test::capture([](const Invocation& inv) { return run_gate(*env::make_gate(), inv); }, args, environment_vars);
    CHECK(r.code == 2);
  }
  CHECK(github::next_link(R"(<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last")") ==
        std::string("https://x/a?page=2"));
}

TEST_CASE("env: a name that is a dot segment stays one path segment", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, true, true));
  std::atomic<int> asked{0};
  for (const char* path : {"/repos/raxx/api/environments/%2E", "/repos/raxx/api/environments/%2E%2E"}) {
    api.on(path, [&asked](const test::ApiServer::Request&) {
      ++asked;
      return test::ApiServer::Reply{404, {}, R"({"message":"Not Found"})"};
    });
  }
  // Sent raw, libcurl removes the dot segment: `.` asks for the list and `..` for the
  // repository, and either answer reads as an environment that exists.
  for (const char* name : {".", ".."}) {
    INFO(name);
    const auto r = run_env(api, {"--environment", name, "--require-reviewers", "0"});
    CHECK(r.code == 1);
    CHECK_THAT(message(r), Catch::Contains("does not exist") && !Catch::Contains("exists:"));
  }
  CHECK(asked == 2);
}

TEST_CASE("env: GITHUB_API_URL is https, or plain http only to loopback", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, true, true));
  const auto run = [](const std::string& base) {
    return test::capture([](const Invocation& inv) { return run_gate(*env::make_gate(), inv); },
                         {"--environment", "production"},
                         {{"GITHUB_TOKEN", k_token}, {"GITHUB_REPOSITORY", "raxx/api"}, {"GITHUB_API_URL", base}});
  };
  CHECK(run(api.base()).code == 0);
  auto r = run("http://api.example.com");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("GITHUB_API_URL: 'http://api.example.com' is plain http to a host that is not "
                                    "loopback"));
  CHECK(run("not a url").code == 2);
  CHECK(run("https://api.github.com?per_page=1").code == 2);
  r = run("https://x-access-token:ghp_pa55@api.github.com");
  CHECK(r.code == 2);
  CHECK(r.err.find("ghp_pa55") == std::string::npos);
  CHECK_FALSE(test::leaks(r, k_token));
}

TEST_CASE("env: a repository the token cannot see is not a missing environment", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, true, true));
  const auto r = run_env(api, {"--environment", "production", "--repo", "raxx/nope"});
  CHECK(r.code == 3);
  CHECK_THAT(message(r), Catch::Contains("the repository raxx/nope does not exist, or the token cannot see it"));
  // Odd JSON types in a record are read as absent, not a crash.
  const auto e = github::parse_environment(
      R"({"name":"p","protection_rules":[{"type":"required_reviewers","prevent_self_review":null,"reviewers":null},{"type":null}]})");
  REQUIRE(e);
  CHECK_FALSE(e->prevent_self_review);
  CHECK(e->reviewers == 0);
}

TEST_CASE("env: a policy per environment from the config, all in one run; a missing name gets a guess", "[env]") {
  FakeGitHub api;
  api.add(environment("staging", 0, false, false));
  api.add(environment("production", 1, false, true));
  test::TempDir dir;
  // A quoted "true" is true: it can no longer switch a check off.
  dir.write(".github/shipgate.yml",
            "env:\n"
            "  require-reviewers: 0\n"
            "  policies:\n"
            "    staging: {}\n"
            "    Production:\n"
            "      require-reviewers: 2\n"
            "      require-branch-policy: true\n"
            "      forbid-self-review: \"true\"\n");
  auto r = run_env(api, {"--environment", "prodution"}, {}, dir.path().string());
  CHECK(r.code == 1);
  const auto checks = json::parse(r.out)["checks"];
  REQUIRE(checks.size() == 3);  // production, prodution, staging: sorted
  CHECK(checks[0]["verdict"] == "fail");
  CHECK_THAT(checks[0]["message"].get<std::string>(),
             Catch::Contains("has 1 required reviewer, fewer than 2") && Catch::Contains("lets the one who deploys"));
  CHECK(checks[1]["verdict"] == "fail");
  CHECK_THAT(checks[1]["message"].get<std::string>(),
             Catch::Contains("'prodution' does not exist (did you mean 'production'?)"));
  CHECK(checks[2]["verdict"] == "pass");  // staging: must exist, no reviewers asked for

  SECTION("a policy key is checked as its flag is, with its place") {
    dir.write(".github/shipgate.yml",
              "env:\n  policies:\n    production:\n      forbid-self-review: yes\n"
              "      require-reviewer: 2\n");
    r = run_env(api, {}, {}, dir.path().string());
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(".github/shipgate.yml:4:27: expected true or false, got 'yes' "
                                      "[env.policies.production.forbid-self-review]"));
    CHECK_THAT(r.err, Catch::Contains("did you mean 'require-reviewers'"));
  }
}

TEST_CASE("env: names that are dot segments never read the repository or the list", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, false, false));
  for (const auto* name : {".", ".."}) {
    INFO("environment " << name);
    const auto r = run_env(api, {"--environment", name});
    CHECK(r.code == 1);
    CHECK_THAT(message(r), Catch::Contains("does not exist"));
  }
}

TEST_CASE("env: a flag wins over a policy per environment in the config", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, false, false));
  test::TempDir dir;
  dir.write(".github/shipgate.yml",
            "env:\n  policies:\n    production:\n      require-reviewers: 3\n      forbid-self-review: true\n");
  auto r = run_env(api, {}, {}, dir.path().string());
  CHECK(r.code == 1);  // the config's bar: 3 reviewers, self-review forbidden
  r = run_env(api, {"--require-reviewers", "1", "--forbid-self-review=false"}, {}, dir.path().string());
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(json::parse(r.out)["checks"].at(0)["verdict"] == "pass");
}

TEST_CASE("env: two policies whose names differ only in case are a config error with the place", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, false, false));
  test::TempDir dir;
  dir.write(".github/shipgate.yml",
            "env:\n  policies:\n    Production:\n      require-reviewers: 0\n    production:\n"
            "      require-reviewers: 3\n");
  const auto r = run_env(api, {}, {}, dir.path().string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains(".github/shipgate.yml:5:5: 'Production' and 'production' name the same "
                                    "environment") &&
                        Catch::Contains("[env.policies.production]"));
}

TEST_CASE("env: a gate run twice starts fresh, with nothing of the first run", "[env]") {
  FakeGitHub api;
  api.add(environment("production", 1, false, false));
  api.add(environment("staging", 0, false, false));
  test::TempDir dir;
  const auto gate = env::make_gate();
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "json"});
    return test::capture([&gate](const Invocation& inv) { return run_gate(*gate, inv); }, std::move(args),
                         {{"GITHUB_TOKEN", k_token}, {"GITHUB_API_URL", api.base()}, {"GITHUB_REPOSITORY", "raxx/api"}},
                         dir.path().string());
  };
  dir.write(".github/shipgate.yml", "env:\n  policies:\n    staging:\n      require-reviewers: 2\n");
  auto r = run({"--environment", "production"});
  CHECK(r.code == 1);  // staging has no reviewers, fewer than its 2
  CHECK(json::parse(r.out)["checks"].size() == 2);
  dir.write(".github/shipgate.yml", "env: {}\n");
  r = run({"--environment", "production"});
  INFO(r.out);
  CHECK(r.code == 0);
  const auto checks = json::parse(r.out)["checks"];
  REQUIRE(checks.size() == 1);
  CHECK_THAT(checks.at(0)["name"].get<std::string>(), Catch::Contains("production"));
}
