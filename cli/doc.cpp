// merit doc: the rule set as a static site (doc.hpp). A page for each rule file (the law beside the rules
// that encode it), the sections with what cites them and the rule tests of each, the parameters with their
// dated values, the decisions with their inputs and outputs, and, with --amend, what a proposal changes
// beside today's text and which tests it changes. Plain HTML and one style sheet: no script, nothing
// fetched, and the same bytes from the same command on the same files.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "cli/cli.hpp"
#include "cli/doc.hpp"
#include "cli/provenance.hpp"
#include "cli/rule_tests.hpp"
#include "cli/run.hpp"

namespace fs = std::filesystem;

namespace merit::cli {
namespace {

using doc::escape;

/// Section ids in reading order: the numbers of `2.B.10` compared as numbers, then any other citation.
bool section_before(const std::string& a, const std::string& b) {
  const auto numbered = [](const std::string& s) { return !s.empty() && std::isdigit((unsigned char)s[0]); };
  if (numbered(a) != numbered(b)) return numbered(a);
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei])) != 0) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej])) != 0) ++ej;
      const auto na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

struct SectionOrder {
  bool operator()(const std::string& a, const std::string& b) const { return section_before(a, b); }
};

/// One rule test and what it came to, today and with the amendment.
struct TestOutcome {
  const RuleTest* test = nullptr;
  Result today;
  std::optional<Result> amended;
  std::string where;  // "rules/chapter8/2-use-of-class-registers.test.json, test 3"
};

/// What cites a section: a declaration, a rule or a requirement, at its place.
struct Citing {
  std::string html;  // "rule for <code>complete</code> of decision <code>certification</code>"
  std::string href;
};

struct Section {
  std::vector<Citing> citing;
  std::vector<const TestOutcome*> tests;
};

struct Site {
  std::string dir;  // the rules folder, as the pages show it
  const RuleSet* today = nullptr;
  const RuleSet* amended = nullptr;  // with --amend
  std::unique_ptr<lsp::Index> today_index, amended_index;
  doc::Links links, amended_links;
  std::vector<std::string> titles;             // by file of today's program
  std::vector<std::uint32_t> amendment_files;  // files of the amended program that are amendments
  std::deque<RuleTest> tests;
  std::vector<TestOutcome> outcomes;
  std::map<std::string, Section, SectionOrder> sections;
  std::map<std::string, std::string> pages;  // file name -> contents
};

std::string page_name(const std::string& path, const std::string& dir, const std::string& prefix) {
  std::error_code ec;
  fs::path rel = fs::relative(fs::path(path), fs::path(dir), ec);
  if (ec || rel.empty() || rel == "." || *rel.begin() == "..") rel = fs::path(path).filename();
  std::string name = prefix;
  for (const char c : rel.replace_extension().generic_string()) {
    // In lower case, so that no two pages differ only in case (one file, where case is not told apart).
    const auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) != 0 ? static_cast<char>(std::tolower(u)) : c == '_' ? c : '-';
  }
  return name + ".html";
}

/// A path within the rules folder as from that folder (`chapter8/certify.merit`); any other as it is shown.
std::string in_rules(const Site& site, const std::string& path) {
  std::error_code ec;
  const fs::path rel = fs::relative(fs::path(path), fs::path(site.today->dir), ec);
  return ec || rel.empty() || rel == "." || *rel.begin() == ".." ? shown_path(path) : rel.generic_string();
}

std::string code(const std::string& text) {
  return "<code>" + escape(text) + "</code>";
}

std::string section_links(const std::string& citation) {
  std::string out;
  for (const auto& id : doc::sections_of(citation)) {
    out += fmt::format("{}<a href=\"sections.html#{}\">\xC2\xA7\xC2\xA0{}</a>", out.empty() ? "" : ", ",
                       escape(doc::section_anchor(id)), escape(id));
  }
  return out;
}

