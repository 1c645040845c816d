#include "stdlib/builtins.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <vector>

#include "interpreter/budget.hpp"
#include "interpreter/text_index.hpp"

namespace merit::stdlib {
namespace {

constexpr std::int32_t weekday_decl = 0;  // Program::enums[0] is the built-in Weekday

TypeRef t(TypeKind kind) {
  return basic_type(kind);
}

bool kinds_are(std::span<const TypeRef> args, std::initializer_list<TypeKind> kinds) {
  if (args.size() != kinds.size()) return false;
  std::size_t i = 0;
  for (TypeKind k : kinds) {
    const TypeRef& a = args[i++];
    if (is_error(a)) continue;
    if (a->kind == k) continue;
    if (k == TypeKind::decimal && a->kind == TypeKind::integer) continue;
    if (k == TypeKind::enumeration && a->kind == TypeKind::enumeration && a->decl == weekday_decl) continue;
    return false;
  }
  return true;
}

// A built-in with fixed argument kinds and result.
template <TypeKind Result, TypeKind... Args>
TypeRef fixed(std::span<const TypeRef> args, std::string& error) {
  if (!kinds_are(args, {Args...})) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  if constexpr (Result == TypeKind::enumeration) {
    return enum_type(weekday_decl);
  } else {
    return t(Result);
  }
}

TypeRef optional_date(std::span<const TypeRef> args, std::string& error) {
  if (!kinds_are(args, {TypeKind::date, TypeKind::integer, TypeKind::calendar, TypeKind::date})) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return optional_of(t(TypeKind::date));
}

bool is_list(const TypeRef& a) {
  return is_error(a) || a->kind == TypeKind::list;
}
TypeRef element_of(const TypeRef& a) {
  return is_error(a) || !a->element ? t(TypeKind::error) : a->element;
}

TypeRef list_size(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0])) error = "wrong arguments";
  return t(TypeKind::integer);
}

TypeRef list_end(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0])) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return optional_of(element_of(args[0]));
}

TypeRef list_same(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0])) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return args[0];
}

TypeRef any_text(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1) error = "wrong arguments";
  return t(TypeKind::text);
}

TypeRef list_position(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 2 || !is_list(args[0]) ||
      !(is_error(args[1]) || assignable(args[1], element_of(args[0])))) {
    error = "wrong arguments";
  }
  return t(TypeKind::integer);
}

TypeRef list_positions(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 2 || !is_list(args[0]) ||
      !(is_error(args[1]) || assignable(args[1], element_of(args[0])))) {
    error = "wrong arguments";
  }
  return list_of(t(TypeKind::integer));
}

TypeRef list_flatten(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0]) ||
      !(is_error(element_of(args[0])) || is_list(element_of(args[0])))) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return is_error(element_of(args[0])) ? list_of(t(TypeKind::error)) : element_of(args[0]);
}

TypeRef list_tally(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0]) ||
      !(is_error(element_of(args[0])) || element_of(args[0])->kind == TypeKind::text)) {
    error = "wrong arguments";
  }
  return map_of(t(TypeKind::integer));
}

TypeRef list_present(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0])) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return list_of(strip_optional(element_of(args[0])));
}

bool is_map(const TypeRef& a) {
  return is_error(a) || a->kind == TypeKind::map;
}

TypeRef map_keys(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_map(args[0])) error = "wrong arguments";
  return list_of(t(TypeKind::text));
}

TypeRef map_get(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 2 || !is_map(args[0]) || !(is_error(args[1]) || args[1]->kind == TypeKind::text)) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return optional_of(element_of(args[0]));
}

TypeRef list_sum(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 1 || !is_list(args[0]) ||
      !(is_error(element_of(args[0])) || is_numeric(element_of(args[0])))) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return is_error(element_of(args[0])) ? t(TypeKind::integer) : element_of(args[0]);
}

bool orderable(const TypeRef& a) {
  switch (a->kind) {
    case TypeKind::integer:
    case TypeKind::decimal:
    case TypeKind::date:
    case TypeKind::text:
    case TypeKind::error:
      return true;
    default:
      return false;
  }
}

