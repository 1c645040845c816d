// The interpreter: a tree walk over the checked AST. Names are slots and indexes, never looked up by
// string; locals live in one value stack so that a call per list item allocates nothing new.
#include "interpreter/eval.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <numeric>
#include <set>
#include <span>

#include "interpreter/check.hpp"
#include "interpreter/data.hpp"
#include "stdlib/builtins.hpp"

namespace merit {
namespace {

using ast::Expr;
using ast::RefKind;

/// An error while evaluating, with the place in the rules it belongs to; caught at evaluate_decision.
struct EvalError {
  SourceSpan span;
  std::string message;
  bool invalid_data = false;            // a `require` failed: the case, not the rules, is at fault
  std::string data_path = {};           // with invalid_data: where in the inputs, when known
  std::vector<std::string> trace = {};  // what was being evaluated, innermost first (Diagnostic::notes)
};

// A decision being evaluated: its inputs, the definitions computed so far, and where its slots start.
struct DecisionFrame {
  const ast::Decision* decl = nullptr;
  Date as_of;  // the date whose rules apply: its `as of` input, else the caller's
  std::vector<Value> inputs;
  std::vector<std::optional<Outcome>> definitions;
  std::vector<bool> in_progress;
};

Date date_in_range(Date d, const SourceSpan& span) {
  const int year = stdlib::to_ymd(d).year;
  if (year < 1 || year > 9999) throw EvalError{span, "this date falls outside the years 1 to 9999"};
  return d;
}

// Integer arithmetic that reports overflow as an error in the rules rather than wrapping around.
enum class IntOp : std::uint8_t { add, subtract, multiply };

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

// Calls `f` on every expression directly inside `e`.
template <typename F>
void for_each_child(const Expr& e, F&& f) {
  const auto one = [&](const ast::ExprPtr& p) {
    if (p) f(*p);
  };
  struct Visit {
    decltype(one)& each;
    void operator()(const ast::Literal&) const {}
    void operator()(const ast::Name&) const {}
    void operator()(const ast::EmptyMap&) const {}
    void operator()(const ast::ListLiteral& n) const {
      for (const auto& item : n.items) each(item);
    }
    void operator()(const ast::FieldAccess& n) const { each(n.object); }
    void operator()(const ast::Call& n) const {
      for (const auto& a : n.args) each(a.value);
    }
    void operator()(const ast::Unary& n) const { each(n.operand); }
    void operator()(const ast::Binary& n) const {
      each(n.lhs);
      each(n.rhs);
    }
    void operator()(const ast::Conditional& n) const {
      each(n.condition);
      each(n.then_branch);
      each(n.else_branch);
    }
    void operator()(const ast::Comprehension& n) const {
      each(n.element);
      each(n.source);
      each(n.condition);
    }
    void operator()(const ast::Sort& n) const {
      each(n.source);
      for (const auto& k : n.keys) each(k.key);
    }
    void operator()(const ast::Take& n) const {
      each(n.count);
      each(n.source);
      each(n.counting);
      for (const auto& k : n.tie_keys) each(k);
    }
    void operator()(const ast::Quantified& n) const {
      each(n.source);
      each(n.condition);
    }
    void operator()(const ast::RecordLiteral& n) const {
      for (const auto& field : n.fields) each(field.value);
    }
    void operator()(const ast::Choose& n) const {
      each(n.subject);
      for (const auto& branch : n.branches) each(branch.value);
    }
  };
  std::visit(Visit{one}, e.node);
}

/// Whether `e` reads the local in `slot`.
bool mentions(const Expr& e, std::int32_t slot) {
  if (const auto* n = std::get_if<ast::Name>(&e.node)) {
    return n->ref.kind == RefKind::local && n->ref.index == slot;
  }
  bool found = false;
  for_each_child(e, [&](const Expr& child) { found = found || mentions(child, slot); });
  return found;
}

class Interpreter final : public stdlib::BuiltinContext {
 public:
  Interpreter(const Program& program, Date as_of, const EvalOptions& options)
      : program_(program),
        forced_as_of_(options.as_of),
        as_of_(as_of),
        overrides_(options.parameter_overrides),
        explain_(options.explain) {
    // The stack never grows past its first allocation, so references into it stay valid while an
    // expression is evaluated (see `ref`); untouched pages of it cost nothing.
    stack_.reserve(stack_capacity);
    calendars_.resize(program.calendars.size());
  }

  /// Evaluates the wanted definitions (`wanted[i]`) of decision `index`, and the lets they need.
  DecisionResult run_decision(std::int32_t index, std::vector<Value> inputs,
                              const std::vector<bool>& wanted) {
    DecisionFrame frame = enter_decision(index, std::move(inputs));
    DecisionResult result;
    root_ = &frame;
    if (explain_) {
      trace_.rules.assign(frame.decl->rules.size(), RuleState::not_reached);
      open_scope(index, frame);
    }
    const std::size_t base = push_frame(frame.decl->frame_size);
    with_decision(frame, base, [&] {
      judge_as_of(frame);
      result.as_of = frame.as_of;
      check_requirements();
      for (std::size_t i = 0; i < frame.decl->definitions.size(); ++i) {
        if (wanted[i]) definition(static_cast<std::int32_t>(i));
      }
      if (explain_) close_scope(frame);
      // Lets evaluated on the way are part of the result too: --explain shows the dates among them.
      // A `because` may evaluate further lets; values are shared, so copying them out is cheap.
      for (std::size_t i = 0; i < frame.definitions.size(); ++i) {
        const auto& memo = frame.definitions[i];
        const ast::Rule* rule = memo ? &frame.decl->rules[static_cast<std::size_t>(memo->rule)] : nullptr;
        result.explanations.push_back(rule && rule->explanation ? eval(*rule->explanation).as_text()
                                                                : std::string());
      }
      for (const auto& memo : frame.definitions) {
        result.definitions.push_back(memo ? *memo : Outcome{Value(), -1});
      }
    });
    stack_.resize(base);
    root_ = nullptr;
    result.trace = std::move(trace_);
    return result;
  }

