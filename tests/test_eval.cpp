// The interpreter, through the built binary: `merit eval` on the small rule files in tests/rules/language/
// with the JSON inputs in tests/rules/language/inputs/ (or written on the fly for tables of cases).
// Every expected value here is worked out by hand from the rule files, not copied from a run.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

using merit::testing::run_merit;
using merit::testing::RunResult;

namespace {

const std::string rules = "tests/rules/language";
const std::string inputs = "tests/rules/language/inputs/";

/// `merit eval DECISION --rules RULES --input INPUT EXTRA`, with `env` set for that run.
RunResult eval_in(const std::string& rules_path, const std::string& decision, const std::string& input,
                  const std::string& extra = "", const std::string& env = "") {
  return run_merit("eval " + decision + " --rules " + rules_path + " --input " + input +
                       (extra.empty() ? "" : " ") + extra,
                   env);
}

/// `merit eval DECISION --rules tests/rules/language --input INPUT EXTRA`
RunResult eval(const std::string& decision, const std::string& input, const std::string& extra = "") {
  return eval_in(rules, decision, input, extra);
}

/// The same with an input file from tests/rules/language/inputs/, printed as JSON.
RunResult eval_json(const std::string& decision, const std::string& input_name,
                    const std::string& extra = "") {
  return eval(decision, inputs + input_name, "--format json" + (extra.empty() ? "" : " " + extra));
}

/// Writes `json` to a fresh file in the temporary folder and returns its path.
std::string temp_input(const std::string& json) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("merit-eval-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json");
  std::ofstream(path) << json;
  return path.string();
}

/// JSON text with the blank space outside of texts taken out.
std::string without_blanks(const std::string& json) {
  std::string out;
  bool in_text = false;
  for (char c : json) {
    if (c == '"') in_text = !in_text;
    if (!in_text && (c == ' ' || c == '\n')) continue;
    out += c;
  }
  return out;
}

/// JSON output of a decision for inputs given inline, with the blank space taken out so that a case fits
/// on one line.
std::string compact_eval(const std::string& decision, const std::string& json,
                         const std::string& extra = "") {
  const std::string path = temp_input(json);
  const auto r = eval(decision, path, "--format json" + (extra.empty() ? "" : " " + extra));
  std::filesystem::remove(path);
  if (r.status != 0) return "exit " + std::to_string(r.status) + ": " + r.err;
  return without_blanks(r.out);
}

/// Checks a successful run: exit 0, nothing on stderr, and exactly this JSON (2-space indented).
void expect_json(const RunResult& r, const std::string& expected) {
  INFO("stderr: " << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == expected);
}

/// Checks a failed run: exit 1, nothing on stdout, and exactly this on stderr.
void expect_error(const RunResult& r, const std::string& expected) {
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == expected);
}

/// Checks a run refused for its command line (--set, --as-of): exit 2, nothing on stdout, exactly this on
/// stderr.
void expect_usage_error(const RunResult& r, const std::string& expected) {
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err == expected);
}

}  // namespace

TEST_CASE("eval: the test rules check clean") {
  const auto r = run_merit("check " + rules);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "9 rule files checked: 31 decisions, 5 parameters, no errors\n");
}

// -------------------------------------------------------------------------------------------------------------
// take, sort and the quantifiers.

TEST_CASE("eval: take n, and take with ties pulls in everyone tied with the nth") {
  // Ranked by score: A 90, B 85, C 80, D 80 (tier 2), E 80, F 70.
  expect_json(eval_json("take_ties", "six.json"),
              "{\n"
              "  \"plain\": [\n    \"A\",\n    \"B\",\n    \"C\"\n  ],\n"
              "  \"with_ties\": [\n    \"A\",\n    \"B\",\n    \"C\",\n    \"D\",\n    \"E\"\n  ],\n"
              "  \"two_keys\": [\n    \"A\",\n    \"B\",\n    \"C\",\n    \"E\"\n  ]\n"
              "}\n");
}

TEST_CASE("eval: take for various n") {
  const std::string six = R"("candidates": [{"id": "C", "score": 80}, {"id": "A", "score": 90},
    {"id": "D", "score": 80, "tier": 2}, {"id": "F", "score": 70}, {"id": "B", "score": 85},
    {"id": "E", "score": 80}])";
  struct Case {
    int n;
    const char* expected;
  };
  const Case cases[] = {
      // Nothing taken, so there is nothing to be tied with.
      {0, R"({"plain":[],"with_ties":[],"two_keys":[]})"},
      {-1, R"({"plain":[],"with_ties":[],"two_keys":[]})"},
      {1, R"({"plain":["A"],"with_ties":["A"],"two_keys":["A"]})"},
      {2, R"({"plain":["A","B"],"with_ties":["A","B"],"two_keys":["A","B"]})"},
      // The 4th is C (80): D and E are tied with it on score; by tier and score only E is (D is tier 2).
      {4, R"({"plain":["A","B","C","D"],"with_ties":["A","B","C","D","E"],"two_keys":["A","B","C","E"]})"},
      {5,
       R"({"plain":["A","B","C","D","E"],"with_ties":["A","B","C","D","E"],"two_keys":["A","B","C","E","F"]})"},
      {6, R"({"plain":["A","B","C","D","E","F"],"with_ties":["A","B","C","D","E","F"],)"
          R"("two_keys":["A","B","C","E","F","D"]})"},
      {100, R"({"plain":["A","B","C","D","E","F"],"with_ties":["A","B","C","D","E","F"],)"
            R"("two_keys":["A","B","C","E","F","D"]})"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CHECK(compact_eval("take_ties", "{" + six + ", \"n\": " + std::to_string(c.n) + "}") == c.expected);
  }
  CHECK(compact_eval("take_ties", R"({"candidates": []})") == R"({"plain":[],"with_ties":[],"two_keys":[]})");
  // Everyone tied at the first place: all are taken.
  CHECK(compact_eval("take_ties", R"({"n": 1, "candidates": [{"id": "X", "score": 1}, {"id": "Y", "score": 1},
    {"id": "Z", "score": 1}]})") == R"({"plain":["X"],"with_ties":["X","Y","Z"],"two_keys":["X","Y","Z"]})");
}

