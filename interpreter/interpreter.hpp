#pragma once
// The interpreter's state, shared by the files that define its parts: eval.cpp (decisions, rules, names
// and calls), eval_operators.cpp (arithmetic and comparisons), eval_lists.cpp (comprehensions, take,
// quantifiers, choose), eval_sort.cpp (sort), eval_kernel.cpp and eval_kernel_run.cpp (a condition or key
// specialised for a pass over a long list), eval_deferred.cpp (a filter passed to a function, finished when
// read), eval_calendars.cpp (working days) and eval_explain.cpp (what --explain records). Only those files
// include it.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <set>
#include <span>

#include "interpreter/ast_walk.hpp"
#include "interpreter/budget.hpp"
#include "interpreter/check.hpp"
#include "interpreter/data.hpp"
#include "interpreter/eval.hpp"
#include "interpreter/kernel.hpp"
#include "interpreter/stack.hpp"
#include "stdlib/builtins.hpp"

namespace merit::interpret {

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

/// The date itself, or an error at `span` when it falls outside the years 1 to 9999.
Date date_in_range(Date d, const SourceSpan& span);

// Integer arithmetic that reports overflow as an error in the rules rather than wrapping around.
enum class IntOp : std::uint8_t { add, subtract, multiply };
std::int64_t checked(IntOp op, std::int64_t a, std::int64_t b, const SourceSpan& span);

using ast::for_each_child;

/// Whether `e` reads the local in `slot`.
bool mentions(const Expr& e, std::int32_t slot);

struct KScope;
struct KeyColumn;

/// What a filter has kept so far: where the list it goes through has a base of records, the rows of the items
/// (the filter gives a view), else the items.
struct Kept {
  std::vector<std::uint32_t> rows;
  std::vector<Value> items;
};

/// A function's argument `[c for c in xs where condition]` whose filtering is finished when the function
/// first reads it, and not at all when it never does (the register filtered for affirmative action, for a
/// requisition without it). Only an argument whose remaining items cannot raise an error is deferred
/// (Interpreter::defer_argument), so deferring it changes nothing but the time taken.
struct Deferred {
  const ast::Comprehension* comprehension = nullptr;
  Value source;
  Kernel kernel;
  std::size_t next = 0;  // the first item not yet filtered
  Kept kept;             // the items kept so far
  std::size_t base = 0;  // the frame the argument is evaluated in: the caller's
  DecisionFrame* decision = nullptr;
};

/// A local (a function's parameter, a list form's item, a calendar's year): a value of its own, or one stored
/// elsewhere that outlives the local (an item of the list being gone through, an input, the caller's
/// value). Binding each candidate of a register in turn, or passing it to a function, then copies nothing
/// and touches no reference count.
struct Slot {
  Value own;
  const Value* at = nullptr;           // where the value is, when it is not `own`
  std::unique_ptr<Deferred> deferred;  // see Deferred; read through Interpreter::local

  const Value& get() const { return at != nullptr ? *at : own; }
  void bind(const Value& v) {
    at = &v;
    deferred.reset();
  }
  void hold(Value v) {
    own = std::move(v);
    at = nullptr;
    deferred.reset();
  }
};

/// Evaluates the decisions of one program for one run: `evaluate_decision` makes one per call.
class Interpreter final : public stdlib::BuiltinContext {
 public:
  Interpreter(const Program& program, Date as_of, const EvalOptions& options)
      : program_(program),
        forced_as_of_(options.as_of),
        as_of_(as_of),
        overrides_(options.parameter_overrides),
        explain_(options.explain),
        budget_(options.limits) {
    // The stack never grows past its first allocation, so references into it stay valid while an
    // expression is evaluated (see `ref`); untouched pages of it cost nothing. The thread's last stack is
    // taken over when there is one: under ASan, freeing 32 MB for each evaluation took most of the time.
    if (!spare_stacks_.empty()) {
      stack_ = std::move(spare_stacks_.back());
      spare_stacks_.pop_back();
    } else {
      stack_.reserve(stack_capacity);
    }
    calendars_.resize(program.calendars.size());
  }
  ~Interpreter() override {
    stack_.clear();
    // Interpreters nest only to work out holidays, so a thread keeps two stacks at most.
    if (spare_stacks_.size() < 2 && stack_.capacity() == stack_capacity) {
      spare_stacks_.push_back(std::move(stack_));
    }
  }
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

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
      note_judged(frame);
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
    // A decision with no date of its own that called none with one was judged as of the run's date.
    if (judged_.empty()) judged_.push_back(result.as_of);
    result.judged_as_of = std::move(judged_);
    return result;
  }

