// The checker: one pass that resolves every name to an index, infers every type, and reports every
// problem with its position, so that evaluation never meets an unknown name or a wrong type.
#include "interpreter/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "stdlib/builtins.hpp"

namespace merit {
namespace {

using ast::Expr;
using ast::Ref;
using ast::RefKind;

constexpr std::string_view weekday_names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};

/// "; did you mean `score`?" when one of the candidates is close to what was written.
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

/// One name visible in an expression: a function parameter, a binder, or a calendar's `year`.
struct Local {
  std::string name;
  TypeRef type;
  std::int32_t slot;
};

/// Where an expression is being checked: which decision (if any), which locals, and the frame whose slots
/// binders take.
struct Scope {
  ast::Decision* decision = nullptr;
  std::int32_t decision_index = -1;
  std::vector<Local> locals;
  std::int32_t* frame_size = nullptr;
  bool inputs_only = false;  // `as of`: the date the outputs and lets depend on cannot depend on them
};

enum class Visit : std::uint8_t { unvisited, visiting, done };

class Checker {
 public:
  explicit Checker(Program& program) : program_(program) {}

  Diagnostics run() {
    add_weekday();
    collect();
    resolve_declared_types();
    for (auto* p : parameters_) check_parameter(*p);
    for (std::size_t i = 0; i < functions_.size(); ++i) check_function(static_cast<std::int32_t>(i));
    for (std::size_t i = 0; i < decisions_.size(); ++i) check_decision(static_cast<std::int32_t>(i));
    for (auto* c : calendars_) check_calendar(*c);
    check_recursion();
    return std::move(errors_);
  }

  Diagnostics check_global(ast::Expr& expr, const TypeRef& expected) {
    index_checked_program();
    std::int32_t frame = 0;
    Scope scope;
    scope.frame_size = &frame;
    expect(expr, scope, expected, "the value");
    return std::move(errors_);
  }

 private:
  Program& program_;
  Diagnostics errors_;

  std::vector<ast::Parameter*> parameters_;
  std::vector<ast::Function*> functions_;
  std::vector<ast::Decision*> decisions_;
  std::vector<ast::Calendar*> calendars_;
  std::vector<ast::Record*> records_;

  std::unordered_map<std::string, std::int32_t> enum_by_name_;
  std::unordered_map<std::string, std::int32_t> record_by_name_;
  std::unordered_map<std::string, std::int32_t> function_by_name_;
  std::unordered_map<std::string, std::vector<Ref>> enum_members_;

  // Call graph over functions (0..F-1) then decisions (F..), for the recursion check.
  std::vector<std::set<std::int32_t>> calls_;
  std::int32_t current_caller_ = -1;
  std::int32_t checking_calendar_ = -1;  // the calendar whose holidays are being checked

  // Per decision being checked: the state of each definition, for lazy typing and cycle detection.
  std::vector<Visit> definition_state_;
  std::vector<std::int32_t> definition_stack_;

  void error(const SourceSpan& span, std::string message) {
    errors_.push_back(error_at(span, std::move(message)));
  }

  // -------------------------------------------------------------------------------------------------------
  // Collecting declarations.

  // For an expression checked after the program: the name tables again, from the program's own.
  void index_checked_program() {
    for (std::size_t i = 0; i < program_.enums.size(); ++i) {
      const auto& e = *program_.enums[i];
      enum_by_name_[e.name] = static_cast<std::int32_t>(i);
      for (std::size_t m = 0; m < e.members.size(); ++m) {
        enum_members_[e.members[m].name].push_back(
            Ref{RefKind::enum_value, static_cast<std::int32_t>(i), static_cast<std::int32_t>(m)});
      }
    }
  }

  void add_weekday() {
    if (!program_.enums.empty()) return;
    ast::Enumeration weekday;
    weekday.name = "Weekday";
    for (auto n : weekday_names) weekday.members.push_back({std::string(n), {}});
    program_.synthetic_enums.push_back(std::move(weekday));
    register_enum(program_.synthetic_enums.back());
  }

  void register_enum(const ast::Enumeration& e) {
    const auto index = static_cast<std::int32_t>(program_.enums.size());
    program_.enums.push_back(&e);
    enum_by_name_[e.name] = index;
    std::set<std::string> seen;
    for (std::size_t m = 0; m < e.members.size(); ++m) {
      if (!seen.insert(e.members[m].name).second) {
        error(e.members[m].span, fmt::format("'{}' is listed twice in enum {}", e.members[m].name, e.name));
      }
      enum_members_[e.members[m].name].push_back(
          Ref{RefKind::enum_value, index, static_cast<std::int32_t>(m)});
    }
  }

  bool type_name_taken(const std::string& name, const SourceSpan& span) {
    if (enum_by_name_.count(name) || record_by_name_.count(name) || is_basic_type_name(name)) {
      error(span, fmt::format("a type named {} is already declared", name));
      return true;
    }
    return false;
  }

  template <typename Map>
  bool duplicate(Map& map, const std::string& name, const SourceSpan& span, std::string_view what,
                 const std::function<SourceSpan(std::int32_t)>& first) {
    const auto it = map.find(name);
    if (it == map.end()) return false;
    error(span, fmt::format("{} {} is declared twice; the first is at {}", what, name,
                            where(program_, first(it->second))));
    return true;
  }

  void collect() {
    if (!program_.records.empty() || !parameters_.empty()) return;
    for (auto& module : program_.modules) {
      for (auto& decl : module.declarations) std::visit([&](auto& d) { collect_one(d); }, decl);
    }
    calls_.resize(functions_.size() + decisions_.size());
  }

  void collect_one(ast::Enumeration& e) {
    if (!type_name_taken(e.name, e.span)) register_enum(e);
  }

  void collect_one(ast::Record& r) {
    if (type_name_taken(r.name, r.span)) return;
    record_by_name_[r.name] = static_cast<std::int32_t>(program_.records.size());
    program_.records.push_back(&r);
    records_.push_back(&r);
  }

  void collect_one(ast::Parameter& p) {
    if (duplicate(program_.parameter_index, p.name, p.span, "parameter",
                  [&](std::int32_t i) { return parameters_[static_cast<std::size_t>(i)]->span; })) {
      return;
    }
    program_.parameter_index[p.name] = static_cast<std::int32_t>(parameters_.size());
    parameters_.push_back(&p);
    program_.parameters.push_back(&p);
  }

