// shipgate-slug: .slugignore as Heroku applies it, the archive measured against GNU tar and
// gzip on the same files, git's view of the app, the explanations on real trees (FIFOs, files
// only root can read and nested .git directories, which no fixture repository can hold), the
// baseline, hostile names, and the remote mode against a Platform API fake on 127.0.0.1.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "api_server.hpp"
#include "core/text.hpp"
#include "helpers.hpp"
#include "slug/explain.hpp"
#include "slug/slug.hpp"
#include "slug/slugignore.hpp"

using namespace shipgate;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* k_token = "HRKU-slug-s3cr3t-key";

test::Captured run(std::vector<std::string> args, Environment env = {}, std::string cwd = {}) {
  if (env.find("PATH") == env.end()) {
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
  }
  return test::capture([](const Invocation& inv) { return run_gate(*slug::make_gate(), inv); }, std::move(args),
                       std::move(env), std::move(cwd));
}

json report(const test::Captured& r) {
  INFO(r.out << r.err);
  return json::parse(r.out);
}

json size_details(const json& doc) {
  for (const auto& c : doc["checks"]) {
    if (c["name"] == "slug size") {
      return c.value("details", json::object());
    }
  }
  FAIL("no slug size check");
  return {};
}

/// The findings of `rule` in a JSON report; REQUIREs at least one, so a test that claims a rule
/// fires fails when it does not.
std::vector<json> fires(const std::string& rule, const json& doc) {
  std::vector<json> out;
  for (const auto& f : doc["findings"]) {
    if (f["rule"] == rule) {
      out.push_back(f);
    }
  }
  INFO("rule " << rule << " in " << doc.dump(1));
  REQUIRE(!out.empty());
  return out;
}

void write_random(const fs::path& path, std::size_t bytes, unsigned seed) {
  fs::create_directories(path.parent_path());
  std::mt19937 gen(seed);
  std::string data(bytes, '\0');
  for (auto& c : data) {
    c = static_cast<char>(gen() & 0xff);
  }
  std::ofstream(path, std::ios::binary) << data;
}

void write_text(const fs::path& path, std::size_t bytes, unsigned seed) {
  fs::create_directories(path.parent_path());
  std::mt19937 gen(seed);
  static const std::string words[] = {"deploy ", "slug ", "heroku ", "freeze ", "model ", "torch ", "\n", "release "};
  std::string data;
  while (data.size() < bytes) {
    data += words[gen() % 8];
  }
  data.resize(bytes);
  std::ofstream(path, std::ios::binary) << data;
}

int sh(const std::string& command) { return std::system(command.c_str()); }

std::string q(const fs::path& p) { return test::shell_quote(p.string()); }

/// The byte count of a shell pipeline's output.
std::uint64_t count_bytes(const std::string& pipeline, const test::TempDir& dir) {
  const auto r = test::run_shell(pipeline + " | wc -c", dir);
  REQUIRE(r.code == 0);
  return std::stoull(r.out);
}

}  // namespace

