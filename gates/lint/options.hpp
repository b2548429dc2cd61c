#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/check.hpp"
#include "core/config.hpp"
#include "lint/data.hpp"
#include "lint/suppress.hpp"

namespace shipgate::lint {

/// The flags shipgate-lint adds to core's (--format, --config, --list-rules).
struct Flags {
  std::vector<std::string> paths;
  std::string environments;
  std::string fail_level;
};

/// Everything a lint run is configured with, after flags and the `lint:` section of
/// .github/shipgate.yml are merged (flags win).
struct Options {
  /// The directory relative paths are taken from (the gate's working directory).
  std::string base_dir;
  /// The repository root that results name files relative to (paths::repository_root).
  std::string root;
  std::vector<std::string> paths;
  std::optional<std::string> environments;
  Severity fail_level = Severity::error;
  std::vector<IgnoreEntry> ignore;
  std::map<std::string, std::optional<Severity>> severity;  // rule id -> new severity (nullopt: off)
  std::vector<DeployAction> extra_actions;
};

/// Adds PATH..., --environments and --fail-level.
void add_flags(CLI::App& app, Flags& flags);

/// Merges the flags and the `lint:` section into Options; config errors go to `section`.
/// Relative paths are taken from `base_dir`.
Options configure(const Flags& flags, config::Section& section, const std::string& base_dir);

}  // namespace shipgate::lint
