#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/data.hpp"
#include "stdlib/dates.hpp"

using namespace merit;

namespace {

// A program built by hand, as the checker would leave it, so these tests do not depend on the parser:
//   enum Method = standard | agency_promotional | open_competitive
//   record Candidate { id: text  score: decimal  veteran: boolean = false  rank: integer?  applied: date
//                      method: Method = standard }
//   record Requisition { id: text  received: date  vacancies: integer  posting: duration
//                        candidates: list of Candidate  closes: date? }
//   record CaseFile { requisitions: list of Requisition }
struct Rules {
  Program program;
  TypeRef method;
  TypeRef candidate;
  TypeRef requisition;
  TypeRef case_file;

  Rules() {
    add_enum("Weekday", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
    method = enum_type(add_enum("Method", {"standard", "agency_promotional", "open_competitive"}));
    ast::Record& c = add_record("Candidate");
    c.fields.push_back(field("id", basic_type(TypeKind::text)));
    c.fields.push_back(field("score", basic_type(TypeKind::decimal)));
    c.fields.push_back(field("veteran", basic_type(TypeKind::boolean), Value(false)));
    c.fields.push_back(field("rank", optional_of(basic_type(TypeKind::integer))));
    c.fields.push_back(field("applied", basic_type(TypeKind::date)));
    c.fields.push_back(field("method", method, Value(EnumValue{1, 0})));
    candidate = record_type(0);
    ast::Record& r = add_record("Requisition");
    r.fields.push_back(field("id", basic_type(TypeKind::text)));
    r.fields.push_back(field("received", basic_type(TypeKind::date)));
    r.fields.push_back(field("vacancies", basic_type(TypeKind::integer)));
    r.fields.push_back(field("posting", basic_type(TypeKind::duration)));
    r.fields.push_back(field("candidates", list_of(candidate)));
    r.fields.push_back(field("closes", optional_of(basic_type(TypeKind::date))));
    requisition = record_type(1);
    ast::Record& f = add_record("CaseFile");
    f.fields.push_back(field("requisitions", list_of(requisition)));
    case_file = record_type(2);
  }

  std::int32_t add_enum(const std::string& name, const std::vector<std::string>& members) {
    ast::Enumeration& e = program.synthetic_enums.emplace_back();
    e.name = name;
    for (const std::string& member : members) e.members.push_back({member, {}});
    program.enums.push_back(&e);
    return static_cast<std::int32_t>(program.enums.size() - 1);
  }

  ast::Record& add_record(const std::string& name) {
    ast::Record& r = program.synthetic_records.emplace_back();
    r.name = name;
    program.records.push_back(&r);
    return r;
  }

  static ast::FieldDecl field(const std::string& name, TypeRef type,
                              std::optional<Value> default_value = {}) {
    ast::FieldDecl f;
    f.name = name;
    f.resolved = std::move(type);
    if (default_value) {
      f.default_value = std::make_unique<ast::Expr>();
      f.default_value->node = ast::Literal{*default_value};
    }
    return f;
  }
};

/// The result of reading one JSON text: the value, or the messages of the errors.
struct Read {
  std::optional<Value> value;
  std::vector<std::string> messages;
};

/// JSON text parsed as the data file case.json; the test fails when it is not valid JSON.
JsonDocument parse(const std::string& json_text) {
  JsonDocument document;
  Diagnostics errors;
  const bool parsed = document.parse(json_text, "case.json", errors);
  for (const Diagnostic& error : errors) INFO(error.message);
  REQUIRE(parsed);
  REQUIRE(errors.empty());
  return document;
}

/// The one error parsing JSON text gives.
std::string parse_error(const std::string& json_text) {
  JsonDocument document;
  Diagnostics errors;
  CHECK_FALSE(document.parse(json_text, "case.json", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == "case.json");
  return errors[0].message;
}

Read read(const Rules& rules, const std::string& json_text, const TypeRef& type,
          const std::string& path = "") {
  Diagnostics errors;
  Read result;
  const JsonDocument document = parse(json_text);
  result.value = read_value(document.root(), type, rules.program, "case.json", path, errors);
  for (const Diagnostic& error : errors) {
    CHECK(error.file == "case.json");
    CHECK_FALSE(error.span.has_value());
    result.messages.push_back(error.message);
  }
  CHECK(result.value.has_value() == errors.empty());
  return result;
}

Value read_ok(const Rules& rules, const std::string& json_text, const TypeRef& type) {
  Read result = read(rules, json_text, type);
  REQUIRE(result.messages.empty());
  REQUIRE(result.value.has_value());
  return *result.value;
}

/// The one error message reading gives.
std::string read_error(const Rules& rules, const std::string& json_text, const TypeRef& type,
                       const std::string& path = "") {
  Read result = read(rules, json_text, type, path);
  REQUIRE(result.messages.size() == 1);
  return result.messages[0];
}

Date on(int year, int month, int day) {
  const std::optional<Date> date = stdlib::make_date(year, month, day);
  REQUIRE(date.has_value());
  return *date;
}

const TypeRef boolean = basic_type(TypeKind::boolean);
const TypeRef integer = basic_type(TypeKind::integer);
const TypeRef decimal = basic_type(TypeKind::decimal);
const TypeRef text = basic_type(TypeKind::text);
const TypeRef date = basic_type(TypeKind::date);
const TypeRef duration = basic_type(TypeKind::duration);

const char* const full_case = R"({
  "requisitions": [
    {"id": "R-1", "received": "2026-03-01", "vacancies": 2, "posting": "21 days",
     "candidates": [
       {"id": "A", "score": 92.5, "veteran": true, "rank": 1, "applied": "2026-02-10",
        "method": "agency_promotional"},
       {"id": "B", "score": 91, "rank": null, "applied": "2026-02-11"}
     ],
     "closes": "2026-04-30"},
    {"id": "R-2", "received": "2026-03-05", "vacancies": 1, "posting": "90 working days", "candidates": []}
  ]
})";

}  // namespace

