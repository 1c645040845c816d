// Every provision of Chapter 8 and the MMS text is encoded in rules/ by a declaration that cites it, so a
// reader of the regulation finds each one (the law's own words stand beside them as `>` quotes); and each
// has a rule test beside the rules (rules/**/*.test.json, run by `merit test rules`) whose "section" names
// it, so policy staff see what the provision means on a case.
#include <doctest/doctest.h>

#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/run.hpp"

namespace {

using Provisions = std::initializer_list<const char*>;

// The provisions of each part of the law, as the rule files cite them.
constexpr Provisions section_1 = {"1.A.1", "1.A.2", "1.A.3", "1.A.4", "1.B", "1.C"};
constexpr Provisions section_2 = {"2.A.1", "2.A.2", "2.A.3", "2.A.4", "2.A.5", "2.B.1",
                                  "2.B.2", "2.C",   "2.D",   "2.E",   "2.F",   "2.G",
                                  "2.H",   "2.I",   "2.I.1", "2.I.2", "2.I.3"};
constexpr Provisions section_3 = {"3.A.1",   "3.A.2",   "3.A.3",   "3.A.4",   "3.A.5.a", "3.A.5.b", "3.A.5.c",
                                  "3.A.5.d", "3.A.5.e", "3.A.6",   "3.A.7.a", "3.A.7.b", "3.A.7.c", "3.A.7.d",
                                  "3.A.8",   "3.A.9.a", "3.A.9.b", "3.A.9.c", "3.B"};
constexpr Provisions section_4 = {"4"};
constexpr Provisions section_5 = {"5.A",      "5.B",      "5.C.1(a)", "5.C.1(b)", "5.C.1(c)",
                                  "5.C.1(d)", "5.C.1(e)", "5.C.2(a)", "5.C.2(b)", "5.C.2(c)",
                                  "5.C.2(d)", "5.C.2(e)", "5.C.2(f)", "5.C.3"};
constexpr Provisions section_6 = {"6.A", "6.B", "6.C", "6.D",   "6.E",  "6.F",
                                  "6.G", "6.H", "6.I", "6.J.1", "6.J.2"};
constexpr Provisions mms = {"MMS"};

/// Every section cited with § in the shipped rules; `§ "5.C.1(a), 5.C.2(a)"` cites both.
std::set<std::string> cited_sections() {
  std::set<std::string> cited;
  const std::regex citation(R"re(§\s*(?:"([^"]*)"|([A-Za-z0-9.()_/-]+)))re");
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(merit::testing::source_dir() + "/rules")) {
    if (entry.path().extension() != ".merit") continue;
    const std::string text = merit::testing::read_text(entry.path().string());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), citation); it != std::sregex_iterator();
         ++it) {
      std::string cites = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
      std::size_t start = 0;
      while (start <= cites.size()) {
        const std::size_t comma = cites.find(", ", start);
        cited.insert(cites.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 2;
      }
    }
  }
  return cited;
}

void check_cited(const std::set<std::string>& cited, Provisions provisions) {
  for (const std::string provision : provisions) {
    CAPTURE(provision);
    CHECK(cited.count(provision) == 1);
  }
}

std::vector<std::filesystem::path> rule_test_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(merit::testing::source_dir() + "/rules")) {
    if (entry.is_regular_file() && entry.path().filename().string().ends_with(".test.json"))
      files.push_back(entry.path());
  }
  return files;
}

/// The tests of one rule test file: the file is one test, or holds them under "tests". A file that is not
/// JSON fails the check here, so that its tests are not silently missing from the count.
std::vector<nlohmann::json> tests_in(const std::filesystem::path& file) {
  const auto doc = nlohmann::json::parse(merit::testing::read_text(file.string()), nullptr, false);
  CAPTURE(file.string());
  CHECK_FALSE(doc.is_discarded());
  if (doc.is_discarded() || !doc.is_object()) return {};
  if (!doc.contains("tests")) return {doc};
  CHECK(doc["tests"].is_array());
  return doc["tests"].is_array() ? doc["tests"].get<std::vector<nlohmann::json>>()
                                 : std::vector<nlohmann::json>{};
}

bool has_text(const nlohmann::json& test, const char* key) {
  return test.is_object() && test.contains(key) && test[key].is_string();
}

/// Every section some rule test names.
std::set<std::string> tested_sections() {
  std::set<std::string> tested;
  for (const auto& file : rule_test_files()) {
    for (const auto& test : tests_in(file)) {
      const std::string what =
          file.string() + ": " + (has_text(test, "test") ? test["test"].get<std::string>() : test.dump());
      CAPTURE(what);
      CHECK(has_text(test, "test"));
      CHECK(has_text(test, "section"));
      if (has_text(test, "section")) tested.insert(test["section"].get<std::string>());
    }
  }
  return tested;
}

void check_tested(const std::set<std::string>& tested, Provisions provisions) {
  for (const std::string provision : provisions) {
    CAPTURE(provision);
    CHECK(tested.count(provision) == 1);
  }
}

}  // namespace

TEST_CASE("1: every provision of section 1 is cited in rules/") {
  check_cited(cited_sections(), section_1);
}

TEST_CASE("2: every provision of section 2 is cited in rules/") {
  check_cited(cited_sections(), section_2);
}

TEST_CASE("3: every provision of section 3 is cited in rules/") {
  check_cited(cited_sections(), section_3);
}

TEST_CASE("4: the provision of section 4 is cited in rules/") {
  check_cited(cited_sections(), section_4);
}

TEST_CASE("5: every provision of section 5 is cited in rules/") {
  check_cited(cited_sections(), section_5);
}

TEST_CASE("6: every provision of section 6 is cited in rules/") {
  check_cited(cited_sections(), section_6);
}

TEST_CASE("MMS: the Maine Management Service is cited in rules/") {
  check_cited(cited_sections(), mms);
}

TEST_CASE("rule tests: every section a rule test names is cited in rules/") {
  const std::set<std::string> cited = cited_sections();
  const auto tested = tested_sections();
  CHECK_FALSE(tested.empty());
  for (const auto& section : tested) {
    CAPTURE(section);
    CHECK(cited.count(section) == 1);
  }
}

TEST_CASE("1: every provision of section 1 has a rule test") {
  check_tested(tested_sections(), section_1);
}

TEST_CASE("2: every provision of section 2 has a rule test") {
  check_tested(tested_sections(), section_2);
}

TEST_CASE("3: every provision of section 3 has a rule test") {
  check_tested(tested_sections(), section_3);
}

TEST_CASE("4: the provision of section 4 has a rule test") {
  check_tested(tested_sections(), section_4);
}

TEST_CASE("5: every provision of section 5 has a rule test") {
  check_tested(tested_sections(), section_5);
}

TEST_CASE("6: every provision of section 6 has a rule test") {
  check_tested(tested_sections(), section_6);
}

TEST_CASE("MMS: the Maine Management Service has a rule test") {
  check_tested(tested_sections(), mms);
}