std::string nav(const Site& site) {
  std::string out =
      "<nav><a href=\"index.html\">Contents</a><a href=\"sections.html\">Sections</a>"
      "<a href=\"parameters.html\">Parameters</a><a href=\"decisions.html\">Decisions</a>";
  if (site.amended != nullptr) out += "<a href=\"amendment.html\">Amendment</a>";
  return out + "</nav>\n";
}

/// The start of one of the site's own pages: its head, the navigation, its heading and what it holds.
std::string page_start(const Site& site, const std::string& title, const std::string& summary) {
  return doc::page_head(title) + nav(site) +
         fmt::format("<main><h1>{}</h1>\n<p class=\"summary\">{}</p>\n", title, summary);
}

/// The source text of an expression, as written.
std::string source_of(const Program& program, const SourceSpan& span) {
  if (span.line == 0 || span.file >= program.sources.files.size()) return {};
  const std::string& text = program.sources.files[span.file].text;
  if (span.end > text.size() || span.begin > span.end) return {};
  return text.substr(span.begin, span.end - span.begin);
}

void cite(Site& site, const std::string& citation, Citing what) {
  for (const auto& id : doc::sections_of(citation)) site.sections[id].citing.push_back(what);
}

void gather_sections(Site& site) {
  const Program& program = site.today->program;
  const doc::Links& links = site.links;
  for (const auto& module : program.modules) {
    for (const auto& declaration : module.declarations) {
      std::visit(
          [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            const std::string href = links.line_href(d.span);
            if constexpr (std::is_same_v<T, ast::Parameter>) {
              cite(site, d.cite.text, {"parameter " + code(d.name), href});
            } else if constexpr (std::is_same_v<T, ast::Enumeration>) {
              if (d.cite) cite(site, d.cite->text, {"enum " + code(d.name), href});
            } else if constexpr (std::is_same_v<T, ast::Record>) {
              if (d.cite) cite(site, d.cite->text, {"record " + code(d.name), href});
            } else if constexpr (std::is_same_v<T, ast::Function>) {
              if (d.cite) cite(site, d.cite->text, {"function " + code(d.name), href});
            } else if constexpr (std::is_same_v<T, ast::Decision>) {
              cite(site, d.cite.text, {"decision " + code(d.name), href});
              for (const auto& rule : d.rules) {
                std::string what = rule.is_exception ? "exception" : "rule";
                if (rule.label) what += " " + code(*rule.label);
                what += fmt::format(" for {} of decision {}", code(rule.target), code(d.name));
                cite(site, rule.cite.text, {what, links.line_href(rule.span)});
              }
              for (const auto& r : d.requirements)
                cite(site, r.cite.text, {"requirement of decision " + code(d.name), links.line_href(r.span)});
            } else if constexpr (std::is_same_v<T, ast::Calendar>) {
              if (d.cite) cite(site, d.cite->text, {"calendar " + code(d.name), href});
              for (const auto& h : d.holidays) {
                if (h.cite) cite(site, h.cite->text, {"holiday " + code(h.name), links.line_href(h.span)});
              }
              for (const auto& c : d.closures) {
                if (c.cite) cite(site, c.cite->text, {"closure of " + code(d.name), links.line_href(c.span)});
              }
            }
          },
          declaration);
    }
  }
  for (const auto& outcome : site.outcomes) {
    const auto ids = doc::sections_of(outcome.test->section);
    for (const auto& id : ids) site.sections[id].tests.push_back(&outcome);
  }
}

std::string outcome_html(const Result& r) {
  if (r.passed()) return "<span class=\"pass\">passes</span>";
  return fmt::format("<details><summary class=\"fail\">fails</summary><pre>{}</pre></details>",
                     escape(failure_text(r)));
}

