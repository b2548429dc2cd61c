#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "api_server.hpp"
#include "core/gate.hpp"
#include "freeze/calendar.hpp"
#include "freeze/cron.hpp"
#include "freeze/freeze.hpp"
#include "freeze/periods.hpp"
#include "freeze/tzdata.hpp"
#include "freeze/zone.hpp"
#include "helpers.hpp"

using namespace shipgate;
using namespace shipgate::freeze;
using nlohmann::json;

namespace {

Instant at(const std::string& rfc3339) {
  const auto t = parse_instant(rfc3339);
  REQUIRE(t.has_value());
  return *t;
}

Local local(const std::string& text) {  // "2026-03-08 02:30"
  REQUIRE(text.size() == 16);
  const date::year_month_day day{date::year{std::stoi(text.substr(0, 4))},
                                 date::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                 date::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return Local{date::local_days{day}.time_since_epoch()} + std::chrono::hours{std::stoi(text.substr(11, 2))} +
         std::chrono::minutes{std::stoi(text.substr(14, 2))};
}

Zones& system_zones() {
  static Zones zones("/usr/share/zoneinfo");
  return zones;
}

const Zone& zone(const std::string& name) {
  auto z = system_zones().get(name);
  REQUIRE(z.ok());
  return **z;
}

/// A calendar read from YAML text (the shape of a --calendar file), with the errors.
struct Read {
  Calendar calendar;
  std::vector<Error> errors;
};

Read read(const std::string& yaml_text, const test::TempDir& dir) {
  const auto path = dir.write("calendar.yml", yaml_text);
  Read r;
  const Reader reader{system_zones(), dir.path().string(), [](const std::string& p) { return p; }};
  read_calendar_file(reader, path, r.calendar, r.errors);
  return r;
}

Answer answer(const Calendar& c, const std::string& environment, const std::string& when, int horizon_days = 30) {
  auto a = freeze::evaluate(c, environment, at(when), std::chrono::seconds{horizon_days * 86400});
  REQUIRE(a.ok());
  return *a;
}

bool frozen(const Calendar& c, const std::string& when, const std::string& environment = "") {
  return answer(c, environment, when).frozen;
}

test::Captured run_freeze(std::vector<std::string> args, Environment env = {}, const std::string& cwd = {}) {
  return test::capture([](const Invocation& inv) { return run_gate(*freeze::make_gate(), inv); }, std::move(args),
                       std::move(env), cwd);
}

}  // namespace

TEST_CASE("freeze zones: system files, the embedded copy, and unknown names", "[freeze]") {
  REQUIRE(tzdata::zones().size() > 300);
  CHECK(tzdata::version().size() >= 5);
  for (const auto& z : tzdata::zones()) {  // every embedded zone is one date/tz can use
    INFO(z.name);
    CHECK_FALSE(check_tzif(tzdata::bytes(z)).has_value());
  }
  Zones none("");
  auto ny = none.get("America/New_York");
  REQUIRE(ny.ok());
  CHECK((*ny)->origin() == ZoneOrigin::embedded);
  CHECK((*ny)->to_local(at("2026-07-01T16:00:00Z")).abbrev == "EDT");
  CHECK(zone("America/New_York").origin() == ZoneOrigin::system);

  test::TempDir dir;
  Zones empty(dir.path().string());  // TZDIR with nothing in it: the embedded copy serves
  CHECK((*empty.get("Europe/Berlin"))->origin() == ZoneOrigin::embedded);

  // A damaged or slim system file is passed over for the embedded one.
  dir.write("Europe/Paris", "TZif2 not really");
  std::string slim("TZif2", 5);
  slim.resize(44, '\0');
  slim[39] = 1;  // typecnt 1
  slim += std::string(6, '\0') + slim.substr(0, 44) + std::string(6, '\0') + "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
  dir.write("Europe/Rome", slim);
  CHECK(check_tzif(slim).value_or("").find("slim") != std::string::npos);
  CHECK((*empty.get("Europe/Paris"))->origin() == ZoneOrigin::embedded);
  CHECK((*empty.get("Europe/Rome"))->origin() == ZoneOrigin::embedded);

  auto typo = none.get("America/New_Yrok");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message.find("did you mean 'America/New_York'") != std::string::npos);
  auto cased = none.get("europe/berlin");
  REQUIRE_FALSE(cased.ok());
  CHECK(cased.error().message.find("did you mean 'Europe/Berlin'") != std::string::npos);
  for (const auto* bad : {"", "../../etc/passwd", "/etc/passwd", "Mars/Olympus", "EST5EDT,M3.2.0", "UTC\n"}) {
    INFO(bad);
    CHECK_FALSE(none.get(bad).ok());
  }
  CHECK(check_tzif("").has_value());
  CHECK(check_tzif(std::string("TZif\0", 5) + std::string(60, '\0')).has_value());  // version 1
}

