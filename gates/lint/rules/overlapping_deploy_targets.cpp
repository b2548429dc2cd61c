#include "lint/rules/overlapping_deploy_targets.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "core/text.hpp"
#include "lint/reach.hpp"

namespace shipgate::lint {

namespace {

struct Site {
  const WorkflowSummary* workflow;
  const DeploySite* deploy;
};

/// Which deploying jobs of one workflow run in order: one pass over the jobs in topological
/// order carries, for each job, the set of deploying jobs it transitively needs (a bitset), so
/// the work is linear in jobs plus `needs` edges, not a graph search per pair of sites.
class JobOrder {
public:
  /// Deploying jobs past this many in one workflow are taken as unordered (reported, not hidden).
  static constexpr std::size_t k_max_tracked = 1024;

  explicit JobOrder(const WorkflowSummary& wf) {
    for (const auto& site : wf.sites) {
      if (m_tracked.size() < k_max_tracked) {
        m_tracked.try_emplace(site.job, m_tracked.size());
      }
    }
    m_words = (m_tracked.size() + 63) / 64;
    for (const auto& [job, needs] : wf.needs) {
      index(job);
      for (const auto& need : needs) {
        index(need);
      }
    }
    std::vector<std::vector<std::size_t>> next(m_names.size());
    std::vector<std::size_t> waiting(m_names.size(), 0);
    for (const auto& [job, needs] : wf.needs) {
      const auto j = m_index.at(job);
      for (const auto& need : std::set<std::string>(needs.begin(), needs.end())) {
        next[m_index.at(need)].push_back(j);
        ++waiting[j];
      }
    }
    m_ancestors.assign(m_names.size() * m_words, 0);
    std::vector<std::size_t> ready;
    for (std::size_t j = 0; j < m_names.size(); ++j) {
      if (waiting[j] == 0) {
        ready.push_back(j);
      }
    }
    while (!ready.empty()) {  // Kahn's order; jobs in a `needs` cycle (GitHub refuses those) stay unordered
      const auto need = ready.back();
      ready.pop_back();
      const auto tracked = m_tracked.find(m_names[need]);
      for (const auto j : next[need]) {
        for (std::size_t w = 0; w < m_words; ++w) {
          m_ancestors[j * m_words + w] |= m_ancestors[need * m_words + w];
        }
        if (tracked != m_tracked.end()) {
          m_ancestors[j * m_words + tracked->second / 64] |= std::uint64_t{1} << (tracked->second % 64);
        }
        if (--waiting[j] == 0) {
          ready.push_back(j);
        }
      }
    }
  }

  /// Starts a new set of kept sites (one deploy target).
  void reset() {
    m_kept_jobs.clear();
    m_kept.assign(m_words, 0);
    m_kept_ancestors.assign(m_words, 0);
  }

  /// Whether `job` deploys in sequence with a kept job (the same job, one it needs, or one that
  /// needs it); if not, it is kept. Constant work per call.
  bool covered_else_keep(const std::string& job) {
    if (!m_kept_jobs.insert(job).second) {
      return true;
    }
    const auto row = m_index.find(job);
    const auto bit = m_tracked.find(job);
    bool covered = false;
    for (std::size_t w = 0; row != m_index.end() && w < m_words; ++w) {
      covered = covered || (m_ancestors[row->second * m_words + w] & m_kept[w]) != 0;
    }
    if (bit != m_tracked.end()) {
      covered = covered || (m_kept_ancestors[bit->second / 64] >> (bit->second % 64) & 1U) != 0;
    }
    if (!covered) {
      if (bit != m_tracked.end()) {
        m_kept[bit->second / 64] |= std::uint64_t{1} << (bit->second % 64);
      }
      for (std::size_t w = 0; row != m_index.end() && w < m_words; ++w) {
        m_kept_ancestors[w] |= m_ancestors[row->second * m_words + w];
      }
    }
    return covered;
  }

private:
  void index(const std::string& job) {
    if (m_index.try_emplace(job, m_names.size()).second) {
      m_names.push_back(job);
    }
  }

