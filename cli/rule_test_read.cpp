// merit test: reading the test files (the format is described in cli/rule_tests.cpp), and finding the rules
// each runs against.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cli/cli.hpp"
#include "cli/provenance.hpp"
#include "cli/rule_tests.hpp"
#include "cli/run.hpp"

namespace merit::cli {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------
// Reading test files.

const std::vector<std::string> test_keys = {"test",         "section",  "register", "requisition",
                                            "requisitions", "decision", "input",    "as_of",
                                            "set",          "amend",    "expect"};
const std::vector<std::string> file_keys = {"about", "register", "set", "amend", "tests"};

/// "set" and "amend", of a test or of its file: the parameter values and the amendment files its cases run
/// under. Amendment files are named from the test file's folder. False, with errors, when malformed.
bool read_proposal(const std::string& file, const std::string& path, const Json& json, Json& set,
                   std::vector<std::string>& amend, Diagnostics& errors) {
  bool ok = true;
  const auto error = [&](const std::string& key, const std::string& message) {
    errors.push_back(
        error_in_file(file, fmt::format("{}: {}", data_path_display(data_path_field(path, key)), message)));
    ok = false;
  };
  if (json.contains("set")) {
    if (!json["set"].is_object()) {
      error("set", "expected parameter values by name, like {\"complement_size\": 5}");
    } else {
      for (const auto& [name, value] : json["set"].items()) set[name] = value;
    }
  }
  if (json.contains("amend")) {
    const Json& a = json["amend"];
    const bool texts =
        a.is_string() ||
        (a.is_array() && std::all_of(a.begin(), a.end(), [](const Json& x) { return x.is_string(); }));
    if (!texts) {
      error("amend", "expected an amendment file, or a list of them, named from this file's folder");
    } else {
      for (const Json& x : a.is_string() ? Json::array({a}) : a) {
        const fs::path named = x.get<std::string>();
        amend.push_back(named.is_absolute()
                            ? named.string()
                            : (fs::path(file).parent_path() / named).lexically_normal().string());
      }
    }
  }
  return ok;
}

std::string key_list(const std::vector<std::string>& keys) {
  std::string out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == keys.size() ? " and " : ", ") + keys[i];
  }
  return out;
}

std::string unknown_key(const std::string& key, const std::vector<std::string>& keys, const char* of) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& k : keys) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best.empty() ? fmt::format("unknown key of {}; its keys are {}", of, key_list(keys))
                      : fmt::format("unknown key of {}; did you mean \"{}\"?", of, best);
}

/// Reads the test at `path` of the file; every problem is an error naming the file and the JSON path.
std::optional<RuleTest> read_test(const std::string& file, const std::string& path, const Json& json,
                                  const Json& file_register, const Json& file_set,
                                  const std::vector<std::string>& file_amend, Diagnostics& errors) {
  const std::size_t before = errors.size();
  const auto error = [&](const std::string& key, const std::string& message) {
    errors.push_back(
        error_in_file(file, fmt::format("{}: {}", data_path_display(data_path_field(path, key)), message)));
  };
  if (!json.is_object()) {
    errors.push_back(error_in_file(
        file, fmt::format("{}: expected a test: {{\"test\": ..., \"section\": ..., \"expect\": ...}}",
                          data_path_display(path))));
    return std::nullopt;
  }
  for (const auto& [key, value] : json.items()) {
    if (std::find(test_keys.begin(), test_keys.end(), key) == test_keys.end()) {
      error(key, unknown_key(key, test_keys, "a test"));
    }
  }
  RuleTest t;
  t.file = file;
  t.path = path;
  t.set = file_set.is_object() ? file_set : Json::object();
  t.amend = file_amend;
  read_proposal(file, path, json, t.set, t.amend, errors);
  for (const auto& [key, target] : {std::pair{"test", &t.sentence}, std::pair{"section", &t.section}}) {
    if (!json.contains(key)) {
      error(key, std::string(key) == "test" ? "missing: what the test shows, in a sentence"
                                            : "missing: the section the test is about, like \"2.B.2\"");
    } else if (!json[key].is_string()) {
      error(key, "expected text");
    } else {
      *target = json[key].get<std::string>();
    }
  }
  if (json.contains("as_of")) {
    t.as_of = json["as_of"].is_string() ? stdlib::parse_date(json["as_of"].get<std::string>()) : std::nullopt;
    if (!t.as_of) error("as_of", "expected a date like 2026-03-01");
  }
  if (!json.contains("expect")) {
    error("expect", "missing: the outcome the test expects, like {\"complete\": true}");
  } else if (!json["expect"].is_object()) {
    error("expect", "expected an object, like {\"complete\": true} or {\"error\": \"text of the message\"}");
  } else {
    t.expect = json["expect"];
    if (t.expect.contains("error") && (t.expect.size() != 1 || !t.expect["error"].is_string())) {
      error("expect", "a case that must be refused expects only {\"error\": \"text the message contains\"}");
    }
  }
  const bool refused = t.expect.is_object() && t.expect.contains("error");
  if (json.contains("decision")) {
    for (const char* key : {"register", "requisition", "requisitions"}) {
      if (json.contains(key)) error(key, "a decision test gives its inputs in \"input\"");
    }
    if (!json["decision"].is_string())
      error("decision", "expected the decision's name, like \"acting_capacity\"");
    if (!json.contains("input") || !json["input"].is_object()) {
      error("input", "expected a JSON object with the decision's inputs, like {\"start\": \"2026-03-01\"}");
    }
    if (errors.size() != before) return std::nullopt;
    t.decision = json["decision"].get<std::string>();
    t.inputs = json["input"];
    return t;
  }
  if (json.contains("input")) error("input", "a decision test names its decision: add \"decision\"");
  const bool one = json.contains("requisition");
  t.several = json.contains("requisitions");
  if (one == t.several) {
    error("requisition", one ? "give either \"requisition\" or \"requisitions\", not both"
                             : "missing: a certify test gives \"requisition\" or \"requisitions\" (or a "
                               "decision test \"decision\" and \"input\")");
  }
  if (!json.contains("register") && file_register.is_null()) {
    error("register", "missing: give the register here or at the top of the file");
  }
  if (t.several && !refused && t.expect.is_object()) {
    for (const auto& [id, fields] : t.expect.items()) {
      if (!fields.is_object()) {
        error("expect", fmt::format("{}: expected the fields of requisition {}'s certification, like "
                                    "{{\"complete\": true}}",
                                    id, id));
      }
    }
  }
  if (errors.size() != before) return std::nullopt;
  t.certify = true;
  t.decision = "certify";
  t.inputs = Json::object();
  t.inputs["register"] = json.contains("register") ? json["register"] : file_register;
  for (const char* key : {"requisition", "requisitions"}) {
    if (json.contains(key)) t.inputs[key] = json[key];
  }
  return t;
}

}  // namespace

