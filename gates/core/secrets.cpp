#include "core/secrets.hpp"

#include <algorithm>

namespace shipgate {

void Secrets::add(std::string value) {
  if (value.empty() || std::find(m_values.begin(), m_values.end(), value) != m_values.end()) {
    return;
  }
  m_values.push_back(std::move(value));
  std::stable_sort(m_values.begin(), m_values.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Secrets::scrub(std::string_view text) const {
  std::string out(text);
  scrub_in_place(out);
  return out;
}

void Secrets::scrub_in_place(std::string& text) const {
  for (const auto& secret : m_values) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
}

}  // namespace shipgate
