// merit eval and merit certify: one case answered, as a table for a person or as JSON for scripts, with
// --explain saying how the rules got there.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/explain.hpp"
#include "cli/items.hpp"
#include "cli/provenance.hpp"
#include "cli/report.hpp"
#include "cli/run.hpp"

namespace merit::cli {
namespace {

// One line an output: name, value and section, then the rule's explanation where it gives one; a list of
// records is laid out as a table under its name.
void print_table(const Program& program, const ast::Decision& d, const DecisionResult& result) {
  fmt::print("{} (§ {}), rules as of {}\n", d.name, d.cite.text, stdlib::format_date(result.as_of));
  std::size_t width = 0;
  std::size_t value_width = 0;
  std::vector<std::string> values(d.definitions.size());
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    if (!d.definitions[i].is_output) continue;
    values[i] = format_value(result.definitions[i].value, d.definitions[i].resolved, program);
    width = std::max(width, d.definitions[i].name.size());
    if (values[i].size() <= 40) value_width = std::max(value_width, values[i].size());
  }
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (!def.is_output || result.definitions[i].rule < 0) continue;
    const auto& rule = d.rules[static_cast<std::size_t>(result.definitions[i].rule)];
    const std::string& why = result.explanations[i];
    const TypeRef type = strip_optional(def.resolved);
    const bool table = type->kind == TypeKind::list &&
                       strip_optional(type->element)->kind == TypeKind::record &&
                       !result.definitions[i].value.is_none();
    const std::string shown =
        table ? fmt::format("({} below)", result.definitions[i].value.as_list().items().size()) : values[i];
    fmt::print("  {:<{}}  {:<{}}  § {}{}\n", def.name, width, shown, value_width, rule.cite.text,
               why.empty() ? "" : ": " + why);
    if (table) fmt::print("{}", render_report(result.definitions[i].value, def.resolved, program));
  }
}

/// What eval and certify read before they evaluate: the case, then the rules and the run's options.
struct Prepared {
  CaseFile c;
  std::unique_ptr<RuleSet> rules;
  EvalOptions eval;
};

Provenance provenance_of(const Options& options, const Prepared& p, const DecisionResult& result) {
  return make_provenance(p.rules->program, p.rules->dir, options.sets, !options.as_of.empty(), result);
}

/// Loads the rules and applies --set and --as-of; on a problem prints it and gives the exit status.
std::optional<int> prepare(const Options& options, Prepared& p, StageTimer& timer) {
  Diagnostics errors;
  p.rules = load_rules(options.rules, options.amendments, errors);
  timer.done("load rules");
  if (!errors.empty()) return report(errors, p.rules->program.sources);
  Program& program = p.rules->program;
  if (program.find_decision(p.c.decision) < 0) {
    const std::string problem = unknown_decision(program, p.c.decision);
    // Named on the command line, it is a slip of the command line; named in a case file, of the data.
    if (!options.decision.empty()) return usage_error(problem);
    fmt::print(stderr, "{}: error: {}\n", p.c.path, problem);
    return exit_invalid;
  }
  if (!make_eval_options(program, options.sets, options.as_of, p.eval, errors)) {
    report(errors, program.sources);
    return exit_usage;
  }
  return std::nullopt;
}

/// The rules' decision certify: its one output, a list with one record per requisition, as JSON or a table;
/// with --explain, each record followed by why each person was or was not certified.
int answer_certify(const Options& options, Prepared& p, StageTimer& timer) {
  const Program& program = p.rules->program;
  std::string problem;
  const std::int32_t output = certify_output(program, problem);
  if (output < 0) {
    fmt::print(stderr, "merit: {}\n", problem);
    return exit_invalid;
  }
  const ast::Decision& d =
      *program.decisions[static_cast<std::size_t>(program.find_decision(certify_decision))];
  const auto& def = d.definitions[static_cast<std::size_t>(output)];
  const bool json = options.format == "json";
  Diagnostics errors;
  if (!options.register_csv.empty()) {
    const char separator = options.delimiter == "tab"  ? '\t'
                           : options.delimiter.empty() ? '\0'
                                                       : options.delimiter[0];
    if (!merge_csv_register(program, options.register_csv, separator, p.c, errors))
      return report(errors, program.sources);
    timer.done("read CSV");
  }
  EvalOptions eval = p.eval;
  eval.outputs = {def.name};
  eval.explain = options.explain;
  auto inputs = read_case_inputs(program, p.c, errors, &timer);
  if (!inputs) return report(errors, program.sources);
  p.c.json = JsonDocument();  // the register is values now: not held twice while it is certified
  keep_until_exit(inputs->values);
  const auto answer = evaluate_inputs(program, p.c, std::move(*inputs), eval, errors, &timer);
  if (!answer) return report(errors, program.sources);
  const Value& value = answer->result.definitions[static_cast<std::size_t>(output)].value;
  const TypeRef item_type = strip_optional(def.resolved)->element;
  const Provenance provenance = provenance_of(options, p, answer->result);
  const auto& items = value.as_list().items();
  if (json) {
    // Each requisition's object carries what produced it, so that one taken out of the array still says.
    const auto produced_by = provenance_json(provenance);
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Value& item : items) {
      auto entry = write_value(item, item_type, program);
      if (!entry.is_object()) {
        out.push_back(std::move(entry));
        continue;
      }
      if (const Scope* scope = options.explain ? scope_of_output(answer->result.trace, item) : nullptr)
        entry["explanation"] = explain_items_json(program, *scope, item, item_type);
      entry["provenance"] = produced_by;
      out.push_back(std::move(entry));
    }
    fmt::print("{}\n", dump_json(out));
    return exit_ok;
  }
  fmt::print("{}", provenance_line(provenance));
  if (!options.explain) {
    fmt::print("{}", render_report(value, def.resolved, program));
    return exit_ok;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    fmt::print("{}{}", i == 0 ? "" : "\n", render_report(items[i], item_type, program));
    if (const Scope* scope = scope_of_output(answer->result.trace, items[i]))
      fmt::print("\n{}", explain_items_table(program, *scope, items[i], item_type));
  }
  return exit_ok;
}

