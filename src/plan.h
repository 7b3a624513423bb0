/* plan.h: how a rule reads its sources, chosen once per rule (plan.c).
 *
 * The planner looks at a rule's clauses after check. Where an outer `for`
 * is followed by a `for` over a database table that is joined to it by
 * equality (`for s in sows where ... for t in time_entries where
 * t.project_id == s.project_id ...`), the outer side is collected once into
 * a hash table on the join key and the table is read once, in its own
 * order, each row probing the hash, instead of one index probe per outer
 * row followed by reads scattered over the whole table. */
#ifndef SOW_PLAN_H
#define SOW_PLAN_H

#include "source.h"

typedef struct JoinPlan {
	Node *outer;          /* the N_FOR of the small side */
	Node *inner;          /* the N_FOR over a database table, read once */
	const TableDef *table;/* ... that table */
	int col;              /* the inner column compared with the key */
	Node *key;            /* the outer expression it must equal */
	size_t nkeys;         /* last run: outer rows kept */
	bool hashed;          /* last run: hashed (else one index probe each) */
} JoinPlan;

/* The join starting at `outer` (a rule's first `for`), or NULL when the
 * rule reads its sources as nested loops. Made once per clause, kept in E. */
const JoinPlan *plan_join(Eval *E, Node *outer);
/* Is a hash join worth it for nkeys outer keys? (Else index probes.) */
bool plan_hash_worth(Eval *E, const JoinPlan *j, size_t nkeys);
void plan_free(Eval *E);
/* The plan a rule ran with, in source terms, into buf (--profile). */
void plan_describe(Eval *E, const Decl *rule, char *buf, size_t n);

#endif
