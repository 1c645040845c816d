// The shipped decisions of Chapter 8 sections 1, 3, 4 and 6, the MMS, and the State of Maine holiday
// calendar, answered by the built `merit eval` as a user runs it. Each case's input is a file in
// tests/decisions/ (or a decision case file in examples/decisions/); its expected output is written here,
// worked out from the regulation and the way the rules count days, months and working days (not copied from
// a run).
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

/// Runs `merit eval --case examples/decisions/CASE --format json` and compares its JSON output, names and
/// order included, with `expected`.
void expect_case(const std::string& file, const std::string& expected) {
  expect_json("eval --case examples/decisions/" + file + " --format json", expected);
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

TEST_CASE("1.A.1: a permanent competitive appointment is made by certification from the register") {
  expect_eval("appointment_route", "route-permanent-certification.json",
              R"({"source": "certification", "cite": "1.A.1", "options": [], "requisition_required": true,
                  "director_review": false})");
}

TEST_CASE("1.A.2: a project vacancy is filled by nomination, reviewed by the Director") {
  expect_eval("appointment_route", "route-project-nomination.json",
              R"({"source": "nomination", "cite": "1.A.2", "options": [], "requisition_required": true,
                  "director_review": true})");
}

TEST_CASE("1.A.2: an intermittent vacancy is filled by nomination even with no register") {
  expect_eval("appointment_route", "route-intermittent-nomination.json",
              R"({"source": "nomination", "cite": "1.A.2", "options": [], "requisition_required": true,
                  "director_review": true})");
}

TEST_CASE("3.A.1: an acting assignment of exactly three months is an open appointment") {
  // 1.C: given to a state employee for three months or less, it needs no requisition.
  expect_eval("appointment_route", "route-acting-three-months-state-employee.json",
              R"({"source": "open_appointment", "cite": "3.A.1", "options": [], "requisition_required": false,
                  "director_review": false})");
}

TEST_CASE("3.A.1: a non-state person on a short acting assignment is reviewed and needs a requisition") {
  expect_eval("appointment_route", "route-acting-short-non-state.json",
              R"({"source": "open_appointment", "cite": "3.A.1", "options": [], "requisition_required": true,
                  "director_review": true})");
}

TEST_CASE("3.A.2: an acting assignment of more than three months is certified from the register") {
  expect_eval("appointment_route", "route-acting-long-register.json",
              R"({"source": "certification", "cite": "3.A.2", "options": [], "requisition_required": true,
                  "director_review": false})");
}

TEST_CASE("3.A.2: with no register, a long acting assignment starts as an open appointment") {
  expect_eval("appointment_route", "route-acting-long-no-register.json",
              R"({"source": "open_appointment", "cite": "3.A.2", "options": [], "requisition_required": true,
                  "director_review": true})");
}

TEST_CASE("1.B: the non-competitive division's appointments are delegated and reviewed") {
  expect_eval("appointment_route", "route-non-competitive-permanent.json",
              R"({"source": "delegated", "cite": "1.B", "options": [], "requisition_required": true,
                  "director_review": true})");
}

TEST_CASE("1.C: a short acting assignment of a state employee needs no requisition in either division") {
  expect_eval("appointment_route", "route-non-competitive-acting-short.json",
              R"({"source": "delegated", "cite": "1.B", "options": [], "requisition_required": false,
                  "director_review": true})");
}

TEST_CASE("1.A.1: with no register for a permanent vacancy, 2.C or 3.A apply, with the options in order") {
  expect_case("appointment_route-permanent-no-register.json",
              R"({"source": "no_register", "cite": "1.A.1",
                  "options": ["alternative_method", "hold_requisition", "other_registers", "acting_capacity"],
                  "requisition_required": true, "director_review": true})");
}

TEST_CASE("3.A.2: an acting appointment under the special programs follows section 6, not the register") {
  expect_case("appointment_route-special-program.json",
              R"({"source": "special_program", "cite": "3.A.2", "options": [], "requisition_required": true,
                  "director_review": true})");
}

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