int answer_decision(const Options& options, Prepared& p, StageTimer& timer) {
  const Program& program = p.rules->program;
  EvalOptions eval = p.eval;
  eval.explain = options.explain;
  Diagnostics errors;
  auto inputs = read_case_inputs(program, p.c, errors, &timer);
  if (!inputs) return report(errors, program.sources);
  p.c.json = JsonDocument();  // the inputs are values now: not held twice while they are evaluated
  keep_until_exit(inputs->values);
  const auto answer = evaluate_inputs(program, p.c, std::move(*inputs), eval, errors, &timer);
  if (!answer) return report(errors, program.sources);
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(answer->decision)];
  // What became of the records of the inputs that went through the decision's list steps, measured
  // against its first output that is a record (a certification), when it recorded any.
  const Scope* scope = answer->result.trace.scopes.empty() ? nullptr : &answer->result.trace.scopes.front();
  if (scope && scope->items.empty()) scope = nullptr;
  Value answer_value;
  TypeRef answer_type = basic_type(TypeKind::none);
  for (std::size_t i = 0; scope && i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (def.is_output && strip_optional(def.resolved)->kind == TypeKind::record) {
      answer_value = answer->result.definitions[i].value;
      answer_type = def.resolved;
      break;
    }
  }
  const Provenance provenance = provenance_of(options, p, answer->result);
  if (options.format == "json") {
    auto out = outputs_json(program, d, answer->result);
    if (options.explain) {
      out["explanation"] = explain_json(program, d, answer->result);
      if (scope)
        out["explanation"]["items"] = explain_items_json(program, *scope, answer_value, answer_type)["items"];
    }
    out["provenance"] = provenance_json(provenance);
    fmt::print("{}\n", dump_json(out));
    return exit_ok;
  }
  fmt::print("{}", provenance_line(provenance));
  if (options.explain) {
    fmt::print("{}", explain_table(program, d, answer->result));
    if (scope) fmt::print("{}", explain_items_table(program, *scope, answer_value, answer_type));
  } else {
    print_table(program, d, answer->result);
  }
  return exit_ok;
}

/// eval takes a DECISION with --input, or a case file that names its decision: say which mix-up it is.
std::optional<std::string> eval_usage_problem(const Options& options) {
  if (!options.case_file.empty() && !options.input.empty()) {
    return "give either a DECISION with --input FILE, or --case FILE, not both";
  }
  if (options.case_file.empty() && options.input.empty()) {
    return options.decision.empty() ? "give a DECISION with --input FILE, or --case FILE"
                                    : "--input is required";
  }
  if (!options.input.empty() && options.decision.empty()) return "decision is required";
  return std::nullopt;
}

}  // namespace

int run_eval(const Options& options) {
  if (auto problem = eval_usage_problem(options)) return usage_error(*problem);
  StageTimer timer;
  Diagnostics errors;
  Prepared p;
  auto c = options.case_file.empty() ? read_input_file(options.input, options.decision, errors)
                                     : read_case_file(options.case_file, errors);
  if (!c) return report(errors, {});
  p.c = std::move(*c);
  if (!options.case_file.empty() && !options.decision.empty() && options.decision != p.c.decision) {
    return usage_error(fmt::format("{} is a case of {}, not {}; leave the decision out, the case names it",
                                   p.c.path, p.c.decision, options.decision));
  }
  timer.done("parse JSON");
  if (auto status = prepare(options, p, timer)) return *status;
  return p.c.certify ? answer_certify(options, p, timer) : answer_decision(options, p, timer);
}

int run_certify(const Options& options) {
  if (options.case_file.empty()) return usage_error("give the case to certify with --case FILE");
  if (!options.delimiter.empty() && options.delimiter != "," && options.delimiter != ";" &&
      options.delimiter != "tab") {
    return usage_error(fmt::format("--delimiter takes , or ; or tab, not '{}'", options.delimiter));
  }
  if (!options.delimiter.empty() && options.register_csv.empty())
    return usage_error("--delimiter is for the CSV of --register FILE");
  StageTimer timer;
  Diagnostics errors;
  Prepared p;
  auto c = read_case_file(options.case_file, errors, /*assume_certify=*/true);
  if (!c) return report(errors, {});
  p.c = std::move(*c);
  if (!p.c.certify) {
    return usage_error(
        fmt::format("{} is a case of the decision {}, not a certification; answer it with "
                    "'merit eval --case {}'",
                    p.c.path, p.c.decision, p.c.path));
  }
  timer.done("parse JSON");
  if (auto status = prepare(options, p, timer)) return *status;
  return answer_certify(options, p, timer);
}

}  // namespace merit::cli
