// The layout DESIGN.md draws: core, then the shared domain libraries beside it (a folder under
// gates/ with no main.cpp), then the gates (a folder with one). A gate uses core, the domain
// libraries and itself, never another gate; a domain library uses core and other domain
// libraries, never a gate; core uses only itself. Checked on the includes and the CMake files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "helpers.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path k_gates = fs::path(SHIPGATE_SOURCE_DIR) / "gates";

struct Layout {
  std::set<std::string> gates;   // folders with a main.cpp
  std::set<std::string> shared;  // core and the domain libraries
};

Layout layout() {
  Layout out;
  for (const auto& entry : fs::directory_iterator(k_gates)) {
    if (entry.is_directory()) {
      const auto name = entry.path().filename().string();
      (fs::exists(entry.path() / "main.cpp") ? out.gates : out.shared).insert(name);
    }
  }
  return out;
}

/// Whether code in gates/`folder` may include from gates/`included`: core only itself; a domain
/// library or a gate itself and the shared libraries.
bool may_include(const Layout& l, const std::string& folder, const std::string& included) {
  if (folder == "core") {
    return included == "core";
  }
  return included == folder || l.shared.count(included) != 0;
}

}  // namespace

TEST_CASE("no gate uses another gate; shared libraries use no gate", "[consistency][layout]") {
  const auto l = layout();
  REQUIRE(l.shared.count("core") == 1);
  REQUIRE(l.gates.count("lint") == 1);
  const std::regex include(R"re(^\s*#\s*include\s*"([a-z0-9_]+)/)re");
  std::size_t checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(k_gates)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) {
      continue;
    }
    const auto folder = entry.path().lexically_relative(k_gates).begin()->string();
    std::istringstream lines(shipgate::test::read_file(entry.path().string()));
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      std::smatch m;
      if (!std::regex_search(line, m, include) || !fs::is_directory(k_gates / m[1].str())) {
        continue;
      }
      INFO(entry.path().lexically_relative(k_gates).string() << ":" << number << ": " << line);
      CHECK(may_include(l, folder, m[1].str()));
      ++checked;
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("no gate links another gate's library; shared libraries link no gate", "[consistency][layout]") {
  const std::regex gate_lib(R"(shipgate_([a-z0-9_]+)_lib\b)");
  for (const auto& entry : fs::directory_iterator(k_gates)) {
    const auto cmake = entry.path() / "CMakeLists.txt";
    if (!entry.is_directory() || !fs::exists(cmake)) {
      continue;
    }
    const auto folder = entry.path().filename().string();
    const auto text = shipgate::test::read_file(cmake.string());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), gate_lib); it != std::sregex_iterator(); ++it) {
      INFO("gates/" << folder << "/CMakeLists.txt names " << it->str());
      CHECK((*it)[1].str() == folder);
    }
  }
}
