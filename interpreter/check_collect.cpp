// Collecting declarations: the name tables of enums, records, parameters, functions, decisions and
// calendars, each name declared once; then the types written in them, resolved.
#include "interpreter/checker.hpp"

namespace merit::checking {

void Checker::index_checked_program() {
  for (std::size_t i = 0; i < program_.enums.size(); ++i) {
    const auto& e = *program_.enums[i];
    enum_by_name_[e.name] = static_cast<std::int32_t>(i);
    for (std::size_t m = 0; m < e.members.size(); ++m) {
      enum_members_[e.members[m].name].push_back(
          Ref{RefKind::enum_value, static_cast<std::int32_t>(i), static_cast<std::int32_t>(m)});
    }
  }
}

void Checker::add_weekday() {
  if (!program_.enums.empty()) return;
  ast::Enumeration weekday;
  weekday.name = "Weekday";
  for (auto n : weekday_names) weekday.members.push_back({std::string(n), {}});
  program_.synthetic_enums.push_back(std::move(weekday));
  register_enum(program_.synthetic_enums.back());
}

void Checker::register_enum(const ast::Enumeration& e) {
  const auto index = static_cast<std::int32_t>(program_.enums.size());
  program_.enums.push_back(&e);
  enum_by_name_[e.name] = index;
  std::set<std::string> seen;
  for (std::size_t m = 0; m < e.members.size(); ++m) {
    if (!seen.insert(e.members[m].name).second) {
      error(e.members[m].span, fmt::format("'{}' is listed twice in enum {}", e.members[m].name, e.name));
    }
    enum_members_[e.members[m].name].push_back(Ref{RefKind::enum_value, index, static_cast<std::int32_t>(m)});
  }
}

bool Checker::type_name_taken(const std::string& name, const SourceSpan& span) {
  if (enum_by_name_.count(name) || record_by_name_.count(name) || is_basic_type_name(name)) {
    error(span, fmt::format("a type named {} is already declared", name));
    return true;
  }
  return false;
}

void Checker::collect() {
  if (!program_.records.empty() || !parameters_.empty()) return;
  for (auto& module : program_.modules) {
    for (auto& decl : module.declarations) std::visit([&](auto& d) { collect_one(d); }, decl);
  }
  calls_.resize(functions_.size() + decisions_.size());
  uses_.resize(functions_.size() + decisions_.size() + calendars_.size());
}

void Checker::collect_one(ast::Record& r) {
  if (type_name_taken(r.name, r.span)) return;
  record_by_name_[r.name] = static_cast<std::int32_t>(program_.records.size());
  program_.records.push_back(&r);
  records_.push_back(&r);
}

void Checker::collect_one(ast::Parameter& p) {
  collect_named(p, "parameter", program_.parameter_index, parameters_, program_.parameters);
}

void Checker::collect_one(ast::Function& f) {
  // A function declared again with `effective` dates is another version of it, not a duplicate.
  if (const auto it = function_by_name_.find(f.name); it != function_by_name_.end()) {
    ast::Function& first = *functions_[static_cast<std::size_t>(it->second)];
    if (f.effective || first.effective) {
      if (first.versions.empty()) first.versions.push_back(it->second);
      first.versions.push_back(static_cast<std::int32_t>(functions_.size()));
      functions_.push_back(&f);
      program_.functions.push_back(&f);
      return;
    }
  }
  if (duplicate(function_by_name_, f.name, f.span, "function",
                [&](std::int32_t i) { return functions_[static_cast<std::size_t>(i)]->span; })) {
    return;
  }
  if (stdlib::find_builtin(f.name) >= 0) {
    error(f.span, fmt::format("{} is the name of a built-in function; choose another name", f.name));
    return;
  }
  function_by_name_[f.name] = static_cast<std::int32_t>(functions_.size());
  functions_.push_back(&f);
  program_.functions.push_back(&f);
}

void Checker::collect_one(ast::Decision& d) {
  collect_named(d, "decision", program_.decision_index, decisions_, program_.decisions);
}

void Checker::collect_one(ast::Calendar& c) {
  collect_named(c, "calendar", program_.calendar_index, calendars_, program_.calendars);
}

bool Checker::is_basic_type_name(const std::string& name) {
  static const std::set<std::string> names = {"boolean", "integer",  "decimal", "text",
                                              "date",    "duration", "calendar"};
  return names.count(name) > 0;
}

std::vector<std::string> Checker::type_names() const {
  std::vector<std::string> names = {"boolean", "integer", "decimal", "text", "date", "duration", "calendar"};
  for (const auto& [n, i] : enum_by_name_) names.push_back(n);
  for (const auto& [n, i] : record_by_name_) names.push_back(n);
  return names;
}

TypeRef Checker::resolve_type(const ast::TypeExpr& t) {
  TypeRef base;
  if (t.element) {
    base = t.is_map ? map_of(resolve_type(*t.element)) : list_of(resolve_type(*t.element));
  } else if (t.name == "boolean") {
    base = basic_type(TypeKind::boolean);
  } else if (t.name == "integer") {
    base = basic_type(TypeKind::integer);
  } else if (t.name == "decimal") {
    base = basic_type(TypeKind::decimal);
  } else if (t.name == "text") {
    base = basic_type(TypeKind::text);
  } else if (t.name == "date") {
    base = basic_type(TypeKind::date);
  } else if (t.name == "duration") {
    base = basic_type(TypeKind::duration);
  } else if (t.name == "calendar") {
    base = basic_type(TypeKind::calendar);
  } else if (auto e = enum_by_name_.find(t.name); e != enum_by_name_.end()) {
    base = enum_type(e->second);
  } else if (auto r = record_by_name_.find(t.name); r != record_by_name_.end()) {
    base = record_type(r->second);
  } else {
    error(t.span, fmt::format("unknown type {}{}", t.name, suggestion(t.name, type_names())));
    return basic_type(TypeKind::error);
  }
  return t.optional ? optional_of(base) : base;
}

void Checker::resolve_declared_types() {
  for (auto* r : records_) {
    std::set<std::string> seen;
    for (auto& f : r->fields) {
      if (!seen.insert(f.name).second)
        error(f.span, fmt::format("record {} has two fields named {}", r->name, f.name));
      f.resolved = resolve_type(f.type);
      if (f.default_value) check_constant(*f.default_value, f.resolved, "a field's default");
    }
  }
  for (auto* p : parameters_) p->resolved = resolve_type(p->type);
  for (auto* f : functions_) {
    for (auto& param : f->params) param.resolved = resolve_type(param.type);
    f->resolved = resolve_type(f->result);
  }
  for (auto* f : functions_) {
    if (f->versions.size() > 1 && f == functions_[static_cast<std::size_t>(f->versions.front())])
      check_function_versions(*f);
  }
  for (auto* d : decisions_) resolve_decision_types(*d);
}

}  // namespace merit::checking
