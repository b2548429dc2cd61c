#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/invocation.hpp"
#include "core/report.hpp"
#include "core/result.hpp"

namespace shipgate::cli {

/// A CLI11 app with the conventions every gate shares: --help, --version ("NAME VERSION"),
/// and a footer naming the exit codes.
std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description);

/// Adds `--format` with the given choices into `format`.
void add_format_option(CLI::App& app, std::string& format, bool with_sarif);

/// Parses inv.args. Returns an exit code when the gate should stop now: 0 after --help or
/// --version (printed to stdout), 2 after a usage error (printed to stderr); nullopt to go on.
std::optional<ExitCode> parse(CLI::App& app, const Invocation& inv);

/// "NAME: message" on stderr, the prefix every diagnostic carries.
void diagnose(const Invocation& inv, const std::string& tool, const std::string& message);

}  // namespace shipgate::cli
