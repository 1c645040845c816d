#pragma once
// Stage 3: the interpreter. Evaluates checked decisions by following the indexes the checker resolved.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "interpreter/budget.hpp"
#include "interpreter/diagnostic.hpp"
#include "interpreter/program.hpp"

namespace merit {

/// A definition's value and the rule that gave it, whose citation travels with the value.
struct Outcome {
  Value value;
  std::int32_t rule = -1;  // index into the decision's rules
};

/// What a run may change without editing the rules: the date the rules are judged as of, and parameter
/// values set on the command line (`--set`), by parameter index.
struct EvalOptions {
  std::optional<Date> as_of;
  std::vector<std::optional<Value>> parameter_overrides;
  /// The outputs to evaluate, by name; empty: every output and every let. Lets are evaluated only as far
  /// as the wanted outputs need them, so an output nobody asked for (an explanation) costs nothing.
  std::vector<std::string> outputs;
  /// Record how each definition of the decision got its value (`--explain`).
  bool explain = false;
  /// How much the evaluation may do (--max-steps, --max-memory).
  EvaluationLimits limits = evaluation_limits();
};

/// How a rule of the evaluated decision fared, for `--explain`.
enum class RuleState : std::uint8_t {
  not_reached,    // never tried: its definition was not needed, or an exception above it applied first
  applied,        // its condition held (or it has none): it gave its definition a value
  did_not_apply,  // its condition was false
  not_in_force,   // its effective dates do not cover the date the rules were judged as of
};

/// A parameter read during the evaluation, with the value in force on the date it was read for.
struct ParameterUse {
  std::int32_t parameter = -1;
  Date as_of;
  Value value;
  bool overridden = false;  // set with --set
};

/// A pair of an expression of the rules and the value it had, for saying what decided something.
struct ValueAt {
  const ast::Expr* expr = nullptr;
  Value value;
};

/// A list operation of a declaration that gives its reason (a let or function with `because`): the
/// `where` of a comprehension, a `sort` or a `take`. Items of records that it left out, placed or took are
/// recorded against it (ItemEvent).
struct ListStep {
  const ast::Expr* operation = nullptr;  // the comprehension, sort or take
  SourceSpan declaration;                // the let or function it belongs to
  std::string name;                      // that let's or function's name
  std::string cite;                      // its section
  std::string because;                   // its `because`, evaluated
  std::int32_t rule = -1;                // for a let: its rule, whose `because` is read when the scope ends
  std::size_t left_out = 0;              // a `where`: how many items it left out, records or not
  // A take: how many it was asked for, how many it took before ties, how many in all, and the tie keys
  // of the last item taken before ties.
  std::int64_t wanted = 0;
  std::size_t before_ties = 0;
  std::size_t taken = 0;
  std::vector<ValueAt> last_keys;
};

/// What one step did to one item.
enum class ItemFate : std::uint8_t {
  left_out,  // a `where` held false for it
  placed,    // a `sort` put it at `place`
  taken,     // a `take` took it at `place`, within the count
  tied,      // a `take` took it at `place`, tied with the last item within the count
  cut,       // a `take` stopped before it
};

struct ItemEvent {
  ItemFate fate = ItemFate::left_out;
  std::int32_t step = -1;       // index into Scope::steps
  std::size_t place = 0;        // 1-based
  std::vector<ValueAt> values;  // left out: the parts of the condition; tied or cut: its tie keys
};

/// One evaluation of a decision (the one asked for, or one called from the rules), with what --explain
/// shows of it: how its rules fared, the `because` of each rule that applied, and what became of each
/// record that went through a list step of its declarations.
struct Scope {
  std::int32_t decision = -1;
  Date as_of;
  std::vector<Value> inputs;
  std::vector<Value> outputs;             // by definition index; none where not evaluated
  std::vector<RuleState> rules;           // by rule index of the decision
  std::vector<std::string> explanations;  // by rule index: the `because` of a rule that applied, or ""
  std::vector<ListStep> steps;
  std::unordered_map<const void*, std::vector<ItemEvent>> items;  // by the record's identity
};

/// What `--explain` shows: how every rule of the evaluated decision fared, and every parameter read (in
/// the decision or in anything it called), once per parameter and date, in the order first read; and
/// every decision evaluated, the one asked for first.
struct Trace {
  std::vector<RuleState> rules;  // by rule index of the decision
  std::vector<ParameterUse> parameters;
  std::vector<Scope> scopes;
};

/// The value of every definition of a decision (outputs and lets), by definition index, and the date the
/// rules were judged as of. A definition that was not evaluated (not wanted, see EvalOptions::outputs) has
/// rule -1 and no value.
struct DecisionResult {
  std::vector<Outcome> definitions;
  std::vector<std::string> explanations;  // by definition: the `because` of the rule that gave it, or ""
  Date as_of;
  std::vector<Date> judged_as_of;  // every date a decision was judged as of, this one's and those it called
  Trace trace;                     // only with EvalOptions::explain
};

/// Evaluates decision `decision` of a checked program for one value per input (none for a missing
/// optional input). Errors (a conflict between rules, no rule applying, a date that does not exist) come
/// back as a Diagnostic at the rule or expression that raised them.
std::variant<DecisionResult, Diagnostic> evaluate_decision(const Program& program, std::int32_t decision,
                                                           std::vector<Value> inputs,
                                                           const EvalOptions& options);

/// The value of a parameter in force on a date (the last of its dated values that took effect by then).
std::variant<Value, Diagnostic> parameter_value(const Program& program, std::int32_t parameter, Date as_of);

/// Works out every holiday of every calendar for each year from `first_year` through `last_year` (within
/// the holiday's effective dates) and reports, at the holiday, the first year it has no date in.
Diagnostics check_holidays(const Program& program, int first_year = 1900, int last_year = 2200);

/// Today's date by the system clock, for a run given no date.
Date today();

}  // namespace merit
