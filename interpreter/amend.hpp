#pragma once
// Amendment files: a proposal states only what it changes over a rule set. `replace parameter ...`,
// `replace function ...`, `replace record ...` (fields added) and `replace enum ...` (members added after
// the rules' own) take the place of the rules' declaration of that name; any other declaration is added. A
// replacement dated `from DATE` (a parameter's values) or `effective from DATE` (a function) is adopted on
// that day, the rules' own declaration staying in force before it: a proposal and a dated amendment are the
// same thing.
#include "interpreter/program.hpp"

namespace merit {

/// Applies the amendment modules of `program` (ast::Module::amendment) to the others, before checking.
/// Records what each replaces in `program.amended`; every problem is an error at the amendment's line.
Diagnostics apply_amendments(Program& program);

}  // namespace merit
