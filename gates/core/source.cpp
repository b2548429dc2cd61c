#include "core/source.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/text.hpp"

namespace shipgate {

Result<std::string> check_text(std::string contents, const std::string& name) {
  if (contents.size() >= 3 && contents.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    contents.erase(0, 3);
  }
  if (const auto nul = contents.find('\0'); nul != std::string::npos) {
    return Error{"binary file: NUL byte at offset " + std::to_string(nul),
                 {name, text::line_of_offset(contents, nul), 0}, {}};
  }
  if (const auto bad = text::find_invalid_utf8(contents)) {
    return Error{"not valid UTF-8 text (byte offset " + std::to_string(*bad) + ")",
                 {name, text::line_of_offset(contents, *bad), 0}, {}};
  }
  return contents;
}

Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error{"no such file", {path, 0, 0}, {}};
  }
  if (std::filesystem::is_directory(status)) {
    return Error{"is a directory, expected a file", {path, 0, 0}, {}};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{std::string("cannot read: ") + std::strerror(errno), {path, 0, 0}, {}};
  }
  std::string contents;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    contents.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (contents.size() > max_bytes) {
      return Error{"file is larger than the " + std::to_string(max_bytes / (1024 * 1024)) +
                       " MiB limit for inputs",
                   {path, 0, 0}, {}};
    }
  }
  if (in.bad()) {
    return Error{"read error", {path, 0, 0}, {}};
  }
  return check_text(std::move(contents), path);
}

}  // namespace shipgate
