// Parses rule files with the PEGTL grammar into a parse tree that keeps only meaningful nodes, then
// lowers that tree into the AST in one pass. The source text stays alive in the SourceSet meanwhile.
#include "grammar/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>
#include <type_traits>
#include <unordered_map>

#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"
#include "interpreter/ast_walk.hpp"

// The quote checks look at the lines around them and consume nothing.
namespace tao::pegtl {
template <typename Name>
struct analyze_traits<Name, merit::grammar::quote_after_code> : analyze_opt_traits<> {};
template <typename Name>
struct analyze_traits<Name, merit::grammar::quote_inside_declaration> : analyze_opt_traits<> {};
}  // namespace tao::pegtl

namespace merit {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;
using Node = pegtl::parse_tree::node;

// Expressions may nest this deep; deeper input is an error, not a stack overflow.
constexpr int max_nesting = 64;
// One chain of operators (`a + b + c ...`) or of fields (`a.b.c ...`) may be this long before it must be
// split into definitions.
constexpr std::size_t max_chain = 256;
// The deepest an expression may be once lowered, counting each operator, sign and field: every pass after
// the parser (checking, inlining, evaluating, freeing) recurses this deep. Nesting and chains are each
// bounded above, but a chain inside a chain inside a chain is not.
constexpr std::uint32_t max_depth = 1024;

struct NestingDepth {
  int depth = 0;
};

// The must_if control gives every commit point its message; the ones for `expression` and `type_expr`, the
// grammar's only recursive rules, also count how deep they nest, so that deep input is an error and not a
// stack overflow (in the parser, and in every pass over the tree after it).
template <typename Rule>
struct control : pegtl::must_if<g::errors>::control<Rule> {};

template <typename Rule>
struct nesting_control : pegtl::must_if<g::errors>::control<Rule> {
  template <typename ParseInput, typename... States>
  static void start(const ParseInput& in, NestingDepth& nesting, States&&... /*unused*/) {
    if (++nesting.depth > max_nesting) {
      constexpr const char* what = std::is_same_v<Rule, g::type_expr> ? "types" : "expressions";
      throw pegtl::parse_error(fmt::format("{} are nested more than {} levels deep", what, max_nesting), in);
    }
  }
  template <typename ParseInput, typename... States>
  static void success(const ParseInput& /*unused*/, NestingDepth& nesting, States&&... /*unused*/) {
    --nesting.depth;
  }
  template <typename ParseInput, typename... States>
  static void failure(const ParseInput& /*unused*/, NestingDepth& nesting, States&&... /*unused*/) {
    --nesting.depth;
  }
  template <typename ParseInput, typename... States>
  static void unwind(const ParseInput& /*unused*/, NestingDepth& nesting, States&&... /*unused*/) {
    --nesting.depth;
  }
};

template <>
struct control<g::expression> : nesting_control<g::expression> {};
template <>
struct control<g::type_expr> : nesting_control<g::type_expr> {};

// A level of precedence that holds one operand (`a` in `a + b` is a multiplicative, a prefix, a postfix...)
// is that operand: the tree keeps a node for a level only where its operator is written, so that its size
// follows the input, not the number of levels.
struct fold_single : pegtl::parse_tree::apply<fold_single> {
  template <typename Node, typename... States>
  static void transform(std::unique_ptr<Node>& n, States&&... /*unused*/) noexcept {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

// clang-format off
template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        g::date_literal, g::duration_literal, g::duration_amount, g::unit_working_days, g::unit_days,
        g::unit_months, g::unit_years, g::decimal_literal, g::integer_literal, g::text_literal, g::true_literal,
        g::false_literal, g::none_literal, g::citation, g::cite_word,
        g::expression, g::if_expr, g::sort_expr, g::sort_key, g::descending_marker, g::take_expr, g::take_binder,
        g::counting_clause, g::ties_clause, g::quantified_expr, g::quantifier, g::binder, g::bracket_expr,
        g::comprehension_tail, g::list_tail, g::argument, g::argument_name, g::call_arguments, g::record_body,
        g::field_init, g::field_init_name, g::name_expr, g::identifier, g::field_name,
        g::minus_op, g::multiply_op, g::divide_op, g::add_op, g::subtract_op, g::or_else_op, g::equal_op,
        g::not_equal_op, g::less_equal_op, g::greater_equal_op, g::less_op, g::greater_op, g::not_in_op,
        g::in_op, g::not_op, g::and_op, g::or_op,
        g::type_expr, g::type_name, g::list_type, g::optional_mark,
        g::declared_name, g::parameter_decl, g::dated_value, g::from_date, g::enum_decl, g::enum_member,
        g::record_decl, g::field_decl, g::field_default, g::function_decl, g::function_param, g::input_decl,
        g::output_decl, g::let_decl, g::rule_decl, g::exception_decl, g::rule_label, g::exception_target,
        g::rule_target, g::when_clause, g::as_of_date, g::decision_decl, g::calendar_decl, g::weekend_day,
        g::holiday_decl, g::closed_decl, g::require_decl, g::effective_start, g::effective_end, g::require_each, g::after_clause, g::map_type, g::empty_map, g::because_clause,
        g::subject_name, g::dotted_name, g::choose_expr, g::choose_branch, g::choose_member, g::replaced_decl, g::amend_decision_decl, g::replaced_member>,
    fold_single::on<
        g::postfix, g::prefix, g::multiplicative, g::additive, g::coalesce, g::comparison, g::negation,
        g::conjunction, g::disjunction>>;
// clang-format on

/// Raised while lowering (a literal out of range, a chain too long) and turned into a Diagnostic.
struct LoweringError {
  SourceSpan span;
  std::string message;
};

class Lowering {
 public:
  explicit Lowering(std::uint32_t file) : file_(file) {}

  // The node's own iterators, not begin()/end(): those build a position holding the input's source name,
  // and the input is gone once parsing returns.
  SourceSpan span_of(const Node& n) const {
    const auto& b = n.m_begin;
    const auto& e = n.m_end;
    return SourceSpan{file_, static_cast<std::uint32_t>(b.line), static_cast<std::uint32_t>(b.column),
                      static_cast<std::uint32_t>(b.byte), static_cast<std::uint32_t>(e.byte)};
  }

  ast::Module lower_file(const Node& root) {
    ast::Module module;
    module.file = file_;
    for (const auto& child : root.children) {
      const bool replaces = child->is_type<g::replaced_decl>();
      module.declarations.push_back(lower_declaration(replaces ? *child->children.at(0) : *child));
      module.replaces.push_back(replaces);
      depths_.clear();  // measured; the memory goes back
    }
    return module;
  }

  ast::ExprPtr lower_expr(const Node& n) {
    ast::ExprPtr e = lower_expr_node(n);
    if (depth_of(*e) > max_depth) {
      fail(n,
           fmt::format("this expression is more than {} levels deep (each operator, sign and field counts); "
                       "split it into named definitions",
                       max_depth));
    }
    return e;
  }

 private:
  std::uint32_t file_;
  // The definitions of the decision being lowered, by name (lower_definition).
  const ast::Decision* named_in_ = nullptr;
  std::unordered_map<std::string, std::size_t> definition_by_name_;
  // The depth of each expression lowered so far, so that measuring a new one looks only at what it adds.
  std::unordered_map<const ast::Expr*, std::uint32_t> depths_;

  std::uint32_t depth_of(const ast::Expr& e) {
    if (const auto it = depths_.find(&e); it != depths_.end()) return it->second;
    std::uint32_t deepest = 0;
    ast::for_each_child(e, [&](const ast::Expr& child) { deepest = std::max(deepest, depth_of(child)); });
    depths_.emplace(&e, deepest + 1);
    return deepest + 1;
  }

  ast::ExprPtr lower_expr_node(const Node& n) {
    if (n.is_type<g::expression>()) return lower_expr(*n.children.front());
    if (n.is_type<g::disjunction>()) return lower_chain(n);
    if (n.is_type<g::conjunction>()) return lower_chain(n);
    if (n.is_type<g::negation>()) return lower_negation(n);
    if (n.is_type<g::comparison>()) return lower_chain(n);
    if (n.is_type<g::coalesce>()) return lower_chain(n);
    if (n.is_type<g::additive>()) return lower_chain(n);
    if (n.is_type<g::multiplicative>()) return lower_chain(n);
    if (n.is_type<g::prefix>()) return lower_prefix(n);
    if (n.is_type<g::postfix>()) return lower_postfix(n);
    if (n.is_type<g::name_expr>()) return lower_name(n);
    if (n.is_type<g::bracket_expr>()) return lower_bracket(n);
    if (n.is_type<g::if_expr>()) return lower_if(n);
    if (n.is_type<g::sort_expr>()) return lower_sort(n);
    if (n.is_type<g::take_expr>()) return lower_take(n);
    if (n.is_type<g::quantified_expr>()) return lower_quantified(n);
    if (n.is_type<g::empty_map>()) return make(n, ast::EmptyMap{});
    if (n.is_type<g::choose_expr>()) return lower_choose(n);
    if (n.is_type<g::dotted_name>()) return lower_postfix(n);
    if (n.is_type<g::subject_name>()) return make(n, ast::Name{n.string(), {}});
    return make(n, ast::Literal{lower_literal(n)});
  }

  template <typename NodeT>
  ast::ExprPtr make(const Node& n, NodeT node) {
    auto e = std::make_unique<ast::Expr>();
    e->span = span_of(n);
    e->node = std::move(node);
    return e;
  }

  [[noreturn]] void fail(const Node& n, std::string message) const {
    throw LoweringError{span_of(n), std::move(message)};
  }

  std::int64_t to_int(const Node& n) const {
    const auto text = n.string_view();
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) fail(n, "this number is too large");
    return value;
  }

  double to_decimal(const Node& n) const {
    const auto text = n.string_view();
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
      fail(n, "this number is too large or too small for a decimal");
    }
    return value;
  }

