// Hostile inputs: each must end in an input error (exit 2 through run()) quickly and with bounded
// memory, never a crash or a hang, and one bad file must not hide the findings in another.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "core/source.hpp"
#include "core/text.hpp"
#include "core/yaml.hpp"
#include "helpers.hpp"
#include "lint/lint.hpp"

using namespace shipgate;

namespace {

std::string load_error(const std::string& text) {
  auto checked = check_text(text, "w.yml");
  if (!checked) {
    return checked.error().to_string();
  }
  auto doc = yaml::parse(*checked, "w.yml");
  REQUIRE_FALSE(doc.ok());
  return doc.error().to_string();
}

test::Captured run_lint(const std::vector<std::string>& args) {
  return test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); }, args);
}

}  // namespace

TEST_CASE("20,000-deep block and flow nesting is refused", "[hostile]") {
  std::string flow(20000, '[');
  flow += std::string(20000, ']');
  CHECK_THAT(load_error("a: " + flow + "\n"), Catch::StartsWith("w.yml:"));
  std::string mapping;
  for (int i = 0; i < 20000; ++i) {
    mapping += "{a: ";
  }
  CHECK_THAT(load_error(mapping + "1" + std::string(20000, '}') + "\n"), Catch::StartsWith("w.yml:"));
  std::string seq;
  for (int i = 0; i < 20000; ++i) {
    seq += "- ";
  }
  CHECK_FALSE(load_error(seq + "x\n").empty());
}

TEST_CASE("an alias bomb is refused without being expanded", "[hostile]") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'z'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) {
      bomb += std::string(i ? ", " : "") + "*" + prev;
    }
    bomb += "]\n";
    prev = c;
  }
  // 10^26 nodes if expanded; refused at the first node that weighs more than the limit.
  CHECK_THAT(load_error(bomb), Catch::Contains("w.yml:7:4: aliases expand this node to more than 16 MiB"));
  test::TempDir dir;
  const auto path = dir.write("bomb.yml", "on: push\njobs:\n  j:\n    steps: [{run: x}]\n" + bomb);
  const auto result = run_lint({path});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("alias bomb"));
}

TEST_CASE("a large anchored step reused many times is refused; modest reuse is fine", "[hostile]") {
  std::string script;
  for (int i = 0; i < 2000; ++i) {
    script += "          heroku container:release web -a app-" + std::to_string(i) + "\n";
  }
  std::string fanout = "on: push\njobs:\n  a:\n    steps:\n      - &big\n        run: |\n" + script + "      ";
  for (int i = 0; i < 2000; ++i) {
    fanout += "- *big\n      ";
  }
  test::TempDir dir;
  auto result = run_lint({dir.write("fanout.yml", fanout)});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("aliases expand this node"));
  std::string modest = "on: push\njobs:\n  a:\n    steps:\n      - &step {run: make test}\n";
  for (int i = 0; i < 50; ++i) {
    modest += "      - *step\n";
  }
  CHECK(run_lint({dir.write("modest.yml", modest)}).code == 0);
}

TEST_CASE("shell variables that double, and env chains that fan out, stay cheap", "[hostile]") {
  std::string doubling = "on: push\njobs:\n  a:\n    steps:\n      - run: |\n          A=xxxxxxxx\n";
  for (int i = 0; i < 40; ++i) {
    doubling += "          A=$A$A\n";
  }
  doubling += "          heroku container:release web -a \"$A\"\n";
  std::string chain = "on: push\nenv:\n  D: dddddddddd\n";
  for (const char* name : {"C", "B", "A"}) {
    const char next = static_cast<char>(name[0] + 1);
    chain += std::string("  ") + name + ": \"";
    for (int i = 0; i < 200; ++i) {
      chain += std::string("${{ env.") + next + " }}";
    }
    chain += "\"\n";
  }
  chain += "jobs:\n  a:\n    steps:\n      - run: heroku container:release web -a \"${{ env.A }}\"\n";
  test::TempDir dir;
  CHECK(run_lint({dir.write("doubling.yml", doubling)}).code == 0);  // the app name is unknown: no target
  CHECK(run_lint({dir.write("chain.yml", chain)}).code == 0);
}

TEST_CASE("binary, NUL and invalid UTF-8 files are refused with the file named", "[hostile]") {
  CHECK_THAT(load_error(std::string("on: push\n\0jobs: {}\n", 19)), Catch::Contains("w.yml:2: binary file: NUL byte"));
  CHECK_THAT(load_error("on: push\nname: \xff\xfe\n"), Catch::Contains("w.yml:2: not valid UTF-8"));
  CHECK_THAT(load_error("a: \xc0\xaf\n"), Catch::Contains("not valid UTF-8"));      // overlong
  CHECK_THAT(load_error("a: \xed\xa0\x80\n"), Catch::Contains("not valid UTF-8"));  // surrogate
}

