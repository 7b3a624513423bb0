/* parse.c: drives the scanner and the grammar over one source text, and
 * reads source files. Everything a parse needs is in the Parser; nothing is
 * global, so parses can be nested or repeated. */
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sow.tab.h"
#include "sow.lex.h"

int parse_source(Parser *P, Arena *A, const Src *src, Diag *D, ParseMode mode)
{
	memset(P, 0, sizeof *P);
	P->A = A;
	P->src = src;
	P->D = D;
	P->start = mode == PARSE_FILE ? START_FILE : START_EVAL;
	P->lex_error_upto = -1;
	yyscan_t scanner;
	if (yylex_init_extra(P, &scanner) != 0) {
		fputs("sow: out of memory\n", stderr);
		abort();
	}
	YY_BUFFER_STATE buf = yy_scan_bytes(src->text, (int)src->len, scanner);
	int rc = yyparse(scanner, P);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	if (rc != 0 && P->errors == 0)
		P->errors = 1;
	return P->errors;
}

const Node *parse_single_block(Arena *A, const char *path, int kind, const char *file, const char *block,
			       const char *none, Diag *D, Src **src)
{
	*src = src_read(A, path);
	if (!*src) {
		diag_plain(D, DIAG_ERROR, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	Parser ps;
	if (parse_source(&ps, A, *src, D, PARSE_FILE) != 0)
		return NULL;
	const Node *found = NULL;
	for (const Node *it = ps.items; it; it = it->next) {
		if ((int)it->kind != kind) {
			diag_at(D, *src, it->loc, DIAG_ERROR, "%s holds one %s and nothing else", file, block);
			return NULL;
		}
		if (found) {
			diag_at(D, *src, it->loc, DIAG_ERROR, "%s holds one %s; this is a second", file, block);
			return NULL;
		}
		found = it;
	}
	if (!found)
		diag_plain(D, DIAG_ERROR, "%s has no %s", path, none);
	return found;
}

Src *src_from_string(Arena *A, const char *name, const char *text, size_t len)
{
	Src *s = arena_alloc(A, sizeof *s);
	s->path = arena_strndup(A, name, strlen(name));
	s->text = arena_strndup(A, text, len);
	s->len = len;
	diag_index_lines(A, s);
	return s;
}

Src *src_read(Arena *A, const char *path)
{
	size_t len;
	char *text = src_load(path, &len);
	if (!text)
		return NULL;
	Src *s = src_from_string(A, path, text, len);
	free(text);
	return s;
}
