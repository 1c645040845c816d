// The JSON Schemas `merit schema` writes from the rules' declarations, checked with a validator from Debian
// (valijson): every shipped example and rule test is valid against them, and a case that the reader refuses
// for a wrong field, type, date or member, the schema refuses too, so that the two cannot drift apart.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::Scratch;
using merit::testing::source_dir;
using nlohmann::json;

namespace {

/// A schema written by `merit schema ARGS`, ready to validate documents.
class Schema {
 public:
  explicit Schema(const std::string& args) {
    const auto r = run_merit("schema " + args);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    document_ = json::parse(r.out);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    const valijson::adapters::NlohmannJsonAdapter adapter(document_);
    parser.populateSchema(adapter, schema_);
  }

  /// Empty when `doc` is valid; else what the validator says, one problem a line.
  std::string problems(const json& doc) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    const valijson::adapters::NlohmannJsonAdapter adapter(doc);
    if (validator.validate(schema_, adapter, &results)) return {};
    std::string out;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string where;
      for (const auto& part : error.context) where += part;
      out += where + ": " + error.description + "\n";
    }
    return out.empty() ? "invalid\n" : out;
  }

 private:
  json document_;
  valijson::Schema schema_;
};

std::vector<fs::path> json_files(const fs::path& folder, const std::string& ending = ".json") {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(source_dir()) / folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > ending.size() &&
        name.compare(name.size() - ending.size(), ending.size(), ending) == 0)
      out.push_back(entry.path());
  }
  return out;
}

json read_json(const fs::path& path) {
  return json::parse(read_text(path.string()));
}

}  // namespace

TEST_CASE("schema: every shipped case file is valid against the case schema") {
  const Schema schema("case");
  int checked = 0;
  for (const char* folder : {"examples/certify", "examples/decisions", "examples/what-if/cases"}) {
    for (const auto& path : json_files(folder)) {
      CAPTURE(path.string());
      CHECK(schema.problems(read_json(path)) == "");
      ++checked;
    }
  }
  CHECK(checked >= 30);
  // A case for --register gives its candidates in the CSV: with the CSV's rows in their place it is a case.
  json csv_case = read_json(fs::path(source_dir()) / "examples/csv/csv-case.json");
  CHECK(schema.problems(csv_case) != "");
  csv_case["register"]["candidates"] = json::array();
  CHECK(schema.problems(csv_case) == "");
}

TEST_CASE("schema: each decision's example input is valid against that decision's input schema") {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / "examples")) {
    const std::string decision = entry.path().stem().string();
    if (entry.path().extension() != ".json" || decision == "tour") continue;
    CAPTURE(decision);
    const Schema schema("input " + decision);
    CHECK(schema.problems(read_json(entry.path())) == "");
    ++checked;
  }
  CHECK(checked >= 5);
  CHECK(run_merit("schema input acting_capacty")
            .err.rfind("merit: unknown decision acting_capacty; did you mean acting_capacity?\n", 0) == 0);
  CHECK(run_merit("schema form").status == 2);
}

TEST_CASE("schema: every rule test file beside the rules is valid against the test schema") {
  const Schema schema("test");
  int checked = 0;
  for (const auto& path : json_files("rules", ".test.json")) {
    CAPTURE(path.string());
    CHECK(schema.problems(read_json(path)) == "");
    ++checked;
  }
  CHECK(checked >= 8);
  // A test file's mistakes the reader reports are refused by the schema too.
  const json file = read_json(fs::path(source_dir()) / "rules/chapter8/3-acting-capacity.test.json");
  json wrong = file;
  wrong["tests"][0]["sectoin"] = "3";
  CHECK(schema.problems(wrong) != "");
  wrong = file;
  wrong["tests"][0].erase("expect");
  CHECK(schema.problems(wrong) != "");
  wrong = file;
  wrong["set"] = {{"complment_size", 5}};
  CHECK(schema.problems(wrong) != "");
  // Certification tests name a requisition or requisitions, even those of a case that must be refused; a
  // refusal expects its error text alone.
  const json certify_test = {
      {"test", "t"},
      {"section", "2"},
      {"register", {{"class", "Clerk"}, {"pay_grade", 8}, {"candidates", json::array()}}},
      {"expect", {{"complete", false}}}};
  CHECK(schema.problems(certify_test) != "");
  json refused = certify_test;
  refused["expect"] = {{"error", "x"}};
  CHECK(schema.problems(refused) != "");
  refused["requisition"] = {{"id", 5}};
  CHECK(schema.problems(refused) == "");
  refused["expect"] = {{"error", 5}};
  CHECK(schema.problems(refused) != "");
  refused["expect"] = {{"error", "x"}, {"complete", true}};
  CHECK(schema.problems(refused) != "");
  CHECK(schema.problems({{"test", "x"}, {"section", "2"}, {"expect", {{"error", "y"}}}}) != "");
  CHECK(schema.problems({{"test", "x"},
                         {"section", "2"},
                         {"decision", 5},
                         {"input", json::object()},
                         {"expect", {{"error", "y"}}}}) != "");
}

TEST_CASE("schema: a case the reader refuses, the schema refuses, and one it reads, the schema accepts") {
  const Schema schema("case");
  const json standard = read_json(fs::path(source_dir()) / "examples/certify/standard.json");
  Scratch s("merit-schema");
  struct Change {
    const char* what;
    json (*apply)(json);
    bool valid;
  };
  const Change changes[] = {
      {"as it is", [](json c) { return c; }, true},
      {"requisitions as a list",
       [](json c) {
         c["requisitions"] = json::array({c["requisition"]});
         c.erase("requisition");
         return c;
       },
       true},
      {"a misspelt candidate field",
       [](json c) {
         c["register"]["candidates"][0]["scroe"] = 90;
         return c;
       },
       false},
      {"a score that is text",
       [](json c) {
         c["register"]["candidates"][0]["score"] = "ninety";
         return c;
       },
       false},
      {"no score",
       [](json c) {
         c["register"]["candidates"][0].erase("score");
         return c;
       },
       false},
      {"a date written another way",
       [](json c) {
         c["requisition"]["received"] = "03/02/2026";
         return c;
       },
       false},
      {"a method the rules do not know",
       [](json c) {
         c["requisition"]["method"] = "rule_of_three";
         return c;
       },
       false},
      {"both requisition and requisitions",
       [](json c) {
         c["requisitions"] = json::array({c["requisition"]});
         return c;
       },
       false},
      {"no requisition",
       [](json c) {
         c.erase("requisition");
         return c;
       },
       false},
      {"an unknown key",
       [](json c) {
         c["notes"] = "x";
         return c;
       },
       false},
      {"an optional field as null",
       [](json c) {
         c["register"]["candidates"][0]["agency"] = nullptr;
         return c;
       },
       true},
  };
  for (const auto& change : changes) {
    CAPTURE(change.what);
    const json c = change.apply(standard);
    CHECK((schema.problems(c) == "") == change.valid);
    const std::string path = s.write("case.json", c.dump());
    CHECK((run_merit("certify --case '" + path + "'").status == 0) == change.valid);
  }
  // A decision case names one decision and gives its inputs.
  const json decision = {
      {"decision", "acting_capacity"},
      {"input", {{"start", "2026-01-31"}, {"end", "2026-09-30"}, {"source", "open_competitive"}}}};
  CHECK(schema.problems(decision) == "");
  json misnamed = decision;
  misnamed["decision"] = "acting_capcity";
  CHECK(schema.problems(misnamed) != "");
  json extra = decision;
  extra["input"]["extension"] = true;
  CHECK(schema.problems(extra) != "");
}
