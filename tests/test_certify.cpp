// Chapter 8 sections 2 and 5, provision by provision, through the built binary as a user runs it:
// `merit certify --case FILE --format json`, asserting the exact names certified.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/run.hpp"

namespace {

using merit::testing::run_merit;
using nlohmann::json;

/// Writes a case file made of a register and requisitions, runs `merit certify` on it, and returns the
/// parsed JSON output (an array of certifications).
struct Certify {
  merit::testing::RunResult run;
  json out;
};

std::string write_case(const json& c) {
  static int counter = 0;
  const std::string path =
      "/tmp/merit-certify-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json";
  std::ofstream(path) << c.dump(2);
  return path;
}

Certify certify(const json& c, const std::string& extra = "") {
  Certify result;
  result.run = run_merit("certify --format json --case " + write_case(c) + " " + extra);
  if (result.run.status == 0) result.out = json::parse(result.run.out);
  return result;
}

json register_of(json candidates) {
  return {{"class", "Eligibility Specialist"}, {"pay_grade", 12}, {"candidates", std::move(candidates)}};
}

json requisition(json extra = json::object()) {
  json r = {{"id", "R1"}, {"agency", "DHHS"}, {"received", "2026-03-02"}, {"location", "Augusta"}};
  for (auto& [k, v] : extra.items()) r[k] = v;
  return r;
}

json one_case(json candidates, json req_extra = json::object()) {
  return {{"register", register_of(std::move(candidates))},
          {"requisition", requisition(std::move(req_extra))}};
}

json person(const std::string& id, double score, json extra = json::object()) {
  json c = {{"id", id}, {"score", score}};
  for (auto& [k, v] : extra.items()) c[k] = v;
  return c;
}

std::string numbered(int i) {
  return (i < 10 ? "C0" : "C") + std::to_string(i);
}

// Outside candidates C01..Cn scoring 100, 99, 98, ...
json outsiders(int n) {
  json cs = json::array();
  for (int i = 1; i <= n; ++i) cs.push_back(person(numbered(i), 101 - i));
  return cs;
}

std::vector<std::string> ids(const json& certification) {
  std::vector<std::string> out;
  for (const auto& c : certification["certified"]) out.push_back(c["id"].get<std::string>());
  return out;
}

std::vector<std::string> field(const json& certification, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& c : certification["certified"]) out.push_back(c[name].get<std::string>());
  return out;
}

using Ids = std::vector<std::string>;

const json dhhs_promo = {{"agency", "DHHS"}, {"promotional_preference", true}};
const json dol_promo = {{"agency", "DOL"}, {"promotional_preference", true}};
const json reemploy = {{"reemployment", true}};

}  // namespace

TEST_CASE("2.B.1: rule of six certifies the six highest scores") {
  const auto r = certify(one_case(outsiders(9)));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06"});
  CHECK(r.out[0]["complement"] == 6);
  CHECK(field(r.out[0], "cite") == Ids(6, "2.B.1"));
  CHECK(field(r.out[0], "basis") == Ids(6, "rank"));
  CHECK(r.out[0]["complete"] == true);
  CHECK(r.out[0]["interested"] == 6);
}

TEST_CASE("2.B.1: with fewer than six available, as many as there are") {
  const auto r = certify(one_case(outsiders(4)));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04"});
  CHECK(r.out[0]["complete"] == true);
}

TEST_CASE("2.B.2: everyone tied at the sixth score is certified") {
  json cs = outsiders(5);
  cs.push_back(person("T1", 90));
  cs.push_back(person("T2", 90));
  cs.push_back(person("T3", 90));
  cs.push_back(person("L1", 89));
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "T1", "T2", "T3"});
  CHECK(field(r.out[0], "cite") ==
        Ids{"2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.2", "2.B.2"});
}

TEST_CASE("2.A.1: the standard method takes tier 1 first and progresses only as needed") {
  json cs = outsiders(4);
  for (int i = 1; i <= 6; ++i) cs.push_back(person("P" + std::to_string(i), 70 + i, dhhs_promo));
  cs.push_back(person("S1", 99, dol_promo));
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"P6", "P5", "P4", "P3", "P2", "P1"});
}

TEST_CASE("2.A.1: progression across all four tiers, in tier order then score") {
  json cs = json::array();
  cs.push_back(person("OUT1", 99));
  cs.push_back(person("OUT2", 98));
  cs.push_back(person("RE1", 80, reemploy));
  cs.push_back(person("OTHER1", 75, dol_promo));
  cs.push_back(person("OTHER2", 85, dol_promo));
  cs.push_back(person("OWN1", 70, dhhs_promo));
  cs.push_back(person("UNCL", 99.5, {{"agency", "DHHS"}, {"service", "unclassified"}}));
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"OWN1", "OTHER2", "OTHER1", "RE1", "UNCL", "OUT1"});
}

TEST_CASE("2.A.1 / 2.B.2: a tie at the end of a full tier does not pull from the next tier") {
  json cs = json::array();
  for (int i = 1; i <= 5; ++i) cs.push_back(person("P" + std::to_string(i), 90 + i, dhhs_promo));
  cs.push_back(person("T1", 80, dhhs_promo));
  cs.push_back(person("T2", 80, dhhs_promo));
  cs.push_back(person("S1", 80, dol_promo));
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"P5", "P4", "P3", "P2", "P1", "T1", "T2"});
}

