#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shipgate {
class Secrets;
}

namespace shipgate::net {

struct Header {
  std::string name;
  std::string value;
  /// A secret header (a token): never sent on a redirect to another host, and masked in output.
  bool secret = false;
};

/// What a network gate asks for; every limit is explicit.
struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<Header> headers;
  std::chrono::milliseconds timeout{10'000};  // the whole request: connect, send, answer
  /// Bytes of body kept; past them the transfer stops and the response says it was cut.
  std::size_t max_body = std::size_t{1} << 20;
  /// Redirects followed (0: none, a 3xx is the answer). Secret headers, `Authorization` and
  /// `Cookie` are dropped when a redirect leaves the scheme, host and port first asked.
  int max_redirects = 0;
  bool insecure = false;  // TLS certificate checks off: only when the user asks
  std::string cacert;     // a CA bundle file; "" for the system's (or SSL_CERT_FILE)
};

/// Why a request got no HTTP answer.
enum class Failure {
  none,
  dns,        // the name did not resolve
  refused,    // connection refused or unreachable
  timeout,    // no complete answer within the request's timeout
  tls,        // certificate or handshake failure
  reset,      // the connection broke (reset, closed mid-answer)
  redirects,  // more redirects than allowed, or a redirect with no usable Location
  other,
};
std::string_view to_string(Failure f);

struct Response {
  long status = 0;                                  // 0 when there was no answer
  std::multimap<std::string, std::string> headers;  // lower-case names, of the final answer
  std::string body;
  bool truncated = false;  // the body was longer than max_body
  Failure failure = Failure::none;
  std::string error;  // libcurl's words for a failure
  std::chrono::milliseconds elapsed{0};
  std::string url;  // the URL that answered (after redirects)
  int redirects = 0;

  bool answered() const { return failure == Failure::none && status != 0; }
};

/// Runs many requests at once in one thread over libcurl's multi interface (one connection pool).
class Client {
public:
  using Id = std::size_t;

  /// `user_agent` names the gate and version (net::user_agent).
  explicit Client(std::string user_agent);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Starts a request; its answer comes from wait().
  Id start(Request request);
  /// Requests in flight.
  std::size_t in_flight() const;
  /// Drives the transfers for at most `max_wait` (real time) or until at least one finishes;
  /// returns those that finished.
  std::vector<std::pair<Id, Response>> wait(std::chrono::milliseconds max_wait);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// What one API adds to the words for its failed requests.
struct ApiErrors {
  /// The API's own message in the body of an error answer; nullopt when it has none.
  std::optional<std::string> (*message)(const std::string& body) = nullptr;
  /// Advice for an answer (what to check on a 401, say); "" for none. May be nullptr.
  std::string (*hint)(const Response& response) = nullptr;
};

/// One line for a request that did not succeed: the failure and libcurl's words ("timed out:
/// Operation timed out after 300 milliseconds"), or "HTTP 500" and the API's own message as
/// `api` reads it ("HTTP 404: Not Found"), then `api`'s hint. Secrets are taken out before
/// anything is cut short: a cut could keep part of one, which no later scrub would find.
std::string describe_failure(const Response& response, const Secrets& secrets, const ApiErrors& api = {});

/// The scheme, host and port of a URL ("https://example.com:443"), lower-cased; "" when it
/// cannot be parsed.
std::string origin(const std::string& url);

}  // namespace shipgate::net
