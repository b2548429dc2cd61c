#include "workflow/files.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/paths.hpp"

namespace shipgate::workflow {

namespace {

namespace fs = std::filesystem;

bool is_workflow_name(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

/// The files a PATH names: itself, or the *.yml/*.yaml entries of a directory, sorted. Entries
/// that are not regular files are kept, so that reading them reports them instead of skipping.
std::vector<std::string> expand_path(const std::string& path, const std::string& cwd, std::vector<Error>& unreadable) {
  std::error_code ec;
  const fs::path real = paths::join(cwd, path);
  if (!fs::is_directory(real, ec)) {
    return {path};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(real, ec)) {
    if (is_workflow_name(entry.path())) {
      files.push_back((fs::path(path) / entry.path().filename()).string());
    }
  }
  if (ec) {
    unreadable.push_back({"cannot list directory: " + ec.message(), {path, 0, 0}, {}});
  } else if (files.empty()) {
    unreadable.push_back({"no workflow files (*.yml, *.yaml) in this directory", {path, 0, 0}, {}});
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> collect_files(const std::vector<std::string>& paths, const std::string& cwd,
                                       std::vector<Error>& unreadable) {
  std::vector<std::string> files;
  std::set<std::string> seen;  // a file named twice (a dir and a file in it) is linted once
  for (const auto& path : paths) {
    for (auto& file : expand_path(path, cwd, unreadable)) {
      if (seen.insert(paths::canonical(paths::join(cwd, file))).second) {
        files.push_back(std::move(file));
      }
    }
  }
  return files;
}

}  // namespace shipgate::workflow