TEST_CASE("eval: take counting takes the shortest prefix holding n that count, then the ties") {
  // A 90, B 85 (declined), C 80, D 80 (declined), E 80, F 70; n = 2: A and C count, so A, B, C; then the
  // ties with C on score: D and E.
  expect_json(eval_json("take_counting", "counting.json"),
              "{\n"
              "  \"counted\": [\n    \"A\",\n    \"B\",\n    \"C\"\n  ],\n"
              "  \"counted_ties\": [\n    \"A\",\n    \"B\",\n    \"C\",\n    \"D\",\n    \"E\"\n  ]\n"
              "}\n");
  const std::string list = R"("declined": ["B", "D"], "candidates": [{"id": "A", "score": 90},
    {"id": "B", "score": 85}, {"id": "C", "score": 80}, {"id": "D", "score": 80}, {"id": "E", "score": 80},
    {"id": "F", "score": 70}])";
  CHECK(compact_eval("take_counting", "{\"n\": 1, " + list + "}") ==
        R"({"counted":["A"],"counted_ties":["A"]})");
  CHECK(compact_eval("take_counting", "{\"n\": 3, " + list + "}") ==
        R"({"counted":["A","B","C","D","E"],"counted_ties":["A","B","C","D","E"]})");
  // Fewer than n count: everything is taken.
  CHECK(compact_eval("take_counting", "{\"n\": 5, " + list + "}") ==
        R"({"counted":["A","B","C","D","E","F"],"counted_ties":["A","B","C","D","E","F"]})");
  CHECK(compact_eval("take_counting", "{\"n\": 0, " + list + "}") == R"({"counted":[],"counted_ties":[]})");
  // Declined items at the front are taken with the prefix, but do not count.
  CHECK(compact_eval("take_counting",
                     R"({"n": 1, "declined": ["A", "B"], "candidates": [{"id": "A", "score": 9},
    {"id": "B", "score": 8}, {"id": "C", "score": 7}, {"id": "D", "score": 7}]})") ==
        R"({"counted":["A","B","C"],"counted_ties":["A","B","C","D"]})");
}

TEST_CASE("eval: sort is stable, ascending and descending, on one key or several") {
  // Input order: C 80, A 90, D 80 (tier 2), F 70, B 85, E 80.
  CHECK(
      compact_eval("sorting", R"({"candidates": [{"id": "C", "score": 80}, {"id": "A", "score": 90},
    {"id": "D", "score": 80, "tier": 2}, {"id": "F", "score": 70}, {"id": "B", "score": 85},
    {"id": "E", "score": 80}]})") ==
      R"({"up":["F","C","D","E","B","A"],"down":["A","B","C","D","E","F"],"by_two":["D","A","B","C","E","F"],)"
      R"("high":["C","A","D","B","E"],"how_many":5,"any_tier_two":true,"all_passed":true,"first_low":"F",)"
      R"("no_low":"nobody"})");
  // The tied items keep their input order in both directions.
  CHECK(compact_eval("sorting", R"({"candidates": [{"id": "z", "score": 1}, {"id": "y", "score": 1},
    {"id": "x", "score": 1}]})") ==
        R"({"up":["z","y","x"],"down":["z","y","x"],"by_two":["x","y","z"],"high":[],"how_many":0,)"
        R"("any_tier_two":false,"all_passed":false,"first_low":"z","no_low":"nobody"})");
  // An empty list: every is true, exists is false, first is none.
  CHECK(compact_eval("sorting", R"({"candidates": []})") ==
        R"({"up":[],"down":[],"by_two":[],"high":[],"how_many":0,"any_tier_two":false,"all_passed":true,)"
        R"("first_low":"nobody","no_low":"nobody"})");
}

TEST_CASE("eval: duplicates gives each value that stands more than once, in the order it first stands") {
  // Texts are counted through a hash table, other values by sorting: both give the same.
  CHECK(compact_eval("repeats", R"({"words": ["b", "a", "b", "c", "a", "b", "", ""],
    "numbers": [3, 1.5, 3.0, 2, 1.5, 3]})") ==
        R"({"repeated_words":["b","a",""],"repeated_numbers":[3,1.5]})");
  CHECK(compact_eval("repeats", R"({"words": ["x", "y"], "numbers": []})") ==
        R"({"repeated_words":[],"repeated_numbers":[]})");
}

TEST_CASE("eval: sort orders negative numbers, both zeros and texts that share their first 8 bytes") {
  // Zero and minus zero are equal, so they keep their input order; texts order bytewise ("Apple" before
  // "apple", a prefix before what extends it, "applesauce10" before "applesauce2").
  CHECK(
      compact_eval("sorting", R"({"candidates": [{"id": "applesauce10", "score": 0},
    {"id": "applesauce2", "score": -0.0}, {"id": "apple", "score": -1.5, "tier": 3},
    {"id": "applesauc", "score": 1e300}, {"id": "Apple", "score": -3, "tier": 3}, {"id": "b", "score": 2.25},
    {"id": "applesauce", "score": 0.0}]})") ==
      R"({"up":["Apple","apple","applesauce10","applesauce2","applesauce","b","applesauc"],)"
      R"("down":["applesauc","b","applesauce10","applesauce2","applesauce","apple","Apple"],)"
      R"("by_two":["Apple","apple","applesauc","applesauce","applesauce10","applesauce2","b"],)"
      R"("high":["applesauc"],"how_many":1,"any_tier_two":false,"all_passed":false,"first_low":"applesauce10",)"
      R"("no_low":"apple"})");
}

TEST_CASE("eval: a sort by number keys orders alike whether the keys fit 64 bits together or not") {
  // Scores of one binary exponent (1 to 2) and tiers 1 to 3: 54 bits.
  const std::string narrow = R"([{"id": "a", "score": 1.75, "tier": 1}, {"id": "b", "score": 1.5, "tier": 2},
    {"id": "c", "score": 1.5, "tier": 1}, {"id": "d", "score": 1.5, "tier": 2}, {"id": "e", "score": 1.25},
    {"id": "f", "score": 1, "tier": 3}])";
  CHECK(compact_eval("sorting_numbers", R"({"candidates": )" + narrow + "}") ==
        R"({"tier_then_score":["f","b","d","e","c","a"],"score_then_id":["a","b","c","d","e","f"]})");
  // A negative score: the keys' bits no longer fit one word; by the tier first, then each tier by score.
  const std::string wide = R"([{"id": "a", "score": 1.75, "tier": 1}, {"id": "b", "score": 1.5, "tier": 2},
    {"id": "c", "score": 1.5, "tier": 1}, {"id": "d", "score": 1.5, "tier": 2}, {"id": "e", "score": -1.5},
    {"id": "f", "score": 1, "tier": 3}])";
  CHECK(compact_eval("sorting_numbers", R"({"candidates": )" + wide + "}") ==
        R"({"tier_then_score":["f","b","d","e","c","a"],"score_then_id":["a","b","c","d","f","e"]})");
  // Ids that share their first 8 bytes, by score first, then each run of one score by id.
  const std::string ids = R"([{"id": "candidate-2", "score": 90}, {"id": "candidate-10", "score": 95},
    {"id": "candidate-1", "score": 90}, {"id": "candidate-3", "score": 95}, {"id": "candidate", "score": 90}])";
  CHECK(compact_eval("sorting_numbers", R"({"candidates": )" + ids + "}") ==
        R"({"tier_then_score":["candidate-2","candidate-1","candidate","candidate-10","candidate-3"],)"
        R"("score_then_id":["candidate-10","candidate-3","candidate","candidate-1","candidate-2"]})");
}

