#include "freeze/zone.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

#include <date/tz_private.h>
#include <sys/stat.h>

#include "core/text.hpp"
#include "freeze/tzdata.hpp"

namespace {

/// The checked bytes of every zone loaded in this process, by the key its date::time_zone was
/// made with, and the zones themselves; read by shipgate_tz_zone_data when date/tz first uses a
/// zone. Entries are never removed, so the pointers handed out stay valid.
struct Registry {
  std::mutex mutex;
  std::map<std::string, std::string, std::less<>> bytes;
  std::map<std::string, std::unique_ptr<date::time_zone>, std::less<>> zones;
};

Registry& registry() {
  static Registry k_registry;
  return k_registry;
}

}  // namespace

/// Called by date/tz (scripts/fetch-date) for a zone's compiled file.
std::string shipgate_tz_zone_data(const std::string& name) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.bytes.find(name);
  if (it == r.bytes.end()) {
    throw std::runtime_error("zone data for '" + name + "' was never loaded");
  }
  return it->second;
}

namespace shipgate::freeze {

namespace {

constexpr std::size_t k_max_zone_file = std::size_t{256} * 1024;
constexpr std::int64_t k_fat_until = 2114380800;  // 2037-01-01T00:00:00Z

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(b[at])} << 24U) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 1])} << 16U) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 2])} << 8U) |
         std::uint32_t{static_cast<unsigned char>(b[at + 3])};
}

std::int64_t be64(std::string_view b, std::size_t at) {
  return static_cast<std::int64_t>((std::uint64_t{be32(b, at)} << 32U) | be32(b, at + 4));
}

struct Counts {
  std::uint32_t isut, isstd, leap, time, type, chars;
};

Counts counts(std::string_view b, std::size_t header) {
  return {be32(b, header + 20), be32(b, header + 24), be32(b, header + 28),
          be32(b, header + 32), be32(b, header + 36), be32(b, header + 40)};
}

std::optional<std::string> read_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      static_cast<std::size_t>(st.st_size) > k_max_zone_file) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  if (!in.read(bytes.data(), st.st_size)) {
    return std::nullopt;
  }
  return bytes;
}

}  // namespace

bool in_range(Instant t) { return t >= k_earliest && t <= k_latest; }

std::optional<std::string> check_tzif(std::string_view b) {
  constexpr std::size_t k_header = 44;
  if (b.size() < k_header || b.substr(0, 4) != "TZif") {
    return "not a compiled zone file (no TZif header)";
  }
  if (b[4] < '2') {
    return "a version 1 zone file (version 2 or later is needed)";
  }
  const auto c1 = counts(b, 0);
  // Counts past these cannot come from tzdata; they would only make the sizes below overflow.
  const auto sane = [](const Counts& c) {
    return c.time <= 10'000 && c.type >= 1 && c.type <= 256 && c.chars <= 1024 && c.leap <= 1024 &&
           (c.isut == 0 || c.isut == c.type) && (c.isstd == 0 || c.isstd == c.type);
  };
  if (!sane(c1)) {
    return "implausible counts in the version 1 header";
  }
  const std::size_t v1 =
      std::size_t{c1.time} * 5 + std::size_t{c1.type} * 6 + c1.chars + std::size_t{c1.leap} * 8 + c1.isstd + c1.isut;
  const auto second = k_header + v1;
  if (b.size() < second + k_header || b.substr(second, 4) != "TZif" || b[second + 4] != b[4]) {
    return "no version 2 header where the version 1 data ends";
  }
  const auto c = counts(b, second);
  if (!sane(c)) {
    return "implausible counts in the version 2 header";
  }
  if (c.leap != 0) {
    return "a zone with leap seconds (a right/ zone)";
  }
  const auto data = second + k_header;
  const std::size_t v2 =
      std::size_t{c.time} * 9 + std::size_t{c.type} * 6 + c.chars + std::size_t{c.leap} * 12 + c.isstd + c.isut;
  if (b.size() < data + v2 + 2) {
    return "the file ends inside its version 2 data";
  }
  std::int64_t last = 0;
  for (std::uint32_t i = 0; i < c.time; ++i) {
    const auto t = be64(b, data + std::size_t{i} * 8);
    if (i > 0 && t <= last) {
      return "transitions out of order";
    }
    last = t;
    if (static_cast<unsigned char>(b[data + std::size_t{c.time} * 8 + i]) >= c.type) {
      return "a transition names a type that does not exist";
    }
  }
  for (std::uint32_t i = 0; i < c.type; ++i) {
    const auto at = data + std::size_t{c.time} * 9 + std::size_t{i} * 6;
    const auto offset = static_cast<std::int32_t>(be32(b, at));
    if (offset <= -25 * 3600 || offset >= 26 * 3600 || static_cast<unsigned char>(b[at + 5]) >= std::max(c.chars, 1U)) {
      return "a local time type out of range";
    }
  }
  const auto footer = data + v2;
  const auto end = b.find('\n', footer + 1);
  if (b[footer] != '\n' || end == std::string_view::npos) {
    return "no footer after the version 2 data";
  }
  // A slim file lists transitions only until the footer's rule takes over, which date/tz does not
  // read: a zone that still changes its clocks must list them up to 2037.
  const auto rule = b.substr(footer + 1, end - footer - 1);
  if (rule.find(',') != std::string_view::npos && (c.time == 0 || last < k_fat_until)) {
    return "a slim zone file (transitions not listed up to 2037)";
  }
  return std::nullopt;
}

