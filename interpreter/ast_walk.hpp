#pragma once
// Walking the AST: every expression directly inside another, for the passes that look through
// expressions (the units of lengths in the checker, what --explain shows of a condition).
#include <cstddef>
#include <type_traits>
#include <variant>

#include "interpreter/ast.hpp"

namespace merit::ast {

/// Calls `f` on every direct sub-expression of `e`.
template <typename F>
void for_each_child(const Expr& e, F f) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        const auto each = [&](const ExprPtr& x) {
          if (x) f(*x);
        };
        if constexpr (std::is_same_v<T, ListLiteral>) {
          for (const auto& x : n.items) each(x);
        } else if constexpr (std::is_same_v<T, FieldAccess>) {
          each(n.object);
        } else if constexpr (std::is_same_v<T, Call>) {
          for (const auto& a : n.args) each(a.value);
        } else if constexpr (std::is_same_v<T, Unary>) {
          each(n.operand);
        } else if constexpr (std::is_same_v<T, Binary>) {
          each(n.lhs);
          each(n.rhs);
        } else if constexpr (std::is_same_v<T, Conditional>) {
          each(n.condition);
          each(n.then_branch);
          each(n.else_branch);
        } else if constexpr (std::is_same_v<T, Comprehension>) {
          each(n.source);
          each(n.condition);
          each(n.element);
        } else if constexpr (std::is_same_v<T, Sort>) {
          each(n.source);
          for (const auto& k : n.keys) each(k.key);
        } else if constexpr (std::is_same_v<T, Take>) {
          each(n.count);
          each(n.source);
          each(n.counting);
          for (const auto& k : n.tie_keys) each(k);
        } else if constexpr (std::is_same_v<T, Quantified>) {
          each(n.source);
          each(n.condition);
        } else if constexpr (std::is_same_v<T, RecordLiteral>) {
          for (const auto& x : n.fields) each(x.value);
        } else if constexpr (std::is_same_v<T, Choose>) {
          each(n.subject);
          for (const auto& b : n.branches) each(b.value);
        } else {
          static_assert(std::is_same_v<T, Literal> || std::is_same_v<T, Name> || std::is_same_v<T, EmptyMap>,
                        "a new kind of expression must list the expressions inside it here");
        }
      },
      e.node);
}

/// The nodes of `e`, with the bodies inlined into its calls: a body counted without them would let a chain of
/// functions each calling the next twice copy 2^n nodes when inlined.
inline std::size_t node_count(const Expr& e) {
  std::size_t n = 1;
  if (const auto* call = std::get_if<Call>(&e.node); call && call->inlined) n += node_count(*call->inlined);
  for_each_child(e, [&](const Expr& child) { n += node_count(child); });
  return n;
}

}  // namespace merit::ast
