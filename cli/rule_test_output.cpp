// merit test's output: the failures, and --update's rewriting of expectations in the test files.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "cli/json_edit.hpp"
#include "cli/rule_tests.hpp"
#include "cli/run.hpp"
#include "interpreter/files.hpp"

namespace merit::cli {

std::string compact(const Json& json) {
  if (json.is_array()) {
    std::string out;
    for (const auto& item : json) out += (out.empty() ? "" : ", ") + compact(item);
    return "[" + out + "]";
  }
  if (json.is_object()) {
    std::string out;
    for (const auto& [key, value] : json.items()) {
      out += (out.empty() ? "" : ", ") + Json(key).dump() + ": " + compact(value);
    }
    return "{" + out + "}";
  }
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string failure_text(const Result& r) {
  const RuleTest& t = *r.test;
  std::string out = fmt::format("FAIL {}: \"{}\" (§ {})\n", shown_path(t.file), t.sentence, t.section);
  if (!r.refused.empty()) out += fmt::format("  refused: {}\n", r.refused);
  for (const auto& e : r.errors) out += fmt::format("  invalid test: {}\n", e);
  for (const auto& m : r.mismatches) {
    const std::string label = fmt::format("  {}: ", m.path.empty() ? "(answer)" : m.path);
    out += fmt::format("{}expected {}\n{:{}}actual   {}\n", label, compact(m.expected), "", label.size(),
                       m.actual ? compact(*m.actual) : m.missing);
  }
  return out;
}

Json failure_json(const Result& r) {
  const RuleTest& t = *r.test;
  Json out = Json::object();
  out["file"] = shown_path(t.file);
  out["test"] = t.sentence;
  out["section"] = t.section;
  Json mismatches = Json::array();
  for (const auto& m : r.mismatches) {
    Json entry = Json::object();
    entry["path"] = m.path;
    entry["expected"] = m.expected;
    entry["actual"] = m.actual ? *m.actual : Json();
    mismatches.push_back(std::move(entry));
  }
  out["mismatches"] = std::move(mismatches);
  if (!r.refused.empty()) out["refused"] = r.refused;
  if (!r.errors.empty()) out["errors"] = r.errors;
  return out;
}

namespace {

/// Why a failed test cannot be updated, or empty when it can.
std::string not_updatable(const Result& r) {
  if (!r.errors.empty()) return "the test is invalid: " + r.errors.front();
  if (!r.refused.empty()) return "the rules refused the case: " + r.refused;
  for (const Mismatch& m : r.mismatches) {
    if (!m.actual)
      return fmt::format("the answer has nothing for {} {}", m.path.empty() ? "the answer" : m.path,
                         m.missing);
  }
  return {};
}

/// Writes beside the file and renames over it, so that a failed write leaves the file as it was.
bool write_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".merit-update";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::size_t update_expectations(const std::vector<Result>& results, std::FILE* out) {
  std::map<std::string, std::vector<const Result*>> by_file;  // in path order
  for (const Result& r : results) {
    if (!r.passed()) by_file[r.test->file].push_back(&r);
  }
  std::size_t updated = 0;
  for (const auto& [file, failed] : by_file) {
    std::vector<JsonEdit> edits;
    std::size_t tests = 0;
    for (const Result* r : failed) {
      const RuleTest& t = *r->test;
      if (const std::string why = not_updatable(*r); !why.empty()) {
        fmt::print(out, "not updated {}: \"{}\": {}\n", shown_path(file), t.sentence, why);
        continue;
      }
      for (const Mismatch& m : r->mismatches) {
        JsonEdit edit;
        if (t.index) {
          edit.at.emplace_back(std::string("tests"));
          edit.at.emplace_back(*t.index);
        }
        edit.at.emplace_back(std::string("expect"));
        for (const std::string& key : m.keys) edit.at.emplace_back(key);
        edit.text = compact(*m.actual);
        if (m.actual->is_array()) {
          edit.items.emplace();
          for (const Json& item : *m.actual) edit.items->push_back(compact(item));
        }
        edits.push_back(std::move(edit));
      }
      ++tests;
    }
    if (edits.empty()) continue;
    std::string problem;
    const std::optional<std::string> text = read_text_file(file, problem);
    std::optional<std::string> edited = text ? edit_json(*text, edits, problem) : std::nullopt;
    if (edited && !write_file(file, *edited)) {
      problem = "cannot write it";
      edited.reset();
    }
    if (!edited) {
      fmt::print(out, "not updated {}: {}\n", shown_path(file), problem);
      continue;
    }
    fmt::print(out, "updated {}: {} test{}\n", shown_path(file), tests, tests == 1 ? "" : "s");
    updated += tests;
  }
  return updated;
}

}  // namespace merit::cli
