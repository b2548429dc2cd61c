#include "lint/rules/heroku_autocreate.hpp"

#include "lint/expressions.hpp"

namespace shipgate::lint {

namespace {

/// What the action will read for the input, as the runner passes it: YAML booleans become
/// "true"/"false", everything else is the scalar's text.
std::string runner_string(const yaml::Node& value) {
  if (yaml::is_core_true(value)) {
    return "true";
  }
  if (yaml::is_core_false(value)) {
    return "false";
  }
  return value.value;
}

}  // namespace

void HerokuAutocreate::on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx,
                               Reporter& out) const {
  if (!step.uses || !step.uses.value->is_scalar()) {
    return;
  }
  const auto* action = ctx.data.find_action(step.uses.value->value);
  if (action == nullptr || !action->autocreate) {
    return;
  }
  const auto& input = *action->autocreate;
  const std::string name = action_repository(step.uses.value->value);
  const Location where = at(wf, *step.uses.key);
  const std::string consequence = " runs `heroku create` when `heroku git:remote` fails for any reason (a typo in the "
                                  "app name, a missing app, a bad API key); set `" +
                                  input.input + ": true` (the action then skips a missing app with exit 0: "
                                  "check its `status` output or run shipgate-release after it)";

  const auto entry = step.with != nullptr && step.with->is_mapping() ? wf.doc->find_ci(*step.with, input.input)
                                                                      : yaml::Entry{};
  if (step.with != nullptr && !step.with->is_mapping() && !step.with->is_null()) {
    out.report(Severity::warning, where,
               "cannot read `with:` of " + name + " statically; make sure `" + input.input + "` is true");
    return;
  }
  if (!entry) {
    out.report(where, name + " without `" + input.input + "`:" + consequence);
    return;
  }
  const auto& value = *entry.value;
  const std::string empty_message = "`" + input.input + "` is empty, which leaves app creation to how the runner "
                                    "passes an empty input (the action's default is \"" + input.default_value +
                                    "\"): write `" + input.input + ": true`";
  if (value.is_null() || (value.is_scalar() && value.value.empty())) {
    out.report(Severity::warning, where, empty_message);
    return;
  }
  if (!value.is_scalar()) {
    out.report(Severity::warning, where, "`" + input.input + "` is not a single value; write `" +
                                                          input.input + ": true`");
    return;
  }
  const auto resolved = resolve(runner_string(value), Scope::for_step(wf, job, &step));
  if (!resolved) {
    out.report(Severity::warning, where,
               "cannot resolve `" + input.input + ": " + value.value + "` statically; if it evaluates to \"" +
                   input.true_unless + "\"," + consequence.substr(0, consequence.find(';')) +
                   ". Use a literal `true`");
    return;
  }
  for (const auto& v : *resolved) {
    if (v == input.true_unless) {
      out.report(where, name + " with `" + input.input + ": " + value.value + "`" + consequence);
      return;
    }
  }
  for (const auto& v : *resolved) {
    if (v.empty()) {
      out.report(Severity::warning, where, empty_message);
      return;
    }
  }
  for (const auto& v : *resolved) {
    if (v != "true") {
      out.report(Severity::note, where,
                 "`" + input.input + ": " + value.value + "` only turns app creation off because the action reads "
                 "every value but \"" + input.true_unless + "\" as true; write `true` to say what you mean");
      return;
    }
  }
}

}  // namespace shipgate::lint
