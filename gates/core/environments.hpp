#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace shipgate {

/// One GitHub Environment as the repository has it.
struct EnvironmentRecord {
  std::string name;
  std::vector<std::string> protection_rules;  // rule types: required_reviewers, wait_timer, ...
};

/// The environments a repository has, from --environments.
struct EnvironmentRecords {
  std::string source;  // the file they came from
  std::vector<EnvironmentRecord> records;

  /// The record GitHub would use for `name` (names compare case-insensitively), or nullptr.
  const EnvironmentRecord* find(const std::string& name) const;
  std::vector<std::string> names() const;
};

/// Reads GitHub's `GET /repos/{owner}/{repo}/environments` JSON (`{"total_count": N,
/// "environments": [{"name": ..., "protection_rules": [...]}]}`), or a YAML/JSON list of names.
/// `path` is taken relative to `cwd` when it is relative (and `cwd` is not empty).
Result<EnvironmentRecords> load_environments(const std::string& path, const std::string& cwd = {});

/// The same from text already read (tests, and the loader itself).
Result<EnvironmentRecords> parse_environments(const std::string& contents, const std::string& path);

}  // namespace shipgate
