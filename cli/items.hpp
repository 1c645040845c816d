#pragma once
// `--explain` for the records a decision went through: what became of each item of an input list (each
// person on a register), from the list steps the interpreter recorded (a `where` that left it out, the
// place a `sort` or `take` gave it, a `take`'s cut), and which of the decision's rules gave a reason.
// Generic: it reads the trace and the declared types, and knows nothing of Chapter 8.
#include <string>

#include <nlohmann/json.hpp>

#include "interpreter/eval.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

/// The scope of the trace that gave `value` as one of its outputs (a record the rules made), or nullptr.
const Scope* scope_of_output(const Trace& trace, const Value& value);

/// For each item of the scope's input lists of records that went through a recorded step: whether it is
/// in `answer` (a record whose lists of records name items by `id`), and why. As a table for a person.
std::string explain_items_table(const Program& program, const Scope& scope, const Value& answer,
                                const TypeRef& answer_type);

/// The same for scripts: {"as_of", "items": [...], "applied": [...]}.
nlohmann::ordered_json explain_items_json(const Program& program, const Scope& scope, const Value& answer,
                                          const TypeRef& answer_type);

}  // namespace merit::cli
