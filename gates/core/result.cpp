#include "core/result.hpp"

#include <algorithm>

namespace shipgate {

std::string Location::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) {
      out += ":" + std::to_string(column);
    }
  }
  return out;
}

std::string Error::to_string() const {
  if (where.file.empty()) {
    return message;
  }
  return where.to_string() + ": " + message;
}

ExitCode worst(ExitCode a, ExitCode b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

}  // namespace shipgate
