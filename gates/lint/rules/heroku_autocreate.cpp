#include "lint/rules/heroku_autocreate.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "lint/fix.hpp"
#include "lint/model.hpp"
#include "lint/shell.hpp"

namespace shipgate::lint {

namespace {

/// What one step of a known action sets its autocreate opt-out to, reported at the step's `uses:`.
class Check {
public:
  Check(const Workflow& wf, const Step& step, const DeployAction& action, Reporter& out)
      : m_input(*action.autocreate),
        m_name(action_repository(step.uses.value->value)),
        m_where(at(wf, *step.uses.key)),
        m_uses(m_where),
        m_out(out) {}

  void say(Severity severity, const std::string& message) const {
    m_out.report_also(severity, m_where, m_uses, message);
  }

  /// Findings about a written value point at it, where a suppression comment also belongs.
  void at_value(const Workflow& wf, const yaml::Node& value) { m_where = at(wf, value); }

  /// The ref predates the input: setting it changes nothing, so only an upgrade helps.
  void too_old(const std::string& uses) const {
    say(m_out.severity(), uses + " has no `" + m_input.input + "` (added in v" + m_input.since +
                              "): it runs `heroku create` if git:remote fails; upgrade");
  }
  void unknown_version() const {
    say(Severity::note, "`" + m_input.input + "` needs v" + m_input.since +
                            "+; the release of this SHA pin is unknown: add it as a comment (`@<sha> # v3.13.15`)");
  }
  void missing() const { say(m_out.severity(), m_name + " without `" + m_input.input + "`" + consequence()); }
  void unreadable(const std::string& what) const {
    say(Severity::warning, what + "; write `" + m_input.input + ": true`");
  }
  void empty() const { unreadable("`" + m_input.input + "` is empty, so the runner decides"); }
  void unresolved(const std::string& written) const {
    say(Severity::warning, "cannot resolve `" + m_input.input + ": " + text::shorten(written, 40) +
                               "` statically; write a literal `true`");
  }

  /// Judges the values the input may take (one per matrix combination).
  void values(const std::string& written, const std::vector<std::string>& values) const {
    const auto has = [&values](auto&& pred) { return std::any_of(values.begin(), values.end(), pred); };
    const auto shown = text::shorten(written, 24);
    if (has([this](const std::string& v) { return v == m_input.true_unless; })) {
      say(m_out.severity(), m_name + " with `" + m_input.input + ": " + shown + "`" + consequence());
    } else if (has([](const std::string& v) { return v.empty(); })) {
      empty();
    } else if (has([](const std::string& v) { return v != "true"; })) {
      say(Severity::note, "`" + m_input.input + ": " + shown +
                              "` works only because the action reads every value but \"" + m_input.true_unless +
                              "\" as true; write `true`");
    }
  }

private:
  /// The one-line consequence and fix; the rule doc says the rest (a missing app is then skipped
  /// with exit 0, which shipgate-release catches).
  std::string consequence() const {
    return ": a failing `heroku git:remote` runs `heroku create`; set `" + m_input.input + ": true`";
  }

