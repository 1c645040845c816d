#include "cli/run.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <sys/resource.h>

#include "cli/cli.hpp"
#include "cli/provenance.hpp"
#include "cli/suggest.hpp"
#include "grammar/parse.hpp"
#include "interpreter/check.hpp"
#include "interpreter/csv.hpp"

namespace merit::cli {

StageTimer::StageTimer()
    : enabled_(std::getenv("MERIT_TIMING") != nullptr), last_(std::chrono::steady_clock::now()) {}

void StageTimer::done(std::string_view stage) {
  const auto now = std::chrono::steady_clock::now();
  if (enabled_) {
    // The peak so far, not the stage's own: what a stage holds on to is what the next one starts from.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    fmt::print(stderr, "merit: {:<12} {:8.1f} ms   peak {:6.0f} MB\n", stage,
               std::chrono::duration<double, std::milli>(now - last_).count(),
               static_cast<double>(usage.ru_maxrss) / 1024.0);
  }
  last_ = now;
}

std::unique_ptr<RuleSet> load_rules(const std::string& dir, const std::vector<std::string>& amendments,
                                    Diagnostics& errors) {
  auto rules = std::make_unique<RuleSet>();
  std::string problem;
  rules->dir = dir.empty() ? default_rules_dir(problem) : dir;
  if (rules->dir.empty()) {
    errors.push_back(Diagnostic{std::nullopt, {}, problem});
    return rules;
  }
  Diagnostics found = load_program(rules->program, {rules->dir}, amendments);
  errors.insert(errors.end(), found.begin(), found.end());
  return rules;
}

namespace {

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
    std::vector<std::string> names;
    for (const auto* p : program.parameters) names.push_back(p->name);
    const std::string near = did_you_mean(name, names);
    errors.push_back(error_in_file(
        "--set", near.empty() ? fmt::format("unknown parameter {}; 'merit list' shows the parameters", name)
                              : fmt::format("unknown parameter {}{}", name, near)));
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
  // The checker let the rules add this parameter to dates only when none of its values is in working days.
  const bool working = std::any_of(parameter->values.begin(), parameter->values.end(), [](const auto& v) {
    const auto c = constant_value(*v.value);
    return c && has_working_days_value(*c);
  });
  if (has_working_days_value(*value) && !working) {
    errors.push_back(error_in_file(
        "--set", fmt::format("{} cannot be set to a length in working days: the rules may add it to dates, "
                             "and working days can be counted only against a calendar; give it in days, "
                             "months or years",
                             name)));
    return false;
  }
  eval.parameter_overrides.resize(program.parameters.size());
  eval.parameter_overrides[static_cast<std::size_t>(index)] = *value;
  return true;
}

const char* const certify_case =
    "a certify case ({\"register\": ..., \"requisition\": ...} or \"requisitions\")";
const char* const decision_case = "a decision case ({\"decision\": NAME, \"input\": {...}})";

/// Whether a parsed file is meant as a case: an object with a key of a certify case or a decision case
/// (whose mistakes are then reported), not some other JSON.
bool looks_like_case(const CaseFile& c) {
  simdjson::dom::object object;
  if (c.json.root().get(object) != simdjson::SUCCESS) return false;
  for (const char* key : {"decision", "input", "register", "requisition", "requisitions"}) {
    if (object[key].error() == simdjson::SUCCESS) return true;
  }
  return false;
}

