#pragma once
// What the commands of `merit` share: the options the command line fills in, the exit statuses, how a
// problem is printed, and one entry function per command. main.cpp only parses the command line.
#include <cstdint>
#include <string>
#include <vector>

#include "interpreter/diagnostic.hpp"

namespace merit::cli {

constexpr int exit_ok = 0;
constexpr int exit_invalid = 1;  // the rules or the data are invalid (or a rule test failed)
constexpr int exit_usage = 2;    // the command line is wrong

/// Everything one command needs, filled from the command line.
struct Options {
  std::vector<std::string> paths;  // check: rule files; diff: cases; test: test files or folders
  std::string rules;
  std::string decision;
  std::string input;
  std::string case_file;
  std::string format = "table";
  std::vector<std::string> sets;
  std::vector<std::string> amendments;  // --amend FILE: amendment files applied to the rules
  std::string as_of;
  std::string register_csv;
  std::string schema_kind;  // schema: case, input or test
  std::string delimiter;    // certify --register: ",", ";" or "tab"; empty: the one the CSV's header uses
  bool explain = false;
  std::string base;
  std::string proposed;
  std::string output;               // doc: the folder the site is written to
  std::string section;              // test: only the tests of this section and those below it
  bool update = false;              // test: rewrite failed expectations to the actual outcomes
  bool check = false;               // fmt: say which files are not laid out, and change none
  bool coverage = false;            // test: say which rules, exceptions and filters no test exercised
  int coverage_min = -1;            // test: fail below this share exercised, in percent
  std::uint64_t max_steps = 0;      // --max-steps: 0 for the default (interpreter/budget.hpp)
  std::uint64_t max_memory_mb = 0;  // --max-memory, in MB: 0 for the default
};

/// The paths a command reads rules or tests from: `paths`, or, when there are none, the rules merit finds
/// (default_rules_dir in provenance.hpp). False, with the problem printed, when there are none to find.
bool paths_or_default_rules(std::vector<std::string>& paths);

/// Prints every diagnostic on stderr and gives exit_invalid.
int report(const Diagnostics& errors, const SourceSet& sources);

/// Prints a command-line mistake on stderr, with where to find help, and gives exit_usage.
int usage_error(const std::string& message);

int run_check(const Options& options);
int run_eval(const Options& options);
int run_certify(const Options& options);
int run_diff(const Options& options);
int run_rule_tests(const Options& options);
int run_list(const Options& options);
int run_schema(const Options& options);
int run_lsp(const Options& options);
int run_fmt(const Options& options);
int run_doc(const Options& options);

}  // namespace merit::cli
