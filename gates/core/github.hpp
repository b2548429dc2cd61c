#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "core/check.hpp"
#include "core/invocation.hpp"
#include "core/result.hpp"
#include "core/secrets.hpp"

namespace shipgate::github {

/// Largest step summary GitHub accepts per step; we stop short of it and say so.
inline constexpr std::size_t k_summary_limit = std::size_t{1024} * 1024;

/// `text` cut at a line boundary so that it and `note` fit in `limit` bytes, `note` appended;
/// `text` unchanged when it fits.
std::string cut_at_line(std::string_view text, std::size_t limit, std::string_view note);

/// Escapes a workflow-command message: %, CR and LF as the runner decodes them; other control
/// characters are shown as `\xNN` text.
std::string escape_data(std::string_view s);
/// Escapes a workflow-command property value: %, CR, LF, ':' and ',' (and control characters).
std::string escape_property(std::string_view s);

/// The `::error file=..,line=..,col=..,title=..::message` line for a finding (no newline).
std::string annotation(Severity severity, const Location& where, std::string_view title, std::string_view message);

/// The GitHub Actions runtime as seen from a gate: workflow commands, outputs and step summary.
/// Every method is a no-op outside Actions (GITHUB_ACTIONS != "true"), so gates call them freely.
class Runtime {
public:
  /// `commands` is where workflow commands go (the runner reads them from stdout and stderr).
  Runtime(const Invocation& inv, std::ostream& commands);

  bool active() const { return m_active; }
  /// RUNNER_DEBUG=1: the user asked for verbose diagnostics.
  bool debug() const { return m_debug; }

  /// `::add-mask::` for a secret value; call before the value could be printed anywhere.
  void mask(std::string_view secret);
  /// Secrets to replace with *** in everything written after this call (annotations, groups,
  /// outputs, summary); `secrets` must outlive the runtime.
  void hide(const Secrets* secrets) { m_secrets = secrets; }
  void annotate(Severity severity, const Location& where, std::string_view title, std::string_view message);
  void group_begin(std::string_view title);
  void group_end();

  /// Appends `name=value` (or the delimiter form for multi-line values) to $GITHUB_OUTPUT; an
  /// error when it cannot, or when $GITHUB_OUTPUT is not set inside Actions.
  Result<bool> set_output(std::string_view name, std::string_view value);
  /// Appends Markdown to $GITHUB_STEP_SUMMARY, cut short (with a note) to stay under the limit;
  /// an error when it cannot, or when $GITHUB_STEP_SUMMARY is not set inside Actions.
  Result<bool> append_summary(std::string_view markdown);

private:
  bool m_active = false;
  bool m_debug = false;
  std::string m_output_path;
  std::string m_summary_path;
  std::ostream& m_commands;
  const Secrets* m_secrets = nullptr;

  std::string hidden(std::string_view text) const;
};

}  // namespace shipgate::github
