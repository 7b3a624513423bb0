/* xref.c: a SOW's milestones and trainings must be the project's. A term
 * with no row is an error (it would never be released); a row with no term
 * is a warning (it has no amount, so it is never revenue). An amendment's
 * milestones and trainings count the same, and an amendment cannot take
 * effect before its SOW was signed. */
#include "xref.h"

#include <string.h>

#include "diag.h"
#include "refs.h"
/* The milestone or training clauses in list (of SOW sow, or of its
 * amendment amend) against the table, through the prepared `one`. */
static int check_terms(Program *P, const Src *src, sqlite3_stmt *one, Node *sow, Node *list, Node *amend,
		       NodeKind kind, const char *table, Map *declared)
{
	int errors = 0;
	const char *what = kind == N_MILESTONE ? "milestone" : "training";
	for (Node *c = list; c; c = c->next) {
		if (c->kind == N_AMENDMENT && !amend)
			errors += check_terms(P, src, one, sow, c->a, c, kind, table, declared);
		if (c->kind != kind)
			continue;
		map_put(declared, c->s, sow);
		sqlite3_reset(one);
		sqlite3_bind_text(one, 1, c->s, -1, SQLITE_STATIC);
		char by[300] = "";
		if (amend)
			snprintf(by, sizeof by, " (added by amendment \"%s\")", amend->s);
		if (sqlite3_step(one) != SQLITE_ROW) {
			diag_at(P->D, src, c->loc, DIAG_ERROR, "%s \"%s\"%s is not in the %s table", what, c->s, by, table);
			errors++;
			continue;
		}
		const char *proj = (const char *)sqlite3_column_text(one, 0);
		if (!proj || strcmp(proj, sow->s2) != 0) {
			diag_at(P->D, src, c->loc, DIAG_ERROR, "%s \"%s\"%s belongs to project %s, not %s", what, c->s, by,
				proj ? proj : "(none)", sow->s2);
			errors++;
		}
	}
	return errors;
}

/* An amendment dated before its SOW was signed (projects.sow_signed_on). */
static int check_amendment_dates(Program *P, sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT sow_signed_on FROM projects WHERE id = ?", -1, &st, NULL) != SQLITE_OK) {
		diag_plain(P->D, DIAG_ERROR, "%s", sqlite3_errmsg(db));
		return -1;
	}
	int errors = 0;
	for (int m = 0; m < P->nmods; m++)
		for (Node *it = P->mods[m]->items; it; it = it->next) {
			if (it->kind != N_SOW)
				continue;
			for (Node *a = it->a; a; a = a->next) {
				if (a->kind != N_AMENDMENT)
					continue;
				sqlite3_reset(st);
				sqlite3_bind_text(st, 1, it->s2, -1, SQLITE_STATIC);
				const char *signed_on = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
				/* ISO dates compare as text */
				if (signed_on && strcmp(a->s2, signed_on) < 0) {
					diag_at(P->D, P->mods[m]->src, a->b->loc, DIAG_ERROR,
						"amendment \"%s\" takes effect on %s, before SOW \"%s\" was signed (%s, projects.sow_signed_on of %s)",
						a->s, a->s2, it->s, signed_on, it->s2);
					errors++;
				}
			}
		}
	sqlite3_finalize(st);
	return errors;
}

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
			errors += check_terms(P, P->mods[m]->src, one, it, it->a, NULL, kind, table, declared);
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

/* How a calendar block of the program declares name: -1 not at all, else
 * the number of holidays it lists. */
static int declared_holidays(const Program *P, const char *name)
{
	int n = -1;
	for (int m = 0; m < P->nmods; m++)
		for (const Node *it = P->mods[m]->items; it; it = it->next)
			if (it->kind == N_CALENDAR && strcmp(it->s, name) == 0) {
				n = n < 0 ? 0 : n;
				for (const Node *c = it->a; c; c = c->next)
					n += c->kind == N_HOLIDAY;
			}
	return n;
}

/* The calendars that have holidays: declared with some, then those of the
 * holidays table, comma-separated into buf. */
