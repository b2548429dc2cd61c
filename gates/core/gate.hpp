#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/check.hpp"
#include "core/config.hpp"
#include "core/github.hpp"
#include "core/invocation.hpp"
#include "core/options.hpp"
#include "core/report.hpp"
#include "core/secrets.hpp"

namespace shipgate {

/// What a gate says about itself.
struct GateInfo {
  /// The executable's name: "shipgate-lint".
  std::string name;
  /// Its section in .github/shipgate.yml: "lint".
  std::string section;
  /// The first lines of --help.
  std::string description;
  /// Shown after the version by --version, in parentheses (the data a gate embeds), if any.
  std::string version_note = {};
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
  /// Formats only the gate's documents have (lint's deploy map: mermaid), added to --format's
  /// choices; the gate's configure() rejects them where no document is asked for.
  virtual std::vector<std::string> document_formats() const { return {}; }
  /// The gate's rules, for gates whose checks are findings: they get --list-rules and SARIF.
  virtual std::vector<RuleInfo> rules() const { return {}; }
  /// Every option of the gate, declared once: core makes the flags, reads the config keys,
  /// checks every value by its type, writes --help, and masks secret options before anything is
  /// printed (core adds --format and --config). The list lives as long as the gate.
  virtual const std::vector<options::Option>& options() const = 0;
  /// Reads config keys beyond the declared options (lint's rule table), with their positions;
  /// errors go to the section, so that every one of them is reported at once.
  virtual void read_config(config::Section&, const Invocation&) {}
  /// Takes the checked values. Secret values the gate derives from them (a secret header) go to
  /// `secrets`, masked before anything else is printed. Returns the errors of values that are
  /// each well-formed but wrong together, made with values.error() so they read as core's do.
  virtual std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets& secrets) = 0;
  /// Loads what evaluation needs (record files, built-in data); errors here end in exit 2.
  virtual std::vector<Error> prepare(const Invocation&) { return {}; }
  /// Does the gate's work. Expected failures are checks with the error verdict or input errors,
  /// not exceptions; an exception that escapes is an internal error (exit 3).
  virtual Outcome evaluate(const Invocation& inv, Log& log) = 0;
  /// The step outputs the gate adds to core's (result, exit-code, report), kebab-case.
  virtual std::vector<options::Output> outputs() const { return {}; }
};

/// The step outputs every gate writes inside Actions.
const std::vector<options::Output>& core_outputs();

/// The options every gate has (--format, --config), for docs and the actions' inputs.
std::vector<options::Option> core_options(bool with_sarif);

/// The text of the gate's --help (the README keeps a copy, checked by a test).
std::string help_text(Gate& gate);

/// Runs `gate` for one invocation and returns the process exit code (DESIGN.md "Exit codes").
int run_gate(Gate& gate, const Invocation& inv);

}  // namespace shipgate