std::string tests_table(const Site& site, const std::vector<const TestOutcome*>& tests) {
  std::string out = "<table class=\"tests\"><tr><th>Rule test</th><th>Where</th><th>Today</th>";
  if (site.amended != nullptr) out += "<th>With the amendment</th>";
  out += "</tr>\n";
  for (const auto* t : tests) {
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td>", escape(t->test->sentence), escape(t->where),
                       outcome_html(t->today));
    if (t->amended) out += "<td>" + outcome_html(*t->amended) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

void sections_page(Site& site) {
  std::string out =
      page_start(site, "Sections", "Each section the rules cite: what encodes it, and the rule tests of it.");
  for (const auto& [id, section] : site.sections) {
    out +=
        fmt::format("<section><h2 id=\"{}\">\xC2\xA7 {}</h2>\n", escape(doc::section_anchor(id)), escape(id));
    if (!section.citing.empty()) {
      out += "<ul>\n";
      for (const auto& c : section.citing) {
        out += c.href.empty() ? fmt::format("<li>{}</li>\n", c.html)
                              : fmt::format("<li><a href=\"{}\">{}</a></li>\n", escape(c.href), c.html);
      }
      out += "</ul>\n";
    }
    if (!section.tests.empty())
      out += tests_table(site, section.tests);
    else
      out += "<p class=\"summary\">No rule test names this section.</p>\n";
    out += "</section>\n";
  }
  std::vector<const TestOutcome*> unsectioned;
  for (const auto& o : site.outcomes) {
    if (doc::sections_of(o.test->section).empty()) unsectioned.push_back(&o);
  }
  if (!unsectioned.empty())
    out += "<h2>Rule tests that name no section</h2>\n" + tests_table(site, unsectioned);
  site.pages["sections.html"] = out + "</main>\n" + doc::page_foot();
}

std::string values_html(const Program& program, const ast::Parameter& p) {
  std::string out;
  for (const auto& v : p.values) {
    if (!out.empty()) out += "<br>";
    if (v.from) out += fmt::format("from {}: ", format_date(*v.from));
    out += code(v.value ? source_of(program, v.value->span) : std::string());
  }
  return out;
}

bool in_amendment(const Site& site, const SourceSpan& span) {
  return std::find(site.amendment_files.begin(), site.amendment_files.end(), span.file) !=
         site.amendment_files.end();
}

void parameters_page(Site& site) {
  const Program& program = site.today->program;
  std::string out =
      page_start(site, "Parameters",
                 "The values the rules are stated with, each in force from the date it gives (a "
                 "value with no date holds from the start).");
  out += "<table><tr><th>Parameter</th><th>Type</th><th>Section</th><th>Value</th>";
  if (site.amended != nullptr) out += "<th>With the amendment</th>";
  out += "</tr>\n";
  std::vector<const ast::Parameter*> parameters = program.parameters;
  std::stable_sort(parameters.begin(), parameters.end(),
                   [](const auto* a, const auto* b) { return section_before(a->cite.text, b->cite.text); });
  for (const auto* p : parameters) {
    out += fmt::format("<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>",
                       escape(site.links.line_href(p->span)), code(p->name),
                       code(program.type_name(p->resolved)), section_links(p->cite.text),
                       values_html(program, *p));
    if (site.amended != nullptr) {
      const Program& a = site.amended->program;
      const auto i = a.find_parameter(p->name);
      const ast::Parameter* q = i < 0 ? nullptr : a.parameters[static_cast<std::size_t>(i)];
      bool changed = q != nullptr && in_amendment(site, q->span);
      for (std::size_t k = 0; q != nullptr && k < q->values.size(); ++k)
        changed = changed || in_amendment(site, q->values[k].span);
      out += fmt::format("<td>{}</td>", changed ? values_html(a, *q) : "unchanged");
    }
    out += "</tr>\n";
  }
  site.pages["parameters.html"] = out + "</table>\n</main>\n" + doc::page_foot();
}

void decisions_page(Site& site) {
  const Program& program = site.today->program;
  std::string out = page_start(
      site, "Decisions",
      "What the rules answer: each decision's inputs (a case file gives them) and outputs (the answer).");
  for (const auto* d : program.decisions) {
    out += fmt::format("<section><h2 id=\"{}\"><a href=\"{}\">{}</a></h2>\n<p>{}", escape(d->name),
                       escape(site.links.line_href(d->span)), code(d->name), section_links(d->cite.text));
    if (d->as_of) out += fmt::format("; judged as of {}", code(source_of(program, d->as_of->span)));
    out += "</p>\n<h3>Inputs</h3>\n<table><tr><th>Input</th><th>Type</th><th>When not given</th></tr>\n";
    for (const auto& in : d->inputs) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", code(in.name),
                         code(program.type_name(in.resolved)),
                         in.default_value ? code(source_of(program, in.default_value->span)) : "required");
    }
    out +=
        "</table>\n<h3>Outputs</h3>\n<table><tr><th>Output</th><th>Type</th><th>Sections of its "
        "rules</th></tr>\n";
    for (std::size_t i = 0; i < d->definitions.size(); ++i) {
      const auto& def = d->definitions[i];
      if (!def.is_output) continue;
      std::string cites;
      for (const auto& rule : d->rules) {
        if (rule.definition != static_cast<std::int32_t>(i)) continue;
        for (const auto& id : doc::sections_of(rule.cite.text)) {
          if (cites.find(">\xC2\xA7\xC2\xA0" + escape(id) + "<") == std::string::npos)
            cites += (cites.empty() ? "" : ", ") + section_links(id);
        }
      }
      out += fmt::format("<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
                         escape(site.links.line_href(def.span)), code(def.name),
                         code(program.type_name(def.resolved)), cites);
    }
    out += "</table>\n</section>\n";
  }
  site.pages["decisions.html"] = out + "</main>\n" + doc::page_foot();
}

