// The `merit` command line: which command, with which options. Each command lives in a file of its own
// (check.cpp, answer.cpp for eval and certify, diff.cpp, rule_tests.cpp); run.cpp holds the stages they
// share. Exit status: 0 done; 1 the rules or the data are invalid (or a rule test failed); 2 the command
// line is wrong.
#include <fmt/format.h>
#include <malloc.h>
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>

#include "cli/cli.hpp"

namespace merit::cli {
namespace {

void add_amend_flag(CLI::App* command, Options& options) {
  command
      ->add_option("--amend", options.amendments,
                   "apply an amendment file (a proposal: what it replaces or adds to the rules); repeat for "
                   "several")
      ->allow_extra_args(false);
}

void add_evaluation_flags(CLI::App* command, Options& options) {
  command->add_option("--rules", options.rules, "folder of rule files (default: the shipped rules/)");
  command->add_option("--format", options.format, "table (for a person, the default) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}));
  // One NAME=VALUE a --set, so that the words after it stay arguments (repeat --set for several).
  command->add_option("--set", options.sets, "change a parameter for this run, like --set complement_size=5")
      ->allow_extra_args(false);
  command->add_option("--as-of", options.as_of, "judge the rules in force on this date (YYYY-MM-DD)");
  add_amend_flag(command, options);
}

CLI::App* add_check(CLI::App& app, Options& options) {
  CLI::App* check =
      app.add_subcommand("check", "parse and type-check rule files or folders (default: the shipped rules/)");
  check->add_option("paths", options.paths, "rule files (.merit) or folders of them");
  add_amend_flag(check, options);
  check->footer(
      "Examples:\n  merit check\n  merit check rules/chapter8 my-rules.merit\n"
      "  merit check --amend examples/what-if/rule-of-three.merit");
  return check;
}

CLI::App* add_eval(CLI::App& app, Options& options) {
  CLI::App* eval = app.add_subcommand(
      "eval",
      "answer one decision for the inputs in a JSON file, or for a case file that names its decision");
  eval->add_option("decision", options.decision, "the decision to answer, like acting_capacity");
  eval->add_option("--input", options.input, "JSON object with the decision's inputs (give the DECISION)");
  eval->add_option("--case", options.case_file,
                   "case file: {\"decision\": NAME, \"input\": {...}}, or a certify case (answered as "
                   "'merit certify --case' answers it)");
  eval->add_flag("--explain", options.explain,
                 "say how: the rule behind each output, its exceptions, the parameters and dates used");
  add_evaluation_flags(eval, options);
  eval->footer(
      "Examples:\n"
      "  merit eval acting_capacity --input examples/acting_capacity.json\n"
      "  merit eval --case examples/decisions/acting_capacity-benefits-after-thanksgiving.json --explain\n"
      "  merit eval acting_capacity --input case.json --format json --set acting_capacity_max=\"2 years\"");
  return eval;
}

CLI::App* add_certify(CLI::App& app, Options& options) {
  CLI::App* certify =
      app.add_subcommand("certify", "certify names from a class register for one or more requisitions");
  certify->add_option("--case", options.case_file, "JSON case file: the register and the requisitions")
      ->required();
  certify->add_option(
      "--register", options.register_csv,
      "the register's candidates as CSV (header row of candidate fields; lists separated by ;)");
  certify->add_flag("--explain", options.explain,
                    "for every person on the register, certified on what basis and section, or why not");
  add_evaluation_flags(certify, options);
  certify->footer(
      "Examples:\n"
      "  merit certify --case examples/certify/standard.json\n"
      "  merit certify --case examples/certify/standard.json --explain\n"
      "  merit certify --case examples/certify/standard.json --format json --set complement_size=5\n"
      "  merit certify --case examples/csv/csv-case.json --register examples/csv/register.csv");
  return certify;
}

CLI::App* add_diff(CLI::App& app, Options& options) {
  CLI::App* diff = app.add_subcommand(
      "diff", "run cases under the rules and under a proposed change of them, and say what changed");
  diff->add_option("cases", options.paths, "case files, or folders of them (*.json, searched recursively)");
  diff->add_option("--base", options.base, "the rules as they are (default: the shipped rules/)");
  diff->add_option(
      "--proposed", options.proposed,
      "the proposal: an amendment file, or a changed copy of the rules (default: the base rules)");
  add_amend_flag(diff, options);
  diff->add_option("--set", options.sets,
                   "a parameter of the proposal, like --set complement_size=3 (the base keeps its value)")
      ->allow_extra_args(false);
  diff->add_option("--as-of", options.as_of, "judge both rule sets as in force on this date (YYYY-MM-DD)");
  diff->add_option("--format", options.format,
                   "table (for a person, the default), json (for scripts) or csv (a row per change, for a "
                   "spreadsheet)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  diff->footer(
      "Examples:\n"
      "  merit diff --set complement_size=3 examples/certify examples/decisions\n"
      "  merit diff --proposed examples/what-if/rule-of-three.merit examples/certify --format json");
  return diff;
}

CLI::App* add_test(CLI::App& app, Options& options) {
  CLI::App* test = app.add_subcommand(
      "test", "run the rule tests (*.test.json) written beside the rules: cases with their expected outcome");
  test->add_option(
      "paths", options.paths,
      "test files, or folders searched for *.test.json (default: the shipped rules/); a test file beside "
      "rule files (*.merit) runs against the rule set they belong to (from the outermost folder above "
      "holding rule files), others against the shipped rules");
  test->add_option("--rules", options.rules, "run every test against these rules instead");
  add_amend_flag(test, options);
  test->add_option("--section", options.section,
                   "only the tests of this section and the sections below it: 2.B runs 2.B, 2.B.1 and 2.B.2");
  test->add_flag("--update", options.update,
                 "after printing each failure, rewrite its expectations in the test file to the actual "
                 "outcome; passing tests, and tests the rules refused, are left as they are");
  test->add_flag("--coverage", options.coverage,
                 "after the tests, say which rules, exceptions and filtering conditions no test exercised");
  test->add_option("--coverage-min", options.coverage_min,
                   "with --coverage: fail when less than this percentage was exercised")
      ->check(CLI::Range(0, 100));
  test->add_option("--format", options.format, "table (for a person, the default) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}));
  test->footer(
      "Examples:\n"
      "  merit test rules\n"
      "  merit test rules/chapter8/2-use-of-class-registers.test.json\n"
      "  merit test --rules amended-rules/ rules\n"
      "  merit test --section 2.B rules\n"
      "  merit test --update rules\n"
      "Exit status: 0 when every test passed, or with --update when every failed test was updated; 1 when a "
      "test failed, a test file is invalid, or no test was found.");
  return test;
}

int run(int argc, char** argv) {
  CLI::App app{
      "merit: the Maine civil service rules on certification and appointment (Chapter 8) and the Maine "
      "Management Service, as rule files you can read, check, run and test."};
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  merit check                       check the shipped rules\n"
      "  merit eval acting_capacity --input examples/acting_capacity.json\n"
      "  merit certify --case examples/certify/standard.json --explain\n"
      "  merit diff --set complement_size=3 examples/certify\n"
      "  merit test rules                  run the rule tests written beside the rules\n"
      "Run 'merit COMMAND --help' for each command.");
  Options options;
  CLI::App* check = add_check(app, options);
  CLI::App* eval = add_eval(app, options);
  CLI::App* certify = add_certify(app, options);
  CLI::App* diff = add_diff(app, options);
  CLI::App* test = add_test(app, options);

  // CLI11 would say only that a command is required; name the word it did not know.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string command = argv[1];
    const auto known = app.get_subcommands([](CLI::App*) { return true; });
    if (std::none_of(known.begin(), known.end(), [&](CLI::App* sub) { return sub->get_name() == command; })) {
      return usage_error(fmt::format(
          "'{}' is not a command; the commands are check, certify, diff, eval and test", command));
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
  if (diff->parsed()) return run_diff(options);
  if (test->parsed()) return run_rule_tests(options);
  if (eval->parsed()) return run_eval(options);
  return usage_error("A subcommand is required");
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
}  // namespace merit::cli

int main(int argc, char** argv) {
  // A pass over a register allocates and frees arrays of a few megabytes (the rows a filter keeps, the keys
  // of a sort) many times in a batch: kept in the heap rather than mapped and returned to the system each
  // time, they are not faulted in, page by page, again and again (a batch of 50 on 100,000 candidates:
  // 40,000 page faults instead of 65,000).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  merit::cli::Job job{argc, argv};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, std::size_t{512} << 20);
  pthread_t thread;
  if (pthread_create(&thread, &attributes, merit::cli::run_job, &job) != 0) {
    merit::cli::run_job(&job);
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attributes);
  return job.status;
}
