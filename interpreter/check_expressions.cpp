// Expressions: the entry points (check, expect), literals, names, field access, calls of functions,
// decisions and built-ins, and record literals. Operators and list forms have files of their own.
#include "interpreter/checker.hpp"

namespace merit::checking {

std::int32_t Checker::bind(Scope& scope, const std::string& name, TypeRef type) {
  const std::int32_t slot = (*scope.frame_size)++;
  scope.locals.push_back({name, std::move(type), slot});
  return slot;
}

void Checker::expect(Expr& e, Scope& scope, const TypeRef& expected, std::string_view what) {
  const TypeRef actual = check(e, scope, expected);
  if (expected && !assignable(actual, expected)) {
    error(e.span, fmt::format("{} should be {}, but this is {}", what, program_.type_name(expected),
                              program_.type_name(actual)));
  }
}

TypeRef Checker::check(Expr& e, Scope& scope, const TypeRef& expected) {
  TypeRef type = std::visit([&](auto& node) { return check_node(e, node, scope, expected); }, e.node);
  e.type = type;
  return type;
}

TypeRef Checker::check_node(Expr&, ast::Literal& lit, Scope&, const TypeRef& expected) {
  return std::visit(
      [&](const auto& v) -> TypeRef {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, None>) {
          return expected && expected->kind == TypeKind::optional ? expected : basic_type(TypeKind::none);
        } else if constexpr (std::is_same_v<T, bool>) {
          return basic_type(TypeKind::boolean);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return basic_type(TypeKind::integer);
        } else if constexpr (std::is_same_v<T, double>) {
          return basic_type(TypeKind::decimal);
        } else if constexpr (std::is_same_v<T, Text>) {
          return basic_type(TypeKind::text);
        } else if constexpr (std::is_same_v<T, Date>) {
          return basic_type(TypeKind::date);
        } else if constexpr (std::is_same_v<T, Duration>) {
          return basic_type(TypeKind::duration);
        } else {
          return error_type();
        }
      },
      lit.value.data);
}

TypeRef Checker::unify(const TypeRef& a, const TypeRef& b) {
  if (is_error(a)) return b;
  if (is_error(b)) return a;
  if (assignable(a, b)) return b;
  if (assignable(b, a)) return a;
  if (a->kind == TypeKind::none) return optional_of(b);
  if (b->kind == TypeKind::none) return optional_of(a);
  if (is_numeric(strip_optional(a)) && is_numeric(strip_optional(b))) {
    TypeRef dec = basic_type(TypeKind::decimal);
    return (a->kind == TypeKind::optional || b->kind == TypeKind::optional) ? optional_of(dec) : dec;
  }
  return nullptr;
}

TypeRef Checker::check_node(Expr& e, ast::ListLiteral& list, Scope& scope, const TypeRef& expected) {
  const TypeRef expected_item = expected && expected->kind == TypeKind::list ? expected->element : nullptr;
  TypeRef item = expected_item;
  for (auto& x : list.items) {
    const TypeRef t = check(*x, scope, item);
    if (!item) {
      item = t;
    } else if (TypeRef u = unify(item, t)) {
      item = u;
    } else {
      error(x->span, fmt::format("all items of a list must have one type: this is {}, the others {}",
                                 program_.type_name(t), program_.type_name(item)));
    }
  }
  (void)e;
  return list_of(item ? item : error_type());
}

std::vector<std::string> Checker::visible_names(const Scope& scope) const {
  std::vector<std::string> names;
  for (const auto& l : scope.locals) names.push_back(l.name);
  if (scope.decision) {
    for (const auto& in : scope.decision->inputs) names.push_back(in.name);
    for (const auto& def : scope.decision->definitions) names.push_back(def.name);
  }
  for (const auto* p : program_.parameters) names.push_back(p->name);
  for (const auto* c : program_.calendars) names.push_back(c->name);
  for (const auto& [member, refs] : enum_members_) names.push_back(member);
  return names;
}

