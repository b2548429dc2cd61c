#include "lint/registry.hpp"

#include "lint/rules/deploy_jobs.hpp"
#include "lint/rules/environment_missing.hpp"
#include "lint/rules/heroku_autocreate.hpp"
#include "lint/rules/heroku_steps.hpp"
#include "lint/rules/overlapping_deploy_targets.hpp"
#include "lint/rules/secret_literal.hpp"

namespace shipgate::lint {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const auto k_rules = [] {
    std::vector<std::unique_ptr<Rule>> rules;
    // Sorted by id (a test keeps them so): --list-rules and SARIF list them in this order.
    rules.push_back(std::make_unique<AppNameConvention>());
    rules.push_back(std::make_unique<DeployConcurrency>());
    rules.push_back(std::make_unique<DeployOnPullRequest>());
    rules.push_back(std::make_unique<DeployUnverified>());
    rules.push_back(std::make_unique<DeployWithoutEnvironment>());
    rules.push_back(std::make_unique<EnvironmentMissing>());
    rules.push_back(std::make_unique<EnvironmentUnprotected>());
    rules.push_back(std::make_unique<HerokuAutocreate>());
    rules.push_back(std::make_unique<HerokuBooleanInput>());
    rules.push_back(std::make_unique<HerokuCliMissing>());
    rules.push_back(std::make_unique<HerokuConfigSetEcho>());
    rules.push_back(std::make_unique<OverlappingDeployTargets>());
    rules.push_back(std::make_unique<ProdDeployUnreachable>());
    rules.push_back(std::make_unique<SecretLiteral>());
    rules.push_back(std::make_unique<UnpinnedDeployAction>());
    rules.push_back(std::make_unique<UnusedSuppression>());
    return rules;
  }();
  return k_rules;
}

const std::vector<std::string>& rule_ids() {
  static const std::vector<std::string> k_ids = [] {
    std::vector<std::string> ids;
    for (const auto& rule : all_rules()) {
      ids.emplace_back(rule->id());
    }
    return ids;
  }();
  return k_ids;
}

}  // namespace shipgate::lint
