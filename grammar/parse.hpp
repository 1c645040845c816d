#pragma once
// Stage 1: rule file text -> AST. The only place that knows PEGTL.
#include <cstdint>
#include <variant>

#include "interpreter/ast.hpp"
#include "interpreter/diagnostic.hpp"

namespace merit {

/// Parses one rule file of `sources` into a module, or returns the first syntax error with its position.
std::variant<ast::Module, Diagnostic> parse_module(const SourceSet& sources, std::uint32_t file);

/// Parses a whole file as one expression (for `--set NAME=VALUE`), or returns the syntax error.
std::variant<ast::ExprPtr, Diagnostic> parse_expression(const SourceSet& sources, std::uint32_t file);

/// The number of problems PEGTL's grammar analysis finds (rules that could loop without consuming
/// input); 0 for a sound grammar. For tests, so that they need not compile the grammar again.
std::size_t analyze_grammar();

}  // namespace merit
