#include "env/env.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "core/cli.hpp"
#include "core/json.hpp"
#include "core/net/curl.hpp"
#include "core/net/pool.hpp"
#include "core/net/url.hpp"
#include "core/paths.hpp"
#include "core/secrets.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "core/yaml.hpp"
#include "github/api.hpp"
#include "github/environments.hpp"
#include "workflow/calls.hpp"
#include "workflow/environments.hpp"
#include "workflow/files.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::env {

namespace {

using std::chrono::milliseconds;

struct Flags {
  std::vector<std::string> environments;
  std::string repo;
  int require_reviewers = 1;
  bool forbid_self_review = false;
  bool require_branch_policy = false;
  std::string min_wait_timer;
  std::string max_wait_timer;
  std::string list;
  bool all_deploying = false;
  std::string timeout = "30s";
  std::string deadline = "2m";
};

/// What the API said about one environment name.
struct Looked {
  std::string name;
  std::optional<github::Environment> found;
  bool missing = false;
  std::optional<std::string> error;
  std::vector<std::string> named_in;  // workflow places, for --all-deploying
};

class EnvGate final : public Gate {
public:
  GateInfo info() const override {
    return {"shipgate-env", "env",
            "Check that GitHub Environments exist and are protected, before a deploy names them.\n"
            "Asks the REST API with GITHUB_TOKEN or GH_TOKEN (base: GITHUB_API_URL, repo: GITHUB_REPOSITORY)."};
  }

  void add_flags(CLI::App& app) override {
    auto& f = m_flags;
    app.add_option("--environment", f.environments, "Environment to check (repeatable)")->option_text("NAME");
    app.add_option("--repo", f.repo, "Repository (default: GITHUB_REPOSITORY)")->option_text("OWNER/REPO");
    app.add_option("--require-reviewers", f.require_reviewers, "Required reviewers needed; 0 for none (default: 1)")
        ->option_text("N");
    app.add_flag("--forbid-self-review", f.forbid_self_review, "Fail unless the one who deploys cannot approve");
    app.add_flag("--require-branch-policy", f.require_branch_policy,
                 "Fail unless only protected or named branches may deploy");
    app.add_option("--min-wait-timer", f.min_wait_timer, "Shortest wait timer allowed")->option_text("DURATION");
    app.add_option("--max-wait-timer", f.max_wait_timer, "Longest wait timer allowed")->option_text("DURATION");
    app.add_option("--list", f.list,
                   "Write the repository's environments to FILE, as shipgate-lint --environments reads")
        ->option_text("FILE");
    app.add_flag("--all-deploying", f.all_deploying, "Check every environment the workflows in .github/workflows name");
    app.add_option("--timeout", f.timeout, "Per request (default: 30s)")->option_text("DURATION");
    app.add_option("--deadline", f.deadline, "Whole run (default: 2m)")->option_text("DURATION");
  }

  void configure(config::Section& section, const CLI::App& app, const Invocation& inv) override {
    auto& f = m_flags;
    cli::from_config(section, app, "environments", f.environments, "--environment");
    const auto take = [&](std::string_view key, auto& into) { cli::from_config(section, app, key, into); };
    take("repo", f.repo);
    take("min-wait-timer", f.min_wait_timer);
    take("max-wait-timer", f.max_wait_timer);
    take("timeout", f.timeout);
    take("deadline", f.deadline);
    take("list", f.list);
    take("forbid-self-review", f.forbid_self_review);
    take("require-branch-policy", f.require_branch_policy);
    take("all-deploying", f.all_deploying);
    take("require-reviewers", f.require_reviewers);
    m_token = inv.getenv("GITHUB_TOKEN").value_or("");
    if (m_token.empty()) {
      m_token = inv.getenv("GH_TOKEN").value_or("");
    }
    m_secrets.add(m_token);
  }

  std::vector<std::string> secrets() const override { return {m_token}; }
  std::vector<Error> prepare(const Invocation& inv) override;
  Outcome evaluate(const Invocation& inv, Log& log) override;
  std::vector<std::string> output_names() const override { return {"environments", "failed", "missing"}; }

private:
  /// Environment names the workflows' jobs give (`--all-deploying`), with where each is named.
  void read_workflows(const Invocation& inv, std::vector<Error>& errors);
  /// The names one job's environment can take (workflow::environment_names), or a note that it
  /// cannot be known; `via` says through which call the job runs ("" for none).
  void add_names(const workflow::Workflow& wf, const workflow::Job& job, const std::string& via);
  net::Request request(const std::string& url) const { return github::request(url, m_token, m_timeout); }
  void judge(const Looked& l, bool private_repo, Check& check) const;

