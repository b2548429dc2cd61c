#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/report.hpp"

using namespace shipgate;

namespace {

const ReportInfo k_info{
    "shipgate-lint", "1.0.0", {{"a-rule", Severity::error, "A"}, {"b-rule", Severity::warning, "B"}}};

Outcome sample() {
  Outcome o;
  o.checks.push_back(Check::finding("b-rule", Severity::warning, {"b.yml", 3, 1}, "second"));
  o.checks.push_back(Check::finding("a-rule", Severity::error, {"a.yml", 9, 5}, "first",
                                    {Related{Location{"b.yml", 1, 1}, "other place"}}));
  sort_checks(o.checks);
  o.set_fail_level(Severity::error);
  return o;
}

Outcome probes() {
  Outcome o;
  Check healthy;
  healthy.name = "health https://a.example/v1/health";
  healthy.message = "healthy after 41s (9 attempts)";
  healthy.details = {{"attempts", 9}};
  Check down = healthy;
  down.name = "health https://b.example/v1/health";
  down.verdict = Verdict::error;
  down.message = "name does not resolve";
  down.details = nlohmann::json::object();
  o.checks = {healthy, down};
  return o;
}

}  // namespace

TEST_CASE("findings sort by place and render as file:line:col: severity: message [rule]", "[report]") {
  std::ostringstream out;
  write_text(sample(), out, false);
  CHECK(out.str() ==
        "a.yml:9:5: error: first [a-rule]\n    b.yml:1:1: other place\nb.yml:3:1: warning: second [b-rule]\n");
  std::ostringstream color;
  write_text(sample(), color, true);
  CHECK_THAT(color.str(), Catch::Contains("\x1b[1;31merror\x1b[0m"));
}

TEST_CASE("checks without a place render as name: verdict: message, never ': error:'", "[report]") {
  std::ostringstream out;
  write_text(probes(), out, false);
  CHECK(out.str() ==
        "health https://a.example/v1/health: pass: healthy after 41s (9 attempts)\n"
        "health https://b.example/v1/health: error: name does not resolve\n");
  CHECK(headline(probes()) == "2 checks: 1 passed, 1 could not evaluate");
}

TEST_CASE("the JSON report is versioned and complete", "[report]") {
  std::ostringstream out;
  write_json(sample(), k_info, out);
  const auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["version"] == 1);
  CHECK(doc["tool"] == "shipgate-lint");
  CHECK(doc["findings"].size() == 2);
  const auto& f = doc["findings"][0];
  CHECK(f["rule"] == "a-rule");
  CHECK(f["severity"] == "error");
  CHECK(f["file"] == "a.yml");
  CHECK(f["line"] == 9);
  CHECK(f["column"] == 5);
  CHECK(f["docs"] == std::string(SHIPGATE_DOCS_URL) + "/rules/a-rule.md");
  CHECK_THAT(f["docs"].get<std::string>(), Catch::StartsWith("https://") && Catch::Contains("/blob/v"));
  CHECK(f["related"][0]["message"] == "other place");
  CHECK(doc["checks"][0]["name"] == "a-rule");
  CHECK(doc["checks"][0]["verdict"] == "fail");
  CHECK(doc["checks"][1]["verdict"] == "warn");
  CHECK(doc["summary"]["result"] == "fail");
  CHECK(doc["summary"]["exit_code"] == 1);
  CHECK(doc["summary"]["warnings"] == 1);
  CHECK(doc["summary"]["fail_level"] == "error");
}

TEST_CASE("one JSON schema serves gates whose checks are not findings", "[report]") {
  std::ostringstream out;
  write_json(probes(), {"shipgate-smoke", "1.0.0", {}}, out);
  const auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["findings"].empty());
  REQUIRE(doc["checks"].size() == 2);
  CHECK(doc["checks"][0]["details"]["attempts"] == 9);
  CHECK_FALSE(doc["checks"][0].contains("file"));
  CHECK(doc["checks"][1]["verdict"] == "error");
  CHECK(doc["summary"]["result"] == "error");
  CHECK(doc["summary"]["exit_code"] == 3);
  CHECK(doc["summary"]["could_not_evaluate"] == 1);
  CHECK_FALSE(doc["summary"].contains("fail_level"));
}

TEST_CASE("exit codes: 3 beats 2 beats 1; the fail level decides findings", "[report]") {
  auto r = sample();
  CHECK(r.exit_code() == ExitCode::fail);
  r.checks.erase(r.checks.begin());
  CHECK(r.exit_code() == ExitCode::pass);  // a warning under fail level error
  r.set_fail_level(Severity::warning);
  CHECK(r.exit_code() == ExitCode::fail);
  r.input_errors.push_back({"bad", {"c.yml", 1, 1}, {}});
  CHECK(r.exit_code() == ExitCode::usage);
  CHECK(result_name(r.exit_code()) == "error");
  CHECK(probes().exit_code() == ExitCode::could_not_evaluate);
  CHECK(worst(ExitCode::fail, ExitCode::could_not_evaluate) == ExitCode::could_not_evaluate);
}

TEST_CASE("SARIF 2.1.0 carries rules, levels and related locations", "[report]") {
  std::ostringstream out;
  write_sarif(sample(), k_info, out);
  const auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["version"] == "2.1.0");
  const auto& run = doc["runs"][0];
  CHECK(run["tool"]["driver"]["rules"].size() == 2);
  CHECK(run["results"][0]["ruleIndex"] == 0);
  CHECK(run["results"][0]["level"] == "error");
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9);
  CHECK(run["results"][0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "b.yml");
}

TEST_CASE("the step summary escapes Markdown and HTML from input", "[report]") {
  auto r = sample();
  r.checks[0].message = "a | b\nc <img src=x> [link](http://x) `code`";
  const auto md = summary_markdown(r, k_info, r.exit_code());
  CHECK_THAT(md, Catch::Contains("a \\| b<br>c &lt;img src=x&gt; \\[link\\]\\(http://x\\) \\`code\\`"));
  CHECK_THAT(md, Catch::StartsWith("### shipgate-lint: fail"));
  CHECK_THAT(summary_markdown(probes(), k_info, ExitCode::could_not_evaluate),
             Catch::Contains("| check | result | message |"));
}

TEST_CASE("github format: one workflow command per check, passes as notices", "[report]") {
  std::ostringstream out;
  write_github(probes(), {"shipgate-smoke", "1.0.0", {}}, out);
  CHECK(out.str() ==
        "::notice title=health https%3A//a.example/v1/health::healthy after 41s (9 attempts)\n"
        "::error title=health https%3A//b.example/v1/health::name does not resolve\n");
}
