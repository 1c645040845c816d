// merit fmt: lays out rule files in the one canonical way (grammar/format.hpp), in place; with --check, says
// which files are not laid out so and changes nothing (for CI); `-` formats stdin to stdout (for editors).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/cli.hpp"
#include "grammar/format.hpp"
#include "interpreter/files.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

namespace {

namespace fs = std::filesystem;

/// Writes `text` over `path` through a file beside it, renamed into place, so that an interrupted write
/// leaves the old file whole; the file keeps its permissions.
bool replace_file(const std::string& path, const std::string& text, std::string& problem) {
  const fs::path temporary = fs::path(path).concat(".merit-fmt");
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out.flush()) {
      problem = "cannot write beside this file";
      return false;
    }
  }
  std::error_code ec;
  fs::permissions(temporary, fs::status(path, ec).permissions(), ec);
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    problem = "cannot replace this file";
    return false;
  }
  return true;
}

}  // namespace

int run_fmt(const Options& options) {
  if (options.paths.empty())
    return usage_error("merit fmt needs the rule files or folders to lay out (or - for stdin)");
  if (options.paths.size() == 1 && options.paths[0] == "-") {
    const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    const auto formatted = format_rules(text);
    if (!formatted) {
      fmt::print(stderr, "merit: internal error: merit fmt would change what stdin says; please report it\n");
      return exit_invalid;
    }
    if (options.check) {
      if (*formatted == text) return exit_ok;
      fmt::print("-: not laid out as merit fmt lays it out\n");
      return exit_invalid;
    }
    fmt::print("{}", *formatted);
    return exit_ok;
  }
  Diagnostics errors;
  std::vector<std::string> files;
  for (const auto& path : options.paths) collect_rule_files(path, files, errors);
  std::size_t unformatted = 0;
  for (const auto& file : files) {
    std::string problem;
    const auto text = read_text_file(file, problem);
    if (!text) {
      errors.push_back(error_in_file(file, problem));
      continue;
    }
    const auto formatted = format_rules(*text);
    if (!formatted) {
      errors.push_back(error_in_file(
          file, "internal error: merit fmt would change what this file says; please report it"));
      continue;
    }
    if (*formatted == *text) continue;
    ++unformatted;
    if (options.check) {
      fmt::print("{}: not laid out as merit fmt lays it out\n", file);
    } else if (replace_file(file, *formatted, problem)) {
      fmt::print("{}: laid out\n", file);
    } else {
      errors.push_back(error_in_file(file, problem));
    }
  }
  if (!errors.empty()) return report(errors, {});
  if (options.check && unformatted > 0) {
    fmt::print("{} of {} rule file{} to lay out: run merit fmt on {}\n", unformatted, files.size(),
               files.size() == 1 ? "" : "s", unformatted == 1 ? "it" : "them");
    return exit_invalid;
  }
  return exit_ok;
}

}  // namespace merit::cli
