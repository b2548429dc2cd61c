#include "lint/calls.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <set>

#include "core/text.hpp"
#include "lint/deploy_sites.hpp"

namespace shipgate::lint {

namespace {

namespace fs = std::filesystem;

bool is_local(const yaml::Entry& uses) {
  return uses && uses.value->is_scalar() && uses.value->value.rfind("./", 0) == 0;
}

bool is_workflow_file(std::string_view path) { return path.ends_with(".yml") || path.ends_with(".yaml"); }

/// Whether `path` lies in `root` (both absolute and normal).
bool inside(const fs::path& path, const fs::path& root) {
  const auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

/// The text a caller wrote for an input, as the runner passes it (YAML booleans as true/false).
std::string written(const yaml::Node& value) {
  return yaml::is_core_true(value) ? "true" : yaml::is_core_false(value) ? "false" : value.value;
}

/// One input as a caller passes it: its values when they resolve, else a secret or variable
/// reference (or one the caller itself was given), scoped by `reference_scope`.
InputValue bind_value(const std::string& text, const Scope& scope, const std::optional<std::string>& reference_scope) {
  InputValue out;
  out.values = resolve(text, scope);
  if (out.values) {
    return out;
  }
  // A secret or variable, one the caller was handed itself, or its own input holding one.
  if (auto ref = lookup_reference(text, scope.binding, reference_scope)) {
    out.reference = std::move(ref->first);
    out.scope = std::move(ref->second);
  }
  return out;
}

/// What an input holds when the caller does not pass it: its default, or the empty value of its
/// type (GitHub passes "" for a string, false for a boolean, 0 for a number).
InputValue default_value(const yaml::Document& doc, const yaml::Node& declared) {
  InputValue out;
  if (const auto* value = doc.get(declared, "default"); value != nullptr && value->is_scalar()) {
    out.values = resolve(written(*value), Scope{});
    return out;
  }
  const auto* type = doc.get(declared, "type");
  const std::string name = type != nullptr && type->is_scalar() ? type->value : std::string();
  out.values = std::vector<std::string>{name == "boolean" ? "false" : name == "number" ? "0" : ""};
  return out;
}

/// The input names `text` reads (`inputs.NAME`, `github.event.inputs.NAME`), lower-cased.
std::set<std::string> inputs_read(std::string_view text) {
  std::set<std::string> names;
  for (auto at = text.find("inputs."); at != std::string_view::npos; at = text.find("inputs.", at + 7)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) != 0 || text[at - 1] == '_')) {
      continue;  // `myinputs.x` is something else
    }
    auto end = at + 7;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_' || text[end] == '-')) {
      ++end;
    }
    if (end > at + 7) {
      names.insert(text::to_lower(text.substr(at + 7, end - at - 7)));
    }
  }
  return names;
}

}  // namespace

std::vector<LocalCall> local_calls(const Workflow& wf) {
  std::vector<LocalCall> calls;
  for (const auto& job : wf.jobs) {
    if (is_local(job.uses) && is_workflow_file(job.uses.value->value)) {
      calls.push_back({false, &job, nullptr, job.uses.value, job.uses.key, job.with});
    }
    for (const auto& step : job.steps) {
      if (is_local(step.uses) && !is_workflow_file(step.uses.value->value)) {
        calls.push_back({true, &job, &step, step.uses.value, step.uses.key, step.with});
      }
    }
  }
  return calls;
}

std::string call_root(const std::string& file, const std::string& fallback) {
  for (auto dir = fs::path(file).parent_path(); dir.has_relative_path(); dir = dir.parent_path()) {
    if (dir.filename() == ".github") {
      return dir.parent_path().string();
    }
  }
  return fallback;
}

