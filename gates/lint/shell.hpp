#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shipgate::lint {

/// One simple command of a `run:` script: its words with quotes removed, and its 0-based line
/// offset within the script.
struct ShellCommand {
  std::vector<std::string> words;
  int line = 0;
};

/// Splits a script into simple commands, well enough to find deploy commands: joins backslash
/// continuations, drops comments, splits on `;`, `&&`, `||`, `|` and newlines, and removes quotes.
/// It does not expand anything; `$X` stays as written.
std::vector<ShellCommand> split_commands(std::string_view script);

/// Replaces `$NAME` and `${NAME}` using `lookup` (which returns false when it cannot resolve NAME);
/// returns false when any variable could not be resolved.
template <typename Lookup>
bool expand_variables(const std::string& word, std::string& out, Lookup&& lookup);

}  // namespace shipgate::lint

#include "lint/shell_inl.hpp"
