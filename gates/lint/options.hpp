#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/invocation.hpp"
#include "core/report.hpp"
#include "lint/data.hpp"
#include "lint/suppress.hpp"

namespace shipgate::lint {

inline constexpr const char* k_tool = "shipgate-lint";

/// Everything a lint run is configured with, after flags and .github/shipgate.yml are merged
/// (flags win).
struct Options {
  std::vector<std::string> paths;
  Format format = Format::text;
  std::optional<std::string> environments;
  Severity fail_level = Severity::error;
  bool list_rules = false;
  std::vector<IgnoreEntry> ignore;
  std::map<std::string, std::optional<Severity>> severity;  // rule id -> new severity (nullopt: off)
  std::vector<DeployAction> extra_actions;
};

/// Parses flags and the config file into Options; on --help/--version or any error returns the
/// exit code to stop with, having printed what is needed (all config errors at once).
std::variant<Options, ExitCode> parse_options(const Invocation& inv);

/// The text of `shipgate-lint --help` (kept in README.md by a test).
std::string help_text();

}  // namespace shipgate::lint
