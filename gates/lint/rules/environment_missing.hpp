#pragma once

#include "lint/rule.hpp"

namespace shipgate::lint {

/// environment-missing: a job names a GitHub Environment the repository does not have; GitHub then
/// creates it on first use with no protection rules, so the reviewers it was meant to require
/// never apply.
class EnvironmentMissing final : public Rule {
public:
  std::string_view id() const override { return "environment-missing"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a job's environment does not exist in the repository, so its protection rules never apply";
  }
  void on_job(const Workflow& wf, const Job& job, const Context& ctx, Reporter& out) const override;
  std::string skip_reason(const Context& ctx) const override;
};

}  // namespace shipgate::lint
