#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shipgate {

/// Environment variables as a map, so tests can pass their own instead of the process's.
using Environment = std::map<std::string, std::string>;

/// The process environment.
Environment environment_from_process();

/// Everything a gate's run() needs from the outside world; main() builds it, tests build their own.
struct Invocation {
  std::vector<std::string> args;  // without the program name
  Environment env;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;

  /// The variable's value, or nullopt when unset (an empty value counts as set).
  std::optional<std::string> getenv(const std::string& name) const;
  /// Colour on stdout/stderr: only on a terminal, never with NO_COLOR set, never for TERM=dumb.
  bool color_out() const;
  bool color_err() const;
};

/// Builds an Invocation for the real process from main's arguments.
Invocation invocation_from_main(int argc, char** argv);

}  // namespace shipgate