TypeRef pair_extreme(std::span<const TypeRef> args, std::string& error) {
  if (args.size() != 2 || !orderable(args[0]) || !orderable(args[1])) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  if (is_numeric(args[0]) && is_numeric(args[1])) {
    const bool both_int = args[0]->kind == TypeKind::integer && args[1]->kind == TypeKind::integer;
    return t(both_int ? TypeKind::integer : TypeKind::decimal);
  }
  if (!assignable(args[1], args[0])) {
    error = "wrong arguments";
    return t(TypeKind::error);
  }
  return args[0];
}

// ---------------------------------------------------------------------------------------------------------
// Run-time halves.

int to_int(const Value& v, std::string_view what) {
  const std::int64_t i = v.as_int();
  if (i < -100000 || i > 100000) throw BuiltinError{fmt::format("{} {} is out of range", what, i)};
  return static_cast<int>(i);
}

Weekday weekday_arg(const Value& v) {
  return static_cast<Weekday>(v.as_enum().index);
}
Value weekday_value(Weekday w) {
  return Value(EnumValue{weekday_decl, static_cast<std::int32_t>(w)});
}

Value run_date(std::span<const Value> a, BuiltinContext&) {
  const int y = to_int(a[0], "year");
  const int m = to_int(a[1], "month");
  const int d = to_int(a[2], "day");
  const auto date = make_date(y, m, d);
  if (!date) throw BuiltinError{fmt::format("date({}, {}, {}) is not a date that exists", y, m, d)};
  return Value(*date);
}

Value run_year(std::span<const Value> a, BuiltinContext&) {
  return Value(static_cast<std::int64_t>(to_ymd(a[0].as_date()).year));
}
Value run_month(std::span<const Value> a, BuiltinContext&) {
  return Value(static_cast<std::int64_t>(to_ymd(a[0].as_date()).month));
}
Value run_day(std::span<const Value> a, BuiltinContext&) {
  return Value(static_cast<std::int64_t>(to_ymd(a[0].as_date()).day));
}
Value run_weekday(std::span<const Value> a, BuiltinContext&) {
  return weekday_value(weekday_of(a[0].as_date()));
}

Value run_nth_weekday(std::span<const Value> a, BuiltinContext&) {
  const int n = to_int(a[0], "count");
  const int month = to_int(a[2], "month");
  const int year = to_int(a[3], "year");
  const auto date = nth_weekday(n, weekday_arg(a[1]), month, year);
  if (!date)
    throw BuiltinError{fmt::format("month {} of {} has no weekday number {} of that kind", month, year, n)};
  return Value(*date);
}

Value run_last_weekday(std::span<const Value> a, BuiltinContext&) {
  const int month = to_int(a[1], "month");
  if (month < 1 || month > 12) throw BuiltinError{fmt::format("month {} does not exist", month)};
  return Value(last_weekday(weekday_arg(a[0]), month, to_int(a[2], "year")));
}

// The last day of a period of the given length that begins on `start` (spec 5: months end the day before
// the same day of the month, or on the month's last day where that day does not exist).
Value run_period_end(std::span<const Value> a, BuiltinContext&) {
  const Date start = a[0].as_date();
  const Duration& length = a[1].as_duration();
  if (length.amount < 1 || length.amount > 100000) {
    throw BuiltinError{fmt::format("a period must be at least one day long, not {}", length.amount)};
  }
  switch (length.unit) {
    case DurationUnit::days:
      return Value(add_days(start, length.amount - 1));
    case DurationUnit::months:
      return Value(period_end_months(start, length.amount));
    case DurationUnit::years:
      return Value(period_end_months(start, length.amount * 12));
    case DurationUnit::working_days:
      break;
  }
  throw BuiltinError{"a period of working days needs a calendar: use nth_working_day"};
}

Value run_is_working_day(std::span<const Value> a, BuiltinContext& c) {
  return Value(is_working_day(a[0].as_date(), c.calendar(std::get<CalendarRef>(a[1].data).decl)));
}

Value run_next_working_day(std::span<const Value> a, BuiltinContext& c) {
  const auto next = next_working_day(a[0].as_date(), c.calendar(std::get<CalendarRef>(a[1].data).decl));
  if (!next) throw BuiltinError{"the calendar has no working day in the ten years after this date"};
  return Value(*next);
}

