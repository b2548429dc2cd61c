#include "core/config.hpp"

#include <algorithm>
#include <filesystem>

#include "core/paths.hpp"
#include "core/source.hpp"
#include "core/text.hpp"

namespace shipgate::config {

namespace fs = std::filesystem;

namespace {

/// The absolute path of the nearest .github/shipgate.yml from `cwd` upwards.
std::optional<std::string> discover(const std::string& cwd) {
  std::error_code ec;
  fs::path dir = fs::absolute(cwd.empty() ? fs::path(".") : fs::path(cwd), ec);
  if (ec) {
    return std::nullopt;
  }
  for (int depth = 0; depth < 64; ++depth) {
    const fs::path candidate = dir / std::string(k_default_path);
    if (fs::exists(candidate, ec)) {
      return candidate.lexically_normal().string();
    }
    if (fs::exists(dir / ".git", ec) || !dir.has_parent_path() || dir.parent_path() == dir) {
      return std::nullopt;
    }
    dir = dir.parent_path();
  }
  return std::nullopt;
}

/// A path as the user would write it from `cwd`: relative when it lies below, else absolute.
std::string shown_from(const std::string& path, const std::string& cwd) {
  const auto rel = fs::path(path).lexically_relative(cwd);
  if (!rel.empty() && *rel.begin() != "..") {
    return rel.string();
  }
  std::error_code ec;
  const auto up = fs::relative(path, cwd, ec);
  return ec || up.empty() ? path : up.string();
}

}  // namespace

std::vector<Error> check_sections(const File& file, const std::string& own_section) {
  std::vector<Error> errors;
  const auto& root = file.doc.root();
  if (root.is_null()) {
    return errors;
  }
  if (!root.is_mapping()) {
    errors.push_back(
        {"config must be a mapping with one section per gate", {file.path, root.pos.line, root.pos.column}, {}});
    return errors;
  }
  auto known = gate_sections();
  if (!own_section.empty() && std::find(known.begin(), known.end(), own_section) == known.end()) {
    known.push_back(own_section);
  }
  for (const auto& pair : root.pairs) {
    const auto& key = file.doc.at(pair.key);
    if (auto message = text::unknown_name("section", key.value, known)) {
      errors.push_back({std::move(*message), {file.path, key.pos.line, key.pos.column}, key.value});
    }
  }
  return errors;
}

std::vector<Error> check_keys(const yaml::Document& doc, const yaml::Node& map, const std::vector<std::string>& known,
                              const std::string& key, std::string_view context) {
  std::vector<Error> errors;
  for (const auto& pair : map.pairs) {
    const auto& k = doc.at(pair.key);
    if (auto message = text::unknown_name("key", k.value, known, context)) {
      errors.push_back(
          {std::move(*message), {doc.file(), k.pos.line, k.pos.column}, key.empty() ? k.value : key + "." + k.value});
    }
  }
  return errors;
}

Result<std::optional<File>> load(const std::optional<std::string>& explicit_path, const std::string& cwd) {
  std::optional<std::string> path = explicit_path;
  if (!path) {
    path = discover(cwd);
    if (path) {
      std::error_code ec;
      path = shown_from(*path, cwd.empty() ? fs::current_path(ec).string() : cwd);
    }
  }
  if (!path) {
    return std::optional<File>{};
  }
  auto contents = read_text_file_in(cwd, *path);
  if (!contents) {
    return contents.error();
  }
  auto doc = yaml::parse(*contents, *path);
  if (!doc) {
    return doc.error();
  }
  return std::optional<File>{File{*path, std::move(*doc)}};
}

Section::Section(const File* file, std::string gate) : m_file(file), m_gate(std::move(gate)) {
  if (m_file == nullptr) {
    return;
  }
  const auto* node = m_file->doc.get(m_file->doc.root(), m_gate);
  if (node == nullptr || node->is_null()) {
    return;
  }
  if (!node->is_mapping()) {
    error(*node, m_gate, "section '" + m_gate + "' must be a mapping");
    return;
  }
  m_node = node;
}

const std::string& Section::path() const {
  static const std::string k_none;
  return m_file ? m_file->path : k_none;
}

const yaml::Node* Section::take(std::string_view key) {
  m_known.emplace_back(key);
  return m_node ? m_file->doc.get(*m_node, key) : nullptr;
}

std::optional<std::string> Section::take_string(std::string_view key) {
  const auto* node = take(key);
  if (node == nullptr || node->is_null()) {
    return std::nullopt;
  }
  if (!node->is_scalar()) {
    error(*node, key, "'" + std::string(key) + "' must be a string");
    return std::nullopt;
  }
  return node->value;
}

std::optional<std::vector<std::string>> Section::take_string_list(std::string_view key) {
  const auto* node = take(key);
  if (node == nullptr || node->is_null()) {
    return std::nullopt;
  }
  if (!node->is_sequence()) {
    error(*node, key, "'" + std::string(key) + "' must be a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> values;
  for (const auto id : node->items) {
    const auto& item = m_file->doc.at(id);
    if (!item.is_scalar()) {
      error(item, key, "'" + std::string(key) + "' must be a list of strings");
      continue;
    }
    values.push_back(item.value);
  }
  return values;
}

void Section::error(const yaml::Node& at, std::string_view key, const std::string& message) {
  m_errors.push_back({message, {path(), at.pos.line, at.pos.column}, m_gate + "." + std::string(key)});
}

std::vector<Error> Section::finish() {
  if (m_node != nullptr) {
    for (auto& e : check_keys(m_file->doc, *m_node, m_known, m_gate, " in section '" + m_gate + "'")) {
      m_errors.push_back(std::move(e));
    }
  }
  return std::move(m_errors);
}

}  // namespace shipgate::config
