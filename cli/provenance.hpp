#pragma once
// Which rules answered: where merit finds its rules when none are named, what identifies a rule set (its
// folder and a hash of its files), and the line or JSON object that says, with every answer, which rules,
// dates, --set values and amendments produced it.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "interpreter/eval.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

/// merit's own version, from the project's CMakeLists.txt.
const char* merit_version();

/// The rules to use when no --rules is given: the folder in MERIT_RULES; else the rules installed beside the
/// executable (PREFIX/share/merit/rules for PREFIX/bin/merit), or, for a merit run in its own build tree,
/// the source tree's rules/. Never the current folder. Empty when none is found, with `problem` saying
/// where it looked.
std::string default_rules_dir(std::string& problem);

/// A rule set's identity: its folder (absolute) and a hash of its rule files' names and texts, so that two
/// answers can be seen to come from the same rules, wherever they were copied.
struct RulesIdentity {
  std::string folder;  // or, for an amendment, its file
  std::string hash;    // 16 hex digits
  std::size_t files = 0;
};

/// The identity of the rules of `program` as loaded from `dir` (the texts it read, not the disk now), and of
/// each amendment file it applied.
RulesIdentity identify_rules(const Program& program, const std::string& dir);
std::vector<RulesIdentity> identify_amendments(const Program& program);

/// What produced an answer.
struct Provenance {
  RulesIdentity rules;
  std::vector<Date> judged_as_of;  // the dates the rules were judged as of, in order
  bool each_case = false;          // many cases (merit diff), each judged as of its own dates
  bool as_of_given = false;        // with --as-of
  std::vector<std::string> sets;   // --set NAME=VALUE, as given
  std::vector<RulesIdentity> amendments;
};

/// What produced `result`: the rules of `program` loaded from `dir`, their amendments, --set and --as-of.
Provenance make_provenance(const Program& program, const std::string& dir,
                           const std::vector<std::string>& sets, bool as_of_given,
                           const DecisionResult& result);

/// For a person, one line: "LABEL: FOLDER (hash H, merit V), judged as of D; --set ...; amended by ...".
std::string provenance_line(const Provenance& p, std::string_view label = "Rules");

/// For scripts: {"merit": V, "rules": {"folder", "hash"}, "as_of": [D...], "as_of_given": bool,
/// "set": [...], "amendments": [{"file", "hash"}]}.
nlohmann::ordered_json provenance_json(const Provenance& p);

}  // namespace merit::cli
