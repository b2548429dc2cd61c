// Masking at the source: every network gate, given secrets, talks to a server on 127.0.0.1 that
// echoes each secret whole, in part and inside long text, in every place an answer can reach the
// output (an API error message, a release description, a body that is not JSON, a health body, a
// JSON value quoted in a message). No 40-character window of any secret may appear in any
// output: stdout, stderr (but its ::add-mask:: lines), the step outputs or the step summary.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_server.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "env/env.hpp"
#include "helpers.hpp"
#include "release/release.hpp"
#include "smoke/smoke.hpp"

using namespace shipgate;
using nlohmann::json;

namespace {

// Tokens as long as real ones: a window of 40 characters exists in each.
const std::string k_heroku = "HRKU-AAb1c2d3e4f5g6h7i8j9k0l1m2n3o4p5q6r7s8t9u0v1w2x3y4z5";
const std::string k_github = "ghs_Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7Az6Yx5Wv4Ut3Sr2";
const std::string k_bearer = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaGlwZ2F0ZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const std::string k_password = "p4ssw0rd-with-forty-plus-characters-in-it-0123456789";

/// What a hostile or careless server says back: each secret whole, its first 45 characters, its
/// last 45, and inside 3,000 characters of other text on one line and across lines.
std::string echo(const std::vector<std::string>& secrets) {
  std::string out;
  for (const auto& s : secrets) {
    out += "whole=" + s + " prefix=" + s.substr(0, 45) + " suffix=" + s.substr(s.size() - 45) +
           " long=" + std::string(1500, 'x') + s + std::string(1500, 'y') + "\nsplit=" + s.substr(0, 20) + "\n" +
           s.substr(20) + " ";
  }
  return out;
}

/// Every 40-character window of `secret` found in `text`, outside ::add-mask:: lines.
bool window_in(const std::string& text, const std::string& secret) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("::add-mask::", 0) == 0) {
      continue;
    }
    for (std::size_t i = 0; i + 40 <= secret.size(); ++i) {
      if (line.find(secret.substr(i, 40)) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

/// Runs a gate inside Actions against `server` and checks every output for every secret.
void check_no_leak(std::unique_ptr<Gate> (*make)(), const std::vector<std::string>& args, const Environment& env,
                   const std::vector<std::string>& secrets, const std::vector<std::string>& formats) {
  for (const auto& format : formats) {
    INFO("format " << format);
    test::TempDir dir;
    dir.write("output", "");
    dir.write("summary", "");
    auto run_env = env;
    run_env["GITHUB_ACTIONS"] = "true";
    run_env["RUNNER_DEBUG"] = "1";
    run_env["GITHUB_OUTPUT"] = (dir.path() / "output").string();
    run_env["GITHUB_STEP_SUMMARY"] = (dir.path() / "summary").string();
    auto run_args = args;
    run_args.insert(run_args.begin(), {"--format", format});
    const auto r = test::capture([make](const Invocation& inv) { return run_gate(*make(), inv); }, run_args, run_env,
                                 dir.path().string());
    CHECK(r.code != 0);
    for (const auto& secret : secrets) {
      INFO("secret " << secret.substr(0, 8) << "...");
      CHECK_FALSE(window_in(r.out, secret));
      CHECK_FALSE(window_in(r.err, secret));
      CHECK_FALSE(window_in(test::read_file((dir.path() / "output").string()), secret));
      CHECK_FALSE(window_in(test::read_file((dir.path() / "summary").string()), secret));
    }
  }
}

const std::vector<std::string> k_formats = {"text", "json", "github"};

}  // namespace

TEST_CASE("leaks: release, against a Platform API that echoes its token everywhere", "[leaks]") {
  const auto body = echo({k_heroku});
  for (const int variant : {0, 1, 2, 3}) {
    INFO("variant " << variant);
    test::ApiServer api([&](const test::ApiServer::Request& req) -> test::ApiServer::Reply {
      const json app = {{"name", "raxx-api-prod"}, {"generation", {{"name", "cedar"}}}, {"slug_size", nullptr}};
      if (req.path == "/apps/raxx-api-prod") {
        if (variant == 0) {
          return {403, {{"Content-Type", "application/json"}}, json{{"id", body}, {"message", body}}.dump()};
        }
        if (variant == 1) {
          return {200, {{"Content-Type", "application/json"}}, "not json: " + body};
        }
        return {200, {{"Content-Type", "application/json"}}, app.dump()};
      }
      if (req.path == "/apps/raxx-api-prod/releases") {
        const json release = {{"version", 3},        {"status", variant == 2 ? "failed" : "succeeded"},
                              {"description", body}, {"current", true},
                              {"slug", nullptr},     {"created_at", "2026-12-01T00:00:00Z"}};
        return {variant == 3 ? 500 : 200,
                {{"Content-Type", "application/json"}},
                variant == 3 ? json{{"id", "x"}, {"message", body}}.dump() : json::array({release}).dump()};
      }
      return {200, {{"Content-Type", "application/json"}}, "[]"};
    });
    check_no_leak(&release::make_gate, {"--app", "raxx-api-prod", "--expect-commit", "none", "--deadline", "20s"},
                  {{"HEROKU_API_KEY", k_heroku}, {"HEROKU_API_URL", api.base()}}, {k_heroku}, k_formats);
  }
}

TEST_CASE("leaks: env, against a REST API that echoes its token everywhere", "[leaks]") {
  const auto body = echo({k_github});
  for (const int variant : {0, 1, 2}) {
    INFO("variant " << variant);
    test::ApiServer api([&](const test::ApiServer::Request& req) -> test::ApiServer::Reply {
      if (req.path == "/repos/raxx/api") {
        return {200, {{"Content-Type", "application/json"}}, json{{"private", false}}.dump()};
      }
      if (variant == 0) {
        return {403, {{"Content-Type", "application/json"}}, json{{"message", body}}.dump()};
      }
      if (variant == 1) {
        return {200, {{"Content-Type", "application/json"}}, "not json: " + body};
      }
      return {200,
              {{"Content-Type", "application/json"}},
              json{{"name", body}, {"protection_rules", json::array()}, {"deployment_branch_policy", nullptr}}.dump()};
    });
    check_no_leak(&env::make_gate, {"--environment", "production", "--list", "envs.json"},
                  {{"GITHUB_TOKEN", k_github}, {"GITHUB_API_URL", api.base()}, {"GITHUB_REPOSITORY", "raxx/api"}},
                  {k_github}, k_formats);
  }
}

TEST_CASE("leaks: smoke, against a service that echoes its credentials everywhere", "[leaks]") {
  const std::string basic_pair = "deploy-bot:" + k_password;
  // base64 of the pair, as a Basic credential carries it.
  static const char* k_b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string basic;
  unsigned bits = 0;
  int count = 0;
  for (const char c : basic_pair) {
    bits = (bits << 8U) | static_cast<unsigned char>(c);
    count += 8;
    while (count >= 6) {
      count -= 6;
      basic.push_back(k_b64[(bits >> static_cast<unsigned>(count)) & 0x3FU]);
    }
  }
  if (count > 0) {
    basic.push_back(k_b64[(bits << static_cast<unsigned>(6 - count)) & 0x3FU]);
  }
  while (basic.size() % 4 != 0) {
    basic.push_back('=');
  }
  const auto body = echo({k_bearer, basic, basic_pair, k_password});
  for (const int variant : {0, 1}) {
    INFO("variant " << variant);
    test::ApiServer server([&](const test::ApiServer::Request&) -> test::ApiServer::Reply {
      if (variant == 0) {
        return {503, {{"Content-Type", "text/plain"}}, body};
      }
      return {200, {{"Content-Type", "application/json"}}, json{{"ready", body}}.dump()};
    });
    auto url = server.base() + "/health";
    url.insert(url.find("://") + 3, "deploy-bot:" + k_password + "@");
    check_no_leak(
        &smoke::make_gate,
        {"--url", url, "--header", "Authorization: Bearer " + k_bearer, "--header-from-env", "X-Basic: BASIC_AUTH",
         "--expect-json", "/ready == true", "--warmup", "0s", "--deadline", "10s", "--interval", "1s"},
        {{"BASIC_AUTH", "Basic " + basic}}, {k_bearer, basic, basic_pair, k_password}, k_formats);
  }
}

TEST_CASE("leaks: the parts of a secret that are secrets of their own", "[leaks]") {
  Secrets s;
  s.add("Bearer abc123");
  s.add("Basic ZGVwbG95Omh1bnRlcjI=");  // deploy:hunter2
  s.add_url("https://ci:pa%40ss@example.com/health");
  CHECK(s.scrub("token abc123 and deploy:hunter2, hunter2, pa@ss, pa%40ss") == "token *** and ***, ***, ***, ***");
  // A part of a long secret, cut anywhere, is hidden; text around it is kept.
  s.add("0123456789abcdefghijklmnopqrstuvwxyz");
  CHECK(s.scrub("see 3456789abcdefghijklm here") == "see *** here");
  CHECK(s.scrub("short 0123456789 stays") == "short 0123456789 stays");
  // shorten and one_line take a running gate's secrets out before they cut or escape.
  const ActiveSecrets active(s);
  CHECK(text::shorten("xx0123456789abcdefghijklmnopqrstuvwxyz", 20) == "xx***");
  CHECK(text::one_line("a\nabc123") == "a\\n***");
  CHECK(text::without_userinfo("https://u:p@h.example:8443/x?y=1") == "https://h.example:8443/x?y=1");
}

TEST_CASE("leaks: a usage error of the real binaries never shows a URL password or a secret header", "[leaks]") {
  const std::string bin = SHIPGATE_BINARY_DIR;
  const auto url = "https://deploy:" + k_password + "@h.example/x";
  const auto short_url = "https://deploy:hunter2@h.example/x";
  const std::vector<std::vector<std::string>> runs = {
      {"shipgate-smoke", "--url", url, "extra"},
      {"shipgate-smoke", url},
      {"shipgate-smoke", short_url, "--url"},
      {"shipgate-smoke", "--url", "https://h.example/x", "--header", "Authorization: Bearer " + k_bearer, "--bogus"},
      {"shipgate-smoke", "--url", "https://h.example/x", "--header=X-Api-Key: " + k_bearer, "stray"},
      {"shipgate-smoke", "--header", "Cookie: session=" + k_bearer, "--insecure=maybe"},
      {"shipgate-env", "--environment", "production", url, "--bogus"},
      {"shipgate-release", "--app", "raxx", "--timeout", url},
  };
  test::TempDir dir;
  for (const auto& run : runs) {
    std::string command =
        "env -i PATH=/usr/bin:/bin GITHUB_ACTIONS=true GITHUB_OUTPUT=" + test::shell_quote(dir.write("output", "")) +
        " GITHUB_STEP_SUMMARY=" + test::shell_quote(dir.write("summary", "")) + " " +
        test::shell_quote(bin + "/" + run.front());
    for (std::size_t i = 1; i < run.size(); ++i) {
      command += " " + test::shell_quote(run[i]);
    }
    INFO(command);
    const auto r = test::run_shell(command, dir);
    INFO(r.out << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--help' for usage"));
    for (const auto& secret : {k_password, k_bearer}) {
      for (std::size_t i = 0; i + Secrets::k_window <= secret.size(); ++i) {
        const auto window = secret.substr(i, Secrets::k_window);
        CHECK_FALSE(text::without_userinfo(r.out).find(window) != std::string::npos);
        std::istringstream lines(r.err);
        for (std::string line; std::getline(lines, line);) {
          CHECK((line.rfind("::add-mask::", 0) == 0 || line.find(window) == std::string::npos));
        }
      }
    }
    CHECK(r.err.find(":hunter2@") == std::string::npos);
    for (const auto* file : {"output", "summary"}) {
      const auto written = test::read_file((dir.path() / file).string());
      CHECK_FALSE(window_in(written, k_password.substr(0, 40)));
      CHECK(written.find(k_bearer.substr(0, Secrets::k_window)) == std::string::npos);
    }
  }
}

TEST_CASE("leaks: every URL in a text is shown without its user:password@", "[leaks]") {
  CHECK(text::without_userinfo("unexpected argument 'https://u:pw@h/x' and http://a:b@c?d, mail me@x.example") ==
        "unexpected argument 'https://h/x' and http://c?d, mail me@x.example");
  CHECK(text::without_userinfo("see https://host and user@example") == "see https://host and user@example");
}

TEST_CASE("leaks: a header whose name holds a credential word is secret, whatever its case or prefix", "[leaks]") {
  for (const auto* name : {"Authorization", "X-Authorization", "Proxy-Authorization", "x-api-key", "X-Auth-Token",
                           "Cookie", "Set-Cookie", "X-Access-Token", "PRIVATE-TOKEN", "X-Session-Id", "X-Signature",
                           "X-Amz-Credential", "X_Password", "ApiKey", "X-Client-Secret"}) {
    INFO(name);
    CHECK(secret_header_name(name));
  }
  for (const auto* name : {"Accept", "Content-Type", "User-Agent", "X-Request-Id", "Keep-Alive", "Cache-Control"}) {
    INFO(name);
    CHECK_FALSE(secret_header_name(name));
  }
  // The real binary masks such a header's value in a usage error.
  test::TempDir dir;
  const auto r = test::run_shell(test::shell_quote(std::string(SHIPGATE_BINARY_DIR) + "/shipgate-smoke") +
                                     " --url https://h.example/ --header " +
                                     test::shell_quote("X-Authorization: " + k_github) + " stray",
                                 dir);
  CHECK(r.code == 2);
  CHECK_FALSE(window_in(r.out + r.err, k_github));
}
