#include "core/yaml.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "core/text.hpp"

namespace shipgate::yaml {

bool Node::is_null() const {
  if (kind == Kind::null) {
    return true;
  }
  return kind == Kind::scalar && plain &&
         (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL");
}

std::size_t closing_quote(std::string_view text, std::size_t start) {
  const char quote = text[start];
  for (std::size_t i = start + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside a single-quoted scalar
        continue;
      }
      return i;
    }
  }
  return std::string_view::npos;
}

std::size_t skip_properties(std::string_view text, std::size_t offset) {
  while (offset < text.size() && (text[offset] == '&' || text[offset] == '!')) {
    while (offset < text.size() && text[offset] != ' ' && text[offset] != '\t' && text[offset] != '\n' &&
           text[offset] != '\r') {
      ++offset;  // the anchor or tag itself
    }
    while (offset < text.size() &&
           (text[offset] == ' ' || text[offset] == '\t' || text[offset] == '\n' || text[offset] == '\r')) {
      ++offset;
    }
  }
  return offset;
}

bool is_core_true(const Node& node) {
  return node.is_scalar() && node.plain && (node.value == "true" || node.value == "True" || node.value == "TRUE");
}

bool is_core_false(const Node& node) {
  return node.is_scalar() && node.plain && (node.value == "false" || node.value == "False" || node.value == "FALSE");
}

Entry Document::find(const Node& mapping, std::string_view key) const {
  if (!mapping.is_mapping()) {
    return {};
  }
  for (const auto& pair : mapping.pairs) {
    const Node& k = m_nodes[pair.key];
    if (k.is_scalar() && k.value == key) {
      return {&k, &m_nodes[pair.value]};
    }
  }
  return {};
}

Entry Document::find_ci(const Node& mapping, std::string_view key) const {
  if (!mapping.is_mapping()) {
    return {};
  }
  for (const auto& pair : mapping.pairs) {
    const Node& k = m_nodes[pair.key];
    if (k.is_scalar() && text::iequals(k.value, key)) {
      return {&k, &m_nodes[pair.value]};
    }
  }
  return {};
}

const Node* Document::get(const Node& mapping, std::string_view key) const { return find(mapping, key).value; }

namespace {

/// Thrown inside the event handler to stop the parser; caught in parse() only.
struct BuildError {
  Error error;
};

}  // namespace

/// Turns yaml-cpp parser events into a Document, enforcing the checks yaml-cpp lacks.
class Builder : public YAML::EventHandler {
public:
  Builder(Document& doc, const Limits& limits, const std::string& file, std::string_view text)
      : m_doc(doc), m_limits(limits), m_text(text) {
    m_doc.m_file = file;
  }

  /// Sets the root; an empty file becomes a null root at line 1.
  void finish() {
    if (m_root == k_no_node) {
      Node empty;
      empty.pos = {1, 1};
      m_doc.m_nodes.push_back(empty);
      m_root = static_cast<NodeId>(m_doc.m_nodes.size() - 1);
    }
    m_doc.m_root = m_root;
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { add_leaf(mark, anchor, Kind::null, {}, false); }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (tag != "?") {
      check_closed(mark);
    }
    add_leaf(mark, anchor, Kind::scalar, value, tag == "?");
    if (tag != "?") {
      const auto at = skip_properties(m_text, static_cast<std::size_t>(std::max(mark.pos, 0)));
      const char c = at < m_text.size() ? m_text[at] : '\0';
      m_doc.m_nodes.back().style = std::string_view("\"'|>").find(c) != std::string_view::npos ? c : '\0';
    }
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = m_anchors.find(anchor);
    if (it == m_anchors.end()) {
      fail(mark, "alias to an unknown anchor");
    }
    for (const auto& frame : m_stack) {
      if (frame.id == it->second) {
        fail(mark, "alias refers to a node that contains it (a self-referencing alias)");
      }
    }
    attach(it->second, mark);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, Kind::mapping);
  }
  void OnMapEnd() override {
    if (m_stack.back().pending_key != k_no_node) {
      fail_at(m_doc.m_nodes[m_stack.back().pending_key].pos, "mapping key without a value");
    }
    close();
  }

