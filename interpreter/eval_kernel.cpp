// Kernels (kernel.hpp): a condition or sort key specialised for one pass over a long list. Made only when
// --explain is off, since a kernel records nothing.
//
// A kernel gives what the interpreter gives, errors included:
// - A part that reads no local of the kernel (the item, a binder inside it) is worked out before the pass
//   when that cannot fail and works out nothing that might not be needed (a definition not yet worked out,
//   a decision); otherwise it is evaluated by the interpreter when the pass first reaches it, as the
//   interpreter would, and kept.
// - A function's arguments are worked out before its body, and an error in the body gets the call's note;
//   an error in a quantifier gets the item's note; the pass adds its own item's note.
// - Where the interpreter would raise an error that a kernel does not raise itself (a field of none, an
//   overflow), the kernel bails (KernelBail) and the interpreter evaluates that item again.
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "interpreter/interpreter.hpp"

namespace merit::interpret {

/// How the names of locals read while compiling a kernel are found: a binder of the kernel (the item, a
/// quantifier's variable) is a kernel local; inside a function's body, a parameter is its argument's node.
struct KScope {
  bool in_function = false;
  int depth = 0;
  std::vector<std::pair<std::int32_t, std::int32_t>> binders;  // slot, kernel local
  std::vector<std::pair<std::int32_t, std::int32_t>> params;   // slot, node
};

namespace {

constexpr int max_call_depth = 16;

std::int32_t lookup(const std::vector<std::pair<std::int32_t, std::int32_t>>& pairs, std::int32_t slot) {
  for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) {
    if (it->first == slot) return it->second;
  }
  return -1;
}

/// Whether `e` reads a local the kernel binds (inside a function's body: any local, since the frame the
/// interpreter evaluates in is the caller's).
bool reads_scope(const Expr& e, const KScope& s) {
  if (const auto* n = std::get_if<ast::Name>(&e.node)) {
    if (n->ref.kind != RefKind::local) return false;
    return s.in_function || lookup(s.binders, n->ref.index) >= 0;
  }
  bool found = false;
  for_each_child(e, [&](const Expr& child) { found = found || reads_scope(child, s); });
  return found;
}

/// Whether a definition or parameter named by an inlined call's arguments can be left out of the kernel:
/// the definition is worked out already, the parameter's value is at hand.
bool ready(const DecisionFrame* decision, const ast::Ref& named) {
  return named.kind == RefKind::definition && decision &&
         decision->definitions[static_cast<std::size_t>(named.index)].has_value();
}

std::int32_t add(Kernel& k, KNode node) {
  node.fn = kernel_fn(k, node);
  k.nodes.push_back(node);
  return static_cast<std::int32_t>(k.nodes.size() - 1);
}

std::int32_t add_constant(Kernel& k, KVal value) {
  KNode node;
  node.op = KOp::constant;
  node.value = value;
  return add(k, node);
}

std::int32_t add_value(Kernel& k, Value value) {
  k.held.push_back(std::move(value));
  return add_constant(k, kval(k.held.back()));
}

bool is_constant(const Kernel& k, std::int32_t n) {
  return n < 0 || k.nodes[static_cast<std::size_t>(n)].op == KOp::constant;
}

/// Whether node `n` is a constant, a local or a field of one: the checker let no field be read of what may
/// be none, so reading it raises no error.
bool cannot_fail(const Kernel& k, std::int32_t n) {
  const KNode& node = k.nodes[static_cast<std::size_t>(n)];
  if (node.op == KOp::constant || node.op == KOp::local || node.op == KOp::local_field) return true;
  return node.op == KOp::field && cannot_fail(k, node.a);
}

/// Whether node `n` may raise an EvalError (one a kernel does not bail on): only the interpreter raises
/// them, in a part evaluated when first reached, or in what a call works out first.
bool may_raise(const Kernel& k, std::int32_t n) {
  if (n < 0) return false;
  const KNode& node = k.nodes[static_cast<std::size_t>(n)];
  switch (node.op) {
    case KOp::lazy:
    case KOp::call:
      return true;
    case KOp::local_field:  // its b is a local, not a node
      return false;
    case KOp::choose:
      for (std::size_t i = static_cast<std::size_t>(node.extra); i < k.tables.size(); ++i) {
        if (may_raise(k, k.tables[i])) return true;
      }
      break;
    default:
      break;
  }
  return may_raise(k, node.a) || may_raise(k, node.b) || may_raise(k, node.c);
}

}  // namespace