// -------------------------------------------------------------------------------------------------------------
// Default logic.

TEST_CASE("eval: base rule, exceptions, and an exception to a labelled exception") {
  struct Case {
    const char* input;
    const char* route;
  };
  const Case cases[] = {
      {"{}", "register"},                                         // only the base rule applies
      {R"({"promoted": true})", "promotional"},                   // an exception overrides it
      {R"({"promoted": true, "statewide": true})", "statewide"},  // an exception to the exception
      {R"({"short": true})", "open"},                             // another exception
      {R"({"short": true, "promoted": true})", "promotional"},    // `open` does not apply when promoted
      {R"({"short": false, "promoted": false, "statewide": false})", "register"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(compact_eval("route", c.input) == std::string(R"({"route":")") + c.route + "\"}");
  }
}

TEST_CASE("eval: two exceptions that apply and agree are no conflict") {
  expect_json(eval_json("agree", "both.json"), "{\n  \"x\": \"special\"\n}\n");
  expect_json(eval_json("agree", "only_a.json"), "{\n  \"x\": \"special\"\n}\n");
  expect_json(eval_json("agree", "neither.json"), "{\n  \"x\": \"base\"\n}\n");
}

TEST_CASE("eval: two exceptions that apply and disagree are a conflict naming both rules") {
  expect_error(eval_json("conflict", "both.json"),
               "tests/rules/language/defaults.merit:28:3: error: rules conflict on x: the rule at "
               "tests/rules/language/defaults.merit:27 (§ D.5) gives one, and the rule at "
               "tests/rules/language/defaults.merit:28 (§ D.6) gives two\n"
               "  exception § D.6: x = \"two\" when b\n"
               "  ^\n"
               "  in output x of decision conflict at tests/rules/language/defaults.merit:25\n");
  expect_json(eval_json("conflict", "only_a.json"), "{\n  \"x\": \"one\"\n}\n");
}

TEST_CASE("eval: two base rules that apply and disagree are a conflict") {
  expect_error(eval_json("base_conflict", "a_11.json"),
               "tests/rules/language/defaults.merit:35:3: error: rules conflict on size: the rule at "
               "tests/rules/language/defaults.merit:34 (§ D.7) gives 6, and the rule at "
               "tests/rules/language/defaults.merit:35 (§ D.8) gives 5\n"
               "  rule § D.8: size = 5 when a > 10\n"
               "  ^\n"
               "  in output size of decision base_conflict at tests/rules/language/defaults.merit:33\n");
  CHECK(compact_eval("base_conflict", R"({"a": 1})") == R"({"size":6})");
}

TEST_CASE("eval: a case where no rule applies is an error naming the rules") {
  expect_error(eval_json("partial", "a_15.json"),
               "tests/rules/language/defaults.merit:40:10: error: no rule gives x a value in this case (the "
               "rules at lines 41, 42 do not apply)\n"
               "  output x: text\n"
               "         ^\n");
  CHECK(compact_eval("partial", R"({"a": 5})") == R"({"x":"small"})");
  CHECK(compact_eval("partial", R"({"a": 25})") == R"({"x":"large"})");
}

// -------------------------------------------------------------------------------------------------------------
// Parameters: dated values, --as-of, --set.

TEST_CASE("eval: the dated value in force on the `as of` input applies") {
  expect_json(eval_json("params", "judged_2027-06-30.json"),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-21\",\n  \"method\": \"standard\"\n}\n");
  expect_json(eval_json("params", "judged_2027-07-01.json"),
              "{\n  \"size\": 5,\n  \"deadline\": \"2027-07-22\",\n  \"method\": \"standard\"\n}\n");
}

TEST_CASE("eval: --as-of picks the dated value, over the `as of` input") {
  expect_json(eval_json("params", "judged_2027-06-30.json", "--as-of 2027-07-01"),
              "{\n  \"size\": 5,\n  \"deadline\": \"2027-07-21\",\n  \"method\": \"standard\"\n}\n");
  expect_json(eval_json("params", "judged_2027-07-01.json", "--as-of 2027-06-30"),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-22\",\n  \"method\": \"standard\"\n}\n");
  expect_json(eval_json("params_undated", "judged_2027-06-30.json", "--as-of 2027-07-01"),
              "{\n  \"size\": 5\n}\n");
  expect_json(eval_json("params_undated", "judged_2027-06-30.json", "--as-of 2000-01-01"),
              "{\n  \"size\": 6\n}\n");
}

TEST_CASE("eval: the table names the date the rules are judged as of") {
  const auto r = eval("params", inputs + "judged_2027-06-30.json", "--as-of 2027-07-01");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "params (§ P), rules as of 2027-07-01\n"
        "  size      5           § 2.B.1\n"
        "  deadline  2027-07-21  § 2.I\n"
        "  method    standard    § P\n");
}

TEST_CASE("eval: a parameter with no value in force yet is an error at the parameter") {
  expect_error(
      eval_json("uses_not_yet", "judged_2027-07-01.json"),
      "tests/rules/language/params.merit:9:11: error: no value of not_yet is in force on 2027-07-01\n"
      "parameter not_yet: integer § P = 1 from 2030-01-01\n"
      "          ^\n"
      "  in output value of decision uses_not_yet at tests/rules/language/params.merit:25\n");
  expect_json(eval_json("uses_not_yet", "judged_2027-07-01.json", "--as-of 2030-01-01"),
              "{\n  \"value\": 1\n}\n");
}

TEST_CASE("eval: --set changes integer, duration and enum parameters for one run") {
  expect_json(eval_json("params", "judged_2027-06-30.json", "--set complement_size=4"),
              "{\n  \"size\": 4,\n  \"deadline\": \"2027-07-21\",\n  \"method\": \"standard\"\n}\n");
  // A value set on the command line applies whatever the date.
  expect_json(eval_json("params", "judged_2027-07-01.json", "--set complement_size=7"),
              "{\n  \"size\": 7,\n  \"deadline\": \"2027-07-22\",\n  \"method\": \"standard\"\n}\n");
  expect_json(eval_json("params", "judged_2027-06-30.json", "--set \"selection_period=30 days\""),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-30\",\n  \"method\": \"standard\"\n}\n");
  expect_json(eval_json("params", "judged_2027-06-30.json", "--set selection_period=\"1 month\""),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-30\",\n  \"method\": \"standard\"\n}\n");
  expect_json(eval_json("params", "judged_2027-06-30.json", "--set default_method=open_competitive"),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-21\",\n  \"method\": \"open_competitive\"\n}\n");
  expect_json(eval_json("params", "judged_2027-06-30.json", "--set default_method=Method.promotional"),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-21\",\n  \"method\": \"promotional\"\n}\n");
  expect_json(
      eval_json("params", "judged_2027-06-30.json",
                "--set complement_size=3 --set \"selection_period=2 days\" --set default_method=promotional"),
      "{\n  \"size\": 3,\n  \"deadline\": \"2027-07-02\",\n  \"method\": \"promotional\"\n}\n");
}

