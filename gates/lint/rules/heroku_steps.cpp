#include "lint/rules/heroku_steps.hpp"

#include <algorithm>

#include <re2/re2.h>

#include "core/text.hpp"
#include "lint/fix.hpp"
#include "lint/shell.hpp"

namespace shipgate::lint {

namespace {

/// The place of line `offset` (0-based) of a `run:` script: a literal block keeps its lines,
/// other styles point at the value's first line. The whole line (column 0), not the value: the
/// finding is about the command, so an input the script reads does not take it to the caller's
/// value when a composite action is evaluated for a call.
Location script_line(const Workflow& wf, const yaml::Node& run, int offset) {
  const int line = run.style == '|' ? run.pos.line + 1 + offset : run.style == '>' ? run.pos.line + 1 : run.pos.line;
  return {wf.path, line, 0};
}

/// Values an author may mean as "false"; heroku-deploy reads each of them as true.
bool looks_false(const std::string& value) {
  const auto v = text::to_lower(text::trim(value));
  return v == "false" || v == "no" || v == "off" || v == "0" || v == "n";
}

}  // namespace

void HerokuBooleanInput::on_step(const Workflow& wf, const Job& job, const Step& step, const Context& ctx,
                                 Reporter& out) const {
  if (!step.uses || !step.uses.value->is_scalar()) {
    return;
  }
  const auto* action = ctx.data.find_action(step.uses.value->value);
  if (action == nullptr) {
    return;
  }
  for (const auto& input : action->boolean_inputs) {
    if (action->autocreate && text::iequals(input, action->autocreate->input)) {
      continue;  // heroku-autocreate judges that one, with its consequence
    }
    const auto given = step.input(*wf.doc, input);
    if (!given) {
      continue;
    }
    const auto values = given->node->is_null() ? std::optional<std::vector<std::string>>(std::vector<std::string>{""})
                                               : input_values(wf, job, step, *action, *given->node);
    if (!values) {
      continue;  // an expression known only at run time (or from callers, judged there)
    }
    // An empty value has no place of its own: point at its key.
    const auto& pos = given->node->is_null() ? wf.doc->find_ci(*step.with, input).key->pos : given->pos;
    const auto where = Location{wf.path, pos.line, pos.column};
    const auto shown = "`" + input + ": " + text::shorten(given->node->is_null() ? "" : given->node->value, 30) + "`";
    const auto bad = std::find_if(values->begin(), values->end(),
                                  [action](const std::string& v) { return v != "true" && v != action->false_only; });
    if (bad == values->end()) {
      continue;
    }
    if (bad->empty()) {
      out.report(Severity::warning, where, shown + " is empty, which the action reads as true; write true or false");
    } else if (looks_false(*bad)) {
      out.report(where, shown + " reads as true: only the exact string \"" + action->false_only +
                            "\" is false; write " + action->false_only);
    } else {
      out.report(
          Severity::warning, where,
          shown + " works only because every value but \"" + action->false_only + "\" reads as true; write true");
    }
  }
}

namespace {

/// Runner labels whose images do not have the Heroku CLI (PLATFORM-FACTS: dropped from 24.04).
bool image_lacks_cli(const std::string& label) {
  const auto l = text::to_lower(label);
  return l == "ubuntu-latest" || l.rfind("ubuntu-24.04", 0) == 0;
}

/// Whether a step installs the Heroku CLI (the official script, npm/yarn/pnpm, brew, snap, apt).
bool installs_cli(const Workflow& wf, const Step& step) {
  static const RE2 k_install(
      R"((?i)cli-assets\.heroku\.com|\b(npm|pnpm|yarn|brew|snap|apt|apt-get)\b[^\n;&|]*\bheroku\b)");
  static const RE2 k_setup_action(R"((?i)heroku.*(setup|install|cli)|setup-heroku)");
  if (step.uses && step.uses.value->is_scalar() && RE2::PartialMatch(step.uses.value->value, k_setup_action)) {
    return true;
  }
  (void)wf;
  return step.run != nullptr && step.run->is_scalar() && RE2::PartialMatch(step.run->value, k_install);
}

/// The first line of a script that runs `heroku` (0-based), if any; `npx heroku` fetches the CLI
/// itself.
std::optional<int> runs_cli(const yaml::Node& run) {
  if (run.value.find("heroku") == std::string::npos) {
    return std::nullopt;
  }
  for (const auto& command : split_commands(run.value)) {
    const auto& w = command.words;
    const auto at = program_index(w);
    const auto end = w.begin() + static_cast<std::ptrdiff_t>(at);
    if (at < w.size() && is_heroku_program(w[at]) && std::find(w.begin(), end, "npx") == end) {
      return command.line;
    }
  }
  return std::nullopt;
}

}  // namespace

namespace {

/// Where a step uses the Heroku CLI (an action that runs it, or `heroku` in its script), and how.
std::optional<std::pair<Location, std::string>> cli_use(const Workflow& wf, const Job& job, const Step& step,
                                                        const Context& ctx) {
  if (step.uses && step.uses.value->is_scalar()) {
    const auto* action = ctx.data.find_action(step.uses.value->value);
    if (action != nullptr && action->uses_heroku_cli && !only_logs_in(wf, job, step, *action)) {
      return std::pair{Location{wf.path, step.uses.key->pos.line, step.uses.key->pos.column},
                       action_repository(step.uses.value->value) + " runs the Heroku CLI"};
    }
  }
  if (step.run != nullptr && step.run->is_scalar()) {
    if (const auto line = runs_cli(*step.run)) {
      return std::pair{script_line(wf, *step.run, *line), std::string("`heroku` is run")};
    }
  }
  return std::nullopt;
}

/// The edit that appends ` > /dev/null` to script line `offset` (0-based), which reads `logical`:
/// for a literal block (`run: |`) or a one-line plain `run:`, once the file's line is checked to
/// hold that text; nullopt otherwise.
/// Whether a step's `run:` is a POSIX shell script: `shell:` (the step's, else the job's or the
/// workflow's `defaults.run.shell`) is bash or sh, or unset on a runner that is not Windows.
bool posix_shell(const Workflow& wf, const Job& job, const Step& step) {
  const auto& doc = *wf.doc;
  const auto defaults_shell = [&doc](const yaml::Node* node) -> const yaml::Node* {
    const auto* defaults = node != nullptr ? doc.get(*node, "defaults") : nullptr;
    const auto* run = defaults != nullptr ? doc.get(*defaults, "run") : nullptr;
    return run != nullptr ? doc.get(*run, "shell") : nullptr;
  };
  const yaml::Node* shell = doc.get(*step.node, "shell");
  shell = shell != nullptr ? shell : defaults_shell(job.node);
  shell = shell != nullptr ? shell : defaults_shell(&doc.root());
  if (shell != nullptr) {
    const auto name = shell->is_scalar() ? text::to_lower(text::trim(shell->value)) : std::string();
    return name.rfind("bash", 0) == 0 || name == "sh" || name.rfind("sh ", 0) == 0;
  }
  return !job.runs_on.empty() && std::none_of(job.runs_on.begin(), job.runs_on.end(), [](const String& label) {
    return label.has_expression() || text::to_lower(label.value).find("windows") != std::string::npos;
  });
}

std::optional<Edit> silence(const Workflow& wf, const yaml::Node& run, int offset, std::string_view logical) {
  const auto text = wf.text;
  if (text.empty() || run.pos.offset >= text.size() || run.value.find("<<") != std::string::npos ||
      std::count(logical.begin(), logical.end(), '"') % 2 != 0 ||
      std::count(logical.begin(), logical.end(), '\'') % 2 != 0) {
    return std::nullopt;  // a heredoc, or a quote left open: the line may be data, not a command
  }
  std::size_t at = line_start(text, run.pos.offset);
  if (run.style == '|') {
    for (int i = 0; i <= offset && at < text.size(); ++i) {
      at = line_end(text, at);
    }
  } else if (run.style != 0 || run.value.find('\n') != std::string::npos) {
    return std::nullopt;
  }
  auto end = line_end(text, at);
  while (end > at && (text[end - 1] == '\n' || text[end - 1] == '\r')) {
    --end;  // at the end of the line, after any trailing spaces
  }
  const auto content = text::trim(text.substr(at, end - at));
  const auto trimmed = text::trim(logical);
  if (trimmed.empty() || content.size() < trimmed.size() ||
      content.substr(content.size() - trimmed.size()) != trimmed) {
    return std::nullopt;  // the script line is not where it was expected
  }
  return Edit{end, 0, " > /dev/null"};
}

}  // namespace

void HerokuCliMissing::on_job(const Workflow& wf, const Job& job, const Context& ctx, Reporter& out) const {
  // A composite action runs on its caller's runner, after the caller's steps before the call (up
  // the chain of calls); linted on its own, its runner is unknown. A use of the CLI before the
  // call is the job's first, reported there.
  const Workflow* at = &wf;
  const Job* runner = &job;
  while (at->is_action) {
    if (at->caller == nullptr || at->calling_job == nullptr || at->calling_step == nullptr) {
      return;
    }
    for (const auto& step : at->calling_job->steps) {
      if (step.index < at->calling_step->index &&
          (installs_cli(*at->caller, step) || cli_use(*at->caller, *at->calling_job, step, ctx))) {
        return;
      }
    }
    runner = at->calling_job;
    at = at->caller;
  }
  const auto image = std::find_if(runner->runs_on.begin(), runner->runs_on.end(),
                                  [](const String& label) { return image_lacks_cli(label.value); });
  if (image == runner->runs_on.end() || runner->runs_on.size() != 1 || runner->container != nullptr) {
    return;  // a self-hosted or container job brings its own tools
  }
  for (const auto& step : job.steps) {
    if (installs_cli(wf, step)) {
      return;
    }
    if (const auto use = cli_use(wf, job, step, ctx)) {
      out.report(use->first,
                 use->second + ", but " + text::shorten(image->value, 30) +
                     " has no Heroku CLI; install it first: curl https://cli-assets.heroku.com/install.sh | sh");
      return;
    }
  }
}

void HerokuConfigSetEcho::on_step(const Workflow& wf, const Job& job, const Step& step, const Context&,
                                  Reporter& out) const {
  if (step.run == nullptr || !step.run->is_scalar() || step.run->value.find("config:set") == std::string::npos) {
    return;
  }
  // One logical line at a time (backslash continuations joined), so a redirect written on the
  // continuation line still counts; a `>` (to a file or /dev/null) or `&>` silences stdout.
  static const RE2 k_silenced(R"((^|[^2])>|&>|\|\s*[A-Za-z_./-]+)");
  static const RE2 k_echoes(R"(\|\s*(tee|cat|grep|tail|head|sed|awk)\b)");
  static const RE2 k_heroku_before(R"((^|[\s;&|(])(\S*/)?heroku\s)");
  const auto& script = step.run->value;
  int line = 0;
  for (std::size_t start = 0; start < script.size();) {
    std::size_t end = start;
    int lines = 1;
    while (true) {
      end = script.find('\n', end);
      if (end == std::string::npos || end == 0 || script[end - 1] != '\\') {
        break;
      }
      ++end;
      ++lines;
    }
    end = std::min(end, script.size());
    const auto logical = std::string_view(script).substr(start, end - start);
    const auto at = logical.find("config:set");
    const auto hash = logical.find('#');
    if (at != std::string_view::npos && (hash == std::string_view::npos || hash > at) &&
        RE2::PartialMatch(logical.substr(0, at), k_heroku_before)) {
      const auto rest = logical.substr(at);
      auto command = rest.substr(0, rest.find(" #"));  // a shell comment says nothing
      command = command.substr(0, command.find(';'));
      command = command.substr(0, command.find("&&"));
      command = command.substr(0, command.find("||"));
      if (!RE2::PartialMatch(command, k_silenced) || RE2::PartialMatch(command, k_echoes)) {
        const auto lines_before = std::count(logical.begin(), logical.begin() + static_cast<std::ptrdiff_t>(at), '\n');
        out.report(script_line(wf, *step.run, line + static_cast<int>(lines_before)),
                   "`heroku config:set` prints every value it sets into the log (masking misses derived values); "
                   "add `> /dev/null`");
        if (!posix_shell(wf, job, step)) {
          out.no_fix("the step's shell is not a POSIX shell (or the runner may be Windows); redirect by hand");
        } else if (lines != 1 || rest.find_first_of("#;&|<>`\\") != std::string_view::npos) {
          out.no_fix("the command continues past its line or pipes, chains or redirects; add `> /dev/null` by hand");
        } else {
          auto edit = silence(wf, *step.run, line, logical);
          out.fix_or(edit ? std::optional<std::vector<Edit>>({*edit}) : std::nullopt,
                     "a heredoc, an open quote or a folded script; add `> /dev/null` by hand");
        }
      }
    }
    line += lines;
    start = end + 1;
  }
}

}  // namespace shipgate::lint
