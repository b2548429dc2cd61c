#include "lint/shell.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace shipgate::lint {

namespace {

/// Tokeniser state over one script; keeps quotes' contents together and tracks lines.
class Splitter {
public:
  explicit Splitter(std::string_view script) : m_script(script) {}

  std::vector<ShellCommand> run() {
    for (std::size_t i = 0; i < m_script.size(); ++i) {
      const char c = m_script[i];
      if (m_quote != 0) {
        quoted(c);
        continue;
      }
      if (c == '$' && m_script.compare(i, 3, "${{") == 0) {
        const auto close = m_script.find("}}", i + 3);
        const auto end = close == std::string_view::npos ? m_script.size() : close + 2;
        m_word.append(m_script.substr(i, end - i));
        m_in_word = true;
        i = end - 1;
      } else if (c == '\\' && i + 1 < m_script.size()) {
        if (m_script[i + 1] == '\n') {
          ++m_line;
        } else {
          m_word += m_script[i + 1];
          m_in_word = true;
        }
        ++i;
      } else if (c == '\'' || c == '"') {
        m_quote = c;
        m_in_word = true;
      } else if (c == '#' && !m_in_word) {
        while (i + 1 < m_script.size() && m_script[i + 1] != '\n') {
          ++i;
        }
      } else if (c == '<' && m_script.compare(i, 2, "<<") == 0 && m_script.compare(i, 3, "<<<") != 0) {
        i = heredoc_start(i);
      } else if (c == '\n' || c == ';' || c == '&' || c == '|') {
        end_command();
        if (c == '\n') {
          ++m_line;
          i = skip_heredoc_body(i);
        }
      } else if (c == ' ' || c == '\t' || c == '\r') {
        end_word();
      } else {
        m_word += c;
        m_in_word = true;
      }
    }
    end_command();
    return std::move(m_commands);
  }

private:
  /// Reads the delimiter of `<<WORD`, `<<-WORD` or `<<'WORD'`; the body is skipped at the newline.
  std::size_t heredoc_start(std::size_t i) {
    end_word();
    i += 2;
    if (i < m_script.size() && m_script[i] == '-') {
      ++i;
    }
    while (i < m_script.size() && (m_script[i] == ' ' || m_script[i] == '\t')) {
      ++i;
    }
    std::string delimiter;
    while (i < m_script.size() && std::string_view(" \t\n;&|<>").find(m_script[i]) == std::string_view::npos) {
      if (m_script[i] != '\'' && m_script[i] != '"' && m_script[i] != '\\') {
        delimiter += m_script[i];
      }
      ++i;
    }
    if (!delimiter.empty()) {
      m_heredocs.push_back(delimiter);
    }
    return i - 1;
  }

  /// After the newline at `i`, skips the bodies of pending here-documents (their text is data,
  /// not commands); returns the index of the last character skipped.
  std::size_t skip_heredoc_body(std::size_t i) {
    for (const auto& delimiter : m_heredocs) {
      for (;;) {
        const auto start = i + 1;
        if (start >= m_script.size()) {
          i = m_script.size() - 1;
          break;
        }
        const auto end = m_script.find('\n', start);
        const auto line = m_script.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        i = end == std::string_view::npos ? m_script.size() - 1 : end;
        ++m_line;
        if (line.find_first_not_of('\t') != std::string_view::npos &&
            line.substr(line.find_first_not_of('\t')) == delimiter) {
          break;
        }
      }
    }
    m_heredocs.clear();
    return i;
  }

  void quoted(char c) {
    if (c == m_quote) {
      m_quote = 0;
      return;
    }
    if (c == '\n') {
      ++m_line;
    }
    m_word += c;
  }

  void end_word() {
    if (m_in_word) {
      if (m_current.words.empty()) {
        m_current.line = m_line;
      }
      m_current.words.push_back(std::move(m_word));
    }
    m_word.clear();
    m_in_word = false;
  }

  void end_command() {
    end_word();
    if (!m_current.words.empty()) {
      m_commands.push_back(std::move(m_current));
    }
    m_current = {};
  }

  std::string_view m_script;
  std::vector<ShellCommand> m_commands;
  ShellCommand m_current;
  std::string m_word;
  bool m_in_word = false;
  char m_quote = 0;
  int m_line = 0;
  std::vector<std::string> m_heredocs;
};

}  // namespace

std::vector<ShellCommand> split_commands(std::string_view script) { return Splitter(script).run(); }

bool is_assignment(std::string_view word) {
  const auto eq = word.find('=');
  return eq != std::string_view::npos && eq > 0 &&
         std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(eq),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

std::size_t program_index(const std::vector<std::string>& words) {
  static constexpr std::array<std::string_view, 16> k_prefixes = {"!",    "(",    "{",     "command", "do",  "else",
                                                                  "elif", "env",  "exec",  "if",      "npx", "sudo",
                                                                  "then", "time", "until", "while"};
  static constexpr std::array<std::string_view, 6> k_wrappers = {"command", "env", "exec", "npx", "sudo", "time"};
  std::size_t first = 0;
  bool after_wrapper = false;  // a wrapper's own flags (`sudo -E`, `npx -y`) come before the program
  while (first < words.size()) {
    const auto& word = words[first];
    if (std::find(k_prefixes.begin(), k_prefixes.end(), word) != k_prefixes.end()) {
      after_wrapper = std::find(k_wrappers.begin(), k_wrappers.end(), word) != k_wrappers.end();
    } else if (!(after_wrapper && word.size() > 1 && word[0] == '-') &&
               !(is_assignment(word) && first + 1 < words.size())) {
      break;
    }
    ++first;
  }
  return first;
}

bool is_heroku_program(std::string_view word) { return word == "heroku" || word.ends_with("/heroku"); }

bool names_per_run(std::string_view text) {
  static constexpr std::array<std::string_view, 7> k_markers = {
      "github.run_id",       "github.run_number", "github.sha", "github.event.number",
      "pull_request.number", "github.head_ref",   "PR_NUMBER"};
  return std::any_of(k_markers.begin(), k_markers.end(),
                     [text](std::string_view marker) { return text.find(marker) != std::string_view::npos; });
}

}  // namespace shipgate::lint
