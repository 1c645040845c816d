#pragma once
// merit test: a rule test as read from its file, and what it came to (cli/rule_tests.cpp runs them;
// cli/rule_test_output.cpp shows the failures and rewrites expectations with --update).
#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/diagnostic.hpp"
#include "interpreter/eval.hpp"
#include "interpreter/program.hpp"
#include "interpreter/value.hpp"

namespace merit::cli {

using Json = nlohmann::ordered_json;

/// One test, read and checked for its shape; what it expects is checked against the rules when it runs.
struct RuleTest {
  std::string file;
  std::string path;                  // where the test sits in the file: "" or "tests[2]"
  std::optional<std::size_t> index;  // its place in the file's "tests"; none in a file of one test
  std::string sentence;
  std::string section;
  std::string decision;  // "certify" for a certification
  bool certify = false;
  bool several = false;  // a certify test with "requisitions": expectations keyed by requisition id
  Json inputs;           // the case: the decision's inputs, or register and requisition(s)
  std::optional<Date> as_of;
  Json set;                        // parameter values for this test: the file's "set", then its own
  std::vector<std::string> amend;  // amendment files for this test, the file's then its own
  Json expect;
};

struct Mismatch {
  std::string path;
  Json expected;
  std::optional<Json> actual;     // nullopt: nothing there
  std::string missing;            // what is shown for a missing actual
  std::vector<std::string> keys;  // where the expectation is in the test's "expect"
};

/// What a test came to: passed, failed with mismatches, refused when it should not be, or invalid.
struct Result {
  const RuleTest* test = nullptr;
  std::vector<Mismatch> mismatches;
  std::string refused;                 // the rules refused a case the test expected answered
  std::vector<std::string> errors;     // the test cannot be run as written
  std::vector<std::string> exercised;  // with --coverage: what its evaluation exercised
  bool passed() const { return mismatches.empty() && refused.empty() && errors.empty(); }
};

struct Options;

/// A test file found under a PATH argument.
struct TestFile {
  std::string path;
};

/// Reads every test of a file; a file that cannot be read at all gives no tests and an error (counted in
/// `invalid`, as is each test that cannot be read).
std::vector<RuleTest> read_test_file(const std::string& file, Diagnostics& errors, std::size_t& invalid);

/// The test files a PATH argument names: the file itself, or every `*.test.json` under a folder, in path
/// order.
void collect_test_files(const std::string& arg, std::vector<TestFile>& files, Diagnostics& errors);

/// Runs one test against `program` (loaded with the test's amendments): what it came to.
Result run_rule_test(const Program& program, const RuleTest& t);

/// The folder of the rules a test file runs against (cli/rule_test_read.cpp says how it is found).
std::string rules_for(const Options& options, const TestFile& file);

/// Something a test can exercise, for `merit test --coverage` (cli/rule_test_coverage.cpp).
struct Coverable {
  enum Kind { rule, exception, filter } kind;
  std::string place;  // FILE:LINE
  std::string what;   // "rule § 2.B.1 of complete (decision certification)"
  SourceSpan span;    // for the order of the list: by file, then line
};

/// What one test's evaluation exercised, as keys of add_coverable's map.
std::vector<std::string> exercised(const Program& program, const Trace& trace);

/// Every rule, exception and filtering condition of `program`, by key.
void add_coverable(const Program& program, std::map<std::string, Coverable>& out);

/// Prints (unless `json`) and gives the coverage: the share exercised, by kind, and what was not.
Json coverage_report(const std::map<std::string, Coverable>& coverable, const std::set<std::string>& done,
                     std::FILE* out, bool json);

/// JSON on one line with a space after each comma and colon, as a person writes it.
std::string compact(const Json& json);

/// A failed test as `merit test` prints it: the test, then each expectation beside the actual outcome.
std::string failure_text(const Result& r);
Json failure_json(const Result& r);

/// `merit test --update`: rewrites, in their files, the expectations of the failed tests to the actual
/// outcomes, leaving the rest of each file as written. Prints what it did; gives how many tests it updated.
/// A test refused, invalid, or expecting something the answer does not have is left as it is.
std::size_t update_expectations(const std::vector<Result>& results, std::FILE* out);

}  // namespace merit::cli
