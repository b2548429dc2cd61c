#pragma once

#include <string>
#include <vector>

#include "freeze/calendar.hpp"
#include "freeze/periods.hpp"

/// iCalendar (RFC 5545) for `shipgate-freeze --list --ics FILE`, so the freeze can be subscribed
/// to from a calendar app.
namespace shipgate::freeze {

struct Listed {
  const Window* window;
  Period period;
};

/// A VCALENDAR with one VEVENT per period: times in UTC, text escaped, lines folded at 75 octets
/// and ended with CRLF. `stamp` is the DTSTAMP of every event (the listing's time).
std::string to_ics(const std::vector<Listed>& listed, const std::string& title, Instant stamp);

}  // namespace shipgate::freeze
