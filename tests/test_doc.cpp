// merit doc, through the built binary: the pages it writes for the shipped rules and a proposal, read as
// files (tests/browser/ loads them in Chromium): every section cited has its place, every rule test is
// there, the same rules give the same bytes, and what a rule file says is shown, never run as HTML.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::read_text;
using merit::testing::run_merit_limited;
using merit::testing::run_merit_raw;
using merit::testing::Scratch;
using merit::testing::source_dir;

namespace {

std::string html_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

/// Every file of a folder, by name, with its bytes.
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    out[entry.path().filename().string()] = read_text(entry.path().string());
  return out;
}

/// The sections the rule files under `dir` cite: `§ 2.B.1`, and each of `§ "1.A.2, 3.A.1"`.
std::set<std::string> cited_sections(const std::string& dir) {
  std::set<std::string> out;
  const std::regex cite(R"re(§ ("([^"]*)"|([^ =:{\n]+)))re");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".merit") continue;
    const std::string text = read_text(entry.path().string());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), cite); it != std::sregex_iterator(); ++it) {
      // Only in code: a comment or a quote of the law may mention a section without citing it.
      const auto line_start = text.rfind('\n', static_cast<std::size_t>(it->position())) + 1;
      const auto first = text.find_first_not_of(' ', line_start);
      if (text[first] == '#' || text[first] == '>') continue;
      if (text.find('#', line_start) < static_cast<std::size_t>(it->position())) continue;
      std::string list = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
      for (std::size_t start = 0; start < list.size();) {
        auto end = list.find(", ", start);
        if (end == std::string::npos) end = list.size();
        out.insert(list.substr(start, end - start));
        start = end + 2;
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("merit doc writes a page for each rule file and the site's own pages, the same bytes each time") {
  Scratch scratch;
  const auto first = run_merit_raw("doc -o '" + (scratch.dir / "one").string() + "'");
  REQUIRE_MESSAGE(first.status == 0, first.err);
  CHECK(first.err.empty());
  CHECK(first.out.find("merit doc: 14 pages in ") == 0);
  const auto pages = files_of(scratch.dir / "one");
  for (const char* page : {"index.html", "sections.html", "parameters.html", "decisions.html", "style.css",
                           "chapter8-2-use-of-class-registers.html", "mms.html", "calendar.html"})
    CHECK_MESSAGE(pages.count(page) == 1, page);
  CHECK(pages.count("amendment.html") == 0);
  for (const auto& [name, text] : pages) {
    INFO(name);
    CHECK(text.find("<script") == std::string::npos);
    CHECK(text.find("http://") == std::string::npos);  // nothing fetched when it is read
    CHECK(text.find("https://") == std::string::npos);
  }

  const auto second = run_merit_raw("doc -o '" + (scratch.dir / "two").string() + "'");
  REQUIRE(second.status == 0);
  CHECK(files_of(scratch.dir / "two") == pages);
}

TEST_CASE(
    "merit doc gives every section the rules cite its place, and lists every rule test under its section") {
  Scratch scratch;
  const auto run = run_merit_raw("doc -o '" + scratch.dir.string() + "'");
  REQUIRE(run.status == 0);
  const std::string sections = read_text((scratch.dir / "sections.html").string());
  const auto cited = cited_sections(source_dir() + "/rules");
  CHECK(cited.size() > 90);
  for (const auto& id : cited) {
    std::string anchor = "s-";  // other bytes than these as - and two hex digits
    for (const char c : id) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "-%02x", static_cast<unsigned char>(c));
      anchor += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '(' || c == ')'
                    ? std::string(1, c)
                    : hex;
    }
    CHECK_MESSAGE(sections.find("<h2 id=\"" + anchor + "\">") != std::string::npos, id);
  }
  std::size_t tests = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir() + "/rules")) {
    if (entry.path().string().find(".test.json") == std::string::npos) continue;
    const auto json = nlohmann::json::parse(read_text(entry.path().string()));
    const auto check = [&](const nlohmann::json& t) {
      ++tests;
      CHECK_MESSAGE(
          sections.find("<td>" + html_escaped(t["test"].get<std::string>()) + "</td>") != std::string::npos,
          t["test"].get<std::string>());
    };
    if (json.contains("tests")) {
      for (const auto& t : json["tests"]) check(t);
    } else {
      check(json);
    }
  }
  CHECK(tests > 300);
  CHECK(run.out.find("(" + std::to_string(tests) + " rule tests, 0 failing)") != std::string::npos);
}

