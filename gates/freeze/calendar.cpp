#include "freeze/calendar.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>

#include "core/paths.hpp"
#include "core/source.hpp"
#include "core/text.hpp"

namespace shipgate::freeze {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const std::vector<std::string>& window_keys() {
  static const std::vector<std::string> k_keys = {"name",         "reason",     "environments", "hard", "allow",
                                                  "timezone",     "from",       "until",        "days", "dates",
                                                  "freeze_start", "freeze_end", "cron_timezone"};
  return k_keys;
}

constexpr std::array<std::string_view, 7> k_day_names = {"sunday",   "monday", "tuesday", "wednesday",
                                                         "thursday", "friday", "saturday"};

/// 0 (Sunday) to 6 for "Fri", "friday" (any case).
std::optional<unsigned> parse_weekday(std::string_view s) {
  const auto lower = text::to_lower(s);
  for (unsigned i = 0; i < k_day_names.size(); ++i) {
    if (lower == k_day_names[i] || (lower.size() == 3 && k_day_names[i].substr(0, 3) == lower)) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<int> digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) {
    return std::nullopt;
  }
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return std::nullopt;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/// "HH:MM" (00:00 to 24:00) as minutes after midnight.
std::optional<int> parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') {
    return std::nullopt;
  }
  const auto h = digits(s, 0, 2);
  const auto m = digits(s, 3, 2);
  if (!h || !m || *m > 59 || *h > 24 || (*h == 24 && *m != 0)) {
    return std::nullopt;
  }
  return *h * 60 + *m;
}

std::optional<date::year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  const auto y = digits(s, 0, 4);
  const auto m = digits(s, 5, 2);
  const auto d = digits(s, 8, 2);
  if (!y || !m || !d) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return ymd;
}

/// A date and time, with the UTC offset when one is written (Z or +HH:MM).
struct DateTime {
  Local local;
  std::optional<seconds> offset;
  bool date_only = false;
};

