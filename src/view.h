/* view.h: a session's view, the rules' results as of its date, made when a
 * statement first reads them and kept.
 *
 * The view is one of: the database's latest run as stored (TEMP views over
 * its rows, when it is this view: same date, same rules, nothing written
 * since), or the rules run into TEMP tables that shadow the real ones, only
 * as far as the statement reads (every rule starts stale). An assumption
 * marks stale what reads the table it changes; the next statement that
 * reads those rows runs them again (catch-up). A view of another date is
 * set aside for `.asof` back to it. The database itself is never written.
 * Used by the statement layer (stmt.c, figures.c, assume.c) only. */
#ifndef SOW_VIEW_H
#define SOW_VIEW_H

#include <stdbool.h>

#include "map.h"
#include "session.h"

/* Make sure S->E holds the rules' results as of the session date for a
 * statement that reads need (NULL: anything). stored_ok: it reads only
 * database tables, so a stored run may answer as it is. Inside a read
 * transaction that view_release ends. False: the error is in S->D. */
bool view_refresh(Session *S, bool stored_ok, const Map *need);
/* End the statement's read transaction. */
void view_release(Session *S);
/* Drop the view's results (the next statement that reads them makes them). */
void view_forget(Session *S);
/* Drop the views of other dates (made without a new assumption). */
void view_drop_parked(Session *S);
/* The stored run answering becomes the session's own TEMP tables, so that
 * an assumption runs again only what it changes. */
void view_promote(Session *S);
/* Tables changed (an assumption added or dropped): what reads them is
 * stale; relations: the declared relations are emptied too. project: the
 * change is to that project's rows only, so a rule local to a project
 * (keyscope.h) runs again for it alone; NULL: any project. */
void view_mark_stale(Session *S, char **tables, int n, bool relations, const char *project);
/* Shadow each assumed table with a TEMP copy holding the assumptions from
 * index from on (0: all; a table is copied once, at its first assumption). */
bool view_apply_assumptions(Session *S, int from);
/* An evaluator without the rules' results, for what does not read them. */
void view_light_eval(Session *S, Eval *E);
/* Has the program rules to run? Without any, results are the database's. */
bool view_has_rules(const Session *S);
/* sqlite3_exec of a sqlite3_mprintf format (%Q quotes a text). */
bool view_exec(sqlite3 *db, const char *fmt, ...);

#endif
