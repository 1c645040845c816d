// `merit test` as policy staff use it: rule tests written beside the rules (`*.test.json`), each failure
// reported with its section and the expected and actual values, and a last line `N passed, N failed`.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

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

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
  CHECK(last_line(parent.out) == "12 passed, 7 failed\n");
  // A test file named directly runs against the rules beside it too.
  const auto direct = run_merit("test tests/cases/rule-tests/own-rules/steps.test.json");
  CHECK(direct.status == 0);
  CHECK(last_line(direct.out) == "2 passed, 0 failed\n");
}

TEST_CASE("rule tests: a test file inside a copy of the rules runs against that copy") {
  // A rule of five in a copy of rules/: its tests of the rule of six fail, whether the copy, one of its
  // chapters or one test file is named, and the shipped rules are not what is tested.
  const Scratch s("merit-copy");
  const fs::path copy = s.dir / "rules";
  fs::copy(fs::path(merit::testing::source_dir()) / "rules", copy, fs::copy_options::recursive);
  const fs::path file = copy / "chapter8" / "2-use-of-class-registers.merit";
  std::string text = read_text(file);
  const std::string six = "parameter complement_size: integer § 2.B.1 = 6";
  REQUIRE(text.find(six) != std::string::npos);
  text.replace(text.find(six), six.size(), "parameter complement_size: integer § 2.B.1 = 5");
  std::ofstream(file, std::ios::binary) << text;
  for (const std::string& path : {copy.string(), (copy / "chapter8").string(),
                                  (copy / "chapter8" / "2-use-of-class-registers.test.json").string()}) {
    CAPTURE(path);
    const auto r = run_merit("test '" + path + "'");
    CHECK(r.status == 1);
    CHECK(r.err.empty());
    CHECK(r.out.find("  complement: expected 6\n") != std::string::npos);
  }
  // The shipped rules' own chapter finds the whole shipped rules.
  CHECK(run_merit("test rules/chapter8").status == 0);
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

TEST_CASE("rule tests: --section runs the tests of a section and of the sections below it") {
  const std::string failing = " tests/cases/rule-tests/failing";
  // 2.B takes 2.B.1 (passes) and 2.B.2 (the tie, fails); 2.D its three tests; 2 everything but 3.A.3.
  const auto b = run_merit("test --section 2.B" + failing);
  CHECK(b.status == 1);
  CHECK(b.out.find("(§ 2.B.2)") != std::string::npos);
  CHECK(last_line(b.out) == "1 passed, 1 failed\n");
  CHECK(last_line(run_merit("test --section 2.D" + failing).out) == "0 passed, 3 failed\n");
  CHECK(last_line(run_merit("test --section 2" + failing).out) == "1 passed, 6 failed\n");
  const auto acting = run_merit("test --section 3.A" + failing);
  CHECK(acting.out.find("(§ 3.A.3)") != std::string::npos);
  CHECK(last_line(acting.out) == "0 passed, 1 failed\n");
  // A prefix is a whole part of a section: 2.B.2 is not a section below 2.B.20, nor 2.I below 2.
  CHECK(last_line(run_merit("test --section 2.B.1" + failing).out) == "1 passed, 0 failed\n");
  const auto none = run_merit("test --section 2.B.20" + failing);
  CHECK(none.status == 1);
  CHECK(none.out.empty());
  CHECK(none.err == "merit: no rule test of section 2.B.20 in tests/cases/rule-tests/failing\n");
}

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t from = 0;
  for (std::size_t at; (at = text.find('\n', from)) != std::string::npos; from = at + 1)
    lines.push_back(text.substr(from, at - from));
  if (from < text.size()) lines.push_back(text.substr(from));
  return lines;
}

/// The lines of `after` that differ from `before`'s, by line number (1-based); the two have as many lines.
std::map<std::size_t, std::string> changed_lines(const std::string& before, const std::string& after) {
  const auto a = lines_of(before);
  const auto b = lines_of(after);
  REQUIRE(a.size() == b.size());
  std::map<std::size_t, std::string> changed;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) changed[i + 1] = b[i];
  }
  return changed;
}

}  // namespace

