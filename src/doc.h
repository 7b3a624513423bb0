/* doc.h: documentation of definitions: the comment above each, its
 * signature, and listings for `sow doc` and the REPL's `.fns`. */
#ifndef SOW_DOC_H
#define SOW_DOC_H

#include <stdio.h>

#include "model.h"
#include "program.h"

/* Which kinds doc_print lists (bits by section). */
enum {
	DOC_FNS = 1u << 0 | 1u << 1 | 1u << 9,   /* fn, rounding, built-in functions */
	DOC_ALL = 0x3ffu,
};

/* The whole-line comments right above item it of m, `#` removed, lines
 * joined with '\n' (malloc'd; the caller frees), or NULL. */
char *doc_comment(const Module *m, const Node *it);
/* "fn name(a, b)", "relation r(c text, ...) unique (c)", "rule r: for t; emits x" ... */
void doc_signature(const Program *P, const Module *m, const Node *it, char *buf, size_t n);
/* Print every definition of P of the given kinds (by section, by name), or
 * only those called name. Returns how many were printed; when none is
 * called name, *suggest (if given) gets the closest name or NULL. */
int doc_print(const Program *P, FILE *out, const char *name, unsigned kinds, const char **suggest);

#endif
