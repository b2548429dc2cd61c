#include "lint/reach.hpp"

#include <fnmatch.h>

#include <algorithm>

#include "core/text.hpp"

namespace shipgate::lint {

std::vector<Requirement> site_requirements(const WorkflowSummary& workflow, const DeploySite& site) {
  std::vector<Requirement> out;
  const auto add = [&out](const std::vector<Requirement>& more) { out.insert(out.end(), more.begin(), more.end()); };
  add(requirements(site.condition));
  if (site.facts != nullptr) {
    add(requirements(site.facts->condition));
  }
  if (const auto it = workflow.conditions.find(site.job); it != workflow.conditions.end()) {
    add(it->second);
  }
  return out;
}

namespace {

bool any_glob(const std::vector<std::string>& patterns, const std::string& name) {
  return std::any_of(patterns.begin(), patterns.end(), [&name](const std::string& p) {
    return !p.empty() && (p.front() == '!' || fnmatch(text::to_lower(p).c_str(), name.c_str(), 0) == 0);
  });
}

}  // namespace

bool can_run_on(const workflow::Trigger& t, const std::vector<Requirement>& required) {
  if (t.event == "workflow_call") {
    return true;  // the caller's event and ref: anything
  }
  std::vector<Requirement> implied = {{"github.event_name", true, text::to_lower(t.event), false}};
  const auto& f = t.refs;
  const bool branch_filters = !f.branches.empty() || !f.branches_ignore.empty();
  const bool tag_filters = !f.tags.empty() || !f.tags_ignore.empty();
  if (t.event == "push") {
    if (branch_filters && !tag_filters) {
      implied.push_back({"github.ref", true, "refs/heads/", true});
    } else if (tag_filters && !branch_filters) {
      implied.push_back({"github.ref", true, "refs/tags/", true});
    }
  } else if (t.event == "pull_request") {
    implied.push_back({"github.ref", true, "refs/pull/", true});
  } else if (t.event == "release") {
    implied.push_back({"github.ref", true, "refs/tags/", true});
  } else if (t.event == "pull_request_target" || t.event == "schedule" || t.event == "workflow_run" ||
             t.event == "repository_dispatch") {
    implied.push_back({"github.ref", true, "refs/heads/", true});
  }
  if (exclusive(required, implied)) {
    return false;
  }
  // An exact branch or tag the filters leave out.
  for (const auto& r : required) {
    if (r.field != "github.ref" || !r.equal || r.prefix || (t.event != "push" && t.event != "pull_request_target")) {
      continue;
    }
    if (r.value.rfind("refs/heads/", 0) == 0) {
      const auto branch = r.value.substr(11);
      if ((!f.branches.empty() && !any_glob(f.branches, branch)) ||
          (!f.branches_ignore.empty() && any_glob(f.branches_ignore, branch) && f.branches.empty())) {
        return false;
      }
    } else if (r.value.rfind("refs/tags/", 0) == 0 && t.event == "push") {
      const auto tag = r.value.substr(10);
      if ((!f.tags.empty() && !any_glob(f.tags, tag)) || (f.tags.empty() && branch_filters)) {
        return false;
      }
    }
  }
  return true;
}

/// How trigger `t` reaches a deploy that requires `required`: a push's branch filters are left
/// out when only tags can meet it, and its tag filters when only branches can.
std::string reached_as(const workflow::Trigger& t, const std::vector<Requirement>& required) {
  if (t.event != "push" || t.filters.empty()) {
    return t.describe();
  }
  const auto only = [&required](std::string_view prefix) {
    return std::any_of(required.begin(), required.end(), [prefix](const Requirement& r) {
      return r.field == "github.ref" && r.equal && r.value.rfind(prefix, 0) == 0;
    });
  };
  const char* drop = only("refs/tags/") ? "branches" : only("refs/heads/") ? "tags" : nullptr;
  if (drop == nullptr) {
    return t.describe();
  }
  std::vector<std::string> kept;
  std::string_view rest = t.filters;
  while (!rest.empty()) {
    const auto end = rest.find("; ");
    const auto part = rest.substr(0, end);
    if (part.rfind(drop, 0) != 0) {
      kept.emplace_back(part);
    }
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
  }
  return kept.empty() ? t.event : t.event + " (" + text::join(kept, "; ") + ")";
}

std::string reached_text(const WorkflowSummary& workflow, const DeploySite& site) {
  const auto required = site_requirements(workflow, site);
  std::vector<std::string> parts;
  for (const auto& t : workflow.triggers) {
    if (can_run_on(t, required)) {
      parts.push_back(reached_as(t, required));
    }
  }
  return parts.empty() ? "nothing (no trigger meets its if:)" : text::join(parts, ", ");
}

bool is_production(const DeploySite& site) {
  if (looks_like_production(site.app)) {
    return true;
  }
  if (site.facts == nullptr) {
    return false;
  }
  const auto& names = site.facts->environments;
  return std::any_of(names.begin(), names.end(), [](const std::string& n) { return looks_like_production(n); }) ||
         looks_like_production(site.facts->environment_written);
}

}  // namespace shipgate::lint
