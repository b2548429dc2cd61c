#include "workflow/workflow.hpp"

#include <re2/re2.h>

#include "core/text.hpp"
#include "workflow/expressions.hpp"

#include <algorithm>

namespace shipgate::workflow {

std::string Trigger::describe() const { return filters.empty() ? event : event + " (" + filters + ")"; }

std::string Workflow::describe_triggers() const {
  std::vector<std::string> parts;
  for (const auto& t : triggers) {
    parts.push_back(t.describe());
  }
  auto out = parts.empty() ? std::string("no triggers") : text::join(parts, ", ");
  if (out.size() > k_max_trigger_text) {
    out = out.substr(0, k_max_trigger_text) + "...";  // a fresh string: resize() keeps the capacity
  }
  return out;
}

std::optional<String> String::of(const yaml::Node* node) {
  if (node == nullptr || (!node->is_scalar() && !node->is_null())) {
    return std::nullopt;
  }
  std::string value = node->is_null()              ? std::string()
                      : yaml::is_core_true(*node)  ? std::string("true")
                      : yaml::is_core_false(*node) ? std::string("false")
                                                   : node->value;
  return String{std::move(value), node->pos, node->style, node};
}

bool String::has_expression() const { return value.find("${{") != std::string::npos; }

std::optional<String> Step::input(const yaml::Document& doc, std::string_view input_name) const {
  if (with == nullptr || !with->is_mapping()) {
    return std::nullopt;
  }
  const auto entry = doc.find_ci(*with, input_name);
  return entry ? String::of(entry.value) : std::nullopt;
}

std::optional<std::string> version_comment(const Workflow& wf, const Step& step) {
  if (!step.uses || wf.text.empty() || step.uses.value->pos.offset >= wf.text.size()) {
    return std::nullopt;
  }
  const auto from = step.uses.value->pos.offset;
  const auto end = std::min(wf.text.find('\n', from), wf.text.size());
  const auto line = wf.text.substr(from, end - from);
  const auto hash = line.find(" #");
  if (hash == std::string_view::npos) {
    return std::nullopt;
  }
  static const RE2 k_version(R"(^\s*#\s*(?:(?:tag|version|pin)\s*[=:@]\s*)?(v?[0-9]+(?:\.[0-9]+){0,2})\b)");
  std::string version;
  if (!RE2::PartialMatch(line.substr(hash + 1), k_version, &version)) {
    return std::nullopt;
  }
  return version;
}

bool Workflow::runs_on_event(std::string_view event) const {
  return std::any_of(triggers.begin(), triggers.end(), [event](const Trigger& t) { return t.event == event; });
}

namespace {

/// The scalars of a scalar or a sequence of scalars.
std::vector<std::string> scalars(const yaml::Document& doc, const yaml::Node* node) {
  std::vector<std::string> out;
  if (node == nullptr) {
    return out;
  }
  if (node->is_scalar()) {
    out.push_back(node->value);
  } else if (node->is_sequence()) {
    for (const auto id : node->items) {
      if (doc.at(id).is_scalar()) {
        out.push_back(doc.at(id).value);
      }
    }
  }
  return out;
}

Filters read_filters(const yaml::Document& doc, const yaml::Node& config) {
  Filters f;
  if (!config.is_mapping()) {
    return f;
  }
  f.branches = scalars(doc, doc.get(config, "branches"));
  f.branches_ignore = scalars(doc, doc.get(config, "branches-ignore"));
  f.tags = scalars(doc, doc.get(config, "tags"));
  f.tags_ignore = scalars(doc, doc.get(config, "tags-ignore"));
  f.paths = scalars(doc, doc.get(config, "paths"));
  f.paths_ignore = scalars(doc, doc.get(config, "paths-ignore"));
  return f;
}

Concurrency read_concurrency(const yaml::Document& doc, const yaml::Node& parent) {
  Concurrency c;
  const auto entry = doc.find(parent, "concurrency");
  if (!entry) {
    return c;
  }
  c.key = entry.key;
  if (entry.value->is_scalar()) {
    c.group = String::of(entry.value);
  } else if (entry.value->is_mapping()) {
    c.group = String::of(doc.get(*entry.value, "group"));
    c.cancel_in_progress = String::of(doc.get(*entry.value, "cancel-in-progress"));
  }
  return c;
}

/// "a, b" for a scalar or a sequence of scalars; "" for anything else.
std::string join_scalars(const yaml::Document& doc, const yaml::Node& node) {
  if (node.is_scalar()) {
    return node.value;
  }
  std::vector<std::string> values;
  if (node.is_sequence()) {
    for (const auto id : node.items) {
      if (doc.at(id).is_scalar()) {
        values.push_back(doc.at(id).value);
      }
    }
  }
  std::sort(values.begin(), values.end());
  return text::join(values, ", ");
}

/// The filters that decide when an event fires (branches, tags, paths, types, cron, ...).
std::string describe_filters(const yaml::Document& doc, const yaml::Node& config) {
  if (!config.is_mapping()) {
    return {};
  }
  std::vector<std::string> parts;
  for (const auto& pair : config.pairs) {
    const auto& key = doc.at(pair.key);
    const auto& value = doc.at(pair.value);
    if (key.value == "inputs" || key.value == "outputs" || key.value == "secrets") {
      continue;  // parameters of dispatch/call events, not filters
    }
    if (key.value == "schedule" || value.is_mapping()) {
      continue;
    }
    parts.push_back(key.value + ": " + join_scalars(doc, value));
  }
  std::sort(parts.begin(), parts.end());
  return text::join(parts, "; ");
}

std::string describe_schedule(const yaml::Document& doc, const yaml::Node& config) {
  std::vector<std::string> crons;
  if (config.is_sequence()) {
    for (const auto id : config.items) {
      if (const auto* cron = doc.get(doc.at(id), "cron"); cron != nullptr && cron->is_scalar()) {
        crons.push_back(cron->value);
      }
    }
  }
  std::sort(crons.begin(), crons.end());
  return crons.empty() ? std::string{} : "cron: " + text::join(crons, ", ");
}

std::vector<Trigger> read_triggers(const yaml::Document& doc, const yaml::Node* on) {
  std::vector<Trigger> triggers;
  if (on == nullptr) {
    return triggers;
  }
  if (on->is_scalar()) {
    triggers.push_back({on->value, {}, {}});
  } else if (on->is_sequence()) {
    for (const auto id : on->items) {
      if (doc.at(id).is_scalar()) {
        triggers.push_back({doc.at(id).value, {}, {}});
      }
    }
  } else if (on->is_mapping()) {
    for (const auto& pair : on->pairs) {
      const auto& event = doc.at(pair.key).value;
      const auto& config = doc.at(pair.value);
      triggers.push_back({event, event == "schedule" ? describe_schedule(doc, config) : describe_filters(doc, config),
                          read_filters(doc, config)});
    }
  }
  std::sort(triggers.begin(), triggers.end());
  return triggers;
}

void read_steps(const yaml::Document& doc, const yaml::Node* steps, Job& job) {
  if (steps == nullptr || !steps->is_sequence()) {
    return;
  }
  for (std::size_t i = 0; i < steps->items.size(); ++i) {
    const auto& node = doc.at(steps->items[i]);
    if (!node.is_mapping()) {
      continue;
    }
    Step step;
    step.node = &node;
    step.index = i;
    step.uses = doc.find(node, "uses");
    step.with = doc.get(node, "with");
    step.run = doc.get(node, "run");
    step.env = doc.get(node, "env");
    step.id = String::of(doc.get(node, "id"));
    step.name = String::of(doc.get(node, "name"));
    step.condition = String::of(doc.get(node, "if"));
    job.steps.push_back(step);
  }
}

Job read_job(const yaml::Document& doc, const yaml::Pair& pair) {
  Job job;
  job.key = &doc.at(pair.key);
  job.id = job.key->value;
  job.node = &doc.at(pair.value);
  if (!job.node->is_mapping()) {
    return job;
  }
  job.env = doc.get(*job.node, "env");
  job.environment = doc.find(*job.node, "environment");
  if (const auto* strategy = doc.get(*job.node, "strategy"); strategy != nullptr) {
    job.matrix = doc.get(*strategy, "matrix");
  }
  job.needs = scalars(doc, doc.get(*job.node, "needs"));
  job.condition = doc.get(*job.node, "if");
  job.uses = doc.find(*job.node, "uses");
  job.with = doc.get(*job.node, "with");
  job.secrets = doc.get(*job.node, "secrets");
  read_steps(doc, doc.get(*job.node, "steps"), job);
  job.concurrency = read_concurrency(doc, *job.node);
  job.container = doc.get(*job.node, "container");
  if (job.environment && job.environment.value->is_mapping()) {
    job.environment_url = String::of(doc.get(*job.environment.value, "url"));
  }
  if (const auto* runs_on = doc.get(*job.node, "runs-on"); runs_on != nullptr) {
    const auto* labels = runs_on->is_mapping() ? doc.get(*runs_on, "labels") : runs_on;
    if (labels != nullptr && labels->is_scalar()) {
      job.runs_on.push_back(*String::of(labels));
    } else if (labels != nullptr && labels->is_sequence()) {
      for (const auto id : labels->items) {
        if (auto s = String::of(&doc.at(id)); s && doc.at(id).is_scalar()) {
          job.runs_on.push_back(std::move(*s));
        }
      }
    }
  }
  return job;
}

/// The values a declared input may take when the workflow is linted on its own: a dispatch's
/// `choice` options or a boolean's two values; anything else (and every input callers pass) is
/// unknown before the run.
std::shared_ptr<const Binding> own_binding(const yaml::Document& doc, const yaml::Node* dispatch_inputs,
                                           const yaml::Node* call_inputs, bool deferred) {
  auto binding = std::make_shared<Binding>();
  binding->deferred = deferred;
  if (dispatch_inputs != nullptr && dispatch_inputs->is_mapping()) {
    for (const auto& pair : dispatch_inputs->pairs) {
      InputValue value;
      const auto& input = doc.at(pair.value);
      const auto* type = doc.get(input, "type");
      const auto* options = doc.get(input, "options");
      if (type != nullptr && type->value == "boolean") {
        value.values = std::vector<std::string>{"false", "true"};
      } else if (type != nullptr && type->value == "choice" && options != nullptr && options->is_sequence() &&
                 !options->items.empty()) {
        std::vector<std::string> listed;
        for (const auto id : options->items) {
          if (doc.at(id).is_scalar()) {
            listed.push_back(doc.at(id).value);
          }
        }
        if (listed.size() == options->items.size()) {
          value.values = std::move(listed);
        }
      }
      binding->inputs[text::to_lower(doc.at(pair.key).value)] = std::move(value);
    }
  }
  if (call_inputs != nullptr && call_inputs->is_mapping()) {
    for (const auto& pair : call_inputs->pairs) {
      binding->inputs[text::to_lower(doc.at(pair.key).value)] = InputValue{};  // a caller may pass anything
    }
  }
  return binding;
}

}  // namespace

Result<Workflow> build_workflow(const yaml::Document& doc) {
  const auto& root = doc.root();
  if (!root.is_mapping()) {
    const char* what = root.is_null() ? "the file is empty" : root.is_sequence() ? "it is a list" : "it is a scalar";
    return Error{std::string("a workflow must be a mapping with 'on' and 'jobs', but ") + what,
                 {doc.file(), root.pos.line, root.pos.column},
                 {}};
  }
  const auto* on = doc.get(root, "on");
  const auto* jobs = doc.get(root, "jobs");
  if (on == nullptr || on->is_null()) {
    return Error{"not a workflow: no 'on' (the events that run it)", {doc.file(), root.pos.line, root.pos.column}, {}};
  }
  if (jobs == nullptr || !jobs->is_mapping()) {
    const auto pos = jobs != nullptr ? jobs->pos : root.pos;
    return Error{
        jobs != nullptr ? "not a workflow: 'jobs' must be a mapping of job ids to jobs" : "not a workflow: no 'jobs'",
        {doc.file(), pos.line, pos.column},
        {}};
  }
  Workflow wf;
  wf.doc = &doc;
  wf.path = doc.file();
  wf.triggers = read_triggers(doc, on);
  wf.env = doc.get(root, "env");
  wf.concurrency = read_concurrency(doc, root);
  for (const auto& pair : jobs->pairs) {
    wf.jobs.push_back(read_job(doc, pair));
  }
  const auto* call = on->is_mapping() ? doc.get(*on, "workflow_call") : nullptr;
  const auto* dispatch = on->is_mapping() ? doc.get(*on, "workflow_dispatch") : nullptr;
  wf.called_only = wf.triggers.size() == 1 && wf.triggers.front().event == "workflow_call";
  wf.declared_inputs = call != nullptr ? doc.get(*call, "inputs") : nullptr;
  wf.binding = own_binding(doc, dispatch != nullptr ? doc.get(*dispatch, "inputs") : nullptr, wf.declared_inputs,
                           wf.called_only);
  if (const auto* inputs = dispatch != nullptr ? doc.get(*dispatch, "inputs") : nullptr;
      inputs != nullptr && inputs->is_mapping()) {
    for (const auto& pair : inputs->pairs) {
      wf.dispatch_inputs.push_back(*String::of(&doc.at(pair.key)));
    }
  }
  return wf;
}

Result<Workflow> build_action(const yaml::Document& doc) {
  const auto& root = doc.root();
  const auto* runs = doc.get(root, "runs");
  if (runs == nullptr || !runs->is_mapping()) {
    const auto pos = runs != nullptr ? runs->pos : root.pos;
    return Error{"not an action: 'runs' must be a mapping", {doc.file(), pos.line, pos.column}, {}};
  }
  Workflow wf;
  wf.doc = &doc;
  wf.path = doc.file();
  wf.is_action = true;
  wf.called_only = true;
  wf.declared_inputs = doc.get(root, "inputs");
  wf.binding = own_binding(doc, nullptr, wf.declared_inputs, true);
  const auto* kind = doc.get(*runs, "using");
  if (kind == nullptr || !kind->is_scalar() || kind->value != "composite") {
    return wf;  // JavaScript and Docker actions run code shipgate does not read
  }
  Job job;
  job.key = doc.get(root, "name") != nullptr ? doc.get(root, "name") : runs;
  job.id = job.key->is_scalar() && !job.key->value.empty() ? job.key->value : "composite action";
  job.node = runs;
  read_steps(doc, doc.get(*runs, "steps"), job);
  wf.jobs.push_back(std::move(job));
  return wf;
}

Result<Workflow> build_model(const yaml::Document& doc) {
  const auto& root = doc.root();
  if (root.is_mapping() && doc.get(root, "runs") != nullptr && doc.get(root, "jobs") == nullptr) {
    return build_action(doc);
  }
  return build_workflow(doc);
}

}  // namespace shipgate::workflow
