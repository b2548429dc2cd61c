// The gate contract as core's run_gate() keeps it for every gate, shown on the toy gate (a gate
// with no findings) and on small gates written here to misbehave.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/gate.hpp"
#include "helpers.hpp"
#include "toy/toy.hpp"

using namespace shipgate;

namespace {

test::Captured run_toy(const test::TempDir& dir, std::vector<std::string> args, Environment env = {}) {
  return test::capture([](const Invocation& inv) { return run_gate(*toy::make_gate(), inv); }, std::move(args),
                       std::move(env), dir.path().string());
}

/// The environment of a step inside GitHub Actions, with its output and summary files in `dir`.
Environment actions_env(const test::TempDir& dir) {
  dir.write("output", "");
  dir.write("summary", "");
  return {{"GITHUB_ACTIONS", "true"},
          {"GITHUB_OUTPUT", (dir.path() / "output").string()},
          {"GITHUB_STEP_SUMMARY", (dir.path() / "summary").string()}};
}

/// A gate whose evaluation throws, or writes an output it never declared.
class BrokenGate final : public Gate {
public:
  explicit BrokenGate(bool undeclared_output) : m_undeclared(undeclared_output) {}
  GateInfo info() const override { return {"shipgate-broken", "broken", "Fails on purpose."}; }
  const std::vector<options::Option>& options() const override { return m_options; }
  std::vector<Error> configure(const options::Values&, const Invocation&, Secrets&) override { return {}; }
  Outcome evaluate(const Invocation&, Log&) override {
    if (!m_undeclared) {
      throw std::runtime_error("boom");
    }
    Outcome o;
    o.outputs = {{"surprise", "1"}};
    return o;
  }

private:
  bool m_undeclared;
  std::vector<options::Option> m_options;
};

/// A gate given two secrets, one inside the other, that puts them in every field it has.
class LeakyGate final : public Gate {
public:
  GateInfo info() const override { return {"shipgate-leaky", "leaky", "Leaks on purpose."}; }
  std::vector<RuleInfo> rules() const override { return {{"leak-abcSECRETTAIL", Severity::error, "abc"}}; }
  const std::vector<options::Option>& options() const override { return m_options; }
  std::vector<Error> configure(const options::Values&, const Invocation&, Secrets& secrets) override {
    secrets.add("abc");
    secrets.add("abcSECRETTAIL");
    return {};
  }
  Outcome evaluate(const Invocation&, Log& log) override {
    log.debug("token abcSECRETTAIL");
    Outcome o;
    std::vector<Related> related;
    related.push_back(Related{Location{"abc.yml", 2, 1}, "related abcSECRETTAIL"});
    auto finding = Check::finding("leak-abcSECRETTAIL", Severity::error, {"dir/abc_x.yml", 1, 1},
                                  "value_abcSECRETTAIL_here", std::move(related));
    finding.details = {{"abcSECRETTAIL", "abc"}};
    o.checks.push_back(finding);
    o.input_errors.push_back({"bad abcSECRETTAIL", {"abc.yml", 0, 0}, {}});
    o.skipped.push_back({"abc-rule", "because abcSECRETTAIL"});
    o.summary = {{"abc", "abcSECRETTAIL"}};
    o.set_fail_level(Severity::error);
    return o;
  }

private:
  std::vector<options::Option> m_options;
};

}  // namespace

TEST_CASE("a secret never shows, in any field, format or stream, even inside another", "[gate]") {
  test::TempDir dir;
  for (const char* format : {"text", "json", "github", "sarif"}) {
    INFO("format " << format);
    auto env = actions_env(dir);
    env["RUNNER_DEBUG"] = "1";
    const auto r = test::capture(
        [](const Invocation& inv) {
          LeakyGate gate;
          return run_gate(gate, inv);
        },
        {"--format", format}, env, dir.path().string());
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("::add-mask::abcSECRETTAIL\n::add-mask::abc\n"));
    const auto err = r.err.substr(r.err.find("::add-mask::abc\n") + 16);
    for (const auto& text : {r.out, err, test::read_file((dir.path() / "output").string()),
                             test::read_file((dir.path() / "summary").string())}) {
      CHECK_THAT(text, !Catch::Contains("abc") && !Catch::Contains("SECRET") && !Catch::Contains("TAIL"));
    }
    CHECK_THAT(r.err, Catch::Contains("debug: token ***"));
  }
}

