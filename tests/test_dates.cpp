#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <set>

#include "stdlib/dates.hpp"

using namespace merit::stdlib;

namespace {

Date on(int year, int month, int day) {
  const std::optional<Date> date = make_date(year, month, day);
  REQUIRE(date.has_value());
  return *date;
}

// The set must outlive the calendar: the lambda refers to it.
WorkingCalendar calendar_with_holidays(const std::set<Date>& holidays) {
  WorkingCalendar cal;
  cal.is_holiday = [&holidays](Date d) { return holidays.count(d) != 0; };
  return cal;
}

}  // namespace

TEST_CASE("dates: leap years") {
  CHECK_FALSE(is_leap_year(1900));
  CHECK(is_leap_year(2000));
  CHECK(is_leap_year(2024));
  CHECK_FALSE(is_leap_year(2026));
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2026, 2) == 28);
  CHECK(days_in_month(2026, 4) == 30);
  CHECK(days_in_month(2026, 12) == 31);
  CHECK(days_in_month(2026, 13) == 0);
}

TEST_CASE("dates: make_date validates") {
  CHECK_FALSE(make_date(2026, 2, 30).has_value());
  CHECK_FALSE(make_date(2025, 2, 29).has_value());
  CHECK(make_date(2024, 2, 29).has_value());
  CHECK_FALSE(make_date(2026, 13, 1).has_value());
  CHECK_FALSE(make_date(2026, 0, 1).has_value());
  CHECK_FALSE(make_date(2026, 1, 0).has_value());
  CHECK_FALSE(make_date(2026, 4, 31).has_value());
  CHECK_FALSE(make_date(0, 1, 1).has_value());
  CHECK_FALSE(make_date(10000, 1, 1).has_value());
  CHECK(make_date(1, 1, 1).has_value());
  CHECK(make_date(9999, 12, 31).has_value());
  CHECK(on(1970, 1, 1).days == 0);
  CHECK(on(2000, 3, 1).days == 11017);
  CHECK(on(1969, 12, 31).days == -1);
}

TEST_CASE("dates: round trip over every supported day") {
  const Date first = on(1, 1, 1);
  const Date last = on(9999, 12, 31);
  YearMonthDay previous = to_ymd(first);
  CHECK(previous.year == 1);
  CHECK(previous.month == 1);
  CHECK(previous.day == 1);
  int mismatches = 0;
  for (std::int64_t day = std::int64_t{first.days} + 1; day <= last.days; ++day) {
    const Date d{static_cast<std::int32_t>(day)};
    const YearMonthDay ymd = to_ymd(d);
    const std::optional<Date> back = make_date(ymd.year, ymd.month, ymd.day);
    const bool next_day_in_month =
        ymd.year == previous.year && ymd.month == previous.month && ymd.day == previous.day + 1;
    const bool first_of_next_month = ymd.day == 1;
    if (!back || *back != d || !(next_day_in_month || first_of_next_month)) ++mismatches;
    previous = ymd;
  }
  CHECK(mismatches == 0);
  CHECK(previous.year == 9999);
}

TEST_CASE("dates: weekday_of known dates") {
  CHECK(weekday_of(on(2026, 11, 24)) == Weekday::tuesday);
  CHECK(weekday_of(on(1970, 1, 1)) == Weekday::thursday);
  CHECK(weekday_of(on(2024, 2, 29)) == Weekday::thursday);
  CHECK(weekday_of(on(1969, 12, 31)) == Weekday::wednesday);
  CHECK(weekday_of(on(2000, 1, 1)) == Weekday::saturday);
}

TEST_CASE("dates: add_days") {
  CHECK(add_days(on(2026, 2, 28), 1) == on(2026, 3, 1));
  CHECK(add_days(on(2024, 2, 28), 1) == on(2024, 2, 29));
  CHECK(add_days(on(2026, 1, 1), -1) == on(2025, 12, 31));
  CHECK(add_days(on(2026, 1, 1), 365) == on(2027, 1, 1));
}

