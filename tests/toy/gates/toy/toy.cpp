#include "toy/toy.hpp"

#include <algorithm>
#include <string>

#include "core/source.hpp"

namespace shipgate::toy {

namespace {

class ToyGate final : public Gate {
public:
  GateInfo info() const override { return {"shipgate-toy", "toy", "Check that files fit a byte budget."}; }

  const std::vector<options::Option>& options() const override {
    static const std::vector<options::Option> k_options = {
        {.name = "files",
         .type = options::Type::path,
         .help = "Files to measure",
         .placeholder = "FILE",
         .repeatable = true,
         .positional = true},
        {.name = "max-bytes",
         .type = options::Type::integer,
         .help = "Largest allowed size in bytes",
         .default_value = "100",
         .min = 0,
         .max = 1'000'000'000},
        {.name = "toy-token", .type = options::Type::secret, .help = "A token the toy shows", .env = {"TOY_TOKEN"}},
    };
    return k_options;
  }

  std::vector<Error> configure(const options::Values& values, const Invocation&, Secrets&) override {
    m_files = values.list("files");
    m_max_bytes = static_cast<std::size_t>(values.integer("max-bytes"));
    m_token = values.text("toy-token");
    return {};
  }

  std::vector<Error> prepare(const Invocation&) override {
    if (m_files.empty()) {
      return {{"no FILE given", {}, {}}};
    }
    return {};
  }

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

  std::vector<options::Output> outputs() const override {
    return {{"largest", "Size in bytes of the largest file measured."}};
  }

private:
  std::vector<std::string> m_files;
  std::size_t m_max_bytes = 100;
  std::string m_token;
};

}  // namespace

std::unique_ptr<Gate> make_gate() { return std::make_unique<ToyGate>(); }

}  // namespace shipgate::toy
