#include <cctype>
#include <cstdint>
#include <map>
#include <ostream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/report.hpp"

namespace shipgate {

namespace {

/// SARIF's result levels are our severity names (error, warning, note).
std::string_view sarif_level(Severity severity) { return to_string(severity); }

/// A relative path as a URI reference: unreserved characters and '/' stay, the rest is %XX.
std::string uri_path(std::string_view path) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  if (path.rfind("./", 0) == 0) {
    path.remove_prefix(2);
  }
  std::string out;
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || std::string_view("-._~/").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += k_hex[u >> 4];
      out += k_hex[u & 0xF];
    }
  }
  return out;
}

nlohmann::json physical_location(const Location& where) {
  nlohmann::json region = nlohmann::json::object();
  region["startLine"] = std::max(where.line, 1);
  if (where.column > 0) {
    region["startColumn"] = where.column;
  }
  return {{"artifactLocation", {{"uri", uri_path(where.file)}}}, {"region", std::move(region)}};
}

/// FNV-1a, 64 bits, as 16 hex digits: stable across builds and platforms, unlike std::hash.
std::string fingerprint(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) {
    out[static_cast<std::size_t>(i)] = k_hex[h & 0xF];
  }
  return out;
}

}  // namespace

void write_sarif(const Outcome& outcome, const ReportInfo& info, std::ostream& out) {
  const auto& rules = info.rules;
  nlohmann::json rule_list = nlohmann::json::array();
  for (const auto& rule : rules) {
    rule_list.push_back(
        {{"id", rule.id},
         {"name", rule.id},
         {"shortDescription", {{"text", rule.summary}}},
         {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}},
         {"helpUri", Check::docs_url(rule.id)},
         {"help", rule.help.empty() ? nlohmann::json{{"text", rule.summary + ". See " + Check::docs_url(rule.id)}}
                                    : nlohmann::json{{"text", rule.help}, {"markdown", rule.help}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  std::map<std::string, int> seen;  // fingerprint base -> occurrences so far
  for (const auto& f : outcome.checks) {
    if (!f.is_finding()) {
      continue;
    }
    // A fingerprint that survives lines moving above the finding: rule, file and message (which
    // names the job, app or value), and which occurrence of those it is.
    const auto base = fingerprint(f.name + '\n' + f.where.file + '\n' + f.message);
    const auto occurrence = seen[base]++;
    nlohmann::json result = {
        {"ruleId", f.name},
        {"level", sarif_level(*f.severity)},
        {"message", {{"text", f.message}}},
        {"locations", nlohmann::json::array({{{"physicalLocation", physical_location(f.where)}}})},
        {"partialFingerprints", {{"shipgateFinding/v1", base + ":" + std::to_string(occurrence)}}}};
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].id == f.name) {
        result["ruleIndex"] = i;
      }
    }
    if (!f.related.empty()) {
      nlohmann::json related = nlohmann::json::array();
      int id = 1;
      for (const auto& r : f.related) {
        related.push_back(
            {{"id", id++}, {"physicalLocation", physical_location(r.where)}, {"message", {{"text", r.message}}}});
      }
      result["relatedLocations"] = std::move(related);
    }
    results.push_back(std::move(result));
  }
  nlohmann::json notifications = nlohmann::json::array();
  for (const auto& e : outcome.input_errors) {
    notifications.push_back(
        {{"level", "error"},
         {"message", {{"text", e.message}}},
         {"locations", nlohmann::json::array({{{"physicalLocation", physical_location(e.where)}}})}});
  }
  const nlohmann::json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array(
                   {{{"tool", {{"driver", {{"name", info.tool}, {"version", info.version}, {"rules", rule_list}}}}},
                     {"invocations", nlohmann::json::array({{{"executionSuccessful", outcome.input_errors.empty()},
                                                             {"toolExecutionNotifications", notifications}}})},
                     {"results", std::move(results)}}})}};
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace shipgate