  Date to_date(const Node& n) const {
    const auto date = stdlib::parse_date(n.string_view());
    if (!date) fail(n, fmt::format("{} is not a date that exists", n.string_view()));
    return *date;
  }

  std::string unescape(std::string_view quoted) const {
    std::string out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
      char c = quoted[i];
      if (c == '\\' && i + 2 < quoted.size()) {
        c = quoted[++i];
        if (c == 'n') c = '\n';
        if (c == 't') c = '\t';
      }
      out += c;
    }
    return out;
  }

  Value lower_literal(const Node& n) {
    if (n.is_type<g::integer_literal>()) return Value(to_int(n));
    if (n.is_type<g::decimal_literal>()) return Value(to_decimal(n));
    if (n.is_type<g::date_literal>()) return Value(to_date(n));
    if (n.is_type<g::text_literal>()) return make_text(unescape(n.string_view()));
    if (n.is_type<g::true_literal>()) return Value(true);
    if (n.is_type<g::false_literal>()) return Value(false);
    if (n.is_type<g::none_literal>()) return Value(None{});
    if (n.is_type<g::duration_literal>()) return Value(lower_duration(n));
    fail(n, fmt::format("unexpected {} in an expression", n.type));
  }

  Duration lower_duration(const Node& n) {
    const Node& unit = *n.children.at(1);
    DurationUnit u = DurationUnit::days;
    if (unit.is_type<g::unit_working_days>()) u = DurationUnit::working_days;
    if (unit.is_type<g::unit_months>()) u = DurationUnit::months;
    if (unit.is_type<g::unit_years>()) u = DurationUnit::years;
    const std::int64_t amount = to_int(*n.children.at(0));
    if (!duration_in_range(amount)) fail(n, "this duration is too long");
    return Duration::of(amount, u);
  }