Value run_nth_working_day(std::span<const Value> a, BuiltinContext& c) {
  const auto& cal = c.calendar(std::get<CalendarRef>(a[2].data).decl);
  const Date from = a[0].as_date();
  const Date until = a[3].as_date();
  const auto day = nth_working_day(from, a[1].as_int(), until, cal);
  // A step for each day looked at: the days to `until` may be millions.
  charge_steps(static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, std::int64_t{(day ? *day : until).days} - from.days + 1)));
  return day ? Value(*day) : Value(None{});
}

Value run_count_working_days(std::span<const Value> a, BuiltinContext& c) {
  const Date first = a[0].as_date();
  const Date last = a[1].as_date();
  if (last.days - first.days > 3660) throw BuiltinError{"working days are counted over ten years at most"};
  charge_steps(
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, std::int64_t{last.days} - first.days + 1)));
  return Value(count_working_days(first, last, c.calendar(std::get<CalendarRef>(a[2].data).decl)));
}

template <DurationUnit Unit>
Value run_duration(std::span<const Value> a, BuiltinContext&) {
  const std::int64_t amount = a[0].as_int();
  if (!duration_in_range(amount)) throw BuiltinError{fmt::format("a duration of {} is too long", amount)};
  return Value(Duration::of(amount, Unit));
}

Value run_amount(std::span<const Value> a, BuiltinContext&) {
  return Value(a[0].as_duration().amount);
}

// A length of months or years in months (1 year is 12 months), so that a count of months in the data can
// be set against a duration parameter whatever unit it is written in. Days have no exact count of months.
Value run_months_in(std::span<const Value> a, BuiltinContext&) {
  const Duration& length = a[0].as_duration();
  switch (length.unit) {
    case DurationUnit::months:
      return Value(length.amount);
    case DurationUnit::years: {
      std::int64_t months = 0;
      if (__builtin_mul_overflow(length.amount, 12, &months)) throw BuiltinError{"the length is too long"};
      return Value(months);
    }
    case DurationUnit::days:
    case DurationUnit::working_days:
      break;
  }
  throw BuiltinError{"a length in days has no exact number of months"};
}

Value run_size(std::span<const Value> a, BuiltinContext&) {
  return Value(static_cast<std::int64_t>(a[0].as_list().size()));
}

Value run_first(std::span<const Value> a, BuiltinContext&) {
  const auto& items = a[0].as_list().items();
  return items.empty() ? Value(None{}) : items.front();
}

Value run_last(std::span<const Value> a, BuiltinContext&) {
  const auto& items = a[0].as_list().items();
  return items.empty() ? Value(None{}) : items.back();
}

// The first of each run of equal items in a stable sort is the first in the list: n log n, where comparing
// each item with those kept before would be quadratic.
Value run_distinct(std::span<const Value> a, BuiltinContext&) {
  const auto& items = a[0].as_list().items();
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return compare_values(items[x], items[y]) < 0; });
  std::vector<bool> keep(items.size(), false);
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || !values_equal(items[order[i]], items[order[i - 1]])) keep[order[i]] = true;
  }
  std::vector<Value> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (keep[i]) out.push_back(items[i]);
  }
  return make_list(std::move(out));
}

Value run_sum(std::span<const Value> a, BuiltinContext&) {
  std::int64_t total = 0;
  double decimal_total = 0;
  bool any_decimal = false;
  for (const Value& v : a[0].as_list().items()) {
    if (const auto* i = std::get_if<std::int64_t>(&v.data)) {
      if (__builtin_add_overflow(total, *i, &total)) throw BuiltinError{"the sum is too large"};
    } else {
      any_decimal = true;
      decimal_total += v.as_number();
    }
  }
  if (any_decimal) {
    const double result = decimal_total + static_cast<double>(total);
    if (!std::isfinite(result)) throw BuiltinError{"the sum is too large"};
    return Value(result);
  }
  return Value(total);
}

Value run_text(std::span<const Value> a, BuiltinContext& c) {
  if (std::holds_alternative<Text>(a[0].data)) return a[0];  // as it is; display() escapes for a terminal
  return make_text(c.display(a[0]));
}

Value run_position(std::span<const Value> a, BuiltinContext&) {
  const auto& items = a[0].as_list().items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (values_equal(items[i], a[1])) return Value(static_cast<std::int64_t>(i));
  }
  return Value(std::int64_t{-1});
}

