#include "core/github.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>

#include "core/text.hpp"

namespace shipgate::github {

namespace {

std::string escape(std::string_view s, bool property) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') {
          out += text::one_line(std::string_view(&c, 1));  // ESC and the like: shown, never sent to a terminal
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string_view command_name(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "notice";
  }
  return "error";
}

/// A delimiter that cannot occur in `value`, random so that a value cannot forge one.
std::string make_delimiter(std::string_view value) {
  std::random_device device;
  std::mt19937_64 rng(device());
  for (;;) {
    std::string delimiter = "ghadelimiter_" + std::to_string(rng());
    if (value.find(delimiter) == std::string_view::npos) {
      return delimiter;
    }
  }
}

Result<bool> append_file(const std::string& path, std::string_view text, const char* what) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  if (!out) {
    return Error{std::string("cannot write ") + what, {path, 0, 0}, {}};
  }
  out << text;
  out.flush();
  if (!out) {
    return Error{std::string("cannot write ") + what, {path, 0, 0}, {}};
  }
  return true;
}

}  // namespace

std::string cut_at_line(std::string_view text, std::size_t limit, std::string_view note) {
  if (text.size() <= limit) {
    return std::string(text);
  }
  const std::string suffix = "\n" + std::string(note) + "\n";
  std::string cut(text.substr(0, limit > suffix.size() ? limit - suffix.size() : 0));
  const auto last_line = cut.rfind('\n');
  cut.resize(last_line == std::string::npos ? 0 : last_line);
  return cut + suffix;
}

std::string escape_data(std::string_view s) { return escape(s, false); }
std::string escape_property(std::string_view s) { return escape(s, true); }

std::string annotation(Severity severity, const Location& where, std::string_view title, std::string_view message) {
  std::string line = "::";
  line += command_name(severity);
  std::string props;
  auto add = [&props](std::string_view key, const std::string& value) {
    props += props.empty() ? " " : ",";
    props += key;
    props += '=';
    props += escape_property(value);
  };
  if (!where.file.empty()) {
    add("file", where.file);
  }
  if (where.line > 0) {
    add("line", std::to_string(where.line));
  }
  if (where.column > 0) {
    add("col", std::to_string(where.column));
  }
  if (!title.empty()) {
    add("title", std::string(title));
  }
  return line + props + "::" + escape_data(message);
}

Runtime::Runtime(const Invocation& inv, std::ostream& commands) : m_commands(commands) {
  m_active = inv.getenv("GITHUB_ACTIONS").value_or("") == "true";
  m_debug = inv.getenv("RUNNER_DEBUG").value_or("") == "1";
  m_output_path = inv.getenv("GITHUB_OUTPUT").value_or("");
  m_summary_path = inv.getenv("GITHUB_STEP_SUMMARY").value_or("");
}

std::string Runtime::hidden(std::string_view text) const {
  return m_secrets != nullptr ? m_secrets->scrub(text) : std::string(text);
}

void Runtime::mask(std::string_view secret) {
  if (m_active && !secret.empty()) {
    m_commands << "::add-mask::" << escape_data(secret) << '\n';
  }
}

void Runtime::annotate(Severity severity, const Location& where, std::string_view title, std::string_view message) {
  if (m_active) {
    const Location place{hidden(where.file), where.line, where.column};
    m_commands << annotation(severity, place, hidden(title), hidden(message)) << '\n';
  }
}

void Runtime::group_begin(std::string_view title) {
  if (m_active) {
    m_commands << "::group::" << escape_data(hidden(title)) << '\n';
  }
}

void Runtime::group_end() {
  if (m_active) {
    m_commands << "::endgroup::\n";
  }
}

Result<bool> Runtime::set_output(std::string_view name, std::string_view raw_value) {
  if (!m_active) {
    return false;
  }
  if (m_output_path.empty()) {
    return Error{"cannot write step outputs: $GITHUB_OUTPUT is not set", {}, {}};
  }
  const auto value = hidden(raw_value);
  std::string record;
  if (value.find('\n') == std::string_view::npos && value.find('\r') == std::string_view::npos) {
    record = std::string(name) + "=" + std::string(value) + "\n";
  } else {
    const auto delimiter = make_delimiter(value);
    record = std::string(name) + "<<" + delimiter + "\n" + std::string(value) + "\n" + delimiter + "\n";
  }
  return append_file(m_output_path, record, "$GITHUB_OUTPUT");
}

Result<bool> Runtime::append_summary(std::string_view raw_markdown) {
  if (!m_active) {
    return false;
  }
  if (m_summary_path.empty()) {
    return Error{"cannot write the step summary: $GITHUB_STEP_SUMMARY is not set", {}, {}};
  }
  const auto markdown = hidden(raw_markdown);
  std::error_code ec;
  const auto existing = std::filesystem::file_size(m_summary_path, ec);
  const std::size_t used = ec ? 0 : static_cast<std::size_t>(existing);
  static constexpr std::string_view k_cut = "\n_(report cut short: the step summary is limited to 1 MiB)_";
  if (used + markdown.size() <= k_summary_limit) {
    return append_file(m_summary_path, markdown, "$GITHUB_STEP_SUMMARY");
  }
  if (used + k_cut.size() + 2 >= k_summary_limit) {
    // Too little room for even the note: the report cannot be shown, which the caller must know.
    return Error{"the step summary is full (1 MiB); this step's report is not in it", {m_summary_path, 0, 0}, {}};
  }
  const auto cut = cut_at_line(markdown, k_summary_limit - used, k_cut);
  return append_file(m_summary_path, cut, "$GITHUB_STEP_SUMMARY");
}

}  // namespace shipgate::github
