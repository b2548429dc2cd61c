#include "lint/deploy_sites.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <tuple>

#include <re2/re2.h>

#include "core/text.hpp"
#include "lint/fix.hpp"
#include "lint/model.hpp"
#include "lint/shell.hpp"

namespace shipgate::lint {

namespace {

constexpr std::string_view k_heroku_git_host = "git.heroku.com/";

/// The app in a Heroku git URL (https://[user:pass@]git.heroku.com/APP.git), or "".
std::string app_from_git_url(std::string_view url) {
  const auto host = url.find(k_heroku_git_host);
  if (host == std::string_view::npos) {
    return {};
  }
  auto rest = url.substr(host + k_heroku_git_host.size());
  // An expression may hold spaces (`${{ secrets.APP }}.git`): the name runs past its closing }}.
  const auto expression_end = rest.rfind("${{", 0) == 0 ? rest.find("}}") : std::string_view::npos;
  const auto from = expression_end == std::string_view::npos ? 0 : expression_end + 2;
  rest = rest.substr(0, rest.find_first_of("/ \t", from));
  if (rest.size() > 4 && rest.substr(rest.size() - 4) == ".git") {
    rest.remove_suffix(4);
  }
  return std::string(rest);
}

/// Walks one job's steps, keeping the shell state that decides targets across steps: git remotes
/// set up in earlier steps, and variables assigned earlier in the same script.
class SiteFinder {
public:
  SiteFinder(const Workflow& wf, const Job& job, const LintData& data, std::vector<DeploySite>* unknown,
             std::shared_ptr<const JobFacts> facts)
      : m_wf(wf),
        m_job(job),
        m_data(data),
        m_unknown(unknown),
        m_facts(facts != nullptr ? std::move(facts) : job_facts(wf, job)),
        m_scope_env(environment_scope(wf, job)) {}

  std::vector<DeploySite> run() {
    // The step index of each site (and each unknown one), to find checks after it.
    std::vector<std::size_t> site_step;
    std::vector<std::size_t> unknown_step;
    const auto unknown_before = m_unknown != nullptr ? m_unknown->size() : 0;
    for (const auto& step : m_job.steps) {
      m_scope = Scope::for_step(m_wf, m_job, &step);
      m_step = &step;
      const auto before = m_sites.size();
      if (step.uses) {
        from_action(step);
      }
      if (step.run != nullptr && step.run->is_scalar()) {
        from_script(*step.run);
      }
      site_step.resize(m_sites.size(), step.index);
      if (m_unknown != nullptr) {
        unknown_step.resize(m_unknown->size() - unknown_before, step.index);
      }
      const auto health = step.uses ? step.input(*m_wf.doc, "healthcheck") : std::nullopt;
      if (m_sites.size() > before && health && !health->value.empty()) {
        for (auto i = before; i < m_sites.size(); ++i) {
          m_sites[i].checked = true;  // heroku-deploy's own health check fails the step
        }
      }
    }
    for (std::size_t i = 0; i < m_sites.size(); ++i) {
      m_sites[i].checked = m_sites[i].checked || m_facts->checks_after(site_step[i]);
    }
    for (std::size_t i = 0; i < unknown_step.size(); ++i) {
      auto& site = (*m_unknown)[unknown_before + i];
      site.facts = m_facts;
      site.checked = m_facts->checks_after(unknown_step[i]);
    }
    return std::move(m_sites);
  }

  void add(const std::string& app, const std::string& how, const yaml::Position& pos) {
    if (app.empty() || !m_seen.insert({app, how, pos.line, pos.column}).second) {
      return;
    }
    std::string scope;
    if (app.rfind("${{", 0) == 0) {
      const auto it = m_reference_scope.find(app);
      if (it == m_reference_scope.end()) {
        return;  // a reference whose environment is unknown cannot be compared (reference() says so too)
      }
      scope = it->second;
    }
    m_sites.push_back({"heroku",
                       app,
                       how,
                       m_job.id,
                       {m_wf.path, pos.line, pos.column},
                       scope,
                       {},
                       m_facts,
                       condition(),
                       false,
                       false,
                       how.ends_with("rollback")});
    m_sites.back().step = m_step != nullptr ? m_step->index : 0;
  }

  std::string condition() const {
    return m_step != nullptr && m_step->condition ? text::shorten(m_step->condition->value, 4096) : std::string();
  }

