/* xref.c: a SOW's milestones and trainings must be the project's. A term
 * with no row is an error (it would never be released); a row with no term
 * is a warning (it has no amount, so it is never revenue). */
#include "xref.h"

#include <string.h>

static int check_kind(Program *P, sqlite3 *db, const char *table, NodeKind kind, Map *declared)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT project_id FROM %s WHERE id = ?", table);
	sqlite3_stmt *one;
	if (sqlite3_prepare_v2(db, sql, -1, &one, NULL) != SQLITE_OK) {
		diag_plain(P->D, DIAG_ERROR, "%s", sqlite3_errmsg(db));
		return -1;
	}
	int errors = 0;
	const char *what = kind == N_MILESTONE ? "milestone" : "training";
	for (int m = 0; m < P->nmods; m++)
		for (Node *it = P->mods[m]->items; it; it = it->next) {
			if (it->kind != N_SOW)
				continue;
			for (Node *c = it->a; c; c = c->next) {
				if (c->kind != kind)
					continue;
				map_put(declared, c->s, it);
				sqlite3_reset(one);
				sqlite3_bind_text(one, 1, c->s, -1, SQLITE_STATIC);
				if (sqlite3_step(one) != SQLITE_ROW) {
					diag_at(P->D, P->mods[m]->src, c->loc, DIAG_ERROR, "%s \"%s\" is not in the %s table", what, c->s, table);
					errors++;
					continue;
				}
				const char *proj = (const char *)sqlite3_column_text(one, 0);
				if (!proj || strcmp(proj, it->s2) != 0) {
					diag_at(P->D, P->mods[m]->src, c->loc, DIAG_ERROR, "%s \"%s\" belongs to project %s, not %s", what, c->s,
						proj ? proj : "(none)", it->s2);
					errors++;
				}
			}
		}
	sqlite3_finalize(one);
	/* rows of a SOW's project that no SOW declares */
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE project_id = ? ORDER BY id", table);
	sqlite3_stmt *rows;
	if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK)
		return errors;
	Map seen = { 0 }; /* projects already looked at: a project may have several SOWs */
	for (int m = 0; m < P->nmods; m++)
		for (Node *it = P->mods[m]->items; it; it = it->next) {
			if (it->kind != N_SOW || map_get(&seen, it->s2))
				continue;
			map_put(&seen, it->s2, it);
			sqlite3_reset(rows);
			sqlite3_bind_text(rows, 1, it->s2, -1, SQLITE_STATIC);
			while (sqlite3_step(rows) == SQLITE_ROW) {
				const char *id = (const char *)sqlite3_column_text(rows, 0);
				if (id && !map_get(declared, id))
					diag_at(P->D, P->mods[m]->src, it->loc, DIAG_WARNING,
						"%s \"%s\" of project %s is in the database but in no SOW", what, id, it->s2);
			}
		}
	sqlite3_finalize(rows);
	map_free(&seen);
	return errors;
}

int xref_check(Program *P, sqlite3 *db)
{
	Map ms = { 0 }, ts = { 0 };
	int a = check_kind(P, db, "milestones", N_MILESTONE, &ms);
	int b = a < 0 ? -1 : check_kind(P, db, "trainings", N_TRAINING, &ts);
	map_free(&ms);
	map_free(&ts);
	return a < 0 || b < 0 ? -1 : a + b;
}
