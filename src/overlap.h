/* overlap.h: rules that can emit one unique key twice, found at check time. */
#ifndef SOW_OVERLAP_H
#define SOW_OVERLAP_H

#include "program.h"

/* Warn (in P->D) about each pair of emits that can give one source row's
 * key twice. Returns how many. Run after check_program found no errors. */
int overlap_check(Program *P);

#endif