TEST_CASE("2.A.1: persons who declined the location or the hours in writing are left out") {
  json cs = outsiders(8);
  cs[0]["declined_locations"] = {"Augusta"};
  cs[1]["declined_hours"] = {"part-time"};
  cs[2]["declined_locations"] = {"Portland"};
  const auto r = certify(one_case(cs, {{"hours", "part-time"}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C03", "C04", "C05", "C06", "C07", "C08"});
}

TEST_CASE("2.A.2: agency promotional certifies only the agency's own employees with preference") {
  json cs = outsiders(3);
  cs.push_back(person("OWN", 70, dhhs_promo));
  cs.push_back(person("OWN-NOPREF", 95, {{"agency", "DHHS"}}));
  cs.push_back(person("OTHER", 99, dol_promo));
  const auto r = certify(one_case(cs, {{"method", "agency_promotional"}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"OWN"});
  CHECK(r.out[0]["method"] == "agency_promotional");
  CHECK(r.out[0]["complete"] == false);
}

TEST_CASE("2.A.3: statewide promotional certifies state employees with preference by score") {
  json cs = outsiders(3);
  cs.push_back(person("OWN", 70, dhhs_promo));
  cs.push_back(person("OTHER", 99, dol_promo));
  cs.push_back(person("NOPREF", 95, {{"agency", "DOL"}}));
  const auto r = certify(one_case(cs, {{"method", "statewide_promotional"}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"OTHER", "OWN"});
}

TEST_CASE("2.A.4: open competitive certifies everyone by score, ignoring tiers") {
  json cs = outsiders(3);
  cs.push_back(person("OWN", 70, dhhs_promo));
  cs.push_back(person("TOP", 100.5, dol_promo));
  const auto r = certify(one_case(cs, {{"method", "open_competitive"}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"TOP", "C01", "C02", "C03", "OWN"});
}

TEST_CASE("2.A.5: the selective method leaves out those without the qualification, combined with a method") {
  json cs = json::array();
  cs.push_back(
      person("A", 99, {{"agency", "DHHS"}, {"promotional_preference", true}, {"qualifications", {"CDL"}}}));
  cs.push_back(person("B", 98, dhhs_promo));
  cs.push_back(person("C", 97, {{"qualifications", {"CDL", "Spanish"}}}));
  cs.push_back(
      person("D", 96, {{"agency", "DHHS"}, {"promotional_preference", true}, {"qualifications", {"CDL"}}}));
  const auto r = certify(one_case(cs, {{"method", "agency_promotional"}, {"selective", {"CDL"}}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"A", "D"});
  const auto open =
      certify(one_case(cs, {{"method", "open_competitive"}, {"selective", {"CDL", "Spanish"}}}));
  CHECK(ids(open.out[0]) == Ids{"C"});
}

TEST_CASE("2.A: with no method given, a standard certification is made") {
  const auto r = certify(one_case(outsiders(2)));
  REQUIRE(r.run.status == 0);
  CHECK(r.out[0]["method"] == "standard");
}

TEST_CASE("2.B.1: replacements for persons who decline, until three are interested") {
  json cs = outsiders(10);
  const auto r = certify(one_case(cs, {{"declined", {"C01", "C02", "C03", "C04", "C07"}}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"});
  CHECK(field(r.out[0], "basis") ==
        Ids{"rank", "rank", "rank", "rank", "rank", "rank", "replacement", "replacement"});
  CHECK(r.out[0]["interested"] == 3);
  CHECK(r.out[0]["complete"] == true);
  CHECK(r.out[0]["certified"][6]["interested"] == false);
}

TEST_CASE("2.B.1: a replacement tied at its score brings in all who share it") {
  json cs = outsiders(6);
  cs.push_back(person("R1", 80));
  cs.push_back(person("R2", 80));
  cs.push_back(person("R3", 79));
  const auto r = certify(one_case(cs, {{"declined", {"C01", "C02", "C03", "C04"}}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06", "R1", "R2"});
}

TEST_CASE("2.C: an incomplete certification says so and lists the agency's options") {
  json cs = outsiders(2);
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(r.out[0]["complete"] == false);
  CHECK(r.out[0]["selection_required"] == false);
  const auto notes = r.out[0]["notes"].dump();
  CHECK(notes.find("2.C.1") != std::string::npos);
  CHECK(notes.find("2.C.2") != std::string::npos);
  CHECK(notes.find("2.C.3") != std::string::npos);
}

TEST_CASE("2.D: each vacancy beyond the first adds one to the complement") {
  const auto r = certify(one_case(outsiders(10), {{"vacancies", 3}}));
  REQUIRE(r.run.status == 0);
  CHECK(r.out[0]["complement"] == 8);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"});
  CHECK(field(r.out[0], "cite") == Ids{"2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.D", "2.D"});
}

TEST_CASE("2.E: requisitions are certified in the order received") {
  json c = {{"register", register_of(outsiders(8))},
            {"requisitions",
             {requisition({{"id", "LATE"}, {"received", "2026-03-09"}}),
              requisition({{"id", "EARLY"}, {"received", "2026-03-01"}})}}};
  const auto r = certify(c);
  REQUIRE(r.run.status == 0);
  REQUIRE(r.out.size() == 2);
  CHECK(r.out[0]["requisition"] == "EARLY");
  CHECK(r.out[1]["requisition"] == "LATE");
}

TEST_CASE("2.F: a person already on three certifications is passed over") {
  json cs = outsiders(8);
  cs[0]["concurrent_referrals"] = 3;
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C02", "C03", "C04", "C05", "C06", "C07"});
}

TEST_CASE("2.F: the limit is waived for a promotional vacancy in the person's own agency") {
  json cs = outsiders(8);
  cs.push_back(
      person("OWN", 60, {{"agency", "DHHS"}, {"promotional_preference", true}, {"concurrent_referrals", 3}}));
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0])[0] == "OWN");
}

TEST_CASE("2.F: the limit is waived when the complement cannot be reached without such persons") {
  json cs = outsiders(6);
  cs[0]["concurrent_referrals"] = 3;
  const auto r = certify(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06"});
  CHECK(r.out[0]["notes"].dump().find("2.F") != std::string::npos);
}

TEST_CASE("2.F: each certification in a batch counts toward the limit of the next") {
  json cs = outsiders(9);
  cs[0]["concurrent_referrals"] = 1;  // C01: 1 now, +1 for R1, +1 for R2 = 3 before R3
  json c = {{"register", register_of(cs)},
            {"requisitions",
             {requisition({{"id", "R1"}, {"received", "2026-03-01"}}),
              requisition({{"id", "R2"}, {"received", "2026-03-02"}, {"agency", "DOL"}}),
              requisition({{"id", "R3"}, {"received", "2026-03-03"}, {"agency", "DOT"}})}}};
  const auto r = certify(c);
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0])[0] == "C01");
  CHECK(ids(r.out[1])[0] == "C01");
  // By R3, C02..C06 are on two certifications and C01 on three: C01 is passed over.
  CHECK(ids(r.out[2]) == Ids{"C02", "C03", "C04", "C05", "C06", "C07"});
}

TEST_CASE("2.G: extra names add transfer requests and voluntary demotions by score") {
  json cs = outsiders(6);
  cs.push_back(person("XFER", 60, {{"agency", "DOL"}, {"transfer_request", true}}));
  cs.push_back(person("DEMOTE", 65, {{"agency", "DOT"}, {"pay_grade", 14}}));
  cs.push_back(person("SAMEGRADE", 64, {{"agency", "DOT"}, {"pay_grade", 12}}));
  cs.push_back(person("OWNXFER", 63, {{"agency", "DHHS"}, {"transfer_request", true}}));
  const auto r = certify(one_case(cs, {{"extra_names", true}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06", "DEMOTE", "XFER"});
  CHECK(field(r.out[0], "basis")[6] == "extra_name");
  CHECK(field(r.out[0], "cite")[6] == "2.G");
  const auto without = certify(one_case(cs));
  CHECK(ids(without.out[0]).size() == 6);
}

TEST_CASE("2.H: a removed person is left out, listed as removed, and the next name takes the place") {
  const auto r = certify(one_case(outsiders(8), {{"removed", {{"C02", "failed the background check"}}}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C03", "C04", "C05", "C06", "C07"});
  CHECK(r.out[0]["removed"] == json::array({"C02"}));
}

TEST_CASE("2.I: the appointing authority has 21 days from the certification date") {
  const auto r = certify(one_case(outsiders(6), {{"certified_on", "2026-03-10"}}));
  REQUIRE(r.run.status == 0);
  CHECK(r.out[0]["selection_deadline"] == "2026-03-31");
  CHECK(r.out[0]["interview_required"] == true);
  CHECK(r.out[0]["selection_required"] == true);
  const auto received = certify(one_case(outsiders(6)));
  CHECK(received.out[0]["selection_deadline"] == "2026-03-23");
}

TEST_CASE("2.I: no interview is required for an acting capacity assignment") {
  const auto r = certify(one_case(outsiders(6), {{"appointment", "acting"}}));
  REQUIRE(r.run.status == 0);
  CHECK(r.out[0]["interview_required"] == false);
}

TEST_CASE("2.I: no selection is required when fewer than three are interested") {
  const auto r = certify(one_case(outsiders(3), {{"declined", {"C01"}}}));
  REQUIRE(r.run.status == 0);
  CHECK(r.out[0]["interested"] == 2);
  CHECK(r.out[0]["selection_required"] == false);
}

TEST_CASE("5.C.1(b): a member of an underutilized group absent from the certification is added") {
  json cs = outsiders(8);
  cs[7]["groups"] = {"women"};
  cs.push_back(person("W2", 50, {{"groups", {"women"}}}));
  const auto r =
      certify(one_case(cs, {{"affirmative_action", {{"groups", {"women"}}, {"basis", "underutilization"}}}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06", "C08"});
  CHECK(field(r.out[0], "basis")[6] == "affirmative_action");
  CHECK(field(r.out[0], "cite")[6] == "5.C.1(b)");
}

TEST_CASE("5.C.1(a): no affirmative action name when the group is already certified; no one removed (c)") {
  json cs = outsiders(8);
  cs[2]["groups"] = {"women"};
  cs[7]["groups"] = {"women"};
  const auto r =
      certify(one_case(cs, {{"affirmative_action", {{"groups", {"women"}}, {"basis", "underutilization"}}}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05", "C06"});
}

TEST_CASE("5.C.2(f): no affirmative action for adverse impact when the test is validated") {
  json cs = outsiders(8);
  cs[7]["groups"] = {"veterans"};
  json aa = {{"groups", {"veterans"}}, {"basis", "adverse_impact"}, {"test_validated", true}};
  const auto r = certify(one_case(cs, {{"affirmative_action", aa}}));
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]).size() == 6);
  aa["test_validated"] = false;
  const auto unvalidated = certify(one_case(cs, {{"affirmative_action", aa}}));
  CHECK(ids(unvalidated.out[0]).back() == "C08");
  CHECK(field(unvalidated.out[0], "cite").back() == "5.C.2(b)");
}

TEST_CASE("2.B.1: --set complement_size=5 makes a rule of five without editing the rules") {
  const auto r = certify(one_case(outsiders(9)), "--set complement_size=5");
  REQUIRE(r.run.status == 0);
  CHECK(ids(r.out[0]) == Ids{"C01", "C02", "C03", "C04", "C05"});
  CHECK(r.out[0]["complement"] == 5);
}

TEST_CASE("certify: the table names each person with tier, basis and section, and the duties") {
  const auto r = run_merit("certify --case examples/certify/standard.json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("C01 Avery Dunn      94    1    rank  2.B.1 yes") != std::string::npos);
  CHECK(r.out.find("Complete (2.B.1)") != std::string::npos);
  CHECK(r.out.find("By 2026-03-23 (2.I)") != std::string::npos);
}

TEST_CASE(
    "certify: invalid case files are errors naming the file and the JSON path, with nothing on stdout") {
  struct Bad {
    json c;
    std::string message;
  };
  json ok = one_case(outsiders(3));
  std::vector<Bad> cases;
  {
    json c = ok;
    c["register"]["candidates"][1].erase("score");
    cases.push_back({c, "register.candidates[1]: missing required field \"score\""});
  }
  {
    json c = ok;
    c["register"]["candidates"][0]["scor"] = 3;
    cases.push_back({c, "register.candidates[0]: unknown field \"scor\"; did you mean \"score\"?"});
  }
  {
    json c = ok;
    c["register"]["candidates"][2]["score"] = "high";
    cases.push_back({c, "register.candidates[2].score: expected a number, found \"high\""});
  }
  {
    json c = ok;
    c["requisition"]["received"] = "2026-02-30";
    cases.push_back({c, "requisition.received: 2026-02-30 is not a date that exists"});
  }
  {
    json c = ok;
    c["requisition"]["vacancies"] = -1;
    cases.push_back({c, "requisition.vacancies: expected at least 1 vacancy, found -1"});
  }
  {
    json c = ok;
    c["register"]["candidates"][2]["id"] = "C01";
    cases.push_back({c, "register.candidates[2].id: \"C01\" is already the id of register.candidates[0]"});
  }
  {
    json c = ok;
    c["requisition"]["declined"] = {"NOPE"};
    cases.push_back({c, "requisition.declined: \"NOPE\" is not on the register"});
  }
  {
    json c = ok;
    c["requisition"]["removed"] = {{"GONE", "x"}};
    cases.push_back({c, "requisition.removed: \"GONE\" is not on the register"});
  }
  {
    json c = {{"register", register_of(outsiders(3))},
              {"requisitions", {requisition(), requisition({{"vacancies", 0}})}}};
    cases.push_back({c, "requisitions[1].vacancies: expected at least 1 vacancy, found 0"});
  }
  {
    json c = ok;
    c["requisition"]["method"] = "rule_of_three";
    cases.push_back(
        {c,
         "requisition.method: expected one of standard, agency_promotional, statewide_promotional, "
         "open_competitive, found \"rule_of_three\""});
  }
  for (const auto& bad : cases) {
    CAPTURE(bad.message);
    const auto r = certify(bad.c);
    CHECK(r.run.status == 1);
    CHECK(r.run.out.empty());
    CHECK(r.run.err.find(bad.message) != std::string::npos);
    CHECK(r.run.err.find("/tmp/merit-certify-") == 0);
  }
}

TEST_CASE("certify: the register may come from a CSV export") {
  const std::string csv = "/tmp/merit-register-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(csv) << "id,name,score,agency,promotional_preference,groups\n"
                        "A1,\"Dunn, Avery\",91.5,DHHS,true,women;veterans\n"
                        "A2,Blake,95,,,\n"
                        "A3,Casey,88,DOL,yes,\n";
  json c = {{"register", {{"class", "Clerk"}, {"pay_grade", 8}}}, {"requisition", requisition()}};
  const auto r = run_merit("certify --format json --case " + write_case(c) + " --register " + csv);
  REQUIRE(r.status == 0);
  const json out = json::parse(r.out);
  CHECK(ids(out[0]) == Ids{"A1", "A3", "A2"});

  std::ofstream(csv) << "id,score\nA1,ninety\n";
  const auto bad = run_merit("certify --case " + write_case(c) + " --register " + csv);
  CHECK(bad.status == 1);
  CHECK(bad.err.find("line 2, column score: expected a number, found \"ninety\"") != std::string::npos);
}

// -------------------------------------------------------------------------------------------------------
// Explanations: why each person on the register was or was not certified (`merit certify --explain`),
// through `merit eval certify`, which answers every output of the decision, the explanations included.

namespace {

struct Explained {
  merit::testing::RunResult run;
  json all;           // every output of the decision certify
  json explanations;  // one per certification, in the same order
};

Explained explain(const json& c) {
  Explained result;
  result.run = run_merit("eval certify --format json --input " + write_case(c));
  if (result.run.status == 0) {
    result.all = json::parse(result.run.out);
    result.explanations = result.all["explanations"];
  }
  return result;
}

/// The outcome of person `id` in one explanation, or null when the person is missing.
json outcome(const json& explanation, const std::string& id) {
  for (const auto& p : explanation["persons"]) {
    if (p["id"] == id) return p;
  }
  return nullptr;
}

std::string reason(const json& explanation, const std::string& id) {
  const json p = outcome(explanation, id);
  return p.is_null() ? "(" + id + " is not in the explanation)" : p["reason"].get<std::string>();
}

std::string cite(const json& explanation, const std::string& id) {
  const json p = outcome(explanation, id);
  return p.is_null() ? "(" + id + " is not in the explanation)" : p["cite"].get<std::string>();
}

/// The exceptions and waivers that applied, as "cite: text".
std::vector<std::string> applied(const json& explanation) {
  std::vector<std::string> out;
  for (const auto& a : explanation["applied"]) {
    out.push_back(a["cite"].get<std::string>() + ": " + a["text"].get<std::string>());
  }
  return out;
}

}  // namespace

TEST_CASE("explain: every person on the register, in register order, agrees with the certification") {
  for (const std::string example :
       {"standard", "agency-promotional", "statewide-promotional", "open-competitive", "selective",
        "multiple-vacancies", "replacements", "removal", "incomplete", "extra-names", "affirmative-action",
        "acting", "batch"}) {
    CAPTURE(example);
    const std::string file = "examples/certify/" + example + ".json";
    const auto r = run_merit("eval certify --format json --input " + file);
    REQUIRE(r.status == 0);
    const json out = json::parse(r.out);
    const json input = json::parse(merit::testing::read_text(merit::testing::source_dir() + "/" + file));
    const json& certifications = out["certifications"];
    const json& explanations = out["explanations"];
    REQUIRE(explanations.size() == certifications.size());
    for (std::size_t i = 0; i < certifications.size(); ++i) {
      const json& e = explanations[i];
      CHECK(e["requisition"] == certifications[i]["requisition"]);
      Ids register_ids;
      for (const auto& c : input["register"]["candidates"]) register_ids.push_back(c["id"]);
      Ids person_ids;
      for (const auto& p : e["persons"]) person_ids.push_back(p["id"]);
      CHECK(person_ids == register_ids);
      for (const auto& p : e["persons"]) {
        const auto& certified = certifications[i]["certified"];
        const auto it = std::find_if(certified.begin(), certified.end(),
                                     [&](const json& x) { return x["id"] == p["id"]; });
        CAPTURE(p.dump());
        CHECK(p["certified"] == (it != certified.end()));
        if (it != certified.end()) {
          CHECK(p["basis"] == (*it)["basis"]);
          CHECK(p["cite"] == (*it)["cite"]);
        } else {
          CHECK(p["basis"].is_null());
        }
        // Every reason ends with the section it gives.
        const std::string ending = " (" + p["cite"].get<std::string>() + ")";
        const std::string why = p["reason"];
        CHECK(why.size() > ending.size());
        CHECK(why.substr(why.size() - std::min(why.size(), ending.size())) == ending);
      }
    }
  }
}

TEST_CASE("explain 2.B.1: certified by rank with score and tier; below the cut with the score that was cut") {
  const auto r = explain(one_case(outsiders(9)));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(e["requisition"] == "R1");
  CHECK(reason(e, "C01") == "certified by rank: score 100 in tier 4 (2.B.1)");
  CHECK(outcome(e, "C01")["tier"] == 4);
  CHECK(outcome(e, "C01")["basis"] == "rank");
  CHECK(reason(e, "C07") ==
        "below the cut: score 94 in tier 4; the complement of 6 was reached at score 95 in tier 4 (2.B.1)");
  CHECK(cite(e, "C07") == "2.B.1");
  CHECK(outcome(e, "C07")["certified"] == false);
  CHECK(e["applied"] == json::array());

  const auto open = explain(one_case(outsiders(9), {{"method", "open_competitive"}}));
  REQUIRE(open.run.status == 0);
  CHECK(reason(open.explanations[0], "C09") ==
        "below the cut: score 92; the complement of 6 was reached at score 95 (2.B.1)");
  CHECK(reason(open.explanations[0], "C02") == "certified by rank: score 99 (2.B.1)");
}

TEST_CASE("explain 2.A.1: a tier the standard method did not reach says which tier filled the complement") {
  json cs = outsiders(2);
  for (int i = 1; i <= 6; ++i) cs.push_back(person("P" + std::to_string(i), 70 + i, dhhs_promo));
  cs.push_back(person("S1", 99, dol_promo));
  const auto r = explain(one_case(cs));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(
      reason(e, "S1") ==
      "not reached: score 99 in tier 2, and the method moves to tier 2 only when the tiers before it cannot "
      "fill the complement; the complement of 6 was reached at score 71 in tier 1 (2.A.1)");
  CHECK(cite(e, "C01") == "2.A.1");
  CHECK(outcome(e, "S1")["tier"] == 2);
  CHECK(reason(e, "P1") == "certified by rank: score 71 in tier 1 (2.B.1)");
}

TEST_CASE("explain 2.A.1: persons who declined the location or the hours in writing") {
  json cs = outsiders(8);
  cs[0]["declined_locations"] = {"Augusta"};
  cs[1]["declined_hours"] = {"part-time"};
  cs[2]["declined_locations"] = {"Augusta"};
  cs[2]["declined_hours"] = {"part-time"};
  cs[3]["declined_locations"] = {"Portland"};
  const auto r = explain(one_case(cs, {{"hours", "part-time"}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "C01") == "declined the location Augusta in writing (2.A.1)");
  CHECK(cite(e, "C01") == "2.A.1");
  CHECK(reason(e, "C02") == "declined the hours part-time in writing (2.A.1)");
  CHECK(reason(e, "C03") == "declined the location Augusta and the hours part-time in writing (2.A.1)");
  CHECK(reason(e, "C04") == "certified by rank: score 97 in tier 4 (2.B.1)");
}

TEST_CASE("explain 2.A.2 and 2.A.3: outside the promotional methods' tiers, with the facts") {
  json cs = outsiders(1);
  cs.push_back(person("OWN", 70, dhhs_promo));
  cs.push_back(person("OWN-NOPREF", 95, {{"agency", "DHHS"}}));
  cs.push_back(person("OTHER", 99, dol_promo));
  const auto agency = explain(one_case(cs, {{"method", "agency_promotional"}}));
  REQUIRE(agency.run.status == 0);
  const json& a = agency.explanations[0];
  CHECK(reason(a, "OTHER") ==
        "not employed by DHHS with promotional preference: outside the agency promotional method (2.A.2)");
  CHECK(cite(a, "OTHER") == "2.A.2");
  CHECK(outcome(a, "OTHER")["tier"] == 0);
  CHECK(reason(a, "OWN-NOPREF") ==
        "employed by DHHS but without promotional preference: outside the agency promotional method (2.A.2)");
  CHECK(reason(a, "C01") ==
        "not employed by DHHS with promotional preference: outside the agency promotional method (2.A.2)");
  CHECK(reason(a, "OWN") == "certified by rank: score 70 (2.B.1)");

  const auto statewide = explain(one_case(cs, {{"method", "statewide_promotional"}}));
  REQUIRE(statewide.run.status == 0);
  const json& s = statewide.explanations[0];
  CHECK(reason(s, "C01") == "not a state employee: outside the statewide promotional method (2.A.3)");
  CHECK(cite(s, "C01") == "2.A.3");
  CHECK(reason(s, "OWN-NOPREF") ==
        "employed by DHHS but without promotional preference: outside the statewide promotional method "
        "(2.A.3)");
  CHECK(reason(s, "OTHER") == "certified by rank: score 99 (2.B.1)");
}

TEST_CASE("explain 2.A.5: lacks the selective qualifications, naming them") {
  json cs = json::array();
  cs.push_back(person("A", 99, {{"qualifications", {"CDL"}}}));
  cs.push_back(person("B", 98));
  cs.push_back(person("C", 97, {{"qualifications", {"CDL", "Spanish"}}}));
  const auto r = explain(one_case(cs, {{"method", "open_competitive"}, {"selective", {"CDL", "Spanish"}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "A") == "lacks the selective qualification Spanish (2.A.5)");
  CHECK(cite(e, "A") == "2.A.5");
  CHECK(reason(e, "B") == "lacks the selective qualifications CDL, Spanish (2.A.5)");
  CHECK(reason(e, "C") == "certified by rank: score 97 (2.B.1)");
}

TEST_CASE("explain 2.H: removed with the Director's approval, with the reason given") {
  const auto r = explain(one_case(outsiders(8), {{"removed", {{"C02", "failed the background check"}}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "C02") == "removed with the Director's approval: failed the background check (2.H)");
  CHECK(cite(e, "C02") == "2.H");
  CHECK(outcome(e, "C02")["certified"] == false);
  CHECK(reason(e, "C07") == "certified by rank: score 94 in tier 4 (2.B.1)");
  CHECK(applied(e) ==
        Ids{"2.H: Removed with the Director's approval: C02; the next names take their places (2.H)"});
}

TEST_CASE("explain 2.F: passed over at the referral limit, counting the batch's earlier certifications") {
  json cs = outsiders(8);
  cs[0]["concurrent_referrals"] = 3;
  const auto r = explain(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(reason(r.explanations[0], "C01") == "passed over: already on 3 certifications; the limit is 3 (2.F)");
  CHECK(cite(r.explanations[0], "C01") == "2.F");

  json batch_cs = outsiders(9);
  batch_cs[0]["concurrent_referrals"] = 1;
  json c = {{"register", register_of(batch_cs)},
            {"requisitions",
             {requisition({{"id", "R3"}, {"received", "2026-03-03"}, {"agency", "DOT"}}),
              requisition({{"id", "R1"}, {"received", "2026-03-01"}}),
              requisition({{"id", "R2"}, {"received", "2026-03-02"}, {"agency", "DOL"}})}}};
  const auto b = explain(c);
  REQUIRE(b.run.status == 0);
  REQUIRE(b.explanations.size() == 3);
  CHECK(b.explanations[0]["requisition"] == "R1");
  CHECK(b.explanations[2]["requisition"] == "R3");
  CHECK(reason(b.explanations[1], "C01") == "certified by rank: score 100 in tier 4 (2.B.1)");
  CHECK(
      reason(b.explanations[2], "C01") ==
      "passed over: already on 3 certifications, 2 of them made earlier in this batch; the limit is 3 (2.F)");
}

TEST_CASE("explain 2.F: the limit waived, for the person's own agency or to reach the complement") {
  json cs = outsiders(6);
  cs[0]["concurrent_referrals"] = 3;
  const auto waived = explain(one_case(cs));
  REQUIRE(waived.run.status == 0);
  CHECK(reason(waived.explanations[0], "C01") == "certified by rank: score 100 in tier 4 (2.B.1)");
  CHECK(applied(waived.explanations[0]) ==
        Ids{"2.F: The limit of 3 concurrent referrals was waived: the complement of 6 could not be reached "
            "without persons at the limit (2.F)"});

  json own = outsiders(8);
  own.push_back(
      person("OWN", 60, {{"agency", "DHHS"}, {"promotional_preference", true}, {"concurrent_referrals", 3}}));
  const auto r = explain(one_case(own));
  REQUIRE(r.run.status == 0);
  CHECK(reason(r.explanations[0], "OWN") == "certified by rank: score 60 in tier 1 (2.B.1)");
  CHECK(applied(r.explanations[0]) == Ids{"2.F: The limit of 3 concurrent referrals does not apply to OWN: a "
                                          "promotional vacancy in their own "
                                          "agency (2.F)"});
}

TEST_CASE("explain: when several reasons apply, the first of 2.H, 2.A.1, 2.A.5, the tiers, 2.F, the cut") {
  json cs = json::array();
  const json cdl = {"CDL"};
  cs.push_back(person(
      "P1", 99, {{"agency", "DOL"}, {"promotional_preference", true}, {"declined_locations", {"Augusta"}}}));
  cs.push_back(person("P2", 98, {{"declined_locations", {"Augusta"}}}));
  cs.push_back(person("P3", 97));
  cs.push_back(person("P4", 96, {{"qualifications", cdl}, {"concurrent_referrals", 3}}));
  cs.push_back(person("P5", 50,
                      {{"agency", "DOL"},
                       {"promotional_preference", true},
                       {"qualifications", cdl},
                       {"concurrent_referrals", 3}}));
  for (int i = 1; i <= 7; ++i) {
    cs.push_back(person("Q" + std::to_string(i), 91 - i,
                        {{"agency", "DOL"}, {"promotional_preference", true}, {"qualifications", cdl}}));
  }
  const auto r = explain(one_case(
      cs, {{"method", "statewide_promotional"}, {"selective", cdl}, {"removed", {{"P1", "withdrew"}}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(cite(e, "P1") == "2.H");
  CHECK(cite(e, "P2") == "2.A.1");
  CHECK(cite(e, "P3") == "2.A.5");
  CHECK(cite(e, "P4") == "2.A.3");
  CHECK(cite(e, "P5") == "2.F");
  CHECK(reason(e, "Q7") == "below the cut: score 84; the complement of 6 was reached at score 85 (2.B.1)");
  CHECK(reason(e, "Q6") == "certified by rank: score 85 (2.B.1)");
}

TEST_CASE("explain 2.B.1: replacements, persons who declined, and the cut after the replacements") {
  const auto r = explain(one_case(outsiders(10), {{"declined", {"C01", "C02", "C03", "C04", "C07"}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "C01") == "certified by rank: score 100 in tier 4, but declined this vacancy (2.B.1)");
  CHECK(reason(e, "C07") ==
        "certified as a replacement for those who declined: score 94 in tier 4, but declined this vacancy "
        "(2.B.1)");
  CHECK(reason(e, "C08") == "certified as a replacement for those who declined: score 93 in tier 4 (2.B.1)");
  CHECK(outcome(e, "C08")["basis"] == "replacement");
  CHECK(reason(e, "C09") ==
        "below the cut: score 92 in tier 4; the complement of 6 was reached at score 95 in tier 4, and "
        "replacements for those who declined went on to score 93 in tier 4 (2.B.1)");
  CHECK(applied(e) ==
        Ids{"2.B.1: Fewer than 3 of the names certified by rank are interested: C07, C08 certified "
            "as replacements for those who declined (2.B.1)"});
}

TEST_CASE("explain 2.B.2 and 2.D: ties at the last score, and places added for more vacancies") {
  json cs = outsiders(5);
  cs.push_back(person("T1", 90));
  cs.push_back(person("T2", 90));
  cs.push_back(person("T3", 90));
  cs.push_back(person("L1", 89));
  const auto ties = explain(one_case(cs));
  REQUIRE(ties.run.status == 0);
  const json& t = ties.explanations[0];
  CHECK(reason(t, "T1") == "certified by rank: score 90 in tier 4 (2.B.1)");
  CHECK(reason(t, "T2") ==
        "certified by rank: score 90 in tier 4, tied with the last score of the complement (2.B.2)");
  CHECK(reason(t, "L1") ==
        "below the cut: score 89 in tier 4; the complement of 6 was reached at score 90 in tier 4 (2.B.1)");
  CHECK(applied(t) ==
        Ids{"2.B.2: T2, T3 tied with the last score of the complement (90) and are certified too "
            "(2.B.2)"});

  const auto more = explain(one_case(outsiders(10), {{"vacancies", 3}}));
  REQUIRE(more.run.status == 0);
  const json& m = more.explanations[0];
  CHECK(reason(m, "C07") ==
        "certified by rank: score 94 in tier 4, in a place added for a further vacancy (2.D)");
  CHECK(reason(m, "C09") ==
        "below the cut: score 92 in tier 4; the complement of 8 was reached at score 93 in tier 4 (2.B.1)");
  CHECK(applied(m) == Ids{"2.D: 3 vacancies: the complement of 6 gains one name for each vacancy beyond the "
                          "first, to 8 (2.D)"});
}

TEST_CASE("explain 5.C: names added by affirmative action, groups already included, none to add") {
  json cs = outsiders(8);
  cs[2]["groups"] = {"veterans"};
  cs[7]["groups"] = {"women"};
  cs.push_back(person("W2", 50, {{"groups", {"women"}}}));
  const auto r = explain(
      one_case(cs, {{"affirmative_action",
                     {{"groups", {"women", "veterans", "disability"}}, {"basis", "underutilization"}}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "C08") ==
        "certified by affirmative action: score 93 in tier 4, for the group women (5.C.1(b))");
  CHECK(outcome(e, "C08")["basis"] == "affirmative_action");
  CHECK(reason(e, "W2") ==
        "below the cut: score 50 in tier 4; the complement of 6 was reached at score 95 in tier 4 (2.B.1)");
  CHECK(applied(e) == Ids{"5.C.1(a): veterans is already included by the normal certification: no name added "
                          "for it (5.C.1(a))",
                          "5.C.1(b): C08 added for women, its first member in the method's order; no one "
                          "certified normally is "
                          "left out (5.C.1(b))",
                          "5.C.1(b): disability has no member available on the register to add (5.C.1(b))"});

  const json validated = {{"groups", {"women"}}, {"basis", "adverse_impact"}, {"test_validated", true}};
  const auto none = explain(one_case(cs, {{"affirmative_action", validated}}));
  REQUIRE(none.run.status == 0);
  CHECK(cite(none.explanations[0], "C08") == "2.B.1");
  CHECK(applied(none.explanations[0]) ==
        Ids{"5.C.2(f): No affirmative action certification: adverse impact is not addressed when the testing "
            "procedure has been validated (5.C.2(f))"});
}

TEST_CASE("explain 2.G: extra names, with their grounds; outside the tiers they still meet the limit") {
  json cs = outsiders(6);
  cs.push_back(person("XFER", 60, {{"agency", "DOL"}, {"transfer_request", true}}));
  cs.push_back(person("DEMOTE", 65, {{"agency", "DOT"}, {"pay_grade", 14}}));
  cs.push_back(person("SAMEGRADE", 64, {{"agency", "DOT"}, {"pay_grade", 12}}));
  const auto r = explain(one_case(cs, {{"extra_names", true}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "XFER") ==
        "certified as an extra name: score 60 in tier 4, asked to transfer from DOL (2.G)");
  CHECK(reason(e, "DEMOTE") ==
        "certified as an extra name: score 65 in tier 4, a voluntary demotion from pay grade 14 to 12 (2.G)");
  CHECK(cite(e, "SAMEGRADE") == "2.B.1");
  CHECK(applied(e) ==
        Ids{"2.G: Extra names asked for by the appointing authority: DEMOTE, XFER; they need not "
            "be contacted for interview, but if one is, all must be (2.G)"});

  json limited = json::array();
  limited.push_back(person("OWN", 80, dhhs_promo));
  limited.push_back(
      person("XFER", 60, {{"agency", "DOL"}, {"transfer_request", true}, {"concurrent_referrals", 3}}));
  limited.push_back(person("XFER2", 55, {{"agency", "DOL"}, {"transfer_request", true}}));
  const auto p = explain(one_case(limited, {{"method", "agency_promotional"}, {"extra_names", true}}));
  REQUIRE(p.run.status == 0);
  CHECK(reason(p.explanations[0], "XFER") ==
        "passed over: already on 3 certifications; the limit is 3 (2.F)");
  CHECK(reason(p.explanations[0], "XFER2") ==
        "certified as an extra name: score 55, asked to transfer from DOL (2.G)");
  CHECK(outcome(p.explanations[0], "XFER2")["tier"] == 0);
}

TEST_CASE("explain 2.C and 2.I: an incomplete certification, no selection, no interview for acting") {
  const auto r = explain(one_case(outsiders(3), {{"declined", {"C01"}}, {"appointment", "acting"}}));
  REQUIRE(r.run.status == 0);
  CHECK(applied(r.explanations[0]) ==
        Ids{"2.C: Incomplete certification: 2 interested, fewer than 3; the agency may select from these "
            "names, "
            "request another method, or hold its requisition until more names are added (2.C)",
            "2.I: No interview required: the certification is for an acting capacity assignment (2.I)",
            "2.I: No selection required: fewer than 3 persons are interested (2.I)"});
}

TEST_CASE("explain: the explanation report is a table of every person, then what applied") {
  const auto r = run_merit("eval certify --input examples/certify/removal.json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Why each person on the Eligibility Specialist register was or was not certified to "
                   "requisition R-2026-020\n") != std::string::npos);
  CHECK(r.out.find("  id  name            score tier certified reason\n") != std::string::npos);
  CHECK(r.out.find(
            "C04 Dana Pelletier  88    1    no        removed with the Director's approval: did not meet "
            "the license requirement (2.H)\n") != std::string::npos);
  CHECK(r.out.find(
            "  Exceptions and waivers that applied:\n"
            "    - Removed with the Director's approval: C04; the next names take their places (2.H)\n") !=
        std::string::npos);
}
