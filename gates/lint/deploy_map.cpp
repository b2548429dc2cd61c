#include "lint/deploy_map.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "lint/reach.hpp"

namespace shipgate::lint {

namespace {

/// Labels are cut so one long value cannot make the graph or a table unreadable.
constexpr std::size_t k_max_label = 120;
/// The step summary's graph stops at this many paths (the JSON and text forms have them all).
constexpr std::size_t k_max_summary_graph_paths = 150;
constexpr std::size_t k_max_summary_rows = 500;

void add_unique(std::vector<std::string>& into, const std::string& gate) {
  if (std::find(into.begin(), into.end(), gate) == into.end()) {
    into.push_back(gate);
  }
}

/// Jobs reached from `start` through `edges` (job -> next jobs), `start` left out; each job once,
/// so the walk is linear in the edges.
std::set<std::string> reachable(const std::string& start,
                                const std::map<std::string, std::vector<std::string>>& edges) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {start};
  while (!todo.empty()) {
    const auto job = std::move(todo.back());
    todo.pop_back();
    const auto it = edges.find(job);
    if (it == edges.end()) {
      continue;
    }
    for (const auto& next : it->second) {
      if (next != start && seen.insert(next).second) {
        todo.push_back(next);
      }
    }
  }
  return seen;
}

DeployPath make_path(const WorkflowSummary& wf, const DeploySite& site,
                     const std::map<std::string, std::vector<std::string>>& needed_by) {
  DeployPath path{&wf, &site, {}, {}, {}, {}};
  const auto required = site_requirements(wf, site);
  for (const auto& t : wf.triggers) {
    if (can_run_on(t, required)) {
      path.reached_by.push_back(&t);
      path.reached_as.push_back(reached_as(t, required));
    }
  }
  if (site.facts != nullptr) {
    for (const auto& [index, gate] : site.facts->gates) {
      if (index < site.step) {
        add_unique(path.gates_before, gate);
      } else if (index > site.step) {
        add_unique(path.gates_after, gate);
      }
    }
  }
  const auto gates_of = [&wf](const std::set<std::string>& jobs, std::vector<std::string>& into) {
    for (const auto& job : jobs) {
      if (const auto it = wf.job_gates.find(job); it != wf.job_gates.end()) {
        for (const auto& gate : it->second) {
          add_unique(into, gate);
        }
      }
    }
  };
  gates_of(reachable(site.job, wf.needs), path.gates_before);
  gates_of(reachable(site.job, needed_by), path.gates_after);
  return path;
}

std::string place(const Location& where) { return text::one_line(where.to_string()); }

std::string job_text(const DeploySite& site) { return "job '" + text::one_line(text::shorten(site.job, 60)) + "'"; }

/// The environment of a path, with its protection when records are given.
std::string environment_text(const DeploySite& site, const Context& ctx) {
  if (site.facts == nullptr || site.facts->environment == EnvironmentNames::State::none) {
    return "none";
  }
  const auto& facts = *site.facts;
  if (facts.environment != EnvironmentNames::State::known) {
    return facts.environment_written.empty()
               ? std::string("(unnamed)")
               : text::one_line(text::shorten(facts.environment_written, 60)) + " (known at run time)";
  }
  std::vector<std::string> parts;
  for (const auto& name : facts.environments) {
    auto shown = text::one_line(text::shorten(name, 60));
    if (ctx.environments == nullptr) {
      parts.push_back(shown);
      continue;
    }
    const auto* record = ctx.environments->find(name);
    if (record == nullptr) {
      parts.push_back(shown + " (not in the records: GitHub creates it unprotected)");
      continue;
    }
    if (record->raw.is_null()) {
      parts.push_back(shown + " (protection unknown: the records name it only)");
      continue;
    }
    std::vector<std::string> rules;
    if (record->reviewers > 0 || record->has_reviewers_rule) {
      rules.push_back(text::plural(record->reviewers, "required reviewer"));
    }
    if (record->wait_timer_minutes && *record->wait_timer_minutes > 0) {
      rules.push_back("wait " + std::to_string(*record->wait_timer_minutes) + " min");
    }
    if (record->branch_policy) {
      rules.push_back("branch policy");
    }
    parts.push_back(shown + " (" + (rules.empty() ? std::string("unprotected") : text::join(rules, ", ")) + ")");
  }
  return text::join(parts, ", ");
}

std::string concurrency_text(const DeploySite& site) {
  if (site.facts == nullptr || site.facts->concurrency.empty()) {
    return "none";
  }
  return "group " + text::one_line(text::shorten(site.facts->concurrency, 80)) +
         (site.facts->cancel_at ? ", cancels a run in progress" : "");
}

std::string triggers_text(const DeployPath& path) {
  if (path.reached_as.empty()) {
    return "nothing: no trigger meets its if:";
  }
  std::vector<std::string> parts;
  for (const auto& t : path.reached_as) {
    parts.push_back(text::one_line(text::shorten(t, 200)));
  }
  return text::join(parts, ", ");
}

std::string gates_text(const DeployPath& path) {
  const auto list = [](const std::vector<std::string>& gates) {
    return gates.empty() ? std::string("none") : text::join(gates, ", ");
  };
  std::string out = "before: " + list(path.gates_before) + "; after: " + list(path.gates_after);
  if (!path.site->checked && path.gates_after.empty()) {
    out += " (no check of the deploy recognised)";
  } else if (path.site->checked) {
    out += " (checked)";
  }
  return out;
}

std::string condition_text(const DeploySite& site) {
  std::vector<std::string> parts;
  if (site.facts != nullptr && !site.facts->condition.empty()) {
    parts.push_back("job: " + text::one_line(text::shorten(site.facts->condition, 200)));
  }
  if (!site.condition.empty()) {
    parts.push_back("step: " + text::one_line(text::shorten(site.condition, 200)));
  }
  return parts.empty() ? std::string("none") : text::join(parts, "; ");
}

std::string target_name(const DeployTarget& target) {
  if (target.known) {
    return "'" + text::one_line(text::shorten(target.app, 80)) + "'";
  }
  const bool review =
      std::all_of(target.paths.begin(), target.paths.end(), [](const DeployPath& p) { return p.site->per_run; });
  return (review ? "a review app named per run or pull request: " : "unknown before the run: ") +
         text::one_line(text::shorten(target.app, 80));
}

/// One possible deploy as a line: the job's place, the job, and why.
std::string possible_text(const PossibleDeploy& p) {
  return place(p.where) + "  job '" + text::one_line(text::shorten(p.job, 60)) + "'  " + text::one_line(p.why);
}

constexpr std::string_view k_possible_heading =
    "possible deploys (Heroku credentials or CLI, but no deploy shipgate recognises, so no target is "
    "known; check them by hand):";

std::string render_text(const std::vector<DeployTarget>& targets, const std::vector<PossibleDeploy>& possible,
                        const Context& ctx) {
  std::ostringstream out;
  if (targets.empty()) {
    out << "no deploys found (recognised: the deploy actions of rules/deploy-actions.yml, heroku CLI deploy "
           "commands, git push to Heroku; a deploy inside make or a script is not seen)\n";
  }
  if (!possible.empty()) {
    out << k_possible_heading << '\n';
    for (const auto& p : possible) {
      out << "  " << possible_text(p) << '\n';
    }
  }
  for (const auto& target : targets) {
    out << "target " << target_name(target) << (target.production ? " (production)" : "") << ": "
        << text::plural(target.paths.size(), "path") << '\n';
    for (const auto& path : target.paths) {
      const auto& site = *path.site;
      out << "  " << place(site.where) << "  " << job_text(site) << "  " << text::one_line(site.how) << '\n';
      if (site.via) {
        out << "    written at:  " << place(*site.via) << '\n';
      }
      out << "    reached by:  " << triggers_text(path) << '\n';
      if (!path.workflow->dispatch_inputs.empty()) {
        out << "    inputs:      "
            << text::one_line(text::shorten(text::join(path.workflow->dispatch_inputs, ", "), 200)) << '\n';
      }
      out << "    if:          " << condition_text(site) << '\n';
      out << "    environment: " << environment_text(site, ctx) << '\n';
      out << "    concurrency: " << concurrency_text(site) << '\n';
      out << "    gates:       " << gates_text(path) << '\n';
    }
  }
  return out.str();
}

nlohmann::json location_json(const Location& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

std::string environment_state(EnvironmentNames::State state) {
  switch (state) {
    case EnvironmentNames::State::none:
      return "none";
    case EnvironmentNames::State::unnamed:
      return "unnamed";
    case EnvironmentNames::State::known:
      return "known";
    case EnvironmentNames::State::deferred:
      return "deferred";
    case EnvironmentNames::State::unknown:
      return "unknown";
  }
  return "unknown";
}

nlohmann::json environment_json(const DeploySite& site, const Context& ctx) {
  if (site.facts == nullptr) {
    return {{"state", "none"}};
  }
  const auto& facts = *site.facts;
  nlohmann::json env = {{"state", environment_state(facts.environment)}};
  if (facts.environment == EnvironmentNames::State::none) {
    return env;
  }
  env["written"] = facts.environment_written;
  env["names"] = nlohmann::json::array();
  for (const auto& name : facts.environments) {
    nlohmann::json entry = {{"name", name}};
    if (ctx.environments != nullptr) {
      const auto* record = ctx.environments->find(name);
      entry["in_records"] = record != nullptr;
      if (record != nullptr) {
        entry["required_reviewers"] = record->reviewers;
        entry["branch_policy"] = record->branch_policy;
        entry["wait_timer_minutes"] = record->wait_timer_minutes.value_or(0);
        entry["protection_rules"] = record->protection_rules;
      }
    }
    env["names"].push_back(std::move(entry));
  }
  return env;
}

std::string render_json(const std::vector<DeployTarget>& targets, const std::vector<PossibleDeploy>& possible,
                        const Context& ctx, std::size_t files) {
  nlohmann::json doc = {{"version", 1}, {"tool", "shipgate-lint"}, {"files", files}};
  auto& list = doc["targets"] = nlohmann::json::array();
  for (const auto& target : targets) {
    nlohmann::json t = {{"app", target.app}, {"known", target.known}, {"production", target.production}};
    auto& paths = t["paths"] = nlohmann::json::array();
    for (const auto& path : target.paths) {
      const auto& site = *path.site;
      nlohmann::json p = {{"workflow", path.workflow->path},
                          {"at", location_json(site.where)},
                          {"written_at", site.via ? location_json(*site.via) : nlohmann::json(nullptr)},
                          {"job", site.job},
                          {"how", site.how},
                          {"review_app", site.per_run},
                          {"rollback", site.rollback}};
      auto& triggers = p["triggers"] = nlohmann::json::array();
      for (const auto& trigger : path.workflow->triggers) {
        const auto at = std::find(path.reached_by.begin(), path.reached_by.end(), &trigger);
        const bool reaches = at != path.reached_by.end();
        triggers.push_back(
            {{"event", trigger.event},
             {"filters", trigger.filters},
             {"reaches", reaches},
             {"reaches_as",
              reaches ? nlohmann::json(path.reached_as[static_cast<std::size_t>(at - path.reached_by.begin())])
                      : nlohmann::json(nullptr)}});
      }
      p["dispatch_inputs"] = path.workflow->dispatch_inputs;
      p["if"] = {{"job", site.facts != nullptr ? site.facts->condition : std::string()}, {"step", site.condition}};
      p["environment"] = environment_json(site, ctx);
      p["concurrency"] = site.facts == nullptr || site.facts->concurrency.empty()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json{{"group", site.facts->concurrency},
                                              {"literal", site.facts->group_known},
                                              {"cancel_in_progress", site.facts->cancel_at.has_value()}};
      p["gates"] = {{"before", path.gates_before}, {"after", path.gates_after}, {"checked", site.checked}};
      paths.push_back(std::move(p));
    }
    list.push_back(std::move(t));
  }
  auto& maybe = doc["possible"] = nlohmann::json::array();
  for (const auto& p : possible) {
    maybe.push_back({{"at", location_json(p.where)}, {"job", p.job}, {"why", p.why}});
  }
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

/// The graph: each workflow a subgraph of its triggers and deploying jobs, the apps outside,
/// trigger -> job where the trigger reaches the deploy, job -> app labelled with the environment.
std::string render_mermaid(const std::vector<DeployTarget>& targets, std::size_t max_paths, const Context& ctx) {
  std::ostringstream out;
  out << "flowchart LR\n";
  std::map<std::string, std::vector<std::string>> workflow_nodes;  // workflow -> its node lines
  std::map<std::string, std::string> trigger_ids;                  // workflow + trigger -> id
  std::map<std::string, std::string> job_ids;                      // workflow + job -> id
  std::set<std::string> edges;
  std::vector<std::string> edge_lines;
  std::size_t shown = 0;
  std::size_t counter = 0;
  const auto next_id = [&counter](char kind) { return std::string(1, kind) + std::to_string(counter++); };
  std::vector<std::string> app_lines;
  for (const auto& target : targets) {
    const auto app_id = next_id('a');
    app_lines.push_back("  " + app_id + "[(\"" + mermaid_label((target.known ? "" : "unknown: ") + target.app) +
                        "\")]");
    for (const auto& path : target.paths) {
      if (shown++ >= max_paths) {
        break;
      }
      const auto& wf = *path.workflow;
      const auto& site = *path.site;
      auto& nodes = workflow_nodes[wf.path];
      const auto job_key = wf.path + '\n' + site.job;
      auto [job, new_job] = job_ids.try_emplace(job_key, std::string());
      if (new_job) {
        job->second = next_id('j');
        nodes.push_back("    " + job->second + "[\"" + mermaid_label("job " + site.job) + "\"]");
      }
      for (const auto& reached : path.reached_as) {
        const auto trigger_key = wf.path + '\n' + reached;
        auto [trigger, new_trigger] = trigger_ids.try_emplace(trigger_key, std::string());
        if (new_trigger) {
          trigger->second = next_id('t');
          nodes.push_back("    " + trigger->second + "([\"" + mermaid_label(reached) + "\"])");
        }
        if (edges.insert(trigger->second + ">" + job->second).second) {
          edge_lines.push_back("  " + trigger->second + " --> " + job->second);
        }
      }
      const auto env = environment_text(site, ctx);
      const auto label = env == "none" ? std::string("no environment") : "environment " + env;
      if (edges.insert(job->second + ">" + app_id + ">" + label).second) {
        edge_lines.push_back("  " + job->second + " -->|\"" + mermaid_label(label) + "\"| " + app_id);
      }
    }
  }
  std::size_t workflow_index = 0;
  for (const auto& [path, nodes] : workflow_nodes) {
    out << "  subgraph w" << workflow_index++ << "[\"" << mermaid_label(path) << "\"]\n";
    for (const auto& line : nodes) {
      out << line << '\n';
    }
    out << "  end\n";
  }
  for (const auto& line : app_lines) {
    out << line << '\n';
  }
  for (const auto& line : edge_lines) {
    out << line << '\n';
  }
  return out.str();
}

std::string render_summary(const std::vector<DeployTarget>& targets, const std::vector<PossibleDeploy>& possible,
                           const Context& ctx, std::size_t paths, std::size_t files) {
  std::ostringstream out;
  out << "### shipgate-lint: deploy map\n\n"
      << text::plural(targets.size(), "deploy target") << ", " << text::plural(paths, "path") << " in "
      << text::plural(files, "file") << ".\n\n";
  if (!possible.empty()) {
    out << text::markdown(std::string(k_possible_heading)) << "\n\n";
    std::size_t shown = 0;
    for (const auto& p : possible) {
      if (shown++ >= k_max_summary_rows) {
        out << "- _" << (possible.size() - k_max_summary_rows) << " more: see the text or JSON form._\n";
        break;
      }
      out << "- " << text::markdown(possible_text(p)) << "\n";
    }
    out << "\n";
  }
  if (targets.empty()) {
    return out.str();
  }
  if (paths <= k_max_summary_graph_paths) {
    out << "```mermaid\n" << render_mermaid(targets, paths, ctx) << "```\n\n";
  } else {
    out << "_The graph is left out above " << k_max_summary_graph_paths
        << " paths; `--deploy-map --format mermaid` writes it whole._\n\n";
  }
  out << "| target | deployed at | job | how | reached by | environment | concurrency | gates |\n"
      << "|---|---|---|---|---|---|---|---|\n";
  std::size_t rows = 0;
  for (const auto& target : targets) {
    for (const auto& path : target.paths) {
      if (rows++ >= k_max_summary_rows) {
        out << "\n_" << (paths - k_max_summary_rows) << " more paths: see the text or JSON form._\n";
        return out.str();
      }
      const auto& site = *path.site;
      out << "| " << text::markdown(target_name(target)) << " | " << text::markdown(place(site.where)) << " | "
          << text::markdown(site.job) << " | " << text::markdown(site.how) << " | "
          << text::markdown(triggers_text(path)) << " | " << text::markdown(environment_text(site, ctx)) << " | "
          << text::markdown(concurrency_text(site)) << " | " << text::markdown(gates_text(path)) << " |\n";
    }
  }
  return out.str();
}

}  // namespace

std::vector<DeployTarget> deploy_map(const std::vector<WorkflowSummary>& workflows) {
  std::map<std::pair<bool, std::string>, DeployTarget> by_target;  // (unknown, app) -> target
  for (const auto& wf : workflows) {
    std::map<std::string, std::vector<std::string>> needed_by;  // job -> the jobs that need it
    for (const auto& [job, needs] : wf.needs) {
      for (const auto& need : needs) {
        needed_by[need].push_back(job);
      }
    }
    for (const auto* list : {&wf.sites, &wf.unknown}) {
      const bool known = list == &wf.sites;
      for (const auto& site : *list) {
        auto& target = by_target[{!known, site.app}];
        target.app = site.app;
        target.known = known;
        target.production = target.production || is_production(site);
        target.paths.push_back(make_path(wf, site, needed_by));
      }
    }
  }
  std::vector<DeployTarget> out;
  out.reserve(by_target.size());
  for (auto& [key, target] : by_target) {
    std::sort(target.paths.begin(), target.paths.end(), [](const DeployPath& a, const DeployPath& b) {
      return std::tie(a.site->where, a.site->how) < std::tie(b.site->where, b.site->how);
    });
    out.push_back(std::move(target));
  }
  return out;
}

Outcome::Document render_deploy_map(const std::vector<DeployTarget>& targets,
                                    const std::vector<PossibleDeploy>& possible, const Context& ctx,
                                    std::size_t files) {
  std::size_t paths = 0;
  for (const auto& target : targets) {
    paths += target.paths.size();
  }
  Outcome::Document doc;
  doc.forms["text"] = render_text(targets, possible, ctx);
  doc.forms["github"] = doc.forms["text"];  // a map has no annotations: the action's default format shows the text
  doc.forms["json"] = render_json(targets, possible, ctx, files);
  doc.forms["mermaid"] = render_mermaid(targets, paths, ctx);
  doc.summary = render_summary(targets, possible, ctx, paths, files);
  return doc;
}

std::string mermaid_label(std::string_view text) {
  // HTML's named entities: the browser decodes them after Mermaid has parsed the label, and none
  // holds '#' (Mermaid's own `#code;` escapes are not decoded in every shape).
  static const std::map<char, std::string_view> k_entities = {
      {'"', "&quot;"}, {'&', "&amp;"},    {'<', "&lt;"},     {'>', "&gt;"},    {'#', "&num;"},    {'`', "&grave;"},
      {'*', "&ast;"},  {'_', "&lowbar;"}, {'[', "&lsqb;"},   {']', "&rsqb;"},  {'{', "&lcub;"},   {'}', "&rcub;"},
      {'|', "&vert;"}, {';', "&semi;"},   {'%', "&percnt;"}, {'\\', "&bsol;"}, {'$', "&dollar;"}, {'^', "&Hat;"}};
  std::string out;
  const auto cut = text::shorten(text, k_max_label);
  out.reserve(cut.size());
  for (const char c : cut) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain =
        u >= 0x80 || std::isalnum(u) != 0 || std::string_view(" -.:/,@+=!?'()~").find(c) != std::string_view::npos;
    if (const auto it = k_entities.find(c); it != k_entities.end()) {
      out += it->second;
    } else {
      // UTF-8 bytes of other scripts pass (none is Mermaid syntax); control characters, and
      // anything else unlisted, become spaces.
      out += plain ? c : ' ';
    }
  }
  return out;
}

}  // namespace shipgate::lint
