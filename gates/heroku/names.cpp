#include "heroku/names.hpp"

#include <re2/re2.h>

namespace shipgate::heroku {

Result<AppPattern> AppPattern::parse(std::string_view pattern) {
  std::string regex;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      regex += re2::RE2::QuoteMeta(std::string(1, pattern[i]));
      continue;
    }
    const auto close = pattern.find('}', i);
    if (close == std::string_view::npos || close == i + 1) {
      return Error{"app pattern '" + std::string(pattern) + "': each '{' needs a name and a closing '}'", {}, {}};
    }
    regex += "[a-z0-9]+";
    i = close;
  }
  AppPattern out;
  out.m_text = std::string(pattern);
  out.m_regex = std::make_shared<const re2::RE2>(regex);
  return out;
}

bool AppPattern::matches(std::string_view app) const { return re2::RE2::FullMatch(app, *m_regex); }

}  // namespace shipgate::heroku
