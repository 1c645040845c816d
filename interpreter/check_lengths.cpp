// The units of lengths: a length in working days can be counted only against a calendar, so this pass
// finds where one would be added to a date. It runs after the Checker, on rules without errors.
#include "interpreter/ast_walk.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/stack.hpp"

namespace merit::checking {
namespace {

// Adding a length in working days to a date (or ending a period with one) would fail every time it runs.
// After the types are known, this pass finds for each length added to a date whether it may be in working
// days: a literal says so, a parameter by its values, working_days(n) always; sums, products and
// conditionals by their parts. A function's parameter takes the unit of the argument, so a call must give
// an argument that is not in working days where the function adds the parameter to a date. Inputs, fields
// and items come from data whose unit is not known until the rules run; they cannot be added to a date.

/// What is known at check time of the unit of a length.
struct LengthUnit {
  bool working = false;           // it may be in working days
  std::string unknown;            // set when the unit is not known: what the length is
  std::set<std::int32_t> params;  // it takes the unit of these parameters of the enclosing function
  std::set<std::int32_t> inputs;  // or of these inputs of the enclosing decision, checked as data are read
  void add(const LengthUnit& other) {
    working = working || other.working;
    if (unknown.empty()) unknown = other.unknown;
    params.insert(other.params.begin(), other.params.end());
    inputs.insert(other.inputs.begin(), other.inputs.end());
  }
};

bool has_working_days(const Value& v) {
  if (const auto* d = std::get_if<Duration>(&v.data)) return d->unit == DurationUnit::working_days;
  if (const auto* l = std::get_if<ListPtr>(&v.data)) {
    return std::any_of((*l)->items().begin(), (*l)->items().end(),
                       [](const Value& x) { return has_working_days(x); });
  }
  return false;
}

class WorkingDayCheck {
 public:
  WorkingDayCheck(Program& program, Diagnostics& errors) : program_(program), errors_(errors) {
    for (auto& module : program.modules) {
      for (auto& decl : module.declarations) {
        if (auto* d = std::get_if<ast::Decision>(&decl)) decisions_.push_back(d);
      }
    }
  }

  void run() {
    for (std::size_t i = 0; i < program_.functions.size(); ++i) summary(static_cast<std::int32_t>(i));
    for (std::size_t i = 0; i < decisions_.size(); ++i) decision_summary(static_cast<std::int32_t>(i));
    for (const auto* c : program_.calendars) {
      for (const auto& h : c->holidays) visit(h.date.get());
    }
  }

 private:
  // A decision's inputs added to dates are marked, for the data readers and for calls of the decision.
  void decision_summary(std::int32_t index) {
    if (!decisions_done_.insert(index).second) return;
    ast::Decision* d = decisions_[static_cast<std::size_t>(index)];
    const auto* saved_function = function_;
    auto* saved_summary = summary_;
    auto* saved_decision = decision_;
    auto saved_binders = std::move(binders_);
    binders_.clear();
    function_ = nullptr;
    summary_ = nullptr;
    {
      decision_ = d;
      for (const auto& rule : d->rules) {
        visit(rule.condition.get());
        visit(rule.value.get());
        visit(rule.explanation.get());
      }
      for (const auto& r : d->requirements) {
        visit(r.each_source.get());
        if (r.each && is_duration(*r.each_source)) binders_[r.each->slot] = unit_of(*r.each_source);
        visit(r.condition.get());
        visit(r.message.get());
      }
    }
    for (auto& in : d->inputs) {
      const auto given = in.default_value ? constant_value(*in.default_value) : std::nullopt;
      if (in.added_to_date && given && has_working_days(*given)) {
        errors_.push_back(error_at(in.default_value->span,
                                   fmt::format("the rules add {} to a date, so it cannot be in working days, "
                                               "which depend on a calendar",
                                               in.name)));
      }
    }
    function_ = saved_function;
    summary_ = saved_summary;
    decision_ = saved_decision;
    binders_ = std::move(saved_binders);
  }

