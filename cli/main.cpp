// The `merit` command line: which command, with which options. Each command lives in a file of its own
// (check.cpp, answer.cpp for eval and certify, diff.cpp, rule_tests.cpp); run.cpp holds the stages they
// share. Exit status: 0 done; 1 the rules or the data are invalid (or a rule test failed); 2 the command
// line is wrong.
#include <fmt/format.h>
#include <malloc.h>
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <exception>
#include <limits>
#include <new>

#include "cli/cli.hpp"
#include "cli/provenance.hpp"
#include "cli/suggest.hpp"
#include "interpreter/budget.hpp"

namespace merit::cli {
namespace {

// The rules folder the help names as the default: where merit would look now.
std::string default_rules_shown() {
  std::string problem;
  const std::string dir = default_rules_dir(problem);
  return dir.empty() ? "none found; give --rules or set MERIT_RULES" : dir;
}

void add_amend_flag(CLI::App* command, Options& options) {
  command
      ->add_option("--amend", options.amendments,
                   "apply an amendment file (a proposal: what it replaces or adds to the rules); repeat for "
                   "several")
      ->type_name("FILE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

void add_rules_flag(CLI::App* command, Options& options, const std::string& what) {
  command->add_option("--rules", options.rules, fmt::format("{} (default: {})", what, default_rules_shown()))
      ->type_name("DIR");
}

void add_set_flag(CLI::App* command, Options& options, const std::string& what) {
  // One NAME=VALUE a --set, so that the words after it stay arguments (repeat --set for several).
  command->add_option("--set", options.sets, what)
      ->type_name("NAME=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

// --format: table for a person (the default) or json for scripts; merit diff also writes csv.
void add_format_flag(CLI::App* command, Options& options, bool csv = false) {
  command
      ->add_option(
          "--format", options.format,
          csv ? "table (for a person, the default), json (for scripts) or csv (a row per change, for a "
                "spreadsheet)"
              : "table (for a person, the default) or json (for scripts)")
      ->type_name("FORMAT")
      ->check(csv ? CLI::IsMember({"table", "json", "csv"}) : CLI::IsMember({"table", "json"}));
}

// CLI11's own check of a number speaks of doubles and their range.
const CLI::Validator whole_number_above_zero(
    [](const std::string& value) {
      const bool digits =
          !value.empty() && value.size() <= 18 && value.find_first_not_of("0123456789") == std::string::npos;
      return digits && value.find_first_not_of('0') != std::string::npos
                 ? std::string()
                 : "expected a whole number above 0, found '" + value + "'";
    },
    "", "whole number above 0");

// The limits of each evaluation (interpreter/budget.hpp): a rule that would run for hours or take all the
// machine's memory stops with an error instead.
void add_limit_flags(CLI::App* command, Options& options) {
  command
      ->add_option(
          "--max-steps", options.max_steps,
          fmt::format("stop an evaluation after this many steps, a step being a part of a rule worked "
                      "out once: a name, an operator, a call (default: {})",
                      EvaluationLimits{}.steps))
      ->type_name("N")
      ->check(whole_number_above_zero);
  command
      ->add_option("--max-memory", options.max_memory_mb,
                   "stop an evaluation that needs more memory than this, in MB (default: 4096, or three "
                   "quarters of the machine's memory where that is less)")
      ->type_name("MB")
      ->check(whole_number_above_zero);
}

void add_evaluation_flags(CLI::App* command, Options& options) {
  add_rules_flag(command, options, "folder of rule files");
  add_limit_flags(command, options);
  add_format_flag(command, options);
  add_set_flag(command, options,
               "change a parameter for this run, like --set complement_size=5; repeat for several");
  command->add_option("--as-of", options.as_of, "judge the rules in force on this date (YYYY-MM-DD)")
      ->type_name("DATE");
  add_amend_flag(command, options);
}

CLI::App* add_check(CLI::App& app, Options& options) {
  CLI::App* check = app.add_subcommand("check", "parse and type-check rule files or folders");
  check
      ->add_option("paths", options.paths,
                   fmt::format("rule files (.merit) or folders of them (default: {})", default_rules_shown()))
      ->type_name("PATH");
  add_amend_flag(check, options);
  check
      ->add_option("--format", options.format,
                   "table (messages for a person, the default) or json (every diagnostic with its file, "
                   "range, severity, message and hint, for editors and scripts)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"table", "json"}));
  check->footer(
      "Examples:\n  merit check\n  merit check rules/chapter8 my-rules.merit\n"
      "  merit check --amend examples/what-if/rule-of-three.merit\n"
      "  merit check --format json my-rules.merit");
  return check;
}

CLI::App* add_eval(CLI::App& app, Options& options) {
  CLI::App* eval = app.add_subcommand(
      "eval",
      "answer one decision for the inputs in a JSON file, or for a case file that names its decision");
  eval->add_option("decision", options.decision,
                   "the decision to answer, like acting_capacity (merit list shows them)")
      ->type_name("DECISION");
  eval->add_option("--input", options.input, "JSON object with the decision's inputs (give the DECISION)")
      ->type_name("FILE");
  eval->add_option("--case", options.case_file,
                   "case file: {\"decision\": NAME, \"input\": {...}}, or a certify case (answered as "
                   "'merit certify --case' answers it)")
      ->type_name("FILE");
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
      ->type_name("FILE");
  certify
      ->add_option("--register", options.register_csv,
                   "the register's candidates as CSV (header row of candidate fields; lists separated by ;)")
      ->type_name("FILE");
  certify
      ->add_option("--delimiter", options.delimiter,
                   "what separates the CSV's cells: , ; or tab (default: the one its header row uses)")
      ->type_name("SEPARATOR");
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
  diff->add_option("cases", options.paths, "case files, or folders of them (*.json, searched recursively)")
      ->type_name("PATH");
  diff->add_option("--base", options.base,
                   fmt::format("the rules as they are (default: {})", default_rules_shown()))
      ->type_name("DIR");
  diff->add_option(
          "--proposed", options.proposed,
          "the proposal: an amendment file, or a changed copy of the rules (default: the base rules)")
      ->type_name("PATH");
  add_amend_flag(diff, options);
  add_set_flag(diff, options,
               "a parameter of the proposal, like --set complement_size=3 (the base keeps its value)");
  diff->add_option("--as-of", options.as_of, "judge both rule sets as in force on this date (YYYY-MM-DD)")
      ->type_name("DATE");
  add_format_flag(diff, options, /*csv=*/true);
  add_limit_flags(diff, options);
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
          "holding rule files), others against the shipped rules")
      ->type_name("PATH");
  test->add_option("--rules", options.rules, "run every test against these rules instead")->type_name("DIR");
  add_amend_flag(test, options);
  test->add_option("--section", options.section,
                   "only the tests of this section and the sections below it: 2.B runs 2.B, 2.B.1 and 2.B.2")
      ->type_name("SECTION");
  test->add_flag("--update", options.update,
                 "after printing each failure, rewrite its expectations in the test file to the actual "
                 "outcome; passing tests, and tests the rules refused, are left as they are");
  test->add_flag("--coverage", options.coverage,
                 "after the tests, say which rules, exceptions and filtering conditions no test exercised");
  test->add_option("--coverage-min", options.coverage_min,
                   "with --coverage: fail when less than this percentage was exercised")
      ->type_name("PERCENT")
      ->check(CLI::Range(0, 100));
  add_format_flag(test, options);
  add_limit_flags(test, options);
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

CLI::App* add_list(CLI::App& app, Options& options) {
  CLI::App* list = app.add_subcommand(
      "list",
      "list what the rules answer and what they let you change: each decision with its inputs and "
      "outputs, each parameter with its dated values and section");
  add_rules_flag(list, options, "folder of rule files");
  add_amend_flag(list, options);
  add_format_flag(list, options);
  list->footer("Examples:\n  merit list\n  merit list --format json");
  return list;
}

CLI::App* add_schema(CLI::App& app, Options& options) {
  CLI::App* schema = app.add_subcommand(
      "schema",
      "print the JSON Schema of a file merit reads, written from the rules' declarations: a case "
      "file, a decision's inputs, or a rule test file");
  schema->add_option("kind", options.schema_kind, "case, input or test")->type_name("KIND")->required();
  schema->add_option("decision", options.decision, "for input: the decision, like acting_capacity")
      ->type_name("DECISION");
  add_rules_flag(schema, options, "folder of rule files");
  add_amend_flag(schema, options);
  schema->footer(
      "Examples:\n  merit schema case > case.schema.json\n  merit schema input acting_capacity\n"
      "  merit schema test");
  return schema;
}

CLI::App* add_fmt(CLI::App& app, Options& options) {
  CLI::App* fmt = app.add_subcommand(
      "fmt",
      "lay out rule files in the one canonical way (indentation and blank space; nothing else changes)");
  fmt->add_option("paths", options.paths,
                  "rule files (.merit) or folders of them, or - to lay out stdin to stdout")
      ->type_name("PATH");
  fmt->add_flag("--check", options.check,
                "say which files are not laid out so, and change none (exit 1 when there are some)");
  fmt->footer(
      "Examples:\n  merit fmt my-rules.merit\n  merit fmt --check rules\n  merit fmt - < draft.merit");
  return fmt;
}

CLI::App* add_doc(CLI::App& app, Options& options) {
  CLI::App* doc = app.add_subcommand(
      "doc",
      "write the rules as a site to read and print: the law quoted beside the rules that encode it, the "
      "sections with their rule tests and outcomes, the parameters, the decisions, and an amendment beside "
      "today's text");
  add_rules_flag(doc, options, "folder of rule files");
  add_amend_flag(doc, options);
  doc->add_option("-o,--output", options.output, "the folder to write the pages to (made if missing)")
      ->type_name("DIR")
      ->required();
  doc->footer(
      "Examples:\n  merit doc -o site    (then open site/index.html)\n"
      "  merit doc --amend proposal.merit -o site");
  return doc;
}

CLI::App* add_lsp(CLI::App& app) {
  CLI::App* lsp = app.add_subcommand(
      "lsp",
      "serve an editor as a language server (the Language Server Protocol on stdin and stdout): diagnostics "
      "as you type, hover with the law quoted beside a declaration, go to definition, completion and the "
      "outline");
  lsp->footer(
      "Examples:\n  merit lsp    (an editor starts it: see the README's section on merit lsp)\n"
      "It checks the rules folder a file is in (the workspace's rules/ or merit's own), with the texts the "
      "editor holds, at each change.");
  return lsp;
}

std::vector<std::string> command_names(CLI::App& app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

// The words CLI11 would not place, found before it parses: a mistyped command or flag gets the nearest one,
// and `--set NAME VALUE` the form it takes. Empty when the command line reads well.
std::string misspelt(CLI::App& app, const std::vector<std::string>& args) {
  const std::vector<std::string> commands = command_names(app);
  if (args.empty()) return {};
  if (args[0][0] != '-' && std::find(commands.begin(), commands.end(), args[0]) == commands.end()) {
    std::string all;
    for (std::size_t i = 0; i < commands.size(); ++i)
      all += (i == 0 ? "" : i + 1 == commands.size() ? " and " : ", ") + commands[i];
    const std::string near = nearest(args[0], commands);
    return fmt::format("'{}' is not a command{}; the commands are {}", args[0],
                       near.empty() ? "" : " (did you mean " + near + "?)", all);
  }
  if (args[0][0] == '-') {
    return args[0] == "--help" || args[0] == "-h" || args[0] == "--help-all" || args[0] == "--version"
               ? std::string()
               : fmt::format(
                     "'{}' is not an option of merit; a command comes first, like merit certify --help",
                     args[0]);
  }
  CLI::App* command = app.get_subcommand(args[0]);
  std::vector<std::string> flags;
  for (const CLI::Option* o : command->get_options()) {
    for (const auto& name : o->get_lnames()) flags.push_back("--" + name);
    for (const auto& name : o->get_snames()) flags.push_back("-" + name);
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    // A negative number (-5, -.5) is a value, not an option.
    if (a.size() < 2 || a[0] != '-' || std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.')
      continue;
    const std::string flag = a.substr(0, a.find('='));
    if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
      // A short option (-c) is too short to guess from: list them instead.
      const std::string near = flag.rfind("--", 0) == 0 ? nearest(flag, flags) : std::string();
      return near.empty() ? fmt::format("merit {} has no option {}; 'merit {} --help' lists them", args[0],
                                        flag, args[0])
                          : fmt::format("merit {} has no option {}: did you mean {}?", args[0], flag, near);
    }
    if (a == "--set" && i + 1 < args.size() && !args[i + 1].empty() &&
        args[i + 1].find('=') == std::string::npos) {
      const bool value_follows = i + 2 < args.size() && args[i + 2][0] != '-';
      return fmt::format("--set takes NAME=VALUE as one word, like --set {}={}", args[i + 1],
                         value_follows ? args[i + 2] : "VALUE");
    }
  }
  return {};
}

int run(int argc, char** argv) {
  CLI::App app{
      "merit: the Maine civil service rules on certification and appointment (Chapter 8) and the Maine "
      "Management Service, as rule files you can read, check, run and test."};
  app.name("merit");
  app.require_subcommand(0, 1);
  app.set_help_all_flag("--help-all", "print the help of every command (the manual page is made from it)");
  bool version = false;  // answered before parsing; declared so that the help lists it
  app.add_flag("--version", version, "print merit's version and the rules it uses when none are named");
  app.footer(
      "Examples:\n"
      "  merit check                       check the shipped rules\n"
      "  merit list                        the decisions and parameters of the rules\n"
      "  merit schema case                 the JSON Schema of a case file\n"
      "  merit eval acting_capacity --input examples/acting_capacity.json\n"
      "  merit certify --case examples/certify/standard.json --explain\n"
      "  merit diff --set complement_size=3 examples/certify\n"
      "  merit test rules                  run the rule tests written beside the rules\n"
      "Run 'merit help COMMAND' or 'merit COMMAND --help' for each command.\n"
      "Exit status: 0 done; 1 the rules or the data are invalid, or a rule test failed; 2 the command line "
      "is wrong.");
  Options options;
  CLI::App* check = add_check(app, options);
  CLI::App* eval = add_eval(app, options);
  CLI::App* certify = add_certify(app, options);
  CLI::App* diff = add_diff(app, options);
  CLI::App* test = add_test(app, options);
  CLI::App* list = add_list(app, options);
  CLI::App* schema = add_schema(app, options);
  CLI::App* fmt_command = add_fmt(app, options);
  CLI::App* doc = add_doc(app, options);
  CLI::App* lsp = add_lsp(app);
  std::string help_topic;  // read before parsing, in run(); declared so that the help lists it
  CLI::App* help = app.add_subcommand("help", "say how to use merit, or one of its commands");
  help->add_option("command", help_topic, "the command, like certify")->type_name("COMMAND");
  help->footer("Examples:\n  merit help\n  merit help certify");

  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + std::max(argc, 1));
  if (args.empty()) {
    fmt::print("{}", app.help());
    return exit_ok;
  }
  if (auto problem = misspelt(app, args); !problem.empty()) return usage_error(problem);
  // `merit help [COMMAND]`, answered here: CLI11 would take a command named help for its own --help.
  if (args[0] == "help") {
    if (args.size() == 1) {
      fmt::print("{}", app.help());
      return exit_ok;
    }
    const std::string topic = args[1] == "--help" || args[1] == "-h" ? "help" : args[1];
    const std::vector<std::string> commands = command_names(app);
    if (args.size() == 2 && std::find(commands.begin(), commands.end(), topic) != commands.end()) {
      fmt::print("{}", app.get_subcommand(topic)->help("merit"));
      return exit_ok;
    }
    if (args.size() > 2) return usage_error("merit help takes one command, like merit help certify");
    const std::string near = nearest(args[1], commands);
    return usage_error(
        fmt::format("'{}' is not a command{}", args[1], near.empty() ? "" : "; did you mean " + near + "?"));
  }
  if (args[0] == "--version") {
    if (args.size() > 1) return usage_error("--version takes nothing after it");
    std::string problem;
    const std::string dir = default_rules_dir(problem);
    fmt::print("merit {}\n", merit_version());
    if (dir.empty()) {
      fmt::print("rules: none found ({})\n", problem);
      return exit_ok;
    }
    Program program;
    const Diagnostics errors = load_program(program, {dir}, {});
    const RulesIdentity rules = identify_rules(program, dir);
    if (!errors.empty()) {
      fmt::print("rules: {} ({} error{}: run merit check)\n", rules.folder, errors.size(),
                 errors.size() == 1 ? "" : "s");
    } else {
      fmt::print("rules: {} ({} rule file{}, hash {})\n", rules.folder, rules.files,
                 rules.files == 1 ? "" : "s", rules.hash);
    }
    return exit_ok;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    const auto parsed = app.get_subcommands();
    fmt::print("{}", parsed.empty() ? app.help() : parsed.front()->help("merit"));
    return exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    fmt::print("{}", app.help("", CLI::AppFormatMode::All));
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    // Help for a subcommand arrives as CallForHelp too, but from the subcommand: print that one.
    if (e.get_exit_code() == 0) {
      for (auto* sub : app.get_subcommands()) fmt::print("{}", sub->help("merit"));
      return exit_ok;
    }
    return usage_error(e.what());
  }
  // An option given an empty value (--as-of "", --case "") would read as not given at all: say so instead.
  for (CLI::App* sub : app.get_subcommands()) {
    for (const CLI::Option* o : sub->get_options()) {
      const auto& given = o->results();
      if (o->count() > 0 &&
          std::any_of(given.begin(), given.end(), [](const std::string& v) { return v.empty(); }))
        return usage_error(fmt::format("{} was given an empty value", o->get_name()));
    }
  }
  if (options.max_steps > 0) evaluation_limits().steps = options.max_steps;
  if (options.max_memory_mb > 0) {
    if (options.max_memory_mb > (std::numeric_limits<std::uint64_t>::max() >> 20))
      return usage_error("--max-memory is larger than any machine's memory");
    evaluation_limits().memory_bytes = options.max_memory_mb << 20;
  }
  if (check->parsed()) return run_check(options);
  if (certify->parsed()) return run_certify(options);
  if (diff->parsed()) return run_diff(options);
  if (test->parsed()) return run_rule_tests(options);
  if (eval->parsed()) return run_eval(options);
  if (list->parsed()) return run_list(options);
  if (schema->parsed()) return run_schema(options);
  if (fmt_command->parsed()) return run_fmt(options);
  if (doc->parsed()) return run_doc(options);
  if (lsp->parsed()) return run_lsp(options);
  return usage_error("a command is required, like merit certify");
}

// Deeply nested input is refused by the parser, but evaluation of large rule sets still recurses: a
// generous stack keeps every limit an error message rather than a crash.
struct Job {
  int argc;
  char** argv;
  int status = exit_invalid;
};

// The command as typed, for a report of what failed: each word quoted where it holds a space, and all of it
// cut short where it is long.
std::string command_line(int argc, char** argv) {
  std::string out = "merit";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    out += word.find(' ') == std::string::npos ? " " + word : " '" + word + "'";
  }
  return out.size() > 300 ? out.substr(0, 300) + "..." : out;
}

// Every error merit knows of is reported where it happens, with its place. What reaches here is a broken
// invariant of merit itself (or the machine out of memory): say so, with the command that met it.
void* run_job(void* arg) {
  auto* job = static_cast<Job*>(arg);
  try {
    job->status = run(job->argc, job->argv);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "merit: error: out of memory while running {}\n", command_line(job->argc, job->argv));
    job->status = exit_invalid;
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "merit: internal error while running {}: {}; please report it, with the files it read\n",
               command_line(job->argc, job->argv), e.what());
    job->status = exit_invalid;
  } catch (...) {
    fmt::print(stderr, "merit: internal error while running {}; please report it, with the files it read\n",
               command_line(job->argc, job->argv));
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
