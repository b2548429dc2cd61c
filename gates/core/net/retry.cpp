#include "core/net/retry.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>

namespace shipgate::net {

using std::chrono::milliseconds;

milliseconds RetryPolicy::delay(int attempt, double random) const {
  const int shift = std::clamp(attempt - 1, 0, 30);
  const auto ceiling = std::min<long long>(cap.count(), base.count() * (1LL << std::min(shift, 20)));
  return milliseconds(static_cast<long long>(std::clamp(random, 0.0, 1.0) * static_cast<double>(ceiling)));
}

bool retryable(const Response& r) {
  switch (r.failure) {
    case Failure::none:
      break;
    case Failure::dns:
    case Failure::refused:
    case Failure::timeout:
    case Failure::reset:
      return true;
    default:
      return false;
  }
  const long s = r.status;
  return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

std::optional<milliseconds> retry_after(const Response& r, Clock::WallTime now) {
  const auto it = r.headers.find("retry-after");
  if (it == r.headers.end()) {
    return std::nullopt;
  }
  const auto& v = it->second;
  long long seconds = 0;
  const auto parsed = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (parsed.ec == std::errc() && parsed.ptr == v.data() + v.size() && seconds >= 0) {
    return milliseconds(std::min<long long>(seconds, 86'400) * 1000);
  }
  std::tm tm{};  // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT"
  if (::strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) {
    return std::nullopt;
  }
  const auto at = std::chrono::system_clock::from_time_t(::timegm(&tm));
  return at <= now ? milliseconds(0) : std::chrono::duration_cast<milliseconds>(at - now);
}

Response fetch(Client& client, const Request& request, const RetryPolicy& policy, Clock& clock, Clock::Instant deadline,
               int* attempts, std::uint64_t seed) {
  std::mt19937_64 rng(seed != 0 ? seed : std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Response last;
  int made = 0;
  while (true) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock.monotonic());
    if (left <= milliseconds(0)) {
      if (made == 0) {
        last.failure = Failure::timeout;
        last.error = "the deadline passed before the request could start";
      }
      break;
    }
    Request attempt = request;
    attempt.timeout = std::min(request.timeout, left);
    const auto id = client.start(std::move(attempt));
    ++made;
    bool got = false;
    while (!got) {
      for (auto& [done, response] : client.wait(milliseconds(1'000))) {
        if (done == id) {
          last = std::move(response);
          got = true;
        }
      }
    }
    if (!retryable(last) || made >= policy.max_attempts) {
      break;
    }
    auto wait = policy.delay(made, unit(rng));
    if (const auto asked = retry_after(last, clock.now())) {
      if (*asked > policy.max_retry_after) {
        break;
      }
      wait = std::max(wait, *asked);
    }
    if (clock.monotonic() + wait >= deadline) {
      break;  // the next try could not finish in time: the answer stands
    }
    clock.sleep_for(wait);
  }
  if (attempts != nullptr) {
    *attempts = made;
  }
  return last;
}

}  // namespace shipgate::net
