// merit diff: every case run under the rules as they are (the base) and as proposed (another folder, or
// the base with parameters set), and what changed between the two answers. Compares the JSON the
// commands print, so it needs no knowledge of the provisions: a certification is compared field by field
// and by the ids it certifies, a decision output by output.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "cli/cli.hpp"
#include "cli/diff_render.hpp"
#include "cli/parallel.hpp"
#include "cli/provenance.hpp"
#include "cli/run.hpp"

namespace merit::cli {
namespace {

namespace fs = std::filesystem;

/// A file a CASE argument names: the argument itself, or one found under a folder.
struct CaseArg {
  std::string path;
  bool named = false;  // given on the command line: it must be a case
};

/// The case files a CASE argument names: the file itself, or every `*.json` under a folder that is not a
/// rule test (`*.test.json`), in path order.
bool collect_case_files(const std::string& arg, std::vector<CaseArg>& files, Diagnostics& errors) {
  std::error_code ec;
  if (fs::is_regular_file(arg, ec)) {
    files.push_back({arg, true});
    return true;
  }
  if (!fs::is_directory(arg, ec)) {
    errors.push_back(error_in_file(arg, "no such file or folder"));
    return false;
  }
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto ends_with = [&](std::string_view suffix) {
      return name.size() >= suffix.size() &&
             name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (it->is_regular_file(ec) && ends_with(".json") && !ends_with(".test.json")) {
      found.push_back(it->path().string());
    }
  }
  if (found.empty()) {
    errors.push_back(error_in_file(arg, "this folder has no case files (*.json)"));
    return false;
  }
  std::sort(found.begin(), found.end());
  for (auto& f : found) files.push_back({std::move(f), false});
  return true;
}

/// One case answered under one rule set: the JSON the command would print, or why it was refused.
struct Answer {
  bool refused = false;
  std::string message;  // the messages without places: rule files differ between the two sets
  Json value;
};

Answer answer_case(const Program& program, const CaseFile& c, const EvalOptions& options) {
  Answer out;
  EvalOptions eval = options;
  std::string certified_output;  // for a certify case: the one output the command prints
  if (c.certify) {
    std::string problem;
    const std::int32_t output = certify_output(program, problem);
    if (output < 0) return {true, problem, {}};
    certified_output = program.decisions[static_cast<std::size_t>(program.find_decision(certify_decision))]
                           ->definitions[static_cast<std::size_t>(output)]
                           .name;
    eval.outputs = {certified_output};
  }
  Diagnostics errors;
  const auto evaluation = evaluate_case(program, c, eval, errors);
  if (!evaluation) {
    out.refused = true;
    for (const auto& e : errors) out.message += (out.message.empty() ? "" : "; ") + e.message;
    return out;
  }
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(evaluation->decision)];
  out.value = outputs_json(program, d, evaluation->result);
  if (c.certify) out.value = out.value[certified_output];
  return out;
}

Json base_and_proposed(Json base, Json proposed) {
  Json out = Json::object();
  out["base"] = std::move(base);
  out["proposed"] = std::move(proposed);
  return out;
}

const Json* find_id(const Json& items, const std::string& id) {
  for (const auto& item : items) {
    if (id_of(item) == id) return &item;
  }
  return nullptr;
}

/// Fields that one rule set's answers have and the other's do not (a field added to an output record, say):
/// a change of the answers' shape, not of an outcome. By side ("base", "proposed"), then field name, as
/// `certified.ranking_score` for a field of the names certified.
using OnlyIn = std::map<std::string, std::set<std::string>>;

/// Names added and dropped, by method, tier or group.
using Tally = std::map<std::string, std::pair<std::size_t, std::size_t>>;

/// What a case's comparison found besides its changes: fields only one side has, and for certifications,
/// how many were compared and changed, and the names added and dropped by method, by the tier of the
/// method's order they were certified from, and by the affirmative-action groups of the person.
struct CaseNotes {
  OnlyIn only_in;
  std::size_t certifications = 0;
  std::size_t changed_certifications = 0;
  Tally by_method;
  Tally by_tier;
  Tally by_group;
  std::map<std::string, std::vector<std::string>, std::less<>> groups;  // by id, from the case's register
};

/// The groups of every person on a certify case's register (`groups` of each candidate).
void read_groups(const CaseFile& c, CaseNotes& notes) {
  simdjson::dom::array candidates;
  if (c.json.root()["register"]["candidates"].get(candidates) != simdjson::SUCCESS) return;
  for (const auto candidate : candidates) {
    std::string_view id;
    simdjson::dom::array groups;
    if (candidate["id"].get(id) != simdjson::SUCCESS) continue;
    if (candidate["groups"].get(groups) != simdjson::SUCCESS) continue;
    auto& out = notes.groups[std::string(id)];
    for (const auto group : groups) {
      std::string_view name;
      if (group.get(name) == simdjson::SUCCESS) out.emplace_back(name);
    }
  }
}

/// Counts a name added (or dropped) under its tier and each of its groups.
void tally_name(const Json& item, bool added, CaseNotes& notes) {
  const auto count = [&](Tally& tally, const std::string& key) {
    auto& [plus, minus] = tally[key];
    (added ? plus : minus) += 1;
  };
  if (item.is_object() && item.contains("tier") && item["tier"].is_number_integer())
    count(notes.by_tier, std::to_string(item["tier"].get<std::int64_t>()));
  if (const auto it = notes.groups.find(id_of(item)); it != notes.groups.end()) {
    for (const auto& group : it->second) count(notes.by_group, group);
  }
}

/// Every field of two objects that differs, as {"field": {"base": ..., "proposed": ...}}; `skip` fields
/// are compared elsewhere. A field only one side has goes to `only_in`, under `prefix`.
Json changed_fields(const Json& base, const Json& proposed, std::initializer_list<std::string_view> skip,
                    OnlyIn& only_in, const std::string& prefix = "") {
  Json changed = Json::object();
  const auto skipped = [&](const std::string& key) {
    return std::find(skip.begin(), skip.end(), key) != skip.end();
  };
  for (const auto& [key, value] : base.items()) {
    if (skipped(key)) continue;
    if (!proposed.contains(key)) {
      only_in["base"].insert(prefix + key);
    } else if (proposed[key] != value) {
      changed[key] = base_and_proposed(value, proposed[key]);
    }
  }
  for (const auto& [key, value] : proposed.items()) {
    if (!skipped(key) && !base.contains(key)) only_in["proposed"].insert(prefix + key);
  }
  return changed;
}

/// What changed in one requisition's certification: names added and dropped, names certified on
/// another basis, and every other field.
Json compare_certification(const Json& base, const Json& proposed, CaseNotes& notes) {
  OnlyIn& only_in = notes.only_in;
  const Json empty = Json::array();
  const Json& b = base.contains("certified") ? base["certified"] : empty;
  const Json& p = proposed.contains("certified") ? proposed["certified"] : empty;
  Json added = Json::array();
  Json dropped = Json::array();
  Json changed_names = Json::array();
  for (const auto& item : p) {
    if (!find_id(b, id_of(item))) added.push_back(item);
  }
  for (const auto& item : b) {
    const Json* other = find_id(p, id_of(item));
    if (!other) {
      dropped.push_back(item);
    } else if (*other != item && item.is_object() && other->is_object()) {
      Json name = Json::object();
      name["id"] = id_of(item);
      name["changed"] = changed_fields(item, *other, {"id"}, only_in, "certified.");
      if (!name["changed"].empty()) changed_names.push_back(std::move(name));
    }
  }
  Json changed = changed_fields(base, proposed, {"requisition", "certified"}, only_in);
  const auto same_names = [&] {
    if (b.size() != p.size()) return false;
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (id_of(b[i]) != id_of(p[i])) return false;
    }
    return true;
  };
  if (added.empty() && dropped.empty() && !same_names()) {
    // The same names in another order (their fields may have changed too: a tier, say).
    Json order_base = Json::array();
    Json order_proposed = Json::array();
    for (const auto& item : b) order_base.push_back(id_of(item));
    for (const auto& item : p) order_proposed.push_back(id_of(item));
    changed["order"] = base_and_proposed(order_base, order_proposed);
  }
  if (added.empty() && dropped.empty() && changed_names.empty() && changed.empty()) return Json();
  const Json& method = base.contains("method") ? base["method"] : proposed.value("method", Json());
  auto& [plus, minus] = notes.by_method[method.is_string() ? method.get<std::string>() : "(no method)"];
  plus += added.size();
  minus += dropped.size();
  for (const auto& item : added) tally_name(item, true, notes);
  for (const auto& item : dropped) tally_name(item, false, notes);
  ++notes.changed_certifications;
  Json out = Json::object();
  out["requisition"] = base.value("requisition", Json());
  out["added"] = std::move(added);
  out["dropped"] = std::move(dropped);
  out["changed_names"] = std::move(changed_names);
  out["changed"] = std::move(changed);
  return out;
}

