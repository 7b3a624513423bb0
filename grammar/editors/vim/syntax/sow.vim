" Vim syntax file
" Language: sow (rules for professional-services billing and revenue)
" Install:  make install (PREFIX/share/vim/vimfiles), or copy syntax/ and
"           ftdetect/ into ~/.vim; see the README.
if exists("b:current_syntax")
  finish
endif

syn case match

syn keyword sowDefine import sow calendar fiscal const fn relation enum machine rule query test rounding mapping accounts override reporting
syn keyword sowClause for in where when let emit if then else from select group by order asc desc limit unique because initial final given expect as of to mode starts
syn keyword sowTerm customer currency billing acceptance passive business rate per milestone training authorized project weekend holiday
syn keyword sowOperator and or not is set
syn keyword sowConstant true false unset as_of
syn keyword sowBilling on_sow_execution on_order_form time_and_materials half_and_half on_completion
syn keyword sowMode half_up half_even up down
syn keyword sowBuiltin business_day business_days_between passive_acceptance_on is_business_day round month_end month_start add_months fiscal_quarter fiscal_year period_of period_start period_end year_of month_of day_of weekday minor_unit money convert currency_of hours_of number text date coalesce abs first size week_start is_closed released_before min max sum count any all

syn match sowName "\(\<\(fn\|rule\|query\|relation\|machine\|rounding\|enum\|const\)\s\+\)\@<=\h\w*"
" numbers first: a later match at the same column wins (dates, periods)
syn match sowNumber "\<\d\+\(\.\d\+\)\=%\="
syn match sowPeriod "\<\d\{4}-\d\{2}\>\|\<FY\d\{4}\(-Q[1-4]\)\=\>"
syn match sowDate "\<\d\{4}-\d\{2}-\d\{2}\>"
syn match sowCurrency "\<[A-Z]\{3}\>"
syn match sowSymbolOp "->\|==\|!=\|<=\|>="
syn match sowEscape contained "\\[\"\\nt]"
syn region sowString start=+"+ skip=+\\\\\|\\"+ end=+"\|$+ contains=sowEscape oneline
syn match sowComment "#.*$" contains=sowTodo
syn keyword sowTodo contained TODO FIXME XXX

hi def link sowDefine Statement
hi def link sowClause Keyword
hi def link sowTerm Type
hi def link sowOperator Operator
hi def link sowSymbolOp Operator
hi def link sowConstant Constant
hi def link sowBilling Constant
hi def link sowMode Constant
hi def link sowBuiltin Function
hi def link sowName Identifier
hi def link sowDate Number
hi def link sowPeriod Number
hi def link sowNumber Number
hi def link sowCurrency Special
hi def link sowEscape SpecialChar
hi def link sowString String
hi def link sowComment Comment
hi def link sowTodo Todo

let b:current_syntax = "sow"
