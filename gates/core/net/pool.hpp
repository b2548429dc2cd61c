#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <optional>

#include "core/clock.hpp"
#include "core/net/http.hpp"
#include "core/net/retry.hpp"

namespace shipgate::net {

/// Many API requests at once over one Client (one connection pool), each retried per a
/// RetryPolicy, none past the run's deadline. Callbacks run in the caller's thread, inside run(),
/// and may submit more requests (the next call of a chain, the next page of a list).
class Pool {
public:
  /// The final answer to one request, after its retries.
  using Callback = std::function<void(const Response& response, int attempts)>;

  Pool(Client& client, Clock& clock, RetryPolicy policy, Clock::Instant deadline, std::uint64_t seed = 0);

  /// Queues a request, to start at once or after `after` (a re-poll).
  void submit(Request request, Callback done, std::chrono::milliseconds after = std::chrono::milliseconds(0));
  /// Runs until every request and every request submitted by a callback has been answered. A
  /// request that cannot start before the deadline is answered with a timeout failure.
  void run();
  Clock::Instant deadline() const { return m_deadline; }
  Clock& clock() const { return m_clock; }

private:
  struct Job {
    Request request;
    Callback done;
    int attempts = 0;
    Clock::Instant due;
    std::optional<Client::Id> in_flight;
  };
  void finish(std::list<Job>::iterator job, const Response& response);

  Client& m_client;
  Clock& m_clock;
  RetryPolicy m_policy;
  Clock::Instant m_deadline;
  std::uint64_t m_state;  // for jitter
  std::list<Job> m_jobs;
};

}  // namespace shipgate::net
