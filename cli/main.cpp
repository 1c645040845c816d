// The `merit` command: parse the command line, load and check the rules, read the data, evaluate, print.
// Exit status: 0 done; 1 the rules or the data are invalid; 2 the command line is wrong.
#include <fmt/format.h>
#include <pthread.h>

#include <simdjson.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/report.hpp"
#include "grammar/parse.hpp"
#include "interpreter/check.hpp"
#include "interpreter/csv.hpp"
#include "interpreter/data.hpp"
#include "interpreter/eval.hpp"
#include "interpreter/program.hpp"

namespace merit {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_invalid = 1;
constexpr int exit_usage = 2;

std::string shipped_rules_dir() {
#ifdef MERIT_RULES_DIR
  if (std::filesystem::is_directory(MERIT_RULES_DIR)) return MERIT_RULES_DIR;
#endif
  return "rules";
}

/// Everything one command needs, filled from the command line.
struct Options {
  std::vector<std::string> paths;
  std::string rules;
  std::string decision;
  std::string input;
  std::string format = "table";
  std::vector<std::string> sets;
  std::string as_of;
  std::string register_csv;
};

int report(const Diagnostics& errors, const SourceSet& sources) {
  fmt::print(stderr, "{}", render_all(errors, sources));
  return exit_invalid;
}

int usage_error(const std::string& message) {
  fmt::print(stderr, "merit: {}\nRun 'merit --help' for how to use it.\n", message);
  return exit_usage;
}

// ---------------------------------------------------------------------------------------------------------
// merit check

int run_check(const Options& options) {
  Program program;
  const auto paths = options.paths.empty() ? std::vector<std::string>{shipped_rules_dir()} : options.paths;
  const Diagnostics errors = load_program(program, paths);
  if (!errors.empty()) {
    report(errors, program.sources);
    fmt::print(stderr, "{} error{} found\n", errors.size(), errors.size() == 1 ? "" : "s");
    return exit_invalid;
  }
  fmt::print("{} rule file{} checked: {} decision{}, {} parameter{}, no errors\n",
             program.sources.files.size(), program.sources.files.size() == 1 ? "" : "s",
             program.decisions.size(), program.decisions.size() == 1 ? "" : "s", program.parameters.size(),
             program.parameters.size() == 1 ? "" : "s");
  return exit_ok;
}

// ---------------------------------------------------------------------------------------------------------
// Shared by the commands that evaluate: parameters set on the command line, and the date to judge as of.

/// Reads `--set NAME=VALUE` as a value of the rule language, checked against the parameter's type.
bool apply_set(Program& program, const std::string& assignment, EvalOptions& eval, Diagnostics& errors) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    errors.push_back(error_in_file(
        "--set", fmt::format("expected NAME=VALUE, like complement_size=5, not '{}'", assignment)));
    return false;
  }
  const std::string name = assignment.substr(0, eq);
  const std::int32_t index = program.find_parameter(name);
  if (index < 0) {
    std::string known;
    for (const auto* p : program.parameters) known += (known.empty() ? "" : ", ") + p->name;
    errors.push_back(
        error_in_file("--set", fmt::format("unknown parameter {}; the parameters are: {}", name, known)));
    return false;
  }
  const auto file = program.sources.add(fmt::format("--set {}", name), assignment.substr(eq + 1));
  auto parsed = parse_expression(program.sources, file);
  if (auto* d = std::get_if<Diagnostic>(&parsed)) {
    errors.push_back(std::move(*d));
    return false;
  }
  auto& expr = *std::get<ast::ExprPtr>(parsed);
  const auto* parameter = program.parameters[static_cast<std::size_t>(index)];
  Diagnostics problems = check_global_expression(program, expr, parameter->resolved);
  const auto value = problems.empty() ? constant_value(expr) : std::nullopt;
  if (!problems.empty() || !value) {
    errors.push_back(error_in_file(
        "--set", fmt::format("{} should be {}, like {}", name, program.type_name(parameter->resolved),
                             format_value(*constant_value(*parameter->values.front().value),
                                          parameter->resolved, program))));
    return false;
  }
  eval.parameter_overrides.resize(program.parameters.size());
  eval.parameter_overrides[static_cast<std::size_t>(index)] = *value;
  return true;
}

