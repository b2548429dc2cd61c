#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

/// The copy of Debian's tzdata compiled into shipgate-freeze (embed-tzdata.cmake): the fallback
/// when the system has no zone data, as Go's time/tzdata is.
namespace shipgate::freeze::tzdata {

struct Zone {
  std::string_view name;  // "America/New_York"
  std::size_t offset;     // into the embedded bytes
  std::size_t size;
};

/// The tzdata release embedded ("2026f").
std::string_view version();
/// Every embedded zone, aliases included, sorted by name.
const std::vector<Zone>& zones();
/// The compiled (TZif) file of `zone`.
std::string_view bytes(const Zone& zone);

}  // namespace shipgate::freeze::tzdata
