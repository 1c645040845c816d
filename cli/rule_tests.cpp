// merit test: the tests policy staff write beside the rules (`*.test.json`), each a case with the outcome
// the regulation calls for, in a form a person who does not program can read and write:
//
//   {"test": "a tie at the sixth score brings in everyone tied", "section": "2.B.2",
//    "register": {...}, "requisition": {...}, "expect": {"certified": ["C1", "C2"], "complete": true}}
//
// A file holds one test, or {"about": ..., "register": {...}, "tests": [...]} where the file's register
// serves every certify test that gives none. Expectations match partially: only what a test states is
// compared, so a test says what its provision decides and nothing else. Reading the files is in
// rule_test_read.cpp, printing failures and --update in rule_test_output.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>

#include "cli/cli.hpp"
#include "cli/items.hpp"
#include "cli/parallel.hpp"
#include "cli/provenance.hpp"
#include "cli/rule_tests.hpp"
#include "cli/run.hpp"
#include "interpreter/checker.hpp"

namespace merit::cli {
namespace {

// ---------------------------------------------------------------------------------------------------------
// Matching what a test expects against what the rules answered.

bool id_is(const Json& actual, const std::string& id) {
  return actual.is_object() && actual.contains("id") && actual["id"].is_string() &&
         actual["id"].get<std::string>() == id;
}

/// Whether `actual` is what `expected` states: objects by the keys expected, arrays item by item, a text
/// for an object with that id, numbers by value.
bool matches(const Json& expected, const Json& actual) {
  if (expected.is_object()) {
    if (!actual.is_object()) return false;
    return std::all_of(expected.items().begin(), expected.items().end(), [&](const auto& entry) {
      return actual.contains(entry.key()) && matches(entry.value(), actual[entry.key()]);
    });
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (!matches(expected[i], actual[i])) return false;
    }
    return true;
  }
  if (expected.is_string()) {
    return (actual.is_string() && actual == expected) || id_is(actual, expected.get<std::string>());
  }
  if (expected.is_number()) {
    return actual.is_number() && expected.get<double>() == actual.get<double>();
  }
  return expected == actual;
}

/// `actual` cut to the shape of `expected`, so that a failure shows the two side by side: ids for
/// objects expected as ids, only the keys an object expected.
Json shaped_like(const Json& expected, const Json& actual) {
  if (expected.is_string() && actual.is_object() && actual.contains("id")) return actual["id"];
  if (expected.is_object() && actual.is_object()) {
    Json out = Json::object();
    for (const auto& [key, value] : expected.items()) {
      if (actual.contains(key)) out[key] = shaped_like(value, actual[key]);
    }
    return out;
  }
  if (expected.is_array() && actual.is_array() && !expected.empty()) {
    Json out = Json::array();
    for (std::size_t i = 0; i < actual.size(); ++i) {
      out.push_back(shaped_like(expected[std::min(i, expected.size() - 1)], actual[i]));
    }
    return out;
  }
  return actual;
}

/// Compares an expectation with the answer, key by key down objects; arrays and values as a whole.
void compare(const Json& expected, const Json& actual, const std::string& path,
             const std::vector<std::string>& keys, std::vector<Mismatch>& out) {
  if (expected.is_object() && actual.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      const std::string at = data_path_field(path, key);
      std::vector<std::string> below = keys;
      below.push_back(key);
      if (!actual.contains(key)) {
        out.push_back({at, value, std::nullopt, "(missing)", below});
      } else {
        compare(value, actual[key], at, below, out);
      }
    }
    return;
  }
  if (!matches(expected, actual)) out.push_back({path, expected, shaped_like(expected, actual), "", keys});
}

std::string refusal_message(const Diagnostics& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.message;
  return out;
}

/// The certifications as the expectations read them: by requisition id, each with its explanation.
Json certifications_by_id(const Json& certifications, const Json& explanations) {
  Json out = Json::object();
  for (std::size_t i = 0; i < certifications.size(); ++i) {
    Json item = certifications[i];
    if (explanations.is_array() && i < explanations.size() && item.is_object()) {
      item["explanation"] = explanations[i];
    }
    const std::string id = item.is_object() && item.contains("requisition") && item["requisition"].is_string()
                               ? item["requisition"].get<std::string>()
                               : std::to_string(i);
    if (!out.contains(id)) out[id] = std::move(item);
  }
  return out;
}