TEST_CASE("data: paths") {
  CHECK(data_path_field("", "requisitions") == "requisitions");
  CHECK(data_path_field("requisitions[2]", "vacancies") == "requisitions[2].vacancies");
  CHECK(data_path_item("requisitions", 2) == "requisitions[2]");
  CHECK(data_path_display("") == "(top level)");
  CHECK(data_path_display("a.b") == "a.b");
}

TEST_CASE("data: reads booleans, numbers and text") {
  const Rules rules;
  CHECK(read_ok(rules, "true", boolean).as_bool());
  CHECK_FALSE(read_ok(rules, "false", boolean).as_bool());
  CHECK(read_ok(rules, "3", integer).as_int() == 3);
  CHECK(read_ok(rules, "-4", integer).as_int() == -4);
  CHECK(read_ok(rules, "3.0", integer).as_int() == 3);
  CHECK(read_ok(rules, "9223372036854775807", integer).as_int() == INT64_MAX);
  const Value score = read_ok(rules, "92.5", decimal);
  REQUIRE(std::holds_alternative<double>(score.data));
  CHECK(score.as_number() == 92.5);
  const Value whole = read_ok(rules, "91", decimal);
  REQUIRE(std::holds_alternative<double>(whole.data));  // decimals are always doubles, even when whole
  CHECK(whole.as_number() == 91.0);
  CHECK(read_ok(rules, R"("Jane Doe")", text).as_text() == "Jane Doe");
}

