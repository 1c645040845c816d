// Amendments by date: the versions of a function or a rule must cover their days once each. Also the types
// a decision declares, and constants checked where a declaration needs one.
#include "interpreter/checker.hpp"

namespace merit::checking {

std::string Checker::date_range(const std::optional<ast::Effective>& e) {
  if (!e) return "on every day";
  if (e->from && e->through && *e->from == *e->through) return "on " + stdlib::format_date(*e->from);
  if (e->from && e->through)
    return fmt::format("from {} through {}", stdlib::format_date(*e->from), stdlib::format_date(*e->through));
  if (e->from) return fmt::format("from {}", stdlib::format_date(*e->from));
  return fmt::format("through {}", stdlib::format_date(*e->through));
}

void Checker::check_effective_ranges(std::vector<Version> versions, const std::string& what) {
  for (const auto& v : versions) {
    if (v.effective && v.effective->from && v.effective->through &&
        *v.effective->through < *v.effective->from)
      error(v.effective->span, fmt::format("this version of {} ends before it begins", what));
  }
  std::stable_sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) {
    return start_of(a.effective) < start_of(b.effective);
  });
  for (std::size_t i = 1; i < versions.size(); ++i) {
    const Version& a = versions[i - 1];
    const Version& b = versions[i];
    const auto a_end = a.effective ? a.effective->through : std::nullopt;
    const auto b_start = start_of(b.effective);
    const SourceSpan& at = b.effective ? b.effective->span : b.span;
    if (!a_end || !b_start || *a_end >= *b_start) {
      error(at, fmt::format("two versions of {} are in force on the same days: this one ({}) and the one "
                            "at {} ({}); end the earlier one the day before the later one begins",
                            what, date_range(b.effective), where(program_, a.span), date_range(a.effective)));
    } else if (Date{a_end->days + 1} < *b_start) {
      const Date first{a_end->days + 1};
      const Date last{b_start->days - 1};
      error(at, fmt::format("no version of {} is in force {}, between the one at {} ({}) and this one ({})",
                            what, date_range(ast::Effective{first, last, {}}), where(program_, a.span),
                            date_range(a.effective), date_range(b.effective)));
    }
  }
}

void Checker::check_function_versions(ast::Function& first) {
  std::vector<Version> versions;
  for (auto i : first.versions) {
    ast::Function& f = *functions_[static_cast<std::size_t>(i)];
    versions.push_back({f.effective, f.span});
    if (&f == &first) continue;
    const bool same = f.params.size() == first.params.size() &&
                      std::equal(f.params.begin(), f.params.end(), first.params.begin(),
                                 [&](const auto& p, const auto& q) {
                                   return p.name == q.name && same_type(p.resolved, q.resolved);
                                 }) &&
                      same_type(f.resolved, first.resolved);
    if (!same) {
      error(f.span, fmt::format("this version of {} must take the same parameters and give the same type "
                                "as the one at {}",
                                f.name, where(program_, first.span)));
    }
  }
  check_effective_ranges(versions, "function " + first.name);
  // Every version knows the others, in the order they take effect, for the interpreter to choose from.
  std::vector<std::int32_t> ordered = first.versions;
  std::stable_sort(ordered.begin(), ordered.end(), [&](std::int32_t a, std::int32_t b) {
    return start_of(functions_[static_cast<std::size_t>(a)]->effective) <
           start_of(functions_[static_cast<std::size_t>(b)]->effective);
  });
  for (auto i : ordered) functions_[static_cast<std::size_t>(i)]->versions = ordered;
}

void Checker::check_rule_versions(const ast::Decision& d) {
  std::map<std::string, std::vector<Version>> groups;
  for (const auto& rule : d.rules) {
    std::string key;
    if (rule.label) {
      key = "rule " + *rule.label;
    } else {
      const std::string condition = rule.condition ? std::string(source_text(rule.condition->span)) : "";
      key = fmt::format("{} {}{}{}", rule.is_exception ? "the exception for" : "the rule for", rule.target,
                        rule.exception_to ? " to " + *rule.exception_to : "",
                        condition.empty() ? "" : " when " + condition);
    }
    groups[key].push_back({rule.effective, rule.span});
  }
  for (auto& [key, versions] : groups) {
    const bool dated = std::any_of(versions.begin(), versions.end(),
                                   [](const Version& v) { return v.effective.has_value(); });
    if (dated) check_effective_ranges(versions, key);
  }
}

std::string_view Checker::source_text(const SourceSpan& span) const {
  const std::string& text = program_.sources.files.at(span.file).text;
  if (span.begin > span.end || span.end > text.size()) return {};
  return std::string_view(text).substr(span.begin, span.end - span.begin);
}

void Checker::resolve_decision_types(ast::Decision& d) {
  std::unordered_map<std::string, SourceSpan> seen;
  auto unique = [&](const std::string& name, const SourceSpan& span) {
    auto [it, fresh] = seen.emplace(name, span);
    if (!fresh) {
      error(span, fmt::format("{} is declared twice in decision {}; the first is at {}", name, d.name,
                              where(program_, it->second)));
    }
  };
  for (auto& input : d.inputs) {
    unique(input.name, input.span);
    input.resolved = resolve_type(input.type);
    if (input.default_value) check_constant(*input.default_value, input.resolved, "an input's default");
  }
  for (auto& def : d.definitions) {
    unique(def.name, def.span);
    if (def.type) def.resolved = resolve_type(*def.type);
  }
  // A decision called from another answers with a record of its outputs.
  ast::Record outputs;
  outputs.name = d.name;
  outputs.span = d.span;
  for (auto& def : d.definitions) {
    if (def.is_output) outputs.fields.push_back({def.name, def.span, {}, nullptr, def.resolved});
  }
  program_.synthetic_records.push_back(std::move(outputs));
  d.outputs_record = static_cast<std::int32_t>(program_.records.size());
  program_.records.push_back(&program_.synthetic_records.back());
}

void Checker::check_constant(ast::Expr& e, const TypeRef& type, std::string_view what) {
  std::int32_t frame = 0;
  Scope scope;
  scope.frame_size = &frame;
  expect(e, scope, type, what);
  if (!constant_value(e)) {
    error(e.span,
          fmt::format("{} must be written out (a number, text, date, duration, enum value or a list of "
                      "them), not computed",
                      what));
  }
}

}  // namespace merit::checking
