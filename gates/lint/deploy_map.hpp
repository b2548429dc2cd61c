#pragma once

#include <string>
#include <vector>

#include "core/check.hpp"
#include "lint/deploy_sites.hpp"
#include "lint/rule.hpp"

// The deploy map (`shipgate-lint --deploy-map`): every deploy target and each path that reaches
// it, with what guards the path, as text, JSON and a Mermaid graph.

namespace shipgate::lint {

/// One way a target is deployed: a deploy site, the events that reach it, and the gates around it.
struct DeployPath {
  const WorkflowSummary* workflow = nullptr;
  const DeploySite* site = nullptr;
  /// The workflow's triggers that can reach the deploy as its `if:` conditions allow; a trigger
  /// whose events can never meet them is left out.
  std::vector<const workflow::Trigger*> reached_by;
  /// Each of those as it reaches the deploy: a push trigger's branch or tag filters are left out
  /// where the `if:` admits only tags or only branches ("push (tags: v*)").
  std::vector<std::string> reached_as;
  std::vector<std::string> gates_before;  // shipgate gates that run before it (steps, needed jobs)
  std::vector<std::string> gates_after;   // and after it (later steps, jobs that need it)
};

/// A deploy target: an app, or a name known only at run time (`known` false, `app` as written).
struct DeployTarget {
  std::string app;
  bool known = true;
  bool production = false;
  std::vector<DeployPath> paths;
};

/// The targets of the repository's workflows, known apps first, each sorted by name, with their
/// paths in file order.
std::vector<DeployTarget> deploy_map(const std::vector<WorkflowSummary>& workflows);

/// The map in every form `--deploy-map` writes (text, json, mermaid) and the step summary's
/// Markdown (the Mermaid graph, then a table). `ctx.environments`, when given, adds each
/// environment's protection. `possible` are the jobs that look like deploys none of the map's
/// recognises (listed after the targets).
Outcome::Document render_deploy_map(const std::vector<DeployTarget>& targets,
                                    const std::vector<PossibleDeploy>& possible, const Context& ctx, std::size_t files);

/// `text` as the inside of a double-quoted Mermaid label: characters that Mermaid's syntax, its
/// Markdown or HTML could read are written as HTML named entities (`&quot;`, `&ast;`), control
/// characters as spaces, so no value ends a label, adds a node, formats text or adds markup.
std::string mermaid_label(std::string_view text);

}  // namespace shipgate::lint
