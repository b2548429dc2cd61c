#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "core/command_guard.hpp"
#include "core/text.hpp"
#include "github/environments.hpp"
#include "helpers.hpp"
#include "heroku/names.hpp"
#include "lint/deploy_map.hpp"
#include "lint/fix.hpp"
#include "lint/lint.hpp"
#include "lint/registry.hpp"
#include "lint/shell.hpp"
#include "lint/suppress.hpp"

using namespace shipgate;

namespace {

test::Captured lint_in(const test::TempDir& dir, std::vector<std::string> args, Environment env = {}) {
  return test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); }, std::move(args),
                       std::move(env), dir.path().string());
}

const char* k_unsafe =
    "on: push\njobs:\n  d:\n    environment: production\n    steps:\n"
    "      - uses: akhileshns/heroku-deploy@v3\n        with: {heroku_app_name: x}\n";

/// Config lines that turn off the catalog rules every small deploy here would also fire, for
/// tests about one rule or about the linter itself.
const char* k_catalog_off =
    "    deploy-concurrency: off\n    deploy-unverified: off\n    deploy-without-environment: off\n"
    "    environment-unprotected: off\n    heroku-cli-missing: off\n";

}  // namespace

TEST_CASE("every rule has a doc, a fixture folder and a row in docs/lint.md, and the registry is sorted",
          "[lint][docs]") {
  const std::string root = SHIPGATE_SOURCE_DIR;
  const auto page = test::read_file(root + "/docs/lint.md");
  std::string previous;
  for (const auto& rule : lint::all_rules()) {
    const std::string id(rule->id());
    CHECK(previous < id);
    previous = id;
    CHECK(std::filesystem::exists(root + "/rules/" + id + ".md"));
    CHECK(std::filesystem::is_directory(root + "/fixtures/lint/" + id));
    CHECK_THAT(page, Catch::Contains("| [`" + id + "`](../rules/" + id + ".md) |"));
  }
}

TEST_CASE("environment-missing is skipped, and says so, without records", "[lint]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_unsafe);
  const auto r = lint_in(dir, {"--format", "json"});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("\"rule\": \"environment-missing\"") && Catch::Contains("no environment records"));
  CHECK_THAT(r.err, Catch::Contains("skipped environment-missing"));
}

TEST_CASE("config: environments path, rule severities and ignore entries", "[lint][config]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_unsafe);
  dir.write("envs.yml", "- staging\n- name: Production\n");
  dir.write(".github/shipgate.yml",
            std::string("lint:\n  environments: envs.yml\n  rules:\n    heroku-autocreate: warning\n") + k_catalog_off);
  auto r = lint_in(dir, {});
  CHECK(r.code == 0);  // the finding is now a warning, under the default fail level
  CHECK_THAT(r.out, Catch::Contains("warning: akhileshns/heroku-deploy without"));
  CHECK_THAT(r.out, !Catch::Contains("environment-missing"));  // Production matches case-insensitively
  r = lint_in(dir, {"--fail-level", "warning"});
  CHECK(r.code == 1);

  dir.write(".github/shipgate.yml",
            "lint:\n  ignore:\n    - rule: heroku-autocreate\n      file: .github/workflows/d.yml:6\n"
            "      reason: review apps\n");
  r = lint_in(dir, {"--format", "json"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"suppressed\": 1"));

  dir.write(".github/shipgate.yml", std::string("lint:\n  rules:\n    heroku-autocreate: off\n") + k_catalog_off);
  r = lint_in(dir, {});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("config deploy-actions extend the built-in table", "[lint][config]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml",
            "on: push\njobs:\n  d:\n    steps:\n      - uses: acme/heroku-ship@v1\n        with: {app: x}\n");
  auto r = lint_in(dir, {});
  CHECK(r.code == 0);
  dir.write(".github/shipgate.yml",
            "lint:\n  deploy-actions:\n    - uses: acme/heroku-ship\n      platform: heroku\n      app-input: app\n"
            "      autocreate: {input: no-create, default: \"false\", true-unless: \"false\"}\n");
  r = lint_in(dir, {});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("acme/heroku-ship without `no-create`"));
}

TEST_CASE("environment records: GitHub's JSON, YAML names, incomplete pages", "[lint]") {
  auto api = github::parse_environments(
      R"({"total_count": 1, "environments": [{"name": "Prod", "protection_rules": [{"type": "wait_timer"}]}]})",
      "e.json");
  REQUIRE(api.ok());
  REQUIRE(api->find("prod") != nullptr);
  CHECK(api->find("PROD")->protection_rules == std::vector<std::string>{"wait_timer"});
  auto names = github::parse_environments("[staging, production]\n", "e.yml");
  REQUIRE(names.ok());
  CHECK(names->list.size() == 2);
  auto partial = github::parse_environments(R"({"total_count": 40, "environments": [{"name": "a"}]})", "e.json");
  REQUIRE_FALSE(partial.ok());
  CHECK_THAT(partial.error().to_string(), Catch::Contains("fetch every page"));
  CHECK_FALSE(github::parse_environments("{not json", "e.json").ok());
  CHECK_FALSE(github::parse_environments("name: x\n", "e.yml").ok());
}

TEST_CASE("shell splitting keeps quotes and expressions together", "[lint]") {
  const auto commands = lint::split_commands(
      "echo 'a; b' && heroku container:release web \\\n  --app \"${{ env.APP }}\" # comment; not a command\n"
      "git push heroku HEAD:main | tee log\n");
  REQUIRE(commands.size() == 4);
  CHECK(commands[0].words == std::vector<std::string>{"echo", "a; b"});
  CHECK(commands[1].words == std::vector<std::string>{"heroku", "container:release", "web", "--app", "${{ env.APP }}"});
  CHECK(commands[2].words[0] == "git");
  CHECK(commands[2].line == 2);
}

TEST_CASE("a command's program word is found past wrappers and assignments", "[lint]") {
  const auto program = [](const std::string& script) {
    const auto commands = lint::split_commands(script);
    REQUIRE(commands.size() == 1);
    const auto at = lint::program_index(commands[0].words);
    return at < commands[0].words.size() ? commands[0].words[at] : std::string("(none)");
  };
  CHECK(program("heroku create") == "heroku");
  CHECK(program("sudo -E env HEROKU_API_KEY=x /usr/local/bin/heroku apps:create") == "/usr/local/bin/heroku");
  CHECK(program("npx -y heroku deploy") == "heroku");
  CHECK(program("if heroku apps:info") == "heroku");
  CHECK(program("heroku -a app releases") == "heroku");
  CHECK(program("APP=a B=c heroku releases") == "heroku");
  CHECK(program("npx heroku deploy") == "heroku");
  CHECK(program("APP=a") == "APP=a");  // an assignment alone is the command
  CHECK(program("time") == "(none)");
  CHECK(lint::is_heroku_program("/usr/local/bin/heroku"));
  CHECK_FALSE(lint::is_heroku_program("heroku-cli"));
  CHECK_FALSE(lint::is_assignment("=x"));
  CHECK_FALSE(lint::is_assignment("a-b=x"));
}

