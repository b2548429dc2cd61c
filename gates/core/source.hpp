#pragma once

#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace shipgate {

/// Largest input file a gate reads (workflows, configs, records); larger files are refused with
/// exit 2 rather than read into memory. Real workflow files are a few kilobytes.
inline constexpr std::size_t k_max_input_bytes = std::size_t{4} * 1024 * 1024;

/// Reads a text file a user gave us: refuses directories, files over `max_bytes`, NUL bytes and
/// invalid UTF-8, each with a message naming the file (and line where known); strips a UTF-8 BOM.
Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes = k_max_input_bytes);

/// read_text_file for a `path` given relative to `dir` (a gate's working directory); errors name
/// `path` as given.
Result<std::string> read_text_file_in(const std::string& dir, const std::string& path,
                                      std::size_t max_bytes = k_max_input_bytes);

/// Checks text already in memory the same way (for stdin and tests); `name` is used in messages.
Result<std::string> check_text(std::string contents, const std::string& name);

}  // namespace shipgate
