#include "core/environments.hpp"

#include "core/json.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/source.hpp"
#include "core/text.hpp"
#include "core/yaml.hpp"

namespace shipgate {

const EnvironmentRecord* EnvironmentRecords::find(const std::string& name) const {
  for (const auto& record : records) {
    if (text::iequals(record.name, name)) {
      return &record;
    }
  }
  return nullptr;
}

std::vector<std::string> EnvironmentRecords::names() const {
  std::vector<std::string> out;
  for (const auto& r : records) {
    out.push_back(r.name);
  }
  return out;
}

namespace {

Error records_error(const std::string& path, const std::string& message, int line = 0) {
  return Error{"environment records: " + message, {path, line, 0}, {}};
}

Result<EnvironmentRecords> from_api_json(const nlohmann::json& doc, const std::string& path) {
  EnvironmentRecords out{path, {}};
  const auto envs = doc.find("environments");
  if (envs == doc.end() || !envs->is_array()) {
    return records_error(path, "expected GitHub's environments list: an object with an \"environments\" array");
  }
  for (const auto& env : *envs) {
    if (!env.is_object() || !env.contains("name") || !env["name"].is_string()) {
      return records_error(path, "every entry of \"environments\" needs a string \"name\"");
    }
    EnvironmentRecord record{env["name"].get<std::string>(), {}};
    if (const auto rules = env.find("protection_rules"); rules != env.end() && rules->is_array()) {
      for (const auto& rule : *rules) {
        if (rule.is_object() && rule.contains("type") && rule["type"].is_string()) {
          record.protection_rules.push_back(rule["type"].get<std::string>());
        }
      }
    }
    out.records.push_back(std::move(record));
  }
  if (const auto total = doc.find("total_count");
      total != doc.end() && total->is_number_unsigned() && total->get<std::size_t>() > out.records.size()) {
    return records_error(path, "\"total_count\" is " + std::to_string(total->get<std::size_t>()) + " but only " +
                                   std::to_string(out.records.size()) +
                                   " environments are listed; fetch every page (gh api --paginate)");
  }
  return out;
}

Result<EnvironmentRecords> from_yaml_list(const std::string& contents, const std::string& path) {
  auto doc = yaml::parse(contents, path);
  if (!doc) {
    return doc.error();
  }
  const auto& root = doc->root();
  if (!root.is_sequence()) {
    return records_error(path, "expected GitHub's environments JSON or a list of environment names", root.pos.line);
  }
  EnvironmentRecords out{path, {}};
  for (const auto id : root.items) {
    const auto& item = doc->at(id);
    if (item.is_scalar() && !item.value.empty()) {
      out.records.push_back({item.value, {}});
    } else if (const auto* name = doc->get(item, "name"); name != nullptr && name->is_scalar()) {
      out.records.push_back({name->value, {}});
    } else {
      return records_error(path, "each list entry must be an environment name", item.pos.line);
    }
  }
  return out;
}

/// Every JSON value in `contents`: one document, or the back-to-back pages `gh api --paginate`
/// prints; a `--slurp`ed array of pages is flattened into its pages.
Result<std::vector<nlohmann::json>> json_pages(const std::string& contents, const std::string& path) {
  if (const auto at = json::too_deep(contents)) {
    return records_error(path, "JSON nested deeper than " + std::to_string(json::k_max_depth) + " levels",
                         text::line_of_offset(contents, *at));
  }
  std::vector<nlohmann::json> pages;
  std::istringstream in(contents);
  try {
    while ((in >> std::ws).peek() != std::char_traits<char>::eof()) {
      nlohmann::json page;
      in >> page;
      pages.push_back(std::move(page));
    }
  } catch (const nlohmann::json::exception& e) {
    return records_error(path, std::string("invalid JSON: ") + e.what());
  }
  if (pages.size() == 1 && pages[0].is_array() && !pages[0].empty() && pages[0][0].is_object() &&
      pages[0][0].contains("environments")) {
    auto slurped = std::move(pages[0]);
    pages.assign(slurped.begin(), slurped.end());
  }
  return pages;
}

}  // namespace

Result<EnvironmentRecords> parse_environments(const std::string& contents, const std::string& path) {
  const auto first = contents.find_first_not_of(" \t\r\n");
  const bool json = first != std::string::npos && (contents[first] == '{' || contents.compare(first, 2, "[{") == 0 ||
                                                   contents.find("\"environments\"") != std::string::npos);
  if (!json) {
    return from_yaml_list(contents, path);
  }
  auto pages = json_pages(contents, path);
  if (!pages) {
    return pages.error();
  }
  nlohmann::json combined = {{"environments", nlohmann::json::array()}};
  std::size_t total = 0;
  for (const auto& page : *pages) {
    const auto envs = page.is_object() ? page.find("environments") : page.end();
    if (!page.is_object() || envs == page.end() || !envs->is_array()) {
      return records_error(path, "expected GitHub's environments list: an object with an \"environments\" array");
    }
    for (const auto& env : *envs) {
      combined["environments"].push_back(env);
    }
    if (const auto count = page.find("total_count"); count != page.end() && count->is_number_unsigned()) {
      total = std::max(total, count->get<std::size_t>());
    }
  }
  combined["total_count"] = total;
  return from_api_json(combined, path);
}

Result<EnvironmentRecords> load_environments(const std::string& path, const std::string& cwd) {
  auto contents = read_text_file_in(cwd, path);
  if (!contents) {
    return contents.error();
  }
  return parse_environments(*contents, path);
}

}  // namespace shipgate