TEST_CASE("names made per run or pull request mark review apps", "[lint]") {
  CHECK(lint::names_per_run("myapp-pr-${{ github.event.number }}"));
  CHECK(lint::names_per_run("review-${{ github.event.pull_request.number }}"));
  CHECK(lint::names_per_run("app-$PR_NUMBER"));
  CHECK(lint::names_per_run("app-${{ github.head_ref }}"));
  CHECK_FALSE(lint::names_per_run("myapp-production"));
  CHECK_FALSE(lint::names_per_run("${{ secrets.HEROKU_APP }}"));
}

TEST_CASE("ignore places parse file, line and column", "[lint]") {
  const auto e = lint::parse_ignore_place("r", ".github/workflows/a.yml:12:5");
  CHECK(e.file == ".github/workflows/a.yml");
  CHECK(e.line == 12);
  CHECK(e.column == 5);
  CHECK(lint::parse_ignore_place("", "a.yml:7").line == 7);
  CHECK(lint::parse_ignore_place("", "a.yml").line == 0);
}

TEST_CASE("a lowered rule never leaves a finding above the configured level", "[lint][config]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml",
            "on: push\njobs:\n  d:\n    steps:\n      - uses: akhileshns/heroku-deploy@v3\n"
            "        with: {heroku_app_name: x, dontautocreate: \"${{ vars.X }}\"}\n");
  dir.write(".github/shipgate.yml", std::string("lint:\n  rules:\n    heroku-autocreate: note\n") + k_catalog_off);
  const auto r = lint_in(dir, {"--fail-level", "warning"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("note: cannot resolve"));
}

TEST_CASE("config ignore places match however the file is named", "[lint][config]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_unsafe);
  dir.write(".github/shipgate.yml", "lint:\n  ignore:\n    - file: .github/workflows/d.yml\n");
  CHECK(lint_in(dir, {"./.github/workflows"}).code == 0);
  CHECK(lint_in(dir, {".github/workflows/../workflows/d.yml"}).code == 0);
}

TEST_CASE("config errors inside deploy-actions and ignore entries are positioned", "[lint][config]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_unsafe);
  dir.write(".github/shipgate.yml",
            "lint:\n  deploy-actions:\n    - uses: acme/ship\n      app_input: app\n"
            "  ignore:\n    - rule: heroku-autocreat\n");
  const auto r = lint_in(dir, {});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("shipgate.yml:4:7: unknown key 'app_input'; did you mean 'app-input'?"));
  CHECK_THAT(r.err,
             Catch::Contains("shipgate.yml:6:13: unknown rule 'heroku-autocreat'; did you mean 'heroku-autocreate'?"));
}

TEST_CASE("environment records: pages from gh api --paginate, with or without --slurp", "[lint]") {
  const std::string page1 = R"({"total_count": 2, "environments": [{"name": "staging"}]})";
  const std::string page2 = R"({"total_count": 2, "environments": [{"name": "production"}]})";
  auto concatenated = github::parse_environments(page1 + "\n" + page2 + "\n", "e.json");
  REQUIRE(concatenated.ok());
  CHECK(concatenated->find("production") != nullptr);
  auto slurped = github::parse_environments("[" + page1 + "," + page2 + "]", "e.json");
  REQUIRE(slurped.ok());
  CHECK(slurped->list.size() == 2);
  CHECK_FALSE(github::parse_environments(page1, "e.json").ok());  // page 2 missing
}

TEST_CASE("results name files from the repository root, whatever the working directory", "[lint]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_unsafe);
  std::filesystem::create_directories(dir.path() / "src/deep");
  const auto from = [&dir](const std::string& sub, std::vector<std::string> args, Environment env = {}) {
    return test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); }, std::move(args),
                         std::move(env), (dir.path() / sub).string());
  };
  auto r = from(".github/workflows", {"."});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("\n.github/workflows/d.yml:6:9: error:"));
  r = from("src/deep", {"../../.github/workflows", "--format", "sarif"});
  CHECK_THAT(r.out, Catch::Contains("\"uri\": \".github/workflows/d.yml\""));
  // Inside Actions the root is the workspace, so annotations point into the checkout.
  r = from(".github", {"workflows/d.yml"},
           {{"GITHUB_ACTIONS", "true"},
            {"GITHUB_WORKSPACE", dir.path().string()},
            {"GITHUB_OUTPUT", dir.write("out", "")},
            {"GITHUB_STEP_SUMMARY", dir.write("sum", "")}});
  CHECK_THAT(r.err, Catch::Contains("::error file=.github/workflows/d.yml,line=6,col=9,title=heroku-autocreate::"));
  // With no path, the repository's own workflows are linted from anywhere inside it, as
  // actionlint does (never .github/workflows below the working directory).
  for (const auto* sub : {".github/workflows", ".github", "src/deep"}) {
    INFO("from " << sub);
    r = from(sub, {});
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("\n.github/workflows/d.yml:6:9: error:"));
  }
  // A config ignore entry names the file from the root, and still matches from a subdirectory.
  dir.write(".github/shipgate.yml", "lint:\n  ignore:\n    - file: .github/workflows/d.yml\n");
  CHECK(from("src/deep", {"../../.github/workflows"}).code == 0);
  CHECK(from("src/deep", {}).code == 0);
}

