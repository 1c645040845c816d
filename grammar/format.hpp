#pragma once
// The canonical layout of a rule file (merit fmt). It changes only blank space, never a line break inside a
// declaration, a text, a comment or a quote of the law, so that what a file says cannot change:
// - each declaration, and each member of a decision, record or calendar, starts at two spaces per block it
//   is in; the lines that continue it move with it, keeping their alignment, and stand at least two spaces
//   further in;
// - comments and quotes of the law between declarations stand at the depth of the declarations;
// - in code, a run of blanks between two tokens becomes one space, none after `(` and `[` or before `)`,
//   `]` and `,`, and one after a `,` that is followed by more;
// - lines end in a line feed, with no blanks at their end; a file has no byte order mark, no blank lines at
//   its start or end, never two blank lines in a row, and ends with a line end. (A file the parser refuses
//   for byte order marks on its first line of code that were not its first bytes keeps one blank line
//   before them, so that they stay.)
#include <optional>
#include <string>
#include <string_view>

namespace merit {

/// `text` laid out canonically. Nothing when the layout would change a token (it never should: the caller
/// reports an internal error), so that a file is never written with a changed meaning.
std::optional<std::string> format_rules(std::string_view text);

/// The tokens of `text` in order, blank space left out: words and punctuation of code, each text literal,
/// comment and quote of the law whole. Two texts with the same tokens say the same thing.
std::string tokens_of(std::string_view text);

}  // namespace merit
