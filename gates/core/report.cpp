#include "core/report.hpp"

#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/github.hpp"
#include "core/text.hpp"

namespace shipgate {

namespace {

std::string generic_headline(const Outcome& o) {
  std::string line = text::plural(o.checks.size(), "check");
  std::vector<std::string> parts;
  for (const auto& [verdict, word] :
       {std::pair{Verdict::pass, "passed"}, std::pair{Verdict::warn, "warned"}, std::pair{Verdict::fail, "failed"},
        std::pair{Verdict::error, "could not evaluate"}}) {
    if (const auto n = o.count(verdict); n > 0) {
      parts.push_back(std::to_string(n) + " " + word);
    }
  }
  if (!parts.empty()) {
    line += ": " + text::join(parts, ", ");
  }
  return line;
}

}  // namespace

std::string count_findings(const Outcome& o) {
  return text::plural(o.count(Severity::error), "error") + ", " + text::plural(o.count(Severity::warning), "warning") +
         ", " + text::plural(o.count(Severity::note), "note");
}

std::string headline(const Outcome& o) {
  std::string line = o.headline;
  if (line.empty()) {
    line = o.fail_level ? count_findings(o) : generic_headline(o);
  }
  if (!o.input_errors.empty()) {
    line += "; " + text::plural(o.input_errors.size(), "input") + " could not be read";
  }
  return line;
}

Severity annotation_level(const Check& check) {
  if (check.severity) {
    return *check.severity;
  }
  switch (check.verdict) {
    case Verdict::pass:
      return Severity::note;
    case Verdict::warn:
      return Severity::warning;
    default:
      return Severity::error;
  }
}

void write_text(const Outcome& outcome, std::ostream& out, bool color) {
  auto paint = [color](Severity s) -> std::string_view {
    if (!color) {
      return "";
    }
    return s == Severity::error ? "\x1b[1;31m" : s == Severity::warning ? "\x1b[1;33m" : "\x1b[1;36m";
  };
  const std::string_view reset = color ? "\x1b[0m" : "";
  for (const auto& c : outcome.checks) {
    const auto label = std::string(paint(annotation_level(c))) + std::string(c.label()) + std::string(reset);
    if (c.has_place()) {
      out << text::one_line(c.where.to_string()) << ": " << label << ": " << c.message << " [" << c.name << "]\n";
    } else {
      out << text::one_line(c.name) << ": " << label << ": " << c.message << '\n';
    }
    for (const auto& r : c.related) {
      out << "    " << text::one_line(r.where.to_string()) << ": " << r.message << '\n';
    }
  }
  for (const auto& t : outcome.tables) {
    // Columns padded to their widest cell (in bytes; cells are one line each).
    std::vector<std::string> head;
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : t.columns) {
      head.push_back(text::one_line(c));
    }
    std::vector<std::size_t> width(head.size(), 0);
    for (std::size_t i = 0; i < head.size(); ++i) {
      width[i] = head[i].size();
    }
    for (const auto& row : t.rows) {
      auto& cells = rows.emplace_back();
      for (std::size_t i = 0; i < row.size() && i < head.size(); ++i) {
        cells.push_back(text::one_line(row[i]));
        width[i] = std::max(width[i], cells.back().size());
      }
    }
    out << '\n' << text::one_line(t.title) << ":\n";
    for (const auto* line : {&head}) {
      out << ' ';
      for (std::size_t i = 0; i < line->size(); ++i) {
        out << ' ' << (*line)[i] << std::string(i + 1 < line->size() ? width[i] - (*line)[i].size() + 1 : 0, ' ');
      }
      out << '\n';
    }
    for (const auto& cells : rows) {
      out << ' ';
      for (std::size_t i = 0; i < cells.size(); ++i) {
        out << ' ' << cells[i] << std::string(i + 1 < cells.size() ? width[i] - cells[i].size() + 1 : 0, ' ');
      }
      out << '\n';
    }
  }
}

