#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/yaml.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::workflow {

struct Scope;

/// What `inputs.NAME` holds where a value is resolved.
struct InputValue {
  std::optional<std::vector<std::string>> values;  // nullopt: unknown before the run
  /// When the values are unknown but the caller passed a secret or variable (`${{ secrets.APP }}`):
  /// that reference, and the environment that scopes it.
  std::optional<std::string> reference;
  std::string scope;
};

/// The secrets a caller hands a reusable workflow: `secrets: inherit`, or a mapping.
struct PassedSecrets {
  bool inherit = false;
  std::map<std::string, std::string, std::less<>> named;  // upper-case name -> what the caller wrote
};

/// What a workflow or composite action is run with: its inputs (a dispatch's choice options, or
/// the values one caller passes) and, for a composite action, the calling step's scope.
struct Binding {
  std::map<std::string, InputValue, std::less<>> inputs;  // lower-case names, as GitHub compares them
  /// Inputs come from callers not seen here (a workflow run only through `workflow_call`, or a
  /// composite action linted on its own): what depends on them is checked where it is called.
  bool deferred = false;
  std::optional<PassedSecrets> secrets;  // set for one call of a reusable workflow
  std::shared_ptr<const Scope> outer;    // a composite action's caller, whose env it sees
};

/// What a value can be resolved against statically: env at workflow, job and step level (the
/// innermost wins), the job's static matrix and the inputs it is run with.
struct Scope {
  const yaml::Document* doc = nullptr;
  const yaml::Node* workflow_env = nullptr;
  const yaml::Node* job_env = nullptr;
  const yaml::Node* step_env = nullptr;
  const yaml::Node* matrix = nullptr;
  bool allow_env = true;  // `jobs.<id>.environment` cannot see the env context
  const Binding* binding = nullptr;

  static Scope for_step(const Workflow& wf, const Job& job, const Step* step);

  /// Whether `text` reads an input that callers give (Binding::deferred).
  bool defers(std::string_view text) const;
};

/// Most values one string may resolve to (matrix fan-out); past it, resolution gives up.
inline constexpr std::size_t k_max_resolutions = 64;
/// Longest value resolution builds; an app or environment name is far shorter, so anything longer
/// (env chains that multiply, say) is treated as unknown before it costs time or memory.
inline constexpr std::size_t k_max_resolved_length = 1024;

/// Every literal `text` can take once `${{ env.X }}`, `${{ matrix.x }}` and literal expressions
/// (`${{ 'a' }}`, `${{ true }}`) are substituted; nullopt when any part cannot be known statically.
std::optional<std::vector<std::string>> resolve(std::string_view text, const Scope& scope);

/// The literal values of env variable `name` in scope (step, then job, then workflow env).
std::optional<std::vector<std::string>> env_value(std::string_view name, const Scope& scope);

/// Whether `text` holds a `${{ ... }}` expression at all.
bool has_expression(std::string_view text);

/// The input names `text` reads (`inputs.NAME`, `github.event.inputs.NAME`), lower-cased.
std::set<std::string> inputs_read(std::string_view text);

/// `${{ secrets.NAME }}` or `${{ vars.NAME }}` (the whole value, white space aside) in one
/// spelling, with NAME upper-cased as GitHub compares it; nullopt for anything else.
std::optional<std::string> secret_reference(std::string_view text);

/// A reference the whole of `text` is, with the environment that scopes it: a secret or variable
/// (scoped by `own_scope`, the job's environment), a caller's secret handed to a reusable
/// workflow, or a caller's reference passed in as an input; nullopt for anything else, or when
/// the scope is unknown.
std::optional<std::pair<std::string, std::string>> lookup_reference(const std::string& text, const Binding* binding,
                                                                    const std::optional<std::string>& own_scope);

}  // namespace shipgate::workflow
