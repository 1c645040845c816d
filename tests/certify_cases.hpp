#pragma once
// Certify cases for tests: a register and requisitions built in a few words, written to a scratch folder
// and certified by the built binary (`merit certify --case FILE`).
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace merit::testing::certify_cases {

using nlohmann::json;

/// The output of `merit certify --format json` for a case: the run, and the parsed certifications.
struct Certify {
  merit::testing::RunResult run;
  json out;
};

/// Writes a case to a file in a scratch folder removed when the tests end; gives its path.
inline std::string write_case(const json& c) {
  static const Scratch scratch("merit-certify");
  static int counter = 0;
  return scratch.write("case-" + std::to_string(counter++) + ".json", c.dump(2));
}

inline Certify certify(const json& c, const std::string& extra = "") {
  Certify result;
  result.run = run_merit("certify --format json --case " + write_case(c) + " " + extra);
  if (result.run.status == 0) result.out = json::parse(result.run.out);
  return result;
}

inline json register_of(json candidates) {
  return {{"class", "Eligibility Specialist"}, {"pay_grade", 12}, {"candidates", std::move(candidates)}};
}

inline json requisition(json extra = json::object()) {
  json r = {{"id", "R1"}, {"agency", "DHHS"}, {"received", "2026-03-02"}, {"location", "Augusta"}};
  for (auto& [k, v] : extra.items()) r[k] = v;
  return r;
}

inline json one_case(json candidates, json req_extra = json::object()) {
  return {{"register", register_of(std::move(candidates))},
          {"requisition", requisition(std::move(req_extra))}};
}

inline json person(const std::string& id, double score, json extra = json::object()) {
  json c = {{"id", id}, {"score", score}};
  for (auto& [k, v] : extra.items()) c[k] = v;
  return c;
}

inline std::string numbered(int i) {
  return (i < 10 ? "C0" : "C") + std::to_string(i);
}

/// Outside candidates C01..Cn scoring 100, 99, 98, ...
inline json outsiders(int n) {
  json cs = json::array();
  for (int i = 1; i <= n; ++i) cs.push_back(person(numbered(i), 101 - i));
  return cs;
}

inline std::vector<std::string> ids(const json& certification) {
  std::vector<std::string> out;
  for (const auto& c : certification["certified"]) out.push_back(c["id"].get<std::string>());
  return out;
}

inline std::vector<std::string> field(const json& certification, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& c : certification["certified"]) out.push_back(c[name].get<std::string>());
  return out;
}

using Ids = std::vector<std::string>;

inline const json dhhs_promo = {{"agency", "DHHS"}, {"promotional_preference", true}};
inline const json dol_promo = {{"agency", "DOL"}, {"promotional_preference", true}};
inline const json reemploy = {{"reemployment", true}};

}  // namespace merit::testing::certify_cases
