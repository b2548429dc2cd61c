// Runs one fixture case through a gate's real entry point (run_gate, --format json) and checks the
// results against the expectations the fixture carries. Usage: fixture_runner GATE CASE
//
// A case is a file or a directory inside a group folder of the gate's fixtures. How it is run comes
// from a `fixture.yml` inside a directory case, else beside the case (for the whole group), else the
// default (the case's inputs as arguments):
//   args: [--environments, "{dir}/environments.json", "{inputs}"]   # {case}, {dir}, {inputs}
//   env: {NAME: value}        # the gate's environment (nothing else is inherited)
//   config: |                 # written to a file and passed as --config
//     toy: {max-bytes: 10}
//   exit: 1                   # the exit code the run must end with
//   checks:                   # checks that must be reported (name, and optionally verdict, message part)
//     - {name: size a.txt, verdict: fail, message: "12 bytes"}
//     - {name: rule-id, verdict: warn, file: a/link}   # a check at a path (line 0), relative to the case
//   errors: ["no such file"]  # input errors that must be reported (message parts)
//   stdout: [part]            # text stdout and stderr must contain
//   stderr: [part]
//   actions: true             # run as a step inside GitHub Actions, with output and summary files
//   outputs: {result: fail}   # step outputs that must be written (value parts)
//   summary: [part]           # text the step summary must contain
//   absent: [text]            # text that must appear nowhere: stdout, stderr (but for its
//                             # ::add-mask:: lines, which exist to say it), outputs, summary
//   judge: [rule-id, ...]     # the checks judged besides the group's own (see below), or [all]
// Unknown keys and values of the wrong shape make the fixture itself an error.
// A group named after one check (fixtures/lint/heroku-autocreate/...) tests that check: other
// checks there are judged only when `judge:` names them (or says `all`), so a case need not
// restate every other rule's findings; the catalog's own cases (`judge: [all]`) do.
// Expectations can also be comments in any file of the case, on the line a check must point at:
//   # expect[rule-id]: part of the message    a check with that name must point at this line
//   # related[rule-id]: part of the message   a check with that name must list this line as related
//   # expect[input]: part of the message      this file must be rejected as invalid input here
// Any non-passing check or input error that no expectation claims fails the case; so does any
// expectation nothing meets, and any check message longer than 160 characters. Without `exit`, the exit code must
// follow from what was reported: 2 with an expected input error, else 1 when a check failed, else 0. Without `config`,
// an empty config is passed, so no config file around the sources can change a case.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/config.hpp"
#include "core/paths.hpp"
#include "core/source.hpp"
#include "core/text.hpp"
#include "core/yaml.hpp"
#include "gates_table.hpp"

namespace fs = std::filesystem;
using namespace shipgate;

