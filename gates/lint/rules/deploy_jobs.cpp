#include "lint/rules/deploy_jobs.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/text.hpp"
#include "lint/conditions.hpp"

namespace shipgate::lint {

namespace {

struct Deploy {
  const WorkflowSummary* workflow;
  const DeploySite* site;
};

/// Every deploy of the repository: known targets, then those named only at run time.
std::vector<Deploy> all_deploys(const std::vector<WorkflowSummary>& workflows) {
  std::vector<Deploy> out;
  for (const auto& wf : workflows) {
    for (const auto& site : wf.sites) {
      out.push_back({&wf, &site});
    }
    for (const auto& site : wf.unknown) {
      out.push_back({&wf, &site});
    }
  }
  return out;
}

/// The target as messages name it: 'app', or the expression it is made from.
std::string target(const DeploySite& site) { return "'" + text::shorten(site.app, 40) + "'"; }

std::string job_name(const JobFacts& facts) { return "job '" + text::shorten(facts.id, 40) + "'"; }

/// What a deploy's `if:` conditions require: the step's, its job's, and the calling job's.
std::vector<Requirement> site_requirements(const Deploy& d) {
  std::vector<Requirement> out;
  const auto add = [&out](const std::vector<Requirement>& more) { out.insert(out.end(), more.begin(), more.end()); };
  add(requirements(d.site->condition));
  if (d.site->facts != nullptr) {
    add(requirements(d.site->facts->condition));
  }
  if (const auto it = d.workflow->conditions.find(d.site->job); it != d.workflow->conditions.end()) {
    add(it->second);
  }
  return out;
}

bool any_glob(const std::vector<std::string>& patterns, const std::string& name) {
  return std::any_of(patterns.begin(), patterns.end(), [&name](const std::string& p) {
    return !p.empty() && (p.front() == '!' || fnmatch(text::to_lower(p).c_str(), name.c_str(), 0) == 0);
  });
}

/// Whether an event of trigger `t` can meet `required` (the event name, and the refs the event
/// can have: a push's branch and tag filters, a pull request's merge ref, a release's tag).
bool can_run_on(const workflow::Trigger& t, const std::vector<Requirement>& required) {
  if (t.event == "workflow_call") {
    return true;  // the caller's event and ref: anything
  }
  std::vector<Requirement> implied = {{"github.event_name", true, text::to_lower(t.event), false}};
  const auto& f = t.refs;
  const bool branch_filters = !f.branches.empty() || !f.branches_ignore.empty();
  const bool tag_filters = !f.tags.empty() || !f.tags_ignore.empty();
  if (t.event == "push") {
    if (branch_filters && !tag_filters) {
      implied.push_back({"github.ref", true, "refs/heads/", true});
    } else if (tag_filters && !branch_filters) {
      implied.push_back({"github.ref", true, "refs/tags/", true});
    }
  } else if (t.event == "pull_request") {
    implied.push_back({"github.ref", true, "refs/pull/", true});
  } else if (t.event == "release") {
    implied.push_back({"github.ref", true, "refs/tags/", true});
  } else if (t.event == "pull_request_target" || t.event == "schedule" || t.event == "workflow_run" ||
             t.event == "repository_dispatch") {
    implied.push_back({"github.ref", true, "refs/heads/", true});
  }
  if (exclusive(required, implied)) {
    return false;
  }
  // An exact branch or tag the filters leave out.
  for (const auto& r : required) {
    if (r.field != "github.ref" || !r.equal || r.prefix || (t.event != "push" && t.event != "pull_request_target")) {
      continue;
    }
    if (r.value.rfind("refs/heads/", 0) == 0) {
      const auto branch = r.value.substr(11);
      if ((!f.branches.empty() && !any_glob(f.branches, branch)) ||
          (!f.branches_ignore.empty() && any_glob(f.branches_ignore, branch) && f.branches.empty())) {
        return false;
      }
    } else if (r.value.rfind("refs/tags/", 0) == 0 && t.event == "push") {
      const auto tag = r.value.substr(10);
      if ((!f.tags.empty() && !any_glob(f.tags, tag)) || (f.tags.empty() && branch_filters)) {
        return false;
      }
    }
  }
  return true;
}

/// Whether a deploy is meant for production: its app or its environment says so.
bool production(const DeploySite& site) {
  if (looks_like_production(site.app)) {
    return true;
  }
  if (site.facts == nullptr) {
    return false;
  }
  const auto& names = site.facts->environments;
  return std::any_of(names.begin(), names.end(), [](const std::string& n) { return looks_like_production(n); }) ||
         looks_like_production(site.facts->environment_written);
}

/// Whether a condition only lets merged pull requests through (`github.event.pull_request.merged`).
bool merged_only(const DeploySite& site) {
  const auto has = [](const std::string& c) {
    return text::to_lower(c).find("pull_request.merged") != std::string::npos;
  };
  return has(site.condition) || (site.facts != nullptr && has(site.facts->condition));
}

}  // namespace

void DeployWithoutEnvironment::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                             Reporter& out) const {
  // One finding per job, naming a production target when the job has one.
  std::map<Location, const DeploySite*> by_job;
  for (const auto& d : all_deploys(workflows)) {
    const auto& facts = d.site->facts;
    if (facts == nullptr || facts->environment != EnvironmentNames::State::none || d.site->per_run) {
      continue;
    }
    auto [it, added] = by_job.try_emplace(facts->key, d.site);
    if (!added && !production(*it->second) && production(*d.site)) {
      it->second = d.site;
    }
  }
  for (const auto& [key, site] : by_job) {
    const bool prod = production(*site);
    out.report(prod ? Severity::error : Severity::warning, key,
               job_name(*site->facts) + " deploys " + target(*site) +
                   " with no `environment:`, so no reviewers, branch policy or scoped secrets apply; add one");
  }
}

