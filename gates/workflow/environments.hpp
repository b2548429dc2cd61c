#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::workflow {

/// The environments a job may run in, as its `environment:` names them before the run.
struct EnvironmentNames {
  enum class State {
    none,      // the job has no `environment:`
    unnamed,   // it has one without a name (no `name:`, not a scalar, or empty)
    known,     // `names` holds every name it can take
    deferred,  // the name reads an input that callers pass: it is known where they call
    unknown,   // the name cannot be known before the run (a variable, the github context, ...)
  };
  State state = State::none;
  /// For `known`: every name, as resolved (one per matrix value; "" where a value is empty).
  std::vector<std::string> names;
  /// Where the name is written (`environment: NAME`, or its `name:`), else the `environment:`
  /// key; nullptr for `none`.
  const yaml::Node* where = nullptr;
  /// The name as written (an expression for `deferred` and `unknown`); "" for `none`, `unnamed`.
  std::string written;
};

/// What `jobs.<id>.environment` names, resolved as far as it can be known statically: of the
/// contexts it may read (github, needs, strategy, matrix, vars, inputs; never env) only a static
/// matrix and the inputs `wf` is bound to are known. The one reading of a job's environment for
/// every rule and gate.
EnvironmentNames environment_names(const Workflow& wf, const Job& job);

/// The environment that scopes a job's secrets (lower-cased): "" for none, nullopt when it is not
/// one name known before the run.
std::optional<std::string> environment_scope(const Workflow& wf, const Job& job);

}  // namespace shipgate::workflow
