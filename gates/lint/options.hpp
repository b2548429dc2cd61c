#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "core/config.hpp"
#include "core/options.hpp"
#include "heroku/names.hpp"
#include "lint/data.hpp"
#include "lint/suppress.hpp"

namespace shipgate::lint {

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
  std::optional<heroku::AppPattern> app_pattern;  // app-name-convention; off when not set
  bool pin_sha = false;                           // unpinned-deploy-action: only a commit SHA is pinned
  bool deploy_map = false;                        // print the deploy map instead of findings
  bool fix = false;                               // apply safe fixes, then lint again
  bool diff = false;                              // print safe fixes as a diff
  bool unsafe_fixes = false;                      // --fix=unsafe, --diff=unsafe: also fixes that need a look
  std::vector<Error> errors;                      // option values that could not be used
};

/// shipgate-lint's options: PATH..., --environments and --fail-level (core adds the rest).
const std::vector<options::Option>& declared();

/// Reads the `lint:` keys beyond the declared options (rules, ignore, deploy-actions) into
/// `into`; errors go to `section`. Relative paths are taken from `base_dir`.
void read_config(config::Section& section, Options& into);

/// Takes the checked option values into `into`. With no path given, the repository's
/// .github/workflows is linted (from `into.root`, wherever in the repository the gate runs).
void apply(const options::Values& values, Options& into);

}  // namespace shipgate::lint
