/* sow.y: the grammar of the sow language (pure bison parser, locations).
 *
 * One grammar serves rule files (START_FILE) and single expressions or
 * queries (START_EVAL, for `sow eval` and the REPL). Errors are reported by
 * yyreport_syntax_error with the offending token's text and what was
 * expected; `error` productions at item and clause level resynchronise so
 * one pass reports every broken block. Newlines are not significant: each
 * clause starts with its keyword. */
%define api.pure full
%define api.location.type {Loc}
%define parse.error custom
%locations
%param {yyscan_t scanner}
%parse-param {Parser *P}
%expect 0

%code requires {
#include "parse.h"
typedef void *yyscan_t;
}

%code {
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

int yylex(YYSTYPE *lval, Loc *lloc, yyscan_t scanner);
int lex_is_keyword_n(const char *s, size_t n);
static void yyerror(Loc *loc, yyscan_t scanner, Parser *P, const char *msg);
static Node *mk(Parser *P, NodeKind k, Loc loc) { return ast_node(P->A, k, loc); }
static Node *bin(Parser *P, int op, Node *a, Node *b, Loc loc)
{
	Node *n = mk(P, N_BIN, loc);
	n->op = op; n->a = a; n->b = b;
	return n;
}
/* Words with a fixed place (per hour, authorized hours, fiscal year) are
 * not reserved: the grammar takes a name there and checks it is the word. */
static void word(Parser *P, Loc loc, const char *got, const char *want, const char *alt)
{
	if (strcmp(got, want) != 0 && !(alt && strcmp(got, alt) == 0)) {
		P->errors++;
		diag_at(P->D, P->src, loc, DIAG_ERROR, "expected '%s' here, not '%s'", want, got);
	}
}

/* `currency EURO`, `currency eur`, `currency "EUR"`: one error, with the
 * nearest ISO code; the clause keeps that code (marked op = 1, reported), so
 * the SOW does not also lack a currency. */
static Node *bad_currency(Parser *P, Loc whole, Loc at, const char *text, bool quoted)
{
	char up[8] = "";
	size_t n = strlen(text);
	for (size_t i = 0; i < n && i < sizeof up - 1; i++)
		up[i] = (char)(text[i] >= 'a' && text[i] <= 'z' ? text[i] - 32 : text[i]);
	const char *codes[256];
	int k = money_codes(codes, 256);
	const char *near = n < sizeof up && money_is_currency(up) ? NULL : diag_suggest(up, codes, k);
	const char *fix = n < sizeof up && money_is_currency(up) ? up : near;
	P->errors++;
	if (quoted)
		diag_at(P->D, P->src, at, DIAG_ERROR, "a currency is a code, not a string: write currency %s", fix ? fix : "USD");
	else if (fix == up)
		diag_at(P->D, P->src, at, DIAG_ERROR, "currency codes are upper case: write currency %s", up);
	else if (fix)
		diag_at(P->D, P->src, at, DIAG_ERROR, "'%s' is not an ISO 4217 currency code; did you mean %s?", text, fix);
	else
		diag_at(P->D, P->src, at, DIAG_ERROR, "'%s' is not an ISO 4217 currency code (such as USD, EUR, GBP)", text);
	Node *c = mk(P, N_CURRENCY, whole);
	c->s = (char *)(fix && fix != up ? fix : fix ? arena_strndup(P->A, up, strlen(up)) : "USD");
	c->op = 1;
	return c;
}

/* The unit after a number: 5 days, 2 weeks, 1 month, 8 hours. */
static int unit(Parser *P, Loc loc, const char *name)
{
	static const struct { const char *name; int unit; } units[] = {
		{ "day", U_DAYS }, { "days", U_DAYS }, { "week", U_WEEKS }, { "weeks", U_WEEKS },
		{ "month", U_MONTHS }, { "months", U_MONTHS }, { "year", U_YEARS }, { "years", U_YEARS },
		{ "hour", U_HOURS }, { "hours", U_HOURS },
	};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strcmp(name, units[i].name) == 0)
			return units[i].unit;
	P->errors++;
	diag_at(P->D, P->src, loc, DIAG_ERROR, "unknown unit '%s' (days, weeks, months, years, hours, business days)", name);
	return U_DAYS;
}
#define YYLLOC_DEFAULT(Cur, Rhs, N) do { \
	if (N) { (Cur).beg = YYRHSLOC(Rhs, 1).beg; (Cur).end = YYRHSLOC(Rhs, N).end; } \
	else { (Cur).beg = (Cur).end = YYRHSLOC(Rhs, 0).end; } } while (0)
/* Deep nesting ends in a clear error instead of a deep C stack later. */
#define YYMAXDEPTH 2000
#define YYINITDEPTH 200
}

%union { char *str; Node *node; int num; }

