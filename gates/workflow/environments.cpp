#include "workflow/environments.hpp"

#include "core/text.hpp"
#include "workflow/expressions.hpp"

namespace shipgate::workflow {

EnvironmentNames environment_names(const Workflow& wf, const Job& job) {
  using State = EnvironmentNames::State;
  EnvironmentNames out;
  if (!job.environment) {
    return out;
  }
  const yaml::Node* value = job.environment.value;
  const yaml::Node* name = value->is_mapping() ? wf.doc->get(*value, "name") : value;
  if (name == nullptr || !name->is_scalar() || name->value.empty()) {
    out.state = State::unnamed;
    out.where = job.environment.key;
    return out;
  }
  out.where = name;
  out.written = name->value;
  Scope scope = Scope::for_step(wf, job, nullptr);
  scope.allow_env = false;  // `jobs.<id>.environment` cannot read the env context
  auto names = resolve(name->value, scope);
  if (names) {
    out.state = State::known;
    out.names = std::move(*names);
  } else {
    out.state = scope.defers(name->value) ? State::deferred : State::unknown;
  }
  return out;
}

std::optional<std::string> environment_scope(const Workflow& wf, const Job& job) {
  const auto env = environment_names(wf, job);
  if (env.state == EnvironmentNames::State::none) {
    return std::string();
  }
  if (env.state != EnvironmentNames::State::known || env.names.size() != 1) {
    return std::nullopt;
  }
  return text::to_lower(env.names.front());
}

}  // namespace shipgate::workflow