  /// A deploy to an app that cannot be known before the run: reported, never silently dropped;
  /// but a name made per run (a review app named after the run or pull request) overlaps nothing.
  void add_unknown(const std::string& how, const yaml::Position& pos) {
    // The name as written, and the `env:` value it reads (`${{ env.APP }}`, `$APP`), if any.
    std::string seen = *m_unresolved;
    if (const auto at = seen.find("env."); at != std::string::npos || seen.rfind('$', 0) == 0) {
      const auto from = at != std::string::npos ? at + 4 : seen.find_first_not_of("${");
      const auto end = seen.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_",
                                              from == std::string::npos ? 0 : from);
      if (from != std::string::npos) {
        seen += raw_env(seen.substr(from, end == std::string::npos ? std::string::npos : end - from)).value_or("");
      }
    }
    if (m_unknown != nullptr && m_unresolved && !unpassed_secret(*m_unresolved)) {
      m_unknown->push_back({"heroku",
                            *m_unresolved,
                            how,
                            m_job.id,
                            {m_wf.path, pos.line, pos.column},
                            {},
                            {},
                            nullptr,
                            condition(),
                            false,
                            names_per_run(seen),
                            how.ends_with("rollback")});
      m_unknown->back().step = m_step != nullptr ? m_step->index : 0;
    }
  }

  /// Whether `text` names a secret the caller of this reusable workflow does not hand over: it is
  /// empty at run time, so the deploy reaches no app (and fails on its own).
  bool unpassed_secret(const std::string& text) const {
    const auto* binding = m_scope.binding;
    if (binding == nullptr || !binding->secrets || binding->secrets->inherit) {
      return false;
    }
    for (auto at = text.find("secrets."); at != std::string::npos; at = text.find("secrets.", at + 8)) {
      auto end = text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_", at + 8);
      auto name = text.substr(at + 8, end == std::string::npos ? std::string::npos : end - at - 8);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (binding->secrets->named.count(name) == 0) {
        return true;
      }
    }
    return false;
  }

  /// A secret or variable named as the whole app, with the environment that scopes it; a value
  /// the caller of a reusable workflow or composite action passed in is the caller's reference.
  std::optional<std::string> reference(const std::string& text) {
    auto found = lookup_reference(text, m_scope.binding, m_scope_env);
    if (!found) {
      return std::nullopt;
    }
    m_reference_scope[found->first] = found->second;
    return std::move(found->first);
  }

  /// The text written for env variable `name` (step, then job, then workflow `env:`), unresolved.
  std::optional<std::string> raw_env(std::string_view name) const {
    for (const auto* env : {m_scope.step_env, m_scope.job_env, m_scope.workflow_env}) {
      const auto* value = env != nullptr ? m_wf.doc->get(*env, name) : nullptr;
      if (value != nullptr && value->is_scalar()) {
        return value->value;
      }
    }
    return std::nullopt;
  }

  /// For a word that is one shell variable (`$NAME`, `${NAME}`) the script did not assign, the
  /// secret reference its `env:` value is (HEROKU_APP: ${{ secrets.HEROKU_APP }}); else nullopt,
  /// with the word kept as unresolved.
  std::optional<std::string> env_reference(const std::string& word) {
    std::string name = word.size() > 1 && word.front() == '$' ? word.substr(1) : std::string();
    if (name.size() > 2 && name.front() == '{' && name.back() == '}') {
      name = name.substr(1, name.size() - 2);
    }
    const auto raw = name.empty() || m_assigned.count(name) > 0 ? std::nullopt : raw_env(name);
    if (auto ref = raw ? reference(*raw) : std::nullopt) {
      return ref;
    }
    m_unresolved = raw.value_or(word);
    return std::nullopt;
  }

