// The shipped decisions of Chapter 8 sections 1, 3, 4 and 6 and the MMS through the built `merit eval`, as a
// user runs it, in what the policy tests beside the rules (`*.test.json`, run by `merit test rules`) do not
// state: the rules check clean and every shipped example is answered, parameters set by name on the command
// line, the table's reasons with the facts, and input refused as invalid (the exit status, the file named,
// nothing on stdout). What each decision answers is in those policy tests. Also the State of Maine holiday
// calendar year by year, through a test-only decision run beside it. Inputs are files in tests/decisions/.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/run.hpp"

namespace {

using merit::testing::run_merit;
using nlohmann::ordered_json;

/// Runs `merit ARGS` and compares its JSON output, names and order included, with `expected`.
void expect_json(const std::string& args, const std::string& expected) {
  const auto r = run_merit(args);
  INFO("merit " << args);
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const auto actual = ordered_json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(actual.is_discarded());
  CHECK(actual.dump() == ordered_json::parse(expected).dump());
}

/// Runs `merit eval DECISION --input tests/decisions/INPUT --format json` and compares its JSON output,
/// names and order included, with `expected`.
void expect_eval(const std::string& decision, const std::string& input, const std::string& expected,
                 const std::string& rules = "") {
  expect_json("eval " + decision + (rules.empty() ? "" : " --rules '" + rules + "'") +
                  " --input tests/decisions/" + input + " --format json",
              expected);
}

/// Runs `merit eval DECISION --input tests/decisions/INPUT` (the table) and returns the line of `output`:
/// its value, the section of the rule that gave it, and the rule's `because`.
std::string table_line(const std::string& decision, const std::string& input, const std::string& output) {
  const auto r = run_merit("eval " + decision + " --input tests/decisions/" + input);
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  std::size_t at = 0;
  while (at < r.out.size()) {
    const std::size_t end = std::min(r.out.find('\n', at), r.out.size());
    const std::string line = r.out.substr(at, end - at);
    if (line.rfind("  " + output + " ", 0) == 0) return line;
    at = end + 1;
  }
  return "(no line for " + output + " in:\n" + r.out + ")";
}

/// Whether `line` gives section `cite` and the reason `because`.
void expect_reason(const std::string& line, const std::string& cite, const std::string& because) {
  INFO(line);
  CHECK(line.find("§ " + cite + ": " + because) != std::string::npos);
}

/// Runs a case the rules must refuse as invalid data: exit 1, nothing on stdout, and the message.
void expect_invalid(const std::string& decision, const std::string& input, const std::string& message) {
  const std::string args = "eval " + decision + " --input tests/decisions/" + input + " --format json";
  const auto r = run_merit(args);
  INFO("merit " << args);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("tests/decisions/" + input) != std::string::npos);
  CHECK(r.err.find(message) != std::string::npos);
}

}  // namespace

// -------------------------------------------------------------------------------------------------------
// The shipped rules as a whole.

TEST_CASE("Maine rules: merit check rules exits 0") {
  const auto r = run_merit("check rules");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
}

TEST_CASE("Maine rules: the README's quick start answers examples/acting_capacity.json") {
  const auto r = run_merit("eval acting_capacity --input examples/acting_capacity.json --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(
      ordered_json::parse(r.out).dump() ==
      ordered_json::parse(R"({"route": "register_appointment", "max_end": "2027-01-30", "within_limit": true,
                                "benefits_start": "2026-05-01", "pay": "original_appointment"})")
          .dump());
}

TEST_CASE("Maine rules: every shipped example of a decision is answered") {
  for (const char* decision : {"appointment_route", "acting_capacity", "retiree_reemployment",
                               "special_appointment", "mms_membership"}) {
    const auto r = run_merit(std::string("eval ") + decision + " --input examples/" + decision + ".json");
    INFO(decision << ": " << r.err);
    CHECK(r.status == 0);
  }
}

TEST_CASE("Maine rules: every example in examples/decisions is answered") {
  namespace fs = std::filesystem;
  int examples = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(merit::testing::source_dir()) / "examples" / "decisions")) {
    // A decision case file names its decision, as its file name does: acting_capacity-thanksgiving.json.
    const std::string file = entry.path().filename().string();
    const std::string decision = file.substr(0, file.find('-'));
    const auto r = run_merit("eval --case examples/decisions/" + file);
    INFO(file << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.rfind(decision + " (§ ", 0) == 0);
    ++examples;
  }
  CHECK(examples >= 5);
}