  /// Per function: which of its parameters it adds to a date, and the unit of its result.
  struct Summary {
    bool done = false;
    bool visiting = false;
    std::vector<bool> added_to_date;
    LengthUnit result;
  };

  const Program& program_;
  Diagnostics& errors_;
  std::vector<ast::Decision*> decisions_;  // as Program::decisions, to mark their inputs
  std::set<std::int32_t> decisions_done_;
  ast::Decision* decision_ = nullptr;
  const ast::Function* function_ = nullptr;  // the function whose body is being looked at
  Summary* summary_ = nullptr;
  std::map<std::int32_t, Summary> summaries_;
  std::map<std::pair<const ast::Decision*, std::int32_t>, LengthUnit> definitions_;
  std::map<std::int32_t, LengthUnit> binders_;  // by slot: the unit of the items of the list bound

  const Summary& summary(std::int32_t index) {
    Summary& s = summaries_[index];
    if (s.done || s.visiting) return s;  // functions do not call themselves: the checker reports that
    s.visiting = true;
    const ast::Function& f = *program_.functions[static_cast<std::size_t>(index)];
    s.added_to_date.assign(f.params.size(), false);
    const auto* saved_function = function_;
    auto* saved_summary = summary_;
    auto* saved_decision = decision_;
    auto saved_binders = std::move(binders_);
    binders_.clear();
    function_ = &f;
    summary_ = &s;
    decision_ = nullptr;
    visit(f.body.get());
    s.result = unit_of(*f.body);
    function_ = saved_function;
    summary_ = saved_summary;
    decision_ = saved_decision;
    binders_ = std::move(saved_binders);
    s.visiting = false;
    s.done = true;
    return s;
  }

  std::int32_t param_of_slot(std::int32_t slot) const {
    if (!function_) return -1;
    for (std::size_t i = 0; i < function_->params.size(); ++i) {
      if (function_->params[i].slot == slot) return static_cast<std::int32_t>(i);
    }
    return -1;
  }

  // A length, a length that may be none, or a list of them.
  static bool is_duration(const Expr& e) {
    if (!e.type) return false;
    const TypeRef t = strip_optional(e.type);
    return t->kind == TypeKind::duration || (t->kind == TypeKind::list && t->element &&
                                             strip_optional(t->element)->kind == TypeKind::duration);
  }

  LengthUnit unknown(std::string what) {
    LengthUnit u;
    u.unknown = std::move(what);
    return u;
  }

