// The checker: one pass that resolves every name to an index, infers every type, and reports every
// problem with its position, so that evaluation never meets an unknown name or a wrong type.
// This file holds the stage's entry points, the Checker's run and the recursion check; the other check_*.cpp
// files the rest of the Checker (checker.hpp).
#include "interpreter/checker.hpp"

namespace merit::checking {

std::string suggestion(std::string_view written, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = written.size() <= 3 ? 1 : 2;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(written, c);
    if (d <= best_distance && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
}

std::string where(const Program& program, const SourceSpan& span) {
  return fmt::format("{}:{}", program.sources.files.at(span.file).path, span.line);
}

Diagnostics Checker::run() {
  add_weekday();
  collect();
  resolve_declared_types();
  for (auto* p : parameters_) check_parameter(*p);
  for (std::size_t i = 0; i < functions_.size(); ++i) check_function(static_cast<std::int32_t>(i));
  for (std::size_t i = 0; i < decisions_.size(); ++i) check_decision(static_cast<std::int32_t>(i));
  for (auto* c : calendars_) check_calendar(*c);
  check_recursion();
  if (errors_.empty()) check_reach();
  return std::move(errors_);
}

Diagnostics Checker::check_global(ast::Expr& expr, const TypeRef& expected) {
  index_checked_program();
  std::int32_t frame = 0;
  Scope scope;
  scope.frame_size = &frame;
  expect(expr, scope, expected, "the value");
  return std::move(errors_);
}

std::string Checker::caller_name(std::int32_t node) const {
  const auto f = static_cast<std::int32_t>(functions_.size());
  return node < f ? functions_[static_cast<std::size_t>(node)]->name
                  : decisions_[static_cast<std::size_t>(node - f)]->name;
}

SourceSpan Checker::caller_span(std::int32_t node) const {
  const auto f = static_cast<std::int32_t>(functions_.size());
  return node < f ? functions_[static_cast<std::size_t>(node)]->span
                  : decisions_[static_cast<std::size_t>(node - f)]->span;
}

void Checker::check_recursion() {
  // Depth first with a stack of its own: a chain of a hundred thousand functions, each calling the next,
  // is no stack overflow here.
  std::vector<Visit> state(calls_.size(), Visit::unvisited);
  std::vector<std::int32_t> path;
  std::vector<std::set<std::int32_t>::const_iterator> next_of;  // for each node on the path
  const auto enter = [&](std::int32_t node) {
    state[static_cast<std::size_t>(node)] = Visit::visiting;
    path.push_back(node);
    next_of.push_back(calls_[static_cast<std::size_t>(node)].begin());
  };
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    if (state[i] != Visit::unvisited) continue;
    enter(static_cast<std::int32_t>(i));
    while (!path.empty()) {
      const std::int32_t node = path.back();
      auto& it = next_of.back();
      if (it == calls_[static_cast<std::size_t>(node)].end()) {
        state[static_cast<std::size_t>(node)] = Visit::done;
        path.pop_back();
        next_of.pop_back();
        continue;
      }
      const std::int32_t next = *it++;
      if (state[static_cast<std::size_t>(next)] == Visit::visiting) {
        std::string cycle;
        for (auto at = std::find(path.begin(), path.end(), next); at != path.end(); ++at)
          cycle += caller_name(*at) + " -> ";
        error(caller_span(next),
              fmt::format("{} calls itself ({}{}); rules may not be recursive, so that every "
                          "evaluation ends",
                          caller_name(next), cycle, caller_name(next)));
      } else if (state[static_cast<std::size_t>(next)] == Visit::unvisited) {
        enter(next);
      }
    }
  }
}

void Checker::check_reach() {
  const auto f = functions_.size();
  const auto d = decisions_.size();
  std::vector<bool> reached(uses_.size(), false);
  std::vector<bool> parameter_reached(parameters_.size(), false);
  std::vector<std::size_t> work;
  for (std::size_t i = f; i < f + d; ++i) work.push_back(i);
  for (auto i : work) reached[i] = true;
  while (!work.empty()) {
    const Uses& uses = uses_[work.back()];
    work.pop_back();
    const auto reach = [&](std::size_t node) {
      if (!reached[node]) {
        reached[node] = true;
        work.push_back(node);
      }
    };
    for (auto callee : uses.callees) reach(static_cast<std::size_t>(callee));
    for (auto c : uses.calendars) reach(f + d + static_cast<std::size_t>(c));
    for (auto p : uses.parameters) parameter_reached[static_cast<std::size_t>(p)] = true;
  }
  const std::string why =
      "no decision uses it, so no one can ask it and no test exercises it; use it in a "
      "decision, or remove it and say in a comment beside the law that the provision is a "
      "judgment with nothing to compute";
  for (std::size_t i = 0; i < f; ++i) {
    const ast::Function& fn = *functions_[i];
    // The versions of a function are reached together, through the first.
    if (reached[i] || function_by_name_.at(fn.name) != static_cast<std::int32_t>(i)) continue;
    program_.warnings.push_back(warning_at(fn.span, fmt::format("function {}: {}", fn.name, why)));
  }
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    if (parameter_reached[i]) continue;
    program_.warnings.push_back(
        warning_at(parameters_[i]->span, fmt::format("parameter {}: {}", parameters_[i]->name, why)));
  }
}

}  // namespace merit::checking

