#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "core/result.hpp"
#include "lint/conditions.hpp"
#include "lint/data.hpp"
#include "lint/model.hpp"

namespace shipgate::lint {

/// What the deploy rules need to know of the job a deploy runs in, read once per job.
struct JobFacts {
  std::string file;  // the workflow file the job is written in
  std::string id;
  Location key;  // the job id's key
  EnvironmentNames::State environment = EnvironmentNames::State::none;
  std::vector<std::string> environments;  // for `known`: every name it can take
  std::string environment_written;        // the name as written, for messages
  std::optional<Location> environment_at;
  /// The concurrency group that holds the job (its own, else the workflow's), resolved when it
  /// can be; "" for none. `group_known` says whether the text is the literal group.
  std::string concurrency;
  bool group_known = false;
  std::optional<Location> cancel_at;  // where `cancel-in-progress` is true (or may be)
  /// Fixes in the job's file, where its shape allows one: the edit that writes `false` over a
  /// literal `cancel-in-progress: true`, and where a job-level key goes (the start of the job's
  /// first key line) with its indentation and the file's line ending.
  std::optional<Edit> cancel_fix;
  std::optional<std::size_t> key_insert_at;
  std::string key_indent;
  std::string eol = "\n";
  std::string condition;  // the job's `if:` (cut at 4 KiB)
  /// The indexes of the job's steps that check a deploy (step_checks), in order: a check after a
  /// deploy step verifies it, and a job that needs a deploying job and checks verifies that deploy.
  std::vector<std::size_t> check_steps;
  /// Whether a step after step `index` checks.
  bool checks_after(std::size_t index) const { return !check_steps.empty() && check_steps.back() > index; }
  /// The shipgate gates the job's steps run ("freeze", "env", "smoke", ...), with each step's index.
  std::vector<std::pair<std::size_t, std::string>> gates;
};

/// One place that deploys to an app: where, how, and the app's name: a literal, or a secret or
/// variable the name comes from (`${{ secrets.HEROKU_APP }}`), which is one value per environment.
struct DeploySite {
  std::string platform;  // "heroku"
  std::string app;
  std::string how;  // "akhileshns/heroku-deploy", "heroku container:release", "git push"
  std::string job;
  Location where;
  /// For a secret or variable: the job's environment (lower-cased; "" for none), since an
  /// environment's own secret of that name replaces the repository's.
  std::string scope;
  /// For a deploy inside a reusable workflow or composite action: where it is written there
  /// (`where` is then the call).
  std::optional<Location> via;
  /// The job the deploy runs in: for a composite action, the calling job; for a reusable
  /// workflow, the called workflow's job.
  std::shared_ptr<const JobFacts> facts;
  std::string condition;  // the deploying step's `if:`, "" for none
  bool checked = false;   // a later step of the same job (or the deploy step itself) checks it
  bool per_run = false;   // an app named per run or pull request (a review app)
  bool rollback = false;  // `heroku releases:rollback`: returns to an earlier release
  std::size_t step = 0;   // the index of the deploying step in the job (for an action, the call's)
};

/// What a workflow contributes to the repository-level pass; small, so every workflow's summary
/// can be kept while each parsed document is dropped after its own rules ran.
/// A job that looks like it deploys (it holds Heroku credentials or installs the Heroku CLI) with
/// no deploy shipgate recognises: a deploy inside make or a script, which the map lists as possible.
struct PossibleDeploy {
  std::string job;
  Location where;   // the job's id
  std::string why;  // "holds HEROKU_API_KEY; runs `make heroku_release`"
};

struct WorkflowSummary {
  std::string path;
  std::string trigger_text;                                    // for messages; long filter lists are shortened
  std::size_t trigger_key = 0;                                 // hash of the full trigger model, to compare workflows
  std::map<std::string, std::vector<std::string>> needs;       // job id -> the jobs it needs
  std::map<std::string, std::vector<Requirement>> conditions;  // job id -> what its `if:` requires
  std::vector<DeploySite> sites;
  /// Deploys whose app cannot be known before the run (`app` holds what is written there).
  std::vector<DeploySite> unknown;
  std::vector<workflow::Trigger> triggers;
  /// Jobs that check deploys (step_checks), or call a workflow named for it (smoke, health, verify).
  std::set<std::string> checking_jobs;
  /// Runs only when someone starts it by hand (`workflow_dispatch` is its one trigger): one
  /// dispatch starts one workflow, so two such workflows never run on the same event.
  bool dispatch_only = false;
  /// `workflow_dispatch` inputs, by name.
  std::vector<std::string> dispatch_inputs;
  /// Job id -> the shipgate gates its steps run (shipgate_gates), for gates around a deploy.
  std::map<std::string, std::vector<std::string>> job_gates;
  /// Jobs with Heroku credentials or the CLI and no recognised deploy, in file order.
  std::vector<PossibleDeploy> possible;
};

/// Why `job` looks like a deploy shipgate does not recognise, or nullopt: it holds
/// HEROKU_API_KEY or installs the Heroku CLI (read from the job's own text), with the first
/// script line that looks like the deploy (make, a script, a deploy or release command). `job`
/// is one of `wf.jobs`.
std::optional<std::string> possible_deploy(const Workflow& wf, const Job& job);

/// The facts of one job (its environment, concurrency, `if:`, which steps check deploys).
std::shared_ptr<const JobFacts> job_facts(const Workflow& wf, const Job& job);

/// Whether a step checks a deploy: a shipgate smoke or release gate, a health request that fails
/// on an error status, or a read of a deploy step's outputs.
bool step_checks(const Workflow& wf, const Step& step);

/// The shipgate gates a step runs: a shipgate action (`shipgate/shipgate/actions/freeze@v1`) or a
/// gate binary in its script (`shipgate-smoke ...`), by gate name ("freeze", "smoke", ...).
std::vector<std::string> shipgate_gates(const Step& step);

/// Whether `name`, split at every character that is not a letter or digit, has one of `parts`
/// (lower-case) as a part: `shop-Prod` has "prod".
bool has_name_part(std::string_view name, const std::set<std::string, std::less<>>& parts);

/// The name parts that mean production: prod, production, prd, live.
const std::set<std::string, std::less<>>& production_parts();

/// Whether a value looks like a production target (an app or environment name with a `prod`,
/// `production`, `prd` or `live` part).
bool looks_like_production(std::string_view name);

/// The deploy sites of one job, in step order, each place once (steps reused through an alias
/// share the anchor's place); sites whose app cannot be known go to `unknown`. `facts` are the
/// job's when the caller has them already.
std::vector<DeploySite> find_deploy_sites(const Workflow& wf, const Job& job, const LintData& data,
                                          std::vector<DeploySite>* unknown = nullptr,
                                          std::shared_ptr<const JobFacts> facts = nullptr);

/// A workflow's summary; a workflow that runs only when called contributes no deploy sites of
/// its own (they are its callers', added where it is called).
WorkflowSummary summarize(const Workflow& wf, const LintData& data);

/// The values an action input may take at run time, as the action reads them: one per matrix
/// combination, YAML booleans as "true"/"false", trimmed when the action trims its inputs;
/// nullopt when they cannot be known before the run.
std::optional<std::vector<std::string>> input_values(const Workflow& wf, const Job& job, const Step& step,
                                                     const DeployAction& action, const yaml::Node& value);

/// Whether the step only logs in and returns (heroku-deploy's `justlogin` set to anything but
/// "false", for every value it may take): it deploys and creates nothing.
bool only_logs_in(const Workflow& wf, const Job& job, const Step& step, const DeployAction& action);

}  // namespace shipgate::lint