TEST_CASE("if: conditions on event_name and ref: what they require, and when they exclude", "[lint]") {
  using lint::Requirement;
  CHECK(lint::requirements("github.event_name == 'push'") ==
        std::vector<Requirement>{{"github.event_name", true, "push"}});
  CHECK(lint::requirements("${{ 'refs/heads/Main' != github.ref && always() }}") ==
        std::vector<Requirement>{{"github.ref", false, "refs/heads/main"}});
  CHECK(lint::requirements("github.event_name == 'push' || github.event_name == 'schedule'").empty());
  CHECK(lint::requirements("contains(github.ref, 'a && b')").empty());
  CHECK(lint::requirements("github.ref == 'it''s'") == std::vector<Requirement>{{"github.ref", true, "it's"}});
  const auto push = lint::requirements("github.event_name == 'push'");
  CHECK(lint::exclusive(push, lint::requirements("github.event_name == 'workflow_dispatch'")));
  CHECK(lint::exclusive(push, lint::requirements("github.event_name != 'PUSH'")));
  CHECK_FALSE(lint::exclusive(push, lint::requirements("github.ref == 'refs/heads/main'")));
  CHECK_FALSE(lint::exclusive(push, lint::requirements("github.event_name != 'schedule'")));
  // startsWith(github.ref, ...) and github.ref_type are prefixes of the ref.
  const auto tags = lint::requirements("startsWith(github.ref, 'refs/tags/v') && always()");
  CHECK(tags == std::vector<Requirement>{{"github.ref", true, "refs/tags/v", true}});
  CHECK(lint::requirements("github.ref_type == 'tag'") ==
        std::vector<Requirement>{{"github.ref", true, "refs/tags/", true}});
  CHECK(lint::exclusive(tags, lint::requirements("github.ref == 'refs/heads/main'")));
  CHECK(lint::exclusive(tags, lint::requirements("startsWith(github.ref, 'refs/heads/')")));
  CHECK_FALSE(lint::exclusive(tags, lint::requirements("github.ref == 'refs/tags/v1.2'")));
  CHECK_FALSE(lint::exclusive(tags, lint::requirements("startsWith(github.ref, 'refs/tags/')")));
  CHECK(lint::requirements("startsWith(github.head_ref, 'x')").empty());
}

TEST_CASE("app naming patterns: each {name} is lower-case letters and digits, the rest literal", "[lint]") {
  const auto pattern = heroku::AppPattern::parse("raxx-{surface}-{env}");
  REQUIRE(pattern.ok());
  CHECK(pattern->matches("raxx-api-prod"));
  CHECK(pattern->matches("raxx-web2-staging"));
  CHECK_FALSE(pattern->matches("raxx-api"));
  CHECK_FALSE(pattern->matches("raxx-API-prod"));
  CHECK_FALSE(pattern->matches("raxx-api-prod-2"));
  CHECK_FALSE(pattern->matches("xraxx-api-prod"));
  CHECK(heroku::AppPattern::parse("a.{x}")->matches("a.b"));
  CHECK_FALSE(heroku::AppPattern::parse("a.{x}")->matches("azb"));  // '.' is literal
  CHECK_FALSE(heroku::AppPattern::parse("raxx-{}").ok());
  CHECK_FALSE(heroku::AppPattern::parse("raxx-{env").ok());
}

TEST_CASE("SARIF: every finding has a partial fingerprint that survives a line moving; rules carry their page",
          "[lint][sarif]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_unsafe);
  auto r = lint_in(dir, {"--format", "sarif"});
  const auto before = nlohmann::json::parse(r.out);
  dir.write(".github/workflows/d.yml", std::string("# a comment moves every line down\n") + k_unsafe);
  r = lint_in(dir, {"--format", "sarif"});
  const auto after = nlohmann::json::parse(r.out);
  const auto& a = before["runs"][0]["results"];
  const auto& b = after["runs"][0]["results"];
  REQUIRE(a.size() == b.size());
  REQUIRE(!a.empty());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i]["partialFingerprints"] == b[i]["partialFingerprints"]);
    CHECK(a[i]["locations"][0]["physicalLocation"]["region"]["startLine"] !=
          b[i]["locations"][0]["physicalLocation"]["region"]["startLine"]);
    CHECK(seen.insert(a[i]["partialFingerprints"]["shipgateFinding/v1"].get<std::string>()).second);
  }
  for (const auto& rule : after["runs"][0]["tool"]["driver"]["rules"]) {
    INFO(rule["id"]);
    CHECK_THAT(rule["help"]["markdown"].get<std::string>(), Catch::StartsWith("# " + rule["id"].get<std::string>()));
  }
}

namespace {

/// A composite action that deploys `${{ inputs.app }}` with autocreate left to the input.
const char* k_ship_action =
    "name: ship\ninputs:\n  create: {default: 'false'}\nruns:\n  using: composite\n  steps:\n"
    "    - uses: akhileshns/heroku-deploy@v3.13.15\n"
    "      with: {heroku_app_name: x, dontautocreate: '${{ inputs.create }}'}\n";

std::string calling_step(const std::string& uses) {
  return "on: push\njobs:\n  d:\n    runs-on: ubuntu-22.04\n    steps:\n      - uses: " + uses + "\n";
}

}  // namespace

TEST_CASE("local calls are followed inside the repository only", "[lint][calls]") {
  test::TempDir dir;
  dir.write("repo/.github/actions/ship/action.yml", k_ship_action);
  dir.write("outside/action.yml", k_ship_action);
  dir.write("repo/.github/workflows/in.yml", calling_step("./.github/actions/ship"));
  auto r = lint_in(dir, {"repo/.github/workflows/in.yml"});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("repo/.github/workflows/in.yml:6:9: error:") &&
                        Catch::Contains("repo/.github/actions/ship/action.yml:8:50: in the composite action"));
  CHECK_THAT(r.err, Catch::Contains("in 2 files"));
  // `../` out of the repository, and a link inside it that points out, are not read.
  dir.write("repo/.github/workflows/in.yml", calling_step("./../outside"));
  CHECK(lint_in(dir, {"repo/.github/workflows/in.yml"}).code == 0);
  std::filesystem::create_directory_symlink(dir.path() / "outside", dir.path() / "repo/linked");
  dir.write("repo/.github/workflows/in.yml", calling_step("./linked"));
  r = lint_in(dir, {"repo/.github/workflows/in.yml"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("in 1 file"));
  // A call to a path that does not exist is GitHub's to fail; nothing is reported for it.
  dir.write("repo/.github/workflows/in.yml", calling_step("./.github/actions/missing"));
  CHECK(lint_in(dir, {"repo/.github/workflows/in.yml"}).code == 0);
}

