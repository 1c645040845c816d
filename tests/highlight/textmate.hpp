#pragma once
// A small TextMate tokenizer, so that the VS Code grammar (editors/vscode/syntaxes/merit.tmLanguage.json) is
// tested as an editor runs it: its regexes are compiled with Oniguruma, TextMate's own regex engine (whose
// syntax std::regex does not share), and lines are tokenized with the rule stack carried from line to line.
// It does only the grammar features editors/ uses: match, begin/end, captures, beginCaptures, endCaptures,
// name, contentName, and include of `#repository` items and `$self`. Loading reports any other key in
// `Grammar::errors`, so a grammar that grows a feature this tokenizer would silently skip fails instead of
// passing untested.
#include <oniguruma.h>

#include <cstddef>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace merit::highlight {

struct Match {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<std::pair<int, int>> groups;  // byte offsets; -1 for a group that took no part
};

class Regex {
 public:
  explicit Regex(const std::string& pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// The first match at or after `from` in `line`; the whole line is given so that `^` and lookbehinds see
  /// what precedes `from`, as in an editor.
  bool search(const std::string& line, std::size_t from, Match& match) const;

 private:
  OnigRegex regex_ = nullptr;
};

using Captures = std::map<int, std::string>;

struct Rule {
  std::string name;
  std::string content_name;
  std::string include;
  std::unique_ptr<Regex> match;
  std::unique_ptr<Regex> begin;
  std::unique_ptr<Regex> end;
  Captures captures;
  Captures begin_captures;
  Captures end_captures;
  std::vector<Rule> patterns;
};

class Grammar {
 public:
  /// Loads a grammar; `errors` gets every regex that does not compile and every key not understood.
  explicit Grammar(const nlohmann::json& grammar);

  const std::string& scope_name() const { return scope_name_; }
  const Rule& root() const { return root_; }

  /// The patterns tried inside `rule`, with includes followed.
  const std::vector<const Rule*>& candidates(const Rule& rule) const;

  std::vector<std::string> errors;

 private:
  std::vector<Rule> load_patterns(const nlohmann::json& list, const std::string& where);
  Captures load_captures(const nlohmann::json& object, const std::string& where);
  std::unique_ptr<Regex> compile(const nlohmann::json& pattern, const std::string& where);
  Rule load_rule(const nlohmann::json& object, const std::string& where);
  const Rule* resolve(const std::string& include) const;
  void check_includes(const Rule& rule, const std::string& where);
  void collect(const Rule& owner, std::vector<const Rule*>& out, std::set<const Rule*>& seen) const;

  std::string scope_name_;
  Rule root_;
  std::map<std::string, Rule> repository_;
  mutable std::map<const Rule*, std::vector<const Rule*>> candidates_;
};

/// One level of the rule stack carried from line to line, as an editor carries it.
struct Frame {
  const Rule* rule;
  std::vector<std::string> outer;  // the scopes of its begin and end: with its name
  std::vector<std::string> inner;  // the scopes between them: with its contentName too
  std::size_t entered_at;
};
using Stack = std::vector<Frame>;

/// The stack at the start of a file: the grammar's own scope alone.
Stack initial_stack(const Grammar& grammar);

struct LineScopes {
  std::string text;                             // the line, with the "\n" editors give the tokenizer
  std::vector<std::vector<std::string>> bytes;  // the scopes of each byte, outermost first
  int stuck = 0;                                // matches that neither consumed text nor moved the stack
  bool ended = true;                            // false when the step limit stopped the line
};

/// Tokenizes one line (without its "\n") from `stack`, leaving in `stack` what the next line starts with.
LineScopes tokenize_line(const Grammar& grammar, const std::string& line, Stack& stack);

/// The tokens of a line tokenized alone: each run of bytes with the same scopes, as its text and its
/// scopes below the grammar's own, joined by spaces ("" for none).
std::vector<std::pair<std::string, std::string>> tokens(const Grammar& grammar, const std::string& line);

}  // namespace merit::highlight
