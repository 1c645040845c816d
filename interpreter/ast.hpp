#pragma once
// The typed AST. The parser builds it with names as written; the checker fills in every `Ref`, slot and
// type, so the interpreter only follows indexes.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "interpreter/source.hpp"
#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace merit::ast {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// What a name was resolved to by the checker.
enum class RefKind : std::uint8_t {
  unresolved,
  parameter,   // index: Program::parameters
  function,    // index: Program::functions
  decision,    // index: Program::decisions (called like a function, with named inputs)
  input,       // index: the current decision's inputs
  definition,  // index: the current decision's definitions
  local,       // index: a slot in the current frame (function parameter, binder, calendar year)
  enum_value,  // index: enum declaration, sub: member
  calendar,    // index: Program::calendars
  builtin,     // index: the builtin table
};

struct Ref {
  RefKind kind = RefKind::unresolved;
  std::int32_t index = -1;
  std::int32_t sub = -1;
};

/// A variable introduced by `for x in`, `sort x in`, `take ... from x in`, `count x in`, ...
struct Binder {
  std::string name;
  SourceSpan span;
  std::int32_t slot = -1;
};

// clang-format off
enum class UnaryOp : std::uint8_t { negate, logical_not };
enum class BinaryOp : std::uint8_t {
  logical_or, logical_and,                       // lowest precedence
  equal, not_equal, less, less_equal, greater, greater_equal, member_of,
  add, subtract,
  multiply, divide,
  or_else,                                       // `x ?? y`: y where x is none
};
enum class Quantifier : std::uint8_t { count, exists, every, first };
// clang-format on

/// A literal value written in the rule file (numbers, text, dates, durations, true/false, none).
struct Literal {
  Value value;
};
/// `[a, b, c]`
struct ListLiteral {
  std::vector<ExprPtr> items;
};
/// A name: parameter, input, definition, local, enumeration member or calendar.
struct Name {
  std::string name;
  Ref ref;
};
/// `object.field`, or `Enum.member` where a bare member name would be ambiguous (the checker decides).
struct FieldAccess {
  ExprPtr object;
  std::string field;
  SourceSpan field_span;
  std::int32_t slot = -1;  // field slot in the record, or -1 when this is `Enum.member`
  Ref enum_member;         // set when `object` names an enumeration
};
/// One argument of a call; named arguments are used to call decisions.
struct Argument {
  std::string name;  // empty when positional
  SourceSpan name_span;
  ExprPtr value;
};
/// `f(a, b)` for functions and built-ins; `decision(input = x, ...)` for decisions.
struct Call {
  std::string callee;
  SourceSpan callee_span;
  std::vector<Argument> args;
  Ref ref;
  std::vector<std::int32_t> input_order;  // decisions: argument index for each input, -1 for a default
  // Set after checking (interpreter/inline.cpp), for a call of a small function: its body with the arguments
  // in place of its parameters, evaluated instead of calling it. Nothing that reads the rules sees it.
  mutable ExprPtr inlined = nullptr;
  // With `inlined`: the definitions and parameters the arguments name, evaluated before the body as a call
  // evaluates its arguments, so that a definition's error does not depend on whether the body reads it.
  mutable std::vector<Ref> named_first;
};
struct Unary {
  UnaryOp op;
  ExprPtr operand;
};
struct Binary {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
};
/// `if c then a else b`
struct Conditional {
  ExprPtr condition;
  ExprPtr then_branch;
  ExprPtr else_branch;
};
/// `[element for x in source after earlier where condition]`; with `after`, `earlier` is the list of the
/// elements made for the items before x, so each item may depend on those before it.
struct Comprehension {
  ExprPtr element;
  Binder var;
  ExprPtr source;
  ExprPtr condition;  // may be null
  std::optional<Binder> earlier;
  // The steps each item costs: one, and one for each node of the expressions evaluated for it (with the
  // bodies of the functions they call), set after checking (interpreter/weigh.cpp), so that the step limit
  // bounds the work and not only the items.
  mutable std::uint32_t per_item = 1;
};
struct SortKey {
  ExprPtr key;
  bool descending = false;
  // Its type is `duration` or `duration?`: set by the checker. Durations in different units have no order, so
  // a sort by one looks at the units of the keys it compares.
  bool by_duration = false;
};
/// `sort x in source by k1 descending, k2`
struct Sort {
  Binder var;
  ExprPtr source;
  std::vector<SortKey> keys;
  mutable std::uint32_t per_item = 1;  // as Comprehension::per_item
};
/// `take n from x in source counting condition with ties by k1, k2`: the first n items (or, with
/// `counting`, the shortest prefix holding n items that meet the condition), then every following item
/// whose tie keys equal those of the last item taken.
struct Take {
  ExprPtr count;
  Binder var;  // empty name when written `take n from source`
  ExprPtr source;
  ExprPtr counting;  // may be null
  std::vector<ExprPtr> tie_keys;
  mutable std::uint32_t per_item = 1;  // as Comprehension::per_item
};
/// `count x in xs where c`, `exists x in xs where c`, `every x in xs where c`, `first x in xs where c`
struct Quantified {
  Quantifier kind;
  Binder var;
  ExprPtr source;
  ExprPtr condition;
  mutable std::uint32_t per_item = 1;  // as Comprehension::per_item
};
/// One branch of a `choose`: the members it stands for, and its value.
struct ChooseBranch {
  std::vector<std::pair<std::string, SourceSpan>> members;
  ExprPtr value;
};
/// `choose r.method { standard: a  agency_promotional | open_competitive: b }`: the value of the branch
/// that names the subject's member. The checker makes sure each member is named once.
struct Choose {
  ExprPtr subject;
  std::vector<ChooseBranch> branches;
  std::vector<std::int32_t> branch_of_member;  // by member index of the subject's enumeration
};
/// `{}`: a map with no entries.
struct EmptyMap {};
struct FieldInit {
  std::string name;
  SourceSpan span;
  ExprPtr value;
};
/// `Type { field: value, ... }`; missing fields take their declared defaults.
struct RecordLiteral {
  std::string type_name;
  SourceSpan type_span;
  std::vector<FieldInit> fields;
  std::int32_t decl = -1;
  std::vector<std::int32_t> field_order;  // for each declared field: the init index, or -1 for its default
};