  static std::optional<ast::BinaryOp> binary_op(const Node& n) {
    using ast::BinaryOp;
    if (n.is_type<g::or_op>()) return BinaryOp::logical_or;
    if (n.is_type<g::and_op>()) return BinaryOp::logical_and;
    if (n.is_type<g::equal_op>()) return BinaryOp::equal;
    if (n.is_type<g::not_equal_op>()) return BinaryOp::not_equal;
    if (n.is_type<g::less_op>()) return BinaryOp::less;
    if (n.is_type<g::less_equal_op>()) return BinaryOp::less_equal;
    if (n.is_type<g::greater_op>()) return BinaryOp::greater;
    if (n.is_type<g::greater_equal_op>()) return BinaryOp::greater_equal;
    if (n.is_type<g::in_op>()) return BinaryOp::member_of;
    if (n.is_type<g::add_op>()) return BinaryOp::add;
    if (n.is_type<g::subtract_op>()) return BinaryOp::subtract;
    if (n.is_type<g::multiply_op>()) return BinaryOp::multiply;
    if (n.is_type<g::divide_op>()) return BinaryOp::divide;
    if (n.is_type<g::or_else_op>()) return BinaryOp::or_else;
    return std::nullopt;
  }

  // Children alternate operand, operator, operand...; the chain folds to the left.
  ast::ExprPtr lower_chain(const Node& n) {
    // Children: operand, then an operator and an operand for each operator.
    if ((n.children.size() - 1) / 2 > max_chain) {
      fail(n, fmt::format("more than {} operators in one expression; split it into named definitions",
                          max_chain));
    }
    ast::ExprPtr result = lower_expr(*n.children.front());
    for (std::size_t i = 1; i + 1 < n.children.size(); i += 2) {
      const Node& op = *n.children[i];
      ast::ExprPtr rhs = lower_expr(*n.children[i + 1]);
      SourceSpan span = result->span;
      span.end = rhs->span.end;
      auto e = std::make_unique<ast::Expr>();
      e->span = span;
      if (op.is_type<g::not_in_op>()) {
        auto member = std::make_unique<ast::Expr>();
        member->span = span;
        member->node = ast::Binary{ast::BinaryOp::member_of, std::move(result), std::move(rhs)};
        e->node = ast::Unary{ast::UnaryOp::logical_not, std::move(member)};
      } else {
        e->node = ast::Binary{*binary_op(op), std::move(result), std::move(rhs)};
      }
      result = std::move(e);
    }
    return result;
  }

