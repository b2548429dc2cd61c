#include "core/paths.hpp"

#include <filesystem>
#include <functional>
#include <optional>

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

namespace {

/// The nearest directory from `start` upwards (at most 64 levels) for which `holds` is true.
std::optional<fs::path> nearest(const fs::path& start, const std::function<bool(const fs::path&)>& holds) {
  fs::path dir = start;
  for (int depth = 0; depth < 64; ++depth) {
    if (holds(dir)) {
      return dir;
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) {
      break;
    }
    dir = dir.parent_path();
  }
  return std::nullopt;
}

}  // namespace

std::string repository_root(const std::string& cwd, const std::string& workspace) {
  std::error_code ec;
  const fs::path start = fs::absolute(cwd.empty() ? fs::path(".") : fs::path(cwd), ec).lexically_normal();
  if (!workspace.empty()) {
    auto checkout = fs::absolute(workspace, ec).lexically_normal();
    if (checkout.filename().empty()) {  // written with a trailing slash
      checkout = checkout.parent_path();
    }
    const auto inside = start.lexically_relative(checkout);
    if (!inside.empty() && *inside.begin() != ".." && !inside.is_absolute()) {
      return checkout.string();
    }
  }
  // A .github without workflows (dependabot.yml, issue templates) does not make a root.
  for (const auto* marker : {".github/workflows", ".git", ".github"}) {
    if (const auto dir = nearest(start, [&](const fs::path& d) { return fs::exists(d / marker, ec); })) {
      return dir->string();
    }
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
