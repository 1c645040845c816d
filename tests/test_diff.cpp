// `merit diff` as an analyst uses it: the cases of examples/ run under the shipped rules and under a
// proposed change (a rule of three, set with --set or written into a copy of rules/), and what changed.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::Scratch;
using merit::testing::source_dir;
using nlohmann::ordered_json;

namespace {

/// How many case files merit diff finds under a folder of the source tree: *.json, not *.test.json.
std::size_t case_files_under(const std::string& folder) {
  std::size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(source_dir()) / folder)) {
    const std::string name = entry.path().filename().string();
    const bool test = name.size() > 10 && name.compare(name.size() - 10, 10, ".test.json") == 0;
    if (entry.is_regular_file() && entry.path().extension() == ".json" && !test) ++n;
  }
  return n;
}

std::vector<std::string> ids(const ordered_json& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(n["id"].get<std::string>());
  return out;
}

const ordered_json* change_for(const ordered_json& diff, const std::string& path) {
  for (const auto& c : diff["changes"]) {
    if (c["case"] == path) return &c;
  }
  return nullptr;
}

/// A copy of the shipped rules with the rule of six made a rule of three, as an analyst would edit it.
std::string rule_of_three_copy(const Scratch& s) {
  const fs::path copy = s.dir / "rules";
  fs::copy(fs::path(source_dir()) / "rules", copy, fs::copy_options::recursive);
  const fs::path file = copy / "chapter8" / "2-use-of-class-registers.merit";
  std::string text = read_text(file.string());
  const std::string line = "parameter complement_size: integer § 2.B.1 = 6\n";
  const auto at = text.find(line);
  REQUIRE(at != std::string::npos);
  text.replace(at, line.size(), "parameter complement_size: integer § 2.B.1 = 3\n");
  std::ofstream(file, std::ios::binary) << text;
  return copy.string();
}

}  // namespace

TEST_CASE("diff: the shipped rules against themselves change nothing") {
  const std::size_t cases = case_files_under("examples/certify") + case_files_under("examples/decisions");
  REQUIRE(cases >= 20);
  const std::string expected = std::to_string(cases) + " cases, 0 changed\n";
  const auto same = run_merit("diff --proposed rules examples/certify examples/decisions");
  CHECK(same.status == 0);
  CHECK(same.err.empty());
  CHECK(same.out == expected);
  // Setting a parameter to the value it has is no change either.
  const auto six = run_merit("diff --set complement_size=6 examples/certify examples/decisions");
  CHECK(six.status == 0);
  CHECK(six.out == expected);
  const auto json = run_merit("diff --proposed rules examples/certify examples/decisions --format json");
  CHECK(json.status == 0);
  CHECK(ordered_json::parse(json.out) ==
        ordered_json::parse(R"({"cases": )" + std::to_string(cases) + R"(, "changed": 0, "changes": []})"));
}

