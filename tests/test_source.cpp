#include <catch2/catch.hpp>

#include "core/source.hpp"
#include "helpers.hpp"

using namespace shipgate;

TEST_CASE("read_text_file names the file in every error", "[source]") {
  test::TempDir dir;
  auto r = read_text_file((dir.path() / "missing.yml").string());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().to_string(), Catch::EndsWith("missing.yml: no such file"));
  r = read_text_file(dir.path().string());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().to_string(), Catch::Contains("is a directory"));
  const auto ok = dir.write("ok.yml", "on: push\n");
  r = read_text_file(ok);
  REQUIRE(r.ok());
  CHECK(*r == "on: push\n");
  const auto small = dir.write("small.yml", std::string(2048, 'a'));
  CHECK_THAT(read_text_file(small, 1024).error().to_string(), Catch::Contains("larger than"));
}