TEST_CASE("data: reads dates, durations and enumeration members") {
  const Rules rules;
  CHECK(read_ok(rules, R"("2026-03-01")", date).as_date() == on(2026, 3, 1));
  CHECK(read_ok(rules, R"("2024-02-29")", date).as_date() == on(2024, 2, 29));
  CHECK(read_ok(rules, R"("21 days")", duration).as_duration() == Duration{21, DurationUnit::days});
  CHECK(read_ok(rules, R"("1 day")", duration).as_duration() == Duration{1, DurationUnit::days});
  CHECK(read_ok(rules, R"("1 month")", duration).as_duration() == Duration{1, DurationUnit::months});
  CHECK(read_ok(rules, R"("3 months")", duration).as_duration() == Duration{3, DurationUnit::months});
  CHECK(read_ok(rules, R"("1 year")", duration).as_duration() == Duration{1, DurationUnit::years});
  CHECK(read_ok(rules, R"("2 years")", duration).as_duration() == Duration{2, DurationUnit::years});
  CHECK(read_ok(rules, R"("90 working days")", duration).as_duration() ==
        Duration{90, DurationUnit::working_days});
  CHECK(read_ok(rules, R"("1 working day")", duration).as_duration() ==
        Duration{1, DurationUnit::working_days});
  CHECK(read_ok(rules, R"("agency_promotional")", rules.method).as_enum() == EnumValue{1, 1});
  CHECK(read_ok(rules, R"("monday")", enum_type(weekday_enum)).as_enum() == EnumValue{0, 0});
}

TEST_CASE("data: optionals take null as none") {
  const Rules rules;
  CHECK(read_ok(rules, "null", optional_of(date)).is_none());
  CHECK(read_ok(rules, R"("2026-03-01")", optional_of(date)).as_date() == on(2026, 3, 1));
  CHECK(read_error(rules, "null", date) == "(top level): expected a date like 2026-03-01, found null");
}

TEST_CASE("data: wrong kinds of JSON value") {
  const Rules rules;
  CHECK(read_error(rules, R"("yes")", boolean) == R"((top level): expected true or false, found "yes")");
  CHECK(read_error(rules, "1", boolean) == "(top level): expected true or false, found 1");
  CHECK(read_error(rules, "2.5", integer) == "(top level): expected a whole number, found 2.5");
  CHECK(read_error(rules, R"("3")", integer) == R"((top level): expected a whole number, found "3")");
  CHECK(read_error(rules, "true", integer) == "(top level): expected a whole number, found true");
  CHECK(read_error(rules, "18446744073709551615", integer) ==
        "(top level): 18446744073709551615 is too large a number");
  CHECK(read_error(rules, R"("92.5")", decimal) == R"((top level): expected a number, found "92.5")");
  CHECK(read_error(rules, "42", text) == "(top level): expected text, found 42");
  CHECK(read_error(rules, "null", text) == "(top level): expected text, found null");
  CHECK(read_error(rules, "[1]", text) == "(top level): expected text, found a list");
  CHECK(read_error(rules, "{}", text) == "(top level): expected text, found an object");
  CHECK(read_error(rules, "[]", rules.candidate) == "(top level): expected Candidate, found a list");
  CHECK(read_error(rules, "{}", list_of(rules.candidate)) ==
        "(top level): expected list of Candidate, found an object");
  CHECK(read_error(rules, "5", rules.method) ==
        "(top level): expected one of standard, agency_promotional, open_competitive, found 5");
}

TEST_CASE("data: long text in a message is shortened") {
  const Rules rules;
  const std::string message = read_error(rules, "\"" + std::string(200, 'x') + "\"", integer);
  CHECK(message == "(top level): expected a whole number, found \"" + std::string(57, 'x') + "...\"");
}

TEST_CASE("data: dates must be written YYYY-MM-DD and exist") {
  const Rules rules;
  CHECK(read_error(rules, R"("2026-02-30")", date) == "(top level): 2026-02-30 is not a date that exists");
  CHECK(read_error(rules, R"("2025-02-29")", date) == "(top level): 2025-02-29 is not a date that exists");
  CHECK(read_error(rules, R"("2026-13-01")", date) == "(top level): 2026-13-01 is not a date that exists");
  CHECK(read_error(rules, R"("2026-3-1")", date) ==
        R"((top level): expected a date like 2026-03-01, found "2026-3-1")");
  CHECK(read_error(rules, R"("March 1, 2026")", date) ==
        R"((top level): expected a date like 2026-03-01, found "March 1, 2026")");
  CHECK(read_error(rules, "20260301", date) ==
        "(top level): expected a date like 2026-03-01, found 20260301");
}

