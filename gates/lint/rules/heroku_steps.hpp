#pragma once

#include "lint/rule.hpp"

// Rules on single steps that use Heroku: how heroku-deploy reads its inputs, whether the runner
// has the Heroku CLI, and what `heroku config:set` prints.

namespace shipgate::lint {

/// heroku-boolean-input: a boolean input of heroku-deploy (or another action listed with
/// `boolean-inputs`) that is not a literal true or false; the action reads every value but the
/// exact string "false" as true, so `"False"`, `no` or `0` turn the option on.
class HerokuBooleanInput final : public Rule {
public:
  std::string_view id() const override { return "heroku-boolean-input"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a heroku-deploy boolean input is not literally true or false (\"False\", no and 0 read as true)";
  }
  void on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx, Reporter& out) const override;
};

/// heroku-cli-missing: the Heroku CLI is used on a runner image that no longer ships it
/// (ubuntu-24.04, ubuntu-latest) with no install step before.
class HerokuCliMissing final : public Rule {
public:
  std::string_view id() const override { return "heroku-cli-missing"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "the Heroku CLI is used on ubuntu-24.04/ubuntu-latest, which do not ship it, with no install step first";
  }
  void on_job(const Workflow& wf, const Job& job, const Context& ctx, Reporter& out) const override;
};

/// heroku-config-set-echo: `heroku config:set` whose output reaches the log; it prints every
/// value it sets.
class HerokuConfigSetEcho final : public Rule {
public:
  std::string_view id() const override { return "heroku-config-set-echo"; }
  Severity severity() const override { return Severity::warning; }
  std::string_view summary() const override {
    return "heroku config:set prints every value it sets (secrets included) into the log";
  }
  void on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx, Reporter& out) const override;
};

}  // namespace shipgate::lint
