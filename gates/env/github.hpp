#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/net/http.hpp"
#include "core/result.hpp"

namespace shipgate::env {

/// One GitHub Environment as the REST API describes it (PLATFORM-FACTS.md), reduced to what the
/// policy checks read.
struct Environment {
  std::string name;
  bool has_reviewers_rule = false;
  std::size_t reviewers = 0;
  bool prevent_self_review = false;
  std::optional<long> wait_timer_minutes;
  bool branch_policy = false;  // deployment_branch_policy is set (protected or named branches only)
  nlohmann::json raw;          // the record as GitHub gave it, for --list
};

Result<Environment> parse_environment(const std::string& body);
/// One page of `GET /repos/{owner}/{repo}/environments`: `{"total_count", "environments": [...]}`.
Result<std::vector<Environment>> parse_environment_page(const std::string& body);
/// GitHub's error body, `{"message": "...", "documentation_url": "..."}`: its message.
std::optional<std::string> error_message(const std::string& body);
/// The `rel="next"` URL of a `Link` header, if any.
std::optional<std::string> next_link(const std::string& link);
/// What to check after a failed GitHub API answer: the token on a 401; on a 403 or 429 the rate
/// limit, or else the token's access; "" for other answers.
std::string failure_hint(const net::Response& response);

}  // namespace shipgate::env