bool expects_explanation(const RuleTest& t) {
  if (!t.several) return t.expect.contains("explanation");
  return std::any_of(t.expect.begin(), t.expect.end(),
                     [](const Json& fields) { return fields.is_object() && fields.contains("explanation"); });
}

/// The test's "set": each value read as the parameter's type, as a case file's values are.
void set_parameters(const Program& program, const RuleTest& t, EvalOptions& eval,
                    std::vector<std::string>& problems) {
  for (const auto& [name, value] : t.set.items()) {
    const std::string at = data_path_field(data_path_field(t.path, "set"), name);
    const std::int32_t index = program.find_parameter(name);
    if (index < 0) {
      std::vector<std::string> names;
      for (const auto* p : program.parameters) names.push_back(p->name);
      problems.push_back(fmt::format("{}: the rules have no parameter {}{}", data_path_display(at), name,
                                     checking::suggestion(name, names)));
      continue;
    }
    Diagnostics errors;
    JsonDocument document;
    std::optional<Value> read;
    if (document.parse(value.dump(-1, ' ', false, Json::error_handler_t::replace), t.file, errors)) {
      read = read_value(document.root(), program.parameters[static_cast<std::size_t>(index)]->resolved,
                        program, t.file, at, errors);
    }
    if (!read) {
      problems.push_back(refusal_message(errors));
      continue;
    }
    eval.parameter_overrides.resize(program.parameters.size());
    eval.parameter_overrides[static_cast<std::size_t>(index)] = std::move(*read);
  }
}

Result run_test(const Program& program, const RuleTest& t, bool coverage) {
  Result result;
  result.test = &t;
  const std::int32_t index = program.find_decision(t.decision);
  if (index < 0) {
    result.errors.push_back(fmt::format("{}: the rules have no decision {}; they answer: {}",
                                        data_path_display(data_path_field(t.path, "decision")), t.decision,
                                        decision_names(program)));
    return result;
  }
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(index)];
  EvalOptions eval;
  set_parameters(program, t, eval, result.errors);
  const bool expected_error = t.expect.contains("error");
  std::int32_t certify_index = -1;
  if (t.certify) {
    std::string problem;
    certify_index = certify_output(program, problem);
    if (certify_index < 0) {
      result.errors.push_back(problem);
      return result;
    }
    eval.outputs = {d.definitions[static_cast<std::size_t>(certify_index)].name};
    eval.explain = expects_explanation(t);
  } else if (!expected_error) {
    for (const auto& [name, value] : t.expect.items()) {
      if (output_index(d, name) < 0) {
        std::string known;
        for (const auto& def : d.definitions) {
          if (def.is_output) known += (known.empty() ? "" : ", ") + def.name;
        }
        result.errors.push_back(fmt::format("{}: {} has no output {}; its outputs are: {}",
                                            data_path_field(data_path_field(t.path, "expect"), name), d.name,
                                            name, known));
      }
    }
  }
  if (!result.errors.empty()) return result;

  CaseFile c;
  c.path = t.file;
  c.decision = t.decision;
  c.certify = t.certify;
  c.data_path = t.certify ? t.path : data_path_field(t.path, "input");
  c.as_of = t.as_of;
  Diagnostics errors;
  if (!c.json.parse(t.inputs.dump(-1, ' ', false, Json::error_handler_t::replace), t.file, errors)) {
    result.errors.push_back(refusal_message(errors));
    return result;
  }
  if (coverage) eval.explain = true;  // what the evaluation exercised is what --explain records
  const auto evaluation = evaluate_case(program, c, eval, errors);
  if (evaluation && coverage) result.exercised = exercised(program, evaluation->result.trace);
  if (!evaluation) {
    const std::string message = refusal_message(errors);
    if (!expected_error) {
      result.refused = message;
    } else if (message.find(t.expect["error"].get<std::string>()) == std::string::npos) {
      result.mismatches.push_back({"error", t.expect["error"], Json(message), "", {"error"}});
    }
    return result;
  }
  if (expected_error) {
    result.mismatches.push_back(
        {"error", t.expect["error"], std::nullopt, "(none: the case was answered)", {"error"}});
    return result;
  }
  const Json outputs = outputs_json(program, d, evaluation->result);
  if (!t.certify) {
    compare(t.expect, outputs, "", {}, result.mismatches);
    return result;
  }
  // With an explanation expected, each certification's explanation as `merit certify --explain` gives it.
  const auto& def = d.definitions[static_cast<std::size_t>(certify_index)];
  Json explanations = Json::array();
  if (expects_explanation(t)) {
    const TypeRef item_type = strip_optional(def.resolved)->element;
    for (const Value& item :
         evaluation->result.definitions[static_cast<std::size_t>(certify_index)].value.as_list().items()) {
      const Scope* scope = scope_of_output(evaluation->result.trace, item);
      explanations.push_back(scope ? Json(explain_items_json(program, *scope, item, item_type)) : Json());
    }
  }
  const Json by_id = certifications_by_id(outputs[def.name], explanations);
  if (t.several) {
    for (const auto& [id, fields] : t.expect.items()) {
      if (!by_id.contains(id)) {
        result.mismatches.push_back(
            {id, fields, std::nullopt, "(no certification for this requisition)", {id}});
      } else {
        compare(fields, by_id[id], id, {id}, result.mismatches);
      }
    }
  } else if (!by_id.empty()) {
    compare(t.expect, by_id.begin().value(), "", {}, result.mismatches);
  }
  return result;
}

}  // namespace