TEST_CASE("Maine rules: the parameters analysts change by name are set by name") {
  const auto eval = [](const std::string& decision, const std::string& input, const std::string& set) {
    const auto r =
        run_merit("eval " + decision + " --input tests/decisions/" + input + " --format json --set " + set);
    INFO(set << ": " << r.err);
    REQUIRE(r.status == 0);
    return ordered_json::parse(r.out);
  };
  // 1.A.2, 3.A.1: a year is twelve months, so an acting assignment of 3.5 months becomes an open one.
  CHECK(eval("appointment_route", "route-acting-long-register.json",
             "open_appointment_max='1 year'")["source"] == "open_appointment");
  CHECK(eval("acting_capacity", "acting-29-february-past-one-year.json", "acting_capacity_max='2 years'")
            .dump() == R"({"route":"register_appointment","max_end":"2026-02-28","within_limit":true,)"
                       R"("benefits_start":"2024-05-29","pay":"original_appointment"})");
  // Six months from 26 August 2026 end Thursday 25 February 2027.
  CHECK(eval("acting_capacity", "acting-benefits-after-thanksgiving.json",
             "acting_benefits_after='6 months'")["benefits_start"] == "2027-02-26");
  // Ten more working days after Monday 30 November 2026: 1-4, 7-11 and 14 December.
  CHECK(eval("retiree_reemployment", "retiree-temporary-60-left.json",
             "retiree_working_day_limit='100 working days'")
            .dump() == R"({"limit":100,"remaining":70,"eligible":true,"last_day":"2026-12-14"})");
  CHECK(eval("special_appointment", "special-no-civil-service.json",
             "trial_period='2 years'")["trial_ends"] == "2028-03-01");
  CHECK(eval("special_appointment", "special-no-civil-service.json",
             "evaluation_days='[60 days]'")["evaluations"]
            .dump() == R"(["2026-05-01","2027-03-01"])");
  CHECK(eval("special_appointment", "special-early-civil-service.json",
             "probation_period='3 months'")["probation_ends"] == "2026-10-14");
  CHECK(eval("special_appointment", "special-early-civil-service.json",
             "probation_max='9 months'")["probation_max_end"] == "2027-04-14");
}

TEST_CASE("1.A.2: a three-month period set in days has no exact count of months") {
  const auto r = run_merit(
      "eval appointment_route --input tests/decisions/route-acting-long-register.json --set "
      "open_appointment_max='90 days'");
  CHECK(r.status == 1);
  CHECK(r.err.find("a length in days has no exact number of months") != std::string::npos);
}

// -------------------------------------------------------------------------------------------------------
// Section 1: appointment_route.

TEST_CASE("1: a negative duration is invalid input") {
  expect_invalid("appointment_route", "route-negative-duration.json",
                 "duration_months must be a number of months, 0 or more");
}

TEST_CASE("1, 3.A: the table of appointment_route says why, with the facts") {
  const std::string no_register = "route-acting-long-no-register.json";
  expect_reason(table_line("appointment_route", no_register, "source"), "3.A.2",
                "an acting assignment of 6 months, more than 3 months, with no suitable register: an open "
                "appointment while one is established");
  expect_reason(
      table_line("appointment_route", no_register, "director_review"), "3.A.1",
      "a non-state person given an open appointment must meet Bureau of Human Resources qualifications");
  expect_reason(
      table_line("appointment_route", "route-acting-three-months-state-employee.json",
                 "requisition_required"),
      "1.C",
      "an acting assignment of 3 months, not more than 3 months, given to an agency or state employee");
  expect_reason(table_line("appointment_route", "route-acting-short-non-state.json", "requisition_required"),
                "1.C",
                "an acting assignment of 2.5 months given to a non-state person: only one given to an agency "
                "or state employee is excepted");
  expect_reason(table_line("appointment_route", "route-intermittent-nomination.json", "source"), "1.A.2",
                "an appointment to an intermittent vacancy: the appointing authority may nominate a name");
  expect_reason(table_line("appointment_route", "route-permanent-certification.json", "source"), "1.A.1",
                "a permanent appointment in the competitive division is made from a class register");
  expect_reason(table_line("appointment_route", "route-permanent-certification.json", "director_review"),
                "1.A.1",
                "the Director certifies the names from the register; the appointee needs no separate review");
  expect_reason(table_line("appointment_route", "route-non-competitive-permanent.json", "source"), "1.B",
                "the non-competitive division: recruitment, examination and selection are delegated to the "
                "appointing authority");
}

// -------------------------------------------------------------------------------------------------------
// Section 3: acting_capacity.

TEST_CASE("3: an assignment that ends before it starts is invalid input") {
  expect_invalid("acting_capacity", "acting-end-before-start.json", "end must not be before start");
}

// -------------------------------------------------------------------------------------------------------
// Section 4: retiree_reemployment.

TEST_CASE("4: a start outside the year is invalid input") {
  expect_invalid("retiree_reemployment", "retiree-start-outside-year.json",
                 "start must fall within the calendar year given in year");
}

// -------------------------------------------------------------------------------------------------------
// Section 6: special_appointment.

TEST_CASE("6.H: a civil service appointment before the acting appointment is invalid input") {
  expect_invalid("special_appointment", "special-civil-service-before-appointed.json",
                 "civil_service_on must not be before appointed");
}

// -------------------------------------------------------------------------------------------------------
// The Maine Management Service: mms_membership.

