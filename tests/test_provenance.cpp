// Every answer says what produced it: the rules (folder and hash), the dates they were judged as of, and any
// --set or amendment; `merit --version` names the rules a command would use; merit finds its rules from
// --rules, MERIT_RULES or beside its own executable, never from the current folder.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::env_or;
using merit::testing::run_merit_raw;
using merit::testing::run_shell;
using merit::testing::Scratch;
using merit::testing::source_dir;
using nlohmann::ordered_json;

namespace {

const std::string standard = "examples/certify/standard.json";

std::string shipped_rules() {
  return fs::weakly_canonical(fs::path(source_dir()) / "rules").string();
}

/// The hash `merit --version` gives the rules it would use.
std::string version_hash() {
  const auto r = run_merit_raw("--version");
  std::smatch m;
  static const std::regex hash("hash ([0-9a-f]{16})\\)");
  return std::regex_search(r.out, m, hash) ? m[1].str() : std::string();
}

/// merit's version, as `merit --version` gives it: answers name it.
std::string version() {
  const auto r = run_merit_raw("--version");
  std::smatch m;
  static const std::regex first("^merit ([0-9]+\\.[0-9]+\\.[0-9]+)\n");
  return std::regex_search(r.out, m, first) ? m[1].str() : std::string("?");
}

std::string binary() {
  return fs::absolute(env_or("MERIT_BINARY", "build/merit")).string();
}

}  // namespace

TEST_CASE("provenance: --version names merit's version and the rules it uses, with their hash") {
  const auto r = run_merit_raw("--version");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(std::regex_match(r.out, std::regex("merit [0-9]+\\.[0-9]+\\.[0-9]+\nrules: " + shipped_rules() +
                                           " \\([0-9]+ rule files, hash [0-9a-f]{16}\\)\n")));
  CHECK(run_merit_raw("--version extra").status == 2);
}

TEST_CASE("provenance: a certification's table starts with the rules, their hash and the date judged as of") {
  const auto r = run_merit_raw("certify --case " + standard);
  CHECK(r.status == 0);
  const std::string first = r.out.substr(0, r.out.find('\n') + 1);
  CHECK(first == "Rules: " + shipped_rules() + " (hash " + version_hash() + ", merit " + version() +
                     "), judged as of " + "2026-03-02\n");
  CHECK(r.out.find("\nCertification R-2026-014\n") != std::string::npos);

  const auto set =
      run_merit_raw("certify --case " + standard +
                    " --as-of 2026-05-01 --set complement_size=5 --set concurrent_referral_limit=2"
                    " --amend examples/what-if/rule-of-three.merit");
  CHECK(set.status == 0);
  CHECK(
      set.out.rfind(
          "Rules: " + shipped_rules() + " (hash " + version_hash() + ", merit " + version() +
              "), judged as of 2026-05-01 (--as-of); --set complement_size=5; --set "
              "concurrent_referral_limit=2; amended by " +
              fs::weakly_canonical(fs::path(source_dir()) / "examples/what-if/rule-of-three.merit").string() +
              " (hash ",
          0) == 0);
}

TEST_CASE(
    "provenance: each certification in JSON carries what produced it, the interface's fields unchanged") {
  const auto r =
      run_merit_raw("certify --case examples/certify/batch.json --format json --set complement_size=5");
  REQUIRE(r.status == 0);
  const auto out = ordered_json::parse(r.out);
  REQUIRE(out.is_array());
  REQUIRE(out.size() >= 2);
  for (const auto& certification : out) {
    CHECK(certification.contains("requisition"));
    CHECK(certification.contains("certified"));
    const auto& p = certification["provenance"];
    CHECK(p["merit"] == version());
    CHECK(p["rules"]["folder"] == shipped_rules());
    CHECK(p["rules"]["hash"] == version_hash());
    CHECK(p["as_of_given"] == false);
    CHECK(p["set"] == ordered_json::array({"complement_size=5"}));
    CHECK(p["amendments"] == ordered_json::array());
    // The batch's requisitions are certified on their own dates: every one of them is named.
    CHECK(p["as_of"].size() >= 2);
    CHECK(p == out[0]["provenance"]);
  }
  // Taken out, the provenance leaves exactly the answer merit gave before it was added.
  CHECK(merit::testing::without_provenance(r.out).find("provenance") == std::string::npos);
}

TEST_CASE("provenance: a decision's answer names its rules and the date of its own `as of`") {
  const auto table = run_merit_raw("eval acting_capacity --input examples/acting_capacity.json");
  CHECK(table.status == 0);
  CHECK(table.out.rfind("Rules: " + shipped_rules() + " (hash " + version_hash() + ", merit " + version() +
                            "), judged as of 2026-01-31\nacting_capacity (§ 3), rules as of 2026-01-31\n",
                        0) == 0);
  const auto json = run_merit_raw("eval acting_capacity --input examples/acting_capacity.json --format json");
  REQUIRE(json.status == 0);
  const auto out = ordered_json::parse(json.out);
  CHECK(out["provenance"]["as_of"] == ordered_json::array({"2026-01-31"}));
  CHECK(out["provenance"]["rules"]["hash"] == version_hash());
  // The outputs come first, in the rules' order; the provenance last.
  CHECK(out.begin().key() == "route");
  CHECK((--out.end()).key() == "provenance");
}

