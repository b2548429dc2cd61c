#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "lint/lint.hpp"

using namespace shipgate;

namespace {

test::Captured run_lint(const std::vector<std::string>& args, Environment env = {}) {
  return test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); }, args, std::move(env));
}

}  // namespace

TEST_CASE("version and help print to stdout and exit 0", "[cli]") {
  auto r = run_lint({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out == std::string("shipgate-lint ") + SHIPGATE_VERSION + "\n");
  r = run_lint({"--help"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("--fail-level") && Catch::Contains("Exit codes: 0 passed"));
  CHECK(r.err.empty());
}

TEST_CASE("bad flags exit 2 with a message on stderr", "[cli]") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--format", "xml"},
                                                                {"--bogus"},
                                                                {"--fail-level", "fatal"},
                                                                {"--environments"},
                                                                {"--bogus", "--version"},
                                                                {"--format", "xml", "--version"}}) {
    const auto r = run_lint(args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("shipgate-lint --help"));
  }
}

TEST_CASE("`--` ends the flags: what follows is a path, even one that starts with '-'", "[cli]") {
  test::TempDir dir;
  dir.write("-odd.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n");
  const auto cwd = dir.path().string();
  auto r = test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); },
                         {"--format", "text", "--", "-odd.yml"}, {}, cwd);
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("in 1 file"));
  r = test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); },
                    {"--", "-odd.yml", "--format"}, {}, cwd);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("--format: no such file"));
}

TEST_CASE("colour follows the terminal and NO_COLOR", "[cli]") {
  std::ostringstream out, err;
  Invocation inv{{}, {}, out, err, true, false, "/", nullptr};
  CHECK(inv.color_out());
  CHECK_FALSE(inv.color_err());
  inv.env["NO_COLOR"] = "1";
  CHECK_FALSE(inv.color_out());
  inv.env["NO_COLOR"] = "";
  inv.env["TERM"] = "dumb";
  CHECK_FALSE(inv.color_out());
}
