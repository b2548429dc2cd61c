#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/net/http.hpp"
#include "core/result.hpp"
#include "heroku/api.hpp"

namespace shipgate::heroku {

/// Where the Platform API is when HEROKU_API_URL does not say.
inline constexpr std::string_view k_default_base = "https://api.heroku.com";

/// The Platform API base to send the token to: HEROKU_API_URL (`value`; nullopt when unset)
/// checked by net::api_base, else k_default_base; an Error says why the value cannot be used.
Result<std::string> api_base(const std::optional<std::string>& value);

/// `/apps/APP`, and `/apps/APP/REST` for a `rest` like "releases": the app's name as one path
/// segment, whatever it holds.
std::string app_path(const std::string& app, std::string_view rest = {});

/// `/apps/APP/slugs/ID`: the slug id as the API gave it, kept one path segment.
std::string slug_path(const std::string& app, const std::string& slug_id);

/// A GET of `base` + `path` with the headers every Platform API request needs: `Accept:
/// application/vnd.heroku+json; version=3` (Heroku answers 406 without it) and the token as
/// `Authorization: Bearer`, marked secret so it is never shown and never follows a redirect away.
net::Request request(const std::string& base, const std::string& path, const std::string& token,
                     std::chrono::milliseconds timeout);

/// Heroku's words for a failed request, for net::describe_failure: its error id and message, and
/// what to check about the token.
inline constexpr net::ApiErrors k_api_errors{&error_text, &failure_hint};

}  // namespace shipgate::heroku
