#pragma once
// The PEGTL grammar of merit rule files. Included by grammar/parse.cpp alone, so that these templates are
// compiled in one translation unit.
//
// Rules are small named structs in layers: lexical, expressions, declarations, file. Every point where
// the parser commits (a `must<>`) is its own named rule, with a message in grammar/errors.hpp phrased in
// the rule language's terms.
#include <cctype>
#include <string_view>
#include <tao/pegtl.hpp>

namespace merit::grammar {

using namespace tao::pegtl;  // NOLINT(google-build-using-namespace): the grammar is written in PEGTL's words

// clang-format off

// ---------------------------------------------------------------------------------------------------------
// Lexical layer. Blank space and `#` comments are skipped between tokens. A line whose first non-blank
// character is `>` quotes the regulation; it sits beside the rules that encode it, so it stands only
// between declarations and between the members of a decision, record or calendar (`_q`), never inside
// one: a '>' that begins a line right after an expression's line would otherwise read as "greater than".
struct line_comment : seq< one< '#' >, until< eolf > > {};
struct law_quote : seq< bol, star< blank >, one< '>' >, until< eolf > > {};
struct quote_line : seq< bol, star< blank >, one< '>' > > {};

namespace quotes {
// The text of the line before the one `at` begins, without its leading blanks.
inline std::string_view line_before( const char* begin, const char* at ) noexcept
{
   if( at == begin ) return {};
   const char* end = at - 1;  // the '\n' ending the line before
   const char* start = end;
   while( start > begin && start[ -1 ] != '\n' ) --start;
   while( start < end && ( *start == ' ' || *start == '\t' ) ) ++start;
   if( end > start && end[ -1 ] == '\r' ) --end;
   return { start, std::size_t( end - start ) };
}

// The first line from `at` on that is not blank, a comment or a quote, without its leading blanks.
inline std::string_view next_code( const char* at, const char* end ) noexcept
{
   while( at < end ) {
      const char* start = at;
      while( start < end && ( *start == ' ' || *start == '\t' ) ) ++start;
      const char* stop = start;
      while( stop < end && *stop != '\n' ) ++stop;
      if( start < stop && *start != '#' && *start != '>' && *start != '\r' ) return { start, std::size_t( stop - start ) };
      at = stop < end ? stop + 1 : end;
   }
   return {};
}

// The last line before `at` that is not blank, a comment or a quote, without its trailing blanks or comment.
inline std::string_view code_before( const char* begin, const char* at ) noexcept
{
   while( at > begin ) {
      const auto line = line_before( begin, at );
      at = line.data() == nullptr ? begin : line.data();
      while( at > begin && at[ -1 ] != '\n' ) --at;
      if( line.empty() || line.front() == '#' || line.front() == '>' ) continue;
      auto code = line.substr( 0, line.find( '#' ) );  // a '#' inside text is rare enough here
      while( !code.empty() && ( code.back() == ' ' || code.back() == '\t' ) ) code.remove_suffix( 1 );
      return code;
   }
   return {};
}

inline bool ends_word( std::string_view line, std::string_view word ) noexcept
{
   return line.size() >= word.size() && line.substr( line.size() - word.size() ) == word &&
          ( line.size() == word.size() || !( std::isalnum( static_cast< unsigned char >( line[ line.size() - word.size() - 1 ] ) ) || line[ line.size() - word.size() - 1 ] == '_' ) );
}

inline bool starts_word( std::string_view line, std::string_view word ) noexcept
{
   return line.substr( 0, word.size() ) == word && ( line.size() == word.size() || !( std::isalnum( static_cast< unsigned char >( line[ word.size() ] ) ) || line[ word.size() ] == '_' ) );
}

// At the start of a quote line (first non-blank character '>').
template< typename ParseInput >
bool at_quote( ParseInput& in ) noexcept
{
   if( in.column() != 1 ) return false;
   const char* p = in.current();
   while( p < in.end() && ( *p == ' ' || *p == '\t' ) ) ++p;
   return p < in.end() && *p == '>';
}
}  // namespace quotes

// A quote line right after a line of code, inside or right after an expression: an error, because the
// reader cannot tell a quote from a continued comparison. Matches nothing; the rule using it raises.
struct quote_after_code
{
   using rule_t = quote_after_code;
   using subs_t = empty_list;
   template< typename ParseInput >
   static bool match( ParseInput& in ) noexcept
   {
      if( !quotes::at_quote( in ) ) return false;
      const auto before = quotes::line_before( in.begin(), in.current() );
      return !before.empty() && before.front() != '#' && before.front() != '>';
   }
};

// A quote line followed by more of the same declaration (its citation, `=`, `when`, ...): an error.
struct quote_inside_declaration
{
   using rule_t = quote_inside_declaration;
   using subs_t = empty_list;
   template< typename ParseInput >
   static bool match( ParseInput& in ) noexcept
   {
      if( !quotes::at_quote( in ) ) return false;
      // The code before the quote stops where more must follow (`=`, an operator, `when`, ...).
      const auto before = quotes::code_before( in.begin(), in.current() );
      if( !before.empty() && std::string_view( "=+-*/,(:[{|<>\xA7" ).find( before.back() ) != std::string_view::npos ) return true;
      // `??` wants its right-hand side; a single `?` ends an optional type (`input start: date?`).
      if( before.size() >= 2 && before.substr( before.size() - 2 ) == "??" ) return true;
      for( const std::string_view word : { "and", "or", "not", "then", "else", "in", "by", "where", "when", "because", "from", "through", "effective", "section", "of", "to" } ) {
         if( quotes::ends_word( before, word ) ) return true;
      }
      const auto next = quotes::next_code( in.current(), in.end() );
      if( next.empty() ) return false;
      if( std::string_view( "=:(,|{" ).find( next.front() ) != std::string_view::npos ) return true;
      if( next.substr( 0, 2 ) == "\xC2\xA7" ) return true;  // §
      for( const std::string_view word : { "section", "effective", "when", "because", "from", "through", "to", "else", "of" } ) {
         if( quotes::starts_word( next, word ) ) return true;
      }
      return false;
   }
};

struct quote_continues_code : success {};  // only raised, with its message in grammar/errors.hpp
struct quote_in_declaration : success {};  // likewise

struct space_or_comment : sor< space, line_comment > {};
// Between the tokens of a declaration: a quote line ends the declaration, unless more of it follows.
struct _ : star< sor< seq< quote_inside_declaration, star< blank >, raise< quote_in_declaration > >,
                      seq< not_at< quote_line >, space_or_comment > > > {};
// Between the tokens of an expression: a quote line right after code is an error; after a blank line or
// a comment, it ends the expression: `_e` fails there, so no operator (not even '>') is read after it.
struct _e : seq< star< sor< seq< quote_after_code, star< blank >, raise< quote_continues_code > >,
                            seq< not_at< quote_line >, space_or_comment > > >,
                 not_at< quote_line > > {};
// Between declarations and members, where quotes stand.
struct _q : star< sor< law_quote, space_or_comment > > {};

struct kw_parameter : TAO_PEGTL_KEYWORD( "parameter" ) {};
struct kw_enum : TAO_PEGTL_KEYWORD( "enum" ) {};
struct kw_record : TAO_PEGTL_KEYWORD( "record" ) {};
struct kw_function : TAO_PEGTL_KEYWORD( "function" ) {};
struct kw_decision : TAO_PEGTL_KEYWORD( "decision" ) {};
struct kw_calendar : TAO_PEGTL_KEYWORD( "calendar" ) {};
struct kw_input : TAO_PEGTL_KEYWORD( "input" ) {};
struct kw_output : TAO_PEGTL_KEYWORD( "output" ) {};
struct kw_let : TAO_PEGTL_KEYWORD( "let" ) {};
struct kw_rule : TAO_PEGTL_KEYWORD( "rule" ) {};
struct kw_exception : TAO_PEGTL_KEYWORD( "exception" ) {};
struct kw_to : TAO_PEGTL_KEYWORD( "to" ) {};
struct kw_when : TAO_PEGTL_KEYWORD( "when" ) {};
struct kw_if : TAO_PEGTL_KEYWORD( "if" ) {};
struct kw_then : TAO_PEGTL_KEYWORD( "then" ) {};
struct kw_else : TAO_PEGTL_KEYWORD( "else" ) {};
struct kw_and : TAO_PEGTL_KEYWORD( "and" ) {};
struct kw_or : TAO_PEGTL_KEYWORD( "or" ) {};
struct kw_not : TAO_PEGTL_KEYWORD( "not" ) {};
struct kw_in : TAO_PEGTL_KEYWORD( "in" ) {};
struct kw_for : TAO_PEGTL_KEYWORD( "for" ) {};
struct kw_where : TAO_PEGTL_KEYWORD( "where" ) {};
struct kw_sort : TAO_PEGTL_KEYWORD( "sort" ) {};
struct kw_by : TAO_PEGTL_KEYWORD( "by" ) {};
struct kw_descending : TAO_PEGTL_KEYWORD( "descending" ) {};
struct kw_take : TAO_PEGTL_KEYWORD( "take" ) {};
struct kw_from : TAO_PEGTL_KEYWORD( "from" ) {};
struct kw_counting : TAO_PEGTL_KEYWORD( "counting" ) {};
struct kw_with : TAO_PEGTL_KEYWORD( "with" ) {};
struct kw_ties : TAO_PEGTL_KEYWORD( "ties" ) {};
struct kw_true : TAO_PEGTL_KEYWORD( "true" ) {};
struct kw_false : TAO_PEGTL_KEYWORD( "false" ) {};
struct kw_none : TAO_PEGTL_KEYWORD( "none" ) {};
struct kw_list : TAO_PEGTL_KEYWORD( "list" ) {};
struct kw_of : TAO_PEGTL_KEYWORD( "of" ) {};
struct kw_as : TAO_PEGTL_KEYWORD( "as" ) {};
struct kw_weekend : TAO_PEGTL_KEYWORD( "weekend" ) {};
struct kw_holiday : TAO_PEGTL_KEYWORD( "holiday" ) {};
struct kw_closed : TAO_PEGTL_KEYWORD( "closed" ) {};
struct kw_section : TAO_PEGTL_KEYWORD( "section" ) {};
struct kw_require : TAO_PEGTL_KEYWORD( "require" ) {};
// `effective` and `through` are keywords only after a citation, so they stay free as names elsewhere.
struct kw_effective : TAO_PEGTL_KEYWORD( "effective" ) {};
struct kw_through : TAO_PEGTL_KEYWORD( "through" ) {};
// Words that read as keywords only where they start an expression; elsewhere they stay free as names.
struct kw_count : TAO_PEGTL_KEYWORD( "count" ) {};
struct kw_exists : TAO_PEGTL_KEYWORD( "exists" ) {};
struct kw_every : TAO_PEGTL_KEYWORD( "every" ) {};
struct kw_first : TAO_PEGTL_KEYWORD( "first" ) {};
struct kw_choose : TAO_PEGTL_KEYWORD( "choose" ) {};
// Only where a declaration starts, in an amendment file: not reserved, so it stays free as a name.
struct kw_replace : TAO_PEGTL_KEYWORD( "replace" ) {};
struct kw_amend : TAO_PEGTL_KEYWORD( "amend" ) {};

struct reserved_word : sor< kw_parameter, kw_enum, kw_record, kw_function, kw_decision, kw_calendar, kw_input,
                            kw_output, kw_let, kw_rule, kw_exception, kw_to, kw_when, kw_if, kw_then, kw_else,
                            kw_and, kw_or, kw_not, kw_in, kw_for, kw_where, kw_sort, kw_by, kw_descending,
                            kw_take, kw_from, kw_counting, kw_with, kw_ties, kw_true, kw_false, kw_none, kw_list,
                            kw_of, kw_as, kw_weekend, kw_holiday, kw_closed, kw_section, kw_require,
                            kw_choose > {};

struct identifier : seq< not_at< reserved_word >, ascii::identifier > {};

// Literals. A date is tried before a number, a duration (`21 days`) before a bare number.
struct digits : plus< digit > {};
struct date_literal : seq< rep< 4, digit >, one< '-' >, rep< 2, digit >, one< '-' >, rep< 2, digit >,
                           not_at< identifier_other > > {};
struct unit_working_days : seq< TAO_PEGTL_KEYWORD( "working" ), plus< blank >,
                                sor< TAO_PEGTL_KEYWORD( "days" ), TAO_PEGTL_KEYWORD( "day" ) > > {};
struct unit_days : sor< TAO_PEGTL_KEYWORD( "days" ), TAO_PEGTL_KEYWORD( "day" ) > {};
struct unit_months : sor< TAO_PEGTL_KEYWORD( "months" ), TAO_PEGTL_KEYWORD( "month" ) > {};
struct unit_years : sor< TAO_PEGTL_KEYWORD( "years" ), TAO_PEGTL_KEYWORD( "year" ) > {};
struct duration_unit : sor< unit_working_days, unit_days, unit_months, unit_years > {};
struct duration_amount : digits {};
struct duration_literal : seq< duration_amount, plus< blank >, duration_unit > {};
struct decimal_literal : seq< digits, one< '.' >, digits, not_at< identifier_other > > {};
struct integer_literal : seq< digits, not_at< identifier_other > > {};
struct text_closing_quote : one< '"' > {};
struct escape_char : one< '"', '\\', 'n', 't' > {};
struct unknown_escape : seq< one< '\\' >, not_at< escape_char > > {};
struct text_char : sor< seq< one< '\\' >, escape_char >, seq< at< one< '\\' > >, raise< unknown_escape > >,
                        not_one< '"', '\\', '\n', '\r' > > {};
struct text_literal : if_must< one< '"' >, star< text_char >, text_closing_quote > {};
struct true_literal : kw_true {};
struct false_literal : kw_false {};
struct none_literal : kw_none {};
struct literal : sor< date_literal, duration_literal, decimal_literal, integer_literal, text_literal,
                      true_literal, false_literal, none_literal > {};

// A citation names the section a declaration encodes: `§ 2.B.1`, `section 3.A.5.d`, `§ "4 M.R.S. §1051"`.
struct section_sign : sor< string< '\xC2', '\xA7' >, kw_section > {};
struct cite_word : seq< alnum, star< sor< alnum, one< '.', '(', ')', '-', '_', '/' > > > > {};
struct cite_text : sor< text_literal, cite_word > {};
struct citation : if_must< section_sign, star< blank >, cite_text > {};

// ---------------------------------------------------------------------------------------------------------
// Expressions, from the loosest binding to the tightest:
//   if/then/else, sort, take, count/exists/every/first   (start with their keyword)
//   or  <  and  <  not  <  == != < <= > >= in, not in  <  ??  <  + -  <  * /  <  unary -  <  .field
struct expression;

struct binder : identifier {};
struct comma : seq< _e, one< ',' >, _e > {};

struct if_condition : seq< expression > {};
struct then_keyword : kw_then {};
struct else_keyword : kw_else {};
struct if_expr : if_must< kw_if, _e, expression, _e, then_keyword, _e, expression, _e, else_keyword, _e, expression > {};

struct in_keyword : kw_in {};
struct by_keyword : kw_by {};
struct descending_marker : kw_descending {};
struct sort_key : seq< expression, opt< plus< blank >, descending_marker > > {};
struct sort_expr : if_must< kw_sort, _e, binder, _e, in_keyword, _e, expression, _e, by_keyword, _e, list_must< sort_key, comma > > {};

struct from_keyword : kw_from {};
struct take_binder : seq< binder, _e, kw_in, _e > {};
struct counting_clause : if_must< kw_counting, _e, expression > {};
struct ties_keyword : kw_ties {};
struct ties_by_keyword : kw_by {};
struct ties_clause : if_must< kw_with, _e, ties_keyword, _e, ties_by_keyword, _e, list_must< expression, comma > > {};
struct take_expr : if_must< kw_take, _e, expression, _e, from_keyword, _e, opt< take_binder >, expression,
                            opt< _e, counting_clause >, opt< _e, ties_clause > > {};

struct where_keyword : kw_where {};
struct quantifier : sor< kw_count, kw_exists, kw_every, kw_first > {};
struct quantified_expr : seq< quantifier, plus< blank >, binder, _e, kw_in, _e,
                              must< expression, _e, where_keyword, _e, expression > > {};

// `[a, b]` and `[element for x in source where condition]` share their opening, so the first expression is
// parsed once whatever follows it.
struct closing_bracket : one< ']' > {};
// `after done` names the list of the results for the items before this one (a running comprehension).
struct after_clause : seq< TAO_PEGTL_KEYWORD( "after" ), _e, binder > {};
struct comprehension_tail : if_must< kw_for, _e, binder, _e, in_keyword, _e, expression, opt< _e, after_clause >,
                                     opt< _e, kw_where, _e, expression > > {};
struct list_tail : star< comma, expression > {};
struct bracket_expr : if_must< one< '[' >, _e, opt< expression, _e, sor< comprehension_tail, list_tail > >, _e,
                               closing_bracket > {};

struct closing_paren : one< ')' > {};
struct paren_expr : if_must< one< '(' >, _e, expression, _e, closing_paren > {};

struct argument_name : seq< identifier, _e, one< '=' >, not_at< one< '=' > > > {};
struct argument : seq< opt< argument_name, _e >, expression > {};
struct call_arguments : if_must< one< '(' >, _e, opt< list< argument, comma > >, _e, closing_paren > {};
struct field_init_name : identifier {};
struct field_colon : one< ':' > {};
struct field_init : if_must< field_init_name, _e, field_colon, _e, expression > {};
struct closing_brace : one< '}' > {};
// A `{` followed by a decision's first member opens the decision (`as of start ?? first_day {`), not a record.
struct record_open : seq< one< '{' >, not_at< _q, sor< kw_input, kw_output, kw_let, kw_rule, kw_exception,
                                                         kw_require > > > {};
struct record_body : if_must< record_open, _e, opt< list< field_init, comma > >, opt< comma >, _e, closing_brace > {};
// A name, a call `f(x)`, or a record `Type { field: value }`.
struct name_expr : seq< identifier, opt< star< blank >, sor< call_arguments, record_body > > > {};

struct empty_map : seq< one< '{' >, _e, one< '}' > > {};

// A name, or a field of one, right before a `{` that opens a block (`choose r.method {`, `as of start {`):
// read as the subject of the block, not as the type of a record value `Type { field: value }`. A subject
// that ends in a bare name in any other way needs parentheses.
struct subject_name : identifier {};
struct field_name;
struct dotted_name : seq< subject_name, star< _e, one< '.' >, _e, field_name > > {};
struct block_subject : sor< seq< dotted_name, at< _e, one< '{' > > >, seq< not_at< one< '{' > >, expression > > {};

// choose r.method {
//   standard: standard_tier(c, r)
//   statewide_promotional | open_competitive: 1
// }
// One branch for each member of the enumeration, in any order; members may share a branch with `|`.
struct choose_subject : seq< block_subject > {};
struct choose_open : one< '{' > {};
struct choose_member : identifier {};
struct choose_more_member : seq< choose_member > {};
struct choose_colon : one< ':' > {};
struct choose_value : seq< expression > {};
struct choose_branch : seq< choose_member, star< _e, one< '|' >, _e, must< choose_more_member > >, _e,
                            must< choose_colon >, _e, must< choose_value > > {};
struct choose_end : one< '}' > {};
struct choose_expr : if_must< kw_choose, _e, choose_subject, _e, choose_open, _e,
                              star< choose_branch, _e, opt< one< ',' >, _e > >, choose_end > {};
// Keyword-led expressions are operands too (`not exists c in cs where ...`); they extend as far right as
// they can, so `exists c in cs where a and b` tests `a and b`.
struct primary : sor< paren_expr, bracket_expr, if_expr, sort_expr, take_expr, quantified_expr, choose_expr,
                      empty_map, literal, name_expr > {};
struct field_name : identifier {};
struct postfix : seq< primary, star< _e, one< '.' >, _e, field_name > > {};
struct minus_op : one< '-' > {};
struct prefix : seq< star< minus_op, _e >, postfix > {};

struct multiply_op : one< '*' > {};
struct divide_op : one< '/' > {};
struct multiplicative : seq< prefix, star< if_must< seq< _e, sor< multiply_op, divide_op > >, _e, prefix > > > {};
struct add_op : one< '+' > {};
struct subtract_op : one< '-' > {};
struct additive : seq< multiplicative, star< if_must< seq< _e, sor< add_op, subtract_op > >, _e, multiplicative > > > {};
struct or_else_op : string< '?', '?' > {};
struct coalesce : seq< additive, star< if_must< seq< _e, or_else_op >, _e, additive > > > {};
struct equal_op : string< '=', '=' > {};
struct not_equal_op : string< '!', '=' > {};
struct less_equal_op : string< '<', '=' > {};
struct greater_equal_op : string< '>', '=' > {};
struct less_op : one< '<' > {};
struct greater_op : one< '>' > {};
struct not_in_op : seq< kw_not, plus< blank >, kw_in > {};
struct in_op : kw_in {};
struct comparison_op : sor< equal_op, not_equal_op, less_equal_op, greater_equal_op, less_op, greater_op,
                            not_in_op, in_op > {};
struct comparison_operand : seq< coalesce > {};
struct no_chained_comparison : not_at< _e, comparison_op > {};
struct comparison : seq< coalesce, opt< if_must< seq< _e, comparison_op >, _e, comparison_operand, no_chained_comparison > > > {};
struct not_op : kw_not {};
struct negation : seq< star< not_op, _e >, comparison > {};
struct and_op : kw_and {};
struct conjunction : seq< negation, star< if_must< seq< _e, and_op >, _e, negation > > > {};
struct or_op : kw_or {};
struct disjunction : seq< conjunction, star< if_must< seq< _e, or_op >, _e, conjunction > > > {};

struct expression : seq< disjunction > {};

// ---------------------------------------------------------------------------------------------------------
// Types: `integer`, `Candidate`, `list of text`, `date?`.
struct type_expr;
struct type_name : identifier {};
struct list_of_keyword : kw_of {};
struct list_type : if_must< kw_list, _, list_of_keyword, _, type_expr > {};
struct map_of_keyword : kw_of {};
struct map_type : if_must< TAO_PEGTL_KEYWORD( "map" ), _, map_of_keyword, _, type_expr > {};
struct optional_mark : one< '?' > {};
struct type_expr : seq< sor< list_type, map_type, type_name >, opt< star< blank >, optional_mark > > {};

// ---------------------------------------------------------------------------------------------------------
// Declarations.
struct colon : one< ':' > {};
struct equals : seq< one< '=' >, not_at< one< '=' > > > {};
struct declared_name : identifier {};
struct value_expression : seq< expression > {};

// parameter complement_size: integer § 2.B.1 = 6
//                                            = 5 from 2027-07-01
struct from_date : if_must< kw_from, _, date_literal > {};
struct dated_value : if_must< equals, _, value_expression, opt< _, from_date > > {};
struct parameter_values : list< dated_value, _ > {};

// An amendment carries the days it is in force, both ends included, so a rule file can hold it before it
// takes effect:  effective from 2027-07-01  |  effective through 2027-06-30  |  effective from A through B
struct effective_start : if_must< kw_from, _, date_literal > {};
struct effective_end : if_must< kw_through, _, date_literal > {};
struct effective_range : sor< seq< effective_start, opt< _, effective_end > >, effective_end > {};
struct effective_clause : if_must< kw_effective, _, effective_range > {};
struct parameter_decl : if_must< kw_parameter, _, declared_name, _, colon, _, type_expr, _, citation, _,
                                 parameter_values > {};

// enum Method § 2.A = standard | agency_promotional | ...
struct enum_member : identifier {};
struct enum_members : list_must< enum_member, seq< _, one< '|' >, _ > > {};
struct enum_decl : if_must< kw_enum, _, declared_name, _, opt< citation, _ >, equals, _, enum_members > {};

// record Candidate { id: text  score: decimal  agency: text? = none }
struct field_default : if_must< equals, _, value_expression > {};
struct field_decl : if_must< declared_name, _, colon, _, type_expr, opt< _, field_default >, opt< _, one< ',' > > > {};
struct opening_brace : one< '{' > {};
struct record_end : one< '}' > {};
struct record_decl : if_must< kw_record, _, declared_name, _, opt< citation, _ >, opening_brace, _q,
                              star< field_decl, _q >, record_end > {};

// function standard_tier(c: Candidate, r: Requisition): integer § 2.A.1 = ...
struct function_param : if_must< declared_name, _, colon, _, type_expr > {};
struct opening_paren : one< '(' > {};
struct function_params : if_must< opening_paren, _, opt< list< function_param, comma > >, _, closing_paren > {};
struct because_clause;
struct function_decl : if_must< kw_function, _, declared_name, _, function_params, _, colon, _, type_expr, _,
                                opt< citation, _ >, opt< effective_clause, _ >, equals, _, value_expression,
                                opt< _, because_clause > > {};

// Inside a decision: inputs, outputs, locals, rules and exceptions.
struct input_decl : if_must< kw_input, _, declared_name, _, colon, _, type_expr, opt< _, field_default > > {};
struct definition_type : if_must< colon, _, type_expr > {};
// `because "..."` explains, in a sentence a person reads in the table, why the value is what it is.
struct because_clause : if_must< TAO_PEGTL_KEYWORD( "because" ), _, expression > {};
struct output_decl : if_must< kw_output, _, declared_name, _, definition_type, opt< _, citation >,
                              opt< _, effective_clause >, opt< _, field_default >, opt< _, because_clause > > {};
struct let_decl : if_must< kw_let, _, declared_name, opt< _, definition_type >, opt< _, citation >,
                           opt< _, effective_clause >, opt< _, field_default >, opt< _, because_clause > > {};
struct rule_label : identifier {};
struct exception_target : identifier {};
struct to_clause : if_must< kw_to, _, exception_target > {};
struct rule_target : identifier {};
struct when_clause : if_must< kw_when, _, expression > {};
struct rule_colon : one< ':' > {};
struct rule_body : if_must< citation, _, opt< effective_clause, _ >, rule_colon, _, rule_target, _, equals, _, value_expression,
                             opt< _, when_clause >, opt< _, because_clause > > {};
struct rule_decl : if_must< kw_rule, _, opt< rule_label, _ >, rule_body > {};
struct exception_decl : if_must< kw_exception, _, opt< rule_label, _ >, opt< to_clause, _ >, rule_body > {};
// require § 4: year(start) == year else "start must fall within the year"
// require § 2.D: for r in requisitions: r.vacancies >= 1 else "vacancies must be at least 1"
// The message is a text expression, evaluated with the item that fails the requirement.
struct each_colon : one< ':' > {};
struct require_each : if_must< kw_for, _, binder, _, in_keyword, _, expression, _, each_colon > {};
struct requirement_else : kw_else {};
struct requirement_message : seq< expression > {};
struct require_decl : if_must< kw_require, _, citation, _, rule_colon, _, opt< require_each, _ >, expression, _,
                               requirement_else, _, requirement_message > {};
struct decision_member : sor< input_decl, output_decl, let_decl, rule_decl, exception_decl, require_decl > {};
// `as of start`, `as of start ?? date(year, 1, 1)`: a date (or none) worked out from the inputs alone.
struct as_of_keyword : kw_of {};
struct as_of_date : seq< block_subject > {};
struct as_of_clause : if_must< kw_as, _, as_of_keyword, _, as_of_date > {};
struct decision_end : one< '}' > {};
struct decision_decl : if_must< kw_decision, _, declared_name, _, citation, _, opt< as_of_clause, _ >,
                                opening_brace, _q, star< decision_member, _q >, decision_end > {};

// calendar state_of_maine § 5 { weekend saturday, sunday  holiday christmas = observed(date(year, 12, 25)) }
struct weekend_day : identifier {};
struct weekend_decl : if_must< kw_weekend, _, list_must< weekend_day, comma > > {};
// A holiday or a closed day may be in force on some days only: `effective from 2027-01-01`.
struct holiday_decl : if_must< kw_holiday, _, declared_name, _, opt< citation, _ >, opt< effective_clause, _ >,
                               equals, _, value_expression > {};
struct closed_decl : if_must< kw_closed, _, date_literal, opt< star< blank >, citation >,
                              opt< star< blank >, effective_clause > > {};
struct calendar_member : sor< weekend_decl, holiday_decl, closed_decl > {};
struct calendar_end : one< '}' > {};
struct calendar_decl : if_must< kw_calendar, _, declared_name, _, opt< citation, _ >, opening_brace, _q,
                                star< calendar_member, _q >, calendar_end > {};

// ---------------------------------------------------------------------------------------------------------
// A file is a sequence of declarations.
// In an amendment file: `replace parameter ...`, `replace function ...`, `replace record ...` or
// `replace enum ...` takes the place of the rules' declaration of that name.
struct replaceable_decl : sor< parameter_decl, function_decl, record_decl, enum_decl > {};
struct replaced_decl : if_must< kw_replace, _, replaceable_decl > {};
// `amend decision certification { ... }`: members added to the rules' decision; `replace rule ...`,
// `replace output ...` take the place of its own.
struct replaceable_member : sor< rule_decl, exception_decl, output_decl, let_decl > {};
struct replaced_member : if_must< kw_replace, _, replaceable_member > {};
struct amended_member : sor< replaced_member, decision_member > {};
struct amend_keyword : kw_decision {};
struct amend_decision_decl : if_must< kw_amend, _, amend_keyword, _, declared_name, _, opening_brace, _q,
                                      star< amended_member, _q >, decision_end > {};
struct declaration : sor< replaced_decl, amend_decision_decl, parameter_decl, enum_decl, record_decl,
                          function_decl, decision_decl, calendar_decl > {};
struct end_of_file : eof {};
struct file : seq< _q, star< declaration, _q >, must< end_of_file > > {};

// clang-format on

}  // namespace merit::grammar