  void from_action(const Step& step) {
    const auto* action = m_data.find_action(step.uses.value->value);
    std::string input = action != nullptr ? action->app_input : "heroku_app_name";
    if (step.with == nullptr || input.empty() || (action != nullptr && only_logs_in(m_wf, m_job, step, *action))) {
      return;
    }
    const auto entry = m_wf.doc->find_ci(*step.with, input);
    if (!entry || !entry.value->is_scalar()) {
      return;
    }
    static const DeployAction k_unknown_action;  // forks of heroku-deploy: JavaScript, so inputs are trimmed
    auto how = action_repository(step.uses.value->value);
    if (how.empty()) {
      how = text::shorten(step.uses.value->value, 60);  // a local or Docker action: its path
    }
    const auto apps = input_values(m_wf, m_job, step, action != nullptr ? *action : k_unknown_action, *entry.value);
    if (apps) {
      for (const auto& app : *apps) {
        add(app, how, step.uses.key->pos);
      }
    } else if (auto ref = reference(entry.value->value)) {
      add(*ref, how, step.uses.key->pos);
    } else {
      m_unresolved = entry.value->value;
      add_unknown(how, step.uses.key->pos);
    }
  }

  /// The single literal value of a shell word, or "" when it cannot be known.
  std::string literal(const std::string& word) {
    const auto resolved = resolve(word, m_scope);
    if (!resolved || resolved->size() != 1) {
      return {};
    }
    std::string out;
    const bool ok = expand_variables(resolved->front(), out, [this](const std::string& name, std::string& value) {
      if (const auto it = m_assigned.find(name); it != m_assigned.end()) {
        if (!it->second) {
          return false;
        }
        value = *it->second;
        return true;
      }
      const auto values = env_value(name, m_scope);
      if (!values || values->size() != 1) {
        return false;
      }
      value = values->front();
      return true;
    });
    return ok ? out : std::string{};
  }

