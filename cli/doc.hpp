#pragma once
// merit doc, the rules as a static site: what its two files share. doc.cpp gathers the site (sections,
// parameters, decisions, rule tests and their outcomes, the amendment) and writes its pages; doc_code.cpp
// renders a rule file as the page of it: the law quoted in one column, the declarations that encode it
// beside it, every name linked to its declaration and every citation to its section.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/lsp.hpp"
#include "interpreter/program.hpp"

namespace merit::cli::doc {

/// `text` with &, <, > and " written as HTML entities.
std::string escape(std::string_view text);

/// The anchor of section `id` on the page of sections (`s-2.A.1`).
std::string section_anchor(std::string_view id);

/// The sections a citation names: `1.A.2, 3.A.1` is two.
std::vector<std::string> sections_of(std::string_view citation);

/// What links a page of one program's files needs: the page each file is on, the anchor of each symbol of
/// its index, and the sections page.
struct Links {
  const Program* program = nullptr;
  const lsp::Index* index = nullptr;
  std::vector<std::string> page_of_file;  // by SourceSpan::file; empty: not on the site
  std::vector<std::string> anchor;        // by symbol of index
  /// `page#anchor` of symbol `s`, or empty when it has no page.
  std::string href(std::int32_t s) const;
  /// `page#Lline` of a place in the rules, or empty.
  std::string line_href(const SourceSpan& span) const;
};

/// Gives every symbol of `links.index` an anchor unique on its page: the names from the declaration down,
/// `certification.complement`.
void name_anchors(Links& links);

/// A note beside a declaration of a file: a proposed amendment of it, linked.
struct Aside {
  std::uint32_t line = 0;  // the line of the declaration (1-based)
  std::string html;
};

/// The page of rule file `file` of `links.program`: its law and code in rows, with `asides` after the
/// declarations they are about. `title` is the page's heading.
std::string file_page(const Links& links, std::uint32_t file, const std::string& title,
                      const std::vector<Aside>& asides, const std::string& nav);

/// The bytes of the declaration starting on line `line` of `text` (1-based): the line and those after it
/// that are further in or inside its braces, from the start of the first to the end of the last.
std::pair<std::uint32_t, std::uint32_t> declaration_range(std::string_view text, std::uint32_t line);

/// Bytes `begin` to `end` of file `file` (starting on line `first_line`) as highlighted HTML, names and
/// citations linked; with `line_anchors`, each line and declared name has its anchor (once on a site).
std::string code_html(const Links& links, std::uint32_t file, std::uint32_t begin, std::uint32_t end,
                      std::uint32_t first_line, bool line_anchors);

/// The first line of a rule file's opening comment, without its `#` and final full stop: its title.
std::string file_title(std::string_view text);

/// The head and foot every page shares.
std::string page_head(const std::string& title);
std::string page_foot();

/// The site's style sheet: two columns on screen, one readable column on paper.
std::string_view style_sheet();

}  // namespace merit::cli::doc
