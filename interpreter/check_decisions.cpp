// Decisions: rules linked to the definitions they set, exceptions, definitions typed lazily with cycles
// found, the date a decision is judged as of, and its requirements.
#include "interpreter/checker.hpp"
#include "interpreter/stack.hpp"

namespace merit::checking {

const Checker::DecisionNames& Checker::names_of(const ast::Decision& d) const {
  const auto [it, added] = decision_names_.try_emplace(&d);
  if (added) {
    // The first of two with one name, as a scan would find: the second is an error reported elsewhere.
    for (std::size_t i = 0; i < d.inputs.size(); ++i)
      it->second.inputs.try_emplace(d.inputs[i].name, static_cast<std::int32_t>(i));
    for (std::size_t i = 0; i < d.definitions.size(); ++i)
      it->second.definitions.try_emplace(d.definitions[i].name, static_cast<std::int32_t>(i));
  }
  return it->second;
}

std::int32_t Checker::find_definition(const ast::Decision& d, std::string_view name) const {
  const auto& names = names_of(d).definitions;
  const auto it = names.find(name);
  return it == names.end() ? -1 : it->second;
}

std::int32_t Checker::find_input(const ast::Decision& d, std::string_view name) const {
  const auto& names = names_of(d).inputs;
  const auto it = names.find(name);
  return it == names.end() ? -1 : it->second;
}

std::vector<std::string> Checker::definition_names(const ast::Decision& d) const {
  std::vector<std::string> names;
  for (const auto& def : d.definitions) names.push_back(def.name);
  return names;
}

void Checker::link_rules(ast::Decision& d) {
  std::unordered_map<std::string, std::vector<std::int32_t>> labels;
  for (std::size_t i = 0; i < d.rules.size(); ++i) {
    auto& rule = d.rules[i];
    rule.definition = find_definition(d, rule.target);
    if (rule.definition < 0) {
      const bool is_input = std::any_of(d.inputs.begin(), d.inputs.end(),
                                        [&](const auto& in) { return in.name == rule.target; });
      error(rule.target_span,
            is_input ? fmt::format("{} is an input of decision {}; rules define outputs and lets",
                                   rule.target, d.name)
                     : fmt::format("decision {} has no output or let named {}{}", d.name, rule.target,
                                   suggestion(rule.target, definition_names(d))));
    }
    if (!rule.label) continue;
    // Rules sharing a label are versions of one rule in force on different dates (checked below).
    auto& same = labels[*rule.label];
    const bool versions =
        rule.effective || (!same.empty() && d.rules[static_cast<std::size_t>(same.front())].effective);
    if (!same.empty() && !versions) {
      error(rule.span, fmt::format("two rules are labelled {} in decision {}", *rule.label, d.name));
    } else {
      same.push_back(static_cast<std::int32_t>(i));
    }
  }
  check_rule_versions(d);
  for (std::size_t i = 0; i < d.rules.size(); ++i) {
    auto& rule = d.rules[i];
    if (rule.definition < 0) continue;
    auto& def = d.definitions[static_cast<std::size_t>(rule.definition)];
    const auto index = static_cast<std::int32_t>(i);
    if (!rule.is_exception) {
      def.base_rules.push_back(index);
    } else if (!rule.exception_to) {
      def.top_exceptions.push_back(index);
    } else if (auto it = labels.find(*rule.exception_to); it == labels.end()) {
      error(rule.exception_to_span,
            fmt::format("no rule is labelled {} in decision {}", *rule.exception_to, d.name));
    } else if (d.rules[static_cast<std::size_t>(it->second.front())].definition != rule.definition) {
      error(rule.exception_to_span,
            fmt::format("rule {} defines {}, but this exception defines {}", *rule.exception_to,
                        d.rules[static_cast<std::size_t>(it->second.front())].target, rule.target));
    } else {
      // An exception to a rule amended by date is an exception to each of its versions.
      rule.parent = it->second.front();
      for (auto version : it->second) d.rules[static_cast<std::size_t>(version)].exceptions.push_back(index);
    }
  }
  for (auto& def : d.definitions) {
    if (def.base_rules.empty() && def.top_exceptions.empty()) {
      error(def.span, fmt::format("{} has no rule that defines it", def.name));
    }
  }
}

void Checker::check_decision(std::int32_t index) {
  ast::Decision& d = *decisions_[static_cast<std::size_t>(index)];
  current_caller_ = static_cast<std::int32_t>(functions_.size()) + index;
  if (d.as_of) check_as_of(d, index);
  link_rules(d);
  definition_state_.assign(d.definitions.size(), Visit::unvisited);
  definition_stack_.clear();
  nested_rules_.assign(d.definitions.size(), {});
  for (std::size_t r = 0; r < d.rules.size(); ++r) {
    if (d.rules[r].definition >= 0 && d.rules[r].parent >= 0)
      nested_rules_[static_cast<std::size_t>(d.rules[r].definition)].push_back(static_cast<std::int32_t>(r));
  }
  for (std::size_t i = 0; i < d.definitions.size(); ++i)
    ensure_definition(d, index, static_cast<std::int32_t>(i));
  for (auto& requirement : d.requirements) {
    Scope scope;
    scope.decision = &d;
    scope.decision_index = index;
    scope.frame_size = &d.frame_size;
    check_requirement(requirement, scope);
  }
  // Explanations are read after every definition has its value, so they may name the one they explain.
  for (auto& rule : d.rules) {
    if (!rule.explanation) continue;
    Scope scope;
    scope.decision = &d;
    scope.decision_index = index;
    scope.frame_size = &d.frame_size;
    expect(*rule.explanation, scope, basic_type(TypeKind::text), "the explanation after 'because'");
  }
  current_caller_ = -1;
}

void Checker::check_requirement(ast::Requirement& r, Scope& scope) {
  auto check_body = [&] {
    expect(*r.condition, scope, basic_type(TypeKind::boolean), "a requirement");
    expect(*r.message, scope, basic_type(TypeKind::text), "the message of a requirement");
    return 0;
  };
  if (r.each) {
    with_binder(scope, *r.each, check_source(*r.each_source, scope), check_body);
  } else {
    check_body();
  }
}

void Checker::check_as_of(ast::Decision& d, std::int32_t index) {
  Scope scope;
  scope.decision = &d;
  scope.decision_index = index;
  scope.frame_size = &d.frame_size;
  scope.inputs_only = true;
  const TypeRef t = check(*d.as_of, scope, nullptr);
  if (!is_error(t) && t->kind != TypeKind::none && strip_optional(t)->kind != TypeKind::date) {
    error(d.as_of->span,
          fmt::format("a decision is judged as of a date, but this is {}", program_.type_name(t)));
  }
}

void Checker::ensure_definition(ast::Decision& d, std::int32_t decision, std::int32_t index) {
  auto& state = definition_state_[static_cast<std::size_t>(index)];
  if (state == Visit::done) return;
  auto& def = d.definitions[static_cast<std::size_t>(index)];
  if (state == Visit::visiting) {
    std::string path;
    const auto from = std::find(definition_stack_.begin(), definition_stack_.end(), index);
    for (auto it = from; it != definition_stack_.end(); ++it) {
      path += d.definitions[static_cast<std::size_t>(*it)].name + " -> ";
    }
    error(def.span, fmt::format("{} is defined in terms of itself ({}{})", def.name, path, def.name));
    if (!def.resolved) def.resolved = basic_type(TypeKind::error);
    return;
  }
  if (stack_nearly_full()) {
    error(def.span, fmt::format("{} depends on a chain of more than {} lets and outputs, each using the "
                                "next; too long a chain to check",
                                def.name, definition_stack_.size()));
    if (!def.resolved) def.resolved = basic_type(TypeKind::error);
    state = Visit::done;
    return;
  }
  state = Visit::visiting;
  definition_stack_.push_back(index);
  std::vector<std::int32_t> order = def.base_rules;
  order.insert(order.end(), def.top_exceptions.begin(), def.top_exceptions.end());
  const auto& nested = nested_rules_[static_cast<std::size_t>(index)];
  order.insert(order.end(), nested.begin(), nested.end());
  for (auto r : order) check_rule(d, decision, def, d.rules[static_cast<std::size_t>(r)]);
  if (!def.resolved) def.resolved = basic_type(TypeKind::error);
  definition_stack_.pop_back();
  state = Visit::done;
}

void Checker::check_rule(ast::Decision& d, std::int32_t decision, ast::Definition& def, ast::Rule& rule) {
  Scope scope;
  scope.decision = &d;
  scope.decision_index = decision;
  scope.frame_size = &d.frame_size;
  if (rule.condition)
    expect(*rule.condition, scope, basic_type(TypeKind::boolean), "the condition after 'when'");
  if (!rule.value) return;
  if (def.resolved) {
    expect(*rule.value, scope, def.resolved, fmt::format("the value of {}", def.name));
  } else {
    def.resolved = check(*rule.value, scope, nullptr);
    if (def.resolved->kind == TypeKind::none) {
      error(rule.value->span,
            fmt::format("the type of {} cannot be told from 'none'; write let {}: TYPE", def.name, def.name));
    }
  }
}

}  // namespace merit::checking
