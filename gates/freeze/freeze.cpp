#include "freeze/freeze.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/json.hpp"
#include "core/net/curl.hpp"
#include "core/net/pool.hpp"
#include "core/net/url.hpp"
#include "core/paths.hpp"
#include "core/text.hpp"
#include "freeze/calendar.hpp"
#include "freeze/ics.hpp"
#include "freeze/periods.hpp"
#include "freeze/tzdata.hpp"
#include "github/api.hpp"

namespace shipgate::freeze {

namespace {

using std::chrono::seconds;

constexpr std::size_t k_max_listed = 500'000;  // about 1 GiB of report at most
constexpr auto k_max_list_range = std::chrono::hours{24 * 400};

Error problem(std::string message) {
  Error e;
  e.message = std::move(message);
  return e;
}

std::optional<std::string> instant_check(std::string_view text) {
  const auto t = parse_instant(text);
  if (!t) {
    return "expected an RFC 3339 time with its offset, such as 2026-12-24T17:00:00Z or 2026-12-24T12:00:00-05:00";
  }
  if (!in_range(*t)) {
    return "outside 1970 to 2037, the years zone data covers";
  }
  return std::nullopt;
}

const std::vector<options::Option>& declared() {
  using options::Type;
  static const std::vector<options::Option> k_options = {
      {.name = "environment",
       .help = "Environment about to be deployed; windows with `environments` apply when one matches "
               "(default: every window applies)",
       .placeholder = "NAME"},
      {.name = "calendar",
       .type = Type::path,
       .help = "Read the windows from FILE (its windows, include, timezone and overriders) instead of the config's "
               "freeze section",
       .placeholder = "FILE"},
      {.name = "at",
       .help = "Answer for TIME (RFC 3339 with its offset, e.g. 2026-12-24T17:00:00Z) instead of now: what-if checks",
       .placeholder = "TIME",
       .validate = instant_check,
       .flag_only = true},
      {.name = "horizon-days",
       .type = Type::integer,
       .help = "How far ahead to look for the end of a freeze and the next one, in days",
       .default_value = "30",
       .min = 1,
       .max = 366},
      {.name = "override-reason",
       .help = "Deploy through a soft freeze, recording TEXT, the actor and the window loudly",
       .placeholder = "TEXT",
       .env = {"SHIPGATE_FREEZE_OVERRIDE"},
       .flag_only = true},
      {.name = "list",
       .type = Type::boolean,
       .help = "List the periods of every window between --from and --until instead of a verdict",
       .default_value = "false",
       .flag_only = true},
      {.name = "from",
       .help = "Start of --list (default: now, or --at)",
       .placeholder = "TIME",
       .validate = instant_check,
       .flag_only = true},
      {.name = "until",
       .help = "End of --list (default: --from plus the horizon)",
       .placeholder = "TIME",
       .validate = instant_check,
       .flag_only = true},
      {.name = "ics",
       .type = Type::path,
       .help = "With --list, also write the periods to FILE as iCalendar (.ics) for calendar apps",
       .placeholder = "FILE",
       .flag_only = true},
      options::request_timeout("10s"),
      options::run_deadline("30s"),
      {.name = "token",
       .type = Type::secret,
       .help = "GitHub token that can read team membership (read:org), for @org/team overriders",
       .env = {"SHIPGATE_FREEZE_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"}},
  };
  return k_options;
}

std::string zone_dir(const Invocation& inv) {
  if (const auto dir = inv.getenv("TZDIR"); dir && !dir->empty()) {
    return *dir;
  }
  return "/usr/share/zoneinfo";
}

class FreezeGate final : public Gate {
public:
  GateInfo info() const override {
    return {"shipgate-freeze", "freeze",
            "Check that a deploy is outside every freeze window (and inside an allow window, where there are any).\n"
            "Windows come from the freeze section of .github/shipgate.yml or --calendar FILE; times hold across "
            "time zones and daylight saving.",
            "tzdata " + std::string(tzdata::version()) + " embedded"};
  }
  const std::vector<options::Option>& options() const override { return declared(); }
  void read_config(config::Section& section, const Invocation& inv) override;
  std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets& secrets) override;
  Outcome evaluate(const Invocation& inv, Log& log) override;
  std::vector<options::Output> outputs() const override {
    return {{"frozen", "true when a freeze applies now (also when it was overridden), else false."},
            {"window", "Name of the window that freezes now (the first, when several do); empty when none."},
            {"ends-at", "When the freeze ends (RFC 3339, UTC); empty when not frozen or not within the horizon."},
            {"next-freeze-at",
             "When the next freeze starts (RFC 3339, UTC; while frozen, the one after this freeze ends), within the "
             "horizon; else empty."},
            {"overridden", "true when a soft freeze was overridden with a reason, else false."}};
  }

private:
  Outcome list(const Invocation& inv, Log& log);
  /// Whether the actor may override: nullopt when the check itself failed (no token, API error).
  std::optional<bool> may_override(const std::string& actor, std::string& why, Log& log);