  ast::ExprPtr lower_unary_prefix(const Node& n, ast::UnaryOp op) {
    if (n.children.size() - 1 > max_nesting) {
      fail(n,
           fmt::format("more than {} `{}` in a row", max_nesting, op == ast::UnaryOp::negate ? "-" : "not"));
    }
    ast::ExprPtr result = lower_expr(*n.children.back());
    for (std::size_t i = n.children.size() - 1; i-- > 0;) {
      auto e = make(*n.children[i], ast::Unary{op, std::move(result)});
      e->span.end = static_cast<std::uint32_t>(n.m_end.byte);
      result = std::move(e);
    }
    return result;
  }

  ast::ExprPtr lower_negation(const Node& n) { return lower_unary_prefix(n, ast::UnaryOp::logical_not); }
  ast::ExprPtr lower_prefix(const Node& n) { return lower_unary_prefix(n, ast::UnaryOp::negate); }

  ast::ExprPtr lower_postfix(const Node& n) {
    if (n.children.size() - 1 > max_chain) {
      fail(n, fmt::format("more than {} fields in one chain (`a.b.c ...`); split it into named definitions",
                          max_chain));
    }
    ast::ExprPtr result = lower_expr(*n.children.front());
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& field = *n.children[i];
      SourceSpan span = result->span;
      span.end = static_cast<std::uint32_t>(field.m_end.byte);
      auto e = std::make_unique<ast::Expr>();
      e->span = span;
      e->node = ast::FieldAccess{std::move(result), field.string(), span_of(field), -1, {}};
      result = std::move(e);
    }
    return result;
  }

  // Children: the subject, then one node per branch (its members, then its value).
  ast::ExprPtr lower_choose(const Node& n) {
    ast::Choose choose;
    choose.subject = lower_expr(*n.children.at(0));
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& b = *n.children[i];
      ast::ChooseBranch branch;
      for (const auto& c : b.children) {
        if (c->is_type<g::choose_member>()) {
          branch.members.emplace_back(c->string(), span_of(*c));
        } else {
          branch.value = lower_expr(*c);
        }
      }
      choose.branches.push_back(std::move(branch));
    }
    return make(n, std::move(choose));
  }

  ast::ExprPtr lower_name(const Node& n) {
    const Node& id = *n.children.front();
    if (n.children.size() == 1) return make(n, ast::Name{id.string(), {}});
    const Node& tail = *n.children[1];
    if (tail.is_type<g::call_arguments>()) {
      ast::Call call{id.string(), span_of(id), {}, {}, {}, {}, {}};
      for (const auto& arg : tail.children) call.args.push_back(lower_argument(*arg));
      return make(n, std::move(call));
    }
    ast::RecordLiteral record{id.string(), span_of(id), {}, -1, {}};
    for (const auto& init : tail.children) {
      record.fields.push_back({init->children.at(0)->string(), span_of(*init->children.at(0)),
                               lower_expr(*init->children.at(1))});
    }
    return make(n, std::move(record));
  }

  ast::Argument lower_argument(const Node& n) {
    ast::Argument arg;
    if (n.children.size() == 2) {
      const Node& name = *n.children[0]->children.at(0);
      arg.name = name.string();
      arg.name_span = span_of(name);
    }
    arg.value = lower_expr(*n.children.back());
    return arg;
  }

  ast::Binder lower_binder(const Node& n) { return ast::Binder{n.string(), span_of(n), -1}; }

  ast::ExprPtr lower_bracket(const Node& n) {
    if (n.children.empty()) return make(n, ast::ListLiteral{});
    ast::ExprPtr first = lower_expr(*n.children[0]);
    const Node& tail = *n.children.at(1);
    if (tail.is_type<g::comprehension_tail>()) {
      ast::Comprehension c;
      c.element = std::move(first);
      c.var = lower_binder(*tail.children.at(0));
      c.source = lower_expr(*tail.children.at(1));
      for (std::size_t i = 2; i < tail.children.size(); ++i) {
        const Node& part = *tail.children[i];
        if (part.is_type<g::after_clause>()) {
          c.earlier = lower_binder(*part.children.at(0));
        } else {
          c.condition = lower_expr(part);
        }
      }
      return make(n, std::move(c));
    }
    ast::ListLiteral list;
    list.items.push_back(std::move(first));
    for (const auto& item : tail.children) list.items.push_back(lower_expr(*item));
    return make(n, std::move(list));
  }

  ast::ExprPtr lower_if(const Node& n) {
    return make(n, ast::Conditional{lower_expr(*n.children.at(0)), lower_expr(*n.children.at(1)),
                                    lower_expr(*n.children.at(2))});
  }

  ast::ExprPtr lower_sort(const Node& n) {
    ast::Sort sort;
    sort.var = lower_binder(*n.children.at(0));
    sort.source = lower_expr(*n.children.at(1));
    for (std::size_t i = 2; i < n.children.size(); ++i) {
      const Node& key = *n.children[i];
      sort.keys.push_back({lower_expr(*key.children.at(0)), key.children.size() > 1});
    }
    return make(n, std::move(sort));
  }

  ast::ExprPtr lower_take(const Node& n) {
    ast::Take take;
    std::size_t i = 0;
    take.count = lower_expr(*n.children.at(i++));
    if (n.children.at(i)->is_type<g::take_binder>())
      take.var = lower_binder(*n.children[i++]->children.at(0));
    take.source = lower_expr(*n.children.at(i++));
    for (; i < n.children.size(); ++i) {
      const Node& clause = *n.children[i];
      if (clause.is_type<g::counting_clause>()) take.counting = lower_expr(*clause.children.at(0));
      if (clause.is_type<g::ties_clause>()) {
        for (const auto& key : clause.children) take.tie_keys.push_back(lower_expr(*key));
      }
    }
    return make(n, std::move(take));
  }

  ast::ExprPtr lower_quantified(const Node& n) {
    const auto word = n.children.at(0)->string_view();
    ast::Quantifier kind = ast::Quantifier::count;
    if (word == "exists") kind = ast::Quantifier::exists;
    if (word == "every") kind = ast::Quantifier::every;
    if (word == "first") kind = ast::Quantifier::first;
    return make(n, ast::Quantified{kind, lower_binder(*n.children.at(1)), lower_expr(*n.children.at(2)),
                                   lower_expr(*n.children.at(3))});
  }

  // ------------------------------------------------------------------------------------------------------
  // Types and declarations.

  ast::TypeExpr lower_type(const Node& n) {
    ast::TypeExpr type;
    type.span = span_of(n);
    const Node& inner = *n.children.at(0);
    if (inner.is_type<g::list_type>() || inner.is_type<g::map_type>()) {
      type.element = std::make_unique<ast::TypeExpr>(lower_type(*inner.children.at(0)));
      type.is_map = inner.is_type<g::map_type>();
    } else {
      type.name = inner.string();
    }
    type.optional = n.children.size() > 1;
    return type;
  }

  ast::Citation lower_citation(const Node& n) {
    const Node& text = *n.children.at(0);
    std::string cite = text.is_type<g::text_literal>() ? unescape(text.string_view()) : text.string();
    return ast::Citation{std::move(cite), span_of(n)};
  }

  // Optional parts of a declaration are found by their node type, whatever their position.
  static const Node* find(const Node& n, const auto& is) {
    for (const auto& child : n.children) {
      if (is(*child)) return child.get();
    }
    return nullptr;
  }
  template <typename Rule>
  static const Node* find_rule(const Node& n) {
    return find(n, [](const Node& c) { return c.is_type<Rule>(); });
  }

  std::optional<ast::Citation> optional_citation(const Node& n) {
    if (const Node* c = find_rule<g::citation>(n)) return lower_citation(*c);
    return std::nullopt;
  }

  std::optional<ast::Effective> optional_effective(const Node& n) const {
    const Node* start = find_rule<g::effective_start>(n);
    const Node* end = find_rule<g::effective_end>(n);
    if (!start && !end) return std::nullopt;
    ast::Effective e;
    if (start) e.from = to_date(*start->children.at(0));
    if (end) e.through = to_date(*end->children.at(0));
    e.span = span_of(start ? *start : *end);
    if (start && end) e.span.end = span_of(*end).end;
    return e;
  }

  ast::ExprPtr optional_default(const Node& n) {
    if (const Node* d = find_rule<g::field_default>(n)) return lower_expr(*d->children.at(0));
    return nullptr;
  }

  ast::Declaration lower_declaration(const Node& n) {
    if (n.is_type<g::parameter_decl>()) return lower_parameter(n);
    if (n.is_type<g::enum_decl>()) return lower_enum(n);
    if (n.is_type<g::record_decl>()) return lower_record(n);
    if (n.is_type<g::function_decl>()) return lower_function(n);
    if (n.is_type<g::decision_decl>()) return lower_decision(n);
    if (n.is_type<g::amend_decision_decl>()) return lower_amended_decision(n);
    return lower_calendar(n);
  }

  ast::Parameter lower_parameter(const Node& n) {
    const Node& name = *n.children.at(0);
    ast::Parameter p;
    p.name = name.string();
    p.span = span_of(name);
    p.type = lower_type(*n.children.at(1));
    p.cite = lower_citation(*n.children.at(2));
    for (std::size_t i = 3; i < n.children.size(); ++i) {
      const Node& dated = *n.children[i];
      ast::DatedValue value;
      value.span = span_of(dated);
      value.value = lower_expr(*dated.children.at(0));
      if (dated.children.size() > 1) value.from = to_date(*dated.children[1]->children.at(0));
      p.values.push_back(std::move(value));
    }
    return p;
  }

  ast::Enumeration lower_enum(const Node& n) {
    ast::Enumeration e;
    e.name = n.children.at(0)->string();
    e.span = span_of(*n.children[0]);
    e.cite = optional_citation(n);
    for (const auto& child : n.children) {
      if (child->is_type<g::enum_member>()) e.members.push_back({child->string(), span_of(*child)});
    }
    return e;
  }

  ast::Record lower_record(const Node& n) {
    ast::Record r;
    r.name = n.children.at(0)->string();
    r.span = span_of(*n.children[0]);
    r.cite = optional_citation(n);
    for (const auto& child : n.children) {
      if (!child->is_type<g::field_decl>()) continue;
      ast::FieldDecl f;
      f.name = child->children.at(0)->string();
      f.span = span_of(*child->children[0]);
      f.type = lower_type(*child->children.at(1));
      f.default_value = optional_default(*child);
      r.fields.push_back(std::move(f));
    }
    return r;
  }

  ast::Function lower_function(const Node& n) {
    ast::Function f;
    f.name = n.children.at(0)->string();
    f.span = span_of(*n.children[0]);
    for (const auto& child : n.children) {
      if (child->is_type<g::function_param>()) {
        f.params.push_back({child->children.at(0)->string(), span_of(*child->children[0]),
                            lower_type(*child->children.at(1)), -1, nullptr});
      }
    }
    f.result = lower_type(*find_rule<g::type_expr>(n));
    f.cite = optional_citation(n);
    f.effective = optional_effective(n);
    if (n.children.back()->is_type<g::because_clause>()) {
      f.body = lower_expr(*n.children.at(n.children.size() - 2));
      f.explanation = lower_expr(*n.children.back()->children.at(0));
    } else {
      f.body = lower_expr(*n.children.back());
    }
    return f;
  }

  ast::Decision lower_decision(const Node& n) {
    ast::Decision d;
    named_in_ = nullptr;  // another decision's index, and perhaps at this same address
    d.name = n.children.at(0)->string();
    d.span = span_of(*n.children[0]);
    d.cite = lower_citation(*n.children.at(1));
    for (std::size_t i = 2; i < n.children.size(); ++i) lower_member(*n.children[i], d);
    return d;
  }

  ast::Decision lower_amended_decision(const Node& n) {
    ast::Decision d;
    named_in_ = nullptr;  // another decision's index, and perhaps at this same address
    d.amends = true;
    d.name = n.children.at(0)->string();
    d.span = span_of(*n.children[0]);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& m = *n.children[i];
      if (!m.is_type<g::replaced_member>()) {
        lower_member(m, d);
        continue;
      }
      const Node& inner = *m.children.at(0);
      const std::size_t rules_before = d.rules.size();
      lower_member(inner, d);
      if (inner.is_type<g::output_decl>() || inner.is_type<g::let_decl>()) {
        d.replacing_definitions.push_back(inner.children.at(0)->string());
      } else {
        for (std::size_t r = rules_before; r < d.rules.size(); ++r)
          d.replacing_rules.push_back(static_cast<std::int32_t>(r));
      }
    }
    return d;
  }

  void lower_member(const Node& m, ast::Decision& d) {
    if (m.is_type<g::as_of_date>()) {
      d.as_of = lower_expr(*m.children.at(0));
    } else if (m.is_type<g::input_decl>()) {
      d.inputs.push_back({m.children.at(0)->string(), span_of(*m.children[0]), lower_type(*m.children.at(1)),
                          optional_default(m), nullptr});
    } else if (m.is_type<g::require_decl>()) {
      ast::Requirement r;
      r.span = span_of(m);
      r.cite = lower_citation(*m.children.at(0));
      std::size_t i = 1;
      if (m.children.at(i)->is_type<g::require_each>()) {
        const Node& each = *m.children[i++];
        r.each = lower_binder(*each.children.at(0));
        r.each_source = lower_expr(*each.children.at(1));
      }
      r.condition = lower_expr(*m.children.at(i++));
      r.message = lower_expr(*m.children.at(i));
      d.requirements.push_back(std::move(r));
    } else if (m.is_type<g::output_decl>() || m.is_type<g::let_decl>()) {
      lower_definition(m, d);
    } else {
      d.rules.push_back(lower_rule(m));
    }
  }

  // `output x: T § c = v` declares x and gives it one rule; `let x = v` likewise, for a local. A
  // definition in force on some dates only (`effective`) may be declared again for other dates: those
  // declarations add rules to the first.
  void lower_definition(const Node& m, ast::Decision& d) {
    const std::string name = m.children.at(0)->string();
    const auto effective = optional_effective(m);
    // The first definition of each name, by name: a decision may have thousands of lets.
    if (named_in_ != &d) {
      named_in_ = &d;
      definition_by_name_.clear();
    }
    const auto first = definition_by_name_.find(name);
    auto existing = first == definition_by_name_.end()
                        ? d.definitions.end()
                        : d.definitions.begin() + static_cast<std::ptrdiff_t>(first->second);
    if (existing == d.definitions.end() || !(effective || existing->versioned)) {
      definition_by_name_.try_emplace(name, d.definitions.size());
      ast::Definition def;
      def.name = name;
      def.span = span_of(*m.children[0]);
      def.is_output = m.is_type<g::output_decl>();
      def.versioned = effective.has_value();
      if (const Node* t = find_rule<g::type_expr>(m)) def.type = lower_type(*t);
      d.definitions.push_back(std::move(def));
      existing = d.definitions.end() - 1;
    }
    if (const Node* value = find_rule<g::field_default>(m)) {
      ast::Rule rule;
      rule.span = span_of(m);
      const auto cite = optional_citation(m);
      rule.cite = cite ? *cite : ast::Citation{d.cite.text, span_of(m)};
      rule.effective = effective;
      rule.target = existing->name;
      rule.target_span = span_of(*m.children[0]);
      rule.value = lower_expr(*value->children.at(0));
      if (const Node* because = find_rule<g::because_clause>(m))
        rule.explanation = lower_expr(*because->children.at(0));
      d.rules.push_back(std::move(rule));
    }
  }

  ast::Rule lower_rule(const Node& m) {
    ast::Rule rule;
    rule.span = span_of(m);
    rule.is_exception = m.is_type<g::exception_decl>();
    for (const auto& child : m.children) {
      const Node& c = *child;
      if (c.is_type<g::rule_label>()) rule.label = c.string();
      if (c.is_type<g::exception_target>()) {
        rule.exception_to = c.string();
        rule.exception_to_span = span_of(c);
      }
      if (c.is_type<g::citation>()) rule.cite = lower_citation(c);
      if (c.is_type<g::rule_target>()) {
        rule.target = c.string();
        rule.target_span = span_of(c);
      }
      if (c.is_type<g::when_clause>()) rule.condition = lower_expr(*c.children.at(0));
      if (c.is_type<g::because_clause>()) rule.explanation = lower_expr(*c.children.at(0));
    }
    rule.effective = optional_effective(m);
    // The value is the one expression child that is not inside a clause.
    if (const Node* value = find_rule<g::expression>(m)) rule.value = lower_expr(*value);
    return rule;
  }

  ast::Calendar lower_calendar(const Node& n) {
    ast::Calendar cal;
    cal.name = n.children.at(0)->string();
    cal.span = span_of(*n.children[0]);
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& m = *n.children[i];
      if (m.is_type<g::citation>()) cal.cite = lower_citation(m);
      if (m.is_type<g::weekend_day>()) cal.weekend.push_back({m.string(), span_of(m)});
      if (m.is_type<g::holiday_decl>()) {
        cal.holidays.push_back({m.children.at(0)->string(), span_of(*m.children[0]), optional_citation(m),
                                optional_effective(m), lower_expr(*m.children.back())});
      }
      if (m.is_type<g::closed_decl>()) {
        cal.closures.push_back({to_date(*m.children.at(0)), span_of(*m.children[0]), optional_citation(m),
                                optional_effective(m)});
      }
    }
    return cal;
  }
};

