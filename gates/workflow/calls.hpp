#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/yaml.hpp"
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

/// How a walk reaches the files that calls run.
struct Files {
  std::function<Result<std::string>(const std::string& absolute)> read;
  std::function<std::string(const std::string& absolute)> shown;  // the path shown in results
};

/// A file a call runs, parsed: its text, the document over it and the model over that.
struct Loaded {
  std::string text;
  std::unique_ptr<yaml::Document> doc;
  Workflow wf;
};

/// One call being followed: the caller and its call, the file the call runs (absolute, and
/// canonical as `key`), and the callee bound to the values this call passes.
struct FollowedCall {
  const Workflow& caller;
  const LocalCall& call;
  const std::string& file;
  const std::string& key;
  const Workflow& callee;
};

/// What a walk does with the calls it follows.
struct CallVisitor {
  /// Every file a call runs, before it is parsed or followed (optional): a caller that reads each
  /// file on its own learns of it even when it cannot be followed.
  std::function<void(const std::string& file, const std::string& key)> found;
  /// One call followed; `deeper` walks the callee's own calls (each visited in turn) and returns.
  std::function<void(const FollowedCall& call, const std::function<void()>& deeper)> visit;
};

/// Follows local calls as GitHub runs them, depth first and in call order, with bounded work:
/// each callee is parsed once while it fits the cache, chains end at k_max_call_depth and at a
/// cycle, and the walk stops for good after k_max_calls calls or k_max_call_bytes of callee text.
class CallWalker {
public:
  /// Most calls followed, and most callee text evaluated over all of them, in one walker's life.
  static constexpr std::size_t k_max_calls = 4096;
  static constexpr std::size_t k_max_call_bytes = std::size_t{16} * 1024 * 1024;
  /// Callee text kept parsed; past it a callee is parsed again for each call.
  static constexpr std::size_t k_max_cached_bytes = std::size_t{8} * 1024 * 1024;

  /// `fallback_root` is the repository root for a file that lies in no `.github` folder.
  CallWalker(Files files, std::string fallback_root);

  /// Visits the calls of `caller` (read from absolute path `caller_file`, canonical `caller_key`)
  /// that can be followed: not missing, not out of the repository, not back into the chain of
  /// callers, a workflow called by a job and an action by a step. Once stopped(), none is.
  void walk(const Workflow& caller, const std::string& caller_file, const std::string& caller_key,
            const CallVisitor& visitor);

  /// Whether a limit ended the walking, and after how many calls.
  bool stopped() const { return m_stopped; }
  std::size_t calls() const { return m_calls; }

private:
  void walk_chain(const Workflow& caller, const std::string& caller_file, std::vector<std::string>& chain,
                  const CallVisitor& visitor);
  std::shared_ptr<const Loaded> load(const std::string& absolute, const std::string& key);

  Files m_files;
  std::string m_root;
  std::map<std::string, std::shared_ptr<const Loaded>> m_cache;  // canonical path -> parsed callee
  std::size_t m_cached_bytes = 0;
  std::size_t m_calls = 0;
  std::size_t m_call_bytes = 0;
  bool m_stopped = false;
};

}  // namespace shipgate::workflow
