#include "env/github.hpp"

#include "core/json.hpp"
#include "core/text.hpp"

namespace shipgate::env {

namespace {

using Json = nlohmann::json;

Environment read(const Json& item) {
  Environment e;
  e.raw = item;
  if (const auto it = item.find("name"); it != item.end() && it->is_string()) {
    e.name = it->get<std::string>();
  }
  if (const auto rules = item.find("protection_rules"); rules != item.end() && rules->is_array()) {
    for (const auto& rule : *rules) {
      if (!rule.is_object()) {
        continue;
      }
      const auto type_it = rule.find("type");
      const auto type = type_it != rule.end() && type_it->is_string() ? type_it->get<std::string>() : std::string();
      if (type == "required_reviewers") {
        e.has_reviewers_rule = true;
        if (const auto r = rule.find("reviewers"); r != rule.end() && r->is_array()) {
          e.reviewers = r->size();
        }
        const auto self = rule.find("prevent_self_review");
        e.prevent_self_review = self != rule.end() && self->is_boolean() && self->get<bool>();
      } else if (type == "wait_timer") {
        if (const auto w = rule.find("wait_timer"); w != rule.end() && w->is_number_integer()) {
          e.wait_timer_minutes = w->get<long>();
        }
      }
    }
  }
  if (const auto policy = item.find("deployment_branch_policy"); policy != item.end() && policy->is_object()) {
    e.branch_policy = true;
  }
  return e;
}

}  // namespace

Result<Environment> parse_environment(const std::string& body) {
  const auto doc = json::parse(body);
  if (!doc || !doc->is_object()) {
    return Error{"the API's answer is not a JSON object: " + text::shorten(text::one_line(body), 80), {}, {}};
  }
  return read(*doc);
}

Result<std::vector<Environment>> parse_environment_page(const std::string& body) {
  const auto doc = json::parse(body);
  if (!doc || !doc->is_object() || !doc->contains("environments") || !(*doc)["environments"].is_array()) {
    return Error{"the API's answer has no environments list: " + text::shorten(text::one_line(body), 80), {}, {}};
  }
  std::vector<Environment> out;
  for (const auto& item : (*doc)["environments"]) {
    if (item.is_object()) {
      out.push_back(read(item));
    }
  }
  return out;
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

}  // namespace shipgate::env
