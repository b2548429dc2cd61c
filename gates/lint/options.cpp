#include "lint/options.hpp"

#include <algorithm>

#include "core/paths.hpp"
#include "core/text.hpp"
#include "lint/registry.hpp"

namespace shipgate::lint {

namespace {

void read_rules(config::Section& section, Options& options) {
  const auto* rules = section.take("rules");
  if (rules == nullptr || rules->is_null()) {
    return;
  }
  const auto& doc = *section.document();
  const auto ids = rule_ids();
  if (!rules->is_mapping()) {
    section.error(*rules, "rules", "'rules' must map rule ids to off|note|warning|error");
    return;
  }
  for (const auto& pair : rules->pairs) {
    const auto& key = doc.at(pair.key);
    const auto& value = doc.at(pair.value);
    if (const auto message = text::unknown_name("rule", key.value, ids)) {
      section.error(key, "rules", *message);
      continue;
    }
    if (value.is_scalar() && value.value == "off") {
      options.severity[key.value] = std::nullopt;
    } else if (const auto severity = parse_severity(value.value); severity && value.is_scalar()) {
      options.severity[key.value] = severity;
    } else {
      section.error(value, "rules." + key.value, "expected off, note, warning or error");
    }
  }
}

void read_ignore(config::Section& section, Options& options) {
  const auto* ignore = section.take("ignore");
  if (ignore == nullptr || ignore->is_null()) {
    return;
  }
  const auto& doc = *section.document();
  if (!ignore->is_sequence()) {
    section.error(*ignore, "ignore", "'ignore' must be a list of {rule, file, reason} entries");
    return;
  }
  for (const auto id : ignore->items) {
    const auto& entry = doc.at(id);
    const auto* rule = doc.get(entry, "rule");
    const auto* file = doc.get(entry, "file");
    if (!entry.is_mapping() || (rule == nullptr && file == nullptr)) {
      section.error(entry, "ignore", "each ignore entry needs 'rule', 'file' (path[:line[:col]]) or both");
      continue;
    }
    for (auto& e : config::check_keys(*section.document(), entry, {"rule", "file", "reason"}, "lint.ignore",
                                      " in an ignore entry")) {
      section.add(std::move(e));
    }
    if (const auto message = rule != nullptr ? text::unknown_name("rule", rule->value, rule_ids()) : std::nullopt) {
      section.error(*rule, "ignore", *message);
      continue;
    }
    auto place = parse_ignore_place(rule ? rule->value : "", file ? file->value : "");
    if (!place.file.empty()) {
      place.file = paths::canonical(paths::join(options.base_dir, paths::from_config(section.path(), place.file)));
    }
    options.ignore.push_back(std::move(place));
  }
}

}  // namespace

void add_flags(CLI::App& app, Flags& flags) {
  app.add_option("paths", flags.paths, "Workflow files or directories")->option_text("PATH...");
  app.add_option("--environments", flags.environments,
                 "The repository's environments: GitHub's environments JSON, or a YAML list of names")
      ->option_text("FILE");
  app.add_option("--fail-level", flags.fail_level,
                 "Lowest severity that fails the run: " + k_severity_names.choices() + " (default: error)")
      ->check(CLI::IsMember(k_severity_names.names()))
      ->option_text("LEVEL");
}

Options configure(const Flags& flags, config::Section& section, const std::string& base_dir) {
  Options options;
  options.base_dir = base_dir;
  options.paths = flags.paths;
  if (!flags.environments.empty()) {
    options.environments = flags.environments;
  }
  if (!flags.fail_level.empty()) {
    options.fail_level = parse_severity(flags.fail_level).value_or(Severity::error);
  }
  if (const auto env = section.take_string("environments"); env && flags.environments.empty()) {
    options.environments = paths::from_config(section.path(), *env);
  }
  if (const auto* level = section.take("fail-level"); level != nullptr && !level->is_null()) {
    const auto severity = parse_severity(level->value);
    if (!severity || !level->is_scalar()) {
      section.error(*level, "fail-level", "expected note, warning or error");
    } else if (flags.fail_level.empty()) {
      options.fail_level = *severity;
    }
  }
  if (const auto configured = section.take_string_list("paths"); configured && flags.paths.empty()) {
    for (const auto& p : *configured) {
      options.paths.push_back(paths::from_config(section.path(), p));
    }
  }
  read_rules(section, options);
  read_ignore(section, options);
  if (const auto* actions = section.take("deploy-actions"); actions != nullptr && !actions->is_null()) {
    std::vector<Error> errors;
    read_deploy_actions(*section.document(), *actions, options.extra_actions, errors);
    for (auto& e : errors) {
      e.key = "lint.deploy-actions";
      section.add(std::move(e));
    }
  }
  if (options.paths.empty()) {
    options.paths.emplace_back(".github/workflows");
  }
  return options;
}

}  // namespace shipgate::lint
