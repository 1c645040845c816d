#pragma once
// The calls of small functions, expanded in place after checking (inline.cpp).
#include "interpreter/program.hpp"

namespace merit {

/// Gives each call of a small function the function's body with the arguments in place of its
/// parameters (ast::Call::inlined). Called once on a program that checked without errors.
void inline_small_functions(const Program& program);

}  // namespace merit