  void collect_one(ast::Function& f) {
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

  void collect_one(ast::Decision& d) {
    if (duplicate(program_.decision_index, d.name, d.span, "decision",
                  [&](std::int32_t i) { return decisions_[static_cast<std::size_t>(i)]->span; })) {
      return;
    }
    program_.decision_index[d.name] = static_cast<std::int32_t>(decisions_.size());
    decisions_.push_back(&d);
    program_.decisions.push_back(&d);
  }

  void collect_one(ast::Calendar& c) {
    if (duplicate(program_.calendar_index, c.name, c.span, "calendar",
                  [&](std::int32_t i) { return calendars_[static_cast<std::size_t>(i)]->span; })) {
      return;
    }
    program_.calendar_index[c.name] = static_cast<std::int32_t>(calendars_.size());
    calendars_.push_back(&c);
    program_.calendars.push_back(&c);
  }

  // -------------------------------------------------------------------------------------------------------
  // Types as written.

  static bool is_basic_type_name(const std::string& name) {
    static const std::set<std::string> names = {"boolean", "integer",  "decimal", "text",
                                                "date",    "duration", "calendar"};
    return names.count(name) > 0;
  }

  std::vector<std::string> type_names() const {
    std::vector<std::string> names = {"boolean", "integer",  "decimal", "text",
                                      "date",    "duration", "calendar"};
    for (const auto& [n, i] : enum_by_name_) names.push_back(n);
    for (const auto& [n, i] : record_by_name_) names.push_back(n);
    return names;
  }

  TypeRef resolve_type(const ast::TypeExpr& t) {
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

  void resolve_declared_types() {
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

  // -------------------------------------------------------------------------------------------------------
  // Amendments by date: the versions of one function, or of one rule, must not be in force on the same day,
  // and no day may fall between two of them.

  struct Version {
    std::optional<ast::Effective> effective;
    SourceSpan span;
  };

  static std::string date_range(const std::optional<ast::Effective>& e) {
    if (!e) return "on every day";
    if (e->from && e->through && *e->from == *e->through) return "on " + stdlib::format_date(*e->from);
    if (e->from && e->through)
      return fmt::format("from {} through {}", stdlib::format_date(*e->from),
                         stdlib::format_date(*e->through));
    if (e->from) return fmt::format("from {}", stdlib::format_date(*e->from));
    return fmt::format("through {}", stdlib::format_date(*e->through));
  }

  /// The first day a version is in force; nullopt (an open start) sorts before every date.
  static std::optional<Date> start_of(const std::optional<ast::Effective>& e) {
    return e ? e->from : std::nullopt;
  }

  void check_effective_ranges(std::vector<Version> versions, const std::string& what) {
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
        error(at,
              fmt::format("two versions of {} are in force on the same days: this one ({}) and the one "
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

  void check_function_versions(ast::Function& first) {
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

  bool same_type(const TypeRef& a, const TypeRef& b) const {
    return a && b && program_.type_name(a) == program_.type_name(b);
  }

  // The rules that are versions of one rule: those sharing a label, or else defining the same name under
  // the same condition.
  void check_rule_versions(const ast::Decision& d) {
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

  std::string_view source_text(const SourceSpan& span) const {
    const std::string& text = program_.sources.files.at(span.file).text;
    if (span.begin > span.end || span.end > text.size()) return {};
    return std::string_view(text).substr(span.begin, span.end - span.begin);
  }

  void resolve_decision_types(ast::Decision& d) {
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

  void check_constant(ast::Expr& e, const TypeRef& type, std::string_view what) {
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

  // -------------------------------------------------------------------------------------------------------
  // Declarations.

  void check_parameter(ast::Parameter& p) {
    std::optional<Date> previous;
    bool first = true;
    for (auto& v : p.values) {
      check_constant(*v.value, p.resolved, fmt::format("the value of parameter {}", p.name));
      if (!first && !v.from)
        error(v.span, "every value after the first needs 'from' and the date it takes effect");
      if (v.from && previous && *v.from <= *previous) {
        error(v.span, "the values of a parameter must be listed in the order they take effect");
      }
      if (v.from) previous = v.from;
      first = false;
    }
  }

  void check_function(std::int32_t index) {
    ast::Function& f = *functions_[static_cast<std::size_t>(index)];
    // The versions of a function are one node of the call graph: the one calls resolve to.
    current_caller_ = f.versions.empty() ? index : function_by_name_.at(f.name);
    if (f.versions.empty() && f.effective)
      check_effective_ranges({{f.effective, f.span}}, "function " + f.name);
    Scope scope;
    scope.frame_size = &f.frame_size;
    std::set<std::string> seen;
    for (auto& param : f.params) {
      if (!seen.insert(param.name).second)
        error(param.span, fmt::format("two parameters are named {}", param.name));
      param.slot = bind(scope, param.name, param.resolved);
    }
    expect(*f.body, scope, f.resolved, fmt::format("the result of {}", f.name));
    if (f.explanation)
      expect(*f.explanation, scope, basic_type(TypeKind::text), "the explanation after 'because'");
    current_caller_ = -1;
  }

  void check_calendar(ast::Calendar& c) {
    for (auto& day : c.weekend) {
      if (std::find(std::begin(weekday_names), std::end(weekday_names), day.name) ==
          std::end(weekday_names)) {
        error(day.span, fmt::format("{} is not a day of the week (monday .. sunday)", day.name));
      }
    }
    // Each holiday is evaluated in a frame of its own: `year` in slot 0, then its binders; the calendar's
    // frame is the largest of them.
    c.frame_size = 1;
    checking_calendar_ = program_.calendar_index.at(c.name);
    for (const auto& closure : c.closures) {
      if (closure.effective)
        check_effective_ranges({{closure.effective, closure.span}},
                               "the closed day " + stdlib::format_date(closure.date));
      const auto day = static_cast<std::size_t>(stdlib::weekday_of(closure.date));
      const bool weekend = std::any_of(c.weekend.begin(), c.weekend.end(),
                                       [&](const auto& w) { return w.name == weekday_names[day]; });
      if (weekend) {
        program_.warnings.push_back(warning_at(
            closure.span, fmt::format("{} is a {}, already a weekend day of calendar {}; closing it changes "
                                      "nothing (was another day meant?)",
                                      stdlib::format_date(closure.date), weekday_names[day], c.name)));
      }
    }
    for (auto& h : c.holidays) {
      if (h.effective) check_effective_ranges({{h.effective, h.span}}, "holiday " + h.name);
      std::int32_t frame = 0;
      Scope scope;
      scope.frame_size = &frame;
      c.year_slot = bind(scope, "year", basic_type(TypeKind::integer));
      expect(*h.date, scope, basic_type(TypeKind::date), fmt::format("holiday {}", h.name));
      c.frame_size = std::max(c.frame_size, frame);
    }
    checking_calendar_ = -1;
  }

  // -------------------------------------------------------------------------------------------------------
  // Decisions: rules, exceptions and lazily typed definitions.

  std::int32_t find_definition(const ast::Decision& d, const std::string& name) const {
    for (std::size_t i = 0; i < d.definitions.size(); ++i) {
      if (d.definitions[i].name == name) return static_cast<std::int32_t>(i);
    }
    return -1;
  }

  std::vector<std::string> definition_names(const ast::Decision& d) const {
    std::vector<std::string> names;
    for (const auto& def : d.definitions) names.push_back(def.name);
    return names;
  }

  void link_rules(ast::Decision& d) {
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
        for (auto version : it->second)
          d.rules[static_cast<std::size_t>(version)].exceptions.push_back(index);
      }
    }
    for (auto& def : d.definitions) {
      if (def.base_rules.empty() && def.top_exceptions.empty()) {
        error(def.span, fmt::format("{} has no rule that defines it", def.name));
      }
    }
  }

  void check_decision(std::int32_t index) {
    ast::Decision& d = *decisions_[static_cast<std::size_t>(index)];
    current_caller_ = static_cast<std::int32_t>(functions_.size()) + index;
    if (d.as_of) check_as_of(d, index);
    link_rules(d);
    definition_state_.assign(d.definitions.size(), Visit::unvisited);
    definition_stack_.clear();
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

  void check_requirement(ast::Requirement& r, Scope& scope) {
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

  // The date a decision is judged as of picks the parameters and versions its rules use, so it is worked
  // out from the inputs alone.
  void check_as_of(ast::Decision& d, std::int32_t index) {
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

  void ensure_definition(ast::Decision& d, std::int32_t decision, std::int32_t index) {
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
    state = Visit::visiting;
    definition_stack_.push_back(index);
    std::vector<std::int32_t> order = def.base_rules;
    order.insert(order.end(), def.top_exceptions.begin(), def.top_exceptions.end());
    for (std::size_t r = 0; r < d.rules.size(); ++r) {
      if (d.rules[r].definition == index && d.rules[r].parent >= 0)
        order.push_back(static_cast<std::int32_t>(r));
    }
    for (auto r : order) check_rule(d, decision, def, d.rules[static_cast<std::size_t>(r)]);
    if (!def.resolved) def.resolved = basic_type(TypeKind::error);
    definition_stack_.pop_back();
    state = Visit::done;
  }

  void check_rule(ast::Decision& d, std::int32_t decision, ast::Definition& def, ast::Rule& rule) {
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
        error(rule.value->span, fmt::format("the type of {} cannot be told from 'none'; write let {}: TYPE",
                                            def.name, def.name));
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Expressions.

  std::int32_t bind(Scope& scope, const std::string& name, TypeRef type) {
    const std::int32_t slot = (*scope.frame_size)++;
    scope.locals.push_back({name, std::move(type), slot});
    return slot;
  }

  void expect(Expr& e, Scope& scope, const TypeRef& expected, std::string_view what) {
    const TypeRef actual = check(e, scope, expected);
    if (expected && !assignable(actual, expected)) {
      error(e.span, fmt::format("{} should be {}, but this is {}", what, program_.type_name(expected),
                                program_.type_name(actual)));
    }
  }

  TypeRef check(Expr& e, Scope& scope, const TypeRef& expected) {
    TypeRef type = std::visit([&](auto& node) { return check_node(e, node, scope, expected); }, e.node);
    e.type = type;
    return type;
  }

  TypeRef error_type() const { return basic_type(TypeKind::error); }

  TypeRef check_node(Expr&, ast::Literal& lit, Scope&, const TypeRef& expected) {
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

  // The type both branches (or all list items) fit: integer and decimal make decimal, none and T make T?.
  TypeRef unify(const TypeRef& a, const TypeRef& b) {
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

  TypeRef check_node(Expr& e, ast::ListLiteral& list, Scope& scope, const TypeRef& expected) {
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

  std::vector<std::string> visible_names(const Scope& scope) const {
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

  std::optional<Ref> resolve_enum_member(const std::string& name, const SourceSpan& span,
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

  TypeRef check_node(Expr& e, ast::Name& n, Scope& scope, const TypeRef& expected) {
    for (auto it = scope.locals.rbegin(); it != scope.locals.rend(); ++it) {
      if (it->name == n.name) {
        n.ref = Ref{RefKind::local, it->slot, -1};
        return it->type;
      }
    }
    if (scope.decision) {
      auto& d = *scope.decision;
      for (std::size_t i = 0; i < d.inputs.size(); ++i) {
        if (d.inputs[i].name == n.name) {
          n.ref = Ref{RefKind::input, static_cast<std::int32_t>(i), -1};
          return d.inputs[i].resolved;
        }
      }
      const std::int32_t def = find_definition(d, n.name);
      if (def >= 0 && scope.inputs_only) {
        error(e.span,
              fmt::format("{} is {} of decision {}, which depends on the date the decision is judged "
                          "as of; 'as of' may use only the inputs",
                          n.name,
                          d.definitions[static_cast<std::size_t>(def)].is_output ? "an output" : "a let",
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
      return program_.parameters[static_cast<std::size_t>(p->second)]->resolved;
    }
    if (auto c = program_.calendar_index.find(n.name); c != program_.calendar_index.end()) {
      if (c->second == checking_calendar_) {
        error(e.span,
              fmt::format("the holidays of calendar {} cannot be worked out with {} itself", n.name, n.name));
      }
      n.ref = Ref{RefKind::calendar, c->second, -1};
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

  std::vector<std::string> field_names(const ast::Record& r) const {
    std::vector<std::string> names;
    for (const auto& f : r.fields) names.push_back(f.name);
    return names;
  }

  TypeRef check_node(Expr&, ast::FieldAccess& access, Scope& scope, const TypeRef& expected) {
    // `Method.standard`: an enum's name before the dot, where no value of that name is in scope.
    if (auto* name = std::get_if<ast::Name>(&access.object->node)) {
      auto en = enum_by_name_.find(name->name);
      if (en != enum_by_name_.end() && !is_value_name(name->name, scope))
        return check_enum_member(access, en->second);
    }
    const TypeRef object = check(*access.object, scope, nullptr);
    if (is_error(object)) return error_type();
    if (object->kind == TypeKind::optional && object->element->kind == TypeKind::record) {
      error(access.field_span,
            fmt::format("this may be none, so it has no field {}; give a value for none with ??",
                        access.field));
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

  bool is_value_name(const std::string& name, const Scope& scope) const {
    for (const auto& l : scope.locals) {
      if (l.name == name) return true;
    }
    if (scope.decision) {
      for (const auto& in : scope.decision->inputs) {
        if (in.name == name) return true;
      }
      if (find_definition(*scope.decision, name) >= 0) return true;
    }
    return program_.parameter_index.count(name) > 0;
  }

  TypeRef check_enum_member(ast::FieldAccess& access, std::int32_t decl) {
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

  TypeRef check_node(Expr& e, ast::Call& call, Scope& scope, const TypeRef&) {
    if (auto f = function_by_name_.find(call.callee); f != function_by_name_.end()) {
      return check_function_call(call, f->second, scope);
    }
    if (auto d = program_.decision_index.find(call.callee); d != program_.decision_index.end()) {
      return check_decision_call(e, call, d->second, scope);
    }
    if (const auto b = stdlib::find_builtin(call.callee); b >= 0)
      return check_builtin_call(e, call, b, scope);
    std::vector<std::string> names;
    for (const auto& [n, i] : function_by_name_) names.push_back(n);
    for (const auto& [n, i] : program_.decision_index) names.push_back(n);
    for (const auto& b : stdlib::builtins()) names.emplace_back(b.name);
    error(call.callee_span,
          fmt::format("unknown function {}{}", call.callee, suggestion(call.callee, names)));
    for (auto& a : call.args) check(*a.value, scope, nullptr);
    return error_type();
  }

  void note_call(std::int32_t callee) {
    if (current_caller_ >= 0) calls_[static_cast<std::size_t>(current_caller_)].insert(callee);
  }

  TypeRef check_function_call(ast::Call& call, std::int32_t index, Scope& scope) {
    const ast::Function& f = *functions_[static_cast<std::size_t>(index)];
    call.ref = Ref{RefKind::function, index, -1};
    note_call(index);
    if (call.args.size() != f.params.size()) {
      error(call.callee_span,
            fmt::format("{} takes {} argument{}, but this call gives {}", f.name, f.params.size(),
                        f.params.size() == 1 ? "" : "s", call.args.size()));
    }
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      auto& arg = call.args[i];
      if (!arg.name.empty())
        error(arg.name_span, "functions take their arguments by position, without names");
      if (i < f.params.size()) {
        expect(*arg.value, scope, f.params[i].resolved,
               fmt::format("argument {} of {}", f.params[i].name, f.name));
      } else {
        check(*arg.value, scope, nullptr);
      }
    }
    return f.resolved ? f.resolved : error_type();
  }

  TypeRef check_decision_call(Expr&, ast::Call& call, std::int32_t index, Scope& scope) {
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

  TypeRef check_builtin_call(Expr&, ast::Call& call, std::int32_t index, Scope& scope) {
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

  TypeRef check_node(Expr& e, ast::Unary& u, Scope& scope, const TypeRef&) {
    if (u.op == ast::UnaryOp::logical_not) {
      expect(*u.operand, scope, basic_type(TypeKind::boolean), "the condition after 'not'");
      return basic_type(TypeKind::boolean);
    }
    const TypeRef t = check(*u.operand, scope, nullptr);
    if (is_error(t)) return t;
    if (!is_numeric(t) && t->kind != TypeKind::duration) {
      error(e.span, fmt::format("only numbers and durations can be negated, not {}", program_.type_name(t)));
      return error_type();
    }
    return t;
  }

  static bool is_orderable(const TypeRef& t) {
    switch (t->kind) {
      case TypeKind::integer:
      case TypeKind::decimal:
      case TypeKind::text:
      case TypeKind::date:
      case TypeKind::duration:
      case TypeKind::enumeration:
      case TypeKind::boolean:
      case TypeKind::error:
        return true;
      default:
        return false;
    }
  }

  TypeRef check_node(Expr& e, ast::Binary& b, Scope& scope, const TypeRef& expected) {
    using ast::BinaryOp;
    const TypeRef boolean = basic_type(TypeKind::boolean);
    switch (b.op) {
      case BinaryOp::logical_and:
      case BinaryOp::logical_or:
        expect(*b.lhs, scope, boolean,
               fmt::format("each side of '{}'", b.op == BinaryOp::logical_and ? "and" : "or"));
        expect(*b.rhs, scope, boolean,
               fmt::format("each side of '{}'", b.op == BinaryOp::logical_and ? "and" : "or"));
        return boolean;
      case BinaryOp::equal:
      case BinaryOp::not_equal:
        return check_equality(e, b, scope);
      case BinaryOp::less:
      case BinaryOp::less_equal:
      case BinaryOp::greater:
      case BinaryOp::greater_equal:
        return check_ordering(e, b, scope);
      case BinaryOp::member_of:
        return check_membership(e, b, scope);
      case BinaryOp::or_else:
        return check_or_else(e, b, scope, expected);
      default:
        return check_arithmetic(e, b, scope);
    }
  }

  // The right side is checked with the left's type as a hint, so `method == standard` resolves `standard`.
  std::pair<TypeRef, TypeRef> check_pair(ast::Binary& b, Scope& scope) {
    const TypeRef lhs = check(*b.lhs, scope, nullptr);
    const TypeRef rhs = check(*b.rhs, scope, lhs);
    if (lhs->kind == TypeKind::none && !is_error(rhs)) b.lhs->type = rhs;
    return {lhs, rhs};
  }

  TypeRef check_equality(Expr& e, ast::Binary& b, Scope& scope) {
    const auto [lhs, rhs] = check_pair(b, scope);
    if (!unify(lhs, rhs)) {
      error(e.span,
            fmt::format("{} and {} cannot be compared", program_.type_name(lhs), program_.type_name(rhs)));
    }
    return basic_type(TypeKind::boolean);
  }

  TypeRef check_ordering(Expr& e, ast::Binary& b, Scope& scope) {
    const auto [lhs, rhs] = check_pair(b, scope);
    if (is_error(lhs) || is_error(rhs)) return basic_type(TypeKind::boolean);
    if (lhs->kind == TypeKind::optional || rhs->kind == TypeKind::optional) {
      error(e.span, "a value that may be none cannot be compared with < or >; give a value for none with ??");
    } else if (!unify(lhs, rhs) || !is_orderable(lhs)) {
      error(e.span, fmt::format("{} and {} cannot be put in order", program_.type_name(lhs),
                                program_.type_name(rhs)));
    }
    return basic_type(TypeKind::boolean);
  }

  TypeRef check_membership(Expr& e, ast::Binary& b, Scope& scope) {
    const TypeRef list = check(*b.rhs, scope, nullptr);
    if (is_error(list)) {
      check(*b.lhs, scope, nullptr);
      return basic_type(TypeKind::boolean);
    }
    if (list->kind == TypeKind::map) {
      expect(*b.lhs, scope, basic_type(TypeKind::text), "a key of a map");
      return basic_type(TypeKind::boolean);
    }
    if (list->kind != TypeKind::list) {
      error(b.rhs->span,
            fmt::format("'in' needs a list on its right, but this is {}", program_.type_name(list)));
      check(*b.lhs, scope, nullptr);
      return basic_type(TypeKind::boolean);
    }
    const TypeRef item = check(*b.lhs, scope, list->element);
    if (!unify(item, list->element)) {
      error(e.span, fmt::format("{} cannot be in {}", program_.type_name(item), program_.type_name(list)));
    }
    return basic_type(TypeKind::boolean);
  }

  TypeRef check_or_else(Expr& e, ast::Binary& b, Scope& scope, const TypeRef& expected) {
    const TypeRef lhs = check(*b.lhs, scope, expected ? optional_of(expected) : nullptr);
    if (is_error(lhs)) return lhs;
    if (lhs->kind != TypeKind::optional) {
      error(e.span, fmt::format("'?\?' gives a value for none, but the left side ({}) is never none",
                                program_.type_name(lhs)));
      return lhs;
    }
    const TypeRef rhs = check(*b.rhs, scope, lhs->element);
    TypeRef u = unify(lhs->element, rhs);
    if (!u) {
      error(b.rhs->span, fmt::format("the value for none should be {}, but this is {}",
                                     program_.type_name(lhs->element), program_.type_name(rhs)));
      return lhs->element;
    }
    return u;
  }

  TypeRef check_arithmetic(Expr& e, ast::Binary& b, Scope& scope) {
    using ast::BinaryOp;
    const auto [lhs, rhs] = check_pair(b, scope);
    if (is_error(lhs) || is_error(rhs)) return error_type();
    const auto k = [](const TypeRef& t) { return t->kind; };
    const bool numbers = is_numeric(lhs) && is_numeric(rhs);
    const TypeRef number =
        k(lhs) == TypeKind::integer && k(rhs) == TypeKind::integer && b.op != BinaryOp::divide
            ? basic_type(TypeKind::integer)
            : basic_type(TypeKind::decimal);
    switch (b.op) {
      case BinaryOp::add:
        if (numbers) return number;
        if (k(lhs) == TypeKind::date && k(rhs) == TypeKind::duration) return lhs;
        if (k(lhs) == TypeKind::duration && k(rhs) == TypeKind::duration) return lhs;
        if (k(lhs) == TypeKind::text && k(rhs) == TypeKind::text) return lhs;
        if (k(lhs) == TypeKind::list && k(rhs) == TypeKind::list) {
          if (TypeRef u = unify(lhs, rhs)) return u;
        }
        break;
      case BinaryOp::subtract:
        if (numbers) return number;
        if (k(lhs) == TypeKind::date && k(rhs) == TypeKind::duration) return lhs;
        if (k(lhs) == TypeKind::date && k(rhs) == TypeKind::date) return basic_type(TypeKind::integer);
        if (k(lhs) == TypeKind::duration && k(rhs) == TypeKind::duration) return lhs;
        break;
      case BinaryOp::multiply:
        if (numbers) return number;
        if (k(lhs) == TypeKind::duration && k(rhs) == TypeKind::integer) return lhs;
        if (k(lhs) == TypeKind::integer && k(rhs) == TypeKind::duration) return rhs;
        break;
      case BinaryOp::divide:
        if (numbers) return number;
        break;
      default:
        break;
    }
    const char* op = b.op == BinaryOp::add        ? "+"
                     : b.op == BinaryOp::subtract ? "-"
                     : b.op == BinaryOp::multiply ? "*"
                                                  : "/";
    std::string hint;
    if (k(lhs) == TypeKind::optional || k(rhs) == TypeKind::optional)
      hint = "; a value that may be none needs ?? first";
    error(e.span, fmt::format("cannot compute {} {} {}{}", program_.type_name(lhs), op,
                              program_.type_name(rhs), hint));
    return error_type();
  }

  TypeRef check_node(Expr& e, ast::Conditional& c, Scope& scope, const TypeRef& expected) {
    expect(*c.condition, scope, basic_type(TypeKind::boolean), "the condition after 'if'");
    const TypeRef a = check(*c.then_branch, scope, expected);
    const TypeRef b = check(*c.else_branch, scope, expected ? expected : a);
    if (TypeRef u = unify(a, b)) return u;
    error(e.span, fmt::format("both branches of 'if' must have one type: 'then' gives {}, 'else' gives {}",
                              program_.type_name(a), program_.type_name(b)));
    return error_type();
  }

  // Checks a list to iterate over and returns its item type (error type if it is not a list).
  TypeRef check_source(ast::Expr& source, Scope& scope) {
    const TypeRef t = check(source, scope, nullptr);
    if (is_error(t)) return t;
    if (t->kind != TypeKind::list) {
      error(source.span, fmt::format("expected a list to go through, but this is {}", program_.type_name(t)));
      return error_type();
    }
    return t->element ? t->element : error_type();
  }

  /// Runs `body` with `var` bound to the items of a list of `item` type.
  template <typename Body>
  auto with_binder(Scope& scope, ast::Binder& var, const TypeRef& item, Body body) -> decltype(body()) {
    var.slot = bind(scope, var.name, item);
    auto result = body();
    scope.locals.pop_back();
    return result;
  }

  TypeRef check_node(Expr&, ast::Comprehension& c, Scope& scope, const TypeRef& expected) {
    const TypeRef item = check_source(*c.source, scope);
    const TypeRef want = expected && expected->kind == TypeKind::list ? expected->element : nullptr;
    if (c.earlier) return check_running(c, scope, item, want);
    return with_binder(scope, c.var, item, [&] {
      if (c.condition)
        expect(*c.condition, scope, basic_type(TypeKind::boolean), "the condition after 'where'");
      return list_of(check(*c.element, scope, want));
    });
  }

  // With `after earlier`, the element's type is needed to type `earlier`: a first look with `earlier` of
  // unknown items finds it, then the element is checked for real (the first look's errors are dropped).
  // A let first reached in the first look would be marked checked with its errors dropped, so the first
  // look leaves the lets as it found them and the real check reaches them again.
  TypeRef check_running(ast::Comprehension& c, Scope& scope, const TypeRef& item, const TypeRef& want) {
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

  void check_key(ast::Expr& key, Scope& scope) {
    const TypeRef t = check(key, scope, nullptr);
    if (!is_error(t) && t->kind != TypeKind::optional && !is_orderable(t)) {
      error(key.span, fmt::format("{} cannot be put in order", program_.type_name(t)));
    }
  }

  TypeRef check_node(Expr&, ast::Sort& s, Scope& scope, const TypeRef&) {
    const TypeRef item = check_source(*s.source, scope);
    with_binder(scope, s.var, item, [&] {
      for (auto& key : s.keys) check_key(*key.key, scope);
      return 0;
    });
    return list_of(item);
  }

  TypeRef check_node(Expr& e, ast::Take& t, Scope& scope, const TypeRef&) {
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

  TypeRef check_node(Expr&, ast::Quantified& q, Scope& scope, const TypeRef&) {
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

  TypeRef check_node(Expr& e, ast::Choose& c, Scope& scope, const TypeRef& expected) {
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

  TypeRef check_node(Expr&, ast::EmptyMap&, Scope&, const TypeRef& expected) {
    const TypeRef want = expected ? strip_optional(expected) : nullptr;
    return want && want->kind == TypeKind::map ? want : map_of(error_type());
  }

  TypeRef check_node(Expr&, ast::RecordLiteral& r, Scope& scope, const TypeRef&) {
    auto it = record_by_name_.find(r.type_name);
    if (it == record_by_name_.end()) {
      std::vector<std::string> names;
      for (const auto& [n, i] : record_by_name_) names.push_back(n);
      error(r.type_span,
            fmt::format("unknown record type {}{}", r.type_name, suggestion(r.type_name, names)));
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

  // -------------------------------------------------------------------------------------------------------
  // Recursion: the language terminates because no function or decision may call itself, even indirectly.

  std::string caller_name(std::int32_t node) const {
    const auto f = static_cast<std::int32_t>(functions_.size());
    return node < f ? functions_[static_cast<std::size_t>(node)]->name
                    : decisions_[static_cast<std::size_t>(node - f)]->name;
  }

  SourceSpan caller_span(std::int32_t node) const {
    const auto f = static_cast<std::int32_t>(functions_.size());
    return node < f ? functions_[static_cast<std::size_t>(node)]->span
                    : decisions_[static_cast<std::size_t>(node - f)]->span;
  }

  void check_recursion() {
    std::vector<Visit> state(calls_.size(), Visit::unvisited);
    std::vector<std::int32_t> path;
    std::function<void(std::int32_t)> visit = [&](std::int32_t node) {
      state[static_cast<std::size_t>(node)] = Visit::visiting;
      path.push_back(node);
      for (auto next : calls_[static_cast<std::size_t>(node)]) {
        if (state[static_cast<std::size_t>(next)] == Visit::visiting) {
          std::string cycle;
          for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it)
            cycle += caller_name(*it) + " -> ";
          error(caller_span(next),
                fmt::format("{} calls itself ({}{}); rules may not be recursive, so that every "
                            "evaluation ends",
                            caller_name(next), cycle, caller_name(next)));
        } else if (state[static_cast<std::size_t>(next)] == Visit::unvisited) {
          visit(next);
        }
      }
      path.pop_back();
      state[static_cast<std::size_t>(node)] = Visit::done;
    };
    for (std::size_t i = 0; i < calls_.size(); ++i) {
      if (state[i] == Visit::unvisited) visit(static_cast<std::int32_t>(i));
    }
  }
};

// ---------------------------------------------------------------------------------------------------------
// Working days. A length in working days can be counted only against a calendar, so adding one to a date
// (or ending a period with one) would fail every time it runs. After the types are known, this pass finds
// for each length added to a date whether it may be in working days: a literal says so, a parameter by its
// values, working_days(n) always; sums, products and conditionals by their parts. A function's parameter
// takes the unit of the argument, so a call must give an argument that is not in working days where the
// function adds the parameter to a date. Inputs, fields and items come from data whose unit is not known
// until the rules run; they cannot be added to a date.

/// What is known at check time of the unit of a length.
struct LengthUnit {
  bool working = false;           // it may be in working days
  std::string unknown;            // set when the unit is not known: what the length is
  std::set<std::int32_t> params;  // it takes the unit of these parameters of the enclosing function
  std::set<std::int32_t> inputs;  // or of these inputs of the enclosing decision, checked as data are read
  void add(const LengthUnit& other) {
    working = working || other.working;
    if (unknown.empty()) unknown = other.unknown;
    params.insert(other.params.begin(), other.params.end());
    inputs.insert(other.inputs.begin(), other.inputs.end());
  }
};

bool has_working_days(const Value& v) {
  if (const auto* d = std::get_if<Duration>(&v.data)) return d->unit == DurationUnit::working_days;
  if (const auto* l = std::get_if<ListPtr>(&v.data)) {
    return std::any_of((*l)->items.begin(), (*l)->items.end(),
                       [](const Value& x) { return has_working_days(x); });
  }
  return false;
}

/// Calls `f` on every direct sub-expression of `e`.
template <typename F>
void for_each_child(const Expr& e, F f) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        const auto each = [&](const ast::ExprPtr& x) {
          if (x) f(*x);
        };
        if constexpr (std::is_same_v<T, ast::ListLiteral>) {
          for (const auto& x : n.items) each(x);
        } else if constexpr (std::is_same_v<T, ast::FieldAccess>) {
          each(n.object);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          for (const auto& a : n.args) each(a.value);
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          each(n.operand);
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          each(n.lhs);
          each(n.rhs);
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          each(n.condition);
          each(n.then_branch);
          each(n.else_branch);
        } else if constexpr (std::is_same_v<T, ast::Comprehension>) {
          each(n.source);
          each(n.condition);
          each(n.element);
        } else if constexpr (std::is_same_v<T, ast::Sort>) {
          each(n.source);
          for (const auto& k : n.keys) each(k.key);
        } else if constexpr (std::is_same_v<T, ast::Take>) {
          each(n.count);
          each(n.source);
          each(n.counting);
          for (const auto& k : n.tie_keys) each(k);
        } else if constexpr (std::is_same_v<T, ast::Quantified>) {
          each(n.source);
          each(n.condition);
        } else if constexpr (std::is_same_v<T, ast::RecordLiteral>) {
          for (const auto& x : n.fields) each(x.value);
        } else if constexpr (std::is_same_v<T, ast::Choose>) {
          each(n.subject);
          for (const auto& b : n.branches) each(b.value);
        }
      },
      e.node);
}

class WorkingDayCheck {
 public:
  WorkingDayCheck(Program& program, Diagnostics& errors) : program_(program), errors_(errors) {
    for (auto& module : program.modules) {
      for (auto& decl : module.declarations) {
        if (auto* d = std::get_if<ast::Decision>(&decl)) decisions_.push_back(d);
      }
    }
  }

  void run() {
    for (std::size_t i = 0; i < program_.functions.size(); ++i) summary(static_cast<std::int32_t>(i));
    for (std::size_t i = 0; i < decisions_.size(); ++i) decision_summary(static_cast<std::int32_t>(i));
    for (const auto* c : program_.calendars) {
      for (const auto& h : c->holidays) visit(h.date.get());
    }
  }

 private:
  // A decision's inputs added to dates are marked, for the data readers and for calls of the decision.
  void decision_summary(std::int32_t index) {
    if (!decisions_done_.insert(index).second) return;
    ast::Decision* d = decisions_[static_cast<std::size_t>(index)];
    const auto* saved_function = function_;
    auto* saved_summary = summary_;
    auto* saved_decision = decision_;
    auto saved_binders = std::move(binders_);
    binders_.clear();
    function_ = nullptr;
    summary_ = nullptr;
    {
      decision_ = d;
      for (const auto& rule : d->rules) {
        visit(rule.condition.get());
        visit(rule.value.get());
        visit(rule.explanation.get());
      }
      for (const auto& r : d->requirements) {
        visit(r.each_source.get());
        if (r.each && is_duration(*r.each_source)) binders_[r.each->slot] = unit_of(*r.each_source);
        visit(r.condition.get());
        visit(r.message.get());
      }
    }
    for (auto& in : d->inputs) {
      const auto given = in.default_value ? constant_value(*in.default_value) : std::nullopt;
      if (in.added_to_date && given && has_working_days(*given)) {
        errors_.push_back(error_at(in.default_value->span,
                                   fmt::format("the rules add {} to a date, so it cannot be in working days, "
                                               "which depend on a calendar",
                                               in.name)));
      }
    }
    function_ = saved_function;
    summary_ = saved_summary;
    decision_ = saved_decision;
    binders_ = std::move(saved_binders);
  }

  /// Per function: which of its parameters it adds to a date, and the unit of its result.
  struct Summary {
    bool done = false;
    bool visiting = false;
    std::vector<bool> added_to_date;
    LengthUnit result;
  };

  const Program& program_;
  Diagnostics& errors_;
  std::vector<ast::Decision*> decisions_;  // as Program::decisions, to mark their inputs
  std::set<std::int32_t> decisions_done_;
  ast::Decision* decision_ = nullptr;
  const ast::Function* function_ = nullptr;  // the function whose body is being looked at
  Summary* summary_ = nullptr;
  std::map<std::int32_t, Summary> summaries_;
  std::map<std::pair<const ast::Decision*, std::int32_t>, LengthUnit> definitions_;
  std::map<std::int32_t, LengthUnit> binders_;  // by slot: the unit of the items of the list bound

  const Summary& summary(std::int32_t index) {
    Summary& s = summaries_[index];
    if (s.done || s.visiting) return s;  // functions do not call themselves: the checker reports that
    s.visiting = true;
    const ast::Function& f = *program_.functions[static_cast<std::size_t>(index)];
    s.added_to_date.assign(f.params.size(), false);
    const auto* saved_function = function_;
    auto* saved_summary = summary_;
    auto* saved_decision = decision_;
    auto saved_binders = std::move(binders_);
    binders_.clear();
    function_ = &f;
    summary_ = &s;
    decision_ = nullptr;
    visit(f.body.get());
    s.result = unit_of(*f.body);
    function_ = saved_function;
    summary_ = saved_summary;
    decision_ = saved_decision;
    binders_ = std::move(saved_binders);
    s.visiting = false;
    s.done = true;
    return s;
  }

  std::int32_t param_of_slot(std::int32_t slot) const {
    if (!function_) return -1;
    for (std::size_t i = 0; i < function_->params.size(); ++i) {
      if (function_->params[i].slot == slot) return static_cast<std::int32_t>(i);
    }
    return -1;
  }

  // A length, a length that may be none, or a list of them.
  static bool is_duration(const Expr& e) {
    if (!e.type) return false;
    const TypeRef t = strip_optional(e.type);
    return t->kind == TypeKind::duration || (t->kind == TypeKind::list && t->element &&
                                             strip_optional(t->element)->kind == TypeKind::duration);
  }

  LengthUnit unknown(std::string what) {
    LengthUnit u;
    u.unknown = std::move(what);
    return u;
  }

  LengthUnit unit_of(const Expr& e) {
    LengthUnit u;
    if (const auto* lit = std::get_if<ast::Literal>(&e.node)) {
      u.working = has_working_days(lit->value);
    } else if (const auto* name = std::get_if<ast::Name>(&e.node)) {
      switch (name->ref.kind) {
        case RefKind::parameter: {
          const auto& p = *program_.parameters[static_cast<std::size_t>(name->ref.index)];
          for (const auto& v : p.values) {
            if (const auto c = constant_value(*v.value)) u.working = u.working || has_working_days(*c);
          }
          break;
        }
        case RefKind::definition:
          return definition_unit(name->ref.index);
        case RefKind::local:
          if (const auto i = param_of_slot(name->ref.index); i >= 0) {
            u.params.insert(i);
            break;
          }
          if (const auto it = binders_.find(name->ref.index); it != binders_.end()) return it->second;
          return unknown(fmt::format("{}, an item of a list,", name->name));
        case RefKind::input:
          u.inputs.insert(name->ref.index);
          break;
        default:
          return unknown(name->name);
      }
    } else if (const auto* call = std::get_if<ast::Call>(&e.node)) {
      if (call->ref.kind == RefKind::builtin) {
        const std::string_view b = stdlib::builtins()[static_cast<std::size_t>(call->ref.index)].name;
        if (b == "working_days") {
          u.working = true;
        } else if (b == "min" || b == "max") {
          for (const auto& a : call->args) u.add(unit_of(*a.value));
        } else if (b != "days" && b != "months" && b != "years") {
          return unknown(fmt::format("what {} gives", b));
        }
      } else if (call->ref.kind == RefKind::function) {
        const ast::Function& f = *program_.functions[static_cast<std::size_t>(call->ref.index)];
        std::vector<std::int32_t> versions = f.versions;
        if (versions.empty()) versions.push_back(call->ref.index);
        for (auto v : versions) {
          const Summary& s = summary(v);
          u.working = u.working || s.result.working;
          if (u.unknown.empty()) u.unknown = s.result.unknown;
          for (auto p : s.result.params) {
            if (static_cast<std::size_t>(p) < call->args.size())
              u.add(unit_of(*call->args[static_cast<std::size_t>(p)].value));
          }
        }
      } else {
        return unknown(fmt::format("what {} gives", call->callee));
      }
    } else if (const auto* unary = std::get_if<ast::Unary>(&e.node)) {
      return unit_of(*unary->operand);
    } else if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
      // `n * 3 days`, `a + b`, `x ?? 3 days`: the lengths among the operands.
      if (b->op == ast::BinaryOp::or_else || is_duration(*b->lhs)) u.add(unit_of(*b->lhs));
      if (is_duration(*b->rhs)) u.add(unit_of(*b->rhs));
    } else if (const auto* c = std::get_if<ast::Conditional>(&e.node)) {
      u.add(unit_of(*c->then_branch));
      u.add(unit_of(*c->else_branch));
    } else if (const auto* choose = std::get_if<ast::Choose>(&e.node)) {
      for (const auto& branch : choose->branches) u.add(unit_of(*branch.value));
    } else if (const auto* list = std::get_if<ast::ListLiteral>(&e.node)) {
      for (const auto& x : list->items) u.add(unit_of(*x));
    } else if (const auto* field = std::get_if<ast::FieldAccess>(&e.node)) {
      return unknown(fmt::format("the field {}", field->field));
    } else {
      return unknown("this length");
    }
    return u;
  }

  LengthUnit definition_unit(std::int32_t index) {
    const auto key = std::make_pair(decision_, index);
    if (const auto it = definitions_.find(key); it != definitions_.end()) return it->second;
    definitions_[key] = LengthUnit{};  // definitions do not depend on themselves: the checker reports that
    LengthUnit u;
    for (const auto& rule : decision_->rules) {
      if (rule.definition == index && rule.value) u.add(unit_of(*rule.value));
    }
    definitions_[key] = u;
    return u;
  }

  // A length that is added to a date (or ends a period) must not be in working days.
  void require_exact(const Expr& length, const std::string& use) {
    const LengthUnit u = unit_of(length);
    if (u.working) {
      const auto* name = std::get_if<ast::Name>(&length.node);
      errors_.push_back(error_at(
          length.span, fmt::format("{} may be in working days, which depend on a calendar, so it cannot be "
                                   "{}; count working days with nth_working_day(from, n, calendar, until) or "
                                   "next_working_day(date, calendar)",
                                   name ? name->name : "this length", use)));
    } else if (!u.unknown.empty()) {
      errors_.push_back(error_at(
          length.span, fmt::format("{} could be a length in working days, which depend on a calendar, so it "
                                   "cannot be {}; give it as a parameter or write the length out, or count "
                                   "working days with nth_working_day(from, n, calendar, until)",
                                   u.unknown == "this length" ? "this length" : u.unknown, use)));
    } else {
      if (summary_) {
        for (auto p : u.params) summary_->added_to_date[static_cast<std::size_t>(p)] = true;
      }
      if (decision_) {
        for (auto i : u.inputs) decision_->inputs[static_cast<std::size_t>(i)].added_to_date = true;
      }
    }
  }

  void visit(const Expr* e) {
    if (!e) return;
    if (const auto* b = std::get_if<ast::Binary>(&e->node)) {
      const bool to_date = (b->op == ast::BinaryOp::add || b->op == ast::BinaryOp::subtract) &&
                           b->lhs->type && b->lhs->type->kind == TypeKind::date && is_duration(*b->rhs);
      if (to_date)
        require_exact(*b->rhs, b->op == ast::BinaryOp::add ? "added to a date" : "taken from a date");
    } else if (const auto* call = std::get_if<ast::Call>(&e->node)) {
      if (call->ref.kind == RefKind::builtin && call->args.size() == 2 &&
          stdlib::builtins()[static_cast<std::size_t>(call->ref.index)].name ==
              std::string_view("period_end")) {
        require_exact(*call->args[1].value, "the length of a period");
      } else if (call->ref.kind == RefKind::function) {
        check_arguments(*call);
      } else if (call->ref.kind == RefKind::decision) {
        decision_summary(call->ref.index);
        const ast::Decision& d = *decisions_[static_cast<std::size_t>(call->ref.index)];
        for (std::size_t i = 0; i < d.inputs.size() && i < call->input_order.size(); ++i) {
          const auto arg = call->input_order[i];
          if (d.inputs[i].added_to_date && arg >= 0) {
            require_exact(*call->args[static_cast<std::size_t>(arg)].value,
                          fmt::format("given to {}, which adds {} to a date", d.name, d.inputs[i].name));
          }
        }
      }
    }
    // A binder's items have the unit of the list they come from (`appointed + n for n in evaluation_days`).
    const auto bind = [&](const ast::Binder& var, const Expr& source) {
      if (is_duration(source)) binders_[var.slot] = unit_of(source);
    };
    if (const auto* c = std::get_if<ast::Comprehension>(&e->node)) bind(c->var, *c->source);
    if (const auto* so = std::get_if<ast::Sort>(&e->node)) bind(so->var, *so->source);
    if (const auto* t = std::get_if<ast::Take>(&e->node)) bind(t->var, *t->source);
    if (const auto* q = std::get_if<ast::Quantified>(&e->node)) bind(q->var, *q->source);
    for_each_child(*e, [&](const Expr& child) { visit(&child); });
  }

  void check_arguments(const ast::Call& call) {
    const ast::Function& f = *program_.functions[static_cast<std::size_t>(call.ref.index)];
    std::vector<std::int32_t> versions = f.versions;
    if (versions.empty()) versions.push_back(call.ref.index);
    std::set<std::size_t> added;
    for (auto v : versions) {
      const Summary& s = summary(v);
      for (std::size_t i = 0; i < s.added_to_date.size(); ++i) {
        if (s.added_to_date[i]) added.insert(i);
      }
    }
    for (auto i : added) {
      if (i < call.args.size())
        require_exact(*call.args[i].value,
                      fmt::format("given to {}, which adds {} to a date", f.name, f.params[i].name));
    }
  }
};

}  // namespace

Diagnostics check_program(Program& program) {
  Diagnostics errors = Checker(program).run();
  // The units of lengths are followed through the checked expressions, so only in rules without errors.
  if (errors.empty()) WorkingDayCheck(program, errors).run();
  return errors;
}

bool has_working_days_value(const Value& value) {
  return has_working_days(value);
}

Diagnostics check_global_expression(Program& program, ast::Expr& expr, const TypeRef& expected) {
  return Checker(program).check_global(expr, expected);
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
    if (auto* dur = std::get_if<Duration>(&v->data)) return Value(Duration{-dur->amount, dur->unit});
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
