/* vm.h: running rules as compiled plans (compile.c, vm.c), and the part
 * of rules.c the plans call back into.
 *
 * Two engines give one answer: the tree-walker (rules.c over eval.c) is
 * the reference, and stays in charge of `why` (tracing), `sow test`
 * (coverage) and whatever the compiler does not take; the VM runs the
 * rest. tests/run/engines.sh compares them on random books. */
#ifndef SOW_VM_H
#define SOW_VM_H

#include <stddef.h>

#include "eval.h"
#include "sink.h"

/* Eval.engine: which engine runs the rules (the VM unless told). */
typedef enum { ENGINE_VM = 0, ENGINE_WALK } Engine;

/* "walk" or "vm" (--engine); false for anything else. */
bool engine_parse(const char *s, int *out);
/* Run rule's clauses from c (depth: `for`s around them; scan: the scan
 * that bound the innermost row, as rules.c has it) on the VM. False when
 * the VM does not take them (the walker then runs them); else *ok is the
 * result. */
bool vm_run(Eval *E, Decl *rule, Node *c, int depth, const void *scan, bool *ok);
/* --profile: the engine that ran rule ("vm", or "walk" and why) into
 * engine, and its compiled units' listing (malloc'd; NULL: none). */
void vm_describe(Eval *E, const Decl *rule, char *engine, size_t n, char **listing);
void vm_free(Eval *E);

/* rules.c: the `for` c and the clauses after it. */
bool rules_for(Eval *E, Decl *rule, Node *c, int depth);
/* rules.c: what emit c writes into, and per column the field giving it
 * (NULL: none), n columns. */
const EmitTo *rules_emit_to(Eval *E, Node *c, Node *const **field, int *n);
/* rules.c: may v go into column col of emit c's target (field f gave it)?
 * False with the message when not. */
bool rules_emit_check(Eval *E, Node *c, int col, const Node *f, const Value *v);

#endif
