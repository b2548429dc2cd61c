#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace shipgate {

/// Environment variables as a map, so tests can pass their own instead of the process's.
using Environment = std::map<std::string, std::string>;

/// The process environment.
Environment environment_from_process();

/// Everything a gate reads from the outside world: main() builds it from the process, tests build
/// their own. No gate reads the process's working directory, environment or time directly.
struct Invocation {
  std::vector<std::string> args;  // without the program name
  Environment env;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;
  /// The directory relative paths are taken from (absolute; empty means the process's own).
  std::string cwd;
  /// nullptr means the system clock.
  Clock* clock = nullptr;

  /// The variable's value, or nullopt when unset (an empty value counts as set).
  std::optional<std::string> getenv(const std::string& name) const;
  /// Colour on stdout/stderr: only on a terminal, never with NO_COLOR set, never for TERM=dumb.
  bool color_out() const;
  bool color_err() const;
  /// `path` as a path to open: relative paths are taken from `cwd`.
  std::string resolve(const std::string& path) const;
  Clock& time() const;
};

/// Builds an Invocation for the real process from main's arguments.
Invocation invocation_from_main(int argc, char** argv);

}  // namespace shipgate
