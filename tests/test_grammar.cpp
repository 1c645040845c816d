// The grammar and the parser: what parses, what the AST looks like, and where and how a syntax error is
// reported. Everything here goes through merit::parse_module / parse_expression, not the binary.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "grammar/parse.hpp"
#include "stdlib/dates.hpp"
#include "tests/run.hpp"

using namespace merit;

namespace {

// ---------------------------------------------------------------------------------------------------------
// Helpers.

struct Parsed {
  SourceSet sources;
  std::variant<ast::Module, Diagnostic> result;
};

Parsed parse(std::string_view text) {
  Parsed p;
  const auto file = p.sources.add("test.merit", std::string(text));
  p.result = parse_module(p.sources, file);
  return p;
}

/// "" when the text parses, else "LINE:COLUMN: MESSAGE".
std::string parse_error(std::string_view text) {
  const Parsed p = parse(text);
  if (const auto* d = std::get_if<Diagnostic>(&p.result)) {
    if (!d->span) return "?:?: " + d->message;
    return fmt::format("{}:{}: {}", d->span->line, d->span->column, d->message);
  }
  return "";
}

const ast::Module& module_of(const Parsed& p) {
  if (const auto* d = std::get_if<Diagnostic>(&p.result)) FAIL("unexpected syntax error: " << d->message);
  return std::get<ast::Module>(p.result);
}

std::string show_value(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, None>) {
          return "none";
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(x);
        } else if constexpr (std::is_same_v<T, double>) {
          return fmt::format("{}d", x);
        } else if constexpr (std::is_same_v<T, Text>) {
          std::string out = "\"";
          for (char c : *x) {
            if (c == '\n') {
              out += "\\n";
            } else if (c == '\t') {
              out += "\\t";
            } else {
              out += c;
            }
          }
          return out + "\"";
        } else if constexpr (std::is_same_v<T, Date>) {
          return stdlib::format_date(x);
        } else if constexpr (std::is_same_v<T, Duration>) {
          const char* unit = x.unit == DurationUnit::days           ? "days"
                             : x.unit == DurationUnit::working_days ? "working_days"
                             : x.unit == DurationUnit::months       ? "months"
                                                                    : "years";
          return fmt::format("{}:{}", x.amount, unit);
        } else {
          return "?";
        }
      },
      v.data);
}

const char* op_name(ast::BinaryOp op) {
  using ast::BinaryOp;
  switch (op) {
    case BinaryOp::logical_or:
      return "or";
    case BinaryOp::logical_and:
      return "and";
    case BinaryOp::equal:
      return "==";
    case BinaryOp::not_equal:
      return "!=";
    case BinaryOp::less:
      return "<";
    case BinaryOp::less_equal:
      return "<=";
    case BinaryOp::greater:
      return ">";
    case BinaryOp::greater_equal:
      return ">=";
    case BinaryOp::member_of:
      return "in";
    case BinaryOp::add:
      return "+";
    case BinaryOp::subtract:
      return "-";
    case BinaryOp::multiply:
      return "*";
    case BinaryOp::divide:
      return "/";
    case BinaryOp::or_else:
      return "??";
  }
  return "?";
}

/// The AST of an expression as an S-expression, to check its shape.
std::string show(const ast::Expr& e);

std::string show_all(const std::vector<ast::ExprPtr>& items) {
  std::string out;
  for (const auto& item : items) out += " " + show(*item);
  return out;
}

std::string show(const ast::Expr& e) {
  return std::visit(
      [](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Literal>) {
          return show_value(n.value);
        } else if constexpr (std::is_same_v<T, ast::ListLiteral>) {
          return "(list" + show_all(n.items) + ")";
        } else if constexpr (std::is_same_v<T, ast::Name>) {
          return n.name;
        } else if constexpr (std::is_same_v<T, ast::FieldAccess>) {
          return "(. " + show(*n.object) + " " + n.field + ")";
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          std::string out = "(call " + n.callee;
          for (const auto& a : n.args) out += " " + (a.name.empty() ? "" : a.name + "=") + show(*a.value);
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          return std::string(n.op == ast::UnaryOp::negate ? "(neg " : "(not ") + show(*n.operand) + ")";
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          return fmt::format("({} {} {})", op_name(n.op), show(*n.lhs), show(*n.rhs));
        } else if constexpr (std::is_same_v<T, ast::Conditional>) {
          return fmt::format("(if {} {} {})", show(*n.condition), show(*n.then_branch), show(*n.else_branch));
        } else if constexpr (std::is_same_v<T, ast::Comprehension>) {
          return fmt::format("(for {} {} {}{})", show(*n.element), n.var.name, show(*n.source),
                             n.condition ? " where " + show(*n.condition) : "");
        } else if constexpr (std::is_same_v<T, ast::Sort>) {
          std::string out = "(sort " + n.var.name + " " + show(*n.source);
          for (const auto& k : n.keys) out += " " + show(*k.key) + (k.descending ? " desc" : "");
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::Take>) {
          std::string out = "(take " + show(*n.count) + (n.var.name.empty() ? "" : " " + n.var.name) + " " +
                            show(*n.source);
          if (n.counting) out += " counting " + show(*n.counting);
          if (!n.tie_keys.empty()) out += " ties" + show_all(n.tie_keys);
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::Quantified>) {
          const char* kind = n.kind == ast::Quantifier::count    ? "count"
                             : n.kind == ast::Quantifier::exists ? "exists"
                             : n.kind == ast::Quantifier::every  ? "every"
                                                                 : "first";
          return fmt::format("({} {} {} {})", kind, n.var.name, show(*n.source), show(*n.condition));
        } else if constexpr (std::is_same_v<T, ast::RecordLiteral>) {
          std::string out = "(record " + n.type_name;
          for (const auto& f : n.fields) out += " " + f.name + ":" + show(*f.value);
          return out + ")";
        } else if constexpr (std::is_same_v<T, ast::Choose>) {
          std::string out = "(choose " + show(*n.subject);
          for (const auto& b : n.branches) {
            out += " ";
            for (std::size_t i = 0; i < b.members.size(); ++i)
              out += (i == 0 ? "" : "|") + b.members[i].first;
            out += ":" + show(*b.value);
          }
          return out + ")";
        } else {
          return "?";
        }
      },
      e.node);
}

/// Parses `text` as one expression (as for --set) and shows its AST, or "error L:C: message".
std::string expr(std::string_view text) {
  SourceSet sources;
  const auto file = sources.add("expr", std::string(text));
  auto result = parse_expression(sources, file);
  if (const auto* d = std::get_if<Diagnostic>(&result)) {
    return fmt::format("error {}:{}: {}", d->span ? d->span->line : 0, d->span ? d->span->column : 0,
                       d->message);
  }
  return show(*std::get<ast::ExprPtr>(result));
}