  const AutocreateInput& m_input;
  std::string m_name;
  Location m_where;
  Location m_uses;  // the step's `uses:`, where a suppression also covers its findings
  Reporter& m_out;
};

}  // namespace

namespace {

/// `heroku create` / `heroku apps:create` in a script: CI creating apps is how a typo in a name
/// becomes a new, empty app. A name made per run or pull request (a review app) is left alone.
/// Whether the script or the env it sees names things per run or pull request.
bool per_run_names(const Workflow& wf, const Job& job, const Step& step) {
  if (names_per_run(step.run->value)) {
    return true;
  }
  for (const auto* env : {step.env, job.env, wf.env}) {
    if (env != nullptr && env->is_mapping()) {
      for (const auto& pair : env->pairs) {
        if (names_per_run(wf.doc->at(pair.value).value)) {
          return true;
        }
      }
    }
  }
  return false;
}

void creates_in_script(const Workflow& wf, const Job& job, const Step& step, Reporter& out) {
  if (step.run == nullptr || !step.run->is_scalar() || step.run->value.find("create") == std::string::npos ||
      step.run->value.find("heroku") == std::string::npos) {
    return;
  }
  for (const auto& command : split_commands(step.run->value)) {
    const auto& w = command.words;
    const auto at = program_index(w);
    if (at >= w.size() || !is_heroku_program(w[at])) {
      continue;
    }
    const auto program = w.begin() + static_cast<std::ptrdiff_t>(at);
    const auto sub =
        std::find_if(program + 1, w.end(), [](const std::string& word) { return word.empty() || word[0] != '-'; });
    if (sub == w.end() || (*sub != "create" && *sub != "apps:create")) {
      continue;
    }
    if (per_run_names(wf, job, step)) {
      return;  // review apps: made per pull request by design
    }
    const auto line = step.run->style == '|' ? step.run->pos.line + 1 + command.line : step.run->pos.line;
    out.report(Severity::warning, {wf.path, line, step.run->style == '|' ? 0 : step.run->pos.column},
               "`heroku " + *sub +
                   "` creates apps from CI, where a mistyped name makes a new empty app; create apps "
                   "once, outside the deploy");
    return;
  }
}

/// Whether the text from a sequence item's start to its first key is only `- ` (a block item,
/// not `- {uses: ...}`).
bool flow_free_item(std::string_view text, std::size_t item, std::size_t key) {
  const auto start = line_start(text, key);
  return !flow_between(text, std::min(item, start), key) &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.begin() + static_cast<std::ptrdiff_t>(key),
                     [](char c) { return c == ' ' || c == '-'; });
}

/// The edit that adds `input: true` to a step's `with:` (a block mapping whose first key starts
/// its line, a flow mapping, or no `with:` after a one-line `uses:`); nullopt where the file's
/// shape would make it a guess (an alias, a `with:` written some other way).
std::optional<std::vector<Edit>> add_input(const Workflow& wf, const Step& step, const std::string& input) {
  const auto text = wf.text;
  const auto step_at = step.node->pos.offset;
  const auto eol = std::string(line_ending(text.substr(line_start(text, step_at))));  // the step's own
  if (text.empty() || step.uses.key == nullptr) {
    return std::nullopt;
  }
  if (step.with == nullptr) {
    const auto& key = *step.uses.key;
    const auto& value = *step.uses.value;
    if (key.pos.line != value.pos.line || key.pos.offset < step_at || key.pos.column < 1 ||
        (!starts_line(text, key.pos.offset) && !flow_free_item(text, step_at, key.pos.offset)) ||
        flow_between(text, step_at, key.pos.offset)) {
      return std::nullopt;
    }
    const auto indent = std::string(static_cast<std::size_t>(key.pos.column - 1), ' ');
    const auto end = line_end(text, value.pos.offset);
    const auto missing_eol = end == text.size() && (text.empty() || text.back() != '\n') ? eol : std::string();
    return std::vector<Edit>{{end, 0, missing_eol + indent + "with:" + eol + indent + "  " + input + ": true" + eol}};
  }
  const auto& with = *step.with;
  if (!with.is_mapping() || with.pos.offset < step_at || with.pos.offset >= text.size()) {
    return std::nullopt;
  }
  if (text[with.pos.offset] == '{') {
    return std::vector<Edit>{{with.pos.offset + 1, 0, with.pairs.empty() ? input + ": true" : input + ": true, "}};
  }
  if (with.pairs.empty()) {
    return std::nullopt;
  }
  const auto& first = wf.doc->at(with.pairs.front().key);
  if (first.pos.offset < step_at || first.pos.column < 1 || !starts_line(text, first.pos.offset) ||
      flow_between(text, with.pos.offset, first.pos.offset)) {
    return std::nullopt;  // `with: &a {` and the like: a flow mapping behind an anchor or tag
  }
  const auto indent = std::string(static_cast<std::size_t>(first.pos.column - 1), ' ');
  return std::vector<Edit>{{line_start(text, first.pos.offset), 0, indent + input + ": true" + eol}};
}

/// The edit that writes `true` in place of a literal value (plain, or quoted without escapes);
/// nullopt for an expression or a value written elsewhere (an alias).
std::optional<std::vector<Edit>> set_true(const Workflow& wf, const Step& step, const yaml::Node& value) {
  const auto text = wf.text;
  if (!value.is_scalar() || value.value.find("${{") != std::string::npos || value.pos.offset < step.node->pos.offset) {
    return std::nullopt;
  }
  std::string written = value.value;
  if (value.style == '"' || value.style == '\'') {
    written = std::string(1, value.style) + value.value + value.style;
  } else if (value.style != 0) {
    return std::nullopt;
  }
  if (text.substr(value.pos.offset, written.size()) != written) {
    return std::nullopt;
  }
  return std::vector<Edit>{{value.pos.offset, written.size(), "true"}};
}

/// The edit that writes `release` over the ref of a step's `uses:` (plain, or quoted as read);
/// nullopt for a SHA pin (its release's commit is pinned by hand) or a value written elsewhere.
std::optional<Edit> upgrade_ref(const Workflow& wf, const Step& step, const std::string& release) {
  const auto& value = *step.uses.value;
  const auto text = wf.text;
  const auto at = value.value.rfind('@');
  const std::size_t quote = value.style == '"' || value.style == '\'' ? 1 : 0;
  if (release.empty() || at == std::string::npos || (value.style != 0 && quote == 0) ||
      value.pos.offset < step.node->pos.offset ||
      text.substr(value.pos.offset + quote, value.value.size()) != value.value) {
    return std::nullopt;
  }
  const auto ref = std::string_view(value.value).substr(at + 1);
  if (is_commit_sha(ref)) {
    return std::nullopt;
  }
  return Edit{value.pos.offset + quote + at + 1, ref.size(), release};
}

}  // namespace

