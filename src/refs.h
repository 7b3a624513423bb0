/* refs.h: references between the analysts' tables (SPEC 9.1). */
#ifndef SOW_REFS_H
#define SOW_REFS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

typedef struct RefCheck RefCheck;

/* The reference checks of table t for `sow import`, prepared on db; NULL
 * when t references nothing (or on a database error: *err set). */
RefCheck *refs_prepare(sqlite3 *db, const TableDef *t, char *err, size_t n);
void refs_free(RefCheck *rc);

/* Whether one record names a row that is not there. The record gives
 * vals[j] (NULL: empty) for column tcol[j] of the table, j < ntarget; an
 * empty reference passes (run and check --db name it). Returns false with
 * the reason in why. */
bool refs_row(RefCheck *rc, const int *tcol, const char *const *vals, int ntarget, char *why, size_t n);

/* Each stored row that breaks a reference, to visit(ctx, table, row id,
 * reason), in table then row order. Returns the number of rows, -1 on a
 * database error (its message in err). */
typedef void (*RefVisit)(void *ctx, const char *table, const char *id, const char *why);
long long refs_scan(sqlite3 *db, RefVisit visit, void *ctx, char *err, size_t n);

#endif
