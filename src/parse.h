/* parse.h: reading a source text into a tree (the flex/bison front end).
 *
 * No global state: a Parser holds everything one parse needs, so files can
 * be parsed one after another or side by side, and the REPL parses each line
 * with the same grammar. Syntax errors go to the Diag; the tree holds what
 * could be recovered. */
#ifndef SOW_PARSE_H
#define SOW_PARSE_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

typedef enum { PARSE_FILE, PARSE_EVAL } ParseMode;

typedef struct Parser {
	Arena *A;            /* where nodes and strings go */
	const Src *src;      /* text being parsed */
	Diag *D;             /* where errors go */
	int start;           /* start token still to hand the grammar, or 0 */
	int off;             /* scanner position, bytes from the start */
	int errors;          /* syntax and lexical errors in this parse */
	bool eof_error;      /* a syntax error was found at end of input */
	int lex_error_upto;  /* a syntax error before this offset follows from a
	                      * lexical error already reported: not repeated */
	Node *items;         /* PARSE_FILE: list of top-level items */
	Node *expr;          /* PARSE_EVAL: the expression or query */
	Comment *comments;   /* every comment, in order (for fmt) */
	Comment *ctail;
} Parser;

/* Parse src. Returns the number of errors (0 = clean). The tree and
 * comments are in P (allocated in A) even when there were errors. */
int parse_source(Parser *P, Arena *A, const Src *src, Diag *D, ParseMode mode);
/* A file that holds exactly one top-level block of kind (a mapping, an
 * account mapping): read, parsed, and that block, with its source in *src;
 * NULL with the error reported (unreadable, not parsed, another item, a
 * second block, none). file and block name them in messages ("a mapping
 * file", "mapping"); none follows "PATH has no" when there is no block. */
const Node *parse_single_block(Arena *A, const char *path, int kind, const char *file, const char *block,
			       const char *none, Diag *D, Src **src);
/* Reads a whole file into a Src (text NUL-terminated). NULL on I/O error,
 * with errno set. */
Src *src_read(Arena *A, const char *path);
Src *src_from_string(Arena *A, const char *name, const char *text, size_t len);
/* The i-th reserved word, in order, or NULL past the last (completion). */
const char *lex_keyword(size_t i);

#endif
