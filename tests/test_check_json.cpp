// `merit check --format json`, through the built binary: the diagnostics an editor or a script reads. Each
// golden rule file of tests/golden/check must give in JSON the diagnostics its reviewed text form gives.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using Json = nlohmann::json;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::source_dir;

namespace {

/// The JSON on stdout of `merit check --format json ARGS`, with its exit status; nothing may go to stderr.
Json check_json(const std::string& args, int expected_status) {
  const auto r = run_merit("check --format json " + args);
  INFO("merit check --format json " << args << "\nstderr: " << r.err);
  CHECK(r.status == expected_status);
  CHECK(r.err.empty());
  const Json json = Json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(json.is_discarded());
  return json;
}

/// The first line of each diagnostic in `merit check`'s text output: `FILE:LINE:COL: error: MESSAGE`.
std::vector<std::string> header_lines(const std::string& text, const std::string& file) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(file + ":", 0) == 0) lines.push_back(line);
  }
  return lines;
}

std::string header_of(const Json& d) {
  return fmt::format("{}:{}:{}: {}: {}", d["file"].get<std::string>(), d["range"]["start"]["line"].get<int>(),
                     d["range"]["start"]["column"].get<int>(), d["severity"].get<std::string>(),
                     d["message"].get<std::string>());
}

}  // namespace

TEST_CASE("check json: every golden rule file gives in JSON the diagnostics of its text form") {
  std::size_t files = 0;
  std::size_t with_hint = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / "tests/golden/check")) {
    if (entry.path().extension() != ".merit") continue;
    ++files;
    const std::string relative = "tests/golden/check/" + entry.path().filename().string();
    CAPTURE(relative);
    const std::string text = read_text(entry.path().string() + ".golden");
    const bool errors = text.find(": error: ") != std::string::npos;
    const Json json = check_json(relative, errors ? 1 : 0);
    const auto expected = header_lines(text, relative);
    REQUIRE(json["diagnostics"].size() == expected.size());
    std::size_t error_count = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const Json& d = json["diagnostics"][i];
      CHECK(header_of(d) == expected[i]);
      if (d["severity"] == "error") ++error_count;
      // The range ends at or after where it starts.
      const Json& start = d["range"]["start"];
      const Json& end = d["range"]["end"];
      CHECK((end["line"] > start["line"] ||
             (end["line"] == start["line"] && end["column"] >= start["column"])));
      // A hint is the end of the message, after its "; ".
      if (d.contains("hint")) {
        ++with_hint;
        const auto message = d["message"].get<std::string>();
        const auto hint = d["hint"].get<std::string>();
        CHECK(message.size() > hint.size() + 2);
        CHECK(message.compare(message.size() - hint.size() - 2, std::string::npos, "; " + hint) == 0);
      }
    }
    CHECK(json["errors"] == error_count);
    CHECK(json["warnings"] == expected.size() - error_count);
    CHECK(json["files"] == Json::array({relative}));
  }
  CHECK(files >= 30);
  CHECK(with_hint >= 5);
}

TEST_CASE(
    "check json: a range covers the name it is about, a hint gives the advice, data errors have no range") {
  merit::testing::Scratch s("merit-check-json");
  const auto path = s.write("typo.merit",
                            "decision d § 1 {\n"
                            "  input a: integr\n"
                            "  output x: integer § 1 = a\n"
                            "}\n");
  const Json json = check_json(path, 1);
  CHECK(json["errors"] == 1);
  CHECK(json["warnings"] == 0);
  CHECK_FALSE(json.contains("decisions"));  // counted only for rules that check
  REQUIRE(json["diagnostics"].size() == 1);
  const Json& d = json["diagnostics"][0];
  CHECK(d["file"] == path);
  // `integr` is line 2, columns 12 to 17; the end is just past it.
  CHECK(d["range"] ==
        Json::parse(R"({"start": {"line": 2, "column": 12}, "end": {"line": 2, "column": 18}})"));
  CHECK(d["severity"] == "error");
  CHECK(d["message"] == "unknown type integr; did you mean 'integer'?");
  CHECK(d["hint"] == "did you mean 'integer'?");

  // A path that is not there is a diagnostic of its own, with a file and no range.
  const Json missing = check_json((s.dir / "none.merit").string(), 1);
  REQUIRE(missing["diagnostics"].size() == 1);
  CHECK(missing["diagnostics"][0]["file"] == (s.dir / "none.merit").string());
  CHECK_FALSE(missing["diagnostics"][0].contains("range"));
  CHECK(missing["diagnostics"][0]["message"] == "no such file or folder");
}

TEST_CASE("check json: the shipped rules, and an amendment, say what was checked") {
  const Json rules = check_json("rules", 0);
  CHECK(rules["errors"] == 0);
  CHECK(rules["diagnostics"] == Json::array());
  CHECK(rules["files"].size() == 9);
  CHECK(rules["decisions"] == 16);
  CHECK(rules["amended"] == Json::array());
  // The text form counts the same.
  const auto text = run_merit("check rules");
  CHECK(text.out == fmt::format("9 rule files checked: {} decisions, {} parameters, no errors\n",
                                rules["decisions"].get<int>(), rules["parameters"].get<int>()));

  const Json amended = check_json("rules --amend examples/what-if/rule-of-three.merit", 0);
  REQUIRE(amended["amended"].size() >= 1);
  const Json& a = amended["amended"][0];
  CHECK(a["at"].get<std::string>().rfind("examples/what-if/rule-of-three.merit:", 0) == 0);
  CHECK(a["replaces"].get<std::string>().rfind("rules/", 0) == 0);
  CHECK_FALSE(a["what"].get<std::string>().empty());
}
