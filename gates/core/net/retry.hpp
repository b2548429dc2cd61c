#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/net/http.hpp"

namespace shipgate::net {

/// When and how often an API request is tried again: exponential backoff with full jitter
/// (a random wait in [0, min(cap, base * 2^n)]), never past the run's deadline. For the API gates
/// (release, env, slug's remote mode); smoke polls on its own schedule instead.
struct RetryPolicy {
  int max_attempts = 4;
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{8'000};
  /// Longest Retry-After honoured; a server asking for more is treated as failing now.
  std::chrono::milliseconds max_retry_after{60'000};

  /// The wait before attempt `attempt` (1-based: the wait before the second attempt is delay(1)),
  /// `random` in [0, 1) drawn by the caller so tests can fix it.
  std::chrono::milliseconds delay(int attempt, double random) const;
};

/// Whether an answer is worth another try: no answer but a refused, reset or timed-out
/// connection or an unresolved name; 408, 429, 500, 502, 503, 504, and a 403 with Retry-After (a
/// secondary rate limit). Never 4xx otherwise, never a TLS failure.
bool retryable(const Response& response);

/// The wait a Retry-After header asks for (delay-seconds, or an HTTP date against `now`).
std::optional<std::chrono::milliseconds> retry_after(const Response& response, Clock::WallTime now);

/// One request, tried again per `policy` until it gets an answer that is not retryable, the
/// attempts run out, or the next wait would pass `deadline`; waits on `clock`. Returns the last
/// response and, in `attempts`, how many were made.
Response fetch(Client& client, const Request& request, const RetryPolicy& policy, Clock& clock, Clock::Instant deadline,
               int* attempts = nullptr, std::uint64_t seed = 0);

}  // namespace shipgate::net