TEST_CASE("cycles and chains of calls end, and the call budget says when it is spent", "[lint][calls]") {
  test::TempDir dir;
  // An action that calls itself, and a workflow that calls itself: GitHub refuses both; lint ends.
  dir.write(".github/actions/loop/action.yml",
            "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/loop\n");
  dir.write(".github/workflows/self.yml",
            "on: workflow_call\njobs:\n  again:\n    uses: ./.github/workflows/self.yml\n");
  dir.write(".github/workflows/main.yml", calling_step("./.github/actions/loop"));
  CHECK(lint_in(dir, {".github/workflows"}).code == 0);
  // A chain deeper than the cap: the deploy at its end is not reached from the top, and nothing
  // hangs; the action that leaves `create` at its default reports that itself.
  for (int i = 0; i < 14; ++i) {
    dir.write(".github/actions/a" + std::to_string(i) + "/action.yml",
              "runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/a" + std::to_string(i + 1) + "\n");
  }
  dir.write(".github/actions/a14/action.yml", k_ship_action);
  dir.write(".github/workflows/main.yml", calling_step("./.github/actions/a5"));
  CHECK_THAT(lint_in(dir, {".github/workflows/main.yml"}).out, Catch::Contains("in the composite action"));
  dir.write(".github/workflows/main.yml", calling_step("./.github/actions/a0"));
  auto chain = lint_in(dir, {".github/workflows/main.yml"});
  CHECK_THAT(chain.out, Catch::Contains(".github/actions/a13/action.yml:4:7: error:") && !Catch::Contains("main.yml"));
  CHECK_THAT(chain.err, Catch::Contains("in 16 files"));
  // Each action calls the next one twice: 2^12 calls from one step, cut by the budget.
  for (int i = 0; i < 12; ++i) {
    const auto next = "./.github/actions/b" + std::to_string(i + 1);
    dir.write(".github/actions/b" + std::to_string(i) + "/action.yml",
              "runs:\n  using: composite\n  steps:\n    - uses: " + next + "\n    - uses: " + next + "\n");
  }
  dir.write(".github/actions/b12/action.yml", k_ship_action);
  dir.write(".github/workflows/main.yml",
            calling_step("./.github/actions/b0") + "      - uses: ./.github/actions/b0\n");
  const auto r = lint_in(dir, {".github/workflows/main.yml"});
  CHECK_THAT(r.err, Catch::Contains("skipped local-calls: stopped following local workflows and actions after 4096"));
}

TEST_CASE("an action file on the command line is linted as an action", "[lint][calls]") {
  test::TempDir dir;
  dir.write("action.yml", "name: node\nruns:\n  using: node20\n  main: index.js\n");
  auto r = lint_in(dir, {"action.yml"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("in 1 file"));
  // Alone, a value its callers give is not guessed at; what is wrong whatever they pass is reported.
  dir.write("action.yml", std::string(k_ship_action) + "    - uses: akhileshns/heroku-deploy@v3.13.15\n");
  r = lint_in(dir, {"action.yml"});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("action.yml:9:7: error: akhileshns/heroku-deploy without `dontautocreate`"));
  CHECK_THAT(r.out, !Catch::Contains("action.yml:8:"));
  dir.write("action.yml", "runs: node20\n");
  r = lint_in(dir, {"action.yml"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not an action: 'runs' must be a mapping"));
}

TEST_CASE("a suppression in the callee covers what its calls find there", "[lint][calls]") {
  test::TempDir dir;
  std::string action = k_ship_action;
  action.replace(action.find("    - uses: akhileshns"), 0, "    # shipgate: ignore[heroku-autocreate]\n");
  dir.write(".github/actions/ship/action.yml", action);
  dir.write(".github/workflows/main.yml", calling_step("./.github/actions/ship"));
  CHECK(lint_in(dir, {".github/workflows/main.yml"}).code == 0);
}

TEST_CASE("deploys through local actions say where they are", "[lint][calls]") {
  test::TempDir dir;
  // An app only the script knows: the note at the call points into the action too.
  dir.write(".github/actions/a/action.yml",
            "runs:\n  using: composite\n  steps:\n    - shell: bash\n"
            "      run: |\n        app=$(cat f)\n"
            "        heroku container:release -a \"$app\" web\n");
  dir.write(".github/workflows/main.yml", calling_step("./.github/actions/a"));
  auto r = lint_in(dir, {".github/workflows", "--format", "json"});
  CHECK_THAT(r.out, Catch::Contains("cannot tell before the run which app `$app` is") &&
                        Catch::Contains("\"file\": \".github/actions/a/action.yml\",\n"
                                        "          \"line\": 7,"));
  // A local copy of a deploy action (JavaScript, not followed) is named by its path.
  dir.write(".github/actions/a/action.yml", "runs:\n  using: node20\n  main: index.js\n");
  dir.write(".github/workflows/main.yml",
            calling_step("./.github/actions/a") + "        with: {heroku_app_name: app1}\n");
  dir.write(".github/workflows/other.yml", "on: schedule\n" + calling_step("./.github/actions/a").substr(9) +
                                               "        with: {heroku_app_name: app1}\n");
  r = lint_in(dir, {".github/workflows"});
  CHECK_THAT(r.out, Catch::Contains("job 'd' (./.github/actions/a) runs on push"));
}

TEST_CASE("lint without a path finds the repository root from a subproject and inside the workspace", "[lint]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / ".git");
  dir.write(".github/workflows/d.yml", k_unsafe);
  dir.write("sub/.github/dependabot.yml", "version: 2\nupdates: []\n");  // a .github without workflows
  std::filesystem::create_directories(dir.path() / "sub/src");
  const auto from = [&dir](const std::string& sub, Environment env = {}) {
    return test::capture([](const Invocation& inv) { return run_gate(*lint::make_gate(), inv); }, {}, std::move(env),
                         (dir.path() / sub).string());
  };
  for (const auto* sub : {"sub", "sub/src", "sub/.github"}) {
    INFO("from " << sub);
    const auto r = from(sub);
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("\n.github/workflows/d.yml:6:9: error:"));
  }
  // A subproject with workflows of its own is its own root, outside Actions...
  dir.write("sub/.github/workflows/s.yml",
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: make\n");
  auto r = from("sub/src");
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("in 1 file"));
  // ...and inside Actions the workspace that holds the working directory is the root.
  r = from("sub/src", {{"GITHUB_WORKSPACE", dir.path().string()}});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains(".github/workflows/d.yml:6:9: error:"));
  // A workspace that does not hold the working directory is not its root.
  test::TempDir elsewhere;
  elsewhere.write(".github/workflows/d.yml", k_unsafe);
  r = from("sub/src", {{"GITHUB_WORKSPACE", elsewhere.path().string() + "/"}});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("in 1 file"));
}

// --- the deploy map ----------------------------------------------------------------------------

