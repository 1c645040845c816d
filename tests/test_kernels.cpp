// Kernels (interpreter/eval_kernel.cpp) must not change an answer or an error: every pass over a long list
// gives, with MERIT_KERNELS=always (a kernel for every list the interpreter can specialise) and by default
// (for lists of 32 items or more), exactly what MERIT_KERNELS=never (the interpreter alone) gives. The
// whole suite is also run with MERIT_KERNELS=always (setup.sh), for the lists of a few items tests use.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "bench/case_generator.hpp"
#include "interpreter/eval.hpp"
#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace {

using merit::testing::run_merit;
using merit::testing::RunResult;
using merit::testing::source_dir;

const char* const modes[] = {"MERIT_KERNELS=never", "MERIT_KERNELS=always", "MERIT_KERNELS=auto"};

/// Runs `merit ARGS` in each mode and checks that all give what the interpreter alone gives; returns that.
RunResult same_in_every_mode(const std::string& args) {
  const RunResult alone = run_merit(args, modes[0]);
  for (const char* mode : {modes[1], modes[2]}) {
    const RunResult r = run_merit(args, mode);
    INFO("merit " << args << " with " << mode);
    CHECK(r.status == alone.status);
    CHECK(r.out == alone.out);
    CHECK(r.err == alone.err);
  }
  return alone;
}

const std::string errors = "--rules tests/cases/kernels/errors.merit --as-of 2026-01-01 --format json ";
const std::string people = " --input tests/cases/kernels/people.json";

/// A decision of tests/cases/kernels/errors.merit that fails: the same message and trace in every mode.
void fails_alike(const std::string& decision, const std::string& message, const std::string& item) {
  const RunResult r = same_in_every_mode("eval " + decision + " " + errors + people);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find(message) != std::string::npos);
  CHECK(r.err.find(item) != std::string::npos);
}

}  // namespace

TEST_CASE(
    "kernels: a batch of every method over 3,000 candidates is certified alike with kernels and without") {
  const merit::testing::Scratch scratch("merit-kernels");
  merit::bench::CaseOptions options;
  options.candidates = 3000;
  options.seed = 11;
  options.requisitions = 16;
  const std::string path = (scratch.dir / "batch.json").string();
  REQUIRE(merit::bench::write_case_json(options, path));
  const RunResult r = same_in_every_mode("certify --format json --case '" + path + "'");
  REQUIRE(r.status == 0);
  const auto certifications = nlohmann::json::parse(r.out);
  REQUIRE(certifications.size() == 16);
  std::size_t names = 0;
  for (const auto& c : certifications) names += c.at("certified").size();
  CHECK(names >= 16 * 6);
}

TEST_CASE("kernels: filters, keys and quantifiers over a long list answer alike with kernels and without") {
  const RunResult r =
      same_in_every_mode("eval answers " + errors + " --input tests/cases/kernels/answers.json");
  REQUIRE(r.status == 0);
  const auto answer = nlohmann::json::parse(r.out);
  CHECK(answer.at("chosen").size() == 13);
  CHECK(answer.at("by_grade").size() == 60);
  CHECK(answer.at("tagged").get<int>() > 0);
  CHECK(answer.at("first_old").at("id") == "P08");
  CHECK(answer.at("every_adult") == true);
  CHECK(answer.at("leads") == nlohmann::json::array({"P04", "P08", "P12", "P16", "P20", "P24", "P28", "P32",
                                                     "P36", "P40", "P44", "P48", "P52", "P56", "P60"}));
  CHECK(answer.at("no_leads") == 0);
}

TEST_CASE("kernels: lists picked from a long list answer as lists wherever they are used") {
  const RunResult r =
      same_in_every_mode("eval views " + errors + " --input tests/cases/kernels/answers.json");
  REQUIRE(r.status == 0);
  const auto answer = nlohmann::json::parse(r.out);
  const auto sizes = answer.at("sizes");
  CHECK(sizes == nlohmann::json::array({48, 20, 48}));
  CHECK(answer.at("lead_ids").size() == 20);
  CHECK(answer.at("top").size() == 10);  // 5, and every one tied with the fifth on grade
  CHECK(answer.at("graded_two") == 10);
  CHECK(answer.at("oldest_lead").at("id") == "P24");
  CHECK(answer.at("refiltered_same") == true);
  CHECK(answer.at("leads_are_all_adults") == false);
  CHECK(answer.at("joined") == 68);
  CHECK(answer.at("kinds") == 20);
  CHECK(answer.at("place") == 11);
  CHECK(answer.at("last_adult").at("id") == "P59");
  CHECK(answer.at("ids_left") == 47);
  // The second and third sorts by grade go by the places of the first: ties keep the list's order.
  CHECK(answer.at("tagged_first") ==
        nlohmann::json::array({"P04", "P09", "P14", "P24", "P49", "P54", "P08", "P28", "P48", "P12",
                               "P32", "P16", "P36", "P56", "P20", "P40", "P19", "P29", "P34", "P59"}));
  CHECK(answer.at("people_by_grade").size() == 60);
  CHECK(answer.at("removed_adults") == nlohmann::json::array({"P06"}));
  CHECK(answer.at("named_twice") == nlohmann::json::array({"P09", "P40"}));
}

