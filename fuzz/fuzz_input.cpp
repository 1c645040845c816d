// fuzz_input: the input is a decision's input file, answered against the shipped rules (loaded once) as
// `merit eval DECISION --input FILE --format json` answers it, for every decision the rules answer (the
// file does not say which it is for), without kernels, with them and with --explain.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  merit::fuzz::shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace merit;
  const cli::RuleSet& rules = fuzz::shipped_rules();
  // read_input_file, from memory: the whole file is the decision's inputs.
  cli::CaseFile c;
  c.path = "fuzz/input.json";
  Diagnostics errors;
  if (!c.json.parse(fuzz::as_text(data, size), c.path, errors)) {
    render_all(errors, {});
    return 0;
  }
  for (const ast::Decision* d : rules.program.decisions) {
    c.decision = d->name;
    fuzz::answer_every_way(rules, c, fuzz::RunOptions{});
  }
  return 0;
}
