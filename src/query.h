/* query.h: queries (query.c): `from ... select`, grouped or not, into an
 * in-memory relation; aggregates of the group being finished. */
#ifndef SOW_QUERY_H
#define SOW_QUERY_H

#include "source.h"

/* Evaluate a query (N_SELECTQ) into a new relation. */
bool rules_query(Eval *E, Node *q, Rel **out);
/* Aggregate value of call node e in the group being finished. */
bool rules_aggregate_value(Eval *E, const Node *e, Value *out);

#endif
