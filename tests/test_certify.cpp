// `merit certify` through the built binary as a user runs it: `--set` on the command line, the table, invalid
// case files refused with the file and the JSON path, and registers from CSV. Whom the rules certify under
// each provision of Chapter 8 sections 2 and 5 is in the policy tests beside the rules (`*.test.json`).
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
                    "    id  score basis cite  interested tier\n    C01 94    rank  2.B.1 true       1\n",
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

TEST_CASE(
    "certify: a CSV register separated by semicolons, found from its header or given with --delimiter") {
  const merit::testing::Scratch scratch("merit-register");
  const std::string csv = scratch.write("register.csv",
                                        "id;name;score;agency;promotional_preference;groups\n"
                                        "A1;Dunn, Avery;91.5;DHHS;true;\"women;veterans\"\n"
                                        "A2;Blake;95;;;\n"
                                        "A3;Casey;88;DOL;yes;\n");
  json c = {{"register", {{"class", "Clerk"}, {"pay_grade", 8}}}, {"requisition", requisition()}};
  const std::string case_file = write_case(c);
  for (const std::string flag : {"", " --delimiter ';'"}) {
    CAPTURE(flag);
    const auto r = run_merit("certify --format json --case " + case_file + " --register " + csv + flag);
    REQUIRE(r.status == 0);
    CHECK(ids(json::parse(r.out)[0]) == Ids{"A1", "A3", "A2"});
  }
  const auto comma = run_merit("certify --case " + case_file + " --register " + csv + " --delimiter ,");
  CHECK(comma.status == 1);
  CHECK(comma.err.find(
            "line 1: column \"id;name;score;agency;promotional_preference;groups\" is not a field") !=
        std::string::npos);
  const auto wrong = run_merit("certify --case " + case_file + " --register " + csv + " --delimiter '|'");
  CHECK(wrong.status == 2);
  CHECK(wrong.err.rfind("merit: --delimiter takes , or ; or tab, not '|'\n", 0) == 0);
  const auto alone = run_merit("certify --case " + case_file + " --delimiter ';'");
  CHECK(alone.status == 2);
  CHECK(alone.err.rfind("merit: --delimiter is for the CSV of --register FILE\n", 0) == 0);
}

TEST_CASE("certify: a problem with a CSV register's person is blamed on the CSV's line and column") {
  const merit::testing::Scratch scratch("merit-register");
  const std::string csv = scratch.write("register.csv", "id,score\nA1,90\nA2,91\nA1,92\n");
  json c = {{"register", {{"class", "Clerk"}, {"pay_grade", 8}}}, {"requisition", requisition()}};
  const auto twice = run_merit("certify --case " + write_case(c) + " --register " + csv);
  CHECK(twice.status == 1);
  CHECK(twice.err.find(csv + ": error: line 2, column id: \"A1\" is the id of more than one person") == 0);
  // A folder or a missing file is refused with its name, never with a library's message.
  for (const std::string& path : {scratch.dir.string(), (scratch.dir / "none.csv").string()}) {
    const auto odd = run_merit("certify --case " + write_case(c) + " --register " + path);
    CHECK(odd.status == 1);
    CHECK(odd.err.find(path + ": error: ") == 0);
    CHECK(odd.err.find("std::") == std::string::npos);
  }
  // The candidates come from one place.
  c["register"]["candidates"] = json::array();
  const auto both = run_merit("certify --case " + write_case(c) + " --register " + csv);
  CHECK(both.status == 1);
  CHECK(both.err.find("register.candidates: the case file gives the register's candidates, and --register " +
                      csv + " gives them too") != std::string::npos);
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
