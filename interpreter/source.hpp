#pragma once
// Source files and positions. Every later stage speaks in these, never in PEGTL types.
#include <cstdint>
#include <string>
#include <vector>

namespace merit {

/// One rule file, kept alive for the whole run: spans and diagnostics point into its text.
struct SourceFile {
  std::string path;
  std::string text;
};

/// A range of bytes in one source file, with the 1-based line and column of its start.
struct SourceSpan {
  std::uint32_t file = 0;
  std::uint32_t line = 0;    // 0: no position known
  std::uint32_t column = 0;  // 1-based byte column
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// All source files of a run; a SourceSpan's `file` indexes into it.
struct SourceSet {
  std::vector<SourceFile> files;

  std::uint32_t add(std::string path, std::string text) {
    files.push_back({std::move(path), std::move(text)});
    return static_cast<std::uint32_t>(files.size() - 1);
  }
};

}  // namespace merit
