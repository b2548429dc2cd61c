#include "freeze/periods.hpp"

#include <algorithm>

namespace shipgate::freeze {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr Instant k_end_of_time = k_latest + seconds{1};

unsigned weekday_of(date::local_days day) { return date::weekday(date::sys_days{day.time_since_epoch()}).c_encoding(); }

}  // namespace

std::vector<Period> merge(std::vector<Period> all) {
  std::sort(all.begin(), all.end(), [](const Period& a, const Period& b) { return a.start < b.start; });
  std::vector<Period> out;
  for (const auto& p : all) {
    if (!out.empty() && p.start <= out.back().end) {
      out.back().end = std::max(out.back().end, p.end);
    } else {
      out.push_back(p);
    }
  }
  return out;
}

const Period* containing(const std::vector<Period>& set, Instant t) {
  auto it = std::upper_bound(set.begin(), set.end(), t, [](Instant x, const Period& p) { return x < p.start; });
  if (it == set.begin()) {
    return nullptr;
  }
  --it;
  return t < it->end ? &*it : nullptr;
}

Result<std::vector<Period>> periods(const Window& w, Instant from, Instant until, std::size_t max) {
  std::vector<Period> out;
  bool too_many = false;
  const auto push = [&](Instant s, Instant e) {
    s = std::max(s, k_earliest);
    e = std::min(e, k_end_of_time);
    if (e > s && e > from && s < until) {
      out.push_back({s, e});
      too_many = too_many || out.size() > max;
    }
  };
  const auto& z = *w.zone;
  const auto first_day = [&](int back) {
    return date::floor<date::days>(z.to_local(std::max(from, k_earliest)).local) - date::days{back};
  };
  const auto last_day = date::floor<date::days>(z.to_local(std::min(until, k_latest)).local) + date::days{1};
  switch (w.kind) {
    case Kind::absolute:
      push(w.from, w.until);
      break;
    case Kind::weekly: {
      auto span = static_cast<int>((w.until_day + 7 - w.from_day) % 7) * 1440 + w.until_minute - w.from_minute;
      if (span <= 0) {
        span += 7 * 1440;
      }
      for (auto d = first_day(8); d <= last_day && !too_many; d += date::days{1}) {
        if (weekday_of(d) == w.from_day) {
          const auto start = d + minutes{w.from_minute};
          push(z.to_instant(start, Repeat::earliest), z.to_instant(start + minutes{span}, Repeat::latest));
        }
      }
      break;
    }
    case Kind::daily: {
      auto span = w.until_minute - w.from_minute;
      if (span <= 0) {
        span += 1440;
      }
      const auto one = [&](date::local_days d) {
        const auto start = d + minutes{w.from_minute};
        push(z.to_instant(start, Repeat::earliest), z.to_instant(start + minutes{span}, Repeat::latest));
      };
      const auto first = first_day(2);
      if (!w.dates.empty()) {
        for (auto it = std::lower_bound(w.dates.begin(), w.dates.end(), first);
             it != w.dates.end() && *it <= last_day && !too_many; ++it) {
          one(*it);
        }
      } else {
        for (auto d = first; d <= last_day && !too_many; d += date::days{1}) {
          if (w.days[weekday_of(d)]) {
            one(d);
          }
        }
      }
      break;
    }
    case Kind::cron: {
      if (!w.start || !w.end) {  // the reader keeps no such window; never read an empty one
        return Error{"a cron window needs freeze_start and freeze_end", w.where, {}};
      }
      // GitLab's meaning: frozen from a freeze_start firing through the first freeze_end firing
      // after it, both ends included (the end is stored one second later).
      const auto first = w.start->previous(std::max(from, k_earliest), z, Repeat::earliest);
      Cron::Forward starts(*w.start, z, Repeat::earliest, first ? *first - seconds{1} : from);
      Cron::Forward ends(*w.end, z, Repeat::latest, first.value_or(from));
      std::optional<Instant> end;
      bool ends_left = true;
      while (!too_many) {
        const auto s = starts.next();
        if (!s || *s >= until) {
          break;
        }
        while (ends_left && (!end || *end <= *s)) {
          end = ends.next();
          ends_left = end.has_value();
        }
        push(*s, ends_left ? *end + seconds{1} : k_end_of_time);
      }
      break;
    }
  }
  if (too_many) {
    return Error{"more than " + std::to_string(max) + " periods in the range: narrow it", {}, {}};
  }
  return merge(std::move(out));
}

