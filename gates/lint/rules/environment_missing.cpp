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
  if (ctx.environments == nullptr) {
    return;
  }
  using State = EnvironmentNames::State;
  const auto env = environment_names(wf, job);
  switch (env.state) {
    case State::none:
    case State::deferred:  // the name comes from callers: checked where they call this workflow
      return;
    case State::unnamed:
      out.report(Severity::warning, at(wf, *env.where),
                 "job '" + text::shorten(job.id, 40) + "' has an environment without a name; it cannot be checked");
      return;
    case State::unknown:
      out.report(Severity::warning, at(wf, *env.where),
                 "cannot verify environment `" + text::shorten(env.written, 40) +
                     "` statically; a name the repository lacks gets no protection");
      return;
    case State::known:
      break;
  }
  for (const auto& name : env.names) {
    if (name.empty() || ctx.environments->find(name) != nullptr) {
      continue;
    }
    std::string message = "job '" + text::shorten(job.id, 30) + "' names environment '" + text::shorten(name, 30) +
                          "', which does not exist: GitHub creates it unprotected";
    if (const auto guess = text::did_you_mean(name, ctx.environments->names())) {
      message += "; did you mean '" + text::shorten(*guess, 30) + "'?";
    } else {
      message += "; create it with required reviewers";
    }
    out.report(at(wf, *env.where), message);
  }
}

}  // namespace shipgate::lint
