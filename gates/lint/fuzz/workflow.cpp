// libFuzzer target: the workflow loader, as shipgate-lint runs it on one file. Text checks, the
// positioned YAML parse, the workflow view, the deploy-site summary, and then every rule and the
// inline suppressions (through lint_sources) must turn any input into a value or an Error: no
// crash, no hang, no leak, no runaway memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/source.hpp"
#include "core/yaml.hpp"
#include "github/environments.hpp"
#include "lint/data.hpp"
#include "lint/deploy_sites.hpp"
#include "lint/lint.hpp"
#include "workflow/workflow.hpp"

namespace {

/// The built-in rule data, read once; a failure here is a build bug, not a fuzz finding.
const shipgate::lint::LintData& data() {
  static const shipgate::lint::LintData k_data = [] {
    auto loaded = shipgate::lint::builtin_data();
    if (!loaded) {
      std::abort();
    }
    return std::move(*loaded);
  }();
  return k_data;
}

/// Records for one protected and one unprotected environment, so environment-missing runs too.
const shipgate::github::Environments& records() {
  static const shipgate::github::Environments k_records{"environments.json",
                                                        {{"production", {"required_reviewers"}}, {"staging", {}}}};
  return k_records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string name = ".github/workflows/fuzz.yml";
  auto text = shipgate::check_text(std::string(reinterpret_cast<const char*>(bytes), size), name);
  if (!text) {
    return -1;  // not text: the gate refuses it before parsing, so keep it out of the corpus
  }
  const auto doc = shipgate::yaml::parse(*text, name);
  if (!doc) {
    return 0;
  }
  const auto wf = shipgate::workflow::build_workflow(*doc);
  if (!wf) {
    return 0;
  }
  const auto summary = shipgate::lint::summarize(*wf, data());

  // The same file through the rules, the repository pass and the suppressions, as run() does.
  const std::vector<shipgate::lint::Source> sources = {{name, std::move(*text)}};
  const shipgate::lint::Context ctx{data(), &records()};
  const auto report = shipgate::lint::lint_sources(sources, {}, ctx, shipgate::lint::Options{});
  return report.checks.size() + summary.sites.size() == static_cast<std::size_t>(-1) ? 1 : 0;
}
