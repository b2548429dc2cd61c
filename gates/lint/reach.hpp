#pragma once

#include <string>
#include <vector>

#include "lint/conditions.hpp"
#include "lint/deploy_sites.hpp"

// Which events reach a deploy: its workflow's triggers, as its `if:` conditions narrow them.
// Shared by the rules that judge reachability and by the deploy map.

namespace shipgate::lint {

/// What a deploy's `if:` conditions require: the step's, its job's, and the calling job's.
std::vector<Requirement> site_requirements(const WorkflowSummary& workflow, const DeploySite& site);

/// Whether an event of trigger `t` can meet `required` (the event name, and the refs the event
/// can have: a push's branch and tag filters, a pull request's merge ref, a release's tag).
bool can_run_on(const workflow::Trigger& t, const std::vector<Requirement>& required);

/// How trigger `t` reaches a deploy that requires `required`: a push's branch filters are left
/// out when only tags can meet it, and its tag filters when only branches can.
std::string reached_as(const workflow::Trigger& t, const std::vector<Requirement>& required);

/// The triggers that reach a deploy, as reached_as gives them, comma-separated.
std::string reached_text(const WorkflowSummary& workflow, const DeploySite& site);

/// Whether a deploy is meant for production: its app or its environment says so.
bool is_production(const DeploySite& site);

}  // namespace shipgate::lint
