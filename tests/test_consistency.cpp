// Every registered gate keeps its documents in step with its code: every flag of its --help and
// only config keys it reads in its doc's options table, every output it writes named in its doc
// and its action, every rule with a doc and a fixture that fires it. And the documents keep in
// step with each other: every relative link leads somewhere, every version named is VERSION's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/report.hpp"
#include "core/source.hpp"
#include "core/yaml.hpp"
#include "gates_table.hpp"
#include "helpers.hpp"

using namespace shipgate;
namespace fs = std::filesystem;

namespace {

const std::string k_root = SHIPGATE_SOURCE_DIR;

/// Every `# expect[...]` comment text under `dir`.
std::string all_fixture_text(const std::string& dir) {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      all += test::read_file(entry.path().string());
    }
  }
  return all;
}

/// The page that documents a gate: docs/<gate>.md, unless the gate registered a document of its
/// own. cmake/Gates.cmake's default document is the README, which is the front door, not a page.
std::string doc_path(const test::GateEntry& entry) {
  const fs::path doc(std::string(entry.doc));
  std::error_code ec;
  if (doc.empty() || fs::equivalent(doc, fs::path(k_root) / "README.md", ec)) {
    return k_root + "/docs/" + std::string(entry.section) + ".md";
  }
  return doc.string();
}

/// `text` without its fenced code blocks (``` lines and what lies between them).
std::string without_code_blocks(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) {
      out += line + '\n';
    }
  }
  return out;
}

/// The cells of the rows of a page's options table: the one whose header starts `| flag | config key |`.
std::vector<std::vector<std::string>> options_rows(const std::string& doc) {
  std::istringstream in(doc);
  std::vector<std::vector<std::string>> rows;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| flag | config key |", 0) == 0) {
      inside = true;
      continue;
    }
    if (!inside) {
      continue;
    }
    if (line.rfind('|', 0) != 0) {
      break;
    }
    if (line.rfind("|---", 0) == 0) {
      continue;
    }
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) {
      cells.push_back(cell);
    }
    rows.push_back(cells);
  }
  return rows;
}

/// Every match of the first group of `pattern` in `text`.
std::vector<std::string> all_matches(const std::string& text, const std::regex& pattern) {
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    found.push_back((*it)[1].str());
  }
  return found;
}

/// The long flags the help text lists as options: the names at the start of its option lines
/// ("  -h,--help", "  --app,--apps APP"), not flags its descriptions mention.
std::set<std::string> help_flags(const std::string& help) {
  static const std::regex k_option_line(R"(^\s+(?:-[A-Za-z],)?(--[a-z][a-z0-9-]*(?:,--[a-z][a-z0-9-]*)*))");
  static const std::regex k_flag(R"((--[a-z][a-z0-9-]*))");
  std::set<std::string> flags;
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, k_option_line)) {
      for (const auto& flag : all_matches(m[1].str(), k_flag)) {
        flags.insert(flag);
      }
    }
  }
  return flags;
}

/// The GitHub anchor of a heading's text: lower case, punctuation dropped, spaces as hyphens.
std::string anchor_of(const std::string& heading) {
  std::string anchor;
  for (const char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || u >= 0x80) {
      anchor += static_cast<char>(std::tolower(u));
    } else if (c == ' ') {
      anchor += '-';
    }
  }
  return anchor;
}

/// Every heading anchor of a Markdown file, with GitHub's -1, -2 for repeated headings.
std::set<std::string> anchors_of(const std::string& markdown) {
  std::set<std::string> anchors;
  std::map<std::string, int> seen;
  std::istringstream in(without_code_blocks(markdown));
  static const std::regex k_heading(R"(^#{1,6}\s+(.*?)\s*#*\s*$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, k_heading)) {
      const auto base = anchor_of(m[1].str());
      const int n = seen[base]++;
      anchors.insert(n == 0 ? base : base + "-" + std::to_string(n));
    }
  }
  return anchors;
}

/// The project's Markdown pages a user reads: the README, CONTRIBUTING.md, docs/ and rules/.
std::vector<fs::path> pages() {
  std::vector<fs::path> found = {fs::path(k_root) / "README.md", fs::path(k_root) / "CONTRIBUTING.md"};
  for (const auto* dir : {"docs", "rules"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(k_root) / dir)) {
      if (entry.path().extension() == ".md") {
        found.push_back(entry.path());
      }
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

TEST_CASE("consistency: every flag of each gate's --help is in the options table of its doc", "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    INFO("gate " << entry.section << ", doc " << doc_path(entry));
    auto gate = entry.make();
    const auto doc = test::read_file(doc_path(entry));
    REQUIRE_FALSE(doc.empty());
    const auto flags = help_flags(help_text(*gate));
    REQUIRE(flags.size() >= 4);  // --help, --version, --format, --config at least: the help was read
    const auto rows = options_rows(doc);
    const bool own_page = doc_path(entry).rfind(k_root + "/docs/", 0) == 0;
    if (own_page) {
      REQUIRE_FALSE(rows.empty());
    }
    std::set<std::string> documented;
    static const std::regex k_flag(R"((--[a-z][a-z0-9-]*))");
    for (const auto& row : rows) {
      for (const auto& flag : all_matches(row.empty() ? std::string() : row[0], k_flag)) {
        documented.insert(flag);
      }
    }
    for (const auto& flag : flags) {
      INFO("flag " << flag);
      if (rows.empty()) {
        CHECK_THAT(doc, Catch::Contains(flag));
      } else {
        CHECK(documented.count(flag) == 1);
      }
    }
    for (const auto& flag : documented) {
      INFO("documented flag " << flag << " is not in --help");
      CHECK(flags.count(flag) == 1);
    }
  }
}

TEST_CASE("consistency: every config key a gate's doc names is one the gate reads", "[consistency]") {
  const std::string sentinel = "shipgate-docs-sentinel-key";
  for (const auto& entry : test::all_gates()) {
    const auto rows = options_rows(test::read_file(doc_path(entry)));
    static const std::regex k_key(R"(`([a-z][a-z0-9-]*)`)");
    for (const auto& row : rows) {
      for (const auto& key : all_matches(row.size() > 1 ? row[1] : std::string(), k_key)) {
        INFO("gate " << entry.section << ", config key " << key);
        // The sentinel is an unknown key, so the run always stops at the config, before any work.
        test::TempDir dir;
        dir.write(".github/shipgate.yml", std::string(entry.section) + ":\n  " + key + ": ~\n  " + sentinel + ": ~\n");
        const auto r = test::capture([&](const Invocation& inv) { return run_gate(*entry.make(), inv); }, {}, {},
                                     dir.path().string());
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(sentinel));
        CHECK_THAT(r.err, !Catch::Contains("'" + key + "'"));
      }
    }
  }
}

