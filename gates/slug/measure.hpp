#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "slug/slugignore.hpp"

namespace shipgate::slug {

/// Sizes of a part of the slug: what it adds to the compressed tar.gz (its share of each deflate
/// block it is in) and its bytes before compression (file contents; tar headers counted apart).
struct Size {
  std::uint64_t compressed = 0;
  std::uint64_t uncompressed = 0;
  std::uint64_t files = 0;
  Size& operator+=(const Size& o) {
    compressed += o.compressed;
    uncompressed += o.uncompressed;
    files += o.files;
    return *this;
  }
};

/// One tree that goes into the slug: the app (`prefix` ""), or an --include placed under `prefix`.
struct TreeSpec {
  std::string dir;     // absolute or relative to the working directory
  std::string prefix;  // where it sits in the slug, no leading or trailing `/`
  /// The files git tracks (`git ls-files`), else every file under `dir`.
  bool git = false;
  /// Applied to this tree only (the app's .slugignore, applied before the buildpack runs).
  const SlugIgnore* ignore = nullptr;
  /// With `git`: the git executable, and the environment it runs with ("NAME=value").
  std::string git_program = {};
  std::vector<std::string> git_env = {};
};

/// Something in the tree worth a line of its own.
struct Observation {
  enum class Kind {
    unreadable,       // could not be read: its compressed size is unknown
    special,          // FIFO, socket or device: archived without contents (sockets not at all)
    link_outside,     // a symlink whose target leaves the slug
    changed,          // changed size while it was read
    missing_tracked,  // tracked by git, but not in the work tree
    nested_git,       // a .git directory below the root
  };
  Kind kind;
  std::string path;  // slug path
  std::string detail;
  std::uint64_t bytes = 0;  // the size it has on disk, where known
};

/// A directory the explanations look at (named in a list: tests, node_modules, a heavy package),
/// with the size of everything under it.
struct Marked {
  std::string path;  // slug path
  std::string name;  // its last component
  Size size;
  bool in_app = false;  // in the app's own tree, not an --include
};

struct Totals {
  std::uint64_t compressed = 0;    // bytes of the whole tar.gz, gzip header and trailer included
  std::uint64_t uncompressed = 0;  // bytes of file contents
  std::uint64_t tar_bytes = 0;     // bytes of the tar stream (headers, padding, end blocks)
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
  std::uint64_t links = 0;
  std::uint64_t unknown_bytes = 0;  // on-disk size of what could not be read (a bound, not a measure)
  std::uint64_t unreadable = 0;
  std::uint64_t ignored_files = 0;  // files .slugignore takes out (those under a left-out directory too)
  std::uint64_t ignored_bytes = 0;  // their size
  /// Directories at most k_dir_depth below a tree's root (and each root), by slug path.
  std::map<std::string, Size> directories_size;
  bool directories_capped = false;
  /// The largest files, by compressed share, largest first.
  std::vector<std::pair<std::string, Size>> largest_files;
  std::vector<Observation> observations;
  std::uint64_t observations_dropped = 0;
  std::vector<Marked> marked;
  /// Files whose extension is in `weight_extensions` and at least `weight_min_bytes`, largest first.
  std::vector<std::pair<std::string, std::uint64_t>> weights;
};

/// What to watch for while measuring (from the rule data).
struct Watch {
  std::vector<std::string> marked_names;       // directory names to size (exact, any depth)
  std::vector<std::string> weight_extensions;  // ".safetensors", lower-case
  std::uint64_t weight_min_bytes = 0;
  std::size_t top_files = 10;
};

inline constexpr std::size_t k_dir_depth = 3;
inline constexpr std::size_t k_max_directories = 100'000;
inline constexpr std::size_t k_max_observations = 1'000;

/// Streams every tree through a tar writer into parallel deflate (pigz's scheme: 128 KiB blocks,
/// each primed with the 32 KiB before it, so the size matches one gzip stream closely) and counts
/// the bytes; nothing is written to disk and memory stays bounded whatever the tree's size.
class Measure {
public:
  /// `workers` compressing threads (0: one per core).
  Measure(unsigned workers, Watch watch);
  ~Measure();
  Measure(const Measure&) = delete;
  Measure& operator=(const Measure&) = delete;

  /// Adds a tree; an error (the directory cannot be opened, git cannot list it) is returned as
  /// text and nothing of that tree is counted.
  std::optional<std::string> add(const TreeSpec& tree);
  /// Ends the archive and waits for every block.
  Totals finish();

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace shipgate::slug
