#include "interpreter/amend.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "interpreter/checker.hpp"

namespace merit {
namespace {

std::string type_text(const ast::TypeExpr& t) {
  std::string text = t.element ? (t.is_map ? "map of " : "list of ") + type_text(*t.element) : t.name;
  return t.optional ? text + "?" : text;
}

std::string signature(const ast::Function& f) {
  std::string params;
  for (const auto& p : f.params) params += (params.empty() ? "" : ", ") + p.name + ": " + type_text(p.type);
  return fmt::format("{}({}): {}", f.name, params, type_text(f.result));
}

class Amender {
 public:
  explicit Amender(Program& program) : program_(program) {}

  Diagnostics run() {
    for (auto& module : program_.modules) {
      if (module.amendment) continue;
      for (std::size_t i = 0; i < module.declarations.size(); ++i) {
        if (i < module.replaces.size() && module.replaces[i]) {
          errors_.push_back(
              error_at(span_of(module.declarations[i]),
                       "'replace' belongs in an amendment file, given with --amend; in the rules "
                       "themselves, edit the declaration"));
        }
      }
    }
    for (auto& module : program_.modules) {
      if (!module.amendment) continue;
      std::vector<bool> taken(module.declarations.size(), false);  // moved into the rules
      for (std::size_t i = 0; i < module.declarations.size(); ++i) {
        if (i >= module.replaces.size() || !module.replaces[i]) continue;
        if (auto* p = std::get_if<ast::Parameter>(&module.declarations[i])) taken[i] = replace_parameter(*p);
        if (auto* f = std::get_if<ast::Function>(&module.declarations[i])) taken[i] = replace_function(*f);
        if (auto* r = std::get_if<ast::Record>(&module.declarations[i])) taken[i] = replace_record(*r);
        if (auto* e = std::get_if<ast::Enumeration>(&module.declarations[i])) taken[i] = replace_enum(*e);
      }
      for (std::size_t i = module.declarations.size(); i-- > 0;) {
        if (!taken[i]) continue;
        module.declarations.erase(module.declarations.begin() + static_cast<std::ptrdiff_t>(i));
        module.replaces.erase(module.replaces.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    return std::move(errors_);
  }

 private:
  static SourceSpan span_of(const ast::Declaration& d) {
    return std::visit([](const auto& x) { return x.span; }, d);
  }

  template <typename T>
  std::vector<T*> in_rules(const std::string& name) {
    std::vector<T*> found;
    for (auto& module : program_.modules) {
      if (module.amendment) continue;
      for (auto& d : module.declarations) {
        if (auto* x = std::get_if<T>(&d); x && x->name == name) found.push_back(x);
      }
    }
    return found;
  }

  template <typename T>
  std::string unknown(const char* kind, const std::string& name) {
    std::vector<std::string> names;
    for (auto& module : program_.modules) {
      if (module.amendment) continue;
      for (auto& d : module.declarations) {
        if (const auto* x = std::get_if<T>(&d)) names.push_back(x->name);
      }
    }
    return fmt::format("the rules have no {} {} to replace{}", kind, name, checking::suggestion(name, names));
  }

  void note(const SourceSpan& at, std::string what, const SourceSpan& replaced,
            std::optional<Date> from = std::nullopt) {
    program_.amended.push_back({at, std::move(what), replaced, from});
  }

  /// True when the replacement took the place of the rules' declaration (and leaves the amendment).
  bool replace_parameter(ast::Parameter& p) {
    const auto found = in_rules<ast::Parameter>(p.name);
    if (found.empty()) {
      errors_.push_back(error_at(p.span, unknown<ast::Parameter>("parameter", p.name)));
      return false;
    }
    ast::Parameter& base = *found.front();
    if (type_text(base.type) != type_text(p.type)) {
      errors_.push_back(
          error_at(p.type.span,
                   fmt::format("the rules declare {}: {} (at {}); an amendment replaces its value, not its "
                               "type: write {}",
                               p.name, type_text(base.type), checking::where(program_, base.span),
                               type_text(base.type))));
      return false;
    }
    const bool dated = std::all_of(p.values.begin(), p.values.end(), [](const auto& v) { return v.from; });
    if (dated && !p.values.empty()) {
      // Adopted from a date: the rules' values stay in force before it.
      std::string days;
      for (const auto& v : p.values) days += (days.empty() ? "" : ", ") + stdlib::format_date(*v.from);
      note(p.span, fmt::format("parameter {} takes a new value from {}", p.name, days), base.span,
           p.values.front().from);
      for (auto& v : p.values) base.values.push_back(std::move(v));
      std::stable_sort(base.values.begin(), base.values.end(), [](const auto& a, const auto& b) {
        return a.from.value_or(Date{std::numeric_limits<std::int32_t>::min()}) <
               b.from.value_or(Date{std::numeric_limits<std::int32_t>::min()});
      });
      return true;
    }
    note(p.span, "replaces parameter " + p.name, base.span);
    base = std::move(p);
    return true;
  }

  bool replace_function(ast::Function& f) {
    const auto found = in_rules<ast::Function>(f.name);
    if (found.empty()) {
      errors_.push_back(error_at(f.span, unknown<ast::Function>("function", f.name)));
      return false;
    }
    // The version in force last: the one with no end.
    ast::Function* latest = found.front();
    for (auto* v : found) {
      if (!v->effective || !v->effective->through) latest = v;
    }
    if (signature(*latest) != signature(f)) {
      errors_.push_back(error_at(
          f.span, fmt::format("the rules declare {} (at {}); an amendment replaces what a function answers, "
                              "not its inputs or its type",
                              signature(*latest), checking::where(program_, latest->span))));
      return false;
    }
    const std::string was = checking::where(program_, latest->span);
    if (f.effective) {
      if (!f.effective->from || f.effective->through) {
        errors_.push_back(error_at(f.effective->span,
                                   "an amendment to a function is adopted from a day on, with no end: write "
                                   "`effective from DATE`"));
        return false;
      }
      const Date from = *f.effective->from;
      if (latest->effective && latest->effective->through) {
        errors_.push_back(error_at(
            f.effective->span, fmt::format("every version of {} in the rules ends (the last at {}): there "
                                           "is none for this amendment to follow",
                                           f.name, was)));
        return false;
      }
      // The rules' version stays in force until the day before; the checker sees two versions.
      if (!latest->effective)
        latest->effective = ast::Effective{std::nullopt, std::nullopt, f.effective->span};
      latest->effective->through = Date{from.days - 1};
      note(f.span, fmt::format("replaces function {} from {}", f.name, stdlib::format_date(from)),
           latest->span, from);
      return false;  // the amendment's version stays where it is, as a version of its own
    }
    if (found.size() > 1) {
      errors_.push_back(error_at(f.span, fmt::format("{} has versions in force on different days in the "
                                                     "rules; an amendment follows the last from a day on: "
                                                     "write `effective from DATE`",
                                                     f.name)));
      return false;
    }
    note(f.span, "replaces function " + f.name, latest->span);
    *latest = std::move(f);
    return true;
  }

  /// A record may gain fields; every field the rules give it stays, with its type.
  bool replace_record(ast::Record& r) {
    const auto found = in_rules<ast::Record>(r.name);
    if (found.empty()) {
      errors_.push_back(error_at(r.span, unknown<ast::Record>("record", r.name)));
      return false;
    }
    ast::Record& base = *found.front();
    std::string added;
    for (const auto& field : r.fields) {
      const auto same = std::find_if(base.fields.begin(), base.fields.end(),
                                     [&](const ast::FieldDecl& f) { return f.name == field.name; });
      if (same == base.fields.end()) {
        added += (added.empty() ? "" : ", ") + field.name;
      } else if (type_text(same->type) != type_text(field.type)) {
        errors_.push_back(error_at(
            field.type.span,
            fmt::format("the rules declare {}.{}: {} (at {}); an amendment may add "
                        "fields to a record, not change one's type",
                        r.name, field.name, type_text(same->type), checking::where(program_, same->span))));
        return false;
      }
    }
    for (const auto& field : base.fields) {
      const bool kept = std::any_of(r.fields.begin(), r.fields.end(),
                                    [&](const ast::FieldDecl& f) { return f.name == field.name; });
      if (!kept) {
        errors_.push_back(
            error_at(r.span, fmt::format("{} has a field {} in the rules (at {}); an amendment "
                                         "may add fields to a record, not take any away",
                                         r.name, field.name, checking::where(program_, field.span))));
        return false;
      }
    }
    note(r.span, fmt::format("replaces record {}{}", r.name, added.empty() ? "" : ", adding " + added),
         base.span);
    base = std::move(r);
    return true;
  }

  /// An enumeration may gain members after the rules' own, which keep their order (the order compares).
  bool replace_enum(ast::Enumeration& e) {
    const auto found = in_rules<ast::Enumeration>(e.name);
    if (found.empty()) {
      errors_.push_back(error_at(e.span, unknown<ast::Enumeration>("enum", e.name)));
      return false;
    }
    ast::Enumeration& base = *found.front();
    std::string rules_order;
    for (const auto& m : base.members) rules_order += (rules_order.empty() ? "" : " | ") + m.name;
    bool prefix = e.members.size() >= base.members.size();
    for (std::size_t i = 0; prefix && i < base.members.size(); ++i)
      prefix = e.members[i].name == base.members[i].name;
    if (!prefix) {
      errors_.push_back(
          error_at(e.span, fmt::format("the rules declare {} = {} (at {}); an amendment may add "
                                       "members after these, in this order, not change them",
                                       e.name, rules_order, checking::where(program_, base.span))));
      return false;
    }
    std::string added;
    for (std::size_t i = base.members.size(); i < e.members.size(); ++i)
      added += (added.empty() ? "" : ", ") + e.members[i].name;
    note(e.span, fmt::format("replaces enum {}{}", e.name, added.empty() ? "" : ", adding " + added),
         base.span);
    base = std::move(e);
    return true;
  }

  Program& program_;
  Diagnostics errors_;
};

}  // namespace

Diagnostics apply_amendments(Program& program) {
  return Amender(program).run();
}

}  // namespace merit
