// The `merit` command as a user meets it: bad rule files and bad data never crash it or hang it, every
// problem is a message on stderr with exit status 1, a wrong command line is exit status 2, and the tour
// example answers as the README says.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::env_or;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::RunResult;
using merit::testing::Scratch;
using merit::testing::source_dir;

namespace {

/// Like run_merit, but the command is stopped after `limit` seconds (exit status 124 then), and the time
/// it took is measured.
struct TimedResult {
  RunResult result;
  double seconds = 0;
};

TimedResult run_timed(const std::string& args, int limit = 60) {
  TimedResult timed;
  const auto start = std::chrono::steady_clock::now();
  timed.result = merit::testing::run_merit_limited(args, limit);
  timed.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timed.result.out = merit::testing::without_provenance(timed.result.out);
  return timed;
}

// A guard against a hang (an endless loop on bad input), not a measure of speed: sanitizer builds on a loaded
// CI machine take many times longer than a release build, so the limit is generous. Speed is measured in
// bench/.
constexpr double hang_limit_seconds = 180;

/// What every rejected rule file must give: exit 1, a diagnostic on stderr, nothing on stdout, no sanitizer
/// report, no hang.
void expect_rejected(const TimedResult& t, const std::string& first_line_prefix,
                     const std::string& message = "") {
  const auto& r = t.result;
  INFO("stderr (first 500 bytes): " << r.err.substr(0, 500));
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind(first_line_prefix, 0) == 0);
  if (!message.empty())
    CHECK(r.err.substr(0, r.err.find('\n') + 1).find(": error: " + message) != std::string::npos);
  CHECK(r.err.find(": error: ") != std::string::npos);
  CHECK(r.err.find("Sanitizer") == std::string::npos);
  CHECK(r.err.find("runtime error") == std::string::npos);
  CHECK(t.seconds < hang_limit_seconds);
}

/// Deterministic pseudo-random bytes (a 64-bit linear congruential generator).
std::string random_bytes(std::uint64_t seed, std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t x = seed;
  for (auto& c : out) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(x >> 56);
  }
  return out;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

/// A run refused for its command line: exit 2, nothing on stdout, and exactly `message` with the pointer to
/// the help on stderr.
void expect_usage_error(const std::string& args, const std::string& message) {
  CAPTURE(args);
  const auto r = merit::testing::run_merit(args);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err == message + "Run 'merit --help' for how to use it.\n");
}

}  // namespace

// -------------------------------------------------------------------------------------------------------------
// merit check on bad input.

TEST_CASE("cli: check of an empty rule file is no crash (it declares nothing)") {
  Scratch s;
  const auto path = s.write("empty.merit", "");
  const auto t = run_timed("check '" + path + "'");
  // An empty file is a rule file with no declarations; it is accepted.
  CHECK(t.result.status == 0);
  CHECK(t.result.err.empty());
  CHECK(t.result.out == "1 rule file checked: 0 decisions, 0 parameters, no errors\n");
}

TEST_CASE("cli: check of random binary bytes gives a diagnostic") {
  Scratch s;
  for (std::uint64_t seed : {1, 2, 3, 42, 2026}) {
    CAPTURE(seed);
    for (std::size_t size : {1, 64, 4096, 65536}) {
      CAPTURE(size);
      std::string bytes = random_bytes(seed, size);
      bytes[0] = '\x01';  // so that the first byte is never blank space, a comment or a quote
      const auto path =
          s.write("random-" + std::to_string(seed) + "-" + std::to_string(size) + ".merit", bytes);
      const auto t = run_timed("check '" + path + "'");
      // Random bytes are refused as not UTF-8 at the first bad byte, or where none is, as no declaration.
      expect_rejected(t, path + ":1:");
      const std::string first = t.result.err.substr(0, t.result.err.find('\n'));
      CHECK((first.find(": error: this is not UTF-8 text (byte 0x") != std::string::npos ||
             first.rfind(path + ":1:1: error: expected a declaration", 0) == 0));
    }
  }
}

TEST_CASE("cli: check of binary bytes after a valid declaration points at the first byte that is not UTF-8") {
  Scratch s;
  const auto path = s.write("mixed.merit", "parameter p: integer § 1 = 6\n" + std::string("\x00\xff\x7f", 3));
  const auto t = run_timed("check '" + path + "'");
  expect_rejected(t, path + ":2:2: error: this is not UTF-8 text (byte 0xFF); save the rule file as UTF-8\n");
  // Control bytes and bytes that are not UTF-8 are shown as '?' in the quoted line, one each.
  CHECK(t.result.err.find("\n???\n ^\n") != std::string::npos);

  // Text in other scripts is UTF-8 and shown as it is.
  const auto accents = s.write("accents.merit", "parameter p: integer § 1 = \"Léa\" \x01\n");
  const auto ta = run_timed("check '" + accents + "'");
  expect_rejected(ta, accents + ":1:");
  CHECK(ta.result.err.find("\"Léa\" ?\n") != std::string::npos);
}

TEST_CASE("cli: check of a 1 MB single line") {
  Scratch s;
  const std::string long_text = "parameter p: text § 1 = \"" + std::string(1 << 20, 'x') + "\n";
  const auto a = s.write("long-text.merit", long_text);
  const auto ta = run_timed("check '" + a + "'");
  expect_rejected(ta, a + ":1:1048603: error: this text has no closing \" on its line\n");
  // The quoted line is cut short.
  CHECK(ta.result.err.size() < 1000);

  const auto b =
      s.write("long-name.merit", "parameter " + std::string(1 << 20, 'n') + ": integer § 1 = 1 oops\n");
  expect_rejected(run_timed("check '" + b + "'"), b + ":1:1048606: error: expected a declaration");

  const auto c =
      s.write("long-list.merit", "parameter p: list of integer § 1 = [" + repeat("1, ", 300000) + "1\n");
  expect_rejected(run_timed("check '" + c + "'"), c + ":2:1: error: expected ',' or ']' in the list");

  // A long comment is fine.
  const auto d = s.write("long-comment.merit", "# " + std::string(1 << 20, 'c') + "\n");
  const auto td = run_timed("check '" + d + "'");
  CHECK(td.result.status == 0);
  CHECK(td.seconds < hang_limit_seconds);
}

