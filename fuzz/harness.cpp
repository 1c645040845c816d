#include "fuzz/harness.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cli/explain.hpp"
#include "cli/items.hpp"
#include "cli/provenance.hpp"
#include "cli/report.hpp"
#include "interpreter/budget.hpp"

namespace merit::fuzz {
namespace {

// An evaluation stops, as `merit --max-steps --max-memory` makes it stop, well within what the fuzzer allows
// an input (10 s and 2 GB, under the sanitizers): going on longer is what the limits are for, not a finding.
// A step is a part of a rule worked out once (interpreter/weigh.cpp), and work that goes through a value
// (comparing or joining lists, the days of a calendar) is charged where it is done, so 200,000 steps are a
// fraction of a second under the sanitizers; the examples' certifications take under 15,000. The process's
// size is looked at only once an evaluation has taken 64 MB, which no small case does.
[[maybe_unused]] const bool limited = [] {
  evaluation_limits().steps = 200'000;
  evaluation_limits().memory_bytes = std::uint64_t{384} << 20;
  return true;
}();

/// Whether an evaluation stopped at a limit: where it stops may differ with kernels, which count their steps
/// differently.
bool stopped_at_a_limit(std::string_view answer) {
  return answer.find("raise it with --max-") != answer.npos;
}

}  // namespace

cli::RuleSet& shipped_rules() {
  static cli::RuleSet* const rules = [] {
    const char* env = std::getenv("MERIT_RULES");
    const std::string dir = env != nullptr && *env != '\0' ? env : MERIT_FUZZ_RULES_DIR;
    Diagnostics errors;
    auto loaded = cli::load_rules(dir, {}, errors);
    if (!errors.empty()) report_and_exit(errors, loaded->program.sources);
    return loaded.release();  // for the life of the process, like merit's own
  }();
  return *rules;
}

void report_and_exit(const Diagnostics& errors, const SourceSet& sources) {
  fmt::print(stderr, "{}fuzz: cannot start without these\n", render_all(errors, sources));
  std::exit(1);
}

ScratchFile::ScratchFile(const char* suffix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string name =
      fmt::format("{}/merit-fuzz-XXXXXX{}", tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", suffix);
  const int fd = mkstemps(name.data(), static_cast<int>(std::string_view(suffix).size()));
  if (fd < 0) {
    std::perror(name.c_str());
    std::exit(1);
  }
  close(fd);
  path_ = name;
}

ScratchFile::~ScratchFile() {
  std::remove(path_.c_str());
}

const std::string& ScratchFile::write(std::string_view bytes) {
  std::FILE* file = std::fopen(path_.c_str(), "wb");
  if (file == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size() ||
      std::fclose(file) != 0) {
    std::perror(path_.c_str());
    std::abort();
  }
  return path_;
}

namespace {

/// A case's decision evaluated as answer.cpp evaluates it: for a certify case, only the one output that
/// `merit certify` prints.
std::optional<cli::Evaluation> evaluate(const Program& program, const cli::CaseFile& c, EvalOptions eval,
                                        bool explain, Diagnostics& errors) {
  if (c.certify) {
    std::string problem;
    const std::int32_t output = cli::certify_output(program, problem);
    if (output < 0) {
      errors.push_back(error_in_file(c.path, problem));
      return std::nullopt;
    }
    const ast::Decision& d =
        *program.decisions[static_cast<std::size_t>(program.find_decision(cli::certify_decision))];
    eval.outputs = {d.definitions[static_cast<std::size_t>(output)].name};
  }
  eval.explain = explain;
  auto inputs = cli::read_case_inputs(program, c, errors);
  if (!inputs) return std::nullopt;
  return cli::evaluate_inputs(program, c, std::move(*inputs), eval, errors);
}

/// The array `merit certify --format json` prints: one object per requisition, each with its provenance.
nlohmann::ordered_json certify_json(const Program& program, const cli::Evaluation& answer,
                                    const cli::Provenance& provenance, bool explain) {
  std::string problem;
  const auto output = static_cast<std::size_t>(cli::certify_output(program, problem));
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(answer.decision)];
  const TypeRef item_type = strip_optional(d.definitions[output].resolved)->element;
  const auto produced_by = cli::provenance_json(provenance);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Value& item : answer.result.definitions[output].value.as_list().items()) {
    auto entry = write_value(item, item_type, program);
    if (entry.is_object()) {
      if (const Scope* scope = explain ? cli::scope_of_output(answer.result.trace, item) : nullptr)
        entry["explanation"] = cli::explain_items_json(program, *scope, item, item_type);
      entry["provenance"] = produced_by;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

/// What `--explain` says of the records of a decision's input lists: the scope that recorded them, and the
/// decision's first output that is a record, which they are measured against.
struct Items {
  const Scope* scope = nullptr;
  Value answer;
  TypeRef type = basic_type(TypeKind::none);
};

Items items_of(const ast::Decision& d, const DecisionResult& result) {
  Items items;
  items.scope = result.trace.scopes.empty() ? nullptr : &result.trace.scopes.front();
  if (items.scope != nullptr && items.scope->items.empty()) items.scope = nullptr;
  for (std::size_t i = 0; items.scope != nullptr && i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (def.is_output && strip_optional(def.resolved)->kind == TypeKind::record) {
      items.answer = result.definitions[i].value;
      items.type = def.resolved;
      break;
    }
  }
  return items;
}

/// The object `merit eval --format json` prints: the outputs, the explanation with --explain, provenance.
nlohmann::ordered_json decision_json(const Program& program, const cli::Evaluation& answer,
                                     const cli::Provenance& provenance, bool explain) {
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(answer.decision)];
  auto out = cli::outputs_json(program, d, answer.result);
  if (explain) {
    out["explanation"] = cli::explain_json(program, d, answer.result);
    const Items items = items_of(d, answer.result);
    if (items.scope != nullptr)
      out["explanation"]["items"] =
          cli::explain_items_json(program, *items.scope, items.answer, items.type)["items"];
  }
  out["provenance"] = cli::provenance_json(provenance);
  return out;
}

/// The tables `merit certify` and `merit eval` print for a person, with and without --explain.
std::string tables(const Program& program, const cli::Evaluation& answer, const cli::Provenance& provenance) {
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(answer.decision)];
  std::string out = cli::provenance_line(provenance);
  for (std::size_t i = 0; i < d.definitions.size(); ++i) {
    const auto& def = d.definitions[i];
    if (!def.is_output || answer.result.definitions[i].rule < 0) continue;
    const Value& value = answer.result.definitions[i].value;
    out += format_value(value, def.resolved, program);
    if (is_record_list(def.resolved) && !value.is_none()) {
      out += render_report(value, def.resolved, program);
      const TypeRef item_type = strip_optional(def.resolved)->element;
      for (const Value& item : value.as_list().items()) {
        if (const Scope* scope = cli::scope_of_output(answer.result.trace, item))
          out += cli::explain_items_table(program, *scope, item, item_type);
      }
    }
  }
  out += cli::explain_table(program, d, answer.result);
  const Items items = items_of(d, answer.result);
  if (items.scope != nullptr)
    out += cli::explain_items_table(program, *items.scope, items.answer, items.type);
  return out;
}

/// answer_json, and whether the case was answered rather than refused.
std::string answer_text(const cli::RuleSet& rules, const cli::CaseFile& c, const RunOptions& options,
                        bool explain, bool& answered) {
  const Program& program = rules.program;
  Diagnostics errors;
  const auto answer = evaluate(program, c, options.eval, explain, errors);
  answered = answer.has_value();
  if (!answer) return render_all(errors, program.sources);
  const auto provenance =
      cli::make_provenance(program, rules.dir, options.sets, options.as_of_given, answer->result);
  std::string out = cli::dump_json(c.certify ? certify_json(program, *answer, provenance, explain)
                                             : decision_json(program, *answer, provenance, explain));
  if (explain) out += tables(program, *answer, provenance);
  return out;
}

}  // namespace

std::string answer_json(const cli::RuleSet& rules, const cli::CaseFile& c, const RunOptions& options,
                        bool explain) {
  bool answered = false;
  return answer_text(rules, c, options, explain, answered);
}

bool answer_every_way(const cli::RuleSet& rules, const cli::CaseFile& c, const RunOptions& options) {
  bool answered = false;
  setenv("MERIT_KERNELS", "never", 1);
  const std::string plain = answer_text(rules, c, options, /*explain=*/false, answered);
  setenv("MERIT_KERNELS", "always", 1);
  const std::string kernels = answer_text(rules, c, options, /*explain=*/false, answered);
  unsetenv("MERIT_KERNELS");
  if (plain != kernels && !stopped_at_a_limit(plain) && !stopped_at_a_limit(kernels)) {
    fmt::print(stderr,
               "fuzz: the answer with kernels differs from the plain interpreter's\n"
               "--- MERIT_KERNELS=never\n{}\n--- MERIT_KERNELS=always\n{}\n",
               plain, kernels);
    std::abort();
  }
  if (answered) answer_text(rules, c, options, /*explain=*/true, answered);
  return answered;
}

}  // namespace merit::fuzz