template <typename Rule>
std::variant<std::unique_ptr<Node>, Diagnostic> parse_tree_of(const SourceSet& sources, std::uint32_t file) {
  const SourceFile& source = sources.files.at(file);
  pegtl::memory_input<> in(source.text.data(), source.text.size(), source.path);
  NestingDepth nesting;
  try {
    auto root = pegtl::parse_tree::parse<Rule, selector, pegtl::nothing, control>(in, nesting);
    if (!root) return error_at(SourceSpan{file, 1, 1, 0, 0}, "expected a value or an expression");
    return root;
  } catch (const pegtl::parse_error& e) {
    const auto& p = e.positions().front();
    return error_at(SourceSpan{file, static_cast<std::uint32_t>(p.line), static_cast<std::uint32_t>(p.column),
                               static_cast<std::uint32_t>(p.byte), static_cast<std::uint32_t>(p.byte)},
                    std::string(e.message()));
  }
}

struct end_of_value : pegtl::eof {};
struct whole_expression : pegtl::seq<g::_, g::expression, g::_, pegtl::must<end_of_value>> {};

}  // namespace
}  // namespace merit

namespace merit::grammar {
template <>
inline constexpr const char* error_message<merit::end_of_value> = "unexpected text after the value";
}

namespace merit {

std::variant<ast::Module, Diagnostic> parse_module(const SourceSet& sources, std::uint32_t file) {
  auto tree = parse_tree_of<g::file>(sources, file);
  if (auto* d = std::get_if<Diagnostic>(&tree)) return std::move(*d);
  try {
    return Lowering(file).lower_file(*std::get<std::unique_ptr<Node>>(tree));
  } catch (const LoweringError& e) {
    return error_at(e.span, e.message);
  }
}

std::size_t analyze_grammar() {
  return pegtl::analyze<g::file>(-1);
}

std::variant<ast::ExprPtr, Diagnostic> parse_expression(const SourceSet& sources, std::uint32_t file) {
  auto tree = parse_tree_of<whole_expression>(sources, file);
  if (auto* d = std::get_if<Diagnostic>(&tree)) return std::move(*d);
  try {
    const Node& root = *std::get<std::unique_ptr<Node>>(tree);
    return Lowering(file).lower_expr(*root.children.at(0));
  } catch (const LoweringError& e) {
    return error_at(e.span, e.message);
  }
}

}  // namespace merit
