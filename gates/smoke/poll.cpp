#include "smoke/poll.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "core/units.hpp"

namespace shipgate::smoke {

Result<LatencyBudget> LatencyBudget::parse(std::string_view text) {
  LatencyBudget out;
  out.text = std::string(text::trim(text));
  const auto usage = Error{"expected a latency budget such as p95<800ms, p50<=300ms or max<2s", {}, {}};
  const auto op = out.text.find('<');
  if (op == std::string::npos) {
    return usage;
  }
  const auto name = out.text.substr(0, op);
  out.inclusive = op + 1 < out.text.size() && out.text[op + 1] == '=';
  const auto value = out.text.substr(op + (out.inclusive ? 2 : 1));
  if (name == "max") {
    out.percentile = 100;
  } else if (name == "p50" || name == "p90" || name == "p95" || name == "p99") {
    out.percentile = std::stoi(name.substr(1));
  } else {
    return usage;
  }
  auto limit = units::parse_duration(text::trim(value));
  if (!limit) {
    return limit.error();
  }
  out.limit = *limit;
  return out;
}

Millis LatencyBudget::measure(std::vector<Millis> samples) const {
  if (samples.empty()) {
    return Millis(0);
  }
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<std::size_t>(std::ceil(percentile / 100.0 * static_cast<double>(samples.size())));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

namespace {

struct State {
  UrlResult result;
  bool done = false;
  std::optional<net::Client::Id> in_flight;
  Clock::Instant next_due;
  Clock::Instant attempt_started;
  int streak = 0;
  bool healthy_seen = false;
  std::string last_reason;
};

Millis since(Clock::Instant from, Clock::Instant to) { return std::chrono::duration_cast<Millis>(to - from); }

/// The latency budgets over the healthy answers after the first; the first one broken, as a reason.
std::optional<std::string> broken_budget(const Settings& s, const UrlResult& r) {
  for (const auto& budget : s.latency) {
    const auto measured = budget.measure(r.latencies);
    if (!budget.within(measured)) {
      const auto name = budget.percentile == 100 ? std::string("max") : "p" + std::to_string(budget.percentile);
      return "healthy, but " + name + " latency " + units::format_duration(measured) + " over " +
             text::plural(r.latencies.size(), "answer") + " after the first healthy one breaks " + budget.text;
    }
  }
  return std::nullopt;
}

/// Why a URL that is not done by the deadline failed.
std::string past_deadline(const Settings& s, const State& st) {
  if (st.streak >= s.successes && !s.latency.empty() && st.result.latencies.empty()) {
    return "healthy, but no answer after the first healthy one came within the " + units::format_duration(s.deadline) +
           " deadline to measure the latency budget";
  }
  return "not healthy within " + units::format_duration(s.deadline) +
         (st.last_reason.empty() ? "" : ": last " + st.last_reason);
}

/// Logs an attempt within the bounds: past them the log keeps its first half and the latest.
void log_attempt(UrlResult& r, const Attempt& a) {
  ++r.attempt_count;
  if (r.attempts.size() >= k_max_logged_attempts) {
    r.attempts.erase(r.attempts.begin() + static_cast<std::ptrdiff_t>(k_max_logged_attempts / 2));
  }
  r.attempts.push_back(a);
}

/// Keeps a healthy answer's latency for the budgets, unless it is the first healthy answer.
void sample_latency(UrlResult& r, bool first_healthy, Millis latency) {
  if (first_healthy) {
    return;
  }
  if (r.latencies.size() >= k_max_latency_samples) {
    r.latencies.erase(r.latencies.begin());
  }
  r.latencies.push_back(latency);
}

}  // namespace

std::vector<UrlResult> poll(const Settings& s, Clock& clock, net::Client& client,
                            const std::function<void(const UrlResult&, const Attempt&)>& on_attempt) {
  const auto start = clock.monotonic();
  const auto deadline = start + s.deadline;
  const auto warmup_end = start + s.warmup;
  std::vector<State> states(s.urls.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    states[i].result.url = s.urls[i];
    states[i].next_due = start;
  }
  const auto finish = [](State& st, bool healthy, std::string reason) {
    st.done = true;
    st.result.healthy = healthy;
    st.result.reason = std::move(reason);
  };
  while (std::any_of(states.begin(), states.end(), [](const State& st) { return !st.done; })) {
    auto now = clock.monotonic();
    for (auto& st : states) {
      if (st.done || st.in_flight) {
        continue;
      }
      // No attempt can start before the deadline: the URL has had its last one.
      if (now >= deadline || st.next_due >= deadline) {
        finish(st, false, past_deadline(s, st));
        continue;
      }
      if (st.next_due > now) {
        continue;
      }
      net::Request request = s.request;
      request.url = st.result.url;
      request.timeout = std::min(s.timeout, std::max(Millis(1), since(now, deadline)));
      st.attempt_started = now;
      st.in_flight = client.start(std::move(request));
    }
    if (client.in_flight() == 0) {
      // Nothing running: wait on the clock for the next attempt (or the deadline).
      auto next = deadline;
      for (const auto& st : states) {
        if (!st.done) {
          next = std::min(next, st.next_due);
        }
      }
      if (next > now) {
        clock.sleep_for(next - now);
      }
      continue;
    }
    for (auto& [id, response] : client.wait(Millis(100))) {
      const auto it = std::find_if(states.begin(), states.end(),
                                   [id = id](const State& st) { return st.in_flight && *st.in_flight == id; });
      if (it == states.end()) {
        continue;
      }
      State& st = *it;
      st.in_flight.reset();
      now = clock.monotonic();
      const auto judgement = judge(response, s.healthy, s.warming);
      Attempt attempt{since(start, st.attempt_started), response.status, response.elapsed, judgement.verdict,
                      judgement.reason};
      log_attempt(st.result, attempt);
      if (response.status != 0) {
        st.result.last_status = response.status;
      }
      st.last_reason = judgement.reason;
      st.next_due = std::max(st.attempt_started + s.interval, now);
      if (judgement.verdict != Health::healthy) {
        st.result.last_body.assign(response.body, 0, k_max_kept_body);
        st.result.last_body_cut = response.truncated || response.body.size() > k_max_kept_body;
      }
      on_attempt(st.result, attempt);
      switch (judgement.verdict) {
        case Health::healthy:
          // An answer that came after the deadline is no sample: the run was over.
          if (now <= deadline) {
            sample_latency(st.result, !st.healthy_seen, response.elapsed);
          }
          st.healthy_seen = true;
          // A budget needs a sample past the first healthy answer: one more is asked for.
          if (++st.streak >= s.successes && (s.latency.empty() || !st.result.latencies.empty())) {
            st.result.time_to_healthy = since(start, now);
            const auto broken = broken_budget(s, st.result);
            finish(st, !broken, broken.value_or("healthy: " + judgement.reason));
          }
          break;
        case Health::warming:
          st.streak = 0;
          if (now >= warmup_end) {
            finish(st, false,
                   "still not ready after the " + units::format_duration(s.warmup) + " warm-up: " + judgement.reason);
          }
          break;
        case Health::unhealthy:
          st.streak = 0;
          break;
        case Health::fatal:
          finish(st, false, judgement.reason);
          break;
      }
    }
  }
  std::vector<UrlResult> out;
  out.reserve(states.size());
  for (auto& st : states) {
    out.push_back(std::move(st.result));
  }
  return out;
}

}  // namespace shipgate::smoke