  /// For a word that is one shell variable the script did not assign, the values its `env:`
  /// entry resolves to; nullopt otherwise.
  std::optional<std::vector<std::string>> env_values(const std::string& word) const {
    std::string name = word.size() > 1 && word.front() == '$' ? word.substr(1) : std::string();
    if (name.size() > 2 && name.front() == '{' && name.back() == '}') {
      name = name.substr(1, name.size() - 2);
    }
    if (name.empty() || m_assigned.count(name) > 0 || !std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
        })) {
      return std::nullopt;
    }
    return env_value(name, m_scope);
  }

  /// Every app a word may name (a matrix value fans out), with shell variables expanded.
  std::vector<std::string> literals(const std::string& word) {
    std::vector<std::string> out;
    const auto resolved = resolve(word, m_scope);
    if (!resolved) {
      if (auto ref = reference(word)) {
        return {std::move(*ref)};
      }
      m_unresolved = word;
      return out;
    }
    for (const auto& value : *resolved) {
      // A lone variable from `env:` may hold several values (a caller's matrix passed through a
      // composite action's `APP: ${{ inputs.app }}`): one app each.
      if (auto many = env_values(value); many && many->size() > 1) {
        out.insert(out.end(), many->begin(), many->end());
        continue;
      }
      if (auto lit = literal(value); !lit.empty()) {
        out.push_back(std::move(lit));
      } else if (auto ref = env_reference(value)) {
        out.push_back(std::move(*ref));
      }
    }
    return out;
  }

  void from_script(const yaml::Node& run) {
    m_assigned.clear();
    if (run.value.find("heroku") == std::string::npos && run.value.find("git") == std::string::npos) {
      return;  // no heroku or git command: nothing deploys, and assignments last only this script
    }
    // A literal block (`run: |`) keeps its lines: point at the command's own line, which starts
    // on the line after the indicator. Folded and quoted scripts point at the value itself.
    const char indicator = run.style;
    for (const auto& command : split_commands(run.value)) {
      yaml::Position pos = run.pos;
      if (indicator == '|') {
        pos.line += 1 + command.line;
      } else if (indicator == '>') {
        pos.line += 1;
      }
      from_command(command.words, pos);
    }
  }

  /// Records `NAME=value` from a script; a value that cannot be known makes NAME unknown.
  void assign(const std::string& word) {
    const auto eq = word.find('=');
    auto value = literal(word.substr(eq + 1));
    m_assigned[word.substr(0, eq)] = value.empty() ? std::nullopt : std::optional<std::string>(value);
  }

  void from_command(std::vector<std::string> words, const yaml::Position& pos) {
    // `NAME=value cmd` sets NAME for cmd only: the previous state is restored after it, and a
    // name the script had not assigned goes back to unassigned (env: applies again), not unknown.
    std::optional<decltype(m_assigned)> saved;
    const auto first = program_index(words);
    for (std::size_t i = 0; i < first; ++i) {
      if (is_assignment(words[i])) {
        if (!saved) {
          saved = m_assigned;
        }
        assign(words[i]);
      }
    }
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(first));
    if (!words.empty()) {
      run_command(words, pos);
    }
    if (saved) {
      m_assigned = std::move(*saved);
    }
  }

  void run_command(const std::vector<std::string>& words, const yaml::Position& pos) {
    const auto& program = words.front();
    if (words.size() == 1 && is_assignment(program)) {
      assign(program);
    } else if ((program == "export" || program == "declare" || program == "local") && words.size() >= 2) {
      for (std::size_t i = 1; i < words.size(); ++i) {
        if (is_assignment(words[i])) {
          assign(words[i]);
        }
      }
    } else if (is_heroku_program(program)) {
      from_heroku(words, pos);
    } else if (program == "git") {
      from_git(words, pos);
    }
  }

  /// The value of --app/-a (or --remote/-r mapped to an app) in a heroku command.
  std::vector<std::string> heroku_app(const std::vector<std::string>& words) {
    for (std::size_t i = 1; i < words.size(); ++i) {
      const auto& w = words[i];
      if ((w == "--app" || w == "-a") && i + 1 < words.size()) {
        return literals(words[i + 1]);
      }
      if (w.rfind("--app=", 0) == 0) {
        return literals(w.substr(6));
      }
      if (w.size() > 2 && w.rfind("-a", 0) == 0 && w[2] != '-') {
        return literals(w.substr(2));
      }
      if ((w == "--remote" || w == "-r") && i + 1 < words.size()) {
        return remote_app(words[i + 1]);
      }
    }
    if (const auto it = m_assigned.find("HEROKU_APP"); it != m_assigned.end()) {
      return it->second ? std::vector<std::string>{*it->second} : std::vector<std::string>{};
    }
    if (const auto values = env_value("HEROKU_APP", m_scope)) {
      return *values;
    }
    if (auto ref = env_reference("$HEROKU_APP")) {
      return {std::move(*ref)};
    }
    if (auto apps = remote_app("heroku"); !apps.empty()) {
      m_unresolved.reset();
      return apps;
    }
    if (!raw_env("HEROKU_APP")) {
      m_unresolved.reset();  // no app named anywhere: nothing to report either
    }
    return {};
  }

  /// The heroku command word: the first word after `heroku` that is not a global flag.
  static std::string heroku_command(const std::vector<std::string>& words) {
    for (std::size_t i = 1; i < words.size(); ++i) {
      const auto& w = words[i];
      if (w == "--app" || w == "-a" || w == "--remote" || w == "-r") {
        ++i;
      } else if (w.empty() || w.front() != '-') {
        return w;
      }
    }
    return {};
  }

  /// `heroku pipelines:promote [-a FROM] [--to A,B]`: releases FROM's slug to the apps after
  /// --to (every downstream app when --to is not given, which cannot be known here).
  void from_promote(const std::vector<std::string>& words, const yaml::Position& pos) {
    m_unresolved.reset();
    std::optional<std::string> to;
    for (std::size_t i = 1; i < words.size(); ++i) {
      if ((words[i] == "--to" || words[i] == "-t") && i + 1 < words.size()) {
        to = words[i + 1];
      } else if (words[i].rfind("--to=", 0) == 0) {
        to = words[i].substr(5);
      }
    }
    const std::string how = "heroku pipelines:promote";
    if (!to) {
      m_unresolved = "the pipeline's next stage";
      return add_unknown(how, pos);
    }
    std::size_t added = 0;
    for (const auto& part : text::split(*to, ',')) {
      for (const auto& app : literals(std::string(text::trim(part)))) {
        add(app, how, pos);
        ++added;
      }
    }
    if (added == 0) {
      add_unknown(how, pos);
    }
  }

  std::vector<std::string> remote_app(const std::string& remote) {
    if (const auto it = m_remotes.find(remote); it != m_remotes.end()) {
      return {it->second};
    }
    return {};
  }

  void from_heroku(const std::vector<std::string>& words, const yaml::Position& pos) {
    const auto command = heroku_command(words);
    if (command == "pipelines:promote") {
      return from_promote(words, pos);
    }
    if (command == "git:remote") {
      // `heroku git:remote -a APP [-r NAME]` names a remote; it deploys nothing by itself.
      std::string remote = "heroku";
      std::vector<std::string> app_words;
      for (std::size_t i = 0; i < words.size(); ++i) {
        if ((words[i] == "--remote" || words[i] == "-r") && i + 1 < words.size()) {
          remote = words[++i];
        } else {
          app_words.push_back(words[i]);
        }
      }
      m_unresolved.reset();
      if (const auto apps = heroku_app(app_words); apps.size() == 1) {
        m_remotes[remote] = apps.front();
      } else if (m_unresolved) {
        m_unknown_remotes[remote] = *m_unresolved;  // a push to it deploys to an app known only at run time
      }
      return;
    }
    if (!m_data.heroku_command_changes_app(command)) {
      return;
    }
    m_unresolved.reset();
    const auto apps = heroku_app(words);
    for (const auto& app : apps) {
      add(app, "heroku " + command, pos);
    }
    if (apps.empty()) {
      add_unknown("heroku " + command, pos);
    }
  }

  void from_git(std::vector<std::string> words, const yaml::Position& pos) {
    std::size_t i = 1;
    while (i < words.size() && !words[i].empty() && words[i].front() == '-') {
      i += (words[i] == "-C" || words[i] == "-c") ? 2U : 1U;  // git's own options before the command
    }
    if (i >= words.size()) {
      return;
    }
    const auto& command = words[i];
    std::vector<std::string> args;
    for (std::size_t k = i + 1; k < words.size(); ++k) {
      if (words[k] == "-o" || words[k] == "--push-option" || words[k] == "--repo" || words[k] == "--exec") {
        ++k;  // options of git push that take a value
      } else if (!words[k].empty() && words[k].front() != '-') {
        args.push_back(words[k]);
      }
    }
    if (command == "remote" && args.size() >= 3 && (args[0] == "add" || args[0] == "set-url")) {
      if (auto app = literal(app_from_git_url(args[2])); !app.empty()) {
        m_remotes[args[1]] = app;
      }
      return;
    }
    if (command != "push" || args.empty()) {
      return;
    }
    if (args[0].find(k_heroku_git_host) != std::string::npos) {
      // Only the app part needs resolving; credentials before the host are often secrets.
      m_unresolved.reset();
      const auto apps = literals(app_from_git_url(args[0]));
      for (const auto& app : apps) {
        add(app, "git push", pos);
      }
      if (apps.empty()) {
        add_unknown("git push", pos);
      }
      return;
    }
    auto apps = remote_app(args[0]);
    if (const auto it = m_unknown_remotes.find(args[0]); apps.empty() && it != m_unknown_remotes.end()) {
      m_unresolved = it->second;
      add_unknown("git push " + args[0], pos);
      return;
    }
    if (apps.empty() && args[0] == "heroku") {
      if (const auto values = env_value("HEROKU_APP", m_scope)) {
        apps = *values;
      }
    }
    for (const auto& app : apps) {
      add(app, "git push " + args[0], pos);
    }
  }

  const Workflow& m_wf;
  const Job& m_job;
  const LintData& m_data;
  std::vector<DeploySite>* m_unknown;
  std::shared_ptr<const JobFacts> m_facts;
  const Step* m_step = nullptr;
  std::optional<std::string> m_scope_env;
  std::optional<std::string> m_unresolved;  // the last app word that could not be resolved
  Scope m_scope;
  std::vector<DeploySite> m_sites;
  std::set<std::tuple<std::string, std::string, int, int>> m_seen;  // app, how, line, column
  std::map<std::string, std::string> m_remotes;
  std::map<std::string, std::string> m_unknown_remotes;          // remote -> the app as written, unknown before the run
  std::map<std::string, std::optional<std::string>> m_assigned;  // nullopt: unknown
  std::map<std::string, std::string> m_reference_scope;          // reference -> the environment scoping it
};

}  // namespace