std::optional<std::string> callee_file(const LocalCall& call, const std::string& root) {
  std::error_code ec;
  const fs::path base = fs::absolute(root, ec).lexically_normal();
  const fs::path target = (base / call.uses->value).lexically_normal();
  if (ec || !inside(target, base)) {
    return std::nullopt;
  }
  std::vector<fs::path> candidates = {target};
  if (call.action) {
    candidates = {target / "action.yml", target / "action.yaml"};
  }
  for (const auto& candidate : candidates) {
    if (!fs::is_regular_file(candidate, ec)) {
      continue;
    }
    // A link may point anywhere; what it resolves to must still be in the repository.
    const auto real = fs::weakly_canonical(candidate, ec);
    const auto real_root = fs::weakly_canonical(base, ec);
    if (!ec && inside(real, real_root)) {
      return candidate.string();
    }
  }
  return std::nullopt;
}

std::shared_ptr<const Binding> bind_call(const Workflow& caller, const LocalCall& call, const Workflow& callee) {
  auto binding = std::make_shared<Binding>();
  const auto* caller_binding = caller.binding.get();
  binding->deferred = caller_binding != nullptr && caller_binding->deferred;
  Scope scope = Scope::for_step(caller, *call.job, call.step);
  // A job that calls a reusable workflow has no environment of its own; a step has its job's.
  std::optional<std::string> reference_scope = std::string();
  if (call.action) {
    reference_scope = environment_scope(caller, *call.job);
    binding->outer = std::make_shared<const Scope>(scope);
  } else {
    scope.allow_env = false;  // `jobs.<id>.with` cannot read the env context
  }
  const auto& doc = *callee.doc;
  if (callee.declared_inputs != nullptr && callee.declared_inputs->is_mapping()) {
    for (const auto& pair : callee.declared_inputs->pairs) {
      const auto& name = doc.at(pair.key).value;
      const auto passed = call.with != nullptr ? caller.doc->find_ci(*call.with, name) : yaml::Entry{};
      InputValue value;
      if (passed && passed.value->is_scalar()) {
        value = bind_value(written(*passed.value), scope, reference_scope);
      } else if (!passed) {
        value = default_value(doc, doc.at(pair.value));
      }
      binding->inputs[text::to_lower(name)] = std::move(value);
    }
  }
  if (!call.action) {
    PassedSecrets secrets;
    const auto* given = call.job->secrets;
    if (given != nullptr && given->is_scalar() && given->value == "inherit") {
      secrets.inherit = true;
    } else if (given != nullptr && given->is_mapping()) {
      for (const auto& pair : given->pairs) {
        const auto& value = caller.doc->at(pair.value);
        if (value.is_scalar()) {
          auto key = caller.doc->at(pair.key).value;
          std::transform(key.begin(), key.end(), key.begin(),
                         [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
          secrets.named[key] = value.value;
        }
      }
    }
    binding->secrets = std::move(secrets);
  }
  return binding;
}

CallerPlaces::CallerPlaces(const Workflow& caller, const LocalCall& call, const Workflow& callee)
    : m_place{caller.path, call.uses_key->pos.line, call.uses_key->pos.column},
      m_what(call.action ? "in the composite action" : "in the called workflow") {
  if (call.with == nullptr || !call.with->is_mapping()) {
    return;
  }
  const auto& doc = *callee.doc;
  for (std::size_t id = 0; id < doc.size(); ++id) {
    const auto& node = doc.at(static_cast<yaml::NodeId>(id));
    if (!node.is_scalar() || node.value.find("inputs.") == std::string::npos) {
      continue;
    }
    const auto names = inputs_read(node.value);
    if (names.size() != 1) {
      continue;
    }
    if (const auto passed = caller.doc->find_ci(*call.with, *names.begin())) {
      m_by_input_use.emplace(std::pair{node.pos.line, node.pos.column},
                             Location{caller.path, passed.value->pos.line, passed.value->pos.column});
    }
  }
}

void CallerPlaces::move(Check& check) const {
  const auto it = m_by_input_use.find({check.where.line, check.where.column});
  std::vector<Related> related;  // the callee's place first
  related.reserve(check.related.size() + 1);
  related.push_back({check.where, m_what});
  std::move(check.related.begin(), check.related.end(), std::back_inserter(related));
  check.related = std::move(related);
  check.where = it != m_by_input_use.end() ? it->second : m_place;
}

}  // namespace shipgate::lint
