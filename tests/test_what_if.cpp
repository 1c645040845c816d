// Amendment files, as analysts and policy staff use them: examples/what-if/ holds two proposals, each only
// what it changes over rules/, and `--amend` or `merit diff --proposed FILE` applies one wherever rules
// are read. `merit check` says what an amendment replaces and refuses one that names nothing in the rules
// or changes a type.
#include <doctest/doctest.h>

#include <string>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

using merit::testing::run_merit;
using merit::testing::Scratch;

TEST_CASE("what-if: merit check says what each shipped proposal replaces") {
  const auto three = run_merit("check --amend examples/what-if/rule-of-three.merit");
  CHECK(three.status == 0);
  CHECK(three.err.empty());
  CHECK(three.out ==
        "examples/what-if/rule-of-three.merit:18: replaces parameter complement_size (the rules': "
        "rules/chapter8/2-use-of-class-registers.merit:219)\n"
        "10 rule files checked: 16 decisions, 27 parameters, no errors\n");
  const auto second = run_merit("check --amend examples/what-if/reemployment-second.merit");
  CHECK(second.status == 0);
  CHECK(second.out.find("examples/what-if/reemployment-second.merit:19: replaces function standard_tier (the "
                        "rules': rules/chapter8/2-use-of-class-registers.merit:119)\n") == 0);
  // Two amendments of one declaration: the later one is in force, and merit check warns of it.
  const Scratch s("merit-amend");
  const std::string four = s.write("four.merit", "replace parameter complement_size: integer § 2.B.1 = 4\n");
  const std::string twice = " --amend examples/what-if/rule-of-three.merit --amend '" + four + "'";
  const auto warned = run_merit("check" + twice);
  CHECK(warned.status == 0);
  CHECK(warned.err.find(
            "four.merit:1:19: warning: an amendment given before already replaced this (at "
            "examples/what-if/rule-of-three.merit:18): this one, given later, is the one in force") !=
        std::string::npos);
  CHECK(run_merit("certify --format json --case examples/certify/standard.json" + twice)
            .out.find("\"complement\": 4") != std::string::npos);
  // Both at once: each replaces its own declaration.
  const auto both = run_merit(
      "check --amend examples/what-if/rule-of-three.merit --amend "
      "examples/what-if/reemployment-second.merit");
  CHECK(both.status == 0);
  CHECK(both.out.find("replaces parameter complement_size") != std::string::npos);
  CHECK(both.out.find("replaces function standard_tier") != std::string::npos);
}

TEST_CASE("what-if: with reemployment second, persons seeking reemployment come in ahead of transfers") {
  // Current order: H1 (tier 1), then the five best of the other agencies' employees O1-O5 (tier 2); R1 and
  // R2 (reemployment, tier 3) are not reached. Proposed: H1, then R1 and R2, then O1-O3.
  const auto r = run_merit(
      "diff --proposed examples/what-if/reemployment-second.merit "
      "examples/what-if/cases/transfers-and-reemployment.json");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "1 case, 1 changed\n"
        "examples/what-if/cases/transfers-and-reemployment.json\n"
        "  R-2026-040\n"
        "    added R1 (score 92, basis rank, cite 2.B.1, interested true, tier 2)\n"
        "    added R2 (score 84, basis rank, cite 2.B.1, interested true, tier 2)\n"
        "    dropped O4 (score 86, basis rank, cite 2.B.1, interested true, tier 2)\n"
        "    dropped O5 (score 82, basis rank, cite 2.B.1, interested true, tier 2)\n"
        "    O1 tier: 2 -> 3\n"
        "    O2 tier: 2 -> 3\n"
        "    O3 tier: 2 -> 3\n"
        "certifications: 1 of 1 changed; names added 2, dropped 2 (standard +2 -2)\n"
        "  by tier of the method's order: 2 +2 -2\n");
}

TEST_CASE("what-if: --amend applies a proposal to certify, eval and test as to diff") {
  const std::string amend = " --amend examples/what-if/rule-of-three.merit";
  const auto certified = run_merit("certify --format json --case examples/certify/standard.json" + amend);
  CHECK(certified.status == 0);
  CHECK(certified.out.find("\"complement\": 3") != std::string::npos);
  const auto evaluated = run_merit("eval --case examples/certify/standard.json --format json" + amend);
  CHECK(evaluated.out == certified.out);
  // The policy staff's tests of the rule of six fail under the rule of three, and say so.
  const auto tested = run_merit("test --section 2.B.1 rules" + amend);
  CHECK(tested.status == 1);
  CHECK(tested.out.find("  complement: expected 6\n") != std::string::npos);
}

