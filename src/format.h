/* format.h: printing a result table in one of four formats. */
#ifndef SOW_FORMAT_H
#define SOW_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MARKDOWN } Format;

bool format_parse(const char *name, Format *f);

/* A table being printed: cells are copied; call format_end to print. */
typedef struct FTable FTable;
FTable *format_begin(const char *title, int ncols, const char *const *headers, const bool *right);
void format_row(FTable *t, const char *const *cells);
/* Print in format f; table and markdown end with a row count. Frees t. */
void format_end(FTable *t, Format f, FILE *out);

struct Value;
/* A value on its own line, or a query's rows as a table in format f. */
void format_value(const struct Value *v, Format f, FILE *out);

#endif