TEST_CASE("provenance: the hash follows the rules' text, not where they are") {
  Scratch s;
  const fs::path copy = s.dir / "rules";
  fs::copy(fs::path(source_dir()) / "rules", copy, fs::copy_options::recursive);
  const auto same =
      run_merit_raw("certify --case " + standard + " --format json --rules '" + copy.string() + "'");
  REQUIRE(same.status == 0);
  const auto p = ordered_json::parse(same.out)[0]["provenance"];
  CHECK(p["rules"]["folder"] == fs::weakly_canonical(copy).string());
  CHECK(p["rules"]["hash"] == version_hash());

  // A comment changed in one rule file: another rule set, as far as anyone checking the answer knows.
  std::ofstream(copy / "mms.merit", std::ios::app) << "\n# amended\n";
  const auto edited =
      run_merit_raw("certify --case " + standard + " --format json --rules '" + copy.string() + "'");
  REQUIRE(edited.status == 0);
  CHECK(ordered_json::parse(edited.out)[0]["provenance"]["rules"]["hash"] != version_hash());
}

TEST_CASE("provenance: MERIT_RULES names the rules, and one that is not a folder is an error saying so") {
  Scratch s;
  const fs::path copy = s.dir / "my-rules";
  fs::copy(fs::path(source_dir()) / "rules", copy, fs::copy_options::recursive);
  const auto r = run_merit_raw("certify --case " + standard, "MERIT_RULES='" + copy.string() + "'");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("Rules: " + copy.string() + " (hash " + version_hash(), 0) == 0);

  const auto missing = run_merit_raw("certify --case " + standard, "MERIT_RULES=/nonexistent/rules");
  CHECK(missing.status == 1);
  CHECK(missing.out.empty());
  CHECK(missing.err == "error: MERIT_RULES names /nonexistent/rules, which is not a folder\n");
  // --rules comes before MERIT_RULES.
  CHECK(run_merit_raw("check", "MERIT_RULES=/nonexistent/rules").status == 1);
  CHECK(run_merit_raw("certify --case " + standard + " --rules rules", "MERIT_RULES=/nonexistent/rules")
            .status == 0);
}

TEST_CASE("provenance: a merit copied away from its rules says where it looked, never using ./rules") {
  Scratch s;
  const fs::path lone = s.dir / "bin" / "merit";
  fs::create_directories(lone.parent_path());
  fs::copy_file(binary(), lone);
  // The folder it is run from holds a copy of the rules: it must not be taken silently.
  fs::copy(fs::path(source_dir()) / "rules", s.dir / "rules", fs::copy_options::recursive);
  const std::string case_file = (fs::path(source_dir()) / standard).string();
  const auto r = run_shell("cd '" + s.dir.string() + "' && env -u MERIT_RULES '" + lone.string() +
                           "' certify --case '" + case_file + "'");
  CHECK(r.status == 1);
  CHECK(r.out ==
        "error: no rules found: give --rules DIR, or set MERIT_RULES to the rules folder (looked in " +
            (s.dir / "share/merit/rules").string() + ")\n");
  const auto version =
      run_shell("cd '" + s.dir.string() + "' && env -u MERIT_RULES '" + lone.string() + "' --version");
  CHECK(version.status == 0);
  CHECK(version.out.find("rules: none found (no rules found: give --rules DIR") != std::string::npos);
  // Named, they are used.
  CHECK(run_shell("cd '" + s.dir.string() + "' && '" + lone.string() + "' certify --rules rules --case '" +
                  case_file + "'")
            .status == 0);
}

TEST_CASE("provenance: a diff names both rule sets, the proposal's amendment and --set") {
  const std::string amendment =
      fs::weakly_canonical(fs::path(source_dir()) / "examples/what-if/rule-of-three.merit").string();
  const auto table = run_merit_raw(
      "diff --proposed examples/what-if/rule-of-three.merit --set complement_size=4 " + standard);
  REQUIRE(table.status == 0);
  const std::string rules = shipped_rules() + " (hash " + version_hash() + ", merit " + version() + ")";
  CHECK(table.out.rfind("Base rules: " + rules +
                            ", judged as of each case's own dates\nProposed rules: " + rules +
                            ", judged as of each case's own dates; --set complement_size=4; amended by " +
                            amendment + " (hash ",
                        0) == 0);
  const auto json =
      run_merit_raw("diff --set complement_size=4 --as-of 2026-06-01 --format json " + standard);
  REQUIRE(json.status == 0);
  const auto p = ordered_json::parse(json.out)["provenance"];
  CHECK(p["base"]["set"] == ordered_json::array());
  CHECK(p["proposed"]["set"] == ordered_json::array({"complement_size=4"}));
  CHECK(p["base"]["as_of"] == ordered_json::array({"2026-06-01"}));
  CHECK(p["proposed"]["rules"]["hash"] == version_hash());
  const auto own_dates = run_merit_raw("diff --set complement_size=4 --format json " + standard);
  CHECK(ordered_json::parse(own_dates.out)["provenance"]["base"]["as_of"].is_null());
}
