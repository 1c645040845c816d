// The editors' highlighting (editors/): the TextMate grammar, run by a small TextMate tokenizer on
// Oniguruma, TextMate's own regex engine, and the Vim syntax file, run in Vim itself, against the parser's
// keywords (grammar/grammar.hpp), the builtins (stdlib/builtins.cpp) and every shipped rule file.
// Built alone, without merit's libraries: it reads the source tree as text (source_text.hpp). The tokenizer
// is textmate.hpp, the Vim runner vim.hpp; this file holds the test cases.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "source_text.hpp"
#include "textmate.hpp"
#include "vim.hpp"

namespace merit::highlight {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::set<std::string> all_matches(const std::string& text, const std::string& pattern) {
  std::set<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    found.insert((*it)[1].str());
  }
  return found;
}

std::string joined(const std::set<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::set<std::string> minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

std::string describe(const std::vector<std::pair<std::string, std::string>>& toks) {
  std::string out;
  for (const auto& [text, scopes] : toks) out += "\n  [" + text + "] " + scopes;
  return out;
}

bool has_scope(const std::vector<std::string>& scopes, const std::string& scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

}  // namespace

TEST_CASE("the TextMate grammar loads: every regex compiles and every include resolves") {
  const Grammar grammar(load_json(kGrammarFile));
  CHECK_MESSAGE(grammar.errors.empty(), [&] {
    std::string all;
    for (const auto& e : grammar.errors) all += "\n  " + e;
    return all;
  }());
  CHECK(grammar.scope_name() == "source.merit");
  CHECK(grammar.candidates(grammar.root()).size() > 10);
}

TEST_CASE("the VS Code extension names the one grammar, its language and its configuration") {
  const fs::path folder = kSource / "editors/vscode";
  const json package = load_json(folder / "package.json");
  CHECK_FALSE(package.contains("main"));  // highlighting only: no code to run
  CHECK_FALSE(package.contains("dependencies"));
  const auto& contributes = package.at("contributes");
  REQUIRE(contributes.at("languages").size() == 1);
  const auto& language = contributes.at("languages")[0];
  CHECK(language.at("id") == "merit");
  CHECK(language.at("extensions") == json::array({".merit"}));
  REQUIRE(contributes.at("grammars").size() == 1);
  const auto& grammar = contributes.at("grammars")[0];
  CHECK(grammar.at("language") == "merit");
  CHECK(grammar.at("scopeName") == load_json(kGrammarFile).at("scopeName"));
  CHECK(fs::equivalent(folder / grammar.at("path").get<std::string>(), kGrammarFile));
  const json configuration = load_json(folder / language.at("configuration").get<std::string>());
  CHECK(configuration.at("comments").at("lineComment") == "#");
}

TEST_CASE("the grammars' keywords are the parser's keywords, and their builtins the interpreter's") {
  const json grammar = load_json(kGrammarFile);
  const std::set<std::string> parser = all_matches(read_text(kSource / "grammar/grammar.hpp"),
                                                   R"re(TAO_PEGTL_KEYWORD\(\s*"([a-z_]+)"\s*\))re");
  REQUIRE(parser.size() > 40);
  // Every word in the grammar's patterns is a keyword, but for the builtins' names, which are not.
  std::set<std::string> keywords;
  for (const auto& [name, item] : grammar.at("repository").items()) {
    if (name != "builtin-functions" && name != "builtin-types") keywords.merge(words_of_rule(item));
  }
  CHECK_MESSAGE(minus(parser, keywords).empty(), "keywords missing: " << joined(minus(parser, keywords)));
  CHECK_MESSAGE(minus(keywords, parser).empty(), "not keywords: " << joined(minus(keywords, parser)));

  const std::set<std::string> builtins =
      all_matches(read_text(kSource / "stdlib/builtins.cpp"), R"re(Builtin\{"([a-z_0-9]+)")re");
  REQUIRE(builtins.size() > 20);
  const auto textmate = words_of_rule(grammar.at("repository").at("builtin-functions"));
  CHECK_MESSAGE(textmate == builtins, "missing: " << joined(minus(builtins, textmate))
                                                  << "; extra: " << joined(minus(textmate, builtins)));

  // Vim's syntax file has the same words, each as a whole word: the keywords outside its line of builtins.
  std::set<std::string> vim_keywords;
  std::set<std::string> vim_builtins;
  for (const auto& line : split_lines(read_text(kSource / "editors/vim/syntax/merit.vim"))) {
    if (line.rfind("syntax match meritBuiltin ", 0) == 0) {
      vim_builtins.merge(all_matches(line, R"(([A-Za-z_]+))"));
    } else if (line.rfind("syntax ", 0) == 0) {
      vim_keywords.merge(all_matches(line, R"(([A-Za-z_]+))"));
    }
  }
  CHECK_MESSAGE(minus(parser, vim_keywords).empty(),
                "Vim lacks keywords: " << joined(minus(parser, vim_keywords)));
  CHECK_MESSAGE(minus(builtins, vim_builtins).empty(),
                "Vim lacks builtins: " << joined(minus(builtins, vim_builtins)));
}

TEST_CASE("every line of the shipped rule files tokenizes, with its quotes and citations recognized") {
  const Grammar grammar(load_json(kGrammarFile));
  REQUIRE(grammar.errors.empty());
  const auto files = shipped_rule_files();
  REQUIRE(files.size() > 50);
  std::vector<std::string> failures;
  const auto fail = [&](const fs::path& file, std::size_t line, const std::string& what) {
    failures.push_back(fs::relative(file, kSource).string() + ":" + std::to_string(line) + ": " + what);
  };
  std::size_t lines = 0;
  std::size_t quotes = 0;
  std::size_t citations = 0;
  for (const auto& file : files) {
    Stack stack = initial_stack(grammar);  // carried from line to line, as an editor does
    const auto text = split_lines(read_text(file));
    for (std::size_t n = 0; n < text.size(); ++n) {
      const std::string& line = text[n];
      const LineScopes scopes = tokenize_line(grammar, line, stack);
      ++lines;
      if (!scopes.ended) fail(file, n + 1, "tokenizing did not end");
      if (scopes.stuck > 0) fail(file, n + 1, "tokenizing stuck " + std::to_string(scopes.stuck) + " times");
      // Nothing in merit spans lines: a text or anything else left open would paint the lines after it.
      if (stack.size() != 1) fail(file, n + 1, "a rule is still open at the end of the line");
      stack.resize(1);
      if (is_quote_line(line)) {
        ++quotes;
        for (std::size_t i = 0; i < line.size(); ++i) {
          if (!has_scope(scopes.bytes[i], "markup.quote.merit")) {
            fail(file, n + 1, "byte " + std::to_string(i + 1) + " of a quote is not markup.quote.merit");
            break;
          }
        }
        continue;
      }
      for (const auto& [from, to] : citations_in(line)) {
        ++citations;
        for (std::size_t i = from; i < to; ++i) {
          if (!has_scope(scopes.bytes[i], "constant.other.citation.merit")) {
            fail(file, n + 1, "'" + line.substr(from, to - from) + "' is not all a citation");
            break;
          }
        }
      }
    }
  }
  CHECK(lines > 2000);
  CHECK(quotes > 300);
  CHECK(citations > 400);
  std::string report;
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) report += "\n  " + failures[i];
  CHECK_MESSAGE(failures.empty(), failures.size() << " failures:" << report);
}

