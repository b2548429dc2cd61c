#include "smoke/smoke.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/net/curl.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "smoke/poll.hpp"

namespace shipgate::smoke {

namespace {

/// A check of a value by one of smoke's own parsers, for the option's declaration.
template <class Parsed>
options::Validator by(Result<Parsed> (*parse)(std::string_view)) {
  return [parse](std::string_view text) -> std::optional<std::string> {
    auto parsed = parse(text);
    return parsed ? std::nullopt : std::optional<std::string>(parsed.error().message);
  };
}

const std::vector<options::Option>& declared() {
  using options::Type;
  static const std::vector<options::Option> k_options = {
      {.name = "url",
       .type = Type::url,
       .help = "URL to poll (repeatable; polled at once)",
       .repeatable = true,
       .aliases = {"urls"}},
      {.name = "expect-status",
       .help = "Healthy statuses: 200, 200-299, 2xx,301",
       .default_value = "200",
       .placeholder = "LIST",
       .validate = by(&StatusList::parse)},
      {.name = "expect-json",
       .help = "JSON check on a healthy answer (repeatable): '/ready == true'",
       .placeholder = "'PTR OP VALUE'",
       .repeatable = true,
       .validate = by(&JsonExpectation::parse)},
      {.name = "expect-body", .type = Type::regex, .help = "Regular expression (re2) a healthy body matches"},
      {.name = "warmup",
       .type = Type::duration,
       .help = "How long 'not ready yet' is tolerated",
       .default_value = "60s"},
      {.name = "warming-status",
       .help = "Statuses of the app's warming answer",
       .default_value = "503",
       .placeholder = "LIST",
       .validate = by(&StatusList::parse)},
      {.name = "warming-json",
       .help = "JSON check that recognises the warming answer (repeatable)",
       .placeholder = "'PTR OP VALUE'",
       .repeatable = true,
       .validate = by(&JsonExpectation::parse)},
      {.name = "warming-body", .type = Type::regex, .help = "Regular expression the warming answer matches"},
      {.name = "interval",
       .type = Type::duration,
       .help = "Time between attempts on one URL",
       .default_value = "5s",
       .min_duration = Millis(100)},
      options::request_timeout("30s"),
      options::run_deadline("5m"),
      {.name = "successes",
       .type = Type::integer,
       .help = "Healthy answers in a row needed",
       .default_value = "1",
       .min = 1,
       .max = 1000},
      {.name = "header",
       .type = Type::header,
       .help = "Request header (repeatable)",
       .repeatable = true,
       .aliases = {"headers"}},
      {.name = "header-from-env",
       .type = Type::header,
       .help = "Secret header from an environment variable (repeatable; masked)",
       .placeholder = "'NAME: ENVVAR'",
       .repeatable = true},
      {.name = "method",
       .type = Type::choice,
       .help = "HTTP method",
       .default_value = "GET",
       .placeholder = "METHOD",
       .choices = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}},
      {.name = "max-body",
       .type = Type::size,
       .help = "Largest body read; a longer one is not healthy",
       .default_value = "1MiB"},
      {.name = "max-redirects",
       .type = Type::integer,
       .help = "Redirects followed; secret headers never go to another host",
       .default_value = "0",
       .min = 0,
       .max = 20},
      {.name = "max-latency",
       .help = "Latency budget over healthy answers after the first: p95<800ms (repeatable)",
       .placeholder = "BUDGET",
       .repeatable = true,
       .validate = by(&LatencyBudget::parse)},
      {.name = "insecure",
       .type = Type::boolean,
       .help = "Do not verify TLS certificates (shown in the summary)",
       .default_value = "false"},
      {.name = "cacert", .type = Type::path, .help = "CA bundle for TLS (else the system's)", .env = {"SSL_CERT_FILE"}},
  };
  return k_options;
}

/// The start of the last answer's body that the log shows (its first lines).
constexpr std::size_t k_shown_body = 2000;

/// The URL as shown: without credentials (user:password@), shortened.
std::string shown_url(const std::string& url) {
  return text::shorten(text::one_line(text::without_userinfo(url)), 120);
}

std::string seconds(Millis ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

class SmokeGate final : public Gate {
public:
  GateInfo info() const override {
    return {"shipgate-smoke", "smoke",
            "Poll health URLs until healthy, failed or the deadline, tolerating warm-up.\n"
            "Exit 1 names each URL that was not healthy in time, and why."};
  }

  const std::vector<options::Option>& options() const override { return declared(); }

  std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets& secrets) override;

  Outcome evaluate(const Invocation& inv, Log& log) override;

  std::vector<options::Output> outputs() const override {
    return {{"healthy", "true when every URL was healthy in time, else false."},
            {"time-to-healthy", "Seconds until the slowest URL was healthy (empty unless all were)."},
            {"attempts", "Requests made, over all URLs."},
            {"last-status", "HTTP status of the last answer of the first URL that was not healthy."}};
  }

private:
  void read_headers(const options::Values& values, const Invocation& inv, Secrets& secrets, std::vector<Error>& errors);

  Settings m_settings;
  Secrets m_secrets;  // to take out of the last body before it is cut
};

/// The request headers; a header whose name says it carries a credential is a secret, and so is
/// every value read from the environment.
void SmokeGate::read_headers(const options::Values& values, const Invocation& inv, Secrets& secrets,
                             std::vector<Error>& errors) {
  const auto split = [](const std::string& text) {
    const auto colon = text.find(':');
    return std::pair{std::string(text::trim(std::string_view(text).substr(0, colon))),
                     std::string(text::trim(std::string_view(text).substr(colon + 1)))};
  };
  for (const auto& h : values.list("header")) {
    auto [name, value] = split(h);
    const bool secret = secret_header_name(name);
    if (secret) {
      secrets.add(value);
    }
    m_settings.request.headers.push_back({name, value, secret});
  }
  for (const auto& h : values.list("header-from-env")) {
    auto [name, var] = split(h);
    const auto env = inv.getenv(var);
    if (!env || env->empty()) {
      errors.push_back(values.error("header-from-env", "environment variable " + var + " is not set (or empty)"));
      continue;
    }
    secrets.add(*env);
    if (env->find_first_of("\r\n") != std::string::npos) {
      errors.push_back(values.error("header-from-env", "environment variable " + var + " holds a line break"));
      continue;
    }
    m_settings.request.headers.push_back({name, *env, true});
  }
}

std::vector<Error> SmokeGate::configure(const options::Values& values, const Invocation& inv, Secrets& secrets) {
  auto& s = m_settings;
  std::vector<Error> errors;
  s.urls = values.list("url");
  if (s.urls.empty()) {
    errors.push_back(
        values.error("url", "no URL given; pass --url https://app.example.com/health (or smoke.url in the config)"));
  }
  for (const auto& url : s.urls) {
    secrets.add_url(url);
  }
  read_headers(values, inv, secrets, errors);
  for (const auto& secret : secrets.values()) {
    m_secrets.add(secret);
  }
  s.warmup = *values.duration("warmup");
  s.interval = *values.duration("interval");
  s.timeout = *values.duration("timeout");
  s.deadline = *values.duration("deadline");
  s.successes = static_cast<int>(values.integer("successes"));
  s.healthy.statuses = *StatusList::parse(values.text("expect-status"));
  s.warming.statuses = *StatusList::parse(values.text("warming-status"));
  for (const auto& [name, into] :
       {std::pair{"expect-json", &s.healthy.json}, std::pair{"warming-json", &s.warming.json}}) {
    for (const auto& text : values.list(name)) {
      into->push_back(*JsonExpectation::parse(text));
    }
  }
  for (const auto& [name, into] : {std::pair{"expect-body", &s.healthy}, std::pair{"warming-body", &s.warming}}) {
    if (!values.text(name).empty()) {
      (void)into->set_body(values.text(name));
    }
  }
  for (const auto& text : values.list("max-latency")) {
    s.latency.push_back(*LatencyBudget::parse(text));
  }
  s.request.max_body =
      static_cast<std::size_t>(std::min<std::uint64_t>(*values.size("max-body"), std::uint64_t{256} << 20));
  s.request.method = values.text("method");
  s.request.max_redirects = static_cast<int>(values.integer("max-redirects"));
  s.request.insecure = values.boolean("insecure");
  s.request.cacert = values.text("cacert").empty() ? std::string() : inv.resolve(values.text("cacert"));
  if (!s.request.cacert.empty()) {
    // A CA bundle that cannot be read is the step's mistake (exit 2), never the service's.
    std::ifstream file(s.request.cacert);
    if (!file || std::filesystem::is_directory(s.request.cacert)) {
      errors.push_back(
          values.error("cacert", "cannot read the CA bundle '" + text::shorten(values.text("cacert"), 120) + "'"));
    }
  }
  if (!net::global_init()) {
    throw std::runtime_error("libcurl could not be initialised");
  }
  return errors;
}

Outcome SmokeGate::evaluate(const Invocation& inv, Log& log) {
  Outcome outcome;
  net::Client client(net::user_agent("shipgate-smoke"));
  if (m_settings.request.insecure) {
    log.diagnose("TLS certificates are not verified (--insecure)");
  }
  const auto results = poll(m_settings, inv.time(), client, [&log](const UrlResult& r, const Attempt& a) {
    log.diagnose("+" + seconds(a.at) + "s " + shown_url(r.url) + ": " + std::string(to_string(a.verdict)) + ", " +
                 text::one_line(a.reason) + " (" + units::format_duration(a.latency) + ")");
  });
  std::size_t attempts = 0;
  std::size_t healthy = 0;
  Millis slowest{0};
  long last_status = 0;
  for (const auto& r : results) {
    attempts += r.attempt_count;
    Check check;
    check.name = "health " + shown_url(r.url);
    check.verdict = r.healthy ? Verdict::pass : Verdict::fail;
    const auto tries = text::plural(r.attempt_count, "attempt");
    if (r.healthy) {
      ++healthy;
      slowest = std::max(slowest, r.time_to_healthy.value_or(Millis(0)));
      check.message = "healthy after " + seconds(r.time_to_healthy.value_or(Millis(0))) + "s (" + tries + ")";
    } else {
      check.message = text::one_line(r.reason) + " (" + tries + ")";
      if (last_status == 0) {
        last_status = r.last_status;
      }
      if (!r.last_body.empty()) {
        // The answer's first lines, each behind a prefix: a body can never start a line of the
        // log, so it cannot issue a workflow command. Secrets are masked by the log itself.
        // Secrets are taken out before the body is cut, so no part of one survives a cut; only
        // the start that is shown is scrubbed, however long the body.
        std::istringstream body(m_secrets.scrub_prefix(r.last_body, k_shown_body, r.last_body_cut));
        std::string line;
        log.diagnose(shown_url(r.url) + ": the last answer began:");
        for (int n = 0; n < 5 && std::getline(body, line); ++n) {
          log.diagnose("  | " + text::shorten(text::one_line(line), 200));
        }
      }
    }
    nlohmann::json timeline = nlohmann::json::array();
    for (const auto& a : r.attempts) {
      timeline.push_back({{"at_ms", a.at.count()},
                          {"status", a.status},
                          {"latency_ms", a.latency.count()},
                          {"verdict", to_string(a.verdict)},
                          {"reason", a.reason}});
    }
    check.details = {
        {"url", shown_url(r.url)}, {"healthy", r.healthy}, {"attempts", timeline}, {"attempt_count", r.attempt_count}};
    if (r.time_to_healthy) {
      check.details["time_to_healthy_ms"] = r.time_to_healthy->count();
    }
    outcome.checks.push_back(std::move(check));
  }
  if (last_status == 0 && !results.empty()) {
    last_status = results.back().last_status;
  }
  const bool all = healthy == results.size();
  outcome.headline = std::to_string(healthy) + " of " + text::plural(results.size(), "URL") + " healthy" +
                     (all ? " after " + seconds(slowest) + "s" : "");
  outcome.summary = {{"urls", results.size()},
                     {"healthy", healthy},
                     {"attempts", attempts},
                     {"insecure", m_settings.request.insecure}};
  outcome.outputs = {{"healthy", all ? "true" : "false"},
                     {"time-to-healthy", all ? seconds(slowest) : ""},
                     {"attempts", std::to_string(attempts)},
                     {"last-status", last_status == 0 ? "" : std::to_string(last_status)}};
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<SmokeGate>(); }

}  // namespace shipgate::smoke
