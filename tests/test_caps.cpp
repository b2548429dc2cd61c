// Hostile inputs at the size caps: each is linted with the right verdict, and (through the CTest
// timeout on every unit test) in bounded time; bench/adversarial.sh measures the same shapes.
#include <catch2/catch.hpp>

#include "core/secrets.hpp"
#include "core/source.hpp"
#include "helpers.hpp"
#include "lint/lint.hpp"

using namespace shipgate;

namespace {

test::Captured run_lint(const test::TempDir& dir, std::vector<std::string> args) {
  return test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); }, std::move(args), {},
                       dir.path().string());
}

/// Fills `text` with `piece(i)` for i = 0, 1, ... while it stays under the input cap.
template <typename Piece>
std::string up_to_cap(std::string text, Piece piece) {
  for (int i = 0;; ++i) {
    auto next = piece(i);
    if (text.size() + next.size() >= k_max_input_bytes) {
      return text;
    }
    text += next;
  }
}

}  // namespace

TEST_CASE("thousands of jobs with long needs chains are ordered in one pass", "[caps]") {
  // 300 helper jobs where each needs every earlier one, then deploy jobs that all need the last
  // helper: no two deploys are ordered, so every one is a separate place (a race, same triggers).
  std::string wf = "on: push\njobs:\n";
  std::string needs;
  for (int i = 0; i < 300; ++i) {
    wf += "  h" + std::to_string(i) + ":\n" + (needs.empty() ? "" : "    needs: [" + needs + "]\n") +
          "    steps: [{run: make}]\n";
    needs += (needs.empty() ? "h" : ", h") + std::to_string(i);
  }
  // 20,000 deploy jobs: about 150,000 YAML nodes, well inside the 250,000-node cap.
  const int deploys = 20000;
  for (int i = 0; i < deploys; ++i) {
    wf +=
        "  d" + std::to_string(i) + ":\n    needs: [h299]\n    steps: [{run: heroku container:release web -a same}]\n";
  }
  test::TempDir dir;
  dir.write("wf.yml", wf);
  const auto r = run_lint(dir, {"wf.yml"});
  INFO(r.err);
  CHECK(r.code == 0);  // a race between jobs of one workflow is a warning
  CHECK_THAT(r.out, Catch::Contains("is deployed from " + std::to_string(deploys) + " places with the same triggers"));
}

TEST_CASE("a workflow of many script steps at the size cap is linted", "[caps]") {
  const auto wf = up_to_cap("on: push\njobs:\n  a:\n    steps:\n", [](int i) {
    return "      - run: |\n          echo " + std::to_string(i) + "\n          heroku container:release web -a app-" +
           std::to_string(i % 2) + "\n";
  });
  test::TempDir dir;
  dir.write("wf.yml", wf);
  const auto r = run_lint(dir, {"wf.yml", "--format", "json"});
  CHECK(r.code == 0);  // one job deploying two apps, each step after the other: no overlap
  CHECK_THAT(r.out, Catch::Contains("\"files\": 1"));
}

TEST_CASE("a megabyte environment name gets a short finding and no costly guess", "[caps]") {
  test::TempDir dir;
  std::string envs;
  for (int i = 0; i < 500; ++i) {
    envs += "- environment-" + std::to_string(i) + "\n";
  }
  dir.write("envs.yml", envs);
  dir.write("wf.yml",
            "on: push\njobs:\n  d:\n    environment: " + std::string(3u << 20, 'p') + "\n    steps: [{run: x}]\n");
  const auto r = run_lint(dir, {"wf.yml", "--environments", "envs.yml"});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("names environment 'ppp") && Catch::Contains("...', which does not exist"));
  CHECK(r.out.size() < 1000);
}

TEST_CASE("suppression look-alikes inside one huge value are scanned once", "[caps]") {
  // One quoted scalar and one block scalar holding thousands of directive-like lines, the block
  // after a long run of blank lines: each `#` was once a rescan of the value from its start.
  std::string wf = "on: push\njobs:\n  a:\n    steps:\n      - run: \"start\n";
  for (int i = 0; i < 25000; ++i) {
    wf += "          # shipgate: ignore[heroku-autocreate] " + std::to_string(i) + "\n";
  }
  wf += "          \"\n      - run: |\n" + std::string(500000, '\n');
  for (int i = 0; i < 25000; ++i) {
    wf += "          # shipgate: ignore[heroku-autocreate]\n";
  }
  wf += "      - uses: akhileshns/heroku-deploy@v3.13.15\n        with: {heroku_app_name: x}\n";
  test::TempDir dir;
  dir.write("wf.yml", wf);
  const auto r = run_lint(dir, {"wf.yml"});
  CHECK(r.code == 1);  // nothing in the values suppresses the finding
  CHECK_THAT(r.out, Catch::Contains("without `dontautocreate`"));
}

