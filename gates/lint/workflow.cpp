#include "lint/workflow.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace shipgate::lint {

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

const yaml::Node* environment_name(const yaml::Document& doc, const Job& job) {
  if (!job.environment) {
    return nullptr;
  }
  const yaml::Node* name = job.environment.value;
  return name->is_mapping() ? doc.get(*name, "name") : name;
}

namespace {

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
    triggers.push_back({on->value, {}});
  } else if (on->is_sequence()) {
    for (const auto id : on->items) {
      if (doc.at(id).is_scalar()) {
        triggers.push_back({doc.at(id).value, {}});
      }
    }
  } else if (on->is_mapping()) {
    for (const auto& pair : on->pairs) {
      const auto& event = doc.at(pair.key).value;
      const auto& config = doc.at(pair.value);
      triggers.push_back({event, event == "schedule" ? describe_schedule(doc, config) : describe_filters(doc, config)});
    }
  }
  std::sort(triggers.begin(), triggers.end());
  return triggers;
}

std::vector<std::string> read_needs(const yaml::Document& doc, const yaml::Node* needs) {
  std::vector<std::string> out;
  if (needs == nullptr) {
    return out;
  }
  if (needs->is_scalar()) {
    out.push_back(needs->value);
  } else if (needs->is_sequence()) {
    for (const auto id : needs->items) {
      if (doc.at(id).is_scalar()) {
        out.push_back(doc.at(id).value);
      }
    }
  }
  return out;
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
  job.needs = read_needs(doc, doc.get(*job.node, "needs"));
  job.condition = doc.get(*job.node, "if");
  const auto* steps = doc.get(*job.node, "steps");
  if (steps == nullptr || !steps->is_sequence()) {
    return job;
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
    job.steps.push_back(step);
  }
  return job;
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
  for (const auto& pair : jobs->pairs) {
    wf.jobs.push_back(read_job(doc, pair));
  }
  return wf;
}

}  // namespace shipgate::lint
