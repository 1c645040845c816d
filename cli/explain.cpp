#include "cli/explain.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cli/report.hpp"
#include "cli/run.hpp"
#include "interpreter/data.hpp"

namespace merit::cli {
namespace {

RuleState state_of(const DecisionResult& result, std::size_t rule) {
  return rule < result.trace.rules.size() ? result.trace.rules[rule] : RuleState::not_reached;
}

std::string_view state_key(RuleState state) {
  switch (state) {
    case RuleState::applied:
      return "applied";
    case RuleState::did_not_apply:
      return "did_not_apply";
    case RuleState::not_in_force:
      return "not_in_force";
    case RuleState::not_reached:
      break;
  }
  return "not_reached";
}

/// The state as a person reads it: the JSON key in words ("did not apply").
std::string state_text(RuleState state) {
  std::string text(state_key(state));
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

/// The rules (or the exceptions) that define a definition, in the order the rule file gives them.
std::vector<std::size_t> rules_of(const ast::Decision& d, std::size_t definition, bool exceptions) {
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < d.rules.size(); ++r) {
    if (d.rules[r].is_exception == exceptions &&
        d.rules[r].definition == static_cast<std::int32_t>(definition)) {
      out.push_back(r);
    }
  }
  return out;
}

bool evaluated(const DecisionResult& result, std::size_t definition) {
  return definition < result.definitions.size() && result.definitions[definition].rule >= 0;
}

const ast::Rule& rule_of(const ast::Decision& d, const DecisionResult& result, std::size_t definition) {
  return d.rules[static_cast<std::size_t>(result.definitions[definition].rule)];
}

const std::string& because_of(const DecisionResult& result, std::size_t definition) {
  static const std::string none;
  return definition < result.explanations.size() ? result.explanations[definition] : none;
}

/// Lets the rules computed that are dates: the steps between the inputs and the outputs a reader checks.
std::vector<std::size_t> dates_computed(const ast::Decision& d, const DecisionResult& result) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (!def.is_output && evaluated(result, i) && def.resolved &&
        strip_optional(def.resolved)->kind == TypeKind::date) {
      out.push_back(i);
    }
  }
  return out;
}

std::string explain_output(const Program& program, const ast::Decision& d, const DecisionResult& result,
                           std::size_t i) {
  const auto& def = d.definitions[i];
  if (!evaluated(result, i)) return fmt::format("  {}: not evaluated\n", def.name);
  const Value& value = result.definitions[i].value;
  const ast::Rule& rule = rule_of(d, result, i);
  const std::string& why = because_of(result, i);
  const bool table = is_record_list(def.resolved) && !value.is_none();
  const std::string shown = table ? fmt::format("({} below)", value.as_list().items().size())
                                  : format_value(value, def.resolved, program);
  std::string out =
      fmt::format("  {} = {}  § {}{}\n", def.name, shown, rule.cite.text, why.empty() ? "" : ": " + why);
  if (table) out += render_report(value, def.resolved, program);
  out += fmt::format("    given by the rule at {}\n", rule_place(program, rule.span));
  // The other rules for the same output, then its exceptions: which did not apply, or were not reached.
  for (const bool exceptions : {false, true}) {
    for (const std::size_t r : rules_of(d, i, exceptions)) {
      const ast::Rule& other = d.rules[r];
      if (!exceptions && static_cast<std::int32_t>(r) == result.definitions[i].rule) continue;
      out += fmt::format("    {} § {}{} (line {}): {}\n", exceptions ? "exception" : "rule", other.cite.text,
                         other.label ? " " + *other.label : "", other.span.line,
                         state_text(state_of(result, r)));
    }
  }
  return out;
}

}  // namespace

std::string explain_table(const Program& program, const ast::Decision& d, const DecisionResult& result) {
  std::string out =
      fmt::format("{} (§ {}), rules as of {}\n", d.name, d.cite.text, stdlib::format_date(result.as_of));
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    if (d.definitions[i].is_output) out += explain_output(program, d, result, i);
  }
  out += "Parameters used\n";
  if (result.trace.parameters.empty()) out += "  (none)\n";
  for (const auto& use : result.trace.parameters) {
    const auto* p = program.parameters[static_cast<std::size_t>(use.parameter)];
    out +=
        fmt::format("  {} = {}  § {}, as of {}{}\n", p->name, format_value(use.value, p->resolved, program),
                    p->cite.text, stdlib::format_date(use.as_of), use.overridden ? " (set with --set)" : "");
  }
  out += "Dates computed on the way\n";
  const auto dates = dates_computed(d, result);
  if (dates.empty()) out += "  (none)\n";
  for (const std::size_t i : dates) {
    const auto& def = d.definitions[i];
    out += fmt::format("  {} = {}  § {}\n", def.name,
                       format_value(result.definitions[i].value, def.resolved, program),
                       rule_of(d, result, i).cite.text);
  }
  return out;
}

nlohmann::ordered_json explain_json(const Program& program, const ast::Decision& d,
                                    const DecisionResult& result) {
  nlohmann::ordered_json outputs = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (!def.is_output || !evaluated(result, i)) continue;
    const ast::Rule& rule = rule_of(d, result, i);
    const auto states = [&](bool exceptions) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const std::size_t r : rules_of(d, i, exceptions)) {
        out.push_back({{"cite", d.rules[r].cite.text},
                       {"rule", rule_place(program, d.rules[r].span)},
                       {"state", state_key(state_of(result, r))}});
      }
      return out;
    };
    const std::string& why = because_of(result, i);
    outputs.push_back({{"name", def.name},
                       {"value", write_value(result.definitions[i].value, def.resolved, program)},
                       {"cite", rule.cite.text},
                       {"rule", rule_place(program, rule.span)},
                       {"because", why.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(why)},
                       {"rules", states(false)},
                       {"exceptions", states(true)}});
  }
  nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
  for (const auto& use : result.trace.parameters) {
    const auto* p = program.parameters[static_cast<std::size_t>(use.parameter)];
    parameters.push_back({{"name", p->name},
                          {"value", write_value(use.value, p->resolved, program)},
                          {"cite", p->cite.text},
                          {"as_of", stdlib::format_date(use.as_of)},
                          {"set", use.overridden}});
  }
  nlohmann::ordered_json dates = nlohmann::ordered_json::array();
  for (const std::size_t i : dates_computed(d, result)) {
    const auto& def = d.definitions[i];
    const ast::Rule& rule = rule_of(d, result, i);
    dates.push_back({{"name", def.name},
                     {"value", write_value(result.definitions[i].value, def.resolved, program)},
                     {"cite", rule.cite.text},
                     {"rule", rule_place(program, rule.span)}});
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["as_of"] = stdlib::format_date(result.as_of);
  out["outputs"] = std::move(outputs);
  out["parameters"] = std::move(parameters);
  out["dates"] = std::move(dates);
  return out;
}

}  // namespace merit::cli
