// fuzz_csv: the input is a CSV register, read as `merit certify --case examples/csv/csv-case.json
// --register FILE` reads it (the separator the header row uses), and the case then answered against the
// shipped rules (loaded once) as that command answers it with --format json.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/harness.hpp"

namespace {

const char* const case_file = MERIT_FUZZ_SOURCE_DIR "/examples/csv/csv-case.json";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  merit::fuzz::shipped_rules();
  merit::Diagnostics errors;
  if (!merit::cli::read_case_file(case_file, errors, /*assume_certify=*/true)) {
    merit::fuzz::report_and_exit(errors);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace merit;
  static fuzz::ScratchFile file(".csv");  // merit reads a CSV register from its path
  const cli::RuleSet& rules = fuzz::shipped_rules();
  Diagnostics errors;
  // The case is read again for every register: merging the CSV into it changes it.
  auto c = cli::read_case_file(case_file, errors, /*assume_certify=*/true);
  if (!c) std::abort();
  const std::string& csv = file.write(fuzz::as_text(data, size));
  if (!cli::merge_csv_register(rules.program, csv, /*separator=*/'\0', *c, errors)) {
    render_all(errors, rules.program.sources);
    return 0;
  }
  fuzz::answer_every_way(rules, *c, fuzz::RunOptions{});
  return 0;
}
