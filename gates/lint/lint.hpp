#pragma once

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

/// Lints one workflow at a time and keeps only what the repository pass needs, so memory does
/// not grow with the size of the files linted (callees, which are evaluated again for each call,
/// are kept parsed up to workflow::CallWalker::k_max_cached_bytes). `files` reaches the files
/// that local calls run; without it calls are not followed.
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
  /// With --fix or --diff, every file linted as it was read, by the path findings name it with.
  std::map<std::string, Source> take_read() { return std::move(m_read); }

private:
  struct Followed;
  /// A finding one call caused, kept until the callee's own findings are known.
  struct CallFinding {
    Check check;          // at the caller's place
    std::string callee;   // canonical path
    std::string own_key;  // the finding as the callee would report it itself
    Location in_callee;
  };
  void lint_one(const Source& source, const std::string& key);
  const std::vector<WorkflowSummary>& without_suppressed_sites(const std::string& rule,
                                                               std::vector<WorkflowSummary>& out);
  void report_unused_suppressions();
  /// --deploy-map: the map of every deploy site in place of findings.
  Outcome finish_map() &&;
  void follow(const Workflow& caller, const std::string& caller_file, const std::string& key, Followed& out);

  const Context& m_ctx;
  const Options& m_options;
  std::optional<Files> m_files_access;
  std::optional<workflow::CallWalker> m_walker;  // follows local calls when files can be read
  Outcome m_outcome;
  std::set<std::string> m_linted;                               // canonical paths
  std::map<std::string, std::set<std::string>> m_own_findings;  // canonical path -> keys of its own findings
  std::vector<std::string> m_queue;  // callees to lint on their own, in the order first called
  std::vector<CallFinding> m_call_findings;
  std::size_t m_files = 0;
  std::size_t m_suppressed = 0;
  std::vector<Check> m_findings;
  std::vector<WorkflowSummary> m_summaries;
  std::map<std::string, InlineSuppressions> m_inline_ignores;
  std::map<std::string, Source> m_read;  // with --fix or --diff: shown path -> the file as read
};

/// Lints workflows already in memory (the fuzz target's entry); `unreadable` holds inputs that
/// failed before parsing (they are reported, never dropped).
Outcome lint_sources(const std::vector<Source>& sources, std::vector<Error> unreadable, const Context& ctx,
                     const Options& options);

/// shipgate-lint as a gate for core's run_gate().
std::unique_ptr<Gate> make_gate();

}  // namespace shipgate::lint
