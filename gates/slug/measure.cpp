#include "slug/measure.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

namespace shipgate::slug {

namespace {

constexpr std::size_t k_block = std::size_t{128} * 1024;  // pigz's block size
constexpr std::size_t k_dict = std::size_t{32} * 1024;    // deflate's window: each block is primed with this much
constexpr std::size_t k_tar_block = 512;
constexpr std::size_t k_tar_record = 10240;  // tar's default record (blocking factor 20)
constexpr int k_level = 6;                   // gzip's default level, and tar czf's

/// A file descriptor closed when it goes.
class Fd {
public:
  explicit Fd(int fd = -1) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      m_fd = o.m_fd;
      o.m_fd = -1;
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }
  void reset() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = -1;
  }

private:
  int m_fd;
};

struct Segment {
  std::uint64_t file;  // 0: archive overhead (directory entries, end blocks)
  std::uint32_t bytes;
};

struct Chunk {
  std::vector<unsigned char> data;
  std::vector<unsigned char> dict;
  std::vector<Segment> segments;
  bool last = false;
  std::uint64_t compressed = 0;
};

/// Counts the deflate output of one block; the z_stream is kept per worker.
class Deflater {
public:
  Deflater() {
    if (deflateInit2(&m_z, k_level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("zlib could not start a deflate stream");
    }
  }
  ~Deflater() { deflateEnd(&m_z); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  std::uint64_t count(Chunk& c) {
    deflateReset(&m_z);
    if (!c.dict.empty()) {
      deflateSetDictionary(&m_z, c.dict.data(), static_cast<uInt>(c.dict.size()));
    }
    m_z.next_in = c.data.data();
    m_z.avail_in = static_cast<uInt>(c.data.size());
    std::uint64_t total = 0;
    const int flush = c.last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      m_z.next_out = m_out;
      m_z.avail_out = sizeof m_out;
      const int rc = deflate(&m_z, flush);
      total += sizeof m_out - m_z.avail_out;
      if (rc == Z_STREAM_END) {
        break;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw std::runtime_error("zlib failed to deflate a block");
      }
      if (flush == Z_SYNC_FLUSH && m_z.avail_out != 0) {
        break;  // all of the block is out
      }
    }
    return total;
  }

private:
  z_stream m_z{};
  unsigned char m_out[64 * 1024];
};

/// Blocks in, compressed sizes out: `workers` threads, at most `limit` blocks in flight.
class Pool {
public:
  Pool(unsigned workers, std::size_t limit) : m_limit(limit) {
    for (unsigned i = 0; i < workers; ++i) {
      m_threads.emplace_back([this] { work(); });
    }
  }
  ~Pool() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads) {
      t.join();
    }
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Queues a block, waiting while too many are in flight; finished blocks come back in `done`.
  void submit(std::unique_ptr<Chunk> c, std::vector<std::unique_ptr<Chunk>>& done) {
    std::unique_lock lock(m_mutex);
    m_space.wait(lock, [&] { return m_in_flight < m_limit || !m_done.empty() || m_error; });
    take_done(done);
    m_space.wait(lock, [&] { return m_in_flight < m_limit || m_error; });
    rethrow();
    ++m_in_flight;
    m_queue.push_back(std::move(c));
    m_cv.notify_one();
  }
  /// Waits for every block queued.
  void wait_all(std::vector<std::unique_ptr<Chunk>>& done) {
    std::unique_lock lock(m_mutex);
    m_space.wait(lock, [&] { return m_in_flight == 0 || m_error; });
    take_done(done);
    rethrow();
  }

private:
  void take_done(std::vector<std::unique_ptr<Chunk>>& done) {
    for (auto& c : m_done) {
      done.push_back(std::move(c));
    }
    m_done.clear();
  }
  void rethrow() {
    if (m_error) {
      std::rethrow_exception(m_error);
    }
  }
  void work() {
    try {
      Deflater deflater;
      for (;;) {
        std::unique_ptr<Chunk> c;
        {
          std::unique_lock lock(m_mutex);
          m_cv.wait(lock, [&] { return m_stop || !m_queue.empty(); });
          if (m_queue.empty()) {
            return;
          }
          c = std::move(m_queue.front());
          m_queue.pop_front();
        }
        c->compressed = deflater.count(*c);
        c->data = {};
        c->dict = {};
        {
          std::lock_guard lock(m_mutex);
          m_done.push_back(std::move(c));
          --m_in_flight;
        }
        m_space.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(m_mutex);
      m_error = std::current_exception();
      m_space.notify_all();
    }
  }

  std::size_t m_limit;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::condition_variable m_space;
  std::deque<std::unique_ptr<Chunk>> m_queue;
  std::vector<std::unique_ptr<Chunk>> m_done;
  std::size_t m_in_flight = 0;
  bool m_stop = false;
  std::exception_ptr m_error;
  std::vector<std::thread> m_threads;
};

/// Writes `value` as a NUL-terminated octal field of `width` bytes, or in GNU tar's base-256 form
/// when it does not fit (sizes of 8 GiB and more).
void octal(unsigned char* field, std::size_t width, std::uint64_t value) {
  std::uint64_t max = 1;
  for (std::size_t i = 0; i + 1 < width; ++i) {
    max *= 8;
  }
  if (value < max) {
    field[width - 1] = 0;
    for (std::size_t i = width - 1; i-- > 0;) {
      field[i] = static_cast<unsigned char>('0' + (value & 7));
      value >>= 3;
    }
    return;
  }
  std::memset(field, 0, width);
  field[0] = 0x80;
  for (std::size_t i = width; i-- > 1 && value != 0;) {
    field[i] = static_cast<unsigned char>(value & 0xff);
    value >>= 8;
  }
}

/// Whether a symlink at slug path `link` pointing at `target` resolves inside the slug (or at an
/// absolute path under /app, where the slug is unpacked on a dyno).
bool link_stays_inside(const std::string& link, const std::string& target) {
  if (!target.empty() && target.front() == '/') {
    // Inside /app, where the slug is unpacked on a dyno, once `.` and `..` are taken out.
    std::vector<std::string_view> parts;
    std::size_t start = 1;
    while (start <= target.size()) {
      auto end = target.find('/', start);
      if (end == std::string::npos) {
        end = target.size();
      }
      const auto part = std::string_view(target).substr(start, end - start);
      if (part == "..") {
        if (!parts.empty()) {
          parts.pop_back();
        }
      } else if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      start = end + 1;
    }
    return !parts.empty() && parts.front() == "app";
  }
  long depth = static_cast<long>(std::count(link.begin(), link.end(), '/'));  // the link's directory depth
  std::size_t start = 0;
  while (start <= target.size()) {
    auto end = target.find('/', start);
    if (end == std::string::npos) {
      end = target.size();
    }
    const auto part = std::string_view(target).substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) {
        return false;
      }
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return true;
}

std::string join_path(const std::string& a, const std::string& b) {
  if (a.empty()) {
    return b;
  }
  return b.empty() ? a : a + "/" + b;
}

std::string last_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

class Measure::Impl {
public:
  Impl(unsigned workers, Watch watch)
      : m_watch(std::move(watch)),
        m_pool(
            workers == 0 ? std::max(1u, std::thread::hardware_concurrency()) : workers,
            4 * static_cast<std::size_t>(workers == 0 ? std::max(1u, std::thread::hardware_concurrency()) : workers) +
                2) {
    m_chunk = std::make_unique<Chunk>();
    m_chunk->data.reserve(k_block);
  }

