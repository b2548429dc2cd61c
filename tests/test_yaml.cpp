#include <catch2/catch.hpp>

#include "core/yaml.hpp"

using namespace shipgate;

namespace {

yaml::Document must_parse(const std::string& text) {
  auto doc = yaml::parse(text, "w.yml");
  if (!doc) {
    FAIL(doc.error().to_string());
  }
  return std::move(*doc);
}

std::string parse_error(const std::string& text, const yaml::Limits& limits = {}) {
  auto doc = yaml::parse(text, "w.yml", limits);
  REQUIRE_FALSE(doc.ok());
  return doc.error().to_string();
}

}  // namespace

TEST_CASE("positions are 1-based for keys and values", "[yaml]") {
  const auto doc = must_parse("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n");
  const auto& root = doc.root();
  const auto jobs = doc.find(root, "jobs");
  REQUIRE(jobs);
  CHECK(jobs.key->pos.line == 2);
  CHECK(jobs.key->pos.column == 1);
  const auto build = doc.find(*jobs.value, "build");
  const auto runs_on = doc.find(*build.value, "runs-on");
  CHECK(runs_on.key->pos.line == 4);
  CHECK(runs_on.key->pos.column == 5);
  CHECK(runs_on.value->pos.column == 14);
  CHECK(runs_on.value->value == "ubuntu-latest");
}

TEST_CASE("plain and quoted scalars are told apart", "[yaml]") {
  const auto doc = must_parse("a: true\nb: \"true\"\nc: False\nd: no\ne: |\n  text\n");
  const auto& root = doc.root();
  CHECK(yaml::is_core_true(*doc.get(root, "a")));
  CHECK_FALSE(yaml::is_core_true(*doc.get(root, "b")));
  CHECK(yaml::is_core_false(*doc.get(root, "c")));
  CHECK_FALSE(yaml::is_core_false(*doc.get(root, "d")));  // YAML 1.2: `no` is a string
  CHECK_FALSE(doc.get(root, "e")->plain);
}

TEST_CASE("duplicate keys are rejected as GitHub rejects them", "[yaml]") {
  const auto message = parse_error("on: push\njobs:\n  a: {}\n  b: {}\n  a: {}\n");
  CHECK(message ==
        "w.yml:5:3: 'a' is already defined (first at line 3); duplicate keys are an error in GitHub Actions");
  CHECK_THAT(parse_error("x: 1\ny: 2\nx: 3\n"), Catch::Contains("w.yml:3:1"));
}

TEST_CASE("aliases share the anchored node instead of copying it", "[yaml]") {
  const auto doc = must_parse("base: &b {x: 1}\none: *b\ntwo: *b\n");
  const auto& root = doc.root();
  CHECK(doc.get(root, "one") == doc.get(root, "two"));
  CHECK(doc.get(root, "one") == doc.get(root, "base"));
  CHECK(doc.get(*doc.get(root, "two"), "x")->value == "1");
}

TEST_CASE("self-referencing aliases are an input error", "[yaml]") {
  CHECK_THAT(parse_error("a: &x\n  - *x\n"), Catch::Contains("self-referencing alias"));
  CHECK_THAT(parse_error("a: &x {b: *x}\n"), Catch::Contains("self-referencing alias"));
}

TEST_CASE("unknown aliases, syntax errors and extra documents name the line", "[yaml]") {
  CHECK_THAT(parse_error("a: *nope\n"), Catch::StartsWith("w.yml:1:"));
  CHECK_THAT(parse_error("a: [1, 2\n"), Catch::Contains("invalid YAML"));
  CHECK_THAT(parse_error("a: 1\n---\nb: 2\n"), Catch::Contains("more than one YAML document"));
  CHECK_THAT(parse_error("? [a, b]\n: c\n"), Catch::Contains("mapping key must be a scalar"));
}

TEST_CASE("nesting and node limits are enforced", "[yaml]") {
  yaml::Limits limits;
  limits.max_depth = 8;
  CHECK_THAT(parse_error("a: [[[[[[[[[[1]]]]]]]]]]\n", limits), Catch::Contains("nesting deeper than 8 levels"));
  limits = {};
  limits.max_nodes = 10;
  CHECK_THAT(parse_error("[1,2,3,4,5,6,7,8,9,10,11,12]\n", limits), Catch::Contains("more than 10 nodes"));
}

TEST_CASE("an empty file has a null root", "[yaml]") {
  const auto doc = must_parse("");
  CHECK(doc.root().is_null());
  CHECK(must_parse("# only a comment\n").root().is_null());
}

TEST_CASE("find_ci compares keys case-insensitively", "[yaml]") {
  const auto doc = must_parse("DontAutoCreate: true\n");
  CHECK(doc.find_ci(doc.root(), "dontautocreate"));
  CHECK_FALSE(doc.find(doc.root(), "dontautocreate"));
}

TEST_CASE("a quoted string never closed is invalid YAML, not a value", "[yaml][hostile]") {
  CHECK_THAT(parse_error("on: push\nname: \"deploy\njobs: {}\n"),
             Catch::Contains("w.yml:2:7: invalid YAML: a double-quoted string is never closed"));
  CHECK_THAT(parse_error("a: 'open\nb: 1\n"), Catch::Contains("w.yml:1:4: invalid YAML"));
  CHECK_THAT(parse_error("a: \"ends with an escape\\\"\n"), Catch::Contains("w.yml:1:4: invalid YAML"));
  CHECK_THAT(parse_error("a: \"open"), Catch::Contains("invalid YAML"));
  const auto doc = must_parse("a: \"say \\\"hi\\\"\"\nb: 'it''s'\nc: \"\"\n");
  CHECK(doc.get(doc.root(), "a")->value == "say \"hi\"");
  CHECK(doc.get(doc.root(), "b")->value == "it's");
}

TEST_CASE("YAML 1.1 line breaks GitHub's parser sees are refused where they stand", "[yaml][hostile]") {
  // A step hidden behind U+2028 on the same line would be invisible to a YAML 1.2 parser.
  CHECK_THAT(parse_error("on: push\njobs:\n  a: {steps: [{run: ok}]}\xE2\x80\xA8  b: {steps: [{run: evil}]}\n"),
             Catch::Contains("w.yml:3:26: invalid YAML: LINE SEPARATOR (U+2028) is a line break"));
  CHECK_THAT(parse_error("a: x\xE2\x80\xA9y\n"), Catch::Contains("w.yml:1:5: invalid YAML: PARAGRAPH SEPARATOR"));
  CHECK_THAT(parse_error("# note\na: \xC2\x85\n"), Catch::Contains("w.yml:2:4: invalid YAML: NEL (U+0085)"));
  must_parse("a: caf\xC3\xA9 \xE2\x80\x94 \xE2\x82\xAC\n");  // other non-ASCII text is fine
}

TEST_CASE("every node knows its byte offset, past multi-byte characters", "[yaml]") {
  const std::string text = "name: d\xC3\xA9ploy \xE2\x80\x94 \xF0\x9F\x9A\x80\nrun: |\n  heroku releases\n";
  const auto doc = must_parse(text);
  const auto* run = doc.get(doc.root(), "run");
  REQUIRE(run != nullptr);
  CHECK(text[run->pos.offset] == '|');
  CHECK(run->pos.line == 2);
}
