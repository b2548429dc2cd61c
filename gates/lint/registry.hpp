#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lint/rule.hpp"

namespace shipgate::lint {

/// Every rule, sorted by id. Adding a rule means a line here, a doc in rules/<id>.md and a fixture
/// folder in fixtures/lint/<id>/; a test fails when one of them is missing.
const std::vector<std::unique_ptr<Rule>>& all_rules();

/// The ids of all_rules(), in the same order (for "did you mean").
const std::vector<std::string>& rule_ids();

}  // namespace shipgate::lint