TEST_CASE("eval: --set refuses working days for a parameter the rules may add to a date") {
  expect_usage_error(
      eval_json("params", "judged_2027-06-30.json", "--set \"selection_period=3 working days\""),
      "--set: error: selection_period cannot be set to a length in working days: the rules may add it "
      "to dates, and working days can be counted only against a calendar; give it in days, months or "
      "years\n");
  expect_json(eval_json("params", "judged_2027-06-30.json", "--set \"selection_period=3 days\""),
              "{\n  \"size\": 6,\n  \"deadline\": \"2027-07-03\",\n  \"method\": \"standard\"\n}\n");
}

TEST_CASE("eval: --set errors") {
  const std::string input = "judged_2027-06-30.json";
  expect_usage_error(eval_json("params", input, "--set nonexistent=1"),
                     "--set: error: unknown parameter nonexistent; 'merit list' shows the parameters\n");
  expect_usage_error(eval_json("params", input, "--set complment_size=1"),
                     "--set: error: unknown parameter complment_size; did you mean complement_size?\n");
  expect_usage_error(eval_json("params", input, "--set complement_size=abc"),
                     "--set: error: complement_size should be integer, like 6\n");
  expect_usage_error(eval_json("params", input, "--set complement_size=1.5"),
                     "--set: error: complement_size should be integer, like 6\n");
  expect_usage_error(eval_json("params", input, "--set 'complement_size=\"6\"'"),
                     "--set: error: complement_size should be integer, like 6\n");
  expect_usage_error(eval_json("params", input, "--set selection_period=5"),
                     "--set: error: selection_period should be duration, like 21 days\n");
  expect_usage_error(eval_json("params", input, "--set default_method=standrd"),
                     "--set: error: default_method should be Method, like standard\n");
  expect_usage_error(eval_json("params", input, "--set complement_size"),
                     "merit: --set takes NAME=VALUE as one word, like --set complement_size=VALUE\n"
                     "Run 'merit --help' for how to use it.\n");
  expect_usage_error(eval_json("params", input, "--set complement_size 5"),
                     "merit: --set takes NAME=VALUE as one word, like --set complement_size=5\n"
                     "Run 'merit --help' for how to use it.\n");
  expect_usage_error(eval_json("params", input, "--set =5"),
                     "--set: error: expected NAME=VALUE, like complement_size=5, not '=5'\n");
  expect_usage_error(eval_json("params", input, "--set \"complement_size=(5\""),
                     "--set complement_size:1:3: error: expected ')'\n(5\n  ^\n");
}

TEST_CASE("eval: --set with two values says so") {
  const auto r = eval_json("params", "judged_2027-06-30.json", "--set \"complement_size=5 6\"");
  CHECK(r.status == 2);
  CHECK(r.err.find("declaration") == std::string::npos);
  CHECK(r.err.find("unexpected text after the value") != std::string::npos);
}

TEST_CASE("eval: --as-of must be a date that exists") {
  expect_usage_error(eval_json("params", "judged_2027-06-30.json", "--as-of tomorrow"),
                     "--as-of: error: expected a date like 2026-03-01 (YYYY-MM-DD), not 'tomorrow'\n");
  expect_usage_error(eval_json("params", "judged_2027-06-30.json", "--as-of 2027-02-30"),
                     "--as-of: error: 2027-02-30 is not a date: February 2027 has 28 days\n");
  expect_usage_error(eval_json("params", "judged_2027-06-30.json", "--as-of 2027-13-01"),
                     "--as-of: error: 2027-13-01 is not a date: there is no month 13\n");
}

// -------------------------------------------------------------------------------------------------------------
// require, output formats, decisions calling decisions.

TEST_CASE("eval: a requirement that fails is invalid data, reported against the input file") {
  expect_json(eval_json("window", "window_ok.json"), "{\n  \"last\": \"2026-12-31\"\n}\n");
  expect_error(
      eval_json("window", "window_wrong_year.json"),
      "tests/rules/language/inputs/window_wrong_year.json: error: start must fall within the year given "
      "(§ R.1)\n");
  expect_error(eval_json("window", "window_last_century.json"),
               "tests/rules/language/inputs/window_last_century.json: error: start must be in this century "
               "(§ R.2)\n");
}

TEST_CASE("eval: json output is exactly the outputs, in declaration order, two-space indented") {
  expect_json(eval_json("sorting", "six.json"),
              "{\n"
              "  \"up\": [\n    \"F\",\n    \"C\",\n    \"D\",\n    \"E\",\n    \"B\",\n    \"A\"\n  ],\n"
              "  \"down\": [\n    \"A\",\n    \"B\",\n    \"C\",\n    \"D\",\n    \"E\",\n    \"F\"\n  ],\n"
              "  \"by_two\": [\n    \"D\",\n    \"A\",\n    \"B\",\n    \"C\",\n    \"E\",\n    \"F\"\n  ],\n"
              "  \"high\": [\n    \"C\",\n    \"A\",\n    \"D\",\n    \"B\",\n    \"E\"\n  ],\n"
              "  \"how_many\": 5,\n"
              "  \"any_tier_two\": true,\n"
              "  \"all_passed\": true,\n"
              "  \"first_low\": \"F\",\n"
              "  \"no_low\": \"nobody\"\n"
              "}\n");
}

TEST_CASE("eval: table output lists each output with its value and section") {
  const auto r = eval("take_counting", inputs + "counting.json", "--as-of 2026-01-01");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "take_counting (§ T.4), rules as of 2026-01-01\n"
        "  counted       A, B, C        § T.4\n"
        "  counted_ties  A, B, C, D, E  § T.5\n");
  const std::string promoted = temp_input(R"({"promoted": true})");
  CHECK(eval("route", promoted, "--as-of 2026-01-01").out ==
        "route (§ D), rules as of 2026-01-01\n  route  promotional  § D.2\n");
  const std::string empty = temp_input(R"({"candidates": []})");
  CHECK(eval("take_ties", empty, "--as-of 2026-01-01").out ==
        "take_ties (§ T.1), rules as of 2026-01-01\n"
        "  plain      (none)  § T.1\n"
        "  with_ties  (none)  § T.2\n"
        "  two_keys   (none)  § T.3\n");
  std::filesystem::remove(promoted);
  std::filesystem::remove(empty);
}

TEST_CASE("eval: a decision calls another with named inputs, and missing inputs take their defaults") {
  // `total` needs integer arithmetic; see the test of arithmetic below.
  const auto r = eval_json("outer", "outer.json");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("{\n  \"defaulted\": 10,\n  \"named\": [\n    1,\n    5\n  ],\n  \"total\": ", 0) == 0);
  CHECK(compact_eval("outer", R"({"x": 7})").rfind(R"({"defaulted":10,"named":[1,7],)", 0) == 0);
}