TEST_CASE("data: durations must name an amount and a unit") {
  const Rules rules;
  const std::string expected = R"(expected a length of time like "21 days", "3 months", "1 year" or )"
                               R"("90 working days")";
  CHECK(read_error(rules, R"("21 dys")", duration) == "(top level): " + expected + R"(, found "21 dys")");
  CHECK(read_error(rules, R"("days")", duration) == "(top level): " + expected + R"(, found "days")");
  CHECK(read_error(rules, R"("21")", duration) == "(top level): " + expected + R"(, found "21")");
  CHECK(read_error(rules, R"("21  days")", duration) == "(top level): " + expected + R"(, found "21  days")");
  CHECK(read_error(rules, "21", duration) == "(top level): " + expected + ", found 21");
}

TEST_CASE("data: enumeration members are named exactly") {
  const Rules rules;
  CHECK(read_error(rules, R"("foo")", rules.method) ==
        R"((top level): expected one of standard, agency_promotional, open_competitive, found "foo")");
  CHECK(read_error(rules, R"("Standard")", rules.method) ==
        R"((top level): expected one of standard, agency_promotional, open_competitive, found "Standard")");
}

TEST_CASE("data: records read every field in declaration order") {
  const Rules rules;
  const Value c =
      read_ok(rules,
              R"({"method": "open_competitive", "applied": "2026-02-10", "rank": 3, "veteran": true,
                              "score": 88.25, "id": "A-7"})",
              rules.candidate);
  const RecordValue& record = c.as_record();
  CHECK(record.decl == 0);
  REQUIRE(record.fields.size() == 6);
  CHECK(record.fields[0].as_text() == "A-7");
  CHECK(record.fields[1].as_number() == 88.25);
  CHECK(record.fields[2].as_bool());
  CHECK(record.fields[3].as_int() == 3);
  CHECK(record.fields[4].as_date() == on(2026, 2, 10));
  CHECK(record.fields[5].as_enum() == EnumValue{1, 2});
}

TEST_CASE("data: a long list of records comes with its columns, and a field's equal texts are one value") {
  const Rules rules;
  std::string json = "[";
  for (int i = 0; i < 40; ++i) {
    json += std::string(i == 0 ? "" : ",") + R"({"id": ")" + (i % 2 == 0 ? "even" : "odd") +
            R"(", "score": )" + std::to_string(i) + R"(, "applied": "2026-02-10"})";
  }
  const Value list = read_ok(rules, json + "]", list_of(rules.candidate));
  const ListValue& items = list.as_list();
  REQUIRE(items.size() == 40);
  const std::vector<Value>& ids = items.column(0);
  const std::vector<Value>& scores = items.column(1);
  REQUIRE(ids.size() == 40);
  REQUIRE(scores.size() == 40);
  for (std::size_t i = 0; i < 40; ++i) {
    CHECK(values_equal(ids[i], items.at(i).as_record().fields[0]));
    CHECK(scores[i].as_number() == static_cast<double>(i));
  }
  CHECK(ids[39].as_text() == "odd");
  CHECK(&items.at(0).as_record().fields[0].as_text() == &items.at(38).as_record().fields[0].as_text());
  CHECK(&items.at(1).as_record().fields[0].as_text() != &items.at(0).as_record().fields[0].as_text());
}

TEST_CASE("data: missing fields take their default, or none when optional") {
  const Rules rules;
  const Value c = read_ok(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11"})", rules.candidate);
  const RecordValue& record = c.as_record();
  CHECK_FALSE(record.fields[2].as_bool());               // veteran: boolean = false
  CHECK(record.fields[3].is_none());                     // rank: integer?
  CHECK(record.fields[5].as_enum() == EnumValue{1, 0});  // method: Method = standard
  CHECK(read_ok(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11", "rank": null})", rules.candidate)
            .as_record()
            .fields[3]
            .is_none());
}

