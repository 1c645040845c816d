// `merit test` as policy staff use it: rule tests written beside the rules (`*.test.json`), each failure
// reported with its section and the expected and actual values, and a last line `N passed, N failed`.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::run_merit;
using merit::testing::Scratch;
using nlohmann::ordered_json;

namespace {

std::string last_line(const std::string& out) {
  const auto end = out.size() > 0 && out.back() == '\n' ? out.size() - 1 : out.size();
  const auto start = out.rfind('\n', end == 0 ? 0 : end - 1);
  return out.substr(start == std::string::npos ? 0 : start + 1);
}

const char* const acting_input =
    R"({"start": "2026-08-26", "end": "2027-02-28", "source": "open_competitive"})";

}  // namespace

TEST_CASE("rule tests: the shipped rules pass the tests written beside them") {
  const auto r = run_merit("test rules");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(std::regex_match(r.out, std::regex("[1-9][0-9]* passed, 0 failed\n")));
  // With no PATH, the shipped rules are where the tests are.
  CHECK(run_merit("test").out == r.out);
}

TEST_CASE("rule tests: tests that pass say only how many") {
  const auto r = run_merit("test tests/cases/rule-tests/passing");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "6 passed, 0 failed\n");
  const auto json = run_merit("test tests/cases/rule-tests/passing --format json");
  CHECK(json.status == 0);
  CHECK(ordered_json::parse(json.out) ==
        ordered_json::parse(R"({"passed": 6, "failed": 0, "failures": []})"));
}

TEST_CASE("rule tests: each failure with its section, the expected and the actual values") {
  const auto r = run_merit("test tests/cases/rule-tests/failing");
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  const std::string mistakes = "FAIL tests/cases/rule-tests/failing/mistakes.test.json: ";
  CHECK(r.out ==
        mistakes +
            "\"Wrong twice: the complement and the deadline.\" (§ 2.I)\n"
            "  complement: expected 5\n"
            "              actual   6\n"
            "  selection_deadline: expected \"2026-03-24\"\n"
            "                      actual   \"2026-03-23\"\n" +
            mistakes +
            "\"Expects a refusal of a valid case.\" (§ 2.D)\n"
            "  error: expected \"expected at least 1 vacancy\"\n"
            "         actual   (none: the case was answered)\n" +
            mistakes +
            "\"Expects an answer for a case the rules refuse.\" (§ 2.D)\n"
            "  refused: tests[3].requisition.vacancies: expected at least 1 vacancy, found 0 (§ 2.D)\n" +
            mistakes +
            "\"The wrong last day of an acting appointment.\" (§ 3.A.3)\n"
            "  max_end: expected \"2027-08-26\"\n"
            "           actual   \"2027-08-25\"\n" +
            mistakes +
            "\"The wrong words of a refusal.\" (§ 2.D)\n"
            "  error: expected \"no vacancy at all\"\n"
            "         actual   \"tests[5].requisition.vacancies: expected at least 1 vacancy, found 0 (§ "
            "2.D)\"\n" +
            mistakes +
            "\"A requisition the case does not have.\" (§ 2.E)\n"
            "  R-9: expected {\"complete\": true}\n"
            "       actual   (no certification for this requisition)\n"
            // A tie at the sixth score (75) brings in A7: the test forgot it.
            "FAIL tests/cases/rule-tests/failing/tie.test.json: \"A tie at the sixth score brings in "
            "everyone tied with it.\" (§ 2.B.2)\n"
            "  certified: expected [\"A1\", \"A2\", \"A3\", \"A4\", \"A5\", \"A6\"]\n"
            "             actual   [\"A1\", \"A2\", \"A3\", \"A4\", \"A5\", \"A6\", \"A7\"]\n"
            "1 passed, 7 failed\n");

  const auto json = run_merit("test tests/cases/rule-tests/failing/tie.test.json --format json");
  CHECK(json.status == 1);
  CHECK(ordered_json::parse(json.out) == ordered_json::parse(R"({"passed": 0, "failed": 1, "failures": [
    {"file": "tests/cases/rule-tests/failing/tie.test.json",
     "test": "A tie at the sixth score brings in everyone tied with it.", "section": "2.B.2",
     "mismatches": [{"path": "certified", "expected": ["A1", "A2", "A3", "A4", "A5", "A6"],
                     "actual": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]}]}]})"));
}

