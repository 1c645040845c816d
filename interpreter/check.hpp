#pragma once
// Stage 2: the checker. Resolves every name, field and call in the parsed modules, infers and checks types,
// and finds cycles, so that evaluation follows indexes and cannot fail on a misspelling.
#include <optional>

#include "interpreter/program.hpp"

namespace merit {

/// Checks the modules already parsed into `program`, fills its declaration tables and every Ref, slot and
/// type in the AST, and returns every error found (empty when the rules are sound).
Diagnostics check_program(Program& program);

/// Checks one expression against an expected type in the global scope (parameters, enums, calendars,
/// functions), as for `--set NAME=VALUE`.
Diagnostics check_global_expression(Program& program, ast::Expr& expr, const TypeRef& expected);

/// The value of a constant expression (a literal, an enum member, a negated number or a list of
/// constants), as record field defaults and input defaults are written; nullopt for anything else.
std::optional<Value> constant_value(const ast::Expr& expr);

/// Whether a value is (or, for a list, holds) a length in working days, which only a calendar can count.
bool has_working_days_value(const Value& value);

}  // namespace merit
