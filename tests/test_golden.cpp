// Golden files for `merit check`: every tests/golden/check/NAME.merit is a broken rule file (or one with
// warnings only), and NAME.merit.golden holds exactly what `merit check tests/golden/check/NAME.merit` prints
// on stderr.
//
// To regenerate after a deliberate change of a message, run the tests with MERIT_UPDATE_GOLDEN=1, then read
// every changed .golden file: each must be a precise, helpful message at the right line and column.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/run.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::source_dir;

namespace {

const char* const golden_folder = "tests/golden/check";

std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / golden_folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".merit")
      names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool updating() {
  const char* v = std::getenv("MERIT_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

}  // namespace

TEST_CASE("golden: there are golden cases for syntax and checker errors") {
  const auto names = golden_cases();
  CHECK(names.size() >= 30);
  const auto syntax = std::count_if(names.begin(), names.end(),
                                    [](const std::string& n) { return n.rfind("syntax_", 0) == 0; });
  const auto checker = std::count_if(names.begin(), names.end(),
                                     [](const std::string& n) { return n.rfind("check_", 0) == 0; });
  CHECK(syntax >= 10);
  CHECK(checker >= 20);
  CHECK(static_cast<std::size_t>(syntax + checker) == names.size());
}

TEST_CASE("golden: merit check prints exactly the golden diagnostics for each broken rule file") {
  const bool update = updating();
  for (const auto& name : golden_cases()) {
    const std::string relative = std::string(golden_folder) + "/" + name;
    CAPTURE(relative);
    const auto result = run_merit("check " + relative);
    // A file with warnings alone checks clean: exit 0, and the count of what was checked on stdout.
    const bool warnings_only = result.err.find(": error: ") == std::string::npos;
    CHECK(result.status == (warnings_only ? 0 : 1));
    CHECK(result.out.empty() != warnings_only);
    const fs::path golden = fs::path(source_dir()) / (relative + ".golden");
    if (update) {
      std::ofstream(golden, std::ios::binary) << result.err;
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(golden), "no golden file; run with MERIT_UPDATE_GOLDEN=1 and review it");
    CHECK(result.err == read_text(golden.string()));
  }
}

TEST_CASE("golden: every golden file belongs to a rule file") {
  for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / golden_folder)) {
    const auto path = entry.path();
    if (path.extension() != ".golden") continue;
    CAPTURE(path.string());
    CHECK(fs::exists(path.parent_path() / path.stem()));
  }
}

TEST_CASE("golden: each diagnostic names the file as given, a line and a column, and the total") {
  for (const auto& name : golden_cases()) {
    const std::string relative = std::string(golden_folder) + "/" + name;
    CAPTURE(relative);
    const std::string golden = read_text(source_dir() + "/" + relative + ".golden");
    CHECK(golden.rfind(relative + ":", 0) == 0);
    if (golden.find(": error: ") == std::string::npos) {
      CHECK(golden.find(": warning: ") != std::string::npos);  // warnings alone: no total of errors
      continue;
    }
    const auto ends_with = [&](const std::string& tail) {
      return golden.size() >= tail.size() &&
             golden.compare(golden.size() - tail.size(), tail.size(), tail) == 0;
    };
    // The total at the end counts the diagnostics above it.
    std::size_t count = 0;
    for (std::size_t line = 0; line < golden.size(); line = golden.find('\n', line) + 1) {
      if (golden.compare(line, relative.size() + 1, relative + ":") == 0) ++count;
      if (golden.find('\n', line) == std::string::npos) break;
    }
    CHECK(count >= 1);
    CHECK(ends_with("\n" + std::to_string(count) + (count == 1 ? " error found\n" : " errors found\n")));
  }
}
