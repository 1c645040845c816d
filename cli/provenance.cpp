#include "cli/provenance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "interpreter/program.hpp"
#include "stdlib/dates.hpp"

namespace merit::cli {

namespace fs = std::filesystem;

const char* merit_version() {
#ifdef MERIT_VERSION
  return MERIT_VERSION;
#else
  return "unknown";
#endif
}

namespace {

// The folder this executable is in; empty where the system does not say.
fs::path executable_folder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

bool is_folder(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && !ec;
}

// FNV-1a, 64 bits: not to resist forgery but to tell rule sets apart, with nothing more to depend on.
struct Hash {
  std::uint64_t h = 14695981039346656037ULL;
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    // The length too: "ab"+"c" and "a"+"bc" are different files.
    const std::uint64_t n = bytes.size();
    for (int i = 0; i < 8; ++i) {
      h ^= (n >> (8 * i)) & 0xff;
      h *= 1099511628211ULL;
    }
  }
};

}  // namespace

std::string default_rules_dir(std::string& problem) {
  if (const char* env = std::getenv("MERIT_RULES"); env != nullptr && *env != '\0') {
    if (is_folder(env)) return env;
    problem = fmt::format("MERIT_RULES names {}, which is not a folder", env);
    return {};
  }
  std::vector<std::string> looked;
  const fs::path folder = executable_folder();
  if (!folder.empty()) {
    const fs::path installed = (folder / ".." / "share" / "merit" / "rules").lexically_normal();
    if (is_folder(installed)) return installed.string();
    looked.push_back(installed.string());
  }
#if defined(MERIT_BUILD_DIR) && defined(MERIT_SOURCE_RULES_DIR)
  if (!folder.empty() && same_folder(folder, MERIT_BUILD_DIR)) {
    if (is_folder(MERIT_SOURCE_RULES_DIR)) return MERIT_SOURCE_RULES_DIR;
    looked.push_back(MERIT_SOURCE_RULES_DIR);
  }
#endif
  std::string where;
  for (const auto& l : looked) where += (where.empty() ? "" : ", ") + l;
  problem = fmt::format("no rules found: give --rules DIR, or set MERIT_RULES to the rules folder{}",
                        where.empty() ? std::string() : " (looked in " + where + ")");
  return {};
}

namespace {

/// The hash of `files`, each named relative to `root`, or, `by_name`, by its own name (an amendment file).
RulesIdentity identify_files(const std::vector<const SourceFile*>& files, const std::string& root,
                             bool by_name) {
  RulesIdentity id;
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(fs::absolute(root, ec), ec);
  id.folder = ec ? root : base.string();
  Hash hash;
  for (const SourceFile* file : files) {
    const fs::path path = fs::weakly_canonical(fs::absolute(file->path, ec), ec);
    hash.add(by_name || path == base ? path.filename().string()
                                     : path.lexically_relative(base).generic_string());
    hash.add(file->text);
  }
  id.files = files.size();
  id.hash = fmt::format("{:016x}", hash.h);
  return id;
}

/// The source files of `program`'s modules that are (or are not) amendments: a module is read from the
/// source file of the same index, and the sources after the modules are --set texts.
std::vector<const SourceFile*> module_files(const Program& program, bool amendments) {
  std::vector<const SourceFile*> out;
  for (std::size_t i = 0; i < program.modules.size() && i < program.sources.files.size(); ++i) {
    if (program.modules[i].amendment == amendments) out.push_back(&program.sources.files[i]);
  }
  return out;
}

}  // namespace

RulesIdentity identify_rules(const Program& program, const std::string& dir) {
  return identify_files(module_files(program, false), dir, false);
}

std::vector<RulesIdentity> identify_amendments(const Program& program) {
  std::vector<RulesIdentity> out;
  for (const SourceFile* file : module_files(program, true))
    out.push_back(identify_files({file}, file->path, true));
  return out;
}

Provenance make_provenance(const Program& program, const std::string& dir,
                           const std::vector<std::string>& sets, bool as_of_given,
                           const DecisionResult& result) {
  Provenance p;
  p.rules = identify_rules(program, dir);
  p.amendments = identify_amendments(program);
  p.sets = sets;
  p.as_of_given = as_of_given;
  p.judged_as_of = result.judged_as_of;
  return p;
}

namespace {

std::vector<Date> earliest_first(std::vector<Date> dates) {
  std::sort(dates.begin(), dates.end(), [](Date a, Date b) { return a.days < b.days; });
  return dates;
}

std::string dates_text(const std::vector<Date>& dates) {
  if (dates.empty()) return "today";
  const std::vector<Date> sorted = earliest_first(dates);
  if (sorted.size() > 3) {
    return fmt::format("{} dates from {} to {}", sorted.size(), stdlib::format_date(sorted.front()),
                       stdlib::format_date(sorted.back()));
  }
  std::string out;
  for (std::size_t i = 0; i < sorted.size(); ++i)
    out += (i == 0 ? "" : i + 1 == sorted.size() ? " and " : ", ") + stdlib::format_date(sorted[i]);
  return out;
}

}  // namespace

std::string provenance_line(const Provenance& p, std::string_view label) {
  const std::string dates =
      p.each_case && !p.as_of_given ? "each case's own dates" : dates_text(p.judged_as_of);
  std::string out = fmt::format("{}: {} (hash {}, merit {}), judged as of {}{}", label, p.rules.folder,
                                p.rules.hash, merit_version(), dates, p.as_of_given ? " (--as-of)" : "");
  for (const auto& s : p.sets) out += fmt::format("; --set {}", s);
  for (const auto& a : p.amendments) out += fmt::format("; amended by {} (hash {})", a.folder, a.hash);
  return out + "\n";
}

nlohmann::ordered_json provenance_json(const Provenance& p) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["merit"] = merit_version();
  out["rules"] = {{"folder", p.rules.folder}, {"hash", p.rules.hash}};
  auto dates = nlohmann::ordered_json::array();
  for (const Date d : earliest_first(p.judged_as_of)) dates.push_back(stdlib::format_date(d));
  // Many cases, each judged as of its own dates: null, unless --as-of gave one date for all.
  out["as_of"] = p.each_case && !p.as_of_given ? nlohmann::ordered_json() : std::move(dates);
  out["as_of_given"] = p.as_of_given;
  out["set"] = p.sets;
  auto amended = nlohmann::ordered_json::array();
  for (const auto& a : p.amendments) amended.push_back({{"file", a.folder}, {"hash", a.hash}});
  out["amendments"] = std::move(amended);
  return out;
}

}  // namespace merit::cli