TEST_CASE("slug: .slugignore reads as Heroku reads it", "[slug]") {
  const auto ignore = slug::SlugIgnore::parse(
      "# comment\n"
      "*.psd\n"
      "/docs/\n"
      "tmp/\n"
      "spec\n"
      "assets/raw/*.tiff\n"
      "**/fixtures/**\n"
      "data/**\n"
      "file?.txt\n"
      "[abc]x.bin\n"
      "[!0-9]y.bin\n"
      "\\#hash.txt\n"
      "trailing.txt   \r\n"
      "!keep.psd\n"
      "[z-a]\n");
  struct Case {
    const char* path;
    bool dir;
    bool ignored;
  };
  const Case cases[] = {
      {"art.psd", false, true},
      {"deep/er/art.psd", false, true},
      {"keep.psd", false, true},
      {"art.psd.txt", false, false},
      {"docs", true, true},
      {"docs", false, false},
      {"sub/docs", true, false},
      {"tmp", true, true},
      {"sub/tmp", true, true},
      {"tmp", false, false},
      {"spec", true, true},
      {"a/spec", false, true},
      {"assets/raw/x.tiff", false, true},
      {"assets/raw/d/x.tiff", false, false},
      {"x/assets/raw/x.tiff", false, false},
      {"fixtures/a", false, true},
      {"a/b/fixtures/c/d", false, true},
      {"data/x/y", false, true},
      {"data", true, false},
      {"file1.txt", false, true},
      {"file12.txt", false, false},
      {"ax.bin", false, true},
      {"dx.bin", false, false},
      {"ay.bin", false, true},
      {"1y.bin", false, false},
      {"#hash.txt", false, true},
      {"trailing.txt", false, true},
      {"app.py", false, false},
      {"a\nb.psd", false, true},
      {"\xff\xfe.psd", false, true},
  };
  for (const auto& c : cases) {
    INFO(c.path << (c.dir ? " (directory)" : ""));
    CHECK(ignore.ignored(c.path, c.dir) == c.ignored);
  }
  REQUIRE(ignore.notes().size() == 2);
  CHECK(ignore.notes()[0].line == 14);
  CHECK_THAT(ignore.notes()[0].message, Catch::Contains("no '!'"));
  CHECK(ignore.notes()[1].line == 15);
}