TEST_CASE("cli: check of expressions nested 10,000 deep") {
  Scratch s;
  const std::size_t n = 10000;
  const std::string head = "decision d § 1 {\n  input a: integer\n  output x: integer § 1 = ";
  const std::string tail = "\n}\n";
  // The column where the value starts on line 3 (§ is two bytes).
  const std::size_t start = head.size() - head.rfind('\n');
  const std::string nested = "expressions are nested more than 64 levels deep\n";
  const auto at = [&](const std::string& path, std::size_t column) {
    return path + ":3:" + std::to_string(column) + ": error: ";
  };

  // The 65th level opens at the 65th '(' or '['.
  const auto parens = s.write("parens.merit", head + repeat("(", n) + "a" + repeat(")", n) + tail);
  expect_rejected(run_timed("check '" + parens + "'"), at(parens, start + 64) + nested);

  const auto brackets = s.write("brackets.merit", head + repeat("[", n) + "a" + repeat("]", n) + tail);
  expect_rejected(run_timed("check '" + brackets + "'"), at(brackets, start + 64) + nested);

  const auto ifs = s.write("ifs.merit", head + repeat("if a > 0 then a else ", n) + "a" + tail);
  expect_rejected(run_timed("check '" + ifs + "'"), ifs + ":3:", nested);

  const auto calls = s.write("calls.merit", head + repeat("max(a, ", n) + "a" + repeat(")", n) + tail);
  expect_rejected(run_timed("check '" + calls + "'"), calls + ":3:", nested);

  const auto records = s.write("records.merit", head + repeat("R { f: ", n) + "a" + repeat(" }", n) + tail);
  expect_rejected(run_timed("check '" + records + "'"), records + ":3:", nested);

  const auto mixed = s.write("mixed.merit", head + repeat("([", n) + "a" + repeat("])", n) + tail);
  expect_rejected(run_timed("check '" + mixed + "'"), at(mixed, start + 64) + nested);

  // `not` and unary minus are written as a run, not nested in the grammar, and a field chain as a list:
  // each is refused past its limit where it starts, before any pass recurses through it.
  const auto nots = s.write("nots.merit", head + repeat("not ", n) + "a" + tail);
  expect_rejected(run_timed("check '" + nots + "'"), at(nots, start) + "more than 64 `not` in a row\n");

  const auto minus = s.write("minus.merit", head + repeat("- ", n) + "\"a\"" + tail);
  expect_rejected(run_timed("check '" + minus + "'"), at(minus, start) + "more than 64 `-` in a row\n");

  const auto fields = s.write("fields.merit", head + "a" + repeat(".f", n) + tail);
  expect_rejected(run_timed("check '" + fields + "'"),
                  at(fields, start) +
                      "more than 256 fields in one chain (`a.b.c ...`); split it into named definitions\n");

  // Types nest through `list of` and `map of`.
  const auto types = s.write("types.merit", "parameter p: " + repeat("list of ", n) + "integer § 1 = []\n");
  expect_rejected(run_timed("check '" + types + "'"),
                  types + ":1:", "types are nested more than 64 levels deep");
}

TEST_CASE("cli: check of a chain of 100,000 operators") {
  Scratch s;
  const std::string head = "decision d § 1 {\n  input a: integer\n  output x: integer § 1 = a";
  const std::string tail = "\n}\n";
  const std::string message = "more than 256 operators in one expression; split it into named definitions\n";
  for (const char* op : {" + a", " * a", " and a", " or a", " ?? a", " - a", " == a"}) {
    CAPTURE(op);
    const auto path = s.write("chain.merit", head + repeat(op, 100000) + tail);
    if (std::string(op) == " == a") {
      // Comparisons do not chain, and the parser says so at the second one.
      expect_rejected(run_timed("check '" + path + "'"),
                      path + ":3:34: error: comparisons cannot be chained: write a < b and b < c");
    } else {
      expect_rejected(run_timed("check '" + path + "'"), path + ":3:28: error: " + message);
    }
  }
  // The limit itself is accepted, one more is not.
  const auto ok = s.write("short-chain.merit", head + repeat(" + a", 256) + tail);
  CHECK(run_timed("check '" + ok + "'").result.status == 0);
  const auto over = s.write("long-chain.merit", head + repeat(" + a", 257) + tail);
  expect_rejected(run_timed("check '" + over + "'"), over + ":3:28: error: " + message);
}

TEST_CASE("cli: the longest run of `not` and the deepest expression allowed evaluate") {
  Scratch s;
  const auto input = s.write("input.json", R"({"a": 1, "b": true})");
  const std::string head = "decision d § 1 {\n  input a: integer\n  input b: boolean\n  output x: ";
  const auto eval = [&](const std::string& name, const std::string& output) {
    const auto rules = s.write(name, head + output + "\n}\n");
    return run_timed("eval d --rules '" + rules + "' --input '" + input + "' --format json");
  };
  const auto nots = eval("nots.merit", "boolean § 1 = " + repeat("not ", 64) + "b");
  CHECK(nots.result.status == 0);
  CHECK(nots.result.out == "{\n  \"x\": true\n}\n");

  // Each operator, sign and field is a level; chains inside chains reach 999 levels here.
  const auto nest = [&](std::initializer_list<int> chains) {
    std::string inner = "a";
    for (const int m : chains) inner = "(" + inner + repeat(" + a", static_cast<std::size_t>(m)) + ")";
    return inner;
  };
  const auto deep = eval("deep.merit", "integer § 1 = " + nest({256, 256, 256, 230}));
  CHECK(deep.result.status == 0);
  CHECK(deep.result.out == "{\n  \"x\": 999\n}\n");
  CHECK(deep.seconds < hang_limit_seconds);

  const auto deeper = eval("deeper.merit", "integer § 1 = " + nest({256, 256, 256, 256}));
  expect_rejected(deeper, s.dir.string() + "/deeper.merit:4:",
                  "this expression is more than 1024 levels deep (each operator, sign and field counts); "
                  "split it into named definitions");
}

