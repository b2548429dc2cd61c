#include <catch2/catch.hpp>

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
