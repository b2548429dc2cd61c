#include "workflow/calls.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <set>

#include "core/paths.hpp"
#include "core/text.hpp"
#include "workflow/environments.hpp"

namespace shipgate::workflow {

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

CallWalker::CallWalker(Files files, std::string fallback_root)
    : m_files(std::move(files)), m_root(std::move(fallback_root)) {}

void CallWalker::walk(const Workflow& caller, const std::string& caller_file, const std::string& caller_key,
                      const CallVisitor& visitor) {
  std::vector<std::string> chain = {caller_key};
  walk_chain(caller, caller_file, chain, visitor);
}

void CallWalker::walk_chain(const Workflow& caller, const std::string& caller_file, std::vector<std::string>& chain,
                            const CallVisitor& visitor) {
  if (chain.size() > static_cast<std::size_t>(k_max_call_depth)) {
    return;
  }
  const auto root = call_root(caller_file, m_root);
  for (const auto& call : local_calls(caller)) {
    const auto file = callee_file(call, root);
    if (!file) {
      continue;  // missing, or outside the repository: GitHub fails the run itself
    }
    const auto key = paths::canonical(*file);
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
      continue;  // a cycle, which GitHub refuses
    }
    if (visitor.found) {
      visitor.found(*file, key);
    }
    const auto loaded = load(*file, key);
    if (!loaded || loaded->wf.is_action != call.action) {
      continue;
    }
    if (m_calls >= k_max_calls || m_call_bytes + loaded->text.size() > k_max_call_bytes) {
      m_stopped = true;
      return;
    }
    ++m_calls;
    m_call_bytes += loaded->text.size();
    Workflow callee = loaded->wf;
    callee.binding = bind_call(caller, call, loaded->wf);
    if (call.action) {
      callee.caller = &caller;
      callee.calling_job = call.job;
      callee.calling_step = call.step;
    }
    chain.push_back(key);
    visitor.visit({caller, call, *file, key, callee}, [&] { walk_chain(callee, *file, chain, visitor); });
    chain.pop_back();
  }
}

std::shared_ptr<const Loaded> CallWalker::load(const std::string& absolute, const std::string& key) {
  if (const auto it = m_cache.find(key); it != m_cache.end()) {
    return it->second;
  }
  auto text = m_files.read(absolute);
  if (!text) {
    return nullptr;
  }
  auto loaded = std::make_shared<Loaded>();
  loaded->text = std::move(*text);
  auto doc = yaml::parse(loaded->text, m_files.shown(absolute));
  if (!doc) {
    return nullptr;
  }
  loaded->doc = std::make_unique<yaml::Document>(std::move(*doc));
  auto wf = build_model(*loaded->doc);
  if (!wf) {
    return nullptr;
  }
  loaded->wf = std::move(*wf);
  loaded->wf.text = loaded->text;
  if (m_cached_bytes + loaded->text.size() <= k_max_cached_bytes) {
    m_cached_bytes += loaded->text.size();
    m_cache.emplace(key, loaded);
  }
  return loaded;
}

}  // namespace shipgate::workflow
