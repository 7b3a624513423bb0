/* xref.h: `sow check --db`, SOW terms against the project database. */
#ifndef SOW_XREF_H
#define SOW_XREF_H

#include <sqlite3.h>

#include "program.h"

/* Report milestones and trainings declared in a SOW but missing from the
 * database (or under another project), and the other way round. Returns
 * the number of errors; -1 on a database error (reported). */
int xref_check(Program *P, sqlite3 *db);

#endif