TEST_CASE("deeply parenthesised and very long if: conditions stay cheap", "[caps]") {
  const std::string nested = std::string(200000, '(') + "github.ref == 'a'" + std::string(200000, ')');
  std::string chain = "github.ref == 'a'";
  for (int i = 0; i < 60000; ++i) {
    chain += " && github.ref == 'a'";
  }
  test::TempDir dir;
  dir.write("wf.yml", "on: push\njobs:\n  a:\n    if: \"" + nested +
                          "\"\n    steps: [{run: heroku container:release web -a app}]\n"
                          "  b:\n    if: \"" +
                          chain + "\"\n    steps: [{run: heroku container:release web -a app}]\n");
  const auto r = run_lint(dir, {"wf.yml"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("race each other"));
}

TEST_CASE("scrubbing megabytes full of secrets is one pass, and no window of a secret survives", "[caps]") {
  const std::string token = "ghs_Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7Az6Yx5Wv4";
  Secrets secrets;
  secrets.add("Bearer " + token);
  secrets.add_url("https://user:hunter2@example.com/");
  // 8 MiB of lines, each with the token whole, the short password four times, a part of the
  // token at a moving offset and its end: about 70,000 lines (a replace per find was quadratic).
  std::string text;
  text.reserve(std::size_t{9} << 20);
  for (std::size_t i = 0; text.size() < (std::size_t{8} << 20); ++i) {
    text += "n=" + std::to_string(i) + " t=" + token + " p=hunter2 part=" + token.substr(i % 20, 20) +
            " tail=" + token.substr(token.size() - Secrets::k_window) + " hunter2 hunter2 hunter2\n";
  }
  const auto out = secrets.scrub(text);
  CHECK(out.rfind("n=0 t=*** p=*** part=*** tail=*** *** *** ***\nn=1 t=*** p=*** part=*** tail=*** *** *** ***\n",
                  0) == 0);
  bool window_left = false;
  for (std::size_t i = 0; i + Secrets::k_window <= token.size(); ++i) {
    window_left = window_left || out.find(token.substr(i, Secrets::k_window)) != std::string::npos;
  }
  CHECK_FALSE(window_left);
  CHECK(out.find("hunter2") == std::string::npos);
  // 16 MiB of nothing but the short password: two million of them, each replaced in one pass.
  std::string passwords;
  passwords.reserve(std::size_t{16} << 20);
  while (passwords.size() < (std::size_t{16} << 20)) {
    passwords += "hunter2 ";
  }
  const auto masked = secrets.scrub(passwords);
  CHECK(masked.size() == passwords.size() / 2);
  CHECK(masked.find("hunter2") == std::string::npos);
  // A start of the text costs its start, and equals the start of the whole.
  CHECK(secrets.scrub_prefix(text, 2000) == out.substr(0, 2000));
}

TEST_CASE("the start of a cut text never shows the part of a secret the cut left", "[caps]") {
  const std::string token = "HRKU-AAb1c2d3e4f5g6h7i8j9k0l1m2n3o4p5q6r7s8t9u0v1w2x3y4z5";
  Secrets secrets;
  secrets.add(token);
  secrets.add("hunter2");
  // Cut inside the token, its first 12 characters left (under one window), and inside the password.
  const auto text = std::string(100, 'x') + " " + token + " " + std::string(200, 'y') + " " + token.substr(0, 12);
  CHECK(secrets.scrub_prefix(text, 2000).find(token.substr(0, 12)) != std::string::npos);  // not known as cut
  const auto shown = secrets.scrub_prefix(text, 2000, true);
  CHECK(shown.find(token.substr(0, 12)) == std::string::npos);
  CHECK(shown.rfind(std::string(100, 'x') + " *** " + std::string(100, 'y'), 0) == 0);
  CHECK(secrets.scrub_prefix("abc hunt", 2000, true).find("hunt") == std::string::npos);
  CHECK(secrets.scrub_prefix("abc " + token, 2000, true) == "abc ***");
}
