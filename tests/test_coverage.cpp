// Every provision of Chapter 8 and the MMS text is encoded in rules/ by a declaration that cites it, so a
// reader of the regulation finds each one (the law's own words stand beside them as `>` quotes).
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/run.hpp"

namespace {

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

void check_cited(const std::set<std::string>& cited, std::initializer_list<const char*> provisions) {
  for (const char* p : provisions) {
    CAPTURE(p);
    CHECK(cited.count(p) == 1);
  }
}

}  // namespace

TEST_CASE("1: every provision of section 1 is cited in rules/") {
  check_cited(cited_sections(), {"1.A.1", "1.A.2", "1.A.3", "1.A.4", "1.B", "1.C"});
}

TEST_CASE("2: every provision of section 2 is cited in rules/") {
  check_cited(cited_sections(), {"2.A.1", "2.A.2", "2.A.3", "2.A.4", "2.A.5", "2.B.1", "2.B.2", "2.C", "2.D",
                                 "2.E", "2.F", "2.G", "2.H", "2.I", "2.I.1", "2.I.2", "2.I.3"});
}

TEST_CASE("3: every provision of section 3 is cited in rules/") {
  check_cited(cited_sections(), {"3.A.1", "3.A.2", "3.A.3", "3.A.4", "3.A.5.a", "3.A.5.b", "3.A.5.c",
                                 "3.A.5.d", "3.A.5.e", "3.A.6", "3.A.7.a", "3.A.7.b", "3.A.7.c", "3.A.7.d",
                                 "3.A.8", "3.A.9.a", "3.A.9.b", "3.A.9.c", "3.B"});
}

TEST_CASE("4: the provision of section 4 is cited in rules/") {
  check_cited(cited_sections(), {"4"});
}

TEST_CASE("5: every provision of section 5 is cited in rules/") {
  check_cited(cited_sections(),
              {"5.A", "5.B", "5.C.1(a)", "5.C.1(b)", "5.C.1(c)", "5.C.1(d)", "5.C.1(e)", "5.C.2(a)",
               "5.C.2(b)", "5.C.2(c)", "5.C.2(d)", "5.C.2(e)", "5.C.2(f)", "5.C.3"});
}

TEST_CASE("6: every provision of section 6 is cited in rules/") {
  check_cited(cited_sections(),
              {"6.A", "6.B", "6.C", "6.D", "6.E", "6.F", "6.G", "6.H", "6.I", "6.J.1", "6.J.2"});
}

TEST_CASE("MMS: the Maine Management Service is cited in rules/") {
  check_cited(cited_sections(), {"MMS"});
}
