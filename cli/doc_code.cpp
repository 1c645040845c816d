// merit doc: a rule file as a page (doc.hpp). The file is read in rows: each quote of the law starts one,
// and the code and comments after it, up to the next quote, stand beside it. Names are linked from what the
// checker resolved (the language server's index), not guessed from the text.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "cli/doc.hpp"

namespace merit::cli::doc {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string section_anchor(std::string_view id) {
  // Letters, digits, `.`, `(` and `)` as they are, any other byte as `-` and two hex digits: two sections
  // never share an anchor (`1 A` is s-1-20A, `1-A` is s-1-2dA).
  std::string out = "s-";
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '.' || c == '(' || c == ')')
      out += c;
    else
      out += fmt::format("-{:02x}", u);
  }
  return out;
}

std::vector<std::string> sections_of(std::string_view citation) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < citation.size()) {
    std::size_t end = citation.find(", ", start);
    if (end == std::string_view::npos) end = citation.size();
    if (end > start) out.emplace_back(citation.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

std::string Links::href(std::int32_t s) const {
  if (s < 0 || static_cast<std::size_t>(s) >= anchor.size()) return {};
  const auto& sym = index->symbols()[static_cast<std::size_t>(s)];
  if (sym.span.file >= page_of_file.size() || page_of_file[sym.span.file].empty()) return {};
  return page_of_file[sym.span.file] + "#" + anchor[static_cast<std::size_t>(s)];
}

std::string Links::line_href(const SourceSpan& span) const {
  if (span.line == 0 || span.file >= page_of_file.size() || page_of_file[span.file].empty()) return {};
  return fmt::format("{}#L{}", page_of_file[span.file], span.line);
}

void name_anchors(Links& links) {
  const auto& symbols = links.index->symbols();
  links.anchor.assign(symbols.size(), {});
  std::map<std::uint32_t, std::set<std::string>> taken;  // by file: an anchor is unique on its page
  for (std::size_t s = 0; s < symbols.size(); ++s) {
    std::string name = symbols[s].name;
    for (auto p = symbols[s].parent; p >= 0; p = symbols[static_cast<std::size_t>(p)].parent)
      name = symbols[static_cast<std::size_t>(p)].name + "." + name;
    // A line's anchor is L and its number; a name like L12 (and a second version of a function) takes a
    // number after a dot, which no name has.
    const auto line_like = [](const std::string& a) {
      return a.size() > 1 && a[0] == 'L' && a.find_first_not_of("0123456789", 1) == std::string::npos;
    };
    auto& used = taken[symbols[s].span.file];
    std::string anchor = name;
    for (int n = 2; used.count(anchor) > 0 || line_like(anchor); ++n) anchor = fmt::format("{}.{}", name, n);
    used.insert(anchor);
    links.anchor[s] = std::move(anchor);
  }
}

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct Line {
  std::uint32_t begin = 0;  // byte offsets in the file, the end before its line feed
  std::uint32_t end = 0;
  std::string_view text;
  enum Kind { blank, law, comment, code } kind = blank;
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::size_t stop = end > start && text[end - 1] == '\r' ? end - 1 : end;  // a \r\n line end
    Line l{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(stop),
           text.substr(start, stop - start)};
    const std::string_view t = trimmed(l.text);
    l.kind = t.empty()          ? Line::blank
             : t.front() == '>' ? Line::law
             : t.front() == '#' ? Line::comment
                                : Line::code;
    lines.push_back(l);
    if (end == text.size()) break;
    start = end + 1;
  }
  if (!lines.empty() && lines.back().text.empty()) lines.pop_back();
  return lines;
}

bool is_word_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}
// A character of a citation written without quotes (grammar.hpp's cite_word).
bool is_cite_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view(".()-_/").find(c) != std::string_view::npos;
}

/// The length of the sign of a citation at `i` (`§`, or the word `section` before blanks and a citation the
/// grammar takes), else 0.
std::uint32_t citation_sign(std::string_view text, std::uint32_t i, std::uint32_t end) {
  const std::string_view rest = text.substr(i, end - i);
  if (rest.starts_with("\xC2\xA7")) return 2;
  if (!rest.starts_with("section") || (i > 0 && is_word(text[i - 1]))) return 0;
  std::size_t k = 7;
  if (k >= rest.size() || (rest[k] != ' ' && rest[k] != '\t')) return 0;
  while (k < rest.size() && (rest[k] == ' ' || rest[k] == '\t')) ++k;
  return k < rest.size() && (rest[k] == '"' || std::isalnum(static_cast<unsigned char>(rest[k])) != 0) ? 7
                                                                                                       : 0;
}

