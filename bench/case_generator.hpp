#pragma once
// Synthetic certification cases for benchmarks: a class register of N candidates with a realistic mix
// (ties, state employees of several agencies, preferences, declined locations and hours, groups,
// concurrent referrals) and K requisitions. The same seed always gives the same case, byte for byte.
#include <cstddef>
#include <cstdint>
#include <string>

namespace merit::bench {

struct CaseOptions {
  std::size_t candidates = 1000;
  std::uint64_t seed = 1;
  /// 1: a single plain standard-method requisition. More: varied methods; the second has affirmative
  /// action, the third (or the second, when there are two) asks for extra names.
  std::size_t requisitions = 1;
  /// Leave the candidates out of the case file's register: they go to a CSV file instead
  /// (`merit certify --case CASE.json --register REGISTER.csv`).
  bool candidates_in_csv = false;
};

/// Writes the certification case file (JSON, as the README's "Case files" describes it). Returns false when
/// the file cannot be written.
bool write_case_json(const CaseOptions& options, const std::string& path);

/// Writes the register's candidates as CSV: a header row of field names, lists separated by `;`, an
/// empty cell for a field left to its default. The candidates are the same as write_case_json's.
bool write_candidates_csv(const CaseOptions& options, const std::string& path);

}  // namespace merit::bench
