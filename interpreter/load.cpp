// Loading a rule set: find the files, read them, parse each, then check them together.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "grammar/parse.hpp"
#include "interpreter/amend.hpp"
#include "interpreter/check.hpp"
#include "interpreter/eval.hpp"
#include "interpreter/files.hpp"
#include "interpreter/inline.hpp"
#include "interpreter/program.hpp"
#include "interpreter/weigh.hpp"

namespace merit {
namespace {

namespace fs = std::filesystem;

// At the first byte that is not UTF-8: the rules' names and texts are written out as JSON and to terminals.
Diagnostic not_utf8_error(const SourceSet& sources, std::uint32_t file, std::size_t offset) {
  const std::string& text = sources.files[file].text;
  const TextPosition p = position_of(text, offset);
  const auto at = static_cast<std::uint32_t>(offset);
  return error_at(
      SourceSpan{file, static_cast<std::uint32_t>(p.line), static_cast<std::uint32_t>(p.column), at, at + 1},
      fmt::format("this is not UTF-8 text (byte 0x{:02X}); save the rule file as UTF-8",
                  static_cast<unsigned char>(text[offset])));
}

}  // namespace

void collect_rule_files(const std::string& path, std::vector<std::string>& files, Diagnostics& errors) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    errors.push_back(error_in_file(path, "no such file or folder"));
    return;
  }
  if (!std::filesystem::is_directory(status)) {
    files.push_back(path);
    return;
  }
  std::vector<std::string> found;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".merit") found.push_back(it->path().string());
  }
  if (ec) errors.push_back(error_in_file(path, fmt::format("cannot read this folder: {}", ec.message())));
  std::sort(found.begin(), found.end());
  if (found.empty() && !ec) errors.push_back(error_in_file(path, "this folder has no rule files (*.merit)"));
  files.insert(files.end(), found.begin(), found.end());
}

Diagnostics load_program(Program& program, const std::vector<std::string>& paths,
                         const std::vector<std::string>& amendments) {
  Diagnostics errors;
  std::vector<std::string> files;
  for (const auto& path : paths) collect_rule_files(path, files, errors);
  const std::size_t rule_files = files.size();
  for (const auto& path : amendments) collect_rule_files(path, files, errors);
  std::vector<SourceFile> texts;
  std::size_t first_amendment = 0;
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::string problem;
    std::optional<std::string> text = read_text_file(files[f], problem);
    if (!text) {
      errors.push_back(error_in_file(files[f], problem));
      continue;
    }
    texts.push_back({files[f], std::move(*text)});
    if (f < rule_files) first_amendment = texts.size();
  }
  return load_program_texts(program, std::move(texts), first_amendment, std::move(errors));
}

Diagnostics load_program_texts(Program& program, std::vector<SourceFile> files, std::size_t first_amendment,
                               Diagnostics errors) {
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::string& text = files[f].text;
    // Positions are byte offsets in 32 bits (SourceSpan).
    if (text.size() > std::numeric_limits<std::uint32_t>::max()) {
      errors.push_back(error_in_file(files[f].path, "this rule file is too large to read"));
      continue;
    }
    // A byte order mark, which some editors put at the start of a UTF-8 file, is no part of the rules.
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    normalize_line_ends(text);
    const std::optional<std::size_t> bad = first_invalid_utf8(text);
    const auto file = program.sources.add(std::move(files[f].path), std::move(text));
    if (bad) {
      errors.push_back(not_utf8_error(program.sources, file, *bad));
      continue;
    }
    auto parsed = parse_module(program.sources, file);
    if (auto* error = std::get_if<Diagnostic>(&parsed)) {
      errors.push_back(std::move(*error));
    } else {
      program.modules.push_back(std::move(std::get<ast::Module>(parsed)));
      program.modules.back().amendment = f >= first_amendment;
    }
  }
  // Checking after a syntax error would report names the broken file failed to declare.
  if (!errors.empty()) return errors;
  errors = apply_amendments(program);
  if (!errors.empty()) return errors;
  errors = check_program(program);
  // Holidays are worked out only for rules without errors: their expressions are checked by then.
  if (errors.empty()) errors = check_holidays(program);
  if (errors.empty()) {
    inline_small_functions(program);
    weigh_program(program);
  }
  return errors;
}

}  // namespace merit
