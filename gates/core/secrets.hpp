#pragma once

#include <functional>
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
  /// by ***; overlapping or touching secret text becomes one ***. One pass, linear in the text.
  std::string scrub(std::string_view text) const;
  void scrub_in_place(std::string& text) const;
  /// The first `limit` characters of scrub(text), reading `text` only as far as they need (a
  /// body of megabytes costs its start). With `cut`, `text` is the start of a longer text: its
  /// last characters, which could begin a secret that the cut left whole in neither part, are
  /// left out.
  std::string scrub_prefix(std::string_view text, std::size_t limit, bool cut = false) const;

private:
  /// Looks a std::string set up by std::string_view, without a copy.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;

  void add_one(std::string value);
  /// Where the longest secret text starting at `at` ends, or 0 when none starts there.
  std::size_t match_end(std::string_view text, std::size_t at) const;
  std::vector<std::string> m_values;
  Set m_windows;                           // every k_window-long part of every secret
  Set m_short;                             // secrets shorter than k_window, matched whole
  std::vector<std::size_t> m_short_sizes;  // their lengths, longest first
  std::size_t m_longest = 0;
};

/// Whether a header of this name carries a credential, so its value is a secret.
bool secret_header_name(std::string_view name);

/// The secrets command-line arguments carry, found without parsing them: the password of any
/// URL, and the value of any 'NAME: VALUE' whose name is a secret header's. For a usage error,
/// which may quote any argument before the options are read.
Secrets argument_secrets(const std::vector<std::string>& args);

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