std::optional<Ref> Checker::resolve_enum_member(const std::string& name, const SourceSpan& span,
                                                const TypeRef& expected) {
  const auto it = enum_members_.find(name);
  if (it == enum_members_.end()) return std::nullopt;
  const auto& refs = it->second;
  if (refs.size() == 1) return refs.front();
  const TypeRef want = expected ? strip_optional(expected) : nullptr;
  if (want && want->kind == TypeKind::enumeration) {
    for (const auto& r : refs) {
      if (r.index == want->decl) return r;
    }
  }
  std::string owners;
  for (const auto& r : refs) {
    owners += fmt::format("{}{}.{}", owners.empty() ? "" : " or ",
                          program_.enums[static_cast<std::size_t>(r.index)]->name, name);
  }
  error(span, fmt::format("{} is a value of more than one enum here; write {}", name, owners));
  return Ref{RefKind::unresolved, -1, -1};
}

TypeRef Checker::check_node(Expr& e, ast::Name& n, Scope& scope, const TypeRef& expected) {
  for (auto it = scope.locals.rbegin(); it != scope.locals.rend(); ++it) {
    if (it->name == n.name) {
      n.ref = Ref{RefKind::local, it->slot, -1};
      return it->type;
    }
  }
  if (scope.decision) {
    auto& d = *scope.decision;
    if (const std::int32_t i = find_input(d, n.name); i >= 0) {
      n.ref = Ref{RefKind::input, i, -1};
      return d.inputs[static_cast<std::size_t>(i)].resolved;
    }
    const std::int32_t def = find_definition(d, n.name);
    if (def >= 0 && scope.inputs_only) {
      error(
          e.span,
          fmt::format("{} is {} of decision {}, which depends on the date the decision is judged "
                      "as of; 'as of' may use only the inputs",
                      n.name, d.definitions[static_cast<std::size_t>(def)].is_output ? "an output" : "a let",
                      d.name));
      return error_type();
    }
    if (def >= 0) {
      n.ref = Ref{RefKind::definition, def, -1};
      ensure_definition(d, scope.decision_index, def);
      return d.definitions[static_cast<std::size_t>(def)].resolved;
    }
  }
  if (auto p = program_.parameter_index.find(n.name); p != program_.parameter_index.end()) {
    n.ref = Ref{RefKind::parameter, p->second, -1};
    note_use(RefKind::parameter, p->second);
    return program_.parameters[static_cast<std::size_t>(p->second)]->resolved;
  }
  if (auto c = program_.calendar_index.find(n.name); c != program_.calendar_index.end()) {
    if (c->second == checking_calendar_) {
      error(e.span,
            fmt::format("the holidays of calendar {} cannot be worked out with {} itself", n.name, n.name));
    }
    n.ref = Ref{RefKind::calendar, c->second, -1};
    note_use(RefKind::calendar, c->second);
    return basic_type(TypeKind::calendar);
  }
  if (auto member = resolve_enum_member(n.name, e.span, expected)) {
    n.ref = *member;
    return member->kind == RefKind::enum_value ? enum_type(member->index) : error_type();
  }
  if (function_by_name_.count(n.name) || program_.decision_index.count(n.name) ||
      stdlib::find_builtin(n.name) >= 0) {
    error(e.span, fmt::format("{} is a function; call it with its arguments in parentheses", n.name));
  } else if (scope.inputs_only) {
    std::string inputs;
    for (const auto& in : scope.decision->inputs) inputs += (inputs.empty() ? "" : ", ") + in.name;
    error(e.span, fmt::format("decision {} has no input named {}; 'as of' may use only its inputs ({})",
                              scope.decision->name, n.name, inputs));
  } else {
    error(e.span, fmt::format("unknown name {}{}", n.name, suggestion(n.name, visible_names(scope))));
  }
  return error_type();
}

std::vector<std::string> Checker::field_names(const ast::Record& r) const {
  std::vector<std::string> names;
  for (const auto& f : r.fields) names.push_back(f.name);
  return names;
}