  /// The day parameters are read as of, for working out holidays year by year in one interpreter.
  void set_as_of(Date day) { as_of_ = day; }

  std::string display(const Value& value) override { return format_value(value, nullptr, program_); }

  const stdlib::WorkingCalendar& calendar(std::int32_t decl) override;

 private:
  const Program& program_;
  std::optional<Date> forced_as_of_;  // --as-of: every decision is judged on this date
  Date as_of_;                        // the date of the decision being evaluated
  std::vector<Date> judged_;          // the distinct dates decisions were judged as of, for provenance
  // Only a date of the decision's own (or --as-of): one inherited from its caller is noted there already.
  void note_judged(const DecisionFrame& frame) {
    if (!forced_as_of_ && !frame.decl->as_of) return;
    const Date day = frame.as_of;
    if (std::none_of(judged_.begin(), judged_.end(), [&](Date d) { return d.days == day.days; }))
      judged_.push_back(day);
  }
  const std::vector<std::optional<Value>>& overrides_;
  bool explain_;
  Budget budget_;                        // installed for this thread while the interpreter lives
  Trace trace_;                          // with explain_: how the root decision's rules fared
  const DecisionFrame* root_ = nullptr;  // the decision asked for, whose rules the trace follows
  std::vector<Slot> stack_;
  static inline thread_local std::vector<std::vector<Slot>> spare_stacks_;
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

  std::size_t push_frame(std::int32_t size);

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

  Slot& slot(std::int32_t index) { return stack_[base_ + static_cast<std::size_t>(index)]; }

  /// The value of a local, a deferred argument's filtering finished first.
  const Value& local(std::int32_t index) {
    Slot& s = slot(index);
    if (s.deferred) [[unlikely]]
      finish_deferred(s);
    return s.get();
  }

  /// Puts argument `e` of a call into `param` as a Deferred where that changes nothing but the time
  /// taken; false where it must be evaluated now. Called in the caller's frame.
  bool defer_argument(const Expr& e, Slot& param);

  void finish_deferred(Slot& s);

  DecisionFrame enter_decision(std::int32_t index, std::vector<Value> inputs);

  /// The date a decision is judged as of: --as-of, else its `as of` date (over its inputs alone), else the
  /// caller's date (or today). Called first in the decision's frame.
  void judge_as_of(DecisionFrame& frame);

  void check_requirements();

  template <typename Path>
  void check_requirement(const ast::Requirement& r, Path path) {
    if (test(*r.condition)) return;
    EvalError error{r.span, fmt::format("{} (§ {})", eval(*r.message).as_text(), r.cite.text), true};
    error.data_path = path();
    throw error;
  }

  /// Where item `i` of a requirement's `for` sits in the inputs, when its list is an input or a field of
  /// one: `requisitions[2]`, and `.vacancies` after it when the condition reads one field of the item.
  /// Empty when the list was computed.
  static std::string item_path(const ast::Requirement& r, std::size_t i);

  static std::string input_path(const Expr& e);

  static void fields_read(const Expr& e, std::int32_t slot, std::set<std::string>& out);

  // ---------------------------------------------------------------------------------------------------------
  // Parameters and calendars.

  const Value& parameter(std::int32_t index);

  stdlib::WorkingCalendar make_calendar(std::int32_t decl);

  const std::vector<Date>& holidays_of(std::int32_t decl, int year);

  // ---------------------------------------------------------------------------------------------------------
  // Definitions: default logic. Exceptions are tried before the rules they override; two applicable rules
  // at one level that give different values are a conflict; no applicable rule is an error.

  std::string place(const SourceSpan& span) const {
    return fmt::format("{}:{}", program_.sources.files.at(span.file).path, span.line);
  }

  std::string rule_place(const ast::Rule& rule) const;

  std::string show(const Value& v, const TypeRef& type) const { return format_value(v, type, program_); }

