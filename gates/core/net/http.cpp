#include "core/net/http.hpp"

#include <algorithm>
#include <cctype>
#include <list>

#include <curl/curl.h>

#include "core/net/curl.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace shipgate::net {

std::string_view to_string(Failure f) {
  switch (f) {
    case Failure::none:
      return "none";
    case Failure::dns:
      return "name not resolved";
    case Failure::refused:
      return "connection refused";
    case Failure::timeout:
      return "timed out";
    case Failure::tls:
      return "TLS failure";
    case Failure::reset:
      return "connection reset";
    case Failure::redirects:
      return "too many redirects";
    case Failure::other:
      return "request failed";
  }
  return "request failed";
}

std::string describe_failure(const Response& r, const Secrets& secrets, const ApiErrors& api) {
  if (!r.answered()) {
    return std::string(to_string(r.failure)) +
           (r.error.empty() ? "" : ": " + text::shorten(text::one_line(secrets.scrub(r.error)), 80));
  }
  std::string out = "HTTP " + std::to_string(r.status);
  if (const auto message = api.message != nullptr ? api.message(r.body) : std::nullopt; message && !message->empty()) {
    out += ": " + text::shorten(text::one_line(secrets.scrub(*message)), 120);
  }
  if (api.hint != nullptr) {
    if (auto hint = api.hint(r); !hint.empty()) {
      out += " (" + secrets.scrub(hint) + ")";
    }
  }
  return out;
}

std::string origin(const std::string& url) {
  CURLU* u = curl_url();
  std::string out;
  if (u != nullptr && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      out = text::to_lower(std::string(scheme) + "://" + host + ":" + port);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(u);
  return out;
}

namespace {

Failure classify(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return Failure::none;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Failure::dns;
    case CURLE_COULDNT_CONNECT:
      return Failure::refused;
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::timeout;
    case CURLE_SSL_CONNECT_ERROR:  // the handshake broke off (a reset while a balancer comes up): no answer yet
      return Failure::reset;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return Failure::tls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2_STREAM:
      return Failure::reset;
    case CURLE_TOO_MANY_REDIRECTS:
      return Failure::redirects;
    default:
      return Failure::other;
  }
}

bool dropped_on_other_host(const Header& h) { return h.secret || secret_header_name(h.name); }

}  // namespace

struct Client::Impl {
  struct Transfer {
    Id id = 0;
    Request request;
    Response response;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string first_origin;
    std::chrono::steady_clock::time_point started;
    char error[CURL_ERROR_SIZE] = {};
  };

  std::string user_agent;
  CURLM* multi = nullptr;
  std::list<Transfer> transfers;  // stable addresses: libcurl holds a pointer to each
  Id next_id = 1;

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    auto& body = t->response.body;
    const std::size_t room = t->request.max_body > body.size() ? t->request.max_body - body.size() : 0;
    body.append(data, std::min(n, room));
    if (n > room) {
      t->response.truncated = true;
      return 0;  // stops the transfer: the rest is not read, let alone kept
    }
    return n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
      t->response.headers.clear();  // a new answer (after a 1xx, say): only the last one's headers count
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
      if (t->response.headers.size() < 256) {
        t->response.headers.emplace(text::to_lower(text::trim(line.substr(0, colon))),
                                    std::string(text::trim(line.substr(colon + 1))));
      }
    }
    return n;
  }

  void configure(Transfer& t) {
    CURL* e = t.easy;
    curl_easy_reset(e);
    curl_slist_free_all(t.headers);
    t.headers = nullptr;
    for (const auto& h : t.request.headers) {
      t.headers = curl_slist_append(t.headers, (h.name + ": " + h.value).c_str());
    }
    const auto spent =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t.started);
    const auto left = std::max<long>(1, static_cast<long>((t.request.timeout - spent).count()));
    curl_easy_setopt(e, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t.request.method == "GET" ? nullptr : t.request.method.c_str());
    curl_easy_setopt(e, CURLOPT_NOBODY, t.request.method == "HEAD" ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, left);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are followed here, header by header
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, t.request.insecure ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, t.request.insecure ? 0L : 2L);
    if (!t.request.cacert.empty()) {
      curl_easy_setopt(e, CURLOPT_CAINFO, t.request.cacert.c_str());
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    t.error[0] = '\0';
    t.response.body.clear();
    t.response.headers.clear();
    t.response.truncated = false;
    t.response.url = t.request.url;
  }

  /// Whether the finished transfer was a redirect that is now being followed.
  bool follow(Transfer& t) {
    if (t.response.status < 300 || t.response.status > 399 || t.response.status == 304 ||
        t.request.max_redirects <= t.response.redirects) {
      return false;
    }
    char* location = nullptr;
    curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location);
    if (location == nullptr) {
      return false;  // a 3xx without a Location is the answer
    }
    const std::string next(location);
    if (origin(next).empty()) {
      return false;
    }
    if (origin(next) != t.first_origin) {
      auto& headers = t.request.headers;
      headers.erase(std::remove_if(headers.begin(), headers.end(), dropped_on_other_host), headers.end());
    }
    t.request.url = next;
    if (t.response.status == 303 ||
        ((t.response.status == 301 || t.response.status == 302) && t.request.method == "POST")) {
      t.request.method = "GET";
    }
    ++t.response.redirects;
    curl_multi_remove_handle(multi, t.easy);
    configure(t);
    curl_multi_add_handle(multi, t.easy);
    return true;
  }

  Response finish(Transfer& t, CURLcode code) {
    auto& r = t.response;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    r.status = status;
    r.failure = code == CURLE_WRITE_ERROR && r.truncated ? Failure::none : classify(code);
    if (r.failure != Failure::none) {
      r.error = t.error[0] != '\0' ? std::string(t.error) : std::string(curl_easy_strerror(code));
      if (r.failure != Failure::tls && r.failure != Failure::redirects) {
        r.status = 0;  // a partial answer is no answer
      }
    }
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t.started);
    return std::move(r);
  }
};

