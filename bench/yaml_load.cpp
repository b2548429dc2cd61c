// Baseline for bench/run.sh: the cost of parsing the same files with yaml-cpp alone, in one process.
// Loads every file given, or every *.yml / *.yaml directly inside a directory given, with
// YAML::LoadFile, and prints how many it loaded and the root entries it saw.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace {

/// The files to load: `path` itself, or the workflow files directly inside it (as shipgate-lint).
std::vector<std::string> expand(const std::string& path) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(path)) {
    return {path};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml")) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yaml_load_baseline FILE|DIR...\n");
    return 2;
  }
  std::size_t loaded = 0;
  std::size_t root_entries = 0;
  try {
    for (int i = 1; i < argc; ++i) {
      for (const auto& file : expand(argv[i])) {
        const YAML::Node root = YAML::LoadFile(file);
        root_entries += root.size();
        ++loaded;
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "yaml_load_baseline: %s\n", e.what());
    return 1;
  }
  std::printf("loaded %zu files, %zu root entries\n", loaded, root_entries);
  return 0;
}
