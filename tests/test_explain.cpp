// `merit certify --explain`: why each person on the register was or was not certified, as the engine
// recorded it while certifying (the step of the rules that left the person out, took or placed them, with
// its section and the values that decided), through the built binary.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/certify_cases.hpp"
#include "tests/run.hpp"

namespace {

using namespace merit::testing::certify_cases;  // NOLINT(google-build-using-namespace): the cases' words
using merit::testing::run_merit;
using nlohmann::json;

struct Explained {
  merit::testing::RunResult run;
  json out;                        // the certifications, each with its "explanation"
  std::vector<json> explanations;  // one per certification, in the same order
};

Explained explain(const json& c, const std::string& extra = "") {
  Explained result;
  result.run = run_merit("certify --explain --format json --case " + write_case(c) + " " + extra);
  if (result.run.status != 0) return result;
  result.out = json::parse(result.run.out);
  for (const auto& certification : result.out) result.explanations.push_back(certification["explanation"]);
  return result;
}

/// The explanation of person `id`, or null when the person is missing.
json item(const json& explanation, const std::string& id) {
  for (const auto& p : explanation["items"]) {
    if (p["id"] == id) return p;
  }
  return nullptr;
}

std::string text_of(const json& explanation, const std::string& id, const char* key) {
  const json p = item(explanation, id);
  if (p.is_null()) return "(" + id + " is not in the explanation)";
  return p[key].is_string() ? p[key].get<std::string>() : p[key].dump();
}

std::string reason(const json& e, const std::string& id) {
  return text_of(e, id, "reason");
}
std::string cite(const json& e, const std::string& id) {
  return text_of(e, id, "cite");
}
std::string step(const json& e, const std::string& id) {
  return text_of(e, id, "step");
}
std::string fate(const json& e, const std::string& id) {
  return text_of(e, id, "fate");
}

/// The values that decided person `id`'s fate at the step that decided it.
json values(const json& e, const std::string& id) {
  const json p = item(e, id);
  if (p.is_null()) return nullptr;
  for (const auto& s : p["steps"]) {
    if (s["step"] == p["step"] && s["fate"] == p["fate"]) return s["values"];
  }
  return nullptr;
}

/// The rules with a condition, and the exceptions, that applied: "cite: name = value".
Ids applied(const json& explanation) {
  Ids out;
  for (const auto& a : explanation["applied"]) {
    out.push_back(a["cite"].get<std::string>() + ": " + a["name"].get<std::string>() + " = " +
                  a["value"].dump());
  }
  return out;
}

}  // namespace

TEST_CASE(
    "explain: every person of every shipped example, in register order, agrees with the certification") {
  for (const std::string example :
       {"standard", "agency-promotional", "statewide-promotional", "open-competitive", "selective",
        "multiple-vacancies", "replacements", "removal", "incomplete", "extra-names", "affirmative-action",
        "acting", "batch"}) {
    CAPTURE(example);
    const std::string file = "examples/certify/" + example + ".json";
    const auto r = run_merit("certify --explain --format json --case " + file);
    REQUIRE(r.status == 0);
    json out = json::parse(r.out);
    const json input = json::parse(merit::testing::read_text(merit::testing::source_dir() + "/" + file));
    Ids register_ids;
    for (const auto& c : input["register"]["candidates"]) register_ids.push_back(c["id"]);
    for (auto& certification : out) {
      const json e = certification["explanation"];
      Ids item_ids;
      for (const auto& p : e["items"]) item_ids.push_back(p["id"]);
      CHECK(item_ids == register_ids);
      const json& certified = certification["certified"];
      for (const auto& p : e["items"]) {
        CAPTURE(p.dump());
        const bool in = std::any_of(certified.begin(), certified.end(),
                                    [&](const json& x) { return x["id"] == p["id"]; });
        CHECK(p["in"] == (in ? json("certified") : json()));
        CHECK(p["list"] == "register.candidates");
        // Everyone not certified was left out or cut off by a step of the rules, with its section.
        if (!in) {
          CHECK((p["fate"] == "left_out" || p["fate"] == "cut"));
          CHECK(p["cite"].is_string());
          CHECK(p["reason"].get<std::string>().find("(§ " + p["cite"].get<std::string>() + ")") !=
                std::string::npos);
        }
      }
      certification.erase("explanation");
    }
    // Apart from the explanations, the answer is the one given without --explain.
    CHECK(out == json::parse(run_merit("certify --format json --case " + file).out));
  }
}

