#pragma once

#include <memory>

#include "core/gate.hpp"

namespace shipgate::toy {

/// shipgate-toy: each FILE must be at most --max-bytes long. A file that cannot be read is a
/// check that could not be evaluated (exit 3). TOY_TOKEN, when set, is a secret the gate is
/// given, and carelessly puts in a message, so tests can see core keep it out of every output.
std::unique_ptr<Gate> make_gate();

}  // namespace shipgate::toy
