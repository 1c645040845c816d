// The language server's knowledge of the rules (lsp.hpp): every declaration, and every name written in an
// expression with the declaration the checker resolved it to. Built from the checked program, so hover and
// go to definition say what `merit check` and the interpreter understand, not a guess from the text.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "cli/lsp.hpp"
#include "interpreter/ast_walk.hpp"
#include "stdlib/builtins.hpp"

namespace merit::cli::lsp {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

bool contains(const SourceSpan& span, std::uint32_t file, std::uint32_t offset) {
  return span.line > 0 && span.file == file && span.begin <= offset && offset <= span.end;
}

}  // namespace

std::string law_before_line(std::string_view text, std::uint32_t line) {
  const auto lines = lines_of(text);
  if (line == 0 || line > lines.size()) return {};
  std::size_t i = line - 1;
  // Comments and blank lines may stand between a quote and what encodes it.
  while (i > 0) {
    const std::string_view l = trimmed(lines[i - 1]);
    if (!l.empty() && l.front() != '#') break;
    --i;
  }
  std::size_t first = i;
  while (first > 0 && trimmed(lines[first - 1]).starts_with(">")) --first;
  std::string quote;
  for (std::size_t k = first; k < i; ++k) quote += std::string(trimmed(lines[k])) + "\n";
  return quote;
}

Index::Index(const Program& program) : program_(program) {
  add_declarations();
  add_uses();
}

std::int32_t Index::add(Symbol s) {
  const auto index = static_cast<std::int32_t>(symbols_.size());
  if (s.parent >= 0) symbols_[static_cast<std::size_t>(s.parent)].children.push_back(index);
  symbols_.push_back(std::move(s));
  return index;
}

void Index::add_declarations() {
  const auto section = [](const std::optional<ast::Citation>& c) { return c ? c->text : std::string(); };
  for (const auto& module : program_.modules) {
    for (const auto& declaration : module.declarations) {
      std::visit(
          [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, ast::Parameter>) {
              by_declaration_[&d] =
                  add({d.name, SymbolKind::parameter, d.span, program_.type_name(d.resolved), d.cite.text});
            } else if constexpr (std::is_same_v<T, ast::Enumeration>) {
              const auto e = add({d.name, SymbolKind::enumeration, d.span, "enum", section(d.cite)});
              by_declaration_[&d] = e;
              for (const auto& m : d.members)
                add({m.name, SymbolKind::member, m.span, d.name, section(d.cite), e});
            } else if constexpr (std::is_same_v<T, ast::Record>) {
              const auto r = add({d.name, SymbolKind::record, d.span, "record", section(d.cite)});
              by_declaration_[&d] = r;
              for (const auto& f : d.fields)
                add({f.name, SymbolKind::field, f.span, program_.type_name(f.resolved), section(d.cite), r});
            } else if constexpr (std::is_same_v<T, ast::Function>) {
              std::string signature = d.name + "(";
              for (std::size_t i = 0; i < d.params.size(); ++i) {
                signature += fmt::format("{}{}: {}", i ? ", " : "", d.params[i].name,
                                         program_.type_name(d.params[i].resolved));
              }
              signature += "): " + program_.type_name(d.resolved);
              const auto f = add({d.name, SymbolKind::function, d.span, signature, section(d.cite)});
              by_declaration_[&d] = f;
              for (const auto& p : d.params) {
                add({p.name, SymbolKind::function_parameter, p.span, program_.type_name(p.resolved),
                     section(d.cite), f});
              }
            } else if constexpr (std::is_same_v<T, ast::Decision>) {
              const auto id = add({d.name, SymbolKind::decision, d.span, "decision", d.cite.text});
              by_declaration_[&d] = id;
              for (const auto& in : d.inputs)
                add({in.name, SymbolKind::input, in.span, program_.type_name(in.resolved), d.cite.text, id});
              for (std::size_t i = 0; i < d.definitions.size(); ++i) {
                const auto& def = d.definitions[i];
                std::string sections;
                for (const auto& rule : d.rules) {
                  if (rule.definition != static_cast<std::int32_t>(i) || rule.cite.text.empty()) continue;
                  if (sections.find(rule.cite.text) == std::string::npos)
                    sections += (sections.empty() ? "" : ", ") + rule.cite.text;
                }
                add({def.name, def.is_output ? SymbolKind::output : SymbolKind::let, def.span,
                     program_.type_name(def.resolved), sections, id});
              }
            } else if constexpr (std::is_same_v<T, ast::Calendar>) {
              const auto c = add({d.name, SymbolKind::calendar, d.span, "calendar", section(d.cite)});
              by_declaration_[&d] = c;
              for (const auto& h : d.holidays)
                add({h.name, SymbolKind::holiday, h.span, "holiday", section(h.cite ? h.cite : d.cite), c});
            }
          },
          declaration);
    }
  }
  // The checker's indexes (Program::parameters, ...) point at the declarations in force; names resolve to
  // those.
  const auto indexes = [&](const auto& list, std::vector<std::int32_t>& out) {
    for (const auto* d : list) {
      const auto it = by_declaration_.find(d);
      out.push_back(it == by_declaration_.end() ? -1 : it->second);
    }
  };
  indexes(program_.parameters, parameters_);
  indexes(program_.enums, enums_);
  indexes(program_.records, records_);
  indexes(program_.functions, functions_);
  indexes(program_.decisions, decisions_);
  indexes(program_.calendars, calendars_);
}