TEST_CASE("freeze zones: both 2026 changes in four zones, at the exact instants", "[freeze]") {
  struct Case {
    const char* zone;
    const char* skipped;      // a wall-clock time the clocks jump over
    const char* jump;         // the instant they jump
    const char* repeated;     // a wall-clock time that happens twice
    const char* first;        // its first occurrence
    const char* second;       // its second
    const char* before_jump;  // abbreviation just before the jump
    const char* after_jump;   // and at it
  };
  const Case cases[] = {
      {"America/New_York", "2026-03-08 02:30", "2026-03-08T07:00:00Z", "2026-11-01 01:30", "2026-11-01T05:30:00Z",
       "2026-11-01T06:30:00Z", "EST", "EDT"},
      {"Europe/Berlin", "2026-03-29 02:30", "2026-03-29T01:00:00Z", "2026-10-25 02:30", "2026-10-25T00:30:00Z",
       "2026-10-25T01:30:00Z", "CET", "CEST"},
      {"Australia/Sydney", "2026-10-04 02:30", "2026-10-03T16:00:00Z", "2026-04-05 02:30", "2026-04-04T15:30:00Z",
       "2026-04-04T16:30:00Z", "AEST", "AEDT"},
      {"Australia/Lord_Howe", "2026-10-04 02:15", "2026-10-03T15:30:00Z", "2026-04-05 01:45", "2026-04-04T14:45:00Z",
       "2026-04-04T15:15:00Z", "+1030", "+11"},
  };
  for (const auto& c : cases) {
    INFO(c.zone);
    const auto& z = zone(c.zone);
    CHECK(z.kind(local(c.skipped)) == LocalKind::skipped);
    CHECK(z.kind(local(c.repeated)) == LocalKind::repeated);
    CHECK(format_utc(z.to_instant(local(c.skipped), Repeat::earliest)) == c.jump);
    CHECK(format_utc(z.to_instant(local(c.skipped), Repeat::latest)) == c.jump);
    CHECK(format_utc(z.to_instant(local(c.repeated), Repeat::earliest)) == c.first);
    CHECK(format_utc(z.to_instant(local(c.repeated), Repeat::latest)) == c.second);
    CHECK(z.to_local(at(c.jump) - std::chrono::seconds{1}).abbrev == c.before_jump);
    CHECK(z.to_local(at(c.jump)).abbrev == c.after_jump);
  }
  // Lord Howe moves its clocks by 30 minutes.
  const auto& lh = zone("Australia/Lord_Howe");
  CHECK(lh.to_local(at("2026-10-03T15:30:00Z")).offset - lh.to_local(at("2026-10-03T15:29:59Z")).offset ==
        std::chrono::minutes{30});
}

TEST_CASE("freeze windows: a boundary on a skipped or repeated time holds at the exact second", "[freeze]") {
  test::TempDir dir;
  // New York, 8 March 2026: 02:00 jumps to 03:00. A freeze "until Sun 02:30" ends when they jump.
  const auto spring = read(R"(timezone: America/New_York
windows:
  - {name: night, from: "Sat 22:00", until: "Sun 02:30"}
)",
                           dir);
  REQUIRE(spring.errors.empty());
  CHECK(frozen(spring.calendar, "2026-03-08T06:59:59Z"));
  CHECK_FALSE(frozen(spring.calendar, "2026-03-08T07:00:00Z"));
  CHECK(frozen(spring.calendar, "2026-03-08T03:00:00Z"));  // Sat 22:00 EST
  CHECK_FALSE(frozen(spring.calendar, "2026-03-08T02:59:59Z"));
  // 1 November 2026: 01:30 happens twice. A window that starts then starts at the first, one
  // that ends then ends at the second: a window never shrinks.
  const auto autumn = read(R"(timezone: America/New_York
windows:
  - {name: starts, from: "Sun 01:30", until: "Sun 04:00", environments: [a]}
  - {name: ends, from: "Sat 23:00", until: "Sun 01:30", environments: [b]}
)",
                           dir);
  REQUIRE(autumn.errors.empty());
  CHECK_FALSE(frozen(autumn.calendar, "2026-11-01T05:29:59Z", "a"));
  CHECK(frozen(autumn.calendar, "2026-11-01T05:30:00Z", "a"));
  CHECK(frozen(autumn.calendar, "2026-11-01T06:29:59Z", "b"));
  CHECK_FALSE(frozen(autumn.calendar, "2026-11-01T06:30:00Z", "b"));
  // The 30-minute shift: Lord Howe's daily 02:00-02:45 on 4 October 2026 (02:00 jumps to 02:30).
  const auto lord_howe = read(R"(windows:
  - {name: lh, from: "02:00", until: "02:45", dates: [2026-10-04], timezone: Australia/Lord_Howe}
)",
                              dir);
  REQUIRE(lord_howe.errors.empty());
  const auto lh = answer(lord_howe.calendar, "", "2026-10-03T15:30:00Z");
  CHECK(lh.frozen);
  REQUIRE(lh.ends_at);
  CHECK(format_utc(*lh.ends_at) == "2026-10-03T15:45:00Z");  // 02:45 LHDT (+11)
  CHECK_FALSE(frozen(lord_howe.calendar, "2026-10-03T15:29:59Z"));
  // Sydney's autumn change, southern hemisphere (5 April 2026, 03:00 back to 02:00).
  const auto sydney = read(R"(windows:
  - {name: sy, from: "Sun 02:30", until: "Sun 03:30", timezone: Australia/Sydney}
)",
                           dir);
  REQUIRE(sydney.errors.empty());
  CHECK_FALSE(frozen(sydney.calendar, "2026-04-04T15:29:59Z"));
  CHECK(frozen(sydney.calendar, "2026-04-04T15:30:00Z"));  // 02:30 AEDT, the first
  CHECK(frozen(sydney.calendar, "2026-04-04T17:29:59Z"));
  CHECK_FALSE(frozen(sydney.calendar, "2026-04-04T17:30:00Z"));  // 03:30 AEST
  // Berlin's spring change: a daily freeze 01:30-02:30 ends when the clocks jump at 02:00.
  const auto berlin = read(R"(windows:
  - {name: be, from: "01:30", until: "02:30", timezone: Europe/Berlin}
)",
                           dir);
  REQUIRE(berlin.errors.empty());
  CHECK(frozen(berlin.calendar, "2026-03-29T00:59:59Z"));
  CHECK_FALSE(frozen(berlin.calendar, "2026-03-29T01:00:00Z"));
}

