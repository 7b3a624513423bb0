/* sink.h: where the rows that rules emit go.
 *
 * rules.c and machine.c hand each emitted row to the Eval's sink and do not
 * know what is behind it: the ledger of a run (ledger.c: output tables, in
 * the run's transaction), why's tracer (why.c: explains matching rows and
 * writes nothing), or the in-memory relations (sink.c). A test run is a
 * ledger on the test's own database that adds the test's SOWs (testrun.c).
 *
 * What the evaluator knows of the run (its id, closed periods, the SOWs a
 * test adds) is data it is given (RunInfo, eval.h), not a question it asks
 * the sink. A sink passes what it does not take to the next of its chain: a
 * tracer to the run it explains, a ledger relation rows to its relations. */
#ifndef SOW_SINK_H
#define SOW_SINK_H

#include <stdbool.h>

#include "model.h"
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

#endif