std::vector<DeploySite> find_deploy_sites(const Workflow& wf, const Job& job, const LintData& data,
                                          std::vector<DeploySite>* unknown, std::shared_ptr<const JobFacts> facts) {
  return SiteFinder(wf, job, data, unknown, std::move(facts)).run();
}

std::shared_ptr<const JobFacts> job_facts(const Workflow& wf, const Job& job) {
  auto facts = std::make_shared<JobFacts>();
  facts->file = wf.path;
  facts->id = job.id;
  if (job.key != nullptr) {
    facts->key = {wf.path, job.key->pos.line, job.key->pos.column};
  }
  if (!wf.is_action) {
    auto env = environment_names(wf, job);
    facts->environment = env.state;
    facts->environments = std::move(env.names);
    facts->environment_written = std::move(env.written);
    if (env.where != nullptr) {
      facts->environment_at = Location{wf.path, env.where->pos.line, env.where->pos.column};
    }
  }
  const auto& concurrency = job.concurrency ? job.concurrency : wf.concurrency;
  if (concurrency.group && !concurrency.group->value.empty()) {
    const auto scope = Scope::for_step(wf, job, nullptr);
    const auto resolved = resolve(concurrency.group->value, scope);
    facts->group_known = resolved && resolved->size() == 1;
    facts->concurrency = facts->group_known ? resolved->front() : text::shorten(concurrency.group->value, 200);
  } else if (concurrency) {
    facts->concurrency = "?";  // a group written in a form not read here: taken as a group, never compared
  }
  if (concurrency.cancel_in_progress && concurrency.cancel_in_progress->value != "false") {
    const auto& cancel = *concurrency.cancel_in_progress;
    facts->cancel_at = Location{wf.path, cancel.pos.line, cancel.pos.column};
    if (cancel.style == 0 && cancel.value == "true" && wf.text.substr(cancel.pos.offset, 4) == "true") {
      facts->cancel_fix = Edit{cancel.pos.offset, 4, "false"};
    }
  }
  if (!wf.is_action && job.node != nullptr && job.node->is_mapping() && !job.node->pairs.empty() &&
      job.key != nullptr && job.node->pos.offset < wf.text.size() && wf.text[job.node->pos.offset] != '{') {
    const auto& first = wf.doc->at(job.node->pairs.front().key);
    if (first.pos.offset > job.key->pos.offset && first.pos.column > 1 && starts_line(wf.text, first.pos.offset) &&
        !flow_between(wf.text, job.key->pos.offset, first.pos.offset)) {
      facts->key_insert_at = line_start(wf.text, first.pos.offset);
      facts->key_indent = std::string(static_cast<std::size_t>(first.pos.column - 1), ' ');
      facts->eol = std::string(line_ending(wf.text.substr(facts->key_insert_at.value())));  // the line it goes before
    }
  }
  if (job.condition != nullptr && job.condition->is_scalar()) {
    facts->condition = text::shorten(job.condition->value, 4096);
  }
  for (const auto& step : job.steps) {
    if (step_checks(wf, step)) {
      facts->check_steps.push_back(step.index);
    }
    for (auto& gate : shipgate_gates(step)) {
      facts->gates.emplace_back(step.index, std::move(gate));
    }
  }
  return facts;
}

