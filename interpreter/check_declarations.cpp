// Declarations: parameters and their values, functions and their bodies, and calendars with the holidays
// they declare.
#include "interpreter/checker.hpp"

namespace merit::checking {

void Checker::check_parameter(ast::Parameter& p) {
  std::optional<Date> previous;
  bool first = true;
  for (auto& v : p.values) {
    check_constant(*v.value, p.resolved, fmt::format("the value of parameter {}", p.name));
    if (!first && !v.from)
      error(v.span, "every value after the first needs 'from' and the date it takes effect");
    if (v.from && previous && *v.from <= *previous) {
      error(v.span, "the values of a parameter must be listed in the order they take effect");
    }
    if (v.from) previous = v.from;
    first = false;
  }
}

void Checker::check_function(std::int32_t index) {
  ast::Function& f = *functions_[static_cast<std::size_t>(index)];
  // The versions of a function are one node of the call graph: the one calls resolve to.
  current_caller_ = f.versions.empty() ? index : function_by_name_.at(f.name);
  if (f.versions.empty() && f.effective)
    check_effective_ranges({{f.effective, f.span}}, "function " + f.name);
  Scope scope;
  scope.frame_size = &f.frame_size;
  std::set<std::string> seen;
  for (auto& param : f.params) {
    if (!seen.insert(param.name).second)
      error(param.span, fmt::format("two parameters are named {}", param.name));
    param.slot = bind(scope, param.name, param.resolved);
  }
  expect(*f.body, scope, f.resolved, fmt::format("the result of {}", f.name));
  if (f.explanation)
    expect(*f.explanation, scope, basic_type(TypeKind::text), "the explanation after 'because'");
  current_caller_ = -1;
}

void Checker::check_calendar(ast::Calendar& c) {
  for (auto& day : c.weekend) {
    if (std::find(std::begin(weekday_names), std::end(weekday_names), day.name) == std::end(weekday_names)) {
      error(day.span, fmt::format("{} is not a day of the week (monday .. sunday)", day.name));
    }
  }
  // Each holiday is evaluated in a frame of its own: `year` in slot 0, then its binders; the calendar's
  // frame is the largest of them.
  c.frame_size = 1;
  checking_calendar_ = program_.calendar_index.at(c.name);
  for (const auto& closure : c.closures) {
    if (closure.effective)
      check_effective_ranges({{closure.effective, closure.span}},
                             "the closed day " + stdlib::format_date(closure.date));
    const auto day = static_cast<std::size_t>(stdlib::weekday_of(closure.date));
    const bool weekend = std::any_of(c.weekend.begin(), c.weekend.end(),
                                     [&](const auto& w) { return w.name == weekday_names[day]; });
    if (weekend) {
      program_.warnings.push_back(warning_at(
          closure.span, fmt::format("{} is a {}, already a weekend day of calendar {}; closing it changes "
                                    "nothing (was another day meant?)",
                                    stdlib::format_date(closure.date), weekday_names[day], c.name)));
    }
  }
  for (auto& h : c.holidays) {
    if (h.effective) check_effective_ranges({{h.effective, h.span}}, "holiday " + h.name);
    std::int32_t frame = 0;
    Scope scope;
    scope.frame_size = &frame;
    c.year_slot = bind(scope, "year", basic_type(TypeKind::integer));
    expect(*h.date, scope, basic_type(TypeKind::date), fmt::format("holiday {}", h.name));
    c.frame_size = std::max(c.frame_size, frame);
  }
  checking_calendar_ = -1;
}

}  // namespace merit::checking