TEST_CASE("eval: integer and duration arithmetic") {
  expect_json(eval_json("add", "two_three.json"), "{\n  \"sum\": 5\n}\n");
  expect_json(eval_json("multiply", "two_three.json"), "{\n  \"product\": 6\n}\n");
  expect_json(eval_json("stretch", "n_3.json"), "{\n  \"length\": \"3 days\"\n}\n");
  // inner(a = 5).sum is 5 + 10, inner(a = 5, b = 1).doubled is 10.
  CHECK(compact_eval("outer", R"({"x": 5})") == R"({"defaulted":10,"named":[1,5],"total":25})");
}

TEST_CASE("eval: integer overflow is an error, not a crash or a wrapped number") {
  expect_error(eval_json("add", "max_plus_one.json"),
               "tests/rules/language/misc.merit:45:32: error: this number is too large\n"
               "  output sum: integer § A.1 = a + b\n"
               "                               ^\n");
  expect_error(eval_json("multiply", "max_times_two.json"),
               "tests/rules/language/misc.merit:51:36: error: this number is too large\n"
               "  output product: integer § A.2 = a * b\n"
               "                                   ^\n");
  expect_error(eval_json("negate", "min.json"),
               "tests/rules/language/misc.merit:56:36: error: this number is too large\n"
               "  output negated: integer § A.3 = -a\n"
               "                                   ^\n");
  expect_error(eval_json("total", "numbers_overflow.json"),
               "tests/rules/language/misc.merit:67:32: error: the sum is too large\n"
               "  output sum: integer § A.5 = sum(numbers)\n"
               "                               ^\n");
  expect_json(eval_json("total", "numbers.json"), "{\n  \"sum\": 6\n}\n");
  CHECK(compact_eval("negate", R"({"a": 5})") == R"({"negated":-5})");
}

// Issue 14: a decimal that overflowed became infinity (JSON null, `inf` in a table), and infinity less
// itself not-a-number, which a sort cannot put in order. Each is now an error at the operator or the call.
TEST_CASE("eval: a decimal result too large is an error, never infinity or not-a-number") {
  merit::testing::Scratch s("merit-eval-decimal");
  expect_error(eval("divide", s.write("huge.json", R"({"a": 1e300, "b": 1e-300})"), "--format json"),
               "tests/rules/language/misc.merit:62:37: error: the result is too large for a decimal number\n"
               "  output quotient: decimal § A.4 = a / b\n"
               "                                    ^\n");
  const std::string file =
      s.write("decimals.merit",
              "decision d § 1 {\n  input xs: list of decimal\n  output total: decimal § 1 = sum(xs)\n}\n"
              "decision e § 1 {\n  input xs: list of decimal\n"
              "  output ordered: list of decimal § 1 = sort y in [x * x - x * x for x in xs] by y\n}\n");
  const std::string huge = s.write("xs.json", R"({"xs": [1e308, 1e308, 1.5]})");
  const auto sum = eval_in(file, "d", huge, "--format json");
  CHECK(sum.status == 1);
  CHECK(sum.out.empty());
  CHECK(sum.err.rfind(file + ":3:32: error: the sum is too large\n", 0) == 0);
  const auto ordered = eval_in(file, "e", huge, "--format json");
  CHECK(ordered.status == 1);
  CHECK(ordered.out.empty());
  CHECK(ordered.err.rfind(file + ":7:53: error: the result is too large for a decimal number\n", 0) == 0);
  const auto fits = eval_in(file, "e", s.write("fits.json", R"({"xs": [2.5, 1e150]})"), "--format json");
  CHECK(fits.status == 0);
  CHECK(without_blanks(fits.out) == R"({"ordered":[0,0]})");
  // The same on lists long enough for kernels (32 items or more), which sorted by an infinite key and counted
  // by a not-a-number one: the error does not depend on the list's length, nor on the kernels.
  const std::string long_file =
      s.write("long.merit",
              "decision f § 1 {\n  input xs: list of decimal\n"
              "  output squares: list of decimal § 1 = sort x in xs by x * x\n}\n"
              "decision g § 1 {\n  input xs: list of decimal\n"
              "  output none_lost: integer § 1 = count x in xs where x * x - x * x == 0\n}\n");
  std::string forty = R"({"xs": [)";
  for (int i = 0; i < 40; ++i) forty += "1.5, ";
  const std::string long_list = s.write("forty.json", forty + "1e200]}");
  for (const std::string kernels : {"", "MERIT_KERNELS=never"}) {
    INFO(kernels);
    const auto sorted = eval_in(long_file, "f", long_list, "", kernels);
    CHECK(sorted.status == 1);
    CHECK(sorted.err.rfind(long_file + ":3:58: error: the result is too large for a decimal number\n", 0) ==
          0);
    const auto counted = eval_in(long_file, "g", long_list, "", kernels);
    CHECK(counted.status == 1);
    CHECK(counted.err.rfind(long_file + ":7:56: error: the result is too large for a decimal number\n", 0) ==
          0);
  }
}

TEST_CASE("eval: division by zero is an error") {
  expect_error(eval_json("divide", "one_zero.json"),
               "tests/rules/language/misc.merit:62:37: error: division by zero\n"
               "  output quotient: decimal § A.4 = a / b\n"
               "                                    ^\n");
  expect_json(eval_json("divide", "one_four.json"), "{\n  \"quotient\": 0.25\n}\n");
  CHECK(compact_eval("divide", R"({"a": 0, "b": 0})").rfind("exit 1: ", 0) == 0);
  CHECK(compact_eval("divide", R"({"a": -3, "b": 2})") == R"({"quotient":-1.5})");
}

// -------------------------------------------------------------------------------------------------------------
// Dates and calendars.

