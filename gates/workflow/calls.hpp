#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workflow/expressions.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::workflow {

/// A local reusable workflow (`jobs.<id>.uses: ./.github/workflows/x.yml`) or composite action
/// (`steps[*].uses: ./path`) that a workflow calls.
struct LocalCall {
  bool action = false;
  const Job* job = nullptr;
  const Step* step = nullptr;            // nullptr for a reusable workflow, which a whole job calls
  const yaml::Node* uses = nullptr;      // the `uses:` value (the path)
  const yaml::Node* uses_key = nullptr;  // the `uses:` key, where the call is reported
  const yaml::Node* with = nullptr;      // the values passed, if any
};

/// Deepest chain of calls followed (GitHub's own limit for nested reusable workflows is ten).
inline constexpr int k_max_call_depth = 10;

/// The calls of `wf` to local files (`./...`), in job and step order.
std::vector<LocalCall> local_calls(const Workflow& wf);

/// The repository root that `./` in `uses:` means for a file at absolute path `file`: the
/// directory holding the `.github` it lies in, else `fallback`.
std::string call_root(const std::string& file, const std::string& fallback);

/// The absolute path of the file a call runs (a workflow file, or the action's action.yml or
/// action.yaml) below `root`; nullopt when it would leave the repository (`../`, or a link
/// pointing out of it) or does not exist.
std::optional<std::string> callee_file(const LocalCall& call, const std::string& root);

/// What a call runs its callee with: each declared input as the caller passes it (resolved in
/// the caller's scope) or its default, the secrets a reusable workflow is handed, and for a
/// composite action the calling step's scope.
std::shared_ptr<const Binding> bind_call(const Workflow& caller, const LocalCall& call, const Workflow& callee);

}  // namespace shipgate::workflow
