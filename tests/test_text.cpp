#include <catch2/catch.hpp>

#include "core/source.hpp"
#include "core/text.hpp"

using namespace shipgate;

TEST_CASE("UTF-8 validation finds the first bad byte", "[text]") {
  CHECK_FALSE(text::find_invalid_utf8("plain ascii, ünïcödé, 日本, 🚀").has_value());
  CHECK(text::find_invalid_utf8("ab\x80") == 2u);
  CHECK(text::find_invalid_utf8("\xe6\x97") == 0u);          // truncated
  CHECK(text::find_invalid_utf8("\xf4\x90\x80\x80") == 0u);  // above U+10FFFF
}

TEST_CASE("did_you_mean suggests close names only", "[text]") {
  const std::vector<std::string> names = {"fail-level", "environments", "ignore"};
  CHECK(text::did_you_mean("fail-levl", names) == "fail-level");
  CHECK(text::did_you_mean("Environment", names) == "environments");
  CHECK_FALSE(text::did_you_mean("completely-else", names).has_value());
}

TEST_CASE("a UTF-8 BOM is stripped", "[text]") {
  const auto checked = check_text("\xEF\xBB\xBFon: push\n", "w.yml");
  REQUIRE(checked.ok());
  CHECK(*checked == "on: push\n");
}

TEST_CASE("lines and offsets", "[text]") {
  CHECK(text::split_lines("a\r\nb\nc").size() == 3);
  CHECK(text::split_lines("a\r\nb\nc")[0] == "a");
  CHECK(text::line_of_offset("a\nb\nc", 4) == 3);
  CHECK(text::iequals("Production", "production"));
  CHECK(text::iequals("AKHILESHNS/Heroku-Deploy", "akhileshns/heroku-deploy"));
  CHECK_FALSE(text::iequals("production", "productio"));
  CHECK_FALSE(text::iequals("prod[", "prod{"));  // ASCII letters only: '[' is not '{' lowered
  CHECK(text::iequals("", ""));
}