Value run_positions(std::span<const Value> a, BuiltinContext&) {
  std::vector<Value> out;
  const auto& items = a[0].as_list().items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (values_equal(items[i], a[1])) out.emplace_back(static_cast<std::int64_t>(i));
  }
  return make_list(std::move(out));
}

// Sorting a copy finds repeats in n log n, so a register of many candidates is checked quickly.
Value run_duplicates(std::span<const Value> a, BuiltinContext&) {
  const auto& items = a[0].as_list().items();
  std::vector<std::size_t> repeated;  // index of the first occurrence of each repeated value
  const auto in_order = [&] {
    std::sort(repeated.begin(), repeated.end());
    std::vector<Value> out;
    out.reserve(repeated.size());
    for (std::size_t i : repeated) out.push_back(items[i]);
    return make_list(std::move(out));
  };
  // Texts (the ids of a register of a million persons): counted in one pass through a hash table, where
  // equal texts are exactly the ones compare_values finds equal.
  if (items.size() < TextIndex::none && std::all_of(items.begin(), items.end(), [](const Value& v) {
        return std::holds_alternative<Text>(v.data);
      })) {
    const auto text_of = [&](std::uint32_t at) { return std::string_view(items[at].as_text()); };
    TextIndex seen(items.size());
    std::vector<bool> counted(items.size(), false);  // by first index: already reported as repeated
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::uint32_t first = seen.add(items[i].as_text(), static_cast<std::uint32_t>(i), text_of);
      if (first != i && !counted[first]) {
        counted[first] = true;
        repeated.push_back(first);
      }
    }
    return in_order();
  }
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return compare_values(items[x], items[y]) < 0; });
  for (std::size_t i = 1; i < order.size(); ++i) {
    const bool same = values_equal(items[order[i]], items[order[i - 1]]);
    const bool new_run = i < 2 || !values_equal(items[order[i - 1]], items[order[i - 2]]);
    if (same && new_run) repeated.push_back(order[i - 1]);
  }
  return in_order();
}

Value run_flatten(std::span<const Value> a, BuiltinContext&) {
  // The call charged the outer list's items; the inner lists' are charged here, with their memory, before
  // the result is made.
  std::size_t total = 0;
  for (const Value& inner : a[0].as_list().items()) total += inner.as_list().size();
  charge_steps(total);
  charge_bytes(total * sizeof(Value));
  std::vector<Value> out;
  out.reserve(total);
  for (const Value& inner : a[0].as_list().items()) {
    const auto& items = inner.as_list().items();
    out.insert(out.end(), items.begin(), items.end());
  }
  return make_list(std::move(out));
}

// How often each text stands in a list, as a map, in one pass (counting per item would be quadratic).
Value run_tally(std::span<const Value> a, BuiltinContext&) {
  std::vector<std::pair<std::string, Value>> entries;
  std::unordered_map<std::string_view, std::size_t> seen;
  std::vector<std::int64_t> counts;
  for (const Value& item : a[0].as_list().items()) {
    const std::string& key = item.as_text();
    const auto [it, fresh] = seen.emplace(key, counts.size());
    if (fresh) {
      counts.push_back(0);
      entries.emplace_back(key, Value());
    }
    ++counts[it->second];
  }
  for (std::size_t i = 0; i < entries.size(); ++i) entries[i].second = Value(counts[i]);
  return make_map(std::move(entries));
}

Value run_present(std::span<const Value> a, BuiltinContext&) {
  std::vector<Value> out;
  for (const Value& v : a[0].as_list().items()) {
    if (!v.is_none()) out.push_back(v);
  }
  return make_list(std::move(out));
}

Value run_keys(std::span<const Value> a, BuiltinContext&) {
  std::vector<Value> out;
  for (const Value& entry : a[0].as_list().items()) out.push_back(entry.as_list().items()[0]);
  return make_list(std::move(out));
}

Value run_get(std::span<const Value> a, BuiltinContext&) {
  const Value* found = map_find(a[0], a[1].as_text());
  return found ? *found : Value(None{});
}

Value run_min(std::span<const Value> a, BuiltinContext&) {
  return compare_values(a[1], a[0]) < 0 ? a[1] : a[0];
}
Value run_max(std::span<const Value> a, BuiltinContext&) {
  return compare_values(a[1], a[0]) > 0 ? a[1] : a[0];
}

using K = TypeKind;

