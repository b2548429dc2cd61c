#include "lint/options.hpp"

#include <algorithm>
#include <filesystem>

#include "core/paths.hpp"
#include "core/text.hpp"
#include "lint/registry.hpp"

namespace shipgate::lint {

namespace fs = std::filesystem;

namespace {

void read_rules(config::Section& section, Options& options) {
  const auto* rules = section.take("rules");
  if (rules == nullptr || rules->is_null()) {
    return;
  }
  const auto& doc = *section.document();
  const auto& ids = rule_ids();
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

const std::vector<options::Option>& declared() {
  using options::Type;
  static const std::vector<options::Option> k_options = {
      {.name = "paths",
       .type = Type::path,
       .help = "Workflow files or directories",
       .default_value = ".github/workflows",
       .placeholder = "PATH",
       .repeatable = true,
       .positional = true},
      {.name = "environments",
       .type = Type::path,
       .help = "The repository's environments: GitHub's environments JSON, or a YAML list of names"},
      {.name = "fail-level",
       .type = Type::choice,
       .help = "Lowest severity that fails the run",
       .default_value = "error",
       .placeholder = "LEVEL",
       .choices = k_severity_names.names()},
      {.name = "app-pattern",
       .type = Type::string,
       .help = "Naming convention deploy targets must follow (app-name-convention): raxx-{surface}-{env}",
       .placeholder = "PATTERN"},
      {.name = "pin",
       .type = Type::choice,
       .help = "How deploy actions must be pinned (unpinned-deploy-action): tag or sha",
       .default_value = "tag",
       .placeholder = "POLICY",
       .choices = {"tag", "sha"}},
      {.name = "fix",
       .type = Type::choice,
       .help = "Apply the findings' safe fixes to the files (=unsafe: also those that need a look), then report "
               "what is left",
       .default_value = "false",
       .placeholder = "unsafe",
       .choices = {"false", "true", "unsafe"},
       .flag_only = true,
       .bare = true},
      {.name = "diff",
       .type = Type::choice,
       .help = "Print the safe fixes (=unsafe: also those that need a look) as a unified diff instead of "
               "findings; change nothing",
       .default_value = "false",
       .placeholder = "unsafe",
       .choices = {"false", "true", "unsafe"},
       .flag_only = true,
       .bare = true},
      {.name = "deploy-map",
       .type = Type::boolean,
       .help = "Print every deploy target and each path that reaches it (--format text, json or mermaid) "
               "instead of findings",
       .default_value = "false",
       .flag_only = true},
  };
  return k_options;
}

void read_config(config::Section& section, Options& into) {
  read_rules(section, into);
  read_ignore(section, into);
  if (const auto* actions = section.take("deploy-actions"); actions != nullptr && !actions->is_null()) {
    std::vector<Error> errors;
    read_deploy_actions(*section.document(), *actions, into.extra_actions, errors);
    for (auto& e : errors) {
      e.key = "lint.deploy-actions";
      section.add(std::move(e));
    }
  }
}

void apply(const options::Values& values, Options& into) {
  if (values.given("paths")) {
    into.paths = values.list("paths");
  } else {
    // The repository's workflows wherever in it the gate runs, written as a path from there.
    const auto dir = fs::path(into.root) / ".github" / "workflows";
    const auto from_here = dir.lexically_relative(fs::path(into.base_dir).lexically_normal());
    into.paths = {from_here.empty() || into.base_dir.empty() ? dir.string() : from_here.string()};
  }
  if (values.given("environments")) {
    into.environments = values.text("environments");
  }
  into.fail_level = parse_severity(values.text("fail-level")).value_or(Severity::error);
  into.pin_sha = values.text("pin") == "sha";
  into.deploy_map = values.boolean("deploy-map");
  into.fix = values.text("fix") != "false";
  into.diff = values.text("diff") != "false";
  into.unsafe_fixes = values.text("fix") == "unsafe" || values.text("diff") == "unsafe";
  if (into.fix && into.diff) {
    into.errors.push_back({"--fix and --diff: choose one (--diff shows what --fix would write)", {}, {}});
  }
  if ((into.fix || into.diff) && into.deploy_map) {
    into.errors.push_back({"--deploy-map writes no fixes: leave out --fix and --diff", {}, {}});
  }
  if (into.diff && values.text("format") != "text" && values.text("format") != "github") {
    into.errors.push_back({"--diff writes a unified diff: use it with --format text", {}, {}});
  }
  const auto& format = values.text("format");
  if (into.deploy_map && format == "sarif") {
    into.errors.push_back({"--deploy-map is written as text, json or mermaid, not sarif", {}, {}});
  } else if (!into.deploy_map && format == "mermaid") {
    into.errors.push_back({"--format mermaid is for the deploy map: add --deploy-map", {}, {}});
  }
  if (const auto& pattern = values.text("app-pattern"); !pattern.empty()) {
    if (auto parsed = heroku::AppPattern::parse(pattern)) {
      into.app_pattern = std::move(*parsed);
    } else {
      into.errors.push_back({"app-pattern: " + parsed.error().message, {}, {}});
    }
  }
}

}  // namespace shipgate::lint
