#include "core/yaml.hpp"

#include <algorithm>
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
  Builder(Document& doc, const Limits& limits, const std::string& file) : m_doc(doc), m_limits(limits) {
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
    add_leaf(mark, anchor, Kind::scalar, value, tag == "?");
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

  static Position to_position(const YAML::Mark& mark) { return {mark.line + 1, mark.column + 1}; }

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
  std::vector<Frame> m_stack;
  std::unordered_map<YAML::anchor_t, NodeId> m_anchors;
  std::vector<std::uint64_t> m_weight;                                   // per node: its size with aliases expanded
  static constexpr std::uint64_t k_weight_cap = std::uint64_t{1} << 62;  // saturate, never overflow
  NodeId m_root = k_no_node;
};

Result<Document> parse(std::string_view text, const std::string& file, const Limits& limits) {
  Document doc;
  Builder builder(doc, limits, file);
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