/// Whether `e`, which reads no local of the kernel, can be worked out before the pass: nothing in it works
/// out a definition not yet worked out, or a decision.
bool Interpreter::settled(const Expr& e) const {
  if (const auto* n = std::get_if<ast::Name>(&e.node)) {
    if (n->ref.kind == RefKind::definition)
      return decision_ && decision_->definitions[static_cast<std::size_t>(n->ref.index)].has_value();
    return true;
  }
  if (const auto* call = std::get_if<ast::Call>(&e.node)) {
    if (call->ref.kind == RefKind::decision) return false;
    for (const auto& named : call->named_first) {
      if (named.kind == RefKind::definition && !ready(decision_, named)) return false;
    }
  }
  bool ok = true;
  for_each_child(e, [&](const Expr& child) { ok = ok && settled(child); });
  return ok;
}

std::int32_t Interpreter::invariant(Kernel& k, const Expr& e) {
  if (settled(e)) {
    try {
      return add_value(k, eval(e));
    } catch (const EvalError&) {
      // Raised, if at all, where the interpreter would raise it: when the pass reaches it.
    }
  }
  KLazy lazy;
  lazy.expr = &e;
  k.lazies.push_back(lazy);
  KNode node;
  node.op = KOp::lazy;
  node.extra = static_cast<std::int32_t>(k.lazies.size() - 1);
  return add(k, node);
}

/// The node, with its value worked out now when every part of it is a constant.
std::int32_t Interpreter::folded(Kernel& k, KNode node) {
  const std::int32_t n = add(k, node);
  if (!is_constant(k, node.a) || !is_constant(k, node.b) || !is_constant(k, node.c)) return n;
  switch (node.op) {
    case KOp::exists:
    case KOp::every:
    case KOp::count:
    case KOp::first:
    case KOp::call:
    case KOp::lazy:
    case KOp::local:
      return n;
    default:
      break;
  }
  try {
    const KVal value = run_kernel(k, n);
    KNode& done = k.nodes[static_cast<std::size_t>(n)];
    done = KNode{};
    done.value = value;
    done.fn = kernel_fn(k, done);
  } catch (const KernelBail&) {
    // Left to bail on every item, and the interpreter to raise the error where it is reached.
  }
  return n;
}

std::int32_t Interpreter::compile_call(Kernel& k, const ast::Call& call, KScope& s) {
  if (call.ref.kind == RefKind::builtin) {
    const std::string_view name = stdlib::builtins()[static_cast<std::size_t>(call.ref.index)].name;
    KNode node;
    if (name == "size" && call.args.size() == 1) {
      node.op = KOp::size;
    } else if (name == "get" && call.args.size() == 2) {
      node.op = KOp::get;
      node.b = compile(k, *call.args[1].value, s);
      if (node.b < 0) return -1;
      node.extra = static_cast<std::int32_t>(k.row_maps.size());
      k.row_maps.emplace_back();
    } else {
      return -1;
    }
    node.a = compile(k, *call.args[0].value, s);
    if (node.a < 0) return -1;
    return folded(k, node);
  }
  if (call.ref.kind != RefKind::function || s.depth >= max_call_depth) return -1;
  KCall kc;
  kc.call = &call;
  KNode node;
  node.op = KOp::call;
  if (call.inlined) {
    kc.function = program_.functions[static_cast<std::size_t>(call.ref.index)];
    for (const auto& named : call.named_first) {
      if (named.kind == RefKind::parameter) {
        try {
          parameter(named.index);
          continue;
        } catch (const EvalError&) {
        }
      } else if (ready(decision_, named)) {
        continue;
      }
      kc.named_first.push_back(named);
    }
    ++s.depth;
    node.a = compile(k, *call.inlined, s);
    --s.depth;
  } else {
    try {
      kc.function = &function_in_force(call);
    } catch (const EvalError&) {
      return -1;
    }
    const ast::Function& f = *kc.function;
    if (f.params.size() != call.args.size()) return -1;
    KScope body;
    body.in_function = true;
    body.depth = s.depth + 1;
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const std::int32_t arg = compile(k, *call.args[i].value, s);
      if (arg < 0) return -1;
      // A constant or a local is read where the body reads the parameter: it cannot fail, so nothing is
      // lost by not working it out before the body.
      if (is_constant(k, arg) || k.nodes[static_cast<std::size_t>(arg)].op == KOp::local) {
        body.params.emplace_back(f.params[i].slot, arg);
      } else {
        k.locals.emplace_back();
        const auto local = static_cast<std::int32_t>(k.locals.size() - 1);
        kc.args.emplace_back(arg, local);
        KNode read;
        read.op = KOp::local;
        read.local = local;
        body.params.emplace_back(f.params[i].slot, add(k, read));
      }
    }
    node.a = compile(k, *f.body, body);
  }
  if (node.a < 0) return -1;
  // A call is there to work out its arguments and what it names first, and to add its note to an error the
  // body raises; with none of these, the body stands for it.
  if (kc.named_first.empty() && kc.args.empty() && !may_raise(k, node.a)) return node.a;
  k.calls.push_back(std::move(kc));
  node.extra = static_cast<std::int32_t>(k.calls.size() - 1);
  return add(k, node);
}