TEST_CASE("cli: check of a file or folder that does not exist, or a folder without rule files") {
  Scratch s;
  const auto missing = (s.dir / "missing.merit").string();
  const auto a = run_timed("check '" + missing + "'");
  CHECK(a.result.status == 1);
  CHECK(a.result.out.empty());
  CHECK(a.result.err == missing + ": error: no such file or folder\n1 error found\n");

  fs::create_directories(s.dir / "empty");
  s.write("empty/notes.txt", "not a rule file");
  s.write("empty/rules.merit.bak", "parameter");
  const auto empty = (s.dir / "empty").string();
  const auto b = run_timed("check '" + empty + "'");
  CHECK(b.result.status == 1);
  CHECK(b.result.out.empty());
  CHECK(b.result.err == empty + ": error: this folder has no rule files (*.merit)\n1 error found\n");

  const auto c = run_timed("eval d --rules '" + empty + "' --input examples/tour.json");
  CHECK(c.result.status == 1);
  CHECK(c.result.err == empty + ": error: this folder has no rule files (*.merit)\n");

  // Several paths: every problem is reported.
  const auto d = run_timed("check '" + missing + "' '" + empty + "'");
  CHECK(d.result.status == 1);
  CHECK(d.result.err == missing + ": error: no such file or folder\n" + empty +
                            ": error: this folder has no rule files (*.merit)\n2 errors found\n");
}

TEST_CASE("cli: check reads folders recursively, in name order, and reports errors from every file") {
  Scratch s;
  fs::create_directories(s.dir / "rules" / "sub");
  s.write("rules/b.merit", "parameter b: integr § 1 = 1\n");
  s.write("rules/sub/a.merit", "parameter a: integer § 1 = \"one\"\n");
  s.write("rules/a.merit", "parameter c: integer § 1 = 1\n");
  const auto folder = (s.dir / "rules").string();
  const auto t = run_timed("check '" + folder + "'");
  CHECK(t.result.status == 1);
  CHECK(t.result.err ==
        folder + "/b.merit:1:14: error: unknown type integr; did you mean 'integer'?\n" +
            "parameter b: integr § 1 = 1\n" + "             ^\n" + folder +
            "/sub/a.merit:1:29: error: the value of parameter a should be integer, but this is text\n" +
            "parameter a: integer § 1 = \"one\"\n" + "                            ^\n" + "2 errors found\n");
}

TEST_CASE("cli: a syntax error in one file stops before checking names across files") {
  Scratch s;
  fs::create_directories(s.dir / "rules");
  s.write("rules/a.merit", "parameter a: integer § 1 = b_value\n");
  s.write("rules/b.merit", "parameter b_value integer § 1 = 1\n");
  const auto folder = (s.dir / "rules").string();
  const auto t = run_timed("check '" + folder + "'");
  CHECK(t.result.status == 1);
  CHECK(t.result.err == folder + "/b.merit:1:19: error: expected ':' and a type\n" +
                            "parameter b_value integer § 1 = 1\n" + "                  ^\n1 error found\n");
}

TEST_CASE("cli: a successful check says what it checked") {
  const auto t = run_timed("check examples/tour.merit");
  CHECK(t.result.status == 0);
  CHECK(t.result.err.empty());
  CHECK(t.result.out == "1 rule file checked: 2 decisions, 2 parameters, no errors\n");
}

// -------------------------------------------------------------------------------------------------------------
// merit eval: problems with the data.

TEST_CASE("cli: eval data errors") {
  Scratch s;
  const std::string rules = "--rules examples/tour.merit";
  const auto eval = [&](const std::string& decision, const std::string& input) {
    return run_timed("eval " + decision + " " + rules + " --input '" + input + "'").result;
  };

  SUBCASE("missing input file") {
    const auto missing = (s.dir / "nope.json").string();
    const auto r = eval("rank", missing);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == missing + ": error: no such file\n");
  }
  SUBCASE("invalid JSON") {
    const auto path = s.write("bad.json", "{\"certified_on\": ");
    const auto r = eval("rank", path);
    CHECK(r.status == 1);
    CHECK(r.err == path +
                       ": error: this is not valid JSON: at line 1, "
                       "column 18: unexpected end of input; expected '[', '{', "
                       "or a literal\n");
  }
  SUBCASE("empty file") {
    const auto path = s.write("empty.json", "");
    const auto r = eval("rank", path);
    CHECK(r.status == 1);
    CHECK(r.err.rfind(path + ": error: this is not valid JSON: ", 0) == 0);
  }
  SUBCASE("input not an object") {
    for (const char* json : {"[]", "42", "\"text\"", "null"}) {
      CAPTURE(json);
      const auto path = s.write("not-object.json", json);
      const auto r = eval("rank", path);
      CHECK(r.status == 1);
      CHECK(r.err == path +
                         ": error: expected a JSON object with the decision's inputs, like {\"start\": "
                         "\"2026-03-01\"}\n");
    }
  }
  SUBCASE("unknown input, with the list of inputs") {
    const auto path = s.write("unknown.json", R"({"start": "2026-03-01", "year": 2026, "stat": 1})");
    const auto r = eval("working_days", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: stat: unknown input of working_days; its inputs are: start, year\n");
  }
  SUBCASE("missing input") {
    const auto path = s.write("missing.json", R"({"start": "2026-03-01"})");
    const auto r = eval("working_days", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: year: missing input of working_days (integer)\n");
  }
  SUBCASE("every problem with the inputs is reported at once") {
    const auto path = s.write("several.json", R"({"stat": 1})");
    const auto r = eval("working_days", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: stat: unknown input of working_days; its inputs are: start, year\n" +
                       path + ": error: start: missing input of working_days (date)\n" + path +
                       ": error: year: missing input of working_days (integer)\n");
  }
  SUBCASE("wrong type, with the JSON path") {
    const auto path =
        s.write("wrong.json", R"({"certified_on": "2026-11-25", "agency": "DHHS", "candidates": [
      {"id": "C1", "score": 90}, {"id": "C2", "score": "high"}, {"id": 3, "score": 1, "promotional_preference": 1}]})");
    const auto r = eval("rank", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: candidates[1].score: expected a number, found \"high\"\n" + path +
                       ": error: candidates[2].id: expected text, found 3\n" + path +
                       ": error: candidates[2].promotional_preference: expected true or false, found 1\n");
  }
  SUBCASE("misspelt field of a record") {
    const auto path =
        s.write("field.json", R"({"certified_on": "2026-11-25", "agency": "DHHS", "candidates": [
      {"id": "C1", "scor": 90}]})");
    const auto r = eval("rank", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: candidates[0]: missing required field \"score\"\n" + path +
                       ": error: candidates[0]: unknown field \"scor\"; did you mean \"score\"?\n");
  }
  SUBCASE("wrong enum value") {
    const auto path =
        s.write("enum.json", R"({"certified_on": "2026-11-25", "agency": "DHHS", "candidates": [],
      "method": "standrd"})");
    const auto r = eval("rank", path);
    CHECK(r.status == 1);
    CHECK(r.err ==
          path +
              ": error: method: expected one of standard, agency_promotional, statewide_promotional, "
              "open_competitive, found \"standrd\"\n");
  }
  SUBCASE("a date that does not exist") {
    const auto path = s.write("date.json", R"({"start": "2026-02-30", "year": 2026})");
    const auto r = eval("working_days", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: start: 2026-02-30 is not a date that exists\n");
  }
  SUBCASE("a date written another way") {
    const auto path = s.write("date-format.json", R"({"start": "03/01/2026", "year": 2026})");
    const auto r = eval("working_days", path);
    CHECK(r.status == 1);
    CHECK(r.err == path + ": error: start: expected a date like 2026-03-01, found \"03/01/2026\"\n");
  }
  SUBCASE("a failed requirement names the input file") {
    const auto path = s.write("require.json", R"({"start": "2025-12-01", "year": 2026})");
    const auto r = eval("working_days", path);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == path + ": error: start must fall within the year given (§ 4)\n");
  }
  SUBCASE("unknown decision") {
    const auto path = s.write("ok.json", "{}");
    const auto r = eval("rak", path);
    CHECK(r.out.empty());
    // Named on the command line: a slip of the command line (2), with the nearest decision.
    CHECK(r.status == 2);
    CHECK(r.err ==
          "merit: unknown decision rak; did you mean rank?\nRun 'merit --help' for how to use it.\n");
    const auto far = eval("frobnicate", path);
    CHECK(far.status == 2);
    CHECK(far.err.rfind("merit: unknown decision frobnicate; the rules answer: rank, working_days\n", 0) ==
          0);
  }
}

