// fuzz_options: the input is a command line's `--as-of DATE` (its first line; none when empty) and its
// `--set NAME=VALUE` options (one a line after it), applied to the shipped rules (loaded once) as
// cli/run.cpp applies them; when they are valid, a certification and a decision case of examples/ are
// answered with them, as `merit certify` and `merit eval` would.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/harness.hpp"

namespace {

const char* const case_files[] = {
    MERIT_FUZZ_SOURCE_DIR "/examples/certify/standard.json",
    MERIT_FUZZ_SOURCE_DIR "/examples/decisions/acting_capacity-benefits-after-thanksgiving.json",
};

std::vector<merit::cli::CaseFile>& cases() {
  static std::vector<merit::cli::CaseFile> read = [] {
    std::vector<merit::cli::CaseFile> out;
    merit::Diagnostics errors;
    for (const char* path : case_files) {
      auto c = merit::cli::read_case_file(path, errors);
      if (!c) merit::fuzz::report_and_exit(errors);
      out.push_back(std::move(*c));
    }
    return out;
  }();
  return read;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  merit::fuzz::shipped_rules();
  cases();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace merit;
  const std::string_view text = fuzz::as_text(data, size);
  std::string as_of;
  std::vector<std::string> sets;
  for (std::size_t start = 0, line = 0; start <= text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view option = text.substr(start, end - start);
    if (line == 0) {
      as_of = option;
    } else if (!option.empty()) {  // merit refuses an empty --set before it reaches run.cpp
      sets.emplace_back(option);
    }
    start = end + 1;
  }
  cli::RuleSet& rules = fuzz::shipped_rules();
  // `--set` adds each value's text to the rules' sources: taken out again after this input.
  const std::size_t sources = rules.program.sources.files.size();
  fuzz::RunOptions options;
  options.sets = sets;
  options.as_of_given = !as_of.empty();
  Diagnostics errors;
  if (cli::make_eval_options(rules.program, sets, as_of, options.eval, errors)) {
    for (const cli::CaseFile& c : cases()) fuzz::answer_every_way(rules, c, options);
  } else {
    render_all(errors, rules.program.sources);
  }
  rules.program.sources.files.resize(sources);
  return 0;
}
