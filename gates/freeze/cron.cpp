#include "freeze/cron.hpp"

#include <array>
#include <charconv>

#include "core/text.hpp"

namespace shipgate::freeze {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr std::size_t k_max_cron = 256;

struct Field {
  const char* name;
  int low;
  int high;
  std::array<const char*, 12> names;  // names[i] means low + i (months) or i (weekdays)
};

constexpr Field k_minute{"minute", 0, 59, {}};
constexpr Field k_hour{"hour", 0, 23, {}};
constexpr Field k_day{"day of month", 1, 31, {}};
constexpr Field k_month{
    "month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}};
constexpr Field k_weekday{"day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}};

std::optional<int> number(std::string_view s, const Field& f) {
  if (s.empty()) {
    return std::nullopt;
  }
  if (s.size() == 3 && f.names[0] != nullptr) {
    const auto lower = text::to_lower(s);
    for (std::size_t i = 0; i < f.names.size() && f.names[i] != nullptr; ++i) {
      if (lower == f.names[i]) {
        return static_cast<int>(i) + (f.low == 1 ? 1 : 0);
      }
    }
    return std::nullopt;
  }
  int value = 0;
  if (s.size() > 2) {
    return std::nullopt;
  }
  const auto r = std::from_chars(s.data(), s.data() + s.size(), value);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

/// Sets the values one field lists; nullopt on success, else what is wrong.
std::optional<std::string> parse_field(std::string_view text, const Field& f, std::vector<bool>& set, bool* last_day,
                                       std::vector<bool>* nth) {
  const auto wrong = [&](std::string_view item, const std::string& why) {
    return std::string(f.name) + " field: '" + text::shorten(text::one_line(item), 20) + "' " + why;
  };
  for (const auto item : text::split(text, ',')) {
    if (last_day != nullptr && item == "L") {
      *last_day = true;
      continue;
    }
    if (const auto hash = item.find('#'); nth != nullptr && hash != std::string_view::npos) {
      const auto day = number(item.substr(0, hash), f);
      const auto n = number(item.substr(hash + 1), k_minute);
      if (!day || *day < 0 || *day > 7 || !n || *n < 1 || *n > 5) {
        return wrong(item, "is not DAY#N (a weekday, then which one in the month, 1 to 5)");
      }
      (*nth)[static_cast<std::size_t>(*day % 7) * 6 + static_cast<std::size_t>(*n)] = true;
      continue;
    }
    auto base = item;
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      base = item.substr(0, slash);
      const auto s = number(item.substr(slash + 1), k_minute);
      if (!s || *s < 1 || *s > f.high) {
        return wrong(item, "has a step that is not a whole number from 1 to " + std::to_string(f.high));
      }
      step = *s;
    }
    int low = f.low;
    int high = f.high == 7 ? 6 : f.high;
    if (base != "*") {
      const auto dash = base.find('-');
      const auto a = number(base.substr(0, dash), f);
      const auto b = dash == std::string_view::npos ? a : number(base.substr(dash + 1), f);
      if (!a || !b || *a < f.low || *a > f.high || *b < f.low || *b > f.high) {
        return wrong(item, "is not " + std::string(f.names[0] != nullptr ? "a name or " : "") + "a number from " +
                               std::to_string(f.low) + " to " + std::to_string(f.high));
      }
      if (*a > *b) {
        return wrong(item, "is a range that runs backwards");
      }
      low = *a;
      high = dash == std::string_view::npos && step > 1 ? (f.high == 7 ? 6 : f.high) : *b;
    }
    for (int v = low; v <= high; v += step) {
      set[static_cast<std::size_t>(f.high == 7 ? v % 7 : v)] = true;
    }
  }
  return std::nullopt;
}

unsigned last_day_of(date::year_month ym) { return static_cast<unsigned>((ym / date::last).day()); }

}  // namespace

Result<Cron> Cron::parse(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return Error{"cron '" + text::shorten(text::one_line(text), 60) + "': " + why, {}, {}};
  };
  if (text.size() > k_max_cron) {
    return bad("longer than " + std::to_string(k_max_cron) + " characters");
  }
  std::string expanded(text::trim(text));
  static const std::array<std::pair<const char*, const char*>, 7> k_macros = {{{"@yearly", "0 0 1 1 *"},
                                                                               {"@annually", "0 0 1 1 *"},
                                                                               {"@monthly", "0 0 1 * *"},
                                                                               {"@weekly", "0 0 * * 0"},
                                                                               {"@daily", "0 0 * * *"},
                                                                               {"@midnight", "0 0 * * *"},
                                                                               {"@hourly", "0 * * * *"}}};
  for (const auto& [macro, fields] : k_macros) {
    if (expanded == macro) {
      expanded = fields;
    }
  }
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < expanded.size()) {
    while (i < expanded.size() && (expanded[i] == ' ' || expanded[i] == '\t')) {
      ++i;
    }
    const auto start = i;
    while (i < expanded.size() && expanded[i] != ' ' && expanded[i] != '\t') {
      ++i;
    }
    if (i > start) {
      fields.emplace_back(expanded.data() + start, i - start);
    }
  }
  if (fields.size() != 5) {
    return bad("expected 5 fields (minute hour day-of-month month day-of-week), got " + std::to_string(fields.size()));
  }
  Cron cron;
  cron.m_text = std::string(text::trim(text));
  std::vector<bool> minutes(60), hours(24), days(32), months(13), weekdays(7), nth(42);
  bool last_day = false;
  for (auto [field, spec, set, last, nths] :
       std::array<std::tuple<std::string_view, const Field*, std::vector<bool>*, bool*, std::vector<bool>*>, 5>{
           {{fields[0], &k_minute, &minutes, nullptr, nullptr},
            {fields[1], &k_hour, &hours, nullptr, nullptr},
            {fields[2], &k_day, &days, &last_day, nullptr},
            {fields[3], &k_month, &months, nullptr, nullptr},
            {fields[4], &k_weekday, &weekdays, nullptr, &nth}}}) {
    if (auto wrong = parse_field(field, *spec, *set, last, nths)) {
      return bad(*wrong);
    }
  }
  for (std::size_t v = 0; v < 60; ++v) {
    cron.m_minutes[v] = minutes[v];
    if (v < 24) {
      cron.m_hours[v] = hours[v];
    }
    if (v < 32) {
      cron.m_days[v] = days[v];
    }
    if (v < 13) {
      cron.m_months[v] = months[v];
    }
    if (v < 7) {
      cron.m_weekdays[v] = weekdays[v];
    }
    if (v < 42) {
      cron.m_nth[v] = nth[v];
    }
  }
  cron.m_last_day = last_day;
  // As cron does: a day field written with '*' (even '*/2') leaves the day to the other one.
  cron.m_days_restricted = fields[2].front() != '*';
  cron.m_weekdays_restricted = fields[4].front() != '*';
  for (int h = 0; h < 24; ++h) {
    if (cron.m_hours[static_cast<std::size_t>(h)]) {
      cron.m_hour_list.push_back(h);
    }
  }
  for (int m = 0; m < 60; ++m) {
    if (cron.m_minutes[static_cast<std::size_t>(m)]) {
      cron.m_minute_list.push_back(m);
    }
  }
  if (!cron.can_fire()) {
    return bad("never fires (no such day)");
  }
  return cron;
}

