#include <catch2/catch.hpp>

#include "core/config.hpp"
#include "helpers.hpp"

using namespace shipgate;

TEST_CASE("config sections report every unknown key with file, line and a guess", "[config]") {
  test::TempDir dir;
  const auto path = dir.write("shipgate.yml", "lint:\n  fail-levl: warning\n  environment: envs.json\nsmok: {}\n");
  auto loaded = config::load(path, dir.path().string());
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  const auto& file = **loaded;
  const auto top = config::check_sections(file);
  REQUIRE(top.size() == 1);
  CHECK(top[0].to_string() == path + ":4:1: unknown section 'smok'; did you mean 'smoke'?");

  config::Section section(&file, "lint");
  section.take("fail-level");
  section.take("environments");
  const auto errors = section.finish();
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].to_string() == path + ":2:3: unknown key 'fail-levl' in section 'lint'; did you mean 'fail-level'?");
  CHECK(errors[1].key == "lint.environment");
  CHECK_THAT(errors[1].message, Catch::Contains("did you mean 'environments'?"));
}

TEST_CASE("the config is found upwards from the working directory", "[config]") {
  test::TempDir dir;
  dir.write(".github/shipgate.yml", "lint: {}\n");
  std::filesystem::create_directories(dir.path() / ".git");
  std::filesystem::create_directories(dir.path() / "src/deep");
  auto loaded = config::load(std::nullopt, (dir.path() / "src/deep").string());
  REQUIRE(loaded.ok());
  CHECK(loaded->has_value());
  test::TempDir empty;
  std::filesystem::create_directories(empty.path() / ".git");
  loaded = config::load(std::nullopt, empty.path().string());
  REQUIRE(loaded.ok());
  CHECK_FALSE(loaded->has_value());
}

TEST_CASE("a given config that does not exist or does not parse is an error", "[config]") {
  test::TempDir dir;
  CHECK_FALSE(config::load((dir.path() / "none.yml").string(), ".").ok());
  const auto bad = dir.write("bad.yml", "lint: [\n");
  const auto loaded = config::load(bad, ".");
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.error().to_string(), Catch::StartsWith(bad + ":"));
}
