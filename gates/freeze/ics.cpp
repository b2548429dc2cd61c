#include "freeze/ics.hpp"

#include <cstdint>
#include <cstdio>

#include "core/text.hpp"

namespace shipgate::freeze {

namespace {

/// RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as \n, other controls gone.
std::string escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      out += c;
    }
  }
  return out;
}

/// One content line, folded at 75 octets without splitting a UTF-8 character.
void line(std::string& out, const std::string& content) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const auto c = static_cast<unsigned char>(content[i]);
    std::size_t n = 1;
    if (c >= 0xf0) {
      n = 4;
    } else if (c >= 0xe0) {
      n = 3;
    } else if (c >= 0xc0) {
      n = 2;
    }
    if (width + n > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(content, i, n);
    width += n;
    i += n - 1;
  }
  out += "\r\n";
}

std::string stamp_of(Instant t) { return date::format("%Y%m%dT%H%M%SZ", t); }

std::string uid(const Listed& l) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over what makes an event itself
  const auto mix = [&](std::string_view s) {
    for (const char c : s) {
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    h = (h ^ 0xffU) * 1099511628211ULL;
  };
  mix(l.window->name);
  mix(l.window->where.to_string());
  mix(stamp_of(l.period.start));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string(hex) + "-" + stamp_of(l.period.start) + "@shipgate-freeze";
}

}  // namespace

std::string to_ics(const std::vector<Listed>& listed, const std::string& title, Instant stamp) {
  std::string out;
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, std::string("PRODID:-//shipgate//shipgate-freeze ") + SHIPGATE_VERSION + "//EN");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:PUBLISH");
  line(out, "X-WR-CALNAME:" + escape(title));
  for (const auto& l : listed) {
    const auto& w = *l.window;
    line(out, "BEGIN:VEVENT");
    line(out, "UID:" + uid(l));
    line(out, "DTSTAMP:" + stamp_of(stamp));
    line(out, "DTSTART:" + stamp_of(l.period.start));
    line(out, "DTEND:" + stamp_of(l.period.end));
    line(out, "SUMMARY:" + escape((w.allow ? "Deploys allowed: " : "Deploy freeze: ") + w.name));
    std::string about = w.reason.empty() ? std::string() : w.reason + "\n";
    about += std::string(w.hard ? "Hard" : "Soft") + " " + (w.allow ? "allow window" : "freeze") + ", " +
             std::string(to_string(w.kind)) + ", zone " + w.zone->name() + ".";
    if (!w.environments.empty()) {
      about += "\nEnvironments: " + text::join(w.environments, ", ");
    }
    line(out, "DESCRIPTION:" + escape(about));
    line(out, std::string("CATEGORIES:") + (w.allow ? "deploy-window" : "deploy-freeze"));
    line(out, std::string("TRANSP:") + (w.allow ? "TRANSPARENT" : "OPAQUE"));
    line(out, "END:VEVENT");
  }
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace shipgate::freeze