private:
  struct Frame {
    NodeId id;
    NodeId pending_key = k_no_node;
    std::unordered_set<std::string> keys;
  };

  /// Closes the innermost collection: its expanded weight is final once its children are.
  void close() {
    const NodeId id = m_stack.back().id;
    const Node& node = m_doc.m_nodes[id];
    std::uint64_t weight = 1;
    for (const auto item : node.items) {
      weight += m_weight[item];
    }
    for (const auto& pair : node.pairs) {
      weight += m_weight[pair.key] + m_weight[pair.value];
    }
    m_weight[id] = std::min(weight, k_weight_cap);
    if (weight > m_limits.max_expanded) {
      fail_at(node.pos, "aliases expand this node to more than " + std::to_string(m_limits.max_expanded >> 20) +
                            " MiB (an alias bomb or a large anchored block reused too often)");
    }
    m_stack.pop_back();
  }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) { fail_at(to_position(mark), message); }
  [[noreturn]] void fail_at(Position pos, const std::string& message) {
    throw BuildError{Error{message, {m_doc.m_file, pos.line, pos.column}, {}}};
  }

  static Position to_position(const YAML::Mark& mark) {
    return {mark.line + 1, mark.column + 1, static_cast<std::size_t>(std::max(mark.pos, 0))};
  }

  /// A quoted scalar must end with its closing quote; yaml-cpp 0.7 accepts `"abc` running into
  /// the end of the file. Each scalar is scanned only to its own end, so the work stays linear.
  void check_closed(const YAML::Mark& mark) {
    const auto start = skip_properties(m_text, static_cast<std::size_t>(std::max(mark.pos, 0)));
    if (start >= m_text.size() || (m_text[start] != '"' && m_text[start] != '\'')) {
      return;  // a block scalar, or a tagged plain one
    }
    if (closing_quote(m_text, start) == std::string_view::npos) {
      fail(mark, std::string("invalid YAML: a ") + (m_text[start] == '"' ? "double" : "single") +
                     "-quoted string is never closed");
    }
  }

  NodeId make(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind) {
    if (m_doc.m_nodes.size() >= m_limits.max_nodes) {
      fail(mark, "document has more than " + std::to_string(m_limits.max_nodes) + " nodes");
    }
    const auto id = static_cast<NodeId>(m_doc.m_nodes.size());
    Node node;
    node.kind = kind;
    node.pos = to_position(mark);
    m_doc.m_nodes.push_back(std::move(node));
    m_weight.push_back(1);
    if (anchor != YAML::NullAnchor) {
      m_anchors[anchor] = id;
    }
    return id;
  }

  void add_leaf(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind, const std::string& value, bool plain) {
    const NodeId id = make(mark, anchor, kind);
    m_doc.m_nodes[id].value = value;
    m_doc.m_nodes[id].plain = plain;
    m_weight[id] = value.size() + 1;
    attach(id, mark);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind) {
    if (m_stack.size() >= m_limits.max_depth) {
      fail(mark, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels");
    }
    const NodeId id = make(mark, anchor, kind);
    attach(id, mark);
    m_stack.push_back(Frame{id, k_no_node, {}});
  }

  /// Adds `id` to the open collection: as a sequence item, a mapping key, or a mapping value.
  void attach(NodeId id, const YAML::Mark& mark) {
    if (m_stack.empty()) {
      if (m_root != k_no_node) {
        fail(mark, "more than one YAML document in one file");
      }
      m_root = id;
      return;
    }
    Frame& frame = m_stack.back();
    Node& parent = m_doc.m_nodes[frame.id];
    if (parent.kind == Kind::sequence) {
      parent.items.push_back(id);
      return;
    }
    if (frame.pending_key == k_no_node) {
      add_key(frame, id);
      return;
    }
    m_doc.m_nodes[frame.id].pairs.push_back(Pair{frame.pending_key, id});
    frame.pending_key = k_no_node;
  }

  void add_key(Frame& frame, NodeId id) {
    const Node& key = m_doc.m_nodes[id];
    if (key.kind == Kind::sequence || key.kind == Kind::mapping) {
      fail_at(key.pos, "a mapping key must be a scalar");
    }
    if (!frame.keys.insert(key.value).second) {
      for (const auto& pair : m_doc.m_nodes[frame.id].pairs) {
        const Node& other = m_doc.m_nodes[pair.key];
        if (other.value == key.value) {
          fail_at(key.pos, "'" + key.value + "' is already defined (first at line " + std::to_string(other.pos.line) +
                               "); duplicate keys are an error in GitHub Actions");
        }
      }
    }
    frame.pending_key = id;
  }

  Document& m_doc;
  const Limits& m_limits;
  std::string_view m_text;
  std::vector<Frame> m_stack;
  std::unordered_map<YAML::anchor_t, NodeId> m_anchors;
  std::vector<std::uint64_t> m_weight;                                   // per node: its size with aliases expanded
  static constexpr std::uint64_t k_weight_cap = std::uint64_t{1} << 62;  // saturate, never overflow
  NodeId m_root = k_no_node;
};

namespace {

/// The first character that YAML 1.1 reads as a line break and YAML 1.2 does not: NEL (U+0085),
/// LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029), with its name.
std::optional<std::pair<std::size_t, const char*>> find_yaml11_break(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\xC2' && text[i + 1] == '\x85') {
      return std::pair{i, "NEL (U+0085)"};
    }
    if (text[i] == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
        (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      return std::pair{i, text[i + 2] == '\xA8' ? "LINE SEPARATOR (U+2028)" : "PARAGRAPH SEPARATOR (U+2029)"};
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Document> parse(std::string_view text, const std::string& file, const Limits& limits) {
  if (const auto found = find_yaml11_break(text)) {
    const auto [offset, name] = *found;
    const auto line_start = text.rfind('\n', offset);
    const int column = static_cast<int>(offset - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
    return Error{std::string("invalid YAML: ") + name +
                     " is a line break to GitHub's YAML parser but not to YAML 1.2; replace it with a newline "
                     "or remove it",
                 {file, text::line_of_offset(text, offset), column},
                 {}};
  }
  Document doc;
  Builder builder(doc, limits, file, text);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const BuildError& e) {
    return e.error;
  } catch (const YAML::Exception& e) {
    // e.msg is yaml-cpp's message without its own position prefix.
    return Error{"invalid YAML: " + e.msg, {file, e.mark.line + 1, e.mark.column + 1}, {}};
  } catch (const std::exception& e) {
    return Error{std::string("invalid YAML: ") + e.what(), {file, 0, 0}, {}};
  }
  builder.finish();
  return doc;
}

}  // namespace shipgate::yaml
