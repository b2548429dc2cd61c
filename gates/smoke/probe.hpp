#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/net/http.hpp"
#include "core/result.hpp"

namespace re2 {
class RE2;
}

namespace shipgate::smoke {

/// A list of statuses: "200", "200,204", "200-299".
class StatusList {
public:
  static Result<StatusList> parse(std::string_view text);
  bool contains(long status) const;
  const std::string& text() const { return m_text; }

private:
  std::vector<std::pair<long, long>> m_ranges;
  std::string m_text;
};

/// `POINTER OP VALUE` against a JSON answer: `/model_loaded == true`, `/status == "ok"`,
/// `/queue_depth/total < 50`. VALUE is JSON (a bare word that is not JSON is a string).
struct JsonExpectation {
  enum class Op { eq, ne, lt, le, gt, ge };
  nlohmann::json::json_pointer pointer;
  Op op = Op::eq;
  nlohmann::json value;
  std::string text;  // as written

  static Result<JsonExpectation> parse(std::string_view text);
  /// Whether `doc` meets it; nullopt when the pointer names nothing in `doc`.
  std::optional<bool> holds(const nlohmann::json& doc) const;
};

/// What makes an answer count: a status in the list, and every JSON and body expectation met.
struct Expectation {
  StatusList statuses;
  std::vector<JsonExpectation> json;
  std::shared_ptr<const re2::RE2> body;  // nullptr: any body
  std::string body_text;

  /// Sets `body` from a pattern (re2 syntax); the error says why it does not compile.
  Result<bool> set_body(const std::string& pattern);
};

/// How an attempt is judged.
enum class Health {
  healthy,    // every expectation met
  warming,    // "not ready yet": the app's own warming answer, no answer at all, a router error
  unhealthy,  // an answer that is not healthy but may get better
  fatal,      // an answer that cannot get better (401, 403, 404, TLS, a pointer that names nothing)
};
std::string_view to_string(Health v);

struct Judgement {
  Health verdict;
  std::string reason;  // one short line: "503 warming up", "/model_loaded is false"
};

/// Judges one answer against what is expected and what a warming answer looks like.
Judgement judge(const net::Response& response, const Expectation& healthy, const Expectation& warming);

/// Whether a body is Heroku's router error page ("Application Error").
bool is_router_error_page(std::string_view body);

}  // namespace shipgate::smoke
