/* eval.h: evaluating expressions to exact values.
 *
 * An Eval holds what evaluation needs: the program, the as-of date, the
 * database (for holidays and rows; may be NULL), the calendars built so far,
 * and a step limit. Errors are reported through the Diag with the location
 * of the expression at fault; evaluation then returns false and the caller
 * stops. Nothing here writes to the database. */
#ifndef SOW_EVAL_H
#define SOW_EVAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "coverage.h"
#include "program.h"
#include "value.h"

typedef struct EScope {
	const char *name;
	Value v;
	struct EScope *up;
} EScope;

/* What the evaluator is told of the run it computes for: set by whoever
 * runs the rules (ledger.c; a test adds its SOWs), read by `run_id`,
 * is_closed(), released_before() and the SOW relations. Zero: no run. */
typedef struct RunInfo {
	long long id;              /* the run written (`run_id` in rules); 0 outside a run */
	sqlite3 *history;          /* the database whose periods and revenue say what is
	                            * closed and what earlier periods released, or NULL */
	const Node *sows;          /* items holding N_SOWs the run adds (a test's own), or NULL */
	char closed_through[8];    /* latest closed month ("" none), read from history once */
	bool closed_read;
} RunInfo;

typedef struct Eval {
	Program *P;
	Diag *D;
	Arena *A;              /* text made while evaluating */
	Module *mod;           /* file whose names are visible first */
	Date as_of;            /* the evaluation date */
	sqlite3 *db;           /* read-only; NULL when no --db */
	Map cals;              /* calendar name -> Calendar* */
	EScope *scope;         /* innermost binding */
	long long steps;       /* nodes evaluated so far */
	long long max_steps;   /* limit; exceeding it is an error */
	long long max_rows;    /* rows (or groups) one query may keep; more is an error */
	int rows_in;           /* source rows being evaluated (rules.c row_enter, query.c) */
	const char *db_name;   /* the database as the user named it (messages), or NULL */
	int depth;             /* call depth, bounded */
	bool warned_no_db;     /* said once that holidays need --db */
	Arena *tmp;            /* per-row scratch, reset after each outermost row */
	Map rels;              /* relation name -> Rel* (source.h) */
	PtrMap plans;          /* for/from node -> prepared scan (source.c) */
	PtrMap joins;          /* rule's first for -> JoinPlan, or none (plan.c) */
	void (*joins_free)(struct Eval *E); /* set by plan.c when it fills joins */
	PtrMap decor;          /* query -> DecorPlan, or none (plan.c) */
	/* While a batch of rules runs (plan.c sets it): the correlated query q
	 * read once for every key, or NULL: evaluate it as written. */
	struct DecorPlan *(*decorrelate)(struct Eval *E, Node *q);
	Map warned;            /* "table.column" -> 1: REAL-value warning given */
	struct Sink *sink;     /* where emitted rows go (sink.h), or NULL: nowhere */
	RunInfo run;           /* the run computed for */
	const SowRef *sow;     /* SOW whose terms and overrides apply, or NULL */
	struct Group *group;   /* group being finished by a grouped query */
	const char *rule;      /* "file:line name" of the rule being evaluated */
	volatile int *interrupted; /* set by a signal handler (REPL Ctrl-C), or NULL */
	bool progress;         /* report progress on stderr (a terminal, long run) */
	long long rows_seen;   /* rows read by rules so far (progress, profile) */
	long long rows_emitted;/* rows emitted by rules so far (profile) */
	struct Profile *profile; /* --profile: filled per rule, or NULL */
	long long started_ms, shown_ms; /* when the run started, progress last shown */
	long long max_memory_mb; /* resident memory limit; 0: none */
	BytesMap memo;         /* function, SOW, arguments' bytes -> Value*: results of pure functions */
	PtrMap pure;           /* Decl* of a fn -> (void *)1 pure, (void *)2 not */
	Arena *memo_arena;     /* the memo's keys and values */
	size_t memo_size;      /* entries, bounded by MEMO_MAX */
	struct Coverage *cov;   /* sow test --coverage: counts what ran (coverage.h), or NULL */
	int engine;            /* which runs the rules: vm.h Engine (the VM unless told) */
	struct Vm *vm;         /* the rules' compiled units (vm.c), or NULL */
	void (*vm_free)(struct Eval *E); /* set by vm.c when it fills vm */
	PtrMap scoped;         /* a what-if's re-run (view.c): rule Decl* -> the project it runs
	                        * for alone, its scans of project-keyed sources reading that
	                        * project's rows only (keyscope.h) */
	const char *only_project; /* ... that of the rule running now, or NULL */
} Eval;

void eval_init(Eval *E, Program *P, Arena *A, sqlite3 *db, Date as_of);
void eval_free(Eval *E);
/* Evaluate e in module m's view. False on error (reported). */
bool eval_expr(Eval *E, Module *m, Node *e, Value *out);
/* The calendar of that name (declared, or implied by the holidays table);
 * NULL on a database error (reported at loc in src). */
/* a op b for a binary operator node (kinds checked at run time). */
bool eval_binop(Eval *E, const Node *op, const Value *a, const Value *b, Value *out);
/* base.name for a member node e (unset when base is unset). */
bool eval_member(Eval *E, Node *e, const Value *base, Value *out);
/* Report an error located at `at` (in the file being evaluated); false. */
/* An error of the database itself (locked, damaged, full) met while
 * evaluating at: located like eval_fail, the message names the database and
 * SQLite's reason, and it counts in D->db_errors (exit 3, not 1). */
bool eval_db_fail(Eval *E, const Node *at, const char *what);
bool eval_fail(Eval *E, const Node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* One step of work at at: the interrupt, the memory and the step limits
 * (a query's rows are steps too, so a join that evaluates nothing per row
 * is still bounded and can be interrupted). */
bool eval_step(Eval *E, const Node *at);
const Calendar *eval_calendar(Eval *E, const char *name, const Src *src, Loc loc);

#endif