/// The text of the declaration at `span` of `links`' program, highlighted, names linked.
std::string declaration_html(const doc::Links& links, const SourceSpan& span) {
  const std::string& text = links.program->sources.files[span.file].text;
  const auto [begin, end] = doc::declaration_range(text, span.line);
  return "<pre class=\"decl\">" + doc::code_html(links, span.file, begin, end, span.line, false) + "</pre>";
}

std::string file_path_of(const Program& program, std::uint32_t file) {
  return file < program.sources.files.size() ? program.sources.files[file].path : std::string();
}

/// Today's file of the rules that `file` of the amended program is.
std::int32_t today_file(const Site& site, std::uint32_t file) {
  const std::string path = file_path_of(site.amended->program, file);
  const auto& files = site.today->program.sources.files;
  for (std::size_t f = 0; f < files.size(); ++f) {
    if (files[f].path == path) return static_cast<std::int32_t>(f);
  }
  return -1;
}

void amendment_page(Site& site, std::map<std::uint32_t, std::vector<doc::Aside>>& asides) {
  const Program& a = site.amended->program;
  std::string out = doc::page_head("Amendment") + nav(site) + "<main><h1>Amendment</h1>\n";
  std::string files;
  for (const auto f : site.amendment_files) {
    files += fmt::format("{}<a href=\"{}\">{}</a>", files.empty() ? "" : ", ",
                         site.amended_links.page_of_file[f], escape(shown_path(file_path_of(a, f))));
  }
  out += fmt::format("<p class=\"summary\">What {} changes in the rules, beside today's text.</p>\n", files);
  for (const auto& change : a.amended) {
    const std::string what = escape(change.what);  // with the day it is adopted from, if any
    out += fmt::format("<section><h2>{}</h2>\n<div class=\"compare\">", what);
    const std::int32_t today = change.replaced.line > 0 ? today_file(site, change.replaced.file) : -1;
    if (today >= 0) {
      SourceSpan replaced = change.replaced;
      replaced.file = static_cast<std::uint32_t>(today);
      out += fmt::format(
          "<div><h3>Today (<a href=\"{}\">{}</a>)</h3>{}</div>", escape(site.links.line_href(replaced)),
          escape(fmt::format("{}:{}", shown_path(file_path_of(a, change.replaced.file)), replaced.line)),
          declaration_html(site.links, replaced));
      const std::string aside = fmt::format(
          "<div class=\"aside\">The amendment <a href=\"{}\">{}</a> {}.</div>\n",
          escape(site.amended_links.line_href(change.at)),
          escape(fmt::format("{}:{}", shown_path(file_path_of(a, change.at.file)), change.at.line)), what);
      asides[replaced.file].push_back({replaced.line, aside});
    } else if (change.replaced.line > 0) {
      // A declaration an earlier amendment file replaced or added: shown as that file has it.
      out += fmt::format("<div><h3>As amended by (<a href=\"{}\">{}</a>)</h3>{}</div>",
                         escape(site.amended_links.line_href(change.replaced)),
                         escape(fmt::format("{}:{}", shown_path(file_path_of(a, change.replaced.file)),
                                            change.replaced.line)),
                         declaration_html(site.amended_links, change.replaced));
    } else {
      out += "<div><h3>Today</h3><p>Nothing: the amendment adds this.</p></div>";
    }
    out +=
        fmt::format("<div><h3>Proposed (<a href=\"{}\">{}</a>)</h3>{}</div></div></section>\n",
                    escape(site.amended_links.line_href(change.at)),
                    escape(fmt::format("{}:{}", shown_path(file_path_of(a, change.at.file)), change.at.line)),
                    declaration_html(site.amended_links, change.at));
  }
  std::vector<const TestOutcome*> changed;
  for (const auto& o : site.outcomes) {
    if (o.amended && o.amended->passed() != o.today.passed()) changed.push_back(&o);
  }
  out += "<h2>Rule tests whose outcome it changes</h2>\n";
  out += changed.empty() ? "<p>None: every rule test comes out as it does today.</p>\n"
                         : tests_table(site, changed);
  site.pages["amendment.html"] = out + "</main>\n" + doc::page_foot();
}

