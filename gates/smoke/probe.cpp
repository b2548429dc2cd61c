#include "smoke/probe.hpp"

#include <algorithm>
#include <charconv>

#include <re2/re2.h>

#include "core/json.hpp"
#include "core/text.hpp"

namespace shipgate::smoke {

namespace {

std::optional<long> number(std::string_view text) {
  text = text::trim(text);
  long value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || value < 100 || value > 599) {
    return std::nullopt;
  }
  return value;
}

std::string shown(const nlohmann::json& value) { return text::shorten(value.dump(), 40); }

/// Whether the body meets the JSON and body expectations; the reason when not. nullopt in
/// `missing` reports a pointer that names nothing.
bool body_meets(const net::Response& r, const Expectation& e, std::string& reason, bool& missing) {
  if (r.truncated) {
    // A body past --max-body was never read whole: whatever it says, it is not a healthy answer.
    reason = "the answer is larger than --max-body, so it cannot be checked";
    return false;
  }
  if (!e.json.empty()) {
    const auto doc = json::parse(r.body);
    if (!doc) {
      reason = "the answer is not JSON";
      return false;
    }
    for (const auto& expect : e.json) {
      const auto holds = expect.holds(*doc);
      if (!holds) {
        reason = "the answer has no " + text::shorten(expect.pointer.to_string(), 60);
        missing = true;
        return false;
      }
      if (!*holds) {
        reason = "expected " + text::shorten(expect.text, 60) + ", got " + shown(doc->at(expect.pointer));
        return false;
      }
    }
  }
  if (e.body && !re2::RE2::PartialMatch(r.body, *e.body)) {
    reason = "the body does not match " + text::shorten(e.body_text, 40);
    return false;
  }
  return true;
}

}  // namespace

Result<StatusList> StatusList::parse(std::string_view text) {
  StatusList list;
  list.m_text = std::string(text::trim(text));
  for (const auto& part : text::split(text, ',')) {
    const auto dash = part.find('-');
    const auto low = number(part.substr(0, dash));
    const auto high = dash == std::string::npos ? low : number(part.substr(dash + 1));
    if (!low || !high || *high < *low) {
      return Error{"'" + text::shorten(part, 20) + "' is not a status or range (200, 200-299)", {}, {}};
    }
    list.m_ranges.emplace_back(*low, *high);
  }
  if (list.m_ranges.empty()) {
    return Error{"expected a list of statuses such as 200 or 200-299,304", {}, {}};
  }
  return list;
}

bool StatusList::contains(long status) const {
  return std::any_of(m_ranges.begin(), m_ranges.end(),
                     [status](const auto& r) { return status >= r.first && status <= r.second; });
}

Result<JsonExpectation> JsonExpectation::parse(std::string_view text) {
  static constexpr std::pair<std::string_view, Op> k_ops[] = {{"==", Op::eq}, {"!=", Op::ne}, {"<=", Op::le},
                                                              {">=", Op::ge}, {"<", Op::lt},  {">", Op::gt}};
  const auto usage = "expected 'POINTER OP VALUE' such as '/model_loaded == true' (OP: == != < <= > >=)";
  JsonExpectation out;
  out.text = std::string(text::trim(text));
  std::size_t at = std::string::npos;
  std::size_t len = 0;
  for (const auto& [name, op] : k_ops) {
    const auto found = out.text.find(name);
    if (found != std::string::npos && (at == std::string::npos || found < at)) {
      at = found;
      len = name.size();
      out.op = op;
    }
  }
  if (at == std::string::npos) {
    return Error{usage, {}, {}};
  }
  const auto pointer = std::string(text::trim(std::string_view(out.text).substr(0, at)));
  const auto value = std::string(text::trim(std::string_view(out.text).substr(at + len)));
  if (pointer.empty() || pointer.front() != '/' || value.empty()) {
    return Error{usage, {}, {}};
  }
  try {
    out.pointer = nlohmann::json::json_pointer(pointer);
  } catch (const nlohmann::json::exception&) {
    return Error{"'" + text::shorten(pointer, 40) + "' is not a JSON pointer (RFC 6901: /a/b, ~1 for /)", {}, {}};
  }
  out.value = nlohmann::json::parse(value, nullptr, false);
  if (out.value.is_discarded()) {
    out.value = value;  // a bare word: `/status == ok` compares with the string "ok"
  }
  if ((out.op != Op::eq && out.op != Op::ne) && !out.value.is_number()) {
    return Error{"'" + text::shorten(out.text, 40) + "': < <= > >= compare numbers", {}, {}};
  }
  return out;
}