TEST_CASE("merit doc with an amendment shows it beside today's text and the rule tests it changes") {
  Scratch scratch;
  const auto run =
      run_merit_raw("doc --amend examples/what-if/rule-of-three.merit -o '" + scratch.dir.string() + "'");
  REQUIRE_MESSAGE(run.status == 0, run.err);
  const auto pages = files_of(scratch.dir);
  REQUIRE(pages.count("amendment.html") == 1);
  REQUIRE(pages.count("amendment-rule-of-three.html") == 1);
  const std::string& amendment = pages.at("amendment.html");
  CHECK(amendment.find("<h2>replaces parameter complement_size</h2>") != std::string::npos);
  CHECK(amendment.find("<h3>Today (<a href=\"chapter8-2-use-of-class-registers.html#L") != std::string::npos);
  CHECK(amendment.find("<h3>Proposed (<a href=\"amendment-rule-of-three.html#L") != std::string::npos);
  CHECK(amendment.find("Rule tests whose outcome it changes") != std::string::npos);
  CHECK(amendment.find("class=\"fail\"") != std::string::npos);  // a rule of six's test fails under three
  // Today's page notes the proposal beside the declaration it replaces.
  CHECK(pages.at("chapter8-2-use-of-class-registers.html")
            .find("<div class=\"aside\">The amendment <a href=\"amendment-rule-of-three.html#L") !=
        std::string::npos);
  // The amendment's own page quotes its law beside it.
  CHECK(pages.at("amendment-rule-of-three.html").find("<strong>1. Rule of Three</strong>") !=
        std::string::npos);
}

TEST_CASE("merit doc shows what a rule file says as text, and keeps the site's pages its own") {
  Scratch scratch;
  const std::string rule = R"(# A <b>bold</b> & "quoted" title.

> 1. The <script>law</script> & more.
parameter limit: integer § "1, <2>" = 3
)";
  scratch.write("rules/index.merit", rule);
  const auto run = run_merit_raw("doc --rules '" + (scratch.dir / "rules").string() + "' -o '" +
                                 (scratch.dir / "site").string() + "'");
  REQUIRE_MESSAGE(run.status == 0, run.err);
  const auto pages = files_of(scratch.dir / "site");
  REQUIRE(pages.count("index-2.html") == 1);  // a rule file named index does not take the contents' place
  CHECK(pages.at("index.html").find("<h1>The rules</h1>") != std::string::npos);
  const std::string& page = pages.at("index-2.html");
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<title>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</title>") !=
        std::string::npos);
  CHECK(page.find("The &lt;script&gt;law&lt;/script&gt; &amp; more.") != std::string::npos);
  CHECK(pages.at("sections.html").find("<h2 id=\"s--3c2-3e\">§ &lt;2&gt;</h2>") != std::string::npos);
}

TEST_CASE(
    "merit doc refuses rules that do not check and a file where the folder should be, and takes one rule "
    "file") {
  Scratch scratch;
  scratch.write("rules/broken.merit", "parameter limit: integer § 1 = \"three\"\n");
  const auto broken = run_merit_raw("doc --rules '" + (scratch.dir / "rules").string() + "' -o '" +
                                    (scratch.dir / "site").string() + "'");
  CHECK(broken.status == 1);
  CHECK(broken.err.find("broken.merit:1:") != std::string::npos);
  CHECK_FALSE(fs::exists(scratch.dir / "site"));

  const std::string file = scratch.write("taken", "a file\n");
  const auto taken = run_merit_raw("doc -o '" + file + "'");
  CHECK(taken.status == 1);
  CHECK(taken.err.find("is a file; merit doc writes a folder of pages") != std::string::npos);
  CHECK(read_text(file) == "a file\n");

  // Rules given as one file: its page and the site's own, with no rule tests.
  const auto one_file =
      run_merit_raw("doc --rules rules/mms.merit -o '" + (scratch.dir / "mms").string() + "'");
  CHECK_MESSAGE(one_file.status == 0, one_file.err);
  CHECK(one_file.out.find("merit doc: 6 pages in ") == 0);
  CHECK(fs::exists(scratch.dir / "mms" / "mms.html"));

  const auto no_output = run_merit_raw("doc");
  CHECK(no_output.status == 2);
  CHECK(no_output.err.find("--output") != std::string::npos);
  CHECK(no_output.out.empty());
}