TEST_CASE("slug: a .slugignore past the pattern cap is refused with its line; matching stays linear", "[slug][caps]") {
  std::string text;
  for (std::size_t i = 0; i <= slug::SlugIgnore::k_max_patterns; ++i) {
    text += "p" + std::to_string(i) + "/**/*.x*y*z\n";
  }
  const auto ignore = slug::SlugIgnore::parse(text);
  CHECK(ignore.too_many_at() == static_cast<int>(slug::SlugIgnore::k_max_patterns) + 1);
  // Patterns built to make a backtracking matcher explode, on a long path: RE2 answers at once.
  const auto hostile = slug::SlugIgnore::parse(std::string(200, '*') + "a" + std::string(200, '*') + "b\n" +
                                               std::string(60, '?') + "**/**/**/**/**/c\n");
  const std::string path(100'000, 'a');
  CHECK_FALSE(hostile.ignored(path, false));
  CHECK(hostile.ignored(path + "b", false));

  test::TempDir dir;
  dir.write(".slugignore", text);
  dir.write("app.py", "print(1)\n");
  const auto r = run({"--all-files", dir.path().string()});
  CHECK(r.code == 2);
  CHECK_THAT(r.out + r.err, Catch::Contains(".slugignore:10001:1") && Catch::Contains("more than 10000 patterns"));
}

TEST_CASE("slug: the archive is GNU tar's byte for byte, and its gzip size within 1% of tar czf's", "[slug]") {
  test::TempDir dir;
  const auto app = dir.path() / "app";
  write_text(app / "src" / "service.py", 300'000, 1);
  write_text(app / "README.md", 5'000, 2);
  write_random(app / "vendor" / "torch-2.4.1-cp312.whl", 2'000'000, 3);  // already compressed
  std::ofstream(app / "zeros.bin", std::ios::binary) << std::string(1'500'000, '\0');
  write_text(app / std::string(120, 'n') / (std::string(150, 'l') + ".txt"), 700, 4);  // GNU long names
  write_text(app / "with space" / "new\nline.txt", 100, 5);
  write_text(app / "bad\xff\xfe" / "x.txt", 100, 6);
  fs::create_directories(app / "empty");
  std::ofstream(app / "empty-file").flush();
  fs::create_hard_link(app / "README.md", app / "README.hardlink");
  fs::create_symlink("src/service.py", app / "main.py");
  fs::create_symlink(std::string(130, 't'), app / "long-link");

  const auto r = run({"--all-files", app.string(), "--format", "json"});
  REQUIRE(r.code == 0);
  const auto d = size_details(report(r));
  // The same entries, named as a slug names them (./app/...), in a real GNU tar.
  const auto tar_bytes = count_bytes("tar -C " + q(app) + " --transform 's,^\\.,./app,S' -cf - .", dir);
  CHECK(d["tar_bytes"].get<std::uint64_t>() == tar_bytes);
  const auto gz = count_bytes("tar -C " + q(app) + " --transform 's,^\\.,./app,S' -cf - . | gzip -6", dir);
  const auto ours = d["compressed_bytes"].get<double>();
  INFO("shipgate " << ours << " bytes, tar | gzip " << gz << " bytes");
  CHECK(std::abs(ours - static_cast<double>(gz)) / static_cast<double>(gz) < 0.01);
  CHECK(d["links"] == 3);  // two symlinks and the second name of the hard link
  CHECK(d["lower_bound"] == false);
  // One worker or many: the same bytes.
  const auto one = run({"--all-files", app.string(), "--format", "json", "--jobs", "1"});
  CHECK(size_details(report(one))["compressed_bytes"] == d["compressed_bytes"]);
}

TEST_CASE("slug: what git tracks, minus .slugignore; a subdirectory app; no git, no guess", "[slug]") {
  test::TempDir dir;
  const auto repo = dir.path() / "repo";
  const auto app = repo / "services" / "api";
  write_text(app / "app.py", 2'000, 1);
  write_text(app / "tests" / "test_app.py", 2'000, 2);
  write_text(app / "untracked.log", 50'000, 3);
  write_text(app / "ignored" / "cache.bin", 50'000, 4);
  write_text(app / "gone.txt", 10, 5);
  write_text(repo / "other" / "elsewhere.py", 9'000, 6);
  test::TempDir scratch;
  dir.write("repo/.gitignore", "ignored/\n");
  dir.write("repo/services/api/.slugignore", "/tests/\n");
  REQUIRE(sh("cd " + q(repo) +
             " && git init -q && git add .gitignore services/api/app.py services/api/tests services/api/.slugignore "
             "services/api/gone.txt other && git -c user.name=t -c user.email=t@t commit -qm init && rm "
             "services/api/gone.txt") == 0);
  const auto r = run({app.string(), "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = report(r);
  const auto d = size_details(doc);
  CHECK(d["source"] == "git");
  CHECK(d["files"] == 2);  // app.py and .slugignore: not the tests, the log, the cache or the other app
  CHECK(d["ignored_files"] == 1);
  const auto missing = fires("unreadable-file", doc);
  CHECK_THAT(missing.front()["message"].get<std::string>(), Catch::Contains("not in the work tree"));

  // Outside a checkout git fails, and the gate says how to measure a plain directory.
  const auto plain = run({(dir.path() / "plain").string()});
  fs::create_directories(dir.path() / "plain");
  const auto again = run({(dir.path() / "plain").string()}, {{"GIT_CEILING_DIRECTORIES", dir.path().string()}});
  CHECK(again.code == 2);
  CHECK_THAT(again.out + again.err, Catch::Contains("git ls-files failed") && Catch::Contains("--all-files"));
  (void)plain;
  // No git on PATH: exit 2, never a size of nothing.
  const auto nogit = run({app.string()}, {{"PATH", (dir.path() / "nowhere").string()}});
  CHECK(nogit.code == 2);
  CHECK_THAT(nogit.err, Catch::Contains("git is not on PATH"));
  // A GIT_DIR in the environment does not point the listing at another repository.
  const auto pointed = run({app.string(), "--format", "json"}, {{"GIT_DIR", (dir.path() / "nope").string()}});
  CHECK(pointed.code == 0);
}

TEST_CASE("slug: the ML service's tree explained: CUDA, weights, tests, nested .git, FIFO, unreadable", "[slug]") {
  test::TempDir dir;
  const auto app = dir.path() / "app";
  write_text(app / "app.py", 1'000, 1);
  dir.write("app/requirements.txt", "fastapi\ntorch==2.4.1\n");
  write_random(app / "tests" / "data" / "sample.bin", 1'200'000, 2);
  // A sparse 64 MB checkpoint: its size counts, its zeros compress to nothing.
  fs::create_directories(app / "models");
  std::ofstream(app / "models" / "model.safetensors").flush();
  fs::resize_file(app / "models" / "model.safetensors", 64'000'000);
  write_text(app / "vendor" / "lib" / ".git" / "objects" / "pack.bin", 20'000, 3);
  REQUIRE(::mkfifo((app / "run.fifo").c_str(), 0644) == 0);
  const auto site = dir.path() / "venv" / "site-packages";
  write_random(site / "nvidia" / "cublas" / "lib" / "libcublas.so.12", 400'000, 4);
  write_random(site / "triton" / "_C" / "libtriton.so", 100'000, 5);
  write_text(site / "torch" / "__init__.py", 1'000, 6);

  const auto r = run({"--all-files", app.string(), "--include",
                      site.string() + ":.heroku/python/lib/python3.12/site-packages", "--format", "json"});
  REQUIRE(r.code == 0);  // explanations never fail the gate: the budget does
  const auto doc = report(r);
  CHECK_THAT(fires("cuda-build", doc).front()["message"].get<std::string>(), Catch::Contains("torch==VERSION+cpu"));
  const auto cuda = fires("cuda-installed", doc);
  CHECK(cuda.size() == 2);  // nvidia and triton
  CHECK(std::any_of(cuda.begin(), cuda.end(), [&](const json& f) { return f["file"] == site.string() + "/nvidia"; }));
  const auto weights = fires("model-weights", doc);
  CHECK(weights.front()["file"] == (app / "models" / "model.safetensors").string());
  CHECK_THAT(weights.front()["message"].get<std::string>(), Catch::Contains("61.0 MiB"));
  CHECK_THAT(fires("test-data", doc).front()["message"].get<std::string>(),
             Catch::Contains("add /tests/ to .slugignore"));
  CHECK_THAT(fires("nested-git", doc).front()["file"].get<std::string>(), Catch::EndsWith("vendor/lib/.git"));
  CHECK_THAT(fires("special-file", doc).front()["message"].get<std::string>(), Catch::Contains("a FIFO"));
  const auto d = size_details(doc);
  CHECK(d["uncompressed_bytes"].get<std::uint64_t>() > 65'000'000);
  // The largest directories count from each tree's root: the site-packages by its place in the slug.
  bool nvidia_listed = false;
  for (const auto& e : d["largest_directories"]) {
    nvidia_listed = nvidia_listed || e["path"] == ".heroku/python/lib/python3.12/site-packages/nvidia";
  }
  CHECK(nvidia_listed);

  // A file only root can read, measured as someone else: the total is a lower bound, said so.
  write_random(app / "secret.bin", 10'000, 7);
  ::chmod((app / "secret.bin").c_str(), 0);
  if (::geteuid() == 0) {
    fs::permissions(dir.path(), fs::perms::all);
    const auto bin = fs::path(SHIPGATE_BINARY_DIR) / "shipgate-slug";
    const auto as_nobody = test::run_shell(
        "setpriv --reuid=65534 --regid=65534 --clear-groups " + q(bin) + " --all-files --format json " + q(app), dir);
    INFO(as_nobody.err);
    REQUIRE(as_nobody.code == 0);
    const auto nobody = json::parse(as_nobody.out);
    CHECK_THAT(fires("unreadable-file", nobody).front()["message"].get<std::string>(), Catch::Contains("lower bound"));
    CHECK(size_details(nobody)["lower_bound"] == true);
    CHECK_THAT(nobody["checks"][0]["message"].get<std::string>(), Catch::StartsWith("at least"));
  } else {
    const auto self = report(run({"--all-files", app.string(), "--format", "json"}));
    CHECK(fires("unreadable-file", self).size() == 1);
  }
}

TEST_CASE("slug: an unreadable file that could tip the budget is 'could not tell', never a pass", "[slug]") {
  if (::geteuid() != 0) {
    SUCCEED("needs root to run the gate as another user");
    return;
  }
  test::TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);
  const auto app = dir.path() / "app";
  write_random(app / "a.bin", 5'000, 1);
  write_random(app / "locked.bin", 50'000, 2);
  ::chmod((app / "locked.bin").c_str(), 0);
  const auto bin = fs::path(SHIPGATE_BINARY_DIR) / "shipgate-slug";
  const auto r = test::run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups " + q(bin) + " --all-files " +
                                     q(app) + " --soft 1KB --hard 20KB",
                                 dir);
  CHECK(r.code == 3);
  CHECK_THAT(r.out, Catch::Contains("could not tell") && Catch::Contains("may be up to"));
}

TEST_CASE("slug: hostile file names forge no workflow command and no Markdown", "[slug][hostile]") {
  test::TempDir dir;
  const auto app = dir.path() / "app";
  write_random(app / "x\n::error file=a.py::forged\n" / "weights.pt", 11'000'000, 1);
  write_random(app / "| col | <script>x</script> **bold**.bin", 300'000, 2);
  fs::create_symlink("/etc/passwd", app / "%0A::warning::also-forged");
  test::TempDir gh;
  const auto out_file = gh.write("output", "");
  const auto summary_file = gh.write("summary", "");
  const auto r = run({"--all-files", app.string(), "--format", "github"},
                     {{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", out_file}, {"GITHUB_STEP_SUMMARY", summary_file}});
  REQUIRE(r.code == 0);
  for (const auto& written : {r.out, r.err}) {
    for (const auto line : text::split_lines(written)) {
      CHECK(line.rfind("::error file=a.py::forged", 0) == std::string::npos);
      CHECK(line.rfind("::warning::also-forged", 0) == std::string::npos);
    }
  }
  const auto summary = test::read_file(summary_file);
  CHECK_THAT(summary, !Catch::Contains("<script>") && Catch::Contains("&lt;script&gt;"));
  CHECK_THAT(summary, Catch::Contains("\\| col \\|"));
  const auto text_run = run({"--all-files", app.string()});
  for (const auto line : text::split_lines(text_run.out)) {
    CHECK(line.rfind("::", 0) == std::string::npos);
  }
}

TEST_CASE("slug: a baseline gives the change overall and per directory", "[slug]") {
  test::TempDir dir;
  const auto app = dir.path() / "app";
  write_text(app / "app.py", 20'000, 1);
  write_random(app / "static" / "logo.png", 50'000, 2);
  const auto before = run({"--all-files", app.string(), "--format", "json"});
  REQUIRE(before.code == 0);
  const auto baseline = dir.write("baseline.json", before.out);
  write_random(app / "site" / "nvidia" / "libcudnn.so", 3'000'000, 3);
  fs::remove_all(app / "static");
  const auto r = run({"--all-files", app.string(), "--format", "json", "--baseline", baseline});
  REQUIRE(r.code == 0);
  const auto doc = report(r);
  const auto b = size_details(doc)["baseline"];
  CHECK(b["compressed_bytes_change"].get<std::int64_t>() > 2'900'000);
  const auto first = b["directories"][0];
  CHECK(first["path"] == "site");
  CHECK(first["uncompressed_bytes_change"] == 3'000'000);
  bool static_gone = false;
  for (const auto& e : b["directories"]) {
    static_gone = static_gone || (e["path"] == "static" && e["uncompressed_bytes_change"] == -50'000);
  }
  CHECK(static_gone);
  CHECK_THAT(doc["checks"][0]["message"].get<std::string>(),
             Catch::Contains("against the baseline, site/nvidia +2.9 MiB"));
  const auto text_run = run({"--all-files", app.string(), "--baseline", baseline});
  CHECK_THAT(text_run.out, Catch::Contains("Changed since the baseline:"));
  // Not a report of this gate: exit 2, saying so.
  const auto wrong = run({"--all-files", app.string(), "--baseline", dir.write("other.json", "{\"checks\": []}")});
  CHECK(wrong.code == 2);
  CHECK_THAT(wrong.out + wrong.err, Catch::Contains("no 'slug size' check"));
}

TEST_CASE("slug: bad flags and inputs are exit 2 with what is wrong", "[slug]") {
  test::TempDir dir;
  dir.write("app/app.py", "print(1)\n");
  const auto app = (dir.path() / "app").string();
  const struct {
    std::vector<std::string> args;
    const char* says;
  } cases[] = {
      {{"--all-files", app, "--soft", "600MB", "--hard", "500MB"}, "is above the hard limit"},
      {{"--all-files", app, "--include", app + ":../outside"}, "no '..'"},
      {{"--all-files", app, "--include", "/"}, "write DIR:PREFIX"},
      {{"--all-files", (dir.path() / "missing").string()}, "not a directory"},
      {{"--all-files", app, "--include", (dir.path() / "missing").string() + ":x"}, "--include: not a directory"},
      {{"--all-files", app, "--top", "1000"}, "--top"},
      {{"--all-files", app, "--hard", "lots"}, "--hard"},
      {{"--app", "my-app", app}, "leave out DIR"},
      {{"--app", "Not An App"}, "is not a Heroku app name"},
  };
  for (const auto& c : cases) {
    INFO(text::join(c.args, " "));
    const auto r = run(c.args, {{"HEROKU_API_KEY", k_token}});
    CHECK(r.code == 2);
    CHECK_THAT(r.out + r.err, Catch::Contains(c.says));
  }
  const auto nokey = run({"--app", "my-app"});
  CHECK(nokey.code == 2);
  CHECK_THAT(nokey.err, Catch::Contains("HEROKU_API_KEY: not set"));
}

namespace {

/// The Platform API as far as --app reads it: the app, its releases (newest first, as asked
/// with Range), and its slugs.
struct FakeHeroku {
  json app = {{"name", "raxx-ml"}, {"generation", {{"name", "cedar"}}}, {"slug_size", 367'001'600}};
  json releases = json::array();
  std::map<std::string, json> slugs;
  std::vector<std::string> seen;  // method path range
  test::ApiServer server{[this](const test::ApiServer::Request& req) { return handle(req); }};

  test::ApiServer::Reply handle(const test::ApiServer::Request& req) {
    seen.push_back(req.method + " " + req.path + " " + req.header("range"));
    if (req.header("authorization") != std::string("Bearer ") + k_token ||
        req.header("accept") != "application/vnd.heroku+json; version=3") {
      return {401, {}, R"({"id": "unauthorized", "message": "Invalid credentials provided."})"};
    }
    if (req.path == "/apps/raxx-ml") {
      return {200, {}, app.dump()};
    }
    if (req.path == "/apps/raxx-ml/releases") {
      return {206, {}, releases.dump()};
    }
    const std::string prefix = "/apps/raxx-ml/slugs/";
    if (req.path.rfind(prefix, 0) == 0 && slugs.count(req.path.substr(prefix.size())) != 0) {
      return {200, {}, slugs[req.path.substr(prefix.size())].dump()};
    }
    return {404, {}, R"({"id": "not_found", "message": "Couldn't find that app."})"};
  }
};

json release(long version, const char* slug, bool current) {
  return {{"version", version},
          {"status", "succeeded"},
          {"current", current},
          {"description", "Deploy"},
          {"created_at", "2026-12-01T10:00:00Z"},
          {"slug", slug != nullptr ? json{{"id", slug}} : json(nullptr)},
          {"artifacts", slug != nullptr ? json::array({{{"type", "slug"}, {"id", slug}}}) : json::array()}};
}

}  // namespace

TEST_CASE("slug: --app reads the current release's slug and the change since the last other slug", "[slug]") {
  FakeHeroku heroku;
  heroku.releases = json::array({release(14, nullptr, true), release(13, "slug-b", false), release(12, "slug-b", false),
                                 release(11, "slug-a", false)});
  // v14 only set config vars: the release running now has no slug of its own.
  heroku.releases[0] = release(14, "slug-b", true);
  heroku.slugs["slug-b"] = {{"id", "slug-b"}, {"size", 367'001'600}, {"commit", "abc1234"}};
  heroku.slugs["slug-a"] = {{"id", "slug-a"}, {"size", 209'715'200}, {"commit", "0001111"}};
  test::TempDir gh;
  const auto out_file = gh.write("output", "");
  const Environment env = {{"HEROKU_API_KEY", k_token},
                           {"HEROKU_API_URL", heroku.server.base()},
                           {"GITHUB_ACTIONS", "true"},
                           {"GITHUB_OUTPUT", out_file},
                           {"GITHUB_STEP_SUMMARY", gh.write("summary", "")}};
  const auto r = run({"--app", "raxx-ml", "--format", "json"}, env);
  INFO(r.out << r.err);
  CHECK(r.code == 0);  // over the soft limit warns
  const auto doc = report(r);
  const auto& check = doc["checks"][0];
  CHECK(check["verdict"] == "warn");
  CHECK_THAT(check["message"].get<std::string>(),
             Catch::Contains("v14 runs a 350.0 MiB slug") && Catch::Contains("+150.0 MiB since v11"));
  CHECK(check["details"]["previous"]["release"] == 11);
  CHECK_THAT(test::read_file(out_file), Catch::Contains("compressed-bytes=367001600") &&
                                            Catch::Contains("over-soft=true") && Catch::Contains("over-hard=false"));
  CHECK(!test::leaks(r, k_token));
  bool asked_latest_first = false;
  for (const auto& s : heroku.seen) {
    asked_latest_first = asked_latest_first || s.find("/releases version ..; order=desc") != std::string::npos;
  }
  CHECK(asked_latest_first);

  // Over the hard limit: exit 1.
  heroku.slugs["slug-b"]["size"] = 600'000'000;
  CHECK(run({"--app", "raxx-ml"}, env).code == 1);
}

TEST_CASE("slug: --app on an image-based app, or one never deployed, is not applicable, never a pass", "[slug]") {
  FakeHeroku heroku;
  const Environment env = {{"HEROKU_API_KEY", k_token}, {"HEROKU_API_URL", heroku.server.base()}};
  heroku.app["generation"]["name"] = "fir";
  heroku.releases = json::array({{{"version", 3},
                                  {"status", "succeeded"},
                                  {"current", true},
                                  {"slug", nullptr},
                                  {"artifacts", json::array({{{"type", "oci-image"}, {"id", "img"}}})}}});
  const auto fir = run({"--app", "raxx-ml", "--format", "json"}, env);
  CHECK(fir.code == 3);
  const auto doc = report(fir);
  CHECK(doc["summary"]["result"] == "error");
  CHECK_THAT(doc["checks"][0]["message"].get<std::string>(), Catch::Contains("not applicable"));
  CHECK(doc["summary"]["skipped"].size() == 1);

  heroku.app["generation"]["name"] = "cedar";
  heroku.releases = json::array();
  const auto never = run({"--app", "raxx-ml"}, env);
  CHECK(never.code == 3);
  CHECK_THAT(never.out, Catch::Contains("no release with a slug"));

  // A wrong token: exit 3 with Heroku's words, the token never shown.
  const auto bad = run({"--app", "raxx-ml"}, {{"HEROKU_API_KEY", "wrong"}, {"HEROKU_API_URL", heroku.server.base()}});
  CHECK(bad.code == 3);
  CHECK_THAT(bad.out, Catch::Contains("Invalid credentials"));
  // Nobody listening: exit 3 within the deadline.
  const auto dead = run({"--app", "raxx-ml", "--timeout", "2s", "--deadline", "5s"},
                        {{"HEROKU_API_KEY", k_token}, {"HEROKU_API_URL", "http://127.0.0.1:9"}});
  CHECK(dead.code == 3);
}

TEST_CASE("slug: the config's slug section, its include relative to the repository root", "[slug]") {
  test::TempDir dir;
  const auto& repo = dir.path();
  dir.write(".github/shipgate.yml",
            "slug:\n  dir: services/api\n  all-files: true\n  soft: 1KB\n  hard: 10MB\n"
            "  include:\n    - build/site-packages:.heroku/python/lib/python3.12/site-packages\n");
  write_random(repo / "services" / "api" / "app.bin", 20'000, 1);
  write_random(repo / "build" / "site-packages" / "numpy" / "core.so", 30'000, 2);
  fs::create_directories(repo / "services" / "api" / "deep");
  // Run from below the root: the config is found upwards, and its paths are the root's.
  const auto r = run({"--format", "json"}, {}, (repo / "services" / "api" / "deep").string());
  REQUIRE(r.code == 0);
  const auto doc = report(r);
  const auto d = size_details(doc);
  CHECK(d["files"] == 2);
  CHECK(d["over_soft"] == true);
  bool placed = false;
  for (const auto& e : d["largest_directories"]) {
    placed = placed || e["path"] == ".heroku/python/lib/python3.12/site-packages/numpy";
  }
  CHECK(placed);
  // A config key of the wrong kind is exit 2 at its line.
  dir.write(".github/shipgate.yml", "slug:\n  top: many\n");
  const auto bad = run({"--all-files", "."}, {}, repo.string());
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("shipgate.yml:2"));
}

TEST_CASE("slug: dependency files with non-ASCII text are read, without undefined behaviour", "[slug][hostile]") {
  const auto rules = slug::builtin_rules();
  REQUIRE(rules);
  const auto checks = slug::read_pyproject(*rules,
                                           "[project]\nname = \"café\"\ndescription = \"Ünïcödé ʦ　\"\n"
                                           "dependencies = [\"torch\"]  # é\n",
                                           "pyproject.toml");
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].name == "cuda-build");
  CHECK(checks[0].where.line == 4);
  // A bare key holding U+02A6, where toml++ 3.3's white-space test has no answer (found by fuzzing).
  CHECK(slug::read_pyproject(*rules, "nam\xca\xa6 = 1\n", "pyproject.toml").empty());
  CHECK(slug::read_uv_lock(*rules, "[[package]]\nname = \"torch\"\nvérsion = \"2.4.1\"\n", "uv.lock").size() == 1);
}

TEST_CASE("slug: ./app/ is an entry of its own, as in tar over the app's folder", "[slug]") {
  test::TempDir dir;
  const auto app = dir.path() / "stage" / "app";
  write_random(app / "one.bin", 8'193, 1);  // headers and content end just past a 10 KiB record
  const auto r = run({"--all-files", app.string(), "--format", "json"});
  REQUIRE(r.code == 0);
  CHECK(size_details(report(r))["tar_bytes"].get<std::uint64_t>() ==
        count_bytes("tar cf - -C " + q(dir.path() / "stage") + " ./app", dir));
}

TEST_CASE("slug: node_modules installed by the job, links past /app, --hard alone, an include twice", "[slug]") {
  test::TempDir dir;
  const auto app = dir.path() / "app";
  dir.write("app/package.json", R"({"devDependencies": {"typescript": "5", "@types/node": "20", "jest": "29"}})");
  write_random(dir.path() / "nm" / "typescript" / "lib" / "tsc.js", 300'000, 1);
  write_random(dir.path() / "nm" / "@types" / "node" / "index.d.ts", 40'000, 2);
  write_random(dir.path() / "nm" / "express" / "index.js", 20'000, 3);
  fs::create_symlink("/app/../etc/passwd", app / "passwd");
  const auto r = run({"--all-files", app.string(), "--include", (dir.path() / "nm").string() + ":node_modules",
                      "--format", "json", "--hard", "200KiB"});
  CHECK(r.code == 1);  // over a hard limit given alone: the soft one followed it down
  const auto doc = report(r);
  const auto dev = fires("node-dev-dependencies", doc);
  CHECK_THAT(dev.front()["message"].get<std::string>(), Catch::Contains("(typescript and 1 more)"));
  CHECK(fires("link-outside-slug", doc).size() == 1);
  const auto twice = run({"--all-files", app.string(), "--include", (dir.path() / "nm").string() + ":a", "--include",
                          (dir.path() / "nm").string() + ":b"});
  CHECK(twice.code == 2);
  CHECK_THAT(twice.err, Catch::Contains("would count twice"));
}
