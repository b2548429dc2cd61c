#pragma once

#include <string>
#include <utility>
#include <variant>

namespace shipgate {

/// Where an error or a finding points: a file and a 1-based line and column (0 = unknown).
struct Location {
  std::string file;
  int line = 0;
  int column = 0;

  /// "file", "file:line" or "file:line:col", as compilers and linters print positions.
  std::string to_string() const;
  friend bool operator==(const Location&, const Location&) = default;
  friend auto operator<=>(const Location&, const Location&) = default;
};

/// An expected failure (bad input, unreadable file, bad config) with where it happened.
struct Error {
  std::string message;
  Location where;
  /// The config key involved, when there is one.
  std::string key;

  /// One line: "file:line:col: message", or just the message when there is no file.
  std::string to_string() const;
};

/// A value or an Error; parsing and I/O return this instead of throwing.
template <typename T>
class Result {
public:
  Result(T value) : m_data(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : m_data(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(m_data); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(m_data); }
  const T& value() const { return std::get<T>(m_data); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<Error>(m_data); }

private:
  std::variant<T, Error> m_data;
};

/// Exit codes every gate shares (DESIGN.md); a gate never turns 2 or 3 into 0.
enum class ExitCode : int {
  pass = 0,
  fail = 1,
  usage = 2,
  could_not_evaluate = 3,
};

/// The more serious of two exit codes: could_not_evaluate > usage > fail > pass.
ExitCode worst(ExitCode a, ExitCode b);

}  // namespace shipgate
