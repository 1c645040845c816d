// The canonical layout of a rule file (format.hpp). It works on lines and tokens, not on the parse tree, so
// that comments and quotes of the law stay where their author put them, and a file that does not parse yet
// is laid out too.
#include "grammar/format.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace merit {

namespace {

struct Token {
  std::string text;
  bool blank_before = false;
  std::string blanks;  // as written before it: kept before a comment at the end of a line, to align them
};

/// A line of code in tokens; a text literal and a trailing comment are one token each. `open` is set when a
/// text has no closing quote on its line (the parser reports it): the line is then left as it is.
struct CodeLine {
  std::vector<Token> tokens;
  bool open = false;
};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool single(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == ',';
}

CodeLine tokenize(std::string_view line) {
  CodeLine out;
  std::size_t i = 0;
  bool blank = false;
  std::size_t blank_from = 0;
  const auto push = [&](std::string text) {
    out.tokens.push_back(
        {std::move(text), blank, blank ? std::string(line.substr(blank_from, i - blank_from)) : ""});
    blank = false;
  };
  while (i < line.size()) {
    const char c = line[i];
    if (is_blank(c)) {
      if (!blank) blank_from = i;
      blank = true;
      ++i;
    } else if (c == '#') {
      std::string_view comment = line.substr(i);
      while (!comment.empty() && is_blank(comment.back())) comment.remove_suffix(1);
      push(std::string(comment));
      break;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < line.size() && line[j] != '"') j += line[j] == '\\' && j + 1 < line.size() ? 2 : 1;
      if (j >= line.size()) {
        out.open = true;
        push(std::string(line.substr(i)));
        break;
      }
      push(std::string(line.substr(i, j + 1 - i)));
      i = j + 1;
    } else if (single(c)) {
      push(std::string(1, c));
      ++i;
    } else {
      std::size_t j = i;
      while (j < line.size() && !is_blank(line[j]) && line[j] != '"' && line[j] != '#' && !single(line[j]))
        ++j;
      push(std::string(line.substr(i, j - i)));
      i = j;
    }
  }
  return out;
}

std::string joined(const CodeLine& line) {
  std::string out;
  for (std::size_t t = 0; t < line.tokens.size(); ++t) {
    const std::string& text = line.tokens[t].text;
    if (t > 0) {
      const std::string& before = line.tokens[t - 1].text;
      const bool tight = before == "(" || before == "[" || text == ")" || text == "]" || text == ",";
      if (text.front() == '#') {
        // Comments at the ends of lines are often aligned in a column: their blanks stay, tabs made spaces.
        std::string blanks = line.tokens[t].blanks;
        std::replace(blanks.begin(), blanks.end(), '\t', ' ');
        out += blanks.empty() ? " " : blanks;
      } else if (before == ",") {
        out += ' ';
      } else if (line.tokens[t].blank_before && !tight) {
        out += ' ';
      }
    }
    out += text;
  }
  return out;
}

enum class Kind : std::uint8_t { blank, quote, comment, code };

Kind kind_of(std::string_view content) {
  if (content.empty()) return Kind::blank;
  if (content.front() == '>') return Kind::quote;
  if (content.front() == '#') return Kind::comment;
  return Kind::code;
}

std::size_t indent_of(std::string_view line) {
  std::size_t width = 0;
  for (const char c : line) {
    if (c == ' ') {
      ++width;
    } else if (c == '\t') {
      width += 2;
    } else {
      break;
    }
  }
  return width;
}

