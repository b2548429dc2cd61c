// The composite actions and their two shared scripts, tested for real where that can be done
// here: every action.yml against its gate's flags, actions/lib/install.sh against release assets
// served over HTTPS on 127.0.0.1, and actions/lib/run.sh with real processes, files and git
// repositories, under the variables GitHub sets on a runner.
#include <catch2/catch.hpp>

#include <sys/utsname.h>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>

#include "core/source.hpp"
#include "core/yaml.hpp"
#include "gates_table.hpp"
#include "helpers.hpp"
#include "http_server.hpp"

using namespace shipgate;
namespace fs = std::filesystem;

namespace {

const std::string k_source = SHIPGATE_SOURCE_DIR;
const std::string k_bin = SHIPGATE_BINARY_DIR;
const std::string k_run = k_source + "/actions/lib/run.sh";

using Env = std::map<std::string, std::string>;

/// Runs a script with `env` as its whole environment, in `cwd`, under `shell` (bash and its options).
test::Captured run_script(const std::string& script, const Env& env, const std::string& cwd, const test::TempDir& dir,
                          const std::vector<std::string>& args = {}, const std::string& shell = "bash") {
  std::string command = "cd " + test::shell_quote(cwd) + " && exec env -i";
  for (const auto& [name, value] : env) {
    command += " " + test::shell_quote(name + "=" + value);
  }
  command += " " + shell + " " + test::shell_quote(script);
  for (const auto& arg : args) {
    command += " " + test::shell_quote(arg);
  }
  return test::run_shell(command, dir);
}

/// Every `name=value` and `name<<DELIM ... DELIM` record of a GITHUB_OUTPUT file.
std::map<std::string, std::string> outputs_in(const std::string& file) {
  std::map<std::string, std::string> out;
  std::istringstream in(test::read_file(file));
  for (std::string line; std::getline(in, line);) {
    const auto heredoc = line.find("<<");
    const auto eq = line.find('=');
    if (heredoc != std::string::npos && (eq == std::string::npos || heredoc < eq)) {
      const auto name = line.substr(0, heredoc);
      const auto delimiter = line.substr(heredoc + 2);
      std::string value;
      for (std::string body; std::getline(in, body) && body != delimiter;) {
        value += (value.empty() ? "" : "\n") + body;
      }
      out[name] = value;
    } else if (eq != std::string::npos) {
      out[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return out;
}

std::string machine() {
  utsname u{};
  ::uname(&u);
  return u.machine;
}

/// RUNNER_ARCH and the release asset's architecture for the machine the tests run on.
std::pair<std::string, std::string> runner_arch() {
  return machine() == "aarch64" ? std::pair<std::string, std::string>{"ARM64", "arm64"}
                                : std::pair<std::string, std::string>{"X64", "x86_64"};
}

std::string version() {
  auto text = test::read_file(k_source + "/VERSION");
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.pop_back();
  }
  return text;
}

std::string sha256(const std::string& file, const test::TempDir& dir) {
  const auto r = test::run_shell("sha256sum " + test::shell_quote(file), dir);
  return r.out.substr(0, 64);
}

/// A release on 127.0.0.1 over HTTPS: files under /v<version>/, each request counted.
struct Release {
  test::TempDir dir;
  std::unique_ptr<test::HttpServer> server;
  std::mutex mutex;
  std::map<std::string, std::string> files;
  std::set<std::string> truncated;     // promised whole, cut off mid-body
  std::set<std::string> short_bodies;  // a third of the file, as a complete answer
  std::set<std::string> redirected;    // redirected to plain http://
  std::set<std::string> hanging;       // accepted, never answered
  std::atomic<int> requests{0};

  Release() {
    REQUIRE(test::make_test_ca(dir.path().string()));
    server =
        std::make_unique<test::HttpServer>((dir.path() / "server.pem").string(), (dir.path() / "server.key").string());
    // Served at /v<version>/<name>, and where GitHub serves a release of the repository o/r.
    server->server().Get(
        R"((?:/o/r/releases/download)?/v([^/]+)/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
          ++requests;
          std::unique_lock<std::mutex> lock(mutex);
          const auto name = std::string(req.matches[2]);
          if (hanging.count(name) != 0) {
            lock.unlock();
            server->hang();
            return;
          }
          if (redirected.count(name) != 0) {
            res.status = 302;
            res.set_header("Location", "http://127.0.0.1:" + std::to_string(server->port()) + req.path);
            return;
          }
          const auto it = files.find("v" + std::string(req.matches[1]) + "/" + name);
          if (it != files.end() && short_bodies.count(name) != 0) {
            res.set_content(it->second.substr(0, it->second.size() / 3), "application/octet-stream");
            return;
          }
          if (it == files.end()) {
            res.status = 404;
            res.set_content("Not Found", "text/plain");
            return;
          }
          if (truncated.count(name) != 0) {
            // Promises the whole file, sends a third of it, then drops the connection.
            const auto body = it->second;
            res.set_content_provider(body.size(), "application/octet-stream",
                                     [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                       if (offset > 0) {
                                         return false;
                                       }
                                       sink.write(body.data(), body.size() / 3);
                                       return true;
                                     });
            return;
          }
          res.set_content(it->second, "application/octet-stream");
        });
  }
  std::string ca() const { return (dir.path() / "ca.pem").string(); }
  std::string url(const std::string& tag) const { return server->url("/" + tag); }
  void put(const std::string& tag, const std::string& name, const std::string& contents) {
    std::lock_guard<std::mutex> lock(mutex);
    files[tag + "/" + name] = contents;
  }
};

/// A runner's variables for one install, its folders under `dir`.
Env runner_env(const test::TempDir& dir, const Release& release, const std::string& gate = "lint") {
  fs::create_directories(dir.path() / "temp");
  return {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", dir.path().string()},
      {"RUNNER_OS", "Linux"},
      {"RUNNER_ARCH", runner_arch().first},
      {"RUNNER_TOOL_CACHE", (dir.path() / "toolcache").string()},
      {"RUNNER_TEMP", (dir.path() / "temp").string()},
      {"GITHUB_OUTPUT", (dir.path() / "output").string()},
      {"GITHUB_PATH", (dir.path() / "path").string()},
      {"GITHUB_SERVER_URL", "https://github.com"},
      {"GITHUB_REPOSITORY", "someone/app"},
      {"CURL_CA_BUNDLE", release.ca()},
      {"SHIPGATE_GATE", gate},
      {"SHIPGATE_DOWNLOAD_URL", release.url("v" + version())},
  };
}

/// The real shipgate-lint of this build, stripped as a release binary is (a sanitizer build's is
/// many times larger, and every install test downloads and hashes it).
std::string stripped_lint(const test::TempDir& dir) {
  const auto out = (dir.path() / "shipgate-lint-stripped").string();
  const auto r =
      test::run_shell("strip -o " + test::shell_quote(out) + " " + test::shell_quote(k_bin + "/shipgate-lint"), dir);
  REQUIRE(r.code == 0);
  return test::read_file(out);
}

/// A release that serves the real shipgate-lint of this build as this machine's asset.
struct LintRelease : Release {
  std::string asset = "shipgate-lint-linux-" + runner_arch().second;
  std::string binary = stripped_lint(dir);
  std::string sum;
  LintRelease() {
    REQUIRE_FALSE(binary.empty());
    const auto tag = "v" + version();
    put(tag, asset, binary);
    const auto file = dir.write("asset", binary);
    sum = sha256(file, dir);
    put(tag, "SHA256SUMS",
        "0000000000000000000000000000000000000000000000000000000000000000  shipgate-smoke-linux-x86_64\n" + sum + "  " +
            asset + "\n");
  }
  /// The DIGESTS a release commit of this version would carry for it.
  std::string digests() const {
    return "# digests\nversion " + version() +
           "\n1111111111111111111111111111111111111111111111111111111111111111  shipgate-smoke-linux-x86_64\n" + sum +
           "  " + asset + "\n";
  }
};

/// A checkout of the action at `root`, as the runner lays one out (actions/, VERSION, each gate's
/// folder, the pre-commit script), with `digests` as its committed DIGESTS; returns its install.sh.
std::string action_checkout(const fs::path& root, const std::string& digests) {
  fs::create_directories(root / "scripts");
  fs::copy(k_source + "/actions", root / "actions", fs::copy_options::recursive);
  fs::copy(k_source + "/VERSION", root / "VERSION");
  fs::copy(k_source + "/scripts/pre-commit-lint", root / "scripts" / "pre-commit-lint");
  for (const auto& entry : fs::directory_iterator(k_source + "/gates")) {
    if (fs::exists(entry.path() / "main.cpp")) {
      fs::create_directories(root / "gates" / entry.path().filename());
      fs::copy(entry.path() / "main.cpp", root / "gates" / entry.path().filename() / "main.cpp");
    }
  }
  std::ofstream(root / "DIGESTS") << digests;
  return (root / "actions" / "lib" / "install.sh").string();
}

}  // namespace

// --- every action.yml against its gate -------------------------------------------------------

namespace {

/// Every `${{ inputs.NAME }}` in `text`.
std::set<std::string> inputs_used(const std::string& text) {
  std::set<std::string> names;
  static const std::regex k_ref(R"(\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\})");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), k_ref); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

}  // namespace