TEST_CASE("diff: a rule of three changes the certifications the examples lead one to expect") {
  const auto r = run_merit("diff --set complement_size=3 examples/certify examples/decisions --format json");
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const auto diff = ordered_json::parse(r.out);
  const std::size_t certify_cases = case_files_under("examples/certify");
  CHECK(diff["cases"] == certify_cases + case_files_under("examples/decisions"));
  // Every certification states its complement, which goes from 6 to 3; no decision reads the complement.
  CHECK(diff["changed"] == certify_cases);
  for (const auto& c : diff["changes"]) {
    CAPTURE(c["case"]);
    CHECK(c["kind"] == "certify");
    for (const auto& q : c["requisitions"]) {
      CHECK(q["changed"]["complement"]["proposed"].get<int>() ==
            q["changed"]["complement"]["base"].get<int>() - 3);
      CHECK(q["added"].empty());  // a smaller complement never brings anyone in
    }
  }

  // standard.json: tier 1 is C01 (94) and C04 (88), tier 2 starts with C02 (91): the third place goes to
  // C02, no one ties with 91, so C07, C08 (tier 2, 85) and C05 (tier 3) are dropped.
  const auto* standard = change_for(diff, "examples/certify/standard.json");
  REQUIRE(standard != nullptr);
  REQUIRE(standard->at("requisitions").size() == 1);
  const auto& q = standard->at("requisitions")[0];
  CHECK(q["requisition"] == "R-2026-014");
  CHECK(ids(q["dropped"]) == std::vector<std::string>{"C07", "C08", "C05"});
  CHECK(
      q["dropped"][2] ==
      ordered_json::parse(
          R"({"id": "C05", "score": 90, "basis": "rank", "cite": "2.B.1", "interested": true, "tier": 3})"));
  CHECK(q["changed_names"].empty());
  CHECK(q["changed"] == ordered_json::parse(R"({"complement": {"base": 6, "proposed": 3},
                                                 "interested": {"base": 6, "proposed": 3}})"));

  // agency-promotional.json certifies 2 names and incomplete.json none: fewer than 3, so only the
  // complement they fall short of changes.
  for (const char* file : {"examples/certify/agency-promotional.json", "examples/certify/incomplete.json"}) {
    CAPTURE(file);
    const auto* c = change_for(diff, file);
    REQUIRE(c != nullptr);
    CHECK(c->at("requisitions")[0]["dropped"].empty());
    CHECK(c->at("requisitions")[0]["changed"].size() == 1);
  }
  // replacements.json: C01, C04, C02 and C07 declined. Under a rule of three the three by rank all
  // declined, so C07, C08 and C05 come in as replacements: the same names, on another basis.
  const auto* replacements = change_for(diff, "examples/certify/replacements.json");
  REQUIRE(replacements != nullptr);
  const auto& rq = replacements->at("requisitions")[0];
  CHECK(rq["dropped"].empty());
  CHECK(rq["changed_names"] == ordered_json::parse(R"([
    {"id": "C07", "changed": {"basis": {"base": "rank", "proposed": "replacement"}}},
    {"id": "C08", "changed": {"basis": {"base": "rank", "proposed": "replacement"}}},
    {"id": "C05", "changed": {"basis": {"base": "rank", "proposed": "replacement"}}}])"));
  // batch.json: each of its three requisitions is certified again with three names.
  const auto* batch = change_for(diff, "examples/certify/batch.json");
  REQUIRE(batch != nullptr);
  CHECK(batch->at("requisitions").size() == 3);
  // Every other example certified more than three by rank, and drops names.
  std::set<std::string> dropping;
  for (const auto& c : diff["changes"]) {
    for (const auto& rq2 : c["requisitions"]) {
      if (!rq2["dropped"].empty())
        dropping.insert(c["case"].get<std::string>() + " " + rq2["requisition"].get<std::string>());
    }
  }
  CHECK(dropping == std::set<std::string>{
                        "examples/certify/acting.json R-2026-020",
                        "examples/certify/affirmative-action.json R-2026-020",
                        "examples/certify/batch.json R-2026-030",
                        "examples/certify/batch.json R-2026-031",
                        "examples/certify/batch.json R-2026-032",
                        "examples/certify/extra-names.json R-2026-020",
                        "examples/certify/multiple-vacancies.json R-2026-020",
                        "examples/certify/open-competitive.json R-2026-020",
                        "examples/certify/removal.json R-2026-020",
                        "examples/certify/selective.json R-2026-020",
                        "examples/certify/standard.json R-2026-014",
                        "examples/certify/statewide-promotional.json R-2026-020",
                    });
}

TEST_CASE("diff: --set and an edited copy of the rules give identical diffs") {
  Scratch s;
  const std::string copy = rule_of_three_copy(s);
  for (const char* format : {"table", "json"}) {
    CAPTURE(format);
    const std::string cases =
        std::string(" examples/certify examples/decisions examples/what-if/cases --format ") + format;
    const auto set = run_merit("diff --set complement_size=3" + cases);
    const auto edited = run_merit("diff --proposed '" + copy + "'" + cases);
    CHECK(set.status == 0);
    CHECK(edited.status == 0);
    CHECK(edited.err.empty());
    CHECK(set.out.find(", 0 changed") == std::string::npos);
    CHECK(set.out.find("\"changed\": 0") == std::string::npos);
    CHECK(set.out.find("C05") != std::string::npos);
    CHECK(edited.out == set.out);
    // The shipped proposal examples/what-if/rule-of-three.merit is the same amendment.
    const auto shipped = run_merit("diff --proposed examples/what-if/rule-of-three.merit" + cases);
    CHECK(shipped.status == 0);
    CHECK(shipped.out == set.out);
  }
  // The edited copy as the base and the shipped rules as the proposal: the same changes, the other way.
  const auto back = run_merit("diff --base '" + copy + "' --proposed rules examples/certify/standard.json");
  CHECK(back.status == 0);
  CHECK(back.out ==
        "1 case, 1 changed\n"
        "examples/certify/standard.json\n"
        "  R-2026-014\n"
        "    added C07 (score 85, basis rank, cite 2.B.1, interested true, tier 2)\n"
        "    added C08 (score 85, basis rank, cite 2.B.1, interested true, tier 2)\n"
        "    added C05 (score 90, basis rank, cite 2.B.1, interested true, tier 3)\n"
        "    complement: 3 -> 6\n"
        "    interested: 3 -> 6\n"
        "certifications: 1 of 1 changed; names added 3, dropped 0 (standard +3 -0)\n"
        "  by tier of the method's order: 2 +2 -0, 3 +1 -0\n");
}

