/* import.h: loading a CSV export into a standard table (`sow import`). */
#ifndef SOW_IMPORT_H
#define SOW_IMPORT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

/* Load path (RFC 4180 CSV with a header row) into table, in one
 * transaction: all rows or none. Errors go to err as "FILE:LINE: error: ..."
 * and the return is 1 (bad data) or 3 (database/I-O); 0 on success with the
 * row count in *rows. replace: empty the table first (same transaction). */
int import_csv(sqlite3 *db, const char *table, const char *path, bool replace, long long *rows, FILE *err);

#endif
