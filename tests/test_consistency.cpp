// Every registered gate keeps its documents in step with its code: its --help in its doc, every
// output it can write named in its action, every rule with a doc and a fixture that fires it.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/source.hpp"
#include "core/yaml.hpp"
#include "gates_table.hpp"
#include "helpers.hpp"

using namespace shipgate;

namespace {

/// Every `# expect[...]` comment text under `dir`.
std::string all_fixture_text(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      all += test::read_file(entry.path().string());
    }
  }
  return all;
}

}  // namespace

TEST_CASE("each gate's doc carries its --help and names every flag", "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    INFO("gate " << entry.section);
    auto gate = entry.make();
    const auto doc = test::read_file(std::string(entry.doc));
    REQUIRE_FALSE(doc.empty());
    CHECK_THAT(doc, Catch::Contains(help_text(*gate)));
    for (const auto& option : gate->options()) {
      if (!option.positional && option.type != options::Type::secret) {
        CHECK_THAT(doc, Catch::Contains("--" + option.name));
      }
    }
  }
}

TEST_CASE("each gate's action declares every output the gate writes", "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    INFO("gate " << entry.section << ", action " << entry.action);
    const auto text = read_text_file(std::string(entry.action));
    REQUIRE(text.ok());
    const auto doc = yaml::parse(*text, std::string(entry.action));
    REQUIRE(doc.ok());
    const auto* outputs = doc->get(doc->root(), "outputs");
    REQUIRE(outputs != nullptr);
    auto names = core_outputs();
    const auto own = entry.make()->outputs();
    names.insert(names.end(), own.begin(), own.end());
    for (const auto& [name, description] : names) {
      INFO("output " << name);
      CHECK(doc->get(*outputs, name) != nullptr);
    }
    const auto* runs = doc->get(doc->root(), "runs");
    REQUIRE(runs != nullptr);
    CHECK(doc->get(*runs, "using")->value == "composite");
  }
}

TEST_CASE("each rule has a doc, a README row and a fixture that fires it; rules are sorted", "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    INFO("gate " << entry.section);
    const auto rules = entry.make()->rules();
    if (rules.empty()) {
      continue;
    }
    const auto fixtures = all_fixture_text(std::string(entry.fixtures));
    const auto doc = test::read_file(std::string(entry.doc));
    std::string previous;
    for (const auto& rule : rules) {
      INFO("rule " << rule.id);
      CHECK(previous < rule.id);
      previous = rule.id;
      CHECK(std::filesystem::exists(std::string(SHIPGATE_SOURCE_DIR) + "/rules/" + rule.id + ".md"));
      CHECK_THAT(doc, Catch::Contains("`" + rule.id + "`"));
      CHECK_THAT(fixtures, Catch::Contains("expect[" + rule.id + "]"));
    }
  }
}