TEST_CASE("actions: each gate's action maps its inputs to flags the gate accepts", "[actions]") {
  int checked = 0;
  for (const auto& entry : test::all_gates()) {
    const std::string path(entry.action);
    ++checked;
    INFO("action " << path);
    const auto text = read_text_file(path);
    REQUIRE(text.ok());
    const auto doc = yaml::parse(*text, path);
    REQUIRE(doc.ok());
    const auto& root = doc->root();
    const auto* inputs = doc->get(root, "inputs");
    const auto* runs = doc->get(root, "runs");
    REQUIRE(inputs != nullptr);
    REQUIRE(runs != nullptr);
    REQUIRE(doc->get(*runs, "using")->value == "composite");
    const auto* steps = doc->get(*runs, "steps");
    REQUIRE(steps != nullptr);

    std::set<std::string> declared;
    std::map<std::string, std::string> described;
    for (const auto& pair : inputs->pairs) {
      const auto& name = doc->at(pair.key).value;
      declared.insert(name);
      const auto* description = doc->get(doc->at(pair.value), "description");
      REQUIRE(description != nullptr);
      described[name] = description->value;
    }
    const auto used = inputs_used(*text);
    for (const auto& name : used) {
      INFO("input " << name);
      CHECK(declared.count(name) == 1);
    }
    for (const auto& name : declared) {
      INFO("input " << name);
      CHECK(used.count(name) == 1);
    }

    auto gate = entry.make();
    const auto& options = gate->options();
    const auto declared_option = [&](const std::string& name) -> const options::Option* {
      for (const auto& o : options) {
        if (o.name == name || std::find(o.aliases.begin(), o.aliases.end(), name) != o.aliases.end()) {
          return &o;
        }
      }
      return nullptr;
    };
    std::set<std::string> mapped;
    bool installs = false;
    bool runs_gate = false;
    for (const auto id : steps->items) {
      const auto& step = doc->at(id);
      const auto* run = doc->get(step, "run");
      if (run == nullptr) {
        continue;
      }
      INFO("step " << run->value);
      // Every run step names its shell; no input is pasted into script text.
      CHECK(doc->get(step, "shell") != nullptr);
      CHECK(run->value.find("${{") == std::string::npos);
      installs = installs || run->value.find("/lib/install.sh") != std::string::npos;
      runs_gate = runs_gate || run->value.find("/lib/run.sh\"") != std::string::npos;
      const auto* env = doc->get(step, "env");
      if (env == nullptr) {
        continue;
      }
      const auto* gate_name = doc->get(*env, "SHIPGATE_GATE");
      REQUIRE(gate_name != nullptr);
      CHECK(gate_name->value == entry.section);
      for (const auto& pair : env->pairs) {
        const auto& key = doc->at(pair.key).value;
        const auto& value = doc->at(pair.value).value;
        static const std::regex k_flag_env("SHIPGATE_(OPT|LIST|BOOL|FLAG)_([a-z_]+)");
        static const std::regex k_secret_env("SHIPGATE_SECRET_([A-Z_]+)");
        std::smatch m;
        if (std::regex_match(key, m, k_secret_env)) {
          // A secret input feeds one of the gate's declared secret variables, by its option's name.
          const auto input = inputs_used(value);
          REQUIRE(input.size() == 1);
          const auto* option = declared_option(*input.begin());
          REQUIRE(option != nullptr);
          CHECK(option->type == options::Type::secret);
          CHECK(std::find(option->env.begin(), option->env.end(), m[1].str()) != option->env.end());
          mapped.insert(option->name);
          continue;
        }
        if (!std::regex_match(key, m, k_flag_env)) {
          continue;
        }
        auto flag = m[2].str();
        std::replace(flag.begin(), flag.end(), '_', '-');
        INFO("env " << key << " -> --" << flag);
        if (flag == "format") {  // core's flag, with the action's own default (github)
          CHECK_THAT(help_text(*entry.make()), Catch::Contains("--format FORMAT"));
          continue;
        }
        const auto* option = declared_option(flag);
        REQUIRE(option != nullptr);
        const auto kind = m[1].str();
        CHECK((kind == "BOOL") == (option->type == options::Type::boolean));
        CHECK((kind == "FLAG") == option->bare);
        CHECK((kind == "LIST") == option->repeatable);
        // The input has the option's name (or one of its spellings), is empty by default so
        // the config applies unless it is given, and its description names the gate's default.
        const auto input = inputs_used(value);
        REQUIRE(input.size() == 1);
        const auto& input_name = *input.begin();
        CHECK(declared_option(input_name) == option);
        mapped.insert(option->name);
        const auto* input_node = doc->get(*inputs, input_name);
        REQUIRE(input_node != nullptr);
        const auto* default_value = doc->get(*input_node, "default");
        REQUIRE(default_value != nullptr);
        CHECK(default_value->value.empty());
        if (!option->default_value.empty()) {
          CHECK_THAT(described[input_name], Catch::Contains("Default: " + option->default_value));
        }
        for (const auto& var : option->env) {
          CHECK_THAT(described[input_name], Catch::Contains(var));
        }
      }
    }
    CHECK(installs);
    CHECK(runs_gate);
    // Every option a user would set has an input (lint's paths are SHIPGATE_PATHS).
    for (const auto& o : options) {
      if (o.positional) {
        continue;
      }
      INFO("option " << o.name);
      CHECK(mapped.count(o.name) == 1);
    }
    // The action's outputs are core's and the gate's declared ones, each described.
    const auto* outputs = doc->get(root, "outputs");
    REQUIRE(outputs != nullptr);
    std::set<std::string> action_outputs;
    for (const auto& pair : outputs->pairs) {
      action_outputs.insert(doc->at(pair.key).value);
    }
    std::set<std::string> gate_outputs;
    for (const auto& o : core_outputs()) {
      gate_outputs.insert(o.name);
    }
    for (const auto& o : gate->outputs()) {
      gate_outputs.insert(o.name);
      CHECK(std::regex_match(o.name, std::regex("[a-z][a-z0-9]*(-[a-z0-9]+)*")));
      CHECK(!o.description.empty());
    }
    CHECK(action_outputs == gate_outputs);
  }
  CHECK(checked >= 5);  // the shipped gates and the toy
}

// --- actions/lib/install.sh --------------------------------------------------------------------

namespace {

/// The one folder the install put its cache in (per version, architecture and source).
fs::path cache_folder(const test::TempDir& dir, const std::string& wanted = version()) {
  const auto arch = dir.path() / "toolcache" / "shipgate" / wanted / runner_arch().second;
  std::vector<fs::path> found;
  if (fs::exists(arch)) {
    for (const auto& entry : fs::directory_iterator(arch)) {
      found.push_back(entry.path());
    }
  }
  REQUIRE(found.size() == 1);
  return found.front();
}

}  // namespace