Client::Client(std::string user_agent) : m_impl(std::make_unique<Impl>()) {
  global_init();
  m_impl->user_agent = std::move(user_agent);
  m_impl->multi = curl_multi_init();
  curl_multi_setopt(m_impl->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 64L);
}

Client::~Client() {
  for (auto& t : m_impl->transfers) {
    curl_multi_remove_handle(m_impl->multi, t.easy);
    curl_easy_cleanup(t.easy);
    curl_slist_free_all(t.headers);
  }
  curl_multi_cleanup(m_impl->multi);
}

Client::Id Client::start(Request request) {
  auto& t = m_impl->transfers.emplace_back();
  t.id = m_impl->next_id++;
  t.request = std::move(request);
  t.first_origin = origin(t.request.url);
  t.started = std::chrono::steady_clock::now();
  t.easy = curl_easy_init();
  m_impl->configure(t);
  curl_multi_add_handle(m_impl->multi, t.easy);
  return t.id;
}

std::size_t Client::in_flight() const { return m_impl->transfers.size(); }

std::vector<std::pair<Client::Id, Response>> Client::wait(std::chrono::milliseconds max_wait) {
  std::vector<std::pair<Id, Response>> done;
  auto& impl = *m_impl;
  const auto until = std::chrono::steady_clock::now() + max_wait;
  while (done.empty() && !impl.transfers.empty()) {
    int running = 0;
    curl_multi_perform(impl.multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl.multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) {
        continue;
      }
      Impl::Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      const CURLcode code = msg->data.result;
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      t->response.status = status;
      if (code == CURLE_OK && impl.follow(*t)) {
        continue;
      }
      const bool too_many = code == CURLE_OK && status >= 300 && status <= 399 && status != 304 &&
                            t->request.max_redirects > 0 && t->response.redirects >= t->request.max_redirects;
      auto response = impl.finish(*t, code);
      if (too_many) {
        response.failure = Failure::redirects;
        response.error = "more than " + std::to_string(t->request.max_redirects) + " redirects";
      }
      done.emplace_back(t->id, std::move(response));
      curl_multi_remove_handle(impl.multi, t->easy);
      curl_easy_cleanup(t->easy);
      curl_slist_free_all(t->headers);
      impl.transfers.remove_if([id = t->id](const Impl::Transfer& x) { return x.id == id; });
    }
    const auto now = std::chrono::steady_clock::now();
    if (!done.empty() || now >= until) {
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    curl_multi_poll(impl.multi, nullptr, 0, static_cast<int>(std::min<long long>(left.count(), 100)), nullptr);
  }
  return done;
}

}  // namespace shipgate::net
