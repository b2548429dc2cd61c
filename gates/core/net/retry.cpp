#include "core/net/retry.hpp"

#include "core/net/pool.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

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
  // GitHub's secondary rate limits answer 403 with Retry-After: worth waiting for, unlike other 403s.
  return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504 ||
         (s == 403 && r.headers.count("retry-after") != 0);
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
  Response last;
  int made = 0;
  Pool pool(client, clock, policy, deadline, seed);
  pool.submit(request, [&](const Response& response, int tries) {
    last = response;
    made = tries;
  });
  pool.run();
  if (attempts != nullptr) {
    *attempts = made;
  }
  return last;
}

}  // namespace shipgate::net