TEST_CASE("freeze windows: every kind", "[freeze]") {
  test::TempDir dir;
  const auto r = read(R"(timezone: America/New_York
windows:
  - name: weekend
    reason: No deploys over the weekend
    from: Fri 17:00
    until: Mon 09:00
    environments: [production, prod-*]
  - name: launch
    from: 2026-12-10T12:00:00Z
    until: 2026-12-10T18:00:00+01:00
  - name: local-launch
    from: 2026-12-14 08:00
    until: 2026-12-14 10:00
  - name: holidays
    dates: [2026-12-25, 2027-01-01]
  - name: whole-days
    from: 2026-12-30
    until: 2026-12-31
    environments: [billing]
  - name: nightly
    from: "22:00"
    until: "06:00"
    days: [tue]
    environments: [batch]
)",
                      dir);
  REQUIRE(r.errors.empty());
  const auto& c = r.calendar;
  REQUIRE(c.windows.size() == 6);
  // Weekly, over the weekend and midnight: Friday 17:00 to Monday 09:00 New York time.
  CHECK_FALSE(frozen(c, "2026-12-04T21:59:59Z", "production"));
  CHECK(frozen(c, "2026-12-04T22:00:00Z", "production"));
  CHECK(frozen(c, "2026-12-06T05:00:00Z", "prod-eu"));  // Sunday 00:00
  const auto weekend = answer(c, "production", "2026-12-05T12:00:00Z");
  REQUIRE(weekend.ends_at);
  CHECK(format_utc(*weekend.ends_at) == "2026-12-07T14:00:00Z");
  REQUIRE(weekend.applied.size() == 1);
  CHECK(weekend.applied[0].window->name == "weekend");
  CHECK_FALSE(frozen(c, "2026-12-05T12:00:00Z", "staging"));  // another environment
  CHECK(frozen(c, "2026-12-05T12:00:00Z"));                   // no environment: every window
  // Absolute instants, with offsets; local date-times in the calendar's zone.
  CHECK(frozen(c, "2026-12-10T12:00:00Z", "staging"));
  CHECK(frozen(c, "2026-12-10T16:59:59Z", "staging"));
  CHECK_FALSE(frozen(c, "2026-12-10T17:00:00Z", "staging"));
  CHECK(frozen(c, "2026-12-14T13:00:00Z", "staging"));
  CHECK_FALSE(frozen(c, "2026-12-14T15:00:00Z", "staging"));
  // Dates are whole local days.
  CHECK(frozen(c, "2026-12-25T05:00:00Z", "staging"));
  CHECK_FALSE(frozen(c, "2026-12-25T04:59:59Z", "staging"));
  CHECK(frozen(c, "2027-01-02T04:59:59Z", "staging"));
  CHECK(frozen(c, "2026-12-30T12:00:00Z", "billing"));
  CHECK_FALSE(frozen(c, "2026-12-31T05:00:00Z", "billing"));
  // Daily past midnight, on Tuesdays only.
  CHECK(frozen(c, "2026-12-09T04:00:00Z", "batch"));  // Tue 23:00
  CHECK(frozen(c, "2026-12-09T10:59:59Z", "batch"));  // Wed 05:59
  CHECK_FALSE(frozen(c, "2026-12-09T11:00:00Z", "batch"));
  CHECK_FALSE(frozen(c, "2026-12-10T04:00:00Z", "batch"));  // Wed 23:00
  // The next freeze, when not frozen.
  const auto before = answer(c, "staging", "2026-12-09T12:00:00Z");
  REQUIRE(before.next_freeze);
  CHECK(format_utc(*before.next_freeze) == "2026-12-10T12:00:00Z");
  CHECK(before.next_windows.front()->name == "launch");
}

TEST_CASE("freeze windows: GitLab's deploy freezes, pasted unchanged", "[freeze]") {
  test::TempDir dir;
  // GitLab's documented example: from Friday 23:00 to Monday 07:00 UTC; both ends included.
  const auto r = read(R"(windows:
  - freeze_start: "0 23 * * 5"
    freeze_end: "0 7 * * 1"
    cron_timezone: "UTC"
    environments: [us]
  - name: year-end
    freeze_start: "0 0 24 12 *"
    freeze_end: "0 0 2 1 *"
    cron_timezone: Europe/Berlin
    environments: [eu]
)",
                      dir);
  REQUIRE(r.errors.empty());
  const auto& c = r.calendar;
  CHECK_FALSE(frozen(c, "2026-12-04T22:59:59Z", "us"));
  CHECK(frozen(c, "2026-12-04T23:00:00Z", "us"));
  CHECK(frozen(c, "2026-12-07T07:00:00Z", "us"));  // the end is included
  CHECK_FALSE(frozen(c, "2026-12-07T07:00:01Z", "us"));
  const auto a = answer(c, "us", "2026-12-05T10:00:00Z");
  REQUIRE(a.ends_at);
  CHECK(format_utc(*a.ends_at) == "2026-12-07T07:00:01Z");
  CHECK(a.applied.front().window->name == "window 1");
  // Over the new year, in Berlin's time.
  CHECK(frozen(c, "2026-12-23T23:00:00Z", "eu"));
  CHECK(frozen(c, "2026-12-30T12:00:00Z", "eu"));
  CHECK(frozen(c, "2027-01-01T23:00:00Z", "eu"));
  CHECK_FALSE(frozen(c, "2027-01-01T23:00:01Z", "eu"));
  CHECK_FALSE(frozen(c, "2026-12-23T22:59:59Z", "eu"));
}