%token END 0 "end of input"
%token START_FILE START_EVAL
%token <str> IDENT "name" STRING "string" NUMBER "number" DATE "date" PERIOD "period"
%token <str> CURRENCY "currency code"
%token <str> ACCEPTANCE "acceptance" AND "and" AS "as" ASC "asc" AUTHORIZED "authorized"
%token <str> ACCOUNTS "accounts"
%token <str> BECAUSE "because" BILLING "billing" BUSINESS "business" BY "by"
%token <str> CALENDAR "calendar" CONST "const" CURRENCY_KW "currency" CUSTOMER "customer"
%token <str> DESC "desc" ELSE "else" EMIT "emit" ENUM "enum" EXPECT "expect"
%token <str> FALSE "false" FISCAL "fiscal" FN "fn" FOR "for" FROM "from" GIVEN "given"
%token <str> FINAL "final" GROUP "group" HOLIDAY "holiday" IF "if" INITIAL_KW "initial"
%token <str> IMPORT "import" IN "in" IS "is" LET "let" LIMIT "limit" MACHINE "machine"
%token <str> MAPPING "mapping" MILESTONE "milestone" MODE "mode" NOT "not"
%token <str> OF "of" OR "or" ORDER "order" OVERRIDE "override" PASSIVE "passive" PER "per" PROJECT "project"
%token <str> QUERY "query" RATE "rate" RELATION "relation" REPORTING "reporting" ROUNDING "rounding" RULE "rule"
%token <str> SELECT "select" SET "set" SOW "sow" STARTS "starts" TEST "test" THEN "then"
%token <str> TO "to" TRAINING "training" TRUE "true" UNIQUE "unique" UNSET "unset"
%token <str> WEEKEND "weekend" WHEN "when" WHERE "where"
%token EQ "==" NE "!=" LE "<=" GE ">=" ARROW "->"

%type <node> items item import sow sow_clauses sow_clause calendar cal_clauses cal_clause
%type <node> weekdays fiscal letdecl fn params paramlist relation columns column enum idlist
%type <node> machine transitions transition states definition rule rule_clauses rule_clause source
%type <node> query query_expr from_list from_item sel_list sel_item opt_where opt_group
%type <node> opt_order opt_limit ord_list ord_item exprlist test test_clauses test_clause
%type <node> records record fields field expr postfix primary args arglist arg rounding
%type <node> opt_select opt_reason opt_guard opt_unique machine_filter
%type <node> accounts acct_clauses acct_clause acct_title acct_when acct_conds acct_cond
%type <str> acct_kind acct_key
%type <node> mapping map_clauses map_clause map_formats map_values map_entries map_entry map_keys map_value
%type <str> anyname billing_term relname map_column

%precedence IFX
%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE IS IN
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

top
	: START_FILE items            { P->items = $2; }
	| START_EVAL expr             { P->expr = $2; }
	| START_EVAL query_expr       { P->expr = $2; }
	;

items
	: %empty                      { $$ = NULL; }
	| items item                  { $$ = ast_append($1, $2); }
	;

item
	: import | sow | fiscal | test | mapping | accounts | definition
	| OVERRIDE definition         { $$ = $2; $$->op = DEF_OVERRIDE; $$->loc.beg = @1.beg; }
	| error                       { $$ = NULL; }
	;

/* What a SOW file may replace of the library's (`override` says it means to). */
definition
	: calendar | letdecl | fn | relation | enum | machine | rule | query | rounding
	;

import
	: IMPORT STRING               { $$ = mk(P, N_IMPORT, @$); $$->s = $2; }
	;

/* The SOW block of SPEC section 5, exactly as written there. */
sow
	: SOW STRING FOR PROJECT STRING '{' sow_clauses '}'
		{ $$ = mk(P, N_SOW, @$); $$->s = $2; $$->s2 = $5; $$->a = $7; }
	;

sow_clauses
	: %empty                      { $$ = NULL; }
	| sow_clauses sow_clause      { $$ = ast_append($1, $2); }
	;

sow_clause
	: CUSTOMER STRING             { $$ = mk(P, N_CUSTOMER, @$); $$->s = $2; }
	| CURRENCY_KW CURRENCY        { $$ = mk(P, N_CURRENCY, @$); $$->s = $2; }
	| CURRENCY_KW IDENT           { $$ = bad_currency(P, @$, @2, $2, false); }
	| CURRENCY_KW STRING          { $$ = bad_currency(P, @$, @2, $2, true); }
	| CALENDAR STRING             { $$ = mk(P, N_SOWCAL, @$); $$->s = $2; }
	| BILLING billing_term        { $$ = mk(P, N_BILLING, @$); $$->s = $2; $$->a = mk(P, N_NAME, @2); }
	| ACCEPTANCE PASSIVE NUMBER BUSINESS IDENT
		{ $$ = mk(P, N_ACCEPTANCE, @$); $$->s = $3; $$->a = mk(P, N_NUM, @3); word(P, @5, $5, "days", "day"); }
	| RATE STRING NUMBER PER IDENT
		{ $$ = mk(P, N_RATE, @$); $$->s = $2; $$->s2 = $3; $$->a = mk(P, N_NUM, @3); word(P, @5, $5, "hour", NULL); }
	| MILESTONE STRING STRING NUMBER
		{ $$ = mk(P, N_MILESTONE, @$); $$->s = $2; $$->s2 = $3; $$->a = mk(P, N_NUM, @4); $$->a->s = $4; }
	| TRAINING STRING STRING NUMBER
		{ $$ = mk(P, N_TRAINING, @$); $$->s = $2; $$->s2 = $3; $$->a = mk(P, N_NUM, @4); $$->a->s = $4; }
	| AUTHORIZED IDENT NUMBER
		{ $$ = mk(P, N_AUTHORIZED, @$); $$->s = $3; $$->a = mk(P, N_NUM, @3); word(P, @2, $2, "hours", NULL); }
	| IDENT IDENT                 /* po required */
		{ $$ = mk(P, N_PO_REQUIRED, @$); word(P, @1, $1, "po", NULL); word(P, @2, $2, "required", NULL); }
	| ROUNDING IDENT TO NUMBER MODE IDENT
		{ $$ = mk(P, N_SOWROUND, @$); $$->s = $2; $$->s2 = $6; $$->a = mk(P, N_NUM, @4); $$->a->s = $4; $$->b = mk(P, N_NAME, @6); }
	/* SPEC 8.7: amendment "A1" effective 2026-11-01 { clauses }. Neither
	 * word is reserved; the checker says which clauses may stand inside. */
	| IDENT STRING IDENT DATE '{' sow_clauses '}'
		{ $$ = mk(P, N_AMENDMENT, @$); $$->s = $2; $$->s2 = $4; $$->a = $6; $$->b = mk(P, N_DATE, @4); $$->b->s = $4;
		  word(P, @1, $1, "amendment", NULL); word(P, @3, $3, "effective", NULL); }
	| error                       { $$ = NULL; }
	;