// -------------------------------------------------------------------------------------------------------------
// The command line.

TEST_CASE("cli: command-line errors exit with status 2") {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"eval rank --rules examples/tour.merit", "merit: --input is required\n"},
      {"eval --input examples/tour.json", "merit: decision is required\n"},
      {"eval rank --rules examples/tour.merit --input examples/tour.json --format xml",
       "merit: --format: xml not in {table,json}\n"},
      {"eval rank --rules examples/tour.merit --input examples/tour.json --colour", ""},
      {"check --frobnicate", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto r = run_merit(c.args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    if (*c.message != '\0') CHECK(r.err.rfind(c.message, 0) == 0);
    CHECK(r.err.find("Run 'merit --help' for how to use it.\n") != std::string::npos);
  }
}

TEST_CASE("cli: an unknown subcommand exits with status 2") {
  const auto r = run_merit("frobnicate");
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("merit: ", 0) == 0);
}

TEST_CASE("cli: an unknown subcommand is named in the message") {
  const auto r = run_merit("frobnicate");
  CHECK(r.status == 2);
  CHECK(r.err.find("'frobnicate' is not a command; the commands are check, eval, certify, diff, test, list, "
                   "schema, fmt, doc, lsp and help") != std::string::npos);
  const auto near = run_merit("chek rules");
  CHECK(near.status == 2);
  CHECK(near.err.rfind("merit: 'chek' is not a command (did you mean check?); the commands are ", 0) == 0);
}

TEST_CASE("cli: --help on merit and on each command exits 0 and shows an example") {
  const auto top = run_merit("--help");
  CHECK(top.status == 0);
  CHECK(top.err.empty());
  CHECK(top.out.find("Examples:\n") != std::string::npos);
  CHECK(top.out.find("merit check") != std::string::npos);
  CHECK(top.out.find("merit eval ") != std::string::npos);
  CHECK(run_merit("-h").out == top.out);

  // Every subcommand the help lists has help of its own, with an example of that command.
  const auto list_start = top.out.find("Subcommands:\n");
  REQUIRE(list_start != std::string::npos);
  std::vector<std::string> commands;
  std::size_t line = top.out.find('\n', list_start) + 1;
  while (line < top.out.size() && top.out.compare(line, 2, "  ") == 0) {
    const std::size_t name_end = top.out.find(' ', line + 2);
    commands.push_back(top.out.substr(line + 2, name_end - line - 2));
    line = top.out.find('\n', line) + 1;
  }
  for (const char* command : {"check", "eval", "certify", "diff", "test"}) {
    CAPTURE(command);
    CHECK(std::find(commands.begin(), commands.end(), command) != commands.end());
    CHECK(top.out.find(std::string("\n  merit ") + command + " ") != std::string::npos);
  }
  for (const auto& command : commands) {
    CAPTURE(command);
    const auto r = run_merit(command + " --help");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("Usage: ") != std::string::npos);
    CHECK(r.out.find("Examples:\n  merit " + command) != std::string::npos);
  }
  const auto eval = run_merit("eval --help");
  for (const char* option : {"--input", "--case", "--explain", "--rules", "--format", "--set", "--as-of"}) {
    CAPTURE(option);
    CHECK(eval.out.find(option) != std::string::npos);
  }
}

// -------------------------------------------------------------------------------------------------------------
// The tour.

TEST_CASE("cli: the tour's rank decision on examples/tour.json") {
  // Tiers: C2 is of the agency with promotional preference (tier 1); everyone else is tier 4. Sorted by
  // tier, score descending, id: C2, C6 95, C1 90, C3 88, C4 88, C5 70, C7 60, C8 60, C9 60. The amended
  // complement is 6 on 2026-11-25; the sixth (C5, 70) has no tie. 21 days after 2026-11-25 is 2026-12-16;
  // the 26th is Thanksgiving, so the next working day is the 27th. Five scores are above 80.
  const auto r = run_merit("eval rank --rules examples/tour.merit --input examples/tour.json --format json");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  std::string expected = "{\n  \"certified\": [\n";
  const char* certified[][4] = {{"C2", "85", "\"DHHS\"", "true"}, {"C6", "95", "null", "false"},
                                {"C1", "90", "null", "false"},    {"C3", "88", "null", "false"},
                                {"C4", "88", "null", "false"},    {"C5", "70", "null", "false"}};
  for (std::size_t i = 0; i < 6; ++i) {
    expected += std::string("    {\n      \"id\": \"") + certified[i][0] +
                "\",\n      \"score\": " + certified[i][1] + ",\n      \"agency\": " + certified[i][2] +
                ",\n      \"promotional_preference\": " + certified[i][3] + "\n    }" +
                (i < 5 ? ",\n" : "\n");
  }
  expected +=
      "  ],\n"
      "  \"deadline\": \"2026-12-16\",\n"
      "  \"next_work_day\": \"2026-11-27\",\n"
      "  \"label\": \"standard\",\n"
      "  \"count_high\": 5,\n"
      "  \"ids\": [\n    \"C2\",\n    \"C6\",\n    \"C1\",\n    \"C3\",\n    \"C4\",\n    \"C5\"\n  ]\n"
      "}\n";
  CHECK(r.out == expected);
}

