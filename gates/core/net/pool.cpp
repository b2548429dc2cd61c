#include "core/net/pool.hpp"

#include <algorithm>

namespace shipgate::net {

using std::chrono::milliseconds;

Pool::Pool(Client& client, Clock& clock, RetryPolicy policy, Clock::Instant deadline, std::uint64_t seed)
    : m_client(client), m_clock(clock), m_policy(policy), m_deadline(deadline), m_state(seed != 0 ? seed : 0x5eed) {}

void Pool::submit(Request request, Callback done, milliseconds after) {
  m_jobs.push_back({std::move(request), std::move(done), 0, m_clock.monotonic() + after, std::nullopt});
}

void Pool::finish(std::list<Job>::iterator job, const Response& response) {
  auto done = std::move(job->done);
  const int attempts = job->attempts;
  m_jobs.erase(job);
  done(response, attempts);
}

void Pool::run() {
  while (!m_jobs.empty()) {
    const auto now = m_clock.monotonic();
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
      auto job = it++;
      if (job->in_flight || job->due > now) {
        continue;
      }
      const auto left = std::chrono::duration_cast<milliseconds>(m_deadline - now);
      if (left <= milliseconds(0)) {
        Response late;
        late.failure = Failure::timeout;
        late.error = "the run's deadline passed before this request could be made";
        finish(job, late);
        continue;
      }
      Request attempt = job->request;
      attempt.timeout = std::min(job->request.timeout, left);
      ++job->attempts;
      job->in_flight = m_client.start(std::move(attempt));
    }
    if (m_client.in_flight() == 0) {
      auto next = m_deadline;
      for (const auto& job : m_jobs) {
        next = std::min(next, job.due);
      }
      if (next > now) {
        m_clock.sleep_for(next - now);
      }
      continue;
    }
    for (auto& [id, response] : m_client.wait(milliseconds(100))) {
      const auto job = std::find_if(m_jobs.begin(), m_jobs.end(),
                                    [id = id](const Job& j) { return j.in_flight && *j.in_flight == id; });
      if (job == m_jobs.end()) {
        continue;
      }
      job->in_flight.reset();
      if (retryable(response) && job->attempts < m_policy.max_attempts) {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;  // jitter from a small LCG
        auto wait = m_policy.delay(job->attempts, static_cast<double>(m_state >> 11) / 9007199254740992.0);
        const auto asked = retry_after(response, m_clock.now());
        if (!asked || *asked <= m_policy.max_retry_after) {
          wait = std::max(wait, asked.value_or(milliseconds(0)));
          if (m_clock.monotonic() + wait < m_deadline) {
            job->due = m_clock.monotonic() + wait;
            continue;
          }
        }
      }
      finish(job, response);
    }
  }
}

}  // namespace shipgate::net