TEST_CASE("rule tests: expectations match what they state, and only that") {
  Scratch s;
  const auto run = [&](const std::string& expect) {
    const auto file =
        s.write("t.test.json", std::string(R"({"test": "t", "section": "3", "decision": "acting_capacity",
      "input": )") + acting_input + R"(, "expect": )" +
                                   expect + "}");
    return run_merit("test '" + file + "'");
  };
  // Numbers by value; text exactly; several outputs at once; a list must have every item.
  CHECK(run(R"({"within_limit": true, "max_end": "2027-08-25"})").out == "1 passed, 0 failed\n");
  CHECK(run(R"({"within_limit": false})").status == 1);
  CHECK(run(R"({"max_end": "2027-08-25 "})").status == 1);
  CHECK(run(R"({"benefits_start": null})").out.find("  benefits_start: expected null\n") !=
        std::string::npos);
  // A decision output the decision does not have is a mistake in the test, not a pass.
  const auto typo = run(R"({"maxend": "2027-08-25"})");
  CHECK(typo.status == 1);
  CHECK(typo.out.find("  invalid test: expect.maxend: acting_capacity has no output maxend; its outputs are: "
                      "route, max_end, within_limit, benefits_start, pay\n") != std::string::npos);
  CHECK(last_line(typo.out) == "0 passed, 1 failed\n");
}

TEST_CASE("rule tests: a misspelt key is an error with the file and the JSON path") {
  Scratch s;
  const auto file =
      s.write("typo.test.json", std::string(R"({"about": "typos", "tests": [
    {"test": "fine", "section": "3", "decision": "acting_capacity", "input": )") +
                                    acting_input +
                                    R"(, "expect": {"max_end": "2027-08-25"}},
    {"test": "typo", "section": "3", "decision": "acting_capacity", "input": )" +
                                    acting_input + R"(, "expcet": {"max_end": "2027-08-25"}}]})");
  const auto r = run_merit("test '" + file + "'");
  CHECK(r.status == 1);
  CHECK(r.err == file + ": error: tests[1].expcet: unknown key of a test; did you mean \"expect\"?\n" + file +
                     ": error: tests[1].expect: missing: the outcome the test expects, like {\"complete\": "
                     "true}\n");
  CHECK(r.out == "1 passed, 1 failed\n");

  const auto no_section =
      s.write("no-section.test.json", std::string(R"({"test": "t", "decision": "acting_capacity",
    "input": )") + acting_input + R"(, "expect": {"max_end": "2027-08-25"}})");
  const auto t = run_merit("test '" + no_section + "'");
  CHECK(t.status == 1);
  CHECK(t.err == no_section + ": error: section: missing: the section the test is about, like \"2.B.2\"\n");
  CHECK(t.out == "0 passed, 1 failed\n");

  const auto file_key = s.write("file-key.test.json", R"({"abuot": "x", "tests": []})");
  const auto f = run_merit("test '" + file_key + "'");
  CHECK(f.status == 1);
  CHECK(f.err == file_key + ": error: abuot: unknown key of a test file; did you mean \"about\"?\n");
  CHECK(f.out == "0 passed, 1 failed\n");

  const auto broken = s.write("broken.test.json", "{\"tests\": [");
  const auto b = run_merit("test '" + broken + "'");
  CHECK(b.status == 1);
  CHECK(b.err.rfind(broken + ": error: this is not valid JSON", 0) == 0);
  CHECK(b.out == "0 passed, 1 failed\n");

  // A certify test says which requisitions it certifies.
  const auto certify =
      s.write("certify.test.json", R"({"test": "t", "section": "2", "register": {"class": "c",
    "pay_grade": 1, "candidates": []}, "expect": {"complete": false}})");
  const auto c = run_merit("test '" + certify + "'");
  CHECK(c.status == 1);
  CHECK(c.err.find("requisition: missing: a certify test gives \"requisition\" or \"requisitions\"") !=
        std::string::npos);
}

TEST_CASE("rule tests: a folder holding rule files is the rule set of its tests") {
  const auto own = run_merit("test tests/cases/rule-tests/own-rules");
  CHECK(own.status == 0);
  CHECK(own.out == "2 passed, 0 failed\n");
  // Against the shipped rules, the decision they test does not exist.
  const auto shipped = run_merit("test --rules rules tests/cases/rule-tests/own-rules");
  CHECK(shipped.status == 1);
  CHECK(shipped.out.find(
            "  invalid test: tests[0].decision: the rules have no decision pay_step; they answer: ") !=
        std::string::npos);
  CHECK(last_line(shipped.out) == "0 passed, 2 failed\n");
  // Under a parent folder, the tests in own-rules/ still run against the rules beside them, and the others
  // against the shipped rules.
  const auto parent = run_merit("test tests/cases/rule-tests");
  CHECK(parent.status == 1);
  CHECK(parent.out.find("own-rules") == std::string::npos);
  CHECK(last_line(parent.out) == "9 passed, 7 failed\n");
  // A test file named directly runs against the shipped rules.
  const auto direct = run_merit("test tests/cases/rule-tests/own-rules/steps.test.json");
  CHECK(direct.status == 1);
  CHECK(last_line(direct.out) == "0 passed, 2 failed\n");
}

TEST_CASE("rule tests: nothing to run is an error") {
  Scratch s;
  const auto r = run_merit("test '" + s.dir.string() + "'");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "merit: no rule tests (*.test.json) in " + s.dir.string() + "\n");
  const auto missing = run_merit("test nowhere");
  CHECK(missing.status == 1);
  CHECK(missing.err == "nowhere: error: no such file or folder\n");
}
