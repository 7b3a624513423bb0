/* machine.h: the status machines (machine.c), run after the rules. */
#ifndef SOW_MACHINE_H
#define SOW_MACHINE_H

#include "eval.h"

/* A status machine's name as its rows give it ("file:line machine name"). */
void machines_name(const Decl *d, char *buf, size_t n);
/* Run the status machines after the rules. */
bool machines_run(Eval *E);

#endif