void index_page(Site& site) {
  const Program& program = site.today->program;
  const RulesIdentity id = identify_rules(program, site.today->dir);
  std::size_t passed = 0, amended_passed = 0;
  for (const auto& o : site.outcomes) {
    passed += o.today.passed() ? 1 : 0;
    amended_passed += o.amended && o.amended->passed() ? 1 : 0;
  }
  std::string out = doc::page_head("The rules") + nav(site) + "<main><h1>The rules</h1>\n";
  out += fmt::format(
      "<p class=\"summary\">{} rule file{} in {} (hash {}), merit {}. Rule tests: {} of {} "
      "pass{}.</p>\n",
      id.files, id.files == 1 ? "" : "s", escape(site.dir), id.hash, merit_version(), passed,
      site.outcomes.size(),
      site.amended ? fmt::format("; with the amendment, {} of {}", amended_passed, site.outcomes.size())
                   : "");
  out += "<ul class=\"files\">\n";
  for (std::size_t f = 0; f < program.sources.files.size(); ++f) {
    if (site.links.page_of_file[f].empty()) continue;
    out += fmt::format("<li><a href=\"{}\">{}</a> <span class=\"summary\">{}</span></li>\n",
                       site.links.page_of_file[f], escape(site.titles[f]),
                       escape(in_rules(site, program.sources.files[f].path)));
  }
  out +=
      "</ul>\n<ul>\n<li><a href=\"sections.html\">Sections</a>: what encodes each, and its rule tests</li>\n"
      "<li><a href=\"parameters.html\">Parameters</a> and their dated values</li>\n"
      "<li><a href=\"decisions.html\">Decisions</a>, their inputs and outputs</li>\n";
  if (site.amended) out += "<li><a href=\"amendment.html\">The amendment</a> beside today's text</li>\n";
  site.pages["index.html"] = out + "</ul>\n</main>\n" + doc::page_foot();
}