namespace {

struct Expectation {
  std::string kind;  // expect, related, check, error
  std::string name;
  std::string file;  // canonical; empty for expectations without a place
  int line = 0;
  std::string part;
  std::string verdict;
  bool met = false;
};

struct Spec {
  std::vector<std::string> args = {"{inputs}"};
  Environment env;
  std::string config;
  std::optional<int> exit;
  std::vector<std::string> stdout_parts;
  std::vector<std::string> stderr_parts;
  bool actions = false;
  std::vector<std::pair<std::string, std::string>> outputs;
  std::vector<std::string> summary_parts;
  std::vector<std::string> absent;
  std::vector<Expectation> expectations;
  std::vector<std::string> judge;
};

[[noreturn]] void bad_fixture(const std::string& message) {
  std::cerr << "bad fixture: " << message << '\n';
  std::exit(2);
}

std::vector<std::string> strings(const yaml::Document& doc, const yaml::Node* node, const char* key) {
  std::vector<std::string> out;
  if (node == nullptr) {
    return out;
  }
  if (!node->is_sequence()) {
    bad_fixture(doc.file() + ": '" + key + "' must be a list");
  }
  for (const auto id : node->items) {
    out.push_back(doc.at(id).value);
  }
  return out;
}

const yaml::Node* mapping(const yaml::Document& doc, const yaml::Node& parent, const char* key) {
  const auto* node = doc.get(parent, key);
  if (node != nullptr && !node->is_mapping()) {
    bad_fixture(doc.file() + ": '" + key + "' must be a mapping");
  }
  return node;
}

void read_checks(const yaml::Document& doc, const yaml::Node* checks, Spec& spec) {
  if (checks == nullptr) {
    return;
  }
  if (!checks->is_sequence()) {
    bad_fixture(doc.file() + ": 'checks' must be a list");
  }
  for (const auto id : checks->items) {
    const auto& item = doc.at(id);
    for (const auto& e : config::check_keys(doc, item, {"name", "verdict", "message", "file"}, "checks")) {
      bad_fixture(e.to_string());
    }
    auto field = [&](const char* key) {
      const auto* n = doc.get(item, key);
      return n ? n->value : std::string();
    };
    if (field("name").empty() || field("verdict").empty()) {
      bad_fixture(doc.file() + ": every expected check needs a name and a verdict");
    }
    // With a file: a check pointing at that path of the case (resolved once the case is known).
    spec.expectations.push_back({field("file").empty() ? "check" : "check-file", field("name"), field("file"), 0,
                                 field("message"), field("verdict")});
  }
}

Spec read_spec(const fs::path& file) {
  Spec spec;
  if (!fs::exists(file)) {
    return spec;
  }
  const auto text = read_text_file(file.string());
  const auto doc = text ? yaml::parse(*text, file.string()) : Result<yaml::Document>(text.error());
  if (!doc) {
    bad_fixture(doc.error().to_string());
  }
  const auto& root = doc->root();
  for (const auto& e : config::check_keys(*doc, root,
                                          {"args", "env", "config", "exit", "checks", "errors", "stdout", "stderr",
                                           "actions", "outputs", "summary", "absent", "judge"},
                                          "")) {
    bad_fixture(e.to_string());
  }
  if (const auto* args = doc->get(root, "args")) {
    spec.args = strings(*doc, args, "args");
  }
  if (const auto* env = mapping(*doc, root, "env")) {
    for (const auto& pair : env->pairs) {
      spec.env[doc->at(pair.key).value] = doc->at(pair.value).value;
    }
  }
  if (const auto* config = doc->get(root, "config")) {
    spec.config = config->value;
  }
  if (const auto* exit = doc->get(root, "exit")) {
    spec.exit = std::stoi(exit->value);
  }
  if (const auto* actions = doc->get(root, "actions")) {
    spec.actions = yaml::is_core_true(*actions);
  }
  if (const auto* outputs = mapping(*doc, root, "outputs")) {
    for (const auto& pair : outputs->pairs) {
      spec.outputs.emplace_back(doc->at(pair.key).value, doc->at(pair.value).value);
    }
  }
  spec.stdout_parts = strings(*doc, doc->get(root, "stdout"), "stdout");
  spec.stderr_parts = strings(*doc, doc->get(root, "stderr"), "stderr");
  spec.summary_parts = strings(*doc, doc->get(root, "summary"), "summary");
  spec.absent = strings(*doc, doc->get(root, "absent"), "absent");
  spec.judge = strings(*doc, doc->get(root, "judge"), "judge");
  read_checks(*doc, doc->get(root, "checks"), spec);
  for (const auto& part : strings(*doc, doc->get(root, "errors"), "errors")) {
    spec.expectations.push_back({"error", "input", "", 0, part, ""});
  }
  return spec;
}

/// The `# expect[...]` and `# related[...]` comments of one file.
void read_comments(const fs::path& file, std::vector<Expectation>& out) {
  const auto text = read_text_file(file.string());
  if (!text) {
    return;  // binary or hostile inputs carry no comments
  }
  const auto lines = text::split_lines(*text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view rest = lines[i];
    for (;;) {
      const auto hash = rest.find('#');
      if (hash == std::string_view::npos) {
        break;
      }
      rest = text::trim(rest.substr(hash + 1));
      std::string kind;
      for (const char* k : {"expect[", "related["}) {
        if (rest.rfind(k, 0) == 0) {
          kind = std::string(k).substr(0, std::string(k).size() - 1);
        }
      }
      const auto close = rest.find(']');
      if (kind.empty() || close == std::string_view::npos) {
        continue;
      }
      const auto name = std::string(rest.substr(kind.size() + 1, close - kind.size() - 1));
      rest = rest.substr(close + 1);
      std::string part;
      if (!rest.empty() && rest.front() == ':') {
        part = std::string(text::trim(rest.substr(1, rest.find('#') - 1)));
      }
      out.push_back({kind, name, paths::canonical(file.string()), static_cast<int>(i) + 1, part, ""});
    }
  }
}

/// The files of a case (itself, or every regular file below it) and, for {inputs}, the paths to
/// pass: the file, or each directory of the case that directly holds a file.
void walk_case(const fs::path& fixture, std::vector<fs::path>& files, std::vector<std::string>& inputs) {
  if (!fs::is_directory(fixture)) {
    files.push_back(fixture);
    inputs.push_back(fixture.string());
    return;
  }
  std::set<std::string> dirs;
  for (const auto& entry : fs::recursive_directory_iterator(fixture)) {
    if (entry.is_regular_file() && entry.path().filename() != "fixture.yml") {
      files.push_back(entry.path());
      dirs.insert(entry.path().parent_path().string());
    }
  }
  inputs.assign(dirs.begin(), dirs.end());
}

std::vector<std::string> expand_args(const Spec& spec, const fs::path& fixture,
                                     const std::vector<std::string>& inputs) {
  std::vector<std::string> args;
  for (const auto& arg : spec.args) {
    if (arg == "{inputs}") {
      args.insert(args.end(), inputs.begin(), inputs.end());
      continue;
    }
    std::string a = arg;
    for (const auto& [key, value] :
         {std::pair<std::string, std::string>{"{case}", fixture.string()}, {"{dir}", fixture.parent_path().string()}}) {
      for (auto at = a.find(key); at != std::string::npos; at = a.find(key)) {
        a.replace(at, key.size(), value);
      }
    }
    args.push_back(a);
  }
  return args;
}

bool claim(std::vector<Expectation>& expectations, const std::string& kind, const std::string& name,
           const std::string& file, int line, const std::string& message, const std::string& verdict) {
  for (auto& e : expectations) {
    if (!e.met && e.kind == kind && e.name == name && e.file == file && e.line == line &&
        message.find(e.part) != std::string::npos && (e.verdict.empty() || e.verdict == verdict)) {
      e.met = true;
      return true;
    }
  }
  return false;
}

std::string canonical_of(const nlohmann::json& item) {
  const auto file = item.value("file", std::string());
  return file.empty() ? std::string() : paths::canonical(file);
}

/// A finding is one short line saying what is wrong and the fix; details go in related places.
constexpr std::size_t k_max_message = 160;

/// Claims every reported check and input error; returns the number of unclaimed ones (and of
/// messages too long to be one line).
int claim_results(const nlohmann::json& doc, std::vector<Expectation>& expectations,
                  const std::function<bool(const std::string&)>& judged) {
  int failures = 0;
  for (const auto& c : doc.value("checks", nlohmann::json::array())) {
    const auto name = c.value("name", std::string());
    if (!judged(name)) {
      continue;
    }
    const auto message = c.value("message", std::string());
    const auto verdict = c.value("verdict", std::string());
    const auto file = canonical_of(c);
    const bool claimed = file.empty() ? claim(expectations, "check", name, "", 0, message, verdict)
                                      : claim(expectations, "expect", name, file, c.value("line", 0), message, verdict);
    if (!claimed && verdict != "pass") {
      std::cerr << "unexpected check: " << c.dump() << '\n';
      ++failures;
    }
    if (message.size() > k_max_message || message.find('\n') != std::string::npos) {
      std::cerr << "a message must be one line of at most " << k_max_message << " characters: " << message << '\n';
      ++failures;
    }
  }
  for (const auto& f : doc.value("findings", nlohmann::json::array())) {
    for (const auto& r : f.value("related", nlohmann::json::array())) {
      claim(expectations, "related", f.value("rule", std::string()), canonical_of(r), r.value("line", 0),
            r.value("message", std::string()), "");
    }
  }
  for (const auto& e : doc.value("errors", nlohmann::json::array())) {
    const auto message = e.value("message", std::string());
    if (!claim(expectations, "expect", "input", canonical_of(e), e.value("line", 0), message, "") &&
        !claim(expectations, "error", "input", "", 0, message, "")) {
      std::cerr << "unexpected input error: " << e.dump() << '\n';
      ++failures;
    }
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fixture_runner GATE CASE\n";
    return 2;
  }
  const auto* gate = test::find_gate(argv[1]);
  if (gate == nullptr) {
    bad_fixture(std::string("no gate '") + argv[1] + "'");
  }
  const auto cwd = fs::current_path();
  const auto rel = fs::path(argv[2]).lexically_relative(cwd);
  const fs::path fixture = rel.empty() || *rel.begin() == ".." ? fs::path(argv[2]) : rel;
  const auto own = fixture / "fixture.yml";
  Spec spec = read_spec(fs::is_directory(fixture) && fs::exists(own) ? own : fixture.parent_path() / "fixture.yml");

  for (auto& e : spec.expectations) {
    if (e.kind == "check-file") {
      e.kind = "expect";
      e.file = paths::canonical((fixture / e.file).string());
    }
  }
  std::vector<fs::path> files;
  std::vector<std::string> inputs;
  walk_case(fixture, files, inputs);
  for (const auto& file : files) {
    read_comments(file, spec.expectations);
  }
  auto args = expand_args(spec, fixture, inputs);
  const auto scratch = fs::temp_directory_path() / ("shipgate-fixture-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  std::ofstream(scratch / "config.yml") << spec.config;
  args.insert(args.begin(), {"--config", (scratch / "config.yml").string()});
  if (std::find(args.begin(), args.end(), "--format") == args.end()) {
    args.insert(args.begin(), {"--format", "json"});
  }
  auto env = spec.env;
  if (spec.actions) {
    std::ofstream(scratch / "output").flush();
    std::ofstream(scratch / "summary").flush();
    env["GITHUB_ACTIONS"] = "true";
    env["GITHUB_OUTPUT"] = (scratch / "output").string();
    env["GITHUB_STEP_SUMMARY"] = (scratch / "summary").string();
  }

  std::ostringstream out, err;
  const Invocation inv{args, env, out, err, false, false, cwd.string(), nullptr};
  const int code = run_gate(*gate->make(), inv);
  const auto slurp = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const auto outputs = spec.actions ? slurp(scratch / "output") : std::string();
  const auto summary = spec.actions ? slurp(scratch / "summary") : std::string();
  fs::remove_all(scratch);

  int failures = 0;
  bool failed_check = false;
  if (!out.str().empty()) {
    try {
      const auto doc = nlohmann::json::parse(out.str());
      // The group's own check, when the group is named after one that was reported.
      const auto group = fixture.parent_path().filename().string();
      const auto rules = gate->make()->rules();
      const bool scoped =
          std::find(spec.judge.begin(), spec.judge.end(), "all") == spec.judge.end() &&
          std::any_of(rules.begin(), rules.end(), [&group](const RuleInfo& r) { return r.id == group; });
      const auto judged = [&](const std::string& name) {
        return !scoped || name == group || std::find(spec.judge.begin(), spec.judge.end(), name) != spec.judge.end() ||
               std::any_of(spec.expectations.begin(), spec.expectations.end(),
                           [&name](const Expectation& e) { return e.name == name; });
      };
      failures += claim_results(doc, spec.expectations, judged);
      for (const auto& c : doc.value("checks", nlohmann::json::array())) {
        failed_check = failed_check || c.value("verdict", std::string()) == "fail";
      }
    } catch (const nlohmann::json::exception& e) {
      std::cerr << "stdout is not JSON: " << e.what() << '\n';
      ++failures;
    }
  }
  auto require = [&failures](const std::string& text, const std::string& part, const std::string& where) {
    if (text.find(part) == std::string::npos) {
      std::cerr << where << " lacks: " << part << '\n';
      ++failures;
    }
  };
  for (const auto& part : spec.stdout_parts) {
    require(out.str(), part, "stdout");
  }
  for (const auto& part : spec.stderr_parts) {
    require(err.str(), part, "stderr");
  }
  for (const auto& part : spec.summary_parts) {
    require(summary, part, "the step summary");
  }
  for (const auto& [name, part] : spec.outputs) {
    require(outputs, name + "=" + part, "the step outputs");
  }
  std::string unmasked_err;
  const auto err_text = err.str();  // split_lines returns views into it
  for (const auto& line : text::split_lines(err_text)) {
    if (line.rfind("::add-mask::", 0) != 0) {
      unmasked_err += std::string(line) + "\n";
    }
  }
  for (const auto& text : spec.absent) {
    for (const auto& [where, written] :
         {std::pair{"stdout", out.str()}, std::pair{"stderr", unmasked_err}, std::pair{"the step outputs", outputs},
          std::pair{"the step summary", summary}}) {
      if (written.find(text) != std::string::npos) {
        std::cerr << where << " contains what must be absent: " << text << '\n';
        ++failures;
      }
    }
  }
  for (const auto& e : spec.expectations) {
    if (!e.met) {
      std::cerr << "unmet " << e.kind << "[" << e.name << "] "
                << (e.file.empty() ? "" : e.file + ":" + std::to_string(e.line)) << ": " << e.part << '\n';
      ++failures;
    }
  }
  const bool input_expected = std::any_of(spec.expectations.begin(), spec.expectations.end(),
                                          [](const Expectation& e) { return e.name == "input"; });
  const int expected = spec.exit ? *spec.exit : input_expected ? 2 : failed_check ? 1 : 0;
  if (code != expected) {
    std::cerr << "exit code " << code << ", expected " << expected << "\n" << err.str();
    ++failures;
  }
  std::cout << fixture.string() << ": exit " << code << ", " << spec.expectations.size() << " expectations, "
            << failures << " failures\n";
  return failures == 0 ? 0 : 1;
}
