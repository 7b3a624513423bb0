/* import.h: loading a CSV export into a standard table (`sow import`). */
#ifndef SOW_IMPORT_H
#define SOW_IMPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "importmap.h"

typedef struct {
	bool replace;         /* empty the table first (same transaction) */
	bool upsert;          /* a row whose key is stored replaces it (the columns the file gives) */
	bool dry_run;         /* check everything, write nothing */
	const Mapping *map;   /* read the export through this mapping; NULL: standard headers */
} ImportOptions;

typedef struct {
	long long rows;       /* rows loaded (or that would be, with dry_run) */
	long long replaced;   /* of those, rows that replaced a stored row */
	long long skipped;    /* records the mapping skips */
} ImportCounts;

/* Load path (RFC 4180 CSV with a header row) into table, in one
 * transaction: all rows or none. Errors go to err as "FILE:LINE: error: ..."
 * (every bad record, the first 50 shown) and the return is 1 (bad data),
 * 2 (usage) or 3 (database/I-O); 0 on success with the counts in *n. */
int import_csv(sqlite3 *db, const char *table, const char *path, const ImportOptions *o, ImportCounts *n, FILE *err);

#endif