  std::optional<std::string> add(const TreeSpec& tree) {
    Fd root(::open(tree.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0) {
      return "cannot open the directory: " + std::string(std::strerror(errno));
    }
    m_tree = &tree;
    m_marks.clear();
    if (!m_root_written) {  // ./app/ itself, as tar writes the directory it was given
      struct stat st {};
      const bool own = tree.prefix.empty() && ::fstat(root.get(), &st) == 0;
      directory_entry("", own ? st.st_mode : 0755, own ? st.st_mtime : 0);
      m_root_written = true;
    }
    if (!tree.prefix.empty()) {
      // The directories leading to the prefix, as tar would hold them.
      std::string so_far;
      for (std::size_t start = 0; start <= tree.prefix.size();) {
        auto end = tree.prefix.find('/', start);
        if (end == std::string::npos) {
          end = tree.prefix.size();
        }
        so_far = join_path(so_far, tree.prefix.substr(start, end - start));
        if (m_prefix_dirs.insert(so_far).second) {
          directory_entry(so_far, 0755, 0);
        }
        start = end + 1;
      }
      // An included tree that the rules name (node_modules, say) is watched from its root.
      const auto name = last_name(tree.prefix);
      if (std::find(m_watch.marked_names.begin(), m_watch.marked_names.end(), name) != m_watch.marked_names.end() &&
          m_totals.marked.size() < k_max_observations) {
        m_marks.emplace_back(0, m_totals.marked.size());
        m_totals.marked.push_back({tree.prefix, name, {}, false});
      }
    }
    if (tree.git) {
      return add_git(root.get());
    }
    walk(std::move(root), "", 0);
    return std::nullopt;
  }

  Totals finish() {
    std::vector<unsigned char> zeros(2 * k_tar_block, 0);
    emit(zeros.data(), zeros.size(), 0);
    const auto rest = m_tar_bytes % k_tar_record;
    if (rest != 0) {
      std::vector<unsigned char> pad(k_tar_record - rest, 0);
      emit(pad.data(), pad.size(), 0);
    }
    m_chunk->last = true;
    flush_chunk();
    std::vector<std::unique_ptr<Chunk>> done;
    m_pool.wait_all(done);
    account(done);
    m_totals.compressed += 10 + 8;  // gzip's header (no name, as from a pipe) and trailer
    m_totals.tar_bytes = m_tar_bytes;
    for (auto& [id, rec] : m_files) {
      finalize(rec);  // files whose last block was the final one
    }
    m_files.clear();
    auto& top = m_totals.largest_files;
    std::sort(top.begin(), top.end(),
              [](const auto& a, const auto& b) { return a.second.compressed > b.second.compressed; });
    std::sort(m_totals.weights.begin(), m_totals.weights.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    return std::move(m_totals);
  }

private:
  struct FileRec {
    std::string path;
    std::string prefix;  // the tree's prefix: directory sizes are counted from it
    Size size;
    std::vector<std::size_t> marks;  // indices into m_totals.marked
    std::size_t pending = 0;         // blocks not yet compressed
    bool closed = false;
  };

  // --- the tar stream ---------------------------------------------------------------------

  void emit(const unsigned char* p, std::size_t n, std::uint64_t file) {
    while (n > 0) {
      const auto room = k_block - m_chunk->data.size();
      const auto take = std::min(room, n);
      m_chunk->data.insert(m_chunk->data.end(), p, p + take);
      note_segment(file, take);
      p += take;
      n -= take;
      m_tar_bytes += take;
      if (m_chunk->data.size() == k_block) {
        flush_chunk();
      }
    }
  }

  void note_segment(std::uint64_t file, std::size_t bytes) {
    auto& segs = m_chunk->segments;
    if (!segs.empty() && segs.back().file == file) {
      segs.back().bytes += static_cast<std::uint32_t>(bytes);
      return;
    }
    segs.push_back({file, static_cast<std::uint32_t>(bytes)});
    if (file != 0) {
      ++m_files.at(file).pending;
    }
  }

  void flush_chunk() {
    if (m_chunk->data.empty() && !m_chunk->last) {
      return;
    }
    auto next = std::make_unique<Chunk>();
    next->data.reserve(k_block);
    // The next block is primed with the end of this one (of this and the previous, if short).
    std::vector<unsigned char> window = m_chunk->dict;
    window.insert(window.end(), m_chunk->data.begin(), m_chunk->data.end());
    if (window.size() > k_dict) {
      window.erase(window.begin(), window.end() - static_cast<std::ptrdiff_t>(k_dict));
    }
    next->dict = std::move(window);
    std::vector<std::unique_ptr<Chunk>> done;
    m_pool.submit(std::move(m_chunk), done);
    m_chunk = std::move(next);
    account(done);
  }

  void account(std::vector<std::unique_ptr<Chunk>>& done) {
    for (auto& c : done) {
      m_totals.compressed += c->compressed;
      std::uint64_t total = 0;
      for (const auto& s : c->segments) {
        total += s.bytes;
      }
      for (const auto& s : c->segments) {
        if (s.file == 0 || total == 0) {
          continue;
        }
        auto it = m_files.find(s.file);
        if (it == m_files.end()) {
          continue;
        }
        it->second.size.compressed += c->compressed * s.bytes / total;
        if (--it->second.pending == 0 && it->second.closed) {
          finalize(it->second);
          m_files.erase(it);
        }
      }
    }
    done.clear();
  }

  std::array<unsigned char, k_tar_block> header(const std::string& name, char type, std::uint64_t size, unsigned mode,
                                                long long mtime, const std::string& link, unsigned dev_major = 0,
                                                unsigned dev_minor = 0) {
    std::array<unsigned char, k_tar_block> h{};
    std::memcpy(h.data(), name.data(), std::min<std::size_t>(name.size(), 100));
    octal(h.data() + 100, 8, mode & 07777);
    octal(h.data() + 108, 8, 0);  // uid and gid: the slug's owner on a dyno is not this machine's
    octal(h.data() + 116, 8, 0);
    octal(h.data() + 124, 12, size);
    octal(h.data() + 136, 12, mtime < 0 ? 0 : static_cast<std::uint64_t>(mtime));
    h[156] = static_cast<unsigned char>(type);
    std::memcpy(h.data() + 157, link.data(), std::min<std::size_t>(link.size(), 100));
    std::memcpy(h.data() + 257, "ustar  ", 8);  // GNU tar's magic and version
    if (type == '3' || type == '4') {
      octal(h.data() + 329, 8, dev_major);
      octal(h.data() + 337, 8, dev_minor);
    }
    std::memset(h.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (const auto b : h) {
      sum += b;
    }
    octal(h.data() + 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  /// A member's header(s): GNU tar's ././@LongLink records first for a name or link over 100 bytes.
  void member(std::string name, char type, std::uint64_t size, unsigned mode, long long mtime, const std::string& link,
              std::uint64_t file, unsigned dev_major = 0, unsigned dev_minor = 0) {
    name = name.empty() ? std::string("./app") : "./app/" + name;  // where Heroku's slug holds the app
    if (type == '5') {
      name += '/';
    }
    for (const auto& [text, kind] : {std::pair{name, 'L'}, std::pair{link, 'K'}}) {
      if (text.size() > 100) {
        const auto h = header("././@LongLink", kind, text.size() + 1, 0644, 0, "");
        emit(h.data(), h.size(), file);
        std::vector<unsigned char> body(text.begin(), text.end());
        body.push_back(0);
        body.resize((body.size() + k_tar_block - 1) / k_tar_block * k_tar_block, 0);
        emit(body.data(), body.size(), file);
      }
    }
    const auto h = header(name, type, size, mode, mtime, link, dev_major, dev_minor);
    emit(h.data(), h.size(), file);
  }

  void directory_entry(const std::string& slug_path, unsigned mode, long long mtime) {
    member(slug_path, '5', 0, mode, mtime, "", 0);
    ++m_totals.directories;
  }

  // --- files ------------------------------------------------------------------------------

  void observe(Observation::Kind kind, const std::string& path, std::string detail, std::uint64_t bytes = 0) {
    if (m_totals.observations.size() >= k_max_observations) {
      ++m_totals.observations_dropped;
      return;
    }
    m_totals.observations.push_back({kind, path, std::move(detail), bytes});
  }

  std::uint64_t new_file(const std::string& slug_path) {
    const auto id = ++m_next_id;
    auto& rec = m_files[id];
    rec.path = slug_path;
    rec.prefix = m_tree->prefix;
    for (const auto& [depth, index] : m_marks) {
      rec.marks.push_back(index);
    }
    return id;
  }

  void close_file(std::uint64_t id) {
    auto it = m_files.find(id);
    it->second.closed = true;
    if (it->second.pending == 0) {
      finalize(it->second);
      m_files.erase(it);
    }
  }

  void finalize(FileRec& rec) {
    const Size one{rec.size.compressed, rec.size.uncompressed, 1};
    // Directory sizes: the tree's prefix, and up to k_dir_depth levels below it.
    const auto rel_start = rec.prefix.empty() ? 0 : rec.prefix.size() + 1;
    if (!rec.prefix.empty()) {
      m_totals.directories_size[rec.prefix] += one;
    }
    std::size_t pos = rel_start;
    for (std::size_t depth = 0; depth < k_dir_depth; ++depth) {
      const auto slash = rec.path.find('/', pos);
      if (slash == std::string::npos) {
        break;
      }
      const auto key = rec.path.substr(0, slash);
      auto it = m_totals.directories_size.find(key);
      if (it == m_totals.directories_size.end()) {
        if (m_totals.directories_size.size() >= k_max_directories) {
          m_totals.directories_capped = true;
          break;
        }
        it = m_totals.directories_size.emplace(key, Size{}).first;
      }
      it->second += one;
      pos = slash + 1;
    }
    for (const auto index : rec.marks) {
      m_totals.marked[index].size += one;
    }
    // The largest files: a bounded list, the smallest dropped.
    auto& top = m_totals.largest_files;
    if (m_watch.top_files > 0) {
      if (top.size() < m_watch.top_files) {
        top.emplace_back(rec.path, one);
        std::push_heap(top.begin(), top.end(), by_compressed_desc);
      } else if (one.compressed > top.front().second.compressed) {
        std::pop_heap(top.begin(), top.end(), by_compressed_desc);
        top.back() = {rec.path, one};
        std::push_heap(top.begin(), top.end(), by_compressed_desc);
      }
    }
  }

  /// A min-heap on the compressed share: the smallest of the kept files on top.
  static bool by_compressed_desc(const std::pair<std::string, Size>& a, const std::pair<std::string, Size>& b) {
    return a.second.compressed > b.second.compressed;
  }

  void note_weight(const std::string& slug_path, std::uint64_t bytes) {
    if (bytes < m_watch.weight_min_bytes || m_watch.weight_extensions.empty()) {
      return;
    }
    const auto name = lower(last_name(slug_path));
    for (const auto& ext : m_watch.weight_extensions) {
      if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
        if (m_totals.weights.size() < k_max_observations) {
          m_totals.weights.emplace_back(slug_path, bytes);
        }
        return;
      }
    }
  }

  /// Archives one entry of directory `dirfd` (not a directory: walk() does those).
  void entry(int dirfd, const char* name, const std::string& rel, const struct stat& st) {
    const auto slug_path = join_path(m_tree->prefix, rel);
    if (m_tree->ignore != nullptr && m_tree->ignore->ignored(rel, false)) {
      ++m_totals.ignored_files;
      m_totals.ignored_bytes += S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
      return;
    }
    if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<std::size_t>(std::max<off_t>(st.st_size, 0)) + 256, '\0');
      const auto n = ::readlinkat(dirfd, name, target.data(), target.size());
      if (n < 0) {
        observe(Observation::Kind::unreadable, slug_path, std::strerror(errno));
        ++m_totals.unreadable;
        return;
      }
      target.resize(static_cast<std::size_t>(n));
      member(slug_path, '2', 0, st.st_mode, st.st_mtime, target, 0);
      ++m_totals.links;
      if (!link_stays_inside(slug_path, target)) {
        observe(Observation::Kind::link_outside, slug_path, target);
      }
      return;
    }
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      const char type = S_ISFIFO(st.st_mode) ? '6' : S_ISCHR(st.st_mode) ? '3' : '4';
      member(slug_path, type, 0, st.st_mode, st.st_mtime, "", 0, major(st.st_rdev), minor(st.st_rdev));
      observe(Observation::Kind::special, slug_path, S_ISFIFO(st.st_mode) ? "a FIFO" : "a device file");
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      observe(Observation::Kind::special, slug_path, "a socket (tar leaves it out)");
      return;
    }
    if (st.st_nlink > 1) {
      const auto [it, fresh] = m_hardlinks.try_emplace({st.st_dev, st.st_ino}, slug_path);
      if (!fresh) {
        member(slug_path, '1', 0, st.st_mode, st.st_mtime, "./app/" + it->second, 0);
        ++m_totals.links;
        return;
      }
    }
    Fd fd(::openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    struct stat now {};
    if (fd.get() < 0 || ::fstat(fd.get(), &now) != 0 || !S_ISREG(now.st_mode)) {
      const int err = errno;
      observe(Observation::Kind::unreadable, slug_path,
              fd.get() < 0 ? std::strerror(err) : "it was replaced while the tree was read",
              static_cast<std::uint64_t>(st.st_size));
      ++m_totals.unreadable;
      m_totals.unknown_bytes += static_cast<std::uint64_t>(st.st_size);
      return;
    }
    const auto size = static_cast<std::uint64_t>(now.st_size);
    const auto id = new_file(slug_path);
    member(slug_path, '0', size, now.st_mode, now.st_mtime, "", id);
    std::uint64_t left = size;
    bool short_read = false;
    while (left > 0) {
      if (m_chunk->data.size() == k_block) {
        flush_chunk();
      }
      auto& data = m_chunk->data;
      const auto room = std::min<std::uint64_t>(k_block - data.size(), left);
      const auto old = data.size();
      data.resize(old + room);
      ssize_t n = 0;
      if (!short_read) {
        do {
          n = ::read(fd.get(), data.data() + old, room);
        } while (n < 0 && errno == EINTR);
      }
      if (n <= 0) {
        short_read = true;  // shrank or failed: padded with zeros, as tar does
        std::memset(data.data() + old, 0, room);
        n = static_cast<ssize_t>(room);
      }
      data.resize(old + static_cast<std::size_t>(n));
      note_segment(id, static_cast<std::size_t>(n));
      m_tar_bytes += static_cast<std::uint64_t>(n);
      left -= static_cast<std::uint64_t>(n);
    }
    if (const auto pad = (k_tar_block - size % k_tar_block) % k_tar_block; pad != 0) {
      std::array<unsigned char, k_tar_block> zeros{};
      emit(zeros.data(), pad, id);
    }
    if (short_read) {
      observe(Observation::Kind::changed, slug_path, "it shrank or failed while it was read", size);
    }
    auto& rec = m_files.at(id);
    rec.size.uncompressed = size;
    ++m_totals.files;
    m_totals.uncompressed += size;
    note_weight(slug_path, size);
    close_file(id);
  }

  /// A directory met on the way down: archived, marked if the rules name it, or left out.
  /// Returns false when it is left out (.slugignore, or the root's .git).
  /// `parentfd` (the directory that holds it), when not -1, is used to count what a left-out
  /// directory holds; git's listing counts its own files instead.
  bool enter_directory(const std::string& rel, std::size_t depth, const struct stat& st, int parentfd = -1) {
    const auto name = last_name(rel);
    if (m_tree->ignore != nullptr && m_tree->ignore->ignored(rel, true)) {
      if (parentfd >= 0) {
        count_left_out(parentfd, name, 0);
      }
      return false;
    }
    const auto slug_path = join_path(m_tree->prefix, rel);
    directory_entry(slug_path, st.st_mode, st.st_mtime);
    if (name == ".git") {
      observe(Observation::Kind::nested_git, slug_path, "");
    }
    const bool watched = name == ".git" || std::find(m_watch.marked_names.begin(), m_watch.marked_names.end(), name) !=
                                               m_watch.marked_names.end();
    if (watched && m_totals.marked.size() < k_max_observations) {
      m_marks.emplace_back(depth, m_totals.marked.size());
      m_totals.marked.push_back({slug_path, name, {}, m_tree->prefix.empty()});
    }
    return true;
  }

  /// Counts the files under a directory .slugignore leaves out (how much it saves), without
  /// reading them; never follows a link.
  void count_left_out(int parentfd, const std::string& name, int depth) {
    Fd fd(::openat(parentfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    const int dup = fd.get() < 0 || depth > 64 ? -1 : ::dup(fd.get());
    DIR* d = dup < 0 ? nullptr : ::fdopendir(dup);
    if (d == nullptr) {
      if (dup >= 0) {
        ::close(dup);
      }
      return;
    }
    std::vector<std::string> subdirs;
    while (const auto* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) {
        continue;
      }
      struct stat st {};
      if (::fstatat(fd.get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        subdirs.emplace_back(e->d_name);
      } else if (S_ISREG(st.st_mode)) {
        ++m_totals.ignored_files;
        m_totals.ignored_bytes += static_cast<std::uint64_t>(st.st_size);
      }
    }
    ::closedir(d);
    for (const auto& sub : subdirs) {
      count_left_out(fd.get(), sub, depth + 1);
    }
  }

  void leave_directory(std::size_t depth) {
    while (!m_marks.empty() && m_marks.back().first >= depth) {
      m_marks.pop_back();
    }
  }

  /// Every entry under `root` (slug-relative `root_rel`, `base` directories deep), depth first in
  /// name order. A `.git` at its top is left out: a repository's history never reaches a slug.
  void walk(Fd root, const std::string& root_rel, std::size_t base) {
    struct Level {
      Fd fd;
      std::string rel;
      std::vector<std::string> names;
      std::size_t next = 0;
    };
    std::vector<Level> stack;
    auto open_level = [&](Fd fd, std::string rel) {
      Level level{std::move(fd), std::move(rel), {}, 0};
      const int dup = ::dup(level.fd.get());
      DIR* d = dup < 0 ? nullptr : ::fdopendir(dup);
      if (d == nullptr) {
        if (dup >= 0) {
          ::close(dup);
        }
        observe(Observation::Kind::unreadable, join_path(m_tree->prefix, level.rel), std::strerror(errno));
        ++m_totals.unreadable;
        return;
      }
      while (const auto* e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
          level.names.emplace_back(e->d_name);
        }
      }
      ::closedir(d);
      // In the order the directory gives them, as GNU tar takes them (--sort=none): the order
      // changes how well the stream compresses, and tar czf over the same tree is the measure.
      stack.push_back(std::move(level));
    };
    open_level(std::move(root), root_rel);
    while (!stack.empty()) {
      auto& top = stack.back();
      if (top.next == top.names.size()) {
        stack.pop_back();
        if (!stack.empty()) {
          leave_directory(base + stack.size());
        }
        continue;
      }
      const auto name = top.names[top.next++];
      if (stack.size() == 1 && name == ".git") {
        continue;
      }
      const auto rel = join_path(top.rel, name);
      struct stat st {};
      if (::fstatat(top.fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        observe(Observation::Kind::unreadable, join_path(m_tree->prefix, rel), std::strerror(errno));
        ++m_totals.unreadable;
        continue;
      }
      if (!S_ISDIR(st.st_mode)) {
        entry(top.fd.get(), name.c_str(), rel, st);
        continue;
      }
      const auto depth = base + stack.size();
      if (!enter_directory(rel, depth, st, top.fd.get())) {
        continue;
      }
      Fd sub(::openat(top.fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (sub.get() < 0) {
        observe(Observation::Kind::unreadable, join_path(m_tree->prefix, rel), std::strerror(errno));
        ++m_totals.unreadable;
        leave_directory(depth);
        continue;
      }
      open_level(std::move(sub), rel);  // may invalidate `top`
    }
  }

  // --- git ---------------------------------------------------------------------------------

  /// The files git tracks under `dir`, streamed from `git ls-files -z --stage` and archived as
  /// they come; directories are entered as the sorted paths reach them.
  std::optional<std::string> add_git(int rootfd) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
      return "cannot start git: " + std::string(std::strerror(errno));
    }
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
      ::close(out_pipe[0]);
      ::close(out_pipe[1]);
      return "cannot start git: " + std::string(std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // No hook, fsmonitor or pager of the checkout's config runs; the listing is git's own.
    std::vector<std::string> args = {
        "git", "-C", m_tree->dir, "-c", "core.fsmonitor=false", "--no-pager", "ls-files", "-z", "--stage", "--", "."};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    auto env_strings = m_tree->git_env;
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& e : env_strings) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, m_tree->git_program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    Fd out(out_pipe[0]);
    Fd err(err_pipe[0]);
    if (spawned != 0) {
      return "cannot run git (" + std::string(std::strerror(spawned)) +
             "): install git, or measure the directory as it is with --all-files";
    }
    std::string pending;
    std::string errors;
    GitWalk walk(*this, rootfd);
    std::vector<pollfd> fds = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
    char buf[64 * 1024];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) {
          continue;
        }
        break;
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) {
          continue;
        }
        const auto n = ::read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          fds[i].fd = -1;
          continue;
        }
        if (i == 1) {
          if (errors.size() < 4096) {
            errors.append(buf, static_cast<std::size_t>(n));
          }
          continue;
        }
        pending.append(buf, static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (auto nul = pending.find('\0'); nul != std::string::npos; nul = pending.find('\0', start)) {
          walk.record(std::string_view(pending).substr(start, nul - start));
          start = nul + 1;
        }
        pending.erase(0, start);
      }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    walk.finish();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      auto first = errors.substr(0, errors.find('\n'));
      return "git ls-files failed" + (first.empty() ? std::string() : ": " + first) +
             " (not a git checkout? --all-files measures the directory as it is)";
    }
    return std::nullopt;
  }