bool make_eval_options(Program& program, const Options& options, EvalOptions& eval, Diagnostics& errors) {
  if (!options.as_of.empty()) {
    eval.as_of = stdlib::parse_date(options.as_of);
    if (!eval.as_of)
      errors.push_back(
          error_in_file("--as-of", fmt::format("expected a date like 2026-03-01, not '{}'", options.as_of)));
  }
  for (const auto& s : options.sets) apply_set(program, s, eval, errors);
  return errors.empty();
}

/// Reads and parses a JSON data file; a file that cannot be read or is not JSON is an error naming it.
bool read_json_file(const std::string& path, JsonDocument& json, Diagnostics& errors) {
  return json.load(path, errors);
}

std::string closest_decisions(const Program& program) {
  std::string names;
  for (const auto* d : program.decisions) names += (names.empty() ? "" : ", ") + d->name;
  return names;
}

/// `--register FILE.csv`: the candidates of the case's register come from a spreadsheet export.
bool merge_csv_register(const Program& program, const ast::Decision& d, const std::string& csv,
                        nlohmann::json& json, Diagnostics& errors) {
  const auto input =
      std::find_if(d.inputs.begin(), d.inputs.end(), [](const auto& in) { return in.name == "register"; });
  const TypeRef register_type = input == d.inputs.end() ? nullptr : strip_optional(input->resolved);
  const ast::Record* candidate = nullptr;
  if (register_type && register_type->kind == TypeKind::record) {
    for (const auto& f : program.records[static_cast<std::size_t>(register_type->decl)]->fields) {
      const TypeRef t = strip_optional(f.resolved);
      if (f.name == "candidates" && t->kind == TypeKind::list && t->element->kind == TypeKind::record) {
        candidate = program.records[static_cast<std::size_t>(t->element->decl)];
      }
    }
  }
  if (!candidate) {
    errors.push_back(error_in_file(
        csv, fmt::format("decision {} has no register of candidates to read a CSV into", d.name)));
    return false;
  }
  auto rows = read_csv_records(csv, *candidate, errors);
  if (!rows) return false;
  if (!json.is_object()) return true;  // read_inputs reports it
  if (!json.contains("register")) json["register"] = nlohmann::json::object();
  if (json["register"].is_object()) json["register"]["candidates"] = std::move(*rows);
  return true;
}

/// The decision's inputs from a JSON object: every key must be an input, every input without a default
/// must be given.
std::optional<std::vector<Value>> read_inputs(const Program& program, const ast::Decision& d,
                                              const simdjson::dom::element& json, const std::string& file,
                                              Diagnostics& errors) {
  simdjson::dom::object object;
  if (json.get(object) != simdjson::SUCCESS) {
    errors.push_back(error_in_file(
        file, "expected a JSON object with the decision's inputs, like {\"start\": \"2026-03-01\"}"));
    return std::nullopt;
  }
  std::string known;
  for (const auto& in : d.inputs) known += (known.empty() ? "" : ", ") + in.name;
  // Which key gives which input, in file order; a key given twice is an error, not one of them winning.
  std::vector<std::optional<simdjson::dom::element>> given(d.inputs.size());
  std::vector<std::string_view> unknown;
  for (const auto [key, value] : object) {
    const auto in =
        std::find_if(d.inputs.begin(), d.inputs.end(), [&](const auto& input) { return input.name == key; });
    if (in == d.inputs.end()) {
      if (std::find(unknown.begin(), unknown.end(), key) != unknown.end()) continue;
      unknown.push_back(key);
      errors.push_back(error_in_file(
          file, fmt::format("{}: unknown input of {}; its inputs are: {}", key, d.name, known)));
      continue;
    }
    auto& slot = given[static_cast<std::size_t>(in - d.inputs.begin())];
    if (slot) {
      errors.push_back(error_in_file(file, fmt::format("{}: input of {} is given twice", key, d.name)));
    } else {
      slot = value;
    }
  }
  std::vector<Value> inputs;
  for (std::size_t i = 0; i < d.inputs.size(); ++i) {
    const auto& in = d.inputs[i];
    if (given[i]) {
      auto v = read_value(*given[i], in.resolved, program, file, in.name, errors);
      inputs.push_back(v ? std::move(*v) : Value());
    } else if (in.default_value) {
      inputs.push_back(*constant_value(*in.default_value));
    } else if (in.resolved->kind == TypeKind::optional) {
      inputs.emplace_back(None{});
    } else {
      errors.push_back(error_in_file(file, fmt::format("{}: missing input of {} ({})", in.name, d.name,
                                                       program.type_name(in.resolved))));
      inputs.emplace_back();
    }
  }
  if (!errors.empty()) return std::nullopt;
  return inputs;
}

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
    if (!def.is_output) continue;
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

