// A step is a unit of work, not an item: a comprehension whose element is ten additions does ten times the
// work of one that copies its items, and the step limit (--max-steps) is what bounds the time an
// evaluation takes. So what the interpreter enters is charged by the nodes it will evaluate there, the
// bodies of the functions they call included (the kernels copy those bodies in, and the plain interpreter
// charges a call one step):
// - a list form, for each item it goes through, the nodes of its element, condition or keys;
// - a let or output, when it is worked out, the nodes of its rules' values and conditions;
// - a requirement, once or for each item of its `for`, the nodes of its condition.
// A list form inside another is charged by the outer one as a node and its source, and by itself for its
// own items each time it runs.
// Work that goes through a value rather than the rules (lists compared or joined, flatten, a list's text
// index, the days of a calendar) is charged where it is done: value.cpp, eval_operators.cpp, builtins.cpp.
#include "interpreter/weigh.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "interpreter/ast_walk.hpp"

namespace merit {
namespace {

using ast::Expr;
using ast::ExprPtr;

// Weights stop growing here: a chain of functions each calling the next twice weighs 2^n, and far less than
// this already passes any step limit.
constexpr std::uint64_t most = std::uint64_t{1} << 40;

std::uint64_t plus(std::uint64_t a, std::uint64_t b) {
  return std::min(a + b, most);
}

std::uint32_t clamped(std::uint64_t n) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max()));
}

class Weigher {
 public:
  explicit Weigher(const Program& program)
      : program_(program), functions_(program.functions.size(), unknown) {}

  /// The nodes evaluating `e` once costs, with the bodies of the functions it calls; each list form under
  /// it is given its weight on the way.
  std::uint64_t weigh(const Expr& e) {
    const auto size = [this](const ExprPtr& x) -> std::uint64_t { return x ? weigh(*x) : 0; };
    if (const auto* c = std::get_if<ast::Comprehension>(&e.node)) {
      c->per_item = clamped(plus(1, plus(size(c->element), size(c->condition))));
      return plus(1, size(c->source));
    }
    if (const auto* s = std::get_if<ast::Sort>(&e.node)) {
      std::uint64_t per_item = 1;
      for (const auto& k : s->keys) per_item = plus(per_item, size(k.key));
      s->per_item = clamped(per_item);
      return plus(1, size(s->source));
    }
    if (const auto* t = std::get_if<ast::Take>(&e.node)) {
      std::uint64_t per_item = plus(1, size(t->counting));
      for (const auto& k : t->tie_keys) per_item = plus(per_item, size(k));
      t->per_item = clamped(per_item);
      return plus(1, plus(size(t->count), size(t->source)));
    }
    if (const auto* q = std::get_if<ast::Quantified>(&e.node)) {
      q->per_item = clamped(plus(1, size(q->condition)));
      return plus(1, size(q->source));
    }
    std::uint64_t n = 1;
    if (const auto* call = std::get_if<ast::Call>(&e.node)) {
      if (call->inlined) {
        n = plus(n, weigh(*call->inlined));
      } else if (call->ref.kind == ast::RefKind::function) {
        n = plus(n, function(call->ref.index));
      }
    }
    ast::for_each_child(e, [&](const Expr& child) { n = plus(n, weigh(child)); });
    return n;
  }

  /// The weight of a call of function `index`: its heaviest version's body. Each is weighed once.
  std::uint64_t function(std::int32_t index) {
    std::uint64_t& w = functions_[static_cast<std::size_t>(index)];
    if (w == unknown) {
      w = 1;  // the checker refuses recursion; this only keeps a slip from looping
      const ast::Function& f = *program_.functions[static_cast<std::size_t>(index)];
      std::uint64_t heaviest = f.body ? weigh(*f.body) : 1;
      for (const std::int32_t v : f.versions) {
        if (v == index) continue;
        heaviest = std::max(heaviest, function(v));
      }
      w = heaviest;
    }
    return w;
  }

 private:
  static constexpr std::uint64_t unknown = std::numeric_limits<std::uint64_t>::max();
  const Program& program_;
  std::vector<std::uint64_t> functions_;
};

}  // namespace

void weigh_program(const Program& program) {
  Weigher weigher(program);
  for (std::size_t f = 0; f < program.functions.size(); ++f) weigher.function(static_cast<std::int32_t>(f));
  // Every other expression, for the list forms in it; those of functions' bodies are weighed by now.
  program.for_each_root([&](const Expr& e) { weigher.weigh(e); });
  for (const ast::Decision* d : program.decisions) {
    for (const auto& def : d->definitions) def.weight = 0;
    for (const auto& rule : d->rules) {
      if (rule.definition < 0) continue;
      const ast::Definition& def = d->definitions[static_cast<std::size_t>(rule.definition)];
      def.weight = plus(def.weight, plus(rule.value ? weigher.weigh(*rule.value) : 0,
                                         rule.condition ? weigher.weigh(*rule.condition) : 0));
    }
    for (const auto& def : d->definitions) def.weight = std::max<std::uint64_t>(def.weight, 1);
    for (const auto& r : d->requirements) {
      r.per_item = clamped(plus(1, r.condition ? weigher.weigh(*r.condition) : 0));
    }
  }
}

}  // namespace merit
