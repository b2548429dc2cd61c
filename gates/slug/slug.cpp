#include "slug/slug.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

#include "core/json.hpp"
#include "core/net/curl.hpp"
#include "core/net/pool.hpp"
#include "core/paths.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "heroku/api.hpp"
#include "heroku/request.hpp"
#include "slug/explain.hpp"
#include "slug/measure.hpp"
#include "slug/slugignore.hpp"

namespace shipgate::slug {

namespace {

using std::chrono::milliseconds;

std::string mib(std::uint64_t bytes) { return size_text(bytes); }

/// A path from the tree as every output shows it: bytes that are not UTF-8 as `\xHH`, so the text,
/// the JSON (which would replace them) and a later baseline all name it the same way.
std::string display(std::string_view path) {
  std::string out;
  while (const auto bad = text::find_invalid_utf8(path)) {
    out.append(path.substr(0, *bad));
    static constexpr char k_hex[] = "0123456789abcdef";
    const auto c = static_cast<unsigned char>(path[*bad]);
    out += "\\x";
    out += k_hex[c >> 4];
    out += k_hex[c & 15];
    path.remove_prefix(*bad + 1);
  }
  out.append(path);
  return out;
}

/// A change in bytes: "+212.0 MiB", "-3.1 MiB", "+0.0 MiB".
std::string change(std::int64_t delta) {
  const auto abs = static_cast<std::uint64_t>(delta < 0 ? -delta : delta);
  return (delta < 0 ? "-" : "+") + mib(abs);
}

std::optional<std::string> check_include(std::string_view text) {
  const auto colon = text.find(':');
  const auto dir = text.substr(0, colon);
  if (dir.empty()) {
    return "expected DIR or DIR:PREFIX, e.g. "
           ".venv/lib/python3.12/site-packages:.heroku/python/lib/python3.12/site-packages";
  }
  if (colon != std::string_view::npos) {
    const auto prefix = text.substr(colon + 1);
    for (const auto part : text::split(prefix, '/')) {
      if (part == "..") {
        return "the prefix is a place inside the slug: no '..'";
      }
    }
  }
  return std::nullopt;
}

const std::vector<options::Option>& declared() {
  using options::Type;
  static const std::vector<options::Option> k_options = {
      {.name = "dir",
       .type = Type::path,
       .help = "The app's directory: what git tracks there, minus .slugignore",
       .default_value = ".",
       .placeholder = "DIR",
       .positional = true},
      {.name = "all-files",
       .type = Type::boolean,
       .help = "Measure every file under DIR, not only what git tracks (a build output, a plain directory)",
       .default_value = "false"},
      {.name = "include",
       .help = "Installed dependencies built earlier in the job, placed at PREFIX in the slug (default: the "
               "directory's name); repeatable",
       .placeholder = "DIR[:PREFIX]",
       .repeatable = true,
       .validate = check_include},
      {.name = "soft",
       .type = Type::size,
       .help = "Warn above this compressed size (Heroku's soft limit: boot gets slower)",
       .default_value = "300MiB"},
      {.name = "hard",
       .type = Type::size,
       .help = "Fail above this compressed size (Heroku refuses the slug; 1GiB on apps with the larger limit)",
       .default_value = "500MiB"},
      {.name = "top",
       .type = Type::integer,
       .help = "How many of the largest directories and files to show",
       .default_value = "10",
       .min = 0,
       .max = 100},
      {.name = "baseline",
       .type = Type::path,
       .help = "A JSON report of an earlier run (--format json): show the change against it",
       .placeholder = "FILE"},
      {.name = "jobs",
       .type = Type::integer,
       .help = "Compressing threads; 0 is one per core",
       .default_value = "0",
       .min = 0,
       .max = 256},
      {.name = "app",
       .help = "Check this Heroku app's current slug through the Platform API instead of a directory",
       .placeholder = "APP",
       .flag_only = false},
      options::request_timeout("30s"),
      options::run_deadline("2m"),
      {.name = "heroku-api-key",
       .type = Type::secret,
       .help = "Heroku API key (with --app)",
       .env = {"HEROKU_API_KEY"}},
  };
  return k_options;
}

struct Include {
  std::string dir;
  std::string prefix;
  std::string shown;  // as given
};

struct Settings {
  std::string git;  // the git executable, found on PATH (without --all-files)
  std::vector<std::string> git_env;
  std::string dir;
  std::string dir_shown;
  bool all_files = false;
  std::vector<Include> includes;
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
  std::size_t top = 10;
  std::string baseline;
  unsigned jobs = 0;
  std::string app;
  milliseconds timeout{30'000};
  milliseconds deadline{120'000};
  std::string base{heroku::k_default_base};
  std::string token;
  Secrets secrets;
};

/// The prefix of `--include DIR`: its last path component.
std::string default_prefix(const std::string& dir) {
  auto d = dir;
  while (d.size() > 1 && d.back() == '/') {
    d.pop_back();
  }
  const auto name = std::filesystem::path(d).filename().string();
  return name == "." || name == ".." || name.empty() ? std::string() : name;
}

std::string clean_prefix(std::string_view prefix) {
  std::string out;
  for (const auto part : text::split(prefix, '/')) {
    if (part.empty() || part == ".") {
      continue;
    }
    out += (out.empty() ? "" : "/") + std::string(part);
  }
  return out;
}

/// The verdict on a compressed size against the budgets.
struct Budget {
  Verdict verdict = Verdict::pass;
  bool over_soft = false;
  bool over_hard = false;
  std::string message;
};

Budget judge(std::uint64_t compressed, std::optional<std::uint64_t> upper, const Settings& s) {
  Budget b;
  b.over_hard = compressed > s.hard;
  b.over_soft = compressed > s.soft;
  const auto limits = " (soft " + mib(s.soft) + ", hard " + mib(s.hard) + ")";
  if (b.over_hard) {
    b.verdict = Verdict::fail;
    b.message = "over the hard limit: Heroku refuses a slug over " + mib(s.hard) + limits;
  } else if (upper && *upper > s.hard) {
    b.verdict = Verdict::error;
    b.message =
        "could not tell: with what could not be read it may be up to " + mib(*upper) + ", over the hard limit" + limits;
  } else if (b.over_soft) {
    b.verdict = Verdict::warn;
    b.message = "over the soft limit: boot gets slower above " + mib(s.soft) + limits;
  } else {
    b.message = "within budget" + limits;
  }
  return b;
}

/// The `slug size` check's details from a JSON report (a file given as --baseline).
Result<nlohmann::json> read_baseline(const std::string& path, const Invocation& inv) {
  auto text = read_text_file_in(inv.cwd, path);
  if (!text) {
    return text.error();
  }
  auto doc = json::parse(*text);
  if (!doc || !doc->is_object()) {
    return Error{"not a JSON report (shipgate-slug --format json)", {path, 0, 0}, {}};
  }
  const auto checks = doc->find("checks");
  if (checks != doc->end() && checks->is_array()) {
    for (const auto& c : *checks) {
      if (c.is_object() && c.value("name", "") == "slug size" && c.contains("details") && c["details"].is_object() &&
          c["details"].contains("compressed_bytes") && c["details"]["compressed_bytes"].is_number_unsigned()) {
        return c["details"];
      }
    }
  }
  return Error{
      "the report has no 'slug size' check with compressed_bytes: is it shipgate-slug's JSON?", {path, 0, 0}, {}};
}

bool good(const net::Response& r) { return r.answered() && (r.status == 200 || r.status == 206); }

std::uint64_t number(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

class SlugGate final : public Gate {
public:
  GateInfo info() const override {
    return {"shipgate-slug", "slug",
            "Measure what a Heroku slug would weigh (a tar.gz of what git tracks, minus .slugignore, plus the\n"
            "dependencies given with --include) and check it against the soft and hard limits; or check an app's\n"
            "current slug with --app."};
  }
  std::vector<RuleInfo> rules() const override { return rule_infos(); }
  const std::vector<options::Option>& options() const override { return declared(); }
  std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets& secrets) override;
  std::vector<Error> prepare(const Invocation& inv) override;
  Outcome evaluate(const Invocation& inv, Log& log) override;
  std::vector<options::Output> outputs() const override {
    return {{"compressed-bytes", "The slug's compressed size in bytes (what Heroku's limits apply to)."},
            {"uncompressed-bytes", "The size of the files in the slug, in bytes."},
            {"over-soft", "true when the compressed size is over the soft limit, else false."},
            {"over-hard", "true when the compressed size is over the hard limit, else false."}};
  }

private:
  Outcome local(const Invocation& inv, Log& log);
  Outcome remote(const Invocation& inv, Log& log);
  void finish(Outcome& outcome, std::uint64_t compressed, std::uint64_t uncompressed, const Budget& b) const;

  Settings m_s;
  PackageRules m_rules;
  std::optional<nlohmann::json> m_baseline;
};

std::vector<Error> SlugGate::configure(const options::Values& values, const Invocation& inv, Secrets& secrets) {
  auto& s = m_s;
  s = {};
  std::vector<Error> errors;
  s.dir_shown = values.text("dir");
  s.dir = inv.resolve(s.dir_shown);
  s.all_files = values.boolean("all-files");
  for (const auto& text : values.list("include")) {
    const auto colon = text.find(':');
    // Written in the config, a directory is relative to the repository root, as a path key is.
    auto dir = text.substr(0, colon);
    if (values.origin("include") == options::Origin::config) {
      dir = paths::from_config(values.where("include").file, dir);
    }
    Include inc{inv.resolve(dir), "", dir};
    inc.prefix = clean_prefix(colon == std::string::npos ? default_prefix(text) : text.substr(colon + 1));
    if (inc.prefix.empty() && colon == std::string::npos) {
      errors.push_back(values.error("include", "'" + text::shorten(text::one_line(text), 60) +
                                                   "' has no name to place it under: write DIR:PREFIX"));
    }
    for (const auto& other : s.includes) {
      if (other.prefix == inc.prefix || paths::canonical(other.dir) == paths::canonical(inc.dir)) {
        errors.push_back(values.error("include", "'" + text::shorten(text::one_line(text), 60) +
                                                     "' repeats a directory or a place in the slug: its files "
                                                     "would count twice"));
        break;
      }
    }
    s.includes.push_back(std::move(inc));
  }
  if (!s.all_files && values.text("app").empty()) {
    // git from the PATH the gate was given; its environment without what would point it at
    // another repository or index.
    const auto path = inv.getenv("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
    for (const auto dir : text::split(path, ':')) {
      const auto candidate = (std::filesystem::path(dir.empty() ? "." : std::string(dir)) / "git").string();
      if (::access(candidate.c_str(), X_OK) == 0) {
        s.git = candidate;
        break;
      }
    }
    if (s.git.empty()) {
      errors.push_back(
          {"git is not on PATH: the slug holds what git tracks; install git, or measure the directory as "
           "it is with --all-files",
           {},
           {}});
    }
    for (const auto& [name, value] : inv.env) {
      if (name.rfind("GIT_", 0) != 0) {
        s.git_env.push_back(name + "=" + value);
      }
    }
    s.git_env.emplace_back("GIT_OPTIONAL_LOCKS=0");
  }
  s.soft = *values.size("soft");
  s.hard = *values.size("hard");
  if (s.soft > s.hard && !values.given("soft")) {
    s.soft = s.hard;  // only --hard given, below the default soft limit: no separate warning level
  }
  if (s.soft > s.hard) {
    errors.push_back(
        values.error("soft", "the soft limit (" + mib(s.soft) + ") is above the hard limit (" + mib(s.hard) + ")"));
  }
  s.top = static_cast<std::size_t>(values.integer("top"));
  s.baseline = values.text("baseline");
  s.jobs = static_cast<unsigned>(values.integer("jobs"));
  s.app = std::string(text::trim(values.text("app")));
  s.timeout = *values.duration("timeout");
  s.deadline = *values.duration("deadline");
  if (!s.app.empty()) {
    if (!heroku::valid_app_name(s.app)) {
      errors.push_back(
          values.error("app", "'" + text::shorten(text::one_line(s.app), 40) + "' is not a Heroku app name"));
    }
    if (values.given("include") || values.given("all-files") || values.given("dir")) {
      errors.push_back(
          values.error("app", "checks the app's slug on Heroku: leave out DIR, --include and --all-files"));
    }
    s.token = values.text("heroku-api-key");
    s.secrets.add(s.token);
    secrets.add_url(inv.getenv("HEROKU_API_URL").value_or(""));
    if (auto base = heroku::api_base(inv.getenv("HEROKU_API_URL"))) {
      s.base = std::move(*base);
    } else {
      errors.push_back({"HEROKU_API_URL: " + base.error().message, {}, {}});
    }
    if (s.token.empty()) {
      errors.push_back(
          {"HEROKU_API_KEY: not set: --app reads the slug through the Platform API, which needs a token", {}, {}});
    }
    if (!net::global_init()) {
      throw std::runtime_error("libcurl could not be initialised");
    }
  }
  return errors;
}

std::vector<Error> SlugGate::prepare(const Invocation& inv) {
  auto rules = builtin_rules();
  if (!rules) {
    return {rules.error()};
  }
  m_rules = std::move(*rules);
  m_baseline.reset();
  if (!m_s.baseline.empty()) {
    auto b = read_baseline(m_s.baseline, inv);
    if (!b) {
      return {b.error()};
    }
    m_baseline = std::move(*b);
  }
  if (m_s.app.empty()) {
    struct stat st {};
    if (::stat(m_s.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return {Error{"not a directory", {m_s.dir_shown, 0, 0}, {}}};
    }
    for (const auto& inc : m_s.includes) {
      if (::stat(inc.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return {Error{"--include: not a directory", {inc.dir, 0, 0}, {}}};
      }
    }
  }
  return {};
}

Outcome SlugGate::evaluate(const Invocation& inv, Log& log) {
  return m_s.app.empty() ? local(inv, log) : remote(inv, log);
}

void SlugGate::finish(Outcome& outcome, std::uint64_t compressed, std::uint64_t uncompressed, const Budget& b) const {
  outcome.outputs = {{"compressed-bytes", std::to_string(compressed)},
                     {"uncompressed-bytes", std::to_string(uncompressed)},
                     {"over-soft", b.over_soft ? "true" : "false"},
                     {"over-hard", b.over_hard ? "true" : "false"}};
  outcome.summary["compressed_bytes"] = compressed;
  outcome.summary["uncompressed_bytes"] = uncompressed;
}

Outcome SlugGate::local(const Invocation& /*inv*/, Log& log) {
  Outcome outcome;
  const auto& s = m_s;
  // .slugignore: Heroku applies it to the pushed tree, before the buildpack installs anything.
  SlugIgnore ignore;
  std::vector<Check> ignore_checks;
  const auto ignore_path = (std::filesystem::path(s.dir) / ".slugignore").string();
  const auto ignore_shown = paths::join(s.dir_shown == "." ? "" : s.dir_shown, ".slugignore");
  struct stat st {};
  if (::lstat(ignore_path.c_str(), &st) == 0) {
    auto text = read_text_file(ignore_path);
    if (!text) {
      auto e = text.error();
      e.where.file = ignore_shown;
      outcome.input_errors.push_back(e);
      return outcome;
    }
    ignore = SlugIgnore::parse(*text);
    if (ignore.too_many_at() != 0) {
      outcome.input_errors.push_back(
          {"more than " + std::to_string(SlugIgnore::k_max_patterns) + " patterns: a .slugignore this long is not read",
           {ignore_shown, ignore.too_many_at(), 1},
           {}});
      return outcome;
    }
    for (const auto& note : ignore.notes()) {  // reported after the size
      auto c = Check::finding("slugignore-pattern", Severity::warning, {ignore_shown, note.line, note.line ? 1 : 0},
                              note.message);
      c.verdict = Verdict::warn;
      ignore_checks.push_back(std::move(c));
    }
  }
  Watch watch;
  watch.marked_names = m_rules.test_names;
  watch.marked_names.push_back("node_modules");
  for (const auto& inst : m_rules.installed) {
    watch.marked_names.push_back(inst.dir);
  }
  watch.weight_extensions = m_rules.weight_extensions;
  watch.weight_min_bytes = m_rules.weight_min_bytes;
  watch.top_files = s.top;
  Measure measure(s.jobs, watch);
  std::vector<TreeSpec> trees;
  trees.push_back({s.dir, "", !s.all_files, &ignore, s.git, s.git_env});
  for (const auto& inc : s.includes) {
    trees.push_back({inc.dir, inc.prefix, false, nullptr});
  }
  for (const auto& tree : trees) {
    log.debug("measuring " + tree.dir + (tree.prefix.empty() ? "" : " as " + tree.prefix));
    if (auto error = measure.add(tree)) {
      outcome.input_errors.push_back({*error, {tree.dir == s.dir ? s.dir_shown : tree.dir, 0, 0}, {}});
    }
  }
  auto totals = measure.finish();
  if (!outcome.input_errors.empty()) {
    return outcome;
  }

  // What the dependency files say, and what the tree holds.
  const auto root = paths::canonical(s.dir);
  const ReadFile read = [&](const std::string& rel, std::string& why) -> std::optional<std::string> {
    const auto full = (std::filesystem::path(s.dir) / rel).string();
    struct stat fst {};
    if (::stat(full.c_str(), &fst) != 0) {
      why = "not found";
      return std::nullopt;
    }
    const auto real = paths::canonical(full);
    if (real.rfind(root + "/", 0) != 0) {
      why = "it leads outside the app";
      return std::nullopt;
    }
    auto text = read_text_file(full);
    if (!text) {
      why = text.error().message;
      return std::nullopt;
    }
    return std::move(*text);
  };
  const auto shown = [&](const std::string& rel) { return paths::join(s.dir_shown == "." ? "" : s.dir_shown, rel); };
  auto deps = read_dependencies(m_rules, read, shown);
  std::vector<std::string> dev;
  std::string why;
  if (const auto pkg = read("package.json", why)) {
    if (auto doc = json::parse(*pkg); doc && doc->is_object()) {
      if (const auto it = doc->find("devDependencies"); it != doc->end() && it->is_object()) {
        for (const auto& [name, version] : it->items()) {
          dev.push_back(name);
        }
      }
    }
  }
  const auto on_disk = [&](const std::string& slug_path) {
    for (const auto& inc : s.includes) {
      if (slug_path == inc.prefix) {
        return display(inc.shown);
      }
      if (slug_path.rfind(inc.prefix + "/", 0) == 0) {
        return display(paths::join(inc.shown, slug_path.substr(inc.prefix.size() + 1)));
      }
    }
    return display(shown(slug_path));
  };
  auto tree_checks = explain_tree(m_rules, totals, dev, on_disk);

  // The verdict: a lower bound when something could not be read.
  const bool lower_bound = totals.unreadable > 0;
  std::optional<std::uint64_t> upper;
  if (lower_bound) {
    upper = totals.compressed + totals.unknown_bytes + totals.unknown_bytes / 1000 + 1024 * totals.unreadable;
  }
  const auto b = judge(totals.compressed, upper, s);
  Check size;
  size.name = "slug size";
  size.verdict = b.verdict;
  size.message = (lower_bound ? "at least " : "") + mib(totals.compressed) + " compressed, " +
                 mib(totals.uncompressed) + " of files (" + text::plural(totals.files, "file") + "): " + b.message;
  auto& d = size.details;
  d = {{"mode", "local"},
       {"compressed_bytes", totals.compressed},
       {"uncompressed_bytes", totals.uncompressed},
       {"tar_bytes", totals.tar_bytes},
       {"files", totals.files},
       {"directories", totals.directories},
       {"links", totals.links},
       {"ignored_files", totals.ignored_files},
       {"ignored_bytes", totals.ignored_bytes},
       {"unreadable", totals.unreadable},
       {"unknown_bytes", totals.unknown_bytes},
       {"lower_bound", lower_bound},
       {"soft_bytes", s.soft},
       {"hard_bytes", s.hard},
       {"over_soft", b.over_soft},
       {"over_hard", b.over_hard},
       {"source", s.all_files ? "all files" : "git"}};
  // Directories by compressed share: the largest, and every one the baseline names.
  std::vector<std::pair<std::string, Size>> dirs(totals.directories_size.begin(), totals.directories_size.end());
  std::sort(dirs.begin(), dirs.end(), [](const auto& x, const auto& y) {
    return x.second.compressed != y.second.compressed ? x.second.compressed > y.second.compressed : x.first < y.first;
  });
  constexpr std::size_t k_reported_dirs = 1000;  // kept in the report, for later baselines
  auto dir_list = nlohmann::json::array();
  for (std::size_t i = 0; i < dirs.size() && i < k_reported_dirs; ++i) {
    dir_list.push_back({{"path", display(dirs[i].first)},
                        {"compressed_bytes", dirs[i].second.compressed},
                        {"uncompressed_bytes", dirs[i].second.uncompressed},
                        {"files", dirs[i].second.files}});
  }
  d["directories_capped"] = totals.directories_capped;
  d["largest_directories"] = dir_list;
  auto file_list = nlohmann::json::array();
  for (const auto& [path, sz] : totals.largest_files) {
    file_list.push_back(
        {{"path", display(path)}, {"compressed_bytes", sz.compressed}, {"uncompressed_bytes", sz.uncompressed}});
  }
  d["largest_files"] = file_list;

  Table dir_table{"Largest directories", {"directory", "compressed", "files size", "files"}, {}};
  if (m_baseline) {
    const auto& base = *m_baseline;
    const auto dc =
        static_cast<std::int64_t>(totals.compressed) - static_cast<std::int64_t>(number(base, "compressed_bytes"));
    const auto du =
        static_cast<std::int64_t>(totals.uncompressed) - static_cast<std::int64_t>(number(base, "uncompressed_bytes"));
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> before;
    if (const auto it = base.find("largest_directories"); it != base.end() && it->is_array()) {
      for (const auto& e : *it) {
        if (e.is_object() && e.contains("path") && e["path"].is_string()) {
          before[e["path"].get<std::string>()] = {number(e, "compressed_bytes"), number(e, "uncompressed_bytes")};
        }
      }
    }
    std::set<std::string> paths;
    for (const auto& [p, v] : before) {
      paths.insert(p);
    }
    std::map<std::string, Size> now_sizes;  // by the path as reports show it
    for (std::size_t i = 0; i < dirs.size() && i < k_reported_dirs; ++i) {
      paths.insert(display(dirs[i].first));
      now_sizes[display(dirs[i].first)] = dirs[i].second;
    }
    auto grown = nlohmann::json::array();
    std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> moved;
    for (const auto& p : paths) {
      const auto now = now_sizes.find(p);
      const auto was = before.find(p);
      const auto nc = now == now_sizes.end() ? 0 : static_cast<std::int64_t>(now->second.compressed);
      const auto nu = now == now_sizes.end() ? 0 : static_cast<std::int64_t>(now->second.uncompressed);
      const auto bc = was == before.end() ? 0 : static_cast<std::int64_t>(was->second.first);
      const auto bu = was == before.end() ? 0 : static_cast<std::int64_t>(was->second.second);
      // A directory whose files kept their size is not listed: its compressed share moves with
      // its neighbours' (an estimate), not with anything it holds.
      if (nu != bu) {
        moved.emplace_back(nc - bc, nu - bu, p);
      }
    }
    std::sort(moved.begin(), moved.end(), [](const auto& x, const auto& y) {
      const auto mx = std::abs(std::get<1>(x));
      const auto my = std::abs(std::get<1>(y));
      return mx != my ? mx > my : std::get<2>(x) < std::get<2>(y);
    });
    Table change_table{"Changed since the baseline", {"directory", "compressed", "files size"}, {}};
    for (std::size_t i = 0; i < moved.size() && i < std::max<std::size_t>(s.top, 1); ++i) {
      const auto& [c, u, p] = moved[i];
      grown.push_back({{"path", p}, {"compressed_bytes_change", c}, {"uncompressed_bytes_change", u}});
      change_table.rows.push_back({p, change(c), change(u)});
    }
    d["baseline"] = {{"compressed_bytes", number(base, "compressed_bytes")},
                     {"uncompressed_bytes", number(base, "uncompressed_bytes")},
                     {"compressed_bytes_change", dc},
                     {"uncompressed_bytes_change", du},
                     {"directories", grown}};
    // The headline names the most specific directory that carries most of the largest change:
    // site-packages/nvidia rather than the site-packages that holds it.
    std::string top_change;
    if (!moved.empty()) {
      std::size_t pick = 0;
      for (bool deeper = true; deeper;) {
        deeper = false;
        const auto& parent = std::get<2>(moved[pick]);
        const auto parent_change = std::abs(std::get<1>(moved[pick]));
        for (std::size_t i = 0; i < moved.size(); ++i) {
          const auto& [c, u, p] = moved[i];
          if (p.rfind(parent + "/", 0) == 0 && std::abs(u) * 10 >= parent_change * 9) {
            pick = i;
            deeper = true;
            break;  // sorted by the size of the change: the first child that qualifies is the largest
          }
        }
      }
      const auto& [c, u, p] = moved[pick];
      top_change = ", " + text::shorten(text::one_line(p), 60) + " " + change(u) + " of files";
    }
    size.message += "; " + change(dc) + " against the baseline" + top_change;
    if (!change_table.rows.empty()) {
      outcome.tables.push_back(std::move(change_table));
    }
  }
  for (std::size_t i = 0; i < dirs.size() && i < s.top; ++i) {
    dir_table.rows.push_back({display(dirs[i].first), mib(dirs[i].second.compressed), mib(dirs[i].second.uncompressed),
                              std::to_string(dirs[i].second.files)});
  }
  Table file_table{"Largest files", {"file", "compressed", "size"}, {}};
  for (const auto& [path, sz] : totals.largest_files) {
    file_table.rows.push_back({display(path), mib(sz.compressed), mib(sz.uncompressed)});
  }
  if (!dir_table.rows.empty()) {
    outcome.tables.insert(outcome.tables.begin(), std::move(dir_table));
  }
  if (!file_table.rows.empty()) {
    outcome.tables.push_back(std::move(file_table));
  }
  if (totals.observations_dropped > 0) {
    log.diagnose("note: " + std::to_string(totals.observations_dropped) +
                 " more unreadable or odd entries were not listed one by one");
  }
  log.diagnose(text::plural(totals.files, "file") + ", " + std::to_string(totals.directories) +
               (totals.directories == 1 ? " directory" : " directories") + ", " + std::to_string(totals.ignored_files) +
               " left out by .slugignore; " + mib(totals.tar_bytes) + " of tar compressed to " +
               mib(totals.compressed));

  outcome.headline = "slug " + std::string(lower_bound ? "at least " : "") + mib(totals.compressed) + " compressed (" +
                     mib(totals.uncompressed) + " of files): " +
                     (b.verdict == Verdict::pass   ? "within budget"
                      : b.verdict == Verdict::warn ? "over the soft limit"
                      : b.verdict == Verdict::fail ? "over the hard limit"
                                                   : "could not tell");
  finish(outcome, totals.compressed, totals.uncompressed, b);
  outcome.summary["lower_bound"] = lower_bound;
  outcome.checks.push_back(std::move(size));
  for (auto* list : {&ignore_checks, &deps, &tree_checks}) {
    outcome.checks.insert(outcome.checks.end(), std::make_move_iterator(list->begin()),
                          std::make_move_iterator(list->end()));
  }
  return outcome;
}

Outcome SlugGate::remote(const Invocation& inv, Log& log) {
  Outcome outcome;
  const auto& s = m_s;
  auto& clock = inv.time();
  net::Client client(net::user_agent("shipgate-slug"));
  net::Pool pool(client, clock, {}, clock.monotonic() + s.deadline);
  std::optional<std::string> error;
  std::optional<heroku::App> app;
  std::vector<heroku::Release> releases;
  std::map<std::string, heroku::Slug> slugs;
  auto get = [&](const std::string& path, std::function<void(const net::Response&)> then,
                 const std::string& range = "") {
    auto request = heroku::request(s.base, path, s.token, s.timeout);
    if (!range.empty()) {
      request.headers.push_back({"Range", range, false});
    }
    pool.submit(std::move(request), [then = std::move(then)](const net::Response& r, int) { then(r); });
  };
  auto failed = [&](const net::Response& r, const std::string& what) {
    if (r.answered() && r.status == 404) {
      error = "the app " + s.app + " does not exist, or the token's account cannot see it";
    } else {
      error = what + ": " + net::describe_failure(r, s.secrets, heroku::k_api_errors);
    }
  };
  // The current slug is needed for a verdict; the previous one only adds the change, so a
  // failure to read it is a note, not an error.
  auto get_slug = [&](const std::string& id, bool needed) {
    get(heroku::slug_path(s.app, id), [&, id, needed](const net::Response& r) {
      std::string problem;
      if (!good(r)) {
        problem = "reading slug " + id + ": " + net::describe_failure(r, s.secrets, heroku::k_api_errors);
      } else if (auto slug = heroku::parse_slug(r.body)) {
        slugs[id] = *slug;
        return;
      } else {
        problem = "slug " + id + ": " + slug.error().message;
      }
      if (needed) {
        error = problem;
      } else {
        log.diagnose("note: no change shown: " + problem);
      }
    });
  };
  get(heroku::app_path(s.app), [&](const net::Response& r) {
    if (!good(r)) {
      failed(r, "reading the app");
      return;
    }
    auto parsed = heroku::parse_app(r.body);
    if (!parsed) {
      error = parsed.error().message;
      return;
    }
    app = *parsed;
    get(
        heroku::app_path(s.app, "releases"),
        [&](const net::Response& rr) {
          if (!good(rr)) {
            failed(rr, "reading the releases");
            return;
          }
          auto list = heroku::parse_releases(rr.body);
          if (!list) {
            error = list.error().message;
            return;
          }
          releases = std::move(*list);
          // The release running now, and the latest one before it with another slug.
          auto cur = std::find_if(releases.begin(), releases.end(), [](const auto& x) { return x.current; });
          if (cur == releases.end()) {
            cur = std::find_if(releases.begin(), releases.end(), [](const auto& x) { return x.status == "succeeded"; });
          }
          if (cur == releases.end() || !cur->slug_id) {
            return;
          }
          get_slug(*cur->slug_id, true);
          for (auto it = cur + 1; it != releases.end(); ++it) {
            if (it->slug_id && *it->slug_id != *cur->slug_id) {
              get_slug(*it->slug_id, false);
              break;
            }
          }
        },
        "version ..; order=desc, max=50");
  });
  pool.run();
  log.debug("read " + text::plural(releases.size(), "release") + " and " + text::plural(slugs.size(), "slug"));
  Check size;
  size.name = "slug size";
  size.details = {{"mode", "remote"}, {"app", s.app}, {"soft_bytes", s.soft}, {"hard_bytes", s.hard}};
  if (error) {
    size.verdict = Verdict::error;
    size.message = "could not check " + s.app + ": " + *error;
    outcome.headline = size.message;
    outcome.checks.push_back(std::move(size));
    return outcome;
  }
  auto cur = std::find_if(releases.begin(), releases.end(), [](const auto& x) { return x.current; });
  if (cur == releases.end()) {
    cur = std::find_if(releases.begin(), releases.end(), [](const auto& x) { return x.status == "succeeded"; });
  }
  const bool fir = app && !app->generation.empty() && app->generation != "cedar";
  const bool image = cur != releases.end() && !cur->slug_id && cur->has_code();
  // No slug to weigh: not applicable, reported as skipped and as a check that could not be made
  // (exit 3), so a sweep never counts it as a pass.
  std::string why;
  if (fir || image) {
    why = s.app + " runs on the " + (app && !app->generation.empty() ? app->generation : std::string("image-based")) +
          " generation, which deploys images, not slugs";
  } else if (cur == releases.end() || !cur->slug_id) {
    why = s.app + " has no release with a slug yet";
  }
  if (!why.empty()) {
    outcome.skipped.push_back({"slug size", why});
    size.verdict = Verdict::error;
    size.message = "not applicable: " + why + ": a slug budget cannot be checked";
    outcome.headline = size.message;
    outcome.outputs = {
        {"compressed-bytes", ""}, {"uncompressed-bytes", ""}, {"over-soft", "false"}, {"over-hard", "false"}};
    outcome.checks.push_back(std::move(size));
    return outcome;
  }
  const auto& slug = slugs.at(*cur->slug_id);
  const auto b = judge(slug.size, std::nullopt, s);
  size.verdict = b.verdict;
  size.message = s.app + " v" + std::to_string(cur->version) + " runs a " + mib(slug.size) + " slug: " + b.message;
  size.details["release"] = cur->version;
  size.details["slug_id"] = *cur->slug_id;
  size.details["commit"] = slug.commit;
  size.details["compressed_bytes"] = slug.size;
  size.details["over_soft"] = b.over_soft;
  size.details["over_hard"] = b.over_hard;
  for (auto it = cur + 1; it != releases.end(); ++it) {
    if (it->slug_id && *it->slug_id != *cur->slug_id) {
      if (const auto prev = slugs.find(*it->slug_id); prev != slugs.end()) {
        const auto delta = static_cast<std::int64_t>(slug.size) - static_cast<std::int64_t>(prev->second.size);
        size.message += "; " + change(delta) + " since v" + std::to_string(it->version);
        size.details["previous"] = {{"release", it->version},
                                    {"slug_id", *it->slug_id},
                                    {"compressed_bytes", prev->second.size},
                                    {"compressed_bytes_change", delta}};
      }
      break;
    }
  }
  outcome.headline = size.message;
  outcome.outputs = {{"compressed-bytes", std::to_string(slug.size)},
                     {"uncompressed-bytes", ""},
                     {"over-soft", b.over_soft ? "true" : "false"},
                     {"over-hard", b.over_hard ? "true" : "false"}};
  outcome.summary["compressed_bytes"] = slug.size;
  outcome.checks.push_back(std::move(size));
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<SlugGate>(); }

}  // namespace shipgate::slug
