#include "heroku/api.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/json.hpp"
#include "core/text.hpp"

namespace shipgate::heroku {

namespace {

using Json = nlohmann::json;

Result<Json> document(const std::string& body, bool array) {
  auto doc = shipgate::json::parse(body);
  if (!doc) {
    return Error{"the API's answer is not JSON: " + text::shorten(text::one_line(body), 80), {}, {}};
  }
  if (array ? !doc->is_array() : !doc->is_object()) {
    return Error{std::string("the API's answer is not a JSON ") + (array ? "list" : "object"), {}, {}};
  }
  return std::move(*doc);
}

std::string string_at(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A field's value as it may be shown in an error: its JSON, cut short, or "missing".
std::string shown(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end()
             ? std::string("missing")
             : text::shorten(text::one_line(it->dump(-1, ' ', false, Json::error_handler_t::replace)), 40);
}

}  // namespace

Result<App> parse_app(const std::string& body) {
  auto doc = document(body, false);
  if (!doc) {
    return doc.error();
  }
  App app;
  app.name = string_at(*doc, "name");
  if (const auto it = doc->find("generation"); it != doc->end() && it->is_object()) {
    app.generation = string_at(*it, "name");
  }
  if (const auto it = doc->find("slug_size"); it != doc->end() && it->is_number_unsigned()) {
    app.slug_size = it->get<std::uint64_t>();
  }
  return app;
}

Result<std::vector<Release>> parse_releases(const std::string& body) {
  auto doc = document(body, true);
  if (!doc) {
    return doc.error();
  }
  std::vector<Release> out;
  for (const auto& item : *doc) {
    if (!item.is_object() || !item.contains("version") || !item["version"].is_number_integer()) {
      return Error{"a release in the API's answer has no version", {}, {}};
    }
    Release r;
    r.version = item["version"].get<long>();
    r.status = string_at(item, "status");
    if (r.status != "succeeded" && r.status != "pending" && r.status != "failed" && r.status != "expired") {
      return Error{"release v" + std::to_string(r.version) + " has status " + shown(item, "status") +
                       ", not one the API documents (succeeded, pending, failed, expired)",
                   {},
                   {}};
    }
    r.description = string_at(item, "description");
    if (const auto it = item.find("current"); it != item.end() && it->is_boolean()) {
      r.current = it->get<bool>();
    }
    r.created_at = string_at(item, "created_at");
    if (const auto it = item.find("slug"); it != item.end() && !it->is_null()) {
      auto id = it->is_object() ? string_at(*it, "id") : std::string();
      if (id.empty()) {
        return Error{
            "release v" + std::to_string(r.version) + " has a slug without an id: " + shown(item, "slug"), {}, {}};
      }
      r.slug_id = std::move(id);
    }
    if (const auto it = item.find("artifacts"); it != item.end() && it->is_array()) {
      for (const auto& artifact : *it) {
        if (artifact.is_object()) {
          r.artifact_types.push_back(string_at(artifact, "type"));
        }
      }
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const Release& a, const Release& b) { return a.version > b.version; });
  return out;
}

Result<Slug> parse_slug(const std::string& body) {
  auto doc = document(body, false);
  if (!doc) {
    return doc.error();
  }
  Slug slug;
  const auto size = doc->find("size");
  if (size == doc->end() || !size->is_number_unsigned()) {
    return Error{"the slug's size is " + shown(*doc, "size") + ", not a whole number of bytes", {}, {}};
  }
  slug.size = size->get<std::uint64_t>();
  slug.commit = string_at(*doc, "commit");
  return slug;
}

Result<std::vector<Formation>> parse_formation(const std::string& body) {
  auto doc = document(body, true);
  if (!doc) {
    return doc.error();
  }
  std::vector<Formation> out;
  for (const auto& item : *doc) {
    if (item.is_object()) {
      const auto q = item.find("quantity");
      out.push_back({string_at(item, "type"), q != item.end() && q->is_number_integer() ? q->get<long>() : 0,
                     string_at(item, "size")});
    }
  }
  return out;
}

Result<std::vector<Dyno>> parse_dynos(const std::string& body) {
  auto doc = document(body, true);
  if (!doc) {
    return doc.error();
  }
  std::vector<Dyno> out;
  for (const auto& item : *doc) {
    if (item.is_object()) {
      out.push_back({string_at(item, "name"), string_at(item, "type"), string_at(item, "state")});
    }
  }
  return out;
}

std::optional<ApiError> parse_error(const std::string& body) {
  const auto doc = shipgate::json::parse(body);
  if (!doc || !doc->is_object() || !doc->contains("message")) {
    return std::nullopt;
  }
  return ApiError{string_at(*doc, "id"), string_at(*doc, "message")};
}

std::optional<std::string> error_text(const std::string& body) {
  auto e = parse_error(body);
  if (!e || (e->id.empty() && e->message.empty())) {
    return std::nullopt;
  }
  return e->id.empty() || e->message.empty() ? e->id + e->message : e->id + ": " + e->message;
}

std::string failure_hint(const net::Response& r) {
  if (r.answered() && r.status == 401) {
    return "HEROKU_API_KEY is missing, expired or revoked";
  }
  if (r.answered() && r.status == 403) {
    return "the token's account has no access to this app, or lacks the read scope";
  }
  return {};
}

bool valid_app_name(const std::string& name) {
  return !name.empty() && name.size() <= 100 && std::islower(static_cast<unsigned char>(name.front())) != 0 &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::optional<long long> age_seconds(const std::string& iso_time, long long now_epoch) {
  std::tm tm{};
  if (iso_time.size() < 19 || ::strptime(iso_time.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return std::nullopt;
  }
  return now_epoch - static_cast<long long>(::timegm(&tm));
}

}  // namespace shipgate::heroku
