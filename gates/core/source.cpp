#include "core/source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

#include "core/paths.hpp"
#include "core/text.hpp"

namespace shipgate {

Result<std::string> check_text(std::string contents, const std::string& name) {
  if (contents.size() >= 3 && contents.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    contents.erase(0, 3);
  }
  if (const auto nul = contents.find('\0'); nul != std::string::npos) {
    return Error{
        "binary file: NUL byte at offset " + std::to_string(nul), {name, text::line_of_offset(contents, nul), 0}, {}};
  }
  if (const auto bad = text::find_invalid_utf8(contents)) {
    return Error{"not valid UTF-8 text (byte offset " + std::to_string(*bad) + ")",
                 {name, text::line_of_offset(contents, *bad), 0},
                 {}};
  }
  return contents;
}

namespace {

/// Closes a file descriptor on every path out.
class Fd {
public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd;
};

Error io_error(const std::string& path, const std::string& what, int err) {
  return Error{what + ": " + std::strerror(err), {path, 0, 0}, {}};
}

}  // namespace

Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: a FIFO or device given as a path must not block the gate; it is refused below.
  const Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return Error{"no such file", {path, 0, 0}, {}};
    }
    return io_error(path, "cannot open", err);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return io_error(path, "cannot stat", errno);
  }
  if (S_ISDIR(st.st_mode)) {
    return Error{"is a directory, expected a file", {path, 0, 0}, {}};
  }
  if (!S_ISREG(st.st_mode)) {
    return Error{"not a regular file (a pipe, socket or device)", {path, 0, 0}, {}};
  }
  const auto limit_error = Error{
      "file is larger than the " + std::to_string(max_bytes / (std::size_t{1024} * 1024)) + " MiB limit for inputs",
      {path, 0, 0},
      {}};
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return limit_error;
  }
  std::string contents;
  char buffer[64 * 1024];
  for (;;) {
    const auto n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return io_error(path, "read error", errno);
    }
    if (n == 0) {
      break;
    }
    contents.append(buffer, static_cast<std::size_t>(n));
    if (contents.size() > max_bytes) {
      return limit_error;  // the file grew while we read it
    }
  }
  return check_text(std::move(contents), path);
}

}  // namespace shipgate

namespace shipgate {

Result<std::string> read_text_file_in(const std::string& dir, const std::string& path, std::size_t max_bytes) {
  const auto real = paths::join(dir, path);
  auto contents = read_text_file(real, max_bytes);
  if (real == path) {
    return contents;
  }
  if (!contents) {
    auto error = contents.error();
    error.where.file = path;
    return error;
  }
  return contents;
}

}  // namespace shipgate