/// Which kind of case a parsed file holds; a decision case's own keys are checked here, a certify case's
/// keys are the inputs of `certify` and are checked against its declarations when read.
bool classify_case(CaseFile& c, bool assume_certify, Diagnostics& errors) {
  simdjson::dom::object object;
  if (c.json.root().get(object) != simdjson::SUCCESS) {
    errors.push_back(error_in_file(
        c.path, assume_certify
                    ? std::string("expected a JSON object with the register and the requisitions, "
                                  "like {\"register\": {...}, \"requisition\": {...}}")
                    : fmt::format("expected a JSON object: {} or {}", certify_case, decision_case)));
    return false;
  }
  const bool has_decision = object["decision"].error() == simdjson::SUCCESS;
  const bool has_input = object["input"].error() == simdjson::SUCCESS;
  if (!has_decision) {
    const bool certify = object["register"].error() == simdjson::SUCCESS ||
                         object["requisition"].error() == simdjson::SUCCESS ||
                         object["requisitions"].error() == simdjson::SUCCESS;
    if (certify || assume_certify) {
      c.certify = true;
      c.decision = "certify";
      return true;
    }
    errors.push_back(error_in_file(
        c.path, has_input ? std::string("decision: missing: a decision case names its decision, like "
                                        "{\"decision\": \"acting_capacity\", \"input\": {...}}")
                          : fmt::format("this is neither {} nor {}", certify_case, decision_case)));
    return false;
  }
  const std::size_t before = errors.size();
  for (const auto [key, value] : object) {
    if (key != "decision" && key != "input") {
      errors.push_back(error_in_file(
          c.path, fmt::format("{}: unknown key of a decision case; its keys are decision and input", key)));
    }
  }
  std::string_view name;
  if (object["decision"].get(name) != simdjson::SUCCESS) {
    errors.push_back(
        error_in_file(c.path, "decision: expected the decision's name, like \"acting_capacity\""));
  }
  simdjson::dom::object input;
  if (!has_input) {
    errors.push_back(
        error_in_file(c.path, "input: missing: the decision's inputs, like {\"start\": \"2026-03-01\"}"));
  } else if (object["input"].get(input) != simdjson::SUCCESS) {
    errors.push_back(error_in_file(
        c.path,
        "input: expected a JSON object with the decision's inputs, like {\"start\": \"2026-03-01\"}"));
  }
  if (errors.size() != before) return false;
  c.decision = std::string(name);
  c.nested_input = true;
  c.data_path = "input";
  return true;
}

/// The decision's inputs from a JSON object: every key must be an input, every input without a default
/// must be given. `path` is where the object sits in the file. An input that is a list may be given as its
/// one item under its name less the final "s" (`"requisition": {...}` for `requisitions`); `singular`
/// says which were.
std::optional<std::vector<Value>> read_inputs(const Program& program, const ast::Decision& d,
                                              const simdjson::dom::element& json, const std::string& file,
                                              const std::string& path, Diagnostics& errors,
                                              std::vector<bool>& singular) {
  simdjson::dom::object object;
  if (json.get(object) != simdjson::SUCCESS) {
    errors.push_back(error_in_file(
        file, "expected a JSON object with the decision's inputs, like {\"start\": \"2026-03-01\"}"));
    return std::nullopt;
  }
  const std::size_t before = errors.size();
  std::string known;
  for (const auto& in : d.inputs) known += (known.empty() ? "" : ", ") + in.name;
  // Which key gives which input, in file order; a key given twice is an error, not one of them winning.
  std::vector<std::optional<simdjson::dom::element>> given(d.inputs.size());
  singular.assign(d.inputs.size(), false);
  std::vector<std::string_view> unknown;
  for (const auto [key, value] : object) {
    auto in =
        std::find_if(d.inputs.begin(), d.inputs.end(), [&](const auto& input) { return input.name == key; });
    const std::string at = data_path_field(path, std::string(key));
    bool one = false;
    if (in == d.inputs.end()) {
      in = std::find_if(d.inputs.begin(), d.inputs.end(), [&](const auto& input) {
        return input.name == std::string(key) + "s" && strip_optional(input.resolved)->kind == TypeKind::list;
      });
      one = in != d.inputs.end();
    }
    if (in == d.inputs.end()) {
      if (std::find(unknown.begin(), unknown.end(), key) != unknown.end()) continue;
      unknown.push_back(key);
      errors.push_back(
          error_in_file(file, fmt::format("{}: unknown input of {}; its inputs are: {}", at, d.name, known)));
      continue;
    }
    const auto index = static_cast<std::size_t>(in - d.inputs.begin());
    auto& slot = given[index];
    if (slot && (one || singular[index])) {
      errors.push_back(error_in_file(file, fmt::format("{}: give either {} or {}, not both", at,
                                                       in->name.substr(0, in->name.size() - 1), in->name)));
    } else if (slot) {
      errors.push_back(error_in_file(file, fmt::format("{}: input of {} is given twice", at, d.name)));
    } else {
      slot = value;
      singular[index] = one;
    }
  }
  std::vector<Value> inputs;
  for (std::size_t i = 0; i < d.inputs.size(); ++i) {
    const auto& in = d.inputs[i];
    const std::string at = data_path_field(path, in.name);
    if (given[i] && singular[i]) {
      const std::string one = in.name.substr(0, in.name.size() - 1);
      auto v = read_value(*given[i], strip_optional(in.resolved)->element, program, file,
                          data_path_field(path, one), errors);
      inputs.push_back(v ? make_list({std::move(*v)}) : Value());
    } else if (given[i]) {
      auto v = read_value(*given[i], in.resolved, program, file, at, errors);
      if (v && in.added_to_date && has_working_days_value(*v)) {
        errors.push_back(error_in_file(
            file, fmt::format("{}: the rules add {} to a date, so it cannot be in working days, which can be "
                              "counted only against a calendar; give it in days, months or years",
                              at, in.name)));
      }
      inputs.push_back(v ? std::move(*v) : Value());
    } else if (in.default_value) {
      inputs.push_back(*constant_value(*in.default_value));
    } else if (in.resolved->kind == TypeKind::optional) {
      inputs.emplace_back(None{});
    } else {
      const TypeRef t = strip_optional(in.resolved);
      const bool list = t->kind == TypeKind::list && in.name.size() > 1 && in.name.back() == 's';
      errors.push_back(error_in_file(
          file,
          list ? fmt::format("{}: missing input of {} ({}); give \"{}\" (a list) or \"{}\" (one {})", at,
                             d.name, program.type_name(in.resolved), in.name,
                             in.name.substr(0, in.name.size() - 1), program.type_name(t->element))
               : fmt::format("{}: missing input of {} ({})", at, d.name, program.type_name(in.resolved))));
      inputs.emplace_back();
    }
  }
  if (errors.size() != before) return std::nullopt;
  return inputs;
}

}  // namespace

