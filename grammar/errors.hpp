#pragma once
// What the parser says where it commits: one message for each rule used under `must<>`, phrased in the rule
// language's terms. A rule under `must<>` without a message here fails to compile.
#include "grammar/grammar.hpp"

namespace merit::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// Rules that cannot fail still need an entry; these texts are never shown.
template <typename... Rules>
inline constexpr const char* error_message<opt<Rules...>> = "unexpected text";
template <typename... Rules>
inline constexpr const char* error_message<star<Rules...>> = "unexpected text";
template <>
inline constexpr const char* error_message<_> = "unexpected text";
// `_e` fails only at a quote line, so under must<> its message is about the quote.
template <>
inline constexpr const char* error_message<_e> =
    "a quote of the law (a line beginning with '>') cannot stand inside an expression; move it above the "
    "declaration";
template <>
inline constexpr const char* error_message<_q> = "unexpected text";
template <typename Rule, typename Separator>
inline constexpr const char* error_message<list_must<Rule, Separator>> = error_message<Rule>;

// clang-format off
template <> inline constexpr const char* error_message<text_closing_quote> = "this text has no closing \" on its line";
template <> inline constexpr const char* error_message<cite_text> = "expected the section number after §, like 2.B.1";
template <> inline constexpr const char* error_message<citation> = "expected the section this encodes, like § 2.B.1";
template <> inline constexpr const char* error_message<expression> = "expected a value or an expression";
template <> inline constexpr const char* error_message<value_expression> = "expected a value after '='";
template <> inline constexpr const char* error_message<then_keyword> = "expected 'then' after the condition of 'if'";
template <> inline constexpr const char* error_message<else_keyword> = "expected 'else': every 'if' needs an 'else' value";
template <> inline constexpr const char* error_message<binder> = "expected a name for each item, like c in 'sort c in candidates by c.score'";
template <> inline constexpr const char* error_message<in_keyword> = "expected 'in' and the list to go through";
template <> inline constexpr const char* error_message<by_keyword> = "expected 'by' and what to sort by";
template <> inline constexpr const char* error_message<sort_key> = "expected what to sort by, like c.score descending";
template <> inline constexpr const char* error_message<ties_keyword> = "expected 'ties by' after 'with'";
template <> inline constexpr const char* error_message<ties_by_keyword> = "expected 'by' after 'with ties'";
template <> inline constexpr const char* error_message<from_keyword> = "expected 'from' and the list to take from";
template <> inline constexpr const char* error_message<where_keyword> = "expected 'where' and a condition";
template <> inline constexpr const char* error_message<closing_bracket> = "expected ',' or ']' in the list";
template <> inline constexpr const char* error_message<closing_paren> = "expected ')'";
template <> inline constexpr const char* error_message<field_colon> = "expected ':' after the field name";
template <> inline constexpr const char* error_message<closing_brace> = "expected ',' or '}' in the record value";
template <> inline constexpr const char* error_message<prefix> = "expected a value after the operator";
template <> inline constexpr const char* error_message<multiplicative> = "expected a value after the operator";
template <> inline constexpr const char* error_message<additive> = "expected a value after '?\?'";
template <> inline constexpr const char* error_message<comparison_operand> = "expected a value to compare with";
template <> inline constexpr const char* error_message<negation> = "expected a condition after 'and'";
template <> inline constexpr const char* error_message<conjunction> = "expected a condition after 'or'";
template <> inline constexpr const char* error_message<list_of_keyword> = "expected 'of' after 'list', like list of text";
template <> inline constexpr const char* error_message<type_expr> = "expected a type, like integer, decimal, text, date, duration, boolean, a declared enum or record, or list of ...";
template <> inline constexpr const char* error_message<date_literal> = "expected a date like 2026-03-01";
template <> inline constexpr const char* error_message<declared_name> = "expected a name (letters, digits and _, starting with a letter) that is not a keyword";
template <> inline constexpr const char* error_message<colon> = "expected ':' and a type";
template <> inline constexpr const char* error_message<parameter_values> = "expected '=' and the parameter's value";
template <> inline constexpr const char* error_message<enum_member> = "expected the enum's values, separated by |";
template <> inline constexpr const char* error_message<enum_members> = "expected the enum's values, separated by |";
template <> inline constexpr const char* error_message<equals> = "expected '='";
template <> inline constexpr const char* error_message<opening_brace> = "expected '{'";
template <> inline constexpr const char* error_message<opening_paren> = "expected '('";
template <> inline constexpr const char* error_message<record_end> = "expected a field like 'score: decimal', or '}' to end the record";
template <> inline constexpr const char* error_message<function_params> = "expected '(' and the function's parameters";
template <> inline constexpr const char* error_message<definition_type> = "expected ':' and a type";
template <> inline constexpr const char* error_message<exception_target> = "expected the label of the rule this is an exception to";
template <> inline constexpr const char* error_message<rule_body> = "expected the section this rule encodes, like § 2.B.1";
template <> inline constexpr const char* error_message<rule_colon> = "expected ':' after the section (or after 'effective from DATE'), then the name this rule defines";
template <> inline constexpr const char* error_message<effective_range> = "expected 'from' or 'through' and a date after 'effective', like effective from 2027-07-01";
template <> inline constexpr const char* error_message<rule_target> = "expected the name this rule defines";
template <> inline constexpr const char* error_message<as_of_keyword> = "expected 'as of' and the date the decision is judged as of";
template <> inline constexpr const char* error_message<as_of_date> = "expected the date the decision is judged as of: a date input, or a date worked out from the inputs like start ?? date(year, 1, 1)";
template <> inline constexpr const char* error_message<choose_subject> = "expected the value to choose by, like choose r.method { ... }";
template <> inline constexpr const char* error_message<choose_open> = "expected '{' and a branch for each member of the enumeration, like standard: 1";
template <> inline constexpr const char* error_message<choose_more_member> = "expected another member of the enumeration after '|'";
template <> inline constexpr const char* error_message<choose_colon> = "expected ':' and the value for these members, like standard: 1 (or '|' and another member)";
template <> inline constexpr const char* error_message<choose_value> = "expected the value for these members after ':'";
template <> inline constexpr const char* error_message<choose_end> = "expected a member of the enumeration and ':' for another branch, or '}' to end the choose";
template <> inline constexpr const char* error_message<decision_end> = "expected input, output, let, rule, exception, require, or '}' to end the decision";
template <> inline constexpr const char* error_message<requirement_else> = "expected 'else' and the message to give when the requirement is not met";
template <> inline constexpr const char* error_message<requirement_message> = "expected the message to give when the requirement is not met, like \"start must fall within the year\"";
template <> inline constexpr const char* error_message<each_colon> = "expected ':' after the list the requirement goes through";
template <> inline constexpr const char* error_message<map_of_keyword> = "expected 'of' after 'map', like map of text";
template <> inline constexpr const char* error_message<weekend_day> = "expected a day of the week, like saturday";
template <> inline constexpr const char* error_message<calendar_end> = "expected weekend, holiday, closed, or '}' to end the calendar";
template <> inline constexpr const char* error_message<unknown_escape> = "unknown escape in text: after \\ only \", \\, n or t may follow (for a backslash and a q, write \\\\q)";
template <> inline constexpr const char* error_message<no_chained_comparison> = "comparisons cannot be chained: write a < b and b < c";
template <> inline constexpr const char* error_message<end_of_file> = "expected a declaration: parameter, enum, record, function, decision or calendar";
template <> inline constexpr const char* error_message<replaceable_member> = "expected a rule, exception, output or let after 'replace' in an amended decision";
template <> inline constexpr const char* error_message<amend_keyword> = "expected 'decision' after 'amend', like amend decision certification { ... }";
template <> inline constexpr const char* error_message<replaceable_decl> = "expected a parameter, function, record or enum after 'replace': an amendment replaces those";
template <> inline constexpr const char* error_message<quote_continues_code> = "this line begins with '>', so it reads as a quote of the law: if it continues the expression, put the operator at the end of the line before; if it quotes the law, leave a blank line before the quote";
template <> inline constexpr const char* error_message<quote_in_declaration> = "a quote of the law (a line beginning with '>') may stand only between declarations and between the members of a decision, record or calendar, not inside one; move it above the declaration";
// clang-format on

/// PEGTL's must_if reads messages through this; `raise_on_failure` stays false so only `must<>` raises.
struct errors {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
  template <typename Rule>
  static constexpr bool raise_on_failure = false;
};

}  // namespace merit::grammar