const std::unordered_set<std::string_view>& keywords() {
  static const std::unordered_set<std::string_view> words = {
      "parameter", "enum",      "record",    "function",   "decision", "input",  "output", "let",
      "rule",      "exception", "require",   "weekend",    "holiday",  "closed", "as",     "of",
      "to",        "from",      "by",        "descending", "counting", "with",   "ties",   "because",
      "if",        "then",      "else",      "when",       "choose",   "for",    "in",     "where",
      "sort",      "take",      "and",       "or",         "not",      "true",   "false",  "none",
      "replace",   "amend",     "effective", "through",    "after",    "count",  "exists", "every",
      "calendar",  "first",     "section"};
  return words;
}

const std::unordered_set<std::string_view>& type_words() {
  static const std::unordered_set<std::string_view> words = {
      "boolean", "integer", "decimal", "text", "date", "duration", "list", "map", "Weekday"};
  return words;
}

// A name the checker resolved, at its place in the text.
struct Mark {
  std::uint32_t end = 0;
  std::int32_t symbol = -1;
  bool declaration = false;
  std::string title;
};

// The declarations a type names, by name: a record or enum written in a type is not an expression, so the
// checker's index has no use of it.
std::unordered_map<std::string_view, std::int32_t> type_declarations(const Links& links) {
  std::unordered_map<std::string_view, std::int32_t> out;
  const auto& symbols = links.index->symbols();
  for (std::size_t s = 0; s < symbols.size(); ++s) {
    const auto kind = symbols[s].kind;
    if (symbols[s].parent < 0 && (kind == lsp::SymbolKind::record || kind == lsp::SymbolKind::enumeration))
      out.emplace(symbols[s].name, static_cast<std::int32_t>(s));
  }
  return out;
}

std::map<std::uint32_t, Mark> marks_in(const Links& links, std::uint32_t file, std::uint32_t begin,
                                       std::uint32_t end) {
  std::map<std::uint32_t, Mark> marks;
  const auto inside = [&](const SourceSpan& s) {
    return s.line > 0 && s.file == file && s.begin >= begin && s.end <= end && s.end > s.begin;
  };
  for (const auto& use : links.index->uses()) {
    if (!inside(use.span)) continue;
    marks[use.span.begin] = {use.span.end, use.symbol, false,
                             use.builtin_usage.empty() ? use.type : use.builtin_usage};
  }
  const auto& symbols = links.index->symbols();
  for (std::size_t s = 0; s < symbols.size(); ++s) {
    if (!inside(symbols[s].span)) continue;
    marks[symbols[s].span.begin] = {symbols[s].span.end, static_cast<std::int32_t>(s), true, symbols[s].type};
  }
  return marks;
}

void citation_html(std::string& out, std::string_view id) {
  out += fmt::format("<a class=\"cite\" href=\"sections.html#{}\">{}</a>", escape(section_anchor(id)),
                     escape(id));
}

}  // namespace

namespace {

/// The lines of a file's opening comment that make its first sentence: up to one ending in a full stop, or
/// the end of the comment's first paragraph.
std::pair<std::size_t, std::size_t> title_lines(const std::vector<Line>& lines) {
  std::size_t first = 0;
  while (first < lines.size() && lines[first].kind == Line::blank) ++first;
  std::size_t last = first;
  while (last < lines.size() && lines[last].kind == Line::comment) {
    std::string_view t = trimmed(lines[last].text);
    t.remove_prefix(1);
    t = trimmed(t);
    if (t.empty()) break;
    ++last;
    if (t.back() == '.') break;
  }
  return {first, last};
}

/// The text of those lines, joined, without its final full stop.
std::string title_text(const std::vector<Line>& lines) {
  const auto [first, last] = title_lines(lines);
  std::string title;
  for (std::size_t i = first; i < last; ++i) {
    std::string_view t = trimmed(lines[i].text);
    t.remove_prefix(1);
    title += (title.empty() ? "" : " ") + std::string(trimmed(t));
  }
  if (!title.empty() && title.back() == '.') title.pop_back();
  return title;
}

}  // namespace

std::string file_title(std::string_view text) {
  std::string title = title_text(lines_of(text));
  const auto stop = title.find(". ");  // the first sentence, where the lines hold more
  return stop == std::string::npos ? title : title.substr(0, stop);
}

