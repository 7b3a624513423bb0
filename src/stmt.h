/* stmt.h: the statement layer. One statement of the language (an
 * expression, a query, `why ...`, `assume ...`, a definition) answered
 * against a session's view of the database, and the session's standing
 * figures (the forecast, the balances). `sow eval`, the REPL, `sow serve`
 * and the language server all answer through here, so the same text gives
 * the same answer everywhere.
 *
 * A session (session.h) is opened once; each call answers one statement:
 * it parses the text, brings the session's view up to date for what the
 * statement reads (the stored run when it is this view, else the rules run
 * into TEMP tables; see view.h) and hands the rows to out in the format
 * asked: table, csv, json, markdown, expanded or html (format.h; html is an
 * escaped <table> fragment a page can embed). Errors and notes go through
 * the session's diagnostics (S->D: its FILE or, with session_diag, a
 * DiagSink), located at the statement's origin and line; nothing here
 * prints them itself, exits or writes the database. */
#ifndef SOW_STMT_H
#define SOW_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "format.h"
#include "session.h"

typedef enum {
	STMT_EMPTY,      /* blanks, or only ';' */
	STMT_COMMAND,    /* .help, \d: the REPL's, not the language's */
	STMT_EXPR,       /* an expression or a query (from ... select ...) */
	STMT_WHY,        /* why EXPR, why TABLE { ... } */
	STMT_ASSUME,     /* assume TABLE["ID"].COLUMN = VALUE */
	STMT_DEFINITION, /* rule, fn, const, query, relation, ... */
} StmtKind;

/* One statement's text and where it came from. */
typedef struct Stmt {
	const char *text;    /* may hold NUL bytes (refused, located) */
	size_t len;
	const char *origin;  /* what messages name: "<eval>", "<stdin>", a script's path */
	int line;            /* the line of origin text starts on (1: the first) */
} Stmt;

/* A statement of text, as its kind (nothing parsed beyond the first word). */
StmtKind stmt_kind(const char *text);
/* Is text an unfinished statement (an open bracket, a trailing operator)? */
bool stmt_incomplete(const char *text);

/* Answer st in format f into out. True when it succeeded; on failure the
 * located errors are in S->D (S->D.errors counts them). A definition
 * replaces an earlier one of the session with the same name (what read the
 * old one is made again); a definition that does not check is refused and
 * the session stays as it was. */
bool stmt_run(Session *S, const Stmt *st, Format f, FILE *out);

/* The forecast by fiscal quarter and currency as of the session date (arg
 * NULL), of one project ("P-1042") or of one quarter ("FY2027-Q4"): actual,
 * forecast and the whole, each exact and rounded once, and the whole in the
 * reporting currency. */
bool stmt_forecast(Session *S, const char *arg, Format f, FILE *out);
/* Work in progress per project and currency (SPEC 8.6), of all projects
 * (project NULL) or one. */
bool stmt_balances(Session *S, const char *project, Format f, FILE *out);

/* How many what-if assumptions shape the session's figures (0: the
 * database's own); a front end marks its prompt and pages with it. */
int stmt_assumptions(const Session *S);

#endif