TEST_CASE("explain 2.B.1: taken by rank at a place, below the cut with the keys where it fell") {
  const auto r = explain(one_case(outsiders(9)));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "C01") == "place 1 of the 6 taken by ranked (§ 2.B.1, 2.B.2)");
  CHECK(fate(e, "C01") == "taken");
  CHECK(reason(e, "C07") ==
        "not reached by ranked (§ 2.B.1, 2.B.2): the complement, selected by score in the method's order, "
        "with everyone "
        "tied at the end score; 6 taken, the last of the 6 at method_tier(c, r) = 4, c.score = 95; here "
        "method_tier(c, r) = 4, c.score = 94");
  CHECK(cite(e, "C07") == "2.B.1, 2.B.2");
  CHECK(values(e, "C07") == json({{"method_tier(c, r)", 4}, {"c.score", 94}}));
  REQUIRE(e["applied"].size() == 1);
  const json& applied = e["applied"][0];
  CHECK(applied["cite"] == "2.B.1");
  CHECK(applied["name"] == "complete");
  CHECK(applied["value"] == true);
  CHECK(applied["because"].is_null());
  CHECK(applied["rule"].get<std::string>().rfind("rules/chapter8/2-use-of-class-registers.merit:", 0) == 0);
}

TEST_CASE(
    "explain 2.A.1: a tier the standard method did not reach shows the tier where the complement ended") {
  json cs = outsiders(2);
  for (int i = 1; i <= 6; ++i) cs.push_back(person("P" + std::to_string(i), 70 + i, dhhs_promo));
  cs.push_back(person("S1", 99, dol_promo));
  const auto r = explain(one_case(cs));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(fate(e, "S1") == "cut");
  CHECK(values(e, "S1") == json({{"method_tier(c, r)", 2}, {"c.score", 99}}));
  CHECK(reason(e, "S1").find("the last of the 6 at method_tier(c, r) = 1, c.score = 71") !=
        std::string::npos);
  CHECK(reason(e, "P1") == "place 6 of the 6 taken by ranked (§ 2.B.1, 2.B.2)");
}

