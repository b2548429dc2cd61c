#include "lint/expressions.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace shipgate::lint {

Scope Scope::for_step(const Workflow& wf, const Job& job, const Step* step) {
  return Scope{wf.doc, wf.env, job.env, step ? step->env : nullptr, job.matrix, true};
}

bool has_expression(std::string_view text) { return text.find("${{") != std::string_view::npos; }

namespace {

constexpr int k_max_depth = 4;

std::optional<std::vector<std::string>> resolve_depth(std::string_view text, const Scope& scope, int depth);

/// Literal values of matrix key `name`: its list, plus values from `include` entries.
std::optional<std::vector<std::string>> matrix_value(std::string_view name, const Scope& scope) {
  if (scope.matrix == nullptr || !scope.matrix->is_mapping()) {
    return std::nullopt;
  }
  const auto& doc = *scope.doc;
  std::vector<std::string> values;
  if (const auto* list = doc.get(*scope.matrix, name); list != nullptr) {
    if (!list->is_sequence()) {
      return std::nullopt;
    }
    for (const auto id : list->items) {
      const auto& item = doc.at(id);
      if (!item.is_scalar() || has_expression(item.value)) {
        return std::nullopt;
      }
      values.push_back(item.value);
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
  if (const auto* exclude = doc.get(*scope.matrix, "exclude"); exclude != nullptr && exclude->is_sequence()) {
    // An entry that names only this key removes the value from every combination; entries with
    // more keys remove combinations, not values, and leave the value list as it is.
    for (const auto id : exclude->items) {
      const auto& entry = doc.at(id);
      const auto* v = doc.get(entry, name);
      if (entry.is_mapping() && entry.pairs.size() == 1 && v != nullptr && v->is_scalar()) {
        values.erase(std::remove(values.begin(), values.end(), v->value), values.end());
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
  return std::nullopt;
}

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
  return std::nullopt;
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
  return resolve_depth(text, scope, 0);
}

std::optional<std::vector<std::string>> env_value(std::string_view name, const Scope& scope) {
  return env_depth(name, scope, 0);
}

}  // namespace shipgate::lint
