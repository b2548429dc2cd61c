#pragma once

#include <string_view>
#include <vector>

namespace shipgate {

/// A data file compiled into the binary (see cmake/Embed.cmake).
struct EmbeddedFile {
  std::string_view name;
  std::string_view contents;
};

}  // namespace shipgate
