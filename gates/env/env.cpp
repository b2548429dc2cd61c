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

/// What an environment must have: the policy options, for all environments or one of them.
struct Policy {
  long require_reviewers = 1;
  bool forbid_self_review = false;
  bool require_branch_policy = false;
  std::optional<milliseconds> min_wait;
  std::optional<milliseconds> max_wait;
};

/// The options a policy is made of, settable for all environments and per environment.
const std::vector<std::string>& policy_keys() {
  static const std::vector<std::string> k_keys = {"require-reviewers", "forbid-self-review", "require-branch-policy",
                                                  "min-wait-timer", "max-wait-timer"};
  return k_keys;
}

const std::vector<options::Option>& declared() {
  using options::Type;
  static const std::vector<options::Option> k_options = {
      {.name = "environment",
       .help = "Environment to check (repeatable)",
       .placeholder = "NAME",
       .repeatable = true,
       .aliases = {"environments"}},
      {.name = "repo", .help = "Repository", .placeholder = "OWNER/REPO", .env = {"GITHUB_REPOSITORY"}},
      {.name = "require-reviewers",
       .type = Type::integer,
       .help = "Required reviewers needed; 0 for none",
       .default_value = "1",
       .min = 0,
       .max = 6},
      {.name = "forbid-self-review",
       .type = Type::boolean,
       .help = "Fail unless the one who deploys cannot approve",
       .default_value = "false"},
      {.name = "require-branch-policy",
       .type = Type::boolean,
       .help = "Fail unless only protected or named branches may deploy",
       .default_value = "false"},
      {.name = "min-wait-timer", .type = Type::duration, .help = "Shortest wait timer allowed"},
      {.name = "max-wait-timer", .type = Type::duration, .help = "Longest wait timer allowed"},
      {.name = "list",
       .type = Type::path,
       .help = "Write the repository's environments to FILE, as shipgate-lint --environments reads"},
      {.name = "all-deploying",
       .type = Type::boolean,
       .help = "Check every environment the workflows in .github/workflows name",
       .default_value = "false"},
      options::request_timeout("30s"),
      options::run_deadline("2m"),
      {.name = "token",
       .type = Type::secret,
       .help = "GitHub token with `actions: read`",
       .env = {"GITHUB_TOKEN", "GH_TOKEN"}},
  };
  return k_options;
}

const options::Option& option(std::string_view name) {
  const auto& all = declared();
  return *std::find_if(all.begin(), all.end(), [&](const options::Option& o) { return o.name == name; });
}

/// One policy key's value as checked by its option: true/false, a whole number or a duration.
void apply(Policy& p, const std::string& key, const std::string& value) {
  if (key == "require-reviewers") {
    p.require_reviewers = std::stol(value);
  } else if (key == "forbid-self-review") {
    p.forbid_self_review = options::parse_boolean(value).value_or(false);
  } else if (key == "require-branch-policy") {
    p.require_branch_policy = options::parse_boolean(value).value_or(false);
  } else if (key == "min-wait-timer") {
    p.min_wait = *units::parse_duration(value);
  } else if (key == "max-wait-timer") {
    p.max_wait = *units::parse_duration(value);
  }
}

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

  const std::vector<options::Option>& options() const override { return declared(); }

  /// `policies:` maps an environment name to the policy keys that differ for it.
  void read_config(config::Section& section, const Invocation& inv) override;

  std::vector<Error> configure(const options::Values& values, const Invocation& inv, Secrets& secrets) override;
  Outcome evaluate(const Invocation& inv, Log& log) override;
  std::vector<options::Output> outputs() const override {
    return {{"environments", "Environments checked."},
            {"failed", "Environments that are missing or below their policy."},
            {"missing", "Environments that do not exist."}};
  }

private:
  /// Environment names the workflows' jobs give (`--all-deploying`), with where each is named.
  void read_workflows(const Invocation& inv, std::vector<Error>& errors);
  /// The names one job's environment can take (workflow::environment_names), or a note that it
  /// cannot be known; `via` says through which call the job runs ("" for none).
  void add_names(const workflow::Workflow& wf, const workflow::Job& job, const std::string& via);
  net::Request request(const std::string& url) const { return github::request(url, m_run.token, m_run.timeout); }
  void judge(const Looked& l, bool private_repo, const std::vector<std::string>& existing, Check& check) const;
  const Policy& policy(const std::string& name) const {
    const auto it = m_run.policies.find(name);
    return it == m_run.policies.end() ? m_run.policy : it->second;
  }

  /// Everything one run sets: cleared when a run starts, so a gate evaluated twice starts fresh.
  struct RunState {
    std::string token;
    std::string list;
    bool all_deploying = false;
    Policy policy;                                                                      // every environment's
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> overrides;  // name -> key, value
    std::map<std::string, Policy> policies;                                             // lower-case name -> its own
    Secrets secrets;  // the token, to take out of API messages before they are cut
    std::string base;
    std::string repo;
    milliseconds timeout{30'000};
    milliseconds deadline{120'000};
    std::map<std::string, std::vector<std::string>> names;  // name -> where named ("" for flags)
    std::vector<std::string> unresolved;                    // places whose name cannot be known
  };
  RunState m_run;
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
    m_run.unresolved.push_back(where + " (no name)");
  } else if (env.state == State::unknown) {
    m_run.unresolved.push_back(where + " (" + text::shorten(env.written, 40) + ")");
  }
  for (const auto& name : env.names) {
    if (!name.empty()) {
      m_run.names[text::to_lower(name)].push_back(where);
    }
  }
}

