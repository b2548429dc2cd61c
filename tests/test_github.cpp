#include <catch2/catch.hpp>

#include "core/github.hpp"
#include "helpers.hpp"

using namespace shipgate;

namespace {

struct Fixture {
  test::TempDir dir;
  std::string output = dir.write("output", "");
  std::string summary = dir.write("summary", "");
  std::ostringstream out, err, commands;
  Invocation inv{{},    {{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", output}, {"GITHUB_STEP_SUMMARY", summary}},
                 out,   err,
                 false, false,
                 "/",   nullptr};
};

}  // namespace

TEST_CASE("workflow command escaping", "[github]") {
  CHECK(github::escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b");
  CHECK(github::escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A");
  CHECK(github::annotation(Severity::warning, {"dir/a,b.yml", 3, 7}, "rule-id", "line1\nline2") ==
        "::warning file=dir/a%2Cb.yml,line=3,col=7,title=rule-id::line1%0Aline2");
  CHECK(github::annotation(Severity::note, {"", 0, 0}, "", "m") == "::notice::m");
}

TEST_CASE("outputs use the delimiter form for multi-line values", "[github]") {
  Fixture f;
  github::Runtime gh(f.inv, f.commands);
  REQUIRE(gh.active());
  REQUIRE(gh.set_output("result", "fail").ok());
  REQUIRE(gh.set_output("report", "line 1\nline 2").ok());
  const auto written = test::read_file(f.output);
  CHECK_THAT(written, Catch::StartsWith("result=fail\nreport<<ghadelimiter_"));
  const auto start = written.find("<<") + 2;
  const auto delimiter = written.substr(start, written.find('\n', start) - start);
  CHECK_THAT(written, Catch::EndsWith("\nline 1\nline 2\n" + delimiter + "\n"));
}

TEST_CASE("masks, groups and annotations are written only inside Actions", "[github]") {
  Fixture f;
  github::Runtime gh(f.inv, f.commands);
  gh.mask("s3cr3t\nvalue");
  gh.group_begin("details");
  gh.annotate(Severity::error, {"a.yml", 1, 2}, "r", "m");
  gh.group_end();
  CHECK(f.commands.str() ==
        "::add-mask::s3cr3t%0Avalue\n::group::details\n::error file=a.yml,line=1,col=2,title=r::m\n"
        "::endgroup::\n");
  std::ostringstream out, err, commands;
  Invocation outside{{}, {}, out, err, false, false, "/", nullptr};
  github::Runtime off(outside, commands);
  off.mask("x");
  off.annotate(Severity::error, {}, "", "m");
  CHECK(commands.str().empty());
  const auto written = off.set_output("a", "b");
  REQUIRE(written.ok());
  CHECK_FALSE(*written);  // nothing written outside Actions
}

TEST_CASE("the step summary stays under GitHub's 1 MiB limit", "[github]") {
  Fixture f;
  github::Runtime gh(f.inv, f.commands);
  std::string big;
  while (big.size() < 2 * github::k_summary_limit) {
    big += "| row | with some text |\n";
  }
  REQUIRE(gh.append_summary(big).ok());
  const auto written = test::read_file(f.summary);
  CHECK(written.size() <= github::k_summary_limit);
  CHECK_THAT(written, Catch::EndsWith("limited to 1 MiB)_\n"));
}

TEST_CASE("an unwritable GITHUB_OUTPUT is an error, not silence", "[github]") {
  std::ostringstream out, err, commands;
  Invocation inv{
      {},     {{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", "/nonexistent/dir/output"}}, out, err, false, false, "/",
      nullptr};
  github::Runtime gh(inv, commands);
  const auto written = gh.set_output("a", "b");
  REQUIRE_FALSE(written.ok());
  CHECK_THAT(written.error().to_string(), Catch::Contains("cannot write $GITHUB_OUTPUT"));
}