  /// A definition's outcome, worked out the first time it is asked for.
  const Outcome& definition(std::int32_t index) {
    const auto& memo = decision_->definitions[static_cast<std::size_t>(index)];
    if (memo) [[likely]]
      return *memo;
    return work_out(index);
  }

  /// Before going deeper into definitions and calls: `steps` charged (interpreter/weigh.cpp), and an error at
  /// `span` where the stack is nearly full.
  void enter_deeper(const SourceSpan& span, std::string_view what, std::uint64_t steps = 1) {
    charge_steps(steps);
    if (stack_nearly_full()) [[unlikely]] {
      throw EvalError{span, fmt::format("{} is reached through too long a chain of lets and calls, each "
                                        "needing the next, to evaluate",
                                        what)};
    }
  }

  const Outcome& work_out(std::int32_t index);

  bool any_dated(const std::vector<std::int32_t>& rules) const;

  std::optional<Outcome> first_applicable(const std::vector<std::int32_t>& rules, const ast::Definition& def);

  std::optional<Outcome> apply_rule(std::int32_t index, const ast::Definition& def);

  void note_rule(std::int32_t index, RuleState state);

  // ---------------------------------------------------------------------------------------------------------
  // Recording for --explain. Nothing here runs without it.

  Scope& scope() { return trace_.scopes[scope_stack_.back()]; }

  void open_scope(std::int32_t decision, const DecisionFrame& frame);

  // Called in the decision's frame: the `because` of the rules that applied, and of the lets whose list
  // steps were recorded, are read here, once.
  void close_scope(const DecisionFrame& frame);

  /// The step a list operation of the declaration being evaluated records into, or -1 when that
  /// declaration gives no reason (its list operations are means, not reasons).
  std::int32_t open_step(const Expr& operation);

  void record(const Value& item, ItemEvent event);

  /// The values a reader needs to see why `condition` held or not for the item in `slot`: the parts of
  /// the condition, down through `and`, `or` and `not`, that depend on the item.
  static void deciding_parts(const Expr& condition, std::int32_t slot, std::vector<const Expr*>& out);

  std::vector<ValueAt> values_of(const std::vector<const Expr*>& parts);

  // ---------------------------------------------------------------------------------------------------------
  // Expressions.

  // A C++ library exception here is a broken invariant of the checker or the interpreter, not a fault in
  // the rules; it becomes an error at the innermost expression being evaluated, so it can be reported.
  Value eval(const Expr& e);

  Value eval_node(const Expr&, const ast::Literal& lit) { return lit.value; }

  Value eval_node(const Expr&, const ast::ListLiteral& list);

  Value eval_node(const Expr& e, const ast::Name& n);

  Value eval_node(const Expr& e, const ast::FieldAccess& access);

  // A value where it is stored (a slot, an input, a definition, a parameter, a field of one of those),
  // without copying it; anything else is evaluated into `scratch`. Reading `c.score` for every candidate
  // then costs no reference counting. Storage does not move while an expression is evaluated: the stack
  // has a fixed capacity, memo slots and parameter caches are never resized.
  const Value& ref(const Expr& e, Value& scratch);

  const Value& field_ref(const Expr& e, const ast::FieldAccess& access, Value& scratch);

  Value eval_node(const Expr& e, const ast::Call& call);

  /// The version of a function in force on the date the calling decision is judged as of.
  const ast::Function& function_in_force(const ast::Call& call);

  Value call_function(const ast::Call& call);

  std::string call_note(const ast::Function& f, const ast::Call& call) const {
    return fmt::format("in function {} at {}, called at {}", f.name, place(f.span), place(call.callee_span));
  }

  /// The body of an inlined call (ast::Call::inlined), with the trace a call's error gets.
  template <typename Body>
  auto as_call(const ast::Call& call, Body body) -> decltype(body()) {
    for (const ast::Ref& named : call.named_first) {
      if (named.kind == RefKind::definition)
        definition(named.index);
      else
        parameter(named.index);
    }
    try {
      return body();
    } catch (EvalError& error) {
      error.trace.push_back(call_note(*program_.functions[static_cast<std::size_t>(call.ref.index)], call));
      throw;
    }
  }

  Value call_decision(const ast::Call& call);