void Index::add_uses() {
  const auto at = [](const std::vector<std::int32_t>& list, std::int32_t i) {
    return i >= 0 && static_cast<std::size_t>(i) < list.size() ? list[static_cast<std::size_t>(i)] : -1;
  };
  // The symbol of child `i` of symbol `parent` of kind `kind` (a decision's inputs, then its definitions).
  const auto child = [&](std::int32_t parent, std::int32_t i, bool definition) -> std::int32_t {
    if (parent < 0) return -1;
    std::int32_t seen = 0;
    for (const auto c : symbols_[static_cast<std::size_t>(parent)].children) {
      const auto kind = symbols_[static_cast<std::size_t>(c)].kind;
      const bool is_definition = kind == SymbolKind::output || kind == SymbolKind::let;
      if (is_definition != definition) continue;
      if (seen++ == i) return c;
    }
    return -1;
  };
  std::int32_t decision = -1;  // the symbol of the decision whose expressions are walked
  std::int32_t function = -1;  // or of the function
  const ast::Function* function_decl = nullptr;

  const auto symbol_of = [&](const ast::Ref& ref) -> std::int32_t {
    switch (ref.kind) {
      case ast::RefKind::parameter:
        return at(parameters_, ref.index);
      case ast::RefKind::function:
        return at(functions_, ref.index);
      case ast::RefKind::decision:
        return at(decisions_, ref.index);
      case ast::RefKind::calendar:
        return at(calendars_, ref.index);
      case ast::RefKind::input:
        return child(decision, ref.index, false);
      case ast::RefKind::definition:
        return child(decision, ref.index, true);
      case ast::RefKind::enum_value: {
        const auto e = at(enums_, ref.index);
        if (e < 0 || ref.sub < 0) return -1;
        const auto& members = symbols_[static_cast<std::size_t>(e)].children;
        return static_cast<std::size_t>(ref.sub) < members.size() ? members[static_cast<std::size_t>(ref.sub)]
                                                                  : -1;
      }
      case ast::RefKind::local:
        // A function's parameter; a name bound by `for x in` has only its type.
        if (function_decl != nullptr && function >= 0) {
          for (std::size_t p = 0; p < function_decl->params.size(); ++p) {
            if (function_decl->params[p].slot == ref.index)
              return symbols_[static_cast<std::size_t>(function)].children[p];
          }
        }
        return -1;
      default:
        return -1;
    }
  };
  const auto field_symbol = [&](const TypeRef& type, const std::string& field) -> std::int32_t {
    TypeRef t = type;
    while (t && t->kind == TypeKind::optional) t = t->element;
    if (!t || t->kind != TypeKind::record) return -1;
    const auto r = at(records_, t->decl);
    if (r < 0) return -1;
    for (const auto c : symbols_[static_cast<std::size_t>(r)].children) {
      if (symbols_[static_cast<std::size_t>(c)].name == field) return c;
    }
    return -1;
  };
  const auto type_of = [&](const ast::Expr& e) {
    return e.type ? program_.type_name(e.type) : std::string();
  };

  std::function<void(const ast::Expr*)> walk = [&](const ast::Expr* e) {
    if (e == nullptr) return;
    if (const auto* name = std::get_if<ast::Name>(&e->node)) {
      Use use{e->span, symbol_of(name->ref), type_of(*e), {}, e->type};
      if (name->ref.kind == ast::RefKind::builtin && name->ref.index >= 0)
        use.builtin_usage = stdlib::builtins()[static_cast<std::size_t>(name->ref.index)].usage;
      uses_.push_back(std::move(use));
    } else if (const auto* access = std::get_if<ast::FieldAccess>(&e->node)) {
      if (access->object)
        uses_.push_back({access->field_span,
                         field_symbol(access->object->type, access->field),
                         type_of(*e),
                         {},
                         e->type});
    } else if (const auto* call = std::get_if<ast::Call>(&e->node)) {
      Use use{call->callee_span, symbol_of(call->ref), type_of(*e), {}, e->type};
      if (call->ref.kind == ast::RefKind::builtin && call->ref.index >= 0)
        use.builtin_usage = stdlib::builtins()[static_cast<std::size_t>(call->ref.index)].usage;
      uses_.push_back(std::move(use));
    }
    ast::for_each_child(*e, [&](const ast::Expr& c) { walk(&c); });
  };

  for (const auto& module : program_.modules) {
    for (const auto& declaration : module.declarations) {
      decision = function = -1;
      function_decl = nullptr;
      std::visit(
          [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            // The symbol add_declarations made for this declaration.
            const auto own = [&]() -> std::int32_t {
              const auto it = by_declaration_.find(&d);
              return it == by_declaration_.end() ? -1 : it->second;
            };
            if constexpr (std::is_same_v<T, ast::Parameter>) {
              for (const auto& v : d.values) walk(v.value.get());
            } else if constexpr (std::is_same_v<T, ast::Record>) {
              for (const auto& f : d.fields) walk(f.default_value.get());
            } else if constexpr (std::is_same_v<T, ast::Function>) {
              function = own();
              function_decl = &d;
              walk(d.body.get());
              walk(d.explanation.get());
            } else if constexpr (std::is_same_v<T, ast::Decision>) {
              decision = own();
              walk(d.as_of.get());
              for (const auto& in : d.inputs) walk(in.default_value.get());
              for (const auto& rule : d.rules) {
                if (rule.definition >= 0)
                  uses_.push_back({rule.target_span, child(decision, rule.definition, true), {}, {}});
                walk(rule.value.get());
                walk(rule.condition.get());
                walk(rule.explanation.get());
              }
              for (const auto& r : d.requirements) {
                walk(r.each_source.get());
                walk(r.condition.get());
                walk(r.message.get());
              }
            } else if constexpr (std::is_same_v<T, ast::Calendar>) {
              for (const auto& h : d.holidays) walk(h.date.get());
            }
          },
          declaration);
    }
  }
}