TEST_CASE("kernels: a filter of a long list gives what it gave before for the same list and values") {
  const RunResult r =
      same_in_every_mode("eval remembered " + errors + " --input tests/cases/kernels/answers.json");
  REQUIRE(r.status == 0);
  const auto answer = nlohmann::json::parse(r.out);
  // Over 30, again; over 50 of the people, of those over 30, and over 30 of those over 50; tagged x of the
  // people, "xy" (a longer text with the same start), of those over 30 twice, of those over 50.
  CHECK(answer.at("sizes") == nlohmann::json::array({47, 47, 27, 27, 27, 20, 0, 15, 15, 9}));
  CHECK(answer.at("again_alike") == true);
  CHECK(answer.at("tagged_ids") == nlohmann::json::array({"P08", "P16", "P24", "P32"}));
  CHECK(answer.at("wanted_kept") == 15);
  // A condition's answers by row are shared by a count and a filter, and by passes through other lists of
  // the same base; another value is another condition.
  CHECK(answer.at("over_40") == nlohmann::json::array({37, 37, 12, 36}));
}

TEST_CASE(
    "kernels: a condition reading a map by the item's id shares its answers for the rows the map does not "
    "name") {
  const RunResult r =
      same_in_every_mode("eval keyed_by_id " + errors + " --input tests/cases/kernels/extras.json");
  REQUIRE(r.status == 0);
  const auto answer = nlohmann::json::parse(r.out);
  // Extras: none; P01 +2 and P02 +1 (both reach 3); P02 +1 and P05 -3 (P01 is back to its own grade, 1);
  // none again; P01 +2; P03 +5 (already 3), P07 +1 and P40 +9 (both reach 3).
  CHECK(answer.at("counted") == nlohmann::json::array({24, 26, 25, 24, 25, 26}));
  CHECK(answer.at("also_in") == answer.at("counted"));
  // Only P01 (55) and P40 (58) of those who reach 3 are over 40.
  const auto kept = answer.at("kept");
  REQUIRE(kept.size() == 6);
  for (const std::size_t with_p01 : {1, 4}) CHECK(kept[with_p01].at(0) == "P01");
  for (const std::size_t without : {0, 2, 3, 5}) CHECK(kept[without].at(0) == "P03");
  CHECK(kept[5].at(10) == "P40");
  CHECK(kept[0].size() == 15);
  CHECK(kept[2] == kept[0]);
  // A key that is not the item's adds P02's extra to everyone: the 36 at 2 or more count where P02 has 1.
  CHECK(answer.at("by_name") == nlohmann::json::array({24, 36, 36, 24, 24, 24}));
}

TEST_CASE("kernels: an id looked up in a long list of ids is found by the rows that hold it") {
  const RunResult r = same_in_every_mode("eval in_many_ids " + errors + people);
  REQUIRE(r.status == 0);
  const auto answer = nlohmann::json::parse(r.out);
  // 37 of the 60 are over 40; none of the ids with an x added is anyone's.
  CHECK(answer.at("over_40") == 37);
  CHECK(answer.at("none_in") == 0);
  // Under 30 and not of grade 2 (P02, P07, ... every fifth), though each grade-2 id is in the list twice.
  CHECK(answer.at("young_not_grade_2") ==
        nlohmann::json::array({"P05", "P10", "P13", "P18", "P23", "P26", "P31", "P39", "P44", "P60"}));
  // The 12 of grade 2, each found at both of its rows in the people given twice.
  CHECK(answer.at("twice") == 24);
  CHECK(answer.at("twice_in_map") == 24);
  CHECK(answer.at("young_not_in_map") == answer.at("young_not_grade_2"));
}

