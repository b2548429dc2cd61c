#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/gate.hpp"

namespace shipgate::test {

/// One gate as the build registered it (cmake/Gates.cmake).
struct GateEntry {
  std::string_view section;  // "lint"
  std::unique_ptr<Gate> (*make)();
  std::string_view fixtures;  // the gate's fixture folder
  std::string_view action;    // its composite action's action.yml
  std::string_view doc;       // the document that carries its --help and flags
};

/// Every registered gate, shipped or test-only, in registration order.
const std::vector<GateEntry>& all_gates();

/// The gate whose config section is `section`, or nullptr.
inline const GateEntry* find_gate(std::string_view section) {
  for (const auto& g : all_gates()) {
    if (g.section == section) {
      return &g;
    }
  }
  return nullptr;
}

}  // namespace shipgate::test
