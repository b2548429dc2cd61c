#include "lint/rules/environment_missing.hpp"

#include "core/text.hpp"
#include "lint/model.hpp"

namespace shipgate::lint {

std::string EnvironmentMissing::skip_reason(const Context& ctx) const {
  if (ctx.environments != nullptr) {
    return {};
  }
  return "no environment records given (--environments or lint.environments; see rules/environment-missing.md)";
}

void EnvironmentMissing::on_job(const Workflow& wf, const Job& job, const Context& ctx, Reporter& out) const {
  if (ctx.environments == nullptr || !job.environment) {
    return;
  }
  const yaml::Node* name = environment_name(*wf.doc, job);
  if (name == nullptr || !name->is_scalar() || name->value.empty()) {
    out.report(Severity::warning, at(wf, *job.environment.key),
               "job '" + text::shorten(job.id, 40) + "' has an environment without a name; it cannot be checked");
    return;
  }
  // `jobs.<id>.environment` may use github, needs, strategy, matrix, vars and inputs; of those only
  // a static matrix is known before the run.
  Scope scope = Scope::for_step(wf, job, nullptr);
  scope.allow_env = false;
  const auto names = resolve(name->value, scope);
  if (!names && scope.defers(name->value)) {
    return;  // the name comes from callers: checked where they call this workflow
  }
  if (!names) {
    out.report(Severity::warning, at(wf, *name),
               "cannot verify environment `" + text::shorten(name->value, 40) +
                   "` statically; a name the repository lacks gets no protection");
    return;
  }
  for (const auto& env : *names) {
    if (env.empty() || ctx.environments->find(env) != nullptr) {
      continue;
    }
    std::string message = "job '" + text::shorten(job.id, 30) + "' deploys to environment '" + text::shorten(env, 30) +
                          "', which does not exist: GitHub creates it unprotected";
    if (const auto guess = text::did_you_mean(env, ctx.environments->names())) {
      message += "; did you mean '" + text::shorten(*guess, 30) + "'?";
    } else {
      message += "; create it with required reviewers";
    }
    out.report(at(wf, *name), message);
  }
}

}  // namespace shipgate::lint
