// A step is a unit of work, not an item: a comprehension whose element is ten additions does ten times the
// work of one that copies its items, and the step limit (--max-steps) is what bounds the time an
// evaluation takes. So each list form charges, for each item, the nodes it evaluates for that item. A list
// form nested in the element is counted in both: once as nodes of the outer element, and again for its
// own items each time it runs, which keeps the measure within a small factor of the work.
#include "interpreter/weigh.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "interpreter/ast_walk.hpp"

namespace merit {
namespace {

using ast::Expr;
using ast::ExprPtr;

std::uint32_t clamped(std::uint64_t n) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max()));
}

// The nodes of `e`, with the bodies inlined into its calls; each list form under it is given its weight on
// the way, so the whole program is weighed in one pass.
std::uint64_t weigh(const Expr& e) {
  const auto size = [](const ExprPtr& x) -> std::uint64_t { return x ? weigh(*x) : 0; };
  if (const auto* c = std::get_if<ast::Comprehension>(&e.node)) {
    const std::uint64_t per_item = 1 + size(c->element) + size(c->condition);
    c->per_item = clamped(per_item);
    return size(c->source) + per_item;
  }
  if (const auto* s = std::get_if<ast::Sort>(&e.node)) {
    std::uint64_t per_item = 1;
    for (const auto& k : s->keys) per_item += size(k.key);
    s->per_item = clamped(per_item);
    return size(s->source) + per_item;
  }
  if (const auto* t = std::get_if<ast::Take>(&e.node)) {
    std::uint64_t per_item = 1 + size(t->counting);
    for (const auto& k : t->tie_keys) per_item += size(k);
    t->per_item = clamped(per_item);
    return size(t->count) + size(t->source) + per_item;
  }
  if (const auto* q = std::get_if<ast::Quantified>(&e.node)) {
    const std::uint64_t per_item = 1 + size(q->condition);
    q->per_item = clamped(per_item);
    return size(q->source) + per_item;
  }
  std::uint64_t n = 1;
  if (const auto* call = std::get_if<ast::Call>(&e.node); call && call->inlined) n += weigh(*call->inlined);
  ast::for_each_child(e, [&](const Expr& child) { n += weigh(child); });
  return n;
}

}  // namespace

void weigh_list_forms(const Program& program) {
  program.for_each_root([](const Expr& e) { weigh(e); });
}

}  // namespace merit
