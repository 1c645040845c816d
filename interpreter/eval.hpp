#pragma once
// Stage 3: the interpreter. Evaluates checked decisions by following the indexes the checker resolved.
#include <optional>
#include <string>
#include <variant>
#include <vector>

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
};

/// The value of every definition of a decision (outputs and lets), by definition index, and the date the
/// rules were judged as of.
struct DecisionResult {
  std::vector<Outcome> definitions;
  std::vector<std::string> explanations;  // by definition: the `because` of the rule that gave it, or ""
  Date as_of;
};

/// Evaluates decision `decision` of a checked program for one value per input (none for a missing
/// optional input). Errors (a conflict between rules, no rule applying, a date that does not exist) come
/// back as a Diagnostic at the rule or expression that raised them.
std::variant<DecisionResult, Diagnostic> evaluate_decision(const Program& program, std::int32_t decision,
                                                           std::vector<Value> inputs,
                                                           const EvalOptions& options);

/// The value of a parameter in force on a date (the last of its dated values that took effect by then).
std::variant<Value, Diagnostic> parameter_value(const Program& program, std::int32_t parameter, Date as_of);

/// Today's date by the system clock, for a run given no date.
Date today();

}  // namespace merit