std::int32_t Interpreter::compile(Kernel& k, const Expr& e, KScope& s) {
  if (!reads_scope(e, s)) return invariant(k, e);
  using ast::BinaryOp;
  KNode node;
  if (const auto* n = std::get_if<ast::Name>(&e.node)) {
    if (const std::int32_t local = lookup(s.binders, n->ref.index); local >= 0) {
      node.op = KOp::local;
      node.local = local;
      return add(k, node);
    }
    return lookup(s.params, n->ref.index);
  }
  if (const auto* access = std::get_if<ast::FieldAccess>(&e.node)) {
    if (access->enum_member.kind == RefKind::enum_value || access->slot < 0) return -1;
    node.op = KOp::field;
    node.local = access->slot;
    node.a = compile(k, *access->object, s);
    if (node.a < 0) return -1;
    if (const KNode& object = k.nodes[static_cast<std::size_t>(node.a)]; object.op == KOp::local) {
      node.op = KOp::local_field;
      node.b = object.local;
      return add(k, node);
    }
    return folded(k, node);
  }
  if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
    node.op = u->op == ast::UnaryOp::logical_not ? KOp::logical_not : KOp::negate;
    node.a = compile(k, *u->operand, s);
    return node.a < 0 ? -1 : folded(k, node);
  }
  if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
    switch (b->op) {
      case BinaryOp::logical_and:
      case BinaryOp::logical_or: {
        const bool is_and = b->op == BinaryOp::logical_and;
        const std::int32_t lhs = compile(k, *b->lhs, s);
        if (lhs < 0) return -1;
        if (is_constant(k, lhs)) {
          const KVal& v = k.nodes[static_cast<std::size_t>(lhs)].value;
          // `false and x` is false and `true or x` true without x, as the interpreter has it.
          if (v.tag == KVal::boolean && v.b != is_and) return lhs;
          if (v.tag == KVal::boolean) return compile(k, *b->rhs, s);
        }
        node.op = is_and ? KOp::logical_and : KOp::logical_or;
        node.a = lhs;
        node.b = compile(k, *b->rhs, s);
        return node.b < 0 ? -1 : folded(k, node);
      }
      case BinaryOp::equal:
        node.op = KOp::equal;
        break;
      case BinaryOp::not_equal:
        node.op = KOp::not_equal;
        break;
      case BinaryOp::less:
        node.op = KOp::less;
        break;
      case BinaryOp::less_equal:
        node.op = KOp::less_equal;
        break;
      case BinaryOp::greater:
        node.op = KOp::greater;
        break;
      case BinaryOp::greater_equal:
        node.op = KOp::greater_equal;
        break;
      case BinaryOp::member_of:
        node.op = b->rhs->type && b->rhs->type->kind == TypeKind::map ? KOp::member_of_map : KOp::member_of;
        break;
      case BinaryOp::or_else:
        node.op = KOp::or_else;
        break;
      case BinaryOp::add:
        node.op = KOp::add;
        break;
      case BinaryOp::subtract:
        node.op = KOp::subtract;
        break;
      case BinaryOp::multiply:
        node.op = KOp::multiply;
        break;
      default:
        return -1;
    }
    node.a = compile(k, *b->lhs, s);
    if (node.a < 0) return -1;
    if (node.op == KOp::or_else && is_constant(k, node.a) &&
        k.nodes[static_cast<std::size_t>(node.a)].value.tag != KVal::none)
      return node.a;
    node.b = compile(k, *b->rhs, s);
    if (node.b < 0) return -1;
    // Nothing is in an empty list or map (no one removed, no one ranked yet): `c.id not in r.removed` keeps
    // every item. The item is checked to be a record, so reading its field cannot fail.
    if ((node.op == KOp::member_of || node.op == KOp::member_of_map) && is_constant(k, node.b) &&
        cannot_fail(k, node.a)) {
      const KVal& rhs = k.nodes[static_cast<std::size_t>(node.b)].value;
      const auto* list = rhs.tag == KVal::other ? std::get_if<ListPtr>(&rhs.v->data) : nullptr;
      if (list && (*list)->empty()) return add_constant(k, KVal::of(false));
    }
    const KOp rhs_op = k.nodes[static_cast<std::size_t>(node.b)].op;
    if (node.op == KOp::member_of && (rhs_op == KOp::constant || rhs_op == KOp::lazy)) {
      k.text_sets.emplace_back();
      node.extra = static_cast<std::int32_t>(k.text_sets.size() - 1);
    } else if (node.op == KOp::member_of_map && (rhs_op == KOp::constant || rhs_op == KOp::lazy)) {
      k.row_maps.emplace_back();
      node.extra = static_cast<std::int32_t>(k.row_maps.size() - 1);
    }
    return folded(k, node);
  }
  if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
    node.op = KOp::conditional;
    node.a = compile(k, *c->condition, s);
    if (node.a < 0) return -1;
    if (is_constant(k, node.a) && k.nodes[static_cast<std::size_t>(node.a)].value.tag == KVal::boolean)
      return compile(k, k.nodes[static_cast<std::size_t>(node.a)].value.b ? *c->then_branch : *c->else_branch,
                     s);
    node.b = compile(k, *c->then_branch, s);
    node.c = node.b < 0 ? -1 : compile(k, *c->else_branch, s);
    return node.c < 0 ? -1 : add(k, node);
  }
  if (const auto* c = std::get_if<ast::Choose>(&e.node)) {
    node.op = KOp::choose;
    node.a = compile(k, *c->subject, s);
    if (node.a < 0) return -1;
    if (is_constant(k, node.a)) {
      const KVal& v = k.nodes[static_cast<std::size_t>(node.a)].value;
      if (v.tag != KVal::enumeration || v.e.index < 0 ||
          static_cast<std::size_t>(v.e.index) >= c->branch_of_member.size())
        return -1;
      const auto branch = c->branch_of_member[static_cast<std::size_t>(v.e.index)];
      return compile(k, *c->branches.at(static_cast<std::size_t>(branch)).value, s);
    }
    std::vector<std::int32_t> branches;
    for (const auto& branch : c->branches) {
      branches.push_back(compile(k, *branch.value, s));
      if (branches.back() < 0) return -1;
    }
    node.extra = static_cast<std::int32_t>(k.tables.size());
    for (const auto branch : c->branch_of_member)
      k.tables.push_back(branches.at(static_cast<std::size_t>(branch)));
    return add(k, node);
  }
  if (const auto* q = std::get_if<ast::Quantified>(&e.node)) {
    switch (q->kind) {
      case ast::Quantifier::exists:
        node.op = KOp::exists;
        break;
      case ast::Quantifier::every:
        node.op = KOp::every;
        break;
      case ast::Quantifier::count:
        node.op = KOp::count;
        break;
      case ast::Quantifier::first:
        node.op = KOp::first;
        break;
    }
    node.expr = &e;
    node.a = compile(k, *q->source, s);
    if (node.a < 0) return -1;
    if (is_constant(k, node.a)) {
      const KVal& source = k.nodes[static_cast<std::size_t>(node.a)].value;
      const auto* list = source.tag == KVal::other ? std::get_if<ListPtr>(&source.v->data) : nullptr;
      if (list && (*list)->empty()) {
        switch (q->kind) {
          case ast::Quantifier::exists:
            return add_constant(k, KVal::of(false));
          case ast::Quantifier::every:
            return add_constant(k, KVal::of(true));
          case ast::Quantifier::count:
            return add_constant(k, KVal::of(std::int64_t{0}));
          case ast::Quantifier::first:
            return add_constant(k, KVal{});
        }
      }
    }
    k.locals.emplace_back();
    node.local = static_cast<std::int32_t>(k.locals.size() - 1);
    s.binders.emplace_back(q->var.slot, node.local);
    node.b = compile(k, *q->condition, s);
    s.binders.pop_back();
    return node.b < 0 ? -1 : add(k, node);
  }
  if (const auto* call = std::get_if<ast::Call>(&e.node)) return compile_call(k, *call, s);
  return -1;
}

std::size_t Interpreter::kernel_threshold() {
  const char* mode = std::getenv("MERIT_KERNELS");
  if (mode && std::string_view(mode) == "always") return 0;
  if (mode && std::string_view(mode) == "never") return std::numeric_limits<std::size_t>::max();
  return 32;
}

bool Interpreter::specialise(Kernel& k, const Expr& e, std::int32_t item_slot) {
  KScope scope;
  k.locals.emplace_back();
  scope.binders.emplace_back(item_slot, 0);
  k.root = compile(k, e, scope);
  if (k.root < 0) return false;
  for (const KNode& node : k.nodes) {
    if (node.op == KOp::local_field && node.b == 0 &&
        std::find(k.item_fields.begin(), k.item_fields.end(), node.local) == k.item_fields.end())
      k.item_fields.push_back(node.local);
  }
  k.keyed_maps = keyed_maps_of(k);
  return true;
}

}  // namespace merit::interpret