  LengthUnit unit_of(const Expr& e) {
    LengthUnit u;
    if (const auto* lit = std::get_if<ast::Literal>(&e.node)) {
      u.working = has_working_days(lit->value);
    } else if (const auto* name = std::get_if<ast::Name>(&e.node)) {
      switch (name->ref.kind) {
        case RefKind::parameter: {
          const auto& p = *program_.parameters[static_cast<std::size_t>(name->ref.index)];
          for (const auto& v : p.values) {
            if (const auto c = constant_value(*v.value)) u.working = u.working || has_working_days(*c);
          }
          break;
        }
        case RefKind::definition:
          return definition_unit(name->ref.index);
        case RefKind::local:
          if (const auto i = param_of_slot(name->ref.index); i >= 0) {
            u.params.insert(i);
            break;
          }
          if (const auto it = binders_.find(name->ref.index); it != binders_.end()) return it->second;
          return unknown(fmt::format("{}, an item of a list,", name->name));
        case RefKind::input:
          u.inputs.insert(name->ref.index);
          break;
        default:
          return unknown(name->name);
      }
    } else if (const auto* call = std::get_if<ast::Call>(&e.node)) {
      if (call->ref.kind == RefKind::builtin) {
        const std::string_view b = stdlib::builtins()[static_cast<std::size_t>(call->ref.index)].name;
        if (b == "working_days") {
          u.working = true;
        } else if (b == "min" || b == "max") {
          for (const auto& a : call->args) u.add(unit_of(*a.value));
        } else if (b != "days" && b != "months" && b != "years") {
          return unknown(fmt::format("what {} gives", b));
        }
      } else if (call->ref.kind == RefKind::function) {
        const ast::Function& f = *program_.functions[static_cast<std::size_t>(call->ref.index)];
        std::vector<std::int32_t> versions = f.versions;
        if (versions.empty()) versions.push_back(call->ref.index);
        for (auto v : versions) {
          const Summary& s = summary(v);
          u.working = u.working || s.result.working;
          if (u.unknown.empty()) u.unknown = s.result.unknown;
          for (auto p : s.result.params) {
            if (static_cast<std::size_t>(p) < call->args.size())
              u.add(unit_of(*call->args[static_cast<std::size_t>(p)].value));
          }
        }
      } else {
        return unknown(fmt::format("what {} gives", call->callee));
      }
    } else if (const auto* unary = std::get_if<ast::Unary>(&e.node)) {
      return unit_of(*unary->operand);
    } else if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
      // `n * 3 days`, `a + b`, `x ?? 3 days`: the lengths among the operands.
      if (b->op == ast::BinaryOp::or_else || is_duration(*b->lhs)) u.add(unit_of(*b->lhs));
      if (is_duration(*b->rhs)) u.add(unit_of(*b->rhs));
    } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
      u.add(unit_of(*c->then_branch));
      u.add(unit_of(*c->else_branch));
    } else if (const auto* choose = std::get_if<ast::Choose>(&e.node)) {
      for (const auto& branch : choose->branches) u.add(unit_of(*branch.value));
    } else if (const auto* list = std::get_if<ast::ListLiteral>(&e.node)) {
      for (const auto& x : list->items) u.add(unit_of(*x));
    } else if (const auto* field = std::get_if<ast::FieldAccess>(&e.node)) {
      return unknown(fmt::format("the field {}", field->field));
    } else {
      return unknown("this length");
    }
    return u;
  }

  LengthUnit definition_unit(std::int32_t index) {
    const auto key = std::make_pair(decision_, index);
    if (const auto it = definitions_.find(key); it != definitions_.end()) return it->second;
    // A chain of lets is followed by recursion; one too long for the thread's stack is not followed.
    if (stack_nearly_full()) return unknown("a length worked out through too long a chain of lets");
    definitions_[key] = LengthUnit{};  // definitions do not depend on themselves: the checker reports that
    LengthUnit u;
    for (const auto r : rules_of(index)) {
      const auto& rule = decision_->rules[r];
      if (rule.value) u.add(unit_of(*rule.value));
    }
    definitions_[key] = u;
    return u;
  }

  /// The rules of definition `index` of the decision looked at, by their place: listed once per decision,
  /// so that following a chain of lets costs time in proportion to it.
  const std::vector<std::size_t>& rules_of(std::int32_t index) {
    auto& by_definition = rules_by_definition_[decision_];
    if (by_definition.empty()) {
      by_definition.resize(decision_->definitions.size());
      for (std::size_t r = 0; r < decision_->rules.size(); ++r) {
        const auto d = decision_->rules[r].definition;
        if (d >= 0 && static_cast<std::size_t>(d) < by_definition.size())
          by_definition[static_cast<std::size_t>(d)].push_back(r);
      }
    }
    return by_definition[static_cast<std::size_t>(index)];
  }
  std::map<const ast::Decision*, std::vector<std::vector<std::size_t>>> rules_by_definition_;

