#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "core/result.hpp"
#include "slug/measure.hpp"

namespace shipgate::slug {

/// rules/slug-packages.yml, read.
struct PackageRules {
  std::vector<std::string> cpu_packages;  // normalised names: torch, torchvision, ...
  std::string cpu_index;                  // the index to advise
  std::vector<std::string> cpu_markers;   // substrings of index URLs that serve CPU builds
  struct Replacement {
    std::string package;
    std::string instead;
    std::string why;
  };
  std::vector<Replacement> replacements;
  struct Installed {
    std::string dir;
    std::string what;
    std::string fix;
  };
  std::vector<Installed> installed;
  std::vector<std::string> test_names;
  std::uint64_t test_min_bytes = 0;
  std::vector<std::string> weight_extensions;
  std::uint64_t weight_min_bytes = 0;
};

/// The rules built into the binary; an error names the data file's line.
Result<PackageRules> builtin_rules();

/// A dependency file's text, by its path relative to the app (for `-r other.txt`); nullopt when
/// it cannot be read (the reader says why in `why`).
using ReadFile = std::function<std::optional<std::string>(const std::string& path, std::string& why)>;

/// PEP 503's normal form of a package name: lower case, runs of `-`, `_`, `.` as one `-`.
std::string normalise_package(std::string_view name);

/// Findings about the dependency files at the app's root (requirements.txt and the files it
/// includes, pyproject.toml, Pipfile, uv.lock), each at its file and line; `shown` turns a path
/// relative to the app into the path shown. Files that are absent are skipped.
std::vector<Check> read_dependencies(const PackageRules& rules, const ReadFile& read,
                                     const std::function<std::string(const std::string&)>& shown);

/// The readers one by one (the fuzz targets call them).
std::vector<Check> read_requirements_txt(const PackageRules& rules, const std::string& path, const ReadFile& read,
                                         const std::function<std::string(const std::string&)>& shown);
std::vector<Check> read_pyproject(const PackageRules& rules, const std::string& text, const std::string& shown);
std::vector<Check> read_pipfile(const PackageRules& rules, const std::string& text, const std::string& shown);
std::vector<Check> read_uv_lock(const PackageRules& rules, const std::string& text, const std::string& shown);

/// Findings about what the measured tree holds: GPU packages installed, model weights, test
/// data, a nested .git, node_modules dev dependencies (`dev_dependencies`: the app's
/// package.json devDependencies), and the entries that could not be measured.
/// `on_disk` turns a slug path into the path shown (where the file is, from the working directory).
std::vector<Check> explain_tree(const PackageRules& rules, const Totals& totals,
                                const std::vector<std::string>& dev_dependencies,
                                const std::function<std::string(const std::string&)>& on_disk);

/// A size the way Heroku's build log counts it (megabytes of 2^20 bytes, "500.1M"), the unit
/// spelled out: "346.2 MiB"; under a MiB, "680.0 KiB".
std::string size_text(std::uint64_t bytes);

/// The rules of shipgate-slug, sorted by id.
std::vector<RuleInfo> rule_infos();

}  // namespace shipgate::slug
