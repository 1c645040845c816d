// merit eval and merit certify: one case answered, as a table for a person or as JSON for scripts, with
// --explain saying how the rules got there.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/explain.hpp"
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
        table ? fmt::format("({} below)", result.definitions[i].value.as_list().items.size()) : values[i];
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

/// Loads the rules and applies --set and --as-of; on a problem prints it and gives the exit status.
std::optional<int> prepare(const Options& options, Prepared& p, StageTimer& timer) {
  Diagnostics errors;
  p.rules = load_rules(options.rules, errors);
  timer.done("load rules");
  if (!errors.empty()) return report(errors, p.rules->program.sources);
  Program& program = p.rules->program;
  if (program.find_decision(p.c.decision) < 0) {
    fmt::print(stderr, "merit: unknown decision {}; the rules answer: {}\n", p.c.decision,
               decision_names(program));
    return exit_invalid;
  }
  if (!make_eval_options(program, options.sets, options.as_of, p.eval, errors)) {
    return report(errors, program.sources);
  }
  return std::nullopt;
}

/// The rules' decision `certify`: its output `certifications` is the JSON of the interface, `reports` the
/// same for a person; with --explain, `explanations` and `explanation_reports` go with them.
int answer_certify(const Options& options, Prepared& p, StageTimer& timer) {
  const Program& program = p.rules->program;
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(program.find_decision("certify"))];
  const bool json = options.format == "json";
  std::vector<std::string> wanted{json ? "certifications" : "reports"};
  if (options.explain) wanted.emplace_back(json ? "explanations" : "explanation_reports");
  for (const auto& name : wanted) {
    if (output_index(d, name) < 0) {
      fmt::print(stderr, "merit: the rules' decision certify has no output {}\n", name);
      return exit_invalid;
    }
  }
  Diagnostics errors;
  if (!options.register_csv.empty() && !merge_csv_register(program, options.register_csv, p.c, errors)) {
    return report(errors, program.sources);
  }
  EvalOptions eval = p.eval;
  eval.outputs = wanted;
  eval.explain = options.explain;
  const auto answer = evaluate_case(program, p.c, eval, errors, &timer);
  if (!answer) return report(errors, program.sources);
  const auto outcome = [&](const std::string& name) -> const Value& {
    return answer->result.definitions[static_cast<std::size_t>(output_index(d, name))].value;
  };
  const TypeRef type = d.definitions[static_cast<std::size_t>(output_index(d, wanted[0]))].resolved;
  if (!options.explain) {
    if (json) {
      fmt::print("{}\n", write_value(outcome(wanted[0]), type, program).dump(2));
    } else {
      fmt::print("{}", render_report(outcome(wanted[0]), type, program));
    }
    return exit_ok;
  }
  const TypeRef why_type = d.definitions[static_cast<std::size_t>(output_index(d, wanted[1]))].resolved;
  const auto& items = outcome(wanted[0]).as_list().items;
  const auto& whys = outcome(wanted[1]).as_list().items;
  const TypeRef item_type = strip_optional(type)->element;
  const TypeRef why_item_type = strip_optional(why_type)->element;
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto item = write_value(items[i], item_type, program);
      if (i < whys.size() && item.is_object())
        item["explanation"] = write_value(whys[i], why_item_type, program);
      out.push_back(std::move(item));
    }
    fmt::print("{}\n", out.dump(2));
    return exit_ok;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    fmt::print("{}{}", i == 0 ? "" : "\n", render_report(items[i], item_type, program));
    if (i < whys.size()) fmt::print("\n{}", render_report(whys[i], why_item_type, program));
  }
  return exit_ok;
}

int answer_decision(const Options& options, Prepared& p, StageTimer& timer) {
  const Program& program = p.rules->program;
  EvalOptions eval = p.eval;
  eval.explain = options.explain;
  Diagnostics errors;
  const auto answer = evaluate_case(program, p.c, eval, errors, &timer);
  if (!answer) return report(errors, program.sources);
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(answer->decision)];
  if (options.format == "json") {
    auto out = outputs_json(program, d, answer->result);
    if (options.explain) out["explanation"] = explain_json(program, d, answer->result);
    fmt::print("{}\n", out.dump(2));
  } else if (options.explain) {
    fmt::print("{}", explain_table(program, d, answer->result));
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