bool step_checks(const Workflow& wf, const Step& step) {
  static const RE2 k_output_read(R"(steps\.[A-Za-z0-9_-]+\.outputs\.status)");
  if (step.condition && RE2::PartialMatch(step.condition->value, k_output_read)) {
    return true;
  }
  if (step.uses && step.uses.value->is_scalar()) {
    const auto uses = text::to_lower(step.uses.value->value);
    if ((uses.find("shipgate") != std::string::npos &&
         (uses.find("smoke") != std::string::npos || uses.find("release") != std::string::npos)) ||
        uses.rfind("jtalk/url-health-check-action", 0) == 0) {
      return true;
    }
  }
  if (step.run == nullptr || !step.run->is_scalar()) {
    return false;
  }
  const auto& script = step.run->value;
  if (script.find("curl") == std::string::npos && script.find("wget") == std::string::npos &&
      script.find("shipgate-") == std::string::npos && script.find("outputs.") == std::string::npos) {
    return false;  // the common case, without tokenising the script
  }
  if (script.find("shipgate-smoke") != std::string::npos || script.find("shipgate-release") != std::string::npos ||
      RE2::PartialMatch(script, k_output_read)) {
    return true;
  }
  static const RE2 k_fail_flag(R"(\s-[A-Za-z]*f)");  // curl's -f, alone or in a cluster (-fsSL)
  if (script.find("wget") == std::string::npos &&
      (script.find("curl") == std::string::npos ||
       (script.find("--fail") == std::string::npos && !RE2::PartialMatch(script, k_fail_flag)))) {
    return false;  // no command here can fail on an error status: nothing to tokenise
  }
  (void)wf;
  for (const auto& command : split_commands(script)) {
    if (command.words.empty()) {
      continue;
    }
    const auto& program = command.words.front();
    if (program == "wget") {
      return true;  // exits non-zero on an error status
    }
    if (program != "curl") {
      continue;
    }
    for (const auto& w : command.words) {
      if (w == "--fail" || w == "--fail-with-body" ||
          (w.size() > 1 && w[0] == '-' && w[1] != '-' && w.find('f') != std::string::npos)) {
        return true;
      }
    }
  }
  return false;
}

