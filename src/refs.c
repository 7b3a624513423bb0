/* refs.c: references between the analysts' tables (SPEC 9.1). A time entry,
 * milestone, training or allocation names its project; a service log names
 * its SOW or its project. A row whose reference names nothing is never
 * released or forecast, so it would vanish without a word: `sow import`
 * refuses a row that names a project not in projects (all or nothing, with
 * its line), and `sow check --db` names the rows already stored that do, or
 * that name none (an empty reference is loaded: it is a gap in the export
 * rather than a wrong value, and every run names the row). (A SOW id lives in the rule files, which neither
 * reads: `sow run` names a service log whose SOW is unknown, rules/std/
 * conservation.sow, which also names these rows in every run.) */
#include "refs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *table, *column; /* the referring column */
	const char *target;         /* the table whose id it names */
	const char *either;         /* a column that may name the row's owner instead, or NULL */
} Ref;

static const Ref refs[] = {
	{ "time_entries", "project_id", "projects", NULL },
	{ "milestones", "project_id", "projects", NULL },
	{ "trainings", "project_id", "projects", NULL },
	{ "allocations", "project_id", "projects", NULL },
	{ "service_logs", "project_id", "projects", "sow_id" },
};
#define NREFS (int)(sizeof refs / sizeof *refs)

struct RefCheck {
	const TableDef *t;
	int n;
	const Ref *ref[NREFS];
	sqlite3_stmt *exists[NREFS]; /* SELECT 1 FROM target WHERE id = ? */
};

static sqlite3_stmt *prepare_exists(sqlite3 *db, const Ref *r)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" WHERE id = ?1", r->target);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

RefCheck *refs_prepare(sqlite3 *db, const TableDef *t, char *err, size_t n)
{
	RefCheck *rc = NULL;
	for (int i = 0; i < NREFS; i++) {
		if (strcmp(refs[i].table, t->name) != 0)
			continue;
		if (!rc && !(rc = calloc(1, sizeof *rc)))
			abort();
		rc->t = t;
		rc->ref[rc->n] = &refs[i];
		if (!(rc->exists[rc->n++] = prepare_exists(db, &refs[i]))) {
			snprintf(err, n, "%s", sqlite3_errmsg(db));
			refs_free(rc);
			return NULL;
		}
	}
	return rc;
}

void refs_free(RefCheck *rc)
{
	if (!rc)
		return;
	for (int i = 0; i < rc->n; i++)
		sqlite3_finalize(rc->exists[i]);
	free(rc);
}

/* The record's value of column name (NULL: empty, or not in the file). */
static const char *value_of(const RefCheck *rc, const int *tcol, const char *const *vals, int ntarget, const char *name)
{
	for (int j = 0; j < ntarget; j++)
		if (strcmp(rc->t->cols[tcol[j]].name, name) == 0)
			return vals[j];
	return NULL;
}

bool refs_row(RefCheck *rc, const int *tcol, const char *const *vals, int ntarget, char *why, size_t n)
{
	for (int i = 0; rc && i < rc->n; i++) {
		const Ref *r = rc->ref[i];
		const char *v = value_of(rc, tcol, vals, ntarget, r->column);
		if (!v)
			continue; /* names nothing rather than something wrong: run and check --db name the row */
		sqlite3_stmt *st = rc->exists[i];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
		int found = sqlite3_step(st);
		sqlite3_reset(st);
		if (found != SQLITE_ROW) {
			snprintf(why, n, "column %s: '%.100s' is not in %s (import %s first, or fix the mapping)", r->column, v,
				 r->target, r->target);
			return false;
		}
	}
	return true;
}

long long refs_scan(sqlite3 *db, RefVisit visit, void *ctx, char *err, size_t n)
{
	long long bad = 0;
	for (int i = 0; i < NREFS; i++) {
		const Ref *r = &refs[i];
		const TableDef *t = schema_table(r->table);
		char either[96] = "";
		if (r->either)
			snprintf(either, sizeof either, " AND r.\"%s\" IS NULL", r->either);
		char sql[512];
		snprintf(sql, sizeof sql,
			 "SELECT %s%s%s, r.\"%s\" FROM \"%s\" r WHERE (r.\"%s\" IS NULL%s)"
			 " OR (r.\"%s\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"%s\" x WHERE x.id = r.\"%s\")) ORDER BY r.rowid",
			 t && t->id ? "r.\"" : "r.rowid", t && t->id ? t->id : "", t && t->id ? "\"" : "", r->column, r->table,
			 r->column, either, r->column, r->target, r->column);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			snprintf(err, n, "%s", sqlite3_errmsg(db));
			return -1;
		}
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			const char *v = (const char *)sqlite3_column_text(st, 1);
			char why[320];
			if (!v && r->either)
				snprintf(why, sizeof why, "names neither its SOW (%s) nor its project (%s)", r->either, r->column);
			else if (!v)
				snprintf(why, sizeof why, "has no %s: it names no row of %s", r->column, r->target);
			else
				snprintf(why, sizeof why, "names %s '%.100s', which is not in %s", r->column, v, r->target);
			visit(ctx, r->table, id ? id : "(none)", why);
			bad++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			snprintf(err, n, "%s", sqlite3_errmsg(db));
			return -1;
		}
	}
	return bad;
}
