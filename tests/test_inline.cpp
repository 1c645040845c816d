// interpreter/inline.cpp: after checking, a call of a small function carries the function's body with the
// arguments in place of its parameters; a call of a function with a list form does not.
#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "interpreter/program.hpp"
#include "tests/run.hpp"

namespace {

const merit::ast::Function& function_named(const merit::Program& program, const std::string& name) {
  for (const auto* f : program.functions) {
    if (f->name == name) return *f;
  }
  FAIL("no function " << name);
  return *program.functions.front();
}

}  // namespace

TEST_CASE("inline: share(e) is expanded in place, shares(entrants) stays a call") {
  merit::Program program;
  REQUIRE(merit::load_program(program, {merit::testing::source_dir() + "/tests/rules/language/trace.merit"})
              .empty());
  // shares: [share(e) for e in es]. share's body, e.score / e.weight, takes the place of the call.
  const auto& list = std::get<merit::ast::Comprehension>(function_named(program, "shares").body->node);
  const auto& call = std::get<merit::ast::Call>(list.element->node);
  REQUIRE(call.inlined);
  const auto& body = std::get<merit::ast::Binary>(call.inlined->node);
  CHECK(body.op == merit::ast::BinaryOp::divide);
  // e.score, with the e of the comprehension (a local of shares), not the parameter of share.
  const auto& score = std::get<merit::ast::FieldAccess>(body.lhs->node);
  CHECK(score.field == "score");
  const auto& e = std::get<merit::ast::Name>(score.object->node);
  CHECK(e.ref.index == list.var.slot);
  // sum(shares(entrants)): shares goes through a list, so it is called.
  const merit::ast::Decision& traced =
      *program.decisions[static_cast<std::size_t>(program.find_decision("traced"))];
  const auto& product = std::get<merit::ast::Binary>(traced.rules.front().value->node);
  const auto& sum = std::get<merit::ast::Call>(product.lhs->node);
  const auto& shares = std::get<merit::ast::Call>(sum.args.front().value->node);
  CHECK(shares.callee == "shares");
  CHECK_FALSE(shares.inlined);
}