std::optional<DateTime> parse_datetime(std::string_view s) {
  const auto day = parse_date(s.substr(0, std::min<std::size_t>(s.size(), 10)));
  if (!day) {
    return std::nullopt;
  }
  DateTime out{Local{date::local_days{*day}.time_since_epoch()}, std::nullopt, false};
  if (s.size() == 10) {
    out.date_only = true;
    return out;
  }
  if (s.size() < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':') {
    return std::nullopt;
  }
  const auto h = digits(s, 11, 2);
  const auto m = digits(s, 14, 2);
  if (!h || !m || *h > 23 || *m > 59) {
    return std::nullopt;
  }
  std::size_t at = 16;
  int sec = 0;
  if (at < s.size() && s[at] == ':') {
    const auto sv = digits(s, at + 1, 2);
    if (!sv || *sv > 60) {
      return std::nullopt;
    }
    sec = std::min(*sv, 59);  // a leap second reads as the second before it
    at += 3;
    if (at < s.size() && s[at] == '.') {  // fractions of a second: kept to the whole second
      ++at;
      const auto start = at;
      while (at < s.size() && at - start < 9 && s[at] >= '0' && s[at] <= '9') {
        ++at;
      }
      if (at == start) {
        return std::nullopt;
      }
    }
  }
  out.local += hours{*h} + minutes{*m} + seconds{sec};
  if (at == s.size()) {
    return out;
  }
  if ((s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
    out.offset = seconds{0};
    return out;
  }
  if ((s[at] == '+' || s[at] == '-') && s.size() == at + 6 && s[at + 3] == ':') {
    const auto oh = digits(s, at + 1, 2);
    const auto om = digits(s, at + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    const auto off = hours{*oh} + minutes{*om};
    out.offset = s[at] == '-' ? -off : off;
    return out;
  }
  return std::nullopt;
}

Error file_error(const std::string& message, const std::string& file, int line) {
  Error e;
  e.message = message;
  e.where.file = file;
  e.where.line = line;
  e.where.column = line > 0 ? 1 : 0;
  return e;
}

/// Reads one file's calendar keys; shared by the section, --calendar and includes.
class FileReader {
public:
  FileReader(const Reader& reader, Calendar& calendar, std::vector<Error>& errors, std::vector<std::string>& stack)
      : m_reader(reader), m_calendar(calendar), m_errors(errors), m_stack(stack) {}

  void read(const yaml::Document& doc, const yaml::Node& map, const std::string& file,
            const std::vector<std::string>& own, const std::string& prefix, const Zone* inherited, bool top);

private:
  void error(const yaml::Node& at, const std::string& key, const std::string& message) {
    m_errors.push_back({message, {m_shown, at.pos.line, at.pos.column}, m_prefix + key});
  }
  std::optional<std::string> scalar(const yaml::Node* node, const std::string& key);
  std::vector<std::pair<std::string, const yaml::Node*>> strings(const yaml::Node* node, const std::string& key);
  std::optional<bool> boolean(const yaml::Node* node, const std::string& key);
  const Zone* zone(const yaml::Node* node, const std::string& key);
  void window(const yaml::Node& node, std::size_t index, const Zone* fallback);
  void include(const yaml::Node& node, const std::string& file, const Zone* fallback);

  const Reader& m_reader;
  Calendar& m_calendar;
  std::vector<Error>& m_errors;
  std::vector<std::string>& m_stack;  // canonical paths of the files being read, for loops
  const yaml::Document* m_doc = nullptr;
  std::string m_shown;
  std::string m_prefix;
  bool m_zone_failed = false;
  bool m_top = true;  // the main calendar, not an included file
};

std::optional<std::string> FileReader::scalar(const yaml::Node* node, const std::string& key) {
  if (node == nullptr || node->is_null()) {
    return std::nullopt;
  }
  if (!node->is_scalar()) {
    error(*node, key, "expected one value");
    return std::nullopt;
  }
  const bool control = std::any_of(node->value.begin(), node->value.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (node->value.size() > k_max_text || control) {
    error(*node, key, "expected one line of at most " + std::to_string(k_max_text) + " characters");
    return std::nullopt;
  }
  return node->value;
}

std::vector<std::pair<std::string, const yaml::Node*>> FileReader::strings(const yaml::Node* node,
                                                                           const std::string& key) {
  std::vector<std::pair<std::string, const yaml::Node*>> out;
  if (node == nullptr || node->is_null()) {
    return out;
  }
  if (node->is_scalar()) {
    if (auto v = scalar(node, key)) {
      out.emplace_back(*v, node);
    }
    return out;
  }
  if (!node->is_sequence()) {
    error(*node, key, "expected a value or a list of values");
    return out;
  }
  for (const auto id : node->items) {
    const auto& item = m_doc->at(id);
    if (auto v = scalar(&item, key)) {
      out.emplace_back(*v, &item);
    }
  }
  return out;
}

std::optional<bool> FileReader::boolean(const yaml::Node* node, const std::string& key) {
  if (node == nullptr || node->is_null()) {
    return std::nullopt;
  }
  if (node->is_scalar() && yaml::is_core_true(*node)) {
    return true;
  }
  if (node->is_scalar() && yaml::is_core_false(*node)) {
    return false;
  }
  error(*node, key, "expected true or false");
  return std::nullopt;
}

const Zone* FileReader::zone(const yaml::Node* node, const std::string& key) {
  const auto name = scalar(node, key);
  if (!name) {
    return nullptr;
  }
  auto z = m_reader.zones.get(*name);
  if (!z) {
    error(*node, key, z.error().message);
    return nullptr;
  }
  return *z;
}

void FileReader::read(const yaml::Document& doc, const yaml::Node& map, const std::string& file,
                      const std::vector<std::string>& own, const std::string& prefix, const Zone* inherited, bool top) {
  m_doc = &doc;
  m_shown = m_reader.shown(file);
  m_prefix = prefix;
  m_calendar.files.push_back(m_shown);
  auto known = std::vector<std::string>{"windows", "include", "timezone"};
  if (top) {
    known.emplace_back("overriders");
  }
  known.insert(known.end(), own.begin(), own.end());
  // In the config section, core reports the keys nobody took; a file's keys are checked here.
  for (auto& e : prefix.empty()
                     ? config::check_keys(doc, map, known, "",
                                          top ? "" : " in an included calendar (overriders only in the main one)")
                     : std::vector<Error>{}) {
    e.where.file = m_shown;
    m_errors.push_back(std::move(e));
  }
  const auto* tz_node = doc.get(map, "timezone");
  const Zone* fallback = tz_node != nullptr ? zone(tz_node, "timezone") : inherited;
  m_zone_failed = tz_node != nullptr && fallback == nullptr;
  m_top = top;  // already reported: no second error per window
  if (top) {
    for (const auto& [login, node] : strings(doc.get(map, "overriders"), "overriders")) {
      const auto& who = login;
      const bool team = who.size() > 1 && who.front() == '@';
      const auto body = team ? who.substr(1) : who;
      const auto slash = body.find('/');
      const auto ok_part = [](std::string_view p) {
        return !p.empty() && p.size() <= 100 && p.front() != '-' && std::all_of(p.begin(), p.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                 c == '.';
        });
      };
      const bool valid = team ? slash != std::string::npos && ok_part(std::string_view(body).substr(0, slash)) &&
                                    ok_part(std::string_view(body).substr(slash + 1))
                              : ok_part(body) && body.size() <= 39 && body.find('.') == std::string::npos;
      if (!valid) {
        error(*node, "overriders", "'" + text::shorten(who, 60) + "' is neither a GitHub login nor @org/team");
      } else {
        m_calendar.overriders.push_back(who);
      }
    }
  }
  if (const auto* windows = doc.get(map, "windows"); windows != nullptr && !windows->is_null()) {
    if (!windows->is_sequence()) {
      error(*windows, "windows", "expected a list of windows");
    } else {
      for (std::size_t i = 0; i < windows->items.size(); ++i) {
        if (m_calendar.windows.size() >= k_max_windows) {
          error(doc.at(windows->items[i]), "windows",
                "more than " + std::to_string(k_max_windows) + " windows: merge them (a window takes many dates)");
          break;
        }
        window(doc.at(windows->items[i]), i, fallback);
      }
    }
  }
  for (const auto& [path, node] : strings(doc.get(map, "include"), "include")) {
    include(*node, file, fallback);
    m_doc = &doc;  // the include read its own document
    m_shown = m_reader.shown(file);
    m_prefix = prefix;
  }
}

void FileReader::include(const yaml::Node& node, const std::string& file, const Zone* fallback) {
  namespace fs = std::filesystem;
  const auto written = node.value;
  // In the config's freeze section a path is relative to the repository root, as every path in
  // the config is; in a calendar file, to that file.
  const auto dir = !m_prefix.empty() ? m_reader.root : fs::path(file).parent_path().string();
  const auto target = fs::path(paths::join(dir.empty() ? "." : dir, written)).lexically_normal().string();
  std::error_code ec;
  const auto canonical = fs::weakly_canonical(target, ec).string();
  auto root_path = fs::weakly_canonical(m_reader.root, ec);
  if (!root_path.has_filename()) {  // "/repo/" is "/repo"
    root_path = root_path.parent_path();
  }
  const auto root = root_path.string();
  if (canonical.empty() || (canonical != root && canonical.rfind(root + "/", 0) != 0)) {
    error(node, "include",
          "'" + text::shorten(written, 80) + "' is outside the repository: include only its own files");
    return;
  }
  if (std::find(m_stack.begin(), m_stack.end(), canonical) != m_stack.end()) {
    error(node, "include",
          "'" + text::shorten(written, 80) + "' includes itself (through " + std::to_string(m_stack.size()) +
              " files): remove the loop");
    return;
  }
  if (m_stack.size() >= k_max_include_depth) {
    error(node, "include", "includes nest deeper than " + std::to_string(k_max_include_depth) + " files");
    return;
  }
  if (m_calendar.files.size() >= k_max_includes) {
    error(node, "include", "more than " + std::to_string(k_max_includes) + " calendar files");
    return;
  }
  auto text = read_text_file(target);
  if (!text) {
    error(node, "include",
          "cannot read '" + text::shorten(written, 80) + "' (" + text::shorten(m_reader.shown(target), 120) +
              "): " + text.error().message);
    return;
  }
  auto doc = yaml::parse(*text, m_reader.shown(target));
  if (!doc) {
    m_errors.push_back(doc.error());
    return;
  }
  if (!doc->root().is_mapping()) {
    m_errors.push_back(
        file_error("an included calendar must be a mapping with a windows: list", m_reader.shown(target), 1));
    return;
  }
  m_stack.push_back(canonical);
  FileReader inner(m_reader, m_calendar, m_errors, m_stack);
  inner.read(*doc, doc->root(), target, {}, "", fallback, false);
  m_stack.pop_back();
  // The windows keep pointers to zones only, never to the included document, so it may go.
}

void FileReader::window(const yaml::Node& node, std::size_t index, const Zone* fallback) {
  const auto key = "windows[" + std::to_string(index) + "]";
  if (!node.is_mapping()) {
    error(node, key, "expected a window: a mapping with from/until, days, dates or freeze_start/freeze_end");
    return;
  }
  for (auto& e : config::check_keys(*m_doc, node, window_keys(), m_prefix + key, " in a window")) {
    e.where.file = m_shown;
    m_errors.push_back(std::move(e));
  }
  const auto errors_before = m_errors.size();
  // A key with no value (`freeze_end:`, or `freeze_end,` in a flow mapping) is not given.
  const auto get = [&](std::string_view k) -> const yaml::Node* {
    const auto* n = m_doc->get(node, k);
    return n != nullptr && n->is_null() ? nullptr : n;
  };
  Window w;
  w.where = {m_shown, node.pos.line, node.pos.column};
  // Unnamed: "window N" (from 1), and in an included file "window N of FILE", so names stay apart.
  w.name = scalar(get("name"), key + ".name")
               .value_or("window " + std::to_string(index + 1) +
                         (m_top ? std::string() : " of " + std::filesystem::path(m_shown).filename().string()));
  w.reason = scalar(get("reason"), key + ".reason").value_or("");
  for (const auto& [env, at] : strings(get("environments"), key + ".environments")) {
    if (text::trim(env).empty()) {
      error(*at, key + ".environments", "an environment name or glob cannot be empty");
    } else {
      w.environments.push_back(env);
    }
  }
  w.hard = boolean(get("hard"), key + ".hard").value_or(false);
  w.allow = boolean(get("allow"), key + ".allow").value_or(false);
  const auto* own_zone = get("timezone");
  const auto* cron_zone = get("cron_timezone");
  const auto* start = get("freeze_start");
  const auto* end = get("freeze_end");
  const auto* from = get("from");
  const auto* until = get("until");
  const auto* days = get("days");
  const auto* dates = get("dates");

  if (start != nullptr || end != nullptr || cron_zone != nullptr) {
    w.kind = Kind::cron;
    if (from != nullptr || until != nullptr || days != nullptr || dates != nullptr) {
      error(node, key, "a cron window (freeze_start/freeze_end) takes no from, until, days or dates");
      return;
    }
    if (cron_zone != nullptr && own_zone != nullptr) {
      error(*cron_zone, key + ".cron_timezone", "give cron_timezone or timezone, not both");
      return;
    }
    for (const auto& [cron_node, cron_key, slot] :
         {std::tuple{start, "freeze_start", &w.start}, std::tuple{end, "freeze_end", &w.end}}) {
      const auto text = scalar(cron_node, key + "." + cron_key);
      if (cron_node == nullptr) {
        error(node, key + "." + cron_key, std::string("a cron window needs ") + cron_key);
        continue;
      }
      if (!text) {
        continue;
      }
      auto parsed = Cron::parse(*text);
      if (!parsed) {
        error(*cron_node, key + "." + cron_key, parsed.error().message);
      } else {
        *slot = std::move(*parsed);
      }
    }
    const auto* zone_node = cron_zone != nullptr ? cron_zone : own_zone;
    // GitLab reads a cron without cron_timezone in UTC; here the window's or the calendar's
    // timezone comes first (docs/freeze.md), and UTC only when neither is given.
    w.zone = zone_node != nullptr  ? zone(zone_node, key + (cron_zone != nullptr ? ".cron_timezone" : ".timezone"))
             : fallback != nullptr ? fallback
                                   : *m_reader.zones.get("UTC");
  } else {
    w.zone = own_zone != nullptr ? zone(own_zone, key + ".timezone") : fallback;
    const auto from_text = scalar(from, key + ".from");
    const auto until_text = scalar(until, key + ".until");
    if ((from == nullptr) != (until == nullptr)) {
      error(
          node, key + (from == nullptr ? ".from" : ".until"),
          std::string("a window needs both from and until (") + (from == nullptr ? "from" : "until") + " is missing)");
      return;
    }
    if (m_errors.size() != errors_before) {
      return;
    }
    const auto need_zone = [&]() {
      if (w.zone == nullptr && own_zone == nullptr && !m_zone_failed) {
        error(node, key + ".timezone",
              "wall-clock times need a time zone: add timezone: (an IANA name such as America/New_York or UTC) to the "
              "window or to the calendar");
        return false;
      }
      return w.zone != nullptr;
    };
    if (from == nullptr && days == nullptr && dates == nullptr) {
      error(node, key, "a window needs from/until, days, dates or freeze_start/freeze_end");
      return;
    }
    if (days == nullptr && dates == nullptr && from_text && until_text) {
      // Both ends are written the same way: a time of day, a time of the week, or a date and time.
      const auto shape = [](const std::string& t) -> const char* {
        if (parse_clock(t)) {
          return "a time of day (HH:MM)";
        }
        const auto space = t.find(' ');
        if (space != std::string::npos && parse_weekday(std::string_view(t).substr(0, space)) &&
            parse_clock(text::trim(std::string_view(t).substr(space + 1)))) {
          return "a time of the week ('Fri 17:00')";
        }
        return parse_datetime(t) ? "a date and time" : nullptr;
      };
      const auto* sf = shape(*from_text);
      const auto* su = shape(*until_text);
      if (sf != nullptr && su == nullptr) {
        error(*until, key + ".until",
              "'" + text::shorten(*until_text, 40) + "' is not " + sf + ", as from is: write both ends the same way");
        return;
      }
      if (sf != nullptr && su != nullptr && std::string_view(sf) != su) {
        error(*until, key + ".until",
              std::string("until is ") + su + " but from is " + sf + ": write both ends the same way");
        return;
      }
    }
    const auto clock_from = from_text ? parse_clock(*from_text) : std::optional<int>(0);
    const auto clock_until = until_text ? parse_clock(*until_text) : std::optional<int>(0);
    if (days != nullptr || dates != nullptr || (clock_from && clock_until)) {
      w.kind = Kind::daily;
      if (!clock_from || !clock_until) {
        error(from_text && !clock_from ? *from : *until, key + (from_text && !clock_from ? ".from" : ".until"),
              "with days or dates, from and until are times of day: HH:MM (00:00 to 24:00)");
        return;
      }
      if (days != nullptr && dates != nullptr) {
        error(*dates, key + ".dates", "give days or dates, not both");
        return;
      }
      w.from_minute = *clock_from;
      w.until_minute = *clock_until;
      if (w.from_minute == 24 * 60) {
        error(*from, key + ".from", "24:00 is the end of a day: start at 00:00");
        return;
      }
      for (const auto& [d, at] : strings(days, key + ".days")) {
        if (const auto wd = parse_weekday(d)) {
          w.days.set(*wd);
        } else {
          error(*at, key + ".days", "'" + text::shorten(d, 20) + "' is not a weekday (mon ... sun)");
        }
      }
      if (days == nullptr) {
        w.days.set();
      }
      const auto listed = strings(dates, key + ".dates");
      if (listed.size() > k_max_dates) {
        error(*dates, key + ".dates", "more than " + std::to_string(k_max_dates) + " dates in one window");
        return;
      }
      for (const auto& [d, at] : listed) {
        if (const auto ymd = parse_date(d)) {
          w.dates.emplace_back(*ymd);
        } else {
          error(*at, key + ".dates", "'" + text::shorten(d, 30) + "' is not a date (YYYY-MM-DD)");
        }
      }
      std::sort(w.dates.begin(), w.dates.end());
      w.dates.erase(std::unique(w.dates.begin(), w.dates.end()), w.dates.end());
      if (dates != nullptr && w.dates.empty() && m_errors.size() == errors_before) {
        error(*dates, key + ".dates", "no dates listed");
      }
      if (!need_zone()) {
        return;
      }
    } else {
      const auto weekly = [](const std::string& s) -> std::optional<std::pair<unsigned, int>> {
        const auto space = s.find(' ');
        if (space == std::string::npos) {
          return std::nullopt;
        }
        const auto day = parse_weekday(std::string_view(s).substr(0, space));
        const auto clock = parse_clock(text::trim(std::string_view(s).substr(space + 1)));
        if (!day || !clock) {
          return std::nullopt;
        }
        return std::pair{*day, *clock};
      };
      const auto wf = weekly(*from_text);
      const auto wu = weekly(*until_text);
      if (wf && wu) {
        w.kind = Kind::weekly;
        w.from_day = wf->first;
        w.from_minute = wf->second;
        w.until_day = wu->first;
        w.until_minute = wu->second;
        if (w.from_day == w.until_day && w.from_minute == w.until_minute) {
          error(*until, key + ".until", "until is the same time of the week as from: a weekly window needs a length");
          return;
        }
        if (!need_zone()) {
          return;
        }
      } else {
        const auto df = parse_datetime(*from_text);
        const auto du = parse_datetime(*until_text);
        if (!df || !du) {
          const auto* bad = !df ? from : until;
          error(*bad, key + (!df ? ".from" : ".until"),
                "'" + text::shorten(!df ? *from_text : *until_text, 40) +
                    "' is not a time: write 2026-12-24T17:00:00Z (or a local 2026-12-24 17:00 or 2026-12-24 with "
                    "timezone), 'Fri 17:00' for every week, or '17:00' for every day");
          return;
        }
        w.kind = Kind::absolute;
        if ((!df->offset || !du->offset) && !need_zone()) {
          return;
        }
        if (w.zone == nullptr) {
          w.zone = *m_reader.zones.get("UTC");  // only for showing instants
        }
        const auto instant = [&](const DateTime& dt, Repeat repeat) {
          return dt.offset ? Instant{dt.local.time_since_epoch() - *dt.offset} : w.zone->to_instant(dt.local, repeat);
        };
        w.from = instant(*df, Repeat::earliest);
        w.until = instant(*du, Repeat::latest);
        for (const auto& [t, at, k] : {std::tuple{w.from, from, ".from"}, std::tuple{w.until, until, ".until"}}) {
          if (!in_range(t)) {
            error(*at, key + k, "outside 1970 to 2037, the years zone data covers");
            return;
          }
        }
        if (w.until <= w.from) {
          error(*until, key + ".until", "until is not after from");
          return;
        }
      }
    }
    if (days != nullptr && w.kind != Kind::daily) {
      error(*days, key + ".days", "days go with from/until times of day (HH:MM)");
    }
  }
  if (m_errors.size() == errors_before && w.zone != nullptr) {
    m_calendar.windows.push_back(std::move(w));
  }
}

}  // namespace

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::absolute:
      return "absolute";
    case Kind::weekly:
      return "weekly";
    case Kind::daily:
      return "daily";
    case Kind::cron:
      return "cron";
  }
  return "absolute";
}

