// The interpreter's operators: negation, logic, comparison, membership, and arithmetic on numbers, dates
// and durations, with overflow and impossible dates reported as errors in the rules.
#include <cmath>

#include "interpreter/interpreter.hpp"

namespace merit::interpret {

Date date_in_range(Date d, const SourceSpan& span) {
  const int year = stdlib::to_ymd(d).year;
  if (year < 1 || year > 9999) throw EvalError{span, "this date falls outside the years 1 to 9999"};
  return d;
}

/// A duration of `amount`, or an error at `span` when the amount is beyond any a Duration holds.
Duration duration_of(std::int64_t amount, DurationUnit unit, const SourceSpan& span) {
  if (!duration_in_range(amount)) throw EvalError{span, "this duration is too long"};
  return Duration::of(amount, unit);
}

std::int64_t checked(IntOp op, std::int64_t a, std::int64_t b, const SourceSpan& span) {
  std::int64_t out = 0;
  bool overflow = false;
  switch (op) {
    case IntOp::add:
      overflow = __builtin_add_overflow(a, b, &out);
      break;
    case IntOp::subtract:
      overflow = __builtin_sub_overflow(a, b, &out);
      break;
    case IntOp::multiply:
      overflow = __builtin_mul_overflow(a, b, &out);
      break;
  }
  if (overflow) throw EvalError{span, "this number is too large"};
  return out;
}

Value Interpreter::eval_node(const Expr& e, const ast::Unary& u) {
  const Value v = eval(*u.operand);
  if (u.op == ast::UnaryOp::logical_not) return Value(!v.as_bool());
  if (const auto* i = std::get_if<std::int64_t>(&v.data)) {
    return Value(checked(IntOp::subtract, 0, *i, e.span));
  }
  if (const auto* d = std::get_if<Duration>(&v.data)) {
    return Value(duration_of(checked(IntOp::subtract, 0, d->amount, e.span), d->unit, e.span));
  }
  return Value(-v.as_number());
}

bool Interpreter::member_of(const ast::Binary& b) {
  Value item_scratch;
  Value list_scratch;
  const Value& item = ref(*b.lhs, item_scratch);
  const Value& list = ref(*b.rhs, list_scratch);
  if (b.rhs->type->kind == TypeKind::map) return map_find(list, item.as_text()) != nullptr;
  if (const auto* text = std::get_if<Text>(&item.data)) return list.as_list().find_text(**text, false) >= 0;
  const auto& items = list.as_list().items();
  charge_steps(items.size());
  return std::any_of(items.begin(), items.end(), [&](const Value& x) { return values_equal(item, x); });
}

// The conditions of filters, quantifiers, rules and `if`: logic and comparisons answer a plain bool, with
// no value built for each step on the way.
bool Interpreter::test(const Expr& e) {
  using ast::BinaryOp;
  if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
    switch (b->op) {
      case BinaryOp::logical_and:
        return test(*b->lhs) && test(*b->rhs);
      case BinaryOp::logical_or:
        return test(*b->lhs) || test(*b->rhs);
      case BinaryOp::member_of:
        return member_of(*b);
      case BinaryOp::equal:
      case BinaryOp::not_equal: {
        Value lhs_scratch;
        Value rhs_scratch;
        const bool same = values_equal(ref(*b->lhs, lhs_scratch), ref(*b->rhs, rhs_scratch));
        return b->op == BinaryOp::equal ? same : !same;
      }
      default:
        break;
    }
  } else if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    if (u->op == ast::UnaryOp::logical_not) return !test(*u->operand);
  } else if (const auto* call = std::get_if<ast::Call>(&e.node); call && call->inlined) {
    return as_call(*call, [&] { return test(*call->inlined); });
  }
  return eval(e).as_bool();
}

Value Interpreter::eval_node(const Expr& e, const ast::Binary& b) {
  using ast::BinaryOp;
  switch (b.op) {
    case BinaryOp::logical_and:
      return Value(test(*b.lhs) && test(*b.rhs));
    case BinaryOp::logical_or:
      return Value(test(*b.lhs) || test(*b.rhs));
    case BinaryOp::or_else: {
      Value lhs = eval(*b.lhs);
      return lhs.is_none() ? eval(*b.rhs) : lhs;
    }
    case BinaryOp::member_of:
      return Value(member_of(b));
    default:
      break;
  }
  Value lhs_scratch;
  Value rhs_scratch;
  const Value& lhs = ref(*b.lhs, lhs_scratch);
  const Value& rhs = ref(*b.rhs, rhs_scratch);
  switch (b.op) {
    case BinaryOp::equal:
      return Value(values_equal(lhs, rhs));
    case BinaryOp::not_equal:
      return Value(!values_equal(lhs, rhs));
    case BinaryOp::less:
      return Value(ordered(e, lhs, rhs) < 0);
    case BinaryOp::less_equal:
      return Value(ordered(e, lhs, rhs) <= 0);
    case BinaryOp::greater:
      return Value(ordered(e, lhs, rhs) > 0);
    case BinaryOp::greater_equal:
      return Value(ordered(e, lhs, rhs) >= 0);
    default:
      return arithmetic(e, b.op, lhs, rhs);
  }
}

