#include "lint/caller_places.hpp"

#include <iterator>
#include <vector>

namespace shipgate::lint {

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
    const auto names = workflow::inputs_read(node.value);
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
