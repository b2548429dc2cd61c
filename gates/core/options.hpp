#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/config.hpp"
#include "core/invocation.hpp"
#include "core/result.hpp"
#include "core/units.hpp"

namespace shipgate::options {

/// What an option's value must be; core checks it the same way for a flag and a config key.
enum class Type {
  string,    // any one-line text
  path,      // a file or directory; relative to the config file when it comes from there
  boolean,   // true or false, nothing else
  integer,   // a whole number within [min, max]
  duration,  // 90s, 5m, 1h30m, within [min_duration, max_duration]
  size,      // 300MB, 500MiB
  choice,    // one of `choices`
  url,       // http:// or https://, shown without its user:password
  regex,     // an re2 pattern
  header,    // 'NAME: VALUE'
  secret,    // read only from the environment (`env`), never a flag or a config key; masked
};

/// A gate's own check of a value on top of its type (a JSON check, a status list): nullopt when
/// `text` is valid, else what is wrong with it, in words that fit after "--flag: ".
using Validator = std::function<std::optional<std::string>(std::string_view text)>;

/// One option, declared once: its flag (`--name`), its config key (`name`) and its action input
/// (`name`) are the same word, and so are its help, default and checks everywhere.
struct Option {
  std::string name;
  Type type = Type::string;
  std::string help = {};
  /// The value when nothing gives one, as a user would write it; empty for none.
  std::string default_value = {};
  /// The word after the flag in --help ("DURATION"); from the type when empty.
  std::string placeholder = {};
  /// Takes many values: the flag repeated, or a YAML list (a single value is a list of one).
  bool repeatable = false;
  /// Values given as positional arguments (lint's paths) rather than a flag.
  bool positional = false;
  /// A flag value is also split at this character ("--apps a,b,c").
  char delimiter = 0;
  /// Other spellings accepted as a flag and as a config key (an older plural, say).
  std::vector<std::string> aliases = {};
  std::vector<std::string> choices = {};
  long long min = 0;
  long long max = 0;
  units::Duration min_duration = units::Duration(0);
  units::Duration max_duration = units::Duration(0);
  /// Environment variables read, in order, when neither the flag nor the config gives a value.
  std::vector<std::string> env = {};
  /// A gate-specific check on top of the type.
  Validator validate = {};
  /// Flag only, never a config key (a flag that makes no sense in a shared file).
  bool flag_only = false;
  /// For a choice that has `true` among its choices: the flag alone is `true` (`--fix`), any
  /// other value is written `--flag=VALUE` (`--fix=unsafe`), never as the next word.
  bool bare = false;
};

/// A step output a gate writes inside Actions, declared with what it means (kebab-case name).
struct Output {
  std::string name;
  std::string description;
};

/// Where a value came from.
enum class Origin { none, flag, config, env, fallback };

/// The checked values of a gate's options, after flags, config, environment and defaults.
class Values {
public:
  /// Whether a flag, the config or the environment gave the option (its default does not count).
  bool given(std::string_view name) const;
  Origin origin(std::string_view name) const;
  /// Where a config value was written (the config file, line and column); empty otherwise.
  const Location& where(std::string_view name) const { return entry(name).where; }
  /// The one value (the default when none was given), or "" when there is none.
  const std::string& text(std::string_view name) const;
  /// Every value of a repeatable option (the default, split at ',', when none was given).
  const std::vector<std::string>& list(std::string_view name) const;
  bool boolean(std::string_view name) const;
  long long integer(std::string_view name) const;
  /// nullopt when there is no value and no default.
  std::optional<units::Duration> duration(std::string_view name) const;
  std::optional<std::uint64_t> size(std::string_view name) const;
  /// An error about the option's value, in the same form core uses: "--name: message" for a
  /// flag, the config file's place and key for a config value.
  Error error(std::string_view name, const std::string& message) const;

  struct Entry {
    const Option* option = nullptr;
    std::vector<std::string> texts;
    Origin origin = Origin::none;
    Location where;     // for a config value
    std::string label;  // "--name", "section.key" or the environment variable
  };
  std::map<std::string, Entry, std::less<>>& entries() { return m_entries; }

private:
  const Entry& entry(std::string_view name) const;
  std::map<std::string, Entry, std::less<>> m_entries;
};

/// The raw texts of the flags, filled in by CLI11 while it parses.
using RawFlags = std::map<std::string, std::vector<std::string>, std::less<>>;

/// Adds every declared option (except secrets) to `app`, its help with the default, bound to `raw`.
/// `app` keeps pointers to `declared` (its checks) and to `raw`: both must outlive `app`.
void add_to_cli(CLI::App& app, const std::vector<Option>& declared, RawFlags& raw);

/// Errors for boolean flags written with a value other than true or false (`--flag=`,
/// `--flag={}`, `--flag=yes`), and for `bare` choices with a value not among theirs, read from
/// the arguments as given, up to `--`: CLI11 would take some of them as true, so a typo could
/// switch a check. `--flag` alone is true.
std::vector<Error> check_boolean_flags(const std::vector<Option>& declared, const std::vector<std::string>& args);

/// The placeholder shown for an option in --help.
std::string placeholder(const Option& option);

/// The help line of an option, its default and environment fallback named.
std::string help_line(const Option& option);

/// nullopt when `text` is a valid value of `option`, else what is wrong ("expected true or
/// false, got 'yes'"): the one check behind flags, config keys and the actions' inputs.
std::optional<std::string> check(const Option& option, std::string_view text);

/// The values of `declared`: the flags given (`app`, `raw`), else the config section's keys,
/// else the environment, else the defaults; every value checked by its type. Errors name the
/// flag, or the config file, line, column and key; all are returned at once.
Values resolve(const std::vector<Option>& declared, const RawFlags& raw, const CLI::App& app, config::Section& section,
               const Invocation& inv, std::vector<Error>& errors);

/// The per-request `timeout` every network gate declares, the same way in each.
Option request_timeout(std::string default_value);
/// The whole-run `deadline` every network gate declares, the same way in each.
Option run_deadline(std::string default_value);

/// "true"/"false" for a boolean text (either case of YAML's core forms), else nullopt.
std::optional<bool> parse_boolean(std::string_view text);

}  // namespace shipgate::options