TEST_CASE("cli: the tour's rank decision as a table") {
  const auto r = run_merit("eval rank --rules examples/tour.merit --input examples/tour.json");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("rank (§ 2.B), rules as of 2026-11-25\n", 0) == 0);
  for (const char* part :
       {"  deadline       2026-12-16 ", "  next_work_day  2026-11-27 ", "  label          standard ",
        "  count_high     5 ", "  ids            C2, C6, C1, C3, C4, C5 "}) {
    CAPTURE(part);
    CHECK(r.out.find(part) != std::string::npos);
  }
  for (const char* cite : {"§ 2.B.1\n", "§ 2.I\n", "§ 5\n", "§ 2.A\n", "§ 2.B\n"}) {
    CAPTURE(cite);
    CHECK(r.out.find(cite) != std::string::npos);
  }
}

TEST_CASE("cli: the tour's rank decision: amendment, --set and method") {
  Scratch s;
  // Judged on 2027-07-01 the amended complement is 5: the fifth is C4 (88), and C5 (70) is not tied with it.
  const auto r = run_merit(
      "eval rank --rules examples/tour.merit --input examples/tour.json --as-of 2027-07-01 "
      "--format json");
  CHECK(r.status == 0);
  CHECK(r.out.find("\"ids\": [\n    \"C2\",\n    \"C6\",\n    \"C1\",\n    \"C3\",\n    \"C4\"\n  ]") !=
        std::string::npos);
  // A complement of 4 ends at C3 (88), so C4 (88) is taken with it.
  const auto four = run_merit(
      "eval rank --rules examples/tour.merit --input examples/tour.json "
      "--set complement_size_amended=4 --format json");
  CHECK(four.status == 0);
  CHECK(four.out.find("\"ids\": [\n    \"C2\",\n    \"C6\",\n    \"C1\",\n    \"C3\",\n    \"C4\"\n  ]") !=
        std::string::npos);
  const auto two = run_merit(
      "eval rank --rules examples/tour.merit --input examples/tour.json "
      "--set complement_size_amended=2 --format json");
  CHECK(two.out.find("\"ids\": [\n    \"C2\",\n    \"C6\"\n  ]") != std::string::npos);
  // Agency promotional: the labelled exception applies.
  std::string promotional = read_text(source_dir() + "/examples/tour.json");
  promotional.insert(promotional.find('{') + 1, "\"method\": \"agency_promotional\", ");
  const auto path = s.write("promotional.json", promotional);
  const auto p = run_merit("eval rank --rules examples/tour.merit --input '" + path + "' --format json");
  CHECK(p.status == 0);
  CHECK(p.out.find("\"label\": \"promotional\"") != std::string::npos);
}

TEST_CASE("cli: the tour's working_days decision") {
  Scratch s;
  // From Tuesday 2026-12-01 the 10th working day is Monday the 14th.
  const auto a = s.write("december.json", R"({"start": "2026-12-01", "year": 2026})");
  const auto ra =
      run_merit("eval working_days --rules examples/tour.merit --input '" + a + "' --format json");
  CHECK(ra.status == 0);
  CHECK(ra.out == "{\n  \"last\": \"2026-12-14\"\n}\n");
  // From Friday 2026-12-18 there are 8 working days left in the year (the 24th is closed, the 25th is
  // Christmas): none.
  const auto b = s.write("late.json", R"({"start": "2026-12-18", "year": 2026})");
  const auto rb =
      run_merit("eval working_days --rules examples/tour.merit --input '" + b + "' --format json");
  CHECK(rb.status == 0);
  CHECK(rb.out == "{\n  \"last\": null\n}\n");
  const auto rt =
      run_merit("eval working_days --rules examples/tour.merit --input '" + b + "' --as-of 2026-12-18");
  CHECK(rt.out == "working_days (§ 4), rules as of 2026-12-18\n  last  none  § 4\n");
}

TEST_CASE("cli: a diagnostic in a CRLF file quotes the line without its carriage return") {
  Scratch s;
  const auto path = s.write(
      "crlf.merit", "decision d § 1 {\r\n  input a: integer\r\n  output x: text § 1 = \"abc\r\n}\r\n");
  const auto t = run_timed("check '" + path + "'");
  CHECK(t.result.status == 1);
  CHECK(t.result.err == path + ":3:29: error: this text has no closing \" on its line\n" +
                            "  output x: text § 1 = \"abc\n" +
                            "                            ^\n1 error found\n");
}

// -------------------------------------------------------------------------------------------------------------
// Case files that name their decision: merit eval --case.

namespace {

const char* const acting_case = "examples/decisions/acting_capacity-benefits-after-thanksgiving.json";

}  // namespace

TEST_CASE("cli: eval --case answers the decision the case file names, as eval DECISION --input does") {
  Scratch s;
  const auto input =
      s.write("input.json", R"({"start": "2026-08-26", "end": "2027-02-28", "source": "open_competitive"})");
  for (const char* format : {"table", "json"}) {
    CAPTURE(format);
    const auto by_case = run_merit(std::string("eval --case ") + acting_case + " --format " + format);
    const auto by_input = run_merit("eval acting_capacity --input '" + input + "' --format " + format);
    CHECK(by_case.status == 0);
    CHECK(by_case.err.empty());
    CHECK(by_case.out == by_input.out);
    // Naming the same decision on the command line is allowed.
    CHECK(run_merit(std::string("eval acting_capacity --case ") + acting_case + " --format " + format).out ==
          by_input.out);
  }
  CHECK(
      run_merit(std::string("eval --case ") + acting_case + " --format json").out ==
      "{\n  \"route\": \"register_appointment\",\n  \"max_end\": \"2027-08-25\",\n  \"within_limit\": true,\n"
      "  \"benefits_start\": \"2026-11-30\",\n  \"pay\": \"original_appointment\"\n}\n");
}