std::string date_problem(const std::string& text) {
  int year = 0;
  int month = 0;
  int day = 0;
  char end = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3 && text.size() == 10) {
    if (month < 1 || month > 12) return fmt::format("{} is not a date: there is no month {}", text, month);
    const int days = stdlib::days_in_month(year, month);
    if (day < 1 || day > days) {
      static const char* const names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
      return fmt::format("{} is not a date: {} {} has {} days", text, names[month - 1], year, days);
    }
  }
  return fmt::format("expected a date like 2026-03-01 (YYYY-MM-DD), not '{}'", text);
}

bool make_eval_options(Program& program, const std::vector<std::string>& sets, const std::string& as_of,
                       EvalOptions& eval, Diagnostics& errors) {
  const std::size_t before = errors.size();
  if (!as_of.empty()) {
    eval.as_of = stdlib::parse_date(as_of);
    if (!eval.as_of) errors.push_back(error_in_file("--as-of", date_problem(as_of)));
  }
  std::vector<std::string> names;  // each parameter set once: a second --set would silently win
  for (const auto& s : sets) {
    const std::string name = s.substr(0, s.find('='));
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      errors.push_back(error_in_file("--set", fmt::format("{} is set twice; give it once", name)));
      continue;
    }
    names.push_back(name);
    apply_set(program, s, eval, errors);
  }
  return errors.size() == before;
}

std::string unknown_decision(const Program& program, const std::string& name) {
  std::vector<std::string> names;
  for (const auto* d : program.decisions) names.push_back(d->name);
  const std::string near = did_you_mean(name, names);
  return fmt::format("unknown decision {}{}", name,
                     near.empty() ? "; the rules answer: " + decision_names(program) : near);
}

std::string decision_names(const Program& program) {
  std::string names;
  for (const auto* d : program.decisions) names += (names.empty() ? "" : ", ") + d->name;
  return names;
}

std::optional<CaseFile> read_case_file(const std::string& path, Diagnostics& errors, bool assume_certify,
                                       bool* other_json) {
  CaseFile c;
  c.path = path;
  if (!c.json.load(path, errors)) return std::nullopt;
  if (other_json && !looks_like_case(c)) {
    *other_json = true;
    return std::nullopt;
  }
  if (!classify_case(c, assume_certify, errors)) return std::nullopt;
  return c;
}

std::optional<CaseFile> read_input_file(const std::string& path, const std::string& decision,
                                        Diagnostics& errors) {
  CaseFile c;
  c.path = path;
  c.decision = decision;
  if (!c.json.load(path, errors)) return std::nullopt;
  return c;
}