/// An expression with its span and (after checking) its type.
struct Expr {
  SourceSpan span;
  TypeRef type;
  std::variant<Literal, ListLiteral, Name, FieldAccess, Call, Unary, Binary, Conditional, Comprehension, Sort,
               Take, Quantified, RecordLiteral, EmptyMap, Choose>
      node;
};

/// A type as written: `integer`, `Candidate`, `list of text`, `map of text`, `date?`.
struct TypeExpr {
  SourceSpan span;
  std::string name;                   // empty for `list of` and `map of`
  std::unique_ptr<TypeExpr> element;  // set for `list of` and `map of`
  bool is_map = false;
  bool optional = false;
};

/// The section of the law a declaration encodes: `§ 2.B.1`.
struct Citation {
  std::string text;
  SourceSpan span;
};

/// One value of a parameter, in force from a date (or from the beginning when `from` is empty).
struct DatedValue {
  ExprPtr value;
  std::optional<Date> from;
  SourceSpan span;
};
/// `parameter complement_size: integer § 2.B.1 = 6`
struct Parameter {
  std::string name;
  SourceSpan span;
  TypeExpr type;
  Citation cite;
  std::vector<DatedValue> values;
  TypeRef resolved;
};

struct EnumMember {
  std::string name;
  SourceSpan span;
};
/// `enum Method § 2.A = standard | agency_promotional | ...`
struct Enumeration {
  std::string name;
  SourceSpan span;
  std::optional<Citation> cite;
  std::vector<EnumMember> members;
};

struct FieldDecl {
  std::string name;
  SourceSpan span;
  TypeExpr type;
  ExprPtr default_value;  // may be null
  TypeRef resolved;
};
/// `record Candidate { id: text  score: decimal  ... }`
struct Record {
  std::string name;
  SourceSpan span;
  std::optional<Citation> cite;
  std::vector<FieldDecl> fields;
};

struct ParamDecl {
  std::string name;
  SourceSpan span;
  TypeExpr type;
  std::int32_t slot = -1;
  TypeRef resolved;
};
/// `function tier(c: Candidate, r: Requisition): integer § 2.A.1 = ...`
/// `effective from 2027-07-01 through 2028-06-30`: the days a rule or function is in force, both ends
/// included; an open end runs without limit.
struct Effective {
  std::optional<Date> from;
  std::optional<Date> through;
  SourceSpan span;
  bool covers(Date d) const { return (!from || *from <= d) && (!through || d <= *through); }
};

struct Function {
  std::string name;
  SourceSpan span;
  std::vector<ParamDecl> params;
  TypeExpr result;
  std::optional<Citation> cite;
  std::optional<Effective> effective;
  ExprPtr body;
  ExprPtr
      explanation;  // `because ...`: why the lists it filters, sorts or takes leave items out, may be null
  std::int32_t frame_size = 0;
  TypeRef resolved;
  // Versions in force on different dates share a name: every version lists all of them (Program::functions
  // indexes, by start date). Empty for a function with one version.
  std::vector<std::int32_t> versions;
};

