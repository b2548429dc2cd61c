#include "core/secrets.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "core/text.hpp"

namespace shipgate {

namespace {

thread_local const Secrets* t_active = nullptr;

/// Words that start an Authorization (or similar) header value and are followed by the credential.
constexpr std::array<std::string_view, 12> k_schemes = {"bearer",    "basic",  "token",   "digest",
                                                        "bot",       "apikey", "api-key", "key",
                                                        "negotiate", "ntlm",   "sso-key", "aws4-hmac-sha256"};

/// Standard or URL-safe base64, padding optional; nullopt when `s` is not base64.
std::optional<std::string> base64_decode(std::string_view s) {
  while (!s.empty() && s.back() == '=') {
    s.remove_suffix(1);
  }
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : s) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    }
    if (v < 0) {
      return std::nullopt;
    }
    bits = (bits << 6U) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> static_cast<unsigned>(count)) & 0xFFU));
    }
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2])) != 0) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

void Secrets::add(std::string value) {
  const auto trimmed = text::trim(value);
  const auto space = trimmed.find_first_of(" \t");
  if (space != std::string_view::npos) {
    const auto scheme = text::to_lower(trimmed.substr(0, space));
    const auto credential = text::trim(trimmed.substr(space + 1));
    if (std::find(k_schemes.begin(), k_schemes.end(), scheme) != k_schemes.end() && !credential.empty()) {
      if (scheme == "basic") {
        if (const auto decoded = base64_decode(credential); decoded && !decoded->empty()) {
          const auto colon = decoded->find(':');
          if (colon != std::string::npos) {
            add_one(decoded->substr(colon + 1));
          }
          add_one(*decoded);
        }
      }
      add_one(std::string(credential));
    }
  }
  add_one(std::move(value));
}

void Secrets::add_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return;
  }
  const auto rest = url.substr(scheme + 3);
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return;
  }
  const auto userinfo = authority.substr(0, at);
  const auto colon = userinfo.find(':');
  if (colon != std::string_view::npos && colon + 1 < userinfo.size()) {
    const auto password = userinfo.substr(colon + 1);
    add_one(std::string(password));
    add_one(percent_decode(password));
  }
}

void Secrets::add_one(std::string value) {
  if (value.empty() || std::find(m_values.begin(), m_values.end(), value) != m_values.end()) {
    return;
  }
  for (std::size_t i = 0; value.size() >= k_window && i + k_window <= value.size(); ++i) {
    m_windows.insert(value.substr(i, k_window));
  }
  if (value.size() < k_window && m_short.insert(value).second &&
      std::find(m_short_sizes.begin(), m_short_sizes.end(), value.size()) == m_short_sizes.end()) {
    m_short_sizes.push_back(value.size());
    std::sort(m_short_sizes.begin(), m_short_sizes.end(), std::greater<>());
  }
  m_longest = std::max(m_longest, value.size());
  m_values.push_back(std::move(value));
  std::stable_sort(m_values.begin(), m_values.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::size_t Secrets::match_end(std::string_view text, std::size_t at) const {
  // A secret of k_window characters or more is made of its windows, so a window finds it too.
  if (at + k_window <= text.size() && m_windows.find(text.substr(at, k_window)) != m_windows.end()) {
    return at + k_window;
  }
  for (const auto size : m_short_sizes) {
    if (at + size <= text.size() && m_short.find(text.substr(at, size)) != m_short.end()) {
      return at + size;
    }
  }
  return 0;
}

std::string Secrets::scrub(std::string_view text) const { return scrub_prefix(text, std::string::npos); }

void Secrets::scrub_in_place(std::string& text) const {
  if (!m_values.empty()) {
    text = scrub(text);
  }
}

std::string Secrets::scrub_prefix(std::string_view text, std::size_t limit, bool cut) const {
  constexpr auto k_none = std::string_view::npos;
  // With a cut, the last m_longest - 1 characters may start a secret that goes on past the cut.
  const auto safe = cut ? text.size() - std::min(text.size(), m_longest == 0 ? 0 : m_longest - 1) : text.size();
  std::string out;
  std::size_t copied = 0;  // text[0, copied) is in `out`
  std::size_t run_start = k_none;
  std::size_t run_end = 0;  // the secret text [run_start, run_end) not yet replaced
  std::size_t at = 0;
  for (; at < safe; ++at) {
    if (run_start != k_none && at > run_end) {
      out.append(text.substr(copied, run_start - copied)).append("***");
      copied = run_end;
      run_start = k_none;
    }
    // Text before `at` outside a run is final: stop once it fills the limit.
    if (run_start == k_none && (out.size() >= limit || at - copied >= limit - out.size())) {
      break;
    }
    const auto end = m_values.empty() ? 0 : match_end(text, at);
    if (end != 0 && run_start == k_none) {
      run_start = at;
      run_end = end;
    } else if (end != 0) {
      run_end = std::max(run_end, end);
    }
  }
  if (run_start != k_none) {
    out.append(text.substr(copied, run_start - copied)).append("***");
    copied = run_end;
  }
  if (copied < at) {
    out.append(text.substr(copied, at - copied));
  }
  if (out.size() > limit) {
    out.resize(limit);
  }
  return out;
}

bool secret_header_name(std::string_view name) {
  static constexpr std::array<std::string_view, 10> k_words = {
      "authorization", "auth", "token", "key", "secret", "password", "cookie", "session", "signature", "credential"};
  const auto lower = text::to_lower(text::trim(name));
  // Each part between '-', '_' or '.' ("x", "api", "key") holding one of the words, so
  // X-Auth-Token, Private-Token, Set-Cookie and ApiKey all count.
  std::size_t start = 0;
  while (start <= lower.size()) {
    const auto end = std::min(lower.find_first_of("-_. ", start), lower.size());
    const auto part = std::string_view(lower).substr(start, end - start);
    if (std::any_of(k_words.begin(), k_words.end(),
                    [part](std::string_view w) { return part.find(w) != std::string_view::npos; })) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

Secrets argument_secrets(const std::vector<std::string>& args) {
  Secrets found;
  for (const auto& arg : args) {
    found.add_url(arg);
    // "--header=NAME: VALUE" as one word, or the value after "--header".
    const std::string_view word = arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos
                                      ? std::string_view(arg).substr(arg.find('=') + 1)
                                      : std::string_view(arg);
    const auto colon = word.find(':');
    if (colon != std::string_view::npos && secret_header_name(word.substr(0, colon))) {
      found.add(std::string(text::trim(word.substr(colon + 1))));
    }
  }
  return found;
}

ActiveSecrets::ActiveSecrets(const Secrets& secrets) : m_previous(t_active) { t_active = &secrets; }

ActiveSecrets::~ActiveSecrets() { t_active = m_previous; }

const Secrets* ActiveSecrets::current() { return t_active; }

}  // namespace shipgate