TEST_CASE("cli: eval --case of a certify case answers as merit certify --case") {
  for (const char* format : {"table", "json"}) {
    CAPTURE(format);
    const auto certify =
        run_merit(std::string("certify --case examples/certify/batch.json --format ") + format);
    const auto eval = run_merit(std::string("eval --case examples/certify/batch.json --format ") + format);
    CHECK(certify.status == 0);
    CHECK(eval.status == 0);
    CHECK(eval.out == certify.out);
  }
}

TEST_CASE("cli: eval and certify say what is wrong when case, input and decision are mixed up") {
  struct Case {
    std::string args;
    std::string message;
  };
  const std::string acting = acting_case;
  const Case cases[] = {
      {"eval", "merit: give a DECISION with --input FILE, or --case FILE\n"},
      {"eval acting_capacity --input examples/acting_capacity.json --case " + acting,
       "merit: give either a DECISION with --input FILE, or --case FILE, not both\n"},
      {"eval --input examples/acting_capacity.json --case " + acting,
       "merit: give either a DECISION with --input FILE, or --case FILE, not both\n"},
      {"eval mms_membership --case " + acting,
       "merit: " + acting +
           " is a case of acting_capacity, not mms_membership; leave the decision out, the case "
           "names it\n"},
      {"eval mms_membership --case examples/certify/standard.json",
       "merit: examples/certify/standard.json is a case of certify, not mms_membership; leave the decision "
       "out, "
       "the case names it\n"},
      {"certify --case " + acting,
       "merit: " + acting +
           " is a case of the decision acting_capacity, not a certification; answer it "
           "with 'merit eval --case " +
           acting + "'\n"},
  };
  for (const auto& c : cases) expect_usage_error(c.args, c.message);
}

TEST_CASE("cli: a case file that is no case, or a decision case with a wrong key, is an error naming it") {
  Scratch s;
  const auto extra = s.write("extra.json", R"({"decision": "acting_capacity", "input": {"start": "2026-08-26",
    "end": "2027-02-28", "source": "open_competitive"}, "as_of": "2026-01-01"})");
  const auto r = run_merit("eval --case '" + extra + "'");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == extra + ": error: as_of: unknown key of a decision case; its keys are decision and input\n");

  // The inputs of a decision case are read at their path in the file.
  const auto wrong = s.write("wrong.json", R"({"decision": "acting_capacity", "input": {"start": "2026-08-26",
    "end": "2027-02-28", "source": "open-competitive", "extension": true}})");
  const auto w = run_merit("eval --case '" + wrong + "'");
  CHECK(w.status == 1);
  CHECK(w.err.find(wrong + ": error: input.extension: unknown input of acting_capacity; its inputs are: ") !=
        std::string::npos);
  CHECK(w.err.find(wrong + ": error: input.source: expected one of ") != std::string::npos);

  const auto inputs = s.write("inputs.json", R"({"start": "2026-08-26"})");
  const auto i = run_merit("eval --case '" + inputs + "'");
  CHECK(i.status == 1);
  CHECK(i.err == inputs +
                     ": error: this is neither a certify case ({\"register\": ..., \"requisition\": ...} or "
                     "\"requisitions\") nor a decision case ({\"decision\": NAME, \"input\": {...}})\n");

  const auto unknown = s.write("unknown.json", R"({"decision": "acting_capcity", "input": {}})");
  const auto u = run_merit("eval --case '" + unknown + "'");
  CHECK(u.status == 1);  // named in a case file: the data are wrong, not the command line
  CHECK(u.err == unknown + ": error: unknown decision acting_capcity; did you mean acting_capacity?\n");
}

// -------------------------------------------------------------------------------------------------------------
// --explain.

TEST_CASE("cli: eval --explain gives each output's rule, how its exceptions fared, parameters and dates") {
  const auto r =
      run_merit(std::string("eval --case ") + acting_case + " --explain --set acting_capacity_max='2 years'");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  const auto& out = r.out;
  CHECK(out.rfind("acting_capacity (§ 3), rules as of 2026-08-26\n", 0) == 0);
  // 3.A.5.d: an open competitive appointee serving more than three months has benefits from the first
  // working day after them: the exception to "none" applied.
  const auto benefits = out.find(
      "  benefits_start = 2026-11-30  § 3.A.5.d: first working day after the period of 3 "
      "months that ended 2026-11-25\n    given by the rule at "
      "rules/chapter8/3-acting-capacity.merit:");
  CHECK(benefits != std::string::npos);
  CHECK(out.find("    exception § 3.A.5.d (line ", benefits) != std::string::npos);
  CHECK(out.find("): applied\n", benefits) != std::string::npos);
  // 3.A.7: not a state employee, so 3.A.7.a (higher pay range) did not apply and 3.A.7.c did.
  const auto pay = out.find("  pay = original_appointment  § 3.A.7.c");
  REQUIRE(pay != std::string::npos);
  const auto a = out.find("    exception § 3.A.7.a (line ", pay);
  const auto c = out.find("    exception § 3.A.7.c (line ", pay);
  REQUIRE(a != std::string::npos);
  REQUIRE(c != std::string::npos);
  CHECK(out.substr(out.find(')', a), out.find('\n', a) - out.find(')', a)) == "): did not apply");
  CHECK(out.substr(out.find(')', c), out.find('\n', c) - out.find(')', c)) == "): applied");
  // 3.A.1 against 3.A.2: the other rule for the route did not apply.
  CHECK(out.find("  route = register_appointment  § 3.A.2") != std::string::npos);
  CHECK(out.find("    rule § 3.A.1 (line ") != std::string::npos);

  const auto parameters = out.find("Parameters used\n");
  const auto dates = out.find("Dates computed on the way\n");
  REQUIRE(parameters != std::string::npos);
  REQUIRE(dates != std::string::npos);
  CHECK(parameters < dates);
  const auto parameter_lines = out.substr(parameters, dates - parameters);
  CHECK(
      parameter_lines.find("  acting_capacity_max = 2 years  § 3.A.3, as of 2026-08-26 (set with --set)\n") !=
      std::string::npos);
  CHECK(parameter_lines.find("  acting_benefits_after = 3 months  § 3.A.5.d, as of 2026-08-26\n") !=
        std::string::npos);
  CHECK(out.substr(dates).find("  benefits_period_end = 2026-11-25  § 3.A.5.d\n") != std::string::npos);
  // Outputs are not repeated among the dates computed on the way.
  CHECK(out.substr(dates).find("max_end") == std::string::npos);
}

