// Options declared once: every gate's flags and config keys take the same values and give the
// same error for the same bad value, the config's with its place; nothing is coerced.
#include <catch2/catch.hpp>

#include <regex>

#include "core/options.hpp"
#include "gates_table.hpp"
#include "helpers.hpp"

using namespace shipgate;
using options::Type;

namespace {

/// A value each type refuses, as a hostile or careless config would write it.
std::vector<std::string> bad_values(const options::Option& o) {
  switch (o.type) {
    case Type::boolean:
      return {"yes", "on", "1", "enabled", "\"no\""};
    case Type::integer:
      return {"1e3", "2.9", "\"2abc\"", "+1", "99999999999999999999", std::to_string(o.max + 1)};
    case Type::duration:
      return {"5x", "90", "-1s"};
    case Type::size:
      return {"5 parsecs", "-1MB"};
    case Type::choice:
      return {"nope"};
    case Type::url:
      return {"ftp://example.com/", "https://"};
    case Type::regex:
      return {"\"(\""};
    case Type::header:
      return {"no-colon"};
    default:
      return {};
  }
}

/// The message of the one error line a run printed for `label` ("--name" or a config place).
std::string message_after(const std::string& err, const std::string& label) {
  const auto at = err.find(label);
  if (at == std::string::npos) {
    return {};
  }
  auto line = err.substr(at + label.size(), err.find('\n', at) - at - label.size());
  return line.substr(0, line.rfind(" ["));
}

const test::GateEntry& toy() { return *test::find_gate("toy"); }

}  // namespace

TEST_CASE("options: each type refuses what it does not mean, with the same words for a flag and a config key",
          "[options]") {
  for (const auto& entry : test::all_gates()) {
    const auto gate = entry.make();
    for (const auto& o : gate->options()) {
      if (o.positional || o.flag_only || o.type == Type::secret) {
        continue;
      }
      for (const auto& bad : bad_values(o)) {
        INFO("gate " << entry.section << ", option " << o.name << ", value " << bad);
        test::TempDir dir;
        dir.write(".github/shipgate.yml", std::string(entry.section) + ":\n  " + o.name + ": " + bad + "\n");
        const auto in_config = test::capture([&](const Invocation& inv) { return run_gate(*entry.make(), inv); }, {},
                                             {}, dir.path().string());
        CHECK(in_config.code == 2);
        const auto place = ".github/shipgate.yml:2:" + std::to_string(5 + o.name.size()) + ": ";
        CHECK_THAT(in_config.err,
                   Catch::Contains(place) && Catch::Contains("[" + std::string(entry.section) + "." + o.name + "]"));
        // The same value as a flag (YAML quotes taken off, as a shell would).
        auto raw = bad;
        if (raw.size() >= 2 && raw.front() == '"') {
          raw = raw.substr(1, raw.size() - 2);
        }
        const auto arg = o.type == Type::boolean ? "--" + o.name + "=" + raw : "--" + o.name;
        std::vector<std::string> args{arg};
        if (o.type != Type::boolean) {
          args.push_back(raw);
        }
        test::TempDir empty;
        const auto as_flag = test::capture([&](const Invocation& inv) { return run_gate(*entry.make(), inv); }, args,
                                           {}, empty.path().string());
        CHECK(as_flag.code == 2);
        const auto from_flag = message_after(as_flag.err, "--" + o.name + ": ");
        CHECK_FALSE(from_flag.empty());
        CHECK(message_after(in_config.err, place) == from_flag);
      }
    }
  }
}

TEST_CASE("options: the values each type accepts", "[options]") {
  const options::Option b{.name = "b", .type = Type::boolean};
  for (const auto* ok : {"true", "false", "True", "FALSE"}) {
    CHECK_FALSE(options::check(b, ok));
  }
  const options::Option n{.name = "n", .type = Type::integer, .min = 1, .max = 1000};
  CHECK_FALSE(options::check(n, "1000"));
  CHECK(options::check(n, "0") == "expected a whole number from 1 to 1000, got 0");
  CHECK(options::check(n, "1e9") == "expected a whole number from 1 to 1000, got '1e9'");
  const options::Option d{.name = "d", .type = Type::duration, .min_duration = units::Duration(100)};
  CHECK_FALSE(options::check(d, "1h30m"));
  CHECK(options::check(d, "0s") == "must be at least 100ms, got 0s");
  const options::Option u{.name = "u", .type = Type::url};
  CHECK_FALSE(options::check(u, "https://user:pw@example.com/x"));
  const auto wrong = options::check(u, "ftp://user:hunter2@example.com/");
  REQUIRE(wrong);
  CHECK_THAT(*wrong, !Catch::Contains("hunter2"));
}

