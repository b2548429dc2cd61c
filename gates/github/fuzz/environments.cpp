// libFuzzer target: the --environments reader, on text as load_environments() hands it over
// (checked to be UTF-8 without NULs): GitHub's environments JSON, or a YAML/JSON list of names.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/source.hpp"
#include "github/environments.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string name = "environments.json";
  auto text = shipgate::check_text(std::string(reinterpret_cast<const char*>(bytes), size), name);
  if (!text) {
    return -1;  // load_environments() refuses it before parsing
  }
  const auto records = shipgate::github::parse_environments(*text, name);
  if (records) {
    for (const auto& record : records->list) {
      (void)records->find(record.name);
    }
  }
  return 0;
}
