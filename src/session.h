/* session.h: loaded rules and a read-only database, kept between
 * statements; what answers a statement is the statement layer (stmt.h).
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

#include "eval.h"
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
	                        * what it reads); it runs again when something reads them.
	                        * 1: all its rows, 2: only those of `project` (keyscope.h) */
	char *project;         /* the project whose rows the rules stale with 2 lack */
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
	struct SessionDef {    /* definitions typed in the session, kept on reload */
		char *text;
		char *origin;      /* where it was typed, for messages: "<stdin>", a script */
		int lines_before;  /* ... and the lines before it there */
	} *defs;
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
	FILE *profile;         /* sow eval --profile: where the rules' profile goes, or NULL */
	bool profile_plan;     /* --profile-plan: with each rule's compiled plan */
	int engine;            /* --engine: vm.h Engine */
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
	Src *cur;              /* the statement being answered (messages are located in it) */
} Session;

/* Open: load and check paths, open db read-only. Returns an exit status;
 * messages go to stderr until session_diag sends them elsewhere. */
int session_open(Session *S, const char *argv0, const char *db_path, char **paths, int npaths, Date as_of);
void session_close(Session *S);
/* Messages of later statements go to sink (NULL: to S->D.out again). */
void session_diag(Session *S, DiagSink sink, void *arg);
/* An error of the statement being answered, located at it (else plain). */
void session_fail(Session *S, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reload the rule files (and the session's own definitions). */
bool session_reload(Session *S);
/* Kept for callers written before stmt.h (sow serve's first version):
 * session_run is stmt_run of text in the session's format, from "<eval>";
 * session_incomplete is stmt_incomplete; session_is_definition is
 * stmt_kind(text) == STMT_DEFINITION. */
bool session_run(Session *S, const char *text, FILE *out);
bool session_incomplete(Session *S, const char *text);
bool session_is_definition(const char *text);
void session_set_asof(Session *S, Date d);
/* .reuse: where the session's results come from. */
void session_reuse_status(Session *S, FILE *out);
/* .reuse on|off: off drops what was kept and always recomputes. */
void session_set_reuse(Session *S, bool on);
void session_clear_assumptions(Session *S);
/* stmt_forecast and stmt_balances in the session's format (kept as above). */
bool session_forecast(Session *S, const char *project, FILE *out);
bool session_balances(Session *S, const char *project, FILE *out);

#endif