bool Index::at(std::uint32_t file, std::uint32_t offset, Use& found) const {
  const Use* best = nullptr;
  for (const auto& use : uses_) {
    if (contains(use.span, file, offset) &&
        (!best || use.span.end - use.span.begin < best->span.end - best->span.begin))
      best = &use;
  }
  if (best) {
    found = *best;
    return true;
  }
  for (std::size_t s = 0; s < symbols_.size(); ++s) {
    if (contains(symbols_[s].span, file, offset)) {
      found = Use{symbols_[s].span, static_cast<std::int32_t>(s), symbols_[s].type, {}};
      return true;
    }
  }
  return false;
}

std::string Index::law_quoted_before(const SourceSpan& span) const {
  if (span.file >= program_.sources.files.size()) return {};
  return law_before_line(program_.sources.files[span.file].text, span.line);
}

std::string Index::hover(const Use& use) const {
  if (use.symbol < 0) {
    if (!use.builtin_usage.empty())
      return fmt::format("```merit\n{}\n```\nA built-in of merit.", use.builtin_usage);
    return use.type.empty() ? std::string() : fmt::format("```merit\n{}\n```", use.type);
  }
  const Symbol& s = symbols_[static_cast<std::size_t>(use.symbol)];
  static constexpr const char* kinds[] = {"parameter", "enum",      "member of", "record", "field",
                                          "function",  "parameter", "decision",  "input",  "output",
                                          "let",       "calendar",  "holiday"};
  std::string head;
  switch (s.kind) {
    case SymbolKind::function:
      head = "function " + s.type;
      break;
    case SymbolKind::member:
      head = fmt::format("{} (a member of {})", s.name, s.type);
      break;
    case SymbolKind::enumeration:
    case SymbolKind::record:
    case SymbolKind::decision:
    case SymbolKind::calendar:
    case SymbolKind::holiday:
      head = fmt::format("{} {}", kinds[static_cast<int>(s.kind)], s.name);
      break;
    default:
      head = fmt::format("{} {}: {}", kinds[static_cast<int>(s.kind)], s.name, s.type);
  }
  if (s.parent >= 0 && s.kind != SymbolKind::member) {
    const Symbol& p = symbols_[static_cast<std::size_t>(s.parent)];
    head += fmt::format("  (of {} {})", kinds[static_cast<int>(p.kind)], p.name);
  }
  std::string out = fmt::format("```merit\n{}\n```", head);
  if (!s.section.empty()) out += fmt::format("\n\n§ {}", s.section);
  // The law quoted beside the declaration, or, for a member, field or let, beside what holds it.
  std::string law = law_quoted_before(s.span);
  if (law.empty() && s.parent >= 0)
    law = law_quoted_before(symbols_[static_cast<std::size_t>(s.parent)].span);
  if (!law.empty()) out += "\n\n" + law;
  return out;
}