TEST_CASE("a 50 MB file is refused before it is read whole", "[hostile]") {
  test::TempDir dir;
  const std::string line = "# " + std::string(1022, 'x') + "\n";
  std::string big;
  big.reserve(std::size_t{50} * 1024 * 1024);
  while (big.size() < std::size_t{50} * 1024 * 1024) {
    big += line;
  }
  const auto path = dir.write("big.yml", big);
  const auto read = read_text_file(path);
  REQUIRE_FALSE(read.ok());
  CHECK_THAT(read.error().to_string(), Catch::Contains("big.yml: file is larger than the 4 MiB limit"));
}

TEST_CASE("a workflow that is not a mapping is an input error", "[hostile]") {
  test::TempDir dir;
  const auto list = dir.write("list.yml", "- on: push\n");
  const auto scalar = dir.write("scalar.yml", "just text\n");
  const auto empty = dir.write("empty.yml", "");
  for (const auto& path : {list, scalar, empty}) {
    const auto result = run_lint({path});
    CHECK(result.code == 2);
    CHECK_THAT(result.err, Catch::Contains(path) && Catch::Contains("a workflow must be a mapping"));
  }
}

TEST_CASE("one bad file does not hide findings in the others", "[hostile]") {
  test::TempDir dir;
  dir.write("wf/bad.yml", "on: push\njobs:\n  a: {}\n  a: {}\n");
  dir.write("wf/good.yml",
            "on: push\njobs:\n  d:\n    steps:\n      - uses: akhileshns/heroku-deploy@v3\n"
            "        with: {heroku_app_name: x}\n");
  dir.write("wf/notes.txt", "not a workflow, not linted\n");
  const auto result = run_lint({(dir.path() / "wf").string(), "--format", "json"});
  CHECK(result.code == 2);
  CHECK_THAT(result.out, Catch::Contains("\"rule\": \"heroku-autocreate\""));
  CHECK_THAT(result.out, Catch::Contains("'a' is already defined"));
  CHECK_THAT(result.err, Catch::Contains("bad.yml:4:3: 'a' is already defined"));
}