namespace merit {

Diagnostics check_program(Program& program) {
  Diagnostics errors = checking::Checker(program).run();
  // The units of lengths are followed through the checked expressions, so only in rules without errors.
  if (errors.empty()) checking::check_working_days(program, errors);
  return errors;
}

Diagnostics check_global_expression(Program& program, ast::Expr& expr, const TypeRef& expected) {
  return checking::Checker(program).check_global(expr, expected);
}

std::optional<Value> constant_value(const ast::Expr& expr) {
  if (const auto* lit = std::get_if<ast::Literal>(&expr.node)) return lit->value;
  if (const auto* name = std::get_if<ast::Name>(&expr.node)) {
    if (name->ref.kind == ast::RefKind::enum_value) return Value(EnumValue{name->ref.index, name->ref.sub});
    return std::nullopt;
  }
  if (const auto* access = std::get_if<ast::FieldAccess>(&expr.node)) {
    if (access->enum_member.kind == ast::RefKind::enum_value) {
      return Value(EnumValue{access->enum_member.index, access->enum_member.sub});
    }
    return std::nullopt;
  }
  if (const auto* u = std::get_if<ast::Unary>(&expr.node)) {
    if (u->op != ast::UnaryOp::negate) return std::nullopt;
    auto v = constant_value(*u->operand);
    if (!v) return std::nullopt;
    if (auto* i = std::get_if<std::int64_t>(&v->data)) return Value(-*i);
    if (auto* d = std::get_if<double>(&v->data)) return Value(-*d);
    if (auto* dur = std::get_if<Duration>(&v->data)) return Value(Duration::of(-dur->amount, dur->unit));
    return std::nullopt;
  }
  if (std::holds_alternative<ast::EmptyMap>(expr.node)) return make_map({});
  if (const auto* list = std::get_if<ast::ListLiteral>(&expr.node)) {
    std::vector<Value> items;
    for (const auto& item : list->items) {
      auto v = constant_value(*item);
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
    }
    return make_list(std::move(items));
  }
  return std::nullopt;
}

std::string Program::type_name(const TypeRef& type) const {
  if (!type) return "unknown";
  switch (type->kind) {
    case TypeKind::boolean:
      return "boolean";
    case TypeKind::integer:
      return "integer";
    case TypeKind::decimal:
      return "decimal";
    case TypeKind::text:
      return "text";
    case TypeKind::date:
      return "date";
    case TypeKind::duration:
      return "duration";
    case TypeKind::calendar:
      return "calendar";
    case TypeKind::none:
      return "none";
    case TypeKind::error:
      return "unknown";
    case TypeKind::enumeration:
      return type->decl >= 0 && static_cast<std::size_t>(type->decl) < enums.size()
                 ? enums[static_cast<std::size_t>(type->decl)]->name
                 : "enum";
    case TypeKind::record:
      return type->decl >= 0 && static_cast<std::size_t>(type->decl) < records.size()
                 ? records[static_cast<std::size_t>(type->decl)]->name
                 : "record";
    case TypeKind::list:
      return "list of " + type_name(type->element);
    case TypeKind::map:
      return "map of " + type_name(type->element);
    case TypeKind::optional:
      return type_name(type->element) + "?";
  }
  return "unknown";
}

}  // namespace merit