TEST_CASE("help, version or rule lists that cannot be written exit 3", "[gate]") {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--version"}, {"--help"}, {"--list-rules"}}) {
    std::ostringstream out, err;
    out.setstate(std::ios::badbit);
    test::ManualClock clock;
    const Invocation inv{args, {}, out, err, false, false, "/", &clock};
    LeakyGate gate;
    CHECK(run_gate(gate, inv) == 3);
    CHECK_THAT(err.str(), Catch::Contains("cannot write the results to stdout"));
  }
}

TEST_CASE("a gate reads files from its invocation's directory, never the process's", "[gate]") {
  test::TempDir dir;
  dir.write("a.txt", "0123456789ABC");
  const auto r = run_toy(dir, {"--max-bytes", "20", "a.txt"});
  CHECK(r.code == 0);
  CHECK(r.out == "size a.txt: pass: 13 bytes, budget 20\n");
  CHECK_THAT(r.err, Catch::Contains("shipgate-toy: 1 check: 1 passed"));
}

TEST_CASE("a check that could not be evaluated exits 3, never 0", "[gate]") {
  test::TempDir dir;
  const auto r = run_toy(dir, {"missing.txt", "--format", "json"});
  CHECK(r.code == 3);
  CHECK_THAT(r.out, Catch::Contains("\"verdict\": \"error\"") && Catch::Contains("\"result\": \"error\""));
}

TEST_CASE("a mistyped flag is a usage error with a guess, visible inside Actions", "[gate]") {
  test::TempDir dir;
  const auto r = run_toy(dir, {"--max-byte", "3", "a.txt"}, actions_env(dir));
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("shipgate-toy: unknown flag '--max-byte'; did you mean '--max-bytes'?"));
  CHECK_THAT(r.err, Catch::Contains("::error title=shipgate-toy::unknown flag"));
  const auto output = test::read_file((dir.path() / "output").string());
  CHECK(output == "result=error\nexit-code=2\n");
  CHECK_THAT(test::read_file((dir.path() / "summary").string()),
             Catch::Contains("### shipgate-toy: error") && Catch::Contains("fix the step's arguments"));
}

TEST_CASE("config errors are annotated with file and line, and set result=error", "[gate]") {
  test::TempDir dir;
  dir.write(".github/shipgate.yml", "toy:\n  max-byte: 3\n");
  const auto r = run_toy(dir, {"a.txt"}, actions_env(dir));
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("config: .github/shipgate.yml:2:3: unknown key 'max-byte' in section 'toy'"));
  CHECK_THAT(r.err, Catch::Contains("::error file=.github/shipgate.yml,line=2,col=3,title=shipgate-toy::unknown key"));
  CHECK(test::read_file((dir.path() / "output").string()) == "result=error\nexit-code=2\n");
  CHECK_THAT(test::read_file((dir.path() / "summary").string()), Catch::Contains("fix the config file"));
}

