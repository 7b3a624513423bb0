/* period.h: periods closed in order, reopened with a reason (SPEC 8.1). */
#ifndef SOW_PERIOD_H
#define SOW_PERIOD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* The latest closed period ("2026-10") into buf (DATE_MONTH_BUFSZ bytes), ""
 * when none is closed. A month is closed when it is on or before it. False on
 * a database error. */
bool period_closed_through(sqlite3 *db, char *buf);

/* May a run for period write? 0: yes, and skipped says which months it
 * leaves out ("" when none; only with skip_gap); 1: refused; 3: database
 * error. The reason for 1 and 3 goes into msg. */
int period_may_run(sqlite3 *db, const char *period, bool skip_gap, char *skipped, size_t sn, char *msg, size_t mn);

/* Mark the period's current runs superseded and move their rows into the
 * *_history tables (inside the caller's transaction). */
bool period_supersede(sqlite3 *db, const char *period, const char **err);

/* sow close / sow reopen, each in one transaction: true when done, with
 * what was done ("closed 2026-10") in done. Else why is reported through
 * D, and *refused says whether the period may not be closed (reopened) or
 * the database failed. */
bool period_close(const char *db_path, const char *period, const char *reason, Diag *D, char *done, size_t n, bool *refused);
bool period_reopen(const char *db_path, const char *period, const char *reason, Diag *D, char *done, size_t n, bool *refused);

#endif