  /// The sorted paths of `git ls-files`, turned into a walk: a stack of open directories.
  class GitWalk {
  public:
    GitWalk(Impl& m, int rootfd) : m_m(m), m_root(rootfd) {}

    void record(std::string_view rec) {
      // "MODE SHA STAGE\tPATH"
      const auto tab = rec.find('\t');
      if (tab == std::string_view::npos) {
        return;
      }
      const auto mode = rec.substr(0, rec.find(' '));
      const std::string path(rec.substr(tab + 1));
      if (path == m_last) {
        return;  // the stages of a conflicted file
      }
      m_last = path;
      const auto slash = path.rfind('/');
      const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
      if (!move_to(dir)) {
        if (m_stack.back().ignored) {  // under a directory .slugignore leaves out
          struct stat st {};
          if (::fstatat(m_root, path.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
            ++m_m.m_totals.ignored_files;
            m_m.m_totals.ignored_bytes += static_cast<std::uint64_t>(st.st_size);
          }
        }
        return;
      }
      const auto name = path.substr(slash == std::string::npos ? 0 : slash + 1);
      const int dirfd = m_stack.empty() ? m_root : m_stack.back().fd.get();
      struct stat st {};
      if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        m_m.observe(Observation::Kind::missing_tracked, join_path(m_m.m_tree->prefix, path), "");
        return;
      }
      if (S_ISDIR(st.st_mode)) {
        if (mode == "160000") {  // a submodule: Heroku checks it out, so all of its files count
          const auto depth = m_stack.size() + 1;
          if (!m_m.enter_directory(path, depth, st)) {
            return;
          }
          Fd sub(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
          if (sub.get() >= 0) {
            m_m.walk(std::move(sub), path, depth);
          }
          m_m.leave_directory(depth);
        }
        return;
      }
      m_m.entry(dirfd, name.c_str(), path, st);
    }

    void finish() {
      while (!m_stack.empty()) {
        pop();
      }
    }

  private:
    struct Level {
      std::string rel;
      Fd fd;
      bool ignored = false;
    };

    void pop() {
      m_m.leave_directory(m_stack.size());
      m_stack.pop_back();
    }

    /// Opens the directories down to `dir`; false when it is left out or cannot be opened.
    bool move_to(const std::string& dir) {
      while (!m_stack.empty() && !(dir == m_stack.back().rel || dir.rfind(m_stack.back().rel + "/", 0) == 0)) {
        pop();
      }
      while ((m_stack.empty() ? std::string() : m_stack.back().rel) != dir) {
        if (!m_stack.empty() && (m_stack.back().ignored || m_stack.back().fd.get() < 0)) {
          return false;
        }
        push(dir);
      }
      return m_stack.empty() || (!m_stack.back().ignored && m_stack.back().fd.get() >= 0);
    }

    /// Enters the next directory on the way to `dir`.
    void push(const std::string& dir) {
      const std::string parent = m_stack.empty() ? "" : m_stack.back().rel;
      const auto start = parent.empty() ? 0 : parent.size() + 1;
      const auto end = dir.find('/', start);
      const auto rel = dir.substr(0, end);
      const auto name = rel.substr(start);
      const int parentfd = m_stack.empty() ? m_root : m_stack.back().fd.get();
      Level level{rel, Fd(), false};
      struct stat st {};
      if (parentfd < 0 || ::fstatat(parentfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
        m_stack.push_back(std::move(level));  // fd -1: what git lists below is not there
        return;
      }
      if (!m_m.enter_directory(rel, m_stack.size() + 1, st)) {
        level.ignored = true;
        m_stack.push_back(std::move(level));
        return;
      }
      level.fd = Fd(::openat(parentfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      m_stack.push_back(std::move(level));
    }

    Impl& m_m;
    int m_root;
    std::vector<Level> m_stack;
    std::string m_last;
  };

  Watch m_watch;
  Pool m_pool;
  std::unique_ptr<Chunk> m_chunk;
  std::uint64_t m_tar_bytes = 0;
  std::uint64_t m_next_id = 0;
  std::unordered_map<std::uint64_t, FileRec> m_files;
  std::map<std::pair<dev_t, ino_t>, std::string> m_hardlinks;
  std::set<std::string> m_prefix_dirs;
  bool m_root_written = false;
  std::vector<std::pair<std::size_t, std::size_t>> m_marks;  // (depth, index in marked) of open directories
  const TreeSpec* m_tree = nullptr;
  Totals m_totals;
};

Measure::Measure(unsigned workers, Watch watch) : m_impl(std::make_unique<Impl>(workers, std::move(watch))) {}
Measure::~Measure() = default;
std::optional<std::string> Measure::add(const TreeSpec& tree) { return m_impl->add(tree); }
Totals Measure::finish() { return m_impl->finish(); }

}  // namespace shipgate::slug