std::vector<RuleTest> read_test_file(const std::string& file, Diagnostics& errors, std::size_t& invalid) {
  std::vector<RuleTest> tests;
  JsonDocument document;
  if (!document.load(file, errors)) {
    ++invalid;
    return tests;
  }
  const Json json = Json::parse(std::string(document.text()), nullptr, false);
  Json file_set = Json::object();
  std::vector<std::string> file_amend;
  const auto read = [&](std::optional<std::size_t> index, const Json& test, const Json& file_register) {
    const std::string path = index ? data_path_item("tests", *index) : std::string();
    if (auto t = read_test(file, path, test, file_register, file_set, file_amend, errors)) {
      t->index = index;
      tests.push_back(std::move(*t));
    } else {
      ++invalid;
    }
  };
  if (json.is_object() && json.contains("test")) {
    read(std::nullopt, json, Json());
    return tests;
  }
  if (!json.is_object() || !json.contains("tests") || !json["tests"].is_array()) {
    errors.push_back(error_in_file(file,
                                   "expected a test ({\"test\": ..., \"section\": ..., \"expect\": ...}) "
                                   "or a file of tests ({\"about\": ..., \"tests\": [...]})"));
    ++invalid;
    return tests;
  }
  bool valid = true;
  for (const auto& [key, value] : json.items()) {
    if (std::find(file_keys.begin(), file_keys.end(), key) == file_keys.end()) {
      errors.push_back(
          error_in_file(file, fmt::format("{}: {}", key, unknown_key(key, file_keys, "a test file"))));
      valid = false;
    }
  }
  if (json.contains("about") && !json["about"].is_string()) {
    errors.push_back(error_in_file(file, "about: expected text: what the tests of this file are about"));
    valid = false;
  }
  if (json.contains("register") && !json["register"].is_object()) {
    errors.push_back(error_in_file(file, "register: expected the register the certify tests share"));
    valid = false;
  }
  if (!read_proposal(file, "", json, file_set, file_amend, errors)) valid = false;
  if (!valid) {
    ++invalid;
    return tests;
  }
  const Json file_register = json.contains("register") ? json["register"] : Json();
  for (std::size_t i = 0; i < json["tests"].size(); ++i) {
    read(i, json["tests"][i], file_register);
  }
  return tests;
}

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void collect_test_files(const std::string& arg, std::vector<TestFile>& files, Diagnostics& errors) {
  std::error_code ec;
  if (fs::is_regular_file(arg, ec)) {
    files.push_back({arg});
    return;
  }
  if (!fs::is_directory(arg, ec)) {
    errors.push_back(error_in_file(arg, "no such file or folder"));
    return;
  }
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && ends_with(it->path().filename().string(), ".test.json")) {
      found.push_back(it->path().string());
    }
  }
  std::sort(found.begin(), found.end());
  for (auto& f : found) files.push_back({std::move(f)});
}

namespace {

/// Whether a folder holds rule files itself (not only in its subfolders).
bool holds_rule_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".merit") return true;
  }
  return false;
}

bool inside(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  const fs::path f = fs::weakly_canonical(folder, ec);
  const auto mismatch = std::mismatch(f.begin(), f.end(), p.begin(), p.end());
  return !ec && mismatch.first == f.end();
}

}  // namespace

/// The rules a test file runs against: --rules; else the rule set its folder belongs to, when its folder
/// holds rule files: the outermost of the folders above it that hold rule files too (rules/chapter8 belongs
/// to rules/, whose chapters need each other; a copy of the rules to its copy); else the shipped rules.
std::string rules_for(const Options& options, const TestFile& file) {
  if (!options.rules.empty()) return options.rules;
  // Where no rules are found, "" lets load_rules look again and say where it looked.
  std::string problem;
  const std::string shipped = default_rules_dir(problem);
  std::error_code ec;
  fs::path folder = fs::absolute(fs::path(file.path), ec).lexically_normal().parent_path();
  if (ec || !holds_rule_files(folder)) return shipped;
  while (folder.has_parent_path() && folder.parent_path() != folder && holds_rule_files(folder.parent_path()))
    folder = folder.parent_path();
  if (!shipped.empty() && inside(folder, shipped)) return shipped;
  return shown_path(folder.string());
}

}  // namespace merit::cli