TEST_CASE("options: a list key takes one value or a list; a flag repeated takes every value or the last", "[options]") {
  test::TempDir dir;
  dir.write(".github/shipgate.yml", "toy:\n  files: a.txt\n");
  dir.write("a.txt", "12345");
  auto r =
      test::capture([](const Invocation& inv) { return run_gate(*toy().make(), inv); }, {}, {}, dir.path().string());
  INFO(r.err);
  CHECK(r.code == 0);
  r = test::capture([](const Invocation& inv) { return run_gate(*toy().make(), inv); },
                    {"--max-bytes", "1", "--max-bytes", "10", "a.txt"}, {}, dir.path().string());
  CHECK(r.code == 0);
  dir.write(".github/shipgate.yml", "toy:\n  files: [a.txt, {x: 1}]\n");
  r = test::capture([](const Invocation& inv) { return run_gate(*toy().make(), inv); }, {}, {}, dir.path().string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("expected a list of single values [toy.files]"));
}

TEST_CASE("options: an empty list for a list key is an error with its place, never a list of nothing", "[options]") {
  for (const auto& entry : test::all_gates()) {
    for (const auto& o : entry.make()->options()) {
      if (!o.repeatable || o.flag_only || o.type == Type::secret) {
        continue;
      }
      INFO("gate " << entry.section << ", option " << o.name);
      test::TempDir dir;
      dir.write(".github/shipgate.yml", std::string(entry.section) + ":\n  " + o.name + ": []\n");
      const auto r = test::capture([&](const Invocation& inv) { return run_gate(*entry.make(), inv); }, {}, {},
                                   dir.path().string());
      CHECK(r.code == 2);
      CHECK_THAT(r.err, Catch::Contains(".github/shipgate.yml:2:" + std::to_string(5 + o.name.size()) + ": ") &&
                            Catch::Contains("empty list") &&
                            Catch::Contains("[" + std::string(entry.section) + "." + o.name + "]"));
    }
  }
}

TEST_CASE("options: lint with paths: [] in the config is an error, not a run that lints no file", "[options]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml",
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n");
  dir.write(".github/shipgate.yml", "lint:\n  paths: []\n");
  const auto r = test::capture([](const Invocation& inv) { return run_gate(*test::find_gate("lint")->make(), inv); },
                               {}, {}, dir.path().string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains(".github/shipgate.yml:2:10: ") && Catch::Contains("[lint.paths]"));
}

TEST_CASE("options: a boolean flag takes true or false as written, never an empty or default value", "[options]") {
  for (const auto& entry : test::all_gates()) {
    for (const auto& o : entry.make()->options()) {
      if (o.type != Type::boolean) {
        continue;
      }
      for (const auto* value : {"", "{}", "yes", "1", " true"}) {
        INFO("gate " << entry.section << ", --" << o.name << "=" << value);
        test::TempDir dir;
        const auto r = test::capture([&](const Invocation& inv) { return run_gate(*entry.make(), inv); },
                                     {"--" + o.name + "=" + value}, {}, dir.path().string());
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("--" + o.name + ": expected true or false, got '"));
      }
    }
  }
  // Alone, or said outright, the flag is no usage error.
  for (const auto* arg : {"--list-rules", "--list-rules=true", "--list-rules=false"}) {
    INFO(arg);
    test::TempDir dir;
    const auto r = test::capture([](const Invocation& inv) { return run_gate(*test::find_gate("lint")->make(), inv); },
                                 {arg, "--", "none.yml"}, {}, dir.path().string());
    CHECK(r.code == (std::string(arg) == "--list-rules=false" ? 2 : 0));  // false lints none.yml, which is missing
    CHECK_THAT(r.err, !Catch::Contains("expected true or false"));
  }
}

TEST_CASE("options: a bad config value is an error with its place even when the flag gives the option", "[options]") {
  test::TempDir dir;
  dir.write(".github/shipgate.yml", "smoke:\n  timeout: 5x\n");
  const auto r = test::capture([](const Invocation& inv) { return run_gate(*test::find_gate("smoke")->make(), inv); },
                               {"--timeout", "10s", "--url", "http://127.0.0.1:9/"}, {}, dir.path().string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains(".github/shipgate.yml:2:12: ") && Catch::Contains("[smoke.timeout]"));
  // Every gate, every option with a default: the default as a flag, a bad value in the file.
  for (const auto& entry : test::all_gates()) {
    for (const auto& o : entry.make()->options()) {
      if (o.positional || o.flag_only || o.type == Type::secret || o.default_value.empty() || o.repeatable) {
        continue;
      }
      for (const auto& bad : bad_values(o)) {
        INFO("gate " << entry.section << ", option " << o.name << ", value " << bad);
        test::TempDir gate_dir;
        gate_dir.write(".github/shipgate.yml", std::string(entry.section) + ":\n  " + o.name + ": " + bad + "\n");
        const auto args = o.type == Type::boolean ? std::vector<std::string>{"--" + o.name + "=" + o.default_value}
                                                  : std::vector<std::string>{"--" + o.name, o.default_value};
        const auto flagged = test::capture([&](const Invocation& inv) { return run_gate(*entry.make(), inv); }, args,
                                           {}, gate_dir.path().string());
        CHECK(flagged.code == 2);
        CHECK_THAT(flagged.err, Catch::Contains(".github/shipgate.yml:2:" + std::to_string(5 + o.name.size()) + ": ") &&
                                    Catch::Contains("[" + std::string(entry.section) + "." + o.name + "]"));
      }
    }
  }
}
