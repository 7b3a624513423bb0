/* session.h: one statement at a time against loaded rules and a database,
 * as `sow eval` and the REPL run them.
 *
 * A session holds the program, a read-only database, the as-of date and
 * any what-if assumptions. When a statement reads what rules produce
 * (revenue, forecast, findings, a declared relation), the session first runs
 * the rules as of its date into TEMP tables that shadow the real ones: the
 * database itself is never written. When the database's latest run is that
 * view (the same date and rules, nothing written since), its stored rows are
 * read instead, through TEMP views. */
#ifndef SOW_SESSION_H
#define SOW_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "format.h"
#include "ledger.h"

typedef struct Assume {
	char *table, *id, *column;   /* milestones, P-1042-M2, sign_off_received_on */
	char *value;                 /* as text, the way the database stores it */
	char *source;                /* the statement, for .assume */
} Assume;

/* What of a view's results is out of date, and what the last catch-up did
 * (a view set aside for .asof keeps its own). */
typedef struct ViewState {
	unsigned char *stale;  /* per rule: its rows in E are out of date (an assume changed
	                        * what it reads); it runs again when something reads them */
	bool stale_machines, stale_totals;
	int reran, left;       /* the last catch-up: rules run again, stale ones left */
	long long reread;      /* ... and the rows those read */
	long long adopted;     /* E's rows are this stored run's, copied when an assume came */
} ViewState;

typedef struct Session {
	Arena *A;              /* the program's arena (rebuilt on reload) */
	Diag D;
	Program P;
	bool loaded;           /* P holds a checked program */
	char **paths;          /* rule files and folders, for reload */
	int npaths;
	char **defs;           /* definitions typed in the session, kept on reload */
	int ndefs;
	const char *argv0;
	const char *db_path;
	sqlite3 *db;           /* read-only, or NULL */
	Date as_of;
	Format format;
	Eval E;                /* results of the last scratch run */
	RunCtx R;
	RunCtx view;           /* the database's ledger outside a run (is_closed) */
	bool fresh;            /* E holds results for as_of and the assumptions */
	Assume *assumes;
	int nassumes;
	long long max_steps;
	long long max_rows;    /* 0: the default (eval.c) */
	volatile int *interrupted;
	bool explain;          /* sow eval --explain: print the why tree */
	bool profile;          /* sow eval --profile: the rules' profile on stderr */
	bool why_full;         /* .why full: why TABLE {...} also prints each row's tree */
	bool reuse;            /* reuse work (.reuse, --no-reuse): a stored run that is
	                        * this view, views of other dates, what an assume left */
	char digest[20];       /* ledger_digest of the rules as loaded (runs.rules_digest) */
	long long stored_run;  /* E's view is this run's stored rows (TEMP VIEWs), or 0 */
	char stored_period[16]; /* ... of this period */
	Date results_asof;     /* the date E's results are for */
	bool kept;             /* ... set aside earlier in the session, and back (.asof) */
	struct Parked *parked[4]; /* views of other dates, kept for .asof back to them */
	int nparked, slots;
	Decl **rules;          /* the program's rules by name, for what an assume makes stale */
	int nrules;
	ViewState vs;          /* what of E's results is out of date */
} Session;

/* Open: load and check paths, open db read-only. Returns an exit status. */
int session_open(Session *S, const char *argv0, const char *db_path, char **paths, int npaths, Date as_of);
void session_close(Session *S);
/* Reload the rule files (and the session's own definitions). */
bool session_reload(Session *S);
/* Run one statement: an expression, a query, `why ...`, `assume ...`, or a
 * definition. Output goes to out, errors to stderr. True on success. */
bool session_run(Session *S, const char *text, FILE *out);
/* Is text an unfinished statement (an open bracket, a trailing operator)? */
bool session_incomplete(Session *S, const char *text);
/* Does text start with a definition keyword (rule, fn, const, query ...)? */
bool session_is_definition(const char *text);
void session_set_asof(Session *S, Date d);
/* .reuse: where the session's results come from. */
void session_reuse_status(Session *S, FILE *out);
/* .reuse on|off: off drops what was kept and always recomputes. */
void session_set_reuse(Session *S, bool on);
void session_clear_assumptions(Session *S);
/* The forecast by fiscal quarter (and currency) as of the session date. */
bool session_forecast(Session *S, const char *project, FILE *out);
/* Work in progress per project and currency (SPEC 8.6), as of the session date. */
bool session_balances(Session *S, const char *project, FILE *out);

#endif