  std::string display(const Value& value) override { return format_value(value, nullptr, program_); }

  const stdlib::WorkingCalendar& calendar(std::int32_t decl) override {
    auto& slot = calendars_[static_cast<std::size_t>(decl)];
    if (!slot) slot = make_calendar(decl);
    return *slot;
  }

 private:
  const Program& program_;
  std::optional<Date> forced_as_of_;  // --as-of: every decision is judged on this date
  Date as_of_;                        // the date of the decision being evaluated
  const std::vector<std::optional<Value>>& overrides_;
  bool explain_;
  Trace trace_;                          // with explain_: how the root decision's rules fared
  const DecisionFrame* root_ = nullptr;  // the decision asked for, whose rules the trace follows
  std::vector<Value> stack_;
  std::size_t base_ = 0;
  DecisionFrame* decision_ = nullptr;
  // Parameter values by the date they are in force on; map nodes do not move, so references stay valid.
  std::map<std::int32_t, std::vector<std::optional<Value>>> parameters_;
  std::vector<std::optional<stdlib::WorkingCalendar>> calendars_;
  std::map<std::pair<std::int32_t, int>, std::vector<Date>> holidays_;
  std::set<std::pair<std::int32_t, int>> holidays_in_progress_;

  // With explain_: the scopes of the decisions being evaluated (indexes into trace_.scopes, innermost
  // last), and the declaration whose value is being evaluated, whose list steps are recorded when it
  // gives a reason.
  std::vector<std::size_t> scope_stack_;
  const ast::Rule* current_rule_ = nullptr;
  std::int32_t current_rule_index_ = -1;
  const ast::Function* current_function_ = nullptr;

  // ---------------------------------------------------------------------------------------------------------
  // Frames.

  static constexpr std::size_t stack_capacity = std::size_t{1} << 20;

  std::size_t push_frame(std::int32_t size) {
    const std::size_t base = stack_.size();
    if (base + static_cast<std::size_t>(size) > stack_capacity) {
      throw EvalError{{}, "the rules call functions and decisions too deeply to evaluate"};
    }
    stack_.resize(base + static_cast<std::size_t>(size));
    return base;
  }

  template <typename Body>
  void with_decision(DecisionFrame& frame, std::size_t base, Body body) {
    DecisionFrame* saved_decision = decision_;
    const std::size_t saved_base = base_;
    const Date saved_as_of = as_of_;
    decision_ = &frame;
    base_ = base;
    as_of_ = frame.as_of;
    body();
    decision_ = saved_decision;
    base_ = saved_base;
    as_of_ = saved_as_of;
  }

  Value& slot(std::int32_t index) { return stack_[base_ + static_cast<std::size_t>(index)]; }

  DecisionFrame enter_decision(std::int32_t index, std::vector<Value> inputs) {
    DecisionFrame frame;
    frame.decl = program_.decisions[static_cast<std::size_t>(index)];
    frame.inputs = std::move(inputs);
    frame.as_of = forced_as_of_ ? *forced_as_of_ : as_of_;
    frame.definitions.resize(frame.decl->definitions.size());
    frame.in_progress.assign(frame.decl->definitions.size(), false);
    return frame;
  }

  /// The date a decision is judged as of: --as-of, else its `as of` date (over its inputs alone), else the
  /// caller's date (or today). Called first in the decision's frame.
  void judge_as_of(DecisionFrame& frame) {
    if (forced_as_of_ || !frame.decl->as_of) return;
    const Value date = eval(*frame.decl->as_of);
    if (date.is_none()) return;
    frame.as_of = date.as_date();
    as_of_ = frame.as_of;
  }

  void check_requirements() {
    for (const auto& r : decision_->decl->requirements) {
      if (!r.each) {
        check_requirement(r, [] { return std::string(); });
        continue;
      }
      const Value source = eval(*r.each_source);
      const auto& items = source.as_list().items;
      for (std::size_t i = 0; i < items.size(); ++i) {
        slot(r.each->slot) = items[i];
        check_requirement(r, [&] { return item_path(r, i); });
      }
    }
  }

  template <typename Path>
  void check_requirement(const ast::Requirement& r, Path path) {
    if (eval(*r.condition).as_bool()) return;
    EvalError error{r.span, fmt::format("{} (§ {})", eval(*r.message).as_text(), r.cite.text), true};
    error.data_path = path();
    throw error;
  }

  /// Where item `i` of a requirement's `for` sits in the inputs, when its list is an input or a field of
  /// one: `requisitions[2]`, and `.vacancies` after it when the condition reads one field of the item.
  /// Empty when the list was computed.
  static std::string item_path(const ast::Requirement& r, std::size_t i) {
    std::string path = input_path(*r.each_source);
    if (path.empty()) return path;
    path += fmt::format("[{}]", i);
    std::set<std::string> fields;
    fields_read(*r.condition, r.each->slot, fields);
    if (fields.size() == 1) path += "." + *fields.begin();
    return path;
  }

  static std::string input_path(const Expr& e) {
    if (const auto* n = std::get_if<ast::Name>(&e.node)) return n->ref.kind == RefKind::input ? n->name : "";
    if (const auto* f = std::get_if<ast::FieldAccess>(&e.node)) {
      std::string object = input_path(*f->object);
      return object.empty() ? object : object + "." + f->field;
    }
    return "";
  }