TEST_CASE("chosen lines get the scopes expected") {
  const Grammar grammar(load_json(kGrammarFile));
  REQUIRE(grammar.errors.empty());
  using Tokens = std::vector<std::pair<std::string, std::string>>;
  const std::string quote = "markup.quote.merit";
  const std::string citation = "constant.other.citation.merit";
  const std::string op = "keyword.operator.merit";
  const std::string other = "keyword.other.merit";
  const std::string control = "keyword.control.merit";
  const std::string storage = "storage.type.merit";
  const std::string type = "support.type.merit";
  const std::string builtin = "support.function.builtin.merit";
  const std::string string = "string.quoted.double.merit";
  const std::string escape = string + " constant.character.escape.merit";
  const std::string comment = "comment.line.number-sign.merit";

  const auto expect = [&](const std::string& line, const Tokens& expected) {
    const auto actual = tokens(grammar, line);
    CHECK_MESSAGE(actual == expected, line << describe(actual));
  };

  expect("decision acting_capacity \xC2\xA7 3.A.2 as of start {",
         {{"decision", storage},
          {" ", ""},
          {"acting_capacity", "entity.name.function.merit"},
          {" ", ""},
          {"\xC2\xA7 3.A.2", citation},
          {" ", ""},
          {"as", other},
          {" ", ""},
          {"of", other},
          {" start {", ""}});
  expect("parameter selection_period: duration \xC2\xA7 2.I = 21 days",
         {{"parameter", storage},
          {" selection_period: ", ""},
          {"duration", type},
          {" ", ""},
          {"\xC2\xA7 2.I", citation},
          {" ", ""},
          {"=", op},
          {" ", ""},
          {"21 days", "constant.numeric.duration.merit"}});
  // A name that holds unit words is a name; the duration is the number and its unit.
  expect("parameter retiree_working_day_limit: duration \xC2\xA7 4 = 90 working days",
         {{"parameter", storage},
          {" retiree_working_day_limit: ", ""},
          {"duration", type},
          {" ", ""},
          {"\xC2\xA7 4", citation},
          {" ", ""},
          {"=", op},
          {" ", ""},
          {"90 working days", "constant.numeric.duration.merit"}});
  expect("  = 5 from 2027-07-01  # in force from that date",
         {{"  ", ""},
          {"=", op},
          {" ", ""},
          {"5", "constant.numeric.merit"},
          {" ", ""},
          {"from", other},
          {" ", ""},
          {"2027-07-01", "constant.numeric.date.merit"},
          {"  ", ""},
          {"#", comment + " punctuation.definition.comment.merit"},
          {" in force from that date", comment}});
  expect(R"(  because "say \"yes\"\tor # not" + text(n))",
         {{"  ", ""},
          {"because", other},
          {" ", ""},
          {"\"", string + " punctuation.definition.string.begin.merit"},
          {"say ", string},
          {"\\\"", escape},
          {"yes", string},
          {"\\\"\\t", escape},
          {"or # not", string},
          {"\"", string + " punctuation.definition.string.end.merit"},
          {" ", ""},
          {"+", op},
          {" ", ""},
          {"text", builtin},
          {"(n)", ""}});
  // Keywords are whole words: decisions_made holds `decision`, c.first is a field, first(xs) a builtin.
  expect("  let decisions_made = count c in cases where c.first and not first(xs)",
         {{"  ", ""},
          {"let", storage},
          {" decisions_made ", ""},
          {"=", op},
          {" ", ""},
          {"count", control},
          {" c ", ""},
          {"in", control},
          {" cases ", ""},
          {"where", control},
          {" c.first ", ""},
          {"and", "keyword.operator.logical.merit"},
          {" ", ""},
          {"not", "keyword.operator.logical.merit"},
          {" ", ""},
          {"first", builtin},
          {"(xs)", ""}});
  expect("  rule interview section 2.I.1 effective through 2027-06-30: interview_required = true",
         {{"  ", ""},
          {"rule", other},
          {" interview ", ""},
          {"section 2.I.1", citation},
          {" ", ""},
          {"effective", other},
          {" ", ""},
          {"through", other},
          {" ", ""},
          {"2027-06-30", "constant.numeric.date.merit"},
          {": interview_required ", ""},
          {"=", op},
          {" ", ""},
          {"true", "constant.language.boolean.merit"}});
  // `date` is a type, and a builtin where called; `year` a builtin where called, and a name elsewhere.
  expect(
      "function observed(d: date): date? \xC2\xA7 \"4 M.R.S. \xC2\xA7"
      "1051\" = date(year, 1, 1) ?? none",
      {{"function", storage},
       {" ", ""},
       {"observed", "entity.name.function.merit"},
       {"(d: ", ""},
       {"date", type},
       {"): ", ""},
       {"date", type},
       {"?", op},
       {" ", ""},
       {"\xC2\xA7 \"4 M.R.S. \xC2\xA7"
        "1051\"",
        citation},
       {" ", ""},
       {"=", op},
       {" ", ""},
       {"date", builtin},
       {"(year, ", ""},
       {"1", "constant.numeric.merit"},
       {", ", ""},
       {"1", "constant.numeric.merit"},
       {") ", ""},
       {"??", op},
       {" ", ""},
       {"none", "constant.language.none.merit"}});
  expect("replace record Candidate { scores: map of list of decimal }",
         {{"replace", other},
          {" ", ""},
          {"record", storage},
          {" ", ""},
          {"Candidate", "entity.name.type.merit"},
          {" { scores: ", ""},
          {"map of", type},
          {" ", ""},
          {"list of", type},
          {" ", ""},
          {"decimal", type},
          {" }", ""}});
  // The numbers inside a name are part of it; `1.5` is one number.
  CHECK(tokens(grammar, "  let x2 = 1.5") == Tokens{{"  ", ""},
                                                    {"let", storage},
                                                    {" x2 ", ""},
                                                    {"=", op},
                                                    {" ", ""},
                                                    {"1.5", "constant.numeric.merit"}});
  // A quote is all quote, whatever it holds.
  expect("  > 1. Rule of Six: \"persons\" \xC2\xA7 2 # and more",
         {{"  ", quote},
          {">", quote + " punctuation.definition.quote.begin.merit"},
          {" 1. Rule of Six: \"persons\" \xC2\xA7 2 # and more", quote}});
  // An unclosed text ends with its line, and the next line reads as code again.
  Stack stack = initial_stack(grammar);
  tokenize_line(grammar, "  let t = \"open", stack);
  CHECK(stack.size() == 1);
  const LineScopes next = tokenize_line(grammar, "  let u = 1", stack);
  CHECK(next.bytes[2] == std::vector<std::string>{"source.merit", storage});
}