std::string requisition_of(const Json& certification) {
  return certification.is_object() && certification.contains("requisition") &&
                 certification["requisition"].is_string()
             ? certification["requisition"].get<std::string>()
             : "";
}

/// Certifications are paired by requisition id (in order, so a repeated id pairs with its repeat).
Json compare_certifications(const Json& base, const Json& proposed, CaseNotes& notes) {
  notes.certifications += base.size();
  Json out = Json::array();
  std::vector<bool> used(proposed.size(), false);
  for (const auto& b : base) {
    std::size_t match = proposed.size();
    for (std::size_t i = 0; i < proposed.size(); ++i) {
      if (!used[i] && requisition_of(proposed[i]) == requisition_of(b)) {
        match = i;
        break;
      }
    }
    if (match == proposed.size()) {
      out.push_back({{"requisition", requisition_of(b)}, {"only_in", "base"}});
      continue;
    }
    used[match] = true;
    Json change = compare_certification(b, proposed[match], notes);
    if (!change.is_null()) out.push_back(std::move(change));
  }
  for (std::size_t i = 0; i < proposed.size(); ++i) {
    if (!used[i]) out.push_back({{"requisition", requisition_of(proposed[i])}, {"only_in", "proposed"}});
  }
  return out;
}

/// The change of one case, or null when both rule sets answer it alike. Fields only one side's answers have
/// are recorded in `only_in`, not as changes.
Json compare_case(const CaseFile& c, const Answer& base, const Answer& proposed, CaseNotes& notes) {
  Json change = Json::object();
  change["case"] = c.path;
  change["kind"] = c.certify ? "certify" : "decision";
  if (!c.certify) change["decision"] = c.decision;
  if (base.refused || proposed.refused) {
    if (base.refused && proposed.refused && base.message == proposed.message) return Json();
    change["refused"] = base_and_proposed(base.refused ? Json(base.message) : Json(),
                                          proposed.refused ? Json(proposed.message) : Json());
    return change;
  }
  if (c.certify) {
    read_groups(c, notes);
    Json requisitions = compare_certifications(base.value, proposed.value, notes);
    if (requisitions.empty()) return Json();
    change["requisitions"] = std::move(requisitions);
  } else {
    Json outputs = changed_fields(base.value, proposed.value, {}, notes.only_in);
    if (outputs.empty()) return Json();
    change["outputs"] = std::move(outputs);
  }
  return change;
}

}  // namespace