std::vector<std::string> shipgate_gates(const Step& step) {
  static constexpr std::array<std::string_view, 6> k_gates = {"env", "freeze", "lint", "release", "slug", "smoke"};
  std::vector<std::string> out;
  const auto uses = step.uses && step.uses.value->is_scalar() ? text::to_lower(step.uses.value->value) : "";
  std::string_view script;
  if (step.run != nullptr && step.run->is_scalar()) {
    script = step.run->value;
  }
  if (uses.find("shipgate") == std::string::npos && script.find("shipgate-") == std::string_view::npos) {
    return out;
  }
  for (const auto gate : k_gates) {
    const auto action = "/actions/" + std::string(gate) + "@";
    const auto binary = "shipgate-" + std::string(gate);
    const auto at = script.find(binary);
    const bool in_script =
        at != std::string_view::npos && (at + binary.size() == script.size() ||
                                         std::isalnum(static_cast<unsigned char>(script[at + binary.size()])) == 0);
    if ((uses.find("shipgate") != std::string::npos && uses.find(action) != std::string::npos) || in_script) {
      out.emplace_back(gate);
    }
  }
  return out;
}

bool has_name_part(std::string_view name, const std::set<std::string, std::less<>>& parts) {
  std::string part;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    const char c = i < name.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(name[i]))) : ' ';
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      part += c;
    } else {
      if (parts.count(part) != 0) {
        return true;
      }
      part.clear();
    }
  }
  return false;
}

const std::set<std::string, std::less<>>& production_parts() {
  static const std::set<std::string, std::less<>> k_parts = {"prod", "production", "prd", "live"};
  return k_parts;
}

bool looks_like_production(std::string_view name) { return has_name_part(name, production_parts()); }

WorkflowSummary summarize(const Workflow& wf, const LintData& data) {
  std::string full;
  for (const auto& t : wf.triggers) {
    full += t.describe();
    full += '\n';
  }
  WorkflowSummary summary;
  summary.path = wf.path;
  summary.trigger_text = wf.describe_triggers();
  summary.trigger_key = std::hash<std::string>{}(full);
  summary.triggers = wf.triggers;
  summary.dispatch_only = wf.triggers.size() == 1 && wf.triggers.front().event == "workflow_dispatch";
  for (const auto& input : wf.dispatch_inputs) {
    summary.dispatch_inputs.push_back(input.value);
  }
  for (const auto& job : wf.jobs) {
    summary.needs[job.id] = job.needs;
    auto facts = job_facts(wf, job);
    static const RE2 k_check_workflow(R"((?i)smoke|health|verify|shipgate)");
    const bool calls_check =
        job.uses && job.uses.value->is_scalar() && RE2::PartialMatch(job.uses.value->value, k_check_workflow);
    if (calls_check || !facts->check_steps.empty()) {
      summary.checking_jobs.insert(job.id);
    }
    if (!facts->gates.empty()) {
      auto& gates = summary.job_gates[job.id];
      for (const auto& gate : facts->gates) {
        gates.push_back(gate.second);
      }
    }
    if (job.condition != nullptr && job.condition->is_scalar()) {
      if (auto required = requirements(job.condition->value); !required.empty()) {
        summary.conditions[job.id] = std::move(required);
      }
    }
    if (wf.called_only) {
      continue;  // its deploys count where it is called, with the caller's triggers
    }
    const auto unknown_before = summary.unknown.size();
    auto sites = find_deploy_sites(wf, job, data, &summary.unknown, std::move(facts));
    if (sites.empty() && summary.unknown.size() == unknown_before && !wf.is_action && job.key != nullptr) {
      if (auto why = possible_deploy(wf, job)) {
        summary.possible.push_back({job.id, {wf.path, job.key->pos.line, job.key->pos.column}, std::move(*why)});
      }
    }
    summary.sites.insert(summary.sites.end(), sites.begin(), sites.end());
  }
  return summary;
}

