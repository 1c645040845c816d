// Working days: the calendars the rules declare, their holidays worked out year by year as the built-ins
// ask for them, and the check of every holiday's date over the years a rule set may be asked about.
#include "interpreter/interpreter.hpp"

namespace merit::interpret {

const stdlib::WorkingCalendar& Interpreter::calendar(std::int32_t decl) {
  auto& slot = calendars_[static_cast<std::size_t>(decl)];
  if (!slot) slot = make_calendar(decl);
  return *slot;
}

stdlib::WorkingCalendar Interpreter::make_calendar(std::int32_t decl) {
  const ast::Calendar& cal = *program_.calendars[static_cast<std::size_t>(decl)];
  stdlib::WorkingCalendar result;
  result.weekend_mask = 0;
  for (const auto& day : cal.weekend) {
    for (std::size_t i = 0; i < 7; ++i) {
      if (program_.enums[weekday_enum]->members[i].name == day.name) result.weekend_mask |= 1u << i;
    }
  }
  // A holiday of one year may be observed in the year before (New Year's Day on a Saturday).
  result.is_holiday = [this, decl](Date d) {
    const int year = stdlib::to_ymd(d).year;
    for (int y : {year, year + 1}) {
      const auto& days = holidays_of(decl, y);
      if (std::binary_search(days.begin(), days.end(), d)) return true;
    }
    return false;
  };
  return result;
}

const std::vector<Date>& Interpreter::holidays_of(std::int32_t decl, int year) {
  const auto key = std::make_pair(decl, year);
  if (auto it = holidays_.find(key); it != holidays_.end()) return it->second;
  const ast::Calendar& cal = *program_.calendars[static_cast<std::size_t>(decl)];
  // Two calendars whose holidays are worked out with each other would never finish.
  if (!holidays_in_progress_.insert(key).second) {
    throw EvalError{cal.span, fmt::format("the holidays of calendar {} depend on themselves", cal.name)};
  }
  std::vector<Date> days;
  const std::size_t base = push_frame(cal.frame_size);
  DecisionFrame* saved_decision = decision_;
  const std::size_t saved_base = base_;
  decision_ = nullptr;
  base_ = base;
  slot(cal.year_slot).hold(Value(static_cast<std::int64_t>(year)));
  for (const auto& h : cal.holidays) {
    // A holiday in force on some days only is not worked out in years it cannot fall in.
    if (h.effective && ((h.effective->from && year < stdlib::to_ymd(*h.effective->from).year) ||
                        (h.effective->through && year > stdlib::to_ymd(*h.effective->through).year)))
      continue;
    Date day;
    try {
      day = eval(*h.date).as_date();
    } catch (EvalError& error) {
      decision_ = saved_decision;
      base_ = saved_base;
      holidays_in_progress_.erase(key);
      error.trace.push_back(
          fmt::format("in holiday {} of calendar {} for {} at {}", h.name, cal.name, year, place(h.span)));
      throw;
    }
    if (!h.effective || h.effective->covers(day)) days.push_back(day);
  }
  decision_ = saved_decision;
  base_ = saved_base;
  stack_.resize(base);
  for (const auto& c : cal.closures) {
    if (!c.effective || c.effective->covers(c.date)) days.push_back(c.date);
  }
  std::sort(days.begin(), days.end());
  holidays_in_progress_.erase(key);
  return holidays_.emplace(key, std::move(days)).first->second;
}

/// The day holiday `holiday` of calendar `decl` falls on in `year`, for checking every holiday in advance.
Date Interpreter::holiday_date(std::int32_t decl, std::size_t holiday, int year) {
  const ast::Calendar& cal = *program_.calendars[static_cast<std::size_t>(decl)];
  const std::size_t base = push_frame(cal.frame_size);
  base_ = base;
  slot(cal.year_slot).hold(Value(static_cast<std::int64_t>(year)));
  Date day;
  try {
    day = eval(*cal.holidays.at(holiday).date).as_date();
  } catch (...) {
    // The interpreter is used again for the next year and holiday.
    stack_.resize(base);
    base_ = 0;
    throw;
  }
  stack_.resize(base);
  base_ = 0;
  return day;
}

}  // namespace merit::interpret

namespace merit {

using interpret::EvalError;
using interpret::Interpreter;

Diagnostics check_holidays(const Program& program, int first_year, int last_year) {
  Diagnostics errors;
  // The limits of the command line are for cases; the holidays the rules declare get the defaults.
  EvalOptions options;
  options.limits = EvaluationLimits{};
  // One interpreter for every year: each holds a large value stack, and its caches are keyed by date.
  Interpreter interpreter(program, *stdlib::make_date(first_year, 1, 1), options);
  for (std::size_t c = 0; c < program.calendars.size(); ++c) {
    const ast::Calendar& cal = *program.calendars[c];
    for (std::size_t h = 0; h < cal.holidays.size(); ++h) {
      const ast::Holiday& holiday = cal.holidays[h];
      int from = first_year;
      int through = last_year;
      if (holiday.effective && holiday.effective->from)
        from = std::max(from, stdlib::to_ymd(*holiday.effective->from).year);
      if (holiday.effective && holiday.effective->through)
        through = std::min(through, stdlib::to_ymd(*holiday.effective->through).year);
      for (int year = from; year <= through; ++year) {
        // Judged as of the year's first day, for the parameters a holiday may read.
        interpreter.set_as_of(*stdlib::make_date(year, 1, 1));
        try {
          interpreter.holiday_date(static_cast<std::int32_t>(c), h, year);
        } catch (const EvalError& e) {
          errors.push_back(
              error_at(holiday.span,
                       fmt::format("holiday {} has no date in {}: {}; say when it applies with 'effective "
                                   "from' and 'effective through'",
                                   holiday.name, year, e.message)));
          break;
        }
      }
    }
  }
  return errors;
}

}  // namespace merit