TEST_CASE("dates: add_months clamps to month end") {
  CHECK(add_months(on(2026, 1, 31), 1) == on(2026, 2, 28));
  CHECK(add_months(on(2024, 1, 31), 1) == on(2024, 2, 29));
  CHECK(add_months(on(2024, 2, 29), 12) == on(2025, 2, 28));
  CHECK(add_months(on(2026, 3, 31), 1) == on(2026, 4, 30));
  CHECK(add_months(on(2026, 1, 15), 0) == on(2026, 1, 15));
  CHECK(add_months(on(2026, 11, 30), 3) == on(2027, 2, 28));
  CHECK(add_months(on(2026, 3, 31), -1) == on(2026, 2, 28));
  CHECK(add_months(on(2026, 1, 15), -1) == on(2025, 12, 15));
  CHECK(add_months(on(2026, 1, 15), -25) == on(2023, 12, 15));
}

TEST_CASE("dates: period_end_months") {
  CHECK(period_end_months(on(2026, 1, 31), 1) == on(2026, 2, 28));
  CHECK(period_end_months(on(2024, 2, 29), 12) == on(2025, 2, 28));
  CHECK(period_end_months(on(2026, 3, 1), 3) == on(2026, 5, 31));
  CHECK(period_end_months(on(2026, 1, 15), 1) == on(2026, 2, 14));
  CHECK(period_end_months(on(2026, 1, 30), 1) == on(2026, 2, 28));
  CHECK(period_end_months(on(2026, 3, 10), 12) == on(2027, 3, 9));
  CHECK(period_end_months(on(2026, 12, 1), 1) == on(2026, 12, 31));
}

TEST_CASE("dates: nth_weekday") {
  CHECK(nth_weekday(3, Weekday::monday, 1, 2026) == on(2026, 1, 19));
  CHECK(nth_weekday(4, Weekday::thursday, 11, 2026) == on(2026, 11, 26));
  CHECK(nth_weekday(1, Weekday::thursday, 1, 2026) == on(2026, 1, 1));
  CHECK(nth_weekday(5, Weekday::thursday, 1, 2026) == on(2026, 1, 29));
  CHECK_FALSE(nth_weekday(5, Weekday::monday, 2, 2026).has_value());
  CHECK_FALSE(nth_weekday(0, Weekday::monday, 1, 2026).has_value());
  CHECK_FALSE(nth_weekday(6, Weekday::monday, 1, 2026).has_value());
  CHECK_FALSE(nth_weekday(1, Weekday::monday, 13, 2026).has_value());
}

TEST_CASE("dates: last_weekday") {
  CHECK(last_weekday(Weekday::monday, 5, 2026) == on(2026, 5, 25));
  CHECK(last_weekday(Weekday::monday, 5, 2027) == on(2027, 5, 31));
  CHECK(last_weekday(Weekday::saturday, 2, 2026) == on(2026, 2, 28));
}

TEST_CASE("dates: parse_date is strict") {
  CHECK(parse_date("2026-03-01") == on(2026, 3, 1));
  CHECK(parse_date("0001-01-01") == on(1, 1, 1));
  CHECK_FALSE(parse_date("2026-3-01").has_value());
  CHECK_FALSE(parse_date("2026-03-01x").has_value());
  CHECK_FALSE(parse_date("").has_value());
  CHECK_FALSE(parse_date("abcd-ef-gh").has_value());
  CHECK_FALSE(parse_date("2026-02-30").has_value());
  CHECK_FALSE(parse_date("2026/03/01").has_value());
  CHECK_FALSE(parse_date("+026-03-01").has_value());
  CHECK_FALSE(parse_date("0000-01-01").has_value());
  CHECK_FALSE(parse_date(" 2026-03-1").has_value());
}

