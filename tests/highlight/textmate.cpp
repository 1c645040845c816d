// The TextMate tokenizer of textmate.hpp: grammar loading and line tokenizing, on Oniguruma.
#include "textmate.hpp"

#include <exception>
#include <sstream>
#include <stdexcept>

namespace merit::highlight {

namespace {

struct OnigLibrary {
  OnigLibrary() {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  }
  ~OnigLibrary() { onig_end(); }
};

void add_scopes(std::vector<std::string>& scopes, const std::string& names) {
  std::istringstream in(names);
  for (std::string s; in >> s;) scopes.push_back(s);
}

void paint(LineScopes& out, std::size_t from, std::size_t to, const std::vector<std::string>& scopes) {
  for (std::size_t i = from; i < to; ++i) out.bytes[i] = scopes;
}

void paint_match(LineScopes& out, const Match& m, std::vector<std::string> scopes, const std::string& name,
                 const Captures& captures) {
  add_scopes(scopes, name);
  paint(out, m.begin, m.end, scopes);
  for (const auto& [index, capture] : captures) {
    if (index >= static_cast<int>(m.groups.size())) continue;
    const auto [b, e] = m.groups[static_cast<std::size_t>(index)];
    if (b < 0) continue;
    for (auto i = static_cast<std::size_t>(b); i < static_cast<std::size_t>(e); ++i) {
      add_scopes(out.bytes[i], capture);
    }
  }
}

}  // namespace

Regex::Regex(const std::string& pattern) {
  static OnigLibrary library;
  OnigErrorInfo info{};
  const auto* p = reinterpret_cast<const OnigUChar*>(pattern.data());
  const int r = onig_new(&regex_, p, p + pattern.size(), ONIG_OPTION_CAPTURE_GROUP, ONIG_ENCODING_UTF8,
                         ONIG_SYNTAX_DEFAULT, &info);
  if (r != ONIG_NORMAL) {
    OnigUChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, r, &info);
    regex_ = nullptr;
    throw std::runtime_error("regex /" + pattern + "/: " + reinterpret_cast<char*>(message));
  }
}

Regex::~Regex() {
  if (regex_) onig_free(regex_);
}

bool Regex::search(const std::string& line, std::size_t from, Match& match) const {
  std::unique_ptr<OnigRegion, void (*)(OnigRegion*)> region(onig_region_new(),
                                                            [](OnigRegion* r) { onig_region_free(r, 1); });
  const auto* s = reinterpret_cast<const OnigUChar*>(line.data());
  const auto* end = s + line.size();
  const int r = onig_search(regex_, s, end, s + from, end, region.get(), ONIG_OPTION_NONE);
  if (r < 0) return false;
  match.begin = static_cast<std::size_t>(region->beg[0]);
  match.end = static_cast<std::size_t>(region->end[0]);
  match.groups.clear();
  for (int i = 0; i < region->num_regs; ++i) match.groups.emplace_back(region->beg[i], region->end[i]);
  return true;
}

Grammar::Grammar(const nlohmann::json& grammar) {
  scope_name_ = grammar.at("scopeName").get<std::string>();
  for (const auto& [key, value] : grammar.items()) {
    if (key == "patterns") {
      root_.patterns = load_patterns(value, "patterns");
    } else if (key == "repository") {
      for (const auto& [name, item] : value.items()) repository_.emplace(name, load_rule(item, "#" + name));
    } else if (key != "name" && key != "scopeName" && key != "fileTypes" && key != "comment") {
      errors.push_back("top level: unknown key '" + key + "'");
    }
  }
  check_includes(root_, "patterns");
  for (const auto& [name, rule] : repository_) check_includes(rule, "#" + name);
}

const std::vector<const Rule*>& Grammar::candidates(const Rule& rule) const {
  auto [it, fresh] = candidates_.try_emplace(&rule);
  if (fresh) {
    std::set<const Rule*> seen;
    collect(rule, it->second, seen);
  }
  return it->second;
}