bool Cron::matches_day(date::year_month_day day) const {
  const auto d = static_cast<unsigned>(day.day());
  if (!m_months[static_cast<unsigned>(day.month())]) {
    return false;
  }
  const bool dom = m_days[d] || (m_last_day && d == last_day_of(day.year() / day.month()));
  const auto wd = date::weekday(day).c_encoding();
  const bool dow = m_weekdays[wd] || m_nth[wd * 6 + (d - 1) / 7 + 1];
  if (m_days_restricted && m_weekdays_restricted) {
    return dom || dow;
  }
  return (!m_days_restricted || dom) && (!m_weekdays_restricted || dow);
}

bool Cron::can_fire() const {
  if (m_hour_list.empty() || m_minute_list.empty()) {
    return false;
  }
  // Eight years hold every month length, leap day and weekday-of-date a rule can ask for.
  const date::sys_days first = date::year{2024} / 1 / 1;
  for (auto day = first; day < first + date::days{366 * 8}; day += date::days{1}) {
    if (matches_day(date::year_month_day{day})) {
      return true;
    }
  }
  return false;
}

Cron::Forward::Forward(const Cron& cron, const Zone& zone, Repeat repeat, Instant after)
    : m_cron(cron), m_zone(zone), m_repeat(repeat), m_after(after) {
  // A wall-clock time more than 3 hours before `after`'s cannot come after it: no zone moves
  // its clocks by more than that at once.
  m_start = date::floor<minutes>(zone.to_local(after).local - hours{3});
  m_day = date::floor<date::days>(m_start);
  m_end = date::floor<date::days>(zone.to_local(k_latest).local) + date::days{1};
  m_day_ok = cron.matches_day(date::year_month_day{date::sys_days{m_day.time_since_epoch()}});
}

std::optional<Instant> Cron::Forward::next() {
  const auto& hs = m_cron.m_hour_list;
  const auto& ms = m_cron.m_minute_list;
  while (m_day <= m_end) {
    if (m_day_ok) {
      while (m_hour < hs.size()) {
        while (m_minute < ms.size()) {
          const auto local = m_day + hours{hs[m_hour]} + minutes{ms[m_minute]};
          ++m_minute;
          if (local < m_start) {
            continue;
          }
          const auto t = m_zone.to_instant(local, m_repeat);
          if (t > m_after) {
            if (t > k_latest) {
              return std::nullopt;
            }
            m_after = t;  // a skipped time lands where the next one does: each instant once
            return t;
          }
        }
        m_minute = 0;
        ++m_hour;
      }
    }
    m_hour = 0;
    m_day += date::days{1};
    m_day_ok = m_cron.matches_day(date::year_month_day{date::sys_days{m_day.time_since_epoch()}});
  }
  return std::nullopt;
}

std::optional<Instant> Cron::next(Instant t, const Zone& zone, Repeat repeat) const {
  return Forward(*this, zone, repeat, t).next();
}

std::optional<Instant> Cron::previous(Instant t, const Zone& zone, Repeat repeat) const {
  const auto start = date::floor<minutes>(zone.to_local(t).local + hours{3});
  const auto first = date::floor<date::days>(zone.to_local(k_earliest).local) - date::days{1};
  for (auto day = date::floor<date::days>(start); day >= first; day -= date::days{1}) {
    if (!matches_day(date::year_month_day{date::sys_days{day.time_since_epoch()}})) {
      continue;
    }
    for (auto h = m_hour_list.rbegin(); h != m_hour_list.rend(); ++h) {
      for (auto m = m_minute_list.rbegin(); m != m_minute_list.rend(); ++m) {
        const auto local = day + hours{*h} + minutes{*m};
        if (local > start) {
          continue;
        }
        const auto at = zone.to_instant(local, repeat);
        if (at <= t) {
          return at < k_earliest ? std::nullopt : std::optional<Instant>(at);
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace shipgate::freeze
