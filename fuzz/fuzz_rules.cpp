// fuzz_rules: the input is a rule file. It is parsed and checked as `merit check` checks it (one rule set
// of one file, from memory); when it checks clean and declares a decision, the first decision is answered
// for inputs made up from their declared types, as `merit eval DECISION --input FILE --format json` would
// answer them, without kernels, with them and with --explain. Before that, it is laid out as `merit fmt`
// lays it out, which must keep its words and lay out its own layout unchanged.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz/harness.hpp"
#include "grammar/format.hpp"

namespace merit::fuzz {
namespace {

/// A value of `type` as a case file writes it; `n` makes each value differ from the one before, so that a
/// list's two items can be sorted, compared and tied. Past a few levels of records and lists, none.
nlohmann::json made_up(const Program& program, const TypeRef& type, int depth, int& n) {
  if (!type || depth > 4) return nullptr;
  const int k = n++;
  switch (type->kind) {
    case TypeKind::boolean:
      return k % 2 == 0;
    case TypeKind::integer:
      return k;
    case TypeKind::decimal:
      return k + 0.5;
    case TypeKind::text:
      return fmt::format("t{}", k);
    case TypeKind::date:
      return fmt::format("2026-{:02}-{:02}", 1 + k % 12, 1 + k % 28);
    case TypeKind::duration:
      return fmt::format("{} {}", 1 + k % 30, k % 3 == 0 ? "months" : "days");
    case TypeKind::enumeration: {
      const auto& members = program.enums[static_cast<std::size_t>(type->decl)]->members;
      return members.empty() ? nlohmann::json(nullptr)
                             : nlohmann::json(members[static_cast<std::size_t>(k) % members.size()].name);
    }
    case TypeKind::record: {
      nlohmann::json record = nlohmann::json::object();
      for (const auto& field : program.records[static_cast<std::size_t>(type->decl)]->fields)
        record[field.name] = made_up(program, field.resolved, depth + 1, n);
      return record;
    }
    case TypeKind::list:
      return {made_up(program, type->element, depth + 1, n), made_up(program, type->element, depth + 1, n)};
    case TypeKind::map:
      return {{fmt::format("k{}", k), made_up(program, type->element, depth + 1, n)}};
    case TypeKind::optional:
      return made_up(program, type->element, depth, n);
    case TypeKind::calendar:
      return program.calendars.empty() ? nlohmann::json(nullptr) : nlohmann::json(program.calendars[0]->name);
    case TypeKind::none:
    case TypeKind::error:
      return nullptr;
  }
  return nullptr;
}

}  // namespace
}  // namespace merit::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace merit;
  // merit fmt keeps every word of what it lays out, and its layout is its own fixed point.
  const std::string_view text = fuzz::as_text(data, size);
  const std::optional<std::string> laid = format_rules(text);
  if (!laid || format_rules(*laid) != laid) {
    fmt::print(stderr, "merit fmt {}\n",
               laid ? "laid out its own layout anew" : "would change the file's words");
    std::abort();
  }
  cli::RuleSet rules;
  rules.dir = "fuzz";
  Program& program = rules.program;
  std::vector<SourceFile> files;
  files.push_back({"fuzz/input.merit", std::string(fuzz::as_text(data, size))});
  Diagnostics errors = load_program_texts(program, std::move(files), 1);
  // What `merit check` adds: the decision `merit certify` answers has the shape the command prints.
  if (const auto index = program.find_decision(cli::certify_decision); errors.empty() && index >= 0) {
    std::string problem;
    if (cli::certify_output(program, problem) < 0)
      errors.push_back(error_at(program.decisions[static_cast<std::size_t>(index)]->span, problem));
  }
  render_all(program.warnings, program.sources);  // as `merit check` prints them
  render_all(errors, program.sources);
  if (!errors.empty() || program.decisions.empty()) return 0;

  const ast::Decision& decision = *program.decisions.front();
  nlohmann::json inputs = nlohmann::json::object();
  int n = 0;
  for (const auto& input : decision.inputs) {
    if (!input.default_value) inputs[input.name] = fuzz::made_up(program, input.resolved, 0, n);
  }
  cli::CaseFile c;
  c.path = "fuzz/input.json";
  c.decision = decision.name;
  if (!c.json.parse(inputs.dump(), c.path, errors)) return 0;
  fuzz::answer_every_way(rules, c, fuzz::RunOptions{});
  return 0;
}
