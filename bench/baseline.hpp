#pragma once
// A hand-written C++ certification for one standard-method requisition: what the rules in
// rules/chapter8/2-use-of-class-registers.merit do for such a requisition, written directly with plain
// structs, for comparing the interpreter's evaluation time against.
#include <string>
#include <vector>

namespace merit::bench {

struct BaselineName {
  std::string id;
  double score = 0;
  std::string cite;
  bool interested = true;
};

struct BaselineResult {
  std::string error;  // not empty: the case is not one the baseline handles
  std::vector<BaselineName> certified;
  int interested = 0;
  bool complete = false;
  // Milliseconds of each stage.
  double read_ms = 0;      // the file into memory
  double parse_ms = 0;     // nlohmann::json::parse
  double convert_ms = 0;   // JSON to plain structs
  double evaluate_ms = 0;  // the certification itself
};

/// Certifies the case file's one requisition, which must use the standard method without affirmative
/// action or extra names: leave out those who decline the location or hours, lack a selective
/// qualification or were removed; pass over those at the concurrent-referral limit unless the
/// complement needs them (2.F); order by (tier, score descending, id); take the complement and
/// everyone tied with the last name in its tier (2.B); replacements while fewer than 3 are interested.
/// Also checks what the rules' `certify` decision checks: unique ids, declined and removed ids on the
/// register.
BaselineResult run_baseline(const std::string& case_path);

}  // namespace merit::bench
