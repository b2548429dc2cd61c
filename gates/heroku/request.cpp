#include "heroku/request.hpp"

#include "core/net/url.hpp"

namespace shipgate::heroku {

Result<std::string> api_base(const std::optional<std::string>& value) {
  return net::api_base(value.value_or(std::string(k_default_base)));
}

std::string app_path(const std::string& app, std::string_view rest) {
  std::string path = "/apps/" + net::path_segment(app);
  if (!rest.empty()) {
    path += '/';
    path += rest;
  }
  return path;
}

std::string slug_path(const std::string& app, const std::string& slug_id) {
  return app_path(app, "slugs/" + net::path_segment(slug_id));
}

net::Request request(const std::string& base, const std::string& path, const std::string& token,
                     std::chrono::milliseconds timeout) {
  net::Request r;
  r.url = base + path;
  r.timeout = timeout;
  r.headers = {{"Accept", "application/vnd.heroku+json; version=3", false}, {"Authorization", "Bearer " + token, true}};
  return r;
}

}  // namespace shipgate::heroku
