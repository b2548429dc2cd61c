#include "core/paths.hpp"

#include <filesystem>

namespace shipgate::paths {

namespace fs = std::filesystem;

std::string join(const std::string& dir, const std::string& path) {
  if (dir.empty() || path.empty() || path.front() == '/') {
    return path;
  }
  return (fs::path(dir) / path).string();
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  const auto canonical = fs::weakly_canonical(path, ec);
  return ec ? path : canonical.string();
}

std::string root_of_config(const std::string& config_path) {
  fs::path base = fs::path(config_path).parent_path();
  if (base.filename() == ".github") {
    base = base.parent_path();
  }
  return base.string();
}

std::string from_config(const std::string& config_path, const std::string& value) {
  if (fs::path(value).is_absolute()) {
    return value;
  }
  return (fs::path(root_of_config(config_path)) / value).lexically_normal().string();
}

std::string repository_root(const std::string& cwd, const std::string& workspace) {
  std::error_code ec;
  if (!workspace.empty()) {
    return fs::absolute(workspace, ec).lexically_normal().string();
  }
  const fs::path start = fs::absolute(cwd.empty() ? fs::path(".") : fs::path(cwd), ec).lexically_normal();
  fs::path dir = start;
  for (int depth = 0; depth < 64; ++depth) {
    if (fs::exists(dir / ".github", ec) || fs::exists(dir / ".git", ec)) {
      return dir.string();
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) {
      break;
    }
    dir = dir.parent_path();
  }
  return start.string();
}

std::string shown_path(const std::string& path, const std::string& cwd, const std::string& root) {
  std::error_code ec;
  const auto real = fs::absolute(join(cwd, path), ec).lexically_normal();
  const auto rel = real.lexically_relative(root);
  if (ec || rel.empty() || *rel.begin() == ".." || rel.is_absolute()) {
    return path;
  }
  return rel.string();
}

}  // namespace shipgate::paths
