#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "core/gate.hpp"
#include "lint/options.hpp"
#include "lint/rule.hpp"
#include "lint/suppress.hpp"

namespace shipgate::lint {

/// One input to lint: a path as the user will see it, and its text (already read).
struct Source {
  std::string path;
  std::string text;
};

/// Lints one workflow at a time and keeps only what the repository pass needs, so memory does
/// not grow with the size of the files linted.
class Linter {
public:
  Linter(const Context& ctx, const Options& options);
  /// Parses and lints one file; its text and document are not kept.
  void add(const Source& source);
  /// An input that could not be read: reported, and the run ends with exit 2.
  void add_error(Error error);
  /// Runs the repository pass, applies severities, suppressions and the fail level, and sorts.
  Outcome finish() &&;

private:
  const Context& m_ctx;
  const Options& m_options;
  Outcome m_outcome;
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

/// Expands PATHs (relative to `cwd`) into workflow files: *.yml and *.yaml directly inside a
/// directory, sorted, each once; a directory that cannot be listed or holds none becomes an
/// Error in `unreadable`. Paths stay as the user wrote them.
std::vector<std::string> collect_files(const std::vector<std::string>& paths, const std::string& cwd,
                                       std::vector<Error>& unreadable);

/// shipgate-lint as a gate for core's run_gate().
std::unique_ptr<Gate> make_gate();

}  // namespace shipgate::lint