bool merge_csv_register(const Program& program, const std::string& csv, char separator, CaseFile& c,
                        Diagnostics& errors) {
  const std::int32_t index = program.find_decision(c.decision);
  if (index < 0) return true;  // evaluate_case reports it
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(index)];
  const auto input =
      std::find_if(d.inputs.begin(), d.inputs.end(), [](const auto& in) { return in.name == "register"; });
  const TypeRef register_type = input == d.inputs.end() ? nullptr : strip_optional(input->resolved);
  std::int32_t candidate_decl = -1;
  if (register_type && register_type->kind == TypeKind::record) {
    for (const auto& f : program.records[static_cast<std::size_t>(register_type->decl)]->fields) {
      const TypeRef t = strip_optional(f.resolved);
      if (f.name == "candidates" && t->kind == TypeKind::list && t->element->kind == TypeKind::record) {
        candidate_decl = t->element->decl;
      }
    }
  }
  if (candidate_decl < 0) {
    errors.push_back(error_in_file(
        csv, fmt::format("decision {} has no register of candidates to read a CSV into", d.name)));
    return false;
  }
  // The candidates are given in one place: the case file or the CSV.
  nlohmann::json json = nlohmann::json::parse(c.json.text());
  const bool into = json.is_object() && (!json.contains("register") || json["register"].is_object());
  if (into && json.contains("register") && json["register"].contains("candidates")) {
    errors.push_back(error_in_file(
        c.path,
        fmt::format("register.candidates: the case file gives the register's candidates, and --register "
                    "{} gives them too; give them in one place",
                    csv)));
    return false;
  }
  auto rows = read_csv_records(csv, program, candidate_decl, errors, separator);
  if (!rows) return false;
  // The case is read with no candidates, and the CSV's records take their place once its inputs are values
  // (read_case_inputs): they are not written out as JSON to be read again.
  if (into) json["register"]["candidates"] = nlohmann::json::array();
  c.csv_path = csv;
  c.csv_candidates = std::move(rows->records);
  c.csv_lines = std::move(rows->lines);
  return c.json.parse(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), c.path, errors);
}

void keep_until_exit(std::vector<Value> values) {
  // Reachable from a static pointer, so that a leak checker does not count the values as lost.
  static auto* const kept = new std::vector<std::vector<Value>>();
  kept->push_back(std::move(values));
}

namespace {

/// The register's candidates read from a CSV file, in the place of the empty list the case file was read
/// with (merge_csv_register).
void put_csv_candidates(const Program& program, const ast::Decision& d, const Value& candidates,
                        std::vector<Value>& values) {
  for (std::size_t i = 0; i < d.inputs.size() && i < values.size(); ++i) {
    if (d.inputs[i].name != "register") continue;
    const auto* record = std::get_if<RecordPtr>(&values[i].data);
    if (!record) return;
    const ast::Record& decl = *program.records[static_cast<std::size_t>((*record)->decl)];
    std::vector<Value> fields((*record)->fields.begin(), (*record)->fields.end());
    for (std::size_t slot = 0; slot < decl.fields.size() && slot < fields.size(); ++slot) {
      if (decl.fields[slot].name == "candidates") fields[slot] = candidates;
    }
    values[i] = make_record((*record)->decl, std::move(fields));
  }
}

/// `register.candidates[4].id`, where the candidates came from a CSV file: the file, and its line and column
/// (`line 6, column id`); nothing for any other path.
std::optional<std::string> csv_place(const CaseFile& c, const std::string& path) {
  const std::string prefix = "register.candidates[";
  if (!c.csv_candidates || path.rfind(prefix, 0) != 0) return std::nullopt;
  const std::size_t close = path.find(']', prefix.size());
  if (close == std::string::npos) return std::nullopt;
  std::size_t row = 0;
  const char* digits = path.data() + prefix.size();
  if (std::from_chars(digits, path.data() + close, row).ptr != path.data() + close ||
      row >= c.csv_lines.size())
    return std::nullopt;
  std::string place = fmt::format("line {}", c.csv_lines[row]);
  if (close + 1 < path.size() && path[close + 1] == '.') {
    const std::size_t end = path.find_first_of(".[", close + 2);
    place +=
        fmt::format(", column {}", path.substr(close + 2, end == std::string::npos ? end : end - close - 2));
  }
  return place;
}

}  // namespace

