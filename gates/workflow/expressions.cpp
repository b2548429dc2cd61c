#include "workflow/expressions.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/text.hpp"

namespace shipgate::workflow {

Scope Scope::for_step(const Workflow& wf, const Job& job, const Step* step) {
  return Scope{wf.doc, wf.env, job.env, step ? step->env : nullptr, job.matrix, true, wf.binding.get()};
}

bool Scope::defers(std::string_view text) const {
  return binding != nullptr && binding->deferred && text.find("inputs.") != std::string_view::npos;
}

bool has_expression(std::string_view text) { return text.find("${{") != std::string_view::npos; }

namespace {

constexpr int k_max_depth = 4;

std::optional<std::vector<std::string>> resolve_depth(std::string_view text, const Scope& scope, int depth);

/// The literal values of a matrix list, or nullopt when it is not a list of plain literals.
std::optional<std::vector<std::string>> literal_list(const yaml::Document& doc, const yaml::Node& list) {
  if (!list.is_sequence()) {
    return std::nullopt;
  }
  std::vector<std::string> values;
  for (const auto id : list.items) {
    const auto& item = doc.at(id);
    if (!item.is_scalar() || has_expression(item.value)) {
      return std::nullopt;
    }
    values.push_back(item.value);
  }
  return values;
}

/// Most combinations checked when deciding whether `exclude` removes every run of a value.
constexpr std::size_t k_max_combinations = 256;

/// Whether the matrix's `exclude` entries remove every combination in which key `name` is
/// `value` (GitHub applies exclude to the lists' product, before `include`).
bool fully_excluded(const yaml::Document& doc, const yaml::Node& matrix, std::string_view name,
                    const std::string& value) {
  const auto* exclude = doc.get(matrix, "exclude");
  if (exclude == nullptr || !exclude->is_sequence()) {
    return false;
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;  // the other keys
  std::size_t combinations = 1;
  for (const auto& pair : matrix.pairs) {
    const auto& key = doc.at(pair.key).value;
    if (key == name || key == "include" || key == "exclude") {
      continue;
    }
    auto values = literal_list(doc, doc.at(pair.value));
    if (!values || values->empty() || (combinations *= values->size()) > k_max_combinations) {
      return false;  // unknown or too many combinations: keep the value
    }
    axes.emplace_back(key, std::move(*values));
  }
  for (std::size_t n = 0; n < combinations; ++n) {
    std::map<std::string, std::string, std::less<>> combo = {{std::string(name), value}};
    for (std::size_t i = 0, rest = n; i < axes.size(); rest /= axes[i].second.size(), ++i) {
      combo[axes[i].first] = axes[i].second[rest % axes[i].second.size()];
    }
    const bool removed = std::any_of(exclude->items.begin(), exclude->items.end(), [&](yaml::NodeId id) {
      const auto& entry = doc.at(id);
      return entry.is_mapping() && std::all_of(entry.pairs.begin(), entry.pairs.end(), [&](const yaml::Pair& p) {
               const auto it = combo.find(doc.at(p.key).value);
               return it != combo.end() && doc.at(p.value).is_scalar() && doc.at(p.value).value == it->second;
             });
    });
    if (!removed) {
      return false;
    }
  }
  return true;
}

/// Literal values of matrix key `name`: its list less what `exclude` removes entirely, plus the
/// values `include` entries add (include comes after exclude, so it can add a value back).
std::optional<std::vector<std::string>> matrix_value(std::string_view name, const Scope& scope) {
  if (scope.matrix == nullptr || !scope.matrix->is_mapping()) {
    return std::nullopt;
  }
  const auto& doc = *scope.doc;
  std::vector<std::string> values;
  if (const auto* list = doc.get(*scope.matrix, name); list != nullptr) {
    auto listed = literal_list(doc, *list);
    if (!listed) {
      return std::nullopt;
    }
    for (auto& v : *listed) {
      if (!fully_excluded(doc, *scope.matrix, name, v)) {
        values.push_back(std::move(v));
      }
    }
  }
  if (const auto* include = doc.get(*scope.matrix, "include"); include != nullptr) {
    if (!include->is_sequence()) {
      return std::nullopt;
    }
    for (const auto id : include->items) {
      const auto* v = doc.get(doc.at(id), name);
      if (v != nullptr) {
        if (!v->is_scalar() || has_expression(v->value)) {
          return std::nullopt;
        }
        values.push_back(v->value);
      }
    }
  }
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::optional<std::vector<std::string>> env_depth(std::string_view name, const Scope& scope, int depth) {
  const auto* outer = scope.binding != nullptr ? scope.binding->outer.get() : nullptr;
  for (const auto* env : {scope.step_env, scope.job_env, scope.workflow_env}) {
    if (env == nullptr) {
      continue;
    }
    if (!env->is_mapping()) {
      return std::nullopt;  // env: ${{ fromJSON(...) }} hides every variable
    }
    if (const auto* value = scope.doc->get(*env, name); value != nullptr) {
      if (!value->is_scalar()) {
        return std::nullopt;
      }
      if (depth >= k_max_depth) {
        return std::nullopt;
      }
      return resolve_depth(value->value, scope, depth + 1);
    }
  }
  // A composite action's steps see the env of the step that runs the action.
  return outer != nullptr && depth < k_max_depth ? env_depth(name, *outer, depth + 1) : std::nullopt;
}

/// What input `name` holds (`inputs.NAME`, or `github.event.inputs.NAME` of a dispatch).
std::optional<std::vector<std::string>> input_value(std::string_view name, const Scope& scope) {
  if (scope.binding == nullptr) {
    return std::nullopt;
  }
  const auto it = scope.binding->inputs.find(text::to_lower(name));
  return it == scope.binding->inputs.end() ? std::nullopt : it->second.values;
}

std::optional<std::vector<std::string>> compare(std::string_view body, const Scope& scope, int depth);

/// Values of one expression body (between `${{` and `}}`), or nullopt.
std::optional<std::vector<std::string>> evaluate(std::string_view body, const Scope& scope, int depth) {
  body = text::trim(body);
  if (body.size() >= 2 && body.front() == '\'' && body.back() == '\'' &&
      body.substr(1, body.size() - 2).find('\'') == std::string_view::npos) {
    return std::vector<std::string>{std::string(body.substr(1, body.size() - 2))};
  }
  if (body == "true" || body == "false") {
    return std::vector<std::string>{std::string(body)};
  }
  auto is_name = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    });
  };
  if (body.rfind("env.", 0) == 0 && is_name(body.substr(4)) && scope.allow_env) {
    return env_depth(body.substr(4), scope, depth);
  }
  if (body.rfind("matrix.", 0) == 0 && is_name(body.substr(7))) {
    return matrix_value(body.substr(7), scope);
  }
  for (const std::string_view context : {"inputs.", "github.event.inputs."}) {
    if (body.rfind(context, 0) == 0 && is_name(body.substr(context.size()))) {
      return input_value(body.substr(context.size()), scope);
    }
  }
  return compare(body, scope, depth);
}

/// `A == B` or `A != B` of two operands that resolve (`inputs.env == 'production'`), as GitHub
/// compares strings: case-insensitively. Anything with more operators is left unknown.
std::optional<std::vector<std::string>> compare(std::string_view body, const Scope& scope, int depth) {
  if (body.find_first_of("()&|<>!=") == std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t op = std::string_view::npos;
  bool quoted = false;
  for (std::size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] == '\'') {
      quoted = !quoted;
    } else if (!quoted && (body[i] == '(' || body[i] == '&' || body[i] == '|' || body[i] == '<' || body[i] == '>')) {
      return std::nullopt;
    } else if (!quoted && (body[i] == '=' || body[i] == '!') && body[i + 1] == '=') {
      if (op != std::string_view::npos) {
        return std::nullopt;
      }
      op = i++;
    }
  }
  if (op == std::string_view::npos) {
    return std::nullopt;
  }
  const auto left = evaluate(body.substr(0, op), scope, depth);
  const auto right = evaluate(body.substr(op + 2), scope, depth);
  if (!left || !right || left->size() * right->size() > k_max_resolutions) {
    return std::nullopt;
  }
  const bool equal = body[op] == '=';
  std::vector<std::string> out;
  for (const auto& a : *left) {
    for (const auto& b : *right) {
      out.emplace_back(text::iequals(a, b) == equal ? "true" : "false");
    }
  }
  return out;
}

