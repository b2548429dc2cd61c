#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace shipgate::yaml {

/// 1-based line and column of the first character of a key or value.
struct Position {
  int line = 0;
  int column = 0;
  /// Byte offset in the parsed text, so the text at a node is found without rescanning.
  std::size_t offset = 0;
};

using NodeId = std::uint32_t;
inline constexpr NodeId k_no_node = std::numeric_limits<NodeId>::max();

enum class Kind : std::uint8_t { null, scalar, sequence, mapping };

struct Pair {
  NodeId key;
  NodeId value;
};

/// One YAML node. An alias is not a node of its own: it is the id of the anchored node, so the
/// document is a DAG whose size is bounded by the file's size, never by what aliases expand to.
struct Node {
  Kind kind = Kind::null;
  /// A scalar written without quotes or block style; its type follows the YAML 1.2 core schema.
  bool plain = false;
  /// How a scalar is written: '"', '\'', '|', '>' (past any anchor or tag), or 0 for plain.
  char style = 0;
  Position pos;
  std::string value;
  std::vector<NodeId> items;
  std::vector<Pair> pairs;

  bool is_null() const;
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_mapping() const { return kind == Kind::mapping; }
  bool is_sequence() const { return kind == Kind::sequence; }
};

/// A key and its value in a mapping, as found by Document::find.
struct Entry {
  const Node* key = nullptr;
  const Node* value = nullptr;
  explicit operator bool() const { return key != nullptr; }
};

/// Limits that keep hostile input cheap; hitting one is an input error, not a crash.
struct Limits {
  std::size_t max_depth = 256;
  /// What the document would weigh with every alias expanded (scalar bytes + nodes); an alias
  /// bomb or a fan-out of a large anchored block is refused past this, so no later walk that
  /// follows aliases can be made to do unbounded work.
  std::uint64_t max_expanded = std::uint64_t{16} * 1024 * 1024;
  std::size_t max_nodes = 250'000;  // a large real workflow has a few thousand
};

/// One parsed YAML document with 1-based positions for every key and value.
class Document {
public:
  const Node& root() const { return m_nodes[m_root]; }
  const Node& at(NodeId id) const { return m_nodes[id]; }
  const std::string& file() const { return m_file; }
  std::size_t size() const { return m_nodes.size(); }

  /// The entry whose scalar key equals `key` (case-sensitive, as YAML is), or an empty Entry.
  Entry find(const Node& mapping, std::string_view key) const;
  /// The same, comparing keys case-insensitively (action inputs, environment names).
  Entry find_ci(const Node& mapping, std::string_view key) const;
  /// Value of `key` in `mapping`, or nullptr when absent or when `mapping` is not a mapping.
  const Node* get(const Node& mapping, std::string_view key) const;

private:
  friend class Builder;
  std::string m_file;
  std::vector<Node> m_nodes;
  NodeId m_root = 0;
};

/// Parses `text` (already checked to be UTF-8 without NULs) into one Document. Rejects, with a
/// positioned Error: syntax errors, more than one document, duplicate keys (as GitHub does),
/// non-scalar keys, aliases to a node that contains them, nesting, size or alias expansion
/// beyond `limits`, a quoted scalar never closed (which yaml-cpp 0.7 accepts at the end of a
/// file), and the characters YAML 1.1 parsers such as GitHub's take as line breaks but YAML 1.2
/// does not (NEL, U+2028, U+2029), so shipgate never reads a different document than GitHub runs.
Result<Document> parse(std::string_view text, const std::string& file, const Limits& limits = {});

/// The offset of the quote that closes the quoted scalar whose opening quote (' or ") is at
/// `start`, honouring `\"` and `''` escapes; npos when it is never closed.
std::size_t closing_quote(std::string_view text, std::size_t start);

/// The offset of the value itself at `offset`, past node properties (`&anchor`, `!tag`) and the
/// white space after them.
std::size_t skip_properties(std::string_view text, std::size_t offset);

/// Whether a plain scalar reads as boolean true/false under the YAML 1.2 core schema, which is
/// how GitHub Actions reads workflow files (so `yes`/`on` are strings there).
bool is_core_true(const Node& node);
bool is_core_false(const Node& node);

}  // namespace shipgate::yaml
