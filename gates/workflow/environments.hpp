#pragma once

#include <optional>
#include <string>

#include "core/yaml.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::workflow {

/// The node naming the job's environment (`environment: NAME` or `environment: {name: NAME}`),
/// or nullptr when the job has none or it has no name.
const yaml::Node* environment_name(const yaml::Document& doc, const Job& job);

/// The environment that scopes a job's secrets (lower-cased): "" for none, nullopt when it is not
/// one name known before the run.
std::optional<std::string> environment_scope(const Workflow& wf, const Job& job);

}  // namespace shipgate::workflow
