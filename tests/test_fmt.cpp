// merit fmt, through the built binary: the shipped rule files are laid out, a file laid out badly comes back
// to their layout, and the rules answer the same before and after.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::run_command;
using merit::testing::run_merit;
using merit::testing::run_merit_raw;
using merit::testing::source_dir;

namespace {

/// `text` laid out badly in every way merit fmt mends, and in no other: a byte order mark, every line moved
/// three spaces in (a declaration with the lines that continue it), blanks at the ends of lines, blanks
/// around brackets and commas in code, every blank line doubled, blank lines at the start and end, and
/// \r\n line ends.
std::string badly(const std::string& text) {
  std::istringstream in(text);
  std::string out = "\xEF\xBB\xBF\r\n\r\n";
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) {
      out += "\r\n \t\r\n";
      continue;
    }
    const auto first = line.find_first_not_of(' ');
    const bool code = line[first] != '>' && line[first] != '#';
    // Not in texts and comments, and not in a citation, where `5.C.2(f)` is one word.
    const bool plain = line.find_first_of("\"#") == std::string::npos &&
                       line.find("§") == std::string::npos && line.find("section") == std::string::npos;
    if (code && plain) {
      std::string spaced;
      for (const char c : line.substr(first)) {
        if (c == ',') {
          spaced += " ,  ";
        } else if (c == '(' || c == '[') {
          spaced += std::string(1, c) + "  ";
        } else if (c == ')' || c == ']') {
          spaced += std::string(" ") + c;
        } else {
          spaced += c;
        }
      }
      line = line.substr(0, first) + spaced;
    }
    out += "   " + line + " \t \r\n";
  }
  return out + "\r\n\r\n";
}

std::vector<std::string> shipped_rule_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(source_dir()) / "rules")) {
    if (entry.path().extension() == ".merit") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// An answer (JSON) without what tells the rule files apart: its provenance (their folder and hash), and
/// the folder and line of each rule it names: `"rule": "rules/chapter8/2-use-of-class-registers.merit:375"`
/// becomes `"rule": "2-use-of-class-registers"` (the files laid out badly are elsewhere and longer).
std::string without_places(const std::string& answer) {
  nlohmann::json json = nlohmann::json::parse(answer, nullptr, false);
  const auto strip = [](nlohmann::json& j, const auto& self) -> void {
    if (j.is_object()) j.erase("provenance");
    if (j.is_structured()) {
      for (auto& child : j) self(child, self);
    }
  };
  strip(json, strip);
  static const std::regex place("\"rule\":\"[^\"]*/([^/\"]+)\\.merit:[0-9]+\"");
  return std::regex_replace(json.dump(), place, "\"rule\":\"$1\"");
}

/// `merit fmt -` of `text`.
merit::testing::RunResult format(const merit::testing::Scratch& s, const std::string& text) {
  const std::string input = s.write("input.merit", text);
  return run_merit_raw("fmt - < '" + input + "'");
}

}  // namespace

