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
      } else if (c == '\n' || c == ';' || c == '&' || c == '|') {
        end_command();
        if (c == '\n') {
          ++m_line;
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
};

}  // namespace

std::vector<ShellCommand> split_commands(std::string_view script) { return Splitter(script).run(); }

}  // namespace shipgate::lint
