#include "toy/toy.hpp"

#include <algorithm>
#include <string>

#include "core/cli.hpp"
#include "core/source.hpp"

namespace shipgate::toy {

namespace {

class ToyGate final : public Gate {
public:
  GateInfo info() const override { return {"shipgate-toy", "toy", "Check that files fit a byte budget."}; }

  void add_flags(CLI::App& app) override {
    app.add_option("files", m_files, "Files to measure")->option_text("FILE...");
    app.add_option("--max-bytes", m_max_bytes, "Largest allowed size in bytes (default: 100)")->option_text("N");
  }

  void configure(config::Section& section, const CLI::App& app, const Invocation& inv) override {
    if (const auto* node = section.take("max-bytes"); node != nullptr && !cli::given(app, "--max-bytes")) {
      try {
        m_max_bytes = std::stoul(node->value);
      } catch (const std::exception&) {
        section.error(*node, "max-bytes", "expected a whole number of bytes");
      }
    }
    m_token = inv.getenv("TOY_TOKEN").value_or("");
  }

  std::vector<Error> prepare(const Invocation&) override {
    if (m_files.empty()) {
      return {{"no FILE given", {}, {}}};
    }
    return {};
  }

  std::vector<std::string> secrets() const override { return {m_token}; }

  Outcome evaluate(const Invocation& inv, Log& log) override {
    Outcome outcome;
    std::size_t largest = 0;
    for (const auto& file : m_files) {
      log.debug("measuring " + file);
      auto text = read_text_file_in(inv.cwd, file);
      Check check;
      check.name = "size " + file;
      if (!text) {
        check.verdict = Verdict::error;
        check.message = text.error().message;
      } else {
        largest = std::max(largest, text->size());
        check.verdict = text->size() <= m_max_bytes ? Verdict::pass : Verdict::fail;
        check.message = std::to_string(text->size()) + " bytes, budget " + std::to_string(m_max_bytes);
        check.details = {{"bytes", text->size()}, {"budget", m_max_bytes}};
      }
      if (!m_token.empty()) {
        check.message += " (token " + m_token + ")";
      }
      outcome.checks.push_back(std::move(check));
    }
    outcome.outputs = {{"largest", std::to_string(largest)}};
    return outcome;
  }

  std::vector<std::string> output_names() const override { return {"largest"}; }

private:
  std::vector<std::string> m_files;
  std::size_t m_max_bytes = 100;
  std::string m_token;
};

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<ToyGate>(); }

}  // namespace shipgate::toy