TEST_CASE("what-if: an amendment adopted from a date leaves the rules in force before it") {
  const Scratch s("merit-amend");
  const std::string dated =
      s.write("dated.merit", "replace parameter complement_size: integer § 2.B.1 = 3 from 2026-03-10\n");
  const auto check = run_merit("check --amend '" + dated + "'");
  CHECK(check.status == 0);
  CHECK(check.out.find(": parameter complement_size takes a new value from 2026-03-10 (the rules': "
                       "rules/chapter8/2-use-of-class-registers.merit:219)\n") != std::string::npos);
  // standard.json's requisition is received on 2026-03-02: before the amendment, then after it.
  const std::string run =
      "certify --format json --case examples/certify/standard.json --amend '" + dated + "'";
  CHECK(run_merit(run).out.find("\"complement\": 6") != std::string::npos);
  CHECK(run_merit(run + " --as-of 2026-03-10").out.find("\"complement\": 3") != std::string::npos);

  // A function from a date: the rules' version is in force until the day before.
  const std::string tier =
      s.write("tier.merit",
              "replace function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1 effective from "
              "2027-07-01 =\n  if c.reemployment then 1 else 2\n");
  const auto versions = run_merit("check --amend '" + tier + "'");
  CHECK(versions.status == 0);
  CHECK(versions.out.find(": replaces function standard_tier from 2027-07-01 (the rules': "
                          "rules/chapter8/2-use-of-class-registers.merit:119)\n") != std::string::npos);
  const auto diff_before = run_merit("diff --proposed '" + tier + "' examples/certify/standard.json");
  // No case is judged on or after that day: the diff says so, and how to see the proposal.
  CHECK(diff_before.out ==
        "1 case, 0 changed\n"
        "the proposal is adopted from 2027-07-01, and no case changed before it: to judge the cases as of "
        "that day, add --as-of 2027-07-01\n");
  const auto diff_after =
      run_merit("diff --as-of 2027-07-01 --proposed '" + tier + "' examples/certify/standard.json");
  CHECK(diff_after.out.find("1 case, 1 changed\n") == 0);
}

TEST_CASE("what-if: an amendment that names nothing in the rules, or changes a type, is refused") {
  const Scratch s("merit-amend");
  const auto refused = [&](const std::string& text) {
    const auto r = run_merit("check --amend '" + s.write("bad.merit", text) + "'");
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    return r.err;
  };
  CHECK(
      refused("replace parameter complment_size: integer § 2.B.1 = 3\n")
          .find("bad.merit:1:19: error: the rules have no parameter complment_size to replace; did you mean "
                "'complement_size'?") != std::string::npos);
  CHECK(refused("replace parameter complement_size: decimal § 2.B.1 = 3.5\n")
            .find("error: the rules declare complement_size: integer (at ") != std::string::npos);
  CHECK(refused("replace function standard_tier(c: Candidate): integer § 2.A.1 = 1\n")
            .find("error: the rules declare standard_tier(c: Candidate, r: Requisition): integer (at ") !=
        std::string::npos);
  CHECK(refused("replace function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1 effective "
                "through 2027-01-01 = 1\n")
            .find("error: an amendment to a function is adopted from a day on, with no end") !=
        std::string::npos);
  CHECK(refused("replace calendar c § 1 {\n  weekend saturday, sunday\n}\n")
            .find("error: expected a parameter, function, record or enum after 'replace'") !=
        std::string::npos);
  // An addition that takes a name the rules already use is a declaration twice, as in the rules.
  CHECK(!refused("parameter complement_size: integer § 2.B.1 = 3\n").empty());
  // `replace` in the rules themselves is refused: there, the declaration is edited.
  const std::string own = s.write("own/rules.merit", "replace parameter p: integer § 1 = 1\n");
  const auto in_rules = run_merit("check '" + own + "'");
  CHECK(in_rules.status == 1);
  CHECK(in_rules.err.find("'replace' belongs in an amendment file, given with --amend") != std::string::npos);
}

