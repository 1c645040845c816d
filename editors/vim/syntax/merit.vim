" Vim syntax file
" Language:   merit rule files (*.merit): the State of Maine's civil service rules
" The words are grammar/grammar.hpp's keywords, as in editors/vscode/syntaxes/merit.tmLanguage.json;
" tests/highlight/test_highlight.cpp checks this file in Vim against the shipped rule files.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match

" Words the parser reserves. A keyword outranks a match starting at the same place in Vim, so the words
" that are also part of a longer item (list of, section, calendar, first, ...) are matches below instead.
syntax keyword meritDeclaration parameter enum record function decision input output let
syntax keyword meritStatement rule exception require weekend holiday closed
syntax keyword meritKeyword as of to from by descending counting with ties because
syntax keyword meritConditional if then else when choose
syntax keyword meritRepeat for in where sort take
syntax keyword meritOperatorWord and or not
syntax keyword meritBoolean true false
syntax keyword meritNone none

" Words the parser reads as keywords only in their place; elsewhere they are names.
syntax match meritKeyword /\<\%(replace\|amend\)\ze\s\+\%(parameter\|function\|record\|enum\|decision\|rule\|exception\|output\|let\)\>/
syntax match meritKeyword /\<effective\ze\s\+\%(from\|through\)\>/
syntax match meritKeyword /\<through\ze\s\+\d\{4}-\d\d-\d\d\>/
syntax match meritKeyword /\<after\ze\s\+\h\w*\%(\s*\%(]\|$\)\|\s\+where\>\)/
syntax match meritRepeat /\<\%(count\|exists\|every\|first\)\ze\s\+\h\w*\s\+in\>/

" The basic types (date and text are builtins where called), and stdlib/builtins.cpp's table.
syntax match meritType /\.\@1<!\<\%(boolean\|integer\|decimal\|text\|date\|duration\|calendar\|Weekday\)\>\%(\s*(\)\@!/
syntax match meritType /\<list\>\%(\s\+of\>\)\=/
syntax match meritType /\<map\s\+of\>/
syntax match meritBuiltin /\.\@1<!\<\%(date\|year\|month\|day\|weekday\|nth_weekday\|last_weekday\|period_end\|is_working_day\|next_working_day\|nth_working_day\|count_working_days\|days\|working_days\|months\|years\|amount\|months_in\|size\|first\|last\|distinct\|sum\|text\|position\|positions\|duplicates\|flatten\|tally\|present\|keys\|get\|min\|max\)\ze\s*(/

" A declaration's name, and `calendar` where it starts a declaration (elsewhere it is a type).
syntax match meritDeclaration /^\s*\zscalendar\>/
syntax match meritFunctionName /\%(\<\%(decision\|function\)\s\+\)\@<=\h\w*/
syntax match meritTypeName /\%(\<\%(record\|enum\)\s\+\)\@<=\h\w*/

syntax match meritOperator "==\|!=\|<=\|>=\|??\|[-<>=+*/?|]"

" Later definitions win where two start at one place: a duration or a date over a number.
syntax match meritNumber /\<\d\+\%(\.\d\+\)\=\>/
syntax match meritDuration /\<\d\+\s\+\%(working\s\+\%(days\|day\)\|days\|day\|months\|month\|years\|year\)\>/
syntax match meritDate /\<\d\{4}-\d\d-\d\d\>/

syntax match meritEscape /\\["\\nt]/ contained
syntax match meritBadEscape /\\\%(["\\nt]\)\@!./ contained
" A text never spans lines: an unclosed one ends with its line.
syntax region meritString start=/"/ skip=/\\./ end=/"/ end=/$/ oneline contains=meritEscape,meritBadEscape

" § 2.B.1, section 3.A.5.d, § "4 M.R.S. §1051" (\%u00a7 is §).
syntax match meritCitation /\%(\%u00a7\|\<section\>\)\%(\s*\%("\%([^"\\]\|\\.\)*"\|[[:alnum:]][[:alnum:].()_\/-]*\)\)\=/

syntax keyword meritTodo TODO FIXME XXX contained
syntax match meritComment /#.*$/ contains=meritTodo,@Spell
" A line whose first non-blank character is '>' quotes the regulation, whatever follows.
syntax match meritQuote /^\s*>.*$/ contains=@Spell

highlight default link meritDeclaration Statement
highlight default link meritStatement Statement
highlight default link meritKeyword Keyword
highlight default link meritConditional Conditional
highlight default link meritRepeat Repeat
highlight default link meritOperatorWord Operator
highlight default link meritOperator Operator
highlight default link meritBoolean Boolean
highlight default link meritNone Constant
highlight default link meritType Type
highlight default link meritBuiltin Function
highlight default link meritFunctionName Function
highlight default link meritTypeName Type
highlight default link meritNumber Number
highlight default link meritDuration Number
highlight default link meritDate Number
highlight default link meritString String
highlight default link meritEscape SpecialChar
highlight default link meritBadEscape Error
highlight default link meritCitation Title
highlight default link meritTodo Todo
highlight default link meritComment Comment
highlight default link meritQuote String

let b:current_syntax = 'merit'

let &cpo = s:cpo_save
unlet s:cpo_save