Result run_rule_test(const Program& program, const RuleTest& t) {
  return run_test(program, t, false);
}

namespace {

/// Whether a test's section is `wanted` or one below it: `2.B` takes 2.B, 2.B.1 and 2.B.2, not 2.BA;
/// `5.C.1` takes 5.C.1(d).
bool in_section(const std::string& section, const std::string& wanted) {
  if (wanted.empty() || section.rfind(wanted, 0) != 0) return false;
  if (section.size() == wanted.size()) return true;
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  return !alnum(wanted.back()) || !alnum(section[wanted.size()]);
}

}  // namespace

int run_rule_tests(const Options& options) {
  std::vector<std::string> paths = options.paths;
  if (!paths_or_default_rules(paths)) return exit_invalid;
  Diagnostics errors;
  std::vector<TestFile> files;
  for (const auto& path : paths) collect_test_files(path, files, errors);
  if (!errors.empty()) return report(errors, {});
  if (files.empty()) {
    std::string where;
    for (const auto& path : paths) where += (where.empty() ? "" : ", ") + shown_path(path);
    fmt::print(stderr, "merit: no rule tests (*.test.json) in {}\n", where);
    return exit_invalid;
  }

  // The rules a test runs against: its rule set's folder, and the amendments of the command and the test.
  struct Rules {
    std::string dir;
    std::vector<std::string> amendments;
  };
  using RuleSets = std::map<std::string, std::unique_ptr<RuleSet>>;
  RuleSets rule_sets;  // each rule set is loaded and checked once here, then once by each worker
  std::map<std::string, Rules> rules_of;  // by the key of rule_sets
  std::size_t invalid = 0;
  std::deque<RuleTest> tests;     // results point at their tests
  std::vector<std::string> keys;  // the rules of each test, as keys of rule_sets
  for (const auto& file : files) {
    auto read = read_test_file(file.path, errors, invalid);
    if (read.empty()) continue;
    const std::string dir = rules_for(options, file);
    for (auto& t : read) {
      if (!options.section.empty() && !in_section(t.section, options.section)) continue;
      Rules r{dir, options.amendments};
      r.amendments.insert(r.amendments.end(), t.amend.begin(), t.amend.end());
      std::string key = dir;
      for (const auto& a : r.amendments) key += "\n" + a;
      auto& rules = rule_sets[key];
      if (!rules) {
        Diagnostics rule_errors;
        rules = load_rules(r.dir, r.amendments, rule_errors);
        if (!rule_errors.empty()) return report(rule_errors, rules->program.sources);
        rules_of[key] = r;
      }
      tests.push_back(std::move(t));
      keys.push_back(key);
    }
  }
  if (!options.section.empty() && tests.empty() && errors.empty()) {
    std::string where;
    for (const auto& path : paths) where += (where.empty() ? "" : ", ") + shown_path(path);
    fmt::print(stderr, "merit: no rule test of section {} in {}\n", options.section, where);
    return exit_invalid;
  }
  // What the tests ran against, for the answer to say: each rule set with its amendments.
  std::vector<Provenance> used;
  for (const auto& [key, r] : rules_of) {
    Provenance& p = used.emplace_back();
    p.rules = identify_rules(rule_sets.at(key)->program, r.dir);
    p.amendments = identify_amendments(rule_sets.at(key)->program);
    p.each_case = true;
  }
  std::map<std::string, Coverable> coverable;  // with --coverage: of every rule set the tests run against
  if (options.coverage) {
    for (const auto& [key, rules] : rule_sets) add_coverable(rules->program, coverable);
  }
  std::vector<Result> results(tests.size());
  for_each_case(
      tests.size(), std::move(rule_sets), [] { return RuleSets(); },
      [&](RuleSets& own, std::size_t i) {
        auto& rules = own[keys[i]];
        if (!rules) {
          Diagnostics problems;
          const Rules& r = rules_of.at(keys[i]);
          rules = load_rules(r.dir, r.amendments, problems);
          if (!problems.empty()) throw std::runtime_error("the rules changed while the tests were run");
        }
        results[i] = run_test(rules->program, tests[i], options.coverage);
      });
  if (!errors.empty()) report(errors, {});  // tests that cannot be read: they count as failed

  const auto passed = static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const Result& r) { return r.passed(); }));
  const std::size_t failed = results.size() - passed + invalid;
  std::set<std::string> done;  // with --coverage: what the tests exercised, together
  for (const auto& r : results) done.insert(r.exercised.begin(), r.exercised.end());
  const bool json = options.format == "json";
  Json coverage;
  if (options.coverage && json) coverage = coverage_report(coverable, done, stdout, true);
  if (json) {
    Json failures = Json::array();
    for (const auto& r : results) {
      if (!r.passed()) failures.push_back(failure_json(r));
    }
    Json out = Json::object();
    out["passed"] = passed;
    out["failed"] = failed;
    out["failures"] = std::move(failures);
    if (options.coverage) out["coverage"] = coverage;
    Json provenance = Json::array();
    for (const auto& p : used) provenance.push_back(provenance_json(p));
    out["provenance"] = std::move(provenance);
    fmt::print("{}\n", dump_json(out));
  } else {
    for (const auto& p : used) fmt::print("{}", provenance_line(p));
    for (const auto& r : results) {
      if (!r.passed()) fmt::print("{}", failure_text(r));
    }
    fmt::print("{} passed, {} failed\n", passed, failed);
    if (options.coverage) coverage = coverage_report(coverable, done, stdout, false);
  }
  // Below the minimum share exercised, the command fails as a failed test does.
  const bool under_minimum = options.coverage_min >= 0 && options.coverage &&
                             coverage["percent"].get<double>() < static_cast<double>(options.coverage_min);
  if (under_minimum) {
    fmt::print(stderr, "merit: coverage {:.1f}% is below the minimum of {}%\n",
               coverage["percent"].get<double>(), options.coverage_min);
  }
  if (options.update && failed > 0) {
    std::FILE* out = options.format == "json" ? stderr : stdout;  // the JSON on stdout stays JSON
    const std::size_t updated = update_expectations(results, out);
    fmt::print(out, "{} updated, {} not\n", updated, failed - updated);
    return updated == failed && !under_minimum ? exit_ok : exit_invalid;
  }
  return failed == 0 && !under_minimum ? exit_ok : exit_invalid;
}

}  // namespace merit::cli
