#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/check.hpp"
#include "core/config.hpp"
#include "core/github.hpp"
#include "core/invocation.hpp"
#include "core/report.hpp"

namespace shipgate {

/// What a gate says about itself.
struct GateInfo {
  /// The executable's name: "shipgate-lint".
  std::string name;
  /// Its section in .github/shipgate.yml: "lint".
  std::string section;
  /// The first lines of --help.
  std::string description;
};

/// Diagnostics on stderr while a gate evaluates: always-on lines, and debug lines shown only with
/// RUNNER_DEBUG=1 (a re-run with debug logging) or SHIPGATE_DEBUG=1, folded in a group in Actions.
class Log {
public:
  /// Every line is passed through `secrets` before it is written.
  Log(const Invocation& inv, std::string tool, github::Runtime& runtime, const Secrets& secrets);

  bool debugging() const { return m_debug; }
  /// "TOOL: message" on stderr.
  void diagnose(const std::string& message) const;
  /// "TOOL: debug: message" on stderr, only when debugging.
  void debug(const std::string& message) const;
  /// A foldable group around debug lines (only when debugging, only inside Actions).
  void group_begin(const std::string& title) const;
  void group_end() const;

private:
  const Invocation& m_inv;
  std::string m_tool;
  github::Runtime& m_runtime;
  const Secrets& m_secrets;
  bool m_debug;
};

/// A gate: its flags, its config section, and its evaluation. Everything else (parsing, the
/// config file, formats, GitHub outputs, step summary, annotations, masking, the headline and the
/// exit code, and turning every failure on the way into exit 2 or 3) is run_gate()'s.
class Gate {
public:
  virtual ~Gate() = default;
  virtual GateInfo info() const = 0;
  /// The gate's rules, for gates whose checks are findings: they get --list-rules and SARIF.
  virtual std::vector<RuleInfo> rules() const { return {}; }
  /// Adds the gate's own flags, bound to its members (core adds --format and --config).
  virtual void add_flags(CLI::App& app) = 0;
  /// Reads the gate's config section; flags win over it (cli::given). Errors go to the section,
  /// so that every one of them is reported at once.
  virtual void configure(config::Section& section, const CLI::App& app, const Invocation& inv) = 0;
  /// Loads what evaluation needs (record files, built-in data); errors here end in exit 2.
  virtual std::vector<Error> prepare(const Invocation&) { return {}; }
  /// Secret values the gate was given; masked inside Actions before anything else is printed,
  /// and never to appear in any output.
  virtual std::vector<std::string> secrets() const { return {}; }
  /// Does the gate's work. Expected failures are checks with the error verdict or input errors,
  /// not exceptions; an exception that escapes is an internal error (exit 3).
  virtual Outcome evaluate(const Invocation& inv, Log& log) = 0;
  /// The names of the step outputs the gate adds to core's (result, exit-code, report).
  virtual std::vector<std::string> output_names() const { return {}; }
};

/// The step outputs every gate writes inside Actions.
const std::vector<std::string>& core_output_names();

/// The text of the gate's --help (the README keeps a copy, checked by a test).
std::string help_text(Gate& gate);

/// Runs `gate` for one invocation and returns the process exit code (DESIGN.md "Exit codes").
int run_gate(Gate& gate, const Invocation& inv);

}  // namespace shipgate
