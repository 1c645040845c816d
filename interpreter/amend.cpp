#include "interpreter/amend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

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
        if (const auto* d = std::get_if<ast::Decision>(&module.declarations[i]); d && d->amends) {
          errors_.push_back(error_at(d->span,
                                     "'amend decision' belongs in an amendment file, given with --amend; "
                                     "in the rules themselves, edit the decision"));
        }
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
        if (auto* d = std::get_if<ast::Decision>(&module.declarations[i]); d && d->amends) {
          amend_decision(*d);
          taken[i] = true;  // what it adds is now in the rules' decision; nothing of it stays as its own
          continue;
        }
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

  /// The rules' declarations of the amendment's kind and name; when there are none, an error at the
  /// amendment that names the closest one.
  template <typename T>
  std::vector<T*> in_rules(const T& amendment, const char* kind, const char* verb = "replace") {
    std::vector<T*> found;
    std::vector<std::string> names;
    for (auto& module : program_.modules) {
      if (module.amendment) continue;
      for (auto& d : module.declarations) {
        auto* x = std::get_if<T>(&d);
        if (!x) continue;
        names.push_back(x->name);
        if (x->name == amendment.name) found.push_back(x);
      }
    }
    if (found.empty()) {
      errors_.push_back(
          error_at(amendment.span, fmt::format("the rules have no {} {} to {}{}", kind, amendment.name, verb,
                                               checking::suggestion(amendment.name, names))));
    }
    return found;
  }

  void note(const SourceSpan& at, std::string what, const SourceSpan& replaced,
            std::optional<Date> from = std::nullopt) {
    // What it replaces came from an amendment given before: two amendments of one declaration.
    const bool again =
        std::any_of(program_.modules.begin(), program_.modules.end(),
                    [&](const ast::Module& m) { return m.amendment && m.file == replaced.file; });
    if (again) {
      program_.warnings.push_back(warning_at(
          at, fmt::format("an amendment given before already replaced this (at {}): this one, given "
                          "later, is the one in force",
                          checking::where(program_, replaced))));
    }
    program_.amended.push_back({at, std::move(what), replaced, from});
  }

  /// True when the replacement took the place of the rules' declaration (and leaves the amendment).
  bool replace_parameter(ast::Parameter& p) {
    const auto found = in_rules(p, "parameter");
    if (found.empty()) return false;
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
    const auto found = in_rules(f, "function");
    if (found.empty()) return false;
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
    const auto found = in_rules(r, "record");
    if (found.empty()) return false;
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
    const auto found = in_rules(e, "enum");
    if (found.empty()) return false;
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

  static std::string rule_text(const ast::Rule& r) {
    return fmt::format("{}{} § {} of {}", r.is_exception ? "exception" : "rule",
                       r.label ? " " + *r.label : "", r.cite.text, r.target);
  }

  /// `amend decision D { ... }`: its outputs, lets, rules and requirements join D. A definition written
  /// `replace` takes the place of D's of that name, with all its rules; a rule written `replace` takes the
  /// place of the one rule of D with its target, kind, label and section.
  void amend_decision(ast::Decision& a) {
    const auto found = in_rules(a, "decision", "amend");
    if (found.empty()) return;
    ast::Decision& base = *found.front();
    if (!a.inputs.empty()) {
      errors_.push_back(
          error_at(a.inputs.front().span, fmt::format("an amendment may not give decision {} new "
                                                      "inputs: the cases that answer it would change",
                                                      a.name)));
      return;
    }
    const auto definition_of = [&](const std::string& name) {
      return std::find_if(base.definitions.begin(), base.definitions.end(),
                          [&](const ast::Definition& d) { return d.name == name; });
    };
    std::vector<std::string> did;
    std::set<std::string> replaced_targets;
    for (auto& def : a.definitions) {
      const bool replacing = std::find(a.replacing_definitions.begin(), a.replacing_definitions.end(),
                                       def.name) != a.replacing_definitions.end();
      const auto existing = definition_of(def.name);
      if (!replacing) {
        if (existing != base.definitions.end()) {
          errors_.push_back(
              error_at(def.span, fmt::format("decision {} already has {} (at {}): write "
                                             "'replace' before it to replace it",
                                             a.name, def.name, checking::where(program_, existing->span))));
          return;
        }
        did.push_back(fmt::format("adds {} {}", def.is_output ? "output" : "let", def.name));
        base.definitions.push_back(std::move(def));
        continue;
      }
      if (existing == base.definitions.end()) {
        std::vector<std::string> names;
        for (const auto& d : base.definitions) names.push_back(d.name);
        errors_.push_back(
            error_at(def.span, fmt::format("decision {} has no output or let {} to replace{}", a.name,
                                           def.name, checking::suggestion(def.name, names))));
        return;
      }
      const std::string was = existing->type ? type_text(*existing->type) : "";
      const std::string now = def.type ? type_text(*def.type) : was;
      if (existing->is_output != def.is_output || (existing->type && was != now)) {
        errors_.push_back(error_at(
            def.span, fmt::format("the rules declare {} {}{} (at {}); an amendment replaces "
                                  "how it is worked out, not what it is",
                                  existing->is_output ? "output" : "let", def.name,
                                  was.empty() ? "" : ": " + was, checking::where(program_, existing->span))));
        return;
      }
      replaced_targets.insert(def.name);
      did.push_back(fmt::format("replaces {} {}", def.is_output ? "output" : "let", def.name));
    }
    // The rules of a replaced definition go; the amendment's own rules for it come in below.
    std::vector<ast::Rule> kept;
    for (auto& r : base.rules) {
      if (replaced_targets.count(r.target) == 0) kept.push_back(std::move(r));
    }
    base.rules = std::move(kept);
    for (std::size_t i = 0; i < a.rules.size(); ++i) {
      ast::Rule& rule = a.rules[i];
      const bool replacing = std::find(a.replacing_rules.begin(), a.replacing_rules.end(),
                                       static_cast<std::int32_t>(i)) != a.replacing_rules.end();
      if (!replacing) {
        if (replaced_targets.count(rule.target) == 0) did.push_back("adds " + rule_text(rule));
        base.rules.push_back(std::move(rule));
        continue;
      }
      std::vector<std::size_t> same;
      for (std::size_t r = 0; r < base.rules.size(); ++r) {
        const ast::Rule& b = base.rules[r];
        if (b.target == rule.target && b.is_exception == rule.is_exception && b.label == rule.label &&
            b.cite.text == rule.cite.text)
          same.push_back(r);
      }
      if (same.size() != 1) {
        errors_.push_back(error_at(
            rule.span,
            same.empty()
                ? fmt::format("decision {} has no {} to replace", a.name, rule_text(rule))
                : fmt::format("decision {} has {} rules that are {}: give the one to replace a label "
                              "in the rules (`rule label § ...`)",
                              a.name, same.size(), rule_text(rule))));
        return;
      }
      did.push_back(fmt::format("replaces {} (at {})", rule_text(rule),
                                checking::where(program_, base.rules[same.front()].span)));
      base.rules[same.front()] = std::move(rule);
    }
    for (auto& req : a.requirements) {
      did.push_back(fmt::format("adds a requirement § {}", req.cite.text));
      base.requirements.push_back(std::move(req));
    }
    std::string what;
    for (const auto& d : did) what += (what.empty() ? "" : "; ") + d;
    note(a.span, fmt::format("amends decision {}: {}", a.name, what.empty() ? "nothing" : what), base.span);
  }

  Program& program_;
  Diagnostics errors_;
};

}  // namespace

Diagnostics apply_amendments(Program& program) {
  return Amender(program).run();
}

}  // namespace merit
