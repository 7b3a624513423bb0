/* diag.h: diagnostics with file:line:col, the source line and a caret.
 *
 * Locations are byte offsets; they become line and column (in characters)
 * only when a message is shown. The core reports through a Diag handed to
 * it, and the command that owns the Diag decides where text goes. */
#ifndef SOW_DIAG_H
#define SOW_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

/* A receiver of messages in place of text (the language server): src is
 * NULL for a message with no location. */
typedef void (*DiagSink)(void *arg, const struct Src *src, Loc loc, DiagLevel lv, const char *msg);

typedef struct Diag {
	FILE *out;        /* where messages go (stderr for commands) */
	DiagSink sink;    /* when set, messages go here instead of out */
	void *sink_arg;
	int errors;       /* errors reported so far */
	int warnings;     /* warnings reported so far */
	int max_errors;   /* stop reporting (but keep counting) past this; 0 = no cap */
	int max_warnings; /* the same for warnings */
	int db_errors;    /* errors of the database itself, not of the rules
	                   * (locked, damaged, full): SPEC 3's exit status 3 */
	bool muted;       /* the last error or warning was not shown: nor its notes */
} Diag;

void diag_init(Diag *d, FILE *out);
/* "FILE:LINE:COL: error: MSG", the line, a caret under [loc.beg, loc.end). */
void diag_at(Diag *d, const Src *src, Loc loc, DiagLevel lv, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "sow: error: MSG" with no location. */
void diag_plain(Diag *d, DiagLevel lv, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Fill src->lines from its text: one pass, so that every position looked up
 * afterwards costs a binary search, not a scan from the start. */
void diag_index_lines(Arena *A, Src *src);
/* Line (1-based) of a byte offset, and the offset where that line starts. */
int diag_line(const Src *src, const char *text, int off, int *start);
/* Line (1-based) and column (1-based, in characters) of a byte offset. */
void diag_linecol(const Src *src, int off, int *line, int *col);
/* The source text of loc on one line, blanks squeezed, cut with "..." to
 * fit buf (n >= 8): messages and listings quote a clause with it. */
void diag_snippet(const Src *src, Loc loc, char *buf, size_t n);
/* Closest of the candidates to word (edit distance <= 2, or a prefix), or NULL. */
const char *diag_suggest(const char *word, const char *const *cands, int n);

#endif
