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
/* What the VM calls back in the rule runner (rules.c), which keeps the
 * `for`s (scans, joins, shared scans) and what an emit writes into. */
typedef struct VmHost {
	/* the `for` c and the clauses after it */
	bool (*for_clause)(Eval *E, Decl *rule, Node *c, int depth);
	/* what emit c writes into, and per column the field giving it (NULL:
	 * none), n columns */
	const EmitTo *(*emit_to)(Eval *E, Node *c, Node *const **field, int *n);
	/* may v go into column col of emit c's target (field f gave it)? False
	 * with the message when not */
	bool (*emit_check)(Eval *E, Node *c, int col, const Node *f, const Value *v);
} VmHost;

/* Run rule's clauses from c (depth: `for`s around them; scan: the scan
 * that bound the innermost row, as rules.c has it) on the VM. False when
 * the VM does not take them (the walker then runs them); else *ok is the
 * result. */
bool vm_run(Eval *E, const VmHost *host, Decl *rule, Node *c, int depth, const void *scan, bool *ok);
/* --profile: the engine that ran rule ("vm", "walk" or "vm+walk") into
 * engine, and its compiled units' listing, malloc'd. */
void vm_describe(Eval *E, const Decl *rule, char *engine, size_t n, char **listing);

#endif