TEST_CASE("freeze cron: the syntax, and firing across daylight saving", "[freeze]") {
  CHECK(Cron::parse("0 23 * * 5").ok());
  CHECK(Cron::parse("*/15 9-17 * jan-mar,dec mon-fri").ok());
  CHECK(Cron::parse("0 0 L * *").ok());
  CHECK(Cron::parse("0 9 * * mon#1").ok());
  CHECK(Cron::parse("@daily").ok());
  CHECK(Cron::parse("0 0 * * 7").ok());
  for (const auto* bad :
       {"", "0 23 * *", "0 23 * * 5 2026", "60 * * * *", "* 24 * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8",
        "5-1 * * * *", "*/0 * * * *", "0 0 30 2 *", "0 0 * * mon#6", "a b c d e", "0 0 1,,2 * *", "0 0 L-2 * *"}) {
    INFO(bad);
    CHECK_FALSE(Cron::parse(bad).ok());
  }
  CHECK(Cron::parse("0 0 30 2 *").error().message.find("never fires") != std::string::npos);
  CHECK(Cron::parse("61 * * * *").error().message.find("minute field") != std::string::npos);

  const auto& ny = zone("America/New_York");
  const auto& utc = zone("UTC");
  // Both day fields restricted: either matches (1st of the month or a Monday).
  const auto either = *Cron::parse("0 12 1 * mon");
  CHECK(format_utc(*either.next(at("2026-12-01T12:00:00Z"), utc, Repeat::earliest)) == "2026-12-07T12:00:00Z");
  CHECK(format_utc(*either.previous(at("2026-12-06T00:00:00Z"), utc, Repeat::earliest)) == "2026-12-01T12:00:00Z");
  const auto last = *Cron::parse("0 0 L 2 *");
  CHECK(format_utc(*last.next(at("2027-01-01T00:00:00Z"), utc, Repeat::earliest)) == "2027-02-28T00:00:00Z");
  CHECK(format_utc(*last.next(at("2028-01-01T00:00:00Z"), utc, Repeat::earliest)) == "2028-02-29T00:00:00Z");
  const auto nth = *Cron::parse("0 9 * * mon#1");
  CHECK(format_utc(*nth.next(at("2026-12-01T00:00:00Z"), utc, Repeat::earliest)) == "2026-12-07T09:00:00Z");
  // 02:30 does not happen on 8 March 2026 in New York: it fires when the clocks jump.
  const auto skipped = *Cron::parse("30 2 * * *");
  CHECK(format_utc(*skipped.next(at("2026-03-07T12:00:00Z"), ny, Repeat::earliest)) == "2026-03-08T07:00:00Z");
  CHECK(format_utc(*skipped.next(at("2026-03-08T07:00:00Z"), ny, Repeat::earliest)) == "2026-03-09T06:30:00Z");
  // 01:30 happens twice on 1 November 2026: it fires once.
  const auto repeated = *Cron::parse("30 1 * * *");
  CHECK(format_utc(*repeated.next(at("2026-11-01T00:00:00Z"), ny, Repeat::earliest)) == "2026-11-01T05:30:00Z");
  CHECK(format_utc(*repeated.next(at("2026-11-01T05:30:00Z"), ny, Repeat::earliest)) == "2026-11-02T06:30:00Z");
  // Every minute of the day the clocks jump: 1,380 firings, none twice, all in order.
  const auto minutely = *Cron::parse("* * * * *");
  Cron::Forward f(minutely, ny, Repeat::earliest, at("2026-03-08T04:59:59Z"));
  std::size_t n = 0;
  Instant previous{};
  for (auto t = f.next(); t && *t < at("2026-03-09T04:00:00Z"); t = f.next()) {
    CHECK(*t > previous);
    previous = *t;
    ++n;
  }
  CHECK(n == 1380);
}

TEST_CASE("freeze allow windows: deploys only inside them, for the environments they name", "[freeze]") {
  test::TempDir dir;
  const auto r = read(R"(timezone: America/New_York
windows:
  - name: business hours
    allow: true
    days: [mon, tue, wed, thu]
    from: "09:00"
    until: "16:00"
    environments: [production]
)",
                      dir);
  REQUIRE(r.errors.empty());
  const auto& c = r.calendar;
  const auto friday = answer(c, "production", "2026-12-04T17:00:00Z");  // Friday 12:00
  CHECK(friday.frozen);
  CHECK(friday.outside_allowed);
  REQUIRE(friday.ends_at);
  CHECK(format_utc(*friday.ends_at) == "2026-12-07T14:00:00Z");      // Monday 09:00
  REQUIRE(friday.next_freeze);                                       // while frozen: the freeze after this one
  CHECK(format_utc(*friday.next_freeze) == "2026-12-07T21:00:00Z");  // Monday 16:00
  const auto tuesday = answer(c, "production", "2026-12-08T15:00:00Z");
  CHECK_FALSE(tuesday.frozen);
  REQUIRE(tuesday.next_freeze);
  CHECK(format_utc(*tuesday.next_freeze) == "2026-12-08T21:00:00Z");  // Tuesday 16:00
  REQUIRE(tuesday.next_windows.size() == 1);
  CHECK(tuesday.next_windows[0]->name == "business hours");
  CHECK_FALSE(frozen(c, "2026-12-04T17:00:00Z", "staging"));  // not named: no allow window applies
  CHECK(frozen(c, "2026-12-08T21:00:00Z", "production"));
  CHECK_FALSE(frozen(c, "2026-12-08T20:59:59Z", "production"));
}

