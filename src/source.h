/* source.h: the rows rules and queries read (source.c).
 *
 * Rows stream: a `for` over a table is a prepared SELECT whose simple filters
 * (`t.project_id == p.id`, `m.sign_off_sent_on is set`, `t.approved_on <=
 * as_of`) are pushed into its WHERE with bound parameters; the rest of the
 * rule runs once per row, and nothing keeps the row after. Only relations a
 * rule emits into and query results live in memory. */
#ifndef SOW_SOURCE_H
#define SOW_SOURCE_H

#include "eval.h"
#include "model.h"
#include "schema.h"

/* An in-memory relation: SOW terms, a declared relation, a query result. */
typedef struct Rel {
	const char *name;
	const Shape *shape;
	Row *rows;
	size_t n, cap;
	Map keys;             /* unique key -> row index + 1 (declared relations) */
	const Node *unique;   /* key columns (N_NAME list), or NULL */
} Rel;

typedef bool (*RowFn)(Eval *E, const Row *row, void *arg);

/* The WHERE that a scan kept under key pushed into SQL, or NULL. */
const char *source_where(Eval *E, const void *key);

/* Rows of the source of `clause` (an N_FOR or N_FROMITEM) bound to `var`.
 * `rest` is what reads them: a rule's clauses after the `for`, or the query
 * (N_SELECTQ) the item is a source of; its filters are pushed into SQL and
 * only the columns it reads are selected (NULL: every column, no filter).
 * fn runs for each row; false from fn or an error stops the scan. */
bool source_scan(Eval *E, Node *clause, const char *var, Node *rest, RowFn fn, void *arg);
/* The same, with the prepared scan kept under `key` rather than the clause
 * (a join reads a clause's table in a plan of its own). */
bool source_scan_as(Eval *E, const void *key, Node *clause, const char *var, Node *rest, RowFn fn, void *arg);
/* The same, for rules sharing one scan: the columns that each of more[]
 * reads of var are selected too, and only filters before `stop` (the
 * first clause not shared) go into SQL. */
bool source_scan_shared(Eval *E, const void *key, Node *clause, const char *var, Node *rest, const Node *stop,
			Node *const *more, int nmore, RowFn fn, void *arg);
/* What C must still test of a filter clause (N_WHERE/N_WHEN) on a row of
 * the scan kept under key: the part SQL did not test, NULL when SQL tested
 * it all, or the whole condition when the scan is not filtered in SQL. */
const Node *source_left(Eval *E, const void *key, const Node *filter);
/* Does e depend only on names bound before a scan of var starts? */
bool source_fixed(const Eval *E, const Node *e, const char *var);
/* About how many rows table t holds (its largest rowid); -1 unknown. */
long long source_rows_estimate(Eval *E, const TableDef *t);
/* table["id"]: the row with that id, or unset. */
bool source_lookup(Eval *E, Node *at, const Shape *shape, const Value *id, Value *out);
/* A new row at the end of r (values allocated, to be filled in). */
Row *rel_add(Eval *E, Rel *r);
/* The in-memory relation of that name (SOW terms, declared relations). */
Rel *engine_rel(Eval *E, const char *name);
void engine_free(Eval *E);

#endif