  static void fields_read(const Expr& e, std::int32_t slot, std::set<std::string>& out) {
    if (const auto* f = std::get_if<ast::FieldAccess>(&e.node)) {
      if (const auto* n = std::get_if<ast::Name>(&f->object->node);
          n && n->ref.kind == RefKind::local && n->ref.index == slot) {
        out.insert(f->field);
        return;
      }
    }
    for_each_child(e, [&](const Expr& child) { fields_read(child, slot, out); });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Parameters and calendars.

  const Value& parameter(std::int32_t index) {
    auto& in_force = parameters_[as_of_.days];
    if (in_force.empty()) in_force.resize(program_.parameters.size());
    auto& cached = in_force[static_cast<std::size_t>(index)];
    if (!cached) {
      const bool overridden =
          static_cast<std::size_t>(index) < overrides_.size() && overrides_[static_cast<std::size_t>(index)];
      if (overridden) {
        cached = overrides_[static_cast<std::size_t>(index)];
      } else {
        auto v = parameter_value(program_, index, as_of_);
        if (auto* d = std::get_if<Diagnostic>(&v)) throw EvalError{*d->span, d->message};
        cached = std::get<Value>(std::move(v));
      }
      if (explain_) trace_.parameters.push_back(ParameterUse{index, as_of_, *cached, overridden});
    }
    return *cached;
  }

  stdlib::WorkingCalendar make_calendar(std::int32_t decl) {
    const ast::Calendar& cal = *program_.calendars[static_cast<std::size_t>(decl)];
    stdlib::WorkingCalendar result;
    result.weekend_mask = 0;
    for (const auto& day : cal.weekend) {
      for (std::size_t i = 0; i < 7; ++i) {
        if (program_.enums[weekday_enum]->members[i].name == day.name) result.weekend_mask |= 1u << i;
      }
    }
    // A holiday of one year may be observed in the year before (New Year's Day on a Saturday).
    result.is_holiday = [this, decl](Date d) {
      const int year = stdlib::to_ymd(d).year;
      for (int y : {year, year + 1}) {
        const auto& days = holidays_of(decl, y);
        if (std::binary_search(days.begin(), days.end(), d)) return true;
      }
      return false;
    };
    return result;
  }

  const std::vector<Date>& holidays_of(std::int32_t decl, int year) {
    const auto key = std::make_pair(decl, year);
    if (auto it = holidays_.find(key); it != holidays_.end()) return it->second;
    const ast::Calendar& cal = *program_.calendars[static_cast<std::size_t>(decl)];
    // Two calendars whose holidays are worked out with each other would never finish.
    if (!holidays_in_progress_.insert(key).second) {
      throw EvalError{cal.span, fmt::format("the holidays of calendar {} depend on themselves", cal.name)};
    }
    std::vector<Date> days;
    const std::size_t base = push_frame(cal.frame_size);
    DecisionFrame* saved_decision = decision_;
    const std::size_t saved_base = base_;
    decision_ = nullptr;
    base_ = base;
    slot(cal.year_slot) = Value(static_cast<std::int64_t>(year));
    for (const auto& h : cal.holidays) {
      // A holiday in force on some days only is not worked out in years it cannot fall in.
      if (h.effective && ((h.effective->from && year < stdlib::to_ymd(*h.effective->from).year) ||
                          (h.effective->through && year > stdlib::to_ymd(*h.effective->through).year)))
        continue;
      Date day;
      try {
        day = eval(*h.date).as_date();
      } catch (EvalError& error) {
        decision_ = saved_decision;
        base_ = saved_base;
        holidays_in_progress_.erase(key);
        error.trace.push_back(
            fmt::format("in holiday {} of calendar {} for {} at {}", h.name, cal.name, year, place(h.span)));
        throw;
      }
      if (!h.effective || h.effective->covers(day)) days.push_back(day);
    }
    decision_ = saved_decision;
    base_ = saved_base;
    stack_.resize(base);
    for (const auto& c : cal.closures) {
      if (!c.effective || c.effective->covers(c.date)) days.push_back(c.date);
    }
    std::sort(days.begin(), days.end());
    holidays_in_progress_.erase(key);
    return holidays_.emplace(key, std::move(days)).first->second;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Definitions: default logic. Exceptions are tried before the rules they override; two applicable rules
  // at one level that give different values are a conflict; no applicable rule is an error.

  std::string place(const SourceSpan& span) const {
    return fmt::format("{}:{}", program_.sources.files.at(span.file).path, span.line);
  }

  std::string rule_place(const ast::Rule& rule) const {
    return fmt::format("the rule at {}:{} (§ {})", program_.sources.files.at(rule.span.file).path,
                       rule.span.line, rule.cite.text);
  }

  std::string show(const Value& v, const TypeRef& type) const { return format_value(v, type, program_); }

  const Outcome& definition(std::int32_t index) {
    auto& memo = decision_->definitions[static_cast<std::size_t>(index)];
    if (memo) return *memo;
    const auto& def = decision_->decl->definitions[static_cast<std::size_t>(index)];
    if (decision_->in_progress[static_cast<std::size_t>(index)]) {
      throw EvalError{def.span, fmt::format("{} is defined in terms of itself", def.name)};
    }
    decision_->in_progress[static_cast<std::size_t>(index)] = true;
    const std::string& decision_name = decision_->decl->name;
    std::optional<Outcome> found;
    try {
      found = first_applicable(def.top_exceptions, def);
      if (!found) found = first_applicable(def.base_rules, def);
    } catch (EvalError& error) {
      // An error on the definition's own line, from nothing it called, is where the caret already points.
      const bool here = error.span.file == def.span.file && error.span.line == def.span.line;
      if (!error.trace.empty() || !here) {
        error.trace.push_back(fmt::format("in {} {} of decision {} at {}", def.is_output ? "output" : "let",
                                          def.name, decision_name, place(def.span)));
      }
      throw;
    }
    decision_->in_progress[static_cast<std::size_t>(index)] = false;
    if (!found) {
      std::string lines;
      for (auto r : def.base_rules)
        lines += fmt::format("{}{}", lines.empty() ? "" : ", ",
                             decision_->decl->rules[static_cast<std::size_t>(r)].span.line);
      throw EvalError{
          def.span,
          fmt::format("no rule gives {} a value in this case (the rules at line{} {} do not apply{})",
                      def.name, def.base_rules.size() == 1 ? "" : "s", lines,
                      any_dated(def.base_rules)
                          ? fmt::format(" or are not in force on {}", stdlib::format_date(as_of_))
                          : "")};
    }
    // Re-read the memo slot: evaluating the rules may have filled other definitions.
    auto& stored = decision_->definitions[static_cast<std::size_t>(index)];
    stored = std::move(found);
    return *stored;
  }

  bool any_dated(const std::vector<std::int32_t>& rules) const {
    return std::any_of(rules.begin(), rules.end(), [&](std::int32_t r) {
      return decision_->decl->rules[static_cast<std::size_t>(r)].effective.has_value();
    });
  }

  std::optional<Outcome> first_applicable(const std::vector<std::int32_t>& rules,
                                          const ast::Definition& def) {
    std::optional<Outcome> found;
    const ast::Decision& decl = *decision_->decl;  // an error unwinds past frames that do not restore it
    for (auto r : rules) {
      std::optional<Outcome> o;
      try {
        o = apply_rule(r, def);
      } catch (EvalError& error) {
        // An exception that failed is named, not also the rule it is an exception to; nor is the rule
        // written with its output (`output x: T = ...`), which the output's own line names.
        const ast::Rule& rule = decl.rules[static_cast<std::size_t>(r)];
        const bool own = rule.span.file == def.span.file && rule.span.line == def.span.line;
        if (!own && (error.trace.empty() || error.trace.back().rfind("in the rule at", 0) != 0))
          error.trace.push_back("in " + rule_place(rule));
        throw;
      }
      if (!o) continue;
      if (!found) {
        found = std::move(o);
      } else if (!values_equal(found->value, o->value)) {
        const auto& a = decision_->decl->rules[static_cast<std::size_t>(found->rule)];
        const auto& b = decision_->decl->rules[static_cast<std::size_t>(o->rule)];
        throw EvalError{b.span, fmt::format("rules conflict on {}: {} gives {}, and {} gives {}", def.name,
                                            rule_place(a), show(found->value, def.resolved), rule_place(b),
                                            show(o->value, def.resolved))};
      }
    }
    return found;
  }

  std::optional<Outcome> apply_rule(std::int32_t index, const ast::Definition& def) {
    const ast::Rule& rule = decision_->decl->rules[static_cast<std::size_t>(index)];
    // A rule not in force on the date the decision is judged as of is as if it were not written.
    if (rule.effective && !rule.effective->covers(as_of_)) {
      note_rule(index, RuleState::not_in_force);
      return std::nullopt;
    }
    if (auto o = first_applicable(rule.exceptions, def)) return o;
    if (rule.condition && !eval(*rule.condition).as_bool()) {
      note_rule(index, RuleState::did_not_apply);
      return std::nullopt;
    }
    note_rule(index, RuleState::applied);
    if (!explain_) return Outcome{eval(*rule.value), index};
    // Restored however the value's evaluation ends: an error may be caught below (values_of).
    struct Restore {
      Interpreter& in;
      const ast::Rule* rule;
      std::int32_t index;
      const ast::Function* function;
      ~Restore() {
        in.current_rule_ = rule;
        in.current_rule_index_ = index;
        in.current_function_ = function;
      }
    } restore{*this, current_rule_, current_rule_index_, current_function_};
    current_rule_ = &rule;
    current_rule_index_ = index;
    current_function_ = nullptr;
    return Outcome{eval(*rule.value), index};
  }

  void note_rule(std::int32_t index, RuleState state) {
    if (!explain_) return;
    if (decision_ == root_) trace_.rules[static_cast<std::size_t>(index)] = state;
    if (!scope_stack_.empty()) scope().rules[static_cast<std::size_t>(index)] = state;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Recording for --explain. Nothing here runs without it.

  Scope& scope() { return trace_.scopes[scope_stack_.back()]; }

  void open_scope(std::int32_t decision, const DecisionFrame& frame) {
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
  void close_scope(const DecisionFrame& frame) {
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
  std::int32_t open_step(const Expr& operation) {
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

  void record(const Value& item, ItemEvent event) {
    const auto* record = std::get_if<RecordPtr>(&item.data);
    if (!record) return;
    scope().items[record->get()].push_back(std::move(event));
  }

  /// The values a reader needs to see why `condition` held or not for the item in `slot`: the parts of
  /// the condition, down through `and`, `or` and `not`, that depend on the item.
  static void deciding_parts(const Expr& condition, std::int32_t slot, std::vector<const Expr*>& out) {
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

  std::vector<ValueAt> values_of(const std::vector<const Expr*>& parts) {
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

  // ---------------------------------------------------------------------------------------------------------
  // Expressions.

  // A C++ library exception here is a broken invariant of the checker or the interpreter, not a fault in
  // the rules; it becomes an error at the innermost expression being evaluated, so it can be reported.
  Value eval(const Expr& e) {
    try {
      return std::visit([&](const auto& node) { return eval_node(e, node); }, e.node);
    } catch (const std::exception& error) {
      throw EvalError{e.span, fmt::format("internal error: {} at {}; please report this with the rules and "
                                          "the case",
                                          error.what(), place(e.span))};
    }
  }

  Value eval_node(const Expr&, const ast::Literal& lit) { return lit.value; }

  Value eval_node(const Expr&, const ast::ListLiteral& list) {
    std::vector<Value> items;
    items.reserve(list.items.size());
    for (const auto& item : list.items) items.push_back(eval(*item));
    return make_list(std::move(items));
  }

  Value eval_node(const Expr& e, const ast::Name& n) {
    switch (n.ref.kind) {
      case RefKind::local:
        return slot(n.ref.index);
      case RefKind::input:
        return decision_->inputs[static_cast<std::size_t>(n.ref.index)];
      case RefKind::definition:
        return definition(n.ref.index).value;
      case RefKind::parameter:
        return parameter(n.ref.index);
      case RefKind::calendar:
        return Value(CalendarRef{n.ref.index});
      case RefKind::enum_value:
        return Value(EnumValue{n.ref.index, n.ref.sub});
      default:
        throw EvalError{e.span, fmt::format("{} was not resolved", n.name)};
    }
  }

  Value eval_node(const Expr& e, const ast::FieldAccess& access) {
    Value scratch;
    return field_ref(e, access, scratch);
  }

  // A value where it is stored (a slot, an input, a definition, a parameter, a field of one of those),
  // without copying it; anything else is evaluated into `scratch`. Reading `c.score` for every candidate
  // then costs no reference counting. Storage does not move while an expression is evaluated: the stack
  // has a fixed capacity, memo slots and parameter caches are never resized.
  const Value& ref(const Expr& e, Value& scratch) {
    if (const auto* name = std::get_if<ast::Name>(&e.node)) {
      switch (name->ref.kind) {
        case RefKind::local:
          return slot(name->ref.index);
        case RefKind::input:
          return decision_->inputs[static_cast<std::size_t>(name->ref.index)];
        case RefKind::definition:
          return definition(name->ref.index).value;
        case RefKind::parameter:
          return parameter(name->ref.index);
        default:
          break;
      }
    } else if (const auto* access = std::get_if<ast::FieldAccess>(&e.node)) {
      if (access->enum_member.kind != RefKind::enum_value) return field_ref(e, *access, scratch);
    } else if (const auto* lit = std::get_if<ast::Literal>(&e.node)) {
      return lit->value;
    }
    scratch = eval(e);
    return scratch;
  }

  const Value& field_ref(const Expr& e, const ast::FieldAccess& access, Value& scratch) {
    if (access.enum_member.kind == RefKind::enum_value) {
      scratch = Value(EnumValue{access.enum_member.index, access.enum_member.sub});
      return scratch;
    }
    const Value& object = ref(*access.object, scratch);
    if (object.is_none()) {
      throw EvalError{e.span, fmt::format("there is no value here to take {} from", access.field)};
    }
    return object.as_record().fields[static_cast<std::size_t>(access.slot)];
  }

  Value eval_node(const Expr& e, const ast::Call& call) {
    switch (call.ref.kind) {
      case RefKind::function:
        return call_function(call);
      case RefKind::decision:
        return call_decision(call);
      case RefKind::builtin:
        return call_builtin(e, call);
      default:
        throw EvalError{e.span, fmt::format("{} was not resolved", call.callee)};
    }
  }

  /// The version of a function in force on the date the calling decision is judged as of.
  const ast::Function& function_in_force(const ast::Call& call) {
    const ast::Function& f = *program_.functions[static_cast<std::size_t>(call.ref.index)];
    if (f.versions.empty()) return f;
    for (auto v : f.versions) {
      const ast::Function& version = *program_.functions[static_cast<std::size_t>(v)];
      if (!version.effective || version.effective->covers(as_of_)) return version;
    }
    throw EvalError{call.callee_span,
                    fmt::format("no version of {} is in force on {}", f.name, stdlib::format_date(as_of_))};
  }

  Value call_function(const ast::Call& call) {
    const ast::Function& f = function_in_force(call);
    // Arguments go straight into the new frame; they are evaluated in the caller's frame below it.
    const std::size_t base = push_frame(f.frame_size);
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      Value arg = eval(*call.args[i].value);
      stack_[base + static_cast<std::size_t>(f.params[i].slot)] = std::move(arg);
    }
    DecisionFrame* saved_decision = decision_;
    const std::size_t saved_base = base_;
    const ast::Function* saved_function = current_function_;
    decision_ = nullptr;
    base_ = base;
    current_function_ = &f;
    Value result;
    try {
      result = eval(*f.body);
    } catch (EvalError& error) {
      decision_ = saved_decision;
      base_ = saved_base;
      current_function_ = saved_function;
      stack_.resize(base);
      error.trace.push_back(
          fmt::format("in function {} at {}, called at {}", f.name, place(f.span), place(call.callee_span)));
      throw;
    }
    decision_ = saved_decision;
    base_ = saved_base;
    current_function_ = saved_function;
    stack_.resize(base);
    return result;
  }

  Value call_decision(const ast::Call& call) {
    const ast::Decision& d = *program_.decisions[static_cast<std::size_t>(call.ref.index)];
    std::vector<Value> inputs(d.inputs.size());
    for (std::size_t i = 0; i < d.inputs.size(); ++i) {
      const auto arg = call.input_order[i];
      if (arg >= 0) {
        inputs[i] = eval(*call.args[static_cast<std::size_t>(arg)].value);
      } else if (d.inputs[i].default_value) {
        inputs[i] = *constant_value(*d.inputs[i].default_value);
      }
    }
    DecisionFrame frame = enter_decision(call.ref.index, std::move(inputs));
    std::vector<Value> outputs;
    if (explain_) open_scope(call.ref.index, frame);
    const std::size_t base = push_frame(d.frame_size);
    DecisionFrame* saved_decision = decision_;
    const std::size_t saved_base = base_;
    const Date saved_as_of = as_of_;
    const std::size_t saved_scopes = scope_stack_.size();
    try {
      with_decision(frame, base, [&] {
        judge_as_of(frame);
        check_requirements();
        for (std::size_t i = 0; i < d.definitions.size(); ++i) {
          if (d.definitions[i].is_output) outputs.push_back(definition(static_cast<std::int32_t>(i)).value);
        }
        if (explain_) close_scope(frame);
      });
    } catch (EvalError& error) {
      decision_ = saved_decision;
      base_ = saved_base;
      as_of_ = saved_as_of;
      scope_stack_.resize(std::min(scope_stack_.size(), saved_scopes - (explain_ ? 1 : 0)));
      stack_.resize(base);
      error.trace.push_back(fmt::format("in decision {}, called at {}", d.name, place(call.callee_span)));
      throw;
    }
    stack_.resize(base);
    return make_record(d.outputs_record, std::move(outputs));
  }

  Value call_builtin(const Expr& e, const ast::Call& call) {
    const auto& b = stdlib::builtins()[static_cast<std::size_t>(call.ref.index)];
    std::array<Value, 4> few;  // built-ins take at most four arguments; no allocation per call
    std::vector<Value> many;
    std::span<Value> args;
    if (call.args.size() <= few.size()) {
      args = std::span<Value>(few.data(), call.args.size());
    } else {
      many.resize(call.args.size());
      args = many;
    }
    for (std::size_t i = 0; i < call.args.size(); ++i) args[i] = eval(*call.args[i].value);
    try {
      Value result = b.run(args, *this);
      if (const auto* d = std::get_if<Date>(&result.data)) date_in_range(*d, e.span);
      return result;
    } catch (const stdlib::BuiltinError& error) {
      throw EvalError{e.span, error.message};
    }
  }

  Value eval_node(const Expr& e, const ast::Unary& u) {
    const Value v = eval(*u.operand);
    if (u.op == ast::UnaryOp::logical_not) return Value(!v.as_bool());
    if (const auto* i = std::get_if<std::int64_t>(&v.data)) {
      return Value(checked(IntOp::subtract, 0, *i, e.span));
    }
    if (const auto* d = std::get_if<Duration>(&v.data)) {
      return Value(Duration{checked(IntOp::subtract, 0, d->amount, e.span), d->unit});
    }
    return Value(-v.as_number());
  }

  Value eval_node(const Expr& e, const ast::Binary& b) {
    using ast::BinaryOp;
    switch (b.op) {
      case BinaryOp::logical_and:
        return Value(eval(*b.lhs).as_bool() && eval(*b.rhs).as_bool());
      case BinaryOp::logical_or:
        return Value(eval(*b.lhs).as_bool() || eval(*b.rhs).as_bool());
      case BinaryOp::or_else: {
        Value lhs = eval(*b.lhs);
        return lhs.is_none() ? eval(*b.rhs) : lhs;
      }
      case BinaryOp::member_of: {
        Value item_scratch;
        Value list_scratch;
        const Value& item = ref(*b.lhs, item_scratch);
        const Value& list = ref(*b.rhs, list_scratch);
        if (b.rhs->type->kind == TypeKind::map) return Value(map_find(list, item.as_text()) != nullptr);
        if (const auto* text = std::get_if<Text>(&item.data))
          return Value(list.as_list().find_text(**text, false) >= 0);
        const auto& items = list.as_list().items;
        return Value(
            std::any_of(items.begin(), items.end(), [&](const Value& x) { return values_equal(item, x); }));
      }
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

  std::weak_ordering ordered(const Expr& e, const Value& a, const Value& b) {
    const auto* da = std::get_if<Duration>(&a.data);
    const auto* db = std::get_if<Duration>(&b.data);
    if (da && db && da->unit != db->unit) {
      throw EvalError{e.span, fmt::format("cannot compare {} {} with {} {}", da->amount,
                                          duration_unit_name(da->unit, da->amount), db->amount,
                                          duration_unit_name(db->unit, db->amount))};
    }
    return compare_values(a, b);
  }

  Value add_duration(const Expr& e, Date d, Duration dur, std::int64_t sign) {
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
    throw EvalError{e.span,
                    "working days depend on a calendar: use nth_working_day(from, n, calendar, until)"};
  }

  Value arithmetic(const Expr& e, ast::BinaryOp op, const Value& lhs, const Value& rhs) {
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
    if (const auto* t = std::get_if<Text>(&lhs.data)) return make_text(**t + rhs.as_text());
    if (std::holds_alternative<ListPtr>(lhs.data)) {
      std::vector<Value> items = lhs.as_list().items;
      items.insert(items.end(), rhs.as_list().items.begin(), rhs.as_list().items.end());
      return make_list(std::move(items));
    }
    const double x = lhs.as_number();
    const double y = rhs.as_number();
    switch (op) {
      case BinaryOp::add:
        return Value(x + y);
      case BinaryOp::subtract:
        return Value(x - y);
      case BinaryOp::multiply:
        return Value(x * y);
      default:
        if (y == 0) throw EvalError{e.span, "division by zero"};
        return Value(x / y);
    }
  }

  Value duration_arithmetic(const Expr& e, ast::BinaryOp op, const Value& lhs, const Value& rhs) {
    if (op == ast::BinaryOp::multiply) {
      const bool left = std::holds_alternative<Duration>(lhs.data);
      const Duration& d = left ? lhs.as_duration() : rhs.as_duration();
      const std::int64_t n = left ? rhs.as_int() : lhs.as_int();
      return Value(Duration{checked(IntOp::multiply, d.amount, n, e.span), d.unit});
    }
    const Duration& a = lhs.as_duration();
    const Duration& b = rhs.as_duration();
    if (a.unit != b.unit) {
      throw EvalError{e.span, fmt::format("cannot add or subtract {} and {}", duration_unit_name(a.unit, 2),
                                          duration_unit_name(b.unit, 2))};
    }
    const IntOp int_op = op == ast::BinaryOp::add ? IntOp::add : IntOp::subtract;
    return Value(Duration{checked(int_op, a.amount, b.amount, e.span), a.unit});
  }

  Value eval_node(const Expr&, const ast::Conditional& c) {
    return eval(*c.condition).as_bool() ? eval(*c.then_branch) : eval(*c.else_branch);
  }

  // The list a binder goes through is held as its own value, so rebinding the slot cannot free it.
  Value eval_node(const Expr& e, const ast::Comprehension& c) {
    const Value source = eval(*c.source);
    const auto& items = source.as_list().items;
    const std::int32_t step = explain_ && c.condition ? open_step(e) : -1;
    std::vector<const Expr*> parts;
    if (step >= 0) deciding_parts(*c.condition, c.var.slot, parts);
    std::vector<Value> out;
    out.reserve(items.size());  // a filter keeps at most all; no regrowth per item
    std::size_t i = 0;
    try {
      for (; i < items.size(); ++i) {
        slot(c.var.slot) = items[i];
        if (c.earlier) slot(c.earlier->slot) = make_list(out);
        if (c.condition && !eval(*c.condition).as_bool()) {
          if (step >= 0) record(items[i], ItemEvent{ItemFate::left_out, step, 0, values_of(parts)});
          continue;
        }
        out.push_back(eval(*c.element));
      }
    } catch (EvalError& error) {
      error.trace.push_back(item_note(c.var, *c.source, items, i));
      throw;
    }
    return make_list(std::move(out));
  }

  /// `c = register.candidates item 4 (id "C05")`: which item of a list was being evaluated when an error
  /// happened; a record's text field `id`, when it has one, names the item better than its position.
  std::string item_note(const ast::Binder& var, const Expr& source, const std::vector<Value>& items,
                        std::size_t index) const {
    const std::string& text = program_.sources.files.at(source.span.file).text;
    std::string written = source.span.end <= text.size() && source.span.begin < source.span.end
                              ? text.substr(source.span.begin, source.span.end - source.span.begin)
                              : std::string("the list");
    if (written.find('\n') != std::string::npos || written.size() > 60) written = "the list";
    std::string id;
    if (index < items.size()) {
      if (const auto* record = std::get_if<RecordPtr>(&items[index].data)) {
        const auto& fields = program_.records.at(static_cast<std::size_t>((*record)->decl))->fields;
        for (std::size_t f = 0; f < fields.size() && f < (*record)->fields.size(); ++f) {
          if (fields[f].name != "id") continue;
          if (const auto* t = std::get_if<Text>(&(*record)->fields[f].data))
            id = fmt::format(" (id \"{}\")", **t);
        }
      }
    }
    return fmt::format("for {} = {} item {}{}", var.name, written, index + 1, id);
  }

  std::vector<Value> keys_of(const Value& item, std::int32_t var, const std::vector<const Expr*>& keys) {
    slot(var) = item;
    std::vector<Value> values;
    values.reserve(keys.size());
    for (const Expr* k : keys) values.push_back(eval(*k));
    return values;
  }

  Value eval_node(const Expr& e, const ast::Sort& s) {
    const Value source = eval(*s.source);
    const auto& items = source.as_list().items;
    std::vector<const Expr*> key_exprs;
    for (const auto& k : s.keys) key_exprs.push_back(k.key.get());
    // The keys of every item, computed once, in one flat array: item i's keys start at i * width.
    const std::size_t width = key_exprs.size();
    std::vector<Value> keys(items.size() * width);
    std::size_t i = 0;
    try {
      for (; i < items.size(); ++i) {
        slot(s.var.slot) = items[i];
        for (std::size_t k = 0; k < width; ++k) keys[i * width + k] = eval(*key_exprs[k]);
      }
    } catch (EvalError& error) {
      error.trace.push_back(item_note(s.var, *s.source, items, i));
      throw;
    }
    std::vector<std::size_t> order(items.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      for (std::size_t k = 0; k < width; ++k) {
        auto c = compare_values(keys[a * width + k], keys[b * width + k]);
        if (c != 0) return s.keys[k].descending ? c > 0 : c < 0;
      }
      return false;
    });
    std::vector<Value> sorted;
    sorted.reserve(items.size());
    for (auto at : order) sorted.push_back(items[at]);
    if (explain_) {
      if (const std::int32_t step = open_step(e); step >= 0) {
        for (std::size_t place = 0; place < sorted.size(); ++place)
          record(sorted[place], ItemEvent{ItemFate::placed, step, place + 1, {}});
      }
    }
    return make_list(std::move(sorted));
  }

  Value eval_node(const Expr& e, const ast::Take& t) {
    const std::int64_t n = eval(*t.count).as_int();
    const Value source = eval(*t.source);
    const auto& items = source.as_list().items;
    if (n <= 0 || items.empty()) {
      if (explain_) record_take(e, t, n, items, 0, 0, {});
      return make_list({});
    }
    std::size_t taken = 0;  // how many items from the front are taken
    std::size_t before_ties = 0;
    std::vector<const Expr*> key_exprs;
    for (const auto& k : t.tie_keys) key_exprs.push_back(k.get());
    try {
      if (t.counting) {
        std::int64_t counted = 0;
        while (taken < items.size() && counted < n) {
          slot(t.var.slot) = items[taken];
          if (eval(*t.counting).as_bool()) ++counted;
          ++taken;
        }
      } else {
        taken = static_cast<std::size_t>(std::min<std::int64_t>(n, static_cast<std::int64_t>(items.size())));
      }
      before_ties = taken;
      if (!t.tie_keys.empty() && taken > 0) {
        --taken;  // while the last item's keys are computed, it is the one being evaluated
        const std::vector<Value> last = keys_of(items[taken], t.var.slot, key_exprs);
        ++taken;
        while (taken < items.size()) {
          const std::vector<Value> next = keys_of(items[taken], t.var.slot, key_exprs);
          if (!std::equal(last.begin(), last.end(), next.begin(), values_equal)) break;
          ++taken;
        }
      }
    } catch (EvalError& error) {
      error.trace.push_back(item_note(t.var, *t.source, items, taken));
      throw;
    }
    if (explain_) record_take(e, t, n, items, before_ties, taken, key_exprs);
    return make_list(std::vector<Value>(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(taken)));
  }

  void record_take(const Expr& e, const ast::Take& t, std::int64_t n, const std::vector<Value>& items,
                   std::size_t before_ties, std::size_t taken, const std::vector<const Expr*>& key_exprs) {
    const std::int32_t step = open_step(e);
    if (step < 0) return;
    const auto keys_at = [&](std::size_t i) {
      std::vector<ValueAt> out;
      if (t.var.slot < 0) return out;
      const std::vector<Value> values = keys_of(items[i], t.var.slot, key_exprs);
      for (std::size_t k = 0; k < values.size(); ++k) out.push_back({key_exprs[k], values[k]});
      return out;
    };
    {
      ListStep& s = scope().steps[static_cast<std::size_t>(step)];
      s.wanted = n;
      s.before_ties = before_ties;
      s.taken = taken;
    }
    if (before_ties > 0) {
      auto last = keys_at(before_ties - 1);
      scope().steps[static_cast<std::size_t>(step)].last_keys = std::move(last);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ItemFate fate = i < before_ties ? ItemFate::taken : i < taken ? ItemFate::tied : ItemFate::cut;
      record(items[i],
             ItemEvent{fate, step, i + 1, fate == ItemFate::taken ? std::vector<ValueAt>{} : keys_at(i)});
    }
  }

  Value eval_node(const Expr&, const ast::Quantified& q) {
    const Value source = eval(*q.source);
    std::int64_t count = 0;
    const auto& items = source.as_list().items;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Value& item = items[i];
      slot(q.var.slot) = item;
      bool holds = false;
      try {
        holds = eval(*q.condition).as_bool();
      } catch (EvalError& error) {
        error.trace.push_back(item_note(q.var, *q.source, items, i));
        throw;
      }
      switch (q.kind) {
        case ast::Quantifier::exists:
          if (holds) return Value(true);
          break;
        case ast::Quantifier::every:
          if (!holds) return Value(false);
          break;
        case ast::Quantifier::first:
          if (holds) return item;
          break;
        case ast::Quantifier::count:
          count += holds ? 1 : 0;
          break;
      }
    }
    switch (q.kind) {
      case ast::Quantifier::exists:
        return Value(false);
      case ast::Quantifier::every:
        return Value(true);
      case ast::Quantifier::first:
        return Value(None{});
      default:
        return Value(count);
    }
  }

  Value eval_node(const Expr&, const ast::EmptyMap&) { return make_map({}); }

  // The checker made the table of branches by member, so choosing is one index.
  Value eval_node(const Expr&, const ast::Choose& c) {
    const auto member = std::get<EnumValue>(eval(*c.subject).data).index;
    const auto branch = c.branch_of_member.at(static_cast<std::size_t>(member));
    return eval(*c.branches.at(static_cast<std::size_t>(branch)).value);
  }

 public:
  /// The day holiday `holiday` of calendar `decl` falls on in `year`, for checking every holiday in advance.
  Date holiday_date(std::int32_t decl, std::size_t holiday, int year) {
    const ast::Calendar& cal = *program_.calendars[static_cast<std::size_t>(decl)];
    const std::size_t base = push_frame(cal.frame_size);
    base_ = base;
    slot(cal.year_slot) = Value(static_cast<std::int64_t>(year));
    const Date day = eval(*cal.holidays.at(holiday).date).as_date();
    stack_.resize(base);
    base_ = 0;
    return day;
  }

  Value eval_node(const Expr&, const ast::RecordLiteral& r) {
    const ast::Record& record = *program_.records[static_cast<std::size_t>(r.decl)];
    std::vector<Value> fields(record.fields.size());
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
      const auto init = r.field_order[i];
      if (init >= 0) {
        fields[i] = eval(*r.fields[static_cast<std::size_t>(init)].value);
      } else if (record.fields[i].default_value) {
        fields[i] = *constant_value(*record.fields[i].default_value);
      }
    }
    return make_record(r.decl, std::move(fields));
  }
};

}  // namespace

std::variant<Value, Diagnostic> parameter_value(const Program& program, std::int32_t parameter, Date as_of) {
  const ast::Parameter& p = *program.parameters[static_cast<std::size_t>(parameter)];
  const ast::DatedValue* in_force = nullptr;
  for (const auto& v : p.values) {
    if (!v.from || *v.from <= as_of) in_force = &v;
  }
  if (!in_force) {
    return error_at(p.span,
                    fmt::format("no value of {} is in force on {}", p.name, stdlib::format_date(as_of)));
  }
  return *constant_value(*in_force->value);
}

Diagnostics check_holidays(const Program& program, int first_year, int last_year) {
  Diagnostics errors;
  const EvalOptions options;
  for (std::size_t c = 0; c < program.calendars.size(); ++c) {
    const ast::Calendar& cal = *program.calendars[c];
    for (std::size_t h = 0; h < cal.holidays.size(); ++h) {
      const ast::Holiday& holiday = cal.holidays[h];
      int from = first_year;
      int through = last_year;
      if (holiday.effective && holiday.effective->from)
        from = std::max(from, stdlib::to_ymd(*holiday.effective->from).year);
      if (holiday.effective && holiday.effective->through)
        through = std::min(through, stdlib::to_ymd(*holiday.effective->through).year);
      for (int year = from; year <= through; ++year) {
        // One interpreter per year, judged as of its first day (for the parameters a holiday may read).
        Interpreter interpreter(program, *stdlib::make_date(year, 1, 1), options);
        try {
          interpreter.holiday_date(static_cast<std::int32_t>(c), h, year);
        } catch (const EvalError& e) {
          errors.push_back(
              error_at(holiday.span,
                       fmt::format("holiday {} has no date in {}: {}; say when it applies with 'effective "
                                   "from' and 'effective through'",
                                   holiday.name, year, e.message)));
          break;
        }
      }
    }
  }
  return errors;
}

Date today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date{static_cast<std::int32_t>(now.time_since_epoch().count())};
}

std::variant<DecisionResult, Diagnostic> evaluate_decision(const Program& program, std::int32_t decision,
                                                           std::vector<Value> inputs,
                                                           const EvalOptions& options) {
  try {
    const ast::Decision& d = *program.decisions[static_cast<std::size_t>(decision)];
    std::vector<bool> wanted(d.definitions.size(), options.outputs.empty());
    for (const auto& name : options.outputs) {
      const auto it = std::find_if(d.definitions.begin(), d.definitions.end(),
                                   [&](const auto& def) { return def.is_output && def.name == name; });
      if (it == d.definitions.end()) {
        return error_at(d.span, fmt::format("decision {} has no output {}", d.name, name));
      }
      wanted[static_cast<std::size_t>(it - d.definitions.begin())] = true;
    }
    Interpreter interpreter(program, today(), options);
    return interpreter.run_decision(decision, std::move(inputs), wanted);
  } catch (const EvalError& e) {
    if (e.invalid_data) {
      Diagnostic d{std::nullopt, {}, e.message};
      d.data_path = e.data_path;
      return d;
    }
    Diagnostic d = error_at(e.span, e.message);
    d.notes = e.trace;
    return d;
  } catch (const std::exception& e) {
    // Outside any expression (reading the results out): no position to give, but still no crash.
    return Diagnostic{std::nullopt,
                      {},
                      fmt::format("internal error: {}; please report this with the rules "
                                  "and the case",
                                  e.what())};
  }
}

}  // namespace merit