  /// The values of a decision's inputs or a record's fields, in declared order: each given one evaluated,
  /// each left out its declared default (none without one). `order` has, for each declared item, the
  /// index of the one given, or -1.
  template <typename Declared, typename Given>
  std::vector<Value> in_declared_order(const std::vector<Declared>& declared,
                                       const std::vector<std::int32_t>& order,
                                       const std::vector<Given>& given) {
    std::vector<Value> values(declared.size());
    for (std::size_t i = 0; i < declared.size(); ++i) {
      if (order[i] >= 0) {
        values[i] = eval(*given[static_cast<std::size_t>(order[i])].value);
      } else if (declared[i].default_value) {
        values[i] = *constant_value(*declared[i].default_value);
      }
    }
    return values;
  }

  Value call_builtin(const Expr& e, const ast::Call& call);

  Value eval_node(const Expr& e, const ast::Unary& u);

  Value eval_node(const Expr& e, const ast::Binary& b);

  bool test(const Expr& e);

  bool member_of(const ast::Binary& b);

  std::weak_ordering ordered(const Expr& e, const Value& a, const Value& b);

  Value add_duration(const Expr& e, Date d, Duration dur, std::int64_t sign);

  Value arithmetic(const Expr& e, ast::BinaryOp op, const Value& lhs, const Value& rhs);

  Value duration_arithmetic(const Expr& e, ast::BinaryOp op, const Value& lhs, const Value& rhs);

  Value eval_node(const Expr&, const ast::Conditional& c) {
    return test(*c.condition) ? eval(*c.then_branch) : eval(*c.else_branch);
  }

  // The list a binder goes through is held as its own value, so rebinding the slot cannot free it.
  Value eval_node(const Expr& e, const ast::Comprehension& c);

  /// `c = register.candidates item 4 (id "C05")`: which item of a list was being evaluated when an error
  /// happened; a record's text field `id`, when it has one, names the item better than its position.
  std::string item_note(const ast::Binder& var, const Expr& source, const ListValue& items,
                        std::size_t index) const;

  std::vector<Value> keys_of(const Value& item, std::int32_t var, const std::vector<const Expr*>& keys);

  Value eval_node(const Expr& e, const ast::Sort& s);

  Value eval_node(const Expr& e, const ast::Take& t);

  void record_take(const Expr& e, const ast::Take& t, std::int64_t n, const ListValue& items,
                   std::size_t before_ties, std::size_t taken, const std::vector<const Expr*>& key_exprs);

  Value eval_node(const Expr&, const ast::Quantified& q);

  Value eval_node(const Expr&, const ast::EmptyMap&) { return make_map({}); }

  // The checker made the table of branches by member, so choosing is one index.
  Value eval_node(const Expr&, const ast::Choose& c);

  // ---------------------------------------------------------------------------------------------------------
  // Kernels (eval_kernel.cpp): a condition or key specialised for one pass over a long list, without
  // --explain.

  /// Lists shorter than this are gone through by the interpreter alone: making a kernel costs more than it
  /// saves. MERIT_KERNELS=always or never (for testing that both give the same) overrides it.
  std::size_t kernel_min_items_ = kernel_threshold();
  static std::size_t kernel_threshold();

  /// Makes `e`, read for each item bound to `item_slot`, into `k`; false where a kernel cannot do it.
  bool specialise(Kernel& k, const Expr& e, std::int32_t item_slot);

  /// The value of node `n` of a kernel, for the item in its local 0, by the function picked for it
  /// (kernel_fn); run_node works out the rarer ops (eval_kernel_run.cpp).
  KVal run_kernel(Kernel& k, std::int32_t n) {
    const KNode& x = k.nodes[static_cast<std::size_t>(n)];
    return x.fn(*this, k, x);
  }
  KVal run_node(Kernel& k, const KNode& x);
  friend struct KernelOps;

  /// Starts a pass of `k` over `list`: where the list's base is of records, the fields the kernel reads that
  /// an earlier pass read too are read from its columns.
  static void begin_pass(Kernel& k, const ListValue& list) {
    k.rows_of = list.base().of_records() ? &list.base() : nullptr;
    k.columns.clear();
    if (k.rows_of) k.rows_of->columns_for(k.item_fields, k.columns);
  }

