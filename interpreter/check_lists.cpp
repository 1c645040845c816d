// List forms: comprehensions (with a running `after earlier`), sort, take, quantifiers and choose, each
// binding a name to the items of the list it goes through.
#include "interpreter/checker.hpp"

namespace merit::checking {

TypeRef Checker::check_source(ast::Expr& source, Scope& scope) {
  const TypeRef t = check(source, scope, nullptr);
  if (is_error(t)) return t;
  if (t->kind != TypeKind::list) {
    error(source.span, fmt::format("expected a list to go through, but this is {}", program_.type_name(t)));
    return error_type();
  }
  return t->element ? t->element : error_type();
}

TypeRef Checker::check_node(Expr&, ast::Comprehension& c, Scope& scope, const TypeRef& expected) {
  const TypeRef item = check_source(*c.source, scope);
  const TypeRef want = expected && expected->kind == TypeKind::list ? expected->element : nullptr;
  if (c.earlier) return check_running(c, scope, item, want);
  return with_binder(scope, c.var, item, [&] {
    if (c.condition)
      expect(*c.condition, scope, basic_type(TypeKind::boolean), "the condition after 'where'");
    return list_of(check(*c.element, scope, want));
  });
}

TypeRef Checker::check_running(ast::Comprehension& c, Scope& scope, const TypeRef& item,
                               const TypeRef& want) {
  // Each level may check the next twice (below): six levels are 64 checks of the innermost, and no rule
  // needs more than one or two.
  constexpr int max_running_depth = 6;
  if (running_depth_ >= max_running_depth) {
    error(c.earlier->span,
          fmt::format("more than {} lists with 'after' inside one another; name the inner ones with lets",
                      max_running_depth));
    return error_type();
  }
  ++running_depth_;
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{running_depth_};
  TypeRef element = want;
  if (!element) {
    const std::size_t errors_before = errors_.size();
    const std::vector<Visit> states = definition_state_;
    std::vector<TypeRef> types;
    if (scope.decision) {
      for (const auto& def : scope.decision->definitions) types.push_back(def.resolved);
    }
    element = with_binder(scope, c.var, item, [&] {
      return with_binder(scope, *c.earlier, list_of(error_type()),
                         [&] { return check(*c.element, scope, nullptr); });
    });
    errors_.resize(errors_before);
    if (scope.decision) {
      definition_state_ = states;
      for (std::size_t i = 0; i < types.size(); ++i) scope.decision->definitions[i].resolved = types[i];
    }
  }
  return with_binder(scope, c.var, item, [&] {
    return with_binder(scope, *c.earlier, list_of(element), [&] {
      if (c.condition)
        expect(*c.condition, scope, basic_type(TypeKind::boolean), "the condition after 'where'");
      expect(*c.element, scope, element, "each item");
      return list_of(element);
    });
  });
}

void Checker::check_key(ast::Expr& key, Scope& scope) {
  const TypeRef t = check(key, scope, nullptr);
  if (!is_error(t) && t->kind != TypeKind::optional && !is_orderable(t)) {
    error(key.span, fmt::format("{} cannot be put in order", program_.type_name(t)));
  }
}

TypeRef Checker::check_node(Expr&, ast::Sort& s, Scope& scope, const TypeRef&) {
  const TypeRef item = check_source(*s.source, scope);
  with_binder(scope, s.var, item, [&] {
    for (auto& key : s.keys) {
      check_key(*key.key, scope);
      const TypeRef bare = key.key->type ? strip_optional(key.key->type) : nullptr;
      key.by_duration = bare && bare->kind == TypeKind::duration;
    }
    return 0;
  });
  return list_of(item);
}

TypeRef Checker::check_node(Expr& e, ast::Take& t, Scope& scope, const TypeRef&) {
  expect(*t.count, scope, basic_type(TypeKind::integer), "how many to take");
  const TypeRef item = check_source(*t.source, scope);
  if (t.var.name.empty()) {
    if (t.counting || !t.tie_keys.empty()) {
      error(e.span,
            "name each item to count or compare ties, like 'take 6 from c in ranked with ties by c.score'");
    }
    return list_of(item);
  }
  with_binder(scope, t.var, item, [&] {
    if (t.counting)
      expect(*t.counting, scope, basic_type(TypeKind::boolean), "the condition after 'counting'");
    for (auto& key : t.tie_keys) check_key(*key, scope);
    return 0;
  });
  return list_of(item);
}

TypeRef Checker::check_node(Expr&, ast::Quantified& q, Scope& scope, const TypeRef&) {
  const TypeRef item = check_source(*q.source, scope);
  with_binder(scope, q.var, item, [&] {
    expect(*q.condition, scope, basic_type(TypeKind::boolean), "the condition after 'where'");
    return 0;
  });
  switch (q.kind) {
    case ast::Quantifier::count:
      return basic_type(TypeKind::integer);
    case ast::Quantifier::first:
      return optional_of(item);
    default:
      return basic_type(TypeKind::boolean);
  }
}

TypeRef Checker::check_node(Expr& e, ast::Choose& c, Scope& scope, const TypeRef& expected) {
  const TypeRef subject = check(*c.subject, scope, nullptr);
  TypeRef result;
  const auto each_value = [&] {
    for (auto& b : c.branches) {
      const TypeRef t = check(*b.value, scope, expected ? expected : result);
      if (!result || is_error(result)) {
        result = t;
      } else if (TypeRef u = unify(result, t)) {
        result = u;
      } else {
        error(b.value->span, fmt::format("every branch of 'choose' must have one type: this gives {}, the "
                                         "branches before it {}",
                                         program_.type_name(t), program_.type_name(result)));
      }
    }
    return result ? result : error_type();
  };
  if (is_error(subject)) return each_value();
  if (subject->kind != TypeKind::enumeration) {
    error(c.subject->span,
          fmt::format("choose goes by the members of an enumeration, but this is {}{}",
                      program_.type_name(subject),
                      subject->kind == TypeKind::optional ? "; give a value for none with ?? first" : ""));
    return each_value();
  }
  const ast::Enumeration& en = *program_.enums[static_cast<std::size_t>(subject->decl)];
  std::vector<std::string> names;
  for (const auto& m : en.members) names.push_back(m.name);
  c.branch_of_member.assign(en.members.size(), -1);
  std::vector<SourceSpan> first_named(en.members.size());
  for (std::size_t b = 0; b < c.branches.size(); ++b) {
    for (const auto& [name, span] : c.branches[b].members) {
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        error(span, fmt::format("{} has no member {}{}", en.name, name, suggestion(name, names)));
        continue;
      }
      const auto m = static_cast<std::size_t>(it - names.begin());
      if (c.branch_of_member[m] >= 0) {
        error(span, fmt::format("{} is named twice in this choose; the first is at line {}", name,
                                first_named[m].line));
        continue;
      }
      c.branch_of_member[m] = static_cast<std::int32_t>(b);
      first_named[m] = span;
    }
  }
  std::vector<std::string> missing;
  for (std::size_t m = 0; m < names.size(); ++m) {
    if (c.branch_of_member[m] < 0) missing.push_back(names[m]);
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size(); ++i)
      list += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
    error(e.span, fmt::format("choose over {} does not say what happens for {}", en.name, list));
  }
  return each_value();
}

}  // namespace merit::checking
