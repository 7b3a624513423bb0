/* fmt.h: printing rule files in canonical layout (`sow fmt`). */
#ifndef SOW_FMT_H
#define SOW_FMT_H

#include <stdio.h>

#include "ast.h"

/* Print items (with the file's comments, none lost) to out. */
void fmt_file(FILE *out, const Src *src, Node *items, Comment *comments);
/* Print one expression or query on one line. */
void fmt_expr(FILE *out, const Node *e);

#endif
