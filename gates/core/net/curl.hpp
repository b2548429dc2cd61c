#pragma once

#include <string>
#include <string_view>

namespace shipgate::net {

/// The User-Agent every request of a network gate carries: "shipgate-smoke/0.1.0 libcurl/7.88.1",
/// so a service's logs say which gate (and version) called.
std::string user_agent(std::string_view tool);

/// libcurl's global set-up, done once per process before the first handle (libcurl requires it
/// before any other thread starts); false when libcurl could not initialise.
bool global_init();

}  // namespace shipgate::net