TEST_CASE(
    "merit doc gives names, lines and sections anchors of their own, whatever the rule file's names and line "
    "ends") {
  Scratch scratch;
  // A name like a line's anchor (L12), one starting with L, sections that differ only in a blank or a
  // dash, a citation written `section`, and \r\n line ends.
  const std::string rule =
      "# Anchors.\r\n\r\n> 1. The law.\r\nparameter L12: integer \xC2\xA7 \"1 A\" = 3\r\nparameter Limit: "
      "integer "
      "\xC2\xA7 1-A = 4\r\nfunction cap(n: integer): integer section 2.B = n + L12 + Limit\r\n";
  scratch.write("rules/anchors.merit", rule);
  const auto run = run_merit_limited(
      "doc --rules '" + (scratch.dir / "rules").string() + "' -o '" + (scratch.dir / "site").string() + "'",
      30);
  REQUIRE_MESSAGE(run.status == 0, run.err);
  const std::string page = read_text((scratch.dir / "site" / "anchors.html").string());
  CHECK(page.find("<dfn id=\"L12.2\"") != std::string::npos);
  CHECK(page.find("<dfn id=\"Limit\"") != std::string::npos);
  CHECK(page.find("<span id=\"L4\"></span>") != std::string::npos);
  CHECK(page.find("<a href=\"anchors.html#L12.2\"") != std::string::npos);  // the use in cap
  CHECK(page.find('\r') == std::string::npos);
  CHECK(page.find("href=\"sections.html#s-1-20A\"") != std::string::npos);
  CHECK(page.find("href=\"sections.html#s-1-2dA\"") != std::string::npos);
  CHECK(
      page.find("<span class=\"kw\">section</span> <a class=\"cite\" href=\"sections.html#s-2.B\">2.B</a>") !=
      std::string::npos);
  const std::string sections = read_text((scratch.dir / "site" / "sections.html").string());
  CHECK(sections.find("<h2 id=\"s-1-20A\">") != std::string::npos);
  CHECK(sections.find("<h2 id=\"s-1-2dA\">") != std::string::npos);
}

TEST_CASE(
    "merit doc rewrites a folder it wrote, leaving no page of the last site, and refuses anyone else's") {
  Scratch scratch;
  const std::string site = (scratch.dir / "site").string();
  REQUIRE(run_merit_raw("doc --amend examples/what-if/rule-of-three.merit -o '" + site + "'").status == 0);
  CHECK(fs::exists(scratch.dir / "site" / "amendment.html"));
  scratch.write("site/notes.txt", "mine\n");  // not a page: kept
  REQUIRE(run_merit_raw("doc -o '" + site + "'").status == 0);
  CHECK_FALSE(fs::exists(scratch.dir / "site" / "amendment.html"));
  CHECK_FALSE(fs::exists(scratch.dir / "site" / "amendment-rule-of-three.html"));
  CHECK(fs::exists(scratch.dir / "site" / "index.html"));
  CHECK(read_text((scratch.dir / "site" / "notes.txt").string()) == "mine\n");

  scratch.write("other/index.html", "<p>someone's page</p>\n");
  const auto refused = run_merit_raw("doc -o '" + (scratch.dir / "other").string() + "'");
  CHECK(refused.status == 1);
  CHECK(refused.err.find("holds files merit doc did not write") != std::string::npos);
  CHECK(read_text((scratch.dir / "other" / "index.html").string()) == "<p>someone's page</p>\n");
}

TEST_CASE("merit doc says once the day a dated amendment is adopted from") {
  Scratch scratch;
  const std::string amendment = scratch.write(
      "dated.merit", "replace parameter complement_size: integer \xC2\xA7 2.B.1 = 3 from 2026-03-10\n");
  const auto run =
      run_merit_raw("doc --amend '" + amendment + "' -o '" + (scratch.dir / "site").string() + "'");
  REQUIRE_MESSAGE(run.status == 0, run.err);
  const std::string page = read_text((scratch.dir / "site" / "amendment.html").string());
  CHECK(page.find("<h2>parameter complement_size takes a new value from 2026-03-10</h2>") !=
        std::string::npos);
  CHECK(page.find("2026-03-10, from") == std::string::npos);
}
