#pragma once
// The built-in functions of the rule language, in one table: generic primitives for dates, working days,
// durations and lists. No fact of Chapter 8 or the MMS lives here; those are in rules/.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "interpreter/types.hpp"
#include "interpreter/value.hpp"
#include "stdlib/dates.hpp"

namespace merit::stdlib {

/// A built-in's complaint about its arguments at run time (a date that does not exist); the interpreter
/// attaches the call's position.
struct BuiltinError {
  std::string message;
};

/// What built-ins may ask of the running interpreter: the working-day calendars declared in the rules.
class BuiltinContext {
 public:
  virtual ~BuiltinContext() = default;
  virtual const WorkingCalendar& calendar(std::int32_t decl) = 0;
  /// A value as a person reads it (enum members by name, dates as 2026-03-01).
  virtual std::string display(const Value& value) = 0;
};

using BuiltinRun = Value (*)(std::span<const Value> args, BuiltinContext& context);
/// Gives the result type for these argument types, or sets `error` (phrased for a reader of the rules).
using BuiltinTypeRule = TypeRef (*)(std::span<const TypeRef> args, std::string& error);

struct Builtin {
  std::string_view name;
  std::string_view usage;  // shown when a call is wrong: `period_end(start: date, length: duration): date`
  BuiltinTypeRule type_rule;
  BuiltinRun run;
  // Whether it goes through the items of a list it is given: an evaluation is charged a step for each
  // (size, first and last only look at its ends).
  bool goes_through_lists = true;
};

std::span<const Builtin> builtins();
/// The index of a built-in by name, or -1.
std::int32_t find_builtin(std::string_view name);

}  // namespace merit::stdlib
