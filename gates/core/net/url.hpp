#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace shipgate::net {

/// `name` percent-encoded as one URL path segment: every byte but letters, digits and `-._~`
/// as %XX, and a segment that is exactly `.` or `..` as %2E or %2E%2E, so no name (an
/// environment, an app, a slug id) can climb out of the path it is put in; libcurl and servers
/// remove dot segments before a request is sent or routed.
std::string path_segment(std::string_view name);

/// An API base URL (GITHUB_API_URL, HEROKU_API_URL), checked once before any token is sent to it: https://, or plain
/// http:// only to a loopback host (127.0.0.0/8, ::1, localhost, where the tests' servers run); no credentials, query
/// or fragment. Returns it without trailing slashes, or an Error saying why, which never shows a password.
Result<std::string> api_base(const std::string& url);

}  // namespace shipgate::net
