// Operators: negation, logic, comparison, membership, `or else`, and arithmetic on numbers, dates and
// durations; and conditionals, whose branches unify as the operands of an operator do.
#include "interpreter/checker.hpp"

namespace merit::checking {

TypeRef Checker::check_node(Expr& e, ast::Unary& u, Scope& scope, const TypeRef&) {
  if (u.op == ast::UnaryOp::logical_not) {
    expect(*u.operand, scope, basic_type(TypeKind::boolean), "the condition after 'not'");
    return basic_type(TypeKind::boolean);
  }
  const TypeRef t = check(*u.operand, scope, nullptr);
  if (is_error(t)) return t;
  if (!is_numeric(t) && t->kind != TypeKind::duration) {
    error(e.span, fmt::format("only numbers and durations can be negated, not {}", program_.type_name(t)));
    return error_type();
  }
  return t;
}

bool Checker::is_orderable(const TypeRef& t) {
  switch (t->kind) {
    case TypeKind::integer:
    case TypeKind::decimal:
    case TypeKind::text:
    case TypeKind::date:
    case TypeKind::duration:
    case TypeKind::enumeration:
    case TypeKind::boolean:
    case TypeKind::error:
      return true;
    default:
      return false;
  }
}

TypeRef Checker::check_node(Expr& e, ast::Binary& b, Scope& scope, const TypeRef& expected) {
  using ast::BinaryOp;
  const TypeRef boolean = basic_type(TypeKind::boolean);
  switch (b.op) {
    case BinaryOp::logical_and:
    case BinaryOp::logical_or:
      expect(*b.lhs, scope, boolean,
             fmt::format("each side of '{}'", b.op == BinaryOp::logical_and ? "and" : "or"));
      expect(*b.rhs, scope, boolean,
             fmt::format("each side of '{}'", b.op == BinaryOp::logical_and ? "and" : "or"));
      return boolean;
    case BinaryOp::equal:
    case BinaryOp::not_equal:
      return check_equality(e, b, scope);
    case BinaryOp::less:
    case BinaryOp::less_equal:
    case BinaryOp::greater:
    case BinaryOp::greater_equal:
      return check_ordering(e, b, scope);
    case BinaryOp::member_of:
      return check_membership(e, b, scope);
    case BinaryOp::or_else:
      return check_or_else(e, b, scope, expected);
    default:
      return check_arithmetic(e, b, scope);
  }
}

std::pair<TypeRef, TypeRef> Checker::check_pair(ast::Binary& b, Scope& scope) {
  const TypeRef lhs = check(*b.lhs, scope, nullptr);
  const TypeRef rhs = check(*b.rhs, scope, lhs);
  if (lhs->kind == TypeKind::none && !is_error(rhs)) b.lhs->type = rhs;
  return {lhs, rhs};
}

TypeRef Checker::check_equality(Expr& e, ast::Binary& b, Scope& scope) {
  const auto [lhs, rhs] = check_pair(b, scope);
  if (!unify(lhs, rhs)) {
    error(e.span,
          fmt::format("{} and {} cannot be compared", program_.type_name(lhs), program_.type_name(rhs)));
  }
  return basic_type(TypeKind::boolean);
}

TypeRef Checker::check_ordering(Expr& e, ast::Binary& b, Scope& scope) {
  const auto [lhs, rhs] = check_pair(b, scope);
  if (is_error(lhs) || is_error(rhs)) return basic_type(TypeKind::boolean);
  if (lhs->kind == TypeKind::optional || rhs->kind == TypeKind::optional) {
    error(e.span, "a value that may be none cannot be compared with < or >; give a value for none with ??");
  } else if (!unify(lhs, rhs) || !is_orderable(lhs)) {
    error(e.span,
          fmt::format("{} and {} cannot be put in order", program_.type_name(lhs), program_.type_name(rhs)));
  }
  return basic_type(TypeKind::boolean);
}

TypeRef Checker::check_membership(Expr& e, ast::Binary& b, Scope& scope) {
  const TypeRef list = check(*b.rhs, scope, nullptr);
  if (is_error(list)) {
    check(*b.lhs, scope, nullptr);
    return basic_type(TypeKind::boolean);
  }
  if (list->kind == TypeKind::map) {
    expect(*b.lhs, scope, basic_type(TypeKind::text), "a key of a map");
    return basic_type(TypeKind::boolean);
  }
  if (list->kind != TypeKind::list) {
    error(b.rhs->span,
          fmt::format("'in' needs a list on its right, but this is {}", program_.type_name(list)));
    check(*b.lhs, scope, nullptr);
    return basic_type(TypeKind::boolean);
  }
  const TypeRef item = check(*b.lhs, scope, list->element);
  if (!unify(item, list->element)) {
    error(e.span, fmt::format("{} cannot be in {}", program_.type_name(item), program_.type_name(list)));
  }
  return basic_type(TypeKind::boolean);
}

TypeRef Checker::check_or_else(Expr& e, ast::Binary& b, Scope& scope, const TypeRef& expected) {
  const TypeRef lhs = check(*b.lhs, scope, expected ? optional_of(expected) : nullptr);
  if (is_error(lhs)) return lhs;
  if (lhs->kind != TypeKind::optional) {
    error(e.span, fmt::format("'?\?' gives a value for none, but the left side ({}) is never none",
                              program_.type_name(lhs)));
    return lhs;
  }
  const TypeRef rhs = check(*b.rhs, scope, lhs->element);
  TypeRef u = unify(lhs->element, rhs);
  if (!u) {
    error(b.rhs->span, fmt::format("the value for none should be {}, but this is {}",
                                   program_.type_name(lhs->element), program_.type_name(rhs)));
    return lhs->element;
  }
  return u;
}

TypeRef Checker::check_arithmetic(Expr& e, ast::Binary& b, Scope& scope) {
  using ast::BinaryOp;
  const auto [lhs, rhs] = check_pair(b, scope);
  if (is_error(lhs) || is_error(rhs)) return error_type();
  const auto k = [](const TypeRef& t) { return t->kind; };
  const bool numbers = is_numeric(lhs) && is_numeric(rhs);
  const TypeRef number =
      k(lhs) == TypeKind::integer && k(rhs) == TypeKind::integer && b.op != BinaryOp::divide
          ? basic_type(TypeKind::integer)
          : basic_type(TypeKind::decimal);
  switch (b.op) {
    case BinaryOp::add:
      if (numbers) return number;
      if (k(lhs) == TypeKind::date && k(rhs) == TypeKind::duration) return lhs;
      if (k(lhs) == TypeKind::duration && k(rhs) == TypeKind::duration) return lhs;
      if (k(lhs) == TypeKind::text && k(rhs) == TypeKind::text) return lhs;
      if (k(lhs) == TypeKind::list && k(rhs) == TypeKind::list) {
        if (TypeRef u = unify(lhs, rhs)) return u;
      }
      break;
    case BinaryOp::subtract:
      if (numbers) return number;
      if (k(lhs) == TypeKind::date && k(rhs) == TypeKind::duration) return lhs;
      if (k(lhs) == TypeKind::date && k(rhs) == TypeKind::date) return basic_type(TypeKind::integer);
      if (k(lhs) == TypeKind::duration && k(rhs) == TypeKind::duration) return lhs;
      break;
    case BinaryOp::multiply:
      if (numbers) return number;
      if (k(lhs) == TypeKind::duration && k(rhs) == TypeKind::integer) return lhs;
      if (k(lhs) == TypeKind::integer && k(rhs) == TypeKind::duration) return rhs;
      break;
    case BinaryOp::divide:
      if (numbers) return number;
      break;
    default:
      break;
  }
  const char* op = b.op == BinaryOp::add        ? "+"
                   : b.op == BinaryOp::subtract ? "-"
                   : b.op == BinaryOp::multiply ? "*"
                                                : "/";
  std::string hint;
  if (k(lhs) == TypeKind::optional || k(rhs) == TypeKind::optional)
    hint = "; a value that may be none needs ?? first";
  error(e.span,
        fmt::format("cannot compute {} {} {}{}", program_.type_name(lhs), op, program_.type_name(rhs), hint));
  return error_type();
}

TypeRef Checker::check_node(Expr& e, ast::Conditional& c, Scope& scope, const TypeRef& expected) {
  expect(*c.condition, scope, basic_type(TypeKind::boolean), "the condition after 'if'");
  const TypeRef a = check(*c.then_branch, scope, expected);
  const TypeRef b = check(*c.else_branch, scope, expected ? expected : a);
  if (TypeRef u = unify(a, b)) return u;
  error(e.span, fmt::format("both branches of 'if' must have one type: 'then' gives {}, 'else' gives {}",
                            program_.type_name(a), program_.type_name(b)));
  return error_type();
}

}  // namespace merit::checking