void EnvGate::read_config(config::Section& section, const Invocation&) {
  m_run = {};  // the first step of every run
  const auto* policies = section.take("policies");
  if (policies == nullptr || policies->is_null()) {
    return;
  }
  const auto& doc = *section.document();
  if (!policies->is_mapping()) {
    section.error(*policies, "policies", "expected a mapping of environment names to their policy");
    return;
  }
  std::map<std::string, std::string> spelled;  // lower-case name -> as first written
  for (const auto& pair : policies->pairs) {
    const auto& name = doc.at(pair.key);
    const auto& body = doc.at(pair.value);
    const auto key = "policies." + name.value;
    const auto lower = text::to_lower(std::string(text::trim(name.value)));
    if (const auto [first, added] = spelled.emplace(lower, name.value); !added) {
      section.error(name, key,
                    "'" + first->second + "' and '" + name.value +
                        "' name the same environment (GitHub's names ignore case): give one policy");
      continue;
    }
    if (!body.is_mapping()) {
      section.error(body, key, "expected a mapping of policy keys: " + text::join(policy_keys(), ", "));
      continue;
    }
    for (auto& e : config::check_keys(doc, body, policy_keys(), "env." + key, " in a policy")) {
      section.add(std::move(e));
    }
    auto& overrides = m_run.overrides[lower];
    for (const auto& entry : body.pairs) {
      const auto& k = doc.at(entry.key).value;
      const auto& v = doc.at(entry.value);
      if (std::find(policy_keys().begin(), policy_keys().end(), k) == policy_keys().end()) {
        continue;
      }
      const auto wrong =
          v.is_scalar() ? options::check(option(k), v.value) : std::optional<std::string>("expected one value");
      if (wrong) {
        section.error(v, key + "." + k, *wrong);
      } else {
        overrides.emplace_back(k, v.value);
      }
    }
  }
}

std::vector<Error> EnvGate::configure(const options::Values& values, const Invocation& inv, Secrets& secrets) {
  std::vector<Error> errors;
  m_run.token = values.text("token");
  m_run.secrets.add(m_run.token);
  m_run.list = values.text("list");
  m_run.all_deploying = values.boolean("all-deploying");
  m_run.timeout = *values.duration("timeout");
  m_run.deadline = *values.duration("deadline");
  m_run.repo = values.text("repo");
  const auto slash = m_run.repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == m_run.repo.size() ||
      m_run.repo.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./") !=
          std::string::npos ||
      m_run.repo.find('/', slash + 1) != std::string::npos || m_run.repo.find("..") != std::string::npos ||
      m_run.repo.front() == '.' || m_run.repo[slash + 1] == '.') {
    errors.push_back(values.error("repo", "expected OWNER/REPO (or GITHUB_REPOSITORY), got '" +
                                              text::shorten(text::one_line(m_run.repo), 60) + "'"));
  }
  for (const auto& key : policy_keys()) {
    if (!values.text(key).empty()) {
      apply(m_run.policy, key, values.text(key));
    }
  }
  for (const auto& [name, overrides] : m_run.overrides) {
    auto& p = m_run.policies[name] = m_run.policy;
    for (const auto& [key, value] : overrides) {
      if (values.origin(key) != options::Origin::flag) {  // a flag wins over the file, per environment too
        apply(p, key, value);
      }
    }
    if (!name.empty()) {
      m_run.names[name].push_back("policies");  // a policy names an environment that must exist
    }
  }
  for (const auto& name : values.list("environment")) {
    const auto trimmed = std::string(text::trim(name));
    if (trimmed.empty() || trimmed.size() > 255) {
      errors.push_back(values.error("environment", "an environment name is 1 to 255 characters"));
    } else {
      m_run.names[text::to_lower(trimmed)].push_back("");
    }
  }
  if (m_run.all_deploying) {
    read_workflows(inv, errors);
  }
  if (m_run.names.empty() && m_run.list.empty() && !m_run.all_deploying && errors.empty()) {
    errors.push_back(values.error("environment",
                                  "nothing to check; pass --environment NAME, --all-deploying or --list FILE (or "
                                  "env.policies in the config)"));
  }
  secrets.add_url(inv.getenv("GITHUB_API_URL").value_or(""));
  if (auto base = net::api_base(inv.getenv("GITHUB_API_URL").value_or(github::k_default_base))) {
    m_run.base = std::move(*base);
  } else {
    errors.push_back({"GITHUB_API_URL: " + base.error().message, {}, {}});
  }
  if (m_run.token.empty()) {
    errors.push_back(
        {"GITHUB_TOKEN: not set (nor GH_TOKEN): reading environments needs a token with `actions: read`", {}, {}});
  }
  if (!net::global_init()) {
    throw std::runtime_error("libcurl could not be initialised");
  }
  return errors;
}