TEST_CASE("deploy map: paths through calls, gates around a deploy, protection from records", "[lint][map]") {
  test::TempDir dir;
  dir.write(".github/actions/ship/action.yml",
            "name: ship\ninputs:\n  app: {required: true}\nruns:\n  using: composite\n  steps:\n"
            "    - shell: bash\n      run: heroku container:release web -a \"${{ inputs.app }}\"\n");
  dir.write(".github/workflows/release.yml",
            "on:\n  push:\n    tags: ['v*']\n  workflow_dispatch:\n    inputs:\n      ref: {type: string}\n"
            "concurrency: {group: deploy-prod}\n"
            "jobs:\n"
            "  freeze:\n    runs-on: ubuntu-22.04\n    steps:\n      - uses: shipgate/shipgate/actions/freeze@v1\n"
            "  prod:\n    needs: freeze\n    runs-on: ubuntu-22.04\n    environment: production\n    steps:\n"
            "      - uses: shipgate/shipgate/actions/env@v1\n"
            "      - uses: ./.github/actions/ship\n        with: {app: shop-prod}\n"
            "      - run: shipgate-smoke https://shop.example/health\n"
            "  verify:\n    needs: prod\n    runs-on: ubuntu-22.04\n    steps:\n"
            "      - uses: shipgate/shipgate/actions/release@v1\n");
  dir.write("envs.json", R"({"total_count": 1, "environments": [{"name": "production", "protection_rules": [)"
                         R"({"type": "required_reviewers", "reviewers": [{"type": "User"}, {"type": "Team"}]}],)"
                         R"( "deployment_branch_policy": {"protected_branches": true}}]})");
  const auto r = lint_in(dir, {"--deploy-map", "--environments", "envs.json"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("target 'shop-prod' (production): 1 path\n"
                                    "  .github/workflows/release.yml:19:9  job 'prod'  heroku container:release\n"
                                    "    written at:  .github/actions/ship/action.yml:8:12\n"
                                    "    reached by:  push (tags: v*), workflow_dispatch\n"
                                    "    inputs:      ref\n"));
  CHECK_THAT(r.out, Catch::Contains("environment: production (2 required reviewers, branch policy)"));
  CHECK_THAT(r.out, Catch::Contains("concurrency: group deploy-prod\n"));
  CHECK_THAT(r.out, Catch::Contains("gates:       before: env, freeze; after: smoke, release (checked)"));
  // A list of names says nothing of protection.
  dir.write("names.yml", "- production\n");
  const auto names = lint_in(dir, {"--deploy-map", "--environments", "names.yml"});
  CHECK_THAT(names.out, Catch::Contains("environment: production (protection unknown: the records name it only)"));
}

TEST_CASE("deploy map: a deploy no trigger reaches, and one named only at run time", "[lint][map]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml",
            "on:\n  push:\n    branches: [main]\njobs:\n"
            "  prod:\n    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: ubuntu-22.04\n    steps:\n"
            "      - run: heroku container:release web -a shop-prod\n"
            "  any:\n    runs-on: ubuntu-22.04\n    steps:\n"
            "      - run: heroku container:release web -a \"$(cat app.txt)\"\n");
  auto r = lint_in(dir, {"--deploy-map"});
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Catch::Contains("reached by:  nothing: no trigger meets its if:"));
  CHECK_THAT(r.out, Catch::Contains("target unknown before the run: $(cat app.txt): 1 path"));
  r = lint_in(dir, {"--deploy-map", "--format", "json"});
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["targets"].size() == 2);
  CHECK(doc["targets"][0]["known"] == true);
  CHECK(doc["targets"][0]["paths"][0]["triggers"][0]["reaches"] == false);
  CHECK(doc["targets"][1]["known"] == false);
}

TEST_CASE("deploy map: hostile names cannot break a line, the graph or the summary", "[lint][map][hostile]") {
  CHECK(lint::mermaid_label("a\"]) --> x[(\"b") == "a&quot;&rsqb;) --&gt; x&lsqb;(&quot;b");
  CHECK(lint::mermaid_label("line\nbreak`<script>#quot;") == "line break&grave;&lt;script&gt;&num;quot&semi;");
  CHECK(lint::mermaid_label("**b** _i_ %% ${{ x }}") ==
        "&ast;&ast;b&ast;&ast; &lowbar;i&lowbar; &percnt;&percnt; &dollar;&lcub;&lcub; x &rcub;&rcub;");
  CHECK(lint::mermaid_label("köln-prod") == "köln-prod");
  test::TempDir dir;
  dir.write(".github/workflows/d.yml",
            "on: push\njobs:\n  \"j|`x`\":\n    runs-on: ubuntu-22.04\n    steps:\n"
            "      - run: heroku container:release web -a 'x\"]-->evil[(\"y'\n"
            "      - run: 'heroku container:release web -a \"::error::forged\"'\n");
  auto r = lint_in(dir, {"--deploy-map", "--format", "mermaid"});
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("evil[(") == std::string::npos);
  CHECK(r.out.find("evil&lsqb;(&quot;y") != std::string::npos);
  r = lint_in(dir, {"--deploy-map"});
  for (const auto& line : text::split_lines(r.out)) {
    CHECK(line.rfind("::", 0) == std::string::npos);  // no value starts a line: no workflow command
  }
  test::TempDir runner;
  const auto summary = runner.path() / "summary.md";
  const auto output = runner.path() / "output";
  r = lint_in(
      dir, {"--deploy-map"},
      {{"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", summary.string()}, {"GITHUB_OUTPUT", output.string()}});
  const auto md = test::read_file(summary.string());
  CHECK(md.find("| j\\|\\`x\\` |") != std::string::npos);  // the job id escaped in its table cell
  CHECK(md.find("evil[(") == std::string::npos);
}

TEST_CASE("the deploy map lists jobs with Heroku credentials or the CLI but no recognised deploy as possible",
          "[lint][map]") {
  test::TempDir dir;
  dir.write(".github/workflows/make.yml",
            "on: push\njobs:\n  test:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: make test\n"
            "  ship:\n    runs-on: ubuntu-22.04\n    env:\n      HEROKU_API_KEY: ${{ secrets.HEROKU_API_KEY }}\n"
            "    steps:\n      - run: curl https://cli-assets.heroku.com/install.sh | sh\n"
            "      - run: |\n          make build\n          make heroku_release\n"
            "  known:\n    runs-on: ubuntu-22.04\n    env:\n      HEROKU_API_KEY: ${{ secrets.HEROKU_API_KEY }}\n"
            "    steps:\n      - run: heroku container:release web -a shop > /dev/null\n"
            "  call:\n    uses: ./.github/workflows/other.yml\n    secrets:\n"
            "      HEROKU_API_KEY: ${{ secrets.HEROKU_API_KEY }}\n");
  auto r = lint_in(dir, {"--deploy-map"});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("possible deploys (Heroku credentials or CLI, but no deploy shipgate recognises"));
  CHECK_THAT(r.out, Catch::Contains(".github/workflows/make.yml:7:3  job 'ship'  holds HEROKU_API_KEY; installs the "
                                    "Heroku CLI; runs `make heroku_release`\n"));
  CHECK_THAT(r.out, Catch::Contains("job 'call'  calls ./.github/workflows/other.yml with HEROKU_API_KEY\n"));
  CHECK(r.out.find("job 'test'  ") == std::string::npos);        // no credentials: not a possible deploy
  CHECK(r.out.find("job 'known'  holds") == std::string::npos);  // its deploy is recognised: a target
  CHECK_THAT(r.out, Catch::Contains("target 'shop'"));
  CHECK_THAT(r.err, Catch::Contains("1 target, 1 path, 2 possible in 1 file"));
  r = lint_in(dir, {"--deploy-map", "--format", "json"});
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["possible"].size() == 2);
  CHECK(doc["possible"][0]["job"] == "ship");
  CHECK(doc["possible"][0]["at"]["line"] == 7);
}