bool Window::applies_to(std::string_view environment) const {
  if (environment.empty() || environments.empty()) {
    return true;
  }
  return std::any_of(environments.begin(), environments.end(),
                     [&](const std::string& glob) { return glob_match(glob, environment); });
}

bool glob_match(std::string_view pattern, std::string_view name) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::size_t p = 0;
  std::size_t n = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(name[n]))) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

void read_calendar(const Reader& reader, const yaml::Document& doc, const yaml::Node& map, const std::string& file,
                   const std::vector<std::string>& own_keys, const std::string& key_prefix, Calendar& calendar,
                   std::vector<Error>& errors) {
  std::vector<std::string> stack;
  std::error_code ec;
  stack.push_back(std::filesystem::weakly_canonical(file, ec).string());
  FileReader(reader, calendar, errors, stack).read(doc, map, file, own_keys, key_prefix, nullptr, true);
}

void read_calendar_file(const Reader& reader, const std::string& path, Calendar& calendar, std::vector<Error>& errors) {
  auto text = read_text_file(path);
  if (!text) {
    errors.push_back(file_error("cannot read the calendar: " + text.error().message, reader.shown(path), 0));
    return;
  }
  auto doc = yaml::parse(*text, reader.shown(path));
  if (!doc) {
    errors.push_back(doc.error());
    return;
  }
  if (doc->root().is_null()) {
    return;  // an empty calendar: nothing frozen
  }
  if (!doc->root().is_mapping()) {
    errors.push_back(file_error("a calendar is a mapping with a windows: list", reader.shown(path), 1));
    return;
  }
  read_calendar(reader, *doc, doc->root(), path, {}, "", calendar, errors);
}

