// The proposals in examples/what-if/ are copies of rules/ with one amendment each. A change to rules/ must
// reach them too, or their diffs would show that change as part of the proposal: these tests fail when a
// copy differs from rules/ in anything but its amendment.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/run.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::source_dir;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::set<std::string> rule_files(const fs::path& root) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".merit")
      files.insert(fs::relative(entry.path(), root).string());
  }
  return files;
}

/// Checks that `proposal` holds the same rule files as rules/, equal line for line except that the
/// amended file's lines differing from rules/ are exactly `amended_lines`.
void expect_one_amendment(const std::string& proposal, const std::string& amended_file,
                          const std::set<std::string>& amended_lines) {
  const fs::path rules = fs::path(source_dir()) / "rules";
  const fs::path copy = fs::path(source_dir()) / "examples" / "what-if" / proposal;
  CHECK(rule_files(copy) == rule_files(rules));
  for (const auto& file : rule_files(rules)) {
    const auto base = lines_of(read_text((rules / file).string()));
    const auto proposed = lines_of(read_text((copy / file).string()));
    INFO(proposal << "/" << file << " differs from rules/" << file
                  << "; copy the change of rules/ into the proposal");
    REQUIRE(base.size() == proposed.size());
    std::set<std::string> differing;
    for (std::size_t i = 0; i < base.size(); ++i) {
      if (base[i] != proposed[i]) differing.insert(proposed[i]);
    }
    CHECK(differing == (file == amended_file ? amended_lines : std::set<std::string>{}));
  }
}

}  // namespace

TEST_CASE("what-if: rule-of-three differs from rules/ only in the rule of six, as a rule of three") {
  expect_one_amendment(
      "rule-of-three", "chapter8/2-use-of-class-registers.merit",
      {"> 1. Rule of Three",
       "> Whenever register size and composition permit, a certification to a given vacancy shall include "
       "three",
       "> persons. These three persons shall be selected by score, in accordance with the method of "
       "certification",
       "> being made. If a full complement of three persons is not available, a certification shall include "
       "that",
       "> number of persons as close to three as possible. Should this certification contain or result in at "
       "least",
       "parameter complement_size: integer § 2.B.1 = 3",
       "> In cases where more than one person has the same examination score, this complement of three "
       "persons "
       "may",
       "> be based on fewer than three different scores. When the \"third\" or end score repeats, the "
       "\"third\" "
       "shall"});
}

TEST_CASE(
    "what-if: reemployment-second differs from rules/ only in the order of the standard method's tiers") {
  expect_one_amendment("reemployment-second", "chapter8/2-use-of-class-registers.merit",
                       {"> Second, persons seeking reemployment;",
                        "> Third, employees of other state agencies who have examination and referral "
                        "preference for promotion",
                        "> in the career-service; and", "  else if c.reemployment then 2",
                        "  else if has_promotional_preference(c) then 3"});
}

TEST_CASE("what-if: with reemployment second, persons seeking reemployment come in ahead of transfers") {
  // Current order: H1 (tier 1), then the five best of the other agencies' employees O1-O5 (tier 2); R1 and
  // R2 (reemployment, tier 3) are not reached. Proposed: H1, then R1 and R2, then O1-O3.
  const auto r = merit::testing::run_merit(
      "diff --proposed examples/what-if/reemployment-second "
      "examples/what-if/cases/transfers-and-reemployment.json");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "1 case, 1 changed\n"
        "examples/what-if/cases/transfers-and-reemployment.json\n"
        "  R-2026-040\n"
        "    added R1 (score 92, basis rank, cite 2.B.1, interested true)\n"
        "    added R2 (score 84, basis rank, cite 2.B.1, interested true)\n"
        "    dropped O4 (score 86, basis rank, cite 2.B.1, interested true)\n"
        "    dropped O5 (score 82, basis rank, cite 2.B.1, interested true)\n");
}