  struct RunState {
    std::unique_ptr<Zones> zones;
    Calendar section_calendar;
    std::vector<Error> section_errors;
    Calendar calendar;
    std::string environment;
    std::optional<Instant> at;
    seconds horizon{30 * 86400};
    std::string override_reason;
    bool listing = false;
    std::optional<Instant> from;
    std::optional<Instant> until;
    std::string ics;
    std::string token;
    std::chrono::milliseconds timeout{10'000};
    std::chrono::milliseconds deadline{30'000};
    std::string api_base;
    Secrets secrets;
    std::vector<std::string> section_keys;  // calendar keys in the config's freeze section
  };
  RunState m_run;
};

void FreezeGate::read_config(config::Section& section, const Invocation& inv) {
  m_run = {};
  m_run.zones = std::make_unique<Zones>(zone_dir(inv));
  // Mark the calendar keys as this gate's; read them from the section's mapping.
  for (const auto* key : {"windows", "include", "timezone", "overriders"}) {
    (void)section.take(key);
  }
  const auto* doc = section.document();
  if (doc == nullptr || !section.present()) {
    return;
  }
  const auto* map = doc->get(doc->root(), "freeze");
  if (map == nullptr || !map->is_mapping()) {
    return;
  }
  // The repository root, absolute: includes in the section are relative to it.
  const auto relative_root = paths::root_of_config(section.path());
  const auto root = relative_root.empty() ? inv.resolve(".") : inv.resolve(relative_root);
  const Reader reader{*m_run.zones, root, [&](const std::string& p) { return p; }};
  std::vector<std::string> own;
  for (const auto& o : declared()) {
    own.push_back(o.name);
  }
  read_calendar(reader, *doc, *map, section.path(), own, "freeze.", m_run.section_calendar, m_run.section_errors);
  for (const auto* key : {"windows", "include", "timezone", "overriders"}) {
    if (doc->get(*map, key) != nullptr) {
      m_run.section_keys.emplace_back(key);
    }
  }
}

std::vector<Error> FreezeGate::configure(const options::Values& values, const Invocation& inv, Secrets& secrets) {
  std::vector<Error> errors;
  m_run.environment = std::string(text::trim(values.text("environment")));
  if (m_run.environment.size() > 255) {
    errors.push_back(values.error("environment", "an environment name is at most 255 characters"));
  }
  if (values.given("at")) {
    m_run.at = parse_instant(values.text("at"));
  }
  m_run.horizon = seconds{values.integer("horizon-days") * 86400};
  m_run.override_reason = std::string(text::trim(values.text("override-reason")));
  if (m_run.override_reason.size() > 500) {
    errors.push_back(values.error("override-reason", "at most 500 characters"));
  }
  m_run.listing = values.boolean("list");
  if (values.given("from")) {
    m_run.from = parse_instant(values.text("from"));
  }
  if (values.given("until")) {
    m_run.until = parse_instant(values.text("until"));
  }
  m_run.ics = values.text("ics");
  if (!m_run.listing && (values.given("from") || values.given("until") || !m_run.ics.empty())) {
    errors.push_back(values.error(values.given("from")    ? "from"
                                  : values.given("until") ? "until"
                                                          : "ics",
                                  "goes with --list"));
  }
  m_run.token = values.text("token");
  m_run.secrets.add(m_run.token);
  m_run.timeout = *values.duration("timeout");
  m_run.deadline = *values.duration("deadline");
  secrets.add_url(inv.getenv("GITHUB_API_URL").value_or(""));
  if (auto base = net::api_base(inv.getenv("GITHUB_API_URL").value_or(github::k_default_base))) {
    m_run.api_base = std::move(*base);
  } else {
    errors.push_back({"GITHUB_API_URL: " + base.error().message, {}, {}});
  }

  const auto& calendar_path = values.text("calendar");
  if (!calendar_path.empty()) {
    if (!m_run.section_keys.empty()) {
      errors.push_back(values.error("calendar", "the config's freeze section has " +
                                                    text::join(m_run.section_keys, ", ") +
                                                    " too: keep one calendar (move them into the calendar file)"));
    }
    const auto path = values.origin("calendar") == options::Origin::config ? calendar_path : inv.resolve(calendar_path);
    const auto workspace = inv.getenv("GITHUB_WORKSPACE").value_or("");
    const auto dir = std::filesystem::path(path).parent_path().string();
    const Reader reader{*m_run.zones, paths::repository_root(dir.empty() ? inv.cwd : dir, workspace),
                        [&](const std::string& p) { return paths::shown_path(p, inv.cwd, inv.cwd); }};
    read_calendar_file(reader, path, m_run.calendar, errors);
  } else {
    m_run.calendar = std::move(m_run.section_calendar);
    errors.insert(errors.end(), m_run.section_errors.begin(), m_run.section_errors.end());
  }
  if (!calendar_path.empty()) {
    errors.insert(errors.end(), m_run.section_errors.begin(), m_run.section_errors.end());
  }
  const bool teams = std::any_of(m_run.calendar.overriders.begin(), m_run.calendar.overriders.end(),
                                 [](const std::string& o) { return o.front() == '@'; });
  if (teams && !m_run.override_reason.empty() && !net::global_init()) {
    throw std::runtime_error("libcurl could not be initialised");
  }
  return errors;
}

std::optional<bool> FreezeGate::may_override(const std::string& actor, std::string& why, Log& log) {
  const auto& who = m_run.calendar.overriders;
  if (who.empty()) {
    return true;
  }
  if (actor.empty()) {
    why = "GITHUB_TRIGGERING_ACTOR and GITHUB_ACTOR are not set, and overriders names who may override";
    return false;
  }
  std::vector<std::string> teams;
  for (const auto& o : who) {
    if (o.front() == '@') {
      teams.push_back(o.substr(1));
    } else if (text::iequals(o, actor)) {
      return true;
    }
  }
  if (teams.empty()) {
    why = actor + " is not among the overriders";
    return false;
  }
  if (m_run.token.empty()) {
    std::vector<std::string> shown;
    shown.reserve(teams.size());
    for (const auto& t : teams) {
      shown.push_back("@" + t);
    }
    why = "no token to read whether " + actor + " is in " + text::join(shown, ", ") +
          ": set SHIPGATE_FREEZE_TOKEN to a token with read:org (the workflow's GITHUB_TOKEN cannot read teams)";
    return std::nullopt;
  }
  net::Client client(net::user_agent("shipgate-freeze"));
  auto& clock = system_clock();
  net::Pool pool(client, clock, {}, clock.monotonic() + m_run.deadline);
  std::optional<bool> member = false;
  std::vector<std::string> failures;
  for (const auto& team : teams) {
    const auto slash = team.find('/');
    const auto url = m_run.api_base + "/orgs/" + net::path_segment(team.substr(0, slash)) + "/teams/" +
                     net::path_segment(team.substr(slash + 1)) + "/memberships/" + net::path_segment(actor);
    pool.submit(github::request(url, m_run.token, m_run.timeout), [&, team](const net::Response& r, int) {
      if (r.answered() && r.status == 200) {
        const auto doc = json::parse(r.body);
        if (doc && doc->is_object() && doc->value("state", "") == "active") {
          member = true;
        }
        log.debug(actor + " in @" + team + ": " + (doc && doc->is_object() ? doc->value("state", "?") : "?"));
      } else if (r.answered() && r.status == 404) {
        log.debug(actor + " is not in @" + team + " (or the token cannot see the team)");
      } else if (r.answered() && (r.status == 401 || r.status == 403)) {
        failures.push_back("@" + team + ": HTTP " + std::to_string(r.status) +
                           ": the token cannot read the organization's teams; give SHIPGATE_FREEZE_TOKEN a token "
                           "with read:org (a fine-grained token or App: Members, read)");
      } else {
        failures.push_back("@" + team + ": " + net::describe_failure(r, m_run.secrets, github::k_api_errors));
      }
    });
  }
  pool.run();
  if (*member) {
    return true;
  }
  if (!failures.empty()) {
    why = "could not read team membership: " + text::join(failures, "; ");
    return std::nullopt;
  }
  why = actor + " is not among the overriders (" + text::join(who, ", ") + ")";
  return false;
}

// What a window is, whatever its period.
nlohmann::json window_fields(const Window& w) {
  return {{"name", w.name},
          {"reason", w.reason},
          {"kind", to_string(w.kind)},
          {"allow", w.allow},
          {"hard", w.hard},
          {"environments", w.environments},
          {"timezone", w.zone->name()},
          {"zone_source", w.zone->origin() == ZoneOrigin::system ? "system" : "embedded"},
          {"where", w.where.to_string()}};
}

void add_period(nlohmann::json& into, const Window& w, const Period& p) {
  into["start"] = format_utc(p.start);
  into["end"] = format_utc(p.end);
  into["start_local"] = format_local(p.start, *w.zone);
  into["end_local"] = format_local(p.end, *w.zone);
}

nlohmann::json window_json(const Window& w, const Period& p) {
  auto j = window_fields(w);
  add_period(j, w, p);
  return j;
}

std::string when(Instant t, const Zone& zone) {
  return format_human(t, zone) + (zone.name() == "UTC" ? "" : " (" + format_utc(t) + ")");
}

Outcome FreezeGate::list(const Invocation&, Log& log) {
  Outcome outcome;
  const auto from = m_run.from.value_or(*m_run.at);
  const auto until = m_run.until.value_or(std::min(from + m_run.horizon, k_latest));
  if (until <= from || until - from > k_max_list_range) {
    outcome.input_errors.push_back(problem("--until must be after --from, by at most 400 days"));
    return outcome;
  }
  std::vector<Listed> listed;
  for (const auto& w : m_run.calendar.windows) {
    if (!w.applies_to(m_run.environment)) {
      continue;
    }
    auto ps = periods(w, from, until, k_max_listed);
    if (!ps) {
      outcome.input_errors.push_back({"window '" + w.name + "': " + ps.error().message, w.where, {}});
      return outcome;
    }
    for (const auto& p : *ps) {
      listed.push_back({&w, p});
    }
    if (listed.size() > k_max_listed) {
      outcome.input_errors.push_back(
          {"more than " + std::to_string(k_max_listed) + " periods: narrow --from/--until", {}, {}});
      return outcome;
    }
  }
  std::stable_sort(listed.begin(), listed.end(),
                   [](const Listed& a, const Listed& b) { return a.period.start < b.period.start; });
  for (const auto& l : listed) {
    Check c;
    c.name = std::string(l.window->allow ? "allow " : "freeze ") + l.window->name;
    c.verdict = Verdict::pass;
    c.message = when(l.period.start, *l.window->zone) + " to " + when(l.period.end, *l.window->zone) +
                (l.window->reason.empty() ? "" : ": " + l.window->reason);
    // A period names its window; what the window is goes once into the summary's windows.
    c.details = {{"name", l.window->name}, {"allow", l.window->allow}};
    add_period(c.details, *l.window, l.period);
    outcome.checks.push_back(std::move(c));
  }
  if (!m_run.ics.empty()) {
    const auto title = "Deploy freezes" + (m_run.environment.empty() ? std::string() : " (" + m_run.environment + ")");
    std::ofstream out(m_run.ics, std::ios::binary | std::ios::trunc);
    out << to_ics(listed, title, from);
    out.flush();
    if (!out) {  // the results could not be written: exit 3, as for --output-file
      Check failed;
      failed.name = "ics";
      failed.verdict = Verdict::error;
      failed.message = "cannot write " + m_run.ics + ": " + std::strerror(errno);
      outcome.checks.push_back(std::move(failed));
    } else {
      log.diagnose("wrote " + text::plural(listed.size(), "event") + " to " + m_run.ics);
    }
  }
  outcome.headline = text::plural(listed.size(), "period") + " from " + format_utc(from) + " to " + format_utc(until) +
                     (m_run.environment.empty() ? "" : " for " + m_run.environment);
  auto windows = nlohmann::json::array();
  for (const auto& w : m_run.calendar.windows) {
    if (w.applies_to(m_run.environment)) {
      windows.push_back(window_fields(w));
    }
  }
  outcome.summary = {{"from", format_utc(from)}, {"until", format_utc(until)},  {"environment", m_run.environment},
                     {"periods", listed.size()}, {"tzdata", tzdata::version()}, {"windows", std::move(windows)}};
  return outcome;
}

Outcome FreezeGate::evaluate(const Invocation& inv, Log& log) {
  if (!m_run.at) {
    m_run.at = date::floor<seconds>(inv.time().now());
  }
  if (!in_range(*m_run.at)) {
    Outcome outcome;
    outcome.input_errors.push_back(problem("the time is outside 1970 to 2037, the years zone data covers"));
    return outcome;
  }
  for (const auto& f : m_run.calendar.files) {
    log.debug("calendar file: " + f);
  }
  log.debug("zones from " +
            (m_run.zones->system_dir().empty() ? std::string("the embedded copy") : m_run.zones->system_dir()) +
            ", else the embedded tzdata " + std::string(tzdata::version()));
  if (m_run.listing) {
    return list(inv, log);
  }
  Outcome outcome;
  const auto at = *m_run.at;
  auto verdict = freeze::evaluate(m_run.calendar, m_run.environment, at, m_run.horizon);
  if (!verdict) {
    outcome.input_errors.push_back(verdict.error());
    return outcome;
  }
  const auto& v = *verdict;
  const auto named = "'" + m_run.environment + "'";
  const bool any = m_run.environment.empty();  // every window applies: speak of deploys
  const auto* utc = *m_run.zones->get("UTC");
  Check check;
  check.name = "freeze " + (m_run.environment.empty() ? std::string("(every environment)") : m_run.environment);
  nlohmann::json applied = nlohmann::json::array();
  for (const auto& a : v.applied) {
    applied.push_back(window_json(*a.window, a.period));
  }
  const auto* first = v.applied.empty() ? nullptr : v.applied.front().window;
  const auto* shown_zone = first != nullptr ? first->zone : utc;
  std::string overridden;
  if (!v.frozen) {
    check.verdict = Verdict::pass;
    check.message = "no freeze applies" + (any ? std::string() : " to " + named) + " at " + format_utc(at);
    if (v.next_freeze) {
      const auto& w = *v.next_windows.front();
      check.message += "; the next starts " + when(*v.next_freeze, *w.zone) + " ('" + w.name + "'" +
                       (w.allow ? ": allowed hours end" : "") + ")";
    } else {
      check.message += "; none in the next " + std::to_string(m_run.horizon.count() / 86400) + " days";
    }
  } else {
    std::vector<std::string> freezing;
    std::vector<std::string> allowing;
    for (const auto& a : v.applied) {
      (a.window->allow ? allowing : freezing)
          .push_back("'" + a.window->name + "'" + (a.window->reason.empty() ? "" : " (" + a.window->reason + ")"));
    }
    std::string why = freezing.empty() ? std::string() : "frozen by " + text::join(freezing, ", ");
    if (!allowing.empty()) {
      why += (why.empty() ? "" : " and ") + std::string("outside the allowed hours of ") + text::join(allowing, ", ");
    }
    const auto ends = v.ends_at ? "until " + when(*v.ends_at, *shown_zone)
                                : "for at least " + std::to_string(m_run.horizon.count() / 86400) + " days";
    check.message = (any ? std::string("deploys are ") : named + " is ") + why + " " + ends;
    if (m_run.override_reason.empty()) {
      check.verdict = Verdict::fail;
      check.message += v.hard ? "; a hard freeze: no override" : "; to deploy anyway, give --override-reason";
    } else if (v.hard) {
      check.verdict = Verdict::fail;
      check.message += "; override refused: a hard freeze takes none";
    } else {
      // Who started this attempt: on a re-run, the one who re-ran it (GITHUB_TRIGGERING_ACTOR).
      auto actor = inv.getenv("GITHUB_TRIGGERING_ACTOR").value_or("");
      if (actor.empty()) {
        actor = inv.getenv("GITHUB_ACTOR").value_or("");
      }
      std::string refusal;
      const auto allowed = may_override(actor, refusal, log);
      if (!allowed) {
        check.verdict = Verdict::error;
        check.message += "; override not checked: " + refusal;
      } else if (!*allowed) {
        check.verdict = Verdict::fail;
        check.message += "; override refused: " + refusal;
      } else {
        check.verdict = Verdict::warn;
        overridden = actor.empty() ? std::string("(unknown actor)") : actor;
        check.message = "OVERRIDDEN by " + overridden + " at " + format_utc(at) + ": \"" + m_run.override_reason +
                        "\"; " + check.message;
      }
    }
  }
  check.details = {{"environment", m_run.environment},
                   {"at", format_utc(at)},
                   {"frozen", v.frozen},
                   {"hard", v.hard},
                   {"outside_allowed", v.outside_allowed},
                   {"windows", applied},
                   {"ends_at", v.ends_at ? format_utc(*v.ends_at) : ""},
                   {"next_freeze_at", v.next_freeze ? format_utc(*v.next_freeze) : ""}};
  if (!overridden.empty()) {
    check.details["override"] = {{"reason", m_run.override_reason}, {"actor", overridden}, {"at", format_utc(at)}};
  }
  outcome.outputs = {{"frozen", v.frozen ? "true" : "false"},
                     {"window", first != nullptr ? first->name : ""},
                     {"ends-at", v.ends_at ? format_utc(*v.ends_at) : ""},
                     {"next-freeze-at", v.next_freeze ? format_utc(*v.next_freeze) : ""},
                     {"overridden", overridden.empty() ? "false" : "true"}};
  outcome.summary = check.details;
  outcome.summary["tzdata"] = tzdata::version();
  outcome.headline = !v.frozen ? "not frozen: " + (any ? std::string("deploys may go ahead") : named + " may deploy")
                     : !overridden.empty()
                         ? "freeze overridden by " + overridden + ": \"" + m_run.override_reason + "\""
                         : "frozen: " + (any ? std::string("no deploys") : named + " may not deploy");
  outcome.checks.push_back(std::move(check));
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<FreezeGate>(); }

}  // namespace shipgate::freeze
