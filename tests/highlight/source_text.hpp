#pragma once
// The source tree, read as text: the files the highlighting is checked against (MERIT_SOURCE_DIR is the
// source folder, set by CMakeLists.txt), and what the parser reads, found in its source text, so that the
// editors cannot drift from it.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace merit::highlight {

inline const std::filesystem::path kSource = MERIT_SOURCE_DIR;
inline const std::filesystem::path kGrammarFile = kSource / "editors/vscode/syntaxes/merit.tmLanguage.json";

std::string read_text(const std::filesystem::path& path);

/// The lines of `text`, each without its "\r" if it has one, as an editor shows a CRLF file.
std::vector<std::string> split_lines(const std::string& text);

nlohmann::json load_json(const std::filesystem::path& path);

/// Every rule file the project ships or tests with, sorted so that failures read the same each run.
std::vector<std::filesystem::path> shipped_rule_files();

/// The words of a regular expression outside character classes and escapes: for a pattern of keywords,
/// its keywords.
std::set<std::string> words_of_pattern(const std::string& re);

/// The words of a TextMate rule's match, begin and end patterns, and of the rules inside it.
std::set<std::string> words_of_rule(const nlohmann::json& rule);

/// Where the citations of a line of code stand, read as grammar.hpp's `citation` reads them (the sign,
/// blanks, then a text or a word), outside texts and comments.
std::vector<std::pair<std::size_t, std::size_t>> citations_in(const std::string& line);

/// Whether a line is a quote: its first character other than blanks is `>`.
bool is_quote_line(const std::string& line);

}  // namespace merit::highlight
