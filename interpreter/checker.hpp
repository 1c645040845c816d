#pragma once
// The checker's state, shared by the files that define its parts: check.cpp (the stage's entry points and
// recursion), check_collect.cpp (declarations collected, types as written), check_versions.cpp (amendments
// by date), check_declarations.cpp (parameters, functions, calendars), check_decisions.cpp (rules,
// exceptions, definitions, as of, requirements), check_expressions.cpp (names, calls, records),
// check_operators.cpp, check_lists.cpp (list forms) and check_lengths.cpp (working days).
// Only those files include it.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "interpreter/check.hpp"
#include "stdlib/builtins.hpp"

namespace merit::checking {

using ast::Expr;
using ast::Ref;
using ast::RefKind;

constexpr std::string_view weekday_names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};

/// "; did you mean `score`?" when one of the candidates is close to what was written.
std::string suggestion(std::string_view written, const std::vector<std::string>& candidates);

std::string where(const Program& program, const SourceSpan& span);

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

  Diagnostics run();

  Diagnostics check_global(ast::Expr& expr, const TypeRef& expected);

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

  // What each function, decision and calendar (in that order) uses, for the warning on declarations that
  // no decision reaches: such a provision can be asked by no one and exercised by no test.
  struct Uses {
    std::set<std::int32_t> callees;  // functions, then decisions, as in calls_
    std::set<std::int32_t> parameters;
    std::set<std::int32_t> calendars;
  };
  std::vector<Uses> uses_;

  /// The function, decision or calendar being checked, as an index into uses_; -1 outside them.
  std::int32_t user() const {
    if (current_caller_ >= 0) return current_caller_;
    if (checking_calendar_ >= 0)
      return static_cast<std::int32_t>(functions_.size() + decisions_.size()) + checking_calendar_;
    return -1;
  }

  // Per decision being checked: the state of each definition, for lazy typing and cycle detection.
  std::vector<Visit> definition_state_;
  std::vector<std::int32_t> definition_stack_;
  // Per decision being checked: for each definition, the rules that amend it by date or are exceptions to
  // one of its rules (checked after its base rules and top exceptions).
  std::vector<std::vector<std::int32_t>> nested_rules_;

  // Each decision's inputs and definitions by name, made when first asked: a name is looked up once per
  // use, and a decision may have thousands of lets.
  struct DecisionNames {
    std::unordered_map<std::string_view, std::int32_t> inputs;
    std::unordered_map<std::string_view, std::int32_t> definitions;
  };
  mutable std::unordered_map<const ast::Decision*, DecisionNames> decision_names_;
  const DecisionNames& names_of(const ast::Decision& d) const;

  // How many comprehensions with a running list (`after earlier`) are being checked inside one another:
  // the item of each is checked twice when its type is not known beforehand, so the depth is bounded.
  int running_depth_ = 0;

  void error(const SourceSpan& span, std::string message) {
    errors_.push_back(error_at(span, std::move(message)));
  }

  // -------------------------------------------------------------------------------------------------------
  // Collecting declarations (check_collect.cpp).

  // For an expression checked after the program: the name tables again, from the program's own.
  void index_checked_program();

  void add_weekday();

  void register_enum(const ast::Enumeration& e);

  bool type_name_taken(const std::string& name, const SourceSpan& span);

  template <typename Map>
  bool duplicate(Map& map, const std::string& name, const SourceSpan& span, std::string_view what,
                 const std::function<SourceSpan(std::int32_t)>& first) {
    const auto it = map.find(name);
    if (it == map.end()) return false;
    error(span, fmt::format("{} {} is declared twice; the first is at {}", what, name,
                            where(program_, first(it->second))));
    return true;
  }

  void collect();

  /// Enters a parameter, decision or calendar in the checker's and the program's tables under its name,
  /// unless another of its kind has that name.
  template <typename Decl>
  void collect_named(Decl& d, std::string_view what, std::unordered_map<std::string, std::int32_t>& index,
                     std::vector<Decl*>& checked, std::vector<const Decl*>& program) {
    if (duplicate(index, d.name, d.span, what,
                  [&](std::int32_t i) { return checked[static_cast<std::size_t>(i)]->span; })) {
      return;
    }
    index[d.name] = static_cast<std::int32_t>(checked.size());
    checked.push_back(&d);
    program.push_back(&d);
  }

  void collect_one(ast::Enumeration& e) {
    if (!type_name_taken(e.name, e.span)) register_enum(e);
  }

  void collect_one(ast::Record& r);

  void collect_one(ast::Parameter& p);

  void collect_one(ast::Function& f);

  void collect_one(ast::Decision& d);

  void collect_one(ast::Calendar& c);

  // -------------------------------------------------------------------------------------------------------
  // Types as written (check_collect.cpp).

  static bool is_basic_type_name(const std::string& name);

  std::vector<std::string> type_names() const;

  TypeRef resolve_type(const ast::TypeExpr& t);

  void resolve_declared_types();

  // -------------------------------------------------------------------------------------------------------
  // Amendments by date: the versions of one function, or of one rule, must not be in force on the same day,
  // and no day may fall between two of them (check_versions.cpp).

  struct Version {
    std::optional<ast::Effective> effective;
    SourceSpan span;
  };

  static std::string date_range(const std::optional<ast::Effective>& e);

  /// The first day a version is in force; nullopt (an open start) sorts before every date.
  static std::optional<Date> start_of(const std::optional<ast::Effective>& e) {
    return e ? e->from : std::nullopt;
  }

  void check_effective_ranges(std::vector<Version> versions, const std::string& what);

  void check_function_versions(ast::Function& first);

  bool same_type(const TypeRef& a, const TypeRef& b) const {
    return a && b && program_.type_name(a) == program_.type_name(b);
  }

  // The rules that are versions of one rule: those sharing a label, or else defining the same name under
  // the same condition.
  void check_rule_versions(const ast::Decision& d);

  std::string_view source_text(const SourceSpan& span) const;

  void resolve_decision_types(ast::Decision& d);

  void check_constant(ast::Expr& e, const TypeRef& type, std::string_view what);

  // -------------------------------------------------------------------------------------------------------
  // Declarations (check_declarations.cpp).

  void check_parameter(ast::Parameter& p);

  void check_function(std::int32_t index);

  void check_calendar(ast::Calendar& c);

  // -------------------------------------------------------------------------------------------------------
  // Decisions: rules, exceptions and lazily typed definitions (check_decisions.cpp).

  std::int32_t find_definition(const ast::Decision& d, std::string_view name) const;

  std::int32_t find_input(const ast::Decision& d, std::string_view name) const;

  std::vector<std::string> definition_names(const ast::Decision& d) const;

  void link_rules(ast::Decision& d);

  void check_decision(std::int32_t index);

  void check_requirement(ast::Requirement& r, Scope& scope);

  // The date a decision is judged as of picks the parameters and versions its rules use, so it is worked
  // out from the inputs alone.
  void check_as_of(ast::Decision& d, std::int32_t index);

  void ensure_definition(ast::Decision& d, std::int32_t decision, std::int32_t index);

  void check_rule(ast::Decision& d, std::int32_t decision, ast::Definition& def, ast::Rule& rule);

  // -------------------------------------------------------------------------------------------------------
  // Expressions: names, calls and records (check_expressions.cpp), operators (check_operators.cpp) and
  // list forms (check_lists.cpp).

  std::int32_t bind(Scope& scope, const std::string& name, TypeRef type);

  void expect(Expr& e, Scope& scope, const TypeRef& expected, std::string_view what);

  TypeRef check(Expr& e, Scope& scope, const TypeRef& expected);

  TypeRef error_type() const { return basic_type(TypeKind::error); }

  TypeRef check_node(Expr&, ast::Literal& lit, Scope&, const TypeRef& expected);

  // The type both branches (or all list items) fit: integer and decimal make decimal, none and T make T?.
  TypeRef unify(const TypeRef& a, const TypeRef& b);

  TypeRef check_node(Expr& e, ast::ListLiteral& list, Scope& scope, const TypeRef& expected);

  std::vector<std::string> visible_names(const Scope& scope) const;

  std::optional<Ref> resolve_enum_member(const std::string& name, const SourceSpan& span,
                                         const TypeRef& expected);

  TypeRef check_node(Expr& e, ast::Name& n, Scope& scope, const TypeRef& expected);

  std::vector<std::string> field_names(const ast::Record& r) const;

  TypeRef check_node(Expr&, ast::FieldAccess& access, Scope& scope, const TypeRef& expected);

  bool is_value_name(const std::string& name, const Scope& scope) const;

  TypeRef check_enum_member(ast::FieldAccess& access, std::int32_t decl);

  TypeRef check_node(Expr& e, ast::Call& call, Scope& scope, const TypeRef&);

  void note_call(std::int32_t callee) {
    if (current_caller_ >= 0) calls_[static_cast<std::size_t>(current_caller_)].insert(callee);
    if (user() >= 0) uses_[static_cast<std::size_t>(user())].callees.insert(callee);
  }

  void note_use(RefKind kind, std::int32_t index) {
    if (user() < 0) return;
    auto& uses = uses_[static_cast<std::size_t>(user())];
    (kind == RefKind::parameter ? uses.parameters : uses.calendars).insert(index);
  }

  TypeRef check_function_call(ast::Call& call, std::int32_t index, Scope& scope);

  TypeRef check_decision_call(Expr&, ast::Call& call, std::int32_t index, Scope& scope);

  TypeRef check_builtin_call(Expr&, ast::Call& call, std::int32_t index, Scope& scope);

  TypeRef check_node(Expr& e, ast::Unary& u, Scope& scope, const TypeRef&);

  static bool is_orderable(const TypeRef& t);

  TypeRef check_node(Expr& e, ast::Binary& b, Scope& scope, const TypeRef& expected);

  // The right side is checked with the left's type as a hint, so `method == standard` resolves `standard`.
  std::pair<TypeRef, TypeRef> check_pair(ast::Binary& b, Scope& scope);

  TypeRef check_equality(Expr& e, ast::Binary& b, Scope& scope);

  TypeRef check_ordering(Expr& e, ast::Binary& b, Scope& scope);

  TypeRef check_membership(Expr& e, ast::Binary& b, Scope& scope);

  TypeRef check_or_else(Expr& e, ast::Binary& b, Scope& scope, const TypeRef& expected);

  TypeRef check_arithmetic(Expr& e, ast::Binary& b, Scope& scope);

  TypeRef check_node(Expr& e, ast::Conditional& c, Scope& scope, const TypeRef& expected);

  // Checks a list to iterate over and returns its item type (error type if it is not a list).
  TypeRef check_source(ast::Expr& source, Scope& scope);

  /// Runs `body` with `var` bound to the items of a list of `item` type.
  template <typename Body>
  auto with_binder(Scope& scope, ast::Binder& var, const TypeRef& item, Body body) -> decltype(body()) {
    var.slot = bind(scope, var.name, item);
    auto result = body();
    scope.locals.pop_back();
    return result;
  }

  TypeRef check_node(Expr&, ast::Comprehension& c, Scope& scope, const TypeRef& expected);

  // With `after earlier`, the element's type is needed to type `earlier`: a first look with `earlier` of
  // unknown items finds it, then the element is checked for real (the first look's errors are dropped).
  // A let first reached in the first look would be marked checked with its errors dropped, so the first
  // look leaves the lets as it found them and the real check reaches them again.
  TypeRef check_running(ast::Comprehension& c, Scope& scope, const TypeRef& item, const TypeRef& want);

  void check_key(ast::Expr& key, Scope& scope);

  TypeRef check_node(Expr&, ast::Sort& s, Scope& scope, const TypeRef&);

  TypeRef check_node(Expr& e, ast::Take& t, Scope& scope, const TypeRef&);

  TypeRef check_node(Expr&, ast::Quantified& q, Scope& scope, const TypeRef&);

  TypeRef check_node(Expr& e, ast::Choose& c, Scope& scope, const TypeRef& expected);

  TypeRef check_node(Expr&, ast::EmptyMap&, Scope&, const TypeRef& expected);

  TypeRef check_node(Expr&, ast::RecordLiteral& r, Scope& scope, const TypeRef&);

  // -------------------------------------------------------------------------------------------------------
  // Recursion (check.cpp): the language terminates because no function or decision may call itself, even
  // indirectly.

  std::string caller_name(std::int32_t node) const;

  SourceSpan caller_span(std::int32_t node) const;

  void check_recursion();

  /// Warns of each function and parameter that no decision reaches, directly or through what it uses.
  void check_reach();
};

/// The units of lengths (check_lengths.cpp): no length in working days may be added to a date. Run only on
/// rules the Checker found no errors in, since it follows the checked expressions.
void check_working_days(Program& program, Diagnostics& errors);

}  // namespace merit::checking
