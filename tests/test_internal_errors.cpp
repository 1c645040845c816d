// A broken invariant during evaluation (a value of another kind than the checker promised) is reported as
// an internal error at the expression being evaluated, never as a bare C++ library message or a crash.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>

#include "interpreter/eval.hpp"
#include "tests/run.hpp"
#include "tests/sanitizers.hpp"
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

TEST_CASE("eval: an error while working out a holiday names the holiday, its calendar and the year") {
  Scratch scratch("merit-holiday");
  scratch.write("rules/office.merit",
                "parameter holiday_month: integer § 1 = 1\n"
                "calendar office § 1 {\n"
                "  weekend saturday, sunday\n"
                "  holiday founders = date(year, holiday_month, 2)\n"
                "}\n"
                "decision open § 1 {\n"
                "  input day: date\n"
                "  output working: boolean § 1 = is_working_day(day, office)\n"
                "}\n");
  const std::string input = scratch.write("input.json", R"({"day": "2026-03-02"})");
  const std::string rules = (scratch.dir / "rules").string();
  const auto r = merit::testing::run_merit("eval open --rules " + rules + " --input " + input +
                                           " --set holiday_month=13");
  CHECK(r.status == 1);
  CHECK(r.err.find("office.merit:4:") != std::string::npos);
  CHECK(r.err.find("  in holiday founders of calendar office for 2026 at " + rules + "/office.merit:4\n") !=
        std::string::npos);
}

// main's last catch: a machine out of memory is named as such, with the command, and merit exits 1 (no
// `std::bad_alloc`, no abort). The address space is held to 640 MB (`ulimit -v`), of which the thread merit
// runs on reserves 512 MB for its stack, and the rule file is 300 MB (of nothing, so it takes no disk): merit
// reads a file whole, so the one allocation for it fails at once. (Many small ones, failing one by one, take
// glibc's slow way of mapping each alone: a minute.) AddressSanitizer reserves terabytes of address space
// when it starts, so the sanitizer build skips this.
TEST_CASE("cli: out of memory is reported as such, with the command that ran out" *
          doctest::skip(merit::testing::under_address_sanitizer)) {
  Scratch scratch("merit-out-of-memory");
  const std::string path = scratch.write("big.merit", "");
  std::filesystem::resize_file(path, std::uintmax_t{300} << 20);
  const auto r = merit::testing::run_shell("(ulimit -v 655360 && cd '" + merit::testing::source_dir() +
                                           "' && '" + merit::testing::env_or("MERIT_BINARY", "build/merit") +
                                           "' check '" + path + "'; echo \"exit $?\")");
  CHECK(r.out == "merit: error: out of memory while running merit check " + path + "\nexit 1\n");
}