  // A length that is added to a date (or ends a period) must not be in working days.
  void require_exact(const Expr& length, const std::string& use) {
    const LengthUnit u = unit_of(length);
    if (u.working) {
      const auto* name = std::get_if<ast::Name>(&length.node);
      errors_.push_back(error_at(
          length.span, fmt::format("{} may be in working days, which depend on a calendar, so it cannot be "
                                   "{}; count working days with nth_working_day(from, n, calendar, until) or "
                                   "next_working_day(date, calendar)",
                                   name ? name->name : "this length", use)));
    } else if (!u.unknown.empty()) {
      errors_.push_back(error_at(
          length.span, fmt::format("{} could be a length in working days, which depend on a calendar, so it "
                                   "cannot be {}; give it as a parameter or write the length out, or count "
                                   "working days with nth_working_day(from, n, calendar, until)",
                                   u.unknown == "this length" ? "this length" : u.unknown, use)));
    } else {
      if (summary_) {
        for (auto p : u.params) summary_->added_to_date[static_cast<std::size_t>(p)] = true;
      }
      if (decision_) {
        for (auto i : u.inputs) decision_->inputs[static_cast<std::size_t>(i)].added_to_date = true;
      }
    }
  }

  void visit(const Expr* e) {
    if (!e) return;
    if (const auto* b = std::get_if<ast::Binary>(&e->node)) {
      const bool to_date = (b->op == ast::BinaryOp::add || b->op == ast::BinaryOp::subtract) &&
                           b->lhs->type && b->lhs->type->kind == TypeKind::date && is_duration(*b->rhs);
      if (to_date)
        require_exact(*b->rhs, b->op == ast::BinaryOp::add ? "added to a date" : "taken from a date");
    } else if (const auto* call = std::get_if<ast::Call>(&e->node)) {
      if (call->ref.kind == RefKind::builtin && call->args.size() == 2 &&
          stdlib::builtins()[static_cast<std::size_t>(call->ref.index)].name ==
              std::string_view("period_end")) {
        require_exact(*call->args[1].value, "the length of a period");
      } else if (call->ref.kind == RefKind::function) {
        check_arguments(*call);
      } else if (call->ref.kind == RefKind::decision) {
        decision_summary(call->ref.index);
        const ast::Decision& d = *decisions_[static_cast<std::size_t>(call->ref.index)];
        for (std::size_t i = 0; i < d.inputs.size() && i < call->input_order.size(); ++i) {
          const auto arg = call->input_order[i];
          if (d.inputs[i].added_to_date && arg >= 0) {
            require_exact(*call->args[static_cast<std::size_t>(arg)].value,
                          fmt::format("given to {}, which adds {} to a date", d.name, d.inputs[i].name));
          }
        }
      }
    }
    // A binder's items have the unit of the list they come from (`appointed + n for n in evaluation_days`).
    const auto bind = [&](const ast::Binder& var, const Expr& source) {
      if (is_duration(source)) binders_[var.slot] = unit_of(source);
    };
    if (const auto* c = std::get_if<ast::Comprehension>(&e->node)) bind(c->var, *c->source);
    if (const auto* so = std::get_if<ast::Sort>(&e->node)) bind(so->var, *so->source);
    if (const auto* t = std::get_if<ast::Take>(&e->node)) bind(t->var, *t->source);
    if (const auto* q = std::get_if<ast::Quantified>(&e->node)) bind(q->var, *q->source);
    for_each_child(*e, [&](const Expr& child) { visit(&child); });
  }

  void check_arguments(const ast::Call& call) {
    const ast::Function& f = *program_.functions[static_cast<std::size_t>(call.ref.index)];
    std::vector<std::int32_t> versions = f.versions;
    if (versions.empty()) versions.push_back(call.ref.index);
    std::set<std::size_t> added;
    for (auto v : versions) {
      const Summary& s = summary(v);
      for (std::size_t i = 0; i < s.added_to_date.size(); ++i) {
        if (s.added_to_date[i]) added.insert(i);
      }
    }
    for (auto i : added) {
      if (i < call.args.size())
        require_exact(*call.args[i].value,
                      fmt::format("given to {}, which adds {} to a date", f.name, f.params[i].name));
    }
  }
};

}  // namespace

void check_working_days(Program& program, Diagnostics& errors) {
  WorkingDayCheck(program, errors).run();
}

}  // namespace merit::checking

namespace merit {

bool has_working_days_value(const Value& value) {
  return checking::has_working_days(value);
}

}  // namespace merit
