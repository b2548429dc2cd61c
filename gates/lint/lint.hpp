#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/invocation.hpp"
#include "core/report.hpp"
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
  /// Runs the repository pass, applies severities and suppressions, and sorts.
  Report finish() &&;

private:
  const Context& m_ctx;
  const Options& m_options;
  Report m_report;
  std::vector<Finding> m_findings;
  std::vector<WorkflowSummary> m_summaries;
  std::map<std::string, InlineSuppressions> m_inline_ignores;
};

/// Lints workflows already in memory; the core of run(), used directly by the fixture tests.
/// `unreadable` holds inputs that failed before parsing (they are reported, never dropped).
Report lint_sources(const std::vector<Source>& sources, std::vector<Error> unreadable, const Context& ctx,
                    const Options& options);

/// Expands PATHs into workflow files (*.yml and *.yaml directly inside a directory, sorted), each
/// once; a directory that cannot be listed or holds none becomes an Error in `unreadable`.
std::vector<std::string> collect_files(const std::vector<std::string>& paths, std::vector<Error>& unreadable);

/// collect_files, then reads every file; a file that cannot be read becomes an Error.
std::vector<Source> collect_sources(const std::vector<std::string>& paths, std::vector<Error>& unreadable);

/// shipgate-lint: parses the invocation, lints, reports; returns the process exit code.
int run(const Invocation& inv);

}  // namespace shipgate::lint
