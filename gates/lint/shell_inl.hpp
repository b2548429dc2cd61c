#pragma once

#include <cctype>
#include <string_view>

namespace shipgate::lint {

/// Longest word expand_variables builds before it calls the word unknown.
inline constexpr std::size_t k_max_expanded_word = 1024;

template <typename Lookup>
bool expand_variables(const std::string& word, std::string& out, Lookup&& lookup) {
  out.clear();
  if (word.find('`') != std::string::npos) {
    return false;  // command substitution: known only at run time
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '$' || i + 1 >= word.size()) {
      out += word[i];
      continue;
    }
    const char next = word[i + 1];
    if (next == '(' || std::isdigit(static_cast<unsigned char>(next)) != 0 ||
        std::string_view("@*#?$!-").find(next) != std::string_view::npos) {
      return false;  // $(...), positional and special parameters
    }
    std::size_t start = i + 1;
    std::size_t end = start;
    bool braced = word[start] == '{';
    if (braced) {
      end = word.find('}', start);
      if (end == std::string::npos) {
        return false;
      }
      ++start;
    } else {
      while (end < word.size() && (std::isalnum(static_cast<unsigned char>(word[end])) != 0 || word[end] == '_')) {
        ++end;
      }
      if (end == start) {
        out += word[i];
        continue;
      }
    }
    std::string value;
    if (!lookup(word.substr(start, end - start), value)) {
      return false;
    }
    out += value;
    if (out.size() > k_max_expanded_word) {
      return false;  // doubling assignments (A=$A$A) must not grow without bound
    }
    i = braced ? end : end - 1;
  }
  return true;
}

}  // namespace shipgate::lint