TEST_CASE("diff: a folder mixing certify and decision cases, as a table") {
  // mixed/ holds a tie case, an acting assignment, and in more/ an appointment route; its rule test
  // (ignored.test.json) is not a case. Under a rule of three the tie case keeps A1-A3. With four months
  // as the limit of an open appointment, the acting assignment of 3.5 months becomes one (3.A.1), for
  // which a state employee needs no requisition (1.A.2); its benefits start after three months still.
  const auto r =
      run_merit("diff --set complement_size=3 --set open_appointment_max='4 months' tests/cases/diff/mixed");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "3 cases, 2 changed\n"
        "tests/cases/diff/mixed/more/route.json (appointment_route)\n"
        "  source: certification -> open_appointment\n"
        "  cite: 3.A.2 -> 3.A.1\n"
        "  requisition_required: true -> false\n"
        "tests/cases/diff/mixed/tie.json\n"
        "  R-1\n"
        "    dropped A4 (score 85, basis rank, cite 2.B.1, interested true, tier 1)\n"
        "    dropped A5 (score 80, basis rank, cite 2.B.1, interested true, tier 1)\n"
        "    dropped A6 (score 75, basis rank, cite 2.B.1, interested true, tier 1)\n"
        "    dropped A7 (score 75, basis rank, cite 2.B.2, interested true, tier 1)\n"
        "    complement: 6 -> 3\n"
        "    interested: 7 -> 3\n"
        "certifications: 1 of 1 changed; names added 0, dropped 4 (open_competitive +0 -4)\n"
        "  by tier of the method's order: 1 +0 -4\n"
        "  by affirmative-action group: veteran +0 -1, women +0 -2\n");
  const auto json = run_merit(
      "diff --set open_appointment_max='4 months' tests/cases/diff/mixed/more/route.json --format json");
  CHECK(json.status == 0);
  CHECK(ordered_json::parse(json.out) == ordered_json::parse(R"({"cases": 1, "changed": 1, "changes": [
    {"case": "tests/cases/diff/mixed/more/route.json", "kind": "decision", "decision": "appointment_route",
     "outputs": {"source": {"base": "certification", "proposed": "open_appointment"},
                 "cite": {"base": "3.A.2", "proposed": "3.A.1"},
                 "requisition_required": {"base": true, "proposed": false}}}]})"));
}

TEST_CASE("diff: a case the proposal refuses is a change") {
  // A limit in days has no exact count of months, so the proposal refuses the appointment route.
  const auto r = run_merit(
      "diff --set open_appointment_max='90 days' tests/cases/diff/mixed/more/route.json --format json");
  CHECK(r.status == 0);
  const auto diff = ordered_json::parse(r.out);
  CHECK(diff["changed"] == 1);
  const auto& refused = diff["changes"][0]["refused"];
  CHECK(refused["base"].is_null());
  CHECK(refused["proposed"].get<std::string>().find("a length in days has no exact number of months") !=
        std::string::npos);
  const auto table =
      run_merit("diff --set open_appointment_max='90 days' tests/cases/diff/mixed/more/route.json");
  CHECK(table.out.rfind("1 case, 1 changed\ntests/cases/diff/mixed/more/route.json (appointment_route)\n"
                        "  answered under the base rules\n  refused under the proposed rules: ",
                        0) == 0);
}

