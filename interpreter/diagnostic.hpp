#pragma once
// One diagnostic type and one renderer for every stage: parse, check, data and evaluation errors.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/source.hpp"

namespace merit {

/// An error with the place it belongs to: a span in a rule file, or a file (and JSON path) of data.
struct Diagnostic {
  std::optional<SourceSpan> span;  // set for errors in rule files
  std::string file;                // set for errors in data files (case files, inputs)
  std::string message;
  std::string data_path = {};  // for invalid data: where in the inputs (`requisitions[2].vacancies`), when known
};

using Diagnostics = std::vector<Diagnostic>;

inline Diagnostic error_at(const SourceSpan& span, std::string message) {
  return Diagnostic{span, {}, std::move(message)};
}

inline Diagnostic error_in_file(std::string file, std::string message) {
  return Diagnostic{std::nullopt, std::move(file), std::move(message)};
}

/// How many single-letter edits turn one name into another, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// `FILE:LINE:COL: error: MESSAGE`, then the source line and a caret under the column.
std::string render(const Diagnostic& diagnostic, const SourceSet& sources);

/// Every diagnostic rendered, in order, each ending in a newline.
std::string render_all(const Diagnostics& diagnostics, const SourceSet& sources);

}  // namespace merit
