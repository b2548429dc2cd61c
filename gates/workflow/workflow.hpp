#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/yaml.hpp"

namespace shipgate::workflow {

struct Binding;  // expressions.hpp

/// A scalar value with where it is written and how it is quoted (0 for plain, '"', '\'', '|', '>'),
/// as the runner reads it: a YAML core-schema boolean is "true" or "false", null is "".
struct String {
  std::string value;
  yaml::Position pos;
  char style = 0;
  const yaml::Node* node = nullptr;

  /// The scalar at `node` (nullopt for a mapping, a sequence or no node).
  static std::optional<String> of(const yaml::Node* node);
  /// Whether the value holds a `${{ }}` expression.
  bool has_expression() const;
};

/// A branch, tag or path filter of a push or pull_request event, as written.
struct Filters {
  std::vector<std::string> branches, branches_ignore, tags, tags_ignore, paths, paths_ignore;
  bool any() const { return !branches.empty() || !branches_ignore.empty() || !tags.empty() || !tags_ignore.empty(); }
  friend bool operator==(const Filters&, const Filters&) = default;
  friend auto operator<=>(const Filters&, const Filters&) = default;
};

/// `concurrency:` at workflow or job level: its group (nullopt when not set) and
/// `cancel-in-progress` (as written; nullopt when absent, which means false).
struct Concurrency {
  const yaml::Node* key = nullptr;  // the `concurrency:` key; nullptr when absent
  std::optional<String> group;
  std::optional<String> cancel_in_progress;
  explicit operator bool() const { return key != nullptr; }
};

/// One event a workflow runs on, with its filters normalised ("branches: main; tags: v*").
struct Trigger {
  std::string event;
  std::string filters;
  /// push and pull_request family: the branch and tag filters (empty for other events).
  Filters refs;

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
  std::optional<String> id;          // `id:`
  std::optional<String> name;        // `name:`
  std::optional<String> condition;   // `if:`

  /// The `with:` input `name` as the runner passes it (case-insensitive, booleans as
  /// "true"/"false"); nullopt when not given or not a scalar.
  std::optional<String> input(const yaml::Document& doc, std::string_view input_name) const;
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
  std::vector<String> runs_on;  // `runs-on:` labels (a scalar, a list, or a mapping's `labels`)
  Concurrency concurrency;
  std::optional<String> environment_url;  // `environment.url`
  const yaml::Node* container = nullptr;  // `container:` value, if any (the job runs in that image)
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
  /// For a composite action evaluated for one call: the workflow (or action) that calls it, and
  /// the calling job and step there. The action's steps run in that job, on its runner, after
  /// the steps before the call; all nullptr when the action is linted on its own.
  const Workflow* caller = nullptr;
  const Job* calling_job = nullptr;
  const Step* calling_step = nullptr;
  /// The inputs callers pass (`on.workflow_call.inputs`, or an action's `inputs`), if declared.
  const yaml::Node* declared_inputs = nullptr;
  /// What the inputs hold: a dispatch's options when linted on its own, one caller's values
  /// when evaluated for a call.
  std::shared_ptr<const Binding> binding;
  Concurrency concurrency;  // workflow-level `concurrency:`
  /// The file's text, when the caller keeps it alive while rules run (comments are read from it).
  std::string_view text;

  /// `on.workflow_dispatch.inputs`: each input's name, where it is written.
  std::vector<String> dispatch_inputs;

  /// Whether `event` is one of the triggers.
  bool runs_on_event(std::string_view event) const;

  /// "push (branches: main), workflow_dispatch", or "no triggers"; cut at k_max_trigger_text
  /// characters, since filter lists can be long and the text goes into every related message.
  std::string describe_triggers() const;
  static constexpr std::size_t k_max_trigger_text = 300;
};

/// The version a commit-SHA pin names in its comment (`uses: o/r@<sha> # v3.13.15`, also
/// `# tag=v3.13.15`), read from the workflow's text; nullopt without one (or without the text).
std::optional<std::string> version_comment(const Workflow& wf, const Step& step);

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
