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

/// Whether `word` is a shell assignment (`NAME=value`).
bool is_assignment(std::string_view word);

/// The index of a command's program word: past the words that run the next one (`sudo`, `env`,
/// `exec`, `command`, `time`, `npx`, `!`, a grouping or control keyword) and `NAME=value`
/// assignments before it; words.size() when the command is only those.
std::size_t program_index(const std::vector<std::string>& words);

/// Whether `word` runs the Heroku CLI (`heroku`, or a path to it).
bool is_heroku_program(std::string_view word);

/// Whether `text` names something per run or per pull request (`github.run_id`,
/// `github.event.number`, `github.head_ref`, a `PR_NUMBER` variable): a review app.
bool names_per_run(std::string_view text);

/// Replaces `$NAME` and `${NAME}` using `lookup` (which returns false when it cannot resolve NAME);
/// returns false when any variable could not be resolved.
template <typename Lookup>
bool expand_variables(const std::string& word, std::string& out, Lookup&& lookup);

}  // namespace shipgate::lint

#include "lint/shell_inl.hpp"