TEST_CASE("diff: mistakes on the command line and in the cases") {
  Scratch s;
  SUBCASE("nothing proposed") {
    const auto r = run_merit("diff examples/certify");
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("merit: say what is proposed: --proposed FILE (an amendment file), --proposed DIR",
                      0) == 0);
  }
  SUBCASE("no cases") {
    const auto r = run_merit("diff --set complement_size=3");
    CHECK(r.status == 2);
    CHECK(r.err.rfind("merit: give the cases to run", 0) == 0);
  }
  SUBCASE("a file that is no case") {
    const auto r = run_merit("diff --set complement_size=3 tests/cases/diff/neither.json examples/certify");
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "tests/cases/diff/neither.json: error: this is neither a certify case ({\"register\": ..., "
          "\"requisition\": ...} or \"requisitions\") nor a decision case ({\"decision\": NAME, \"input\": "
          "{...}})\n");
  }
  SUBCASE("a decision case with a misspelt key") {
    const auto r = run_merit("diff --set complement_size=3 tests/cases/diff/decision-typo.json");
    CHECK(r.status == 1);
    CHECK(r.err ==
          "tests/cases/diff/decision-typo.json: error: inputs: unknown key of a decision case; its keys are "
          "decision and input\n"
          "tests/cases/diff/decision-typo.json: error: input: missing: the decision's inputs, like "
          "{\"start\": \"2026-03-01\"}\n");
  }
  SUBCASE("a path that does not exist, and a folder without cases") {
    fs::create_directories(s.dir / "empty");
    const auto empty = (s.dir / "empty").string();
    const auto r = run_merit("diff --set complement_size=3 nowhere '" + empty + "'");
    CHECK(r.status == 1);
    CHECK(r.err == "nowhere: error: no such file or folder\n" + empty +
                       ": error: this folder has no case files (*.json)\n");
  }
  SUBCASE("a proposal with an error in its rules") {
    const auto broken = s.write("broken/rules.merit", "parameter complement_size: integer = 3\n");
    const auto r = run_merit("diff --proposed '" + (s.dir / "broken").string() + "' examples/certify");
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(broken + ":1:", 0) == 0);
  }
  SUBCASE("an unknown parameter") {
    const auto r = run_merit("diff --set complment_size=3 examples/certify");
    CHECK(r.status == 2);
    CHECK(r.err == "--set: error: unknown parameter complment_size; did you mean complement_size?\n");
  }
}

TEST_CASE("diff: the same names in another order are a change of order, beside their changed fields") {
  // examples/what-if/reemployment-second.merit puts persons seeking reemployment second in the standard
  // method: C05 (reemployment, 90) moves ahead of the other agencies' employees, from the third tier to the
  // second, and they from the second to the third.
  const auto r =
      run_merit("diff --proposed examples/what-if/reemployment-second.merit examples/certify/standard.json");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "1 case, 1 changed\n"
        "examples/certify/standard.json\n"
        "  R-2026-014\n"
        "    C02 tier: 2 -> 3\n"
        "    C07 tier: 2 -> 3\n"
        "    C08 tier: 2 -> 3\n"
        "    C05 tier: 3 -> 2\n"
        "    order: C01, C04, C02, C07, C08, C05 -> C01, C04, C05, C02, C07, C08\n"
        "certifications: 1 of 1 changed; names added 0, dropped 0\n");
}

TEST_CASE("diff and test: cases run on several workers answer exactly as on one") {
  // MERIT_JOBS sets the number of workers; each loads its own rules. The answers and their order must not
  // depend on it.
  struct Jobs {
    explicit Jobs(const char* n) { ::setenv("MERIT_JOBS", n, 1); }
    ~Jobs() { ::unsetenv("MERIT_JOBS"); }
  };
  const std::string diff =
      "diff --set complement_size=3 --format json examples/certify examples/decisions examples/what-if/cases";
  std::string one_diff;
  std::string one_test;
  {
    const Jobs jobs("1");
    one_diff = run_merit(diff).out;
    one_test = run_merit("test rules --format json").out;
  }
  CHECK(one_diff.find("\"changed\": 0") == std::string::npos);
  CHECK(one_test.find("\"passed\": 0") == std::string::npos);
  for (const char* n : {"2", "5"}) {
    CAPTURE(n);
    const Jobs jobs(n);
    const auto several = run_merit(diff);
    CHECK(several.status == 0);
    CHECK(several.out == one_diff);
    const auto tests = run_merit("test rules --format json");
    CHECK(tests.status == 0);
    CHECK(tests.out == one_test);
  }
}

TEST_CASE("diff: files under a folder that are not cases are skipped, with one note") {
  // examples/ holds decision inputs (acting_capacity.json, ...) beside its folders of cases.
  const auto r = run_merit("diff --set complement_size=3 examples");
  CHECK(r.status == 0);
  CHECK(r.err.rfind("merit: skipped 6 files that are not a case: examples/acting_capacity.json, ", 0) == 0);
  CHECK(r.out.find(" cases, ") != std::string::npos);
  // Named on the command line, such a file is a mistake.
  const auto named = run_merit("diff --set complement_size=3 examples/acting_capacity.json");
  CHECK(named.status == 1);
  CHECK(named.err.find("examples/acting_capacity.json: error: this is neither a certify case") == 0);
}