std::weak_ordering Interpreter::ordered(const Expr& e, const Value& a, const Value& b) {
  const auto* da = std::get_if<Duration>(&a.data);
  const auto* db = std::get_if<Duration>(&b.data);
  if (da && db && da->unit != db->unit) {
    throw EvalError{e.span, fmt::format("cannot compare {} {} with {} {}", da->amount,
                                        duration_unit_name(da->unit, da->amount), db->amount,
                                        duration_unit_name(db->unit, db->amount))};
  }
  return compare_values(a, b);
}

Value Interpreter::add_duration(const Expr& e, Date d, Duration dur, std::int64_t sign) {
  // Bound the amount before negating it: -INT64_MIN does not exist.
  if (dur.amount > 4000000 || dur.amount < -4000000)
    throw EvalError{e.span, "this date falls outside the years 1 to 9999"};
  const std::int64_t n = dur.amount * sign;
  switch (dur.unit) {
    case DurationUnit::days:
      return Value(date_in_range(stdlib::add_days(d, n), e.span));
    case DurationUnit::months:
      return Value(date_in_range(stdlib::add_months(d, n), e.span));
    case DurationUnit::years:
      return Value(date_in_range(stdlib::add_months(d, n * 12), e.span));
    case DurationUnit::working_days:
      break;
  }
  throw EvalError{e.span, "working days depend on a calendar: use nth_working_day(from, n, calendar, until)"};
}

Value Interpreter::arithmetic(const Expr& e, ast::BinaryOp op, const Value& lhs, const Value& rhs) {
  using ast::BinaryOp;
  const auto* li = std::get_if<std::int64_t>(&lhs.data);
  const auto* ri = std::get_if<std::int64_t>(&rhs.data);
  if (li && ri && op != BinaryOp::divide) {
    if (op == BinaryOp::add) return Value(checked(IntOp::add, *li, *ri, e.span));
    if (op == BinaryOp::subtract) return Value(checked(IntOp::subtract, *li, *ri, e.span));
    return Value(checked(IntOp::multiply, *li, *ri, e.span));
  }
  if (const auto* d = std::get_if<Date>(&lhs.data)) {
    if (const auto* d2 = std::get_if<Date>(&rhs.data))
      return Value(static_cast<std::int64_t>(d->days) - d2->days);
    return add_duration(e, *d, rhs.as_duration(), op == BinaryOp::subtract ? -1 : 1);
  }
  if (std::holds_alternative<Duration>(lhs.data) || std::holds_alternative<Duration>(rhs.data)) {
    return duration_arithmetic(e, op, lhs, rhs);
  }
  // Joined texts and lists are charged before they are made: a chain of lets each doubling one would
  // otherwise ask for more memory than the machine has before any limit is looked at.
  // Copying them is charged as steps too, an item or 64 bytes a step: a text or list copied for each item of
  // a list is work the list form's steps do not count.
  if (const auto* t = std::get_if<Text>(&lhs.data)) {
    charge_bytes((*t)->size() + rhs.as_text().size());
    charge_steps(((*t)->size() + rhs.as_text().size()) / 64);
    return make_text(**t + rhs.as_text());
  }
  if (std::holds_alternative<ListPtr>(lhs.data)) {
    charge_bytes((lhs.as_list().size() + rhs.as_list().size()) * sizeof(Value));
    charge_steps(lhs.as_list().size() + rhs.as_list().size());
    std::vector<Value> items = lhs.as_list().items();
    items.insert(items.end(), rhs.as_list().items().begin(), rhs.as_list().items().end());
    return make_list(std::move(items));
  }
  const double x = lhs.as_number();
  const double y = rhs.as_number();
  double result = 0;
  switch (op) {
    case BinaryOp::add:
      result = x + y;
      break;
    case BinaryOp::subtract:
      result = x - y;
      break;
    case BinaryOp::multiply:
      result = x * y;
      break;
    default:
      if (y == 0) throw EvalError{e.span, "division by zero"};
      result = x / y;
  }
  // Infinity and not-a-number have no place in a score or a count, and NaN cannot be put in order.
  if (!std::isfinite(result)) throw EvalError{e.span, "the result is too large for a decimal number"};
  return Value(result);
}

Value Interpreter::duration_arithmetic(const Expr& e, ast::BinaryOp op, const Value& lhs, const Value& rhs) {
  if (op == ast::BinaryOp::multiply) {
    const bool left = std::holds_alternative<Duration>(lhs.data);
    const Duration& d = left ? lhs.as_duration() : rhs.as_duration();
    const std::int64_t n = left ? rhs.as_int() : lhs.as_int();
    return Value(duration_of(checked(IntOp::multiply, d.amount, n, e.span), d.unit, e.span));
  }
  const Duration& a = lhs.as_duration();
  const Duration& b = rhs.as_duration();
  if (a.unit != b.unit) {
    throw EvalError{e.span, fmt::format("cannot add or subtract {} and {}", duration_unit_name(a.unit, 2),
                                        duration_unit_name(b.unit, 2))};
  }
  const IntOp int_op = op == ast::BinaryOp::add ? IntOp::add : IntOp::subtract;
  return Value(duration_of(checked(int_op, a.amount, b.amount, e.span), a.unit, e.span));
}

}  // namespace merit::interpret