std::vector<Rule> Grammar::load_patterns(const nlohmann::json& list, const std::string& where) {
  std::vector<Rule> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(load_rule(list[i], where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

Captures Grammar::load_captures(const nlohmann::json& object, const std::string& where) {
  Captures out;
  for (const auto& [index, capture] : object.items()) {
    for (const auto& [key, value] : capture.items()) {
      if (key == "name") {
        out[std::stoi(index)] = value.get<std::string>();
      } else {
        errors.push_back(where + " capture " + index + ": unknown key '" + key + "'");
      }
    }
  }
  return out;
}

std::unique_ptr<Regex> Grammar::compile(const nlohmann::json& pattern, const std::string& where) {
  try {
    return std::make_unique<Regex>(pattern.get<std::string>());
  } catch (const std::exception& e) {
    errors.push_back(where + ": " + e.what());
    return nullptr;
  }
}

Rule Grammar::load_rule(const nlohmann::json& object, const std::string& where) {
  Rule rule;
  for (const auto& [key, value] : object.items()) {
    if (key == "name") {
      rule.name = value.get<std::string>();
    } else if (key == "contentName") {
      rule.content_name = value.get<std::string>();
    } else if (key == "include") {
      rule.include = value.get<std::string>();
    } else if (key == "match") {
      rule.match = compile(value, where + ".match");
    } else if (key == "begin") {
      rule.begin = compile(value, where + ".begin");
    } else if (key == "end") {
      rule.end = compile(value, where + ".end");
    } else if (key == "captures") {
      rule.captures = load_captures(value, where);
    } else if (key == "beginCaptures") {
      rule.begin_captures = load_captures(value, where);
    } else if (key == "endCaptures") {
      rule.end_captures = load_captures(value, where);
    } else if (key == "patterns") {
      rule.patterns = load_patterns(value, where + ".patterns");
    } else if (key != "comment") {
      errors.push_back(where + ": unknown key '" + key + "'");
    }
  }
  if (object.contains("begin") != object.contains("end")) errors.push_back(where + ": begin without end");
  return rule;
}

const Rule* Grammar::resolve(const std::string& include) const {
  if (include == "$self" || include == "$base") return &root_;
  if (include.size() > 1 && include[0] == '#') {
    const auto it = repository_.find(include.substr(1));
    if (it != repository_.end()) return &it->second;
  }
  return nullptr;
}

void Grammar::check_includes(const Rule& rule, const std::string& where) {
  if (!rule.include.empty() && !resolve(rule.include)) {
    errors.push_back(where + ": include '" + rule.include + "' names nothing");
  }
  for (const auto& p : rule.patterns) check_includes(p, where);
}

void Grammar::collect(const Rule& owner, std::vector<const Rule*>& out, std::set<const Rule*>& seen) const {
  for (const auto& p : owner.patterns) {
    const Rule* target = p.include.empty() ? &p : resolve(p.include);
    if (!target || !seen.insert(target).second) continue;
    if (target->match || target->begin) {
      out.push_back(target);
    } else {
      collect(*target, out, seen);
    }
  }
}

Stack initial_stack(const Grammar& grammar) {
  return {Frame{&grammar.root(), {grammar.scope_name()}, {grammar.scope_name()}, 0}};
}

LineScopes tokenize_line(const Grammar& grammar, const std::string& line, Stack& stack) {
  LineScopes out;
  out.text = line + "\n";
  out.bytes.resize(out.text.size());
  std::size_t pos = 0;
  const std::size_t limit = 4 * out.text.size() + 16;
  for (std::size_t step = 0; pos < out.text.size(); ++step) {
    if (step == limit) {
      out.ended = false;
      break;
    }
    const Frame& top = stack.back();
    // The end pattern is tried first, so it wins a tie with a pattern inside (TextMate's default).
    Match best;
    const Rule* winner = nullptr;
    bool at_end = false;
    if (top.rule->end && top.rule->end->search(out.text, pos, best)) at_end = true;
    for (const Rule* candidate : grammar.candidates(*top.rule)) {
      const Regex* re = candidate->match ? candidate->match.get() : candidate->begin.get();
      Match m;
      if (re && re->search(out.text, pos, m) && (!(at_end || winner) || m.begin < best.begin)) {
        best = m;
        winner = candidate;
        at_end = false;
      }
    }
    if (!at_end && !winner) {
      paint(out, pos, out.text.size(), top.inner);
      break;
    }
    paint(out, pos, best.begin, top.inner);
    if (at_end) {
      const auto& captures = top.rule->end_captures.empty() ? top.rule->captures : top.rule->end_captures;
      paint_match(out, best, top.outer, "", captures);
      stack.pop_back();
    } else if (winner->match) {
      paint_match(out, best, top.inner, winner->name, winner->captures);
      if (best.end == pos) {
        // An empty match that changes nothing would repeat forever: step over one byte, as editors do.
        ++out.stuck;
        paint(out, pos, pos + 1, top.inner);
        best.end = pos + 1;
      }
    } else {
      if (best.end == pos && top.rule == winner && top.entered_at == pos) {
        ++out.stuck;  // the same rule begun again where it began, without consuming
        paint(out, pos, pos + 1, top.inner);
        pos += 1;
        continue;
      }
      std::vector<std::string> outer = top.inner;
      add_scopes(outer, winner->name);
      const auto& captures = winner->begin_captures.empty() ? winner->captures : winner->begin_captures;
      paint_match(out, best, top.inner, winner->name, captures);
      std::vector<std::string> inner = outer;
      add_scopes(inner, winner->content_name);
      stack.push_back(Frame{winner, outer, inner, best.end});
    }
    pos = best.end;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> tokens(const Grammar& grammar, const std::string& line) {
  Stack stack = initial_stack(grammar);
  const LineScopes scopes = tokenize_line(grammar, line, stack);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    std::string names;
    for (std::size_t k = 1; k < scopes.bytes[i].size(); ++k) names += (k > 1 ? " " : "") + scopes.bytes[i][k];
    if (i > 0 && scopes.bytes[i] == scopes.bytes[i - 1]) {
      out.back().first += line[i];
    } else {
      out.emplace_back(std::string(1, line[i]), names);
    }
  }
  return out;
}

}  // namespace merit::highlight
