#include "core/net/url.hpp"

#include <cstdio>
#include <memory>
#include <optional>

#include <curl/curl.h>

#include "core/text.hpp"

namespace shipgate::net {

std::string path_segment(std::string_view name) {
  if (name == "." || name == "..") {
    return name.size() == 1 ? "%2E" : "%2E%2E";
  }
  std::string out;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

/// One part of a parsed URL; nullopt when it is absent.
std::optional<std::string> part(CURLU* url, CURLUPart which) {
  char* value = nullptr;
  if (curl_url_get(url, which, &value, 0) != CURLUE_OK || value == nullptr) {
    return std::nullopt;
  }
  std::string out(value);
  curl_free(value);
  return out;
}

/// `url` as it may be shown: whatever stands between its scheme and its last `@` replaced by ***,
/// so neither a user nor a password is ever echoed, even from text that does not parse.
std::string shown(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = url.rfind('@');
  std::string out(url);
  if (at != std::string_view::npos && at >= start) {
    out = std::string(url.substr(0, start)) + "***" + std::string(url.substr(at));
  }
  return "'" + text::shorten(text::one_line(out), 80) + "'";
}

/// 127.0.0.0/8 in dotted-quad form, ::1, or localhost: hosts that never leave the machine.
bool is_loopback(const std::string& host) {
  if (text::to_lower(host) == "localhost" || host == "[::1]") {
    return true;
  }
  unsigned a = 0;
  unsigned b = 0;
  unsigned c = 0;
  unsigned d = 0;
  char extra = 0;
  return std::sscanf(host.c_str(), "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &extra) == 4 && a == 127 && b < 256 &&
         c < 256 && d < 256 && host.find_first_not_of("0123456789.") == std::string::npos;
}

}  // namespace

Result<std::string> api_base(const std::string& url) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  const auto fail = [&](const std::string& why) { return Error{shown(url) + " " + why, {}, {}}; };
  UrlHandle handle(curl_url(), &curl_url_cleanup);
  if (!handle || base.empty() || curl_url_set(handle.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) {
    return fail("is not a URL (expected https://HOST[/PATH])");
  }
  const auto scheme = text::to_lower(part(handle.get(), CURLUPART_SCHEME).value_or(""));
  const auto host = part(handle.get(), CURLUPART_HOST).value_or("");
  if (part(handle.get(), CURLUPART_USER) || part(handle.get(), CURLUPART_PASSWORD)) {
    return fail("carries credentials (user:password@); the token comes from the environment, never the URL");
  }
  if (part(handle.get(), CURLUPART_QUERY) || part(handle.get(), CURLUPART_FRAGMENT)) {
    return fail("has a query or fragment; an API base is a scheme, host and optional path");
  }
  if (host.empty() || (scheme != "https" && scheme != "http")) {
    return fail("is not an https:// URL");
  }
  if (scheme == "http" && !is_loopback(host)) {
    return fail(
        "is plain http to a host that is not loopback; the token would cross the network unencrypted "
        "(use https://)");
  }
  return base;
}

}  // namespace shipgate::net