TEST_CASE("freeze calendars: hostile and wrong ones are exit 2 with file, line and key", "[freeze]") {
  test::TempDir dir;
  struct Case {
    const char* yaml;
    const char* key;
    const char* words;
  };
  const Case cases[] = {
      {"windows:\n  - {freeze_start: '0 25 * * *', freeze_end: '0 7 * * 1'}\n", "windows[0].freeze_start", "hour"},
      {"windows:\n  - {from: 'Fri 17:00', until: 'Mon 09:00', timezone: America/New_Yrok}\n", "windows[0].timezone",
       "did you mean 'America/New_York'"},
      {"windows:\n  - {from: 2026-12-10T12:00:00Z, until: 2026-12-09T12:00:00Z}\n", "windows[0].until", "not after"},
      {"windows:\n  - {from: 'Fri 17:00', until: 'Mon 09:00'}\n", "windows[0].timezone", "need a time zone"},
      {"windows:\n  - {from: 'Fri 17:00'}\n", "windows[0].until", "both from and until"},
      {"windows:\n  - {from: '09:00', until: 'Mon 09:00', timezone: UTC}\n", "windows[0].until",
       "write both ends the same way"},
      {"windows:\n  - {from: '09:00', until: '25:00', timezone: UTC}\n", "windows[0].until",
       "'25:00' is not a time of day"},
      {"windows:\n  - {days: [funday], timezone: UTC}\n", "windows[0].days", "not a weekday"},
      {"windows:\n  - {dates: [2026-02-30], timezone: UTC}\n", "windows[0].dates", "not a date"},
      {"windows:\n  - {from: 2026-01-01T00:00:00Z, until: 2040-01-01T00:00:00Z}\n", "windows[0].until", "2037"},
      {"windows:\n  - {from: 2026-01-01T00:00:00Z, until: 2026-01-02T00:00:00Z, hard: yes}\n", "windows[0].hard",
       "true or false"},
      {"windows:\n  - {from: 2026-01-01T00:00:00Z, until: 2026-01-02T00:00:00Z, untill: x}\n", "windows[0].untill",
       "until"},
      {"windows: {a: b}\n", "windows", "list of windows"},
      {"overriders: [\"not a login!\"]\n", "overriders", "neither a GitHub login"},
      {"timezone: Nowhere/Place\n", "timezone", "unknown time zone"},
      {"windows:\n  - {freeze_start: '0 23 * * 5', freeze_end: }\n", "windows[0].freeze_end", "needs freeze_end"},
      {"windows:\n  - {from: , until: 2026-01-02T00:00:00Z}\n", "windows[0].from", "both from and until"},
      {"windows:\n  - {name: \"a\\tb\", from: 2026-01-01T00:00:00Z, until: 2026-01-02T00:00:00Z}\n", "windows[0].name",
       "one line"},
  };
  for (const auto& c : cases) {
    INFO(c.yaml);
    const auto r = read(c.yaml, dir);
    REQUIRE_FALSE(r.errors.empty());
    CHECK(r.errors[0].key == c.key);
    CHECK(r.errors[0].message.find(c.words) != std::string::npos);
    CHECK(r.errors[0].where.line > 0);
    CHECK(r.errors[0].where.file.find("calendar.yml") != std::string::npos);
  }
}

TEST_CASE("freeze calendars: a bad calendar time zone is one error, not one per window", "[freeze]") {
  test::TempDir dir;
  const auto r = read(
      "timezone: Europe/Berln\nwindows:\n  - {from: 'Fri 17:00', until: 'Mon 09:00'}\n"
      "  - {days: [sat, sun]}\n",
      dir);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].key == "timezone");
  CHECK(r.errors[0].message.find("did you mean 'Europe/Berlin'") != std::string::npos);
}

TEST_CASE("freeze calendars: includes stay in the repository, never loop, and add their windows", "[freeze]") {
  test::TempDir dir;
  dir.write("freeze/holidays.yml",
            "timezone: Europe/Berlin\nwindows:\n  - {name: xmas, dates: [2026-12-25]}\n  - {dates: [2026-12-31]}\n");
  auto ok = read("include: freeze/holidays.yml\nwindows: [{dates: [2026-05-01], timezone: UTC}]\n", dir);
  REQUIRE(ok.errors.empty());
  REQUIRE(ok.calendar.windows.size() == 3);
  CHECK(ok.calendar.windows[0].name == "window 1");  // unnamed: by place, and by file when included
  CHECK(ok.calendar.windows[1].zone->name() == "Europe/Berlin");
  CHECK(ok.calendar.windows[2].name == "window 2 of holidays.yml");
  CHECK(ok.calendar.files.size() == 2);

  dir.write("a.yml", "include: b.yml\n");
  dir.write("b.yml", "include: a.yml\n");
  auto loop = read("include: a.yml\n", dir);
  REQUIRE_FALSE(loop.errors.empty());
  CHECK(loop.errors[0].message.find("includes itself") != std::string::npos);
  CHECK(loop.errors[0].where.file.find("b.yml") != std::string::npos);

  auto outside = read("include: ../../etc/passwd\n", dir);
  REQUIRE_FALSE(outside.errors.empty());
  CHECK(outside.errors[0].message.find("outside the repository") != std::string::npos);

  dir.write("over.yml", "overriders: [alice]\n");
  auto over = read("include: over.yml\n", dir);
  REQUIRE_FALSE(over.errors.empty());
  CHECK(over.errors[0].message.find("overriders") != std::string::npos);

  // A chain deeper than the limit.
  for (int i = 0; i < 12; ++i) {
    dir.write("deep" + std::to_string(i) + ".yml", "include: deep" + std::to_string(i + 1) + ".yml\n");
  }
  dir.write("deep12.yml", "windows: []\n");
  auto deep = read("include: deep0.yml\n", dir);
  REQUIRE_FALSE(deep.errors.empty());
  CHECK(deep.errors[0].message.find("deeper than") != std::string::npos);
}