std::optional<std::string> possible_deploy(const Workflow& wf, const Job& job) {
  if (job.key == nullptr || job.node == nullptr || job.key->pos.offset >= wf.text.size()) {
    return std::nullopt;
  }
  // The job's own text: from its id to the next job's id (jobs are read in file order).
  auto end = wf.text.size();
  const auto index = static_cast<std::size_t>(&job - wf.jobs.data());
  if (index + 1 < wf.jobs.size() && wf.jobs[index + 1].key != nullptr &&
      wf.jobs[index + 1].key->pos.offset > job.key->pos.offset) {
    end = std::min(end, wf.jobs[index + 1].key->pos.offset);
  }
  const auto own = wf.text.substr(job.key->pos.offset, end - job.key->pos.offset);
  std::vector<std::string> why;
  if (own.find("HEROKU_API_KEY") != std::string_view::npos) {
    const bool calls = job.uses && job.uses.value->is_scalar();
    why.push_back(calls ? "calls " + text::one_line(text::shorten(job.uses.value->value, 80)) + " with HEROKU_API_KEY"
                        : "holds HEROKU_API_KEY");
  }
  if (own.find("cli-assets.heroku.com") != std::string_view::npos || own.find("heroku/cli") != std::string_view::npos) {
    why.emplace_back("installs the Heroku CLI");
  }
  if (why.empty()) {
    return std::nullopt;
  }
  // The script line that most looks like the deploy: a task or script whose line says deploy,
  // release or push (`make heroku_push`), else the first task or script run.
  static const RE2 k_runs_task(R"((^|[\s;&|(])(make|rake|just|invoke|fab|npm run|yarn|\./\S+|\S+\.sh)(\s|$))");
  static const RE2 k_says_deploy(
      R"((?i)(^|[\s;&|(])(make|rake|just|invoke|fab|npm run|yarn|\./\S+|\S+\.sh)\s.*(deploy|release|push)|(^|[\s;&|(])\S*(deploy|release)\S*\.sh\b)");
  for (const auto* pattern : {&k_says_deploy, &k_runs_task}) {
    for (const auto& step : job.steps) {
      if (step.run == nullptr || !step.run->is_scalar()) {
        continue;
      }
      for (const auto line : text::split_lines(step.run->value)) {
        const auto trimmed = text::trim(line);
        if (!trimmed.empty() && trimmed[0] != '#' && trimmed.find("cli-assets.heroku.com") == std::string_view::npos &&
            RE2::PartialMatch(trimmed, *pattern)) {
          why.push_back("runs `" + text::one_line(text::shorten(trimmed, 60)) + "`");
          return text::join(why, "; ");
        }
      }
    }
  }
  return text::join(why, "; ");
}

std::optional<std::vector<std::string>> input_values(const Workflow& wf, const Job& job, const Step& step,
                                                     const DeployAction& action, const yaml::Node& value) {
  if (!value.is_scalar()) {
    return std::nullopt;
  }
  // The runner passes YAML booleans as "true"/"false" and every other scalar as its text.
  const std::string written = yaml::is_core_true(value) ? "true" : yaml::is_core_false(value) ? "false" : value.value;
  auto values = resolve(written, Scope::for_step(wf, job, &step));
  if (values && action.trims_inputs) {
    for (auto& v : *values) {
      v = std::string(text::trim_js(v));
    }
  }
  return values;
}

bool only_logs_in(const Workflow& wf, const Job& job, const Step& step, const DeployAction& action) {
  if (!action.login_only || step.with == nullptr) {
    return false;
  }
  const auto entry = wf.doc->find_ci(*step.with, action.login_only->input);
  if (!entry || entry.value->is_null()) {
    return false;
  }
  const auto values = input_values(wf, job, step, action, *entry.value);
  // An empty value is left to how the runner passes it, so it is not taken as a login-only step.
  return values && !values->empty() && std::all_of(values->begin(), values->end(), [&action](const std::string& v) {
           return !v.empty() && v != action.login_only->true_unless;
         });
}

}  // namespace shipgate::lint