TEST_CASE("rule tests: --update rewrites the failed expectations to the outcomes and nothing else") {
  const Scratch s("merit-update");
  const fs::path from = fs::path(merit::testing::source_dir()) / "tests/cases/rule-tests/failing";
  for (const char* name : {"mistakes.test.json", "tie.test.json"}) fs::copy_file(from / name, s.dir / name);
  const std::string mistakes_before = read_text(s.dir / "mistakes.test.json");
  const std::string tie_before = read_text(s.dir / "tie.test.json");
  const std::string dir = s.dir.string();

  const auto r = run_merit("test --update '" + dir + "'");
  INFO(r.out << r.err);
  // Each failure is printed first, as without --update; three cannot be updated, so the command fails.
  CHECK(r.status == 1);
  CHECK(r.out.find("FAIL " + dir + "/mistakes.test.json: \"Wrong twice") != std::string::npos);
  const std::string tail = r.out.substr(r.out.find("1 passed, 7 failed\n"));
  CHECK(tail ==
        "1 passed, 7 failed\n"
        "not updated " +
            dir +
            "/mistakes.test.json: \"Expects a refusal of a valid case.\": the "
            "answer has nothing for error (none: the case was answered)\n"
            "not updated " +
            dir +
            "/mistakes.test.json: \"Expects an answer for a case the rules "
            "refuse.\": the rules refused the case: tests[3].requisition.vacancies: expected at least 1 "
            "vacancy, found 0 (§ 2.D)\n"
            "not updated " +
            dir +
            "/mistakes.test.json: \"A requisition the case does not have.\": the "
            "answer has nothing for R-9 (no certification for this requisition)\n"
            "updated " +
            dir +
            "/mistakes.test.json: 3 tests\n"
            "updated " +
            dir +
            "/tie.test.json: 1 test\n"
            "4 updated, 3 not\n");

  // Only the values that failed changed, in place: the layout, the keys' order and every other test are
  // as they were written.
  CHECK(changed_lines(mistakes_before, read_text(s.dir / "mistakes.test.json")) ==
        std::map<std::size_t, std::string>{
            {30, R"(      "expect": {"complement": 6, "selection_deadline": "2026-03-23"})"},
            {49, R"(      "expect": {"max_end": "2027-08-25"})"},
            {55, R"(      "expect": {"error": "tests[5].requisition.vacancies: expected at least 1 vacancy, )"
                 R"x(found 0 (§ 2.D)"})x"}});
  CHECK(changed_lines(tie_before, read_text(s.dir / "tie.test.json")) ==
        std::map<std::size_t, std::string>{
            {15, R"(  "expect": {"certified": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]})"}});

  // The updated tests pass now; the three left fail as before, and another --update changes nothing.
  const std::string mistakes_after = read_text(s.dir / "mistakes.test.json");
  const auto again = run_merit("test --update '" + dir + "'");
  CHECK(again.status == 1);
  CHECK(again.out.find("5 passed, 3 failed\n") != std::string::npos);
  CHECK(last_line(again.out) == "0 updated, 3 not\n");
  CHECK(read_text(s.dir / "mistakes.test.json") == mistakes_after);
  CHECK(!fs::exists(s.dir / "mistakes.test.json.merit-update"));

  // With every failure updatable the command succeeds; the JSON report on stdout stays JSON.
  fs::copy_file(from / "tie.test.json", s.dir / "tie.test.json", fs::copy_options::overwrite_existing);
  const auto json = run_merit("test --update --format json '" + dir + "/tie.test.json'");
  CHECK(json.status == 0);
  CHECK(ordered_json::parse(json.out)["failed"] == 1);
  CHECK(json.err == "updated " + dir + "/tie.test.json: 1 test\n1 updated, 0 not\n");
  CHECK(run_merit("test '" + dir + "/tie.test.json'").out == "1 passed, 0 failed\n");

  // A list written one item per line stays so, indented as it was.
  std::string laid_out = read_text(from / "tie.test.json");
  const std::string one_line = R"("expect": {"certified": ["A1", "A2", "A3", "A4", "A5", "A6"]})";
  REQUIRE(laid_out.find(one_line) != std::string::npos);
  laid_out.replace(
      laid_out.find(one_line), one_line.size(),
      "\"expect\": {\n    \"certified\": [\n      \"A1\", \"A2\", \"A3\",\n      \"A4\", \"A5\", "
      "\"A6\"\n    ]\n  }");
  const std::string file = s.write("laid-out.test.json", laid_out);
  CHECK(run_merit("test --update '" + file + "'").status == 0);
  const std::string after = read_text(file);
  CHECK(after.substr(after.find("\"expect\"")) ==
        "\"expect\": {\n    \"certified\": [\n      \"A1\",\n      \"A2\",\n      \"A3\",\n      \"A4\",\n"
        "      \"A5\",\n      \"A6\",\n      \"A7\"\n    ]\n  }\n}\n");
}

