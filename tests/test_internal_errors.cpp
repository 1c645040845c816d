// A broken invariant during evaluation (a value of another kind than the checker promised) is reported as
// an internal error at the expression being evaluated, never as a bare C++ library message or a crash.
#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "interpreter/eval.hpp"
#include "tests/scratch.hpp"

using merit::testing::Scratch;

TEST_CASE("eval: a value of the wrong kind is an internal error with the position, not a crash") {
  Scratch scratch("merit-internal");
  const std::string path = scratch.write("broken.merit",
                                         "decision d § 1 {\n"
                                         "  input ok: boolean\n"
                                         "  output x: integer § 1 = if ok then 1 else 2\n"
                                         "}\n");
  merit::Program program;
  REQUIRE(merit::load_program(program, {path}).empty());
  // Break the checked program behind the checker's back: the condition now gives an integer.
  auto& decision = std::get<merit::ast::Decision>(program.modules.front().declarations.front());
  auto& value = *decision.rules.front().value;
  auto& conditional = std::get<merit::ast::Conditional>(value.node);
  conditional.condition->node = merit::ast::Literal{merit::Value(std::int64_t{1})};
  const auto result = merit::evaluate_decision(program, 0, {merit::Value(true)}, merit::EvalOptions{});
  REQUIRE(std::holds_alternative<merit::Diagnostic>(result));
  const auto& d = std::get<merit::Diagnostic>(result);
  REQUIRE(d.span.has_value());
  CHECK(d.span->line == 3);
  CHECK(d.span->column == 28);  // the `if` whose condition it is
  CHECK(d.message.rfind("internal error: ", 0) == 0);
  CHECK(d.message.find(path + ":3") != std::string::npos);
}