/// `input start: date`, with an optional default.
struct Input {
  std::string name;
  SourceSpan span;
  TypeExpr type;
  ExprPtr default_value;  // may be null
  TypeRef resolved;
  bool added_to_date = false;  // a length the rules add to a date: it may not be in working days
};
/// An output or local of a decision: `output max_end: date § 3.A.3 = ...`, `let x = ...`.
struct Definition {
  std::string name;
  SourceSpan span;
  bool is_output = false;
  std::optional<TypeExpr> type;  // locals may leave it to the value
  TypeRef resolved;
  bool versioned = false;  // declared with `effective`: later declarations of it are its other versions
  std::vector<std::int32_t> base_rules;      // rules that are not exceptions (Decision::rules indexes)
  std::vector<std::int32_t> top_exceptions;  // exceptions to every base rule
  // The steps working it out costs: the nodes of its rules' values and conditions, with the bodies of the
  // functions they call, set after checking (interpreter/weigh.cpp).
  mutable std::uint64_t weight = 1;
};
/// `rule label § cite: target = value when condition`, or an `exception`, which overrides the rules it
/// is an exception to (every non-exception rule of the target, or the one labelled in `to`).
struct Rule {
  std::optional<std::string> label;
  SourceSpan span;
  bool is_exception = false;
  std::optional<std::string> exception_to;
  SourceSpan exception_to_span;
  Citation cite;
  std::optional<Effective> effective;
  std::string target;
  SourceSpan target_span;
  ExprPtr value;
  ExprPtr condition;    // may be null: always applies
  ExprPtr explanation;  // `because ...`: text for a person, may be null
  std::int32_t definition = -1;
  std::int32_t parent = -1;              // for `exception ... to label`: the rule it overrides
  std::vector<std::int32_t> exceptions;  // the exceptions that name this rule in `to`
};
/// `require § 4: year(start) == year else "start must fall within the year"`: a condition the inputs must
/// meet; a case that fails it is invalid data, reported with the message.
struct Requirement {
  SourceSpan span;
  Citation cite;
  std::optional<Binder> each;  // `for r in requisitions:` checks every item
  ExprPtr each_source;
  ExprPtr condition;
  ExprPtr message;  // text, evaluated with the failing item bound
  // The steps checking it costs, for each item with `for`: one, and the nodes of its condition, set after
  // checking (interpreter/weigh.cpp).
  mutable std::uint32_t per_item = 1;
};
/// `decision acting_capacity § 3 as of start { ... }`
struct Decision {
  std::string name;
  SourceSpan span;
  Citation cite;
  ExprPtr as_of;  // a date (or none) from the inputs alone; may be null: the caller's date, or today
  std::vector<Input> inputs;
  std::vector<Definition> definitions;
  std::vector<Rule> rules;
  std::vector<Requirement> requirements;
  std::int32_t frame_size = 0;
  std::int32_t outputs_record = -1;  // the record type of its outputs, for calls
  // An `amend decision` block of an amendment file (interpreter/amend.cpp): its members are added to the
  // rules' decision of that name, and those written `replace` take the place of the decision's own.
  bool amends = false;
  std::vector<std::int32_t> replacing_rules;       // indexes into rules
  std::vector<std::string> replacing_definitions;  // names of outputs and lets
};

struct Holiday {
  std::string name;
  SourceSpan span;
  std::optional<Citation> cite;
  std::optional<Effective> effective;  // counts in a year only when this covers the day it falls on
  ExprPtr date;                        // evaluated with `year` bound
};
struct Closure {
  Date date;
  SourceSpan span;
  std::optional<Citation> cite;
  std::optional<Effective> effective;  // counts only when this covers the day
};
/// `calendar maine_state_government § 5 { weekend saturday, sunday  holiday x = ...  closed 2026-12-24 }`
struct Calendar {
  std::string name;
  SourceSpan span;
  std::optional<Citation> cite;
  std::vector<EnumMember> weekend;
  std::vector<Holiday> holidays;
  std::vector<Closure> closures;
  std::int32_t year_slot = 0;
  std::int32_t frame_size = 1;
};

using Declaration = std::variant<Parameter, Enumeration, Record, Function, Decision, Calendar>;

/// Everything one rule file declares, in order.
struct Module {
  std::uint32_t file = 0;
  std::vector<Declaration> declarations;
  // For each declaration: written `replace ...`, in an amendment file (interpreter/amend.cpp).
  std::vector<bool> replaces;
  bool amendment = false;  // read with --amend: its declarations amend the rules
};

}  // namespace merit::ast
