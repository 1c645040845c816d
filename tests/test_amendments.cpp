// Amendments by date on the shipped rules, through the binary: a copy of rules/ holds an amendment of the
// standard method's tier order and of the rule of six that takes effect on 2027-07-01, as policy staff
// would write it before it is in force. A certification is judged under the rules in force on its date.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

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
    // The edit runs before anything is written: a test that cannot find its anchor leaves nothing behind.
    const fs::path rules = fs::path(source_dir()) / "rules";
    const std::string text = edit(read_text((rules / class_registers).string()));
    fs::remove_all(dir);
    fs::copy(rules, dir, fs::copy_options::recursive);
    std::ofstream(dir / class_registers, std::ios::binary | std::ios::trunc) << text;
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

// -------------------------------------------------------------------------------------------------------
// The explanation follows an amendment with no other edit: it is recorded while the amended rules run.

namespace {

using nlohmann::json;

/// Replaces every occurrence of `from`; the test fails when there is none.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "the rule file no longer contains: " << from);
  for (; at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

/// `merit certify --explain --format json` on a case written to a scratch folder.
json explained(const std::string& rules, const json& c) {
  const merit::testing::Scratch scratch("merit-amend-case");
  const std::string file = scratch.write("case.json", c.dump());
  const auto r = run_merit("certify --explain --format json --rules '" + rules + "' --case " + file);
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

/// Outsiders C01..Cn scoring 100, 99, ..., for one requisition of `agency` certified on `on`.
json outsiders_case(int n, const std::string& agency, const std::string& on, json extra = json::array()) {
  json candidates = json::array();
  for (int i = 1; i <= n; ++i) {
    candidates.push_back({{"id", (i < 10 ? "C0" : "C") + std::to_string(i)}, {"score", 101 - i}});
  }
  for (auto& c : extra) candidates.push_back(c);
  return {{"register", {{"class", "Clerk"}, {"candidates", candidates}}},
          {"requisition", {{"id", "R1"}, {"agency", agency}, {"received", on}, {"location", "Augusta"}}}};
}

std::string reason_of(const json& certification, const std::string& id) {
  for (const auto& item : certification["explanation"]["items"]) {
    if (item["id"] == id) return item["reason"];
  }
  return "(" + id + " is not explained)";
}

}  // namespace

TEST_CASE("amendments: a rule of five in force from a date, and the explanation says five from that date") {
  RulesCopy copy("rule-of-five", [](std::string text) {
    return replace_once(text, "parameter complement_size: integer § 2.B.1 = 6",
                        "parameter complement_size: integer § 2.B.1 = 6\n"
                        "                                            = 5 from 2027-07-01");
  });
  const json before = explained(copy.dir.string(), outsiders_case(9, "DHHS", "2027-06-30"))[0];
  CHECK(before["complement"] == 6);
  CHECK(reason_of(before, "C06") == "place 6 of the 6 taken by ranked (§ 2.B.1, 2.B.2)");
  const json after = explained(copy.dir.string(), outsiders_case(9, "DHHS", "2027-07-01"))[0];
  CHECK(after["complement"] == 5);
  CHECK(after["explanation"]["as_of"] == "2027-07-01");
  CHECK(reason_of(after, "C05") == "place 5 of the 5 taken by ranked (§ 2.B.1, 2.B.2)");
  CHECK(reason_of(after, "C06")
            .find("; 5 taken, the last of the 5 at method_tier(c, r) = 4, c.score = 96; here "
                  "method_tier(c, r) = 4, c.score = 95") != std::string::npos);
}

TEST_CASE("amendments: veterans' points added to the score used for ranking show in the explanation") {
  RulesCopy copy("veterans", [](std::string text) {
    text = replace_once(text, "  temporary_interest: boolean = false",
                        "  temporary_interest: boolean = false\n  veterans_points: decimal = 0");
    text = replace_once(text, "by method_tier(c, r), c.score descending, c.id",
                        "by method_tier(c, r), c.score + c.veterans_points descending, c.id");
    return replace_all(text, "with ties by method_tier(c, r), c.score\n",
                       "with ties by method_tier(c, r), c.score + c.veterans_points\n");
  });
  // V scored 89 and has 6 points: 95, tied with C06 at the end of the complement.
  const json c = outsiders_case(9, "DHHS", "2026-03-02",
                                json::array({{{"id", "V"}, {"score", 89}, {"veterans_points", 6}}}));
  const json certification = explained(copy.dir.string(), c)[0];
  CHECK(reason_of(certification, "V") ==
        "place 7 in ranked (§ 2.B.1, 2.B.2), tied with the last of the 6 taken at method_tier(c, r) = 4, "
        "c.score + c.veterans_points = 95");
  CHECK(certification["certified"][6]["cite"] == "2.B.2");
}

TEST_CASE("amendments: a per-agency complement is cited as the rule of six, and explained as its places") {
  RulesCopy copy("per-agency", [](std::string text) {
    return replace_once(
        text, "function single_vacancy_complement(r: Requisition): integer § 2.B.1 = complement_size",
        "function single_vacancy_complement(r: Requisition): integer § 2.B.1 =\n"
        "  if r.agency == \"DOT\" then 10 else complement_size");
  });
  const json certification = explained(copy.dir.string(), outsiders_case(12, "DOT", "2026-03-02"))[0];
  CHECK(certification["complement"] == 10);
  for (const auto& name : certification["certified"]) CHECK(name["cite"] == "2.B.1");
  CHECK(reason_of(certification, "C08") == "place 8 of the 10 taken by ranked (§ 2.B.1, 2.B.2)");
  CHECK(reason_of(certification, "C11").find("10 taken, the last of the 10") != std::string::npos);
}
