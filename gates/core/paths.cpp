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

}  // namespace shipgate::paths