/// Runs every rule test under the rules folder, with each test's own amendments, and with --amend too.
void run_tests(Site& site, const Options& options, Diagnostics& errors) {
  std::vector<TestFile> files;
  std::error_code ec;
  if (!fs::is_directory(site.today->dir, ec)) return;  // --rules FILE: a rule file has no tests beside it
  collect_test_files(site.today->dir, files, errors);
  std::map<std::string, std::unique_ptr<RuleSet>> loaded;
  const auto rules_with = [&](const std::vector<std::string>& amendments) -> const RuleSet* {
    std::string key;
    for (const auto& a : amendments) key += a + "\n";
    auto& r = loaded[key];
    if (!r) {
      Diagnostics problems;
      r = load_rules(site.today->dir, amendments, problems);
      if (!problems.empty()) errors.insert(errors.end(), problems.begin(), problems.end());
    }
    return r.get();
  };
  std::size_t invalid = 0;
  for (const auto& file : files) {
    for (auto& t : read_test_file(file.path, errors, invalid)) site.tests.push_back(std::move(t));
  }
  if (!errors.empty()) return;
  for (const auto& t : site.tests) {
    TestOutcome o;
    o.test = &t;
    o.where = in_rules(site, t.file) + (t.index ? fmt::format(", test {}", *t.index + 1) : "");
    const RuleSet* today = t.amend.empty() ? site.today : rules_with(t.amend);
    if (!errors.empty()) return;
    o.today = run_rule_test(today->program, t);
    if (site.amended != nullptr) {
      std::vector<std::string> amendments = options.amendments;
      amendments.insert(amendments.end(), t.amend.begin(), t.amend.end());
      const RuleSet* amended = t.amend.empty() ? site.amended : rules_with(amendments);
      if (!errors.empty()) return;
      o.amended = run_rule_test(amended->program, t);
    }
    site.outcomes.push_back(std::move(o));
  }
}

/// A page name no other page has: the site's own pages keep theirs, a rule file named index.merit becomes
/// index-2.html.
std::string unique_page(std::set<std::string>& taken, const std::string& name) {
  std::string stem = name.substr(0, name.size() - 5), page = name;
  for (int n = 2; taken.count(page) > 0; ++n) page = fmt::format("{}-{}.html", stem, n);
  taken.insert(page);
  return page;
}

void set_pages(Site& site) {
  const Program& program = site.today->program;
  std::set<std::string> taken = {"index.html", "sections.html", "parameters.html", "decisions.html",
                                 "amendment.html"};
  site.links.page_of_file.assign(program.sources.files.size(), {});
  site.titles.assign(program.sources.files.size(), {});
  for (std::size_t f = 0; f < program.sources.files.size(); ++f) {
    site.links.page_of_file[f] =
        unique_page(taken, page_name(program.sources.files[f].path, site.today->dir, ""));
    site.titles[f] = doc::file_title(program.sources.files[f].text);
    if (site.titles[f].empty()) site.titles[f] = shown_path(program.sources.files[f].path);
  }
  if (site.amended == nullptr) return;
  const Program& a = site.amended->program;
  site.amended_links.page_of_file.assign(a.sources.files.size(), {});
  for (const auto& module : a.modules) {
    if (module.amendment) site.amendment_files.push_back(module.file);
  }
  for (std::uint32_t f = 0; f < a.sources.files.size(); ++f) {
    const std::int32_t today = today_file(site, f);
    site.amended_links.page_of_file[f] =
        today >= 0 ? site.links.page_of_file[static_cast<std::size_t>(today)]
                   : unique_page(taken, page_name(a.sources.files[f].path, site.today->dir, "amendment-"));
  }
}

