#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace shipgate::workflow {

/// Expands PATHs (relative to `cwd`) into workflow files: *.yml and *.yaml directly inside a
/// directory, sorted, each once; a directory that cannot be listed or holds none becomes an
/// Error in `unreadable`. Paths stay as the user wrote them.
std::vector<std::string> collect_files(const std::vector<std::string>& paths, const std::string& cwd,
                                       std::vector<Error>& unreadable);

}  // namespace shipgate::workflow
