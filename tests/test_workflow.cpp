#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "core/yaml.hpp"
#include "workflow/environments.hpp"
#include "workflow/expressions.hpp"
#include "workflow/workflow.hpp"

using namespace shipgate;

TEST_CASE("expressions resolve env and static matrix values only", "[workflow]") {
  auto doc = yaml::parse(
      "env: {A: one, B: \"${{ env.A }}-two\", S: \"${{ secrets.X }}\"}\nmatrix: {app: [x, y], include: [{app: z}]}\n",
      "w.yml");
  REQUIRE(doc.ok());
  workflow::Scope scope{&*doc, doc->get(doc->root(), "env"), nullptr, nullptr, doc->get(doc->root(), "matrix"), true};
  CHECK(workflow::resolve("${{ env.B }}", scope) == std::vector<std::string>{"one-two"});
  CHECK(workflow::resolve("app-${{ matrix.app }}", scope) == std::vector<std::string>{"app-x", "app-y", "app-z"});
  CHECK_FALSE(workflow::resolve("${{ env.S }}", scope).has_value());
  CHECK_FALSE(workflow::resolve("${{ github.ref }}", scope).has_value());
  CHECK(workflow::resolve("${{ 'lit' }}", scope) == std::vector<std::string>{"lit"});
  scope.allow_env = false;
  CHECK_FALSE(workflow::resolve("${{ env.A }}", scope).has_value());
}

TEST_CASE("matrix exclude removes a value only when every combination with it goes", "[workflow]") {
  auto doc = yaml::parse(
      "a: {app: [x, y, z, w], region: [eu, us], exclude: [{app: y}, {app: z, region: eu}, {app: w, region: eu},"
      " {app: w, region: us}]}\n"
      "b: {dac: ['true', 'false'], exclude: [{dac: 'false'}], include: [{dac: 'false', note: legacy}]}\n",
      "w.yml");
  REQUIRE(doc.ok());
  workflow::Scope scope{&*doc, nullptr, nullptr, nullptr, doc->get(doc->root(), "a"), true};
  CHECK(workflow::resolve("${{ matrix.app }}", scope) == std::vector<std::string>{"x", "z"});
  scope.matrix = doc->get(doc->root(), "b");  // include comes after exclude and adds the value back
  CHECK(workflow::resolve("${{ matrix.dac }}", scope) == std::vector<std::string>{"false", "true"});
}

TEST_CASE("a long literal is not cut by the cap meant for expansion", "[workflow]") {
  workflow::Scope scope;
  const std::string name(1100, 'p');
  CHECK(workflow::resolve(name, scope) == std::vector<std::string>{name});
}

TEST_CASE("trigger descriptions are cut short and keep no large buffer", "[workflow]") {
  const std::string branch(5000, 'b');
  auto doc = yaml::parse("on:\n  push:\n    branches: [&a " + branch + ", *a, *a]\njobs: {}\n", "w.yml");
  REQUIRE(doc.ok());
  const auto wf = workflow::build_workflow(*doc);
  REQUIRE(wf.ok());
  const auto text = wf->describe_triggers();
  CHECK(text.size() == workflow::Workflow::k_max_trigger_text + 3);
  CHECK(text.capacity() < 1024);
  CHECK_THAT(text, Catch::StartsWith("push (branches: bbb") && Catch::EndsWith("..."));
}

