#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/net/http.hpp"

namespace shipgate::github {

/// Where the REST API is when GITHUB_API_URL does not say (GitHub Enterprise sets its own).
inline constexpr const char* k_default_base = "https://api.github.com";

/// A GET of `url` with the headers the REST API asks for: `Accept: application/vnd.github+json`,
/// `X-GitHub-Api-Version: 2022-11-28` and the token as `Authorization: Bearer`, marked secret.
net::Request request(const std::string& url, const std::string& token, std::chrono::milliseconds timeout);

/// GitHub's error body, `{"message": "...", "documentation_url": "..."}`: its message.
std::optional<std::string> error_message(const std::string& body);
/// The `rel="next"` URL of a `Link` header, if any.
std::optional<std::string> next_link(const std::string& link);
/// What to check after a failed GitHub API answer: the token on a 401; on a 403 or 429 the rate
/// limit, or else the token's access; "" for other answers.
std::string failure_hint(const net::Response& response);

/// GitHub's words for a failed request, for net::describe_failure.
inline constexpr net::ApiErrors k_api_errors{&error_message, &failure_hint};

}  // namespace shipgate::github