Result<Answer> evaluate(const Calendar& calendar, const std::string& environment, Instant at,
                        std::chrono::seconds horizon) {
  constexpr std::size_t k_max_periods = 1'000'000;
  const auto range_end = std::min(at + horizon, k_end_of_time);
  struct Applicable {
    const Window* window;
    std::vector<Period> periods;
  };
  std::vector<Applicable> deny;
  std::vector<Applicable> allow;
  std::vector<Period> deny_all;
  std::vector<Period> allow_all;
  for (const auto& w : calendar.windows) {
    if (!w.applies_to(environment)) {
      continue;
    }
    auto ps = periods(w, at, range_end + seconds{1}, k_max_periods);
    if (!ps) {
      return Error{"window '" + w.name + "': " + ps.error().message, w.where, {}};
    }
    auto& into = w.allow ? allow_all : deny_all;
    into.insert(into.end(), ps->begin(), ps->end());
    (w.allow ? allow : deny).push_back({&w, std::move(*ps)});
  }
  const auto denied = merge(std::move(deny_all));
  const auto allowed = merge(std::move(allow_all));
  const bool has_allow = !allow.empty();
  const auto outside = [&](Instant t) { return has_allow && containing(allowed, t) == nullptr; };
  const auto next_allow = [&](Instant t) -> std::optional<Instant> {
    const auto it = std::find_if(allowed.begin(), allowed.end(), [&](const Period& p) { return p.start > t; });
    return it == allowed.end() ? std::nullopt : std::optional<Instant>(it->start);
  };

  Answer v;
  // The next freeze to start after `t` (a time nothing freezes), and the windows that start it.
  const auto next_after = [&](Instant t) {
    std::optional<Instant> next;
    const auto later = std::find_if(denied.begin(), denied.end(), [&](const Period& p) { return p.start > t; });
    if (later != denied.end()) {
      next = later->start;
    }
    if (has_allow) {
      if (const auto* open = containing(allowed, t); open != nullptr && (!next || open->end < *next)) {
        next = open->end;
      }
    }
    if (!next || *next >= range_end) {
      return;
    }
    v.next_freeze = next;
    for (const auto& a : deny) {
      if (std::any_of(a.periods.begin(), a.periods.end(), [&](const Period& p) { return p.start == *next; })) {
        v.next_windows.push_back(a.window);
      }
    }
    if (outside(*next)) {  // the allow window whose hours end then
      const auto before = v.next_windows.size();
      for (const auto& a : allow) {
        if (std::any_of(a.periods.begin(), a.periods.end(), [&](const Period& p) { return p.end == *next; })) {
          v.next_windows.push_back(a.window);
        }
      }
      if (v.next_windows.size() == before) {  // hours merged from several: name the first
        v.next_windows.push_back(allow.front().window);
      }
    }
  };
  if (containing(denied, at) != nullptr || outside(at)) {
    v.frozen = true;
    for (const auto& a : deny) {
      if (const auto* p = containing(a.periods, at)) {
        v.applied.push_back({a.window, *p});
        v.hard = v.hard || a.window->hard;
      }
    }
    if (outside(at)) {
      v.outside_allowed = true;
      const auto opens = next_allow(at);
      for (const auto& a : allow) {
        v.applied.push_back({a.window, {at, opens.value_or(range_end)}});
        v.hard = v.hard || a.window->hard;
      }
    }
    auto cur = at;
    bool known = true;
    while (cur < range_end) {
      if (const auto* p = containing(denied, cur)) {
        cur = p->end;
      } else if (outside(cur)) {
        const auto opens = next_allow(cur);
        if (!opens) {
          known = false;
          break;
        }
        cur = *opens;
      } else {
        break;
      }
    }
    if (known && cur < range_end) {
      v.ends_at = cur;
      next_after(cur);  // the freeze after this one
    }
    return v;
  }
  next_after(at);
  return v;
}

}  // namespace shipgate::freeze
