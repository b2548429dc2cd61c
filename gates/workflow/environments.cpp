#include "workflow/environments.hpp"

#include "core/text.hpp"
#include "workflow/expressions.hpp"

namespace shipgate::workflow {

const yaml::Node* environment_name(const yaml::Document& doc, const Job& job) {
  if (!job.environment) {
    return nullptr;
  }
  const yaml::Node* name = job.environment.value;
  return name->is_mapping() ? doc.get(*name, "name") : name;
}

std::optional<std::string> environment_scope(const Workflow& wf, const Job& job) {
  if (!job.environment) {
    return std::string();
  }
  const yaml::Node* name = environment_name(*wf.doc, job);
  if (name == nullptr || !name->is_scalar()) {
    return std::nullopt;
  }
  Scope scope = Scope::for_step(wf, job, nullptr);
  scope.allow_env = false;
  const auto names = resolve(name->value, scope);
  if (!names || names->size() != 1) {
    return std::nullopt;
  }
  return text::to_lower(names->front());
}

}  // namespace shipgate::workflow