// --- fixes ---------------------------------------------------------------------------------------

TEST_CASE("fix edits apply in place, refuse overlaps, and diff as patch reads them", "[lint][fix]") {
  CHECK(lint::apply_edits("abc", {{1, 1, "X"}, {0, 0, ">"}}) == std::optional<std::string>(">aXc"));
  CHECK_FALSE(lint::apply_edits("abc", {{0, 2, "X"}, {1, 1, "Y"}}));  // overlap
  CHECK_FALSE(lint::apply_edits("abc", {{2, 5, "X"}}));               // past the end
  CHECK(lint::line_ending("a\r\nb\r\n") == "\r\n");
  CHECK(lint::line_ending("a\nb") == "\n");
  const std::string before = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\ntwelve\n";
  const auto diff = lint::unified_diff("f.yml", before, {{4, 0, "inserted\n"}, {before.find("twelve"), 6, "12"}});
  CHECK(diff ==
        "--- a/f.yml\n+++ b/f.yml\n"
        "@@ -1,5 +1,6 @@\n one\n+inserted\n two\n three\n four\n five\n"
        "@@ -9,4 +10,4 @@\n nine\n ten\n eleven\n-twelve\n+12\n");
  CHECK(lint::unified_diff("f.yml", "a\nb", {{3, 0, "c"}}) ==
        "--- a/f.yml\n+++ b/f.yml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+bc\n"
        "\\ No newline at end of file\n");
  CHECK(lint::unified_diff("f.yml", "a\n", {}).empty());
}

namespace {

const char* k_fixable =
    "on: push\r\njobs:\r\n  deploy:\r\n    runs-on: ubuntu-22.04 # the runner\r\n    steps:\r\n"
    "      - uses: akhileshns/heroku-deploy@v3.13.15\r\n        with:\r\n"
    "          heroku_app_name: 'shop-prod'  # quoted, commented\r\n"
    "          heroku_api_key: ${{ secrets.KEY }}\r\n";

}  // namespace

TEST_CASE("fix keeps every other byte, CRLF included, and --diff shows the same change", "[lint][fix]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_fixable);
  const auto diff = lint_in(dir, {"--diff"});
  INFO(diff.out << diff.err);
  CHECK(diff.code == 1);
  CHECK_THAT(diff.out, Catch::Contains("+          dontautocreate: true\r\n"));
  CHECK_THAT(diff.err, Catch::Contains("2 findings fixable in 1 file (shown as a diff; nothing written)"));
  CHECK(test::read_file((dir.path() / ".github/workflows/d.yml").string()) == k_fixable);  // --diff writes nothing
  const auto fixed = lint_in(dir, {"--fix"});
  INFO(fixed.out << fixed.err);
  CHECK_THAT(fixed.err, Catch::Contains("fixed 2 findings in 1 file"));
  const auto after = test::read_file((dir.path() / ".github/workflows/d.yml").string());
  CHECK(after ==
        "on: push\r\njobs:\r\n  deploy:\r\n    concurrency:\r\n      group: deploy-shop-prod\r\n"
        "      cancel-in-progress: false\r\n    runs-on: ubuntu-22.04 # the runner\r\n    steps:\r\n"
        "      - uses: akhileshns/heroku-deploy@v3.13.15\r\n        with:\r\n          dontautocreate: true\r\n"
        "          heroku_app_name: 'shop-prod'  # quoted, commented\r\n"
        "          heroku_api_key: ${{ secrets.KEY }}\r\n");
  CHECK(lint_in(dir, {"--diff"}).out.empty());  // nothing left to fix
}

TEST_CASE("fix leaves suppressed findings, symlinks, read-only files and files outside alone", "[lint][fix]") {
  test::TempDir dir;
  std::string suppressed = k_fixable;
  suppressed.replace(suppressed.find("      - uses:"), 0,
                     "      # shipgate: ignore[heroku-autocreate] deployed by hand\r\n");
  dir.write(".github/workflows/suppressed.yml", suppressed);
  auto r = lint_in(dir, {"--diff", "--fail-level", "note"});
  CHECK(r.out.find("dontautocreate") == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("concurrency:"));  // the other finding is still fixed

  test::TempDir links;
  links.write("real/d.yml", k_fixable);
  std::filesystem::create_directories(links.path() / ".github/workflows");
  std::filesystem::create_symlink(links.path() / "real/d.yml", links.path() / ".github/workflows/d.yml");
  r = lint_in(links, {"--fix"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not fixed: it is a symbolic link"));
  CHECK(test::read_file((links.path() / "real/d.yml").string()) == k_fixable);

  test::TempDir readonly;
  readonly.write(".github/workflows/d.yml", k_fixable);
  const auto file = readonly.path() / ".github/workflows/d.yml";
  std::filesystem::permissions(file, std::filesystem::perms::owner_read);
  r = lint_in(readonly, {"--fix"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not fixed: the file is not writable"));
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_CASE("a file changed between read and write is left as it is", "[lint][fix]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_fixable);
  const auto path = (dir.path() / ".github/workflows/d.yml").string();
  const auto fixed = std::string(k_fixable) + "# a change made meanwhile\r\n";
  const auto result = lint::replace_file(path, dir.path().string(), "something else", fixed);
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error().message, Catch::Contains("changed since it was read"));
  CHECK(test::read_file(path) == k_fixable);
  const auto outside = lint::replace_file(path, (dir.path() / "elsewhere").string(), k_fixable, fixed);
  REQUIRE_FALSE(outside.ok());
  CHECK_THAT(outside.error().message, Catch::Contains("outside the repository"));
  REQUIRE(lint::replace_file(path, dir.path().string(), k_fixable, fixed).ok());
  CHECK(test::read_file(path) == fixed);
  CHECK(std::filesystem::directory_iterator(dir.path() / ".github/workflows") != std::filesystem::directory_iterator());
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path() / ".github/workflows")) {
    ++entries;
  }
  CHECK(entries == 1);  // no temporary file left beside it
}

TEST_CASE("a job that deploys one app per input value gets no concurrency group named after one", "[lint][fix]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml",
            "on:\n  workflow_dispatch:\n    inputs:\n      environment: {type: choice, options: [dev, play]}\n"
            "jobs:\n  deploy:\n    runs-on: ubuntu-22.04\n    steps:\n"
            "      - run: heroku container:release web -a ${{ inputs.environment }}-web > /dev/null\n");
  const auto r = lint_in(dir, {"--diff", "--fail-level", "note"});
  INFO(r.out << r.err);
  CHECK_THAT(r.err, Catch::Contains("deploy-concurrency") || Catch::Contains("0 findings fixable"));
  CHECK(r.out.find("group: deploy-dev-web") == std::string::npos);
  const auto map = lint_in(dir, {"--deploy-map"});
  CHECK_THAT(map.out, Catch::Contains("target 'dev-web'") && Catch::Contains("target 'play-web'"));
}

TEST_CASE("fixes are not made where the file's shape or shell would make them a guess", "[lint][fix]") {
  test::TempDir dir;
  // A step in flow style, a job behind an anchor, a Windows runner's config:set.
  dir.write(
      ".github/workflows/d.yml",
      "on: push\njobs:\n  flow:\n    runs-on: ubuntu-22.04\n    concurrency: {group: a}\n    steps:\n"
      "      - {uses: akhileshns/heroku-deploy@v3.13.15, with: {heroku_app_name: a, dontautocreate: true}}\n"
      "      - {uses: akhileshns/heroku-deploy@v3.13.15, name: b}\n"
      "  anchored: &job {\n    runs-on: ubuntu-22.04,\n    steps: [{run: heroku container:release web -a c}]\n  }\n"
      "  windows:\n    runs-on: windows-latest\n    concurrency: {group: d}\n    steps:\n"
      "      - run: heroku config:set A=1 -a d\n"
      "      - run: |\n          heroku config:set MOTD=\"first\n          second\" -a d\n");
  const auto r = lint_in(dir, {"--diff", "--fail-level", "note"});
  INFO(r.out << r.err);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("0 findings fixable in 0 files"));
  // Each finding left says why, on stderr, one line each.
  CHECK_THAT(r.err, Catch::Contains("d.yml:8:") && Catch::Contains("not fixed [heroku-autocreate]: the step or its "
                                                                   "`with:` is written in flow style"));
  CHECK_THAT(r.err, Catch::Contains("not fixed [heroku-config-set-echo]: the step's shell is not a POSIX shell"));
  CHECK_THAT(r.err, Catch::Contains("not fixed [deploy-concurrency]: the job is written in flow style"));
}