TEST_CASE("3.A.1: three months from 31 January end on 30 April: an open appointment") {
  // 3.A.3: one year from 31 January 2026 ends 30 January 2027. 3.A.7.a: to a higher range, as if promoted.
  expect_eval("acting_capacity", "acting-31-january-three-months.json",
              R"({"route": "open_appointment", "max_end": "2027-01-30", "within_limit": true,
                  "benefits_start": null, "pay": "as_if_promoted"})");
}

TEST_CASE("3.A.2: one day past three months from 31 January is a register appointment") {
  // 3.A.7.b: a state employee to the same pay range keeps the regular rate.
  expect_eval("acting_capacity", "acting-31-january-one-day-more.json",
              R"({"route": "register_appointment", "max_end": "2027-01-30", "within_limit": true,
                  "benefits_start": null, "pay": "regular_rate"})");
}

TEST_CASE("3.A.3: one year from 29 February 2024 ends 28 February 2025") {
  // 3.A.5.d: three months from 29 February end 28 May (a Tuesday); benefits start Wednesday 29 May.
  expect_eval("acting_capacity", "acting-29-february-one-year.json",
              R"({"route": "register_appointment", "max_end": "2025-02-28", "within_limit": true,
                  "benefits_start": "2024-05-29", "pay": "original_appointment"})");
}

TEST_CASE("3.A.3: an assignment past one year without an extension is beyond the limit") {
  expect_eval("acting_capacity", "acting-29-february-past-one-year.json",
              R"({"route": "register_appointment", "max_end": "2025-02-28", "within_limit": false,
                  "benefits_start": "2024-05-29", "pay": "original_appointment"})");
}

TEST_CASE("3.A.3: an extension granted by the Director keeps a longer assignment within the limit") {
  // 3.A.7.b: to a lower pay range, the regular rate.
  expect_eval("acting_capacity", "acting-extension-granted.json",
              R"({"route": "register_appointment", "max_end": "2025-02-28", "within_limit": true,
                  "benefits_start": null, "pay": "regular_rate"})");
}

TEST_CASE("3.A.5.d: employment of exactly three months earns no holiday, vacation or sick leave benefits") {
  expect_eval("acting_capacity", "acting-benefits-exactly-three-months.json",
              R"({"route": "open_appointment", "max_end": "2027-03-01", "within_limit": true,
                  "benefits_start": null, "pay": "original_appointment"})");
}

TEST_CASE("3.A.5.d: benefits start the first working day after three months, past a Saturday holiday") {
  // Three months from 3 April 2026 end Thursday 2 July; Independence Day, a Saturday, is observed Friday
  // 3 July; so the first work day following is Monday 6 July.
  expect_eval("acting_capacity", "acting-benefits-after-independence-day.json",
              R"({"route": "register_appointment", "max_end": "2027-04-02", "within_limit": true,
                  "benefits_start": "2026-07-06", "pay": "original_appointment"})");
}

TEST_CASE("3.A.5.d: benefits start after Thanksgiving and the day after it") {
  // Three months from 26 August 2026 end Wednesday 25 November; 26 and 27 November are holidays.
  expect_eval("acting_capacity", "acting-benefits-after-thanksgiving.json",
              R"({"route": "register_appointment", "max_end": "2027-08-25", "within_limit": true,
                  "benefits_start": "2026-11-30", "pay": "original_appointment"})");
}

TEST_CASE("3.A.5.d: benefits start after a Sunday holiday observed on Monday") {
  // Three months from 3 April 2027 end Friday 2 July; 4 July 2027 is a Sunday, observed Monday 5 July.
  expect_eval("acting_capacity", "acting-benefits-after-sunday-holiday.json",
              R"({"route": "register_appointment", "max_end": "2028-04-02", "within_limit": true,
                  "benefits_start": "2027-07-06", "pay": "original_appointment"})");
}

TEST_CASE("3.A.5.d: benefits start after Christmas on a Saturday, observed Friday 24 December") {
  // Three months from 24 September 2027 end Thursday 23 December.
  expect_eval("acting_capacity", "acting-benefits-after-saturday-christmas.json",
              R"({"route": "register_appointment", "max_end": "2028-09-23", "within_limit": true,
                  "benefits_start": "2027-12-27", "pay": "original_appointment"})");
}