std::optional<std::vector<std::string>> resolve_depth(std::string_view text, const Scope& scope, int depth) {
  std::vector<std::string> results = {""};
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find("${{", pos);
    const auto literal = text.substr(pos, open == std::string_view::npos ? std::string_view::npos : open - pos);
    for (auto& r : results) {
      r += literal;
      if (r.size() > k_max_resolved_length) {
        return std::nullopt;
      }
    }
    if (open == std::string_view::npos) {
      break;
    }
    const auto close = text.find("}}", open + 3);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    const auto values = evaluate(text.substr(open + 3, close - open - 3), scope, depth);
    if (!values || results.size() * values->size() > k_max_resolutions) {
      return std::nullopt;
    }
    std::vector<std::string> next;
    for (const auto& r : results) {
      for (const auto& v : *values) {
        if (r.size() + v.size() > k_max_resolved_length) {
          return std::nullopt;
        }
        next.push_back(r + v);
      }
    }
    results = std::move(next);
    pos = close + 2;
  }
  return results;
}

}  // namespace

std::optional<std::vector<std::string>> resolve(std::string_view text, const Scope& scope) {
  if (!has_expression(text)) {
    return std::vector<std::string>{std::string(text)};  // the length cap is for expansion only
  }
  return resolve_depth(text, scope, 0);
}

