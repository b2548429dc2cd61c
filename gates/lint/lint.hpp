#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "core/gate.hpp"
#include "lint/options.hpp"
#include "lint/rule.hpp"
#include "lint/suppress.hpp"

namespace shipgate::lint {

/// One input to lint: a path as the user will see it, its text (already read), and its absolute
/// path when it is a real file (local `uses: ./...` are followed from it).
struct Source {
  std::string path;
  std::string text;
  std::string absolute;
};

/// How the linter reaches files a workflow calls (`uses: ./...`).
struct Files {
  std::function<Result<std::string>(const std::string& absolute)> read;
  std::function<std::string(const std::string& absolute)> shown;  // the path shown in results
};

/// Lints one workflow at a time and keeps only what the repository pass needs, so memory does
/// not grow with the size of the files linted (callees, which are parsed again for each call,
/// are kept up to k_max_cached_bytes).
class Linter {
public:
  Linter(const Context& ctx, const Options& options, std::optional<Files> files = std::nullopt);
  ~Linter();
  Linter(const Linter&) = delete;
  Linter& operator=(const Linter&) = delete;
  /// Parses and lints one file, and every local workflow and action it calls; its text and
  /// document are not kept. A file already linted (as another file's callee) is skipped.
  void add(const Source& source);
  /// An input that could not be read: reported, and the run ends with exit 2.
  void add_error(Error error);
  /// Runs the repository pass, applies severities, suppressions and the fail level, and sorts.
  Outcome finish() &&;

  /// Most calls evaluated in one run, and most callee text evaluated over all calls; past
  /// either, calls are no longer followed and the run says so.
  static constexpr std::size_t k_max_calls = 4096;
  static constexpr std::size_t k_max_call_bytes = std::size_t{16} * 1024 * 1024;
  static constexpr std::size_t k_max_cached_bytes = std::size_t{8} * 1024 * 1024;

private:
  struct Loaded;
  struct Followed;
  /// A finding one call caused, kept until the callee's own findings are known.
  struct CallFinding {
    Check check;          // at the caller's place
    std::string callee;   // canonical path
    std::string own_key;  // the finding as the callee would report it itself
    Location in_callee;
  };
  void lint_one(const Source& source, const std::string& key);
  std::shared_ptr<const Loaded> load(const std::string& absolute);
  void follow(const Workflow& caller, const std::string& caller_file, std::vector<std::string>& stack, Followed& out);

  const Context& m_ctx;
  const Options& m_options;
  std::optional<Files> m_files_access;
  Outcome m_outcome;
  std::set<std::string> m_linted;                                  // canonical paths
  std::map<std::string, std::set<std::string>> m_own_findings;     // canonical path -> keys of its own findings
  std::map<std::string, std::shared_ptr<const Loaded>> m_callees;  // canonical path -> parsed callee
  std::size_t m_cached_bytes = 0;
  std::vector<std::string> m_queue;  // callees to lint on their own, in the order first called
  std::vector<CallFinding> m_call_findings;
  std::size_t m_calls = 0;
  std::size_t m_call_bytes = 0;
  std::size_t m_files = 0;
  std::size_t m_suppressed = 0;
  std::vector<Check> m_findings;
  std::vector<WorkflowSummary> m_summaries;
  std::map<std::string, InlineSuppressions> m_inline_ignores;
};

/// Lints workflows already in memory (the fuzz target's entry); `unreadable` holds inputs that
/// failed before parsing (they are reported, never dropped).
Outcome lint_sources(const std::vector<Source>& sources, std::vector<Error> unreadable, const Context& ctx,
                     const Options& options);

/// shipgate-lint as a gate for core's run_gate().
std::unique_ptr<Gate> make_gate();

}  // namespace shipgate::lint
