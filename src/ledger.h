/* ledger.h: the month-end run, its one transaction, and the release ledger. */
#ifndef SOW_LEDGER_H
#define SOW_LEDGER_H

#include <stdbool.h>
#include <stdio.h>

#include "profile.h"
#include "schema.h"
#include "format.h"
#include "sequence.h"
#include "sink.h"

typedef struct RunOptions {
	const char *db_path;
	const char *period;        /* "2026-11", or NULL with as_of */
	Date as_of;                /* last day of period, or --as-of */
	bool dry_run;              /* compute, print, write nothing */
	bool apply_transitions;    /* also update projects.status */
	int fail_on;               /* 0 never, 1 error findings, 2 warning or error */
	Format format;
	long long max_steps;
	long long max_rows;        /* 0: the default (eval.c) */
	long long max_memory_mb;   /* 0: no limit */
	bool progress;             /* stderr is a terminal */
	const char *report;        /* --report FILE.html or FILE.xlsx, or NULL */
	const char *output_dir;    /* --output DIR: one CSV per output table, or NULL */
	bool profile;              /* --profile: per rule time, rows and plan on stderr */
	bool skip_gap;             /* run although the month before has no run */
} RunOptions;

#define LEDGER_TABLES 64        /* room for every table of the schema */

/* A run in progress: where emitted rows go (sink.h: the output tables;
 * relation rows pass on to its relations). */
typedef struct RunCtx {
	Sink sink;                 /* E->sink during the run: the ledger */
	Sink relations;            /* its next: the declared relations */
	sqlite3 *db;
	long long run_id;
	char period[8];            /* "2026-11" */
	Date period_end;
	sqlite3_stmt *ins[LEDGER_TABLES];     /* INSERT per output table (by schema index) */
	long long emitted[LEDGER_TABLES];     /* rows written per table */
	long long earlier[LEDGER_TABLES];     /* rows skipped: released or billed in an earlier period */
	SequenceStats seq;         /* numbers drawn, kept and voided at commit */
	struct EmitCols {          /* per table, its columns ledger_emit fills or checks */
		bool known;
		int run_id, rule, period, currency, amount, recognized_on;
	} cols[LEDGER_TABLES];
} RunCtx;

/* The month-end run over the loaded, checked program P, in steps, so that
 * the command (runcmd.c) can print and write files between them:
 * ledger_open, ledger_evaluate, ledger_complete, ledger_finish, then
 * ledger_close (always; it rolls back what was not finished). A step that
 * fails reports why through P's diagnostics and says how in status. */
typedef enum {
	RUN_REFUSED = 1,           /* the period may not be run (SPEC 8.1) */
	RUN_STOPPED,               /* a rule (or the numbering) failed: nothing is written */
	RUN_DBERROR,               /* the database could not be opened, read or written */
} RunStatus;

typedef struct Run {
	Program *P;
	const RunOptions *o;
	sqlite3 *db;
	char period[DATE_MONTH_BUFSZ]; /* "2026-11" */
	char skipped[512];         /* --skip-gap: the months left out, or "" */
	Eval E;
	RunCtx R;                  /* the run's ledger: id, rows per table, numbers drawn */
	long long errors, warnings; /* the run's findings (after ledger_complete) */
	RunStatus status;          /* why the last step failed */
	bool open;                 /* the transaction is open */
	bool evaluating;           /* E and R's statements are live */
	bool counted;              /* counter holds the database's change counter */
	unsigned long long counter; /* ... when the transaction began (runs.change_counter) */
} Run;

/* Open the database, begin the transaction, check the period may run
 * (a dry run previews one that may not, with a note), and make way for a
 * re-run's results. */
bool ledger_open(Run *run, Program *P, const RunOptions *o);
/* Run the rules and machines into the run (profile: filled per rule, or NULL). */
bool ledger_evaluate(Run *run, Profile *profile);
/* The totals, the numbers of numbered tables, --apply-transitions, the
 * run marked finished, its findings counted. */
bool ledger_complete(Run *run);
/* Commit (a dry run: roll back). */
bool ledger_finish(Run *run);
void ledger_close(Run *run);
/* Rows a run wrote into table, and (in *earlier) those it skipped as
 * released or billed in an earlier period. */
long long ledger_rows(const RunCtx *R, const char *table, long long *earlier);
/* Start a run inside an open transaction on db (also used by sow test):
 * E->sink becomes R's, and the rules' rows go into db. */
bool ledger_begin(Eval *E, RunCtx *R, sqlite3 *db, const char *period, Date as_of, const char **err);
void ledger_end(RunCtx *R);
/* The ledger of db as rules see it outside a run (expressions in the
 * REPL): is_closed reads db's closed periods; no output table may be
 * written and run_id is unset. E->sink becomes R's. */
void ledger_view(Eval *E, RunCtx *R, sqlite3 *db);
/* A run that writes nothing: the output tables (with their history) are
 * copied into TEMP tables that shadow them, and the rules run there as of
 * as_of. Works on a read-only connection; E must be fresh (eval_init) and
 * keeps the results (and the relations) for queries. */
bool ledger_scratch(Eval *E, RunCtx *R, sqlite3 *db, Date as_of, const char **err);
/* ledger_scratch up to the rules: the TEMP tables made, the run begun
 * (the caller runs the rules it needs, then ledger_scratch_totals). */
bool ledger_scratch_open(Eval *E, RunCtx *R, sqlite3 *db, Date as_of, const char **err);
/* ledger_scratch's indexes on its TEMP tables (made again when a view's
 * tables come back under their names: see session.c). */
bool ledger_scratch_indexes(sqlite3 *db, const char **err);
/* The scratch run's totals computed again from its rows (after some rules
 * ran again). */
bool ledger_scratch_totals(RunCtx *R, const char **err);
/* The same view read from run run_id of period (the database's latest,
 * which the caller has found to be what a scratch run would make): TEMP
 * VIEWs of its rows shadow the output tables (STORED_DROP removes them),
 * or TEMP tables copy them, as ledger_scratch leaves its own, for rules to
 * add to (then ledger_adopt makes run_id the run they write as). */
typedef enum { STORED_VIEWS, STORED_TABLES, STORED_DROP } StoredAs;
bool ledger_stored_views(sqlite3 *db, long long run_id, const char *period, StoredAs how, const char **err);
/* E's rows go into the TEMP tables as run run_id's (ledger_begin without a
 * new runs row). */
void ledger_adopt(Eval *E, RunCtx *R, sqlite3 *db, const char *period, Date as_of, long long run_id);
/* Which rules produced a run: a digest of the loaded files (runs.rules_digest). */
void ledger_digest(const Program *P, char *buf, size_t n);

/* Bind a value as sow stores it: exact decimal text, ISO dates, 1/0. */
void ledger_bind(sqlite3_stmt *st, int i, const Value *v);

#endif
