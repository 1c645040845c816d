// Amendments by date on the shipped rules, through the binary: a copy of rules/ holds an amendment of the
// standard method's tier order and of the rule of six that takes effect on 2027-07-01, as policy staff
// would write it before it is in force. A certification is judged under the rules in force on its date.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/run.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::source_dir;

namespace {

const char* const class_registers = "chapter8/2-use-of-class-registers.merit";

/// Replaces the one occurrence of `from` in `text`; a test that cannot find its anchor fails loudly.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "the rule file no longer contains: " << from);
  REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, "the rule file contains twice: " << from);
  return text.replace(at, from.size(), to);
}

/// A copy of the shipped rules whose 2-use-of-class-registers.merit is edited by `edit`.
struct RulesCopy {
  fs::path dir;
  template <typename Edit>
  explicit RulesCopy(const std::string& name, Edit edit)
      : dir(fs::temp_directory_path() / ("merit-amend-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(dir);
    fs::copy(fs::path(source_dir()) / "rules", dir, fs::copy_options::recursive);
    const fs::path file = dir / class_registers;
    const std::string text = edit(read_text(file.string()));
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  }
  ~RulesCopy() { fs::remove_all(dir); }
  RulesCopy(const RulesCopy&) = delete;
  RulesCopy& operator=(const RulesCopy&) = delete;
};

const std::string standard_tier_head =
    "function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1 =";

// From 2027-07-01, persons seeking reemployment come before employees of other agencies, and a
// certification names three persons instead of six.
std::string hold_amendment(std::string text) {
  text = replace_once(text, standard_tier_head,
                      "function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1\n"
                      "  effective through 2027-06-30 =");
  text = replace_once(text, "parameter complement_size: integer § 2.B.1 = 6",
                      "parameter complement_size: integer § 2.B.1 = 6\n"
                      "                                            = 3 from 2027-07-01\n"
                      "function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1\n"
                      "  effective from 2027-07-01 =\n"
                      "  if has_promotional_preference_in(c, r.agency) then 1\n"
                      "  else if c.reemployment then 2\n"
                      "  else if is_state_employee(c) and c.promotional_preference then 3\n"
                      "  else 4");
  return text;
}

std::string certify(const std::string& rules, const std::string& case_file, const std::string& extra = "") {
  const auto r = run_merit("certify --rules '" + rules + "' --case " + case_file + " --format json" +
                           (extra.empty() ? "" : " " + extra));
  INFO("stderr: " << r.err);
  CHECK(r.status == 0);
  return r.out;
}

}  // namespace

TEST_CASE("amendments: rules holding an amendment not yet in force check clean") {
  RulesCopy copy("clean", hold_amendment);
  const auto r = run_merit("check '" + copy.dir.string() + "'");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
}

TEST_CASE("amendments: an amendment dated in the future does not affect a certification dated today") {
  RulesCopy copy("today", hold_amendment);
  const std::string today = "tests/cases/amendments/dated-today.json";
  const std::string amended = certify(copy.dir.string(), today);
  CHECK(amended == certify("rules", today));
  CHECK(amended.find("\"complement\": 6") != std::string::npos);
}

TEST_CASE("amendments: a certification made on the day an amendment takes effect is judged under it") {
  RulesCopy copy("in-force", hold_amendment);
  const std::string later = "tests/cases/amendments/dated-when-amended.json";
  const std::string amended = certify(copy.dir.string(), later);
  CHECK(amended != certify("rules", later));
  CHECK(amended.find("\"complement\": 3") != std::string::npos);
  // Tier 1 (C01, C04: DHHS with promotional preference) first, then C05, who seeks reemployment, ahead of
  // the employees of other agencies: the rule of three is filled by C01, C04 and C05.
  const auto c01 = amended.find("\"C01\"");
  const auto c04 = amended.find("\"C04\"");
  const auto c05 = amended.find("\"C05\"");
  CHECK(c01 < c04);
  CHECK(c04 < c05);
  CHECK(c05 != std::string::npos);
  CHECK(amended.find("\"C02\"") == std::string::npos);
}

TEST_CASE("amendments: --as-of judges a certification under the rules in force on another day") {
  RulesCopy copy("as-of", hold_amendment);
  const std::string today = "tests/cases/amendments/dated-today.json";
  const std::string later = "tests/cases/amendments/dated-when-amended.json";
  CHECK(certify(copy.dir.string(), today, "--as-of 2027-07-01").find("\"complement\": 3") !=
        std::string::npos);
  CHECK(certify(copy.dir.string(), later, "--as-of 2027-06-30") == certify("rules", later));
}

TEST_CASE("amendments: an amendment that overlaps the rule it amends is an error of merit check") {
  // The amendment added without ending the version in force: both are in force from 2027-07-01.
  RulesCopy copy("overlap", [](std::string text) {
    return replace_once(text, "parameter complement_size: integer § 2.B.1 = 6",
                        "parameter complement_size: integer § 2.B.1 = 6\n"
                        "function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1\n"
                        "  effective from 2027-07-01 = 1");
  });
  const auto r = run_merit("check '" + copy.dir.string() + "'");
  CHECK(r.status == 1);
  CHECK(r.err.find("error: two versions of function standard_tier are in force on the same days: this one "
                   "(from 2027-07-01) and the one at ") != std::string::npos);
  CHECK(r.err.find("(on every day); end the earlier one the day before the later one begins") !=
        std::string::npos);
}