TEST_CASE("3.A.7.c: a non-state appointee is paid as an original appointment, with no 3.A.5.d date") {
  expect_eval("acting_capacity", "acting-non-state-long.json",
              R"({"route": "register_appointment", "max_end": "2027-06-14", "within_limit": true,
                  "benefits_start": null, "pay": "original_appointment"})");
}

TEST_CASE("3.A.7.b: a state employee with no pay ranges given keeps the regular rate") {
  expect_eval("acting_capacity", "acting-state-employee-no-ranges.json",
              R"({"route": "register_appointment", "max_end": "2027-06-14", "within_limit": true,
                  "benefits_start": null, "pay": "regular_rate"})");
}

TEST_CASE("3.A.5.e: a person on a layoff register resumes benefits the day the acting appointment is made") {
  // Without the layoff register, 3.A.5.d would give Tuesday 19 January 2027 (after Martin Luther King Jr.
  // Day); acting_appointee gives the same day, 16 October 2026, as benefits_resume.
  expect_case("acting_capacity-layoff-register.json",
              R"({"route": "register_appointment", "max_end": "2027-10-15", "within_limit": true,
                  "benefits_start": "2026-10-16", "pay": "original_appointment"})");
}

TEST_CASE("3: an assignment that ends before it starts is invalid input") {
  expect_invalid("acting_capacity", "acting-end-before-start.json", "end must not be before start");
}

// -------------------------------------------------------------------------------------------------------
// Section 4: retiree_reemployment.

TEST_CASE("4: temporary employment may run the rest of the 90 working days") {
  // 60 working days from Tuesday 1 September 2026 skip Labor Day, Indigenous Peoples' Day, Veterans Day,
  // Thanksgiving and the day after: the 60th is Monday 30 November.
  expect_eval("retiree_reemployment", "retiree-temporary-60-left.json",
              R"({"limit": 90, "remaining": 60, "eligible": true, "last_day": "2026-11-30"})");
}

TEST_CASE("4: a retiree is not eligible for permanent employment") {
  expect_eval("retiree_reemployment", "retiree-permanent.json",
              R"({"limit": 90, "remaining": 60, "eligible": false, "last_day": null})");
}

TEST_CASE("4: a surviving spouse is exempt from the restrictions") {
  expect_eval("retiree_reemployment", "retiree-surviving-spouse.json",
              R"({"limit": null, "remaining": null, "eligible": true, "last_day": null})");
}

TEST_CASE("4: with all 90 working days worked, no more employment that year") {
  expect_eval("retiree_reemployment", "retiree-days-used-up.json",
              R"({"limit": 90, "remaining": 0, "eligible": false, "last_day": null})");
}

TEST_CASE("4: days worked beyond the limit leave 0 remaining, never fewer") {
  expect_eval("retiree_reemployment", "retiree-days-over-limit.json",
              R"({"limit": 90, "remaining": 0, "eligible": false, "last_day": null})");
}

TEST_CASE("4: days that run out the day before Thanksgiving") {
  expect_eval("retiree_reemployment", "retiree-runs-out-before-thanksgiving.json",
              R"({"limit": 90, "remaining": 3, "eligible": true, "last_day": "2026-11-25"})");
}

TEST_CASE("4: one more day skips Thanksgiving and the day after") {
  expect_eval("retiree_reemployment", "retiree-skips-thanksgiving.json",
              R"({"limit": 90, "remaining": 4, "eligible": true, "last_day": "2026-11-30"})");
}

TEST_CASE("4: days that run out just before New Year's Day observed on Friday 31 December") {
  expect_eval("retiree_reemployment", "retiree-runs-out-before-observed-new-year.json",
              R"({"limit": 90, "remaining": 2, "eligible": true, "last_day": "2027-12-30"})");
}

TEST_CASE("4: days that would run past 31 December give no last day") {
  // 29 and 30 December 2027 are worked; 31 December is New Year's Day 2028 observed; the year ends.
  expect_eval("retiree_reemployment", "retiree-past-observed-new-year.json",
              R"({"limit": 90, "remaining": 3, "eligible": true, "last_day": null})");
}

TEST_CASE("4: with no start, no last day") {
  expect_eval("retiree_reemployment", "retiree-no-start.json",
              R"({"limit": 90, "remaining": 80, "eligible": true, "last_day": null})");
}

