#include "lint/options.hpp"

#include <algorithm>
#include <filesystem>
#include <variant>

#include "core/cli.hpp"
#include "core/config.hpp"
#include "core/text.hpp"
#include "lint/registry.hpp"

namespace shipgate::lint {

namespace {

struct Flags {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string config;
  std::string environments;
  std::string fail_level;
  bool list_rules = false;
};

std::unique_ptr<CLI::App> make_cli(Flags& flags) {
  auto app = cli::make_app(k_tool, "Lint GitHub Actions workflow files for unsafe deploys.\n"
                                   "PATH is a workflow file or a directory of them (default: .github/workflows).");
  app->add_option("paths", flags.paths, "Workflow files or directories")->option_text("PATH...");
  cli::add_format_option(*app, flags.format, true);
  app->add_option("--environments", flags.environments,
                  "The repository's environments: GitHub's environments JSON, or a YAML list of names")
      ->option_text("FILE");
  app->add_option("--config", flags.config, "Config file (default: .github/shipgate.yml, found upwards)")
      ->option_text("FILE");
  app->add_option("--fail-level", flags.fail_level, "Lowest severity that fails the run: error|warning|note "
                                                    "(default: error)")
      ->check(CLI::IsMember({"error", "warning", "note"}))
      ->option_text("LEVEL");
  app->add_flag("--list-rules", flags.list_rules, "List every rule with its severity and exit");
  return app;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids;
  for (const auto& rule : all_rules()) {
    ids.emplace_back(rule->id());
  }
  return ids;
}

/// Paths in the config are relative to the repository root: the parent of `.github/`.
std::string config_relative(const std::string& config_path, const std::string& value) {
  namespace fs = std::filesystem;
  if (fs::path(value).is_absolute()) {
    return value;
  }
  fs::path base = fs::path(config_path).parent_path();
  if (base.filename() == ".github") {
    base = base.parent_path();
  }
  return (base / value).lexically_normal().string();
}

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
    for (const auto& pair : entry.pairs) {
      const auto& key = doc.at(pair.key).value;
      if (key != "rule" && key != "file" && key != "reason") {
        section.error(doc.at(pair.key), "ignore", "unknown key '" + key + "' in an ignore entry (rule, file, reason)");
      }
    }
    if (const auto message = rule != nullptr ? text::unknown_name("rule", rule->value, rule_ids()) : std::nullopt) {
      section.error(*rule, "ignore", *message);
      continue;
    }
    auto place = parse_ignore_place(rule ? rule->value : "", file ? file->value : "");
    if (!place.file.empty()) {
      place.file = canonical_path(config_relative(section.path(), place.file));
    }
    options.ignore.push_back(std::move(place));
  }
}

/// Applies the `lint:` section; returns every error found in it.
std::vector<Error> apply_config(const config::File* file, Options& options, const Flags& flags) {
  config::Section section(file, "lint");
  if (const auto env = section.take_string("environments"); env && flags.environments.empty()) {
    options.environments = config_relative(section.path(), *env);
  }
  if (const auto* level = section.take("fail-level"); level != nullptr && !level->is_null()) {
    const auto severity = parse_severity(level->value);
    if (!severity || !level->is_scalar()) {
      section.error(*level, "fail-level", "expected note, warning or error");
    } else if (flags.fail_level.empty()) {
      options.fail_level = *severity;
    }
  }
  if (const auto paths = section.take_string_list("paths"); paths && flags.paths.empty()) {
    for (const auto& p : *paths) {
      options.paths.push_back(config_relative(section.path(), p));
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
  auto errors = file ? config::check_sections(*file) : std::vector<Error>{};
  auto section_errors = section.finish();
  errors.insert(errors.end(), section_errors.begin(), section_errors.end());
  return errors;
}

}  // namespace

std::string help_text() {
  Flags flags;
  return make_cli(flags)->help();
}

std::variant<Options, ExitCode> parse_options(const Invocation& inv) {
  Flags flags;
  auto app = make_cli(flags);
  if (const auto stop = cli::parse(*app, inv)) {
    return *stop;
  }
  Options options;
  options.format = parse_format(flags.format).value_or(Format::text);
  options.list_rules = flags.list_rules;
  options.paths = flags.paths;
  if (!flags.environments.empty()) {
    options.environments = flags.environments;
  }
  if (!flags.fail_level.empty()) {
    options.fail_level = parse_severity(flags.fail_level).value_or(Severity::error);
  }
  const auto explicit_config = flags.config.empty() ? std::nullopt : std::optional<std::string>(flags.config);
  const auto loaded = config::load(explicit_config, ".");
  if (!loaded) {
    cli::diagnose(inv, k_tool, "config: " + loaded.error().to_string());
    return ExitCode::usage;
  }
  const config::File* file = loaded->has_value() ? &**loaded : nullptr;
  const auto errors = apply_config(file, options, flags);
  for (const auto& e : errors) {
    cli::diagnose(inv, k_tool, "config: " + e.to_string() + (e.key.empty() ? "" : " [" + e.key + "]"));
  }
  if (!errors.empty()) {
    return ExitCode::usage;
  }
  if (options.paths.empty()) {
    options.paths.emplace_back(".github/workflows");
  }
  return options;
}

}  // namespace shipgate::lint