static void existing_calendars(const Program *P, sqlite3 *db, char *buf, size_t n)
{
	size_t len = 0;
	*buf = 0;
	for (int m = 0; m < P->nmods; m++)
		for (const Node *it = P->mods[m]->items; it && len < n; it = it->next)
			if (it->kind == N_CALENDAR && declared_holidays(P, it->s) > 0 && !strstr(buf, it->s))
				len += (size_t)snprintf(buf + len, n - len, "%s\"%s\"", len ? ", " : "", it->s);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT calendar FROM holidays WHERE calendar IS NOT NULL ORDER BY 1", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW && len < n) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		if (declared_holidays(P, c) <= 0)
			len += (size_t)snprintf(buf + len, n - len, "%s\"%s\"", len ? ", " : "", c);
	}
	sqlite3_finalize(st);
}

int xref_calendars(Program *P, sqlite3 *db)
{
	sqlite3_stmt *hol, *proj;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM holidays WHERE calendar = ?", -1, &hol, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(calendar, 'US') FROM projects WHERE id = ?", -1, &proj, NULL) != SQLITE_OK) {
		sqlite3_finalize(hol);
		return 0;
	}
	int warnings = 0;
	Map said = { 0 };
	for (int m = 0; m < P->nmods; m++)
		for (Node *it = P->mods[m]->items; it; it = it->next) {
			if (it->kind != N_SOW)
				continue;
			/* the SOW's calendar clause, else its project's calendar column */
			const Node *at = it;
			char name[256] = "";
			for (const Node *c = it->a; c; c = c->next)
				if (c->kind == N_SOWCAL) {
					snprintf(name, sizeof name, "%s", c->s);
					at = c;
				}
			if (!*name) {
				sqlite3_reset(proj);
				sqlite3_bind_text(proj, 1, it->s2, -1, SQLITE_STATIC);
				if (sqlite3_step(proj) != SQLITE_ROW)
					continue;
				snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(proj, 0));
			}
			int declared = declared_holidays(P, name);
			if (declared > 0 || map_get(&said, name))
				continue;
			sqlite3_reset(hol);
			sqlite3_bind_text(hol, 1, name, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(hol) == SQLITE_ROW && sqlite3_column_int64(hol, 0) > 0)
				continue;
			char have[1024];
			existing_calendars(P, db, have, sizeof have);
			diag_at(P->D, P->mods[m]->src, at->loc, DIAG_WARNING,
				"calendar \"%s\"%s %s and has no holidays in the database: it counts weekends only%s%s%s", name,
				at == it ? " (the project's)" : "", declared < 0 ? "is declared nowhere" : "is declared with no holidays",
				*have ? " (calendars with holidays: " : "", have,
				*have ? ")" : " (no calendar has any yet: import the holidays table, or list them in a calendar block)");
			map_put(&said, arena_strndup(P->A, name, strlen(name)), (void *)1);
			warnings++;
		}
	map_free(&said);
	sqlite3_finalize(hol);
	sqlite3_finalize(proj);
	return warnings;
}

static void broken_ref(void *ctx, const char *table, const char *id, const char *why)
{
	Program *P = ctx;
	diag_plain(P->D, DIAG_ERROR, "%s %s %s", table, id, why);
}

int xref_check(Program *P, sqlite3 *db)
{
	xref_calendars(P, db);
	Map ms = { 0 }, ts = { 0 };
	int a = check_kind(P, db, "milestones", N_MILESTONE, &ms);
	int b = a < 0 ? -1 : check_kind(P, db, "trainings", N_TRAINING, &ts);
	int c = b < 0 ? -1 : check_amendment_dates(P, db);
	map_free(&ms);
	map_free(&ts);
	/* rows whose project (or SOW) names nothing: import refuses them, but
	 * a database may hold them from before, or from sqlite3 */
	char err[256];
	long long d = c < 0 ? -1 : refs_scan(db, broken_ref, P, err, sizeof err);
	if (d < 0 && c >= 0)
		diag_plain(P->D, DIAG_ERROR, "%s", err);
	return a < 0 || b < 0 || c < 0 || d < 0 ? -1 : a + b + c + (int)d;
}