TEST_CASE("data: a missing required field is named at the object's path") {
  const Rules rules;
  CHECK(read_error(rules, R"({"score": 91, "applied": "2026-02-11"})", rules.candidate) ==
        R"((top level): missing required field "id")");
  CHECK(read_error(rules, R"({"requisitions": [{"id": "R-1", "received": "2026-03-01", "vacancies": 1,
                                               "posting": "21 days", "candidates": [{"id": "A", "score": 90}]}]})",
                   rules.case_file) == R"(requisitions[0].candidates[0]: missing required field "applied")");
}

TEST_CASE("data: unknown fields are errors, with a suggestion when close to a declared one") {
  const Rules rules;
  CHECK(read_error(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11", "vetran": true})",
                   rules.candidate) == R"((top level): unknown field "vetran"; did you mean "veteran"?)");
  CHECK(read_error(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11", "Score": 3})",
                   rules.candidate) == R"((top level): unknown field "Score"; did you mean "score"?)");
  CHECK(read_error(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11", "phone": "555"})",
                   rules.candidate) == R"((top level): unknown field "phone")");

  const Read misspelt = read(rules, R"({"id": "B", "scor": 91, "applied": "2026-02-11"})", rules.candidate);
  REQUIRE(misspelt.messages.size() == 2);
  CHECK(misspelt.messages[0] == R"((top level): missing required field "score")");
  CHECK(misspelt.messages[1] == R"((top level): unknown field "scor"; did you mean "score"?)");
}

TEST_CASE("data: errors deep in a case file name their JSON path") {
  const Rules rules;
  const std::string json = R"({"requisitions": [
    {"id": "R-1", "received": "2026-03-01", "vacancies": 2, "posting": "21 days", "candidates": []},
    {"id": "R-2", "received": "2026-02-30", "vacancies": 2.5, "posting": "3 weeks",
     "candidates": [{"id": "A", "score": "high", "applied": "2026-02-10", "method": "foo", "rnk": 1}],
     "closes": 7}
  ]})";
  const Read result = read(rules, json, rules.case_file);
  CHECK_FALSE(result.value.has_value());
  const std::vector<std::string> expected = {
      "requisitions[1].received: 2026-02-30 is not a date that exists",
      "requisitions[1].vacancies: expected a whole number, found 2.5",
      R"(requisitions[1].posting: expected a length of time like "21 days", "3 months", "1 year" or )"
      R"("90 working days", found "3 weeks")",
      R"(requisitions[1].candidates[0].score: expected a number, found "high")",
      R"(requisitions[1].candidates[0].method: expected one of standard, agency_promotional, )"
      R"(open_competitive, found "foo")",
      R"(requisitions[1].candidates[0]: unknown field "rnk"; did you mean "rank"?)",
      "requisitions[1].closes: expected a date like 2026-03-01, found 7",
  };
  CHECK(result.messages == expected);
}

TEST_CASE("data: a path given by the caller prefixes every message") {
  const Rules rules;
  CHECK(read_error(rules, R"(["2026-03-01", "2026-02-30"])", list_of(date), "holidays") ==
        "holidays[1]: 2026-02-30 is not a date that exists");
}

TEST_CASE("data: values inside a document are read where they sit") {
  const Rules rules;
  Diagnostics errors;
  const JsonDocument document = parse(full_case);
  const std::optional<Value> value =
      read_value(document.root(), rules.case_file, rules.program, "case.json", "", errors);
  CHECK(errors.empty());
  REQUIRE(value.has_value());
  CHECK(value->as_record().fields[0].as_list().items().size() == 2);

  const JsonDocument other = parse(R"({"id": 1})");
  read_value(other.root(), rules.requisition, rules.program, "x.json", "r", errors);
  CHECK(errors.size() == 5);  // id is not text; received, vacancies, posting, candidates are missing
  CHECK(errors[0].file == "x.json");
  CHECK(errors[0].message == "r.id: expected text, found 1");
}

