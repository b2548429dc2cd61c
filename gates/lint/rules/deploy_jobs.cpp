#include "lint/rules/deploy_jobs.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/text.hpp"
#include "lint/conditions.hpp"
#include "lint/reach.hpp"

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

/// Whether a condition only lets merged pull requests through (`github.event.pull_request.merged`).
bool merged_only(const DeploySite& site) {
  const auto has = [](const std::string& c) {
    return text::to_lower(c).find("pull_request.merged") != std::string::npos;
  };
  return has(site.condition) || (site.facts != nullptr && has(site.facts->condition));
}

/// A job-level key's first line (`  KEY:` and the line ending), for an edit at key_insert_at.
std::string job_key(const std::string& key, const JobFacts& facts) { return facts.key_indent + key + ":" + facts.eol; }

/// The environment a deploy job without one should name: the production or staging environment
/// the records hold, by its exact name in any case (`Prod`, never `pre-prod`), else `production`
/// or `staging` after the target's name; "" when the name says neither.
std::string environment_for(const DeploySite& site, const Context& ctx) {
  static const std::set<std::string, std::less<>> k_staging = {"staging", "stage", "stg"};
  const bool staging = has_name_part(site.app, k_staging);
  const bool prod = is_production(site);
  if (!prod && !staging) {
    return {};
  }
  const auto& names = prod ? production_parts() : k_staging;
  if (ctx.environments != nullptr) {
    for (const auto& record : ctx.environments->list) {
      if (names.count(text::to_lower(record.name)) != 0) {
        return record.name;
      }
    }
  }
  return prod ? "production" : "staging";
}

}  // namespace

void DeployWithoutEnvironment::on_repository(const std::vector<WorkflowSummary>& workflows, const Context& ctx,
                                             Reporter& out) const {
  // One finding per job, naming a production target when the job has one.
  std::map<Location, const DeploySite*> by_job;
  for (const auto& d : all_deploys(workflows)) {
    const auto& facts = d.site->facts;
    if (facts == nullptr || facts->environment != EnvironmentNames::State::none || d.site->per_run) {
      continue;
    }
    auto [it, added] = by_job.try_emplace(facts->key, d.site);
    if (!added && !is_production(*it->second) && is_production(*d.site)) {
      it->second = d.site;
    }
  }
  for (const auto& [key, site] : by_job) {
    const bool prod = is_production(*site);
    out.report(prod ? Severity::error : Severity::warning, key,
               job_name(*site->facts) + " deploys " + target(*site) +
                   " with no `environment:`, so no reviewers, branch policy or scoped secrets apply; add one");
    // Which environment, and who reviews it, is a human's call: an unsafe fix.
    const auto name = environment_for(*site, ctx);
    const auto& facts = *site->facts;
    const bool plain_name = std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
    });
    if (name.empty() || !plain_name) {
      out.no_fix("no environment name follows from the target's name; add one by hand");
    } else if (facts.key.file != site->where.file) {
      out.no_fix("the job is in the reusable workflow " + text::shorten(facts.key.file, 80) +
                 ": add `environment:` to it there");
    } else if (!facts.key_insert_at) {
      out.no_fix("the job is written in flow style or behind an alias; add `environment:` by hand");
    } else {
      const auto* record = ctx.environments != nullptr ? ctx.environments->find(name) : nullptr;
      out.unsafe_fix({{*facts.key_insert_at, 0, facts.key_indent + "environment: " + name + facts.eol}},
                     record != nullptr
                         ? "names environment '" + name + "': check its reviewers and secrets before merging"
                         : "names environment '" + name +
                               "', which GitHub creates unprotected on the first run: create it with required "
                               "reviewers and the deploy's secrets before merging");
    }
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
  // The apps each job deploys: a group named after one app is a fix only for a job with one.
  std::map<Location, std::set<std::string>> apps_of_job;
  for (const auto& d : all_deploys(workflows)) {
    if (d.site->facts != nullptr) {
      apps_of_job[d.site->facts->key].insert(d.site->app);
    }
  }
  std::set<Location> seen;
  for (const auto& d : all_deploys(workflows)) {
    const auto& facts = d.site->facts;
    if (facts == nullptr || d.site->per_run || !seen.insert(facts->key).second) {
      continue;
    }
    if (facts->cancel_at) {
      out.report(*facts->cancel_at, "`cancel-in-progress` stops a deploy of " + target(*d.site) +
                                        " half-way when another run starts; set it to false so runs queue");
      if (facts->cancel_fix && facts->cancel_at->file == d.workflow->path) {
        out.fix({*facts->cancel_fix});
      } else {
        out.no_fix(
            "`cancel-in-progress` is an expression, or written in another file or behind an alias; set it to false");
      }
    } else if (facts->concurrency.empty()) {
      out.report(facts->key, job_name(*facts) + " deploys " + target(*d.site) +
                                 " with no `concurrency:` group, so two runs can deploy at once; add one");
      // A group named after the app: every job that deploys it, in any workflow, queues behind
      // the others.
      const auto& app = d.site->app;
      const bool plain = !app.empty() && std::all_of(app.begin(), app.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
      });
      if (!plain) {
        out.no_fix("the app's name is known only at run time; name a group by hand");
      } else if (apps_of_job[facts->key].size() != 1) {
        out.no_fix("the job deploys several apps; name a group by hand");
      } else if (!facts->key_insert_at || facts->key.file != d.workflow->path) {
        out.no_fix("the job is written in flow style or in another file; add the group by hand");
      } else {
        out.fix({{*facts->key_insert_at, 0,
                  job_key("concurrency", *facts) + facts->key_indent + "  group: deploy-" + app + facts->eol +
                      facts->key_indent + "  cancel-in-progress: false" + facts->eol}});
      }
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
    const auto required = site_requirements(*d.workflow, *d.site);
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
    if (d.workflow->triggers.empty() || !is_production(*d.site)) {
      continue;
    }
    const auto required = site_requirements(*d.workflow, *d.site);
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
