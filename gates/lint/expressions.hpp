#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/yaml.hpp"
#include "lint/workflow.hpp"

namespace shipgate::lint {

/// What a value can be resolved against statically: env at workflow, job and step level (the
/// innermost wins) and the job's static matrix.
struct Scope {
  const yaml::Document* doc = nullptr;
  const yaml::Node* workflow_env = nullptr;
  const yaml::Node* job_env = nullptr;
  const yaml::Node* step_env = nullptr;
  const yaml::Node* matrix = nullptr;
  bool allow_env = true;  // `jobs.<id>.environment` cannot see the env context

  static Scope for_step(const Workflow& wf, const Job& job, const Step* step);
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

}  // namespace shipgate::lint
