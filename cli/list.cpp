// merit list: what the rules answer and what an analyst may change, read from the rules themselves: each
// decision with its section, inputs (type, default) and outputs (type), and each parameter with its type,
// section and values by the date each took effect.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/provenance.hpp"
#include "cli/run.hpp"
#include "interpreter/check.hpp"
#include "stdlib/dates.hpp"

namespace merit::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string constant_text(const ast::Expr& expr, const TypeRef& type, const Program& program) {
  const auto value = constant_value(expr);
  return value ? format_value(*value, type, program) : std::string("(worked out by the rules)");
}

Json list_json(const Program& program) {
  Json decisions = Json::array();
  for (const auto* d : program.decisions) {
    Json inputs = Json::array();
    for (const auto& in : d->inputs) {
      Json item = {{"name", in.name}, {"type", program.type_name(in.resolved)}};
      if (in.default_value) item["default"] = constant_text(*in.default_value, in.resolved, program);
      inputs.push_back(std::move(item));
    }
    Json outputs = Json::array();
    for (const auto& def : d->definitions) {
      if (def.is_output) outputs.push_back({{"name", def.name}, {"type", program.type_name(def.resolved)}});
    }
    decisions.push_back({{"name", d->name},
                         {"cite", d->cite.text},
                         {"rule", rule_place(program, d->span)},
                         {"inputs", std::move(inputs)},
                         {"outputs", std::move(outputs)}});
  }
  Json parameters = Json::array();
  for (const auto* p : program.parameters) {
    Json values = Json::array();
    for (const auto& v : p->values) {
      const auto value = constant_value(*v.value);
      values.push_back({{"from", v.from ? Json(stdlib::format_date(*v.from)) : Json()},
                        {"value", value ? write_value(*value, p->resolved, program) : Json()},
                        {"shown", constant_text(*v.value, p->resolved, program)}});
    }
    parameters.push_back({{"name", p->name},
                          {"type", program.type_name(p->resolved)},
                          {"cite", p->cite.text},
                          {"rule", rule_place(program, p->span)},
                          {"values", std::move(values)}});
  }
  Json out = Json::object();
  out["decisions"] = std::move(decisions);
  out["parameters"] = std::move(parameters);
  return out;
}

void print_table(const Program& program) {
  fmt::print("Decisions (merit eval DECISION --input FILE):\n");
  for (const auto* d : program.decisions) {
    fmt::print("\n  {} (§ {}, {})\n", d->name, d->cite.text, rule_place(program, d->span));
    std::size_t width = 0;
    for (const auto& in : d->inputs) width = std::max(width, in.name.size());
    for (const auto& def : d->definitions) {
      if (def.is_output) width = std::max(width, def.name.size());
    }
    for (const auto& in : d->inputs) {
      fmt::print(
          "    input   {:<{}}  {}{}\n", in.name, width, program.type_name(in.resolved),
          in.default_value ? ", default " + constant_text(*in.default_value, in.resolved, program) : "");
    }
    for (const auto& def : d->definitions) {
      if (def.is_output)
        fmt::print("    output  {:<{}}  {}\n", def.name, width, program.type_name(def.resolved));
    }
  }
  fmt::print("\nParameters (--set NAME=VALUE for one run):\n\n");
  std::size_t width = 0;
  for (const auto* p : program.parameters) width = std::max(width, p->name.size());
  for (const auto* p : program.parameters) {
    std::string values;
    for (const auto& v : p->values) {
      values += (values.empty() ? "" : "; ") + constant_text(*v.value, p->resolved, program);
      if (v.from) values += " from " + stdlib::format_date(*v.from);
    }
    fmt::print("  {:<{}}  {} = {}  (§ {})\n", p->name, width, program.type_name(p->resolved), values,
               p->cite.text);
  }
}

}  // namespace

int run_list(const Options& options) {
  Diagnostics errors;
  auto rules = load_rules(options.rules, options.amendments, errors);
  if (!errors.empty()) return report(errors, rules->program.sources);
  if (options.format == "json") {
    fmt::print("{}\n", dump_json(list_json(rules->program)));
  } else {
    print_table(rules->program);
  }
  return exit_ok;
}

}  // namespace merit::cli