TEST_CASE("eval: date arithmetic keeps to the end of shorter months") {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {R"({"d": "2026-01-31", "length": "1 month"})",
       R"({"plus":"2026-02-28","minus":"2025-12-31","end":"2026-02-28","span_days":28,"y":2026,"m":1,"dd":31,)"
       R"("wd":"saturday"})"},
      {R"({"d": "2024-02-29", "length": "1 year"})",
       R"({"plus":"2025-02-28","minus":"2023-02-28","end":"2025-02-28","span_days":365,"y":2024,"m":2,"dd":29,)"
       R"("wd":"thursday"})"},
      {R"({"d": "2024-01-31", "length": "1 month"})",
       R"({"plus":"2024-02-29","minus":"2023-12-31","end":"2024-02-29","span_days":29,"y":2024,"m":1,"dd":31,)"
       R"("wd":"wednesday"})"},
      {R"({"d": "2026-01-15", "length": "1 month"})",
       R"({"plus":"2026-02-15","minus":"2025-12-15","end":"2026-02-14","span_days":31,"y":2026,"m":1,"dd":15,)"
       R"("wd":"thursday"})"},
      {R"({"d": "2026-03-01", "length": "3 months"})",
       R"({"plus":"2026-06-01","minus":"2025-12-01","end":"2026-05-31","span_days":92,"y":2026,"m":3,"dd":1,)"
       R"("wd":"sunday"})"},
      {R"({"d": "2026-03-31", "length": "1 month"})",
       R"({"plus":"2026-04-30","minus":"2026-02-28","end":"2026-04-30","span_days":30,"y":2026,"m":3,"dd":31,)"
       R"("wd":"tuesday"})"},
      {R"({"d": "2026-12-25", "length": "21 days"})",
       R"({"plus":"2027-01-15","minus":"2026-12-04","end":"2027-01-14","span_days":21,"y":2026,"m":12,"dd":25,)"
       R"("wd":"friday"})"},
      {R"({"d": "2026-03-01", "length": "1 day"})",
       R"({"plus":"2026-03-02","minus":"2026-02-28","end":"2026-03-01","span_days":1,"y":2026,"m":3,"dd":1,)"
       R"("wd":"sunday"})"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(compact_eval("date_math", c.input) == c.expected);
  }
}

TEST_CASE("eval: date errors: working days without a calendar, dates beyond the year 9999") {
  // The rules add `length` to a date, so working days are refused as the data are read.
  const std::string a = compact_eval("date_math", R"({"d": "2026-12-25", "length": "2 working days"})");
  CHECK(a.find("error: length: the rules add length to a date, so it cannot be in working days, which "
               "can be counted only against a calendar; give it in days, months or years\n") !=
        std::string::npos);
  const std::string b = compact_eval("date_math", R"({"d": "9999-12-01", "length": "1 month"})");
  CHECK(b.rfind("exit 1: tests/rules/language/misc.merit:32:30: error: this date falls outside the years 1 "
                "to 9999\n",
                0) == 0);
  const std::string c = compact_eval("date_math", R"({"d": "2026-01-01", "length": "0 days"})");
  CHECK(c.find("error: a period must be at least one day long, not 0") != std::string::npos);
}

TEST_CASE("eval: calendars: weekends, holidays observed on a weekday, closed days, working-day built-ins") {
  struct Case {
    const char* day;
    const char* expected;
  };
  const Case cases[] = {
      // Wednesday before the closed 24th (Thursday) and Christmas (Friday); the 10th working day from it
      // skips New Year's Day 2027 (Friday).
      {"2026-12-23", R"({"working":true,"next":"2026-12-28","tenth":"2027-01-08","count":7,"short_week":8})"},
      {"2026-12-24",
       R"({"working":false,"next":"2026-12-28","tenth":"2027-01-11","count":7,"short_week":8})"},
      {"2026-12-25",
       R"({"working":false,"next":"2026-12-28","tenth":"2027-01-11","count":8,"short_week":8})"},
      // Christmas 2027 falls on a Saturday: observed Friday the 24th.
      {"2027-12-24",
       R"({"working":false,"next":"2027-12-27","tenth":"2028-01-10","count":8,"short_week":8})"},
      // New Year's Day 2028 falls on a Saturday: observed on Friday 2027-12-31, in the year before.
      {"2027-12-31",
       R"({"working":false,"next":"2028-01-03","tenth":"2028-01-14","count":9,"short_week":8})"},
      // Independence Day 2027 falls on a Sunday: observed Monday the 5th.
      {"2027-07-05",
       R"({"working":false,"next":"2027-07-06","tenth":"2027-07-19","count":9,"short_week":8})"},
      {"2027-07-02", R"({"working":true,"next":"2027-07-06","tenth":"2027-07-16","count":9,"short_week":8})"},
      // Independence Day 2026 falls on a Saturday: observed Friday the 3rd.
      {"2026-07-03",
       R"({"working":false,"next":"2026-07-06","tenth":"2026-07-17","count":9,"short_week":8})"},
      // Thanksgiving is not a holiday of this calendar.
      {"2026-11-26",
       R"({"working":true,"next":"2026-11-27","tenth":"2026-12-09","count":10,"short_week":8})"},
      {"2026-05-23",
       R"({"working":false,"next":"2026-05-25","tenth":"2026-06-05","count":10,"short_week":8})"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.day);
    CHECK(compact_eval("working", std::string(R"({"day": ")") + c.day + "\"}") == c.expected);
  }
}

TEST_CASE("eval: nth_working_day gives none when the nth working day is past the limit") {
  // From 2026-12-18 (Friday) to 2027-01-18 there are 20 working days; `tenth` is in range, so check the
  // limit through the tour's working_days decision, whose limit is the end of the year.
  const std::string path = temp_input(R"({"start": "2026-12-18", "year": 2026})");
  const auto r =
      run_merit("eval working_days --rules examples/tour.merit --input " + path + " --format json");
  CHECK(r.status == 0);
  CHECK(r.out == "{\n  \"last\": null\n}\n");
  std::filesystem::remove(path);
}

TEST_CASE("eval: a calendar whose holidays depend on the calendar itself is rejected") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("merit-calendar-loop-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "calendar.merit")
      << "calendar office § K {\n"
         "  weekend saturday, sunday\n"
         "  holiday after_new_year = next_working_day(date(year, 1, 1), office)\n"
         "}\n"
         "decision d § 1 {\n"
         "  input day: date\n"
         "  output w: boolean § 1 = is_working_day(day, office)\n"
         "}\n";
  std::ofstream(dir / "input.json") << R"({"day": "2026-03-02"})";
  const auto check = run_merit("check '" + (dir / "calendar.merit").string() + "'");
  CHECK(check.status == 1);
  CHECK(check.err.find("office") != std::string::npos);
  const auto r =
      run_merit("eval d --rules '" + dir.string() + "' --input '" + (dir / "input.json").string() + "'");
  CHECK(r.status == 1);
  std::filesystem::remove_all(dir);
}