  /// Starts a pass of condition `k` over `list`, with what the condition held before for the rows of its
  /// base where that is all it depends on.
  void begin_tests(Kernel& k, const ListValue& list) {
    std::string key;
    if (!list.base().of_records() || !write_pass(k, key)) key.clear();
    begin_tests(k, list, key);
  }
  /// begin_tests, with `k` written out already (write_pass), or "" where it may not be remembered.
  void begin_tests(Kernel& k, const ListValue& list, const std::string& key) {
    begin_pass(k, list);
    k.answers.reset();
    k.own_rows.clear();
    if (!k.rows_of || key.empty()) return;
    if (k.keyed_maps.empty()) {
      k.answers = k.rows_of->answers(key);
      return;
    }
    std::string shared;
    if (write_pass(k, shared, true) && mark_own_rows(k)) k.answers = k.rows_of->answers(shared);
  }
  /// Marks the rows of k.rows_of whose field is a key of one of k's keyed maps; false where a key is no text.
  static bool mark_own_rows(Kernel& k);

  /// Writes out kernel `k` and the rules it was made from, for its answers to be remembered by; false where
  /// they may not be (write_kernel).
  bool write_pass(const Kernel& k, std::string& out, bool shared = false) const {
    if (!write_kernel(k, out, shared)) return false;
    const Program* program = &program_;
    out.append(reinterpret_cast<const char*>(&program), sizeof program);
    return true;
  }

  /// Whether `condition`, made into `k`, holds for item `i` of `list`: by the kernel, or where it bails, by
  /// the interpreter with the item bound to `var`; or as it held before for the item's row.
  bool kernel_test(Kernel& k, const Expr& condition, std::int32_t var, const ListValue& list, std::size_t i) {
    std::uint8_t* known = nullptr;
    if (k.answers) {
      const std::uint32_t row = list.row(i);
      if (k.own_rows.empty() || k.own_rows[row] == 0) {
        known = &(*k.answers)[row];
        if (*known != 0) return *known == 2;
      }
    }
    k.bind_item(list, i);
    KVal held;
    try {
      held = run_kernel(k, k.root);
    } catch (const KernelBail&) {
    }
    if (held.tag != KVal::boolean) {
      slot(var).bind(list.at(i));
      held = KVal::of(test(condition));
    }
    if (known) *known = held.b ? 2 : 1;
    return held.b;
  }

  /// Whether a comprehension keeps the items themselves (`[c for c in xs where ...]`).
  static bool keeps_items(const ast::Comprehension& c) {
    const auto* element = std::get_if<ast::Name>(&c.element->node);
    return element && element->ref.kind == RefKind::local && element->ref.index == c.var.slot;
  }
  KVal run_lazy(Kernel& k, const KNode& x);
  std::optional<KVal> get_by_row(Kernel& k, const KNode& x, const Value* map);
  std::optional<const Value*> find_by_row(Kernel& k, std::int32_t extra, const KNode& source,
                                          const KNode& key, const Value* map);
  static void build_row_map(Kernel& k, KRowMap& rows, const Value* map, std::int32_t slot);
  KVal run_quantifier(Kernel& k, const KNode& x);
  KVal run_call(Kernel& k, const KNode& x);

  std::int32_t compile(Kernel& k, const Expr& e, KScope& s);
  std::int32_t compile_call(Kernel& k, const ast::Call& call, KScope& s);
  std::int32_t invariant(Kernel& k, const Expr& e);
  std::int32_t folded(Kernel& k, KNode node);
  bool settled(const Expr& e) const;

  /// The keys of a sort worked out by kernels into columns; false where the interpreter must work them out.
  bool kernel_keys(const ast::Sort& s, const ListValue& items, std::vector<Kernel>& kernels,
                   std::vector<KeyColumn>& columns);

  /// `[c for c in items where condition]` with a kernel for the condition.
  Value filter(const ast::Comprehension& c, const Value& source, Kernel& k, std::size_t from = 0,
               Kept kept = {});

 public:
  /// The day holiday `holiday` of calendar `decl` falls on in `year`, for checking every holiday in advance.
  Date holiday_date(std::int32_t decl, std::size_t holiday, int year);

  Value eval_node(const Expr&, const ast::RecordLiteral& r);
};

}  // namespace merit::interpret