std::optional<Instant> parse_instant(std::string_view text) {
  const auto dt = parse_datetime(text);
  if (!dt || !dt->offset) {
    return std::nullopt;
  }
  return Instant{dt->local.time_since_epoch() - *dt->offset};
}

namespace {

// Date and time fields of a count of seconds since 1970-01-01 (UTC or wall-clock), by date's
// civil-calendar arithmetic: no stream, no locale, since --list formats a million of them.
struct Fields {
  int year;
  unsigned month, day, weekday, hour, minute, second;
};

Fields fields(seconds since_epoch) {
  const auto day = date::floor<date::days>(date::sys_seconds{since_epoch});
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{date::sys_seconds{since_epoch} - day};
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          date::weekday{day}.c_encoding(),
          static_cast<unsigned>(hms.hours().count()),
          static_cast<unsigned>(hms.minutes().count()),
          static_cast<unsigned>(hms.seconds().count())};
}

// Appends `v` with at least `width` digits, zero-padded.
void put(std::string& out, long long v, int width) {
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v < 0 ? -v : v);
  (void)ec;
  const auto n = static_cast<int>(end - digits.data());
  if (v < 0) {
    out += '-';
  }
  out.append(static_cast<std::size_t>(std::max(0, width - n)), '0');
  out.append(digits.data(), end);
}