/// The first `limit` bytes of a file, or nothing when it cannot be read.
std::string read_file_prefix(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string out(limit, '\0');
  in.read(out.data(), static_cast<std::streamsize>(limit));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

bool write_site(const Site& site, const std::string& out_dir, Diagnostics& errors) {
  std::error_code ec;
  if (fs::exists(out_dir, ec) && !fs::is_directory(out_dir, ec)) {
    errors.push_back(error_in_file(out_dir, "is a file; merit doc writes a folder of pages"));
    return false;
  }
  // A folder merit doc wrote before (its contents page says so) loses its pages and style sheet, so that
  // none is left from other rules; any other folder must be empty, so that no one's files are overwritten.
  if (fs::is_directory(out_dir, ec) && !fs::is_empty(out_dir, ec)) {
    const std::string contents = read_file_prefix((fs::path(out_dir) / "index.html").string(), 4096);
    if (contents.find("<meta name=\"generator\" content=\"merit doc\">") == std::string::npos) {
      errors.push_back(error_in_file(
          out_dir,
          "holds files merit doc did not write; give a new or empty folder, or one merit doc wrote"));
      return false;
    }
    for (const auto& entry : fs::directory_iterator(out_dir, ec)) {
      const auto ext = entry.path().extension();
      if (entry.is_regular_file(ec) && (ext == ".html" || entry.path().filename() == "style.css"))
        fs::remove(entry.path(), ec);
    }
  }
  fs::create_directories(out_dir, ec);
  if (ec) {
    errors.push_back(error_in_file(out_dir, "cannot make the folder: " + ec.message()));
    return false;
  }
  const auto write = [&](const std::string& name, std::string_view contents) {
    const fs::path path = fs::path(out_dir) / name;
    std::ofstream file(path, std::ios::binary);
    file << contents;
    file.close();
    if (!file) errors.push_back(error_in_file(path.string(), "cannot write the page"));
  };
  for (const auto& [name, contents] : site.pages) write(name, contents);
  write("style.css", doc::style_sheet());
  return errors.empty();
}

}  // namespace

int run_doc(const Options& options) {
  Diagnostics errors;
  const auto today = load_rules(options.rules, {}, errors);
  if (!errors.empty()) return report(errors, today->program.sources);
  std::unique_ptr<RuleSet> amended;
  if (!options.amendments.empty()) {
    amended = load_rules(options.rules, options.amendments, errors);
    if (!errors.empty()) return report(errors, amended->program.sources);
  }
  Site site;
  site.today = today.get();
  site.amended = amended.get();
  site.dir = shown_path(today->dir);
  site.today_index = std::make_unique<lsp::Index>(today->program);
  site.links.program = &today->program;
  site.links.index = site.today_index.get();
  doc::name_anchors(site.links);
  if (amended) {
    site.amended_index = std::make_unique<lsp::Index>(amended->program);
    site.amended_links.program = &amended->program;
    site.amended_links.index = site.amended_index.get();
    doc::name_anchors(site.amended_links);
  }
  set_pages(site);
  run_tests(site, options, errors);
  if (!errors.empty()) return report(errors, {});
  gather_sections(site);

  std::map<std::uint32_t, std::vector<doc::Aside>> asides;  // by file of today's program
  if (amended) amendment_page(site, asides);
  for (std::uint32_t f = 0; f < today->program.sources.files.size(); ++f) {
    auto& notes = asides[f];
    std::stable_sort(notes.begin(), notes.end(),
                     [](const auto& x, const auto& y) { return x.line < y.line; });
    site.pages[site.links.page_of_file[f]] = doc::file_page(site.links, f, site.titles[f], notes, nav(site));
  }
  for (const auto f : site.amendment_files) {
    const std::string title = "Amendment: " + shown_path(file_path_of(amended->program, f));
    site.pages[site.amended_links.page_of_file[f]] =
        doc::file_page(site.amended_links, f, title, {}, nav(site));
  }
  sections_page(site);
  parameters_page(site);
  decisions_page(site);
  index_page(site);
  if (!write_site(site, options.output, errors)) return report(errors, {});
  std::size_t failed = 0;
  for (const auto& o : site.outcomes) failed += o.today.passed() ? 0 : 1;
  fmt::print("merit doc: {} pages in {} ({} rule tests, {} failing)\n", site.pages.size() + 1,
             shown_path(options.output), site.outcomes.size(), failed);
  return exit_ok;
}

}  // namespace merit::cli
