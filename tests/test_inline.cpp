// interpreter/inline.cpp: after checking, a call of a small function carries the function's body with the
// arguments in place of its parameters; a call of a function with a list form does not.
#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "interpreter/program.hpp"
#include "tests/run.hpp"
#include "tests/scratch.hpp"

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

TEST_CASE("inline: an argument the body does not use is still evaluated, as for a call") {
  // former(a, b) is inlined and reads only a; `broken` overflows. As a call, former(n, broken) evaluates
  // broken and fails; the inlined call must fail the same way, and must not answer n.
  const merit::testing::Scratch s("merit-inline");
  // Only y of inner is asked for, so nothing but the argument needs broken.
  s.write("rules/r.merit",
          "function former(a: integer, b: integer): integer = a\n"
          "decision inner \u00a7 1 {\n"
          "  input n: integer\n"
          "  let broken: integer \u00a7 1 = n * 9223372036854775807\n"
          "  output y: integer \u00a7 1 = former(n, broken)\n"
          "}\n"
          "decision d \u00a7 2 {\n"
          "  input n: integer\n"
          "  output z: integer \u00a7 2 = inner(n = n).y\n"
          "}\n");
  const std::string input = s.write("in.json", R"({"n": 2})");
  const auto r = merit::testing::run_merit("eval d --rules '" + (s.dir / "rules").string() + "' --input '" +
                                           input + "'");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("r.merit:4:") != std::string::npos);
  CHECK(r.err.find("this number is too large") != std::string::npos);
  CHECK(r.err.find("in output y of decision inner") != std::string::npos);
  CHECK(r.err.find("in function former") == std::string::npos);
}