TEST_CASE("MMS: the table of mms_membership says why") {
  const std::string scope = "MMS: who is included";
  expect_reason(table_line("mms_membership", "mms-bargaining-unit-manager.json", "member"), scope,
                "the position is not excluded from collective bargaining");
  expect_reason(table_line("mms_membership", "mms-non-manager-classified.json", "member"), scope,
                "a confidential employee who is not a manager");
  expect_reason(table_line("mms_membership", "mms-program-manager-unclassified.json", "member"), scope,
                "a confidential manager of a public service program, excluded from collective bargaining");
  expect_reason(
      table_line("mms_membership", "mms-program-manager-unclassified.json", "applies"),
      "MMS: rules for unclassified managers",
      "what applies to all members; the protections of the Civil Service Law and Rules apply only to "
      "classified employees");
  expect_reason(table_line("mms_membership", "mms-executive-classified.json", "hr_decisions"),
                "MMS: how it will be different",
                "a member's human resource decisions are handled by the individual agency, preserving merit "
                "principles for a classified manager");
}

// -------------------------------------------------------------------------------------------------------
// The State of Maine holiday calendar (rules/calendar.merit), against the holidays as state government
// observes them in 2024 to 2027, worked out from 4 M.R.S. §1051, 5 M.R.S. §59 and the Civil Service Rules,
// Chapter 11, 1.A and 1.B.
// The test-only decision tests/rules/holiday_check.merit runs beside the shipped calendar.

namespace {

void expect_holidays(int year, const std::string& expected) {
  namespace fs = std::filesystem;
  const fs::path source = merit::testing::source_dir();
  const fs::path folder = fs::temp_directory_path() / ("merit-holidays-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  struct Cleanup {
    fs::path folder;
    ~Cleanup() { fs::remove_all(folder); }
  } cleanup{folder};
  fs::copy_file(source / "rules" / "calendar.merit", folder / "calendar.merit",
                fs::copy_options::overwrite_existing);
  fs::copy_file(source / "tests" / "rules" / "holiday_check.merit", folder / "holiday_check.merit",
                fs::copy_options::overwrite_existing);
  expect_eval("holiday_check", "holidays-" + std::to_string(year) + ".json", expected, folder.string());
}

}  // namespace

TEST_CASE("Maine calendar: holidays of 2024") {
  expect_holidays(2024, R"({
    "not_working": ["2024-01-01", "2024-01-15", "2024-02-19", "2024-04-15", "2024-05-27", "2024-06-19", "2024-07-04",
                   "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-11-29", "2024-12-25"],
    "weekdays": 262, "working_days": 249,
    "next_open": ["2024-01-02", "2024-01-16", "2024-02-20", "2024-04-16", "2024-05-28", "2024-06-20", "2024-07-05",
                  "2024-09-03", "2024-10-15", "2024-11-12", "2024-12-02", "2024-12-02", "2024-12-26"]})");
}

TEST_CASE("Maine calendar: holidays of 2025, and Thursday 13 February closed by the Governor") {
  expect_holidays(2025, R"({
    "not_working": ["2025-01-01", "2025-01-20", "2025-02-13", "2025-02-17", "2025-04-21", "2025-05-26", "2025-06-19",
                   "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-11-28", "2025-12-25"],
    "weekdays": 261, "working_days": 247,
    "next_open": ["2025-01-02", "2025-01-21", "2025-02-14", "2025-02-18", "2025-04-22", "2025-05-27", "2025-06-20",
                  "2025-07-07", "2025-09-02", "2025-10-14", "2025-11-12", "2025-12-01", "2025-12-01", "2025-12-26"]})");
}

TEST_CASE("Maine calendar: holidays of 2026 with Independence Day observed Friday 3 July") {
  expect_holidays(2026, R"({
    "not_working": ["2026-01-01", "2026-01-19", "2026-02-16", "2026-04-20", "2026-05-25", "2026-06-19", "2026-07-03",
                   "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-11-27", "2026-12-25"],
    "weekdays": 261, "working_days": 248,
    "next_open": ["2026-01-02", "2026-01-20", "2026-02-17", "2026-04-21", "2026-05-26", "2026-06-22", "2026-07-06",
                  "2026-09-08", "2026-10-13", "2026-11-12", "2026-11-30", "2026-11-30", "2026-12-28"]})");
}

TEST_CASE("Maine calendar: holidays of 2027 with four weekend holidays moved to Friday or Monday") {
  // Juneteenth (Saturday) on Friday 18 June, Independence Day (Sunday) on Monday 5 July, Christmas
  // (Saturday) on Friday 24 December, and New Year's Day 2028 (Saturday) on Friday 31 December 2027.
  expect_holidays(2027, R"({
    "not_working": ["2027-01-01", "2027-01-18", "2027-02-15", "2027-04-19", "2027-05-31", "2027-06-18", "2027-07-05",
                   "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-11-26", "2027-12-24", "2027-12-31"],
    "weekdays": 261, "working_days": 247,
    "next_open": ["2027-01-04", "2027-01-19", "2027-02-16", "2027-04-20", "2027-06-01", "2027-06-21", "2027-07-06",
                  "2027-09-07", "2027-10-12", "2027-11-12", "2027-11-29", "2027-11-29", "2027-12-27", "2028-01-03"]})");
}
