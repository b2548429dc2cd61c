#pragma once

#include "lint/rule.hpp"

// The rules that judge a deploy by the job it runs in: they read the deploy sites the repository
// pass collects (with each site's JobFacts), so a deploy inside a reusable workflow or composite
// action is judged with its caller's triggers, environment and concurrency.

namespace shipgate::lint {

/// deploy-without-environment: a deploying job has no `environment:`, so no approval, branch
/// policy or environment-scoped secret applies to it.
class DeployWithoutEnvironment final : public Rule {
public:
  std::string_view id() const override { return "deploy-without-environment"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a job that deploys has no environment, so no reviewers, branch policy or scoped secrets apply";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

/// environment-unprotected: a production deploy's environment has no required reviewers or no
/// deployment branch policy, as the repository's environment records say.
class EnvironmentUnprotected final : public Rule {
public:
  std::string_view id() const override { return "environment-unprotected"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a production deploy's environment has no required reviewers or no branch policy";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
  std::string skip_reason(const Context& ctx) const override;
};

/// deploy-concurrency: a deploying job with no concurrency group (two runs deploy at once), or
/// one that cancels a deploy in progress.
class DeployConcurrency final : public Rule {
public:
  std::string_view id() const override { return "deploy-concurrency"; }
  Severity severity() const override { return Severity::warning; }
  std::string_view summary() const override {
    return "a deploy job has no concurrency group, or cancels a deploy in progress";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

/// deploy-on-pull-request: a deploy that a pull request's event can reach.
class DeployOnPullRequest final : public Rule {
public:
  std::string_view id() const override { return "deploy-on-pull-request"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a deploy runs on pull_request or pull_request_target, before review";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

/// deploy-unverified: nothing after a deploy checks that it worked.
class DeployUnverified final : public Rule {
public:
  std::string_view id() const override { return "deploy-unverified"; }
  Severity severity() const override { return Severity::warning; }
  std::string_view summary() const override {
    return "nothing after a deploy checks that it worked (a release or smoke gate, a health check)";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

/// prod-deploy-unreachable: a production deploy whose `if:` no trigger of its workflow can meet.
class ProdDeployUnreachable final : public Rule {
public:
  std::string_view id() const override { return "prod-deploy-unreachable"; }
  Severity severity() const override { return Severity::warning; }
  std::string_view summary() const override {
    return "a production deploy can never run: its if: needs an event or ref no trigger gives";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

/// app-name-convention: a deploy target breaks the configured naming convention (off until
/// `app-pattern` is set).
class AppNameConvention final : public Rule {
public:
  std::string_view id() const override { return "app-name-convention"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a deploy target breaks the naming convention (app-pattern, e.g. raxx-{surface}-{env})";
  }
  void on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx, Reporter& out) const override;
  bool judges_sites() const override { return true; }
};

}  // namespace shipgate::lint
