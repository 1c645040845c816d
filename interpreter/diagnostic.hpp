#pragma once
// One diagnostic type and one renderer for every stage: parse, check, data and evaluation errors.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/source.hpp"

namespace merit {

/// How bad a diagnostic is: an error makes the rules or the data invalid; a warning points at something
/// that is probably a mistake but does not stop the rules from running.
enum class Severity : std::uint8_t { error, warning };

/// An error with the place it belongs to: a span in a rule file, or a file (and JSON path) of data.
struct Diagnostic {
  std::optional<SourceSpan> span;  // set for errors in rule files
  std::string file;                // set for errors in data files (case files, inputs)
  std::string message;
  /// Lines printed after the source line, like `in function standard_tier at rules/...:123`: for an error
  /// during evaluation, what was being evaluated, innermost first.
  std::vector<std::string> notes = {};
  Severity severity = Severity::error;
  std::string data_path =
      {};  // for invalid data: where in the inputs (`requisitions[2].vacancies`), when known
};

using Diagnostics = std::vector<Diagnostic>;

inline Diagnostic error_at(const SourceSpan& span, std::string message) {
  return Diagnostic{span, {}, std::move(message)};
}

inline Diagnostic warning_at(const SourceSpan& span, std::string message) {
  return Diagnostic{span, {}, std::move(message), {}, Severity::warning};
}

inline Diagnostic error_in_file(std::string file, std::string message) {
  return Diagnostic{std::nullopt, std::move(file), std::move(message)};
}

/// How many single-letter edits (a letter added, dropped or changed, or two neighbours swapped) turn one
/// name into another, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// `FILE:LINE:COL: error: MESSAGE` (or `warning:`), then the source line, a caret under the column, and
/// the notes, each on a line of its own.
std::string render(const Diagnostic& diagnostic, const SourceSet& sources);

/// Every diagnostic rendered, in order, each ending in a newline.
std::string render_all(const Diagnostics& diagnostics, const SourceSet& sources);

}  // namespace merit