std::pair<std::uint32_t, std::uint32_t> declaration_range(std::string_view text, std::uint32_t line) {
  const auto lines = lines_of(text);
  if (line == 0 || line > lines.size()) return {0, 0};
  const auto indent = [](std::string_view s) { return s.find_first_not_of(" \t"); };
  const std::size_t first = line - 1;
  const std::size_t own = indent(lines[first].text);
  int depth = 0;
  std::size_t last = first;
  for (std::size_t i = first; i < lines.size(); ++i) {
    const bool further_in = lines[i].kind != Line::blank && indent(lines[i].text) > own;
    if (i > first && depth <= 0 && !further_in) break;
    bool in_text = false;
    for (std::size_t k = 0; k < lines[i].text.size(); ++k) {
      const char c = lines[i].text[k];
      if (c == '"' && (k == 0 || lines[i].text[k - 1] != '\\')) in_text = !in_text;
      if (in_text) continue;
      if (c == '#') break;
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    }
    if (lines[i].kind != Line::blank) last = i;
  }
  return {lines[first].begin, lines[last].end};
}

std::string code_html(const Links& links, std::uint32_t file, std::uint32_t begin, std::uint32_t end,
                      std::uint32_t first_line, bool line_anchors) {
  const std::string_view text = links.program->sources.files[file].text;
  const auto marks = marks_in(links, file, begin, end);
  const auto types = type_declarations(links);
  std::string out;
  std::uint32_t line = first_line;
  if (line_anchors) out += fmt::format("<span id=\"L{}\"></span>", line);
  std::uint32_t i = begin;
  while (i < end) {
    const char c = text[i];
    if (const auto m = marks.find(i); m != marks.end() && m->second.end <= end) {
      const Mark& mark = m->second;
      const std::string name = escape(text.substr(i, mark.end - i));
      const std::string title = mark.title.empty() ? "" : fmt::format(" title=\"{}\"", escape(mark.title));
      if (mark.declaration) {
        const std::string& anchor = links.anchor[static_cast<std::size_t>(mark.symbol)];
        out += line_anchors ? fmt::format("<dfn id=\"{}\"{}>{}</dfn>", escape(anchor), title, name)
                            : fmt::format("<dfn{}>{}</dfn>", title, name);
      } else if (const std::string href = links.href(mark.symbol); !href.empty()) {
        out += fmt::format("<a href=\"{}\"{}>{}</a>", escape(href), title, name);
      } else {
        out += fmt::format("<span class=\"name\"{}>{}</span>", title, name);
      }
      i = mark.end;
    } else if (c == '\n') {
      out += '\n';
      ++i;
      if (line_anchors && i < end) out += fmt::format("<span id=\"L{}\"></span>", ++line);
    } else if (c == '"') {
      std::uint32_t j = i + 1;
      while (j < end && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' && j + 1 < end ? 2 : 1;
      if (j < end && text[j] == '"') ++j;
      out += fmt::format("<span class=\"str\">{}</span>", escape(text.substr(i, j - i)));
      i = j;
    } else if (c == '#') {
      std::uint32_t j = i;
      while (j < end && text[j] != '\n') ++j;
      out += fmt::format("<span class=\"com\">{}</span>", escape(text.substr(i, j - i)));
      i = j;
    } else if (const std::uint32_t sign = citation_sign(text, i, end); sign > 0) {
      // `§ 2.A.1`, `section 2.A.1` or `§ "1.A.2, 3.A.1"`: each section linked to its place.
      out += "<span class=\"sec\">";
      out += sign == 2 ? "\xC2\xA7" : "<span class=\"kw\">section</span>";
      i += sign;
      while (i < end && (text[i] == ' ' || text[i] == '\t')) out += text[i++];
      if (i < end && text[i] == '"') {
        std::uint32_t j = i + 1;
        while (j < end && text[j] != '"' && text[j] != '\n' && text[j] != '\r') ++j;
        out += '"';
        const auto ids = sections_of(text.substr(i + 1, j - i - 1));
        for (std::size_t k = 0; k < ids.size(); ++k) {
          if (k > 0) out += ", ";
          citation_html(out, ids[k]);
        }
        if (j < end && text[j] == '"') {
          out += '"';
          ++j;
        }
        i = j;
      } else {
        std::uint32_t j = i;
        while (j < end && is_cite_char(text[j])) ++j;
        citation_html(out, text.substr(i, j - i));
        i = j;
      }
      out += "</span>";
    } else if (c == '\r') {
      ++i;  // of a \r\n line end: the page's lines end in \n
    } else if (is_word_start(c)) {
      std::uint32_t j = i;
      while (j < end && is_word(text[j])) ++j;
      const std::string_view word = text.substr(i, j - i);
      const bool after_dot = i > begin && text[i - 1] == '.';
      if (!after_dot && keywords().count(word) > 0)
        out += fmt::format("<span class=\"kw\">{}</span>", word);
      else if (!after_dot && type_words().count(word) > 0)
        out += fmt::format("<span class=\"ty\">{}</span>", word);
      else if (const auto t = types.find(word);
               !after_dot && t != types.end() && !links.href(t->second).empty())
        out += fmt::format("<a href=\"{}\">{}</a>", escape(links.href(t->second)), word);
      else
        out += word;
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      std::uint32_t j = i;
      while (j < end && (std::isdigit(static_cast<unsigned char>(text[j])) != 0 || text[j] == '.' ||
                         text[j] == '-' || text[j] == '_'))
        ++j;
      out += fmt::format("<span class=\"num\">{}</span>", escape(text.substr(i, j - i)));
      i = j;
    } else {
      out += escape(text.substr(i, 1));
      ++i;
    }
  }
  return out;
}

namespace {

// An enumerator at the start of a line of the law (`A.`, `1.`, `(a)`, `·`) starts a line of its own.
bool starts_item(std::string_view t) {
  if (t.starts_with("(") || t.starts_with("\xC2\xB7") || t.starts_with("[")) return true;
  std::size_t n = 0;
  while (n < t.size() && n < 3 && std::isalnum(static_cast<unsigned char>(t[n])) != 0) ++n;
  return n > 0 && n < t.size() && t[n] == '.' && (n + 1 == t.size() || t[n + 1] == ' ') &&
         (n == 1 || std::isdigit(static_cast<unsigned char>(t[0])) != 0);
}

std::string law_html(const std::vector<Line>& lines, const std::vector<std::size_t>& law) {
  std::string out = "<blockquote>";
  std::string paragraph;
  const auto flush = [&] {
    if (!paragraph.empty()) out += "<p>" + paragraph + "</p>";
    paragraph.clear();
  };
  // The law is quoted with its lines wrapped: a line is joined to the one before unless that one ended
  // short (a heading, or the end of an item) or this one starts an item.
  constexpr std::size_t short_line = 70;
  std::size_t previous = 0;
  for (const auto i : law) {
    std::string_view t = trimmed(lines[i].text);
    if (t.starts_with(">")) t.remove_prefix(1);
    t = trimmed(t);
    if (t.empty()) {
      flush();
      continue;
    }
    if (!paragraph.empty()) paragraph += starts_item(t) || previous < short_line ? "<br>" : " ";
    // A heading: an item's number and a few words, with no full stop.
    const bool heading =
        starts_item(t) && t.size() < 60 && std::string_view(".,;:").find(t.back()) == std::string_view::npos;
    paragraph += heading ? "<strong>" + escape(t) + "</strong>" : escape(t);
    previous = t.size();
  }
  flush();
  return out + "</blockquote>";
}

std::string note_html(const std::vector<Line>& lines, std::size_t from, std::size_t to) {
  std::string out;
  std::string paragraph;
  const auto flush = [&] {
    if (!paragraph.empty()) out += "<p>" + paragraph + "</p>";
    paragraph.clear();
  };
  for (std::size_t i = from; i < to; ++i) {
    std::string_view t = trimmed(lines[i].text);
    t.remove_prefix(1);  // the #
    t = trimmed(t);
    if (t.empty()) {
      flush();
    } else if (t.find_first_not_of('-') == std::string_view::npos) {
      flush();
      out += "<hr>";
    } else {
      paragraph += (paragraph.empty() ? "" : " ") + escape(t);
    }
  }
  flush();
  return out.empty() ? out : "<div class=\"note\">" + out + "</div>";
}

}  // namespace

std::string file_page(const Links& links, std::uint32_t file, const std::string& title,
                      const std::vector<Aside>& asides, const std::string& nav) {
  const std::string_view text = links.program->sources.files[file].text;
  auto lines = lines_of(text);
  // The opening comment's first sentence is the page's heading: not said twice.
  if (title_text(lines) == title) {
    const auto [first, last] = title_lines(lines);
    for (std::size_t i = first; i < last; ++i) lines[i].kind = Line::blank;
  }
  struct Row {
    std::vector<std::size_t> law;
    std::size_t from = 0, to = 0;  // the lines beside the law
  };
  std::vector<Row> rows(1);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Row& row = rows.back();
    if (lines[i].kind == Line::law) {
      bool body = false;
      for (std::size_t k = row.from; k < row.to; ++k) body = body || lines[k].kind != Line::blank;
      if (body) rows.push_back({});
      rows.back().law.push_back(i);
      rows.back().from = rows.back().to = i + 1;
    } else {
      row.to = i + 1;
    }
  }
  std::string out = page_head(title) + nav + fmt::format("<main><h1>{}</h1>\n", escape(title));
  std::size_t aside = 0;
  for (const auto& row : rows) {
    if (row.law.empty() && row.from == row.to) continue;
    out += fmt::format("<section class=\"row{}\">\n<div class=\"law\">{}</div>\n<div class=\"rules\">",
                       row.law.empty() ? " nolaw" : "", row.law.empty() ? "" : law_html(lines, row.law));
    std::size_t i = row.from;
    while (i < row.to) {
      if (lines[i].kind == Line::blank) {
        ++i;
        continue;
      }
      std::size_t j = i;
      if (lines[i].kind == Line::comment) {
        while (j < row.to && (lines[j].kind == Line::comment)) ++j;
        out += note_html(lines, i, j);
      } else {
        // Code, with the blank lines inside it, up to the next comment that stands at the start of a line.
        std::size_t last = i;
        while (j < row.to && lines[j].kind != Line::comment) {
          if (lines[j].kind == Line::code) last = j;
          ++j;
        }
        j = last + 1;
        out +=
            "<pre class=\"code\">" +
            code_html(links, file, lines[i].begin, lines[last].end, static_cast<std::uint32_t>(i + 1), true) +
            "</pre>\n";
        while (aside < asides.size() && asides[aside].line <= last + 1) out += asides[aside++].html;
      }
      i = j;
    }
    out += "</div>\n</section>\n";
  }
  while (aside < asides.size()) out += asides[aside++].html;
  return out + "</main>\n" + page_foot();
}

