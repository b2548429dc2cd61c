#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace shipgate {

/// The secret values a gate was given (tokens, header values marked secret, URL passwords).
/// Every text a gate writes passes through scrub(), so no secret reaches stdout, stderr, step
/// outputs, the step summary or an annotation, whatever field or error message it ended up in.
class Secrets {
public:
  /// Any run of this many characters that also occurs inside a secret is hidden too, so a part
  /// of a secret (a prefix a server echoed, a cut) is never shown either.
  static constexpr std::size_t k_window = 16;

  /// Adds a value to hide; empty values are ignored. The credential after an auth scheme word
  /// ("Bearer X", "Basic X", "token X") is a secret of its own, and so are the decoded
  /// user:password of a Basic credential and its password.
  void add(std::string value);
  /// Adds the password of a URL's user:password@ (as written and percent-decoded), if any.
  void add_url(std::string_view url);
  const std::vector<std::string>& values() const { return m_values; }
  /// `text` with every secret, and every part of one k_window characters or longer, replaced
  /// by ***. Longer secrets are replaced first, so a secret that contains another is hidden whole.
  std::string scrub(std::string_view text) const;
  void scrub_in_place(std::string& text) const;

private:
  void add_one(std::string value);
  std::vector<std::string> m_values;
  std::unordered_set<std::string> m_windows;  // every k_window-long part of every secret
};

/// While it lives, text::shorten, text::one_line and text::markdown take `secrets` out of every
/// text before they cut, escape or format it: the one place every gate's text passes through,
/// so no part of a secret survives a cut. Runs nest; the innermost wins.
class ActiveSecrets {
public:
  explicit ActiveSecrets(const Secrets& secrets);
  ~ActiveSecrets();
  ActiveSecrets(const ActiveSecrets&) = delete;
  ActiveSecrets& operator=(const ActiveSecrets&) = delete;
  /// The secrets of the run on this thread, or nullptr.
  static const Secrets* current();

private:
  const Secrets* m_previous;
};

}  // namespace shipgate
