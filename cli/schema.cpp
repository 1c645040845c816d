// merit schema: JSON Schemas (draft 7) of the files merit reads, written from the rules' own declarations, so
// that a schema cannot say other than the reader: a decision's inputs (`eval --input`), case files (`certify
// --case`, `eval --case`, `diff`), and rule test files (`merit test`). tests/test_schema.cpp validates every
// shipped example and test against them.
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/run.hpp"
#include "interpreter/check.hpp"

namespace merit::cli {
namespace {

using Json = nlohmann::ordered_json;

class SchemaWriter {
 public:
  explicit SchemaWriter(const Program& program) : program_(program) {}

  /// A value of type `type`, as the case reader reads it.
  Json of(const TypeRef& type) {
    switch (type->kind) {
      case TypeKind::boolean:
        return {{"type", "boolean"}};
      case TypeKind::integer:
        return {{"type", "integer"}};
      case TypeKind::decimal:
        return {{"type", "number"}};
      case TypeKind::text:
        return {{"type", "string"}};
      case TypeKind::date:
        return {{"type", "string"},
                {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                {"description", "a date, YYYY-MM-DD"}};
      case TypeKind::duration:
        return {{"type", "string"},
                {"pattern", "^-?[0-9]{1,15} (day|days|working day|working days|month|months|year|years)$"},
                {"description",
                 "a length of time, like \"21 days\", \"3 months\", \"1 year\", \"90 working days\""}};
      case TypeKind::enumeration: {
        Json members = Json::array();
        for (const auto& m : program_.enums.at(static_cast<std::size_t>(type->decl))->members)
          members.push_back(m.name);
        return {{"type", "string"}, {"enum", std::move(members)}};
      }
      case TypeKind::calendar: {
        Json names = Json::array();
        for (const auto* c : program_.calendars) names.push_back(c->name);
        return {{"type", "string"}, {"enum", std::move(names)}};
      }
      case TypeKind::record:
        return record(type->decl);
      case TypeKind::list:
        return {{"type", "array"}, {"items", of(type->element)}};
      case TypeKind::map:
        return {{"type", "object"}, {"additionalProperties", of(type->element)}};
      case TypeKind::optional:
        return {{"anyOf", Json::array({of(type->element), {{"type", "null"}}})}};
      case TypeKind::none:
        return {{"type", "null"}};
      case TypeKind::error:
        break;
    }
    return Json::object();
  }

  /// The object of a decision's inputs: each by name; a list input also as its one item under its name less
  /// the final "s" (never both); those with neither default nor `?` required.
  Json inputs(const ast::Decision& d) {
    Json properties = Json::object();
    Json required = Json::array();
    Json all_of = Json::array();
    for (const auto& in : d.inputs) {
      properties[in.name] = of(in.resolved);
      const TypeRef t = strip_optional(in.resolved);
      const bool plural = t->kind == TypeKind::list && in.name.size() > 1 && in.name.back() == 's';
      const bool needed = !in.default_value && in.resolved->kind != TypeKind::optional;
      if (plural) {
        const std::string one = in.name.substr(0, in.name.size() - 1);
        properties[one] = of(t->element);
        // Not both; and, when the input is needed, one of them.
        all_of.push_back({{"not", {{"required", Json::array({in.name, one})}}}});
        if (needed) {
          all_of.push_back({{"anyOf", Json::array({{{"required", Json::array({in.name})}},
                                                   {{"required", Json::array({one})}}})}});
        }
      } else if (needed) {
        required.push_back(in.name);
      }
    }
    Json out = {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    if (!required.empty()) out["required"] = std::move(required);
    if (!all_of.empty()) out["allOf"] = std::move(all_of);
    return out;
  }

  /// The parameters as `"set"` gives them in a rule test: each by name, as its type is written.
  Json parameters() {
    Json properties = Json::object();
    for (const auto* p : program_.parameters) properties[p->name] = of(p->resolved);
    return {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  }

  Json definitions() const { return definitions_; }

 private:
  Json record(std::int32_t decl) {
    const ast::Record& r = *program_.records.at(static_cast<std::size_t>(decl));
    const Json ref = {{"$ref", "#/definitions/" + r.name}};
    if (definitions_.contains(r.name)) return ref;
    definitions_[r.name] = Json::object();  // a record that holds itself is written once
    Json properties = Json::object();
    Json required = Json::array();
    for (const auto& f : r.fields) {
      properties[f.name] = of(f.resolved);
      if (!f.default_value && f.resolved->kind != TypeKind::optional) required.push_back(f.name);
    }
    Json schema = {{"type", "object"},
                   {"description", fmt::format("record {} of the rules", r.name)},
                   {"properties", std::move(properties)},
                   {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = std::move(required);
    definitions_[r.name] = std::move(schema);
    return ref;
  }

  const Program& program_;
  Json definitions_ = Json::object();
};

Json document(SchemaWriter& writer, const std::string& title, Json body) {
  Json out = {{"$schema", "http://json-schema.org/draft-07/schema#"}, {"title", title}};
  for (auto& [key, value] : body.items()) out[key] = std::move(value);
  out["definitions"] = writer.definitions();
  return out;
}

/// A decision case: {"decision": NAME, "input": {...}}, one alternative per decision.
Json decision_cases(SchemaWriter& writer, const Program& program) {
  Json cases = Json::array();
  for (const auto* d : program.decisions) {
    cases.push_back({{"type", "object"},
                     {"properties", {{"decision", {{"const", d->name}}}, {"input", writer.inputs(*d)}}},
                     {"required", Json::array({"decision", "input"})},
                     {"additionalProperties", false}});
  }
  return cases;
}

Json case_schema(SchemaWriter& writer, const Program& program) {
  Json one_of = decision_cases(writer, program);
  if (const auto index = program.find_decision(certify_decision); index >= 0)
    one_of.push_back(writer.inputs(*program.decisions[static_cast<std::size_t>(index)]));
  return document(writer, "merit case file: a certification case, or a decision case",
                  {{"oneOf", std::move(one_of)}});
}

/// A rule test file (cli/rule_tests.cpp): a test, or {"about", "register", "set", "amend", "tests": [...]}.
Json test_schema(SchemaWriter& writer, const Program& program) {
  const Json set = writer.parameters();
  const Json amend = {
      {"anyOf", Json::array({{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
  // The outcome expected: fields of the answer, or, for a case that must be refused, {"error": TEXT} alone.
  const Json outcome = {{"type", "object"}, {"not", {{"required", Json::array({"error"})}}}};
  const Json refusal = {{"type", "object"},
                        {"properties", {{"error", {{"type", "string"}}}}},
                        {"required", Json::array({"error"})},
                        {"additionalProperties", false}};
  Json common = {{"test", {{"type", "string"}}},
                 {"section", {{"type", "string"}}},
                 {"as_of", writer.of(basic_type(TypeKind::date))},
                 {"set", set},
                 {"amend", amend},
                 {"expect", outcome}};
  // A certification test: the inputs of certify, the register given here or by the file, and a requisition
  // or requisitions (not both).
  Json certification = {{"type", "object"}, {"additionalProperties", false}};
  if (const auto index = program.find_decision(certify_decision); index >= 0) {
    const Json inputs = writer.inputs(*program.decisions[static_cast<std::size_t>(index)]);
    Json properties = common;
    for (const auto& [key, value] : inputs["properties"].items()) properties[key] = value;
    certification["properties"] = std::move(properties);
    certification["allOf"] = {{{"not", {{"required", Json::array({"requisition", "requisitions"})}}}},
                              {{"anyOf", Json::array({{{"required", Json::array({"requisition"})}},
                                                      {{"required", Json::array({"requisitions"})}}})}}};
  }
  certification["required"] = Json::array({"test", "section", "expect"});
  // A decision test: {"decision": NAME, "input": {...}} beside the common keys, one alternative a decision.
  Json decisions = Json::array();
  for (auto alternative : decision_cases(writer, program)) {
    for (const auto& [key, value] : common.items()) alternative["properties"][key] = value;
    alternative["required"] = Json::array({"test", "section", "decision", "input", "expect"});
    decisions.push_back(std::move(alternative));
  }
  // A test of a case that must be refused is shaped as the others, but its data are what is refused: any
  // register and requisitions, or any inputs of a named decision.
  Json refused_certification = certification;
  for (const char* key : {"register", "requisition", "requisitions"})
    refused_certification["properties"][key] = Json::object();
  refused_certification["properties"]["expect"] = refusal;
  Json refused_decision = {{"type", "object"},
                           {"properties", common},
                           {"required", Json::array({"test", "section", "decision", "input", "expect"})},
                           {"additionalProperties", false}};
  refused_decision["properties"]["decision"] = {{"type", "string"}};
  refused_decision["properties"]["input"] = {{"type", "object"}};
  refused_decision["properties"]["expect"] = refusal;
  Json test = {
      {"anyOf",
       Json::array(
           {certification, {{"oneOf", std::move(decisions)}}, refused_certification, refused_decision})}};
  Json register_type = Json::object();
  if (const auto index = program.find_decision(certify_decision); index >= 0) {
    for (const auto& in : program.decisions[static_cast<std::size_t>(index)]->inputs) {
      if (in.name == "register") register_type = writer.of(in.resolved);
    }
  }
  Json file = {{"type", "object"},
               {"properties",
                {{"about", {{"type", "string"}}},
                 {"register", register_type},
                 {"set", set},
                 {"amend", amend},
                 {"tests", {{"type", "array"}, {"items", {{"$ref", "#/definitions/test"}}}}}}},
               {"required", Json::array({"tests"})},
               {"additionalProperties", false}};
  Json out = document(writer, "merit rule test file: one test, or a file of tests",
                      {{"oneOf", Json::array({{{"$ref", "#/definitions/test"}}, std::move(file)})}});
  out["definitions"]["test"] = std::move(test);
  return out;
}

}  // namespace

int run_schema(const Options& options) {
  const std::string& kind = options.schema_kind;
  if (kind != "case" && kind != "input" && kind != "test")
    return usage_error(
        fmt::format("merit schema writes the schema of a case, an input or a test, not '{}'", kind));
  if (kind == "input" && options.decision.empty())
    return usage_error("merit schema input needs the decision, like merit schema input acting_capacity");
  if (kind != "input" && !options.decision.empty())
    return usage_error(fmt::format("merit schema {} takes no decision", kind));
  Diagnostics errors;
  auto rules = load_rules(options.rules, options.amendments, errors);
  if (!errors.empty()) return report(errors, rules->program.sources);
  const Program& program = rules->program;
  SchemaWriter writer(program);
  Json out;
  if (kind == "case") {
    out = case_schema(writer, program);
  } else if (kind == "test") {
    out = test_schema(writer, program);
  } else {
    const auto index = program.find_decision(options.decision);
    if (index < 0) {
      return usage_error(unknown_decision(program, options.decision));
    }
    const ast::Decision& d = *program.decisions[static_cast<std::size_t>(index)];
    const Json inputs = writer.inputs(d);
    out =
        document(writer, fmt::format("merit inputs of the decision {} (§ {})", d.name, d.cite.text), inputs);
  }
  fmt::print("{}\n", dump_json(out));
  return exit_ok;
}

}  // namespace merit::cli
