// merit check: parse and check rule files, and say what was checked. Also the helpers every command shares.
#include <fmt/format.h>

#include <filesystem>

#include "cli/cli.hpp"
#include "cli/provenance.hpp"
#include "cli/run.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

bool paths_or_default_rules(std::vector<std::string>& paths) {
  if (!paths.empty()) return true;
  std::string problem;
  paths.push_back(default_rules_dir(problem));
  if (!paths.back().empty()) return true;
  report({Diagnostic{std::nullopt, {}, problem}}, {});
  return false;
}

int report(const Diagnostics& errors, const SourceSet& sources) {
  fmt::print(stderr, "{}", render_all(errors, sources));
  return exit_invalid;
}

int usage_error(const std::string& message) {
  fmt::print(stderr, "merit: {}\nRun 'merit --help' for how to use it.\n", message);
  return exit_usage;
}

int run_check(const Options& options) {
  Program program;
  std::vector<std::string> paths = options.paths;
  if (!paths_or_default_rules(paths)) return exit_invalid;
  Diagnostics errors = load_program(program, paths, options.amendments);
  fmt::print(stderr, "{}", render_all(program.warnings, program.sources));
  // The decision merit certify answers must have the shape the command prints.
  if (const auto index = program.find_decision(certify_decision); errors.empty() && index >= 0) {
    std::string problem;
    if (certify_output(program, problem) < 0)
      errors.push_back(error_at(program.decisions[static_cast<std::size_t>(index)]->span, problem));
  }
  if (!errors.empty()) {
    report(errors, program.sources);
    fmt::print(stderr, "{} error{} found\n", errors.size(), errors.size() == 1 ? "" : "s");
    return exit_invalid;
  }
  for (const auto& a : program.amended)
    fmt::print("{}: {} (the rules': {})\n", rule_place(program, a.at), a.what,
               rule_place(program, a.replaced));
  fmt::print("{} rule file{} checked: {} decision{}, {} parameter{}, no errors\n",
             program.sources.files.size(), program.sources.files.size() == 1 ? "" : "s",
             program.decisions.size(), program.decisions.size() == 1 ? "" : "s", program.parameters.size(),
             program.parameters.size() == 1 ? "" : "s");
  return exit_ok;
}

}  // namespace merit::cli
