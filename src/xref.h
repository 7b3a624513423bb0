/* xref.h: `sow check --db`, SOW terms against the project database. */
#ifndef SOW_XREF_H
#define SOW_XREF_H

#include <sqlite3.h>

#include "program.h"

/* Report milestones and trainings declared in a SOW but missing from the
 * database (or under another project), and the other way round. Returns
 * the number of errors; -1 on a database error (reported). */
int xref_check(Program *P, sqlite3 *db);
/* Warn about each SOW's calendar that has no holidays anywhere (declared
 * nowhere, or declared with none, and no row in the holidays table): it
 * would count weekends only. Names the calendars that have holidays.
 * Returns the number of warnings. */
int xref_calendars(Program *P, sqlite3 *db);

#endif
