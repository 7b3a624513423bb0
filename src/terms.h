/* terms.h: the checks of a SOW block's terms, on their own (terms.c). */
#ifndef SOW_TERMS_H
#define SOW_TERMS_H

#include "model.h"

/* The i-th billing term, or NULL past the last (completion). */
const char *terms_billing(int i);
/* Check one SOW block of module m, reporting to D. */
void terms_check_sow(Program *P, Module *m, Diag *D, Node *sow);
/* The checks of m's SOW blocks alone, reported to D; returns the errors
 * and warnings. They need no other file (the loader checks a SOW file so
 * before compacting it), except a SOW's own rounding clause. */
int terms_check(Program *P, Module *m, Diag *D);

#endif