int run_diff(const Options& options) {
  if (options.proposed.empty() && options.sets.empty()) {
    return usage_error(
        "say what is proposed: --proposed FILE (an amendment file), --proposed DIR (a changed copy of the "
        "rules), or --set NAME=VALUE");
  }
  if (options.paths.empty()) return usage_error("give the cases to run: case files, or folders of them");
  Diagnostics errors;
  std::vector<CaseArg> files;
  for (const auto& arg : options.paths) collect_case_files(arg, files, errors);
  std::vector<CaseFile> cases;
  std::vector<std::string> skipped;  // JSON files under a folder that are not cases (inputs, say)
  for (const auto& file : files) {
    bool other_json = false;
    auto c = read_case_file(file.path, errors, false, file.named ? nullptr : &other_json);
    if (c) cases.push_back(std::move(*c));
    if (other_json) skipped.push_back(shown_path(file.path));
  }
  if (!errors.empty()) return report(errors, {});
  if (!skipped.empty()) {
    std::string names;
    for (const auto& s : skipped) names += (names.empty() ? "" : ", ") + s;
    fmt::print(stderr, "merit: skipped {} file{} that {} not a case: {}\n", skipped.size(),
               skipped.size() == 1 ? "" : "s", skipped.size() == 1 ? "is" : "are", names);
  }
  if (cases.empty()) return usage_error("no case to run among the files given");

  // The rules as each worker holds them (cli/parallel.hpp): the base, and a proposed copy of them if any.
  struct Rules {
    std::unique_ptr<RuleSet> base;
    std::unique_ptr<RuleSet> separate;
    EvalOptions base_options;
    EvalOptions proposed_options;
    Program& proposed() const { return separate ? separate->program : base->program; }
  };
  bool command_line_wrong = false;  // --set or --as-of: exit 2 rather than 1
  const auto load = [&](Rules & r, Diagnostics & problems) -> const auto& {
    r.base = load_rules(options.base, options.amendments, problems);
    if (!problems.empty()) return r.base->program.sources;
    if (!options.proposed.empty()) {
      // An amendment file amends the base; a folder is a changed copy of the rules.
      std::error_code ec;
      if (std::filesystem::is_directory(options.proposed, ec)) {
        r.separate = load_rules(options.proposed, options.amendments, problems);
      } else {
        std::vector<std::string> amended = options.amendments;
        amended.push_back(options.proposed);
        r.separate = load_rules(options.base, amended, problems);
      }
      if (!problems.empty()) return r.separate->program.sources;
    }
    if (!make_eval_options(r.base->program, {}, options.as_of, r.base_options, problems) ||
        !make_eval_options(r.proposed(), options.sets, options.as_of, r.proposed_options, problems))
      command_line_wrong = true;
    return r.proposed().sources;
  };
  Rules first;
  const auto& sources = load(first, errors);
  if (!errors.empty()) {
    report(errors, sources);
    return command_line_wrong ? exit_usage : exit_invalid;
  }
  // The first day the proposal's own amendments are adopted on, when they are dated.
  std::optional<Date> adopted;
  if (!options.proposed.empty()) {
    const Program& proposed = first.proposed();
    for (const auto& a : proposed.amended) {
      const std::string& file = proposed.sources.files.at(a.at.file).path;
      if (a.from && file == options.proposed && (!adopted || *a.from < *adopted)) adopted = a.from;
    }
  }

  // Which rules each side is: the base as loaded, the proposal as a folder or as the base amended.
  Provenance base_rules;
  base_rules.rules = identify_rules(first.base->program, first.base->dir);
  base_rules.amendments = identify_amendments(first.base->program);
  Provenance proposed_rules;
  const bool folder = first.separate && first.separate->dir != first.base->dir;
  proposed_rules.rules = identify_rules(first.proposed(), folder ? first.separate->dir : first.base->dir);
  proposed_rules.amendments = identify_amendments(first.proposed());
  proposed_rules.sets = options.sets;
  for (Provenance* side : {&base_rules, &proposed_rules}) {
    side->each_case = true;
    side->as_of_given = !options.as_of.empty();
    if (side->as_of_given) side->judged_as_of = {*first.base_options.as_of};
  }
  std::vector<Json> compared(cases.size());
  std::vector<CaseNotes> notes(cases.size());
  for_each_case(
      cases.size(), std::move(first),
      [&] {
        Rules r;
        Diagnostics problems;
        load(r, problems);
        if (!problems.empty()) throw std::runtime_error("the rules changed while the cases were run");
        return r;
      },
      [&](const Rules& r, std::size_t i) {
        compared[i] = compare_case(cases[i], answer_case(r.base->program, cases[i], r.base_options),
                                   answer_case(r.proposed(), cases[i], r.proposed_options), notes[i]);
      });
  Json changes = Json::array();
  for (auto& change : compared) {
    if (!change.is_null()) changes.push_back(std::move(change));
  }
  // Fields only one side's answers have, with how many cases show them.
  Json only_in = Json::object();
  for (const auto& n : notes) {
    for (const auto& [side, fields] : n.only_in) {
      for (const auto& field : fields) {
        Json& count = only_in[side][field];
        count = count.is_null() ? 1 : count.get<int>() + 1;
      }
    }
  }
  // Over the case set: how many certifications changed, and the names added and dropped by method.
  std::size_t certifications = 0;
  std::size_t changed_certifications = 0;
  Tally by_method;
  Tally by_tier;
  Tally by_group;
  const auto add = [](Tally& to, const Tally& from) {
    for (const auto& [key, counts] : from) {
      to[key].first += counts.first;
      to[key].second += counts.second;
    }
  };
  for (const auto& n : notes) {
    certifications += n.certifications;
    changed_certifications += n.changed_certifications;
    add(by_method, n.by_method);
    add(by_tier, n.by_tier);
    add(by_group, n.by_group);
  }
  // A proposal adopted from a day no case is judged on changes nothing: say so, and how to see it.
  const std::string dated_note =
      adopted && changes.empty()
          ? fmt::format(
                "the proposal is adopted from {}, and no case changed before it: to judge the "
                "cases as of that day, add --as-of {}",
                stdlib::format_date(*adopted), stdlib::format_date(*adopted))
          : std::string();
  if (options.format == "csv") {
    fmt::print("{}\n", csv_header);
    for (const auto& change : changes) fmt::print("{}", csv_rows(change));
    return exit_ok;
  }
  if (options.format == "json") {
    Json out = Json::object();
    out["cases"] = cases.size();
    if (!dated_note.empty()) out["note"] = dated_note;
    out["changed"] = changes.size();
    out["changes"] = std::move(changes);
    if (!only_in.empty()) out["fields_only_in"] = std::move(only_in);
    if (changed_certifications > 0) {
      Json summary = Json::object();
      summary["compared"] = certifications;
      summary["changed"] = changed_certifications;
      const auto tally_json = [](const Tally& tally) {
        Json counted = Json::object();
        for (const auto& [key, counts] : tally)
          counted[key] = Json{{"added", counts.first}, {"dropped", counts.second}};
        return counted;
      };
      summary["by_method"] = tally_json(by_method);
      summary["by_tier"] = tally_json(by_tier);
      summary["by_group"] = tally_json(by_group);
      out["certifications"] = std::move(summary);
    }
    out["provenance"] = {{"base", provenance_json(base_rules)},
                         {"proposed", provenance_json(proposed_rules)}};
    fmt::print("{}\n", dump_json(out));
    return exit_ok;
  }
  fmt::print("{}{}", provenance_line(base_rules, "Base rules"),
             provenance_line(proposed_rules, "Proposed rules"));
  fmt::print("{} case{}, {} changed\n", cases.size(), cases.size() == 1 ? "" : "s", changes.size());
  if (!dated_note.empty()) fmt::print("{}\n", dated_note);
  for (const auto& change : changes) fmt::print("{}", change_text(change));
  for (const auto& [side, fields] : only_in.items()) {
    std::string list;
    for (const auto& [field, count] : fields.items()) {
      const int n = count.get<int>();
      list += fmt::format("{}{} ({} case{})", list.empty() ? "" : ", ", field, n, n == 1 ? "" : "s");
    }
    fmt::print("fields only the {} rules' answers have (their shape, not an outcome): {}\n", side, list);
  }
  if (changed_certifications > 0) {
    std::size_t added = 0;
    std::size_t dropped = 0;
    std::string methods;
    for (const auto& [method, counts] : by_method) {
      added += counts.first;
      dropped += counts.second;
      if (counts.first + counts.second == 0) continue;
      methods +=
          fmt::format("{}{} +{} -{}", methods.empty() ? "" : ", ", method, counts.first, counts.second);
    }
    fmt::print("certifications: {} of {} changed; names added {}, dropped {}{}\n", changed_certifications,
               certifications, added, dropped, methods.empty() ? "" : " (" + methods + ")");
    const auto print_tally = [](std::string_view what, const Tally& tally) {
      std::string line;
      for (const auto& [key, counts] : tally) {
        if (counts.first + counts.second == 0) continue;
        line += fmt::format("{}{} +{} -{}", line.empty() ? "" : ", ", key, counts.first, counts.second);
      }
      if (!line.empty()) fmt::print("  {}: {}\n", what, line);
    };
    print_tally("by tier of the method's order", by_tier);
    print_tally("by affirmative-action group", by_group);
  }
  return exit_ok;
}

}  // namespace merit::cli
