/* why.h: provenance. The derivation of a value or of emitted rows: which
 * rule, which source rows (with the columns used), each step's exact value. */
#ifndef SOW_WHY_H
#define SOW_WHY_H

#include <stdio.h>

#include "eval.h"

/* An expression, with the value of each of its parts, as a tree. */
bool why_expr(Eval *E, Module *m, Node *e, FILE *out);
/* Rows of an output table or relation matching the record (N_RECORD), each
 * traced back through the rule that emitted it. The rules have run in E. */
bool why_rows(Eval *E, Module *m, const char *table, Node *record, FILE *out);

#endif