void HerokuAutocreate::on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx,
                               Reporter& out) const {
  creates_in_script(wf, job, step, out);
  if (!step.uses || !step.uses.value->is_scalar()) {
    return;
  }
  const auto* action = ctx.data.find_action(step.uses.value->value);
  if (action == nullptr || !action->autocreate) {
    return;
  }
  if (only_logs_in(wf, job, step, *action)) {
    return;  // `justlogin`: the step writes credentials and returns before any deploy or create
  }
  Check check(wf, step, *action, out);
  const auto& uses = step.uses.value->value;
  auto support = ref_supports(uses, action->autocreate->since);
  if (support == RefSupport::unknown) {
    // A SHA pin's version comment (`@<sha> # v3.13.15`) says which release it is.
    if (const auto version = version_comment(wf, step)) {
      support = ref_supports(action_repository(uses) + "@" + *version, action->autocreate->since);
    }
  }
  const auto& input = action->autocreate->input;
  if (support == RefSupport::no) {
    check.too_old(text::shorten(uses, 50));
    // The upgrade needs a look (a new release of the action), so it is an unsafe fix.
    const auto& release = action->autocreate->upgrade;
    auto edit = upgrade_ref(wf, step, release);
    if (!edit) {
      const auto ref = std::string_view(uses).substr(std::min(uses.size(), uses.rfind('@') + 1));
      const bool sha = is_commit_sha(ref);
      return out.no_fix(release.empty() ? "no release to upgrade to is known"
                        : sha           ? "pinned by SHA: pin the commit of " + release
                              : "the `uses:` value is escaped, or behind an anchor or alias; upgrade by hand");
    }
    std::vector<Edit> edits = {*edit};
    const auto written =
        step.with != nullptr && step.with->is_mapping() ? wf.doc->find_ci(*step.with, input) : yaml::Entry{};
    // Without the input, it is added; with a value other than `true`, that is made `true`.
    auto more = !written                         ? add_input(wf, step, input)
                : written.value->value == "true" ? std::optional<std::vector<Edit>>(std::vector<Edit>{})
                                                 : set_true(wf, step, *written.value);
    if (!more) {
      return out.no_fix("the step's `" + input + "` or its `with:` is written in a shape an edit would have to guess");
    }
    edits.insert(edits.end(), more->begin(), more->end());
    return out.unsafe_fix(std::move(edits), "upgrades " + text::shorten(uses, 50) + " to " + release +
                                                ": read the action's release notes before merging");
  }
  if (step.with != nullptr && !step.with->is_mapping() && !step.with->is_null()) {
    check.unreadable("cannot read `with:` statically");
    return out.no_fix("`with:` is an expression; write the input in it by hand");
  }
  const auto entry = step.with != nullptr ? wf.doc->find_ci(*step.with, input) : yaml::Entry{};
  if (!entry) {
    check.missing();
    return out.fix_or(
        add_input(wf, step, input),
        "the step or its `with:` is written in flow style or behind an alias; add `" + input + ": true` by hand");
  }
  const auto& value = *entry.value;
  if (entry.key->pos.offset > step.node->pos.offset && value.pos.offset > step.node->pos.offset) {
    check.at_value(wf, value.is_null() ? *entry.key : value);  // an alias to an earlier anchor stays at `uses:`
  }
  if (value.is_null() || (value.is_scalar() && value.value.empty())) {
    check.empty();
    return out.no_fix("an empty value is not guessed at; write `true`");
  }
  if (!value.is_scalar()) {
    check.unreadable("`" + input + "` is not a single value");
    return out.no_fix("the value is a list or mapping; write `true`");
  }
  const auto resolved = input_values(wf, job, step, *action, value);
  if (!resolved && Scope::for_step(wf, job, &step).defers(value.value)) {
    return;  // the value comes from callers: checked where they call this workflow or action
  }
  if (!resolved) {
    check.unresolved(value.value);
    return out.no_fix("the value is an expression; write `true`");
  }
  const auto before = out.reported();
  check.values(value.value, *resolved);
  if (out.reported() > before) {
    if (resolved->size() != 1) {
      out.no_fix("the value differs between matrix combinations; write `true`");
    } else {
      out.fix_or(set_true(wf, step, value), "the value is an expression or written behind an alias; write `true`");
    }
  }
  const bool all_true =
      std::all_of(resolved->begin(), resolved->end(), [](const std::string& v) { return v == "true"; });
  if (support == RefSupport::unknown && all_true) {
    check.unknown_version();
  }
}

}  // namespace shipgate::lint