std::optional<bool> JsonExpectation::holds(const nlohmann::json& doc) const {
  try {
    if (!doc.contains(pointer)) {
      return std::nullopt;
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // an array index no array can have
  }
  const auto& got = doc.at(pointer);
  switch (op) {
    case Op::eq:
      return got == value;
    case Op::ne:
      return got != value;
    default:
      break;
  }
  if (!got.is_number()) {
    return false;
  }
  const double a = got.get<double>();
  const double b = value.get<double>();
  switch (op) {
    case Op::lt:
      return a < b;
    case Op::le:
      return a <= b;
    case Op::gt:
      return a > b;
    case Op::ge:
      return a >= b;
    default:
      return false;
  }
}

Result<bool> Expectation::set_body(const std::string& pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);
  auto compiled = std::make_shared<re2::RE2>(pattern, options);
  if (!compiled->ok()) {
    return Error{"'" + text::shorten(pattern, 40) + "' is not a regular expression: " + compiled->error(), {}, {}};
  }
  body = std::move(compiled);
  body_text = pattern;
  return true;
}

std::string_view to_string(Health v) {
  switch (v) {
    case Health::healthy:
      return "healthy";
    case Health::warming:
      return "not ready";
    case Health::unhealthy:
      return "unhealthy";
    case Health::fatal:
      return "fatal";
  }
  return "unhealthy";
}

bool is_router_error_page(std::string_view body) {
  return body.find("Application Error") != std::string_view::npos ||
         body.find("herokucdn.com/error-pages") != std::string_view::npos;
}

Judgement judge(const net::Response& r, const Expectation& healthy, const Expectation& warming) {
  using net::Failure;
  switch (r.failure) {
    case Failure::none:
      break;
    case Failure::tls:
      return {Health::fatal, "TLS: " + text::shorten(r.error, 100)};
    case Failure::redirects:
    case Failure::other:
      return {Health::fatal, text::shorten(r.error, 100)};
    default:
      return {Health::warming, std::string(net::to_string(r.failure))};
  }
  const auto status = std::to_string(r.status);
  std::string reason;
  bool missing = false;
  if (healthy.statuses.contains(r.status)) {
    if (body_meets(r, healthy, reason, missing)) {
      return {Health::healthy, status};
    }
    if (missing) {
      return {Health::fatal, status + ": " + reason};
    }
    std::string ignored;
    bool warming_missing = false;
    const bool has_warming_body = !warming.json.empty() || warming.body;
    if (has_warming_body && warming.statuses.contains(r.status) && body_meets(r, warming, ignored, warming_missing)) {
      return {Health::warming, status + ": warming up (" + reason + ")"};
    }
    return {Health::unhealthy, status + ": " + reason};
  }
  if (warming.statuses.contains(r.status)) {
    if (is_router_error_page(r.body)) {
      return {Health::warming, status + ": Heroku router error page (app crashed, booting or not running)"};
    }
    std::string why;
    bool warming_missing = false;
    if (body_meets(r, warming, why, warming_missing)) {
      return {Health::warming, status + ": warming up"};
    }
    return {Health::unhealthy, status + ": not the app's warming answer (" + why + ")"};
  }
  if ((r.status == 502 || r.status == 503 || r.status == 504)) {
    return {Health::warming,
            status + (is_router_error_page(r.body) ? ": Heroku router error page" : ": gateway error")};
  }
  if (r.status == 401 || r.status == 403 || r.status == 404 || r.status == 405 || r.status == 410) {
    return {Health::fatal, status + ": this answer does not change with time; check the URL and its credentials"};
  }
  return {Health::unhealthy, status + ": expected " + healthy.statuses.text()};
}

}  // namespace shipgate::smoke