TEST_CASE("what-if: an amendment may add fields to a record and members to an enum, and nothing else") {
  const Scratch s("merit-amend");
  // Veterans' points: a field on the register's candidates, read from the case like any other.
  const std::string candidate =
      "replace record Candidate § 2.A {\n"
      "  id: text\n  name: text? = none\n  score: decimal\n  agency: text? = none\n"
      "  service: Service = classified\n  promotional_preference: boolean = false\n"
      "  reemployment: boolean = false\n  declined_locations: list of text = []\n"
      "  declined_hours: list of text = []\n  qualifications: list of text = []\n  groups: list of text = "
      "[]\n"
      "  concurrent_referrals: integer = 0\n  transfer_request: boolean = false\n  pay_grade: integer? = "
      "none\n"
      "  temporary_interest: boolean = false\n";
  const auto added = run_merit(
      "check --amend '" + s.write("points.merit", candidate + "  veterans_points: decimal = 0\n}\n") + "'");
  CHECK(added.status == 0);
  CHECK(added.out.find("points.merit:1: replaces record Candidate, adding veterans_points (the rules': "
                       "rules/chapter8/2-use-of-class-registers.merit:15)\n") != std::string::npos);
  const auto members =
      run_merit("check --amend '" +
                s.write("basis.merit",
                        "replace enum Basis § 2 = rank | replacement | affirmative_action | extra_name | "
                        "veterans_preference\n") +
                "'");
  CHECK(members.status == 0);
  CHECK(members.out.find("replaces enum Basis, adding veterans_preference") != std::string::npos);

  const auto refused = [&](const std::string& text) {
    const auto r = run_merit("check --amend '" + s.write("bad.merit", text) + "'");
    CHECK(r.status == 1);
    return r.err;
  };
  // A field taken away, or its type changed; members reordered or taken away.
  const std::string no_temporary = candidate.substr(0, candidate.find("  temporary_interest")) + "}\n";
  CHECK(refused(no_temporary).find("Candidate has a field temporary_interest in the rules (at ") !=
        std::string::npos);
  std::string retyped = candidate + "}\n";
  retyped.replace(retyped.find("score: decimal"), 14, "score: integer");
  CHECK(refused(retyped).find("error: the rules declare Candidate.score: decimal (at ") != std::string::npos);
  CHECK(
      refused("replace enum Basis § 2 = replacement | rank | affirmative_action | extra_name\n")
          .find(
              "error: the rules declare Basis = rank | replacement | affirmative_action | extra_name (at ") !=
      std::string::npos);
  CHECK(refused("replace record Candidat § 2.A {\n  id: text\n}\n")
            .find("the rules have no record Candidat to replace; did you mean 'Candidate'?") !=
        std::string::npos);
}

TEST_CASE("what-if: an amendment may replace or add the outputs, lets and rules of a decision") {
  const Scratch s("merit-amend");
  // The selection period counted from the day the requisition was received: one let replaced.
  const std::string received =
      s.write("received.merit",
              "amend decision certification {\n"
              "  > I. ... selection shall be made within 21 calendar days of receipt of the requisition.\n"
              "  replace let selection_deadline: date § 2.I = r.received + selection_period\n"
              "}\n");
  const auto check = run_merit("check --amend '" + received + "'");
  CHECK(check.status == 0);
  CHECK(
      check.out.find("received.merit:1: amends decision certification: replaces let selection_deadline (the "
                     "rules': rules/chapter8/2-use-of-class-registers.merit:") != std::string::npos);
  // acting.json's requisition was received three days before its certification: its deadline moves.
  const auto diff = run_merit("diff --proposed '" + received + "' examples/certify");
  CHECK(diff.status == 0);
  CHECK(diff.out.find("13 cases, 1 changed\nexamples/certify/acting.json\n  R-2026-020\n"
                      "    selection_deadline: 2026-03-26 -> 2026-03-23\n") == 0);
  // One rule replaced and an exception added.
  const auto rules = run_merit("check --amend '" +
                               s.write("interview.merit",
                                       "amend decision certification {\n"
                                       "  replace rule § 2.I.1: interview_required = false\n"
                                       "  exception § 2.I: interview_required = true when complete\n}\n") +
                               "'");
  CHECK(rules.status == 0);
  CHECK(rules.out.find("replaces rule § 2.I.1 of interview_required (at ") != std::string::npos);
  CHECK(rules.out.find("; adds exception § 2.I of interview_required") != std::string::npos);

  const auto refused = [&](const std::string& text) {
    const auto r = run_merit("check --amend '" + s.write("bad.merit", text) + "'");
    CHECK(r.status == 1);
    return r.err;
  };
  CHECK(refused("amend decision certificatio {\n  let x = 1\n}\n")
            .find("the rules have no decision certificatio to amend; did you mean 'certification'?") !=
        std::string::npos);
  CHECK(refused("amend decision certification {\n  replace rule § 9.Z: complete = false\n}\n")
            .find("error: decision certification has no rule § 9.Z of complete to replace") !=
        std::string::npos);
  CHECK(refused("amend decision certification {\n  let complete = 1\n}\n")
            .find("error: decision certification already has complete (at ") != std::string::npos);
  CHECK(refused("amend decision certification {\n  replace output certification: integer = 1\n}\n")
            .find("error: the rules declare output certification: Certification (at ") != std::string::npos);
  CHECK(refused("amend decision certification {\n  input extra: integer\n}\n")
            .find("error: an amendment may not give decision certification new inputs") != std::string::npos);
  // `amend decision` in the rules themselves is refused, as `replace` is.
  const auto own =
      run_merit("check '" + s.write("own/rules.merit", "amend decision d {\n  let x = 1\n}\n") + "'");
  CHECK(own.status == 1);
  CHECK(own.err.find("'amend decision' belongs in an amendment file, given with --amend") !=
        std::string::npos);
}
