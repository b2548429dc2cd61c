#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/net/http.hpp"
#include "smoke/probe.hpp"

namespace shipgate::smoke {

using Millis = std::chrono::milliseconds;

/// A latency budget over the healthy answers: `p95<800ms`, `p50<=300ms`, `max<2s`.
struct LatencyBudget {
  int percentile = 95;  // 100 for max
  bool inclusive = false;
  Millis limit{0};
  std::string text;

  static Result<LatencyBudget> parse(std::string_view text);
  /// The latency at this budget's percentile (nearest rank) of `samples`.
  Millis measure(std::vector<Millis> samples) const;
  bool within(Millis measured) const { return inclusive ? measured <= limit : measured < limit; }
};

/// Attempts kept in a URL's log, and latency samples kept for the budgets.
inline constexpr std::size_t k_max_logged_attempts = 500;
inline constexpr std::size_t k_max_latency_samples = 10'000;
/// The start of an answer's body kept for the log, which shows its first lines.
inline constexpr std::size_t k_max_kept_body = std::size_t{64} << 10;

/// How each URL is polled.
struct Settings {
  std::vector<std::string> urls;
  Expectation healthy;
  Expectation warming;
  Millis warmup{60'000};
  Millis interval{5'000};
  Millis timeout{30'000};
  Millis deadline{300'000};
  int successes = 1;
  std::vector<LatencyBudget> latency;
  net::Request request;  // method, headers, max_body, TLS settings (url and timeout set per attempt)
};

struct Attempt {
  Millis at{0};  // since the start of the run
  long status = 0;
  Millis latency{0};
  Health verdict = Health::unhealthy;
  std::string reason;
};

struct UrlResult {
  std::string url;
  bool healthy = false;
  std::string reason;  // why it failed, or the healthy answer
  /// The attempts logged: every one up to k_max_logged_attempts, then the first half of those
  /// and the latest (a run of 100 ms intervals over an hour stays small).
  std::vector<Attempt> attempts;
  /// Every attempt made, logged or not.
  std::size_t attempt_count = 0;
  /// Latencies of the healthy answers after the first one (the first is the end of a cold start,
  /// not the service's latency), the latest k_max_latency_samples of them.
  std::vector<Millis> latencies;
  std::optional<Millis> time_to_healthy;
  long last_status = 0;
  /// The start of the body of the last answer that was not healthy, at most k_max_kept_body.
  std::string last_body;
  bool last_body_cut = false;  // the body went on past last_body
};

/// Polls every URL at once until each is healthy (`successes` healthy answers in a row, then
/// the latency budgets), has failed, or the deadline has come. Waits between attempts on
/// `clock`; requests themselves run in real time. `on_attempt` sees each attempt as it ends.
std::vector<UrlResult> poll(const Settings& settings, Clock& clock, net::Client& client,
                            const std::function<void(const UrlResult&, const Attempt&)>& on_attempt);

}  // namespace shipgate::smoke