std::vector<const Symbol*> Index::after_dot(std::uint32_t file, std::uint32_t offset,
                                            std::string_view name) const {
  std::vector<const Symbol*> out;
  const auto children = [&](std::int32_t parent) {
    for (const auto c : symbols_[static_cast<std::size_t>(parent)].children)
      out.push_back(&symbols_[static_cast<std::size_t>(c)]);
  };
  for (std::size_t s = 0; s < symbols_.size(); ++s) {
    if (symbols_[s].kind == SymbolKind::enumeration && symbols_[s].name == name) {
      children(static_cast<std::int32_t>(s));
      return out;
    }
  }
  Use use;
  if (!at(file, offset, use)) return out;
  TypeRef t = use.type_ref;
  while (t && (t->kind == TypeKind::optional || t->kind == TypeKind::list)) t = t->element;
  if (t && t->kind == TypeKind::record && t->decl >= 0 &&
      static_cast<std::size_t>(t->decl) < records_.size() && records_[static_cast<std::size_t>(t->decl)] >= 0)
    children(records_[static_cast<std::size_t>(t->decl)]);
  return out;
}

std::vector<const Symbol*> Index::names_at(std::uint32_t file, std::uint32_t offset) const {
  // The decision or function the offset is in: the last declared before it in the file.
  std::int32_t owner = -1;
  for (std::size_t s = 0; s < symbols_.size(); ++s) {
    const Symbol& sym = symbols_[s];
    if (sym.parent < 0 && sym.span.file == file && sym.span.begin <= offset &&
        (sym.kind == SymbolKind::decision || sym.kind == SymbolKind::function))
      owner = static_cast<std::int32_t>(s);
  }
  std::vector<const Symbol*> out;
  for (const auto& s : symbols_) {
    if (s.parent < 0 || s.kind == SymbolKind::member || (owner >= 0 && s.parent == owner)) out.push_back(&s);
  }
  return out;
}

}  // namespace merit::cli::lsp
