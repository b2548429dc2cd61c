#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/net/http.hpp"
#include "core/result.hpp"

namespace shipgate::heroku {

/// The shapes shipgate reads from Heroku's Platform API (PLATFORM-FACTS.md). A field no verdict
/// reads may be missing; one a verdict reads (a release's version and status, a slug's size) must
/// hold a value the API documents, or the answer is an error: nothing passes on a value read as
/// a default.
struct App {
  std::string name;
  std::string generation;  // "cedar" or "fir"; "" when the API does not say
  std::optional<std::uint64_t> slug_size;
};

struct Release {
  long version = 0;
  std::string status;  // succeeded, pending, failed or expired; anything else is a parse error
  std::string description;
  std::string created_at;
  std::optional<std::string> slug_id;
  std::vector<std::string> artifact_types;  // "slug", "oci-image"
  bool current = false;                     // the release the app runs now

  /// Whether the release runs code: a slug, or an artifact (an OCI image on Fir).
  bool has_code() const { return slug_id.has_value() || !artifact_types.empty(); }
};

struct Slug {
  std::uint64_t size = 0;  // bytes; a slug without a whole, non-negative size is a parse error
  std::string commit;
};

struct Formation {
  std::string type;
  long quantity = 0;
  std::string size;
};

struct Dyno {
  std::string name;
  std::string type;
  std::string state;  // up, starting, crashed, down, idle
};

/// Heroku's error body, `{"id": "not_found", "message": "Couldn't find that app."}`.
struct ApiError {
  std::string id;
  std::string message;
};

Result<App> parse_app(const std::string& body);
Result<std::vector<Release>> parse_releases(const std::string& body);
Result<Slug> parse_slug(const std::string& body);
Result<std::vector<Formation>> parse_formation(const std::string& body);
Result<std::vector<Dyno>> parse_dynos(const std::string& body);
std::optional<ApiError> parse_error(const std::string& body);
/// Heroku's error body as one text, "id: message" (or the message alone), for net::ApiErrors.
std::optional<std::string> error_text(const std::string& body);
/// What to check after a failed answer: the token on a 401, the account's access on a 403.
std::string failure_hint(const net::Response& response);

/// Whether `name` can be a Heroku app name (lower-case letters, digits and dashes, starting with
/// a letter, at most 100 characters), so it is safe in a URL path.
bool valid_app_name(const std::string& name);

/// Seconds since an ISO 8601 UTC time (`2026-11-24T10:00:00Z`) at `now_epoch`; nullopt if unreadable.
std::optional<long long> age_seconds(const std::string& iso_time, long long now_epoch);

}  // namespace shipgate::heroku
