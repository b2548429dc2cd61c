#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/yaml.hpp"

namespace shipgate::config {

/// The repository config file, relative to the repository root.
inline constexpr std::string_view k_default_path = ".github/shipgate.yml";

/// Every shipped gate's section name; any other top-level key is an error (a user's config may
/// hold sections for gates other than the one running). Generated from the gate folders
/// (cmake/Gates.cmake), so a new gate's section needs no line here.
const std::vector<std::string>& gate_sections();

struct File {
  std::string path;
  yaml::Document doc;
};

/// The config given with --config (which must exist; relative to `cwd`), else
/// .github/shipgate.yml found from `cwd` upwards (stopping at the directory that holds .git);
/// nullopt when there is none. The file's path is kept as the user would write it from `cwd`.
Result<std::optional<File>> load(const std::optional<std::string>& explicit_path, const std::string& cwd);

/// Errors for top-level keys that are neither a gate section nor `own_section` (with "did you mean").
std::vector<Error> check_sections(const File& file, const std::string& own_section = {});

/// Errors for keys of the mapping `map` in `doc` that are not in `known`, with "did you mean":
/// the one key check for config sections, nested config entries and rule data. `key` names the
/// config key the mapping sits under; an error's key field is "KEY.unknown" (or "unknown").
std::vector<Error> check_keys(const yaml::Document& doc, const yaml::Node& map, const std::vector<std::string>& known,
                              const std::string& key, std::string_view context = {});

/// Reads one gate's section and collects every error with file, line and key, so all of them can
/// be reported at once; keys never taken are reported as unknown, with "did you mean".
class Section {
public:
  Section(const File* file, std::string gate);

  bool present() const { return m_node != nullptr; }
  /// The value of `key`, marking the key as known; nullptr when absent.
  const yaml::Node* take(std::string_view key);
  std::optional<std::string> take_string(std::string_view key);
  std::optional<std::vector<std::string>> take_string_list(std::string_view key);

  void error(const yaml::Node& at, std::string_view key, const std::string& message);
  /// An error found by a reader of this section's data, with its own location.
  void add(Error error) { m_errors.push_back(std::move(error)); }
  /// All errors, unknown keys included. Call once, after every take().
  std::vector<Error> finish();
  const yaml::Document* document() const { return m_file ? &m_file->doc : nullptr; }
  const std::string& path() const;
  /// The gate's section name ("smoke").
  const std::string& name() const { return m_gate; }

private:
  const File* m_file;
  std::string m_gate;
  const yaml::Node* m_node = nullptr;
  std::vector<std::string> m_known;
  std::vector<Error> m_errors;
};

}  // namespace shipgate::config