bool plausible_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (const auto part : text::split(name, '/')) {
    if (part.empty() || part.front() == '.' || part.front() == '-') {
      return false;
    }
    for (const char ch : part) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                      ch == '+' || ch == '-';
      if (!ok) {
        return false;
      }
    }
  }
  return true;
}

std::vector<std::string> embedded_zone_names() {
  std::vector<std::string> names;
  names.reserve(tzdata::zones().size());
  for (const auto& z : tzdata::zones()) {
    names.emplace_back(z.name);
  }
  return names;
}

Result<const Zone*> Zones::get(std::string_view name) {
  for (const auto& z : m_loaded) {
    if (z->name() == name) {
      return z.get();
    }
  }
  const auto unknown = [&](const std::string& why) {
    const auto names = embedded_zone_names();
    std::optional<std::string> guess;
    for (const auto& n : names) {  // a name written in the wrong case
      if (text::iequals(n, name)) {
        guess = n;
        break;
      }
    }
    if (!guess) {
      guess = text::did_you_mean(name, names);
    }
    if (guess && *guess == name) {  // a real zone whose data could not be used
      return Error{"time zone '" + *guess + "' could not be loaded" + why, {}, {}};
    }
    return Error{"unknown time zone '" + text::shorten(text::one_line(name), 64) + "'" + why +
                     (guess ? " (did you mean '" + *guess + "'?)" : std::string()) +
                     ": use an IANA name such as Europe/Berlin or UTC",
                 {},
                 {}};
  };
  if (!plausible_zone_name(name)) {
    return unknown("");
  }
  std::optional<std::string> bytes;
  auto origin = ZoneOrigin::system;
  if (!m_dir.empty()) {
    bytes = read_file(m_dir + "/" + std::string(name));
    if (bytes && check_tzif(*bytes)) {
      bytes.reset();  // unusable (slim, old, damaged): the embedded copy serves
    }
  }
  if (!bytes) {
    const auto& all = tzdata::zones();
    const auto it = std::lower_bound(all.begin(), all.end(), name,
                                     [](const tzdata::Zone& z, std::string_view n) { return z.name < n; });
    if (it == all.end() || it->name != name) {
      return unknown("");
    }
    bytes = std::string(tzdata::bytes(*it));
    origin = ZoneOrigin::embedded;
    if (const auto wrong = check_tzif(*bytes)) {
      return unknown(" (its embedded data is unusable: " + *wrong + ")");
    }
  }
  const auto key =
      std::string(origin == ZoneOrigin::system ? "system:" : "embedded:") + m_dir + ":" + std::string(name);
  const date::time_zone* tz = nullptr;
  {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    auto found = r.zones.find(key);
    if (found == r.zones.end()) {
      r.bytes[key] = std::move(*bytes);
      found = r.zones.emplace(key, std::make_unique<date::time_zone>(key, date::detail::undocumented{})).first;
    }
    tz = found->second.get();
  }
  m_loaded.push_back(std::make_unique<Zone>(std::string(name), origin, tz));
  // date/tz reads the zone on first use: read it now, so a failure is an error here.
  try {
    (void)tz->get_info(Instant{});
  } catch (const std::exception& e) {
    m_loaded.pop_back();
    return unknown(std::string(" (its data cannot be read: ") + e.what() + ")");
  }
  return m_loaded.back().get();
}

Zone::LocalTime Zone::to_local(Instant t) const {
  const auto info = m_tz->get_info(t);
  return {Local{t.time_since_epoch() + info.offset}, info.offset, info.abbrev};
}

LocalKind Zone::kind(Local local) const {
  const auto info = m_tz->get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      return LocalKind::skipped;
    case date::local_info::ambiguous:
      return LocalKind::repeated;
    default:
      return LocalKind::unique;
  }
}

Instant Zone::to_instant(Local local, Repeat repeat) const {
  const auto info = m_tz->get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      return info.first.end;  // the instant the clocks jump over this time
    case date::local_info::ambiguous:
      return Instant{local.time_since_epoch() - (repeat == Repeat::earliest ? info.first.offset : info.second.offset)};
    default:
      return Instant{local.time_since_epoch() - info.first.offset};
  }
}

}  // namespace shipgate::freeze