std::optional<std::vector<std::string>> env_value(std::string_view name, const Scope& scope) {
  return env_depth(name, scope, 0);
}

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

std::optional<std::string> secret_reference(std::string_view text) {
  text = text::trim(text);
  if (text.size() < 6 || text.substr(0, 3) != "${{" || text.substr(text.size() - 2) != "}}") {
    return std::nullopt;
  }
  auto inner = text::trim(text.substr(3, text.size() - 5));
  std::string context;
  for (const char* prefix : {"secrets.", "vars."}) {
    if (inner.rfind(prefix, 0) == 0) {
      context = prefix;
    }
  }
  const auto name = inner.substr(std::min(context.size(), inner.size()));
  if (context.empty() || name.empty() ||
      name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
          std::string_view::npos) {
    return std::nullopt;
  }
  std::string upper(name);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return "${{ " + context + upper + " }}";
}

std::optional<std::pair<std::string, std::string>> lookup_reference(const std::string& text, const Binding* binding,
                                                                    const std::optional<std::string>& own_scope) {
  const auto trimmed = text::trim(text);
  if (binding != nullptr && trimmed.rfind("${{", 0) == 0 && trimmed.ends_with("}}")) {
    const auto body = text::trim(trimmed.substr(3, trimmed.size() - 5));
    if (body.rfind("inputs.", 0) == 0) {
      const auto it = binding->inputs.find(text::to_lower(body.substr(7)));
      if (it != binding->inputs.end() && it->second.reference) {
        return std::pair{*it->second.reference, it->second.scope};
      }
      return std::nullopt;
    }
  }
  auto ref = secret_reference(text);
  if (!ref) {
    return std::nullopt;
  }
  if (binding != nullptr && binding->secrets && ref->rfind("${{ secrets.", 0) == 0) {
    if (!binding->secrets->inherit) {
      // Only what the caller hands over exists; its own secrets are the repository's (a job that
      // calls a reusable workflow has no environment).
      const auto name = ref->substr(12, ref->size() - 15);
      const auto it = binding->secrets->named.find(name);
      auto passed = it != binding->secrets->named.end() ? secret_reference(it->second) : std::nullopt;
      return passed ? std::optional(std::pair{*passed, std::string()}) : std::nullopt;
    }
  }
  return own_scope ? std::optional(std::pair{*ref, *own_scope}) : std::nullopt;
}

}  // namespace shipgate::workflow