TEST_CASE("a flood of config errors is cut short in the log", "[gate]") {
  test::TempDir dir;
  std::string config = "toy:\n";
  for (int i = 0; i < 300; ++i) {
    config += "  key" + std::to_string(i) + ": 1\n";
  }
  dir.write(".github/shipgate.yml", config);
  const auto r = run_toy(dir, {"a.txt"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("... and 250 more errors"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 51);
}

TEST_CASE("outputs, step summary and annotations inside Actions", "[gate]") {
  test::TempDir dir;
  dir.write("a.txt", "0123456789");
  const auto r = run_toy(dir, {"--max-bytes", "5", "a.txt"}, actions_env(dir));
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("::error title=size a.txt::10 bytes, budget 5"));
  const auto output = test::read_file((dir.path() / "output").string());
  CHECK_THAT(output, Catch::StartsWith("result=fail\nexit-code=1\nreport<<ghadelimiter_"));
  CHECK_THAT(output, Catch::Contains("\nsize a.txt: fail: 10 bytes, budget 5\n"));
  CHECK_THAT(output, Catch::EndsWith("largest=10\n"));
  CHECK_THAT(test::read_file((dir.path() / "summary").string()),
             Catch::Contains("| size a.txt | fail | 10 bytes, budget 5 |"));
}

TEST_CASE("outputs or a summary that cannot be written end in exit 3", "[gate]") {
  test::TempDir dir;
  dir.write("a.txt", "0123");
  auto env = actions_env(dir);
  env["GITHUB_OUTPUT"] = (dir.path() / "no/such/dir/output").string();
  auto r = run_toy(dir, {"a.txt"}, env);
  CHECK(r.code == 3);
  CHECK_THAT(r.err, Catch::Contains("cannot write $GITHUB_OUTPUT"));
  env = actions_env(dir);
  env["GITHUB_STEP_SUMMARY"] = (dir.path() / "no/such/dir/summary").string();
  r = run_toy(dir, {"a.txt"}, env);
  CHECK(r.code == 3);
  CHECK_THAT(test::read_file((dir.path() / "output").string()), Catch::Contains("result=error\nexit-code=3\n"));
  env = actions_env(dir);
  env["GITHUB_OUTPUT"] = (dir.path() / "no/such/dir/output").string();
  r = run_toy(dir, {"--max-byte", "1"}, env);  // on the usage-error path too
  CHECK(r.code == 3);
}

TEST_CASE("a secret is masked before anything else and never printed", "[gate]") {
  test::TempDir dir;
  dir.write("a.txt", "0123456789");
  for (const char* format : {"text", "json", "github"}) {
    auto env = actions_env(dir);
    env["TOY_TOKEN"] = "s3cr3t-t0ken";
    const auto r = run_toy(dir, {"--max-bytes", "5", "--format", format, "a.txt"}, env);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("::add-mask::s3cr3t-t0ken\n"));
    const auto rest = r.err.substr(r.err.find('\n') + 1);
    for (const auto& text : {r.out, rest, test::read_file((dir.path() / "output").string()),
                             test::read_file((dir.path() / "summary").string())}) {
      CHECK_THAT(text, !Catch::Contains("s3cr3t-t0ken"));
    }
    CHECK_THAT(r.out, Catch::Contains("(token ***)"));
  }
}

TEST_CASE("an exception or an undeclared output is an internal error: exit 3", "[gate]") {
  test::TempDir dir;
  for (const bool undeclared : {false, true}) {
    const auto r = test::capture(
        [undeclared](const Invocation& inv) {
          BrokenGate gate(undeclared);
          return run_gate(gate, inv);
        },
        {}, actions_env(dir), dir.path().string());
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains("shipgate-broken: internal error: "));
    CHECK_THAT(test::read_file((dir.path() / "output").string()), Catch::Contains("exit-code=3"));
  }
}

TEST_CASE("help lists core's flags and the gate's; SARIF and --list-rules only with rules", "[gate]") {
  auto gate = toy::make_gate();
  const auto help = help_text(*gate);
  CHECK_THAT(help, Catch::Contains("--format FORMAT") && Catch::Contains("text|json|github (default: text)"));
  CHECK_THAT(help, Catch::Contains("--max-bytes N") && Catch::Contains("--config FILE"));
  CHECK_THAT(help, !Catch::Contains("sarif") && !Catch::Contains("--list-rules"));
}

TEST_CASE("the invocation's clock is the one tests move", "[gate]") {
  test::ManualClock clock;
  std::ostringstream out, err;
  const Invocation inv{{}, {}, out, err, false, false, "/", &clock};
  const auto before = inv.time().now();
  inv.time().sleep_for(std::chrono::hours(2));
  CHECK(inv.time().now() - before == std::chrono::hours(2));
}
