#pragma once
// How much of this thread's stack is left. The passes over rules recurse (through definitions that use
// definitions, functions that call functions): rather than bound each by a count that is too small for
// some machines and too large for others, each asks here before it goes deeper, and stops with an error.
#include <cstddef>

namespace merit {

/// Below this much stack left, the passes stop: more than any single expression (at most 1024 levels, see
/// grammar/parse.cpp) takes to check or evaluate, even in a sanitizer build.
inline constexpr std::size_t stack_reserve = std::size_t{4} << 20;

/// Whether this thread has less than stack_reserve of its stack left below the caller.
bool stack_nearly_full();

}  // namespace merit
