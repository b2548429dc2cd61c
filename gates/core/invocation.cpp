#include "core/invocation.hpp"

#include "core/paths.hpp"

#include <unistd.h>
#include <filesystem>
#include <iostream>

extern char** environ;  // NOLINT: POSIX

namespace shipgate {

Environment environment_from_process() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string kv(*entry);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) {
      env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  return env;
}

std::optional<std::string> Invocation::getenv(const std::string& name) const {
  const auto it = env.find(name);
  if (it == env.end()) {
    return std::nullopt;
  }
  return it->second;
}

namespace {

bool color_allowed(const Invocation& inv, bool terminal) {
  if (!terminal) {
    return false;
  }
  if (const auto no_color = inv.getenv("NO_COLOR"); no_color && !no_color->empty()) {
    return false;
  }
  return inv.getenv("TERM").value_or("") != "dumb";
}

}  // namespace

bool Invocation::color_out() const { return color_allowed(*this, out_is_terminal); }
bool Invocation::color_err() const { return color_allowed(*this, err_is_terminal); }

std::string Invocation::resolve(const std::string& path) const { return paths::join(cwd, path); }

Clock& Invocation::time() const { return clock != nullptr ? *clock : system_clock(); }

Invocation invocation_from_main(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    args.emplace_back(argv[i]);
  }
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  return Invocation{std::move(args),
                    environment_from_process(),
                    std::cout,
                    std::cerr,
                    isatty(STDOUT_FILENO) == 1,
                    isatty(STDERR_FILENO) == 1,
                    ec ? std::string() : cwd.string(),
                    &system_clock()};
}

}  // namespace shipgate