TEST_CASE("cli: eval --explain --format json puts the explanation beside the outputs") {
  const auto plain = run_merit(std::string("eval --case ") + acting_case + " --format json");
  const auto r = run_merit(std::string("eval --case ") + acting_case + " --format json --explain");
  CHECK(r.status == 0);
  auto json = nlohmann::ordered_json::parse(r.out);
  REQUIRE(json.contains("explanation"));
  const auto explanation = json["explanation"];
  json.erase("explanation");
  CHECK(json == nlohmann::ordered_json::parse(plain.out));  // the outputs are as without --explain
  CHECK(explanation["as_of"] == "2026-08-26");
  std::vector<std::string> names;
  for (const auto& o : explanation["outputs"]) names.push_back(o["name"].get<std::string>());
  CHECK(names == std::vector<std::string>{"route", "max_end", "within_limit", "benefits_start", "pay"});
  const auto& pay = explanation["outputs"][4];
  CHECK(pay["value"] == "original_appointment");
  CHECK(pay["cite"] == "3.A.7.c");
  CHECK(pay["because"] == "appointed from outside the state service (open_competitive)");
  CHECK(pay["rule"].get<std::string>().rfind("rules/chapter8/3-acting-capacity.merit:", 0) == 0);
  REQUIRE(pay["exceptions"].size() == 2);
  CHECK(pay["exceptions"][0]["cite"] == "3.A.7.a");
  CHECK(pay["exceptions"][0]["state"] == "did_not_apply");
  CHECK(pay["exceptions"][1]["cite"] == "3.A.7.c");
  CHECK(pay["exceptions"][1]["state"] == "applied");
  CHECK(pay["exceptions"][1]["rule"] == pay["rule"]);  // the exception that applied gave the value
  CHECK(explanation["outputs"][1]["because"] == "the last day of 1 year from 2026-08-26");
  bool found = false;
  for (const auto& p : explanation["parameters"]) {
    if (p["name"] == "acting_benefits_after") {
      found = true;
      CHECK(p == nlohmann::ordered_json::parse(
                     R"({"name": "acting_benefits_after", "value": "3 months", "cite": "3.A.5.d",
                         "as_of": "2026-08-26", "set": false})"));
    }
  }
  CHECK(found);
  CHECK(explanation["dates"].size() >= 1);
  for (const auto& d : explanation["dates"]) {
    if (d["name"] == "benefits_period_end") CHECK(d["value"] == "2026-11-25");
  }
}

TEST_CASE("cli: certify --explain names the section of each kind of exclusion") {
  // For each example, a person left out and the section the explanation must give for it.
  struct Exclusion {
    const char* example;
    const char* requisition;
    const char* id;
    const char* cite;
  };
  const Exclusion exclusions[] = {
      {"standard", "R-2026-014", "C06", "2.A.1"},                 // declined the location in writing
      {"standard", "R-2026-014", "C09", "2.B.1, 2.B.2"},          // in a tier not reached
      {"open-competitive", "R-2026-020", "C06", "2.B.1, 2.B.2"},  // below the cut
      {"agency-promotional", "R-2026-020", "C02", "2.A.2"},       // outside the agency promotional method
      {"statewide-promotional", "R-2026-020", "C03", "2.A.3"},    // not a state employee
      {"selective", "R-2026-020", "C01", "2.A.5"},                // lacks the selective qualification
      {"removal", "R-2026-020", "C04", "2.H"},                    // removed with the Director's approval
      {"batch", "R-2026-031", "C01", "2.F"},                      // on 3 certifications already
  };
  for (const auto& e : exclusions) {
    CAPTURE(e.example);
    CAPTURE(e.id);
    const auto r = run_merit(std::string("certify --case examples/certify/") + e.example +
                             ".json --explain --format json");
    REQUIRE(r.status == 0);
    const auto json = nlohmann::ordered_json::parse(r.out);
    bool found = false;
    for (const auto& certification : json) {
      REQUIRE(certification.contains("explanation"));
      if (certification["requisition"] != e.requisition) continue;
      for (const auto& person : certification["explanation"]["items"]) {
        if (person["id"] != e.id) continue;
        found = true;
        CHECK(person["in"].is_null());
        CHECK(person["cite"] == e.cite);
      }
    }
    CHECK(found);
  }
}

TEST_CASE("cli: certify --explain prints each requisition's explanation after its report") {
  const auto plain = run_merit("certify --case examples/certify/batch.json");
  const auto r = run_merit("certify --case examples/certify/batch.json --explain");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  // The reports are as without --explain, each followed by its explanation, which lists every person.
  std::vector<std::string> reports;
  for (std::size_t start = 0; start < plain.out.size();) {
    const auto end = plain.out.find("\n\n", start);
    reports.push_back(
        plain.out.substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
    start = end == std::string::npos ? plain.out.size() : end + 2;
  }
  REQUIRE(reports.size() == 3);
  std::size_t at = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    CAPTURE(i);
    const auto report = r.out.find(reports[i], at);
    REQUIRE(report != std::string::npos);
    const auto next = i + 1 < reports.size() ? r.out.find(reports[i + 1], report) : r.out.size();
    const std::string explanation =
        r.out.substr(report + reports[i].size(), next - report - reports[i].size());
    const std::string requisition = reports[i].substr(14, 10);  // "Certification R-2026-030 ..."
    CHECK(explanation.find(requisition) != std::string::npos);
    CHECK(explanation.find("C06") != std::string::npos);  // not certified, yet explained
    at = report + reports[i].size();
  }
  // JSON: each certification gains its explanation, and is otherwise as without --explain.
  auto json = nlohmann::ordered_json::parse(
      run_merit("certify --case examples/certify/batch.json --explain --format json").out);
  for (auto& c : json) c.erase("explanation");
  CHECK(json == nlohmann::ordered_json::parse(
                    run_merit("certify --case examples/certify/batch.json --format json").out));
}

