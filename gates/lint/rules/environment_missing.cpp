#include "lint/rules/environment_missing.hpp"

#include "core/text.hpp"
#include "lint/expressions.hpp"

namespace shipgate::lint {

std::string EnvironmentMissing::skip_reason(const Context& ctx) const {
  if (ctx.environments != nullptr) {
    return {};
  }
  return "no environment records given, so job environments were not checked; pass --environments FILE "
         "(the output of `gh api --paginate repos/OWNER/REPO/environments`, or a YAML list of names) or set "
         "lint.environments in .github/shipgate.yml";
}

void EnvironmentMissing::on_job(const Workflow& wf, const Job& job, const Context& ctx, Reporter& out) const {
  if (ctx.environments == nullptr || !job.environment) {
    return;
  }
  const yaml::Node* name = job.environment.value;
  if (name->is_mapping()) {
    name = wf.doc->get(*name, "name");
  }
  if (name == nullptr || !name->is_scalar() || name->value.empty()) {
    out.report(Severity::warning, at(wf, *job.environment.key),
               "job '" + job.id + "' has an environment without a name; it cannot be checked");
    return;
  }
  // `jobs.<id>.environment` may use github, needs, strategy, matrix, vars and inputs; of those only
  // a static matrix is known before the run.
  Scope scope = Scope::for_step(wf, job, nullptr);
  scope.allow_env = false;
  const auto names = resolve(name->value, scope);
  if (!names) {
    out.report(Severity::warning, at(wf, *name),
               "cannot verify environment `" + name->value + "` of job '" + job.id +
                   "' statically; if it names an environment the repository does not have, GitHub creates it "
                   "with no protection rules");
    return;
  }
  for (const auto& env : *names) {
    if (ctx.environments->find(env) != nullptr) {
      continue;
    }
    std::string message = "job '" + text::shorten(job.id) + "' deploys to environment '" + text::shorten(env) +
                          "', which does not exist in " + ctx.environments->source +
                          "; GitHub creates it on first use with no protection rules, so no required reviewer "
                          "or wait timer applies";
    if (const auto guess = text::did_you_mean(env, ctx.environments->names())) {
      message += " (did you mean '" + *guess + "'?)";
    }
    out.report(at(wf, *name), message);
  }
}

}  // namespace shipgate::lint
