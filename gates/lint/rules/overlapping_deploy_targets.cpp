#include "lint/rules/overlapping_deploy_targets.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace shipgate::lint {

namespace {

struct Site {
  const WorkflowSummary* workflow;
  const DeploySite* deploy;
};

/// Whether job `later` (transitively) needs job `earlier`: then they run in order, not in a race.
bool runs_after(const WorkflowSummary& wf, const std::string& later, const std::string& earlier) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {later};
  while (!todo.empty()) {
    const auto job = todo.back();
    todo.pop_back();
    if (!seen.insert(job).second) {
      continue;
    }
    const auto it = wf.needs.find(job);
    if (it == wf.needs.end()) {
      continue;
    }
    for (const auto& need : it->second) {
      if (need == earlier) {
        return true;
      }
      todo.push_back(need);
    }
  }
  return false;
}

/// One site per (workflow, job); a job ordered after another deploying job of its workflow is
/// part of the same sequence and dropped.
std::vector<Site> independent_sites(const std::vector<Site>& sites) {
  std::vector<Site> out;
  for (const auto& site : sites) {
    const bool covered = std::any_of(out.begin(), out.end(), [&site](const Site& kept) {
      return kept.workflow == site.workflow &&
             (kept.deploy->job == site.deploy->job || runs_after(*site.workflow, site.deploy->job, kept.deploy->job) ||
              runs_after(*site.workflow, kept.deploy->job, site.deploy->job));
    });
    if (!covered) {
      out.push_back(site);
    }
  }
  return out;
}

std::string describe(const Site& site) {
  return site.workflow->path + " job '" + site.deploy->job + "' (" + site.deploy->how + ") runs on " +
         site.workflow->trigger_text;
}

}  // namespace

void OverlappingDeployTargets::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                             Reporter& out) const {
  std::map<std::string, std::vector<Site>> by_target;
  for (const auto& wf : workflows) {
    for (const auto& deploy : wf.sites) {
      by_target[deploy.platform + ":" + deploy.app].push_back({&wf, &deploy});
    }
  }
  for (auto& [target, all_sites] : by_target) {
    std::stable_sort(all_sites.begin(), all_sites.end(),
                     [](const Site& a, const Site& b) { return a.deploy->where < b.deploy->where; });
    const auto sites = independent_sites(all_sites);
    if (sites.size() < 2) {
      continue;
    }
    const auto& first = sites.front();
    const bool same_triggers = std::all_of(sites.begin(), sites.end(), [&first](const Site& s) {
      return s.workflow->trigger_key == first.workflow->trigger_key;
    });
    std::vector<Related> related;
    std::string places;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      places += (i == 0 ? "" : "; ") + describe(sites[i]);
      if (i > 0) {
        related.push_back({sites[i].deploy->where, "also deploys '" + first.deploy->app + "': " + describe(sites[i])});
      }
    }
    const std::string head =
        "Heroku app '" + first.deploy->app + "' is deployed from " + std::to_string(sites.size()) + " places";
    if (same_triggers) {
      out.report(Severity::warning, first.deploy->where,
                 head + " with the same triggers, so every event starts deploys that race each other (" + places +
                     "); keep one, or order them with `needs:`",
                 std::move(related));
    } else {
      out.report(first.deploy->where,
                 head + " with different triggers, so nobody can tell which is the real deploy path (" + places +
                     "); keep one",
                 std::move(related));
    }
  }
}

}  // namespace shipgate::lint
