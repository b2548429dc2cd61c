#pragma once

#include "lint/rule.hpp"

namespace shipgate::lint {

/// heroku-autocreate: a deploy action that creates the app when it cannot find it (a typo, a
/// missing app or a bad key turns into `heroku create`), because its opt-out input is not true.
class HerokuAutocreate final : public Rule {
public:
  std::string_view id() const override { return "heroku-autocreate"; }
  Severity severity() const override { return Severity::error; }
  std::string_view summary() const override {
    return "a Heroku deploy action may create the app instead of failing: set dontautocreate: true";
  }
  void on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx, Reporter& out) const override;
};

}  // namespace shipgate::lint
