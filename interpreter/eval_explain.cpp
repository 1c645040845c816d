// What --explain records while the rules run: a scope for each decision evaluated, the list steps of
// declarations that give a reason, and what each step did to each record. Nothing here runs without it.
#include "interpreter/interpreter.hpp"

namespace merit::interpret {

/// Whether `e` reads the local in `slot`.
bool mentions(const Expr& e, std::int32_t slot) {
  if (const auto* n = std::get_if<ast::Name>(&e.node)) {
    return n->ref.kind == RefKind::local && n->ref.index == slot;
  }
  bool found = false;
  for_each_child(e, [&](const Expr& child) { found = found || mentions(child, slot); });
  return found;
}

void Interpreter::open_scope(std::int32_t decision, const DecisionFrame& frame) {
  Scope s;
  s.decision = decision;
  s.as_of = frame.as_of;
  s.inputs = frame.inputs;
  s.rules.assign(frame.decl->rules.size(), RuleState::not_reached);
  scope_stack_.push_back(trace_.scopes.size());
  trace_.scopes.push_back(std::move(s));
}

// Called in the decision's frame: the `because` of the rules that applied, and of the lets whose list
// steps were recorded, are read here, once.
void Interpreter::close_scope(const DecisionFrame& frame) {
  const auto& rules = frame.decl->rules;
  std::vector<std::string> explanations(rules.size());
  std::vector<Value> outputs(frame.definitions.size());
  for (std::size_t i = 0; i < frame.definitions.size(); ++i) {
    const auto& memo = frame.definitions[i];
    if (!memo) continue;
    outputs[i] = memo->value;
    const ast::Rule& rule = rules[static_cast<std::size_t>(memo->rule)];
    if (rule.explanation)
      explanations[static_cast<std::size_t>(memo->rule)] = eval(*rule.explanation).as_text();
  }
  Scope& s = scope();
  s.as_of = frame.as_of;  // worked out from the inputs once the decision's frame was entered
  for (auto& step : s.steps) {
    if (step.rule >= 0) step.because = explanations[static_cast<std::size_t>(step.rule)];
  }
  s.explanations = std::move(explanations);
  s.outputs = std::move(outputs);
  scope_stack_.pop_back();
}

/// The step a list operation of the declaration being evaluated records into, or -1 when that
/// declaration gives no reason (its list operations are means, not reasons).
std::int32_t Interpreter::open_step(const Expr& operation) {
  if (scope_stack_.empty()) return -1;
  ListStep step;
  step.operation = &operation;
  if (current_function_) {
    if (!current_function_->explanation) return -1;
    step.declaration = current_function_->span;
    step.name = current_function_->name;
    step.cite = current_function_->cite ? current_function_->cite->text : "";
    step.because = eval(*current_function_->explanation).as_text();
  } else if (current_rule_ && decision_) {
    if (!current_rule_->explanation) return -1;
    step.declaration = current_rule_->span;
    step.name = current_rule_->target;
    step.cite = current_rule_->cite.text;
    step.rule = current_rule_index_;
  } else {
    return -1;
  }
  auto& steps = scope().steps;
  steps.push_back(std::move(step));
  return static_cast<std::int32_t>(steps.size() - 1);
}

void Interpreter::record(const Value& item, ItemEvent event) {
  const auto* record = std::get_if<RecordPtr>(&item.data);
  if (!record) return;
  scope().items[record->get()].push_back(std::move(event));
}

/// The values a reader needs to see why `condition` held or not for the item in `slot`: the parts of
/// the condition, down through `and`, `or` and `not`, that depend on the item.
void Interpreter::deciding_parts(const Expr& condition, std::int32_t slot, std::vector<const Expr*>& out) {
  const auto is_membership = [](const Expr& e) {
    const auto* b = std::get_if<ast::Binary>(&e.node);
    return b && b->op == ast::BinaryOp::member_of;
  };
  if (const auto* u = std::get_if<ast::Unary>(&condition.node); u && u->op == ast::UnaryOp::logical_not) {
    // `x not in xs` reads as a whole; so does `x in xs` below.
    if (is_membership(*u->operand) && u->operand->span.begin == condition.span.begin) {
      if (mentions(condition, slot)) out.push_back(&condition);
    } else {
      deciding_parts(*u->operand, slot, out);
    }
    return;
  }
  if (is_membership(condition)) {
    if (mentions(condition, slot)) out.push_back(&condition);
    return;
  }
  if (const auto* b = std::get_if<ast::Binary>(&condition.node)) {
    if (b->op == ast::BinaryOp::logical_and || b->op == ast::BinaryOp::logical_or) {
      deciding_parts(*b->lhs, slot, out);
      deciding_parts(*b->rhs, slot, out);
      return;
    }
    for (const Expr* side : {b->lhs.get(), b->rhs.get()}) {
      if (mentions(*side, slot)) out.push_back(side);
    }
    return;
  }
  if (mentions(condition, slot)) out.push_back(&condition);
}

std::vector<ValueAt> Interpreter::values_of(const std::vector<const Expr*>& parts) {
  std::vector<ValueAt> out;
  for (const Expr* part : parts) {
    // A part the condition never reached (after `and` was settled) may not be defined for this item.
    try {
      out.push_back({part, eval(*part)});
    } catch (const EvalError&) {
    }
  }
  return out;
}

}  // namespace merit::interpret
