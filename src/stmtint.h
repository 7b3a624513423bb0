/* stmtint.h: what the files of the statement layer share (stmt.c, why.c's
 * statement, assume.c, figures.c); callers use stmt.h. */
#ifndef SOW_STMTINT_H
#define SOW_STMTINT_H

#include <stdbool.h>
#include <stdio.h>

#include "map.h"
#include "stmt.h"

/* Does text start with word (then a blank or the end)? *rest: after it. */
bool stmt_word(const char *text, const char *word, const char **rest);
/* A source for text, a piece of the statement being answered (S->cur):
 * its messages name the statement's origin and line. */
Src *stmt_src(Session *S, const char *text);
/* text parsed and checked as an expression in a module of its own; NULL
 * with the errors in S->D. */
Node *stmt_parse_expr(Session *S, const char *text, Module **mod);

/* What an expression reads. */
typedef struct StmtReads {
	const Program *P;
	bool needs;       /* something the rules produce: they run first */
	bool relations;   /* a declared relation, which no run stores */
	bool unknown;     /* a name not known as a table or declaration */
	Map names;        /* every name read (map_free it) */
} StmtReads;
void stmt_reads(Session *S, Node *e, StmtReads *rd);
/* With assumptions in effect, say so before a figure they may change. */
void stmt_mark(Session *S, FILE *out);

/* why ... (why.c), assume ... (assume.c): rest is what follows the word. */
bool stmt_why(Session *S, const char *rest, FILE *out);
bool stmt_assume(Session *S, const char *rest, FILE *out);

/* A forecast total by quarter and currency, rounded once. */
typedef struct Total {
	char key[32];         /* "FY2027-Q4 USD" */
	Dec amount;
} Total;
/* The forecast by quarter and currency of the session's view (figures.c):
 * into t (at most max), how many, or -1 (the error in S->D). */
int figures_forecast_totals(Session *S, Total *t, int max);
/* The forecast before (the totals given) and now, side by side. */
bool figures_forecast_change(Session *S, const Total *before, int nb, FILE *out);
/* Is there a row of table with this id in the database? */
bool figures_row_exists(Session *S, const char *table, const char *id);

#endif