TEST_CASE("fmt: the shipped rules, examples and rule tests are laid out as merit fmt lays them out") {
  const auto r = run_merit("fmt --check rules examples tests/rules");
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

TEST_CASE("fmt: each shipped rule file, laid out badly, comes back exactly") {
  merit::testing::Scratch s("merit-fmt");
  const auto files = shipped_rule_files();
  CHECK(files.size() >= 9);
  for (const auto& file : files) {
    CAPTURE(file);
    const std::string text = read_text(file);
    const std::string bad = badly(text);
    REQUIRE(bad != text);
    const auto r = format(s, bad);
    CHECK(r.status == 0);
    CHECK(r.out == text);
    // Laying it out again changes nothing.
    CHECK(format(s, r.out).out == text);
  }
}

TEST_CASE(
    "fmt: the rules laid out badly answer as they did, and laid out by merit fmt they are the shipped "
    "files") {
  merit::testing::Scratch s("merit-fmt-rules");
  const fs::path copy = s.dir / "rules";
  for (const auto& file : shipped_rule_files()) {
    const fs::path relative = fs::relative(file, fs::path(source_dir()) / "rules");
    s.write((fs::path("rules") / relative).string(), badly(read_text(file)));
  }
  // The badly laid-out rules check, and say what the shipped rules say.
  const auto listed = run_merit("list --rules '" + copy.string() + "' --format json");
  CHECK(listed.status == 0);
  CHECK(without_places(listed.out) == without_places(run_merit("list --rules rules --format json").out));
  // Without --explain, which quotes each condition as it is written, blanks and all.
  const std::string certify = "certify --case examples/certify/standard.json --format json";
  const auto answered = run_merit(certify + " --rules '" + copy.string() + "'");
  CHECK(answered.status == 0);
  CHECK(without_places(answered.out) == without_places(run_merit(certify + " --rules rules").out));

  // merit fmt lays the folder out in place, naming each file, and then each is the shipped file again.
  const auto laid = run_merit("fmt '" + copy.string() + "'");
  CHECK(laid.status == 0);
  CHECK(laid.err.empty());
  for (const auto& file : shipped_rule_files()) {
    const fs::path relative = fs::relative(file, fs::path(source_dir()) / "rules");
    CAPTURE(relative.string());
    CHECK(laid.out.find((copy / relative).string() + ": laid out\n") != std::string::npos);
    CHECK(read_text((copy / relative).string()) == read_text(file));
  }
  CHECK(run_merit("fmt --check '" + copy.string() + "'").status == 0);
}

TEST_CASE("fmt: --check names the files to lay out and changes none; fmt then lays them out") {
  merit::testing::Scratch s("merit-fmt-check");
  const std::string laid_out =
      "# A parameter.\n"
      "parameter complement_size: integer § 2.B.1 = 6\n"
      "\n"
      "decision d § 1 {\n"
      "  input a: list of integer\n"
      "  output x: integer § 1 =\n"
      "    sum([v for v in a where v > 1]) + size(a)  # aligned\n"
      "}\n";
  const std::string path = s.write("draft.merit",
                                   "# A parameter.\n"
                                   "parameter   complement_size: integer § 2.B.1 =  6\n"
                                   "\n\n\n"
                                   "decision d § 1 {\n"
                                   "input a: list of integer\n"
                                   "      output x: integer § 1 =\n"
                                   "        sum( [v for v in a where v > 1] ) + size(a)  # aligned\n"
                                   "   }\n");
  const std::string before = read_text(path);
  const auto checked = run_merit("fmt --check '" + path + "'");
  CHECK(checked.status == 1);
  CHECK(checked.out ==
        path + ": not laid out as merit fmt lays it out\n1 of 1 rule file to lay out: run merit fmt on it\n");
  CHECK(read_text(path) == before);

  const auto laid = run_merit("fmt '" + path + "'");
  CHECK(laid.status == 0);
  CHECK(laid.out == path + ": laid out\n");
  CHECK(read_text(path) == laid_out);
  CHECK(run_merit("check '" + path + "'").status == 0);
  // Nothing left beside it, and nothing more to do.
  CHECK(std::distance(fs::directory_iterator(s.dir), fs::directory_iterator()) == 1);
  const auto again = run_merit("fmt '" + path + "'");
  CHECK(again.status == 0);
  CHECK(again.out.empty());
}

TEST_CASE("fmt: what it needs, and files it cannot read") {
  const auto none = run_merit("fmt");
  CHECK(none.status == 2);
  CHECK(none.err.find("merit fmt needs the rule files or folders to lay out") != std::string::npos);
  const auto missing = run_merit("fmt no-such-file.merit");
  CHECK(missing.status == 1);
  CHECK(missing.err == "no-such-file.merit: error: no such file or folder\n");
}

TEST_CASE(
    "fmt: one byte order mark goes; two stay, since the parser refuses the second, and nothing moves them") {
  merit::testing::Scratch s("merit-fmt-bom");
  const std::string rule = "parameter complement_size: integer § 2.B.1 = 6\n";
  CHECK(format(s, "\xEF\xBB\xBF" + rule).out == rule);
  // Found by fuzz_rules (fuzz/regressions/fuzz_rules/fmt-two-byte-order-marks.merit): the first layout took
  // one mark off, and the second layout the other.
  const std::string twice = "\xEF\xBB\xBF\xEF\xBB\xBF" + rule;
  const auto once = format(s, twice);
  CHECK(once.status == 0);
  CHECK(once.out == twice);
  CHECK(format(s, once.out).out == twice);
  // Found by fuzz_rules (fuzz/regressions/fuzz_rules/fmt-byte-order-mark-on-line-2.merit): a mark that
  // starts the first line of code but not the file came to the start of the layout, where it reads as no
  // part of the rules, and merit fmt said it would change the file's words. A blank line keeps it, and
  // two marks that were not the first bytes keep it too.
  const std::string mark = "\xEF\xBB\xBF";
  const std::vector<std::pair<std::string, std::string>> strays{
      {"\n" + mark, "\n" + mark + "\n"},
      {mark + "\n" + mark + rule, "\n" + mark + rule},
      {"\n  " + mark + rule, "\n" + mark + rule},
      {"\n" + mark + mark + rule, "\n" + mark + mark + rule},
  };
  for (const auto& [stray, expected] : strays) {
    INFO(stray);
    const auto laid = format(s, stray);
    CHECK(laid.status == 0);
    CHECK(laid.err.empty());
    CHECK(laid.out == expected);
    CHECK(format(s, laid.out).out == laid.out);
  }
}
