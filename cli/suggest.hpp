#pragma once
// "Did you mean": the known word nearest a mistyped one, for commands, flags, decisions and parameters.
#include <string>
#include <vector>

namespace merit::cli {

/// The word of `known` nearest `word` by edits (a letter added, dropped or changed), when it
/// is near enough to be a slip: at most a third of its letters, and at least one. Empty when none is.
std::string nearest(const std::string& word, const std::vector<std::string>& known);

/// "; did you mean NAME?" for the nearest known word, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& known);

}  // namespace merit::cli