billing_term
	: IDENT | MILESTONE
	;

calendar
	: CALENDAR STRING '{' cal_clauses '}'
		{ $$ = mk(P, N_CALENDAR, @$); $$->s = $2; $$->a = $4; }
	;

cal_clauses
	: %empty                      { $$ = NULL; }
	| cal_clauses cal_clause      { $$ = ast_append($1, $2); }
	;

cal_clause
	: WEEKEND weekdays            { $$ = mk(P, N_WEEKEND, @$); $$->a = $2; }
	| HOLIDAY DATE                { $$ = mk(P, N_HOLIDAY, @$); $$->s = $2; }
	| HOLIDAY DATE STRING         { $$ = mk(P, N_HOLIDAY, @$); $$->s = $2; $$->s2 = $3; }
	| error                       { $$ = NULL; }
	;

weekdays
	: IDENT                       { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	| weekdays IDENT              { Node *n = mk(P, N_NAME, @2); n->s = $2; $$ = ast_append($1, n); }
	| weekdays ',' IDENT          { Node *n = mk(P, N_NAME, @3); n->s = $3; $$ = ast_append($1, n); }
	;

fiscal
	: FISCAL IDENT STARTS IDENT   { $$ = mk(P, N_FISCAL, @$); $$->s = $4; $$->a = mk(P, N_NAME, @4); word(P, @2, $2, "year", NULL); }
	;

letdecl
	: CONST IDENT '=' expr        { $$ = mk(P, N_LET, @$); $$->s = $2; $$->a = $4; }
	/* `reporting currency EUR`: the program-wide value reporting_currency */
	| REPORTING CURRENCY_KW CURRENCY
		{ $$ = mk(P, N_LET, @$); $$->s = (char *)"reporting_currency"; $$->s2 = (char *)"reporting";
		  $$->a = mk(P, N_STR, @3); $$->a->s = $3; }
	;

rounding
	: ROUNDING IDENT TO NUMBER MODE IDENT
		{ $$ = mk(P, N_ROUNDING, @$); $$->s = $2; $$->s2 = $6; $$->a = mk(P, N_NUM, @4); $$->a->s = $4; $$->b = mk(P, N_NAME, @6); }
	;

/* An import mapping (sow import --map): how a PSA export's columns and
 * values become a standard table's. Clauses start with a column name or a
 * setting word (skip, thousands, decimal, date), checked in the grammar. */
mapping
	: MAPPING STRING FOR relname '{' map_clauses '}'
		{ $$ = mk(P, N_MAPPING, @$); $$->s = $2; $$->s2 = $4; $$->a = $6; $$->b = mk(P, N_NAME, @4); }
	;

map_clauses
	: %empty                      { $$ = NULL; }
	| map_clauses map_clause      { $$ = ast_append($1, $2); }
	;

map_clause
	: map_column FROM STRING map_formats map_values
		{ $$ = mk(P, N_MAPCOL, @$); $$->s = $1; $$->s2 = $3; $$->a = $4; $$->b = $5; $$->c = mk(P, N_NAME, @1); $$->d = mk(P, N_STR, @3); }
	| map_column '=' map_value    { $$ = mk(P, N_MAPCONST, @$); $$->s = $1; $$->a = $3; $$->c = mk(P, N_NAME, @1); }
	| IDENT STRING                { $$ = mk(P, N_MAPSET, @$); $$->s = $1; $$->s2 = $2; $$->c = mk(P, N_NAME, @1); $$->d = mk(P, N_STR, @2); }
	| IDENT NUMBER IDENT
		{ $$ = mk(P, N_MAPSKIP, @$); $$->s = $2; $$->a = mk(P, N_NUM, @2); word(P, @1, $1, "skip", NULL); word(P, @3, $3, "lines", "line"); }
	| IDENT WHEN STRING EQ STRING
		{ $$ = mk(P, N_MAPSKIP, @$); $$->op = 1; $$->s = $3; $$->s2 = $5; $$->d = mk(P, N_STR, @3); word(P, @1, $1, "skip", NULL); }
	| IDENT                       { $$ = mk(P, N_MAPSKIP, @$); $$->op = 2; word(P, @1, $1, "skip", NULL); }
	| IF STRING EQ STRING '{' map_clauses '}'
		{ $$ = mk(P, N_MAPIF, @$); $$->s = $2; $$->s2 = $4; $$->a = $6; $$->d = mk(P, N_STR, @2); }
	| IF STRING NE STRING '{' map_clauses '}'
		{ $$ = mk(P, N_MAPIF, @$); $$->op = 1; $$->s = $2; $$->s2 = $4; $$->a = $6; $$->d = mk(P, N_STR, @2); }
	| error                       { $$ = NULL; }
	;

/* An account mapping (sow journal --accounts): which general-ledger
 * account each kind of amount goes to, optionally only when conditions on
 * the amount hold. */
accounts
	: ACCOUNTS STRING '{' acct_clauses '}'
		{ $$ = mk(P, N_ACCOUNTS, @$); $$->s = $2; $$->a = $4; }
	;

acct_clauses
	: %empty                      { $$ = NULL; }
	| acct_clauses acct_clause    { $$ = ast_append($1, $2); }
	;

acct_clause
	: acct_kind STRING acct_title acct_when
		{ $$ = mk(P, N_ACCOUNT, @$); $$->s = $1; $$->s2 = $2; $$->b = $3; $$->a = $4; $$->c = mk(P, N_NAME, @1); $$->d = mk(P, N_STR, @2); }
	| error                       { $$ = NULL; }
	;

acct_kind
	: IDENT | ROUNDING
	;

acct_title
	: %empty                      { $$ = NULL; }
	| STRING                      { $$ = mk(P, N_STR, @1); $$->s = $1; }
	;

acct_when
	: %empty                      { $$ = NULL; }
	| WHEN acct_conds             { $$ = $2; }
	;

acct_conds
	: acct_cond                   { $$ = $1; }
	| acct_conds AND acct_cond    { $$ = ast_append($1, $3); }
	;

acct_cond
	: acct_key map_value          { $$ = mk(P, N_ACCTCOND, @$); $$->s = $1; $$->a = $2; $$->c = mk(P, N_NAME, @1); }
	;

acct_key
	: IDENT | BILLING | CURRENCY_KW | PROJECT
	;

/* Column names that are also reserved words (anyname would make `as` one). */
map_column
	: IDENT | CALENDAR | CURRENCY_KW | CUSTOMER | RATE
	;

map_formats
	: %empty                      { $$ = NULL; }
	| AS IDENT STRING             { $$ = mk(P, N_STR, @3); $$->s = $3; word(P, @2, $2, "date", NULL); }
	| map_formats ',' STRING      { Node *n = mk(P, N_STR, @3); n->s = $3; $$ = ast_append($1, n); }
	;

map_values
	: %empty                      { $$ = NULL; }
	| '{' map_entries '}'         { $$ = $2; }
	| '{' map_entries ',' '}'     { $$ = $2; }
	;

map_entries
	: map_entry                   { $$ = $1; }
	| map_entries map_entry       { $$ = ast_append($1, $2); }
	| map_entries ',' map_entry   { $$ = ast_append($1, $3); }
	;

map_entry
	: map_keys ARROW map_value    { $$ = mk(P, N_MAPENTRY, @$); $$->a = $1; $$->b = $3; }
	| ELSE ARROW map_value        { $$ = mk(P, N_MAPENTRY, @$); $$->op = 1; $$->b = $3; }
	;

map_keys
	: STRING                      { $$ = mk(P, N_STR, @1); $$->s = $1; }
	| map_keys ',' STRING         { Node *n = mk(P, N_STR, @3); n->s = $3; $$ = ast_append($1, n); }
	;

/* What a value becomes: a string, a bare word (consulting, NL, true,
 * unset), a number, a currency code, a date or a month. */
map_value
	: STRING                      { $$ = mk(P, N_STR, @1); $$->s = $1; }
	| anyname                     { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	| NUMBER                      { $$ = mk(P, N_NUM, @1); $$->s = $1; }
	| CURRENCY                    { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	| DATE                        { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	| PERIOD                      { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	;

fn
	: FN IDENT '(' params ')' '=' expr
		{ $$ = mk(P, N_FN, @$); $$->s = $2; $$->a = $4; $$->b = $7; }
	;

params
	: %empty                      { $$ = NULL; }
	| paramlist
	;

paramlist
	: IDENT                       { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	| paramlist ',' IDENT         { Node *n = mk(P, N_NAME, @3); n->s = $3; $$ = ast_append($1, n); }
	;

relation
	: RELATION IDENT '(' columns ')' opt_unique
		{ $$ = mk(P, N_RELATION, @$); $$->s = $2; $$->a = $4; $$->b = $6; }
	;

columns
	: column                      { $$ = $1; }
	| columns ',' column          { $$ = ast_append($1, $3); }
	;

column
	: anyname IDENT               { $$ = mk(P, N_COLUMN, @$); $$->s = $1; $$->s2 = $2; }
	;

opt_unique
	: %empty                      { $$ = NULL; }
	| UNIQUE '(' idlist ')'       { $$ = $3; }
	;

idlist
	: anyname                     { $$ = mk(P, N_NAME, @1); $$->s = $1; }
	| idlist ',' anyname          { Node *n = mk(P, N_NAME, @3); n->s = $3; $$ = ast_append($1, n); }
	;

enum
	: ENUM IDENT '{' idlist '}'   { $$ = mk(P, N_ENUM, @$); $$->s = $2; $$->a = $4; }
	;

machine
	: MACHINE IDENT '(' IDENT ')' machine_filter '{' transitions '}'
		{ $$ = mk(P, N_MACHINE, @$); $$->s = $2; $$->s2 = $4; $$->b = $6;
		  /* `start` and `final` lines go to c, the transitions to a */
		  for (Node *t = $8, *nx; t; t = nx) {
			nx = t->next;
			t->next = NULL;
			t->tail = NULL;
			if (t->kind == N_TRANSITION) $$->a = ast_append($$->a, t);
			else $$->c = ast_append($$->c, t);
		  } }
	;

machine_filter
	: %empty                      { $$ = NULL; }
	| WHERE expr                  { $$ = $2; }
	;

transitions
	: %empty                      { $$ = NULL; }
	| transitions transition      { $$ = ast_append($1, $2); }
	;

transition
	: states ARROW STRING opt_guard opt_reason
		{ $$ = mk(P, N_TRANSITION, @$); $$->a = $1; $$->s = $3; $$->b = $4; $$->c = $5; }
	| INITIAL_KW states              { $$ = mk(P, N_LIST, @$); $$->s = $1; $$->a = $2; }
	| FINAL states                { $$ = mk(P, N_LIST, @$); $$->s = $1; $$->a = $2; }
	| error                       { $$ = NULL; }
	;

states
	: STRING                      { $$ = mk(P, N_STR, @1); $$->s = $1; }
	| states ',' STRING           { Node *n = mk(P, N_STR, @3); n->s = $3; $$ = ast_append($1, n); }
	;

opt_guard
	: %empty                      { $$ = NULL; }
	| WHEN expr                   { $$ = $2; }
	;

opt_reason
	: %empty                      { $$ = NULL; }
	| BECAUSE STRING              { $$ = mk(P, N_STR, @2); $$->s = $2; }
	;

rule
	: RULE IDENT rule_clauses     { $$ = mk(P, N_RULE, @$); $$->s = $2; $$->a = $3; }
	;

rule_clauses
	: rule_clause                 { $$ = $1; }
	| rule_clauses rule_clause    { $$ = ast_append($1, $2); }
	;

rule_clause
	: FOR IDENT IN source         { $$ = mk(P, N_FOR, @$); $$->s = $2; $$->a = $4; }
	| WHERE expr                  { $$ = mk(P, N_WHERE, @$); $$->a = $2; }
	| WHEN expr                   { $$ = mk(P, N_WHEN, @$); $$->a = $2; }
	| LET IDENT '=' expr          { $$ = mk(P, N_LETC, @$); $$->s = $2; $$->a = $4; }
	| EMIT relname record         { $$ = mk(P, N_EMIT, @$); $$->s = $2; $$->a = $3; }
	;

/* `billing` is a clause of a SOW and also an output table. */
relname
	: IDENT | BILLING
	;

source
	: relname                     { $$ = mk(P, N_NAME, @$); $$->s = $1; }
	| IDENT '(' args ')'          { $$ = mk(P, N_CALL, @$); $$->s = $1; $$->a = $3; }
	| '(' query_expr ')'          { $$ = $2; }
	;

query
	: QUERY IDENT '(' params ')' '=' query_expr
		{ $$ = mk(P, N_QUERY, @$); $$->s = $2; $$->a = $4; $$->b = $7; }
	| QUERY IDENT '=' query_expr
		{ $$ = mk(P, N_QUERY, @$); $$->s = $2; $$->b = $4; }
	;

query_expr
	: FROM from_list opt_where opt_group opt_select opt_order opt_limit
		{ $$ = mk(P, N_SELECTQ, @$); $$->a = $2; $$->b = $3; $$->c = $4; $$->d = $5; $$->e = $6; $$->f = $7; }
	;

from_list
	: from_item                   { $$ = $1; }
	| from_list ',' from_item     { $$ = ast_append($1, $3); }
	;

from_item
	: IDENT IN source             { $$ = mk(P, N_FROMITEM, @$); $$->s = $1; $$->a = $3; }
	| source                      { $$ = mk(P, N_FROMITEM, @$); $$->a = $1; }
	| source IDENT                { $$ = mk(P, N_FROMITEM, @$); $$->a = $1; $$->s = $2; }
	;

opt_where
	: %empty                      { $$ = NULL; }
	| WHERE expr                  { $$ = $2; }
	;

opt_group
	: %empty                      { $$ = NULL; }
	| GROUP BY exprlist           { $$ = $3; }
	;

opt_select
	: %empty                      { $$ = NULL; }
	| SELECT sel_list             { $$ = $2; }
	| SELECT '*'                  { $$ = NULL; /* every column, as with no select */ }
	;

sel_list
	: sel_item                    { $$ = $1; }
	| sel_list ',' sel_item       { $$ = ast_append($1, $3); }
	;

sel_item
	: expr                        { $$ = mk(P, N_SELITEM, @$); $$->a = $1; }
	| anyname ':' expr            { $$ = mk(P, N_SELITEM, @$); $$->s = $1; $$->a = $3; }
	;

opt_order
	: %empty                      { $$ = NULL; }
	| ORDER BY ord_list           { $$ = $3; }
	;

ord_list
	: ord_item                    { $$ = $1; }
	| ord_list ',' ord_item       { $$ = ast_append($1, $3); }
	;

ord_item
	: expr                        { $$ = mk(P, N_ORDITEM, @$); $$->a = $1; }
	| expr ASC                    { $$ = mk(P, N_ORDITEM, @$); $$->a = $1; }
	| expr DESC                   { $$ = mk(P, N_ORDITEM, @$); $$->a = $1; $$->op = 1; }
	;

opt_limit
	: %empty                      { $$ = NULL; }
	| LIMIT expr                  { $$ = $2; }
	;

test
	: TEST STRING '{' test_clauses '}'
		{ $$ = mk(P, N_TEST, @$); $$->s = $2; $$->a = $4; }
	;

test_clauses
	: %empty                      { $$ = NULL; }
	| test_clauses test_clause    { $$ = ast_append($1, $2); }
	;

test_clause
	: AS OF DATE                  { $$ = mk(P, N_ASOF, @$); $$->s = $3; }
	| GIVEN relname records       { $$ = mk(P, N_GIVEN, @$); $$->s = $2; $$->a = $3; }
	| EXPECT expr                 { $$ = mk(P, N_EXPECT, @$); $$->a = $2; }
	| EXPECT relname record       { $$ = mk(P, N_EXPECTROW, @$); $$->s = $2; $$->a = $3; }
	| sow                         { $$ = $1; }
	| error                       { $$ = NULL; }
	;

records
	: record                      { $$ = $1; }
	| records record              { $$ = ast_append($1, $2); }
	;

record
	: '{' '}'                     { $$ = mk(P, N_RECORD, @$); }
	| '{' fields '}'              { $$ = mk(P, N_RECORD, @$); $$->a = $2; }
	| '{' fields ',' '}'          { $$ = mk(P, N_RECORD, @$); $$->a = $2; }
	;

fields
	: field                       { $$ = $1; }
	| fields ',' field            { $$ = ast_append($1, $3); }
	;

field
	: anyname ':' expr            { $$ = mk(P, N_FIELD, @$); $$->s = $1; $$->a = $3; }
	;

expr
	: expr OR expr                { $$ = bin(P, OP_OR, $1, $3, @$); }
	| expr AND expr               { $$ = bin(P, OP_AND, $1, $3, @$); }
	| NOT expr                    { $$ = mk(P, N_NOT, @$); $$->a = $2; }
	| expr EQ expr                { $$ = bin(P, OP_EQ, $1, $3, @$); }
	| expr NE expr                { $$ = bin(P, OP_NE, $1, $3, @$); }
	| expr '<' expr               { $$ = bin(P, OP_LT, $1, $3, @$); }
	| expr LE expr                { $$ = bin(P, OP_LE, $1, $3, @$); }
	| expr '>' expr               { $$ = bin(P, OP_GT, $1, $3, @$); }
	| expr GE expr                { $$ = bin(P, OP_GE, $1, $3, @$); }
	| expr IS SET                 { $$ = mk(P, N_ISSET, @$); $$->a = $1; }
	| expr IS NOT SET             { $$ = mk(P, N_ISSET, @$); $$->a = $1; $$->op = 1; }
	| expr IN expr                { $$ = mk(P, N_IN, @$); $$->a = $1; $$->b = $3; }
	| expr '+' expr               { $$ = bin(P, OP_ADD, $1, $3, @$); }
	| expr '-' expr               { $$ = bin(P, OP_SUB, $1, $3, @$); }
	| expr '*' expr               { $$ = bin(P, OP_MUL, $1, $3, @$); }
	| expr '/' expr               { $$ = bin(P, OP_DIV, $1, $3, @$); }
	| '-' expr %prec UMINUS       { $$ = mk(P, N_NEG, @$); $$->a = $2; }
	| IF expr THEN expr ELSE expr %prec IFX
		{ $$ = mk(P, N_IF, @$); $$->a = $2; $$->b = $4; $$->c = $6; }
	| postfix
	;

postfix
	: primary
	| postfix '.' anyname         { $$ = mk(P, N_MEMBER, @$); $$->a = $1; $$->s = $3; }
	| postfix '[' expr ']'        { $$ = mk(P, N_INDEX, @$); $$->a = $1; $$->b = $3; }
	| IDENT '(' args ')'          { $$ = mk(P, N_CALL, @$); $$->s = $1; $$->a = $3; }
	;

primary
	: NUMBER                      { $$ = mk(P, N_NUM, @$); $$->s = $1; }
	| NUMBER IDENT                { $$ = mk(P, N_QTY, @$); $$->s = $1; $$->op = unit(P, @2, $2); }
	| NUMBER BUSINESS IDENT       { $$ = mk(P, N_QTY, @$); $$->s = $1; $$->op = U_BDAYS; word(P, @3, $3, "days", "day"); }
	| NUMBER CURRENCY             { $$ = mk(P, N_MONEY, @$); $$->s = $1; $$->s2 = $2; }
	| NUMBER '%'                  { $$ = mk(P, N_PERCENT, @$); $$->s = $1; }
	| STRING                      { $$ = mk(P, N_STR, @$); $$->s = $1; }
	| DATE                        { $$ = mk(P, N_DATE, @$); $$->s = $1; }
	| PERIOD                      { $$ = mk(P, N_PERIOD, @$); $$->s = $1; }
	| TRUE                        { $$ = mk(P, N_BOOL, @$); $$->op = 1; }
	| FALSE                       { $$ = mk(P, N_BOOL, @$); $$->op = 0; }
	| UNSET                       { $$ = mk(P, N_UNSET, @$); }
	| IDENT                       { $$ = mk(P, N_NAME, @$); $$->s = $1; }
	| '(' expr ')'                { $$ = $2; }
	| '(' query_expr ')'          { $$ = $2; }
	| '[' ']'                     { $$ = mk(P, N_LIST, @$); }
	| '[' exprlist ']'            { $$ = mk(P, N_LIST, @$); $$->a = $2; }
	| record
	| '(' error ')'               { $$ = mk(P, N_ERROR, @$); }
	;

exprlist
	: expr                        { $$ = $1; }
	| exprlist ',' expr           { $$ = ast_append($1, $3); }
	;

/* A query may be the last argument without parentheses: size(from ...) */
args
	: %empty                      { $$ = NULL; }
	| arglist
	| query_expr                  { $$ = mk(P, N_ARG, @$); $$->a = $1; }
	| arglist ',' query_expr      { Node *n = mk(P, N_ARG, @3); n->a = $3; $$ = ast_append($1, n); }
	;

arglist
	: arg                         { $$ = $1; }
	| arglist ',' arg             { $$ = ast_append($1, $3); }
	;

arg
	: expr                        { $$ = mk(P, N_ARG, @$); $$->a = $1; }
	| anyname ':' expr            { $$ = mk(P, N_ARG, @$); $$->s = $1; $$->a = $3; }
	;

/* Where only a name can stand (after '.', before ':'), keywords are names:
 * columns such as hours, calendar, currency and rate stay reachable. */
anyname
	: IDENT | ACCEPTANCE | ACCOUNTS | AND | AS | ASC | AUTHORIZED | BECAUSE | BILLING | BUSINESS
	| BY | CALENDAR | CONST | CURRENCY_KW | CUSTOMER | DESC | ELSE | EMIT | ENUM
	| EXPECT | FALSE | FINAL | FISCAL | FN | FOR | FROM | GIVEN | GROUP | HOLIDAY
	| IF | IMPORT | IN | INITIAL_KW | IS | LET | LIMIT | MACHINE | MAPPING | MILESTONE | MODE
	| NOT | OF | OR | ORDER | OVERRIDE | PASSIVE | PER | PROJECT | QUERY | RATE | RELATION | REPORTING
	| ROUNDING | RULE | SELECT | SET | SOW | STARTS | TEST | THEN | TO | TRAINING | TRUE
	| UNIQUE | UNSET | WEEKEND | WHEN | WHERE
	;

%%

static void yyerror(Loc *loc, yyscan_t scanner, Parser *P, const char *msg)
{
	(void)scanner;
	P->errors++;
	if (strcmp(msg, "memory exhausted") == 0)
		msg = "nested too deeply (more than 2000 levels)";
	diag_at(P->D, P->src, *loc, DIAG_ERROR, "%s", msg);
}

/* A misspelt clause keyword (`milestne` in a SOW block): the nearest clause
 * of the block the parser is in, as billing terms are suggested. The block
 * is told by a keyword only its clauses start with. */
static bool clause_hint(const yypcontext_t *ctx, Parser *P, const Loc *loc, const char *text, int tl)
{
	static const char *const sow[] = { "customer", "currency", "calendar", "billing", "acceptance", "rate",
		"milestone", "training", "authorized", "rounding", "amendment" };
	static const char *const cal[] = { "weekend", "holiday" };
	static const char *const test[] = { "as", "given", "expect", "sow" };
	static const char *const rule[] = { "for", "where", "when", "let", "emit" };
	static const char *const item[] = { "import", "sow", "calendar", "fiscal", "const", "fn", "relation", "enum",
		"machine", "rule", "query", "rounding", "test" };
	static const struct { yysymbol_kind_t marker; const char *what; const char *const *words; int n; } blocks[] = {
		{ YYSYMBOL_CUSTOMER, "SOW clause", sow, 11 }, { YYSYMBOL_WEEKEND, "calendar clause", cal, 2 },
		{ YYSYMBOL_GIVEN, "test clause", test, 4 }, { YYSYMBOL_EMIT, "rule clause", rule, 5 },
		{ YYSYMBOL_RULE, "item", item, 13 },
	};
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	char word[40];
	snprintf(word, sizeof word, "%.*s", tl, text);
	for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++)
		for (int i = 0; i < n; i++)
			if (exp[i] == blocks[b].marker) {
				const char *near = diag_suggest(word, blocks[b].words, blocks[b].n);
				if (!near)
					return false;
				P->errors++;
				diag_at(P->D, P->src, *loc, DIAG_ERROR, "unknown %s '%s'; did you mean '%s'?", blocks[b].what, word,
					near);
				return true;
			}
	return false;
}

/* In a SOW, a clause that starts with a name is an amendment (`amendment
 * "A1" effective ...`), so `milestne "M-1" ...` fails a token or two later,
 * where the parser wants the amendment's string or `effective`. Then the
 * line's first word is the misspelt clause. */
static bool amendment_hint(const yypcontext_t *ctx, Parser *P, const Loc *loc)
{
	static const char *const sow[] = { "customer", "currency", "calendar", "billing", "acceptance", "rate",
		"milestone", "training", "authorized", "rounding", "amendment" };
	yysymbol_kind_t exp[4];
	int n = yypcontext_expected_tokens(ctx, exp, 4);
	if (n != 1 || (exp[0] != YYSYMBOL_IDENT && exp[0] != YYSYMBOL_STRING))
		return false;
	int b = loc->beg;
	while (b > 0 && P->src->text[b - 1] != '\n')
		b--;
	while (P->src->text[b] == ' ' || P->src->text[b] == '\t')
		b++;
	int e = b;
	while (e < loc->beg && (isalnum((unsigned char)P->src->text[e]) || P->src->text[e] == '_'))
		e++;
	if (e == b || e - b >= 40 || lex_is_keyword_n(P->src->text + b, (size_t)(e - b)))
		return false;
	char word[40];
	snprintf(word, sizeof word, "%.*s", e - b, P->src->text + b);
	const char *near = diag_suggest(word, sow, 11);
	if (!near || strcmp(near, "amendment") == 0)
		return false;
	P->errors++;
	diag_at(P->D, P->src, (Loc){ b, e }, DIAG_ERROR, "unknown SOW clause '%s'; did you mean '%s'?", word, near);
	return true;
}

/* "unexpected name 'milstone', expected string": the token's own text helps
 * more than its class, and a short list of what would fit. */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, Parser *P)
{
	(void)scanner;
	yysymbol_kind_t la = yypcontext_token(ctx);
	const Loc *loc = yypcontext_location(ctx);
	yysymbol_kind_t exp[6];
	int n = yypcontext_expected_tokens(ctx, exp, 6);
	char msg[512];
	int len;
	P->errors++;
	if (la == YYSYMBOL_YYEOF) {
		P->eof_error = true;
		len = snprintf(msg, sizeof msg, "unexpected end of input");
	} else {
		int tl = loc->end - loc->beg;
		const char *text = P->src->text + loc->beg;
		bool want_name = false, reserved = tl > 0 && tl < 20 && lex_is_keyword_n(text, (size_t)tl);
		for (int i = 0; i < n; i++)
			want_name |= exp[i] == YYSYMBOL_IDENT;
		if (loc->beg <= P->lex_error_upto)
			return 0; /* follows from the lexical error just reported */
		if (want_name && reserved) {
			diag_at(P->D, P->src, *loc, DIAG_ERROR, "'%.*s' is a reserved word and cannot be a name here", tl, text);
			return 0;
		}
		if (la == YYSYMBOL_IDENT && tl > 0 && tl < 40 && clause_hint(ctx, P, loc, text, tl))
			return 0;
		if (amendment_hint(ctx, P, loc))
			return 0;
		bool quote = tl > 0 && tl <= 40 && la != YYSYMBOL_STRING && !memchr(text, '\n', (size_t)tl);
		if (reserved)
			len = snprintf(msg, sizeof msg, "unexpected reserved word '%.*s'", tl, text);
		else if (quote && (la == YYSYMBOL_IDENT || la == YYSYMBOL_NUMBER || la == YYSYMBOL_CURRENCY || la == YYSYMBOL_DATE || la == YYSYMBOL_PERIOD))
			len = snprintf(msg, sizeof msg, "unexpected %s '%.*s'", yysymbol_name(la), tl, text);
		else
			len = snprintf(msg, sizeof msg, "unexpected %s", yysymbol_name(la));
	}
	if (n > 0 && n <= 5) {
		len += snprintf(msg + len, sizeof msg - (size_t)len, ", expected ");
		for (int i = 0; i < n; i++)
			len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s",
					i == 0 ? "" : i == n - 1 ? " or " : ", ", yysymbol_name(exp[i]));
	}
	diag_at(P->D, P->src, *loc, DIAG_ERROR, "%s", msg);
	return 0;
}