TEST_CASE("consistency: every config key a gate declares is in its doc's options table", "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    const auto rows = options_rows(test::read_file(doc_path(entry)));
    if (rows.empty()) {
      continue;  // a test-only gate's own document
    }
    std::string keys;
    for (const auto& row : rows) {
      keys += (row.size() > 1 ? row[1] : std::string()) + "\n";
    }
    for (const auto& option : entry.make()->options()) {
      if (option.flag_only || option.type == options::Type::secret) {
        continue;
      }
      INFO("gate " << entry.section << ", config key " << option.name);
      CHECK_THAT(keys, Catch::Contains("`" + option.name + "`"));
    }
  }
}

TEST_CASE("consistency: each gate's doc names every step output it writes, kebab-case", "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    const auto doc = test::read_file(doc_path(entry));
    if (options_rows(doc).empty()) {
      continue;  // a test-only gate's own document
    }
    auto names = core_outputs();
    const auto own = entry.make()->outputs();
    names.insert(names.end(), own.begin(), own.end());
    for (const auto& [name, description] : names) {
      INFO("gate " << entry.section << ", output " << name);
      CHECK_THAT(doc, Catch::Contains("| `" + name + "` |"));
    }
  }
}

TEST_CASE("consistency: each gate's action declares every output the gate writes", "[consistency]") {
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

TEST_CASE(
    "consistency: each rule has a doc, a row on its gate's page and a fixture or test that fires it, in sorted order",
    "[consistency]") {
  for (const auto& entry : test::all_gates()) {
    INFO("gate " << entry.section);
    const auto rules = entry.make()->rules();
    if (rules.empty()) {
      continue;
    }
    const auto fixtures = all_fixture_text(std::string(entry.fixtures));
    const auto doc = test::read_file(doc_path(entry));
    std::string previous;
    for (const auto& rule : rules) {
      INFO("rule " << rule.id);
      CHECK(previous < rule.id);
      previous = rule.id;
      CHECK(fs::exists(k_root + "/rules/" + rule.id + ".md"));
      CHECK_THAT(doc, Catch::Contains("`" + rule.id + "`"));
      // Fired by a fixture: a comment on the line it points at, or a check at a path named in a
      // fixture.yml; or, for what no repository can hold (a FIFO, a file only root can read, a
      // nested .git), by a unit test of the gate through its fires() helper.
      const auto unit = test::read_file(k_root + "/tests/test_" + std::string(entry.section) + ".cpp");
      const bool fired = fixtures.find("expect[" + rule.id + "]") != std::string::npos ||
                         fixtures.find("name: " + rule.id + ",") != std::string::npos ||
                         unit.find("fires(\"" + rule.id + "\"") != std::string::npos;
      CHECK(fired);
    }
  }
}

TEST_CASE("consistency: every relative link in the docs leads to a file, and to a heading it names", "[consistency]") {
  static const std::regex k_link(R"(\]\(([^)\s]+)\))");
  int links = 0;
  for (const auto& page : pages()) {
    const auto text = without_code_blocks(test::read_file(page.string()));
    for (const auto& target : all_matches(text, k_link)) {
      if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0 || target.rfind("mailto:", 0) == 0) {
        continue;
      }
      INFO(fs::relative(page, k_root).string() << ": link " << target);
      ++links;
      const auto hash = target.find('#');
      const auto file = target.substr(0, hash);
      const auto linked = file.empty() ? page : (page.parent_path() / file).lexically_normal();
      REQUIRE(fs::exists(linked));
      if (hash != std::string::npos && linked.extension() == ".md") {
        CHECK(anchors_of(test::read_file(linked.string())).count(target.substr(hash + 1)) == 1);
      }
    }
  }
  CHECK(links >= 20);
}

TEST_CASE("consistency: the docs name the version in VERSION, and the JSON schema's version", "[consistency]") {
  auto version = test::read_file(k_root + "/VERSION");
  version.erase(version.find_last_not_of(" \n\r\t") + 1);
  static const std::regex k_named(
      R"((?:shipgate/shipgate/actions/[a-z]+@v|releases/download/v|rev: v)([0-9][0-9A-Za-z.+-]*[0-9A-Za-z]))");
  int named = 0;
  for (const auto& page : pages()) {
    for (const auto& v : all_matches(test::read_file(page.string()), k_named)) {
      INFO(fs::relative(page, k_root).string());
      CHECK(v == version);
      ++named;
    }
  }
  CHECK(named >= 10);
  const auto json = test::read_file(k_root + "/docs/json.md");
  CHECK_THAT(json, Catch::Contains("schema version " + std::to_string(k_json_schema_version)));
  CHECK_THAT(json, Catch::Contains("{\"version\": " + std::to_string(k_json_schema_version) + ","));
}
