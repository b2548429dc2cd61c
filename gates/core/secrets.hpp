#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shipgate {

/// The secret values a gate was given (tokens, header values marked secret). Every text a gate
/// writes passes through scrub(), so no secret reaches stdout, stderr, step outputs, the step
/// summary or an annotation, whatever field or error message it ended up in.
class Secrets {
public:
  /// Adds a value to hide; empty values are ignored.
  void add(std::string value);
  const std::vector<std::string>& values() const { return m_values; }
  /// `text` with every secret replaced by ***. Longer secrets are replaced first, so a secret
  /// that contains another is hidden whole.
  std::string scrub(std::string_view text) const;
  void scrub_in_place(std::string& text) const;

private:
  std::vector<std::string> m_values;
};

}  // namespace shipgate