TEST_CASE("install: downloads the release asset, checks it and caches it; the cache serves later jobs", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  const auto install = action_checkout(dir.path() / "action", release.digests());
  auto r = run_script(install, env, dir.path().string(), dir);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  auto out = outputs_in(env["GITHUB_OUTPUT"]);
  const auto cache = cache_folder(dir);
  CHECK(out["source"] == "download");
  CHECK(out["version"] == version());
  CHECK(fs::exists(cache / ".complete"));
  CHECK(test::read_file((cache / release.asset).string()) == release.binary);
  // What runs is a copy in a folder of the job's own, the only thing added to PATH.
  const fs::path binary = out["binary"];
  CHECK(binary.filename() == "shipgate-lint");
  CHECK(binary.parent_path().parent_path() == dir.path() / "temp");
  CHECK(test::read_file(binary.string()) == release.binary);
  CHECK(test::read_file(env["GITHUB_PATH"]) == binary.parent_path().string() + "\n");
  CHECK(std::distance(fs::directory_iterator(binary.parent_path()), fs::directory_iterator()) == 1);
  CHECK(release.requests == 2);
  const auto version_line = test::run_shell(test::shell_quote(out["binary"]) + " --version", dir);
  CHECK(version_line.out == "shipgate-lint " + version() + "\n");
  fs::remove(env["GITHUB_OUTPUT"]);

  SECTION("a cached copy is used without a request") {
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "cache");
    CHECK(test::read_file(outputs_in(env["GITHUB_OUTPUT"])["binary"]) == release.binary);
    CHECK(release.requests == 2);
  }
  SECTION("a cached copy that no longer matches its checksum is downloaded again") {
    fs::remove(cache / release.asset);
    std::ofstream(cache / release.asset) << "#!/bin/sh\necho shipgate-lint " << version() << "\n";
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK_THAT(r.out, Catch::Contains("::notice title=shipgate-lint::the cached " + release.asset) &&
                          Catch::Contains("does not match the digest it must have; removed"));
    CHECK(test::read_file((cache / release.asset).string()) == release.binary);
    CHECK(release.requests == 4);
  }
  SECTION("a binary planted in the cache with a matching SHA256SUMS and marker beside it is never run") {
    // What anyone who can write a shared runner's tool cache can lay out.
    const std::string evil = "#!/bin/sh\necho shipgate-lint " + version() + "\ntouch \"$0.ran\"\nexit 0\n";
    fs::remove(cache / release.asset);
    const auto planted = dir.write("planted", evil);
    fs::copy(planted, cache / release.asset);
    fs::permissions(cache / release.asset, fs::perms::owner_all);
    std::ofstream(cache / "SHA256SUMS") << sha256(planted, dir) << "  " << release.asset << "\n";
    std::ofstream(cache / ".complete") << "";
    r = run_script(install, env, dir.path().string(), dir);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK(test::read_file(outputs_in(env["GITHUB_OUTPUT"])["binary"]) == release.binary);
    CHECK(test::read_file((cache / release.asset).string()) == release.binary);
    CHECK_FALSE(fs::exists((cache / release.asset).string() + ".ran"));
    CHECK_THAT(r.out, Catch::Contains("does not match the digest it must have"));
  }
  SECTION("a link planted in the cache is never run") {
    const auto evil = dir.write("evil", "#!/bin/sh\necho shipgate-lint " + version() + "\ntouch \"$0.ran\"\n");
    fs::permissions(evil, fs::perms::owner_all);
    fs::remove(cache / release.asset);
    fs::create_symlink(evil, cache / release.asset);
    std::ofstream(cache / "SHA256SUMS", std::ios::app) << sha256(evil, dir) << "  " << release.asset << "\n";
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK(test::read_file(outputs_in(env["GITHUB_OUTPUT"])["binary"]) == release.binary);
    CHECK_FALSE(fs::exists(evil + ".ran"));
  }
  SECTION("a cache without its completion marker is downloaded again") {
    fs::remove(cache / ".complete");
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK(fs::exists(cache / ".complete"));
  }
  SECTION("another source (a mirror, a fork's releases) has a cache of its own") {
    env["SHIPGATE_DOWNLOAD_URL"] = release.server->url("/o/r/releases/download/v" + version());
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK(release.requests == 4);
  }
}

TEST_CASE("install: nothing is written through a link planted in the tool cache", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  const auto install = action_checkout(dir.path() / "action", release.digests());
  const auto elsewhere = dir.path() / "elsewhere";
  fs::create_directories(elsewhere);
  const auto victim = dir.write("elsewhere/victim.txt", "precious\n");
  fs::create_directories(dir.path() / "toolcache");
  SECTION("a linked folder on the cache's path") {
    fs::create_directory_symlink(elsewhere, dir.path() / "toolcache" / "shipgate");
  }
  SECTION("a linked completion marker") {
    env["SHIPGATE_DOWNLOAD_URL"] = release.url("v" + version());
    // The folder the first run uses, made ready with a marker that points at the victim.
    auto r = run_script(install, env, dir.path().string(), dir);
    REQUIRE(r.code == 0);
    const auto cache = cache_folder(dir);
    fs::remove_all(cache);
    fs::create_directories(cache);
    fs::create_symlink(victim, cache / ".complete");
    fs::remove(env["GITHUB_OUTPUT"]);
  }
  const auto r = run_script(install, env, dir.path().string(), dir);
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(test::read_file(outputs_in(env["GITHUB_OUTPUT"])["binary"]) == release.binary);
  CHECK(test::read_file(victim) == "precious\n");
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(elsewhere)) {
    files += entry.is_regular_file() ? 1U : 0U;
  }
  CHECK(files == 1);  // the victim only
}

TEST_CASE("install: without download-url, the release of the repository the action came from", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  env.erase("SHIPGATE_DOWNLOAD_URL");
  // Where the runner puts a remote action: _actions/OWNER/REPO/REF/.
  const auto install = action_checkout(dir.path() / "_actions" / "o" / "r" / ("v" + version()), release.digests());
  env["GITHUB_SERVER_URL"] = release.server->url("");
  env["SHIPGATE_ACTION_REPOSITORY"] = "nested/wrong";  // what a nested composite action may see
  const auto r = run_script(install, env, dir.path().string(), dir);
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("/o/r/releases/download/v" + version()));
  CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
}

TEST_CASE("install: a bad checksum, a missing asset or a cut download fails with exit 3 and caches nothing",
          "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  const auto install = action_checkout(dir.path() / "action", release.digests());
  const auto tag = "v" + version();
  const auto cache = dir.path() / "toolcache";
  std::string expected;

  SECTION("checksum mismatch") {
    release.put(tag, release.asset, release.binary + "tampered");
    expected = "checksum mismatch for " + release.asset + ": expected " + release.sum;
  }
  SECTION("a tampered asset with a SHA256SUMS tampered to match") {
    const std::string tampered = release.binary + "tampered";
    release.put(tag, release.asset, tampered);
    release.put(tag, "SHA256SUMS", sha256(dir.write("tampered", tampered), dir) + "  " + release.asset + "\n");
    expected = "but the action's commit says " + release.sum;
  }

  SECTION("no checksum listed for this runner's asset") {
    release.put(tag, "SHA256SUMS", "0000000000000000000000000000000000000000000000000000000000000000  other\n");
    expected = "lists no checksum for " + release.asset;
  }
  SECTION("asset missing from the release") {
    std::lock_guard<std::mutex> lock(release.mutex);
    release.files.erase(tag + "/" + release.asset);
    expected = "404";
  }
  SECTION("no SHA256SUMS in the release (or no such release)") {
    env["SHIPGATE_DOWNLOAD_URL"] = release.url("v99.0.0");
    expected = "/v99.0.0/SHA256SUMS failed";
  }
  SECTION("download cut short") {
    release.truncated.insert(release.asset);
    expected = "download of";
  }
  SECTION("a short file, answered as if whole") {
    release.short_bodies.insert(release.asset);
    expected = "checksum mismatch for " + release.asset;
  }
  SECTION("a server that accepts and never answers") {
    release.hanging.insert("SHA256SUMS");
    env["SHIPGATE_DOWNLOAD_STALL"] = "1";
    expected = "/SHA256SUMS failed: curl: (28)";
  }
  SECTION("a redirect to plain http") {
    release.redirected.insert(release.asset);
    expected = "download of";
  }
  const auto r = run_script(install, env, dir.path().string(), dir);
  INFO(r.out << r.err);
  CHECK(r.code == 3);
  CHECK_THAT(r.out, Catch::StartsWith("::error title=shipgate-lint::") && Catch::Contains(expected));
  CHECK(outputs_in(env["GITHUB_OUTPUT"]).count("binary") == 0);
  CHECK_FALSE(fs::exists(cache / "shipgate" / version() / runner_arch().second));
  CHECK_FALSE(fs::exists(env["GITHUB_PATH"]));
}

