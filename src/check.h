/* check.h: names, types and references of a loaded Program.
 *
 * The checker reports every error it can find in one pass and never stops
 * at the first: each expression that fails gets the type `any`, which
 * silences the errors that would only follow from the first one. */
#ifndef SOW_CHECK_H
#define SOW_CHECK_H

#include "model.h"

/* The i-th rounding mode, or NULL past the last (completion). */
const char *check_round_mode(int i);

/* Check everything loaded. Returns the number of errors found. */
int check_program(Program *P);
/* Check one expression (or query) in the context of P, as seen from m. */
int check_expr(Program *P, Module *m, Node *e, Type *out);

#endif