TEST_CASE("explain 2.A.1: persons who declined the location or the hours in writing") {
  json cs = outsiders(8);
  cs[0]["declined_locations"] = {"Augusta"};
  cs[1]["declined_hours"] = {"part-time"};
  cs[3]["declined_locations"] = {"Portland"};
  const auto r = explain(one_case(cs, {{"hours", "part-time"}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  for (const char* id : {"C01", "C02"}) {
    CAPTURE(id);
    CHECK(step(e, id) == "wanting");
    CHECK(cite(e, id) == "2.A.1");
    CHECK(values(e, id) == json({{"declines_location_or_hours(c, r)", true}}));
  }
  CHECK(reason(e, "C01") ==
        "left out by wanting (§ 2.A.1): a person who, by written statement, does not desire the location or "
        "hours "
        "of work is excluded; declines_location_or_hours(c, r) = true");
  CHECK(fate(e, "C04") == "taken");
}

TEST_CASE("explain 2.A.2 and 2.A.3: outside the promotional methods, with the facts that decided") {
  json cs = outsiders(1);
  cs.push_back(person("OWN", 70, dhhs_promo));
  cs.push_back(person("OWN-NOPREF", 95, {{"agency", "DHHS"}}));
  cs.push_back(person("OTHER", 99, dol_promo));
  const auto agency = explain(one_case(cs, {{"method", "agency_promotional"}}));
  REQUIRE(agency.run.status == 0);
  const json& a = agency.explanations[0];
  for (const char* id : {"OTHER", "OWN-NOPREF", "C01"}) {
    CAPTURE(id);
    CHECK(step(a, id) == "reached_by_agency_promotional");
    CHECK(cite(a, id) == "2.A.2");
    CHECK(values(a, id) == json({{"has_promotional_preference_in(c, r.agency)", false}}));
  }
  CHECK(fate(a, "OWN") == "taken");

  const auto statewide = explain(one_case(cs, {{"method", "statewide_promotional"}}));
  REQUIRE(statewide.run.status == 0);
  const json& s = statewide.explanations[0];
  CHECK(cite(s, "C01") == "2.A.3");
  CHECK(values(s, "C01") == json({{"has_promotional_preference(c)", false}}));
  CHECK(values(s, "OWN-NOPREF") == json({{"has_promotional_preference(c)", false}}));
  CHECK(fate(s, "OTHER") == "taken");
}

TEST_CASE(
    "explain 2.A.5 and 2.H: lacking a selective qualification, or removed with the Director's approval") {
  json cs = json::array();
  cs.push_back(person("A", 99, {{"qualifications", {"CDL"}}}));
  cs.push_back(person("B", 98));
  cs.push_back(person("C", 97, {{"qualifications", {"CDL", "Spanish"}}}));
  const auto r = explain(one_case(cs, {{"method", "open_competitive"}, {"selective", {"CDL", "Spanish"}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(cite(e, "A") == "2.A.5");
  CHECK(step(e, "B") == "available");
  CHECK(values(e, "B") == json({{"lacks_selective_qualification(c, r)", true}}));
  CHECK(fate(e, "C") == "taken");

  const auto removed =
      explain(one_case(outsiders(8), {{"removed", {{"C02", "failed the background check"}}}}));
  REQUIRE(removed.run.status == 0);
  const json& m = removed.explanations[0];
  CHECK(cite(m, "C02") == "2.H");
  CHECK(values(m, "C02") == json({{"c.id not in r.removed", false}}));
  CHECK(fate(m, "C07") == "taken");
}

TEST_CASE("explain 2.F: passed over at the referral limit, counting the batch's earlier certifications") {
  json cs = outsiders(8);
  cs[0]["concurrent_referrals"] = 3;
  const auto r = explain(one_case(cs));
  REQUIRE(r.run.status == 0);
  CHECK(cite(r.explanations[0], "C01") == "2.F");
  CHECK(values(r.explanations[0], "C01") == json({{"passed_over(c, r, referred)", true}}));

  json batch_cs = outsiders(9);
  batch_cs[0]["concurrent_referrals"] = 1;
  json c = {{"register", register_of(batch_cs)},
            {"requisitions",
             {requisition({{"id", "R3"}, {"received", "2026-03-03"}, {"agency", "DOT"}}),
              requisition({{"id", "R1"}, {"received", "2026-03-01"}}),
              requisition({{"id", "R2"}, {"received", "2026-03-02"}, {"agency", "DOL"}})}}};
  const auto b = explain(c);
  REQUIRE(b.run.status == 0);
  REQUIRE(b.explanations.size() == 3);
  CHECK(b.out[0]["requisition"] == "R1");
  CHECK(fate(b.explanations[1], "C01") == "taken");
  CHECK(step(b.explanations[2], "C01") == "pool");
  CHECK(b.explanations[2]["as_of"] == "2026-03-03");
}

TEST_CASE("explain 2.F: the limit waived to reach the complement is a rule that applied") {
  json cs = outsiders(6);
  cs[0]["concurrent_referrals"] = 3;
  const auto waived = explain(one_case(cs));
  REQUIRE(waived.run.status == 0);
  CHECK(fate(waived.explanations[0], "C01") == "taken");
  CHECK(applied(waived.explanations[0]) == Ids{"2.F: limit_waived = true", "2.B.1: complete = true"});
  CHECK(waived.explanations[0]["applied"][0]["because"] ==
        "the complement cannot be reached without persons at the maximum of concurrent referrals");
}

TEST_CASE("explain: when several reasons apply, the first step that left the person out") {
  json cs = json::array();
  const json cdl = {"CDL"};
  cs.push_back(person(
      "P1", 99, {{"agency", "DOL"}, {"promotional_preference", true}, {"declined_locations", {"Augusta"}}}));
  cs.push_back(person("P2", 98, {{"declined_locations", {"Augusta"}}}));
  cs.push_back(person("P3", 97));
  cs.push_back(person("P4", 96, {{"qualifications", cdl}, {"concurrent_referrals", 3}}));
  cs.push_back(person("P5", 50,
                      {{"agency", "DOL"},
                       {"promotional_preference", true},
                       {"qualifications", cdl},
                       {"concurrent_referrals", 3}}));
  for (int i = 1; i <= 7; ++i) {
    cs.push_back(person("Q" + std::to_string(i), 91 - i,
                        {{"agency", "DOL"}, {"promotional_preference", true}, {"qualifications", cdl}}));
  }
  const auto r = explain(one_case(
      cs, {{"method", "statewide_promotional"}, {"selective", cdl}, {"removed", {{"P1", "withdrew"}}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  // The location is looked at before the removal, so P1, who declined Augusta too, is left out for that.
  CHECK(cite(e, "P1") == "2.A.1");
  CHECK(cite(e, "P2") == "2.A.1");
  CHECK(cite(e, "P3") == "2.A.5");
  CHECK(cite(e, "P4") == "2.A.3");
  CHECK(cite(e, "P5") == "2.F");
  CHECK(fate(e, "Q7") == "cut");
  CHECK(fate(e, "Q6") == "taken");
}

TEST_CASE("explain 2.B.1: replacements taken after persons declined, and the cut after the replacements") {
  const auto r = explain(one_case(outsiders(10), {{"declined", {"C01", "C02", "C03", "C04", "C07"}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(fate(e, "C01") == "taken");
  CHECK(step(e, "C07") == "replacements");
  CHECK(reason(e, "C08") == "place 2 of the 2 taken by replacements (§ 2.B.1)");
  CHECK(step(e, "C09") == "replacements");
  CHECK(fate(e, "C09") == "cut");
}

TEST_CASE("explain 2.B.2 and 2.D: ties at the end score, and places added for more vacancies") {
  json cs = outsiders(5);
  cs.push_back(person("T1", 90));
  cs.push_back(person("T2", 90));
  cs.push_back(person("T3", 90));
  cs.push_back(person("L1", 89));
  const auto ties = explain(one_case(cs));
  REQUIRE(ties.run.status == 0);
  const json& t = ties.explanations[0];
  CHECK(fate(t, "T1") == "taken");
  CHECK(reason(t, "T2") ==
        "place 7 in ranked (§ 2.B.1, 2.B.2), tied with the last of the 6 taken at method_tier(c, r) = 4, "
        "c.score = 90");
  CHECK(fate(t, "L1") == "cut");
  CHECK(field(ties.out[0], "cite") ==
        Ids{"2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.1", "2.B.2", "2.B.2"});

  const auto more = explain(one_case(outsiders(10), {{"vacancies", 3}}));
  REQUIRE(more.run.status == 0);
  CHECK(reason(more.explanations[0], "C07") == "place 7 of the 8 taken by ranked (§ 2.B.1, 2.B.2)");
  CHECK(field(more.out[0], "cite")[6] == "2.D");
}

TEST_CASE("explain 5.C: names added by affirmative action, in the method's order") {
  json cs = outsiders(8);
  cs[2]["groups"] = {"veterans"};
  cs[7]["groups"] = {"women"};
  cs.push_back(person("W2", 50, {{"groups", {"women"}}}));
  const auto r = explain(
      one_case(cs, {{"affirmative_action",
                     {{"groups", {"women", "veterans", "disability"}}, {"basis", "underutilization"}}}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "C08") == "place 1 in in_method_order (§ 5.C.1(d), 5.C.2(d))");
  CHECK(fate(e, "W2") == "cut");
  CHECK(r.out[0]["notes"] == json::array({"group_already_included", "group_unavailable"}));
}

TEST_CASE("explain 2.G: extra names placed by score, and outside the tiers they still meet the limit") {
  json cs = outsiders(6);
  cs.push_back(person("XFER", 60, {{"agency", "DOL"}, {"transfer_request", true}}));
  cs.push_back(person("DEMOTE", 65, {{"agency", "DOT"}, {"pay_grade", 14}}));
  cs.push_back(person("SAMEGRADE", 64, {{"agency", "DOT"}, {"pay_grade", 12}}));
  const auto r = explain(one_case(cs, {{"extra_names", true}}));
  REQUIRE(r.run.status == 0);
  const json& e = r.explanations[0];
  CHECK(reason(e, "DEMOTE") == "place 1 in extra (§ 2.G)");
  CHECK(reason(e, "XFER") == "place 2 in extra (§ 2.G)");
  CHECK(step(e, "SAMEGRADE") == "ranked");

  json limited = json::array();
  limited.push_back(person("OWN", 80, dhhs_promo));
  limited.push_back(
      person("XFER", 60, {{"agency", "DOL"}, {"transfer_request", true}, {"concurrent_referrals", 3}}));
  limited.push_back(person("XFER2", 55, {{"agency", "DOL"}, {"transfer_request", true}}));
  const auto p = explain(one_case(limited, {{"method", "agency_promotional"}, {"extra_names", true}}));
  REQUIRE(p.run.status == 0);
  // XFER is outside the agency promotional method, and, as an extra name, passed over at the referral
  // limit: the first step that left XFER out is the method's.
  CHECK(cite(p.explanations[0], "XFER") == "2.A.2");
  const json steps = item(p.explanations[0], "XFER")["steps"];
  CHECK(std::any_of(steps.begin(), steps.end(),
                    [](const json& s) { return s["step"] == "pool" && s["fate"] == "left_out"; }));
  CHECK(fate(p.explanations[0], "XFER2") == "placed");
}

TEST_CASE("explain 2.C and 2.I: an incomplete certification, no selection, no interview for acting") {
  const auto r = explain(one_case(outsiders(3), {{"declined", {"C01"}}, {"appointment", "acting"}}));
  REQUIRE(r.run.status == 0);
  CHECK(applied(r.explanations[0]) ==
        Ids{"2.C: complete = false", "2.I: interview_required = false", "2.I: selection_required = false"});
}

TEST_CASE(
    "explain: the table gives every person's reason under the certification, then the rules that applied") {
  const auto r = run_merit("certify --case examples/certify/removal.json --explain");
  REQUIRE(r.status == 0);
  CHECK(r.out.find(
            "Why each of register.candidates is or is not in certification R-2026-020 (§ 2), rules as of "
            "2026-03-02\n  id  name            certified       reason\n") != std::string::npos);
  CHECK(r.out.find("  C04 Dana Pelletier  no              left out by not_removed (§ 2.H): removed from the "
                   "certification with the Director's approval; c.id not in r.removed = false\n") !=
        std::string::npos);
  CHECK(
      r.out.find(
          "  C09 Indigo Michaud  replacement 2.H place 1 of the 1 taken by removal_replacements (§ 2.H)\n") !=
      std::string::npos);
  CHECK(r.out.find("  Rules that applied:\n    § 2.B.1: complete = true "
                   "(rules/chapter8/2-use-of-class-registers.merit:") != std::string::npos);
}

TEST_CASE("explain: eval --explain of the decision certification explains its register too") {
  const json c = {
      {"decision", "certification"},
      {"input",
       {{"register",
         register_of(json::array({person("A", 90), person("B", 80, {{"declined_locations", {"Augusta"}}})}))},
        {"requisition", requisition()},
        {"certified_on", "2026-03-02"}}}};
  const auto r = run_merit("eval --explain --format json --case " + write_case(c));
  REQUIRE(r.status == 0);
  const json out = json::parse(r.out);
  const json& items = out["explanation"]["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["in"] == "certified");
  CHECK(items[1]["step"] == "wanting");
  CHECK(items[1]["cite"] == "2.A.1");
  const auto table = run_merit("eval --explain --case " + write_case(c));
  CHECK(table.out.find("Why each of register.candidates is or is not in certification R1 (§ 2), rules as of "
                       "2026-03-02\n") != std::string::npos);
}
