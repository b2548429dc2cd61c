#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/yaml.hpp"

namespace shipgate::lint {

/// The input of a deploy action that turns off creating a missing app (rules/deploy-actions.yml).
struct AutocreateInput {
  std::string input;          // e.g. dontautocreate
  std::string default_value;  // the value when the input is not given
  std::string true_unless;    // the action reads every value but this one as true
  std::string since;          // the first release with the input ("3.9.9"); empty: every release
  std::string upgrade;        // the release an upgrade names (--fix=unsafe): "v3.14.15"; empty: none
};

/// The input that makes a deploy action only log in (write credentials) and return, without
/// deploying or creating anything: heroku-deploy's `justlogin`.
struct LoginOnlyInput {
  std::string input;        // e.g. justlogin
  std::string true_unless;  // the action reads every value but this one as true
};

/// A known deploy action (rules/deploy-actions.yml).
struct DeployAction {
  std::string uses;  // owner/repo, compared case-insensitively
  std::string platform;
  std::string app_input;
  std::optional<AutocreateInput> autocreate;
  std::optional<LoginOnlyInput> login_only;
  /// Whether the action reads inputs with `core.getInput`, which trims surrounding white space.
  bool trims_inputs = true;
  /// Inputs the action reads as booleans by exact string (heroku-boolean-input): every value but
  /// `false_only` is true.
  std::vector<std::string> boolean_inputs;
  std::string false_only = "false";
  /// Whether the action runs the Heroku CLI, which the runner image must have (heroku-cli-missing).
  bool uses_heroku_cli = false;
};

/// Facts the rules need that change over time: data, built into the binary, extendable by config.
struct LintData {
  std::vector<DeployAction> actions;
  std::vector<std::string> heroku_changes_app;

  /// The known action a step's `uses:` value names (any ref, any case), or nullptr.
  const DeployAction* find_action(std::string_view uses) const;
  /// Whether `heroku COMMAND` changes what an app runs.
  bool heroku_command_changes_app(std::string_view command) const;
};

/// The data in rules/*.yml as built into the binary.
Result<LintData> builtin_data();

/// Reads a `deploy-actions`-shaped list (from rules/deploy-actions.yml or the repo config) into
/// `out`, collecting an error per bad entry.
void read_deploy_actions(const yaml::Document& doc, const yaml::Node& list, std::vector<DeployAction>& out,
                         std::vector<Error>& errors);

/// How a `uses:` ref relates to a release that added something.
enum class RefSupport { yes, no, unknown };

/// Whether a ref is a full commit SHA (40 hex digits, either case).
bool is_commit_sha(std::string_view ref);

/// Whether the ref of a `uses:` value ("owner/repo@v3.12.12") is at or after release `since`
/// ("3.9.9"): a version tag is compared (a partial one, `v3` or `v3.8`, as its newest release);
/// a full commit SHA cannot be placed (unknown); a branch or other name follows the newest code
/// (yes). An empty `since` is always yes.
RefSupport ref_supports(std::string_view uses, std::string_view since);

/// "owner/repo" of a `uses:` value ("Owner/Repo/path@ref" -> "owner/repo"), lower-cased; empty for
/// local (./) and docker:// references.
std::string action_repository(std::string_view uses);

}  // namespace shipgate::lint