TEST_CASE("rule tests: a test file may name amendment files and set parameters for its cases") {
  // proposal/ runs under the rule of three its file names, and one test sets a complement of four.
  const auto r = run_merit("test tests/cases/rule-tests/proposal");
  CHECK(r.status == 0);
  CHECK(r.out == "2 passed, 0 failed\n");
  // Without them, the same cases give the rule of six.
  const Scratch s("merit-proposal");
  std::string text = read_text(fs::path(merit::testing::source_dir()) /
                               "tests/cases/rule-tests/proposal/rule-of-three.test.json");
  const std::string amend = R"("amend": "../../../../examples/what-if/rule-of-three.merit",)";
  REQUIRE(text.find(amend) != std::string::npos);
  const auto without = run_merit(
      "test '" + s.write("plain.test.json", text.replace(text.find(amend), amend.size(), "")) + "'");
  CHECK(without.out.find("  complement: expected 3\n              actual   6\n") != std::string::npos);
  CHECK(last_line(without.out) == "1 passed, 1 failed\n");

  // Mistakes in them are the test's, with its path.
  const auto invalid = [&](const std::string& test) {
    const std::string file = s.write(
        "bad.test.json", R"({"test": "t", "section": "2.B.1", "register": {"class": "C", "candidates": []},
          "requisition": {"id": "R", "agency": "DOL", "received": "2026-03-02", "location": "Augusta"},
          "expect": {"complete": false}, )" +
                             test + "}");
    const auto out = run_merit("test '" + file + "'");
    CHECK(out.status == 1);
    return out.out + out.err;
  };
  CHECK(invalid(R"("set": {"complment_size": 3})")
            .find("invalid test: set.complment_size: the rules have no parameter complment_size; did you "
                  "mean 'complement_size'?") != std::string::npos);
  CHECK(invalid(R"("set": {"complement_size": "three"})")
            .find("set.complement_size: expected a whole number, found \"three\"") != std::string::npos);
  CHECK(invalid(R"("set": 3)").find("set: expected parameter values by name") != std::string::npos);
  CHECK(invalid(R"("amend": 3)").find("amend: expected an amendment file, or a list of them") !=
        std::string::npos);
  CHECK(invalid(R"("amend": "nowhere.merit")").find("nowhere.merit: error: no such file or folder") !=
        std::string::npos);
}

TEST_CASE("rule tests: --coverage names the rules, exceptions and filters no test exercised") {
  // coverage/ has one test: every item small, nothing urgent. The filter leaves nothing out and the
  // exception never applies, whatever the sections the test names.
  const std::string dir = " tests/cases/rule-tests/coverage";
  const auto r = run_merit("test --coverage" + dir);
  CHECK(r.status == 0);
  CHECK(r.out ==
        "1 passed, 0 failed\n"
        "coverage: 50.0% (2 of 4: rules 2/2, exceptions 0/1, filters 0/1)\n"
        "not exercised by any test:\n"
        "  tests/cases/rule-tests/coverage/pick.merit:13: the `where` of small § 1.A (decision pick)\n"
        "  tests/cases/rule-tests/coverage/pick.merit:17: exception § 1.C to count (decision pick)\n");
  // Below a minimum the command fails, as a failed test does; at it, it passes.
  const auto under = run_merit("test --coverage --coverage-min 60" + dir);
  CHECK(under.status == 1);
  CHECK(under.err == "merit: coverage 50.0% is below the minimum of 60%\n");
  CHECK(run_merit("test --coverage --coverage-min 50" + dir).status == 0);
  const auto json = run_merit("test --coverage --format json" + dir);
  CHECK(ordered_json::parse(json.out)["coverage"] == ordered_json::parse(R"x({"percent": 50.0,
    "rules": {"exercised": 2, "of": 2}, "exceptions": {"exercised": 0, "of": 1},
    "filters": {"exercised": 0, "of": 1}, "not_exercised": [
      {"place": "tests/cases/rule-tests/coverage/pick.merit:13", "what": "the `where` of small § 1.A (decision pick)"
},
      {"place": "tests/cases/rule-tests/coverage/pick.merit:17", "what": "exception § 1.C to count (decision pick)"}]
})x"));
  // A second test, urgent and with a large item, exercises both.
  Scratch s("merit-coverage");
  fs::copy(fs::path(merit::testing::source_dir()) / "tests/cases/rule-tests/coverage", s.dir / "coverage");
  s.write("coverage/urgent.test.json",
          R"({"test": "Urgent: none counted.", "section": "1.C", "decision": "pick",
    "input": {"items": [{"id": "a", "size": 9}], "urgent": true}, "expect": {"count": 0}})");
  const auto full = run_merit("test --coverage --coverage-min 100 '" + (s.dir / "coverage").string() + "'");
  CHECK(full.status == 0);
  CHECK(full.out ==
        "2 passed, 0 failed\ncoverage: 100.0% (4 of 4: rules 2/2, exceptions 1/1, filters 1/1)\n");
}

TEST_CASE("rule tests: the shipped rules' tests exercise every rule, exception and filter") {
  const auto r = run_merit("test --coverage --coverage-min 100 rules");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(std::regex_search(r.out,
                          std::regex("\ncoverage: 100\\.0% \\([0-9]+ of [0-9]+: rules [0-9]+/[0-9]+, ")));
}
