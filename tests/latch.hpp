#pragma once

// A one-way gate for the test servers' handlers: wait() blocks until open() has been called
// (an app that accepts a request and never answers, until the test ends).

#include <condition_variable>
#include <mutex>

namespace shipgate::test {

class Latch {
public:
  void wait() {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_cv.wait(lock, [this] { return m_open; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_open = true;
    }
    m_cv.notify_all();
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_open = false;
};

}  // namespace shipgate::test