// clang-format off
const std::array table{
  Builtin{"date", "date(year: integer, month: integer, day: integer): date", fixed<K::date, K::integer, K::integer, K::integer>, run_date},
  Builtin{"year", "year(d: date): integer", fixed<K::integer, K::date>, run_year},
  Builtin{"month", "month(d: date): integer", fixed<K::integer, K::date>, run_month},
  Builtin{"day", "day(d: date): integer", fixed<K::integer, K::date>, run_day},
  Builtin{"weekday", "weekday(d: date): Weekday", fixed<K::enumeration, K::date>, run_weekday},
  Builtin{"nth_weekday", "nth_weekday(n: integer, day: Weekday, month: integer, year: integer): date", fixed<K::date, K::integer, K::enumeration, K::integer, K::integer>, run_nth_weekday},
  Builtin{"last_weekday", "last_weekday(day: Weekday, month: integer, year: integer): date", fixed<K::date, K::enumeration, K::integer, K::integer>, run_last_weekday},
  Builtin{"period_end", "period_end(start: date, length: duration): date", fixed<K::date, K::date, K::duration>, run_period_end},
  Builtin{"is_working_day", "is_working_day(d: date, c: calendar): boolean", fixed<K::boolean, K::date, K::calendar>, run_is_working_day},
  Builtin{"next_working_day", "next_working_day(after: date, c: calendar): date", fixed<K::date, K::date, K::calendar>, run_next_working_day},
  Builtin{"nth_working_day", "nth_working_day(from: date, n: integer, c: calendar, until: date): date?", optional_date, run_nth_working_day},
  Builtin{"count_working_days", "count_working_days(first: date, last: date, c: calendar): integer", fixed<K::integer, K::date, K::date, K::calendar>, run_count_working_days},
  Builtin{"days", "days(n: integer): duration", fixed<K::duration, K::integer>, run_duration<DurationUnit::days>},
  Builtin{"working_days", "working_days(n: integer): duration", fixed<K::duration, K::integer>, run_duration<DurationUnit::working_days>},
  Builtin{"months", "months(n: integer): duration", fixed<K::duration, K::integer>, run_duration<DurationUnit::months>},
  Builtin{"years", "years(n: integer): duration", fixed<K::duration, K::integer>, run_duration<DurationUnit::years>},
  Builtin{"amount", "amount(d: duration): integer", fixed<K::integer, K::duration>, run_amount},
  Builtin{"months_in", "months_in(d: duration): integer (the months in a length of months or years)", fixed<K::integer, K::duration>, run_months_in},
  Builtin{"size", "size(items: list of T): integer", list_size, run_size, false},
  Builtin{"first", "first(items: list of T): T?", list_end, run_first, false},
  Builtin{"last", "last(items: list of T): T?", list_end, run_last, false},
  Builtin{"distinct", "distinct(items: list of T): list of T", list_same, run_distinct},
  Builtin{"sum", "sum(numbers: list of integer or decimal): integer or decimal", list_sum, run_sum},
  Builtin{"text", "text(x): x written out as text, for messages", any_text, run_text},
  Builtin{"position", "position(items: list of T, item: T): integer (0 for the first, -1 when absent)", list_position, run_position},
  Builtin{"positions", "positions(items: list of T, item: T): list of integer, every place item stands", list_positions, run_positions},
  Builtin{"duplicates", "duplicates(items: list of T): list of T, each value that stands more than once", list_same, run_duplicates},
  Builtin{"flatten", "flatten(lists: list of list of T): list of T", list_flatten, run_flatten},
  Builtin{"tally", "tally(items: list of text): map of integer, how often each text stands in the list", list_tally, run_tally},
  Builtin{"present", "present(items: list of T?): list of T, without the nones", list_present, run_present},
  Builtin{"keys", "keys(m: map of T): list of text", map_keys, run_keys},
  Builtin{"get", "get(m: map of T, key: text): T?", map_get, run_get},
  Builtin{"min", "min(a, b): the smaller of two numbers, dates or texts", pair_extreme, run_min},
  Builtin{"max", "max(a, b): the larger of two numbers, dates or texts", pair_extreme, run_max},
};
// clang-format on

}  // namespace

std::span<const Builtin> builtins() {
  return table;
}

std::int32_t find_builtin(std::string_view name) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

}  // namespace merit::stdlib