/// The same expression, parsed inside a rule file as the value of a parameter.
std::string expr_in_module(std::string_view text) {
  const Parsed p = parse(fmt::format("parameter p: integer § 1 = {}\n", text));
  if (const auto* d = std::get_if<Diagnostic>(&p.result)) return "error " + d->message;
  const auto& m = std::get<ast::Module>(p.result);
  return show(*std::get<ast::Parameter>(m.declarations.at(0)).values.at(0).value);
}

std::string show_type(const ast::TypeExpr& t) {
  std::string out = t.element ? "list of " + show_type(*t.element) : t.name;
  return t.optional ? out + "?" : out;
}

}  // namespace

// -------------------------------------------------------------------------------------------------------------

TEST_CASE("grammar: PEGTL analysis finds no rule that can loop without consuming input") {
  CHECK(analyze_grammar() == 0);
}

TEST_CASE("grammar: empty files, comments and law quotes parse to no declarations") {
  for (const char* text : {"", "\n\n", "   \t \n", "# only a comment", "# a\n# b\n",
                           "> 1. Rule of Six\n> text of the regulation\n", "  > an indented quote\n",
                           "> quote without a newline at the end"}) {
    CAPTURE(text);
    const Parsed p = parse(text);
    REQUIRE(std::holds_alternative<ast::Module>(p.result));
    CHECK(std::get<ast::Module>(p.result).declarations.empty());
  }
}

TEST_CASE("grammar: comments and law quotes may sit between and inside declarations") {
  const Parsed p = parse(
      "> 2.B.1 Whenever register size and composition permit,\n"
      "> a certification shall include six persons.\n"
      "parameter complement_size: integer § 2.B.1 = 6   # the rule of six\n"
      "# a comment line\n"
      "enum Method § 2.A =   # comment after '='\n"
      "  standard\n"
      "  | open_competitive  # comment in the list\n"
      "> quoted text between declarations\n"
      "record R {\n"
      "> quoted text inside a record\n"
      "  a: integer # comment\n"
      "}\n");
  const auto& m = module_of(p);
  REQUIRE(m.declarations.size() == 3);
  const auto& param = std::get<ast::Parameter>(m.declarations[0]);
  CHECK(param.name == "complement_size");
  CHECK(param.span.line == 3);
  CHECK(param.span.column == 11);
  CHECK(show(*param.values.at(0).value) == "6");
  const auto& e = std::get<ast::Enumeration>(m.declarations[1]);
  REQUIRE(e.members.size() == 2);
  CHECK(e.members[1].name == "open_competitive");
  CHECK(e.members[1].span.line == 7);
  CHECK(std::get<ast::Record>(m.declarations[2]).fields.size() == 1);
}