TEST_CASE("freeze calendars: the size caps hold, and work stays linear", "[freeze]") {
  test::TempDir dir;
  // 10,000 windows is the cap (a verdict over them is benchmarked): the next one is refused.
  std::string many = "timezone: UTC\nwindows:\n";
  for (int i = 0; i < 10'001; ++i) {
    many += "  - {from: 'Fri 17:00', until: 'Mon 09:00'}\n";
  }
  auto big = read(many, dir);
  REQUIRE(big.errors.size() == 1);
  CHECK(big.errors[0].message.find("more than 10000 windows") != std::string::npos);
  CHECK(big.errors[0].where.line == 10'003);
  CHECK(big.calendar.windows.size() == 10'000);
  // 100,000 are refused by the YAML limits before any window is read.
  std::string more = "timezone: UTC\nwindows:\n";
  for (int i = 0; i < 100'000; ++i) {
    more += "  - {from: 'Fri 17:00', until: 'Mon 09:00'}\n";
  }
  auto bigger = read(more, dir);
  REQUIRE_FALSE(bigger.errors.empty());
  CHECK(bigger.calendar.windows.empty());
  // Past 4 MiB the file is not read at all.
  std::string huge = "windows:\n#" + std::string(std::size_t{4} * 1024 * 1024, 'x') + "\n";
  auto too_big = read(huge, dir);
  REQUIRE_FALSE(too_big.errors.empty());
  // An alias bomb is refused by the YAML limits.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + std::string(1, c) + " [*" + std::string(1, static_cast<char>(c - 1)) + ", *" +
            std::string(1, static_cast<char>(c - 1)) + ", *" + std::string(1, static_cast<char>(c - 1)) + ", *" +
            std::string(1, static_cast<char>(c - 1)) + ", *" + std::string(1, static_cast<char>(c - 1)) + ", *" +
            std::string(1, static_cast<char>(c - 1)) + ", *" + std::string(1, static_cast<char>(c - 1)) + ", *" +
            std::string(1, static_cast<char>(c - 1)) + ", *" + std::string(1, static_cast<char>(c - 1)) + "]\n";
  }
  bomb += "windows: *k\n";
  auto exploded = read(bomb, dir);
  CHECK_FALSE(exploded.errors.empty());
  // A glob made to backtrack stays cheap: quadratic at worst in two short strings.
  const std::string pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
  CHECK_FALSE(glob_match(pattern, std::string(255, 'a')));
  CHECK(glob_match("prod-*", "PROD-eu"));
  CHECK(glob_match("p?od", "prod"));
  CHECK_FALSE(glob_match("prod", "production"));
}

TEST_CASE("freeze gate: verdicts, outputs, the config section and JSON", "[freeze]") {
  test::TempDir dir;
  dir.write(".git/HEAD", "ref: refs/heads/main\n");
  dir.write(".github/shipgate.yml", R"(freeze:
  environment: production
  timezone: America/New_York
  windows:
    - name: weekend
      reason: No deploys over the weekend
      from: Fri 17:00
      until: Mon 09:00
)");
  const auto output = (dir.path() / "output").string();
  const auto summary = (dir.path() / "summary").string();
  Environment gh{{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", output}, {"GITHUB_STEP_SUMMARY", summary}};
  auto frozen_run = run_freeze({"--at", "2026-12-05T12:00:00Z"}, gh, dir.path().string());
  CHECK(frozen_run.code == 1);
  CHECK(frozen_run.out.find("frozen by 'weekend' (No deploys over the weekend) until Mon 2026-12-07 09:00 EST") !=
        std::string::npos);
  const auto outputs = test::read_file(output);
  CHECK(outputs.find("frozen=true\n") != std::string::npos);
  CHECK(outputs.find("2026-12-07T14:00:00Z") != std::string::npos);
  CHECK(outputs.find("next-freeze-at=2026-12-11T22:00:00Z\n") != std::string::npos);  // the next weekend
  CHECK(test::read_file(summary).find("weekend") != std::string::npos);

  auto open_run = run_freeze({"--at", "2026-12-03T12:00:00Z", "--format", "json"}, {}, dir.path().string());
  CHECK(open_run.code == 0);
  const auto doc = json::parse(open_run.out);
  const auto& details = doc["checks"][0]["details"];
  CHECK(details["frozen"] == false);
  CHECK(details["next_freeze_at"] == "2026-12-04T22:00:00Z");
  CHECK(doc["summary"]["tzdata"] == std::string(tzdata::version()));

  // The config's includes are relative to the repository root, as its other paths are.
  dir.write("calendars/holidays.yml", "windows:\n  - {name: xmas, dates: [2026-12-25], timezone: UTC}\n");
  dir.write(".github/shipgate.yml", "freeze:\n  include: calendars/holidays.yml\n");
  auto xmas = run_freeze({"--at", "2026-12-25T12:00:00Z"}, {}, dir.path().string());
  CHECK(xmas.code == 1);
  CHECK(xmas.out.find("frozen by 'xmas'") != std::string::npos);

  // A bad calendar in the config: exit 2, the file, line and key named.
  dir.write(".github/shipgate.yml", "freeze:\n  windows:\n    - {freeze_start: 'x', freeze_end: '0 7 * * 1'}\n");
  auto bad = run_freeze({"--at", "2026-12-05T12:00:00Z"}, {}, dir.path().string());
  CHECK(bad.code == 2);
  CHECK(bad.err.find("shipgate.yml:3") != std::string::npos);
  CHECK(bad.err.find("freeze.windows[0].freeze_start") != std::string::npos);

  // Flags: a bad time is a usage error; --from without --list too.
  CHECK(run_freeze({"--at", "tomorrow"}, {}, dir.path().string()).code == 2);
  CHECK(run_freeze({"--calendar", "missing.yml"}, {}, dir.path().string()).code == 2);

  // --calendar with calendar keys in the config's section: one calendar, never a silent mix.
  dir.write("cal.yml", "windows:\n  - {from: 2026-12-05T00:00:00Z, until: 2026-12-06T00:00:00Z}\n");
  for (const auto* key : {"timezone: UTC", "overriders: [alice]", "windows: []"}) {
    INFO(key);
    dir.write(".github/shipgate.yml", std::string("freeze:\n  ") + key + "\n");
    auto mixed = run_freeze({"--calendar", "cal.yml", "--at", "2026-12-05T12:00:00Z"}, {}, dir.path().string());
    CHECK(mixed.code == 2);
    CHECK(mixed.err.find("keep one calendar") != std::string::npos);
  }
  dir.write(".github/shipgate.yml", "freeze:\n  environment: production\n");
  CHECK(run_freeze({"--calendar", "cal.yml", "--at", "2026-12-05T12:00:00Z"}, {}, dir.path().string()).code == 1);
}

TEST_CASE("freeze gate: overrides, overriders and hard windows", "[freeze]") {
  test::TempDir dir;
  const auto cal = dir.write("cal.yml", R"(timezone: UTC
overriders: [alice, "@acme/sre"]
windows:
  - {name: soft, from: "Fri 00:00", until: "Sat 00:00"}
  - {name: hard, from: "Sat 00:00", until: "Sun 00:00", hard: true}
)");
  std::atomic<int> member_calls{0};
  std::string answer_state = "active";
  int status = 200;
  test::ApiServer api([&](const test::ApiServer::Request& req) {
    ++member_calls;
    if (req.path != "/orgs/acme/teams/sre/memberships/bob" || req.header("authorization") != "Bearer team-token") {
      return test::ApiServer::Reply{404, {}, R"({"message":"Not Found"})"};
    }
    return test::ApiServer::Reply{status, {}, json{{"state", answer_state}, {"role", "member"}}.dump()};
  });
  const auto summary = (dir.path() / "summary").string();
  const auto output = (dir.path() / "output").string();
  const auto env = [&](const std::string& actor) {
    return Environment{
        {"GITHUB_ACTOR", actor},    {"GITHUB_API_URL", api.base()},   {"SHIPGATE_FREEZE_TOKEN", "team-token"},
        {"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", summary}, {"GITHUB_OUTPUT", output}};
  };
  const std::vector<std::string> friday = {"--calendar", cal, "--at", "2026-12-04T12:00:00Z"};
  const auto with = [](std::vector<std::string> args, std::vector<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };

  auto plain = run_freeze(friday, env("alice"));
  CHECK(plain.code == 1);
  CHECK(plain.out.find("--override-reason") != std::string::npos);

  auto by_login = run_freeze(with(friday, {"--override-reason", "hotfix for INC-42"}), env("Alice"));
  CHECK(by_login.code == 0);
  CHECK(by_login.out.find("OVERRIDDEN by Alice") != std::string::npos);
  CHECK(by_login.out.find("hotfix for INC-42") != std::string::npos);
  CHECK(by_login.err.find("::warning") != std::string::npos);
  CHECK(test::read_file(summary).find("OVERRIDDEN by Alice") != std::string::npos);
  CHECK(test::read_file(output).find("overridden=true\n") != std::string::npos);

  auto by_env = run_freeze(friday, [&] {
    auto e = env("alice");
    e["SHIPGATE_FREEZE_OVERRIDE"] = "rollback";
    return e;
  }());
  CHECK(by_env.code == 0);

  auto by_team = run_freeze(with(friday, {"--override-reason", "x"}), env("bob"));
  CHECK(by_team.code == 0);
  CHECK(member_calls.load() >= 1);
  answer_state = "pending";
  auto pending = run_freeze(with(friday, {"--override-reason", "x"}), env("bob"));
  CHECK(pending.code == 1);
  auto stranger = run_freeze(with(friday, {"--override-reason", "x"}), env("mallory"));
  CHECK(stranger.code == 1);
  CHECK(stranger.out.find("override refused") != std::string::npos);
  status = 500;
  answer_state = "active";
  auto broken = run_freeze(with(friday, {"--override-reason", "x"}), env("bob"));
  CHECK(broken.code == 3);
  auto no_token = run_freeze(with(friday, {"--override-reason", "x"}), [&] {
    auto e = env("bob");
    e.erase("SHIPGATE_FREEZE_TOKEN");
    return e;
  }());
  CHECK(no_token.code == 3);
  CHECK(no_token.out.find("read:org") != std::string::npos);
  status = 403;
  auto forbidden = run_freeze(with(friday, {"--override-reason", "x"}), env("bob"));
  CHECK(forbidden.code == 3);
  CHECK(forbidden.out.find("read:org") != std::string::npos);
  CHECK_FALSE(test::leaks(by_team, "team-token"));
  CHECK_FALSE(test::leaks(forbidden, "team-token"));

  // A re-run: the one who re-ran it (GITHUB_TRIGGERING_ACTOR) is checked, not the run's author.
  auto rerun = run_freeze(with(friday, {"--override-reason", "x"}), [&] {
    auto e = env("alice");
    e["GITHUB_TRIGGERING_ACTOR"] = "mallory";
    return e;
  }());
  CHECK(rerun.code == 1);
  CHECK(rerun.out.find("mallory is not among the overriders") != std::string::npos);

  auto hard =
      run_freeze({"--calendar", cal, "--at", "2026-12-05T12:00:00Z", "--override-reason", "please"}, env("alice"));
  CHECK(hard.code == 1);
  CHECK(hard.out.find("hard freeze") != std::string::npos);
}

TEST_CASE("freeze gate: a window's name cannot forge workflow commands or Markdown", "[freeze]") {
  test::TempDir dir;
  const auto cal = dir.write("cal.yml", R"Y(timezone: UTC
windows:
  - name: "x%0A::error::forged"
    reason: "**bold** <img src=x> [link](http://evil)"
    from: "Fri 00:00"
    until: "Sat 00:00"
)Y");
  const auto summary = (dir.path() / "summary").string();
  auto r = run_freeze({"--calendar", cal, "--at", "2026-12-04T12:00:00Z", "--format", "github"},
                      {{"GITHUB_ACTIONS", "true"},
                       {"GITHUB_STEP_SUMMARY", summary},
                       {"GITHUB_OUTPUT", (dir.path() / "output").string()}});
  CHECK(r.code == 1);
  for (const auto* stream : {&r.out, &r.err}) {
    std::istringstream lines(*stream);
    for (std::string line; std::getline(lines, line);) {
      CHECK(line.rfind("::error::forged", 0) == std::string::npos);
    }
  }
  const auto md = test::read_file(summary);
  CHECK(md.find("<img") == std::string::npos);
  CHECK(md.find("**bold**") == std::string::npos);
}

TEST_CASE("freeze --list: periods as JSON, and an iCalendar file a calendar library reads the same", "[freeze]") {
  test::TempDir dir;
  const auto cal = dir.write("cal.yml", R"(timezone: America/New_York
windows:
  - {name: "weekend; with, commas", reason: "a long reason that goes on and on so that the line has to be folded at seventy-five octets", from: Fri 17:00, until: Mon 09:00}
  - {name: gitlab, freeze_start: "0 23 * * 5", freeze_end: "0 7 * * 1", cron_timezone: Europe/Berlin}
  - {name: hours, allow: true, days: [mon], from: "09:00", until: "16:00", environments: [production]}
  - {name: dst, from: "01:30", until: "02:30", dates: [2026-03-08, 2026-11-01]}
)");
  const auto ics = (dir.path() / "freeze.ics").string();
  auto r = run_freeze({"--calendar", cal, "--list", "--from", "2026-01-01T00:00:00Z", "--until", "2027-01-01T00:00:00Z",
                       "--ics", ics, "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = json::parse(r.out);
  CHECK(doc["checks"].size() == 52 + 52 + 52 + 2);
  // A cron window's end is one second after its firing, and the local time says so too.
  CHECK(r.out.find("\"end_local\": \"2026-01-05T07:00:01+01:00\"") != std::string::npos);
  auto text_list =
      run_freeze({"--calendar", cal, "--list", "--from", "2026-01-01T00:00:00Z", "--until", "2026-01-06T00:00:00Z"});
  CHECK(text_list.out.find("Mon 2026-01-05 07:00:01 CET (2026-01-05T06:00:01Z)") != std::string::npos);
  // An iCalendar file that cannot be written: the results were not delivered, exit 3.
  auto unwritable = run_freeze({"--calendar", cal, "--list", "--ics", (dir.path() / "no/such/dir.ics").string()});
  CHECK(unwritable.code == 3);
  CHECK(unwritable.out.find("cannot write") != std::string::npos);
  std::ofstream(dir.path() / "listing.json") << r.out;
  // A real iCalendar parser (python3-icalendar) reads every event back: same times, same names.
  const std::string script = R"(
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
events = [(e.get('summary').split(': ', 1)[1], e.decoded('dtstart').strftime('%Y-%m-%dT%H:%M:%SZ'),
           e.decoded('dtend').strftime('%Y-%m-%dT%H:%M:%SZ')) for e in cal.walk('VEVENT')]
listed = [(c['details']['name'], c['details']['start'], c['details']['end']) for c in json.load(open(sys.argv[2]))['checks']]
assert len(events) == len(listed), (len(events), len(listed))
assert sorted(events) == sorted(listed), [x for x in events if x not in listed][:3]
uids = [str(e.get('uid')) for e in cal.walk('VEVENT')]
assert len(set(uids)) == len(uids)
print('ok', len(events))
)";
  dir.write("check.py", script);
  // Debian's python3, where python3-icalendar is installed.
  auto checked =
      test::run_shell("/usr/bin/python3 " + test::shell_quote((dir.path() / "check.py").string()) + " " +
                          test::shell_quote(ics) + " " + test::shell_quote((dir.path() / "listing.json").string()),
                      dir);
  INFO(checked.err);
  CHECK(checked.code == 0);
  CHECK(checked.out == "ok 158\n");
  // Lines end in CRLF and none is longer than 75 octets.
  const auto text = test::read_file(ics);
  std::size_t start = 0;
  for (auto end = text.find("\r\n"); end != std::string::npos; end = text.find("\r\n", start)) {
    CHECK(end - start <= 75);
    start = end + 2;
  }
  CHECK(start == text.size());
  // The DST dates: 01:30 to 02:30 on the day 02:00 is skipped ends when the clocks jump.
  bool seen = false;
  for (const auto& c : doc["checks"]) {
    if (c["details"]["name"] == "dst" && c["details"]["start"] == "2026-03-08T06:30:00Z") {
      CHECK(c["details"]["end"] == "2026-03-08T07:00:00Z");
      seen = true;
    }
  }
  CHECK(seen);
}

TEST_CASE("freeze: the real binary with no zone data on the system uses the embedded copy", "[freeze]") {
  test::TempDir dir;
  const auto bin = std::string(SHIPGATE_BINARY_DIR) + "/shipgate-freeze";
  dir.write("cal.yml", "windows:\n  - {name: w, from: 'Fri 17:00', until: 'Mon 09:00', timezone: Asia/Kolkata}\n");
  const auto run = [&](const std::string& tzdir) {
    return test::run_shell("cd " + test::shell_quote(dir.path().string()) +
                               " && env -i TZDIR=" + test::shell_quote(tzdir) + " " + test::shell_quote(bin) +
                               " --calendar cal.yml --at 2026-12-04T12:00:00Z --format json",
                           dir);
  };
  const auto embedded = run((dir.path() / "no-zoneinfo").string());
  REQUIRE(embedded.code == 1);
  CHECK(json::parse(embedded.out)["checks"][0]["details"]["windows"][0]["zone_source"] == "embedded");
  CHECK(json::parse(embedded.out)["checks"][0]["details"]["ends_at"] == "2026-12-07T03:30:00Z");
  const auto system = run("/usr/share/zoneinfo");
  REQUIRE(system.code == 1);
  CHECK(json::parse(system.out)["checks"][0]["details"]["windows"][0]["zone_source"] == "system");
  auto version = test::run_shell(test::shell_quote(bin) + " --version", dir);
  CHECK(version.out == std::string("shipgate-freeze ") + SHIPGATE_VERSION + " (tzdata " +
                           std::string(tzdata::version()) + " embedded)\n");
}
