/* query.h: queries (query.c): `from ... select`, grouped or not, into an
 * in-memory relation; aggregates of the group being finished. */
#ifndef SOW_QUERY_H
#define SOW_QUERY_H

#include "source.h"

/* A correlated query (plan_decorrelate): one that a rule evaluates again
 * for each outer row, `from r in revenue where r.project_id == s.project_id
 * and ... group by ...`, read once for every key instead (query.c). It is
 * taken when the query groups (its results are fewer than its rows), its
 * first source is a database table, some conjuncts of its where equal a
 * text column of that table to an expression of names bound outside the
 * query (the key), and nothing else in it names anything bound outside.
 * The read for every key is the same query without those equalities, its
 * groups kept apart by the key's columns. */
typedef struct DecorPlan {
	Node *q;              /* the query as written */
	Node *whole;          /* the same without the key equalities, own from items */
	const TableDef *table;/* its first source */
	int nkeys;
	Node *inner[4];       /* r.col: a text column of the first source */
	Node *outer[4];       /* ... and what it must equal, outside the query */
	const Module *mod;    /* the module it is evaluated in */
	long long rows;       /* about how many rows table holds */
	/* this batch of rules (query.c): */
	long long calls;      /* evaluations so far */
	bool built, failed, too_big;
	Arena *A;             /* the groups of every key */
	Map parts;            /* key text -> its groups */
	long long nparts, read;
} DecorPlan;

/* Evaluate a query (N_SELECTQ) into a new relation. */
bool rules_query(Eval *E, Node *q, Rel **out);
/* Aggregate value of call node e in the group being finished. */
bool rules_aggregate_value(Eval *E, const Node *e, Value *out);

#endif
