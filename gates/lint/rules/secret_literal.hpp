#pragma once

#include "lint/rule.hpp"

namespace shipgate::lint {

/// secret-literal: an API key, token or password written into the workflow instead of read
/// from `${{ secrets.X }}`, and secrets asked for as `workflow_dispatch` inputs. Messages name
/// where and what kind, never the value.
class SecretLiteral final : public Rule {
public:
  std::string_view id() const override { return "secret-literal"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "an API key, token or password is written as a literal, or asked for as a dispatch input";
  }
  void on_workflow(const Workflow& wf, const Context& ctx, Reporter& out) const override;
};

/// unpinned-deploy-action: a deploy action referenced by a branch (or, with `pin: sha`, by
/// anything but a commit SHA), so what deploys can change without a change here.
class UnpinnedDeployAction final : public Rule {
public:
  std::string_view id() const override { return "unpinned-deploy-action"; }
  Severity severity() const override { return Severity::warning; }
  std::string_view summary() const override {
    return "a deploy action is referenced by a branch (or, with pin: sha, by a tag), so what it runs can change";
  }
  void on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx, Reporter& out) const override;
};

/// unused-suppression: an inline `# shipgate: ignore[...]` that suppresses nothing (reported by
/// the linter once every finding is known).
class UnusedSuppression final : public Rule {
public:
  std::string_view id() const override { return "unused-suppression"; }
  Severity severity() const override { return Severity::note; }
  std::string_view summary() const override {
    return "an inline suppression suppresses nothing (the finding moved, or was fixed)";
  }
};

}  // namespace shipgate::lint