TEST_CASE("data: a key given twice in one object is an error") {
  const Rules rules;
  CHECK(read_error(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11", "id": "C"})",
                   rules.candidate) == R"((top level): field "id" is given twice)");
  CHECK(read_error(rules, R"({"requisitions": [{"id": "R-1", "received": "2026-03-01", "vacancies": 1,
                                               "posting": "21 days", "candidates": [], "vacancies": 2}]})",
                   rules.case_file) == R"(requisitions[0]: field "vacancies" is given twice)");
  CHECK(read_error(rules, R"({"C03": "a", "C04": "b", "C03": "c"})", map_of(text), "removed") ==
        R"(removed: key "C03" is given twice)");

  const Read twice = read(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11", "x": 1, "score": 92,
                                    "x": 2})",
                          rules.candidate);
  const std::vector<std::string> expected = {
      R"((top level): unknown field "x")",
      R"((top level): field "score" is given twice)",
      R"((top level): field "x" is given twice)",
  };
  CHECK(twice.messages == expected);
}

TEST_CASE("data: maps keep the data's order and name their keys in paths") {
  const Rules rules;
  const Value map = read_ok(rules, R"({"C09": "moved", "C03": "declined"})", map_of(text));
  REQUIRE(map.as_list().items().size() == 2);
  CHECK(map.as_list().items()[0].as_list().items()[0].as_text() == "C09");
  CHECK(map_find(map, "C03")->as_text() == "declined");
  CHECK(read_error(rules, R"({"a": "2026-03-01", "b": "2026-02-30"})", map_of(date), "holidays") ==
        "holidays.b: 2026-02-30 is not a date that exists");
  CHECK(read_error(rules, "[]", map_of(text)) ==
        R"((top level): expected an object, like {"C03": "reason"}, found a list)");
}

TEST_CASE("data: whole numbers beyond 64 bits are decimals, too large for an integer") {
  const Rules rules;
  // The float a number beyond 64 bits is read as is not the number written: it is not quoted.
  const std::string beyond =
      "this number is beyond the whole numbers merit holds (-9223372036854775808 to 9223372036854775807)";
  CHECK(read_error(rules, "100000000000000000000", integer) == "(top level): " + beyond);
  CHECK(read_ok(rules, "-9223372036854775808", integer).as_int() == INT64_MIN);
  CHECK(read_ok(rules, "100000000000000000000", decimal).as_number() == 1e20);
  CHECK(read_ok(rules, "18446744073709551615", decimal).as_number() == 18446744073709551615.0);
  const Read in_text = read(rules, R"(["x 100000000000000000000", 1, 123456789012345678901234567890])",
                            list_of(integer), "counts");
  const std::vector<std::string> in_text_expected = {
      R"(counts[0]: expected a whole number, found "x 100000000000000000000")",
      "counts[2]: " + beyond,
  };
  CHECK(in_text.messages == in_text_expected);
  const Read both =
      read(rules, R"([1, 123456789012345678901234567890, -99999999999999999999])", list_of(integer));
  const std::vector<std::string> expected = {
      "[1]: " + beyond,
      "[2]: " + beyond,
  };
  CHECK(both.messages == expected);
}

TEST_CASE("data: numbers in messages are written as JSON writes them") {
  const Rules rules;
  CHECK(read_error(rules, "3.0", text) == "(top level): expected text, found 3.0");
  CHECK(read_error(rules, "1E2", text) == "(top level): expected text, found 100.0");
  CHECK(read_error(rules, "-0", text) == "(top level): expected text, found 0");
  CHECK(read_error(rules, "0.1", text) == "(top level): expected text, found 0.1");
  CHECK(read_error(rules, "18446744073709551615", text) ==
        "(top level): expected text, found 18446744073709551615");
}