TEST_CASE("install: a binary input, or the wanted version on PATH, is used without a download", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  const auto install = action_checkout(dir.path() / "action", release.digests());
  SECTION("binary input") {
    env["SHIPGATE_BINARY"] = k_bin + "/shipgate-lint";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "input");
    const fs::path linked = outputs_in(env["GITHUB_OUTPUT"])["binary"];
    CHECK(linked.filename() == "shipgate-lint");
    CHECK(fs::read_symlink(linked) == fs::weakly_canonical(k_bin + "/shipgate-lint"));
    CHECK(release.requests == 0);
  }
  SECTION("a binary input that is not the gate fails") {
    env["SHIPGATE_BINARY"] = "/bin/true";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 3);
    CHECK_THAT(r.out, Catch::Contains("does not answer --version as shipgate-lint"));
  }
  SECTION("a shipgate-lint on PATH that is not the committed binary is never run, whatever it says") {
    // Any folder on PATH may hold a planted file: an earlier setup step's tool cache folder, or
    // the checkout itself through an empty PATH entry.
    fs::create_directories(dir.path() / "bin");
    const auto planted =
        dir.write("bin/shipgate-lint", "#!/bin/sh\ntouch \"$0.ran\"\necho shipgate-lint " + version() + "\n");
    fs::permissions(planted, fs::perms::owner_all);
    dir.write("shipgate-lint", test::read_file(planted));
    fs::permissions(dir.path() / "shipgate-lint", fs::perms::owner_all);
    env["PATH"] = (dir.path() / "bin").string() + ":" + env["PATH"] + ":";
    const auto r = run_script(install, env, dir.path().string(), dir);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK(test::read_file(outputs_in(env["GITHUB_OUTPUT"])["binary"]) == release.binary);
    CHECK_FALSE(fs::exists(planted + ".ran"));
    CHECK_FALSE(fs::exists(dir.path() / "shipgate-lint.ran"));
  }
  SECTION("on PATH at the wanted version; another version on PATH is not used") {
    fs::create_directories(dir.path() / "bin");
    const auto on_path = dir.write("bin/shipgate-lint", release.binary);  // the release binary, preinstalled
    fs::permissions(on_path, fs::perms::owner_all);
    env["PATH"] = (dir.path() / "bin").string() + ":" + env["PATH"];
    auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "path");
    CHECK(release.requests == 0);
    env["SHIPGATE_VERSION"] = "v99.1.0";
    r = run_script(install, env, dir.path().string(), dir);
    // Not on PATH at 99.1.0, and not the action's version: refused before any download.
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("version 99.1.0 is not this action's version"));
    CHECK(release.requests == 0);
    // Trusting the release's sums, a mirror that serves another version is still refused.
    env["SHIPGATE_TRUST_RELEASE_SUMS"] = "true";
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 3);
    CHECK_THAT(r.out, Catch::Contains("from v99.1.0 says it is version '" + version() + "'; not using it"));
  }
}

TEST_CASE("install: a version without a committed digest is refused unless trusting its release's sums is asked for",
          "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  env["GITHUB_STEP_SUMMARY"] = (dir.path() / "summary").string();
  // Release v99.1.0: a stand-in binary that says it is that version, listed in its SHA256SUMS.
  const std::string other = "#!/bin/sh\necho shipgate-lint 99.1.0\n";
  release.put("v99.1.0", release.asset, other);
  release.put("v99.1.0", "SHA256SUMS", sha256(dir.write("other", other), dir) + "  " + release.asset + "\n");
  env["SHIPGATE_DOWNLOAD_URL"] = release.url("v99.1.0");
  env["SHIPGATE_VERSION"] = "99.1.0";

  SECTION("another version is refused, and says how to get it") {
    const auto install = action_checkout(dir.path() / "action", release.digests());
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("version 99.1.0 is not this action's version (" + version() + ")") &&
                          Catch::Contains("trust-release-checksums: true"));
    CHECK(release.requests == 0);
  }
  SECTION("trusting the release's sums runs it, loudly, and checks every cache hit against them") {
    const auto install = action_checkout(dir.path() / "action", release.digests());
    env["SHIPGATE_TRUST_RELEASE_SUMS"] = "true";
    auto r = run_script(install, env, dir.path().string(), dir);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK_THAT(r.out, Catch::Contains("::warning title=shipgate-lint::v99.1.0 is not this action's version") &&
                          Catch::Contains("SHA256SUMS alone"));
    CHECK_THAT(test::read_file(env["GITHUB_STEP_SUMMARY"]),
               Catch::Contains("> [!WARNING]") && Catch::Contains("SHA256SUMS alone"));
    CHECK(release.requests == 2);
    fs::remove(env["GITHUB_OUTPUT"]);
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "cache");
    CHECK(release.requests == 3);  // the sums again, not the binary
    // A cache entry changed since is refused against the release's sums too.
    const auto cached = cache_folder(dir, "99.1.0") / release.asset;
    fs::remove(cached);
    std::ofstream(cached) << "#!/bin/sh\necho shipgate-lint 99.1.0 planted\n";
    fs::remove(env["GITHUB_OUTPUT"]);
    r = run_script(install, env, dir.path().string(), dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["source"] == "download");
    CHECK(test::read_file(cached.string()) == other);
  }
  SECTION("trust-release-checksums takes true or false only") {
    const auto install = action_checkout(dir.path() / "action", release.digests());
    env["SHIPGATE_TRUST_RELEASE_SUMS"] = "yes";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("trust-release-checksums must be true or false, not 'yes'"));
  }
  SECTION("the action's own version without its digests (DIGESTS missing or for another version)") {
    env.erase("SHIPGATE_VERSION");
    env["SHIPGATE_DOWNLOAD_URL"] = release.url("v" + version());
    for (const std::string& digests : {std::string(), "version 0.0.1\n" + release.sum + "  " + release.asset + "\n"}) {
      test::TempDir checkout;
      const auto install = action_checkout(checkout.path(), digests);
      if (digests.empty()) {
        fs::remove(checkout.path() / "DIGESTS");
      }
      const auto r = run_script(install, env, dir.path().string(), dir);
      INFO(r.out);
      CHECK(r.code == 3);
      CHECK_THAT(r.out, Catch::Contains("the action's source has no digests for v" + version()));
    }
    CHECK(release.requests == 0);
  }
  SECTION("a digest missing for this runner's binary") {
    env.erase("SHIPGATE_VERSION");
    env["SHIPGATE_DOWNLOAD_URL"] = release.url("v" + version());
    const auto install = action_checkout(dir.path() / "action", "version " + version() + "\n");
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 3);
    CHECK_THAT(r.out, Catch::Contains("the action's DIGESTS list no digest for " + release.asset));
  }
}