std::string page_head(const std::string& title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" "
      "content=\"merit doc\">\n<title>{}</title>\n"
      "<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n",
      escape(title));
}

std::string page_foot() {
  return "</body>\n</html>\n";
}

std::string_view style_sheet() {
  return R"(/* merit doc: the law on the left, the rules that encode it on the right. */
:root { --ink: #1d1d1f; --muted: #5a5a66; --rule: #d8d8de; --law: #faf6ea; --code: #f5f6f8; --link: #1b4f9c; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); font: 16px/1.5 Georgia, "DejaVu Serif", serif; }
nav { padding: .6em 1.5em; border-bottom: 1px solid var(--rule); font-family: "DejaVu Sans", sans-serif; font-size: 14px; }
nav a { margin-right: 1.2em; }
main { padding: 1em 1.5em 3em; max-width: 1500px; }
h1 { font-size: 1.6em; margin: .3em 0 .8em; }
h2 { font-size: 1.25em; margin: 1.6em 0 .5em; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
.row { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 1.5em; padding: .6em 0; border-top: 1px solid var(--rule); }
.row.nolaw .law { display: none; }
.row.nolaw .rules { grid-column: 1 / -1; }
.law blockquote { margin: 0; padding: .5em .9em; background: var(--law); border-left: 3px solid #c9b46a; }
.law p { margin: .35em 0; }
.rules .note { color: var(--muted); font-style: italic; }
.rules .note p { margin: .3em 0; }
pre.code, pre.decl { margin: .4em 0; padding: .5em .7em; background: var(--code); overflow-x: auto; white-space: pre-wrap; font: 13.5px/1.45 "DejaVu Sans Mono", monospace; }
dfn { font-style: normal; font-weight: bold; }
.kw { color: #7a2a8c; } .ty { color: #2a6a3a; } .str { color: #8a4b12; } .num { color: #0b6b79; } .com { color: var(--muted); font-style: italic; }
.sec a.cite { font-weight: bold; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { text-align: left; vertical-align: top; padding: .3em .8em .3em 0; border-bottom: 1px solid var(--rule); }
th { font-family: "DejaVu Sans", sans-serif; font-size: 13px; color: var(--muted); font-weight: normal; }
td code, li code { font: 13.5px "DejaVu Sans Mono", monospace; }
.pass { color: #1e6b2f; } .fail { color: #a11d1d; font-weight: bold; }
.aside { margin: .4em 0 .8em; padding: .5em .8em; border: 1px solid #c9b46a; background: #fffbea; }
.compare { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; }
.compare h3 { margin-top: .2em; }
.summary { font-family: "DejaVu Sans", sans-serif; font-size: 14px; color: var(--muted); }
details pre { white-space: pre-wrap; font-size: 12.5px; }
@media print {
  nav { display: none; }
  body { font-size: 10.5pt; }
  main { padding: 0; max-width: none; }
  a { color: inherit; }
  .row, tr, .aside { break-inside: avoid; }
  pre.code, pre.decl { background: none; border-left: 2px solid #999; font-size: 8.5pt; overflow-wrap: anywhere; }
  .law blockquote { background: none; }
}
)";
}

}  // namespace merit::cli::doc
