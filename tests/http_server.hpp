#pragma once

// A real HTTP(S) server on 127.0.0.1 for the tests of network gates: cpp-httplib (Debian's
// libcpp-httplib-dev) in a thread, scripted per test with handlers. Handlers may hang until the
// server is torn down, drip, reset or stream huge bodies; see test_smoke.cpp.

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "latch.hpp"

namespace shipgate::test {

class HttpServer {
public:
  /// Plain HTTP, or HTTPS when given a certificate and key (PEM files).
  HttpServer() : m_server(std::make_unique<httplib::Server>()) { start(); }
  HttpServer(const std::string& cert, const std::string& key)
      : m_server(std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str())) {
    start();
  }
  ~HttpServer() {
    release();
    m_server->stop();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  httplib::Server& server() { return *m_server; }
  int port() const { return m_port; }
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
    const bool tls = dynamic_cast<httplib::SSLServer*>(m_server.get()) != nullptr;
    return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(m_port) + path;
  }
  /// Blocks a handler until the server is torn down (an app that accepts and never answers).
  void hang() { m_hang.wait(); }
  void release() { m_hang.open(); }

private:
  void start() {
    m_port = m_server->bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    while (!m_server->is_running()) {  // the socket already listens; this only waits for the loop
      std::this_thread::yield();
    }
  }

  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
  int m_port = 0;
  Latch m_hang;
};

}  // namespace shipgate::test