TEST_CASE("install: a download URL's user:password@ is never shown", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  const auto install = action_checkout(dir.path() / "action", release.digests());
  const std::string secret = "mirr0r-Passw0rd-xyz";
  const auto with_password = [&](const std::string& tag) {
    auto url = release.url(tag);
    return url.replace(url.find("://") + 3, 0, "deploy:" + secret + "@");
  };
  SECTION("downloading") {
    env["SHIPGATE_DOWNLOAD_URL"] = with_password("v" + version());
    const auto r = run_script(install, env, dir.path().string(), dir);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_THAT(r.err, Catch::Contains("downloading " + release.asset));
    const std::string masks = "::add-mask::deploy\n::add-mask::" + secret + "\n";
    CHECK_THAT(r.out, Catch::StartsWith(masks));
    CHECK_THAT(r.out.substr(masks.size()) + r.err, !Catch::Contains(secret) && !Catch::Contains("deploy:"));
    CHECK_THAT(test::read_file(env["GITHUB_OUTPUT"]), !Catch::Contains(secret));
  }
  SECTION("failing") {
    env["SHIPGATE_DOWNLOAD_URL"] = with_password("v" + version() + "/missing");
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 3);
    CHECK_THAT(r.out, Catch::Contains("download of https://127.0.0.1:"));
    CHECK_THAT(r.out.substr(r.out.find("\n::error")) + r.err, !Catch::Contains(secret));
  }
  SECTION("a password with an @, a token as the user name, a mistyped scheme") {
    for (const auto& [url, parts] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"https://deploy:" + secret + "@x@127.0.0.1:1/v1", {"deploy", secret + "@x"}},
             {"https://" + secret + "@127.0.0.1:1/v1", {secret}},
             {"https:/deploy:" + secret + "@127.0.0.1:1/v1", {"deploy", secret}}}) {
      env["SHIPGATE_DOWNLOAD_URL"] = url;
      const auto r = run_script(install, env, dir.path().string(), dir);
      INFO(url << "\n" << r.out << r.err);
      CHECK(r.code != 0);
      std::string masks;
      for (const auto& part : parts) {
        masks += "::add-mask::" + part + "\n";
      }
      CHECK_THAT(r.out, Catch::StartsWith(masks));
      CHECK_THAT(r.out.substr(masks.size()) + r.err, !Catch::Contains(secret));
    }
  }
  SECTION("a line break cannot start a workflow command") {
    env["SHIPGATE_DOWNLOAD_URL"] = "https://x:a\n::stop-commands::tok\nb@127.0.0.1:1/v1";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::StartsWith("::error title=shipgate-lint::download-url must be one URL"));
    CHECK_THAT(r.out, !Catch::Contains("\n::stop-commands"));
  }
}

TEST_CASE("install: unsupported runners, plain HTTP and odd versions are refused clearly", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  const auto install = action_checkout(dir.path() / "action", release.digests());
  SECTION("macOS") {
    env["RUNNER_OS"] = "macOS";
    env["RUNNER_ARCH"] = "ARM64";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 3);
    CHECK_THAT(r.out, Catch::Contains("no shipgate-lint release binary for macOS ARM64") &&
                          Catch::Contains("Linux x86_64 and arm64"));
  }
  SECTION("32-bit x86") {
    env["RUNNER_ARCH"] = "X86";
    CHECK(run_script(install, env, dir.path().string(), dir).code == 3);
  }
  SECTION("http://") {
    env["SHIPGATE_DOWNLOAD_URL"] = "http://127.0.0.1:1/v" + version();
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("must be an https:// URL"));
  }
  SECTION("a version that is a path") {
    env["SHIPGATE_VERSION"] = "../../etc";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains("is not a release version"));
  }
  SECTION("a message cannot forge a workflow command") {
    env["SHIPGATE_BINARY"] = "/nonexistent\n::error::forged";
    const auto r = run_script(install, env, dir.path().string(), dir);
    CHECK(r.code == 3);
    CHECK_THAT(r.out, !Catch::Contains("\n::error::forged"));
  }
  CHECK(release.requests == 0);
}

// --- actions/lib/run.sh ------------------------------------------------------------------------

namespace {

/// A stand-in gate that records its arguments (one per line) and two variables, then exits 1.
std::string recording_gate(const test::TempDir& dir) {
  auto path =
      dir.write("fake-gate",
                "#!/bin/sh\n"
                "printf '%s\\n' \"$@\" >\"$(dirname \"$0\")/args\"\n"
                "printf 'key=%s token=%s\\n' \"${HEROKU_API_KEY-unset}\" \"${SHIPGATE_SECRET_HEROKU_API_KEY-unset}\" "
                ">\"$(dirname \"$0\")/env\"\n"
                "exit 1\n");
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

Env step_env(const test::TempDir& dir) {
  return {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", dir.path().string()},
      {"RUNNER_TEMP", dir.path().string()},
      {"GITHUB_OUTPUT", (dir.path() / "output").string()},
      {"GITHUB_STEP_SUMMARY", (dir.path() / "summary").string()},
      {"SHIPGATE_GATE", "smoke"},
  };
}

}  // namespace

TEST_CASE("run: inputs become the gate's flags as whole words, secrets only in its environment", "[actions]") {
  test::TempDir dir;
  auto env = step_env(dir);
  env["SHIPGATE"] = recording_gate(dir);
  env["SHIPGATE_LIST_url"] = "  https://a.example/health \n\nhttps://b.example/h?x=1&y=$(id)\n";
  env["SHIPGATE_OPT_expect_body"] = "--evil \"quoted\" $HOME `id`";
  env["SHIPGATE_OPT_warmup"] = "";
  env["SHIPGATE_BOOL_insecure"] = "true";
  env["SHIPGATE_BOOL_fail_idle"] = "false";
  env["SHIPGATE_SECRET_HEROKU_API_KEY"] = "hk-secret-123";
  env["SHIPGATE_CONFIG"] = "ci/shipgate.yml";
  auto r = run_script(k_run, env, dir.path().string(), dir);
  INFO(r.out << r.err);
  CHECK(r.code == 0);  // the step records; the verdict step fails
  CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "1");
  CHECK(test::read_file((dir.path() / "args").string()) ==
        "--fail-idle=false\n--insecure=true\n--url\nhttps://a.example/health\n--url\nhttps://b.example/h?x=1&y=$(id)\n"
        "--expect-body\n"
        "--evil \"quoted\" $HOME `id`\n--config\nci/shipgate.yml\n");
  CHECK(test::read_file((dir.path() / "env").string()) == "key=hk-secret-123 token=unset\n");
  CHECK(test::read_file((dir.path() / "args").string()).find("hk-secret-123") == std::string::npos);

  SECTION("lint's paths come last, after --") {
    env["SHIPGATE_PATHS"] = ".github/workflows\n-odd.yml\n";
    env.erase("SHIPGATE_LIST_url");
    env.erase("SHIPGATE_OPT_expect_body");
    env.erase("SHIPGATE_CONFIG");
    env["SHIPGATE_BOOL_insecure"] = "";
    env["SHIPGATE_BOOL_fail_idle"] = "";
    run_script(k_run, env, dir.path().string(), dir);
    CHECK(test::read_file((dir.path() / "args").string()) == "--\n.github/workflows\n-odd.yml\n");
  }
  SECTION("a boolean input other than true, false or empty stops the step with exit 2, the gate not run") {
    for (const auto* value : {"yes", "True", "{}", " true", "true\n--insecure"}) {
      INFO("value '" << value << "'");
      env["SHIPGATE_BOOL_insecure"] = value;
      fs::remove(dir.path() / "args");
      const auto bad = run_script(k_run, env, dir.path().string(), dir);
      CHECK(bad.code == 0);  // the step records; the verdict step fails
      CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "2");
      CHECK_THAT(bad.out, Catch::StartsWith("::error title=shipgate-smoke::input insecure: expected true or false"));
      CHECK_FALSE(fs::exists(dir.path() / "args"));
      dir.write("output", "");
    }
  }
  SECTION("a flag that may stand alone gets its value as one word, nothing when empty") {
    env = step_env(dir);
    env["SHIPGATE"] = recording_gate(dir);
    env["SHIPGATE_FLAG_fix"] = "unsafe --diff=true $(id)";
    env["SHIPGATE_FLAG_diff"] = "";
    run_script(k_run, env, dir.path().string(), dir);
    CHECK(test::read_file((dir.path() / "args").string()) == "--fix=unsafe --diff=true $(id)\n");
  }
  SECTION("output-file cannot go with format github") {
    env["SHIPGATE_OPT_format"] = "github";
    env["SHIPGATE_OUTPUT_FILE"] = (dir.path() / "results").string();
    run_script(k_run, env, dir.path().string(), dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "2");
  }
}

TEST_CASE("run: the verdict step fails with the gate's exit code", "[actions]") {
  test::TempDir dir;
  auto env = step_env(dir);
  for (const auto& [recorded, code] :
       std::vector<std::pair<std::string, int>>{{"0", 0}, {"1", 1}, {"2", 2}, {"3", 3}, {"", 3}, {"139", 3}}) {
    INFO("recorded " << recorded);
    env["SHIPGATE_EXIT"] = recorded;
    const auto r = run_script(k_run, env, dir.path().string(), dir, {"--verdict"});
    CHECK(r.code == code);
  }
}

