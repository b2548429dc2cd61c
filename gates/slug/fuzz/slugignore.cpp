// libFuzzer target: the .slugignore reader and matcher, on any file a pull request could commit
// and any path a tree could hold. The first line of the input is the path matched; the rest is
// the file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "slug/slugignore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const auto newline = input.find('\n');
  const auto path = input.substr(0, newline == std::string_view::npos ? input.size() : newline);
  const auto file = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const auto ignore = shipgate::slug::SlugIgnore::parse(file);
  (void)ignore.ignored(path, false);
  (void)ignore.ignored(path, true);
  for (const auto& note : ignore.notes()) {
    (void)note.message.size();
  }
  return 0;
}
