#pragma once

// A minimal HTTP/1.1 server on 127.0.0.1 for fakes of JSON APIs (Heroku's Platform API, GitHub's
// REST API). cpp-httplib (http_server.hpp) cannot stand in for Heroku: it answers 416 to any
// `Range` header that is not a byte range, before a handler runs, and Heroku pages its lists
// with `Range: version ..; order=desc, max=200`. One thread accepts; each connection gets its own
// thread, one request, and `Connection: close`.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "latch.hpp"

namespace shipgate::test {

class ApiServer {
public:
  struct Request {
    std::string method;
    std::string path;                            // without the query
    std::string query;                           // after '?', or ""
    std::map<std::string, std::string> headers;  // lower-case names

    std::string header(const std::string& name) const {
      const auto it = headers.find(name);
      return it == headers.end() ? std::string() : it->second;
    }
  };
  struct Reply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
  };
  using Handler = std::function<Reply(const Request&)>;

  explicit ApiServer(Handler handler) : m_handler(std::move(handler)) {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 128) != 0) {
      throw std::runtime_error("ApiServer: cannot listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
  }
  ~ApiServer() {
    release();
    m_stop = true;
    m_acceptor.join();
    ::close(m_listen);
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      workers.swap(m_workers);
    }
    for (auto& w : workers) {
      w.join();
    }
  }
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  std::string base() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  /// Blocks a handler until release() or teardown (an API that accepts and never answers).
  void hang() { m_hang.wait(); }
  void release() { m_hang.open(); }
  std::atomic<int> requests{0};

private:
  void accept_loop() {
    while (!m_stop) {
      pollfd p{m_listen, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      const int fd = ::accept(m_listen, nullptr, nullptr);
      if (fd < 0) {
        continue;
      }
      std::lock_guard<std::mutex> lock(m_mutex);
      m_workers.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos && in.size() < 65536) {
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        ::close(fd);
        return;
      }
      in.append(buf, static_cast<std::size_t>(n));
    }
    Request req;
    std::size_t at = in.find("\r\n");
    const std::string line = in.substr(0, at);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    req.method = line.substr(0, sp1);
    const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    req.path = target.substr(0, target.find('?'));
    req.query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
    while (true) {
      const auto next = in.find("\r\n", at + 2);
      if (next == std::string::npos || next == at + 2) {
        break;
      }
      const auto header = in.substr(at + 2, next - at - 2);
      const auto colon = header.find(':');
      if (colon != std::string::npos) {
        std::string name = header.substr(0, colon);
        for (auto& c : name) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        auto value = header.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers[name] = value;
      }
      at = next;
    }
    ++requests;
    const auto reply = m_handler(req);
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                      " X\r\nConnection: close\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
    for (const auto& [name, value] : reply.headers) {
      out += name + ": " + value + "\r\n";
    }
    out += "\r\n" + reply.body;
    std::size_t sent = 0;
    while (sent < out.size()) {
      const auto n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        break;
      }
      sent += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }

  Handler m_handler;
  int m_listen = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::thread m_acceptor;
  std::mutex m_mutex;  // guards m_workers
  Latch m_hang;
  std::vector<std::thread> m_workers;
};

}  // namespace shipgate::test