std::string_view without_indent(std::string_view line) {
  while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
  while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
  return line;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

/// Words that start a declaration or a member of a decision or calendar (grammar.hpp's `declaration`,
/// `decision_member`, `calendar_member`).
bool starts_statement(std::string_view word) {
  return one_of(
      word, {"parameter", "enum", "record", "function", "decision", "calendar", "amend", "replace", "input",
             "output", "let", "rule", "exception", "require", "weekend", "holiday", "closed"});
}

/// Declarations whose `{` opens a block of members, rather than a record value.
bool opens_block(std::string_view word) {
  return one_of(word, {"decision", "record", "calendar", "amend", "replace"});
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

/// `text` with its byte order mark taken off and every line ending in a line feed (\r\n and a lone \r
/// end lines too, as the parser reads them).
std::string normalized(std::string_view text) {
  // One byte order mark is no part of the rules, as the parser reads them. A second after it is, and the
  // parser refuses it: it stays, with the first, so that laying the file out again finds it as it was.
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (text.starts_with(bom) && !text.substr(bom.size()).starts_with(bom)) text.remove_prefix(bom.size());
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string tokens_of(std::string_view original) {
  const std::string text = normalized(original);
  std::string out;
  for (const std::string_view line : lines_of(text)) {
    const std::string_view content = without_indent(line);
    switch (kind_of(content)) {
      case Kind::blank:
        break;
      case Kind::quote:
      case Kind::comment:
        out.append(content).push_back('\n');
        break;
      case Kind::code:
        for (const auto& token : tokenize(content).tokens) out.append(token.text).push_back('\n');
        break;
    }
  }
  return out;
}

std::optional<std::string> format_rules(std::string_view original) {
  const std::string text = normalized(original);
  struct Block {
    bool record = false;  // a record's lines are its fields, each a member
  };
  std::vector<Block> blocks;
  int balance = 0;                // brackets and record values open in the declaration being read
  std::string statement_word;     // the first word of that declaration
  bool block_opened = false;      // whether its `{` opened a block already
  std::size_t statement_old = 0;  // the indent it was written at
  std::size_t statement_new = 0;  // and the one it gets
  bool in_statement = false;      // whether a declaration is being read, so a line may continue it
  std::vector<std::string> out;
  bool last_blank = true;  // no blank lines at the start
  for (const std::string_view raw : lines_of(text)) {
    const std::string_view line = raw;
    const std::string_view content = without_indent(line);
    const std::size_t old_indent = indent_of(line);
    const std::size_t depth_indent = 2 * blocks.size();
    const Kind kind = kind_of(content);
    if (kind == Kind::blank) {
      if (!last_blank) out.emplace_back();
      last_blank = true;
      continue;
    }
    last_blank = false;
    // A line that continues a declaration moves with it, and stands further in; one that only closes what the
    // declaration opened may stand at its depth.
    const auto continued = [&](bool closing) {
      const std::size_t shifted =
          old_indent + statement_new >= statement_old ? old_indent + statement_new - statement_old : 0;
      return std::max(shifted, statement_new + (closing ? 0 : 2));
    };
    if (kind != Kind::code) {
      // Between declarations: at their depth; inside a value that is still open: with the lines around it.
      const std::size_t indent = in_statement && balance > 0 ? continued(false) : depth_indent;
      out.push_back(std::string(indent, ' ') + std::string(content));
      continue;
    }
    CodeLine code = tokenize(content);
    const std::string& first = code.tokens.front().text;
    std::size_t indent = 0;
    if (first == "}" && balance == 0 && !blocks.empty()) {
      blocks.pop_back();
      indent = 2 * blocks.size();
      in_statement = false;
    } else if (balance == 0 && (starts_statement(first) || (!blocks.empty() && blocks.back().record))) {
      statement_word = first;
      block_opened = false;
      statement_old = old_indent;
      statement_new = depth_indent;
      indent = depth_indent;
      in_statement = true;
    } else if (in_statement) {
      indent = continued(first == "}" || first == ")" || first == "]");
    } else {
      indent = depth_indent;  // code the parser will not read: left at the depth
    }
    // What the line opens and closes, for the lines after it.
    bool first_token = true;
    for (const auto& token : code.tokens) {
      const std::string& t = token.text;
      if (t == "(" || t == "[") {
        ++balance;
      } else if (t == ")" || t == "]") {
        balance = std::max(0, balance - 1);
      } else if (t == "{") {
        if (balance == 0 && !block_opened && opens_block(statement_word)) {
          blocks.push_back({statement_word == "record"});
          block_opened = true;
          in_statement = false;
        } else {
          ++balance;
        }
      } else if (t == "}") {
        if (balance > 0) {
          --balance;
        } else if (!first_token && !blocks.empty()) {
          blocks.pop_back();  // a block opened and closed on one line
        }
      }
      first_token = false;
    }
    out.push_back(std::string(indent, ' ') + (code.open ? std::string(content) : joined(code)));
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  // A byte order mark that was not the file's first bytes is part of what the file says (the parser refuses
  // it). At the start of the layout the first of them would read as the mark that is no part of the rules:
  // a blank line before them keeps them where they were. Marks that were the file's first bytes stay there.
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (!out.empty() && out.front().starts_with(bom) && !text.starts_with(bom))
    out.insert(out.begin(), std::string());
  std::string result;
  for (const auto& line : out) result.append(line).push_back('\n');
  if (tokens_of(result) != tokens_of(text)) return std::nullopt;
  return result;
}

}  // namespace merit