// --- the config on pull requests ---------------------------------------------------------------

namespace {

const std::string k_silenced =
    "lint:\n  rules:\n    heroku-autocreate: off\n    heroku-cli-missing: off\n    deploy-without-environment: off\n";

/// The repository o/r on a server (a folder reached by file://), whose main branch has a workflow
/// that auto-creates Heroku apps (an error for shipgate-lint) and `base_config` (none when empty),
/// and a shallow clone of a pull request branch that sets `head_config` (removes it when empty)
/// after running the shell commands `on_pr` there. Returns the clone's path.
std::string pull_request_checkout(const test::TempDir& dir, const std::string& base_config,
                                  const std::string& head_config, const std::string& on_pr = "") {
  const auto origin = (dir.path() / "server" / "o" / "r").string();
  auto clone = (dir.path() / "clone").string();
  dir.write("server/o/r/.github/workflows/deploy.yml",
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: akhileshns/heroku-deploy@v3.13.15\n        with:\n"
            "          heroku_api_key: ${{ secrets.HEROKU_API_KEY }}\n          heroku_app_name: web-prod\n"
            "          heroku_email: ops@example.com\n");
  dir.write("server/o/r/ci/permissive.yml", k_silenced);
  if (!base_config.empty()) {
    dir.write("server/o/r/.github/shipgate.yml", base_config);
  }
  const std::string git = "git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main";
  std::string cmd = "cd " + test::shell_quote(origin) + " && " + git + " init -q && git add -A && " + git +
                    " commit -qm base && git checkout -qb pr && ";
  if (head_config.empty()) {
    cmd += "rm -f .github/shipgate.yml && ";
  } else {
    cmd += "printf '%s' " + test::shell_quote(head_config) + " > .github/shipgate.yml && ";
  }
  if (!on_pr.empty()) {
    cmd += on_pr + " && ";
  }
  cmd += git + " add -A && " + git + " commit -qm pr --allow-empty && " + git +
         " checkout -q main && git clone -q --depth 1 --branch pr file://" + test::shell_quote(origin) + " " +
         test::shell_quote(clone);
  const auto r = test::run_shell(cmd, dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  return clone;
}

Env pull_request_env(const test::TempDir& dir) {
  auto env = step_env(dir);
  env["SHIPGATE_GATE"] = "lint";
  env["SHIPGATE"] = k_bin + "/shipgate-lint";
  env["SHIPGATE_OPT_format"] = "text";
  env["GITHUB_EVENT_NAME"] = "pull_request";
  env["GITHUB_BASE_REF"] = "main";
  env["GITHUB_SERVER_URL"] = "file://" + (dir.path() / "server").string();
  env["GITHUB_REPOSITORY"] = "o/r";
  return env;
}

}  // namespace

TEST_CASE("run: on pull requests the config comes from the base branch, and a change is noted", "[actions]") {
  test::TempDir dir;
  auto env = pull_request_env(dir);
  SECTION("a pull request that switches a rule off is still checked by the base's config") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced);
    auto r = run_script(k_run, env, clone, dir);
    INFO(r.out << r.err);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "1");
    CHECK_THAT(r.out, Catch::Contains("heroku-autocreate"));
    CHECK_THAT(r.out, Catch::Contains("::notice title=shipgate-lint::this pull request changes .github/shipgate.yml"));
    CHECK_THAT(test::read_file(env["GITHUB_STEP_SUMMARY"]),
               Catch::Contains("this pull request changes `.github/shipgate.yml`") && Catch::Contains("`main`"));
    CHECK_FALSE(fs::exists(clone + "/.github/.shipgate-base-config.yml"));  // removed after the run
    // The same checkout on a push uses the file as it is.
    env["GITHUB_EVENT_NAME"] = "push";
    fs::remove(env["GITHUB_OUTPUT"]);
    r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "0");
  }
  SECTION("an explicit config input is read from the base branch too") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced);
    env["SHIPGATE_CONFIG"] = ".github/shipgate.yml";
    run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "1");
  }
  SECTION("a config the pull request adds does not apply before the merge") {
    const auto clone = pull_request_checkout(dir, "", k_silenced);
    const auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "1");
    CHECK_THAT(test::read_file(env["GITHUB_STEP_SUMMARY"]), Catch::Contains("this pull request adds"));
  }
  SECTION("a config the pull request removes still applies") {
    const auto clone = pull_request_checkout(dir, k_silenced, "");
    const auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "0");
    CHECK_THAT(test::read_file(env["GITHUB_STEP_SUMMARY"]), Catch::Contains("this pull request removes"));
  }
  SECTION("the same config on both sides: no note") {
    const auto clone = pull_request_checkout(dir, k_silenced, k_silenced);
    const auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "0");
    CHECK_FALSE(fs::exists(env["GITHUB_STEP_SUMMARY"]));
  }
  SECTION("the base is fetched from the repository the workflow runs for, not from origin (a fork)") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced);
    // origin now a fork whose main switches the rule off.
    const auto fork = (dir.path() / "fork").string();
    const auto r =
        test::run_shell("git clone -q --branch pr " + test::shell_quote(clone) + " " + test::shell_quote(fork) +
                            " && cd " + test::shell_quote(fork) + " && git branch -q -f main HEAD && cd " +
                            test::shell_quote(clone) + " && git remote set-url origin " + test::shell_quote(fork) +
                            " && git fetch -q origin main:refs/remotes/origin/main",
                        dir);
    REQUIRE(r.code == 0);
    run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "1");
  }
  SECTION("a config input that is a link in the pull request is read by its own path from the base") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", "",
                                             "ln -s ../ci/permissive.yml .github/shipgate.yml");
    env["SHIPGATE_CONFIG"] = ".github/shipgate.yml";
    run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "1");
    CHECK_THAT(test::read_file(env["GITHUB_STEP_SUMMARY"]), Catch::Contains("this pull request changes"));
  }
  SECTION("a .github that is a link in the pull request is refused, nothing written through it") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced,
                                             "mkdir -p elsewhere && git mv .github/workflows elsewhere/ && "
                                             "mv .github/shipgate.yml elsewhere/ && rmdir .github && "
                                             "ln -s elsewhere .github");
    const auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "3");
    CHECK_THAT(r.out, Catch::Contains("is a link or not a folder"));
    CHECK(std::distance(fs::directory_iterator(clone + "/elsewhere"), fs::directory_iterator()) == 2);
  }
  SECTION("a config in no repository, or a path with a line break, is refused") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced);
    env["GITHUB_WORKSPACE"] = dir.path().string();
    dir.write("outside.yml", k_silenced);
    env["SHIPGATE_CONFIG"] = "../outside.yml";  // in the workspace, in no repository git can read
    auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "3");
    CHECK_THAT(r.out, Catch::Contains("git cannot read this checkout"));
    fs::remove(env["GITHUB_OUTPUT"]);
    env["SHIPGATE_CONFIG"] = ".github/x\nlint:\n  rules: {}\n#";
    r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "2");
  }
  SECTION("a checkout git cannot read is exit 3, never the pull request's config") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced);
    fs::remove_all(clone + "/.git");
    env["GITHUB_WORKSPACE"] = clone;
    const auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "3");
    CHECK_THAT(r.out, Catch::Contains("git cannot read this checkout"));
  }
  SECTION("the token does not reach the gate") {
    const auto clone = pull_request_checkout(dir, "", "");
    env["SHIPGATE"] = recording_gate(dir);
    env["SHIPGATE_TOKEN"] = "ghs_secret";
    env["SHIPGATE_SECRET_LD_PRELOAD"] = "/tmp/evil.so";
    env["SHIPGATE_SECRET_BASH_ENV"] = "/tmp/evil.sh";
    env["SHIPGATE_SECRET_TOY_TOKEN"] = "toy-secret";  // a new gate's credential needs no list entry
    dir.write("fake-gate", "#!/bin/sh\nenv > \"$(dirname \"$0\")/env\"\n");
    run_script(k_run, env, clone, dir);
    const auto seen = test::read_file((dir.path() / "env").string());
    CHECK_THAT(seen, !Catch::Contains("ghs_secret") && !Catch::Contains("LD_PRELOAD") && !Catch::Contains("BASH_ENV"));
    CHECK_THAT(seen, Catch::Contains("\nTOY_TOKEN=toy-secret\n") && !Catch::Contains("SHIPGATE_SECRET_"));
    CHECK_THAT(seen, Catch::Contains("GITHUB_EVENT_NAME=pull_request"));
  }
  SECTION("a base branch that cannot be fetched is exit 3, not the head's config") {
    const auto clone = pull_request_checkout(dir, "lint:\n  fail-level: error\n", k_silenced);
    fs::remove_all(dir.path() / "server");
    const auto r = run_script(k_run, env, clone, dir);
    CHECK(outputs_in(env["GITHUB_OUTPUT"])["gate-exit"] == "3");
    CHECK_THAT(r.out, Catch::Contains("cannot read the config from the base branch main"));
  }
}

