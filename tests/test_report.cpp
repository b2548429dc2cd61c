#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/report.hpp"

using namespace shipgate;

namespace {

Report sample() {
  Report r;
  r.tool = "shipgate-lint";
  r.files = 2;
  Finding second;
  second.rule = "b-rule";
  second.severity = Severity::warning;
  second.where = Location{"b.yml", 3, 1};
  second.message = "second";
  Finding first;
  first.rule = "a-rule";
  first.where = Location{"a.yml", 9, 5};
  first.message = "first";
  first.related.push_back(Related{Location{"b.yml", 1, 1}, "other place"});
  r.findings.push_back(second);
  r.findings.push_back(first);
  sort_findings(r.findings);
  return r;
}

}  // namespace

TEST_CASE("findings sort by place and render as file:line:col: severity: message [rule]", "[report]") {
  std::ostringstream out;
  write_text(sample(), out, false);
  CHECK(out.str() == "a.yml:9:5: error: first [a-rule]\n    b.yml:1:1: other place\nb.yml:3:1: warning: second [b-rule]\n");
  std::ostringstream color;
  write_text(sample(), color, true);
  CHECK_THAT(color.str(), Catch::Contains("\x1b[1;31merror\x1b[0m"));
}

TEST_CASE("the JSON report is versioned and complete", "[report]") {
  std::ostringstream out;
  write_json(sample(), out);
  const auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["version"] == 1);
  CHECK(doc["findings"].size() == 2);
  const auto& f = doc["findings"][0];
  CHECK(f["rule"] == "a-rule");
  CHECK(f["severity"] == "error");
  CHECK(f["file"] == "a.yml");
  CHECK(f["line"] == 9);
  CHECK(f["column"] == 5);
  CHECK(f["docs"] == "rules/a-rule.md");
  CHECK(f["related"][0]["message"] == "other place");
  CHECK(doc["summary"]["result"] == "fail");
  CHECK(doc["summary"]["exit_code"] == 1);
  CHECK(doc["summary"]["warnings"] == 1);
}

TEST_CASE("exit codes: input errors beat findings; fail level decides", "[report]") {
  auto r = sample();
  CHECK(r.exit_code() == ExitCode::fail);
  r.findings.erase(r.findings.begin());
  CHECK(r.exit_code() == ExitCode::pass);  // a warning under fail level error
  r.fail_level = Severity::warning;
  CHECK(r.exit_code() == ExitCode::fail);
  r.input_errors.push_back({"bad", {"c.yml", 1, 1}, {}});
  CHECK(r.exit_code() == ExitCode::usage);
  CHECK(r.verdict() == "error");
  CHECK(worst(ExitCode::fail, ExitCode::could_not_evaluate) == ExitCode::could_not_evaluate);
}

TEST_CASE("SARIF 2.1.0 carries rules, levels and related locations", "[report]") {
  std::ostringstream out;
  write_sarif(sample(), {{"a-rule", Severity::error, "A"}, {"b-rule", Severity::warning, "B"}}, "1.0.0", out);
  const auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["version"] == "2.1.0");
  const auto& run = doc["runs"][0];
  CHECK(run["tool"]["driver"]["rules"].size() == 2);
  CHECK(run["results"][0]["ruleIndex"] == 0);
  CHECK(run["results"][0]["level"] == "error");
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9);
  CHECK(run["results"][0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "b.yml");
}

TEST_CASE("the step summary escapes table cells", "[report]") {
  auto r = sample();
  r.findings[0].message = "a | b\nc";
  const auto md = summary_markdown(r);
  CHECK_THAT(md, Catch::Contains("a \\| b<br>c"));
  CHECK_THAT(md, Catch::StartsWith("### shipgate-lint: fail"));
}
