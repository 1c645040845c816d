// Chapter 8 sections 2 and 5, provision by provision, through the built binary as a user runs it:
// `merit certify --case FILE --format json`, asserting the exact names certified.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/certify_cases.hpp"
#include "tests/run.hpp"

namespace {

using namespace merit::testing::certify_cases;  // NOLINT(google-build-using-namespace): the cases' words
using merit::testing::run_merit;
using nlohmann::json;

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
  CHECK(r.out[0]["notes"] ==
        json::array({"select_from_these", "alternative_method", "hold_requisition", "other_registers"}));
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
  CHECK(r.out[0]["notes"] == json::array({"referral_limit_waived"}));
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

TEST_CASE(
    "5.C.1(a): no affirmative action name when the group is already certified, and no one removed (c)") {
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

TEST_CASE("certify: the table is the certification's fields, the names certified as a table under them") {
  const auto r = run_merit("certify --case examples/certify/standard.json");
  REQUIRE(r.status == 0);
  CHECK(r.out.rfind("Certification R-2026-014\n  method: standard\n  complement: 6\n  certified:\n"
                    "    id  score basis cite  interested\n    C01 94    rank  2.B.1 true\n",
                    0) == 0);
  CHECK(r.out.find("  complete: true\n") != std::string::npos);
  CHECK(r.out.find("  selection_deadline: 2026-03-23\n") != std::string::npos);
  CHECK(r.out.find("  notes: (none)\n") != std::string::npos);
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
    cases.push_back(
        {c, "register.candidates[0].id: \"C01\" is the id of more than one person on the register"});
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
  const merit::testing::Scratch scratch("merit-register");
  const std::string csv = scratch.write("register.csv",
                                        "id,name,score,agency,promotional_preference,groups\n"
                                        "A1,\"Dunn, Avery\",91.5,DHHS,true,women;veterans\n"
                                        "A2,Blake,95,,,\n"
                                        "A3,Casey,88,DOL,yes,\n");
  json c = {{"register", {{"class", "Clerk"}, {"pay_grade", 8}}}, {"requisition", requisition()}};
  const auto r = run_merit("certify --format json --case " + write_case(c) + " --register " + csv);
  REQUIRE(r.status == 0);
  const json out = json::parse(r.out);
  CHECK(ids(out[0]) == Ids{"A1", "A3", "A2"});

  scratch.write("register.csv", "id,score\nA1,ninety\n");
  const auto bad = run_merit("certify --case " + write_case(c) + " --register " + csv);
  CHECK(bad.status == 1);
  CHECK(bad.err.find("line 2, column score: expected a number, found \"ninety\"") != std::string::npos);
  // Not a number of the rules either, and blamed on the CSV's line rather than on the case.
  for (const std::string cell : {"nan", "inf", "-Infinity"}) {
    scratch.write("register.csv", "id,score\nA1,90\nA2," + cell + "\n");
    const auto odd = run_merit("certify --case " + write_case(c) + " --register " + csv);
    CHECK(odd.status == 1);
    CHECK(odd.err.find("line 3, column score: expected a number, found \"" + cell + "\"") !=
          std::string::npos);
  }
}

TEST_CASE("certify: a CSV register's texts arrive as written, quotes, backslashes and accents included") {
  const merit::testing::Scratch scratch("merit-register");
  const std::string csv = scratch.write("register.csv",
                                        "id,score,qualifications\n"
                                        "\"R\xc3\xa9\"\"1\",91,\"a \"\"b\"\";c\\d\"\n"
                                        "B\\2,95,\n"
                                        "C3,1e1,\n");
  // The case's own texts may hold anything, the words merit uses inside to join the two included.
  json c = {{"register", {{"class", "merit-csv-rows"}, {"pay_grade", 8}}}, {"requisition", requisition()}};
  const auto r = run_merit("certify --format json --case " + write_case(c) + " --register " + csv);
  REQUIRE(r.status == 0);
  const json out = json::parse(r.out);
  CHECK(ids(out[0]) == Ids{"B\\2", "R\xc3\xa9\"1", "C3"});
  CHECK(out[0]["certified"][2]["score"] == 10);
}