TEST_CASE("pre-commit hook: gets the verified binary once, then lints the repository", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  const auto repo = dir.path() / "repo";
  fs::create_directories(repo / ".github");
  fs::copy(k_source + "/examples/incident/.github/workflows", repo / ".github" / "workflows");
  const Env env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", dir.path().string()},
      {"XDG_CACHE_HOME", (dir.path() / "cache").string()},
      {"CURL_CA_BUNDLE", release.ca()},
      {"SHIPGATE_DOWNLOAD_URL", release.url("v" + version())},
  };
  action_checkout(dir.path() / "hook", release.digests());
  const auto hook = (dir.path() / "hook" / "scripts" / "pre-commit-lint").string();
  auto r = run_script(hook, env, repo.string(), dir, {"--format", "text"});
  INFO(r.out << r.err);
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("heroku-autocreate"));
  CHECK(release.requests == 2);
  r = run_script(hook, env, repo.string(), dir, {"--format", "text"});
  CHECK(r.code == 1);
  CHECK(release.requests == 2);  // from the cache

  fs::remove_all(dir.path() / "cache");
  release.put("v" + version(), release.asset, release.binary + "tampered");
  r = run_script(hook, env, repo.string(), dir);
  CHECK(r.code == 3);
  CHECK_THAT(r.err, Catch::Contains("\nchecksum mismatch for " + release.asset) && !Catch::Contains("::error"));
}

namespace {

/// The README's 30-second start: its first sh block, with the release URL as given.
std::string quick_start(const std::string& release_url) {
  const auto readme = test::read_file(k_source + "/README.md");
  const auto section = readme.find("\n## 30-second start\n");
  REQUIRE(section != std::string::npos);
  const auto begin = readme.find("```sh\n", section);
  REQUIRE(begin != std::string::npos);
  const auto end = readme.find("\n```\n", begin);
  REQUIRE(end != std::string::npos);
  auto script = readme.substr(begin + 6, end - begin - 6);
  const std::string published = "https://github.com/shipgate/shipgate/releases/download/v" + version();
  std::size_t replaced = 0;
  for (auto at = script.find(published); at != std::string::npos; at = script.find(published, at)) {
    script.replace(at, published.size(), release_url);
    at += release_url.size();
    ++replaced;
  }
  CHECK(replaced >= 3);  // both architectures' binaries and SHA256SUMS
  return script;
}

}  // namespace

TEST_CASE("README: the 30-second start works as written against a release on 127.0.0.1", "[actions]") {
  if (runner_arch().second != "x86_64") {
    WARN("the README's uncommented download line is the x86_64 one; skipped on " << runner_arch().second);
    return;
  }
  LintRelease release;
  test::TempDir dir;
  const auto repo = dir.path() / "repo";
  fs::create_directories(repo / ".github");
  fs::copy(k_source + "/examples/incident/.github/workflows", repo / ".github" / "workflows");
  const auto script = dir.write("start.sh", quick_start(release.url("v" + version())));
  const auto run = [&] {
    // A user's shell: no set -e, their HOME, curl trusting the test CA as it trusts GitHub's.
    return test::run_shell("cd " + test::shell_quote(repo.string()) +
                               " && env -i PATH=/usr/bin:/bin HOME=" + test::shell_quote(dir.path().string()) +
                               " CURL_CA_BUNDLE=" + test::shell_quote(release.ca()) + " bash " +
                               test::shell_quote(script),
                           dir);
  };
  const auto installed = dir.path() / ".local" / "bin" / "shipgate-lint";
  SECTION("the release's binary is checked, installed and lints the repository") {
    const auto r = run();
    INFO(r.out << r.err);
    CHECK(r.code == 1);  // the incident's findings
    CHECK_THAT(r.out, Catch::Contains(release.asset + ": OK") && Catch::Contains("[heroku-autocreate]"));
    CHECK(test::read_file(installed.string()) == release.binary);
  }
  SECTION("a download that does not match SHA256SUMS is never installed or run") {
    release.put("v" + version(), release.asset, release.binary + "x");
    const auto r = run();
    CHECK(r.code != 0);
    CHECK(r.code != 1);
    CHECK_THAT(r.out + r.err, Catch::Contains("FAILED") && !Catch::Contains("[heroku-autocreate]"));
    CHECK_FALSE(fs::exists(installed));
  }
}

TEST_CASE("examples: docs/examples.md shows every example workflow as it is", "[actions]") {
  const auto page = test::read_file(k_source + "/docs/examples.md");
  int examples = 0;
  for (const auto& entry : fs::directory_iterator(k_source + "/examples/workflows")) {
    INFO("example " << entry.path().filename().string());
    ++examples;
    CHECK_THAT(page, Catch::Contains("## `" + entry.path().filename().string() + "`\n"));
    CHECK_THAT(page, Catch::Contains("```yaml\n" + test::read_file(entry.path().string()) + "```\n"));
  }
  CHECK(examples >= 5);
}

// --- the actions end to end --------------------------------------------------------------------

namespace {

struct ActionRun {
  int code = 0;  // the exit code of the step that failed, else 0
  std::map<std::string, std::string> outputs;
  std::string log;  // every step's stdout and stderr
};

/// Runs a composite action as the runner does, for the expressions shipgate's actions use
/// (`inputs.X`, `steps.ID.outputs.X`, `github.token`, `github.action_repository`): each run
/// step with `bash --noprofile --norc -eo pipefail`, its own GITHUB_OUTPUT, the action's
/// folder as GITHUB_ACTION_PATH, and the caller's environment beneath the step's `env:`.
ActionRun run_action(const std::string& gate, const std::map<std::string, std::string>& with, Env env,
                     const std::string& cwd, const test::TempDir& dir, const std::string& root = k_source) {
  const auto action_dir = root + "/actions/" + gate;
  const auto path = action_dir + "/action.yml";
  const auto text = read_text_file(path);
  REQUIRE(text.ok());
  const auto doc = yaml::parse(*text, path);
  REQUIRE(doc.ok());
  std::map<std::string, std::string> inputs;
  const auto* declared = doc->get(doc->root(), "inputs");
  for (const auto& pair : declared->pairs) {
    const auto& name = doc->at(pair.key).value;
    const auto* value = doc->get(doc->at(pair.value), "default");
    inputs[name] = value == nullptr ? "" : value->value;
    if (inputs[name] == "${{ github.token }}") {
      inputs[name] = "ghs_workflowtoken";
    }
  }
  for (const auto& [name, value] : with) {
    REQUIRE(inputs.count(name) == 1);  // the runner warns; a test should not pass an unknown input
    inputs[name] = value;
  }
  std::map<std::string, std::map<std::string, std::string>> steps;
  const auto evaluate = [&](const std::string& value) {
    static const std::regex k_expression(
        R"(\$\{\{\s*([a-z_]+)\.([A-Za-z0-9_-]+)(?:\.outputs\.([A-Za-z0-9_-]+))?\s*\}\})");
    std::string out;
    auto begin = value.cbegin();
    for (std::smatch m; std::regex_search(begin, value.cend(), m, k_expression); begin = m.suffix().first) {
      out.append(begin, m[0].first);
      const auto context = m[1].str();
      if (context == "inputs") {
        out += inputs.at(m[2].str());
      } else if (context == "steps") {
        out += steps[m[2].str()][m[3].str()];
      } else if (context == "github" && m[2].str() == "action_repository") {
        out += "";  // a local action
      } else {
        FAIL("expression not supported here: " << m[0].str());
      }
    }
    return out + std::string(begin, value.cend());
  };
  ActionRun result;
  env["GITHUB_ACTIONS"] = "true";
  env["GITHUB_ACTION_PATH"] = action_dir;
  int index = 0;
  for (const auto id : doc->get(*doc->get(doc->root(), "runs"), "steps")->items) {
    const auto& step = doc->at(id);
    auto step_env = env;
    step_env["GITHUB_OUTPUT"] = (dir.path() / ("output-" + std::to_string(index++))).string();
    if (const auto* vars = doc->get(step, "env")) {
      for (const auto& pair : vars->pairs) {
        step_env[doc->at(pair.key).value] = evaluate(doc->at(pair.value).value);
      }
    }
    const auto script = dir.write("step-" + std::to_string(index), doc->get(step, "run")->value);
    const auto r = run_script(script, step_env, cwd, dir, {}, "bash --noprofile --norc -eo pipefail");
    result.log += r.out + r.err;
    if (const auto* step_id = doc->get(step, "id")) {
      steps[step_id->value] = outputs_in(step_env["GITHUB_OUTPUT"]);
    }
    if (r.code != 0) {
      result.code = r.code;
      break;
    }
  }
  for (const auto& pair : doc->get(doc->root(), "outputs")->pairs) {
    const auto* value = doc->get(doc->at(pair.value), "value");
    REQUIRE(value != nullptr);
    result.outputs[doc->at(pair.key).value] = evaluate(value->value);
  }
  return result;
}

}  // namespace

