// libFuzzer target: the dependency readers (requirements.txt with its includes, pyproject.toml,
// Pipfile, uv.lock) on any text a pull request could commit. The first byte picks the reader;
// a requirements file's `-r` includes read the same text again (a loop the reader must stop).
#include <cstddef>
#include <cstdint>
#include <string>

#include "slug/explain.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  static const auto rules = shipgate::slug::builtin_rules();
  if (!rules || size == 0) {
    return 0;
  }
  const std::string text(reinterpret_cast<const char*>(bytes + 1), size - 1);
  const auto shown = [](const std::string& path) { return path; };
  switch (bytes[0] % 4) {
    case 0: {
      const shipgate::slug::ReadFile read = [&](const std::string&, std::string&) { return text; };
      (void)shipgate::slug::read_requirements_txt(*rules, "requirements.txt", read, shown);
      break;
    }
    case 1:
      (void)shipgate::slug::read_pyproject(*rules, text, "pyproject.toml");
      break;
    case 2:
      (void)shipgate::slug::read_pipfile(*rules, text, "Pipfile");
      break;
    default:
      (void)shipgate::slug::read_uv_lock(*rules, text, "uv.lock");
      break;
  }
  return 0;
}