// Sorting by a duration key compared durations of different units by unit, then amount, so "400 days"
// sorted before "1 year", while `<` on the same two values is an error. A sort that would compare them is
// refused the same way, at the key, naming the item; durations of one unit sort by their amounts, and a
// later key compares only items that tie on the keys before it.
TEST_CASE("eval: sorting durations of different units is refused, not ordered by unit") {
  merit::testing::Scratch s("merit-duration-sort");
  const std::string file =
      s.write("leave.merit",
              "record Leave {\n  name: text\n  group: integer\n  length: duration\n}\n"
              "decision d § 1 {\n  input leaves: list of Leave\n"
              "  output sorted: list of text § 1 = [l.name for l in sort l in leaves by "
              "l.length]\n"
              "  output grouped: list of text § 1 = [l.name for l in sort l in leaves by "
              "l.group, l.length]\n}\n");
  const auto run = [&](const std::string& leaves) {
    return eval_in(file, "d", s.write("leaves.json", R"({"leaves": [)" + leaves + "]}"), "--format json");
  };
  const std::string year = R"({"name": "year", "group": 1, "length": "1 year"})";
  const std::string days400 = R"({"name": "400", "group": 2, "length": "400 days"})";
  expect_error(run(year + ", " + days400),
               file +
                   ":8:75: error: cannot sort by durations in different units: 400 days and 1 year\n"
                   "  output sorted: list of text § 1 = [l.name for l in sort l in leaves by l.length]\n"
                   "                                                                          ^\n"
                   "  for l = leaves item 1\n"
                   "  in output sorted of decision d at " +
                   file + ":8\n");
  // One unit: by amount.
  const std::string days10 = R"({"name": "ten", "group": 2, "length": "10 days"})";
  const std::string days2 = R"({"name": "two", "group": 2, "length": "2 days"})";
  const auto days = run(days10 + ", " + days2);
  CHECK(days.status == 0);
  CHECK(without_blanks(days.out) == R"({"sorted":["two","ten"],"grouped":["two","ten"]})");
  // In groups of one unit each, the lengths of two groups are never compared; in a group of two units, they
  // are.
  const std::string months = R"({"name": "months", "group": 1, "length": "3 months"})";
  const std::string grouped_only = s.write(
      "grouped.merit",
      "record Leave {\n  name: text\n  group: integer\n  length: duration\n}\n"
      "decision d § 1 {\n  input leaves: list of Leave\n"
      "  output grouped: list of text § 1 = [l.name for l in sort l in leaves by l.group, l.length]\n}\n");
  const auto two_groups = eval_in(
      grouped_only, "d", s.write("two.json", R"({"leaves": [)" + days10 + ", " + year + ", " + days2 + "]}"),
      "--format json");
  CHECK(two_groups.status == 0);
  CHECK(without_blanks(two_groups.out) == R"({"grouped":["year","two","ten"]})");
  const auto one_group_mixed =
      eval_in(grouped_only, "d",
              s.write("mixed.json", R"({"leaves": [)" + days10 + ", " + year + ", " + months + "]}"),
              "--format json");
  CHECK(one_group_mixed.status == 1);
  INFO(one_group_mixed.err);
  CHECK(one_group_mixed.err.rfind(
            grouped_only + ":8:85: error: cannot sort by durations in different units: 3 months and 1 year",
            0) == 0);
}

// A day that does not exist is named as such, not taken for text that is no date at all; the command line
// is what is wrong, so the status is 2.
TEST_CASE("eval: --as-of with a day that does not exist says so") {
  expect_usage_error(eval_json("params", "judged_2027-06-30.json", "--as-of 2027-02-30"),
                     "--as-of: error: 2027-02-30 is not a date: February 2027 has 28 days\n");
}

TEST_CASE("eval: subtracting days from a date") {
  CHECK(compact_eval("shift", R"({"d": "2026-03-01", "n": 1})") == R"({"earlier":"2026-02-28"})");
  CHECK(compact_eval("shift", R"({"d": "2026-03-01", "n": -1})") == R"({"earlier":"2026-03-02"})");
  CHECK(
      compact_eval("shift", R"({"d": "2026-03-01", "n": 5000000})")
          .rfind(
              "exit 1: tests/rules/language/misc.merit:78:33: error: this date falls outside the years 1 to "
              "9999\n",
              0) == 0);
}

TEST_CASE("eval: subtracting the most negative number of days is an error, not undefined behaviour") {
  const auto r = eval_json("shift", "shift_min.json");
  CHECK(r.status == 1);
  CHECK(r.err.find("runtime error") == std::string::npos);
  CHECK(r.err.rfind(
            "tests/rules/language/misc.merit:78:37: error: a duration of -9223372036854775808 is too long\n",
            0) == 0);
}

TEST_CASE("eval: a duration longer than any a rule speaks of is an error where it is made") {
  const merit::testing::Scratch s("merit-duration");
  // Written in the rules: found by merit check.
  const auto literal = s.write("literal/rules.merit", "parameter p: duration § X = 99999999999999999 days\n");
  const auto r = run_merit("check '" + literal + "'");
  CHECK(r.status == 1);
  CHECK(r.err.find(literal + ":1:30: error: this duration is too long") == 0);
  // Worked out: an error at the expression.
  const auto made = s.write("made/rules.merit",
                            "decision longer § X {\n"
                            "  input n: integer\n"
                            "  output by_product: duration § X.1 = days(1) * n\n"
                            "}\n");
  const auto input = s.write("n.json", R"({"n": 36028797018963968})");
  const auto e = run_merit("eval longer --rules '" + (s.dir / "made").string() + "' --input '" + input + "'");
  CHECK(e.status == 1);
  CHECK(e.err.find(made + ":3:40: error: this duration is too long") == 0);
  // Within the bound, a long duration is kept exactly.
  const auto fits = s.write("fits.json", R"({"n": 36028797018963967})");
  const auto f = run_merit("eval longer --rules '" + (s.dir / "made").string() + "' --input '" + fits +
                           "' --format json");
  CHECK(f.status == 0);
  CHECK(f.out.find("36028797018963967 days") != std::string::npos);
}

// -------------------------------------------------------------------------------------------------------------
// Amendments by date (tests/rules/language/amendments.merit): a function, a labelled rule and an output each
// have a version through 2027-06-30 and one from 2027-07-01; the decision is judged as of its `on` input.

TEST_CASE("amendments: the versions in force on the day before an amendment takes effect apply") {
  CHECK(compact_eval("amended", R"({"on": "2027-06-30"})") ==
        R"({"label":"old rule for 1","window":21,"fee":10,"bonus":0})");
}

TEST_CASE("amendments: from the day an amendment takes effect, its versions apply") {
  CHECK(compact_eval("amended", R"({"on": "2027-07-01"})") ==
        R"({"label":"new rule for 1","window":30,"fee":12,"bonus":0})");
}

TEST_CASE("amendments: an exception to a labelled rule applies to each of its versions") {
  CHECK(compact_eval("amended", R"({"on": "2027-06-30", "n": 0})") ==
        R"({"label":"old rule for 0","window":0,"fee":10,"bonus":0})");
  CHECK(compact_eval("amended", R"({"on": "2027-07-01", "n": 0})") ==
        R"({"label":"new rule for 0","window":0,"fee":12,"bonus":0})");
}

TEST_CASE("amendments: an exception that takes effect later does not apply before it does") {
  CHECK(compact_eval("amended", R"({"on": "2027-12-31", "n": 2})").find(R"("bonus":0)") != std::string::npos);
  CHECK(compact_eval("amended", R"({"on": "2028-01-01", "n": 2})").find(R"("bonus":5)") != std::string::npos);
}