TEST_CASE("actions end to end: lint downloads its gate, fails on the incident and sets every output", "[actions]") {
  LintRelease release;
  test::TempDir dir;
  auto env = runner_env(dir, release);
  env.erase("SHIPGATE_GATE");
  env.erase("SHIPGATE_DOWNLOAD_URL");
  env["GITHUB_STEP_SUMMARY"] = (dir.path() / "summary").string();
  env["GITHUB_EVENT_NAME"] = "push";
  const auto incident = k_source + "/examples/incident";
  const auto checkout = (dir.path() / "action").string();
  action_checkout(checkout, release.digests());
  auto run = run_action("lint", {{"download-url", release.url("v" + version())}, {"format", "text"}}, env, incident,
                        dir, checkout);
  INFO(run.log);
  CHECK(run.code == 1);
  CHECK(run.outputs["result"] == "fail");
  CHECK(run.outputs["exit-code"] == "1");
  CHECK(run.outputs["errors"] == "7");
  CHECK_THAT(run.outputs["report"], Catch::Contains("heroku-autocreate"));
  CHECK_THAT(run.log, Catch::Contains("shipgate-lint: failed"));
  CHECK(release.requests == 2);

  SECTION("a tampered download stops the action before any gate runs") {
    fs::remove_all(dir.path() / "toolcache");
    release.put("v" + version(), release.asset, release.binary + "x");
    run = run_action("lint", {{"download-url", release.url("v" + version())}}, env, incident, dir, checkout);
    CHECK(run.code == 3);
    CHECK(run.outputs["exit-code"].empty());
    CHECK_THAT(run.log, Catch::Contains("checksum mismatch"));
  }
  SECTION("a clean repository passes") {
    run =
        run_action("lint", {{"binary", k_bin + "/shipgate-lint"}, {"paths", "examples/workflows"}}, env, k_source, dir);
    INFO(run.log);
    CHECK(run.code == 0);
    CHECK(run.outputs["result"] == "pass");
    CHECK(run.outputs["findings"] == "0");
  }
}

TEST_CASE("actions end to end: smoke polls a real server; release gets its key in the environment only", "[actions]") {
  test::TempDir dir;
  Release unused;
  auto env = runner_env(dir, unused);
  env.erase("SHIPGATE_GATE");
  env["GITHUB_STEP_SUMMARY"] = (dir.path() / "summary").string();
  SECTION("smoke") {
    test::HttpServer server;
    std::atomic<int> calls{0};
    server.server().Get("/v1/health", [&](const httplib::Request&, httplib::Response& res) {
      if (++calls < 3) {
        res.status = 503;
        res.set_content(R"({"status":"warming_up","model_loaded":false})", "application/json");
      } else {
        res.set_content(R"({"status":"ok","model_loaded":true})", "application/json");
      }
    });
    auto run = run_action("smoke",
                          {{"binary", k_bin + "/shipgate-smoke"},
                           {"urls", server.url("/v1/health") + "\n"},
                           {"expect-json", "/model_loaded == true"},
                           {"warming-json", "/status == \"warming_up\""},
                           {"interval", "100ms"},
                           {"deadline", "20s"}},
                          env, dir.path().string(), dir);
    INFO(run.log);
    CHECK(run.code == 0);
    CHECK(run.outputs["healthy"] == "true");
    CHECK(run.outputs["attempts"] == "3");
    CHECK(run.outputs["exit-code"] == "0");
  }
  SECTION("release") {
    // A stand-in for the gate: it says its version and records what reached it.
    const auto fake = dir.write("bin/shipgate-release",
                                "#!/bin/sh\n"
                                "if [ \"$1\" = --version ]; then echo 'shipgate-release " +
                                    version() +
                                    "'; exit 0; fi\n"
                                    "here=$(dirname \"$(readlink -f \"$0\")\")\n"
                                    "printf '%s\\n' \"$@\" >\"$here/args\"\n"
                                    "printf '%s' \"$HEROKU_API_KEY\" >\"$here/key\"\n"
                                    "echo result=pass >>\"$GITHUB_OUTPUT\"\n");
    fs::permissions(fake, fs::perms::owner_all);
    auto run = run_action("release",
                          {{"binary", fake},
                           {"apps", "raxx-api-prod\nraxx-web-prod"},
                           {"heroku-api-key", "hk-12345"},
                           {"fail-idle", "true"}},
                          env, dir.path().string(), dir);
    INFO(run.log);
    CHECK(run.code == 0);
    CHECK(run.outputs["result"] == "pass");
    CHECK(test::read_file((dir.path() / "bin" / "key").string()) == "hk-12345");
    CHECK(test::read_file((dir.path() / "bin" / "args").string()) ==
          "--fail-idle=true\n--apps\nraxx-api-prod\n--apps\nraxx-web-prod\n--format\ngithub\n");
  }
}

TEST_CASE("pre-commit hooks: each is complete, its script exists, and it fires on workflow changes only", "[actions]") {
  const auto path = k_source + "/.pre-commit-hooks.yaml";
  const auto text = read_text_file(path);
  REQUIRE(text.ok());
  const auto doc = yaml::parse(*text, path);
  REQUIRE(doc.ok());
  REQUIRE(doc->root().is_sequence());
  std::set<std::string> ids;
  for (const auto id : doc->root().items) {
    const auto& hook = doc->at(id);
    for (const auto* key : {"id", "name", "entry", "language", "files", "pass_filenames"}) {
      INFO("key " << key);
      REQUIRE(doc->get(hook, key) != nullptr);
    }
    ids.insert(doc->get(hook, "id")->value);
    CHECK(doc->get(hook, "pass_filenames")->value == "false");  // the rules need every workflow
    if (doc->get(hook, "language")->value == "script") {
      const auto script = k_source + "/" + doc->get(hook, "entry")->value;
      CHECK(::access(script.c_str(), X_OK) == 0);
    }
    const std::regex files(doc->get(hook, "files")->value);
    for (const auto* changed : {".github/workflows/deploy.yml", ".github/workflows/ci.yaml",
                                ".github/actions/setup/action.yml", ".github/shipgate.yml"}) {
      INFO("file " << changed);
      CHECK(std::regex_search(changed, files));
    }
    for (const auto* other : {"src/main.cpp", "deploy.yml", ".github/workflows/sub/x.yml", ".github/CODEOWNERS"}) {
      INFO("file " << other);
      CHECK_FALSE(std::regex_search(other, files));
    }
  }
  CHECK(ids == std::set<std::string>{"shipgate-lint", "shipgate-lint-system"});
}
