#pragma once
// `--explain` for a decision: each output with the rule that gave it and how the exceptions to it fared,
// the parameters read with the values in force, and the dates computed on the way. Generic: it reads the
// trace the interpreter keeps, and knows nothing of Chapter 8.
#include <string>

#include <nlohmann/json.hpp>

#include "interpreter/eval.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

/// The explanation for a person, starting with the decision's header line.
std::string explain_table(const Program& program, const ast::Decision& d, const DecisionResult& result);

/// The same for scripts: {"as_of", "outputs": [...], "parameters": [...], "dates": [...]}.
nlohmann::ordered_json explain_json(const Program& program, const ast::Decision& d,
                                    const DecisionResult& result);

}  // namespace merit::cli