  Flags m_flags;
  std::string m_token;
  Secrets m_secrets;  // the token, to take out of API messages before they are cut
  std::string m_base;
  std::string m_repo;
  milliseconds m_timeout{30'000};
  milliseconds m_deadline{120'000};
  std::optional<milliseconds> m_min_wait;
  std::optional<milliseconds> m_max_wait;
  std::map<std::string, std::vector<std::string>> m_names;  // name -> where named ("" for flags)
  std::vector<std::string> m_unresolved;                    // places whose name cannot be known
};

void EnvGate::read_workflows(const Invocation& inv, std::vector<Error>& errors) {
  const auto root = paths::repository_root(inv.cwd, inv.getenv("GITHUB_WORKSPACE").value_or(""));
  const auto shown = [&](const std::string& file) { return paths::shown_path(file, inv.cwd, root); };
  std::vector<Error> unreadable;
  const auto files = workflow::collect_files({root + "/.github/workflows"}, inv.cwd, unreadable);
  errors.insert(errors.end(), unreadable.begin(), unreadable.end());
  // Calls to local reusable workflows are followed as lint follows them: the callee's jobs with
  // the values each call passes.
  workflow::CallWalker walker({[](const std::string& file) { return read_text_file(file); }, shown}, root);
  workflow::CallVisitor visitor;
  visitor.visit = [this](const workflow::FollowedCall& c, const std::function<void()>& deeper) {
    const auto via = " (called at " + c.caller.path + ":" + std::to_string(c.call.uses_key->pos.line) + ")";
    for (const auto& job : c.callee.jobs) {
      add_names(c.callee, job, via);
    }
    deeper();
  };
  for (const auto& file : files) {
    auto text = read_text_file(file);
    auto doc = text ? yaml::parse(*text, shown(file)) : Result<yaml::Document>(text.error());
    auto wf = doc ? workflow::build_workflow(*doc) : Result<workflow::Workflow>(doc.error());
    if (!wf) {
      errors.push_back(wf.error());
      continue;
    }
    for (const auto& job : wf->jobs) {
      add_names(*wf, job, "");
    }
    const auto absolute = std::filesystem::absolute(paths::join(inv.cwd, file)).lexically_normal().string();
    walker.walk(*wf, absolute, paths::canonical(absolute), visitor);
  }
  if (walker.stopped()) {
    errors.push_back({"stopped following local workflow calls after " + std::to_string(walker.calls()) +
                          " calls: the environments they name are not all known",
                      {shown(root + "/.github/workflows"), 0, 0},
                      {}});
  }
}

void EnvGate::add_names(const workflow::Workflow& wf, const workflow::Job& job, const std::string& via) {
  using State = workflow::EnvironmentNames::State;
  const auto env = workflow::environment_names(wf, job);
  if (env.state == State::none || env.state == State::deferred) {
    return;  // a name callers pass is checked where they call, through their values
  }
  const auto where = wf.path + ":" + std::to_string(env.where->pos.line) + via;
  if (env.state == State::unnamed) {
    m_unresolved.push_back(where + " (no name)");
  } else if (env.state == State::unknown) {
    m_unresolved.push_back(where + " (" + text::shorten(env.written, 40) + ")");
  }
  for (const auto& name : env.names) {
    if (!name.empty()) {
      m_names[text::to_lower(name)].push_back(where);
    }
  }
}

std::vector<Error> EnvGate::prepare(const Invocation& inv) {
  auto& f = m_flags;
  std::vector<Error> errors;
  const cli::FlagErrors flags(errors);
  m_repo = !f.repo.empty() ? f.repo : inv.getenv("GITHUB_REPOSITORY").value_or("");
  const auto slash = m_repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == m_repo.size() ||
      m_repo.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./") !=
          std::string::npos ||
      m_repo.find('/', slash + 1) != std::string::npos || m_repo.find("..") != std::string::npos) {
    flags.fail("--repo",
               "expected OWNER/REPO (or GITHUB_REPOSITORY), got '" + text::shorten(text::one_line(m_repo), 60) + "'");
  }
  for (const auto& name : f.environments) {
    const auto trimmed = std::string(text::trim(name));
    if (trimmed.empty() || trimmed.size() > 255) {
      flags.fail("--environment", "an environment name is 1 to 255 characters");
    } else {
      m_names[text::to_lower(trimmed)].push_back("");
    }
  }
  if (f.all_deploying) {
    read_workflows(inv, errors);
  }
  if (m_names.empty() && f.list.empty() && !f.all_deploying && errors.empty()) {
    flags.fail("--environment", "nothing to check; pass --environment NAME, --all-deploying or --list FILE");
  }
  const auto duration = [&flags](const std::string& flag, const std::string& text, auto& into) {
    if (!text.empty()) {  // an empty flag keeps the default (the wait timers have none)
      flags.duration(flag, text, into);
    }
  };
  duration("--timeout", f.timeout, m_timeout);
  duration("--deadline", f.deadline, m_deadline);
  duration("--min-wait-timer", f.min_wait_timer, m_min_wait);
  duration("--max-wait-timer", f.max_wait_timer, m_max_wait);
  if (f.require_reviewers < 0 || f.require_reviewers > 6) {
    flags.fail("--require-reviewers", "expected 0 to 6 (GitHub allows up to six reviewers)");
  }
  if (auto base = net::api_base(inv.getenv("GITHUB_API_URL").value_or(github::k_default_base))) {
    m_base = std::move(*base);
  } else {
    flags.fail("GITHUB_API_URL", base.error().message);
  }
  if (m_token.empty()) {
    flags.fail("GITHUB_TOKEN", "not set (nor GH_TOKEN): reading environments needs a token with `actions: read`");
  }
  if (!net::global_init()) {
    throw std::runtime_error("libcurl could not be initialised");
  }
  return errors;
}

void EnvGate::judge(const Looked& l, bool private_repo, Check& check) const {
  const auto& f = m_flags;
  std::vector<std::string> problems;
  if (l.missing) {
    problems.push_back("environment '" + text::shorten(l.name, 60) +
                       "' does not exist: GitHub creates it unprotected on first use; create it with required "
                       "reviewers");
  } else if (l.found) {
    const auto& e = *l.found;
    if (static_cast<long>(e.reviewers) < f.require_reviewers) {
      std::string p = e.reviewers == 0 ? "'" + text::shorten(l.name, 60) + "' has no required reviewers"
                                       : "'" + text::shorten(l.name, 60) + "' has " +
                                             text::plural(e.reviewers, "required reviewer") + ", fewer than " +
                                             std::to_string(f.require_reviewers);
      if (private_repo && !e.has_reviewers_rule) {
        p += " (in a private repository reviewers and wait timers need GitHub Enterprise: on Free, Pro and Team "
             "plans no protection applies)";
      }
      problems.push_back(p);
    }
    if (f.forbid_self_review && e.has_reviewers_rule && !e.prevent_self_review) {
      problems.push_back("'" + text::shorten(l.name, 60) +
                         "' lets the one who deploys approve it; turn on "
                         "\"Prevent self-review\"");
    }
    if (f.require_branch_policy && !e.branch_policy) {
      problems.push_back("'" + text::shorten(l.name, 60) +
                         "' can be deployed from any branch; limit it to "
                         "protected or named branches");
    }
    const auto wait = milliseconds(e.wait_timer_minutes.value_or(0) * 60'000);
    if (m_min_wait && wait < *m_min_wait) {
      problems.push_back("'" + text::shorten(l.name, 60) + "' waits " + units::format_duration(wait) + ", less than " +
                         units::format_duration(*m_min_wait));
    }
    if (m_max_wait && wait > *m_max_wait) {
      problems.push_back("'" + text::shorten(l.name, 60) + "' waits " + units::format_duration(wait) + ", more than " +
                         units::format_duration(*m_max_wait));
    }
    check.details = {{"environment", e.name},
                     {"reviewers", e.reviewers},
                     {"prevent_self_review", e.prevent_self_review},
                     {"wait_timer_minutes", e.wait_timer_minutes.value_or(0)},
                     {"branch_policy", e.branch_policy}};
  }
  check.details["named_in"] = l.named_in;
  check.details["problems"] = problems;
  if (problems.empty()) {
    check.verdict = Verdict::pass;
    const auto& e = *l.found;
    check.message = "'" + text::shorten(l.name, 60) + "' exists: " + text::plural(e.reviewers, "required reviewer") +
                    (e.prevent_self_review ? ", no self-review" : "") +
                    (e.branch_policy ? ", branch policy" : ", any branch") +
                    (e.wait_timer_minutes ? ", waits " + std::to_string(*e.wait_timer_minutes) + "m" : "");
  } else {
    check.verdict = Verdict::fail;
    check.message =
        problems.front() + (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : "");
  }
}

Outcome EnvGate::evaluate(const Invocation& inv, Log& log) {
  auto& clock = inv.time();
  net::Client client(net::user_agent("shipgate-env"));
  net::Pool pool(client, clock, {}, clock.monotonic() + m_deadline);
  const auto repo_url = m_base + "/repos/" + m_repo;
  std::optional<bool> private_repo;
  std::optional<std::string> repo_error;
  pool.submit(request(repo_url), [&](const net::Response& r, int) {
    if (r.answered() && r.status == 200) {
      const auto doc = json::parse(r.body);
      const auto it = doc && doc->is_object() ? doc->find("private") : nlohmann::json::const_iterator();
      private_repo = doc && doc->is_object() && it != doc->end() && it->is_boolean() && it->get<bool>();
    } else {
      // A 404 here is the repository, not an environment: every environment would read as missing.
      repo_error =
          net::describe_failure(r, m_secrets, github::k_api_errors) +
          (r.status == 404 ? " (the repository " + m_repo + " does not exist, or the token cannot see it)" : "");
    }
  });
  std::vector<Looked> looked;
  for (const auto& [name, where] : m_names) {
    looked.push_back({name, std::nullopt, false, std::nullopt, where});
  }
  for (auto& l : looked) {
    pool.submit(request(repo_url + "/environments/" + net::path_segment(l.name)),
                [this, &l](const net::Response& r, int) {
                  if (r.answered() && r.status == 404) {
                    l.missing = true;
                  } else if (r.answered() && r.status == 200) {
                    auto e = github::parse_environment(r.body);
                    if (e) {
                      l.found = *e;
                    } else {
                      l.error = e.error().message;
                    }
                  } else {
                    l.error = net::describe_failure(r, m_secrets, github::k_api_errors);
                  }
                });
  }
  // --list: every page (Link rel="next"), up to 50 pages of 100.
  nlohmann::json listed = nlohmann::json::array();
  std::optional<std::string> list_error;
  std::function<void(const std::string&, int)> page = [&](const std::string& url, int n) {
    pool.submit(request(url), [&, n](const net::Response& r, int) {
      if (!r.answered() || r.status != 200) {
        list_error = net::describe_failure(r, m_secrets, github::k_api_errors);
        return;
      }
      auto envs = github::parse_environment_page(r.body);
      if (!envs) {
        list_error = envs.error().message;
        return;
      }
      for (const auto& e : *envs) {
        listed.push_back(e.raw);
      }
      const auto link = r.headers.find("link");
      const auto next = link != r.headers.end() ? github::next_link(link->second) : std::nullopt;
      if (!next) {
        return;
      }
      if (net::origin(*next) != net::origin(m_base)) {
        list_error = "the next page is on another host (" + text::shorten(net::origin(*next), 60) +
                     "); the list would be incomplete";
      } else if (n >= 50) {
        list_error = "more than 50 pages of environments; the list would be incomplete";
      } else {
        page(*next, n + 1);
      }
    });
  };
  if (!m_flags.list.empty()) {
    page(repo_url + "/environments?per_page=100", 1);
  }
  pool.run();

  Outcome outcome;
  std::size_t failed = 0;
  std::size_t missing = 0;
  for (const auto& l : looked) {
    Check check;
    check.name = "environment " + text::shorten(text::one_line(l.name), 60);
    if (l.error || repo_error) {
      check.verdict = Verdict::error;
      check.message = "could not check: " + l.error.value_or(*repo_error);
    } else {
      judge(l, private_repo.value_or(false), check);
      failed += check.verdict == Verdict::fail ? 1 : 0;
      missing += l.missing ? 1 : 0;
    }
    for (const auto& where : l.named_in) {
      if (!where.empty()) {
        log.debug(l.name + " is named at " + where);
      }
    }
    outcome.checks.push_back(std::move(check));
  }
  for (const auto& where : m_unresolved) {
    log.diagnose("note: the environment at " + where + " cannot be known before the run; not checked");
  }
  if (!m_flags.list.empty()) {
    Check check;
    check.name = "list " + m_repo;
    if (list_error) {
      check.verdict = Verdict::error;
      check.message = "could not list environments: " + *list_error;
    } else {
      const nlohmann::json records = {{"total_count", listed.size()}, {"environments", listed}};
      std::ofstream out(inv.resolve(m_flags.list), std::ios::binary | std::ios::trunc);
      out << records.dump(2) << '\n';
      out.flush();
      check.verdict = out ? Verdict::pass : Verdict::error;
      check.message = out ? "wrote " + text::plural(listed.size(), "environment") + " to " + m_flags.list
                          : "cannot write " + m_flags.list;
    }
    outcome.checks.push_back(std::move(check));
  }
  outcome.outputs = {{"environments", std::to_string(looked.size())},
                     {"failed", std::to_string(failed)},
                     {"missing", std::to_string(missing)}};
  outcome.headline = std::to_string(outcome.count(Verdict::pass)) + " of " +
                     text::plural(outcome.checks.size(), "check") + " passed for " + m_repo;
  outcome.summary = {{"repository", m_repo}, {"environments", looked.size()}, {"failed", failed}, {"missing", missing}};
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<EnvGate>(); }

}  // namespace shipgate::env
