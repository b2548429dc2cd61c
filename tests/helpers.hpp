#pragma once

#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/invocation.hpp"

namespace shipgate::test {

/// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
public:
  TempDir() {
    static int counter = 0;
    m_path = std::filesystem::temp_directory_path() /
             ("shipgate-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  std::string write(const std::string& name, const std::string& contents) const {
    const auto file = m_path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << contents;
    return file.string();
  }

private:
  std::filesystem::path m_path;
};

/// Runs a gate's run() with captured streams and a given environment.
struct Captured {
  int code = -1;
  std::string out;
  std::string err;
};

/// A clock the test moves: sleep_for advances it at once, so time-based code runs without waiting.
class ManualClock final : public Clock {
public:
  explicit ManualClock(WallTime start = WallTime(std::chrono::seconds(1'790'000'000))) : m_wall(start) {}
  WallTime now() const override { return m_wall; }
  Instant monotonic() const override { return m_steady; }
  void sleep_for(std::chrono::nanoseconds d) override { advance(d); }
  void advance(std::chrono::nanoseconds d) {
    m_wall += std::chrono::duration_cast<WallTime::duration>(d);
    m_steady += std::chrono::duration_cast<Instant::duration>(d);
  }

private:
  WallTime m_wall;
  Instant m_steady{};
};

/// Runs `run` as if started in `cwd` (default: the test's own directory) with `env` as its whole
/// environment; the process's working directory is never changed.
template <typename Run>
Captured capture(Run&& run, std::vector<std::string> args, Environment env = {}, std::string cwd = {}) {
  std::ostringstream out;
  std::ostringstream err;
  if (cwd.empty()) {
    cwd = std::filesystem::current_path().string();
  }
  ManualClock clock;
  Invocation inv{std::move(args), std::move(env), out, err, false, false, std::move(cwd), &clock};
  Captured c;
  c.code = run(inv);
  c.out = out.str();
  c.err = err.str();
  return c;
}

/// Whether `secret` shows in any output of a run, but in the `::add-mask::` command that hides it
/// (which must carry it).
inline bool leaks(const Captured& r, const std::string& secret) {
  std::istringstream err(r.err);
  for (std::string line; std::getline(err, line);) {
    if (line.rfind("::add-mask::", 0) != 0 && line.find(secret) != std::string::npos) {
      return true;
    }
  }
  return r.out.find(secret) != std::string::npos;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// `text` as one word for sh: single-quoted, with each ' closed, escaped and reopened.
inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

/// Runs a shell command (a real process), its stdout and stderr caught in files under `dir`.
inline Captured run_shell(const std::string& command, const TempDir& dir) {
  const auto out = (dir.path() / ".stdout").string();
  const auto err = (dir.path() / ".stderr").string();
  const std::string line = "(" + command + ") >" + shell_quote(out) + " 2>" + shell_quote(err) + " </dev/null";
  const int status = std::system(line.c_str());
  Captured r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

/// A test CA (ca.pem) and a server certificate for 127.0.0.1 signed by it (server.pem,
/// server.key), made with openssl in `dir`.
inline bool make_test_ca(const std::string& dir) {
  const std::string cmd =
      "cd " + shell_quote(dir) +
      " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
      "-subj /CN=shipgate-test-ca 2>/dev/null && openssl req -newkey rsa:2048 -nodes -keyout server.key "
      "-out server.csr -subj /CN=127.0.0.1 2>/dev/null && printf 'subjectAltName=IP:127.0.0.1' > san.ext && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
      "-extfile san.ext 2>/dev/null";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace shipgate::test
