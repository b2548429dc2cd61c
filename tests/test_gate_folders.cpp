// A gate is its folder: every list of gates (the build, the config sections, the release script,
// the actions' install script) follows from the folders of gates/ that hold a main.cpp, each
// folder carries what a gate needs, and nothing shared names a particular gate. Shown on the toy,
// laid out under tests/toy/ as the shipped gates are under the root.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "gates_table.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace shipgate;

namespace {

const fs::path k_source = SHIPGATE_SOURCE_DIR;
const fs::path k_bin = SHIPGATE_BINARY_DIR;
const fs::path k_toy = k_source / "tests" / "toy";

/// The gate folders under `root`/gates: those with a main.cpp, in name order.
std::vector<std::string> gate_folders(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root / "gates")) {
    if (entry.is_directory() && fs::exists(entry.path() / "main.cpp")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("gate folders: each folder with a main.cpp is a registered gate with its own files", "[layout]") {
  const auto shipped = gate_folders(k_source);
  REQUIRE(shipped.size() >= 4);
  const auto readme = test::read_file((k_source / "README.md").string());
  for (const auto& [root, names] : {std::pair{k_source, shipped}, std::pair{k_toy, gate_folders(k_toy)}}) {
    for (const auto& name : names) {
      INFO("gate folder " << (root / "gates" / name).string());
      const auto* entry = test::find_gate(name);
      REQUIRE(entry != nullptr);
      CHECK(fs::path(std::string(entry->action)) == root / "actions" / name / "action.yml");
      CHECK(fs::path(std::string(entry->doc)) == root / "docs" / (name + ".md"));
      CHECK(fs::path(std::string(entry->fixtures)) == root / "fixtures" / name);
      for (const auto& file : {root / "gates" / name / "CMakeLists.txt", root / "gates" / name / (name + ".hpp"),
                               root / "gates" / name / "release-check", root / "actions" / name / "action.yml",
                               root / "docs" / (name + ".md")}) {
        INFO("file " << file.string());
        CHECK(fs::is_regular_file(file));
      }
      if (root == k_source) {  // the two shared lines: the README's uses: line and row
        CHECK_THAT(readme, Catch::Contains("/actions/" + name + "@") && Catch::Contains("(docs/" + name + ".md)"));
      }
    }
  }
  // Registered gates are exactly the folders: the shipped ones and the toy.
  std::set<std::string> registered;
  for (const auto& entry : test::all_gates()) {
    registered.insert(std::string(entry.section));
  }
  std::set<std::string> folders(shipped.begin(), shipped.end());
  folders.insert("toy");
  CHECK(registered == folders);
}

TEST_CASE("gate folders: the config sections and the scripts' gate list follow from the folders", "[layout]") {
  const auto shipped = gate_folders(k_source);
  auto sections = config::gate_sections();
  std::sort(sections.begin(), sections.end());
  CHECK(sections == shipped);  // the toy is not shipped, so its section is its own only

  test::TempDir dir;
  const auto r = test::run_shell("bash -c 'source \"$1\" && shipgate_gates \"$2\"' _ " +
                                     test::shell_quote((k_source / "scripts/lib/gates").string()) + " " +
                                     test::shell_quote(k_source.string()),
                                 dir);
  REQUIRE(r.code == 0);
  CHECK(lines_of(r.out) == shipped);
}

TEST_CASE("gate folders: nothing shared names the test-only gate", "[layout]") {
  // The places a gate would need a line in if gates were listed by hand.
  for (const auto* place : {"gates", "scripts", "actions", "cmake", ".github", ".ci", "bench"}) {
    for (auto it = fs::recursive_directory_iterator(k_source / place); it != fs::recursive_directory_iterator(); ++it) {
      const auto& entry = *it;
      // What the benchmarks generate and install (git-ignored: bench/out, bench/node_modules) is
      // no place a gate is listed, and can be a million files.
      if (entry.is_directory() && entry.path().parent_path() == k_source / "bench" &&
          (entry.path().filename() == "out" || entry.path().filename() == "node_modules")) {
        it.disable_recursion_pending();
        continue;
      }
      if (!entry.is_regular_file() || entry.path().string().find("/fuzz/corpus/") != std::string::npos) {
        continue;
      }
      INFO("file " << entry.path().string());
      CHECK_THAT(test::read_file(entry.path().string()), !Catch::Contains("toy"));
    }
  }
  // In tests/, only the line that says where the test-only gates live.
  const auto cmake = test::read_file((k_source / "tests" / "CMakeLists.txt").string());
  std::size_t named = 0;
  for (const auto& line : lines_of(cmake)) {
    const auto code = line.substr(line.find_first_not_of(' '));
    if (code.rfind('#', 0) != 0 && code.find("toy") != std::string::npos) {
      ++named;
      CHECK(line == "shipgate_add_gates(\"${CMAKE_CURRENT_SOURCE_DIR}/toy\")");
    }
  }
  CHECK(named == 1);
}

namespace {

/// Sources scripts/lib/release-checks and runs release_check over `gates_root` for `bin`, as
/// scripts/release does; prints the counters last.
test::Captured release_check(const fs::path& gates_root, const fs::path& bin, const test::TempDir& dir) {
  fs::create_directories(dir.path() / "work" / "home");
  return test::run_shell("cd " + test::shell_quote(dir.path().string()) +
                             " && bash -c 'source \"$1\"; root=$2 work=$3 port=1 commit=0; release_check \"$2\" x86_64 "
                             "\"$4\"; echo \"checks=$checks failed=$failed\"' _ " +
                             test::shell_quote((k_source / "scripts/lib/release-checks").string()) + " " +
                             test::shell_quote(gates_root.string()) + " " +
                             test::shell_quote((dir.path() / "work").string()) + " " + test::shell_quote(bin.string()),
                         dir);
}

}  // namespace

TEST_CASE("gate folders: a gate's release-check is sourced as scripts/release sources it", "[layout]") {
  test::TempDir dir;
  SECTION("the toy's check runs its binary and passes") {
    const auto r = release_check(k_toy, k_bin / "shipgate-toy", dir);
    INFO(r.out << r.err);
    CHECK_THAT(r.out, Catch::Contains("release: x86_64 shipgate-toy on a small file: ok (exit 0"));
    CHECK_THAT(r.out, Catch::Contains("checks=1 failed=0"));
  }
  SECTION("a wrong verdict fails it") {
    // The toy's check wants exit 0; a binary that always fails gives 1.
    const auto fake = dir.write("bin/shipgate-toy", "#!/bin/sh\necho '1 check: 0 passed'\nexit 1\n");
    fs::permissions(fake, fs::perms::owner_all);
    const auto r = release_check(k_toy, fake, dir);
    CHECK_THAT(r.out, Catch::Contains("FAILED (exit 1, expected exit 0"));
    CHECK_THAT(r.out, Catch::Contains("checks=1 failed=1"));
  }
  SECTION("a gate without a release-check, or one that checks nothing, fails the release") {
    fs::create_directories(dir.path() / "root" / "gates" / "quiet");
    dir.write("root/gates/quiet/release-check", "# checks nothing\ntrue\n");
    auto r = release_check(dir.path() / "root", "/bin/true", dir);
    CHECK_THAT(r.out, Catch::Contains("FAILED (no gates/true/release-check"));
    CHECK_THAT(r.out, Catch::Contains("failed=1"));
    r = release_check(dir.path() / "root", dir.path() / "shipgate-quiet", dir);
    CHECK_THAT(r.out, Catch::Contains("FAILED (gates/quiet/release-check made no check)"));
    CHECK_THAT(r.out, Catch::Contains("checks=0 failed=1"));
  }
}

TEST_CASE("gate folders: the actions' install script takes only a gate folder of its own source", "[layout]") {
  test::TempDir dir;
  for (const std::string gate : {"toy", "core", "../gates/lint", "lint;true", "", "Lint"}) {
    INFO("SHIPGATE_GATE=" << gate);
    const auto r = test::run_shell("cd " + test::shell_quote(dir.path().string()) +
                                       " && env -i PATH=/usr/bin:/bin SHIPGATE_GATE=" + test::shell_quote(gate) +
                                       " bash " + test::shell_quote((k_source / "actions/lib/install.sh").string()),
                                   dir);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("unknown gate"));
  }
}

TEST_CASE("gate folders: DIGESTS names VERSION and every shipped gate's release binary for both architectures",
          "[layout]") {
  // The actions run only a binary whose SHA-256 this file names (docs/actions.md); one missing
  // or for another version would stop every download of the action's own version.
  const auto digests = lines_of(test::read_file((k_source / "DIGESTS").string()));
  auto version = test::read_file((k_source / "VERSION").string());
  version.erase(version.find_last_not_of(" \n") + 1);
  std::set<std::string> named;
  bool versioned = false;
  for (const auto& line : digests) {
    if (line.rfind('#', 0) == 0) {
      continue;
    }
    if (line.rfind("version ", 0) == 0) {
      CHECK(line == "version " + version);
      versioned = true;
      continue;
    }
    INFO("line " << line);
    REQUIRE(line.size() > 66);
    CHECK(line.find_first_not_of("0123456789abcdef") == 64);
    CHECK(line.substr(64, 2) == "  ");
    named.insert(line.substr(66));
  }
  CHECK(versioned);
  std::set<std::string> expected;
  for (const auto& gate : gate_folders(k_source)) {
    for (const auto* arch : {"x86_64", "arm64"}) {
      expected.insert("shipgate-" + gate + "-linux-" + arch);
    }
  }
  CHECK(named == expected);
}
