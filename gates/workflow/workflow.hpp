#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/yaml.hpp"

namespace shipgate::workflow {

struct Binding;  // expressions.hpp

/// One event a workflow runs on, with its filters normalised ("branches: main; tags: v*").
struct Trigger {
  std::string event;
  std::string filters;

  /// "push (branches: main; tags: v*)" or "workflow_dispatch".
  std::string describe() const;
  friend bool operator==(const Trigger&, const Trigger&) = default;
  friend auto operator<=>(const Trigger&, const Trigger&) = default;
};

struct Step {
  const yaml::Node* node = nullptr;
  std::size_t index = 0;             // 0-based position in the job's steps
  yaml::Entry uses;                  // `uses:` key and value, if any
  const yaml::Node* with = nullptr;  // `with:` value, if any
  const yaml::Node* run = nullptr;   // `run:` value, if any
  const yaml::Node* env = nullptr;   // `env:` value, if any
};

struct Job {
  std::string id;
  const yaml::Node* key = nullptr;  // the job id's key node (for positions)
  const yaml::Node* node = nullptr;
  const yaml::Node* env = nullptr;
  yaml::Entry environment;             // `environment:` key and value, if any
  const yaml::Node* matrix = nullptr;  // `strategy.matrix`, if any
  std::vector<std::string> needs;
  const yaml::Node* condition = nullptr;  // `if:` value, if any
  std::vector<Step> steps;
  // A job that calls a reusable workflow (`uses:` at job level) instead of running steps.
  yaml::Entry uses;
  const yaml::Node* with = nullptr;
  const yaml::Node* secrets = nullptr;
};

/// The parts of a workflow file the rules look at, over the positioned YAML document.
struct Workflow {
  const yaml::Document* doc = nullptr;
  std::string path;
  std::vector<Trigger> triggers;  // sorted by event
  const yaml::Node* env = nullptr;
  std::vector<Job> jobs;
  /// A composite action (action.yml): one job, named after the action, holding `runs.steps`.
  bool is_action = false;
  /// Runs only when called (`workflow_call` is its one trigger, or it is an action): its inputs
  /// come from callers, and its deploys count where they call it, with their triggers.
  bool called_only = false;
  /// The inputs callers pass (`on.workflow_call.inputs`, or an action's `inputs`), if declared.
  const yaml::Node* declared_inputs = nullptr;
  /// What the inputs hold: a dispatch's options when linted on its own, one caller's values
  /// when evaluated for a call.
  std::shared_ptr<const Binding> binding;

  /// "push (branches: main), workflow_dispatch", or "no triggers"; cut at k_max_trigger_text
  /// characters, since filter lists can be long and the text goes into every related message.
  std::string describe_triggers() const;
  static constexpr std::size_t k_max_trigger_text = 300;
};

/// Builds the workflow view of `doc`. A root that is not a mapping, or has no `on` or no `jobs`
/// mapping, is an error (GitHub rejects such a file too); other shape problems leave the affected
/// part empty, so rules find nothing there rather than guessing.
Result<Workflow> build_workflow(const yaml::Document& doc);

/// Builds the model of an action metadata file (`runs:` and no `jobs:`): a composite action's
/// steps as one job; any other kind of action (JavaScript, Docker) has no steps to lint.
Result<Workflow> build_action(const yaml::Document& doc);

/// build_action for an action metadata file, build_workflow for anything else.
Result<Workflow> build_model(const yaml::Document& doc);

}  // namespace shipgate::workflow
