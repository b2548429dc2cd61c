#pragma once

#include <map>
#include <string>
#include <utility>

#include "core/check.hpp"
#include "lint/model.hpp"

namespace shipgate::lint {

/// Moves what was found while evaluating a callee for one call to the caller's places.
class CallerPlaces {
public:
  CallerPlaces(const Workflow& caller, const LocalCall& call, const Workflow& callee);

  /// The call's own place: its `uses:` line.
  const Location& place() const { return m_place; }

  /// Moves a check to the value the caller passes for the one input the checked value reads,
  /// else to the `uses:` line; the callee's place becomes the first related entry.
  void move(Check& check) const;

private:
  Location m_place;
  std::string m_what;                                      // "the called workflow" or "the composite action"
  std::map<std::pair<int, int>, Location> m_by_input_use;  // callee place -> the caller's value for it
};

}  // namespace shipgate::lint
