// Loading a rule set: find the files, read them, parse each, then check them together.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/parse.hpp"
#include "interpreter/amend.hpp"
#include "interpreter/check.hpp"
#include "interpreter/eval.hpp"
#include "interpreter/inline.hpp"
#include "interpreter/program.hpp"

namespace merit {
namespace {

namespace fs = std::filesystem;

// Folders are read in name order so that diagnostics and declaration order do not depend on the disk.
void collect_rule_files(const std::string& path, std::vector<std::string>& files, Diagnostics& errors) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    errors.push_back(error_in_file(path, "no such file or folder"));
    return;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return;
  }
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".merit") found.push_back(it->path().string());
  }
  if (ec) errors.push_back(error_in_file(path, fmt::format("cannot read this folder: {}", ec.message())));
  std::sort(found.begin(), found.end());
  if (found.empty() && !ec) errors.push_back(error_in_file(path, "this folder has no rule files (*.merit)"));
  files.insert(files.end(), found.begin(), found.end());
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(buffer).str();
}

Diagnostics load_program(Program& program, const std::vector<std::string>& paths,
                         const std::vector<std::string>& amendments) {
  Diagnostics errors;
  std::vector<std::string> files;
  for (const auto& path : paths) collect_rule_files(path, files, errors);
  const std::size_t rule_files = files.size();
  for (const auto& path : amendments) collect_rule_files(path, files, errors);
  for (std::size_t f = 0; f < files.size(); ++f) {
    const std::string& path = files[f];
    std::optional<std::string> text = read_text_file(path);
    if (!text) {
      errors.push_back(error_in_file(path, "cannot read this file"));
      continue;
    }
    const auto file = program.sources.add(path, std::move(*text));
    auto parsed = parse_module(program.sources, file);
    if (auto* error = std::get_if<Diagnostic>(&parsed)) {
      errors.push_back(std::move(*error));
    } else {
      program.modules.push_back(std::move(std::get<ast::Module>(parsed)));
      program.modules.back().amendment = f >= rule_files;
    }
  }
  // Checking after a syntax error would report names the broken file failed to declare.
  if (!errors.empty()) return errors;
  errors = apply_amendments(program);
  if (!errors.empty()) return errors;
  errors = check_program(program);
  // Holidays are worked out only for rules without errors: their expressions are checked by then.
  if (errors.empty()) errors = check_holidays(program);
  if (errors.empty()) inline_small_functions(program);
  return errors;
}

}  // namespace merit