void print_json(const Program& program, const ast::Decision& d, const DecisionResult& result) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (def.is_output) out[def.name] = write_value(result.definitions[i].value, def.resolved, program);
  }
  fmt::print("{}\n", out.dump(2));
}

// ---------------------------------------------------------------------------------------------------------
// merit eval

/// A decision answered for the inputs in a JSON object: the part `eval` and `certify` share.
struct Answer {
  Program program;
  std::int32_t decision = -1;
  DecisionResult result;
};

/// With MERIT_TIMING set, how long each stage took goes to stderr, for finding where time goes.
class StageTimer {
 public:
  StageTimer() : enabled_(std::getenv("MERIT_TIMING") != nullptr), last_(std::chrono::steady_clock::now()) {}
  void done(std::string_view stage) {
    const auto now = std::chrono::steady_clock::now();
    if (enabled_) {
      fmt::print(stderr, "merit: {:<12} {:8.1f} ms\n", stage,
                 std::chrono::duration<double, std::milli>(now - last_).count());
    }
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

/// Loads the rules, reads the inputs and evaluates; on any error prints it and gives the exit status.
std::optional<int> answer(const Options& options, const std::string& decision, Answer& out) {
  StageTimer timer;
  JsonDocument json;
  Diagnostics read_errors;
  if (!read_json_file(options.input, json, read_errors)) return report(read_errors, {});
  timer.done("parse JSON");
  Program& program = out.program;
  Diagnostics errors = load_program(program, {options.rules.empty() ? shipped_rules_dir() : options.rules});
  timer.done("load rules");
  if (!errors.empty()) return report(errors, program.sources);
  out.decision = program.find_decision(decision);
  if (out.decision < 0) {
    fmt::print(stderr, "merit: unknown decision {}; the rules answer: {}\n", decision,
               closest_decisions(program));
    return exit_invalid;
  }
  EvalOptions eval;
  if (!make_eval_options(program, options, eval, errors)) return report(errors, program.sources);
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(out.decision)];
  if (!options.register_csv.empty()) {
    // The CSV's rows go into the case as its register's candidates, and the case is parsed again with them.
    nlohmann::json merged = nlohmann::json::parse(json.text());
    if (!merge_csv_register(program, d, options.register_csv, merged, errors) ||
        !json.parse(merged.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), options.input,
                    errors)) {
      return report(errors, program.sources);
    }
  }
  auto inputs = read_inputs(program, d, json.root(), options.input, errors);
  if (!inputs) return report(errors, program.sources);
  timer.done("read inputs");
  auto result = evaluate_decision(program, out.decision, std::move(*inputs), eval);
  timer.done("evaluate");
  if (auto* error = std::get_if<Diagnostic>(&result)) {
    if (!error->span) error->file = options.input;  // a failed `require`: the input is invalid
    return report({*error}, program.sources);
  }
  out.result = std::move(std::get<DecisionResult>(result));
  return std::nullopt;
}

int run_eval(const Options& options) {
  Answer a;
  if (auto status = answer(options, options.decision, a)) return *status;
  const ast::Decision& d = *a.program.decisions[static_cast<std::size_t>(a.decision)];
  if (options.format == "json") {
    print_json(a.program, d, a.result);
  } else {
    print_table(a.program, d, a.result);
  }
  return exit_ok;
}

// ---------------------------------------------------------------------------------------------------------
// merit certify: the rules' decision `certify`, whose output `certifications` is the JSON of the spec and
// `reports` the same for a person.

const Outcome* output_named(const Answer& a, const std::string& name, TypeRef& type) {
  const ast::Decision& d = *a.program.decisions[static_cast<std::size_t>(a.decision)];
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    if (d.definitions[i].is_output && d.definitions[i].name == name) {
      type = d.definitions[i].resolved;
      return &a.result.definitions[i];
    }
  }
  return nullptr;
}

int run_certify(const Options& options) {
  Answer a;
  if (auto status = answer(options, "certify", a)) return *status;
  const std::string wanted = options.format == "json" ? "certifications" : "reports";
  TypeRef type;
  const Outcome* outcome = output_named(a, wanted, type);
  if (!outcome) {
    fmt::print(stderr, "merit: the rules' decision certify has no output {}\n", wanted);
    return exit_invalid;
  }
  if (options.format == "json") {
    fmt::print("{}\n", write_value(outcome->value, type, a.program).dump(2));
  } else {
    fmt::print("{}", render_report(outcome->value, type, a.program));
  }
  return exit_ok;
}

