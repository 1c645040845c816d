#pragma once
// The stages every evaluating command goes through: load and check the rules once, read a case file, read
// its inputs against the decision's declarations, evaluate. Problems come back as diagnostics; printing
// them is the command's business.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/data.hpp"
#include "interpreter/eval.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

/// With MERIT_TIMING set, how long each stage took goes to stderr, for finding where time goes.
class StageTimer {
 public:
  StageTimer();
  void done(std::string_view stage);

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

/// A rule set, loaded and checked. Held by pointer: the declarations point into its modules.
struct RuleSet {
  std::string dir;
  Program program;
};

/// Loads and checks the rules in `dir` (the shipped rules when empty), with the amendment files applied.
/// On errors, `rules->program.sources` is what renders them.
std::unique_ptr<RuleSet> load_rules(const std::string& dir, const std::vector<std::string>& amendments,
                                    Diagnostics& errors);

/// `--set NAME=VALUE ...` and `--as-of DATE` as evaluation options for `program`. Every problem is one of
/// the command line: the caller exits with exit_usage.
bool make_eval_options(Program& program, const std::vector<std::string>& sets, const std::string& as_of,
                       EvalOptions& eval, Diagnostics& errors);

/// Why `text` is not a date: a day or month that does not exist, or not the form YYYY-MM-DD.
std::string date_problem(const std::string& text);

/// The names of the decisions the rules answer, for messages: "acting_capacity, appointment_route, ...".
std::string decision_names(const Program& program);

/// "unknown decision NAME", with the nearest the rules answer, or, where none is near, all of them.
std::string unknown_decision(const Program& program, const std::string& name);

/// A case to evaluate: a certification (the rules' decision `certify`, whose inputs are the register and
/// the requisitions) or one decision with its inputs.
struct CaseFile {
  std::string path;      // the file, as messages name it
  std::string decision;  // "certify" for a certification case
  bool certify = false;  // a certification case file (`register` and `requisition(s)`)
  JsonDocument json;
  bool nested_input = false;  // the inputs are the document's "input" object, not the whole document
  std::string data_path;      // where the inputs sit in the file, for messages: "", "input", "tests[2]"
  std::optional<Date> as_of;  // a rule test's own date to judge the rules as of
  // `--register FILE.csv`: the register's candidates, read from the file, and the line each starts on.
  std::string csv_path;
  std::optional<Value> csv_candidates;
  std::vector<std::size_t> csv_lines;
};

/// Reads a case file: `{"register": ..., "requisition(s)": ...}` (certify) or `{"decision": NAME,
/// "input": {...}}`. Anything else, and unknown keys of a decision case, are errors naming the file. With
/// `assume_certify` (merit certify), a file that names no decision is a certify case, so that a misspelt key
/// is reported as an unknown input of `certify`. With `other_json`, a JSON object with none of the keys of
/// either kind is no case and no error: `*other_json` is set (merit diff skips such files under a folder).
std::optional<CaseFile> read_case_file(const std::string& path, Diagnostics& errors,
                                       bool assume_certify = false, bool* other_json = nullptr);

/// A file of inputs for DECISION (`merit eval DECISION --input FILE`): the whole file is the inputs.
std::optional<CaseFile> read_input_file(const std::string& path, const std::string& decision,
                                        Diagnostics& errors);

/// `--register FILE.csv`: the candidates of the certify case's register come from a spreadsheet export.
/// `separator` is ',', ';' or '\t', or 0 to take the one the CSV's header row uses.
bool merge_csv_register(const Program& program, const std::string& csv, char separator, CaseFile& c,
                        Diagnostics& errors);

/// A decision answered for a case.
struct Evaluation {
  std::int32_t decision = -1;
  DecisionResult result;
};

/// Reads the case's inputs against the decision's declarations in `program` and evaluates it with
/// `options`. An unknown decision, invalid inputs and errors raised by the rules are diagnostics.
std::optional<Evaluation> evaluate_case(const Program& program, const CaseFile& c, const EvalOptions& options,
                                        Diagnostics& errors, StageTimer* timer = nullptr);

/// evaluate_case in two steps, so that a command answering one case can free its JSON between them: a
/// register read into values is then not also held as a parsed document while it is evaluated.
struct CaseInputs {
  std::int32_t decision = -1;
  std::vector<Value> values;
  std::vector<bool> singular;  // by input: given in the file in the singular (`requisition`)
};
std::optional<CaseInputs> read_case_inputs(const Program& program, const CaseFile& c, Diagnostics& errors,
                                           StageTimer* timer = nullptr);
std::optional<Evaluation> evaluate_inputs(const Program& program, const CaseFile& c, CaseInputs inputs,
                                          const EvalOptions& options, Diagnostics& errors,
                                          StageTimer* timer = nullptr);

/// Keeps `values` (a case's inputs) until the process exits, which frees them at once: freeing a register of
/// a million candidates record by record takes about half a second. For a command that answers one case.
void keep_until_exit(std::vector<Value> values);

/// Every output of a decision as JSON, by name, in the order the rules declare them.
nlohmann::ordered_json outputs_json(const Program& program, const ast::Decision& d,
                                    const DecisionResult& result);

/// JSON for stdout, indented; a text that is not UTF-8 (from a rule file or a path) is written with U+FFFD
/// in place of its bad bytes rather than failing the answer.
std::string dump_json(const nlohmann::ordered_json& json);

/// A diagnostic as JSON, as `merit check --format json` writes it: file, range (1-based lines and byte
/// columns, the end just past the span), severity, message, hint (the message's advice, after its "; "),
/// data_path and notes when there are any.
nlohmann::ordered_json diagnostic_json(const Diagnostic& d, const SourceSet& sources);

/// The output of a decision named `name`, by definition index, or -1.
std::int32_t output_index(const ast::Decision& d, const std::string& name);

/// The decision `merit certify` answers. Its one output, a list of records (one per requisition), is what
/// the command prints; `merit check` reports rules whose decision of this name has another shape.
inline constexpr const char* certify_decision = "certify";

/// The definition index of the one output of the rules' decision certify, or -1 with the problem in
/// `problem` (no such decision, or not one output that is a list of records).
std::int32_t certify_output(const Program& program, std::string& problem);

/// A path relative to the working folder when it lies inside it, else as it is.
std::string shown_path(const std::string& path);

/// A rule's place as `FILE:LINE`, the file shown as shown_path shows it.
std::string rule_place(const Program& program, const SourceSpan& span);

}  // namespace merit::cli
