#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/config.hpp"
#include "core/invocation.hpp"
#include "core/result.hpp"

namespace shipgate::cli {

/// A CLI11 app with the conventions every gate shares: --help, --version ("NAME VERSION"),
/// and a footer naming the exit codes.
std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description);

/// Parses inv.args. Returns an exit code when the gate should stop now: 0 after --help or
/// --version (printed to stdout), 2 after a usage error; nullopt to go on. A usage error is
/// returned in `usage_error` (one line, "did you mean" for a mistyped flag), not printed.
/// `version_note` follows the version in parentheses when not empty (freeze's "tzdata 2026f").
std::optional<ExitCode> parse(CLI::App& app, const Invocation& inv, std::string& usage_error,
                              const std::string& version_note = {});

/// Whether the flag was given on the command line (flags override the config file).
bool given(const CLI::App& app, const std::string& flag);

/// Every long flag the app knows ("--format", ...), for "did you mean".
std::vector<std::string> long_flags(const CLI::App& app);

/// "NAME: message" on stderr, the prefix every diagnostic carries; made one line.
void diagnose(const Invocation& inv, const std::string& tool, const std::string& message);

}  // namespace shipgate::cli
