#include "lint/shell.hpp"

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

}  // namespace shipgate::lint