  std::map<std::string, std::size_t> m_tracked;  // deploying job -> bit
  std::map<std::string, std::size_t> m_index;    // every job -> row
  std::vector<std::string> m_names;
  std::size_t m_words = 0;
  std::vector<std::uint64_t> m_ancestors;  // row-major: one bitset of deploying ancestors per job
  std::set<std::string> m_kept_jobs;
  std::vector<std::uint64_t> m_kept;            // the kept deploying jobs
  std::vector<std::uint64_t> m_kept_ancestors;  // every deploying job a kept one needs
};

/// Kept jobs with an `if:` that a later job's `if:` is compared with; past this many, a job is
/// not compared with more (it is then reported as it would be without the `if:`).
constexpr std::size_t k_max_compared_conditions = 256;

/// Whether the site's job never runs on the same event as any earlier deploying job of its
/// workflow (their `if:` conditions exclude each other on github.event_name or github.ref), so it
/// races none of them; one earlier job it may run with is enough to keep it.
bool excluded(const Site& site, const std::vector<Site>& earlier) {
  const auto& conditions = site.workflow->conditions;
  const auto mine = conditions.find(site.deploy->job);
  if (mine == conditions.end()) {
    return false;
  }
  std::size_t compared = 0;
  for (const auto& other : earlier) {
    if (other.workflow != site.workflow || other.deploy->job == site.deploy->job) {
      continue;
    }
    const auto theirs = conditions.find(other.deploy->job);
    if (theirs == conditions.end() || ++compared > k_max_compared_conditions ||
        !exclusive(mine->second, theirs->second)) {
      return false;
    }
  }
  return compared > 0;
}

/// One site per (workflow, job); a job ordered after another deploying job of its workflow is
/// part of the same sequence and dropped, and so is one that never runs on the same event.
std::vector<Site> independent_sites(const std::vector<Site>& sites,
                                    std::map<const WorkflowSummary*, JobOrder>& orders) {
  for (const auto& site : sites) {
    orders.try_emplace(site.workflow, *site.workflow).first->second.reset();
  }
  std::vector<Site> out;
  std::vector<Site> earlier;
  for (const auto& site : sites) {
    if (!excluded(site, earlier) && !orders.at(site.workflow).covered_else_keep(site.deploy->job)) {
      out.push_back(site);
    }
    if (earlier.size() <= k_max_compared_conditions) {
      earlier.push_back(site);  // past the cap, excluded() gives up and nothing is hidden
    }
  }
  return out;
}

/// Whether every site's job is held by one concurrency group, the same literal group (or the
/// same text, when it reads nothing that differs between workflows), so runs queue.
bool shared_group(const std::vector<Site>& sites) {
  const auto group = [](const Site& s) -> std::string {
    const auto& facts = s.deploy->facts;
    if (facts == nullptr || facts->concurrency.empty() || facts->concurrency == "?" || facts->cancel_at) {
      return {};
    }
    if (!facts->group_known && (facts->concurrency.find("github.workflow") != std::string::npos ||
                                facts->concurrency.find("github.run_") != std::string::npos ||
                                facts->concurrency.find("github.job") != std::string::npos)) {
      return {};
    }
    return facts->concurrency;
  };
  const auto first = group(sites.front());
  return !first.empty() && std::all_of(sites.begin(), sites.end(), [&](const Site& s) { return group(s) == first; });
}

/// The job, how it deploys and the triggers that reach it through its `if:` (the related place
/// already says the file).
std::string describe(const Site& site) {
  return "job '" + text::shorten(site.deploy->job, 60) + "' (" + site.deploy->how + ") runs on " +
         text::shorten(reached_text(*site.workflow, *site.deploy), 200);
}

}  // namespace

void OverlappingDeployTargets::on_repository(const std::vector<WorkflowSummary>& workflows, const Context&,
                                             Reporter& out) const {
  for (const auto& wf : workflows) {
    for (const auto& site : wf.unknown) {
      if (site.per_run || (site.rollback && wf.dispatch_only) || site.how == "heroku pipelines:promote") {
        continue;  // a review app overlaps nothing; a manual rollback is no deploy path; promote's
                   // downstream apps are the pipeline's, not named here
      }
      std::vector<Related> related;
      if (site.via) {
        related.push_back({*site.via, "the deploy the call above runs"});
      }
      out.report(Severity::note, site.where,
                 "cannot tell before the run which app `" + text::shorten(site.app, 40) +
                     "` is, so overlaps with it are not checked; use a literal or a secret",
                 std::move(related));
    }
  }
  std::map<std::string, std::vector<Site>> by_target;
  std::map<const WorkflowSummary*, JobOrder> orders;
  for (const auto& wf : workflows) {
    for (const auto& deploy : wf.sites) {
      // A manual rollback returns the app to a release a deploy path made: not a second path.
      if (!deploy.rollback || !wf.dispatch_only) {
        by_target[deploy.platform + ":" + deploy.app + "@" + deploy.scope].push_back({&wf, &deploy});
      }
    }
  }
  for (auto& [target, all_sites] : by_target) {
    std::stable_sort(all_sites.begin(), all_sites.end(),
                     [](const Site& a, const Site& b) { return a.deploy->where < b.deploy->where; });
    const auto sites = independent_sites(all_sites, orders);
    if (sites.size() < 2) {
      continue;
    }
    // Manual workflows, one place each: every dispatch starts one of them, so they never race.
    std::set<const WorkflowSummary*> seen;
    const bool manual_only = std::all_of(sites.begin(), sites.end(), [&seen](const Site& s) {
      return s.workflow->dispatch_only && seen.insert(s.workflow).second;
    });
    if (manual_only) {
      continue;
    }
    const auto& first = sites.front();
    const bool same_triggers = std::all_of(sites.begin(), sites.end(), [&first](const Site& s) {
      return s.workflow->trigger_key == first.workflow->trigger_key;
    });
    // The message stays one short line; each place, with its job and triggers, is a related entry.
    const auto app = text::shorten(first.deploy->app, 40);
    const auto full_app = text::shorten(first.deploy->app, 200);  // the related lines name it in full
    std::vector<Related> related;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      related.push_back(
          {sites[i].deploy->where, (i == 0 ? "deploys '" : "also deploys '") + full_app + "': " + describe(sites[i])});
      if (sites[i].deploy->via) {
        related.push_back({*sites[i].deploy->via, "the deploy the call above runs"});
      }
    }
    const std::string head = "Heroku app '" + app + "' is deployed from " + std::to_string(sites.size()) + " places";
    if (same_triggers && shared_group(sites)) {
      continue;  // one concurrency group queues them: they take turns, never race
    }
    if (same_triggers) {
      const bool one_workflow =
          std::all_of(sites.begin(), sites.end(), [&first](const Site& s) { return s.workflow == first.workflow; });
      out.report(Severity::warning, first.deploy->where,
                 head + " with the same triggers, so they race each other; keep one, or " +
                     (one_workflow ? "order them with `needs:`" : "give them one `concurrency:` group"),
                 std::move(related));
    } else {
      out.report(first.deploy->where, head + " with different triggers; keep one deploy path", std::move(related));
    }
  }
}

}  // namespace shipgate::lint
