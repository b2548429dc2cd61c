#include "github/environments.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/json.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "core/yaml.hpp"

namespace shipgate::github {

const Environment* Environments::find(const std::string& name) const {
  for (const auto& record : list) {
    if (text::iequals(record.name, name)) {
      return &record;
    }
  }
  return nullptr;
}

std::vector<std::string> Environments::names() const {
  std::vector<std::string> out;
  for (const auto& r : list) {
    out.push_back(r.name);
  }
  return out;
}

namespace {

using Json = nlohmann::json;

/// One environment object of the API, as the model holds it.
Environment read(const Json& item) {
  Environment e;
  e.raw = item;
  if (const auto it = item.find("name"); it != item.end() && it->is_string()) {
    e.name = it->get<std::string>();
  }
  if (const auto rules = item.find("protection_rules"); rules != item.end() && rules->is_array()) {
    for (const auto& rule : *rules) {
      if (!rule.is_object()) {
        continue;
      }
      const auto type_it = rule.find("type");
      const auto type = type_it != rule.end() && type_it->is_string() ? type_it->get<std::string>() : std::string();
      if (!type.empty()) {
        e.protection_rules.push_back(type);
      }
      if (type == "required_reviewers") {
        e.has_reviewers_rule = true;
        if (const auto r = rule.find("reviewers"); r != rule.end() && r->is_array()) {
          e.reviewers = r->size();
        }
        const auto self = rule.find("prevent_self_review");
        e.prevent_self_review = self != rule.end() && self->is_boolean() && self->get<bool>();
      } else if (type == "wait_timer") {
        if (const auto w = rule.find("wait_timer"); w != rule.end() && w->is_number_integer()) {
          e.wait_timer_minutes = w->get<long>();
        }
      }
    }
  }
  if (const auto policy = item.find("deployment_branch_policy"); policy != item.end() && policy->is_object()) {
    e.branch_policy = true;
  }
  return e;
}

Error records_error(const std::string& path, const std::string& message, int line = 0) {
  return Error{"environment records: " + message, {path, line, 0}, {}};
}

Result<Environments> from_api_json(const Json& doc, const std::string& path) {
  Environments out{path, {}};
  const auto envs = doc.find("environments");
  if (envs == doc.end() || !envs->is_array()) {
    return records_error(path, "expected GitHub's environments list: an object with an \"environments\" array");
  }
  for (const auto& env : *envs) {
    if (!env.is_object() || !env.contains("name") || !env["name"].is_string()) {
      return records_error(path, "every entry of \"environments\" needs a string \"name\"");
    }
    out.list.push_back(read(env));
  }
  if (const auto total = doc.find("total_count");
      total != doc.end() && total->is_number_unsigned() && total->get<std::size_t>() > out.list.size()) {
    return records_error(path, "\"total_count\" is " + std::to_string(total->get<std::size_t>()) + " but only " +
                                   std::to_string(out.list.size()) +
                                   " environments are listed; fetch every page (gh api --paginate)");
  }
  return out;
}

Result<Environments> from_yaml_list(const std::string& contents, const std::string& path) {
  auto doc = yaml::parse(contents, path);
  if (!doc) {
    return doc.error();
  }
  const auto& root = doc->root();
  if (!root.is_sequence()) {
    return records_error(path, "expected GitHub's environments JSON or a list of environment names", root.pos.line);
  }
  Environments out{path, {}};
  for (const auto id : root.items) {
    const auto& item = doc->at(id);
    if (item.is_scalar() && !item.value.empty()) {
      out.list.push_back({item.value, {}});
    } else if (const auto* name = doc->get(item, "name"); name != nullptr && name->is_scalar()) {
      out.list.push_back({name->value, {}});
    } else {
      return records_error(path, "each list entry must be an environment name", item.pos.line);
    }
  }
  return out;
}

/// Every JSON value in `contents`: one document, or the back-to-back pages `gh api --paginate`
/// prints; a `--slurp`ed array of pages is flattened into its pages.
Result<std::vector<Json>> json_pages(const std::string& contents, const std::string& path) {
  if (const auto at = json::too_deep(contents)) {
    return records_error(path, "JSON nested deeper than " + std::to_string(json::k_max_depth) + " levels",
                         text::line_of_offset(contents, *at));
  }
  std::vector<Json> pages;
  std::istringstream in(contents);
  try {
    while ((in >> std::ws).peek() != std::char_traits<char>::eof()) {
      Json page;
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

Result<Environment> parse_environment(const std::string& body) {
  const auto doc = json::parse(body);
  if (!doc || !doc->is_object()) {
    return Error{"the API's answer is not a JSON object: " + text::shorten(text::one_line(body), 80), {}, {}};
  }
  return read(*doc);
}

Result<std::vector<Environment>> parse_environment_page(const std::string& body) {
  const auto doc = json::parse(body);
  if (!doc || !doc->is_object() || !doc->contains("environments") || !(*doc)["environments"].is_array()) {
    return Error{"the API's answer has no environments list: " + text::shorten(text::one_line(body), 80), {}, {}};
  }
  std::vector<Environment> out;
  for (const auto& item : (*doc)["environments"]) {
    if (item.is_object()) {
      out.push_back(read(item));
    }
  }
  return out;
}

Result<Environments> parse_environments(const std::string& contents, const std::string& path) {
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
  Json combined = {{"environments", Json::array()}};
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

Result<Environments> load_environments(const std::string& path, const std::string& cwd) {
  auto contents = read_text_file_in(cwd, path);
  if (!contents) {
    return contents.error();
  }
  return parse_environments(*contents, path);
}

}  // namespace shipgate::github
