#include "stdlib/dates.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace merit::stdlib {

namespace {

// Howard Hinnant's days_from_civil (public domain). Works in 64 bits so any int year is safe.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                                    // [0, 399]
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

// Howard Hinnant's civil_from_days (public domain).
YearMonthDay civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

// Dates are 32-bit; clamping keeps out-of-range arithmetic defined instead of wrapping.
Date date_from_day_count(std::int64_t days) {
  constexpr std::int64_t lo = std::numeric_limits<std::int32_t>::min();
  constexpr std::int64_t hi = std::numeric_limits<std::int32_t>::max();
  return Date{static_cast<std::int32_t>(std::clamp(days, lo, hi))};
}

// Builds a date without validation; the caller guarantees month 1..12 and a real day.
Date unchecked_date(int year, int month, int day) {
  return date_from_day_count(days_from_civil(year, month, day));
}

bool is_valid_month(int month) {
  return month >= 1 && month <= 12;
}

struct YearMonth {
  int year;
  int month;
};

// Month arithmetic on a 0-based month count; n is clamped so the sum cannot overflow, and
// anything near the clamp is far outside the range of a 32-bit day count anyway.
YearMonth shift_month(int year, int month, std::int64_t n) {
  constexpr std::int64_t max_shift = 12LL * 10'000'000;
  const std::int64_t total =
      static_cast<std::int64_t>(year) * 12 + (month - 1) + std::clamp(n, -max_shift, max_shift);
  const std::int64_t y = (total >= 0 ? total : total - 11) / 12;
  const std::int64_t m = total - y * 12 + 1;
  return {static_cast<int>(y), static_cast<int>(m)};
}

bool is_weekend(Weekday wd, unsigned weekend_mask) {
  return ((weekend_mask >> static_cast<unsigned>(wd)) & 1u) != 0;
}

int parse_digits(std::string_view text) {
  int value = 0;
  for (const char c : text) value = value * 10 + (c - '0');
  return value;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool has_date_shape(std::string_view text) {
  if (text.size() != 10) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool is_dash_position = i == 4 || i == 7;
    if (is_dash_position ? text[i] != '-' : !is_digit(text[i])) return false;
  }
  return true;
}

}  // namespace

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!is_valid_month(month)) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return lengths[month - 1];
}

std::optional<Date> make_date(int year, int month, int day) {
  if (year < 1 || year > 9999 || !is_valid_month(month)) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return unchecked_date(year, month, day);
}

YearMonthDay to_ymd(Date d) {
  return civil_from_days(d.days);
}

Weekday weekday_of(Date d) {
  // 1970-01-01 was a Thursday (index 3); floor-mod keeps dates before the epoch right.
  const std::int64_t shifted = static_cast<std::int64_t>(d.days) + 3;
  const std::int64_t index = ((shifted % 7) + 7) % 7;
  return static_cast<Weekday>(index);
}

Date add_days(Date d, std::int64_t n) {
  constexpr std::int64_t max_step = std::numeric_limits<std::uint32_t>::max();
  return date_from_day_count(d.days + std::clamp(n, -max_step, max_step));
}

Date add_months(Date d, std::int64_t n) {
  const YearMonthDay ymd = to_ymd(d);
  const YearMonth target = shift_month(ymd.year, ymd.month, n);
  const int day = std::min(ymd.day, days_in_month(target.year, target.month));
  return unchecked_date(target.year, target.month, day);
}

Date period_end_months(Date start, std::int64_t n) {
  const YearMonthDay ymd = to_ymd(start);
  const YearMonth target = shift_month(ymd.year, ymd.month, n);
  const int last_day = days_in_month(target.year, target.month);
  // A start day missing from the target month means the period runs to that month's end,
  // not to the day before the clamped day (2026-01-31 + 1 month ends 2026-02-28).
  if (ymd.day > last_day) return unchecked_date(target.year, target.month, last_day);
  return add_days(unchecked_date(target.year, target.month, ymd.day), -1);
}

std::optional<Date> nth_weekday(int n, Weekday wd, int month, int year) {
  if (n < 1 || n > 5 || !is_valid_month(month)) return std::nullopt;
  const Date first = unchecked_date(year, month, 1);
  const int offset = (static_cast<int>(wd) - static_cast<int>(weekday_of(first)) + 7) % 7;
  const int day = 1 + offset + 7 * (n - 1);
  if (day > days_in_month(year, month)) return std::nullopt;
  return unchecked_date(year, month, day);
}

Date last_weekday(Weekday wd, int month, int year) {
  if (!is_valid_month(month)) return Date{};
  const Date last = unchecked_date(year, month, days_in_month(year, month));
  const int back = (static_cast<int>(weekday_of(last)) - static_cast<int>(wd) + 7) % 7;
  return add_days(last, -back);
}

std::optional<Date> parse_date(std::string_view text) {
  if (!has_date_shape(text)) return std::nullopt;
  return make_date(parse_digits(text.substr(0, 4)), parse_digits(text.substr(5, 2)),
                   parse_digits(text.substr(8, 2)));
}

std::string format_date(Date d) {
  const YearMonthDay ymd = to_ymd(d);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
  return buffer;
}

bool is_working_day(Date d, const WorkingCalendar& cal) {
  if (is_weekend(weekday_of(d), cal.weekend_mask)) return false;
  return !(cal.is_holiday && cal.is_holiday(d));
}

std::optional<Date> next_working_day(Date d, const WorkingCalendar& cal) {
  // Ten years without a working day means the calendar has none; stop rather than spin.
  constexpr std::int64_t search_days = 3660;
  for (std::int64_t step = 1; step <= search_days; ++step) {
    const Date candidate = add_days(d, step);
    if (is_working_day(candidate, cal)) return candidate;
  }
  return std::nullopt;
}

std::optional<Date> nth_working_day(Date from, std::int64_t n, Date limit, const WorkingCalendar& cal) {
  if (n < 1) return std::nullopt;
  std::int64_t found = 0;
  // Iterate over 64-bit day numbers so a limit at the top of the 32-bit range still ends.
  for (std::int64_t day = from.days; day <= limit.days; ++day) {
    const Date candidate{static_cast<std::int32_t>(day)};
    if (is_working_day(candidate, cal) && ++found == n) return candidate;
  }
  return std::nullopt;
}

std::int64_t count_working_days(Date first, Date last, const WorkingCalendar& cal) {
  std::int64_t count = 0;
  for (std::int64_t day = first.days; day <= last.days; ++day) {
    if (is_working_day(Date{static_cast<std::int32_t>(day)}, cal)) ++count;
  }
  return count;
}

}  // namespace merit::stdlib
