#include "smoke/smoke.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/cli.hpp"
#include "core/net/curl.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "smoke/poll.hpp"

namespace shipgate::smoke {

namespace {

/// Flags as given (strings), parsed in configure() so that flag and config errors read alike.
struct Flags {
  std::vector<std::string> urls;
  std::string expect_status = "200";
  std::vector<std::string> expect_json;
  std::string expect_body;
  std::string warmup = "60s";
  std::string warming_status = "503";
  std::vector<std::string> warming_json;
  std::string warming_body;
  std::string interval = "5s";
  std::string timeout = "30s";
  std::string deadline = "5m";
  int successes = 1;
  std::vector<std::string> headers;
  std::vector<std::string> headers_from_env;
  std::string method = "GET";
  std::string max_body = "1MiB";
  int max_redirects = 0;
  std::vector<std::string> max_latency;
  bool insecure = false;
  std::string cacert;
};

/// The URL as shown: without credentials (user:password@), shortened.
std::string shown_url(const std::string& url) {
  std::string out = url;
  const auto scheme = out.find("://");
  const auto at = out.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  const auto slash = out.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos && (slash == std::string::npos || at < slash)) {
    out.erase(scheme + 3, at - scheme - 2);
  }
  return text::shorten(text::one_line(out), 120);
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

  void add_flags(CLI::App& app) override {
    auto& f = m_flags;
    app.add_option("--url", f.urls, "URL to poll (repeatable; polled at once)")->option_text("URL");
    app.add_option("--expect-status", f.expect_status, "Healthy statuses (default: 200)")->option_text("LIST");
    app.add_option("--expect-json", f.expect_json, "JSON check on a healthy answer (repeatable): '/ready == true'")
        ->option_text("'PTR OP VALUE'");
    app.add_option("--expect-body", f.expect_body, "Regular expression (re2) a healthy body matches")
        ->option_text("REGEX");
    app.add_option("--warmup", f.warmup, "How long 'not ready yet' is tolerated (default: 60s)")
        ->option_text("DURATION");
    app.add_option("--warming-status", f.warming_status, "Statuses of the app's warming answer (default: 503)")
        ->option_text("LIST");
    app.add_option("--warming-json", f.warming_json, "JSON check that recognises the warming answer (repeatable)")
        ->option_text("'PTR OP VALUE'");
    app.add_option("--warming-body", f.warming_body, "Regular expression the warming answer matches")
        ->option_text("REGEX");
    app.add_option("--interval", f.interval, "Time between attempts on one URL (default: 5s)")->option_text("DURATION");
    app.add_option("--timeout", f.timeout, "Per request (default: 30s)")->option_text("DURATION");
    app.add_option("--deadline", f.deadline, "Whole run (default: 5m)")->option_text("DURATION");
    app.add_option("--successes", f.successes, "Healthy answers in a row needed (default: 1)")->option_text("N");
    app.add_option("--header", f.headers, "Request header (repeatable)")->option_text("'NAME: VALUE'");
    app.add_option("--header-from-env", f.headers_from_env, "Secret header from an environment variable (masked)")
        ->option_text("'NAME: ENVVAR'");
    app.add_option("--method", f.method, "HTTP method (default: GET)")->option_text("METHOD");
    app.add_option("--max-body", f.max_body, "Largest body read (default: 1MiB)")->option_text("SIZE");
    app.add_option("--max-redirects", f.max_redirects,
                   "Redirects followed; secret headers never go to another host (default: 0)")
        ->option_text("N");
    app.add_option("--max-latency", f.max_latency, "Latency budget over healthy answers: p95<800ms (repeatable)")
        ->option_text("BUDGET");
    app.add_flag("--insecure", f.insecure, "Do not verify TLS certificates (shown in the summary)");
    app.add_option("--cacert", f.cacert, "CA bundle for TLS (default: SSL_CERT_FILE, else the system's)")
        ->option_text("FILE");
  }

