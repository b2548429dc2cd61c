#include "lint/rules/secret_literal.hpp"

#include <algorithm>
#include <set>

#include <re2/re2.h>

#include "core/text.hpp"

namespace shipgate::lint {

namespace {

/// Secret shapes that are secrets wherever they appear, with what to call them.
struct Shape {
  const char* what;
  const char* pattern;
};

const std::vector<std::pair<std::string, std::unique_ptr<RE2>>>& shapes() {
  static const auto k_shapes = [] {
    static constexpr Shape k_list[] = {
        {"a GitHub token", R"(\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}))"},
        {"a Heroku API key", R"(\bHRKU-[A-Za-z0-9_-]{20,})"},
        {"a Slack token", R"(\bxox[abposr]-[A-Za-z0-9-]{10,})"},
        {"a Stripe live key", R"(\b[sr]k_live_[A-Za-z0-9]{16,})"},
        {"a private key", R"(-----BEGIN [A-Z ]*PRIVATE KEY-----)"},
        {"a bearer token", R"((?i)\bbearer\s+([A-Za-z0-9._~+/=-]{20,}))"},
        {"a password in a URL", R"(\b[a-z][a-z0-9+.-]*://[^/\s:@$]+:([^@\s/$]{6,})@([^/\s:@]+))"},
    };
    std::vector<std::pair<std::string, std::unique_ptr<RE2>>> out;
    RE2::Options options;
    options.set_log_errors(false);
    for (const auto& s : k_list) {
      out.emplace_back(s.what, std::make_unique<RE2>(s.pattern, options));
    }
    return out;
  }();
  return k_shapes;
}

/// A name that says its value is a credential (HEROKU_API_KEY, deploy_token, DB_PASSWORD).
bool secret_name(std::string_view name) {
  static const RE2 k_name(R"((?i)(api[_-]?key|token|secret|passw(or)?d|private[_-]?key|credentials?)$)");
  static const RE2 k_not(R"((?i)(_url|_file|_path|_name|_id|_type|_env|_version)$)");
  return RE2::PartialMatch(name, k_name) && !RE2::PartialMatch(name, k_not);
}

/// A value that looks generated rather than chosen: long, no spaces, letters and digits mixed,
/// and not a placeholder or a reference.
bool looks_generated(std::string_view value) {
  static const RE2 k_placeholder(
      R"((?i)example|changeme|dummy|placeholder|your|xxxx|fake|sample|test|secret|password|token)");
  if (value.size() < 16 || value.size() > 4096 || value.find_first_of(" \t\n$<>{}") != std::string_view::npos ||
      RE2::PartialMatch(value, k_placeholder)) {
    return false;
  }
  const bool letters =
      std::any_of(value.begin(), value.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  const bool digits =
      std::any_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  std::set<char> distinct(value.begin(), value.end());
  return letters && digits && distinct.size() >= 10;
}

/// A classic Heroku API key: a UUID (only meaningful under a Heroku credential's name).
bool uuid(std::string_view value) {
  static const RE2 k_uuid(R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)");
  return RE2::FullMatch(value, k_uuid);
}

class Scanner {
public:
  Scanner(const Workflow& wf, Reporter& out) : m_wf(wf), m_out(out) {}

  /// An `env:` or `with:` mapping: each name and its literal value.
  void mapping(const yaml::Node* node, const char* kind) {
    if (node == nullptr || !node->is_mapping()) {
      return;
    }
    for (const auto& pair : node->pairs) {
      const auto& key = m_wf.doc->at(pair.key);
      const auto& value = m_wf.doc->at(pair.value);
      if (!value.is_scalar() || value.value.empty() || !m_seen.insert(value.pos.offset).second) {
        continue;
      }
      const auto where = Location{m_wf.path, value.pos.line, value.pos.column};
      const auto name = "`" + text::shorten(key.value, 40) + "`";
      if (shape(value.value, where, std::string(kind) + " " + name)) {
        continue;
      }
      if (!secret_name(key.value) || has_expression(value.value)) {
        continue;
      }
      const auto lower = text::to_lower(key.value);
      if (lower.find("heroku") != std::string::npos && uuid(value.value)) {
        report(Severity::error, where, std::string(kind) + " " + name + " holds a literal Heroku API key");
      } else if (looks_generated(value.value)) {
        report(Severity::warning, where, std::string(kind) + " " + name + " looks like a literal credential");
      }
    }
  }

  /// A `run:` script: secret shapes, and `NAME=value` assignments of credential names.
  void script(const yaml::Node* run) {
    if (run == nullptr || !run->is_scalar() || !m_seen.insert(run->pos.offset).second) {
      return;
    }
    const auto where = Location{m_wf.path, run->pos.line, run->pos.column};
    if (shape(run->value, where, "the `run:` script")) {
      return;
    }
    static const RE2 k_assign(R"((?i)\b([A-Z_]*HEROKU[A-Z_]*(?:KEY|TOKEN))=['"]?([0-9a-f-]{36})\b)");
    std::string name;
    std::string value;
    if (RE2::PartialMatch(run->value, k_assign, &name, &value) && uuid(value)) {
      report(Severity::error, where,
             "the `run:` script sets `" + text::shorten(name, 40) + "` to a literal Heroku API key");
    }
  }

private:
  /// Reports the first secret shape in `value`; true when there was one.
  bool shape(const std::string& value, const Location& where, const std::string& in) {
    // One pass over the value decides whether any shape can be there at all.
    static const RE2 k_any(R"((?i)gh[pousr]_|github_pat_|HRKU-|xox[abposr]-|_live_|PRIVATE KEY|bearer\s|://[^/\s]*@)");
    if (value.size() < 16 || !RE2::PartialMatch(value, k_any)) {
      return false;
    }
    for (const auto& [what, re] : shapes()) {
      std::string captured;
      std::string host;
      const bool url = what == "a password in a URL";
      const bool hit = url                                 ? RE2::PartialMatch(value, *re, &captured, &host)
                       : re->NumberOfCapturingGroups() > 0 ? RE2::PartialMatch(value, *re, &captured)
                                                           : RE2::PartialMatch(value, *re);
      // A database the job runs itself (localhost, a service container's name) has a password
      // made up for the test, not a secret.
      if (url && (host.find('.') == std::string::npos || host.rfind("127.", 0) == 0 || host == "0.0.0.0")) {
        continue;
      }
      if (hit && (!url || !has_expression(captured)) && (what != "a bearer token" || looks_generated(captured))) {
        report(Severity::error, where, in + " holds " + what + " as a literal");
        return true;
      }
    }
    return false;
  }

  void report(Severity severity, const Location& where, const std::string& what) {
    m_out.report(severity, where, what + "; move it to a secret (`${{ secrets.NAME }}`) and revoke it");
  }

  const Workflow& m_wf;
  Reporter& m_out;
  std::set<std::size_t> m_seen;  // values reached twice through an alias are judged once
};

}  // namespace

void SecretLiteral::on_workflow(const Workflow& wf, const Context&, Reporter& out) const {
  Scanner scan(wf, out);
  scan.mapping(wf.env, "env");
  for (const auto& job : wf.jobs) {
    scan.mapping(job.env, "env");
    scan.mapping(job.with, "input");
    for (const auto& step : job.steps) {
      scan.mapping(step.env, "env");
      scan.mapping(step.with, "input");
      scan.script(step.run);
    }
  }
  for (const auto& input : wf.dispatch_inputs) {
    if (secret_name(input.value)) {
      out.report(Severity::warning, {wf.path, input.pos.line, input.pos.column},
                 "dispatch input `" + text::shorten(input.value, 40) +
                     "` asks for a secret, which the run's page and event show to readers; use a repository secret");
    }
  }
}

void UnpinnedDeployAction::on_step(const Workflow& wf, const Job&, const Step& step, const Context& ctx,
                                   Reporter& out) const {
  if (!step.uses || !step.uses.value->is_scalar()) {
    return;
  }
  const auto& uses = step.uses.value->value;
  const bool deploys = ctx.data.find_action(uses) != nullptr || step.input(*wf.doc, "heroku_app_name").has_value();
  const auto at = uses.find('@');
  if (!deploys || at == std::string::npos || action_repository(uses).empty()) {
    return;
  }
  const auto ref = uses.substr(at + 1);
  static const RE2 k_sha("[0-9a-fA-F]{40}");
  static const RE2 k_version(R"(v?[0-9]+(\.[0-9]+){0,2})");
  const auto where = Location{wf.path, step.uses.value->pos.line, step.uses.value->pos.column};
  const auto name = "`" + text::shorten(uses, 60) + "`";
  if (RE2::FullMatch(ref, k_sha)) {
    return;
  }
  if (ctx.pin_sha) {
    out.report(where, name +
                          " can be moved to other code; pin the commit SHA with the version as a comment "
                          "(`@<sha> # v3.13.15`)");
  } else if (!RE2::FullMatch(ref, k_version)) {
    out.report(where, name +
                          " follows a branch, so each push to it changes what deploys; pin a release tag or a "
                          "commit SHA");
  }
}

}  // namespace shipgate::lint
