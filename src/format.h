/* format.h: printing a result table in one of four formats. */
#ifndef SOW_FORMAT_H
#define SOW_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

/* expanded: one "column | value" line per field, a header per record (psql's \x);
 * html: a <table> fragment, every cell escaped, for a page to embed (sow serve). */
typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MARKDOWN, FMT_EXPANDED, FMT_HTML } Format;

bool format_parse(const char *name, Format *f);

/* A table being printed in format f to out. csv, json and html rows go out
 * as they come (memory does not grow with rows); table and markdown keep
 * the cells to align the columns and print at format_end, which frees t.
 * A title names the table; in csv and json, where several tables may share
 * one stream, every row then says which: a first column (key) `section`. */
typedef struct FTable FTable;
FTable *format_begin(const char *title, int ncols, const char *const *headers, const bool *right, Format f, FILE *out);
void format_row(FTable *t, const char *const *cells);
void format_end(FTable *t);

struct Value;
/* A value on its own line, or a query's rows as a table in format f. */
void format_value(const struct Value *v, Format f, FILE *out);

/* One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
void csv_cell(FILE *out, const char *s);

#endif