TEST_CASE("fix=unsafe adds an environment and upgrades an action too old for dontautocreate", "[lint][fix]") {
  test::TempDir dir;
  const std::string before =
      "on: push\njobs:\n  ship:\n    runs-on: ubuntu-22.04\n    concurrency: {group: a}\n    steps:\n"
      "      - uses: \"akhileshns/heroku-deploy@v3.8.9\"\n        with:\n          heroku_app_name: shop-prod\n"
      "          heroku_api_key: ${{ secrets.KEY }}\n"
      "      - run: shipgate-release --app shop-prod\n";
  dir.write(".github/workflows/d.yml", before);
  // The safe run makes neither, and says so.
  auto r = lint_in(dir, {"--diff"});
  INFO(r.out << r.err);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("not fixed [deploy-without-environment]: its fix needs a look, so only "
                                    "--fix=unsafe makes it"));
  CHECK_THAT(r.err, Catch::Contains("not fixed [heroku-autocreate]: its fix needs a look"));
  r = lint_in(dir, {"--diff=unsafe"});
  CHECK_THAT(r.out, Catch::Contains("+    environment: production\n     runs-on: ubuntu-22.04\n"));
  CHECK_THAT(r.out, Catch::Contains("-      - uses: \"akhileshns/heroku-deploy@v3.8.9\"\n"
                                    "+      - uses: \"akhileshns/heroku-deploy@v3.14.15\"\n"
                                    "         with:\n+          dontautocreate: true\n"));
  CHECK_THAT(r.err, Catch::Contains("check this fix [deploy-without-environment]: names environment 'production', "
                                    "which GitHub creates unprotected"));
  CHECK_THAT(r.err, Catch::Contains("check this fix [heroku-autocreate]: upgrades"));
  CHECK(test::read_file((dir.path() / ".github/workflows/d.yml").string()) == before);
  r = lint_in(dir, {"--fix=unsafe"});
  CHECK_THAT(r.err, Catch::Contains("fixed 2 findings in 1 file"));
  CHECK(lint_in(dir, {"--diff=unsafe"}).out.empty());
  const auto left = lint_in(dir, {});
  CHECK(left.out.find("heroku-autocreate") == std::string::npos);
  CHECK(left.out.find("deploy-without-environment") == std::string::npos);

  // Records name the environment as the repository spells it; a SHA pin gets no upgrade.
  test::TempDir other;
  other.write("envs.json", R"({"total_count": 1, "environments": [{"name": "Prod"}]})");
  other.write(".github/workflows/d.yml",
              "on: push\njobs:\n  ship:\n    runs-on: ubuntu-22.04\n    concurrency: {group: a}\n    steps:\n"
              "      - uses: akhileshns/heroku-deploy@0123456789abcdef0123456789abcdef01234567 # v3.8.9\n"
              "        with: {heroku_app_name: shop-prod}\n");
  r = lint_in(other, {"--diff=unsafe", "--environments", "envs.json"});
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Catch::Contains("+    environment: Prod\n"));
  CHECK_THAT(r.err, Catch::Contains("check this fix [deploy-without-environment]: names environment 'Prod': check"));
  CHECK_THAT(r.err, Catch::Contains("not fixed [heroku-autocreate]: pinned by SHA: pin the commit of v3.14.15"));
}

TEST_CASE("fix=unsafe names the exact production record, and makes an old ref's false input true", "[lint][fix]") {
  test::TempDir dir;
  dir.write("envs.json", R"({"total_count": 2, "environments": [{"name": "pre-prod"}, {"name": "PRODUCTION"}]})");
  dir.write(".github/workflows/d.yml",
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    concurrency: x\n    steps:\n"
            "      - uses: akhileshns/heroku-deploy@v3.8.0\n"
            "        with: {heroku_app_name: shop-prod, dontautocreate: false}\n"
            "      - run: shipgate-release --app shop-prod\n"
            "      - uses: &old akhileshns/heroku-deploy@v3.8.0\n        with: {heroku_app_name: shop-prod}\n"
            "      - uses: *old\n        with: {heroku_app_name: shop-prod, dontautocreate: ''}\n");
  const auto r = lint_in(dir, {"--diff=unsafe", "--environments", "envs.json"});
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Catch::Contains("+    environment: PRODUCTION\n"));
  CHECK_THAT(r.out, Catch::Contains("+        with: {heroku_app_name: shop-prod, dontautocreate: true}\n"));
  CHECK_THAT(r.err, Catch::Contains("d.yml:12:9: not fixed [heroku-autocreate]: the `uses:` value is escaped, or "
                                    "behind an anchor or alias"));
}