TEST_CASE("data: JSON that is not valid is an error naming the file, the line and the column") {
  CHECK(parse_error("{\"a\": 1,\n \"b\": }") ==
        "this is not valid JSON: at line 2, column 7: unexpected '}'; expected '[', '{', or a literal");
  CHECK(parse_error("") ==
        "this is not valid JSON: at line 1, column 1: unexpected end of input; expected '[', '{', or a "
        "literal");
  CHECK(parse_error("[1, 2] 3") ==
        "this is not valid JSON: at line 1, column 8: unexpected number literal; expected end of input");
  CHECK(parse_error("[1e400]") == "line 1, column 2: the number 1e400 is too large");
  CHECK(parse_error("[\"\xff\"]")
            .starts_with("this is not valid JSON: "
                         "at line 1, column 3: invalid string: ill-formed UTF-8 byte"));
  CHECK(parse_error(std::string(2000, '[') + std::string(2000, ']')) ==
        "line 1, column 1025: the JSON is nested more than 1024 levels deep, too deep to read");

  JsonDocument document;
  Diagnostics errors;
  CHECK_FALSE(document.load("/nonexistent/case.json", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == "/nonexistent/case.json");
  CHECK(errors[0].message == "no such file");
}

TEST_CASE("data: a large file reads the same, errors and all") {
  // Over a megabyte, where the reader prepares memory for what it reads.
  const Rules rules;
  constexpr int count = 30000;
  std::string json = "[";
  for (int i = 0; i < count; ++i) {
    json += (i ? ",\n" : "") + std::string(R"({"id": "C)") + std::to_string(i) + R"(", "score": 80.5, )" +
            R"("applied": "2026-02-10")" + (i == 12345 ? R"(, "score": 1)" : "") + "}";
  }
  json += "]";
  REQUIRE(json.size() > (std::size_t{1} << 20));
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "merit-test-data-large.json";
  std::ofstream(file, std::ios::binary) << json;

  JsonDocument document;
  Diagnostics errors;
  REQUIRE(document.load(file.string(), errors));
  std::filesystem::remove(file);
  std::optional<Value> value = read_value(document.root(), list_of(rules.candidate), rules.program,
                                          file.string(), "candidates", errors);
  CHECK_FALSE(value.has_value());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == R"(candidates[12345]: field "score" is given twice)");

  json.replace(json.find(R"(, "score": 1})"), 13, "}");
  errors.clear();
  REQUIRE(document.parse(json, "case.json", errors));
  value = read_value(document.root(), list_of(rules.candidate), rules.program, "case.json", "", errors);
  CHECK(errors.empty());
  REQUIRE(value.has_value());
  const ListValue& candidates = value->as_list();
  REQUIRE(candidates.size() == count);
  const RecordValue& last = candidates.items().back().as_record();
  CHECK(last.fields[0].as_text() == "C29999");
  CHECK(last.fields[1].as_number() == 80.5);
  CHECK_FALSE(last.fields[2].as_bool());
  CHECK(last.fields[3].is_none());
  CHECK(last.fields[5].as_enum() == EnumValue{1, 0});
}

TEST_CASE("data: a byte order mark before the JSON is skipped") {
  const Rules rules;
  CHECK(read_ok(rules, "\xEF\xBB\xBF[\"2026-03-01\"]", list_of(date)).as_list().items()[0].as_date() ==
        on(2026, 3, 1));
}

TEST_CASE("data: write_value gives back what read_value read") {
  const Rules rules;
  const nlohmann::ordered_json original = nlohmann::ordered_json::parse(full_case);
  const Value value = read_ok(rules, full_case, rules.case_file);
  const nlohmann::ordered_json written = write_value(value, rules.case_file, rules.program);

  const nlohmann::ordered_json& a = written["requisitions"][0]["candidates"][0];
  CHECK(
      a.dump() ==
      R"({"id":"A","score":92.5,"veteran":true,"rank":1,"applied":"2026-02-10","method":"agency_promotional"})");
  const nlohmann::ordered_json& b = written["requisitions"][0]["candidates"][1];
  CHECK(b.dump() ==
        R"({"id":"B","score":91,"veteran":false,"rank":null,"applied":"2026-02-11","method":"standard"})");
  CHECK(written["requisitions"][1]["posting"] == "90 working days");
  CHECK(written["requisitions"][1]["closes"].is_null());
  CHECK(written["requisitions"][0]["received"] == original["requisitions"][0]["received"]);

  const Value again = read_ok(rules, written.dump(), rules.case_file);
  CHECK(values_equal(value, again));
  CHECK(write_value(again, rules.case_file, rules.program) == written);
}

TEST_CASE("data: write_value of single values") {
  const Rules rules;
  CHECK(write_value(Value(91.0), decimal, rules.program).dump() == "91");
  CHECK(write_value(Value(92.5), decimal, rules.program).dump() == "92.5");
  CHECK(write_value(Value(-3.0), decimal, rules.program).dump() == "-3");
  CHECK(write_value(Value(std::int64_t{7}), integer, rules.program).dump() == "7");
  CHECK(write_value(Value(on(2026, 3, 1)), date, rules.program) == "2026-03-01");
  CHECK(write_value(Value(Duration{1, DurationUnit::months}), duration, rules.program) == "1 month");
  CHECK(write_value(Value(Duration{3, DurationUnit::months}), duration, rules.program) == "3 months");
  CHECK(write_value(Value(EnumValue{0, 6}), enum_type(weekday_enum), rules.program) == "sunday");
  CHECK(write_value(Value(None{}), optional_of(text), rules.program).is_null());
  CHECK(write_value(make_list({}), list_of(text), rules.program).dump() == "[]");
  CHECK(write_value(make_text("x"), text, rules.program) == "x");
}

TEST_CASE("data: format_value shows values as a table does") {
  const Rules rules;
  const Program& p = rules.program;
  CHECK(format_value(Value(on(2026, 3, 1)), date, p) == "2026-03-01");
  CHECK(format_value(Value(Duration{21, DurationUnit::days}), duration, p) == "21 days");
  CHECK(format_value(Value(Duration{1, DurationUnit::months}), duration, p) == "1 month");
  CHECK(format_value(Value(Duration{90, DurationUnit::working_days}), duration, p) == "90 working days");
  CHECK(format_value(Value(EnumValue{1, 1}), rules.method, p) == "agency_promotional");
  CHECK(format_value(make_text("Jane Doe"), text, p) == "Jane Doe");
  CHECK(format_value(Value(92.5), decimal, p) == "92.5");
  CHECK(format_value(Value(91.0), decimal, p) == "91");
  CHECK(format_value(Value(0.1 + 0.2), decimal, p) == "0.3");
  CHECK(format_value(Value(-0.0000001), decimal, p) == "0");
  CHECK(format_value(Value(std::int64_t{-12}), integer, p) == "-12");
  CHECK(format_value(Value(true), boolean, p) == "true");
  CHECK(format_value(Value(false), boolean, p) == "false");
  CHECK(format_value(Value(None{}), optional_of(date), p) == "none");
  CHECK(format_value(make_list({make_text("a"), make_text("b"), make_text("c")}), list_of(text), p) ==
        "a, b, c");
  CHECK(format_value(make_list({}), list_of(text), p) == "(none)");

  const Value b = read_ok(rules, R"({"id": "B", "score": 91, "applied": "2026-02-11"})", rules.candidate);
  CHECK(format_value(b, rules.candidate, p) ==
        "{id: B, score: 91, veteran: false, rank: none, applied: 2026-02-11, method: standard}");
  const Value r = read_ok(rules,
                          R"({"id": "R", "received": "2026-03-01", "vacancies": 1, "posting": "1 year",
                              "candidates": [{"id": "B", "score": 91.5, "applied": "2026-02-11"}]})",
                          rules.requisition);
  CHECK(format_value(r, rules.requisition, p) ==
        "{id: R, received: 2026-03-01, vacancies: 1, posting: 1 year, candidates: [{id: B, score: 91.5, "
        "veteran: false, rank: none, applied: 2026-02-11, method: standard}], closes: none}");
}
