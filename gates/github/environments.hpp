#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace shipgate::github {

/// One GitHub Environment and its protection rules, as the REST API describes it
/// (PLATFORM-FACTS.md): what env reads from the API and writes with --list, and what lint reads
/// back from that file with --environments.
struct Environment {
  std::string name;
  std::vector<std::string> protection_rules;  // every rule's type: required_reviewers, wait_timer, ...
  bool has_reviewers_rule = false;
  std::size_t reviewers = 0;
  bool prevent_self_review = false;
  std::optional<long> wait_timer_minutes{};
  bool branch_policy = false;  // deployment_branch_policy is set (protected or named branches only)
  nlohmann::json raw{};        // the record as GitHub gave it (for --list); null for a bare name
};

/// `GET /repos/{owner}/{repo}/environments/{name}`. Fields of odd JSON types read as absent.
Result<Environment> parse_environment(const std::string& body);
/// One page of `GET /repos/{owner}/{repo}/environments`: `{"total_count", "environments": [...]}`.
Result<std::vector<Environment>> parse_environment_page(const std::string& body);

/// The environments a repository has, as a records file lists them (--environments).
struct Environments {
  std::string source;  // the file they came from
  std::vector<Environment> list;

  /// The environment GitHub would use for `name` (names compare case-insensitively), or nullptr.
  const Environment* find(const std::string& name) const;
  std::vector<std::string> names() const;
};

/// Reads GitHub's `GET /repos/{owner}/{repo}/environments` JSON (`{"total_count": N,
/// "environments": [{"name": ..., "protection_rules": [...]}]}`, one page or `gh api --paginate`'s
/// pages), or a YAML/JSON list of names. `path` is taken relative to `cwd` when it is relative
/// (and `cwd` is not empty).
Result<Environments> load_environments(const std::string& path, const std::string& cwd = {});

/// The same from text already read (tests, and the loader itself).
Result<Environments> parse_environments(const std::string& contents, const std::string& path);

}  // namespace shipgate::github