TEST_CASE("kernels: a sort key remembered by row gives the same order again, and another value another") {
  const RunResult r = same_in_every_mode("eval keys_remembered " + errors + people);
  REQUIRE(r.status == 0);
  // Where P06 (grade 1) comes among the 60 people (12 of each grade 0 to 4) sorted with grade 0, 1, 0, 2 and
  // 1 first, then by id: after the 12 put first and P01 to P04 but one of them (16, 0-based), or second of
  // grade 1, after P01.
  CHECK(nlohmann::json::parse(r.out).at("places") == nlohmann::json::array({16, 1, 16, 16, 1}));
}

TEST_CASE("kernels: the same decision over the same list again remembers nothing new") {
  merit::Program program;
  REQUIRE(merit::load_program(program, {source_dir() + "/tests/cases/kernels/errors.merit"}).empty());
  std::int32_t person = -1;
  for (std::size_t i = 0; i < program.records.size(); ++i) {
    if (program.records[i]->name == "Person") person = static_cast<std::int32_t>(i);
  }
  REQUIRE(person >= 0);
  std::vector<merit::Value> people;
  for (int i = 0; i < 40; ++i) {
    std::vector<merit::Value> tags;
    if (i % 3 == 0) tags.push_back(merit::make_text("x"));
    if (i % 5 == 0) tags.push_back(merit::make_text("lead"));
    people.push_back(merit::make_record(
        person, {merit::make_text("P" + std::to_string(i)), merit::Value(std::int64_t{20 + i}),
                 merit::Value(std::int64_t{i % 4}), merit::make_list(tags)}));
  }
  const merit::Value list = merit::make_list(std::move(people));
  const std::int32_t decision = program.find_decision("remembered");
  REQUIRE(decision >= 0);
  const auto run = [&] {
    return merit::evaluate_decision(program, decision,
                                    {list, merit::make_list({merit::make_text("x")}), merit::make_list({})},
                                    merit::EvalOptions{});
  };
  const auto first = run();
  REQUIRE(std::holds_alternative<merit::DecisionResult>(first));
  const std::size_t remembered = list.as_list().remembered_count();
  // aged_over 30, 50 and 60 of the people; tagged "x" and "xy" of the people (sizes and wanted_kept go
  // through views, and the filters of views are remembered by the same base); and the answers by row of
  // each condition.
  CHECK(remembered >= 10);
  const auto second = run();
  REQUIRE(std::holds_alternative<merit::DecisionResult>(second));
  CHECK(list.as_list().remembered_count() == remembered);
  const auto& a = std::get<merit::DecisionResult>(first).definitions;
  const auto& b = std::get<merit::DecisionResult>(second).definitions;
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(merit::values_equal(a[i].value, b[i].value));
}

TEST_CASE("kernels: an overflow in a filter is reported at the item, as the interpreter reports it") {
  fails_alike("overflow_in_filter", "this number is too large", "for p = people item 1 (id \"P01\")");
}

TEST_CASE("kernels: an error in a called function keeps the call's note and the inner item's note") {
  fails_alike("overflow_in_function", "in function any_tag_too_large at", "for t = tags item 1");
}

TEST_CASE("kernels: an overflow in a count is reported at the item") {
  fails_alike("overflow_in_count", "this number is too large", "for p = people item 1 (id \"P01\")");
}

TEST_CASE("kernels: an overflow in a sort key is reported at the item") {
  fails_alike("overflow_in_sort_key", "this number is too large", "for p = people item 1 (id \"P01\")");
}

TEST_CASE("kernels: an argument a function never reads still raises the errors its items raise") {
  // Its first item is filtered at the call, as without kernels; the rest only when nothing can go wrong.
  fails_alike("unset_parameter_in_unused_argument", "no value of not_yet_tag is in force on 2026-01-01",
              "for p = people item 1 (id \"P01\")");
  fails_alike("overflow_in_unused_argument", "this number is too large",
              "for p = people item 30 (id \"P30\")");
}

TEST_CASE("kernels: a parameter with no value in force is an error only where an item reaches it") {
  fails_alike("unset_parameter_reached_late", "no value of not_yet is in force on 2026-01-01",
              "for p = people item 3 (id \"P03\")");
  fails_alike("unset_parameter_as_argument", "no value of not_yet is in force on 2026-01-01",
              "for p = people item 3 (id \"P03\")");
}
