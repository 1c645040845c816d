// A CSV register is read straight into records of the rules' own declaration: these pin down the value
// each kind of cell becomes (shown as JSON, the fields left at their defaults left out), and the line and
// column each problem is blamed on.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "interpreter/csv.hpp"
#include "interpreter/data.hpp"
#include "interpreter/types.hpp"
#include "tests/scratch.hpp"

using namespace merit;

namespace {

const char* const person_rules = R"(
enum Kind § T = regular | seasonal

record Person § T {
  id: text
  name: text?
  score: decimal
  rank: integer = 0
  veteran: boolean = false
  groups: list of text = []
  grades: list of integer = []
  since: date?
  kind: Kind = regular
  wait: duration?
}
)";

/// The records the CSV becomes, as JSON without the fields left at their defaults, or its errors'
/// messages, one per line.
std::string read(const std::string& csv, char separator = 0) {
  const testing::Scratch scratch("merit-csv");
  Program program;
  const Diagnostics loaded = load_program(program, {scratch.write("person.merit", person_rules)});
  REQUIRE(loaded.empty());
  const std::int32_t person = 0;
  REQUIRE(program.records.at(0)->name == "Person");
  const std::string path = scratch.write("register.csv", csv);
  Diagnostics errors;
  const auto read = read_csv_records(path, program, person, errors, separator);
  std::string messages;
  for (const auto& e : errors) messages += e.message + "\n";
  if (!read) return messages;
  CHECK(messages.empty());
  CHECK(read->lines.size() == read->records.as_list().size());
  nlohmann::ordered_json out = write_value(read->records, list_of(record_type(person)), program);
  const nlohmann::ordered_json defaults = {{"name", nullptr},
                                           {"rank", 0},
                                           {"veteran", false},
                                           {"groups", nlohmann::json::array()},
                                           {"grades", nlohmann::json::array()},
                                           {"since", nullptr},
                                           {"kind", "regular"},
                                           {"wait", nullptr}};
  for (auto& row : out) {
    for (const auto& [field, value] : defaults.items()) {
      if (row.contains(field) && row[field] == value) row.erase(field);
    }
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("csv: each cell becomes the JSON value of its field's type") {
  CHECK(read("id,score,rank,veteran,groups,grades\nA1,91.5,3,true,women;veterans,1;2\n") ==
        R"([{"id":"A1","score":91.5,"rank":3,"veteran":true,"groups":["women","veterans"],"grades":[1,2]}])");
  CHECK(read("id,score,rank,veteran\nA1,91,007,YES\nA2,0.5,-4,no\nA3,1e1,+5,False\n") ==
        R"([{"id":"A1","score":91,"rank":7,"veteran":true},{"id":"A2","score":0.5,"rank":-4},)"
        R"({"id":"A3","score":10,"rank":5}])");
  CHECK(read("id,score\nA1,92.25\nA2,100\nA3,0\nA4,.5\nA5,5.\nA6,-0\nA7,00.30\nA8,12345678901234567890\n") ==
        R"([{"id":"A1","score":92.25},{"id":"A2","score":100},{"id":"A3","score":0},{"id":"A4","score":0.5},)"
        R"({"id":"A5","score":5},{"id":"A6","score":0},{"id":"A7","score":0.3},)"
        R"({"id":"A8","score":1.2345678901234567e+19}])");
  CHECK(read("id,name,score\n  A1 , Avery Dunn ,\t90\t\n") ==
        R"([{"id":"A1","name":"Avery Dunn","score":90}])");
}

TEST_CASE("csv: an empty cell leaves the field to its default, or none") {
  CHECK(read("id,name,score,rank,groups\nA1,,90,,\nA2, ,90, , \n") ==
        R"([{"id":"A1","score":90},{"id":"A2","score":90}])");
  CHECK(read("id,score,groups\nA1,90,;;a; ;b;\n") == R"([{"id":"A1","score":90,"groups":["a","b"]}])");
}

TEST_CASE("csv: quoted cells hold commas, doubled quotes and line ends") {
  CHECK(read("id,name,score\n\"A1\",\"Dunn, Avery\",90\n") ==
        R"([{"id":"A1","name":"Dunn, Avery","score":90}])");
  CHECK(read("id,name,score\nA1,\"say \"\"hi\"\"\",90\n") ==
        R"([{"id":"A1","name":"say \"hi\"","score":90}])");
  CHECK(read("id,name,score\nA1,\"two\nlines\",90\nA2,x,91\n") ==
        R"([{"id":"A1","name":"two\nlines","score":90},{"id":"A2","name":"x","score":91}])");
  CHECK(read("id,name,score\nA1,\"quoted\" then,90\n") == R"([{"id":"A1","name":"quoted then","score":90}])");
  CHECK(read("id,name,score\nA1,\"\",90\n") == R"([{"id":"A1","score":90}])");
  CHECK(read("id,name,score\nA1,mid\"quote,90\n") == R"([{"id":"A1","name":"mid\"quote","score":90}])");
  CHECK(read("id,name,score\nA1,\"R\xc3\xa9mi \\\\ \x01\",90\n") ==
        R"([{"id":"A1","name":"Rémi \\\\ \u0001","score":90}])");
  // A byte that is not UTF-8 is refused where it is, rather than changed.
  CHECK(read("id,name,score\nA1,bad \xff byte,90\n") ==
        "line 2, column 8: this is not UTF-8 text (byte 0xFF); save the file as UTF-8 and try again\n");
}