// ---------------------------------------------------------------------------------------------------------
// The command line.

void add_evaluation_flags(CLI::App* command, Options& options) {
  command->add_option("--rules", options.rules, "folder of rule files (default: the shipped rules/)");
  command->add_option("--format", options.format, "table (for a person, the default) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}));
  command->add_option("--set", options.sets, "change a parameter for this run, like --set complement_size=5");
  command->add_option("--as-of", options.as_of, "judge the rules in force on this date (YYYY-MM-DD)");
}

int run(int argc, char** argv) {
  CLI::App app{
      "merit: the Maine civil service rules on certification and appointment (Chapter 8) and the Maine "
      "Management Service, as rule files you can read, check and run."};
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  merit check                       check the shipped rules\n"
      "  merit eval acting_capacity --input examples/acting_capacity.json\n"
      "  merit certify --case examples/certify/standard.json\n"
      "Run 'merit COMMAND --help' for each command.");
  Options options;

  CLI::App* check =
      app.add_subcommand("check", "parse and type-check rule files or folders (default: the shipped rules/)");
  check->add_option("paths", options.paths, "rule files (.merit) or folders of them");
  check->footer("Examples:\n  merit check\n  merit check rules/chapter8 my-amendment.merit");

  CLI::App* eval = app.add_subcommand("eval", "answer one decision for the inputs in a JSON file");
  eval->add_option("decision", options.decision, "the decision to answer, like acting_capacity")->required();
  eval->add_option("--input", options.input, "JSON object with the decision's inputs")->required();
  add_evaluation_flags(eval, options);
  eval->footer(
      "Examples:\n"
      "  merit eval acting_capacity --input examples/acting_capacity.json\n"
      "  merit eval acting_capacity --input case.json --format json --set acting_capacity_max=\"2 years\"");

  CLI::App* certify =
      app.add_subcommand("certify", "certify names from a class register for one or more requisitions");
  certify->add_option("--case", options.input, "JSON case file: the register and the requisitions")
      ->required();
  certify->add_option(
      "--register", options.register_csv,
      "the register's candidates as CSV (header row of candidate fields; lists separated by ;)");
  add_evaluation_flags(certify, options);
  certify->footer(
      "Examples:\n"
      "  merit certify --case examples/certify/standard.json\n"
      "  merit certify --case examples/certify/standard.json --format json --set complement_size=5\n"
      "  merit certify --case examples/certify/csv-case.json --register examples/certify/register.csv");

  // CLI11 would say only that a command is required; name the word it did not know.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string command = argv[1];
    const auto known = app.get_subcommands([](CLI::App*) { return true; });
    if (std::none_of(known.begin(), known.end(), [&](CLI::App* sub) { return sub->get_name() == command; })) {
      return usage_error(
          fmt::format("'{}' is not a command; the commands are check, certify and eval", command));
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    const auto parsed = app.get_subcommands();
    fmt::print("{}", parsed.empty() ? app.help() : parsed.front()->help());
    return exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    fmt::print("{}", app.help("", CLI::AppFormatMode::All));
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    // Help for a subcommand arrives as CallForHelp too, but from the subcommand: print that one.
    if (e.get_exit_code() == 0) {
      for (auto* sub : app.get_subcommands()) fmt::print("{}", sub->help());
      return exit_ok;
    }
    return usage_error(e.what());
  }
  if (check->parsed()) return run_check(options);
  if (certify->parsed()) return run_certify(options);
  return run_eval(options);
}

// Deeply nested input is refused by the parser, but evaluation of large rule sets still recurses: a
// generous stack keeps every limit an error message rather than a crash.
struct Job {
  int argc;
  char** argv;
  int status = exit_invalid;
};

void* run_job(void* arg) {
  auto* job = static_cast<Job*>(arg);
  try {
    job->status = run(job->argc, job->argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "merit: error: {}\n", e.what());
    job->status = exit_invalid;
  }
  return nullptr;
}

}  // namespace
}  // namespace merit

int main(int argc, char** argv) {
  merit::Job job{argc, argv};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, std::size_t{512} << 20);
  pthread_t thread;
  if (pthread_create(&thread, &attributes, merit::run_job, &job) != 0) {
    merit::run_job(&job);
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attributes);
  return job.status;
}
