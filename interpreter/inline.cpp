// After checking: calls of small functions are given the function's body with its parameters replaced by
// the arguments (Call::inlined), so that the predicates the rules call for every candidate
// (`passed_over(c, r, referred)`, `method_tier(c, r)`) cost no frame, no binding and no return.
//
// Only what cannot change the answer is inlined: a function with one version (a dated one is chosen at
// run time), whose body has no list form and no decision call (nothing binds a name or records a step for
// --explain), called with arguments that are names, literals or fields of a record that is always there
// (reading one twice is the same as reading it once). The interpreter evaluates a definition or parameter
// named as an argument before the body, as for a call, and gives an error inside the trace a call gives
// (Interpreter::as_call).
#include "interpreter/inline.hpp"

#include <algorithm>
#include <map>

#include "interpreter/ast_walk.hpp"
#include "interpreter/stack.hpp"

namespace merit {
namespace {

using ast::Expr;
using ast::ExprPtr;

// Bodies larger than this stay calls: inlining copies the body into every call site.
constexpr std::size_t max_nodes = 48;

/// Whether the body is made only of forms that bind nothing and record nothing.
bool scalar(const Expr& e) {
  bool ok = std::visit(
      [](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Call>) {
          return n.ref.kind == ast::RefKind::function || n.ref.kind == ast::RefKind::builtin;
        } else {
          return std::is_same_v<T, ast::Literal> || std::is_same_v<T, ast::Name> ||
                 std::is_same_v<T, ast::FieldAccess> || std::is_same_v<T, ast::Unary> ||
                 std::is_same_v<T, ast::Binary> || std::is_same_v<T, ast::Conditional> ||
                 std::is_same_v<T, ast::Choose>;
        }
      },
      e.node);
  ast::for_each_child(e, [&](const Expr& child) { ok = ok && scalar(child); });
  return ok;
}

/// An argument that may stand for its parameter wherever the body names it.
bool simple_argument(const Expr& e) {
  if (std::holds_alternative<ast::Literal>(e.node)) return true;
  if (const auto* name = std::get_if<ast::Name>(&e.node)) {
    switch (name->ref.kind) {
      case ast::RefKind::local:
      case ast::RefKind::input:
      case ast::RefKind::definition:
      case ast::RefKind::parameter:
      case ast::RefKind::enum_value:
        return true;
      default:
        return false;
    }
  }
  if (const auto* access = std::get_if<ast::FieldAccess>(&e.node)) {
    if (access->enum_member.kind == ast::RefKind::enum_value) return true;
    const auto& object_type = access->object->type;
    return object_type && object_type->kind == TypeKind::record && simple_argument(*access->object);
  }
  return false;
}

/// A copy of `e` in which a name of a local in `slots` is replaced by a copy of the expression given for it.
ExprPtr copy(const Expr& e, const std::map<std::int32_t, const Expr*>& slots) {
  if (const auto* name = std::get_if<ast::Name>(&e.node); name && name->ref.kind == ast::RefKind::local) {
    if (const auto it = slots.find(name->ref.index); it != slots.end()) return copy(*it->second, {});
  }
  auto out = std::make_unique<Expr>();
  out->span = e.span;
  out->type = e.type;
  const auto each = [&](const ExprPtr& x) { return x ? copy(*x, slots) : nullptr; };
  out->node = std::visit(
      [&](const auto& n) -> decltype(Expr::node) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Literal> || std::is_same_v<T, ast::Name> ||
                      std::is_same_v<T, ast::EmptyMap>) {
          return n;
        } else if constexpr (std::is_same_v<T, ast::FieldAccess>) {
          return ast::FieldAccess{each(n.object), n.field, n.field_span, n.slot, n.enum_member};
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          ast::Call call{n.callee, n.callee_span, {}, n.ref, n.input_order, each(n.inlined), n.named_first};
          for (const auto& a : n.args) call.args.push_back({a.name, a.name_span, each(a.value)});
          return call;
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          return ast::Unary{n.op, each(n.operand)};
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          return ast::Binary{n.op, each(n.lhs), each(n.rhs)};
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          return ast::Conditional{each(n.condition), each(n.then_branch), each(n.else_branch)};
        } else if constexpr (std::is_same_v<T, ast::Choose>) {
          ast::Choose choose{each(n.subject), {}, n.branch_of_member};
          for (const auto& b : n.branches) choose.branches.push_back({b.members, each(b.value)});
          return choose;
        } else {
          // scalar() lets nothing else into a body that is copied.
          return ast::EmptyMap{};
        }
      },
      e.node);
  return out;
}

class Inliner {
 public:
  explicit Inliner(const Program& program)
      : program_(program), state_(program.functions.size(), unseen), ok_(program.functions.size(), false) {}

  /// Gives every call under `e` that can be inlined its inlined body.
  void visit(const Expr& e) {
    if (const auto* call = std::get_if<ast::Call>(&e.node)) inline_call(*call);
    ast::for_each_child(e, [&](const Expr& child) { visit(child); });
  }

 private:
  enum State : std::uint8_t { unseen, in_progress, done };

  /// Whether function `index` can be inlined; its own calls are inlined first, so that a chain of small
  /// functions becomes one expression.
  bool inlinable(std::int32_t index) {
    const auto i = static_cast<std::size_t>(index);
    const ast::Function& f = *program_.functions[i];
    // A chain of functions each calling the next is inlined from its far end, recursively: where the chain
    // is too long for the stack, the rest stay calls (a matter of speed only).
    if (state_[i] == unseen && stack_nearly_full()) return false;
    if (state_[i] == unseen) {
      state_[i] = in_progress;
      visit(*f.body);
      state_[i] = done;
      ok_[i] =
          f.versions.empty() && !f.explanation && scalar(*f.body) && ast::node_count(*f.body) <= max_nodes;
    }
    return state_[i] == done && ok_[i];
  }

  void inline_call(const ast::Call& call) {
    if (call.ref.kind != ast::RefKind::function || call.inlined) return;
    for (const auto& a : call.args) {
      if (!a.value || !simple_argument(*a.value)) return;
    }
    if (!inlinable(call.ref.index)) return;
    const ast::Function& f = *program_.functions[static_cast<std::size_t>(call.ref.index)];
    if (f.params.size() != call.args.size()) return;
    std::map<std::int32_t, const Expr*> slots;
    for (std::size_t p = 0; p < f.params.size(); ++p) slots[f.params[p].slot] = call.args[p].value.get();
    call.inlined = copy(*f.body, slots);
    for (const auto& a : call.args) {
      const Expr* e = a.value.get();
      while (const auto* access = std::get_if<ast::FieldAccess>(&e->node)) {
        if (access->enum_member.kind == ast::RefKind::enum_value) break;
        e = access->object.get();
      }
      const auto* name = std::get_if<ast::Name>(&e->node);
      if (!name || (name->ref.kind != ast::RefKind::definition && name->ref.kind != ast::RefKind::parameter))
        continue;
      const bool seen = std::any_of(call.named_first.begin(), call.named_first.end(), [&](const ast::Ref& r) {
        return r.kind == name->ref.kind && r.index == name->ref.index;
      });
      if (!seen) call.named_first.push_back(name->ref);
    }
  }

  const Program& program_;
  std::vector<State> state_;
  std::vector<bool> ok_;
};

}  // namespace

void inline_small_functions(const Program& program) {
  Inliner inliner(program);
  program.for_each_root([&](const Expr& e) { inliner.visit(e); });
}

}  // namespace merit