std::string EnvironmentUnprotected::skip_reason(const Context& ctx) const {
  if (ctx.environments != nullptr) {
    return {};
  }
  return "no environment records given (--environments; `shipgate-env --list` writes them)";
}

void EnvironmentUnprotected::on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx,
                                           Reporter& out) const {
  if (ctx.environments == nullptr) {
    return;
  }
  std::set<std::pair<Location, std::string>> seen;
  for (const auto& d : all_deploys(workflows)) {
    const auto& facts = d.site->facts;
    if (facts == nullptr || facts->environment != EnvironmentNames::State::known) {
      continue;
    }
    for (const auto& name : facts->environments) {
      const auto* record = ctx.environments->find(name);
      const auto where = facts->environment_at.value_or(facts->key);
      if (record == nullptr || record->raw.is_null() ||
          !(looks_like_production(name) || looks_like_production(d.site->app)) ||
          !seen.emplace(where, text::to_lower(name)).second) {
        continue;  // a missing environment is environment-missing's; a bare name says nothing of protection
      }
      const auto env = "environment '" + text::shorten(name, 40) + "'";
      if (!record->has_reviewers_rule || record->reviewers == 0) {
        out.report(where, env + " has no required reviewers, so any push that runs this job deploys " +
                              target(*d.site) + "; add reviewers");
      } else if (!record->branch_policy) {
        out.report(Severity::warning, where,
                   env + " has no deployment branch policy, so any branch can deploy " + target(*d.site) +
                       "; limit it to protected branches");
      }
    }
  }
}

