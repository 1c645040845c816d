// fuzz_case: the input is a certification case file, answered against the shipped rules (loaded once) as
// `merit certify --case FILE --format json` answers it, without kernels, with them and with --explain.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  merit::fuzz::shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace merit;
  static fuzz::ScratchFile file(".json");  // merit reads a case file from its path
  Diagnostics errors;
  auto c = cli::read_case_file(file.write(fuzz::as_text(data, size)), errors, /*assume_certify=*/true);
  if (!c) {
    render_all(errors, {});
    return 0;
  }
  if (!c->certify) return 0;  // a decision case: merit certify refuses it as a command-line slip
  fuzz::answer_every_way(fuzz::shipped_rules(), *c, fuzz::RunOptions{});
  return 0;
}
