#include "github/api.hpp"

#include "core/json.hpp"
#include "core/text.hpp"

namespace shipgate::github {

net::Request request(const std::string& url, const std::string& token, std::chrono::milliseconds timeout) {
  net::Request r;
  r.url = url;
  r.timeout = timeout;
  r.headers = {{"Accept", "application/vnd.github+json", false},
               {"X-GitHub-Api-Version", "2022-11-28", false},
               {"Authorization", "Bearer " + token, true}};
  return r;
}

std::optional<std::string> error_message(const std::string& body) {
  const auto doc = json::parse(body);
  if (!doc || !doc->is_object() || !(*doc).contains("message") || !(*doc)["message"].is_string()) {
    return std::nullopt;
  }
  return (*doc)["message"].get<std::string>();
}

std::optional<std::string> next_link(const std::string& link) {
  for (const auto part : text::split(link, ',')) {
    const auto open = part.find('<');
    const auto close = part.find('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open &&
        part.find("rel=\"next\"") != std::string_view::npos) {
      return std::string(part.substr(open + 1, close - open - 1));
    }
  }
  return std::nullopt;
}

std::string failure_hint(const net::Response& r) {
  if (!r.answered()) {
    return {};
  }
  if (r.status == 401) {
    return "GITHUB_TOKEN or GH_TOKEN is missing, expired or revoked";
  }
  if (r.status != 403 && r.status != 429) {
    return {};
  }
  const auto remaining = r.headers.find("x-ratelimit-remaining");
  const bool limited = (remaining != r.headers.end() && remaining->second == "0") ||
                       r.headers.count("retry-after") != 0 || r.status == 429;
  return limited ? "rate limit reached; see x-ratelimit-reset"
                 : "the token needs read access to the repository's Actions: `actions: read`, or the repo scope for a "
                   "classic token";
}

}  // namespace shipgate::github