TEST_CASE("grammar: a '#' inside text is text, not a comment") {
  CHECK(expr_in_module(R"("a # b")") == R"("a # b")");
}

// -------------------------------------------------------------------------------------------------------------
// Declarations.

TEST_CASE("grammar: parameter with one value and with dated values") {
  const Parsed p = parse(
      "parameter selection_period: duration § 2.I = 21 days\n"
      "parameter complement_size: integer § 2.B.1\n"
      "  = 6\n"
      "  = 5 from 2027-07-01\n"
      "  = 4 from 2030-01-01\n"
      "parameter names: list of text § 1 = [\"a\", \"b\"]\n"
      "parameter maybe: date? § 1 = none\n");
  const auto& m = module_of(p);
  REQUIRE(m.declarations.size() == 4);
  const auto& a = std::get<ast::Parameter>(m.declarations[0]);
  CHECK(a.name == "selection_period");
  CHECK(show_type(a.type) == "duration");
  CHECK(a.cite.text == "2.I");
  REQUIRE(a.values.size() == 1);
  CHECK_FALSE(a.values[0].from.has_value());
  CHECK(show(*a.values[0].value) == "21:days");

  const auto& b = std::get<ast::Parameter>(m.declarations[1]);
  CHECK(b.cite.text == "2.B.1");
  REQUIRE(b.values.size() == 3);
  CHECK_FALSE(b.values[0].from.has_value());
  REQUIRE(b.values[1].from.has_value());
  CHECK(stdlib::format_date(*b.values[1].from) == "2027-07-01");
  CHECK(show(*b.values[1].value) == "5");
  CHECK(b.values[1].span.line == 4);
  CHECK(stdlib::format_date(*b.values[2].from) == "2030-01-01");

  const auto& c = std::get<ast::Parameter>(m.declarations[2]);
  CHECK(show_type(c.type) == "list of text");
  CHECK(show(*c.values[0].value) == R"((list "a" "b"))");

  const auto& d = std::get<ast::Parameter>(m.declarations[3]);
  CHECK(show_type(d.type) == "date?");
  CHECK(d.type.optional);
  CHECK(show(*d.values[0].value) == "none");
}

TEST_CASE("grammar: enum with and without a citation") {
  const Parsed parsed = parse(
      "enum Method § 2.A = standard | agency_promotional | statewide_promotional | open_competitive\n"
      "enum Flag = on | off\n"
      "enum One = only\n");
  const auto& m = module_of(parsed);
  REQUIRE(m.declarations.size() == 3);
  const auto& a = std::get<ast::Enumeration>(m.declarations[0]);
  CHECK(a.name == "Method");
  REQUIRE(a.cite.has_value());
  CHECK(a.cite->text == "2.A");
  REQUIRE(a.members.size() == 4);
  CHECK(a.members[0].name == "standard");
  CHECK(a.members[3].name == "open_competitive");
  CHECK(a.members[3].span.column == 78);
  const auto& b = std::get<ast::Enumeration>(m.declarations[1]);
  CHECK_FALSE(b.cite.has_value());
  CHECK(b.members.size() == 2);
  CHECK(std::get<ast::Enumeration>(m.declarations[2]).members.size() == 1);
}

TEST_CASE("grammar: record fields with types, defaults, optional marks and commas") {
  const Parsed parsed = parse(
      "record Candidate § 2 {\n"
      "  id: text\n"
      "  score: decimal\n"
      "  agency: text? = none\n"
      "  promotional_preference: boolean = false,\n"
      "  tags: list of text = [], rank: integer = 1\n"
      "  nested: list of list of date?\n"
      "}\n"
      "record Empty {}\n");
  const auto& m = module_of(parsed);
  REQUIRE(m.declarations.size() == 2);
  const auto& r = std::get<ast::Record>(m.declarations[0]);
  CHECK(r.name == "Candidate");
  REQUIRE(r.cite.has_value());
  CHECK(r.cite->text == "2");
  REQUIRE(r.fields.size() == 7);
  CHECK(r.fields[0].name == "id");
  CHECK(show_type(r.fields[0].type) == "text");
  CHECK(r.fields[0].default_value == nullptr);
  CHECK(show_type(r.fields[2].type) == "text?");
  CHECK(show(*r.fields[2].default_value) == "none");
  CHECK(show(*r.fields[3].default_value) == "false");
  CHECK(show(*r.fields[4].default_value) == "(list)");
  CHECK(r.fields[5].name == "rank");
  CHECK(r.fields[5].span.line == 6);
  CHECK(show_type(r.fields[6].type) == "list of list of date?");
  CHECK(std::get<ast::Record>(m.declarations[1]).fields.empty());
}

TEST_CASE("grammar: function with parameters, result type and optional citation") {
  const Parsed parsed = parse(
      "function tier(c: Candidate, agency: text): integer § 2.A.1 =\n"
      "  if c.agency == agency then 1 else 4\n"
      "function zero(): integer = 0\n");
  const auto& m = module_of(parsed);
  REQUIRE(m.declarations.size() == 2);
  const auto& f = std::get<ast::Function>(m.declarations[0]);
  CHECK(f.name == "tier");
  REQUIRE(f.params.size() == 2);
  CHECK(f.params[0].name == "c");
  CHECK(show_type(f.params[0].type) == "Candidate");
  CHECK(f.params[1].name == "agency");
  CHECK(show_type(f.result) == "integer");
  REQUIRE(f.cite.has_value());
  CHECK(f.cite->text == "2.A.1");
  CHECK(show(*f.body) == "(if (== (. c agency) agency) 1 4)");
  const auto& g = std::get<ast::Function>(m.declarations[1]);
  CHECK(g.params.empty());
  CHECK_FALSE(g.cite.has_value());
  CHECK(show(*g.body) == "0");
}

TEST_CASE("grammar: decision members: inputs, outputs, lets, rules, exceptions, require, as of") {
  const Parsed parsed = parse(
      "decision acting_capacity § 3 as of start {\n"
      "  input start: date\n"
      "  input extension_granted: boolean = false\n"
      "  let short_assignment = start <= start\n"
      "  let typed: integer § 3.B = 1\n"
      "  let undefined_here: text\n"
      "  output route: Route\n"
      "  rule § 3.A.2: route = register_appointment\n"
      "  rule base § 3.A.2: route = other when extension_granted\n"
      "  exception § 3.A.1: route = open_appointment when short_assignment\n"
      "  exception promo to base § 3.A.3: route = promoted\n"
      "  output max_end: date § 3.A.3 = start\n"
      "  require § 4: start == start else \"start must be itself\"\n"
      "}\n");
  const auto& m = module_of(parsed);
  REQUIRE(m.declarations.size() == 1);
  const auto& d = std::get<ast::Decision>(m.declarations[0]);
  CHECK(d.name == "acting_capacity");
  CHECK(d.cite.text == "3");
  REQUIRE(d.as_of != nullptr);
  CHECK(show(*d.as_of) == "start");
  CHECK(d.as_of->span.column == 37);
  REQUIRE(d.inputs.size() == 2);
  CHECK(d.inputs[0].name == "start");
  CHECK(d.inputs[0].default_value == nullptr);
  CHECK(show(*d.inputs[1].default_value) == "false");

  REQUIRE(d.definitions.size() == 5);
  CHECK(d.definitions[0].name == "short_assignment");
  CHECK_FALSE(d.definitions[0].is_output);
  CHECK_FALSE(d.definitions[0].type.has_value());
  CHECK(d.definitions[1].name == "typed");
  REQUIRE(d.definitions[1].type.has_value());
  CHECK(show_type(*d.definitions[1].type) == "integer");
  CHECK(d.definitions[2].name == "undefined_here");
  CHECK(d.definitions[3].name == "route");
  CHECK(d.definitions[3].is_output);
  CHECK(d.definitions[4].name == "max_end");

  // `let x = v` and `output x: T § c = v` each give one rule; the rules come in source order.
  REQUIRE(d.rules.size() == 7);
  CHECK(d.rules[0].target == "short_assignment");
  CHECK(d.rules[0].cite.text == "3");  // a let without a citation cites the decision
  CHECK(show(*d.rules[0].value) == "(<= start start)");
  CHECK(d.rules[1].target == "typed");
  CHECK(d.rules[1].cite.text == "3.B");
  const auto& plain = d.rules[2];
  CHECK(plain.target == "route");
  CHECK_FALSE(plain.is_exception);
  CHECK_FALSE(plain.label.has_value());
  CHECK(plain.cite.text == "3.A.2");
  CHECK(plain.condition == nullptr);
  CHECK(plain.span.line == 8);
  const auto& labelled = d.rules[3];
  REQUIRE(labelled.label.has_value());
  CHECK(*labelled.label == "base");
  CHECK(show(*labelled.condition) == "extension_granted");
  const auto& top = d.rules[4];
  CHECK(top.is_exception);
  CHECK_FALSE(top.exception_to.has_value());
  CHECK(show(*top.value) == "open_appointment");
  CHECK(show(*top.condition) == "short_assignment");
  const auto& to = d.rules[5];
  CHECK(to.is_exception);
  REQUIRE(to.label.has_value());
  CHECK(*to.label == "promo");
  REQUIRE(to.exception_to.has_value());
  CHECK(*to.exception_to == "base");
  CHECK(to.exception_to_span.column == 22);
  CHECK(to.cite.text == "3.A.3");
  CHECK(d.rules[6].target == "max_end");
  CHECK(d.rules[6].cite.text == "3.A.3");

  REQUIRE(d.requirements.size() == 1);
  CHECK(d.requirements[0].cite.text == "4");
  CHECK(show(*d.requirements[0].condition) == "(== start start)");
  CHECK(d.requirements[0].span.line == 13);
}

TEST_CASE("grammar: a decision judged as of a date worked out from its inputs") {
  const auto as_of = [](const std::string& clause) {
    const Parsed parsed = parse("decision d § 1 as of " + clause + " {\n  input start: date?\n}\n");
    if (const auto* e = std::get_if<Diagnostic>(&parsed.result)) return "error " + e->message;
    return show(*std::get<ast::Decision>(module_of(parsed).declarations.at(0)).as_of);
  };
  CHECK(as_of("start") == "start");
  CHECK(as_of("r.start") == "(. r start)");
  CHECK(as_of("start ?? date(year, 1, 1)") == "(?? start (call date year 1 1))");
  // A name right before the decision's `{` ends the date; the decision's first member is not a field.
  CHECK(as_of("start ?? first_day") == "(?? start first_day)");
  // Also when the decision opens with a quote.
  const Parsed quoted =
      parse("decision d § 1 as of start ?? first_day {\n  > 4. quoted\n  input start: date?\n}\n");
  CHECK(show(*std::get<ast::Decision>(module_of(quoted).declarations.at(0)).as_of) == "(?? start first_day)");
}

TEST_CASE("grammar: an exception to a label without a label of its own") {
  const Parsed parsed = parse(
      "decision d § 1 {\n"
      "  output x: integer\n"
      "  rule base § 1: x = 1\n"
      "  exception to base § 2: x = 2 when true\n"
      "}\n");
  const auto& m = module_of(parsed);
  const auto& d = std::get<ast::Decision>(m.declarations.at(0));
  REQUIRE(d.rules.size() == 2);
  CHECK_FALSE(d.rules[1].label.has_value());
  REQUIRE(d.rules[1].exception_to.has_value());
  CHECK(*d.rules[1].exception_to == "base");
}

TEST_CASE("grammar: calendar with weekend, holidays and closed days") {
  const Parsed parsed = parse(
      "calendar state § \"5 M.R.S. §59\" {\n"
      "  weekend saturday, sunday\n"
      "  holiday christmas = observed(date(year, 12, 25))\n"
      "  holiday thanksgiving § 59.4 = nth_weekday(4, thursday, 11, year)\n"
      "  closed 2026-12-24\n"
      "  closed 2026-12-31 § \"order 7\"\n"
      "  holiday juneteenth § 59.5 effective from 2027-01-01 = date(year, 6, 19)\n"
      "  closed 2027-12-24 effective from 2027-01-01 through 2027-12-31\n"
      "}\n"
      "calendar bare {}\n");
  const auto& m = module_of(parsed);
  REQUIRE(m.declarations.size() == 2);
  const auto& c = std::get<ast::Calendar>(m.declarations[0]);
  CHECK(c.name == "state");
  REQUIRE(c.cite.has_value());
  CHECK(c.cite->text == "5 M.R.S. §59");
  REQUIRE(c.weekend.size() == 2);
  CHECK(c.weekend[0].name == "saturday");
  CHECK(c.weekend[1].name == "sunday");
  REQUIRE(c.holidays.size() == 3);
  CHECK_FALSE(c.holidays[0].effective.has_value());
  REQUIRE(c.holidays[2].effective.has_value());
  CHECK(stdlib::format_date(*c.holidays[2].effective->from) == "2027-01-01");
  CHECK_FALSE(c.holidays[2].effective->through.has_value());
  CHECK(show(*c.holidays[2].date) == "(call date year 6 19)");
  CHECK(c.holidays[0].name == "christmas");
  CHECK_FALSE(c.holidays[0].cite.has_value());
  CHECK(show(*c.holidays[0].date) == "(call observed (call date year 12 25))");
  REQUIRE(c.holidays[1].cite.has_value());
  CHECK(c.holidays[1].cite->text == "59.4");
  CHECK(show(*c.holidays[1].date) == "(call nth_weekday 4 thursday 11 year)");
  REQUIRE(c.closures.size() == 3);
  REQUIRE(c.closures[2].effective.has_value());
  CHECK(stdlib::format_date(*c.closures[2].effective->through) == "2027-12-31");
  CHECK(stdlib::format_date(c.closures[0].date) == "2026-12-24");
  CHECK_FALSE(c.closures[0].cite.has_value());
  REQUIRE(c.closures[1].cite.has_value());
  CHECK(c.closures[1].cite->text == "order 7");
  const auto& bare = std::get<ast::Calendar>(m.declarations[1]);
  CHECK(bare.weekend.empty());
  CHECK(bare.holidays.empty());
}

TEST_CASE("grammar: citations with §, the word section, and quoted text") {
  struct Case {
    const char* cite;
    const char* text;
  };
  const Case cases[] = {
      {"§ 2.B.1", "2.B.1"},
      {"§2.B.1", "2.B.1"},
      {"section 2.B.1", "2.B.1"},
      {"§ 3.A.5.d", "3.A.5.d"},
      {"§ MMS", "MMS"},
      {"§ 2(a)-1/b_c", "2(a)-1/b_c"},
      {"§ \"4 M.R.S. §1051\"", "4 M.R.S. §1051"},
      {"section \"Chapter 8, 2\"", "Chapter 8, 2"},
      {"§ \"with \\\"quotes\\\"\"", "with \"quotes\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.cite);
    const Parsed p = parse(fmt::format("parameter x: integer {} = 1\n", c.cite));
    const auto& m = module_of(p);
    REQUIRE(m.declarations.size() == 1);
    CHECK(std::get<ast::Parameter>(m.declarations[0]).cite.text == c.text);
  }
}

// -------------------------------------------------------------------------------------------------------------
// Literals.

TEST_CASE("grammar: literals") {
  struct Case {
    const char* text;
    const char* ast;
  };
  const Case cases[] = {
      {"0", "0"},
      {"42", "42"},
      {"9223372036854775807", "9223372036854775807"},
      {"92.5", "92.5d"},
      {"0.25", "0.25d"},
      {"true", "true"},
      {"false", "false"},
      {"none", "none"},
      {"2026-03-01", "2026-03-01"},
      {"2024-02-29", "2024-02-29"},
      {"0001-01-01", "0001-01-01"},
      {"9999-12-31", "9999-12-31"},
      {"21 days", "21:days"},
      {"1 day", "1:days"},
      {"3 months", "3:months"},
      {"1 month", "1:months"},
      {"1 year", "1:years"},
      {"2 years", "2:years"},
      {"90 working days", "90:working_days"},
      {"1 working day", "1:working_days"},
      {"90  working\tdays", "90:working_days"},
      {"-21 days", "(neg 21:days)"},
      {"-5", "(neg 5)"},
      {R"("")", R"("")"},
      {R"("plain text")", R"("plain text")"},
      {R"("a\"b")", R"("a"b")"},
      {R"("back\\slash")", R"("back\slash")"},
      {R"("line\nbreak")", R"("line\nbreak")"},
      {R"("tab\there")", R"("tab\there")"},
      {R"("§ unicode é")", R"("§ unicode é")"},
      {"[]", "(list)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(expr(c.text) == std::string(c.ast));
    CHECK(expr_in_module(c.text) == std::string(c.ast));
  }
}

TEST_CASE("grammar: a number glued to letters is not a number") {
  CHECK(expr("12abc") == "error 1:1: expected a value or an expression");
  // The date literal does not match, so this reads as 2026 - 03 - 01x.
  CHECK(expr("2026-03-01x") == "error 1:9: expected a value after the operator");
}

TEST_CASE("grammar: leftover text after a whole expression is not reported as a missing declaration") {
  CHECK(expr("1.5x") == "error 1:2: unexpected text after the value");
  CHECK(expr("1 2") == "error 1:3: unexpected text after the value");
  CHECK(expr("21 dayz") == "error 1:4: unexpected text after the value");
}

TEST_CASE("grammar: literal errors") {
  CHECK(parse_error("parameter d: date § 1 = 2026-02-30\n") == "1:26: 2026-02-30 is not a date that exists");
  CHECK(parse_error("parameter d: date § 1 = 2025-02-29\n") == "1:26: 2025-02-29 is not a date that exists");
  CHECK(parse_error("parameter d: date § 1 = 2026-13-01\n") == "1:26: 2026-13-01 is not a date that exists");
  CHECK(parse_error("parameter d: date § 1 = 0000-01-01\n") == "1:26: 0000-01-01 is not a date that exists");
  CHECK(parse_error("parameter n: integer § 1 = 9223372036854775808\n") == "1:29: this number is too large");
  CHECK(parse_error("parameter n: duration § 1 = 99999999999999999999 days\n") ==
        "1:30: this number is too large");
  CHECK(parse_error("parameter t: text § 1 = \"abc\n") == "1:30: this text has no closing \" on its line");
  CHECK(parse_error("parameter t: text § 1 = \"abc\ndef\"\n") ==
        "1:30: this text has no closing \" on its line");
  CHECK(parse_error("parameter p: integer § 1 = 1\n  = 2 from 2026-02-30\n") ==
        "2:12: 2026-02-30 is not a date that exists");
  CHECK(parse_error("calendar c { closed 2026-04-31 }\n") == "1:21: 2026-04-31 is not a date that exists");
}

// -------------------------------------------------------------------------------------------------------------
// Expressions.

TEST_CASE("grammar: operator precedence and associativity") {
  struct Case {
    const char* text;
    const char* ast;
  };
  const Case cases[] = {
      {"a or b and c", "(or a (and b c))"},
      {"a and b or c", "(or (and a b) c)"},
      {"a or b or c", "(or (or a b) c)"},
      {"not a == b", "(not (== a b))"},
      {"not a and b", "(and (not a) b)"},
      {"not not a", "(not (not a))"},
      {"1 + 2 * 3", "(+ 1 (* 2 3))"},
      {"1 * 2 + 3", "(+ (* 1 2) 3)"},
      {"(1 + 2) * 3", "(* (+ 1 2) 3)"},
      {"1 - 2 - 3", "(- (- 1 2) 3)"},
      {"8 / 4 / 2", "(/ (/ 8 4) 2)"},
      {"-a * b", "(* (neg a) b)"},
      {"- - a", "(neg (neg a))"},
      {"a - -b", "(- a (neg b))"},
      {"-c.score", "(neg (. c score))"},
      {"a + b == c * d", "(== (+ a b) (* c d))"},
      {"a < b and c >= d", "(and (< a b) (>= c d))"},
      {"a <= b or c > d", "(or (<= a b) (> c d))"},
      {"a != b", "(!= a b)"},
      {"x ?? 0 + 1", "(?? x (+ 0 1))"},
      {"x + 1 ?? y", "(?? (+ x 1) y)"},
      {"x ?? y ?? z", "(?? (?? x y) z)"},
      {"x ?? 1 < 2", "(< (?? x 1) 2)"},
      {"x in xs", "(in x xs)"},
      {"x not in xs", "(not (in x xs))"},
      {"x not  in xs", "(not (in x xs))"},
      {"a + 1 in xs and b", "(and (in (+ a 1) xs) b)"},
      {"not x in xs", "(not (in x xs))"},
      {"c.agency.name", "(. (. c agency) name)"},
      {"f(x).y", "(. (call f x) y)"},
      {"received + 21 days", "(+ received 21:days)"},
      {"if a then 1 else 2", "(if a 1 2)"},
      {"if a then 1 else if b then 2 else 3", "(if a 1 (if b 2 3))"},
      {"if a or b then x + 1 else y", "(if (or a b) (+ x 1) y)"},
      {"1 + (if a then 1 else 2)", "(+ 1 (if a 1 2))"},
      {"Method.standard", "(. Method standard)"},
      {"[1, 2] + [3]", "(+ (list 1 2) (list 3))"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(expr(c.text) == std::string(c.ast));
  }
}

TEST_CASE("grammar: calls and record literals") {
  struct Case {
    const char* text;
    const char* ast;
  };
  const Case cases[] = {
      {"f()", "(call f)"},
      {"f(1)", "(call f 1)"},
      {"f(1, g(2), x + 1)", "(call f 1 (call g 2) (+ x 1))"},
      {"f (1)", "(call f 1)"},
      {"d(start = x, end = y + 1)", "(call d start=x end=(+ y 1))"},
      {"d(flag = a == b)", "(call d flag=(== a b))"},
      {"f(a == b)", "(call f (== a b))"},
      {"date(year, 12, 25)", "(call date year 12 25)"},
      {"Certified { id: c.id, cite: \"2.B.1\" }", "(record Certified id:(. c id) cite:\"2.B.1\")"},
      {"Point {}", "(record Point)"},
      {"Point { x: 1, }", "(record Point x:1)"},
      {"Outer { inner: Inner { a: [1] } }", "(record Outer inner:(record Inner a:(list 1)))"},
      {"Point { x: 1 }.x", "(. (record Point x:1) x)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(expr(c.text) == std::string(c.ast));
  }
}

TEST_CASE("grammar: lists, comprehensions, sort, take and quantifiers") {
  struct Case {
    const char* text;
    const char* ast;
  };
  const Case cases[] = {
      {"[1, 2, 3]", "(list 1 2 3)"},
      {"[ 1 ,2 ]", "(list 1 2)"},
      {"[[1], []]", "(list (list 1) (list))"},
      {"[c.id for c in cs]", "(for (. c id) c cs)"},
      {"[c.id for c in cs where c.score > 70]", "(for (. c id) c cs where (> (. c score) 70))"},
      {"[x for x in [1, 2] where x in ys]", "(for x x (list 1 2) where (in x ys))"},
      {"sort c in cs by c.score", "(sort c cs (. c score))"},
      {"sort c in cs by tier(c), c.score descending, c.id",
       "(sort c cs (call tier c) (. c score) desc (. c id))"},
      {"sort c in cs by c.score descending", "(sort c cs (. c score) desc)"},
      {"take 6 from ranked", "(take 6 ranked)"},
      {"take 6 from c in ranked with ties by c.score", "(take 6 c ranked ties (. c score))"},
      {"take 6 from c in ranked with ties by tier(c), c.score",
       "(take 6 c ranked ties (call tier c) (. c score))"},
      {"take 3 from c in rest counting c.id not in declined with ties by c.score",
       "(take 3 c rest counting (not (in (. c id) declined)) ties (. c score))"},
      {"take 3 from c in rest counting c.ok", "(take 3 c rest counting (. c ok))"},
      {"take n + 1 from c in (sort c in cs by c.id) with ties by c.id",
       "(take (+ n 1) c (sort c cs (. c id)) ties (. c id))"},
      {"count c in cs where c.score > 80", "(count c cs (> (. c score) 80))"},
      {"exists c in cs where c.id == \"x\"", "(exists c cs (== (. c id) \"x\"))"},
      {"every c in cs where c.ok and c.score > 1", "(every c cs (and (. c ok) (> (. c score) 1)))"},
      {"first c in cs where c.ok", "(first c cs (. c ok))"},
      {"first(xs)", "(call first xs)"},
      {"count(xs)", "(call count xs)"},
      {"(count c in cs where c.ok) + 1", "(+ (count c cs (. c ok)) 1)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(expr(c.text) == std::string(c.ast));
    CHECK(expr_in_module(c.text) == std::string(c.ast));
  }
}

TEST_CASE("grammar: count, exists, every and first stay free as names") {
  const Parsed parsed = parse(
      "decision d § 1 {\n"
      "  input count: integer\n"
      "  input first: text\n"
      "  output every: integer § 1 = count + 1\n"
      "  output exists: text § 1 = first\n"
      "}\n");
  const auto& m = module_of(parsed);
  const auto& d = std::get<ast::Decision>(m.declarations.at(0));
  CHECK(d.inputs.at(0).name == "count");
  CHECK(d.definitions.at(0).name == "every");
  CHECK(show(*d.rules.at(0).value) == "(+ count 1)");
  CHECK(show(*d.rules.at(1).value) == "first");
}

TEST_CASE("grammar: spans of expressions") {
  SourceSet sources;
  const auto file = sources.add("expr", "a +\n  b * c");
  auto result = parse_expression(sources, file);
  REQUIRE(std::holds_alternative<ast::ExprPtr>(result));
  const auto& e = *std::get<ast::ExprPtr>(result);
  CHECK(e.span.line == 1);
  CHECK(e.span.column == 1);
  CHECK(e.span.begin == 0);
  CHECK(e.span.end == 11);
  const auto& rhs = *std::get<ast::Binary>(e.node).rhs;
  CHECK(rhs.span.line == 2);
  CHECK(rhs.span.column == 3);
}

// -------------------------------------------------------------------------------------------------------------
// Syntax errors: each commit point, with its message and position.

TEST_CASE("grammar: syntax errors at declaration commit points") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      // parameter
      {"parameter complement_size: integer = 6\n", "1:36: expected the section this encodes, like § 2.B.1"},
      {"parameter x: § 1 = 6\n",
       "1:14: expected a type, like integer, decimal, text, date, duration, boolean, a declared enum or "
       "record, "
       "or list of ..."},
      {"parameter x integer § 1 = 6\n", "1:13: expected ':' and a type"},
      {"parameter x: integer § 1 6\n", "1:27: expected '=' and the parameter's value"},
      {"parameter x: integer § 1\n", "2:1: expected '=' and the parameter's value"},
      {"parameter x: integer § 1 =\n", "2:1: expected a value after '='"},
      {"parameter x: integer § = 6\n", "1:25: expected the section number after §, like 2.B.1"},
      {"parameter x: integer section = 6\n", "1:30: expected the section number after §, like 2.B.1"},
      {"parameter x: integer §\n 2.B = 6\n", "1:24: expected the section number after §, like 2.B.1"},
      {"parameter: integer § 1 = 6\n",
       "1:10: expected a name (letters, digits and _, starting with a letter) that is not a keyword"},
      {"parameter if: integer § 1 = 6\n",
       "1:11: expected a name (letters, digits and _, starting with a letter) that is not a keyword"},
      {"parameter x: list text § 1 = []\n", "1:19: expected 'of' after 'list', like list of text"},
      {"parameter x: integer § 1 = 1\n  = 2 from 20260101\n", "2:16: expected a date like 2026-03-01"},
      // enum
      {"enum E § 1 standard | other\n", "1:13: expected '='"},
      {"enum E § 1 =\n", "2:1: expected the enum's values, separated by |"},
      {"enum E = a | \n", "2:1: expected the enum's values, separated by |"},
      {"enum E = a | if\n", "1:14: expected the enum's values, separated by |"},
      // record
      {"record R\n  a: integer\n}\n", "2:3: expected '{'"},
      {"record R {\n  a integer\n}\n", "2:5: expected ':' and a type"},
      {"record R {\n  a: integer\n", "3:1: expected a field like 'score: decimal', or '}' to end the record"},
      {"record R {\n  a: integer = \n}\n", "3:1: expected a value after '='"},
      {"record R {\n  a: \n}\n",
       "3:1: expected a type, like integer, decimal, text, date, duration, boolean, a declared enum or "
       "record, "
       "or list of ..."},
      // function
      {"function f: integer = 1\n", "1:11: expected '(' and the function's parameters"},
      {"function f(x integer): integer = 1\n", "1:14: expected ':' and a type"},
      {"function f(x: integer: integer = 1\n", "1:22: expected ')'"},
      {"function f(x: integer) = 1\n", "1:24: expected ':' and a type"},
      {"function f(x: integer): integer 1\n", "1:33: expected '='"},
      {"function f(x: integer): integer =\n", "2:1: expected a value after '='"},
      // decision
      {"decision d {\n}\n", "1:12: expected the section this encodes, like § 2.B.1"},
      {"decision d § 1 as start {\n}\n", "1:20: expected 'as of' and the date the decision is judged as of"},
      {"decision d § 1 as of {\n}\n",
       "1:23: expected the date the decision is judged as of: a date input, or a date worked out from the "
       "inputs "
       "like start ?? date(year, 1, 1)"},
      {"decision d § 1 input x: integer\n", "1:17: expected '{'"},
      {"decision d § 1 {\n  input x: integer\n",
       "3:1: expected input, output, let, rule, exception, require, or '}' to end the decision"},
      {"decision d § 1 {\n  inputs x: integer\n}\n",
       "2:3: expected input, output, let, rule, exception, require, or '}' to end the decision"},
      {"decision d § 1 {\n  input x\n}\n", "3:1: expected ':' and a type"},
      {"decision d § 1 {\n  output x = 1\n}\n", "2:12: expected ':' and a type"},
      {"decision d § 1 {\n  output x: integer § 1 =\n}\n", "3:1: expected a value after '='"},
      {"decision d § 1 {\n  rule: x = 1\n}\n", "2:7: expected the section this rule encodes, like § 2.B.1"},
      {"decision d § 1 {\n  rule § 1 x = 1\n}\n",
       "2:13: expected ':' after the section (or after 'effective from DATE'), then the name this rule "
       "defines"},
      {"decision d § 1 {\n  rule § 1: = 1\n}\n", "2:14: expected the name this rule defines"},
      {"decision d § 1 {\n  rule § 1: x 1\n}\n", "2:16: expected '='"},
      {"decision d § 1 {\n  rule § 1: x = 1 when\n}\n", "3:1: expected a value or an expression"},
      {"decision d § 1 {\n  exception to § 1: x = 1\n}\n",
       "2:16: expected the label of the rule this is an exception to"},
      {"decision d § 1 {\n  require § 1: true\n}\n",
       "3:1: expected 'else' and the message to give when the requirement is not met"},
      // calendar
      {"calendar c § 1 weekend saturday\n", "1:17: expected '{'"},
      {"calendar c { weekend }\n", "1:22: expected a day of the week, like saturday"},
      {"calendar c { weekend saturday, }\n", "1:32: expected a day of the week, like saturday"},
      {"calendar c { holiday x 2026-01-01 }\n", "1:24: expected '='"},
      {"calendar c { closed tomorrow }\n", "1:21: expected a date like 2026-03-01"},
      {"calendar c { open 2026-01-01 }\n",
       "1:14: expected weekend, holiday, closed, or '}' to end the calendar"},
      {"calendar c {\n", "2:1: expected weekend, holiday, closed, or '}' to end the calendar"},
      // top level
      {"hello world\n",
       "1:1: expected a declaration: parameter, enum, record, function, decision or calendar"},
      {"parameter x: integer § 1 = 1\n}\n",
       "2:1: expected a declaration: parameter, enum, record, function, decision or calendar"},
      {"Parameter x: integer § 1 = 1\n",
       "1:1: expected a declaration: parameter, enum, record, function, decision or calendar"},
      {"input x: integer\n",
       "1:1: expected a declaration: parameter, enum, record, function, decision or calendar"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(parse_error(c.text) == std::string(c.error));
  }
}

TEST_CASE("grammar: choose, with members sharing a branch and optional commas") {
  CHECK(expr("choose r.method { standard: 1 agency_promotional: 2, statewide_promotional | open_competitive: "
             "3 }") ==
        "(choose (. r method) standard:1 agency_promotional:2 statewide_promotional|open_competitive:3)");
  CHECK(expr("choose m {\n  a: x + 1\n  b | c: if p then 2 else 3\n}") ==
        "(choose m a:(+ x 1) b|c:(if p 2 3))");
  CHECK(expr("choose f(x) { a: 1 }") == "(choose (call f x) a:1)");
  CHECK(expr("choose (a ?? b) { a: 1 }") == "(choose (?? a b) a:1)");
  CHECK(expr("1 + choose m { a: 1 } * 2") == "(+ 1 (* (choose m a:1) 2))");
  CHECK(expr("choose m {}") == "(choose m)");
  // A record value still follows its type's name.
  CHECK(expr("Certified { id: x }") == "(record Certified id:x)");
}

TEST_CASE("grammar: syntax errors inside expressions") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"choose", "error 1:7: expected the value to choose by, like choose r.method { ... }"},
      {"choose m",
       "error 1:9: expected '{' and a branch for each member of the enumeration, like standard: 1"},
      {"choose m { a 1 }",
       "error 1:14: expected ':' and the value for these members, like standard: 1 (or '|' and another "
       "member)"},
      {"choose m { a | : 1 }", "error 1:16: expected another member of the enumeration after '|'"},
      {"choose m { a: }", "error 1:15: expected the value for these members after ':'"},
      {"choose m { a: 1",
       "error 1:16: expected a member of the enumeration and ':' for another branch, or '}' to end the "
       "choose"},
      {"if a 1 else 2", "error 1:6: expected 'then' after the condition of 'if'"},
      {"if a then 1", "error 1:12: expected 'else': every 'if' needs an 'else' value"},
      {"if a then 1 2", "error 1:13: expected 'else': every 'if' needs an 'else' value"},
      {"if then 1 else 2", "error 1:4: expected a value or an expression"},
      {"(1 + 2", "error 1:7: expected ')'"},
      {"((1)", "error 1:5: expected ')'"},
      {"(", "error 1:2: expected a value or an expression"},
      {"[1, 2", "error 1:6: expected ',' or ']' in the list"},
      {"[1 2]", "error 1:4: expected ',' or ']' in the list"},
      {"[1,]", "error 1:3: expected ',' or ']' in the list"},
      {"f(1, 2", "error 1:7: expected ')'"},
      {"R { a: 1", "error 1:9: expected ',' or '}' in the record value"},
      {"R { a 1 }", "error 1:7: expected ':' after the field name"},
      {"R { a: }", "error 1:8: expected a value or an expression"},
      {"1 +", "error 1:4: expected a value after the operator"},
      {"1 *", "error 1:4: expected a value after the operator"},
      {"a ??", "error 1:5: expected a value after '?\?'"},
      {"a ==", "error 1:5: expected a value to compare with"},
      {"a not in", "error 1:9: expected a value to compare with"},
      {"a and", "error 1:6: expected a condition after 'and'"},
      {"a or", "error 1:5: expected a condition after 'or'"},
      {"[x for x]", "error 1:9: expected 'in' and the list to go through"},
      {"[x for in xs]",
       "error 1:8: expected a name for each item, like c in 'sort c in candidates by c.score'"},
      {"sort c cs by c.x", "error 1:8: expected 'in' and the list to go through"},
      {"sort c in cs c.x", "error 1:14: expected 'by' and what to sort by"},
      {"sort c in cs by", "error 1:16: expected what to sort by, like c.score descending"},
      {"sort c in cs by c.x,", "error 1:21: expected what to sort by, like c.score descending"},
      {"take 6 c in cs", "error 1:8: expected 'from' and the list to take from"},
      {"take 6 from c in cs with c.x", "error 1:26: expected 'ties by' after 'with'"},
      {"take 6 from c in cs with ties c.x", "error 1:31: expected 'by' after 'with ties'"},
      {"take 6 from c in cs counting", "error 1:29: expected a value or an expression"},
      {"count c in cs c.ok", "error 1:15: expected 'where' and a condition"},
      {"exists c in cs where", "error 1:21: expected a value or an expression"},
      {"\"abc", "error 1:5: this text has no closing \" on its line"},
      {"", "error 1:1: expected a value or an expression"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(expr(c.text) == std::string(c.error));
  }
}

TEST_CASE("grammar: nesting and chain limits are errors, not stack overflows") {
  const std::string deep_parens = std::string(100, '(') + "1" + std::string(100, ')');
  CHECK(expr(deep_parens) == "error 1:65: expressions are nested more than 64 levels deep");
  const std::string ok_parens = std::string(30, '(') + "1" + std::string(30, ')');
  CHECK(expr(ok_parens) == "1");

  std::string long_chain = "1";
  for (int i = 0; i < 300; ++i) long_chain += " + 1";
  CHECK(expr(long_chain) ==
        "error 1:1: more than 256 operators in one expression; split it into named definitions");
  std::string ok_chain = "1";
  for (int i = 0; i < 200; ++i) ok_chain += " + 1";
  CHECK(expr(ok_chain).rfind("(+ (+ ", 0) == 0);
}

TEST_CASE("grammar: a syntax error reports the first problem only, at its line") {
  const std::string text =
      "parameter a: integer § 1 = 1\n"
      "parameter b: integer = 2\n"
      "parameter c: integer = 3\n";
  CHECK(parse_error(text) == "2:22: expected the section this encodes, like § 2.B.1");
}

TEST_CASE("grammar: the tour example parses") {
  const std::string text = testing::read_text(testing::source_dir() + "/examples/tour.merit");
  REQUIRE_FALSE(text.empty());
  const Parsed p = parse(text);
  const auto& m = module_of(p);
  std::size_t decisions = 0;
  for (const auto& d : m.declarations) decisions += std::holds_alternative<ast::Decision>(d) ? 1 : 0;
  CHECK(decisions >= 2);
}

// A line whose first non-blank character is '>' quotes the law, as the README says, so a continuation line
// of an expression must not start with '>': `a\n    > 3` is `a` and a quote.
TEST_CASE(
    "grammar: a line beginning with '>' right after an expression's line is an error, not a comparison") {
  CHECK(parse_error("decision d § 1 {\n"
                    "  input a: integer\n"
                    "  output big: boolean § 1 = a\n"
                    "    > 3\n"
                    "}\n") ==
        "4:5: this line begins with '>', so it reads as a quote of the law: if it continues the expression, "
        "put "
        "the operator at the end of the line before; if it quotes the law, leave a blank line before the "
        "quote");
  // Right after a rule's `when` or `because`, too.
  CHECK(parse_error("decision d § 1 {\n"
                    "  input a: integer\n"
                    "  output x: integer § 1 = a because \"why\"\n"
                    "  > 1. quoted\n"
                    "}\n")
            .rfind("4:3: this line begins with '>'", 0) == 0);
}

TEST_CASE("grammar: a quote may follow a member whose type is optional, and not an unfinished ?? operator") {
  const Parsed p = parse(
      "decision d § 1 {\n"
      "  input start: date?\n"
      "  > 3.A.5.e. quoted after an optional input\n"
      "  input end: date\n"
      "  output last: date? § 1 = start\n"
      "}\n");
  CHECK(std::get<ast::Decision>(module_of(p).declarations.at(0)).inputs.size() == 2);
  CHECK(parse_error("decision d § 1 {\n"
                    "  input start: date?\n"
                    "  output last: date § 1 = start ??\n"
                    "  > 3. quoted\n"
                    "    date(2026, 1, 1)\n"
                    "}\n")
            .rfind("4:3: this line begins with '>'", 0) == 0);
}

TEST_CASE("grammar: a quote after a blank or comment line ends the expression before it") {
  for (const char* gap : {"\n", "  # a comment\n"}) {
    CAPTURE(gap);
    const Parsed parsed = parse(std::string("decision d § 1 {\n"
                                            "  input a: integer\n"
                                            "  output big: integer § 1 = a\n") +
                                gap +
                                "  > 3. quoted text\n"
                                "  output small: integer § 1 = a\n"
                                "}\n");
    const auto& d = std::get<ast::Decision>(module_of(parsed).declarations.at(0));
    REQUIRE(d.rules.size() == 2);
    CHECK(show(*d.rules.at(0).value) == "a");
  }
}

TEST_CASE("grammar: a quote inside a declaration is an error saying where quotes may stand") {
  const std::string where =
      "a quote of the law (a line beginning with '>') may stand only between declarations and between the "
      "members of a decision, record or calendar, not inside one; move it above the declaration";
  CHECK(parse_error("parameter p: integer\n  > quoted\n  § 1 = 5\n") == "2:3: " + where);
  CHECK(parse_error(
            "decision d § 1 {\n  input a: integer\n  output x: integer\n\n  > quoted\n  § 1 = a\n}\n") ==
        "5:3: " + where);
  CHECK(parse_error(
            "decision d § 1 {\n  input a: integer\n  output x: integer § 1 =\n  > quoted\n  a + 1\n}\n") ==
        "4:3: " + where);
  CHECK(
      parse_error("decision d § 1 {\n  input a: integer\n  output x: boolean § 1 = a > 1 and\n\n  > quoted\n"
                  "  a < 3\n}\n") ==
      "5:1: a quote of the law (a line beginning with '>') cannot stand inside an expression; move it above "
      "the "
      "declaration");
  // Between the members of a decision, after a line that ends no expression, a quote may stand.
  const Parsed parsed =
      parse("decision d § 1 {\n  input a: integer\n  > quoted\n  output x: integer § 1 = a\n}\n");
  CHECK(std::get<ast::Decision>(module_of(parsed).declarations.at(0)).definitions.size() == 1);
}

TEST_CASE("grammar: a '>' in the first column is a law quote, even inside a decision") {
  const Parsed parsed = parse(
      "decision d § 1 {\n"
      "  input a: integer\n"
      "> 3.A The appointing authority may ...\n"
      "  output x: integer § 1 = a\n"
      "}\n");
  const auto& m = module_of(parsed);
  const auto& d = std::get<ast::Decision>(m.declarations.at(0));
  CHECK(d.definitions.size() == 1);
  CHECK(show(*d.rules.at(0).value) == "a");
  CHECK(d.rules.at(0).span.line == 4);
}

TEST_CASE("grammar: an unknown escape in text is reported as such") {
  const std::string error = parse_error("parameter label: text § 1 = \"tab\\q\"\n");
  CHECK(error.rfind("1:34: ", 0) == 0);
  CHECK(error.find("no closing") == std::string::npos);
  CHECK(error.find("\\q") != std::string::npos);
}

TEST_CASE("grammar: a chained comparison gets a message about comparisons") {
  const std::string error =
      parse_error("function f(a: integer, b: integer, c: integer): boolean § 1 = a < b < c\n");
  CHECK(error.find("declaration") == std::string::npos);
}

TEST_CASE("grammar: CRLF line endings parse, and lines and columns count as with LF") {
  const Parsed parsed = parse(
      "# comment\r\n"
      "> quote\r\n"
      "parameter p: integer § 1\r\n"
      "  = 6\r\n"
      "  = 5 from 2027-07-01\r\n"
      "decision d § 1 {\r\n"
      "  input a: integer\r\n"
      "  output x: integer § 1 = a\r\n"
      "}\r\n");
  const auto& m = module_of(parsed);
  REQUIRE(m.declarations.size() == 2);
  CHECK(std::get<ast::Parameter>(m.declarations[0]).values.at(1).span.line == 5);
  const auto& d = std::get<ast::Decision>(m.declarations[1]);
  CHECK(d.rules.at(0).value->span.line == 8);
  CHECK(d.rules.at(0).value->span.column == 28);
  CHECK(parse_error("parameter t: text § 1 = \"abc\r\n") == "1:30: this text has no closing \" on its line");
}