TEST_CASE("missing paths, directories as files and bad records are input errors", "[hostile]") {
  test::TempDir dir;
  CHECK(run_lint({(dir.path() / "nope.yml").string()}).code == 2);
  const auto good = dir.write("ok.yml", "on: push\njobs: {}\n");
  auto result = run_lint({good, "--environments", (dir.path() / "missing.json").string()});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("missing.json: no such file"));
  const auto bad_json = dir.write("envs.json", "{\"environments\": [{\"name\": 1}]}");
  result = run_lint({good, "--environments", bad_json});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("needs a string \"name\""));
  const auto deep_json = dir.write("deep.json", "{\"environments\":" + std::string(100000, '[') + "\n");
  CHECK(run_lint({good, "--environments", deep_json}).code == 2);
  // Valid JSON, 200,000 arrays deep: refused before nlohmann/json's recursion can overflow.
  const auto deeper =
      dir.write("deeper.json", "{\"environments\": " + std::string(200000, '[') + std::string(200000, ']') + "}");
  result = run_lint({good, "--environments", deeper});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("deeper.json:1: environment records: JSON nested deeper than 64 levels"));
  const auto strings = dir.write("strings.json", R"({"environments": [{"name": "[[[[{{{{\"]]]"}], "total_count": 1})");
  CHECK(run_lint({good, "--environments", strings}).code == 0);  // brackets inside strings do not count
}

TEST_CASE("a file that cannot be read is an input error naming it", "[hostile]") {
  // Permission bits do not stop root (the test may run as root); /proc/self/mem is a regular
  // file whose read fails for everyone, so it stands in for an unreadable workflow.
  const auto result = run_lint({"/proc/self/mem"});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("/proc/self/mem: read error"));
}

TEST_CASE("a named pipe is refused without blocking", "[hostile]") {
  test::TempDir dir;
  const auto fifo = (dir.path() / "pipe.yml").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto result = run_lint({fifo});
  CHECK(result.code == 2);
  CHECK_THAT(result.err, Catch::Contains("pipe.yml: not a regular file"));
  const auto good = dir.write("ok.yml", "on: push\njobs: {}\n");
  CHECK(run_lint({good, "--environments", fifo}).code == 2);
  CHECK(run_lint({good, "--config", fifo}).code == 2);
  CHECK(run_lint({dir.path().string()}).code == 2);  // the pipe inside a directory is reported too
}

TEST_CASE("files that are not workflows, and empty directories, are input errors", "[hostile]") {
  test::TempDir dir;
  const auto no_on = dir.write("a/name-only.yml", "name: x\n");
  const auto typo = dir.write("b/typo.yml", "on: push\njob:\n  a: {}\n");
  const auto list_jobs = dir.write("c/list.yml", "on: push\njobs: [a, b]\n");
  auto r = run_lint({no_on});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("name-only.yml:1:1: not a workflow: no 'on'"));
  CHECK_THAT(run_lint({typo}).err, Catch::Contains("not a workflow: no 'jobs'"));
  CHECK_THAT(run_lint({list_jobs}).err, Catch::Contains("list.yml:2:7: not a workflow: 'jobs' must be a mapping"));
  std::filesystem::create_directories(dir.path() / "empty");
  r = run_lint({(dir.path() / "empty").string()});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no workflow files"));
}

TEST_CASE("a file named twice is linted once", "[hostile]") {
  test::TempDir dir;
  const auto wf =
      dir.write("wf/d.yml", "on: push\njobs:\n  d:\n    steps:\n      - run: heroku container:release web -a x\n");
  const auto r = run_lint({(dir.path() / "wf").string(), wf, (dir.path() / "wf/./d.yml").string(), "--format", "json"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"files\": 1"));
}

TEST_CASE("values from the workflow cannot forge workflow commands", "[hostile]") {
  test::TempDir dir;
  const auto wf =
      dir.write("d.yml",
                "on: push\njobs:\n  d:\n    environment: \"prod\\n::add-mask::shipgate\\n::stop-commands::x\"\n"
                "    steps: [{run: x}]\n");
  const auto envs = dir.write("envs.yml", "[staging]\n");
  const auto r = run_lint({wf, "--environments", envs});
  CHECK(r.code == 1);
  for (const auto& out : {r.out, r.err}) {
    CHECK_THAT(out, !Catch::Contains("\n::add-mask::"));
    CHECK_THAT(out, !Catch::Contains("\n::stop-commands::"));
  }
  CHECK_THAT(r.out, Catch::Contains("prod\\n::add-mask::shipgate"));
}

TEST_CASE("no file name can forge a workflow command or break a line of output", "[hostile]") {
  test::TempDir dir;
  const std::string unsafe =
      "on: push\njobs:\n  d:\n    steps:\n      - uses: akhileshns/heroku-deploy@v3\n"
      "        with: {heroku_app_name: x}\n";
  const std::vector<std::string> names = {"a\n::stop-commands::x\n.yml", "b\r::error::forged.yml", "c\x1b[2J.yml",
                                          "d%0A::warning::x.yml",        "e::error file=x::y.yml", "f\xff\xfe.yml"};
  for (const auto& name : names) {
    dir.write("wf/" + name, unsafe);
  }
  dir.write("output", "");
  dir.write("summary", "");
  const Environment env = {{"GITHUB_ACTIONS", "true"},
                           {"GITHUB_OUTPUT", (dir.path() / "output").string()},
                           {"GITHUB_STEP_SUMMARY", (dir.path() / "summary").string()},
                           {"RUNNER_DEBUG", "1"}};
  for (const char* format : {"text", "json", "github", "sarif"}) {
    INFO("format " << format);
    const auto r = test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); },
                                 {"wf", "--format", format}, env, dir.path().string());
    CHECK(r.code == 1);
    for (const auto& text : {r.out, r.err, test::read_file((dir.path() / "output").string())}) {
      for (const auto& line : text::split_lines(text)) {
        // Every workflow command is one the gate meant: an annotation, a group, or its end.
        if (line.rfind("::", 0) == 0) {
          CHECK_THAT(std::string(line), Catch::StartsWith("::error file=wf/") ||
                                            Catch::StartsWith("::warning file=wf/") || Catch::StartsWith("::group::") ||
                                            Catch::StartsWith("::endgroup::"));
        }
        CHECK(line.find('\r') == std::string_view::npos);
        CHECK(line.find('\x1b') == std::string_view::npos);
      }
    }
    const auto summary = test::read_file((dir.path() / "summary").string());
    CHECK_THAT(summary, !Catch::Contains("\n::") && !Catch::Contains("\x1b"));
  }
}

TEST_CASE("an app reference in a job whose environment is unknown is not compared, and never crashes", "[hostile]") {
  test::TempDir dir;
  const auto wf = dir.write("wf.yml",
                            "on: push\njobs:\n  a:\n    environment: ${{ github.ref_name }}\n    steps:\n"
                            "      - uses: akhileshns/heroku-deploy@v3.13.15\n"
                            "        with: {heroku_app_name: \"${{ '${{' }} x\", dontautocreate: true}\n"
                            "  b:\n    environment: ${{ github.ref_name }}\n"
                            "    steps: [{run: \"heroku container:release web -a \\\"${{ '${{' }} x\\\"\"}]\n");
  const auto r = run_lint({wf});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, !Catch::Contains("race"));
}