TEST_CASE("cli: rules whose decision certify has another shape are refused by check and certify alike") {
  Scratch s;
  fs::copy(fs::path(source_dir()) / "rules", s.dir / "rules", fs::copy_options::recursive);
  const auto file = s.dir / "rules" / "chapter8" / "certify.merit";
  std::string text = read_text(file.string());
  const auto at = text.find("  output certifications");
  REQUIRE(at != std::string::npos);
  text.replace(at, 9, "  let ");  // the output becomes a let: the decision answers nothing
  std::ofstream(file, std::ios::binary) << text;
  const std::string message =
      "decision certify answers merit certify, so it has one output, a list of records (one per "
      "requisition); "
      "it has 0 outputs";
  const auto check = run_merit("check '" + (s.dir / "rules").string() + "'");
  CHECK(check.status == 1);
  CHECK(check.err.find("certify.merit:7:10: error: " + message + "\n") != std::string::npos);
  const auto r =
      run_merit("certify --case examples/certify/standard.json --rules '" + (s.dir / "rules").string() + "'");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "merit: " + message + "\n");
}

// -------------------------------------------------------------------------------------------------------------
// Slips people make on the command line: each gets the nearest right word and exit status 2.

TEST_CASE("cli: merit alone, and merit help, print the help") {
  const auto bare = run_merit("");
  CHECK(bare.status == 0);
  CHECK(bare.err.empty());
  CHECK(bare.out == run_merit("--help").out);
  CHECK(run_merit("help").out == bare.out);
  const auto certify = run_merit("help certify");
  CHECK(certify.status == 0);
  CHECK(certify.out == run_merit("certify --help").out);
  CHECK(certify.out.find("Usage: merit certify [OPTIONS]") != std::string::npos);
  const auto wrong = run_merit("help certfy");
  CHECK(wrong.status == 2);
  CHECK(wrong.err.rfind("merit: 'certfy' is not a command; did you mean certify?\n", 0) == 0);
}

TEST_CASE("cli: help pages name each argument's kind and the default rules folder") {
  const auto certify = run_merit("certify --help");
  for (const char* shown : {"--case FILE", "--register FILE", "--rules DIR", "--set NAME=VALUE",
                            "--as-of DATE", "--amend FILE"}) {
    CAPTURE(shown);
    CHECK(certify.out.find(shown) != std::string::npos);
  }
  CHECK(certify.out.find("TEXT") == std::string::npos);
  // --set is given once for each parameter: no "..." suggesting several values after one flag.
  CHECK(certify.out.find("NAME=VALUE ...") == std::string::npos);
  const std::string rules =
      std::filesystem::weakly_canonical(std::filesystem::path(source_dir()) / "rules").string();
  CHECK(certify.out.find("(default: " + rules + ")") != std::string::npos);
  CHECK(run_merit("eval --help").out.find("DECISION") != std::string::npos);
}

TEST_CASE("cli: a mistyped option gets the nearest, and a --set its one-word form") {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"certify --cas examples/certify/standard.json",
       "merit: merit certify has no option --cas: did you mean --case?\n"},
      {"certify --case examples/certify/standard.json --explian",
       "merit: merit certify has no option --explian: did you mean --explain?\n"},
      {"check --frobnicate",
       "merit: merit check has no option --frobnicate; 'merit check --help' lists them\n"},
      {"certify --case examples/certify/standard.json --set complement_size 5",
       "merit: --set takes NAME=VALUE as one word, like --set complement_size=5\n"},
      {"--verbose",
       "merit: '--verbose' is not an option of merit; a command comes first, like merit certify "
       "--help\n"},
      {"certify", "merit: give the case to certify with --case FILE\n"},
  };
  for (const auto& c : cases) expect_usage_error(c.args, c.message);
  // Given twice, --set sets two parameters.
  const auto two = run_merit(
      "certify --case examples/certify/standard.json --format json --set complement_size=2 "
      "--set concurrent_referral_limit=1");
  CHECK(two.status == 0);
  CHECK(nlohmann::json::parse(two.out)[0]["complement"] == 2);
}

TEST_CASE("cli: merit list shows each decision's inputs and outputs and each parameter's dated values") {
  const auto table = run_merit("list");
  CHECK(table.status == 0);
  CHECK(table.err.empty());
  CHECK(table.out.rfind("Decisions (merit eval DECISION --input FILE):\n", 0) == 0);
  CHECK(table.out.find("\n  acting_capacity (§ 3, ") != std::string::npos);
  CHECK(table.out.find("\n    input   on_layoff_register  boolean, default false\n") != std::string::npos);
  CHECK(table.out.find("\n    output  max_end             date\n") != std::string::npos);
  CHECK(table.out.find("\n  complement_size ") != std::string::npos);
  CHECK(table.out.find("integer = 6  (§ 2.B.1)\n") != std::string::npos);

  const auto json = run_merit("list --format json");
  REQUIRE(json.status == 0);
  const auto out = nlohmann::json::parse(json.out);
  bool found = false;
  for (const auto& p : out["parameters"]) {
    if (p["name"] != "complement_size") continue;
    found = true;
    CHECK(p["cite"] == "2.B.1");
    CHECK(p["type"] == "integer");
    CHECK(p["values"][0]["value"] == 6);
  }
  CHECK(found);
  CHECK(out["decisions"].size() >= 10);
}

TEST_CASE("cli: an option given an empty value, or a parameter set twice, is a slip of the command line") {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"eval acting_capacity --input examples/acting_capacity.json --as-of ''",
       "merit: --as-of was given an empty value\n"},
      {"eval --case ''", "merit: --case was given an empty value\n"},
      {"certify --case examples/certify/standard.json --set ''", "merit: --set was given an empty value\n"},
      {"certify --case examples/certify/standard.json --rules ''",
       "merit: --rules was given an empty value\n"},
  };
  for (const auto& c : cases) expect_usage_error(c.args, c.message);
  const auto twice = run_merit(
      "certify --case examples/certify/standard.json --set complement_size=5 --set complement_size=6");
  CHECK(twice.status == 2);
  CHECK(twice.out.empty());
  CHECK(twice.err == "--set: error: complement_size is set twice; give it once\n");
}