TEST_CASE("dates: format_date") {
  CHECK(format_date(on(2026, 3, 1)) == "2026-03-01");
  CHECK(format_date(on(1, 1, 1)) == "0001-01-01");
  CHECK(format_date(on(9999, 12, 31)) == "9999-12-31");
  CHECK(format_date(Date{}) == "1970-01-01");
  CHECK(parse_date(format_date(on(2024, 2, 29))) == on(2024, 2, 29));
}

TEST_CASE("dates: is_working_day") {
  const std::set<Date> holidays = {on(2026, 11, 26), on(2026, 11, 27)};
  const WorkingCalendar cal = calendar_with_holidays(holidays);
  CHECK(is_working_day(on(2026, 11, 24), cal));
  CHECK_FALSE(is_working_day(on(2026, 11, 26), cal));
  CHECK_FALSE(is_working_day(on(2026, 11, 28), cal));
  CHECK_FALSE(is_working_day(on(2026, 11, 29), cal));

  WorkingCalendar friday_saturday;
  friday_saturday.weekend_mask = (1u << 4) | (1u << 5);
  CHECK_FALSE(is_working_day(on(2026, 11, 20), friday_saturday));
  CHECK(is_working_day(on(2026, 11, 22), friday_saturday));
}

TEST_CASE("dates: next_working_day") {
  const std::set<Date> holidays = {on(2026, 11, 26), on(2026, 11, 27)};
  const WorkingCalendar cal = calendar_with_holidays(holidays);
  CHECK(next_working_day(on(2026, 11, 20), cal) == on(2026, 11, 23));
  CHECK(next_working_day(on(2026, 11, 23), cal) == on(2026, 11, 24));
  CHECK(next_working_day(on(2026, 11, 25), cal) == on(2026, 11, 30));

  WorkingCalendar no_working_days;
  no_working_days.weekend_mask = 0x7fu;
  CHECK_FALSE(next_working_day(on(2026, 1, 1), no_working_days).has_value());
}

TEST_CASE("dates: nth_working_day") {
  const std::set<Date> holidays = {on(2026, 11, 26), on(2026, 11, 27)};
  const WorkingCalendar cal = calendar_with_holidays(holidays);
  const Date limit = on(2026, 12, 31);
  CHECK(nth_working_day(on(2026, 11, 23), 1, limit, cal) == on(2026, 11, 23));
  CHECK(nth_working_day(on(2026, 11, 21), 1, limit, cal) == on(2026, 11, 23));
  CHECK(nth_working_day(on(2026, 11, 23), 3, limit, cal) == on(2026, 11, 25));
  CHECK(nth_working_day(on(2026, 11, 23), 4, limit, cal) == on(2026, 11, 30));
  CHECK(nth_working_day(on(2026, 11, 23), 4, on(2026, 11, 30), cal) == on(2026, 11, 30));
  CHECK_FALSE(nth_working_day(on(2026, 11, 23), 4, on(2026, 11, 29), cal).has_value());
  CHECK_FALSE(nth_working_day(on(2026, 11, 23), 0, limit, cal).has_value());
  CHECK_FALSE(nth_working_day(on(2026, 11, 23), -3, limit, cal).has_value());
}

TEST_CASE("dates: count_working_days") {
  const std::set<Date> holidays = {on(2026, 11, 26), on(2026, 11, 27)};
  const WorkingCalendar cal = calendar_with_holidays(holidays);
  // November 2026 has 21 weekdays, two of them holidays.
  CHECK(count_working_days(on(2026, 11, 1), on(2026, 11, 30), cal) == 19);
  CHECK(count_working_days(on(2026, 11, 1), on(2026, 11, 30), WorkingCalendar{}) == 21);
  CHECK(count_working_days(on(2026, 11, 24), on(2026, 11, 24), cal) == 1);
  CHECK(count_working_days(on(2026, 11, 26), on(2026, 11, 29), cal) == 0);
  CHECK(count_working_days(on(2026, 11, 30), on(2026, 11, 1), cal) == 0);
}
