/* sink.h: where the rows that rules emit go.
 *
 * rules.c and machine.c hand each emitted row to the Eval's sink and do not
 * know what is behind it: the ledger of a run (ledger.c: output tables, in
 * the run's transaction), why's tracer (why.c: explains matching rows and
 * writes nothing), or the in-memory relations (sink.c). A test run is a
 * ledger on the test's own database that adds the test's SOWs (testrun.c).
 *
 * A sink also answers what the evaluator asks of the run it writes into:
 * the run's id (`run_id`), whether a month is closed (`is_closed`), and the
 * SOWs the run adds to the program's. What a sink does not know, the next
 * sink of its chain answers: a tracer asks the run it explains, a ledger
 * passes relation rows on to its relations. */
#ifndef SOW_SINK_H
#define SOW_SINK_H

#include <stdbool.h>

#include "check.h"
#include "eval.h"
#include "schema.h"

/* What an emit writes into, worked out once per emit clause. */
typedef struct EmitTo {
	const char *name;        /* the table or relation */
	const Shape *shape;      /* its columns: vals[i] is shape->cols[i] */
	const TableDef *table;   /* an output table, or NULL: a declared relation */
} EmitTo;

typedef struct Sink Sink;
struct Sink {
	/* Take one row: vals has one value per column, unset where the emit
	 * gives none; a sink may fill the columns it owns (run_id, rule). An
	 * error is reported through E at `at`; then false. */
	bool (*emit)(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals);
	/* Is month ("2026-10") closed? NULL: the next sink knows. False on an
	 * error (reported at `at`). */
	bool (*closed)(Sink *s, Eval *E, const Node *at, const char *month, bool *out);
	/* Was the revenue row of (source, source_id) released in a period
	 * before month? NULL: the next sink knows. False on an error. */
	bool (*released)(Sink *s, Eval *E, const Node *at, const char *source, const char *id, const char *month, bool *out);
	long long run_id;        /* the run written (`run_id` in rules); 0: the next knows */
	const Node *sows;        /* items holding N_SOWs the run adds (a test's own), or NULL */
	bool tracing;            /* why: rules run as nested loops in source order and
				    every call is evaluated (no hash join, no memo) */
	Sink *next;              /* what this sink passes on to, or NULL */
};

/* The in-memory relations (declared `relation`s) as a sink: a row goes
 * into E's relation of that name, refused when its unique key is taken. */
void sink_relations(Sink *s);
struct Rel;
/* The unique key of a row of relation r (vals: its columns), as text. */
void sink_rel_key(const struct Rel *r, const Value *vals, char *buf, size_t n);
/* The run id a chain writes into; 0 outside a run. */
long long sink_run_id(const Sink *s);
/* Is month closed, as the chain knows? No sink that knows: nothing is. */
bool sink_closed(Sink *s, Eval *E, const Node *at, const char *month, bool *out);
/* Was (source, source_id) released before month, as the chain knows? No
 * sink that knows: it was not. */
bool sink_released(Sink *s, Eval *E, const Node *at, const char *source, const char *id, const char *month, bool *out);
/* The SOW items the chain adds to the program's, or NULL. */
const Node *sink_sows(const Sink *s);

#endif