  void configure(config::Section& section, const CLI::App& app, const Invocation& inv) override;

  std::vector<Error> prepare(const Invocation& inv) override;
  void read_headers(const Invocation& inv);

  std::vector<std::string> secrets() const override { return m_secrets.values(); }

  Outcome evaluate(const Invocation& inv, Log& log) override;

  std::vector<std::string> output_names() const override {
    return {"healthy", "time_to_healthy", "attempts", "last_status"};
  }

private:
  Flags m_flags;
  Settings m_settings;
  std::vector<Error> m_errors;
  Secrets m_secrets;
};

void SmokeGate::configure(config::Section& section, const CLI::App& app, const Invocation& inv) {
  auto& f = m_flags;
  const auto take = [&](std::string_view key, auto& into) { cli::from_config(section, app, key, into); };
  take("url", f.urls);
  take("expect-status", f.expect_status);
  take("expect-json", f.expect_json);
  take("expect-body", f.expect_body);
  take("warmup", f.warmup);
  take("warming-status", f.warming_status);
  take("warming-json", f.warming_json);
  take("warming-body", f.warming_body);
  take("interval", f.interval);
  take("timeout", f.timeout);
  take("deadline", f.deadline);
  take("method", f.method);
  take("max-body", f.max_body);
  take("max-latency", f.max_latency);
  take("header", f.headers);
  take("header-from-env", f.headers_from_env);
  take("cacert", f.cacert);
  take("insecure", f.insecure);
  take("successes", f.successes);
  take("max-redirects", f.max_redirects);
  read_headers(inv);
}

/// Reads the request headers, here and not in prepare(): the secret values must be known before
/// anything is printed (core masks secrets() between configure() and prepare()).
void SmokeGate::read_headers(const Invocation& inv) {
  auto& f = m_flags;
  auto& s = m_settings;
  const cli::FlagErrors flags(m_errors);
  const auto header = [&](const std::string& flag, const std::string& text, bool from_env) {
    const auto colon = text.find(':');
    const auto name = std::string(text::trim(std::string_view(text).substr(0, colon)));
    const auto value = colon == std::string::npos ? std::string() : std::string(text::trim(text.substr(colon + 1)));
    const bool valid_name = !name.empty() && name.find_first_of(" \t\r\n") == std::string::npos;
    if (colon == std::string::npos || !valid_name || value.find_first_of("\r\n") != std::string::npos) {
      flags.fail(flag, "expected 'NAME: " + std::string(from_env ? "ENVVAR" : "VALUE") + "'");
      return;
    }
    if (!from_env) {
      const auto lower = text::to_lower(name);
      const bool secret = lower == "authorization" || lower == "cookie" || lower.find("token") != std::string::npos ||
                          lower.find("key") != std::string::npos;
      if (secret) {
        m_secrets.add(value);
      }
      s.request.headers.push_back({name, value, secret});
      return;
    }
    const auto env = inv.getenv(value);
    if (!env || env->empty()) {
      flags.fail(flag, "environment variable " + value + " is not set (or empty)");
      return;
    }
    if (env->find_first_of("\r\n") != std::string::npos) {
      flags.fail(flag, "environment variable " + value + " holds a line break");
      return;
    }
    m_secrets.add(*env);
    s.request.headers.push_back({name, *env, true});
  };
  for (const auto& h : f.headers) {
    header("--header", h, false);
  }
  for (const auto& h : f.headers_from_env) {
    header("--header-from-env", h, true);
  }
}

std::vector<Error> SmokeGate::prepare(const Invocation& inv) {
  auto& f = m_flags;
  auto& s = m_settings;
  std::vector<Error> errors;
  const cli::FlagErrors flags(errors);
  if (f.urls.empty()) {
    flags.fail("--url", "no URL given; pass --url https://app.example.com/health (or smoke.url in the config)");
  }
  for (const auto& url : f.urls) {
    const auto origin = net::origin(url);
    if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
      flags.fail("--url", "'" + shown_url(url) + "' is not an http:// or https:// URL");
    }
  }
  s.urls = f.urls;
  flags.duration("--warmup", f.warmup, s.warmup);
  flags.duration("--interval", f.interval, s.interval);
  flags.duration("--timeout", f.timeout, s.timeout);
  flags.duration("--deadline", f.deadline, s.deadline);
  if (s.timeout.count() == 0 || s.deadline.count() == 0) {
    flags.fail("--timeout/--deadline", "must be longer than 0s");
  }
  if (f.successes < 1 || f.successes > 1000) {
    flags.fail("--successes", "expected a number from 1 to 1000");
  }
  s.successes = f.successes;
  const auto statuses = [&](const std::string& flag, const std::string& text, StatusList& into) {
    if (auto list = StatusList::parse(text)) {
      into = *list;
    } else {
      flags.fail(flag, list.error().message);
    }
  };
  statuses("--expect-status", f.expect_status, s.healthy.statuses);
  statuses("--warming-status", f.warming_status, s.warming.statuses);
  const auto json = [&](const std::string& flag, const std::vector<std::string>& texts,
                        std::vector<JsonExpectation>& into) {
    for (const auto& text : texts) {
      if (auto e = JsonExpectation::parse(text)) {
        into.push_back(*e);
      } else {
        flags.fail(flag, e.error().message);
      }
    }
  };
  json("--expect-json", f.expect_json, s.healthy.json);
  json("--warming-json", f.warming_json, s.warming.json);
  for (const auto& [flag, pattern, into] : {std::tuple{"--expect-body", &f.expect_body, &s.healthy},
                                            std::tuple{"--warming-body", &f.warming_body, &s.warming}}) {
    if (!pattern->empty()) {
      if (auto ok = into->set_body(*pattern); !ok) {
        flags.fail(flag, ok.error().message);
      }
    }
  }
  for (const auto& text : f.max_latency) {
    if (auto budget = LatencyBudget::parse(text)) {
      s.latency.push_back(*budget);
    } else {
      flags.fail("--max-latency", budget.error().message);
    }
  }
  if (auto size = units::parse_size(f.max_body)) {
    s.request.max_body = static_cast<std::size_t>(std::min<std::uint64_t>(*size, std::uint64_t{256} << 20));
  } else {
    flags.fail("--max-body", size.error().message);
  }
  static const std::string k_methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  if (std::find(std::begin(k_methods), std::end(k_methods), f.method) == std::end(k_methods)) {
    flags.fail("--method", "expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  }
  s.request.method = f.method;
  errors.insert(errors.end(), m_errors.begin(), m_errors.end());
  if (f.max_redirects < 0 || f.max_redirects > 20) {
    flags.fail("--max-redirects", "expected a number from 0 to 20");
  }
  s.request.max_redirects = f.max_redirects;
  s.request.insecure = f.insecure;
  s.request.cacert = !f.cacert.empty() ? inv.resolve(f.cacert) : inv.getenv("SSL_CERT_FILE").value_or("");
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
    attempts += r.attempts.size();
    Check check;
    check.name = "health " + shown_url(r.url);
    check.verdict = r.healthy ? Verdict::pass : Verdict::fail;
    const auto tries = text::plural(r.attempts.size(), "attempt");
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
        // Secrets are taken out before the body is cut, so no part of one survives a cut.
        std::istringstream body(m_secrets.scrub(r.last_body).substr(0, 2000));
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
    check.details = {{"url", shown_url(r.url)}, {"healthy", r.healthy}, {"attempts", timeline}};
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
                     {"time_to_healthy", all ? seconds(slowest) : ""},
                     {"attempts", std::to_string(attempts)},
                     {"last_status", last_status == 0 ? "" : std::to_string(last_status)}};
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<SmokeGate>(); }

}  // namespace shipgate::smoke