TEST_CASE(
    "csv: cells separated by semicolons or tabs, as spreadsheets export them, detected from the header") {
  const char* const expected = R"([{"id":"A1","name":"Dunn, Avery","score":90,"groups":["a","b"]}])";
  CHECK(read("id,name,score,groups\nA1,\"Dunn, Avery\",90,a;b\n") == expected);
  // With ';' between cells, a list's items are quoted, as a spreadsheet quotes a cell holding its separator.
  CHECK(read("id;name;score;groups\nA1;Dunn, Avery;90;\"a;b\"\n") == expected);
  CHECK(read("\xEF\xBB\xBFid\tname\tscore\tgroups\nA1\tDunn, Avery\t90\ta;b\n") == expected);
  // Blank lines before the header are skipped, for finding the separator as for reading.
  CHECK(read("\r\n\nid;name;score;groups\nA1;Dunn, Avery;90;\"a;b\"\n") == expected);
  // A quoted header cell holding another separator does not count.
  CHECK(read("id;\"name, full\";score\nA1;x;90\n").rfind("line 1: column \"name, full\" is not a field", 0) ==
        0);
  // Given, the separator is not guessed: this header is one column named "id;score".
  CHECK(read("id;score\nA1;90\n", ',').rfind("line 1: column \"id;score\" is not a field", 0) == 0);
  CHECK(read("id;score\nA1;90\n", ';') == R"([{"id":"A1","score":90}])");
  CHECK(read("id\tscore\nA1\t90\n", '\t') == R"([{"id":"A1","score":90}])");
  // A row of the wrong width is blamed on its line, whatever the separator.
  CHECK(read("id;score\nA1;90;3\n") == "line 2: 3 cells, but the header names 2 columns\n");
}

TEST_CASE("csv: line ends of every kind, and blank lines, are rows apart") {
  CHECK(read("id,score\r\nA1,90\r\n\r\nA2,91\rA3,92") ==
        R"([{"id":"A1","score":90},{"id":"A2","score":91},{"id":"A3","score":92}])");
  CHECK(read("\n\nid,score\n\nA1,90\n\n") == R"([{"id":"A1","score":90}])");
}