TEST_CASE("inside Actions no printed value forms an older-style ##[command], even split across writes",
          "[lint][fix][hostile]") {
  std::ostringstream sink;
  CommandGuard guard(sink.rdbuf());
  std::ostream out(&guard);
  out << "a ##[error]x #"
      << "#"
      << "[add-mask]y ###[z #[w ## [v\n::notice::own\n  ::warning::x\n \t"
      << ":"
      << ":error::y\n\xC2\xA0::a\nk: v ::b\n";
  out.flush();
  const std::string zwsp = "\xE2\x80\x8B";
  CHECK(sink.str() == "a ##" + zwsp + "[error]x ##" + zwsp + "[add-mask]y ###" + zwsp + "[z #[w ## [v\n" +
                          "::notice::own\n  " + zwsp + "::warning::x\n \t" + zwsp + "::error::y\n\xC2\xA0" + zwsp +
                          "::a\nk: v ::b\n");

  test::TempDir dir;
  dir.write(".github/workflows/##[set-output name=findings;]0.yml", k_fixable);
  for (const auto& args : std::vector<std::vector<std::string>>{{"--diff"}, {"--format", "text"}, {"--deploy-map"}}) {
    const auto r = lint_in(dir, args, {{"GITHUB_ACTIONS", "true"}});
    INFO(r.out << r.err);
    CHECK_THAT(r.out + r.err, Catch::Contains("findings;]0.yml"));
    CHECK((r.out + r.err).find("##[") == std::string::npos);
  }
  // A diff's context lines are the workflow's own, after a space: none acts as a command.
  test::TempDir script;
  script.write(".github/workflows/d.yml",
               "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-22.04\n    steps:\n"
               "      - run: |\n          ::warning::forged\n"
               "      - uses: akhileshns/heroku-deploy@v3.13.15\n"
               "        with:\n          heroku_app_name: x\n");
  const auto diff = lint_in(script, {"--diff"}, {{"GITHUB_ACTIONS", "true"}});
  CHECK_THAT(diff.out, Catch::Contains("+          dontautocreate: true"));
  for (const auto& line : text::split_lines(diff.out)) {
    CHECK(text::trim(line).rfind("::", 0) == std::string::npos);
  }
  // Outside Actions the name is printed as it is.
  CHECK_THAT(lint_in(dir, {"--diff"}).out, Catch::Contains("##[set-output"));
}

TEST_CASE("the fix and diff flags take true, false or unsafe, alone or after =, never the next word", "[lint][fix]") {
  test::TempDir dir;
  dir.write(".github/workflows/d.yml", k_fixable);
  for (const auto* bad : {"--fix=", "--fix=yes", "--diff=Unsafe", "--fix={}"}) {
    INFO(bad);
    const auto r = lint_in(dir, {bad});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("expected one of false, true, unsafe"));
  }
  CHECK(test::read_file((dir.path() / ".github/workflows/d.yml").string()) == k_fixable);
  CHECK(lint_in(dir, {"--diff=false"}).out.find("+++") == std::string::npos);
  CHECK_THAT(lint_in(dir, {"--diff=true"}).out, Catch::Contains("+++ b/.github/workflows/d.yml"));
  // `--fix unsafe` is --fix and a path named unsafe, which does not exist: nothing written.
  const auto r = lint_in(dir, {"--fix", "unsafe"});
  CHECK(r.code == 2);
  CHECK(test::read_file((dir.path() / ".github/workflows/d.yml").string()) == k_fixable);
}

TEST_CASE("a fix ends its lines as the lines around it do, in a file that mixes endings", "[lint][fix]") {
  test::TempDir dir;
  // The first line ends in LF, the job's lines in CRLF.
  std::string mixed = k_fixable;
  mixed.replace(0, std::string("on: push\r\n").size(), "on: push\n");
  dir.write(".github/workflows/d.yml", mixed);
  const auto r = lint_in(dir, {"--diff"});
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Catch::Contains("+    concurrency:\r\n+      group: deploy-shop-prod\r\n"));
  CHECK_THAT(r.out, Catch::Contains("+          dontautocreate: true\r\n"));
}

TEST_CASE("fix edits of different findings are taken whole unless they overlap", "[lint][fix]") {
  lint::EditSet set(10);
  CHECK(set.add({{2, 2, "ab"}}));
  CHECK(set.add({{2, 2, "ab"}}));                    // the same change again: made once
  CHECK_FALSE(set.add({{3, 0, "x"}}));               // an insertion inside a replaced range
  CHECK_FALSE(set.add({{2, 0, "x"}}));               // or at its start
  CHECK(set.add({{4, 0, "x"}}));                     // at its end is fine
  CHECK(set.add({{4, 0, "y"}}));                     // so are two insertions at one place
  CHECK_FALSE(set.add({{3, 3, "z"}}));               // a replacement over an insertion
  CHECK_FALSE(set.add({{8, 1, "q"}, {1, 2, "w"}}));  // one overlapping edit: none of the fix is taken
  CHECK(set.add({{8, 2, "q"}}));
  CHECK_FALSE(set.add({{9, 5, "past"}}));            // past the end
  CHECK_FALSE(set.add({{0, 1, "a"}, {0, 1, "b"}}));  // a fix whose own edits overlap
  CHECK(set.edits().size() == 4);
  CHECK(lint::apply_edits("0123456789", set.edits()) == std::optional<std::string>("01abxy4567q"));
}

TEST_CASE("fix keeps a byte-order mark, and refuses read-only modes and hard links even for root", "[lint][fix]") {
  test::TempDir dir;
  const auto path = dir.path() / ".github/workflows/d.yml";
  dir.write(".github/workflows/d.yml", std::string("\xEF\xBB\xBF") + k_fixable);
  auto r = lint_in(dir, {"--fix"});
  INFO(r.out << r.err);
  CHECK_THAT(r.err, Catch::Contains("fixed 2 findings in 1 file"));
  CHECK(test::read_file(path.string()).rfind("\xEF\xBB\xBFon: push\r\njobs:\r\n  deploy:\r\n    concurrency:", 0) == 0);

  dir.write(".github/workflows/d.yml", k_fixable);
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  r = lint_in(dir, {"--fix"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not fixed: the file is not writable"));
  CHECK(test::read_file(path.string()) == k_fixable);
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  std::filesystem::create_hard_link(path, dir.path() / "copy.yml");
  r = lint_in(dir, {"--fix"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("other hard links"));
  CHECK(test::read_file(path.string()) == k_fixable);
}