TEST_CASE("4: a start outside the year is invalid input") {
  expect_invalid("retiree_reemployment", "retiree-start-outside-year.json",
                 "start must fall within the calendar year given in year");
}

// -------------------------------------------------------------------------------------------------------
// Section 6: special_appointment.

TEST_CASE("6.G: evaluations at 30, 90, 180 and 270 days and the end of the appointment year") {
  expect_eval("special_appointment", "special-no-civil-service.json",
              R"({"trial_ends": "2027-03-01",
                  "evaluations": ["2026-04-01", "2026-05-31", "2026-08-29", "2026-11-27", "2027-03-01"],
                  "probation_ends": null, "probation_max_end": null, "pay_scale": "minimum_step"})");
}

TEST_CASE("6.G: evaluation dates after an early civil service appointment are voided") {
  // 6.H: six months from 15 July 2026 end 14 January 2027; one year ends 14 July 2027.
  expect_eval("special_appointment", "special-early-civil-service.json",
              R"({"trial_ends": "2027-03-01", "evaluations": ["2026-04-01", "2026-05-31"],
                  "probation_ends": "2027-01-14", "probation_max_end": "2027-07-14",
                  "pay_scale": "special_scale"})");
}

TEST_CASE("6.G: a civil service appointment on a review date keeps that review") {
  // 6.H: six months from 31 May end 30 November (31 November does not exist).
  expect_eval("special_appointment", "special-civil-service-on-review-date.json",
              R"({"trial_ends": "2027-03-01", "evaluations": ["2026-04-01", "2026-05-31"],
                  "probation_ends": "2026-11-30", "probation_max_end": "2027-05-30",
                  "pay_scale": "minimum_step"})");
}

TEST_CASE("6.G: a civil service appointment before the first review voids every review") {
  expect_eval("special_appointment", "special-civil-service-before-first-review.json",
              R"({"trial_ends": "2027-03-01", "evaluations": [],
                  "probation_ends": "2026-09-19", "probation_max_end": "2027-03-19",
                  "pay_scale": "special_scale"})");
}

TEST_CASE("6.H: appointed 29 February, civil service 31 August: periods end at month ends") {
  // 6.C: the appointment year from 29 February 2024 ends 28 February 2025. 6.H: six months from 31 August
  // 2024 end 28 February 2025 (31 February does not exist); one year ends 30 August 2025.
  expect_eval("special_appointment", "special-29-february.json",
              R"({"trial_ends": "2025-02-28", "evaluations": ["2024-03-30", "2024-05-29", "2024-08-27"],
                  "probation_ends": "2025-02-28", "probation_max_end": "2025-08-30",
                  "pay_scale": "minimum_step"})");
}

TEST_CASE("6.H: a civil service appointment before the acting appointment is invalid input") {
  expect_invalid("special_appointment", "special-civil-service-before-appointed.json",
                 "civil_service_on must not be before appointed");
}

// -------------------------------------------------------------------------------------------------------
// The Maine Management Service: mms_membership, for every role, classified and unclassified.

TEST_CASE("MMS: every manager role excluded from bargaining is a member") {
  for (const char* role : {"executive", "program-manager", "administrative-manager",
                           "administrative-consultant", "senior-team-advisor"}) {
    {
      expect_eval("mms_membership", std::string("mms-") + role + "-classified.json",
                  R"({"member": true,
                      "applies": ["simplified_classification", "leadership_development", "competency_model",
                                  "civil_service_protections"],
                      "hr_decisions": "agency"})");
      expect_eval("mms_membership", std::string("mms-") + role + "-unclassified.json",
                  R"({"member": true,
                      "applies": ["simplified_classification", "leadership_development", "competency_model"],
                      "hr_decisions": "agency"})");
    }
  }
}

TEST_CASE("MMS: confidential employees who are not managers are not members") {
  for (const char* file : {"mms-non-manager-classified.json", "mms-non-manager-unclassified.json"}) {
    expect_eval("mms_membership", file, R"({"member": false, "applies": [], "hr_decisions": null})");
  }
}

TEST_CASE("MMS: a manager in a bargaining unit is not a member") {
  expect_eval("mms_membership", "mms-bargaining-unit-manager.json",
              R"({"member": false, "applies": [], "hr_decisions": null})");
}

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
