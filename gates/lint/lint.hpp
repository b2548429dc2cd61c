#pragma once

#include <string>
#include <vector>

#include "core/invocation.hpp"
#include "core/report.hpp"
#include "lint/options.hpp"
#include "lint/rule.hpp"

namespace shipgate::lint {

/// One input to lint: a path as the user will see it, and its text (already read).
struct Source {
  std::string path;
  std::string text;
};

/// Lints workflows already in memory; the core of run(), used directly by the fixture tests.
/// `unreadable` holds inputs that failed before parsing (they are reported, never dropped).
Report lint_sources(const std::vector<Source>& sources, std::vector<Error> unreadable, const Context& ctx,
                    const Options& options);

/// Expands PATHs into workflow files (*.yml and *.yaml directly inside a directory, sorted) and
/// reads them; every path that cannot be read becomes an Error in `unreadable`.
std::vector<Source> collect_sources(const std::vector<std::string>& paths, std::vector<Error>& unreadable);

/// shipgate-lint: parses the invocation, lints, reports; returns the process exit code.
int run(const Invocation& inv);

}  // namespace shipgate::lint