TEST_CASE("csv: problems name the line and the column") {
  CHECK(read("") == "the file is empty; expected a header row naming the fields\n");
  CHECK(read("\n\n") == "the file is empty; expected a header row naming the fields\n");
  CHECK(read("id,score\nA1,\"90\n") == "line 2: a quoted cell is not closed\n");
  CHECK(read("id,scor,rnk\nA1,90,1\n") ==
        "line 1: column \"scor\" is not a field of Person; the fields are: id, name, score, rank, veteran, "
        "groups, grades, since, kind, wait\n"
        "line 1: column \"rnk\" is not a field of Person; the fields are: id, name, score, rank, veteran, "
        "groups, grades, since, kind, wait\n"
        "line 1: no column \"score\", and the field has no default to stand in\n");
  CHECK(read("id,score\nA1,90,3\nA2\nA3,\"x\ny\",1\nA4,ninety\n") ==
        "line 2: 3 cells, but the header names 2 columns\n"
        "line 3: 1 cell, but the header names 2 columns\n"
        "line 4: 3 cells, but the header names 2 columns\n"
        "line 6, column score: expected a number, found \"ninety\"\n");
  CHECK(read("id,score,rank,veteran,grades\nA1,nan,1.5,maybe,1;x\nA2,1e999,99999999999999999999,1,\n") ==
        "line 2, column score: expected a number, found \"nan\"\n"
        "line 2, column rank: expected a whole number, found \"1.5\"\n"
        "line 2, column veteran: expected true or false, found \"maybe\"\n"
        "line 2, column grades: expected a whole number, found \"x\"\n"
        "line 3, column score: expected a number, found \"1e999\"\n"
        "line 3, column rank: expected a whole number, found \"99999999999999999999\"\n"
        "line 3, column veteran: expected true or false, found \"1\"\n");
  CHECK(read("id,score\nA1,0x10\nA2,inf\nA3,1e5x\n") ==
        "line 2, column score: expected a number, found \"0x10\"\n"
        "line 3, column score: expected a number, found \"inf\"\n"
        "line 4, column score: expected a number, found \"1e5x\"\n");
}

TEST_CASE("csv: dates, lengths of time and members of an enumeration are read as a case file reads them") {
  CHECK(read("id,score,since,kind,wait\nA1,90,2026-03-01,seasonal,21 days\nA2,91,,, \n") ==
        R"([{"id":"A1","score":90,"since":"2026-03-01","kind":"seasonal","wait":"21 days"},)"
        R"({"id":"A2","score":91}])");
  CHECK(read("id,score,since,kind,wait\nA1,90,2026-02-30,,\nA2,90,,weekly,\nA3,90,March,,soon\n") ==
        "line 2, column since: 2026-02-30 is not a date that exists\n"
        "line 3, column kind: expected one of regular, seasonal, found \"weekly\"\n"
        "line 4, column since: expected a date like 2026-03-01, found \"March\"\n"
        "line 4, column wait: expected a length of time like \"21 days\", \"3 months\", \"1 year\" or \"90 "
        "working days\", found \"soon\"\n");
}

TEST_CASE("csv: a spreadsheet's byte order mark is skipped, and a column the rows must give is checked") {
  CHECK(read("\xEF\xBB\xBFid,score\nA1,90\n") == R"([{"id":"A1","score":90}])");
  CHECK(read("id,score,id\nA1,90,A1\n") == "line 1: column \"id\" is given twice\n");
  CHECK(read("id,name\nA1,x\n") == "line 1: no column \"score\", and the field has no default to stand in\n");
  CHECK(read("id,score\n,90\nA2, \n") ==
        "line 2, column id: empty, and the field has no default to stand in\n"
        "line 3, column score: empty, and the field has no default to stand in\n");
}

TEST_CASE("csv: a long register comes with its columns, and a column's equal lists are one value") {
  const testing::Scratch scratch("merit-csv");
  Program program;
  REQUIRE(load_program(program, {scratch.write("person.merit", person_rules)}).empty());
  std::string csv = "id,score,groups\n";
  for (int i = 0; i < 40; ++i)
    csv += "P" + std::to_string(i) + ",7," + (i % 2 == 0 ? "women;veteran" : "") + "\n";
  Diagnostics errors;
  const auto read = read_csv_records(scratch.write("register.csv", csv), program, 0, errors);
  REQUIRE(errors.empty());
  REQUIRE(read.has_value());
  const ListValue& people = read->records.as_list();
  REQUIRE(people.size() == 40);
  const std::vector<Value>& ids = people.column(0);
  const std::vector<Value>& groups = people.column(5);
  REQUIRE(ids.size() == 40);
  REQUIRE(groups.size() == 40);
  for (std::size_t i = 0; i < 40; ++i) {
    CHECK(ids[i].as_text() == "P" + std::to_string(i));
    CHECK(values_equal(groups[i], people.at(i).as_record().fields[5]));
  }
  CHECK(groups[0].as_list().size() == 2);
  CHECK(&people.at(0).as_record().fields[5].as_list() == &people.at(2).as_record().fields[5].as_list());
}
