#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shipgate::lint {

/// One comparison a job's `if:` requires to hold: `github.event_name` or `github.ref` equal (or
/// not equal) to a literal. GitHub compares strings case-insensitively, so `value` is lower-case.
struct Requirement {
  std::string field;  // "github.event_name" or "github.ref"
  bool equal = true;
  std::string value;
  /// `startsWith(github.ref, 'refs/tags/')` (or `github.ref_type == 'tag'`): the value is a prefix.
  bool prefix = false;
  friend bool operator==(const Requirement&, const Requirement&) = default;
};

/// The requirements an `if:` makes through top-level `&&` comparisons of the form above (with
/// or without `${{ }}`); other parts are left out, which only weakens the condition, so two
/// jobs found exclusive from them are exclusive. An `if:` with a top-level `||`, or longer than
/// 4 KiB, gives none; at most 16 distinct requirements are kept.
std::vector<Requirement> requirements(std::string_view condition);

/// Whether no event can satisfy both sets of requirements: the jobs never run together.
/// (Both are lower-case; a prefix requirement excludes an exact one it does not begin.)
bool exclusive(const std::vector<Requirement>& a, const std::vector<Requirement>& b);

}  // namespace shipgate::lint
