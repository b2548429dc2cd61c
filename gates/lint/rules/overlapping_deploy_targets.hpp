#pragma once

#include "lint/rule.hpp"

namespace shipgate::lint {

/// overlapping-deploy-targets: two workflows (or two unordered jobs) deploy the same app. With
/// different triggers nobody knows which is the real path to production (error); with the same
/// triggers they race each other on every event (warning).
class OverlappingDeployTargets final : public Rule {
public:
  std::string_view id() const override { return "overlapping-deploy-targets"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "two workflows or jobs deploy the same app: different triggers hide the real deploy path, same "
           "triggers race";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

}  // namespace shipgate::lint