TEST_CASE("Vim: .merit files are merit, and their words get the highlight groups expected") {
  Scratch scratch;
  const std::vector<std::string> lines = {
      "# a comment",                                                     // 1
      "decision acting_capacity \xC2\xA7 3.A.2 as of start {",           // 2
      "  > 1. Rule of Six",                                              // 3
      "  input start: date = 2026-01-01",                                // 4
      "  let d = 21 days + 90 working days",                             // 5
      "  let t = \"say \\\"yes\\\"\" + text(n)",                         // 6
      "  let decisions_made = count c in cases where c.first and true",  // 7
      "  rule \xC2\xA7 \"4 M.R.S. \xC2\xA7"
      "1051\" effective through 2027-06-30: x = none",  // 8
      "}",                                              // 9
  };
  std::string content;
  for (const auto& l : lines) content += l + "\n";
  const fs::path file = scratch.write("probe.merit", content);
  std::vector<Probe> probes;
  const auto probe = [&](int line, const std::string& what, const std::string& group, const std::string& link,
                         int nth = 1) {
    const int column = column_of(lines[static_cast<std::size_t>(line - 1)], what, nth);
    REQUIRE(column > 0);
    probes.push_back({file, line, column, group, link, what});
  };
  probe(1, "a comment", "meritComment", "Comment");
  probe(2, "decision", "meritDeclaration", "Statement");
  probe(2, "acting_capacity", "meritFunctionName", "Function");
  probe(2, "\xC2\xA7", "meritCitation", "Title");
  probe(2, "2", "meritCitation", "Title");
  probe(2, "as", "meritKeyword", "Keyword");
  probe(2, "start", "", "");
  probe(3, " ", "meritQuote", "String");
  probe(3, "Six", "meritQuote", "String");
  probe(4, "input", "meritDeclaration", "Statement");
  probe(4, "date", "meritType", "Type");
  probe(4, "2026", "meritDate", "Number");
  probe(4, "01", "meritDate", "Number", 2);
  probe(5, "21", "meritDuration", "Number");
  probe(5, "days", "meritDuration", "Number");
  probe(5, "working", "meritDuration", "Number");
  probe(6, "say", "meritString", "String");
  probe(6, "\\", "meritEscape", "SpecialChar");
  probe(6, "text", "meritBuiltin", "Function");
  probe(7, "decisions_made", "", "");
  probe(7, "_made", "", "");
  probe(7, "count", "meritRepeat", "Repeat");
  probe(7, "first", "", "");
  probe(7, "and", "meritOperatorWord", "Operator");
  probe(7, "true", "meritBoolean", "Boolean");
  probe(8, "M.R.S.", "meritCitation", "Title");
  probe(8, "1051", "meritCitation", "Title");
  probe(8, "effective", "meritKeyword", "Keyword");
  probe(8, "through", "meritKeyword", "Keyword");
  probe(8, "none", "meritNone", "Constant");

  // In every shipped rule file, every quote line is a quote and every citation in code a citation, to its
  // end.
  std::size_t shipped_quotes = 0;
  std::size_t shipped_citations = 0;
  for (const auto& shipped : shipped_rule_files()) {
    const auto text = split_lines(read_text(shipped));
    for (std::size_t n = 0; n < text.size(); ++n) {
      const int line = static_cast<int>(n) + 1;
      if (is_quote_line(text[n])) {
        ++shipped_quotes;
        probes.push_back(
            {shipped, line, static_cast<int>(text[n].find('>')) + 1, "meritQuote", "String", text[n]});
        probes.push_back({shipped, line, static_cast<int>(text[n].size()), "meritQuote", "String", text[n]});
        continue;
      }
      for (const auto& [from, to] : citations_in(text[n])) {
        ++shipped_citations;
        const std::string cited = text[n].substr(from, to - from);
        probes.push_back({shipped, line, static_cast<int>(from) + 1, "meritCitation", "Title", cited});
        probes.push_back({shipped, line, static_cast<int>(to), "meritCitation", "Title", cited});
      }
    }
  }
  CHECK(shipped_quotes > 300);
  CHECK(shipped_citations > 400);

  const VimRun run = run_vim(probes);
  std::vector<std::string> failures;
  std::size_t r = 0;
  fs::path current;
  const auto expect = [&](const std::string& expected, const std::string& where) {
    const std::string actual = r < run.lines.size() ? run.lines[r] : "(nothing)";
    if (actual != expected) failures.push_back(where + ": " + actual + ", expected " + expected);
    ++r;
  };
  for (const auto& p : probes) {
    const std::string name = p.file.parent_path() == scratch.dir ? p.file.filename().string()
                                                                 : fs::relative(p.file, kSource).string();
    if (p.file != current) {
      current = p.file;
      expect("filetype merit", name);
    }
    expect(p.group + " " + p.link,
           name + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + " '" + p.what + "'");
  }
  CHECK_MESSAGE(r == run.lines.size(), run.messages);
  std::string report;
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) report += "\n  " + failures[i];
  CHECK_MESSAGE(failures.empty(), failures.size() << " of " << r << " places differ:" << report);
}

}  // namespace merit::highlight