void DeployConcurrency::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                      Reporter& out) const {
  std::set<Location> seen;
  for (const auto& d : all_deploys(workflows)) {
    const auto& facts = d.site->facts;
    if (facts == nullptr || d.site->per_run || !seen.insert(facts->key).second) {
      continue;
    }
    if (facts->cancel_at) {
      out.report(*facts->cancel_at, "`cancel-in-progress` stops a deploy of " + target(*d.site) +
                                        " half-way when another run starts; set it to false so runs queue");
    } else if (facts->concurrency.empty()) {
      out.report(facts->key, job_name(*facts) + " deploys " + target(*d.site) +
                                 " with no `concurrency:` group, so two runs can deploy at once; add one");
    }
  }
}

void DeployOnPullRequest::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                        Reporter& out) const {
  std::set<Location> seen;
  for (const auto& d : all_deploys(workflows)) {
    if (merged_only(*d.site)) {
      continue;
    }
    const auto required = site_requirements(d);
    for (const auto& t : d.workflow->triggers) {
      if ((t.event != "pull_request" && t.event != "pull_request_target") || !can_run_on(t, required) ||
          !seen.insert(d.site->where).second) {
        continue;
      }
      if (d.site->per_run) {
        out.report(
            Severity::note, d.site->where,
            "`" + t.event + "` deploys a review app named per pull request; keep secrets for production out of it");
      } else {
        out.report(d.site->where, "`" + t.event + "` runs this deploy to " + target(*d.site) +
                                      " before review; deploy on push to a protected branch, or after merge");
      }
    }
  }
}

void DeployUnverified::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                     Reporter& out) const {
  std::set<Location> seen;
  std::map<const WorkflowSummary*, std::map<std::string, std::vector<std::string>>> needed_by;
  for (const auto& d : all_deploys(workflows)) {
    if (d.site->checked || d.site->per_run || !seen.insert(d.site->where).second) {
      continue;
    }
    // A job that needs the deploying job (directly or not) and checks verifies the deploy.
    auto [it, added] = needed_by.try_emplace(d.workflow);
    if (added) {
      for (const auto& [job, needs] : d.workflow->needs) {
        for (const auto& need : needs) {
          it->second[need].push_back(job);
        }
      }
    }
    std::set<std::string> reached;
    std::vector<std::string> queue = {d.site->job};
    bool verified = false;
    while (!queue.empty() && !verified) {
      const auto job = std::move(queue.back());
      queue.pop_back();
      for (const auto& next : it->second[job]) {
        if (reached.insert(next).second) {
          verified = verified || d.workflow->checking_jobs.count(next) != 0;
          queue.push_back(next);
        }
      }
    }
    if (!verified) {
      out.report(d.site->where, "nothing checks that the deploy to " + target(*d.site) +
                                    " worked; add a shipgate-release or shipgate-smoke step after it");
    }
  }
}

void ProdDeployUnreachable::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                          Reporter& out) const {
  std::set<Location> seen;
  for (const auto& d : all_deploys(workflows)) {
    if (d.workflow->triggers.empty() || !production(*d.site)) {
      continue;
    }
    const auto required = site_requirements(d);
    if (required.empty() || std::any_of(d.workflow->triggers.begin(), d.workflow->triggers.end(),
                                        [&required](const auto& t) { return can_run_on(t, required); })) {
      continue;
    }
    if (seen.insert(d.site->where).second) {
      out.report(d.site->where, "the deploy to " + target(*d.site) +
                                    " never runs: its `if:` needs an event or ref that no trigger of this workflow (" +
                                    text::shorten(d.workflow->trigger_text, 40) + ") gives");
    }
  }
}

void AppNameConvention::on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx,
                                      Reporter& out) const {
  if (ctx.app_pattern == nullptr) {
    return;  // off until a convention is configured
  }
  for (const auto& wf : workflows) {
    for (const auto& site : wf.sites) {
      if (site.app.rfind("${{", 0) != 0 && !ctx.app_pattern->matches(site.app)) {
        out.report(site.where, "app " + target(site) + " breaks the naming convention " +
                                   text::shorten(ctx.app_pattern->text(), 40) + "; rename it or fix the pattern");
      }
    }
  }
}

}  // namespace shipgate::lint