TEST_CASE("diff: a field only one side's answers have is a change of shape, not of outcome") {
  // A field added to the record of a certified name: every name has it under the proposal, none changes.
  Scratch s;
  const fs::path copy = s.dir / "rules";
  fs::copy(fs::path(source_dir()) / "rules", copy, fs::copy_options::recursive);
  const fs::path file = copy / "chapter8" / "2-use-of-class-registers.merit";
  std::string text = read_text(file.string());
  const std::string field = "  interested: boolean\n";
  REQUIRE(text.find(field) != std::string::npos);
  text.replace(text.find(field), field.size(), "  interested: boolean\n  ranking_score: decimal = 0\n");
  std::ofstream(file, std::ios::binary) << text;
  const std::string cases = " examples/certify/standard.json examples/certify/acting.json";
  const auto r = run_merit("diff --proposed '" + copy.string() + "'" + cases);
  CHECK(r.status == 0);
  CHECK(r.out ==
        "2 cases, 0 changed\n"
        "fields only the proposed rules' answers have (their shape, not an outcome): certified.ranking_score "
        "(2 cases)\n");
  const auto json = run_merit("diff --format json --proposed '" + copy.string() + "'" + cases);
  CHECK(ordered_json::parse(json.out) == ordered_json::parse(R"({"cases": 2, "changed": 0, "changes": [],
    "fields_only_in": {"proposed": {"certified.ranking_score": 2}}})"));
}

TEST_CASE("diff: a summary over the case set, and a row per change as CSV") {
  const std::string cases = " examples/certify/standard.json examples/what-if/cases";
  const auto json =
      run_merit("diff --format json --proposed examples/what-if/reemployment-second.merit" + cases);
  CHECK(json.status == 0);
  CHECK(ordered_json::parse(json.out)["certifications"] == ordered_json::parse(R"({"compared": 2,
    "changed": 2, "by_method": {"standard": {"added": 2, "dropped": 2}},
    "by_tier": {"2": {"added": 2, "dropped": 2}}, "by_group": {}})"));
  const auto groups = run_merit("diff --format json --set complement_size=3 tests/cases/diff/mixed/tie.json");
  CHECK(
      ordered_json::parse(groups.out)["certifications"]["by_group"] ==
      ordered_json::parse(R"({"veteran": {"added": 0, "dropped": 1}, "women": {"added": 0, "dropped": 2}})"));
  const auto csv =
      run_merit("diff --format csv --proposed examples/what-if/reemployment-second.merit" + cases);
  CHECK(csv.status == 0);
  const std::string transfers = "examples/what-if/cases/transfers-and-reemployment.json,R-2026-040,";
  CHECK(csv.out ==
        "case,requisition,change,id,field,base,proposed\n"
        "examples/certify/standard.json,R-2026-014,changed,C02,tier,2,3\n"
        "examples/certify/standard.json,R-2026-014,changed,C07,tier,2,3\n"
        "examples/certify/standard.json,R-2026-014,changed,C08,tier,2,3\n"
        "examples/certify/standard.json,R-2026-014,changed,C05,tier,3,2\n"
        "examples/certify/standard.json,R-2026-014,order,,,\"C01, C04, C02, C07, C08, C05\",\"C01, C04, C05, "
        "C02, C07, C08\"\n" +
            transfers + "added,R1,,,\"R1 (score 92, basis rank, cite 2.B.1, interested true, tier 2)\"\n" +
            transfers + "added,R2,,,\"R2 (score 84, basis rank, cite 2.B.1, interested true, tier 2)\"\n" +
            transfers + "dropped,O4,,\"O4 (score 86, basis rank, cite 2.B.1, interested true, tier 2)\",\n" +
            transfers + "dropped,O5,,\"O5 (score 82, basis rank, cite 2.B.1, interested true, tier 2)\",\n" +
            transfers + "changed,O1,tier,2,3\n" + transfers + "changed,O2,tier,2,3\n" + transfers +
            "changed,O3,tier,2,3\n");
  // A decision's outputs and a refusal are rows too.
  const auto mixed = run_merit(
      "diff --format csv --set complement_size=3 --set open_appointment_max='4 months' "
      "tests/cases/diff/mixed");
  CHECK(mixed.out.find("tests/cases/diff/mixed/more/route.json,,changed,,cite,3.A.2,3.A.1\n") !=
        std::string::npos);
}
