// Lints one fixture (a workflow file, or a directory linted as one repository) and checks its
// findings against the expectations written as comments in the fixture itself:
//   # expect[rule-id]: part of the message    a finding of that rule must point at this line
//   # related[rule-id]: part of the message   a finding of that rule must list this line as related
//   # expect[input]: part of the message      this file must be rejected as invalid input here
// A finding no expectation claims fails the fixture; so does an expectation nothing meets.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "lint/lint.hpp"

namespace fs = std::filesystem;
using namespace shipgate;

namespace {

struct Expectation {
  std::string kind;  // expect or related
  std::string rule;
  std::string file;
  int line;
  std::string part;
  bool met = false;
};

std::vector<Expectation> read_expectations(const lint::Source& source) {
  std::vector<Expectation> out;
  const auto lines = text::split_lines(source.text);
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
      if (kind.empty()) {
        continue;
      }
      const auto close = rest.find(']');
      if (close == std::string_view::npos) {
        break;
      }
      const auto rule = std::string(rest.substr(kind.size() + 1, close - kind.size() - 1));
      rest = rest.substr(close + 1);
      std::string part;
      if (!rest.empty() && rest.front() == ':') {
        part = std::string(text::trim(rest.substr(1, rest.find('#') - 1)));
      }
      out.push_back({kind, rule, source.path, static_cast<int>(i) + 1, part});
    }
  }
  return out;
}

std::vector<lint::Source> load(const fs::path& fixture, std::vector<Error>& unreadable) {
  if (fs::is_directory(fixture)) {
    std::vector<std::string> dirs;
    for (const auto& entry : fs::recursive_directory_iterator(fixture)) {
      if (entry.is_directory()) {
        dirs.push_back(entry.path().string());
      }
    }
    dirs.push_back(fixture.string());
    std::sort(dirs.begin(), dirs.end());
    return lint::collect_sources(dirs, unreadable);
  }
  return lint::collect_sources({fixture.string()}, unreadable);
}

std::optional<lint::EnvironmentRecords> records_for(const fs::path& fixture) {
  const auto dir = fs::is_directory(fixture) ? fixture : fixture.parent_path();
  for (const char* name : {"environments.json", "environments.yml"}) {
    if (fs::exists(dir / name)) {
      auto records = lint::load_environments((dir / name).string());
      if (!records) {
        std::cerr << records.error().to_string() << '\n';
        std::exit(2);
      }
      return *records;
    }
  }
  return std::nullopt;
}

bool claim(std::vector<Expectation>& expectations, const std::string& kind, const std::string& rule,
           const Location& where, const std::string& message) {
  for (auto& e : expectations) {
    if (!e.met && e.kind == kind && e.rule == rule && e.file == where.file && e.line == where.line &&
        message.find(e.part) != std::string::npos) {
      e.met = true;
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fixture_runner FIXTURE\n";
    return 2;
  }
  const fs::path fixture = fs::path(argv[1]).lexically_relative(fs::current_path()).empty()
                               ? fs::path(argv[1])
                               : fs::path(argv[1]).lexically_relative(fs::current_path());
  std::vector<Error> unreadable;
  const auto sources = load(fixture, unreadable);
  std::vector<Expectation> expectations;
  for (const auto& source : sources) {
    auto found = read_expectations(source);
    expectations.insert(expectations.end(), found.begin(), found.end());
  }
  const auto data = lint::builtin_data();
  if (!data) {
    std::cerr << data.error().to_string() << '\n';
    return 2;
  }
  const auto records = records_for(fixture);
  const lint::Context ctx{*data, records ? &*records : nullptr};
  const auto report = lint::lint_sources(sources, unreadable, ctx, lint::Options{});

  int failures = 0;
  for (const auto& f : report.findings) {
    if (!claim(expectations, "expect", f.rule, f.where, f.message)) {
      std::cerr << "unexpected finding: " << f.where.to_string() << ": " << f.message << " [" << f.rule << "]\n";
      ++failures;
    }
    for (const auto& r : f.related) {
      claim(expectations, "related", f.rule, r.where, r.message);
    }
  }
  for (const auto& e : report.input_errors) {
    if (!claim(expectations, "expect", "input", e.where, e.message)) {
      std::cerr << "unexpected input error: " << e.to_string() << '\n';
      ++failures;
    }
  }
  for (const auto& e : expectations) {
    if (!e.met) {
      std::cerr << "unmet " << e.kind << "[" << e.rule << "] at " << e.file << ":" << e.line << ": " << e.part << '\n';
      ++failures;
    }
  }
  std::cout << fixture.string() << ": " << report.findings.size() << " findings, " << expectations.size()
            << " expectations, " << failures << " failures\n";
  return failures == 0 ? 0 : 1;
}
