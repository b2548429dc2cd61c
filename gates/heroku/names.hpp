#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace re2 {
class RE2;
}

namespace shipgate::heroku {

/// An app naming convention such as `raxx-{surface}-{env}`: each `{name}` stands for one run of
/// lower-case letters and digits, everything else is literal. The one syntax of release's
/// --app-pattern and lint's app-name-convention.
class AppPattern {
public:
  /// Compiles `pattern`; an empty `{}` or an unclosed `{` is an error.
  static Result<AppPattern> parse(std::string_view pattern);
  bool matches(std::string_view app) const;
  const std::string& text() const { return m_text; }

private:
  std::string m_text;
  std::shared_ptr<const re2::RE2> m_regex;
};

}  // namespace shipgate::heroku