// "2026-12-24T17:00" (sep 'T') or "2026-12-24 17:00" (sep ' '), then ":SS" when with_seconds.
std::string date_time(const Fields& f, char sep, bool with_seconds) {
  std::string out;
  out.reserve(24);
  put(out, f.year, 4);
  out += '-';
  put(out, f.month, 2);
  out += '-';
  put(out, f.day, 2);
  out += sep;
  put(out, f.hour, 2);
  out += ':';
  put(out, f.minute, 2);
  if (with_seconds) {
    out += ':';
    put(out, f.second, 2);
  }
  return out;
}

}  // namespace

std::string format_utc(Instant t) { return date_time(fields(t.time_since_epoch()), 'T', true) + 'Z'; }

std::string format_local(Instant t, const Zone& zone) {
  const auto lt = zone.to_local(t);
  const auto off = std::chrono::duration_cast<minutes>(lt.offset).count();
  auto out = date_time(fields(lt.local.time_since_epoch()), 'T', true);
  out += off < 0 ? '-' : '+';
  put(out, (off < 0 ? -off : off) / 60, 2);
  out += ':';
  put(out, (off < 0 ? -off : off) % 60, 2);
  return out;
}

std::string format_human(Instant t, const Zone& zone) {
  static constexpr std::array<const char*, 7> k_days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const auto lt = zone.to_local(t);
  const auto f = fields(lt.local.time_since_epoch());
  // Seconds only when there are some (a cron window's end, one second after its firing).
  return std::string(k_days.at(f.weekday % 7)) + " " + date_time(f, ' ', f.second != 0) + " " + lt.abbrev;
}

}  // namespace shipgate::freeze