TEST_CASE("amendments: --as-of judges the rules in force on another day than the decision's own") {
  CHECK(compact_eval("amended", R"({"on": "2026-01-01"})", "--as-of 2027-07-01") ==
        R"({"label":"new rule for 1","window":30,"fee":12,"bonus":0})");
  CHECK(compact_eval("amended", R"({"on": "2030-01-01"})", "--as-of 2027-06-30") ==
        R"({"label":"old rule for 1","window":21,"fee":10,"bonus":0})");
}

TEST_CASE("amendments: a repealed rule gives no value after its last day, and the error says so") {
  CHECK(compact_eval("repealed", R"({"on": "2026-12-31"})") == R"({"sunset":1})");
  CHECK(
      compact_eval("repealed", R"({"on": "2027-01-01"})") ==
      "exit 1: tests/rules/language/amendments.merit:29:10: error: no rule gives sunset a value in this case "
      "(the rules at line 30 do not apply or are not in force on 2027-01-01)\n"
      "  output sunset: integer\n"
      "         ^\n");
}

TEST_CASE("amendments: --explain says which versions were not in force on the day judged") {
  const std::string path = temp_input(R"({"on": "2027-07-01", "n": 0})");
  const auto r = eval("amended", path, "--explain --format json");
  std::filesystem::remove(path);
  REQUIRE(r.status == 0);
  const std::string window =
      R"({"name": "window", "value": 0, "cite": "A.2", "rule": "tests/rules/language/amendments.merit:16", )"
      R"("because": null, "rules": [{"cite": "A.2", "rule": "tests/rules/language/amendments.merit:14", )"
      R"("state": "not_in_force"}, {"cite": "A.2", "rule": "tests/rules/language/amendments.merit:15", )"
      R"("state": "not_reached"}], "exceptions": [{"cite": "A.2", )"
      R"("rule": "tests/rules/language/amendments.merit:16", "state": "applied"}]})";
  const auto compact = without_blanks;
  CHECK(compact(r.out).find(compact(window)) != std::string::npos);
  CHECK(compact(r.out).find(compact(R"({"name": "bonus", "value": 0, "cite": "A.4")")) != std::string::npos);
  CHECK(compact(r.out).find(compact(R"({"cite": "A.5", "rule": "tests/rules/language/amendments.merit:23", )"
                                    R"("state": "not_in_force"})")) != std::string::npos);
}

TEST_CASE("eval: an error names what was being evaluated, innermost first: function, item, rule, output") {
  expect_error(eval_json("traced", "trace_weight_zero.json"),
               "tests/rules/language/trace.merit:9:46: error: division by zero\n"
               "function share(e: Entrant): decimal § T.1 = e.score / e.weight\n"
               "                                             ^\n"
               "  in function share at tests/rules/language/trace.merit:9, called at "
               "tests/rules/language/trace.merit:11\n"
               "  for e = es item 2 (id \"C02\")\n"
               "  in function shares at tests/rules/language/trace.merit:11, called at "
               "tests/rules/language/trace.merit:17\n"
               "  in the rule at tests/rules/language/trace.merit:17 (§ T.4)\n"
               "  in output total of decision traced at tests/rules/language/trace.merit:16\n");
}

TEST_CASE("eval: choose gives the branch that names the member, members sharing a branch with '|'") {
  CHECK(compact_eval("route_tier", R"({"route": "standard"})") == R"({"tier":1,"label":"rank"})");
  CHECK(compact_eval("route_tier", R"({"route": "agency_promotional"})") ==
        R"({"tier":2,"label":"promotion"})");
  CHECK(compact_eval("route_tier", R"({"route": "statewide_promotional"})") ==
        R"({"tier":3,"label":"promotion"})");
  CHECK(compact_eval("route_tier", R"({"route": "open_competitive"})") == R"({"tier":3,"label":"open"})");
}

TEST_CASE("eval: a decision judged as of a date worked out from its inputs uses the values in force then") {
  // day_limit is 90, amended to 120 from 2027-01-01; without a start the decision is judged as of the
  // first day of the year asked about, whatever the day the case is run.
  CHECK(compact_eval("limit_for_year", R"({"year": 2027})") == R"({"limit":120})");
  CHECK(compact_eval("limit_for_year", R"({"year": 2026})") == R"({"limit":90})");
  CHECK(compact_eval("limit_for_year", R"({"year": 2027, "start": "2026-12-31"})") == R"({"limit":90})");
  // --as-of still decides.
  CHECK(compact_eval("limit_for_year", R"({"year": 2026})", "--as-of 2027-03-01") == R"({"limit":120})");
}

TEST_CASE("eval: a holiday or closed day counts only on the days it is in force") {
  // Juneteenth is a holiday from 2027: Friday 19 June 2026 is a working day, Monday 19 June 2028 is not.
  CHECK(compact_eval("amended_working", R"({"day": "2026-06-19"})") == R"({"working":true})");
  CHECK(compact_eval("amended_working", R"({"day": "2028-06-19"})") == R"({"working":false})");
  // February 29 is a holiday in 2028 only: in 2024 it is a working day.
  CHECK(compact_eval("amended_working", R"({"day": "2024-02-29"})") == R"({"working":true})");
  CHECK(compact_eval("amended_working", R"({"day": "2028-02-29"})") == R"({"working":false})");
  // The closure of Thursday 18 June 2026 was in force through 2025 only.
  CHECK(compact_eval("amended_working", R"({"day": "2026-06-18"})") == R"({"working":true})");
}

// -------------------------------------------------------------------------------------------------------------
// Lists with `after`: the list grows in place, and is copied only when an element keeps it.

TEST_CASE(
    "eval: a list with `after` gives each item the elements before it, also when an element keeps them") {
  merit::testing::Scratch s("merit-after");
  const auto path =
      s.write("after.merit",
              "record R {\n  v: integer\n  before: list of R\n}\n"
              "decision d § 1 {\n"
              "  input a: list of integer\n"
              "  output sizes: list of integer § 1 = [size(e) for v in a after e]\n"
              "  output kept: list of integer § 1 =\n"
              "    [size(r.before) for r in [R { v: v, before: e } for v in a after e]]\n"
              "  output sums: list of integer § 1 = [v + sum(e) for v in a after e where v != 2]\n"
              "}\n");
  const std::string input = temp_input(R"({"a": [1, 2, 3, 4]})");
  const auto r = run_merit("eval d --rules " + path + " --input " + input + " --format json");
  std::filesystem::remove(input);
  INFO("stderr: " << r.err);
  CHECK(r.status == 0);
  // `kept`: each element is the list before it, so the list is copied for each item; none of them changes
  // after it is kept. `sums`: 2 is left out, so 3 sees [1] and 4 sees [1, 4].
  CHECK(without_blanks(r.out) == R"({"sizes":[0,1,2,3],"kept":[0,1,2,3],"sums":[1,4,9]})");
}
