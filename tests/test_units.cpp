#include <catch2/catch.hpp>

#include "core/units.hpp"

using namespace shipgate;
using std::chrono::milliseconds;

TEST_CASE("durations as people write them", "[units]") {
  CHECK(units::parse_duration("90s").value() == milliseconds(90'000));
  CHECK(units::parse_duration("5m").value() == milliseconds(300'000));
  CHECK(units::parse_duration("1h30m").value() == milliseconds(5'400'000));
  CHECK(units::parse_duration("250ms").value() == milliseconds(250));
  CHECK(units::parse_duration("1.5s").value() == milliseconds(1'500));
  CHECK(units::parse_duration("2m30s").value() == milliseconds(150'000));
  CHECK(units::parse_duration("0s").value() == milliseconds(0));
  for (const char* bad : {"", "90", "s", "-5s", "5 s", "1s1s", "30s1m", "5x", "1.2.3s", "8d", "200h", "1e3s"}) {
    INFO(bad);
    const auto parsed = units::parse_duration(bad);
    REQUIRE_FALSE(parsed);
    CHECK_THAT(parsed.error().message, Catch::Contains("duration"));
  }
  CHECK_THAT(units::parse_duration("90").error().message, Catch::Contains("a unit is required"));
  CHECK_THAT(units::parse_duration(std::string(100'000, '9') + "s").error().message, Catch::Contains("...' is not"));
}

TEST_CASE("sizes in decimal and binary units", "[units]") {
  CHECK(units::parse_size("300MB").value() == 300'000'000);
  CHECK(units::parse_size("500MiB").value() == 500ULL * 1024 * 1024);
  CHECK(units::parse_size("1.5GB").value() == 1'500'000'000);
  CHECK(units::parse_size("4096").value() == 4096);
  CHECK(units::parse_size("10 KiB").value() == 10240);
  for (const char* bad : {"", "MB", "-1MB", "3 mb", "2TB", "1e9", "5XB", "2048GiB"}) {
    INFO(bad);
    CHECK_FALSE(units::parse_size(bad));
  }
}

TEST_CASE("durations and sizes read back in messages", "[units]") {
  CHECK(units::format_duration(milliseconds(5'400'000)) == "1h30m");
  CHECK(units::format_duration(milliseconds(90'000)) == "1m30s");
  CHECK(units::format_duration(milliseconds(250)) == "250ms");
  CHECK(units::format_duration(milliseconds(1'500)) == "1.5s");
  CHECK(units::format_duration(milliseconds(0)) == "0s");
  CHECK(units::format_size(300) == "300 B");
  CHECK(units::format_size(500ULL * 1024 * 1024) == "500 MiB");
  CHECK(units::format_size(1'500'000'000) == "1.4 GiB");
}
