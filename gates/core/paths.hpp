#pragma once

#include <optional>
#include <string>

namespace shipgate::paths {

/// `path` taken from `dir`: unchanged when it is absolute or `dir` is empty.
std::string join(const std::string& dir, const std::string& path);

/// The absolute, normalised form of `path` (symlinks resolved where the path exists), so that
/// `./x.yml`, `x.yml` and `dir/../x.yml` compare equal.
std::string canonical(const std::string& path);

/// The repository root a config file belongs to: the directory holding its `.github/`, or the
/// file's own directory when the file is not inside a `.github/` directory.
std::string root_of_config(const std::string& config_path);

/// A path written in a config file, as a path usable from where the gate runs: relative values
/// are taken from the repository root (root_of_config), absolute ones are kept.
std::string from_config(const std::string& config_path, const std::string& value);

/// The repository root results are reported against, whose .github/workflows lint reads by
/// default: `workspace` ($GITHUB_WORKSPACE) when `cwd` is at or below it; else the nearest
/// directory from `cwd` upwards that holds `.github/workflows` (a subproject with workflows of
/// its own is its own root), else the nearest holding `.git`, else `.github`; else `cwd`.
/// Always absolute.
std::string repository_root(const std::string& cwd, const std::string& workspace);

/// `path` (taken from `cwd`) as it is shown in results: relative to `root` when it lies below it,
/// else as given.
std::string shown_path(const std::string& path, const std::string& cwd, const std::string& root);

}  // namespace shipgate::paths