namespace {

nlohmann::json location_json(const Location& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

nlohmann::json finding_json(const Check& c) {
  nlohmann::json related = nlohmann::json::array();
  for (const auto& r : c.related) {
    auto item = location_json(r.where);
    item["message"] = r.message;
    related.push_back(std::move(item));
  }
  auto item = nlohmann::json{{"rule", c.name}, {"severity", to_string(*c.severity)}, {"verdict", to_string(c.verdict)}};
  item.update(location_json(c.where));
  item["message"] = c.message;
  item["docs"] = c.docs();
  item["related"] = std::move(related);
  return item;
}

nlohmann::json check_json(const Check& c) {
  nlohmann::json item = {{"name", c.name}, {"verdict", to_string(c.verdict)}, {"message", c.message}};
  if (c.has_place()) {
    item.update(location_json(c.where));
  }
  if (c.severity) {
    item["severity"] = to_string(*c.severity);
  }
  if (!c.details.empty()) {
    item["details"] = c.details;
  }
  return item;
}

nlohmann::json summary_json(const Outcome& o) {
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : o.skipped) {
    skipped.push_back({{"name", s.name}, {"rule", s.name}, {"reason", s.reason}});
  }
  const auto code = o.exit_code();
  nlohmann::json summary = {{"result", result_name(code)},
                            {"exit_code", static_cast<int>(code)},
                            {"checks", o.checks.size()},
                            {"passed", o.count(Verdict::pass)},
                            {"warned", o.count(Verdict::warn)},
                            {"failed", o.count(Verdict::fail)},
                            {"could_not_evaluate", o.count(Verdict::error)},
                            {"findings", o.findings()},
                            {"errors", o.count(Severity::error)},
                            {"warnings", o.count(Severity::warning)},
                            {"notes", o.count(Severity::note)},
                            {"unreadable", o.input_errors.size()},
                            {"skipped", std::move(skipped)}};
  if (o.fail_level) {
    summary["fail_level"] = to_string(*o.fail_level);
  }
  summary.update(o.summary);
  return summary;
}

}  // namespace

void write_json(const Outcome& outcome, const ReportInfo& info, std::ostream& out) {
  nlohmann::json checks = nlohmann::json::array();
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& c : outcome.checks) {
    checks.push_back(check_json(c));
    if (c.is_finding()) {
      findings.push_back(finding_json(c));
    }
  }
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : outcome.input_errors) {
    auto item = location_json(e.where);
    item["message"] = e.message;
    errors.push_back(std::move(item));
  }
  const nlohmann::json doc = {{"version", k_json_schema_version}, {"tool", info.tool},
                              {"checks", std::move(checks)},      {"findings", std::move(findings)},
                              {"errors", std::move(errors)},      {"summary", summary_json(outcome)}};
  // Inputs are checked to be UTF-8, but a report must never throw while it is written.
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_github(const Outcome& outcome, const ReportInfo& info, std::ostream& out) {
  for (const auto& c : outcome.checks) {
    std::string message = c.message;
    for (const auto& r : c.related) {
      message += "\n  " + r.where.to_string() + ": " + r.message;
    }
    out << github::annotation(annotation_level(c), c.where, c.name, message) << '\n';
  }
  for (const auto& e : outcome.input_errors) {
    out << github::annotation(Severity::error, e.where, info.tool, e.message) << '\n';
  }
}

void write_results(Format format, const Outcome& outcome, const ReportInfo& info, std::ostream& out, bool color) {
  switch (format) {
    case Format::text:
      write_text(outcome, out, color);
      break;
    case Format::json:
      write_json(outcome, info, out);
      break;
    case Format::github:
      write_github(outcome, info, out);
      break;
    case Format::sarif:
      write_sarif(outcome, info, out);
      break;
  }
}

namespace {

std::string findings_table(const Outcome& o) {
  std::string md = "| severity | where | rule | message |\n|---|---|---|---|\n";
  for (const auto& c : o.checks) {
    md += "| " + std::string(c.label()) + " | " + text::markdown(c.where.to_string()) + " | [" +
          text::markdown(c.name) + "](" + c.docs() + ") | " + text::markdown(c.message) + " |\n";
  }
  return md;
}

std::string checks_table(const Outcome& o) {
  std::string md = "| check | result | message |\n|---|---|---|\n";
  for (const auto& c : o.checks) {
    const auto where = c.has_place() ? " (" + c.where.to_string() + ")" : std::string();
    md += "| " + text::markdown(c.name) + " | " + std::string(c.label()) + " | " + text::markdown(c.message + where) +
          " |\n";
  }
  return md;
}

}  // namespace

std::string summary_markdown(const Outcome& o, const ReportInfo& info, ExitCode code) {
  std::string md =
      "### " + info.tool + ": " + std::string(result_name(code)) + "\n\n" + text::markdown(headline(o)) + "\n\n";
  if (!o.checks.empty()) {
    const bool findings = o.findings() == o.checks.size();
    md += (findings ? findings_table(o) : checks_table(o)) + "\n";
  }
  for (const auto& t : o.tables) {
    md += "#### " + text::markdown(t.title) + "\n\n|";
    for (const auto& c : t.columns) {
      md += " " + text::markdown(c) + " |";
    }
    md += "\n|";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      md += "---|";
    }
    md += "\n";
    for (const auto& row : t.rows) {
      md += "|";
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        md += " " + (i < row.size() ? text::markdown(row[i]) : std::string()) + " |";
      }
      md += "\n";
    }
    md += "\n";
  }
  for (const auto& e : o.input_errors) {
    md += "- could not read " + text::markdown(e.where.to_string()) + ": " + text::markdown(e.message) + "\n";
  }
  for (const auto& s : o.skipped) {
    md += "- skipped " + text::markdown(s.name) + ": " + text::markdown(s.reason) + "\n";
  }
  return md;
}

}  // namespace shipgate
