// Deferred arguments (interpreter.hpp, Deferred): a filter passed to a function is finished when the function
// first reads it, and not at all when it never does, where that changes nothing but the time taken.
#include "interpreter/interpreter.hpp"

namespace merit::interpret {

namespace {

/// Whether a kernel, once it has gone through one item, can raise no error on the others: everything it
/// works out when first reached has been worked out, and it has no arithmetic (an overflow) or ordering (of
/// durations in different units). Its other bails are of values the checker rules out.
bool total(const Kernel& k) {
  for (const KLazy& lazy : k.lazies) {
    if (!lazy.done) return false;
  }
  for (const KCall& call : k.calls) {
    if (!call.named_first.empty() && !call.named_done) return false;
  }
  for (const KNode& node : k.nodes) {
    switch (node.op) {
      case KOp::add:
      case KOp::subtract:
      case KOp::multiply:
      case KOp::negate:
      case KOp::less:
      case KOp::less_equal:
      case KOp::greater:
      case KOp::greater_equal:
        return false;
      default:
        break;
    }
  }
  return true;
}

}  // namespace

bool Interpreter::defer_argument(const Expr& e, Slot& param) {
  const auto* c = std::get_if<ast::Comprehension>(&e.node);
  if (explain_ || !c || !c->condition || c->earlier || !keeps_items(*c)) return false;
  auto d = std::make_unique<Deferred>();
  d->source = eval(*c->source);  // first, as the comprehension does
  const ListValue& items = d->source.as_list();
  if (items.size() < std::max<std::size_t>(kernel_min_items_, 2) ||
      !specialise(d->kernel, *c->condition, c->var.slot) || d->kernel.constant()) {
    param.hold(eval(e));
    return true;
  }
  // The first item as the comprehension goes through it, what its condition works out on the way included.
  charge_steps(c->per_item);
  bool keep = false;
  begin_tests(d->kernel, items);
  try {
    keep = kernel_test(d->kernel, *c->condition, c->var.slot, items, 0);
  } catch (EvalError& error) {
    error.trace.push_back(item_note(c->var, *c->source, items, 0));
    throw;
  }
  if (keep && d->kernel.rows_of) {
    d->kept.rows.push_back(items.row(0));
  } else if (keep) {
    d->kept.items.push_back(items.at(0));
  }
  if (!total(d->kernel)) {
    charge_steps(std::uint64_t{items.size() - 1} * c->per_item);
    param.hold(filter(*c, d->source, d->kernel, 1, std::move(d->kept)));
    return true;
  }
  d->comprehension = c;
  d->next = 1;
  d->base = base_;
  d->decision = decision_;
  param.own = Value();
  param.at = nullptr;
  param.deferred = std::move(d);
  return true;
}

void Interpreter::finish_deferred(Slot& s) {
  const std::unique_ptr<Deferred> d = std::move(s.deferred);
  const std::size_t saved_base = base_;
  DecisionFrame* saved_decision = decision_;
  base_ = d->base;
  decision_ = d->decision;
  Value list;
  charge_steps(std::uint64_t{d->source.as_list().size() - d->next} * d->comprehension->per_item);
  try {
    list = filter(*d->comprehension, d->source, d->kernel, d->next, std::move(d->kept));
  } catch (...) {
    base_ = saved_base;
    decision_ = saved_decision;
    throw;
  }
  base_ = saved_base;
  decision_ = saved_decision;
  s.hold(std::move(list));
}

}  // namespace merit::interpret
