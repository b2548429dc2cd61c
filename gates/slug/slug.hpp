#pragma once

#include <memory>

#include "core/gate.hpp"

namespace shipgate::slug {

/// shipgate-slug as a gate for core's run_gate().
std::unique_ptr<Gate> make_gate();

}  // namespace shipgate::slug
