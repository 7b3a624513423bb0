/* export.h: the files a run writes beside the database (--report, --output),
 * written before the run commits and moved into place only after. */
#ifndef SOW_EXPORT_H
#define SOW_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger.h"

#define EXPORT_FILES 64

typedef struct Exports {
	int n;
	char tmp[EXPORT_FILES][4096];     /* written: a new file, or a new folder of CSVs */
	char dest[EXPORT_FILES][4096];    /* where it goes at commit */
	bool folder[EXPORT_FILES];
} Exports;

/* Before the run's transaction: are the destinations of --report and
 * --output fit (not a folder for a file, not the database, not a folder
 * holding other files)? False with a message in err. Removes what an
 * interrupted run left beside them. */
bool export_check(const RunOptions *o, char *err, size_t n);

/* Write the pack (--report: .html or .xlsx by its name) and the CSV of each
 * output table of run R into --output DIR, all to temporary names. False
 * with a message in err (the temporary files are then removed). */
bool export_write(sqlite3 *db, const RunCtx *R, const RunOptions *o, Exports *x, char *err, size_t n);
/* Move every file and the CSV folder into place; false (with err) if one
 * could not be (what was not moved is removed). */
bool export_commit(Exports *x, char *err, size_t n);
/* Remove what export_write wrote. */
void export_discard(Exports *x);

/* One output table's rows of a run as CSV (every column, in schema order). */
bool export_table_csv(sqlite3 *db, const TableDef *t, long long run_id, FILE *out);
/* Tables holding a run's rows: the rules' output tables and the totals. */
bool export_is_run_table(const TableDef *t);

#endif
