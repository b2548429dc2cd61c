#include "lint/registry.hpp"

#include "lint/rules/environment_missing.hpp"
#include "lint/rules/heroku_autocreate.hpp"
#include "lint/rules/overlapping_deploy_targets.hpp"

namespace shipgate::lint {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const auto k_rules = [] {
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(std::make_unique<EnvironmentMissing>());
    rules.push_back(std::make_unique<HerokuAutocreate>());
    rules.push_back(std::make_unique<OverlappingDeployTargets>());
    return rules;
  }();
  return k_rules;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids;
  for (const auto& rule : all_rules()) {
    ids.emplace_back(rule->id());
  }
  return ids;
}

}  // namespace shipgate::lint