void EnvGate::judge(const Looked& l, bool private_repo, const std::vector<std::string>& existing, Check& check) const {
  const auto& f = policy(l.name);
  std::vector<std::string> problems;
  if (l.missing) {
    const auto guess = text::did_you_mean(l.name, existing);
    problems.push_back("environment '" + text::shorten(l.name, 60) + "' does not exist" +
                       (guess ? " (did you mean '" + text::shorten(*guess, 60) + "'?)" : std::string()) +
                       ": GitHub creates it unprotected on first use; create it with required reviewers");
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
    if (f.min_wait && wait < *f.min_wait) {
      problems.push_back("'" + text::shorten(l.name, 60) + "' waits " + units::format_duration(wait) + ", less than " +
                         units::format_duration(*f.min_wait));
    }
    if (f.max_wait && wait > *f.max_wait) {
      problems.push_back("'" + text::shorten(l.name, 60) + "' waits " + units::format_duration(wait) + ", more than " +
                         units::format_duration(*f.max_wait));
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
    check.message = text::join(problems, "; ");  // every problem, in the annotation and summary too
  }
}

Outcome EnvGate::evaluate(const Invocation& inv, Log& log) {
  auto& clock = inv.time();
  net::Client client(net::user_agent("shipgate-env"));
  net::Pool pool(client, clock, {}, clock.monotonic() + m_run.deadline);
  const auto repo_url = m_run.base + "/repos/" + m_run.repo;
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
          net::describe_failure(r, m_run.secrets, github::k_api_errors) +
          (r.status == 404 ? " (the repository " + m_run.repo + " does not exist, or the token cannot see it)" : "");
    }
  });
  std::vector<Looked> looked;
  for (const auto& [name, where] : m_run.names) {
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
                    l.error = net::describe_failure(r, m_run.secrets, github::k_api_errors);
                  }
                });
  }
  // --list: every page (Link rel="next"), up to 50 pages of 100.
  nlohmann::json listed = nlohmann::json::array();
  std::optional<std::string> list_error;
  std::function<void(const std::string&, int)> page = [&](const std::string& url, int n) {
    pool.submit(request(url), [&, n](const net::Response& r, int) {
      if (!r.answered() || r.status != 200) {
        list_error = net::describe_failure(r, m_run.secrets, github::k_api_errors);
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
      if (net::origin(*next) != net::origin(m_run.base)) {
        list_error = "the next page is on another host (" + text::shorten(net::origin(*next), 60) +
                     "); the list would be incomplete";
      } else if (n >= 50) {
        list_error = "more than 50 pages of environments; the list would be incomplete";
      } else {
        page(*next, n + 1);
      }
    });
  };
  if (!m_run.list.empty()) {
    page(repo_url + "/environments?per_page=100", 1);
  }
  pool.run();
  // A missing environment gets "did you mean" from the repository's own environments.
  if (m_run.list.empty() && std::any_of(looked.begin(), looked.end(), [](const Looked& l) { return l.missing; })) {
    page(repo_url + "/environments?per_page=100", 1);
    pool.run();
  }
  std::vector<std::string> existing;
  for (const auto& e : listed) {
    if (e.is_object() && e.contains("name") && e["name"].is_string()) {
      existing.push_back(text::to_lower(e["name"].get<std::string>()));
    }
  }

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
      judge(l, private_repo.value_or(false), existing, check);
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
  for (const auto& where : m_run.unresolved) {
    log.diagnose("note: the environment at " + where + " cannot be known before the run; not checked");
  }
  if (!m_run.list.empty()) {
    Check check;
    check.name = "list " + m_run.repo;
    if (list_error) {
      check.verdict = Verdict::error;
      check.message = "could not list environments: " + *list_error;
    } else {
      const nlohmann::json records = {{"total_count", listed.size()}, {"environments", listed}};
      std::ofstream out(inv.resolve(m_run.list), std::ios::binary | std::ios::trunc);
      out << records.dump(2) << '\n';
      out.flush();
      check.verdict = out ? Verdict::pass : Verdict::error;
      check.message = out ? "wrote " + text::plural(listed.size(), "environment") + " to " + m_run.list
                          : "cannot write " + m_run.list;
    }
    outcome.checks.push_back(std::move(check));
  }
  outcome.outputs = {{"environments", std::to_string(looked.size())},
                     {"failed", std::to_string(failed)},
                     {"missing", std::to_string(missing)}};
  outcome.headline = std::to_string(outcome.count(Verdict::pass)) + " of " +
                     text::plural(outcome.checks.size(), "check") + " passed for " + m_run.repo;
  outcome.summary = {
      {"repository", m_run.repo}, {"environments", looked.size()}, {"failed", failed}, {"missing", missing}};
  return outcome;
}

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<EnvGate>(); }

}  // namespace shipgate::env
