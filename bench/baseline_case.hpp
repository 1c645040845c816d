#pragma once
// Private to the baseline, and shared by its two halves: bench/baseline_read.cpp turns the case file into
// these plain structs and bench/baseline.cpp certifies them. Kept out of bench/baseline.hpp so that the
// bench, which only runs the baseline and prints its answer, does not depend on how the baseline holds a
// case.
#include "bench/baseline.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace merit::bench {

/// A case the baseline rejects: invalid, or using what it does not implement.
struct CaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Method { standard, agency_promotional, statewide_promotional, open_competitive };
inline constexpr std::array<std::string_view, 4> method_names = {"standard", "agency_promotional",
                                                                 "statewide_promotional", "open_competitive"};

struct Candidate {
  std::string id;
  double score = 0;
  int agency = -1;          // -1: not a state employee
  bool preference = false;  // promotional preference that counts: a classified state employee's (2.A.1)
  bool reemployment = false;
  bool transfer_request = false;
  bool temporary_interest = false;
  std::optional<std::int64_t> pay_grade;
  std::int64_t concurrent_referrals = 0;
  std::vector<int> declined_locations, declined_hours, qualifications, groups;
};

struct Register {
  std::optional<std::int64_t> pay_grade;
  std::vector<Candidate> candidates;
};

struct Requisition {
  std::string id;
  int agency = -1, location = -1, hours = -1;
  bool full_time = true;
  int received = 0;  // days since 1970-01-01
  std::optional<int> certified_on;
  Method method = Method::standard;
  std::vector<int> selective;
  std::int64_t vacancies = 1;
  bool acting = false;
  bool extra_names = false;
  bool affirmative_action = false;
  std::vector<int> action_groups;
  bool adverse_impact = false;  // the basis; otherwise underutilization
  bool test_validated = false;
  std::vector<std::string> declined, removed;
  // declined and removed as positions on the register, once the ids are checked
  std::vector<std::uint32_t> declined_at, removed_at;
};

/// The case file as read. The file's text and its JSON document are no longer needed once converted, but
/// they stay alive until run_baseline returns, as when reading was part of it: freeing them (a large
/// document takes a while) falls in no timed stage, and the peak memory is the same.
struct BaselineCase {
  Register reg;
  std::vector<Requisition> requisitions;
  std::string contents;
  nlohmann::json json;
};

/// The `read`, `parse` and `convert` stages, timed into `timings` with run_baseline's clock, which it
/// leaves at the end of the conversion so that `evaluate` is timed from there. Throws CaseError, or
/// nlohmann::json::exception for a file that is not JSON or a value of the wrong type.
BaselineCase read_case(const std::string& case_path, BaselineResult& timings,
                       std::chrono::steady_clock::time_point& clock);

/// Both halves need it: reading checks that a date exists by writing it back, and the certification
/// writes the selection deadline.
std::string format_date(int days);

inline double ms_since(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - start).count();
  start = now;
  return ms;
}

}  // namespace merit::bench