TEST_CASE("a job's environment names: none, unnamed, known, deferred to callers, unknown", "[workflow]") {
  auto doc = yaml::parse(
      "on: {workflow_call: {inputs: {target: {type: string}}}}\n"
      "env: {E: production}\n"
      "jobs:\n"
      "  none: {runs-on: x}\n"
      "  unnamed: {runs-on: x, environment: {url: 'https://x'}}\n"
      "  empty: {runs-on: x, environment: ''}\n"
      "  literal: {runs-on: x, environment: {name: Production}}\n"
      "  matrix: {runs-on: x, strategy: {matrix: {r: [eu, us]}}, environment: 'prod-${{ matrix.r }}'}\n"
      "  input: {runs-on: x, environment: '${{ inputs.target }}'}\n"
      "  env: {runs-on: x, environment: '${{ env.E }}'}\n"
      "  vars: {runs-on: x, environment: '${{ vars.TARGET }}'}\n",
      "w.yml");
  REQUIRE(doc.ok());
  const auto wf = workflow::build_workflow(*doc);
  REQUIRE(wf.ok());
  using State = workflow::EnvironmentNames::State;
  std::map<std::string, workflow::EnvironmentNames> by_job;
  for (const auto& job : wf->jobs) {
    by_job[job.id] = workflow::environment_names(*wf, job);
  }
  CHECK(by_job["none"].state == State::none);
  CHECK(by_job["none"].where == nullptr);
  CHECK(by_job["unnamed"].state == State::unnamed);
  CHECK(by_job["unnamed"].where->value == "environment");  // the key, where it is reported
  CHECK(by_job["empty"].state == State::unnamed);
  CHECK(by_job["literal"].state == State::known);
  CHECK(by_job["literal"].names == std::vector<std::string>{"Production"});
  CHECK(by_job["literal"].where->pos.line == 7);
  CHECK(by_job["matrix"].names == std::vector<std::string>{"prod-eu", "prod-us"});
  CHECK(by_job["input"].state == State::deferred);  // a workflow only called: its callers pass it
  CHECK(by_job["env"].state == State::unknown);     // `environment` cannot read the env context
  CHECK(by_job["vars"].state == State::unknown);
  CHECK(by_job["vars"].written == "${{ vars.TARGET }}");
  CHECK(workflow::environment_scope(*wf, wf->jobs[3]) == std::string("production"));
  CHECK(workflow::environment_scope(*wf, wf->jobs[0]) == std::string());
  CHECK_FALSE(workflow::environment_scope(*wf, wf->jobs[4]).has_value());  // two names
}

TEST_CASE("the typed model: inputs as the runner passes them, concurrency, runs-on, filters, dispatch inputs",
          "[workflow]") {
  const std::string text =
      "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n  workflow_dispatch:\n    inputs:\n"
      "      api_token: {description: x}\nconcurrency: {group: all, cancel-in-progress: true}\njobs:\n"
      "  d:\n    runs-on: {labels: [ubuntu-24.04]}\n    concurrency: deploy-prod\n"
      "    environment: {name: production, url: 'https://x.example'}\n    steps:\n"
      "      - id: ship\n        if: github.ref == 'refs/heads/main'\n"
      "        uses: akhileshns/heroku-deploy@0123456789abcdef0123456789abcdef01234567 # v3.13.15\n"
      "        with: {DontAutoCreate: True, UseDocker: , delay: 0}\n";
  auto doc = yaml::parse(text, "w.yml");
  REQUIRE(doc.ok());
  auto wf = workflow::build_workflow(*doc);
  REQUIRE(wf.ok());
  wf->text = text;
  const auto& job = wf->jobs.front();
  const auto& step = job.steps.front();
  CHECK(step.input(*doc, "dontautocreate")->value == "true");  // case-insensitive name, core boolean
  CHECK(step.input(*doc, "usedocker")->value.empty());
  CHECK(step.input(*doc, "delay")->value == "0");
  CHECK_FALSE(step.input(*doc, "missing"));
  CHECK(step.id->value == "ship");
  CHECK(step.condition->value == "github.ref == 'refs/heads/main'");
  CHECK(workflow::version_comment(*wf, step) == "v3.13.15");
  CHECK(job.runs_on.size() == 1);
  CHECK(job.runs_on.front().value == "ubuntu-24.04");
  CHECK(job.concurrency.group->value == "deploy-prod");
  CHECK_FALSE(job.concurrency.cancel_in_progress);
  CHECK(wf->concurrency.cancel_in_progress->value == "true");
  CHECK(job.environment_url->value == "https://x.example");
  REQUIRE(wf->dispatch_inputs.size() == 1);
  CHECK(wf->dispatch_inputs.front().value == "api_token");
  CHECK(wf->dispatch_inputs.front().pos.line == 7);
  const auto push = std::find_if(wf->triggers.begin(), wf->triggers.end(),
                                 [](const workflow::Trigger& t) { return t.event == "push"; });
  REQUIRE(push != wf->triggers.end());
  CHECK(push->refs.branches == std::vector<std::string>{"main"});
  CHECK(push->refs.tags == std::vector<std::string>{"v*"});
  CHECK(wf->runs_on_event("workflow_dispatch"));
  CHECK_FALSE(wf->runs_on_event("pull_request"));
  // Without the text, or without a comment, there is no version.
  wf->text = {};
  CHECK_FALSE(workflow::version_comment(*wf, step));
}
