#pragma once
// What the fuzz harnesses share: the shipped rules, loaded once per process; a file for the code that reads
// only from a path; and a case answered the way `merit certify` and `merit eval` answer it with
// `--format json`, checked against the same case answered another way.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/run.hpp"

namespace merit::fuzz {

/// The rules the harnesses answer cases with: the folder in MERIT_RULES, else the source tree's rules/.
/// Loaded and checked at the first call; rules that do not check end the process, since no case could be
/// answered. Not const: `--set` adds its text to the rules' sources (fuzz_options takes it out again).
cli::RuleSet& shipped_rules();

/// Prints `errors` and ends the process: what a harness needs at start-up is missing or does not check.
[[noreturn]] void report_and_exit(const Diagnostics& errors, const SourceSet& sources = {});

/// A file of this process's own under $TMPDIR (made with mkstemp, removed at exit), for what merit reads
/// only from a path: a case file, a CSV register.
class ScratchFile {
 public:
  explicit ScratchFile(const char* suffix);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  /// Replaces the file's contents with `bytes`; gives its path.
  const std::string& write(std::string_view bytes);

 private:
  std::string path_;
};

/// How a run was asked for, for the answer's provenance: `--set` as given, and whether `--as-of` was.
struct RunOptions {
  EvalOptions eval;
  std::vector<std::string> sets;
  bool as_of_given = false;
};

/// Answers `c` against `rules` as `merit certify` (a certify case) or `merit eval` prints it with
/// `--format json`: the JSON, or the errors rendered as merit prints them. With `explain`, the JSON of
/// `--explain`, followed by the tables merit prints for a person.
std::string answer_json(const cli::RuleSet& rules, const cli::CaseFile& c, const RunOptions& options,
                        bool explain);

/// Answers `c` without kernels and with a kernel for every list (MERIT_KERNELS=never, always), and aborts
/// when the two answers differ, since kernels must give the plain interpreter's answers and errors; then,
/// when it answered, once more with --explain (and its tables). Gives whether it answered.
bool answer_every_way(const cli::RuleSet& rules, const cli::CaseFile& c, const RunOptions& options);

/// The bytes a harness was given, as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace merit::fuzz