std::optional<CaseInputs> read_case_inputs(const Program& program, const CaseFile& c, Diagnostics& errors,
                                           StageTimer* timer) {
  CaseInputs out;
  out.decision = program.find_decision(c.decision);
  if (out.decision < 0) {
    errors.push_back(error_in_file(c.path, fmt::format("unknown decision {}; the rules answer: {}",
                                                       c.decision, decision_names(program))));
    return std::nullopt;
  }
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(out.decision)];
  simdjson::dom::element json = c.json.root();
  if (c.nested_input) json = json["input"].value_unsafe();
  auto values = read_inputs(program, d, json, c.path, c.data_path, errors, out.singular);
  if (!values) return std::nullopt;
  out.values = std::move(*values);
  if (c.csv_candidates) put_csv_candidates(program, d, *c.csv_candidates, out.values);
  if (timer) timer->done("read inputs");
  return out;
}

std::optional<Evaluation> evaluate_inputs(const Program& program, const CaseFile& c, CaseInputs inputs,
                                          const EvalOptions& options, Diagnostics& errors,
                                          StageTimer* timer) {
  Evaluation out;
  out.decision = inputs.decision;
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(out.decision)];
  const std::vector<bool>& singular = inputs.singular;
  EvalOptions eval = options;
  if (c.as_of) eval.as_of = c.as_of;
  auto result = evaluate_decision(program, out.decision, std::move(inputs.values), eval);
  if (timer) timer->done("evaluate");
  if (auto* error = std::get_if<Diagnostic>(&result)) {
    if (!error->span) {  // a failed `require`: the input is invalid, at the path the rules found
      error->file = c.path;
      if (!error->data_path.empty()) {
        std::string at = error->data_path;
        for (std::size_t i = 0; i < d.inputs.size(); ++i) {
          const std::string& name = d.inputs[i].name;
          const std::string first = name + "[0]";
          if (singular[i] && at.rfind(first, 0) == 0)
            at = name.substr(0, name.size() - 1) + at.substr(first.size());
        }
        at = c.data_path.empty() ? at : c.data_path + (at.front() == '[' ? "" : ".") + at;
        if (const std::optional<std::string> place = csv_place(c, at)) {
          error->file = c.csv_path;
          at = *place;
        }
        error->message = at + ": " + error->message;
      }
    }
    errors.push_back(std::move(*error));
    return std::nullopt;
  }
  out.result = std::move(std::get<DecisionResult>(result));
  return out;
}

std::optional<Evaluation> evaluate_case(const Program& program, const CaseFile& c, const EvalOptions& options,
                                        Diagnostics& errors, StageTimer* timer) {
  auto inputs = read_case_inputs(program, c, errors, timer);
  if (!inputs) return std::nullopt;
  return evaluate_inputs(program, c, std::move(*inputs), options, errors, timer);
}

nlohmann::ordered_json outputs_json(const Program& program, const ast::Decision& d,
                                    const DecisionResult& result) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (def.is_output && result.definitions[i].rule >= 0) {
      out[def.name] = write_value(result.definitions[i].value, def.resolved, program);
    }
  }
  return out;
}

std::int32_t output_index(const ast::Decision& d, const std::string& name) {
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    if (d.definitions[i].is_output && d.definitions[i].name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::int32_t certify_output(const Program& program, std::string& problem) {
  const std::int32_t index = program.find_decision(certify_decision);
  if (index < 0) {
    problem = fmt::format("the rules have no decision {}; they answer: {}", certify_decision,
                          decision_names(program));
    return -1;
  }
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(index)];
  std::int32_t found = -1;
  std::size_t outputs = 0;
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    if (!d.definitions[i].is_output) continue;
    ++outputs;
    found = static_cast<std::int32_t>(i);
  }
  const TypeRef type =
      found >= 0 ? strip_optional(d.definitions[static_cast<std::size_t>(found)].resolved) : nullptr;
  if (outputs != 1 || !type || type->kind != TypeKind::list || !type->element ||
      strip_optional(type->element)->kind != TypeKind::record) {
    problem = fmt::format(
        "decision {} answers merit certify, so it has one output, a list of records (one per "
        "requisition); it has {} output{}",
        certify_decision, outputs, outputs == 1 ? fmt::format(" of type {}", program.type_name(type)) : "s");
    return -1;
  }
  return found;
}

std::string dump_json(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string shown_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path relative = fs::proximate(path, fs::current_path(ec), ec);
  if (ec || relative.empty() || *relative.begin() == "..") return path;
  return relative.string();
}

std::string rule_place(const Program& program, const SourceSpan& span) {
  if (span.file >= program.sources.files.size()) return "";
  return fmt::format("{}:{}", shown_path(program.sources.files[span.file].path), span.line);
}

}  // namespace merit::cli
