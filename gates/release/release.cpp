#include "release/release.hpp"

#include <algorithm>
#include <memory>

#include "core/net/curl.hpp"
#include "core/net/pool.hpp"
#include "core/secrets.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "heroku/api.hpp"
#include "heroku/names.hpp"
#include "heroku/request.hpp"

namespace shipgate::release {

namespace {

using heroku::App;
using heroku::Dyno;
using heroku::Formation;
using heroku::Release;
using heroku::Slug;
using std::chrono::milliseconds;

/// nullopt for a commit SHA (7 to 64 hex digits) or 'none', else what is wrong.
/// A git commit id: 7 to 40 hex digits (a SHA-1, or the start of one or of a SHA-256), or a
/// whole 64-digit SHA-256; either case.
std::optional<std::string> check_sha(std::string_view sha) {
  const bool hex = sha.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
  if (sha == "none" || (hex && ((sha.size() >= 7 && sha.size() <= 40) || sha.size() == 64))) {
    return std::nullopt;
  }
  return "expected a commit SHA: 7 to 40 hex digits (SHA-1, or a prefix), 64 (SHA-256), or 'none'; got " +
         std::to_string(sha.size()) + " characters";
}

const std::vector<options::Option>& declared() {
  using options::Type;
  static const std::vector<options::Option> k_options = {
      {.name = "app",
       .help = "App to check (repeatable, or a,b,c); checked at once",
       .placeholder = "APP",
       .repeatable = true,
       .delimiter = ',',
       .aliases = {"apps"}},
      {.name = "apps-file", .type = Type::path, .help = "File with one app per line (# comments)"},
      {.name = "expect-commit",
       .help = "Commit the latest release must run: 7 to 40 hex digits, or 64 (default: GITHUB_SHA, for one app; "
               "'none' to skip)",
       .placeholder = "SHA",
       .validate = check_sha},
      {.name = "pending-grace",
       .type = Type::duration,
       .help = "How long a pending release is waited for",
       .default_value = "5m"},
      {.name = "min-dynos",
       .type = Type::integer,
       .help = "Web dynos that must be up; 0 skips the dyno checks",
       .default_value = "1",
       .min = 0,
       .max = 1000},
      {.name = "grace",
       .type = Type::duration,
       .help = "How long web dynos may stay 'starting'",
       .default_value = "2m"},
      {.name = "fail-idle",
       .type = Type::boolean,
       .help = "Fail on idle (sleeping eco) web dynos instead of reporting them",
       .default_value = "false"},
      {.name = "max-slug-size", .type = Type::size, .help = "Largest slug allowed, e.g. 500MB"},
      {.name = "app-pattern",
       .help = "Naming convention apps must follow: raxx-{surface}-{env}",
       .placeholder = "PATTERN"},
      options::request_timeout("30s"),
      options::run_deadline("5m"),
      {.name = "heroku-api-key", .type = Type::secret, .help = "Heroku API key", .env = {"HEROKU_API_KEY"}},
  };
  return k_options;
}

struct Settings {
  std::vector<std::string> apps;
  std::string expect_commit;
  milliseconds pending_grace{300'000};
  long min_dynos = 1;
  milliseconds grace{120'000};
  bool fail_idle = false;
  std::optional<std::uint64_t> max_slug_size;
  std::optional<heroku::AppPattern> pattern;
  milliseconds timeout{30'000};
  milliseconds deadline{300'000};
  std::string base{heroku::k_default_base};
  std::string token;
  Secrets secrets;  // the token, to take out of API messages before they are cut
};

/// Time between re-reads of a pending release or starting dynos.
constexpr milliseconds k_repoll{10'000};

/// What one app's checks found, filled in by the chain of requests in Sweep.
struct AppState {
  std::string app;
  std::optional<App> info;
  std::vector<Release> releases;
  std::optional<Slug> slug;
  std::vector<Formation> formation;
  std::vector<Dyno> dynos;
  std::vector<std::string> problems;  // each one a reason the app fails
  std::vector<std::string> notes;     // reported, never failing
  std::optional<std::string> error;   // could not evaluate
  Clock::Instant started;
};

/// The web formation's size: how many web dynos the app is scaled to.
long web_quantity(const AppState& st) {
  const auto it =
      std::find_if(st.formation.begin(), st.formation.end(), [](const Formation& f) { return f.type == "web"; });
  return it == st.formation.end() ? 0 : it->quantity;
}

/// Web dynos that serve: `up`, and `idle` ones (an eco dyno asleep wakes on the next request).
long web_dynos_up(const AppState& st) {
  return static_cast<long>(std::count_if(st.dynos.begin(), st.dynos.end(), [](const Dyno& d) {
    return d.type == "web" && (d.state == "up" || d.state == "idle");
  }));
}

/// Runs every app's chain of requests at once over one pool.
class Sweep {
public:
  Sweep(const Settings& s, net::Pool& pool, long long now_epoch)
      : m_settings(s), m_pool(pool), m_now_epoch(now_epoch) {}

  void start(AppState& st) {
    st.started = m_pool.clock().monotonic();
    if (m_settings.pattern && !m_settings.pattern->matches(st.app)) {
      st.problems.push_back("the name breaks the naming convention " + m_settings.pattern->text());
    }
    get(heroku::app_path(st.app), [this, &st](const net::Response& r) {
      if (r.status == 404) {
        st.problems.insert(st.problems.begin(), "the app does not exist, or the token's account cannot see it");
        return;
      }
      if (!read(st, r, "the app", heroku::parse_app, st.info)) {
        return;
      }
      releases(st, 0);
      formation(st);
      dynos(st, false);
    });
  }

  void judge(AppState& st) const {
    if (st.error || !st.info) {
      return;
    }
    if (st.releases.empty()) {
      st.problems.push_back("configured but never deployed: the app has no release at all");
    } else {
      judge_release(st);
    }
    judge_dynos(st);
  }

private:
  using Handler = std::function<void(const net::Response&)>;

  void get(const std::string& path, Handler handler, milliseconds after = milliseconds(0),
           const std::string& range = "") {
    auto request = heroku::request(m_settings.base, path, m_settings.token, m_settings.timeout);
    if (!range.empty()) {
      request.headers.push_back({"Range", range, false});
    }
    m_pool.submit(
        std::move(request),
        [this, handler = std::move(handler)](const net::Response& r, int) {
          note_rate_limit(r);
          handler(r);
        },
        after);
  }

  /// Heroku's `RateLimit-Remaining`: the lowest seen, so a sweep that nearly spent the account's
  /// tokens says so (4,500 per account, refilled about 75 a minute).
  void note_rate_limit(const net::Response& r) {
    const auto it = r.headers.find("ratelimit-remaining");
    if (it == r.headers.end()) {
      return;
    }
    try {
      const long left = std::stol(it->second);
      m_rate_left = m_rate_left ? std::min(*m_rate_left, left) : left;
    } catch (const std::exception&) {
      // not a number: nothing to report
    }
  }

public:
  std::optional<long> rate_left() const { return m_rate_left; }

private:
  /// Whether an answer is a success; else records why the app could not be evaluated (401 and
  /// 403 name the token's problem, 429 and 5xx come after retries).
  bool ok(AppState& st, const net::Response& r, const std::string& what) const {
    if (r.answered() && (r.status == 200 || r.status == 206)) {
      return true;
    }
    if (!st.error) {
      st.error = what + ": " + net::describe_failure(r, m_settings.secrets, heroku::k_api_errors);
    }
    return false;
  }

  /// A successful answer's body, parsed into `into`; else false, and why in st.error.
  template <class Parse, class Into>
  bool read(AppState& st, const net::Response& r, const std::string& what, Parse parse, Into& into) const {
    if (!ok(st, r, what)) {
      return false;
    }
    auto parsed = parse(r.body);
    if (!parsed) {
      st.error = what + ": " + parsed.error().message;
      return false;
    }
    into = std::move(*parsed);
    return true;
  }

  /// The releases, newest first, a page of 200 at a time (Range and Next-Range), until one that
  /// runs code is found or 10 pages are read; a pending latest release is read again until it
  /// settles or its grace ends.
  void releases(AppState& st, int page, const std::string& range = "version ..; order=desc, max=200",
                milliseconds after = milliseconds(0)) {
    get(
        heroku::app_path(st.app, "releases"),
        [this, &st, page](const net::Response& r) {
          std::vector<Release> list;
          if (!read(st, r, "the releases", heroku::parse_releases, list)) {
            return;
          }
          if (page == 0) {
            st.releases.clear();
          }
          st.releases.insert(st.releases.end(), list.begin(), list.end());
          const auto next = r.headers.find("next-range");
          const bool code_seen =
              std::any_of(st.releases.begin(), st.releases.end(), [](const Release& rel) { return rel.has_code(); });
          if (r.status == 206 && next != r.headers.end() && !code_seen && page < 9) {
            releases(st, page + 1, next->second);
            return;
          }
          if (!st.releases.empty() && st.releases.front().status == "pending" && pending_within_grace(st)) {
            if (m_pool.clock().monotonic() + k_repoll >= m_pool.deadline()) {
              st.error = "release v" + std::to_string(st.releases.front().version) +
                         " is still pending, and the --deadline came before its grace ended";
              return;
            }
            releases(st, 0, "version ..; order=desc, max=200", k_repoll);
            return;
          }
          if (!st.releases.empty() && st.releases.front().slug_id) {
            slug(st, *st.releases.front().slug_id);
          }
        },
        after, range);
  }

  bool pending_within_grace(const AppState& st) const {
    const auto age = heroku::age_seconds(st.releases.front().created_at, m_now_epoch + elapsed_s(st));
    const auto grace_s = m_settings.pending_grace.count() / 1000;
    return age && *age < grace_s;
  }

  long long elapsed_s(const AppState& st) const {
    return std::chrono::duration_cast<std::chrono::seconds>(m_pool.clock().monotonic() - st.started).count();
  }

  void slug(AppState& st, const std::string& id) {
    get(heroku::slug_path(st.app, id),
        [this, &st](const net::Response& r) { read(st, r, "the slug", heroku::parse_slug, st.slug); });
  }

  void formation(AppState& st) {
    get(heroku::app_path(st.app, "formation"),
        [this, &st](const net::Response& r) { read(st, r, "the formation", heroku::parse_formation, st.formation); });
  }

  /// The dynos; while web dynos are starting and the grace allows, read again.
  void dynos(AppState& st, bool again) {
    get(
        heroku::app_path(st.app, "dynos"),
        [this, &st](const net::Response& r) {
          if (!read(st, r, "the dynos", heroku::parse_dynos, st.dynos)) {
            return;
          }
          const bool starting = std::any_of(st.dynos.begin(), st.dynos.end(),
                                            [](const Dyno& d) { return d.type == "web" && d.state == "starting"; });
          const auto waited = m_pool.clock().monotonic() - st.started;
          if (starting && waited + k_repoll < m_settings.grace) {
            if (m_pool.clock().monotonic() + k_repoll >= m_pool.deadline()) {
              st.error = "web dynos are still starting, and the --deadline came before their grace ended";
              return;
            }
            dynos(st, true);
          }
        },
        again ? k_repoll : milliseconds(0));
  }

  void judge_release(AppState& st) const {
    const auto& latest = st.releases.front();
    const auto v = "v" + std::to_string(latest.version);
    if (!latest.has_code()) {
      const bool ever =
          std::any_of(st.releases.begin(), st.releases.end(), [](const Release& r) { return r.has_code(); });
      st.problems.push_back(ever ? "latest release " + v + " runs no code (" +
                                       text::shorten(text::one_line(latest.description), 50) + ")"
                                 : "configured but never deployed: none of its " +
                                       text::plural(st.releases.size(), "release") + " carries code");
    }
    if (latest.status == "pending") {
      st.problems.push_back("release " + v + " is still pending after the " +
                            units::format_duration(m_settings.pending_grace) + " grace");
    } else if (latest.status == "failed" || latest.status == "expired") {
      st.problems.push_back("release " + v + " " + latest.status + ": " +
                            text::shorten(text::one_line(latest.description), 60));
    }
    if (st.slug) {
      const auto& want = m_settings.expect_commit;
      const auto& have = st.slug->commit;
      const auto n = std::min(want.size(), have.size());
      if (!want.empty() && (n < 7 || text::to_lower(want.substr(0, n)) != text::to_lower(have.substr(0, n)))) {
        st.problems.push_back(v + " runs commit " + text::shorten(have.empty() ? "(none)" : have, 12) + ", not " +
                              text::shorten(want, 12) + ": this deploy did not ship");
      }
      if (m_settings.max_slug_size && st.slug->size > *m_settings.max_slug_size) {
        st.problems.push_back("the slug is " + units::format_size(st.slug->size) + ", over the budget of " +
                              units::format_size(*m_settings.max_slug_size));
      }
    } else if (latest.has_code() && !latest.slug_id && !m_settings.expect_commit.empty()) {
      st.notes.push_back(v + " runs an image, whose commit the API does not say; --expect-commit not checked");
    }
  }

  void judge_dynos(AppState& st) const {
    if (m_settings.min_dynos == 0) {
      return;
    }
    for (const auto& d : st.dynos) {
      if (d.type != "web") {
        continue;
      }
      if (d.state == "crashed") {
        st.problems.push_back(d.name + " crashed");
      } else if (d.state == "idle") {
        (m_settings.fail_idle ? st.problems : st.notes).push_back(d.name + " is idle (an eco dyno asleep)");
      } else if (d.state == "starting") {
        st.problems.push_back(d.name + " still starting after the " + units::format_duration(m_settings.grace) +
                              " grace");
      }
    }
    const auto up = web_dynos_up(st);
    if (web_quantity(st) == 0) {
      st.problems.push_back("no web dynos: the web formation is 0 (heroku ps:scale web=1)");
    } else if (up < m_settings.min_dynos) {
      st.problems.push_back(std::to_string(up) + " web dynos up, fewer than " + std::to_string(m_settings.min_dynos));
    }
  }

  const Settings& m_settings;
  net::Pool& m_pool;
  long long m_now_epoch;
  std::optional<long> m_rate_left;
};

/// The facts shown for an app: "v42 succeeded 3h ago, 212 MiB slug of abc1234, web 2/2 up".
std::string facts(const AppState& st, long long now_epoch) {
  std::string out;
  if (!st.releases.empty()) {
    const auto& r = st.releases.front();
    out = "v" + std::to_string(r.version) + " " + r.status;
    if (const auto age = heroku::age_seconds(r.created_at, now_epoch); age && *age >= 0) {
      out += " " + units::format_duration(milliseconds(*age / 60 * 60 * 1000)) + " ago";
    }
  }
  if (st.slug) {
    out += ", " + units::format_size(st.slug->size) + " slug of " + text::shorten(st.slug->commit, 7);
  }
  return out + (out.empty() ? "" : ", ") + "web " + std::to_string(web_dynos_up(st)) + "/" +
         std::to_string(web_quantity(st)) + " up";
}

nlohmann::json details(const AppState& st) {
  nlohmann::json d = {{"app", st.app}, {"problems", st.problems}, {"notes", st.notes}};
  if (st.info) {
    d["generation"] = st.info->generation;
  }
  if (!st.releases.empty()) {
    const auto& r = st.releases.front();
    d["release"] = {{"version", r.version},
                    {"status", r.status},
                    {"description", r.description},
                    {"created_at", r.created_at},
                    {"has_code", r.has_code()}};
    d["releases_read"] = st.releases.size();
  }
  if (st.slug) {
    d["slug"] = {{"size", st.slug->size}, {"commit", st.slug->commit}};
  }
  d["formation"] = nlohmann::json::array();
  for (const auto& f : st.formation) {
    d["formation"].push_back({{"type", f.type}, {"quantity", f.quantity}, {"size", f.size}});
  }
  d["dynos"] = nlohmann::json::array();
  for (const auto& dyno : st.dynos) {
    d["dynos"].push_back({{"name", dyno.name}, {"type", dyno.type}, {"state", dyno.state}});
  }
  return d;
}

class ReleaseGate final : public Gate {
public:
  GateInfo info() const override {
    return {"shipgate-release", "release",
            "Check that Heroku apps really run a release with code, on web dynos that are up.\n"
            "Asks the Platform API with HEROKU_API_KEY (base: HEROKU_API_URL)."};
  }

  const std::vector<options::Option>& options() const override { return declared(); }

  std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets& secrets) override;

  Outcome evaluate(const Invocation& inv, Log& log) override;

  std::vector<options::Output> outputs() const override {
    return {{"apps", "Apps checked."},
            {"failed", "Apps that failed."},
            {"version", "The first app's latest release version."},
            {"commit", "The commit of the first app's slug."},
            {"slug-size", "The first app's slug size in bytes."},
            {"web-dynos-up", "The first app's web dynos that are up (idle ones count)."}};
  }

private:
  Settings m_settings;
};

std::vector<Error> ReleaseGate::configure(const options::Values& values, const Invocation& inv, Secrets& secrets) {
  auto& s = m_settings;
  std::vector<Error> errors;
  s.token = values.text("heroku-api-key");
  s.secrets.add(s.token);
  s.apps.clear();
  for (const auto& a : values.list("app")) {
    if (auto name = std::string(text::trim(a)); !name.empty()) {
      s.apps.push_back(name);
    }
  }
  if (const auto& apps_file = values.text("apps-file"); !apps_file.empty()) {
    auto text = read_text_file_in(inv.cwd, apps_file);
    if (!text) {
      errors.push_back(text.error());
    } else {
      for (const auto line : text::split_lines(*text)) {
        const auto name = text::trim(line.substr(0, line.find('#')));
        if (!name.empty()) {
          s.apps.emplace_back(name);
        }
      }
    }
  }
  std::sort(s.apps.begin(), s.apps.end());
  s.apps.erase(std::unique(s.apps.begin(), s.apps.end()), s.apps.end());
  if (s.apps.empty() && errors.empty()) {
    errors.push_back(values.error(
        "app", "no app given; pass --app NAME, --app a,b,c, --apps-file FILE or release.app in the config"));
  }
  for (const auto& app : s.apps) {
    if (!heroku::valid_app_name(app)) {
      errors.push_back(
          values.error("app", "'" + text::shorten(text::one_line(app), 40) + "' is not a Heroku app name"));
    }
  }
  if (s.apps.size() > 1000) {
    errors.push_back(values.error("app", "at most 1000 apps in one run"));
  }
  s.pending_grace = *values.duration("pending-grace");
  s.grace = *values.duration("grace");
  s.timeout = *values.duration("timeout");
  s.deadline = *values.duration("deadline");
  s.min_dynos = values.integer("min-dynos");
  s.fail_idle = values.boolean("fail-idle");
  s.max_slug_size = values.size("max-slug-size");
  const auto& given_sha = values.text("expect-commit");
  const auto sha = given_sha.empty() && s.apps.size() == 1 ? inv.getenv("GITHUB_SHA").value_or("") : given_sha;
  s.expect_commit = sha == "none" ? std::string() : sha;
  if (const auto wrong = check_sha(sha); !sha.empty() && wrong) {
    errors.push_back({"GITHUB_SHA: " + *wrong, {}, {}});
  }
  if (const auto& pattern = values.text("app-pattern"); !pattern.empty()) {
    if (auto parsed = heroku::AppPattern::parse(pattern)) {
      s.pattern = std::move(*parsed);
    } else {
      errors.push_back({"--app-pattern: " + parsed.error().message, {}, {}});
    }
  }
  secrets.add_url(inv.getenv("HEROKU_API_URL").value_or(""));
  if (auto base = heroku::api_base(inv.getenv("HEROKU_API_URL"))) {
    s.base = std::move(*base);
  } else {
    errors.push_back({"HEROKU_API_URL: " + base.error().message, {}, {}});
  }
  if (s.token.empty()) {
    errors.push_back(
        {"HEROKU_API_KEY: not set: the Platform API needs a token (heroku authorizations:create)", {}, {}});
  }
  if (!net::global_init()) {
    throw std::runtime_error("libcurl could not be initialised");
  }
  return errors;
}

Outcome ReleaseGate::evaluate(const Invocation& inv, Log& log) {
  auto& clock = inv.time();
  const auto now_epoch = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
  net::Client client(net::user_agent("shipgate-release"));
  net::Pool pool(client, clock, {}, clock.monotonic() + m_settings.deadline);
  std::vector<AppState> states(m_settings.apps.size());
  Sweep sweep(m_settings, pool, now_epoch);
  for (std::size_t i = 0; i < states.size(); ++i) {
    states[i].app = m_settings.apps[i];
    sweep.start(states[i]);
  }
  pool.run();
  Outcome outcome;
  std::size_t failed = 0;
  for (auto& st : states) {
    sweep.judge(st);
    Check check;
    check.name = "release " + st.app;
    check.details = details(st);
    if (st.error) {
      check.verdict = Verdict::error;
      check.message = "could not check: " + *st.error;
    } else if (!st.problems.empty()) {
      ++failed;
      check.verdict = Verdict::fail;
      check.message = text::join(st.problems, "; ");  // every problem, in the annotation and summary too
    } else {
      check.verdict = Verdict::pass;
      check.message = facts(st, now_epoch);
    }
    for (const auto& p : st.problems) {
      log.diagnose(st.app + ": " + p);
    }
    for (const auto& n : st.notes) {
      log.diagnose(st.app + ": note: " + n);
    }
    if (check.verdict != Verdict::error) {
      log.diagnose(st.app + ": " + facts(st, now_epoch));
    }
    outcome.checks.push_back(std::move(check));
  }
  if (const auto left = sweep.rate_left(); left && *left < 500) {
    log.diagnose("note: the Heroku API allows " + std::to_string(*left) +
                 " more requests for now (RateLimit-Remaining); a larger sweep may be refused");
  }
  const auto& first = states.front();
  outcome.outputs = {{"apps", std::to_string(states.size())},
                     {"failed", std::to_string(failed)},
                     {"version", first.releases.empty() ? "" : std::to_string(first.releases.front().version)},
                     {"commit", first.slug ? first.slug->commit : ""},
                     {"slug-size", first.slug ? std::to_string(first.slug->size) : ""},
                     {"web-dynos-up", std::to_string(web_dynos_up(first))}};
  const auto passed = outcome.count(Verdict::pass);
  outcome.headline = std::to_string(passed) + " of " + text::plural(states.size(), "app") +
                     " running a release with code on web dynos";
  outcome.summary = {{"apps", states.size()}, {"failed", failed}};
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<ReleaseGate>(); }

}  // namespace shipgate::release