TypeRef Checker::check_node(Expr&, ast::FieldAccess& access, Scope& scope, const TypeRef& expected) {
  // `Method.standard`: an enum's name before the dot, where no value of that name is in scope.
  if (auto* name = std::get_if<ast::Name>(&access.object->node)) {
    auto en = enum_by_name_.find(name->name);
    if (en != enum_by_name_.end() && !is_value_name(name->name, scope))
      return check_enum_member(access, en->second);
  }
  const TypeRef object = check(*access.object, scope, nullptr);
  if (is_error(object)) return error_type();
  if (object->kind == TypeKind::optional && object->element->kind == TypeKind::record) {
    error(
        access.field_span,
        fmt::format("this may be none, so it has no field {}; give a value for none with ??", access.field));
    return error_type();
  }
  if (object->kind != TypeKind::record) {
    error(access.field_span,
          fmt::format("{} has no fields; {} is not a record", program_.type_name(object), access.field));
    return error_type();
  }
  const ast::Record& record = *program_.records[static_cast<std::size_t>(object->decl)];
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name == access.field) {
      access.slot = static_cast<std::int32_t>(i);
      return record.fields[i].resolved ? record.fields[i].resolved : error_type();
    }
  }
  (void)expected;
  error(access.field_span, fmt::format("{} has no field {}{}", record.name, access.field,
                                       suggestion(access.field, field_names(record))));
  return error_type();
}

bool Checker::is_value_name(const std::string& name, const Scope& scope) const {
  for (const auto& l : scope.locals) {
    if (l.name == name) return true;
  }
  if (scope.decision) {
    if (find_input(*scope.decision, name) >= 0 || find_definition(*scope.decision, name) >= 0) return true;
  }
  return program_.parameter_index.count(name) > 0;
}

TypeRef Checker::check_enum_member(ast::FieldAccess& access, std::int32_t decl) {
  const auto& e = *program_.enums[static_cast<std::size_t>(decl)];
  std::vector<std::string> members;
  for (std::size_t m = 0; m < e.members.size(); ++m) {
    if (e.members[m].name == access.field) {
      access.enum_member = Ref{RefKind::enum_value, decl, static_cast<std::int32_t>(m)};
      return enum_type(decl);
    }
    members.push_back(e.members[m].name);
  }
  error(access.field_span,
        fmt::format("enum {} has no value {}{}", e.name, access.field, suggestion(access.field, members)));
  return error_type();
}

TypeRef Checker::check_node(Expr& e, ast::Call& call, Scope& scope, const TypeRef&) {
  if (auto f = function_by_name_.find(call.callee); f != function_by_name_.end()) {
    return check_function_call(call, f->second, scope);
  }
  if (auto d = program_.decision_index.find(call.callee); d != program_.decision_index.end()) {
    return check_decision_call(e, call, d->second, scope);
  }
  if (const auto b = stdlib::find_builtin(call.callee); b >= 0) return check_builtin_call(e, call, b, scope);
  std::vector<std::string> names;
  for (const auto& [n, i] : function_by_name_) names.push_back(n);
  for (const auto& [n, i] : program_.decision_index) names.push_back(n);
  for (const auto& b : stdlib::builtins()) names.emplace_back(b.name);
  error(call.callee_span, fmt::format("unknown function {}{}", call.callee, suggestion(call.callee, names)));
  for (auto& a : call.args) check(*a.value, scope, nullptr);
  return error_type();
}

TypeRef Checker::check_function_call(ast::Call& call, std::int32_t index, Scope& scope) {
  const ast::Function& f = *functions_[static_cast<std::size_t>(index)];
  call.ref = Ref{RefKind::function, index, -1};
  note_call(index);
  if (call.args.size() != f.params.size()) {
    error(call.callee_span, fmt::format("{} takes {} argument{}, but this call gives {}", f.name,
                                        f.params.size(), f.params.size() == 1 ? "" : "s", call.args.size()));
  }
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    auto& arg = call.args[i];
    if (!arg.name.empty()) error(arg.name_span, "functions take their arguments by position, without names");
    if (i < f.params.size()) {
      expect(*arg.value, scope, f.params[i].resolved,
             fmt::format("argument {} of {}", f.params[i].name, f.name));
    } else {
      check(*arg.value, scope, nullptr);
    }
  }
  return f.resolved ? f.resolved : error_type();
}

