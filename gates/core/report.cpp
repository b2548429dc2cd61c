#include "core/report.hpp"

#include <ostream>

#include <nlohmann/json.hpp>

#include "core/github.hpp"

namespace shipgate {

std::optional<Format> parse_format(std::string_view text) {
  if (text == "text") {
    return Format::text;
  }
  if (text == "json") {
    return Format::json;
  }
  if (text == "github") {
    return Format::github;
  }
  if (text == "sarif") {
    return Format::sarif;
  }
  return std::nullopt;
}

std::size_t Report::count(Severity severity) const {
  std::size_t n = 0;
  for (const auto& f : findings) {
    n += f.severity == severity ? 1 : 0;
  }
  return n;
}

ExitCode Report::exit_code() const {
  if (!input_errors.empty()) {
    return ExitCode::usage;
  }
  for (const auto& f : findings) {
    if (f.severity >= fail_level) {
      return ExitCode::fail;
    }
  }
  return ExitCode::pass;
}

std::string_view Report::verdict() const {
  switch (exit_code()) {
    case ExitCode::pass:
      return "pass";
    case ExitCode::fail:
      return "fail";
    default:
      return "error";
  }
}

namespace {

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

std::string Report::headline() const {
  std::string line = plural(count(Severity::error), "error") + ", " + plural(count(Severity::warning), "warning") +
                     ", " + plural(count(Severity::note), "note") + " in " + plural(files, "file");
  if (suppressed > 0) {
    line += " (" + std::to_string(suppressed) + " suppressed)";
  }
  if (!input_errors.empty()) {
    line += "; " + plural(input_errors.size(), "input") + " could not be read";
  }
  return line;
}

void write_text(const Report& report, std::ostream& out, bool color) {
  auto paint = [color](Severity s) -> std::string_view {
    if (!color) {
      return "";
    }
    return s == Severity::error ? "\x1b[1;31m" : s == Severity::warning ? "\x1b[1;33m" : "\x1b[1;36m";
  };
  const std::string_view reset = color ? "\x1b[0m" : "";
  for (const auto& f : report.findings) {
    out << f.where.to_string() << ": " << paint(f.severity) << to_string(f.severity) << reset << ": " << f.message
        << " [" << f.rule << "]\n";
    for (const auto& r : f.related) {
      out << "    " << r.where.to_string() << ": " << r.message << '\n';
    }
  }
}

namespace {

nlohmann::json location_json(const Location& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

}  // namespace

void write_json(const Report& report, std::ostream& out) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    nlohmann::json related = nlohmann::json::array();
    for (const auto& r : f.related) {
      auto item = location_json(r.where);
      item["message"] = r.message;
      related.push_back(std::move(item));
    }
    auto item = nlohmann::json{{"rule", f.rule}, {"severity", to_string(f.severity)}};
    item.update(location_json(f.where));
    item["message"] = f.message;
    item["docs"] = f.docs();
    item["related"] = std::move(related);
    findings.push_back(std::move(item));
  }
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : report.input_errors) {
    auto item = location_json(e.where);
    item["message"] = e.message;
    errors.push_back(std::move(item));
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : report.skipped) {
    skipped.push_back({{"rule", s.rule}, {"reason", s.reason}});
  }
  const nlohmann::json doc = {
      {"version", k_json_schema_version},
      {"tool", report.tool},
      {"findings", std::move(findings)},
      {"errors", std::move(errors)},
      {"summary",
       {{"result", report.verdict()},
        {"exit_code", static_cast<int>(report.exit_code())},
        {"fail_level", to_string(report.fail_level)},
        {"files", report.files},
        {"findings", report.findings.size()},
        {"errors", report.count(Severity::error)},
        {"warnings", report.count(Severity::warning)},
        {"notes", report.count(Severity::note)},
        {"suppressed", report.suppressed},
        {"unreadable", report.input_errors.size()},
        {"skipped", std::move(skipped)}}}};
  // Invalid UTF-8 cannot reach here (inputs are checked), but never throw while reporting.
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_github(const Report& report, std::ostream& out) {
  for (const auto& f : report.findings) {
    std::string message = f.message;
    for (const auto& r : f.related) {
      message += "\n  " + r.where.to_string() + ": " + r.message;
    }
    out << github::annotation(f.severity, f.where, f.rule, message) << '\n';
  }
  for (const auto& e : report.input_errors) {
    out << github::annotation(Severity::error, e.where, report.tool, e.message) << '\n';
  }
}

namespace {

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string summary_markdown(const Report& report) {
  std::string md = "### " + report.tool + ": " + std::string(report.verdict()) + "\n\n" + report.headline() + "\n\n";
  if (!report.findings.empty()) {
    md += "| severity | where | rule | message |\n|---|---|---|---|\n";
    for (const auto& f : report.findings) {
      md += "| " + std::string(to_string(f.severity)) + " | `" + markdown_cell(f.where.to_string()) + "` | `" + f.rule +
            "` | " + markdown_cell(f.message) + " |\n";
    }
    md += "\n";
  }
  for (const auto& e : report.input_errors) {
    md += "- could not read `" + markdown_cell(e.where.to_string()) + "`: " + markdown_cell(e.message) + "\n";
  }
  for (const auto& s : report.skipped) {
    md += "- skipped `" + s.rule + "`: " + markdown_cell(s.reason) + "\n";
  }
  return md;
}

}  // namespace shipgate
