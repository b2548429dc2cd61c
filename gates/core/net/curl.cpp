#include "core/net/curl.hpp"

#include <curl/curl.h>

namespace shipgate::net {

std::string user_agent(std::string_view tool) {
  const auto* info = curl_version_info(CURLVERSION_NOW);
  return std::string(tool) + "/" + SHIPGATE_VERSION + " libcurl/" + (info != nullptr ? info->version : "unknown");
}

bool global_init() {
  static const bool k_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return k_ok;
}

}  // namespace shipgate::net