TypeRef Checker::check_decision_call(Expr&, ast::Call& call, std::int32_t index, Scope& scope) {
  const ast::Decision& d = *decisions_[static_cast<std::size_t>(index)];
  call.ref = Ref{RefKind::decision, index, -1};
  note_call(static_cast<std::int32_t>(functions_.size()) + index);
  call.input_order.assign(d.inputs.size(), -1);
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    auto& arg = call.args[i];
    if (arg.name.empty()) {
      error(arg.value->span,
            fmt::format("name each input of decision {}, like {}(input = value)", d.name, d.name));
      check(*arg.value, scope, nullptr);
      continue;
    }
    auto in =
        std::find_if(d.inputs.begin(), d.inputs.end(), [&](const auto& x) { return x.name == arg.name; });
    if (in == d.inputs.end()) {
      std::vector<std::string> names;
      for (const auto& x : d.inputs) names.push_back(x.name);
      error(arg.name_span,
            fmt::format("decision {} has no input {}{}", d.name, arg.name, suggestion(arg.name, names)));
      check(*arg.value, scope, nullptr);
      continue;
    }
    const auto slot = static_cast<std::size_t>(in - d.inputs.begin());
    if (call.input_order[slot] >= 0) error(arg.name_span, fmt::format("input {} is given twice", arg.name));
    call.input_order[slot] = static_cast<std::int32_t>(i);
    expect(*arg.value, scope, in->resolved, fmt::format("input {} of {}", in->name, d.name));
  }
  for (std::size_t i = 0; i < d.inputs.size(); ++i) {
    const auto& in = d.inputs[i];
    const bool optional = in.resolved && in.resolved->kind == TypeKind::optional;
    if (call.input_order[i] < 0 && !in.default_value && !optional) {
      error(call.callee_span, fmt::format("this call of {} does not give input {}", d.name, in.name));
    }
  }
  return record_type(d.outputs_record);
}

TypeRef Checker::check_builtin_call(Expr&, ast::Call& call, std::int32_t index, Scope& scope) {
  const auto& b = stdlib::builtins()[static_cast<std::size_t>(index)];
  call.ref = Ref{RefKind::builtin, index, -1};
  std::vector<TypeRef> types;
  for (auto& a : call.args) {
    if (!a.name.empty())
      error(a.name_span, fmt::format("{} takes its arguments by position, without names", b.name));
    // Weekday members are resolved without a hint: they belong to no other enum.
    types.push_back(check(*a.value, scope, nullptr));
  }
  std::string problem;
  TypeRef result = b.type_rule(types, problem);
  if (!problem.empty()) {
    std::string given;
    for (const auto& t : types) given += (given.empty() ? "" : ", ") + program_.type_name(t);
    error(call.callee_span,
          fmt::format("{} is called as {}, but here it is given ({})", b.name, b.usage, given));
    return error_type();
  }
  return result;
}

TypeRef Checker::check_node(Expr&, ast::EmptyMap&, Scope&, const TypeRef& expected) {
  const TypeRef want = expected ? strip_optional(expected) : nullptr;
  return want && want->kind == TypeKind::map ? want : map_of(error_type());
}

TypeRef Checker::check_node(Expr&, ast::RecordLiteral& r, Scope& scope, const TypeRef&) {
  auto it = record_by_name_.find(r.type_name);
  if (it == record_by_name_.end()) {
    std::vector<std::string> names;
    for (const auto& [n, i] : record_by_name_) names.push_back(n);
    error(r.type_span, fmt::format("unknown record type {}{}", r.type_name, suggestion(r.type_name, names)));
    for (auto& f : r.fields) check(*f.value, scope, nullptr);
    return error_type();
  }
  r.decl = it->second;
  const ast::Record& record = *program_.records[static_cast<std::size_t>(r.decl)];
  r.field_order.assign(record.fields.size(), -1);
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    auto& init = r.fields[i];
    const auto field = std::find_if(record.fields.begin(), record.fields.end(),
                                    [&](const auto& f) { return f.name == init.name; });
    if (field == record.fields.end()) {
      error(init.span, fmt::format("{} has no field {}{}", record.name, init.name,
                                   suggestion(init.name, field_names(record))));
      check(*init.value, scope, nullptr);
      continue;
    }
    const auto slot = static_cast<std::size_t>(field - record.fields.begin());
    if (r.field_order[slot] >= 0) error(init.span, fmt::format("field {} is given twice", init.name));
    r.field_order[slot] = static_cast<std::int32_t>(i);
    expect(*init.value, scope, field->resolved, fmt::format("field {}", init.name));
  }
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const auto& f = record.fields[i];
    const bool optional = f.resolved && f.resolved->kind == TypeKind::optional;
    if (r.field_order[i] < 0 && !f.default_value && !optional) {
      error(r.type_span, fmt::format("field {} of {} is missing", f.name, record.name));
    }
  }
  return record_type(r.decl);
}

}  // namespace merit::checking
