#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace merit::stdlib {

// A civil (proleptic Gregorian) date, stored as days since 1970-01-01 so that
// comparison and day arithmetic are integer operations.
struct Date {
  std::int32_t days = 0;
  friend constexpr auto operator<=>(Date, Date) = default;
};

struct YearMonthDay {
  int year;
  int month;  // 1-12
  int day;    // 1-31
};

enum class Weekday : int { monday = 0, tuesday, wednesday, thursday, friday, saturday, sunday };

bool is_leap_year(int year);
// Month 1..12; any other month has no days, so the answer is 0.
int days_in_month(int year, int month);
// nullopt when the day does not exist (2026-02-30) or the year is outside 1..9999.
std::optional<Date> make_date(int year, int month, int day);
YearMonthDay to_ymd(Date d);
Weekday weekday_of(Date d);
// Saturation is not needed: the caller keeps results within range.
Date add_days(Date d, std::int64_t n);
// Same day of the month n months later (n may be negative); where that day does not exist,
// the last day of that month. 2026-01-31 + 1 month = 2026-02-28; 2024-02-29 + 12 = 2025-02-28.
Date add_months(Date d, std::int64_t n);
// The last day of a period of n months (n >= 1) beginning on `start`: the day before the same
// day of the month n months later; where that day does not exist in that month, the last day
// of that month. One month from 2026-01-31 ends 2026-02-28; one month from 2026-01-15 ends
// 2026-02-14; three months from 2026-03-01 end 2026-05-31.
Date period_end_months(Date start, std::int64_t n);
// The n-th (1-based, n in 1..5) given weekday of a month; nullopt when the month has no n-th
// such day (5th Monday) or the month is not 1..12.
std::optional<Date> nth_weekday(int n, Weekday wd, int month, int year);
// The last given weekday of a month (Memorial Day: last Monday of May). Month must be 1..12;
// otherwise the result is the epoch date.
Date last_weekday(Weekday wd, int month, int year);
// Strict YYYY-MM-DD (exactly 10 chars, digits, real date) -> Date; nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
// YYYY-MM-DD, zero padded.
std::string format_date(Date d);

// Working days against a calendar whose holidays the caller supplies (the facts of which days
// are holidays live in rule files, not here). Weekend days are a bitmask with bit (int)Weekday
// set for each weekend day (default Saturday+Sunday). An empty is_holiday means no holidays.
struct WorkingCalendar {
  std::function<bool(Date)> is_holiday;
  unsigned weekend_mask = (1u << 5) | (1u << 6);
};

bool is_working_day(Date d, const WorkingCalendar& cal);
// The first working day strictly after d; nullopt if none within 3660 days.
std::optional<Date> next_working_day(Date d, const WorkingCalendar& cal);
// The n-th working day (n >= 1) counting from `from` itself (from counts when it is a working
// day). nullopt when n < 1 or when the n-th working day would be after `limit`.
std::optional<Date> nth_working_day(Date from, std::int64_t n, Date limit, const WorkingCalendar& cal);
// Number of working days in [first, last] inclusive (0 when last < first).
std::int64_t count_working_days(Date first, Date last, const WorkingCalendar& cal);

}  // namespace merit::stdlib
