/* sequence.c: gap-free numbers, per calendar year, drawn inside the
 * transaction that keeps them (LANGUAGE.md, "Numbered tables").
 *
 * A numbered table is an output table whose rows carry a number that must
 * never have a gap and never be used twice (invoice_drafts: Dutch and EU law
 * want invoices numbered consecutively). Rules cannot draw such numbers: a
 * number drawn while evaluating would be lost when the run fails, and the
 * rules cannot see which rows a re-run changed. So a rule emits a row with a
 * provisional key in the number column (unique within the run), and when the
 * run commits, sequence_commit gives each new row its number:
 *
 *   - a row equal, in every column but run_id, number, rule and status (and
 *     in its detail rows), to a row an earlier run of the same period wrote
 *     keeps that row's number: a draft replaces the earlier draft; a row
 *     already final (or sent) stands, and the new copy is dropped;
 *   - any other row draws the next number of its year (the year of its date
 *     column), formatted YYYY-NNNN;
 *   - an earlier run's draft that nothing replaced becomes void, keeping its
 *     number (a number is never reused).
 *
 * Detail rows (invoice_lines) name their row by the same number column; the
 * run's findings that name a row by its provisional key ("invoice_drafts:KEY")
 * are renamed too. Everything happens in the caller's transaction. */
#include "sequence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* The numbered tables of the schema. */
static const NumberedDef numbered[] = {
	{ "invoice_drafts", "invoice_lines", "invoice", "invoice_on" },
};

const NumberedDef *sequence_numbered(const char *table)
{
	for (size_t i = 0; i < sizeof numbered / sizeof *numbered; i++)
		if (strcmp(numbered[i].table, table) == 0)
			return &numbered[i];
	return NULL;
}

bool sequence_kept(const char *table)
{
	for (size_t i = 0; i < sizeof numbered / sizeof *numbered; i++)
		if (strcmp(numbered[i].table, table) == 0 || strcmp(numbered[i].detail, table) == 0)
			return true;
	return false;
}

static bool fail(sqlite3 *db, char *err)
{
	snprintf(err, SEQUENCE_ERRSZ, "%s", sqlite3_errmsg(db));
	return false;
}

static bool prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err)
{
	return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK || fail(db, err);
}

bool sequence_next(sqlite3 *db, const char *name, int year, char *out, size_t n, char *err)
{
	sqlite3_stmt *st;
	if (!prepare(db, "INSERT INTO sequences (name, year, last) VALUES (?1, ?2, 1) "
			 "ON CONFLICT (name, year) DO UPDATE SET last = last + 1 RETURNING last", &st, err))
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, year);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok)
		snprintf(out, n, "%04d-%04lld", year, (long long)sqlite3_column_int64(st, 0));
	else
		fail(db, err);
	sqlite3_finalize(st);
	return ok;
}

/* The earlier rows of a numbered table, and their detail rows, by rowid:
 * run ids may be reused by a re-run, rowids of kept rows are not. */
bool sequence_prepare(sqlite3 *db, const char *period, char *err)
{
	for (size_t i = 0; i < sizeof numbered / sizeof *numbered; i++) {
		const NumberedDef *d = &numbered[i];
		char sql[1024];
		snprintf(sql, sizeof sql,
			 "DROP TABLE IF EXISTS temp.\"prior_%s\"; DROP TABLE IF EXISTS temp.\"prior_%s\";"
			 "CREATE TEMP TABLE \"prior_%s\" (id INTEGER PRIMARY KEY);"
			 "CREATE TEMP TABLE \"prior_%s\" (id INTEGER PRIMARY KEY)",
			 d->table, d->detail, d->table, d->detail);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return fail(db, err);
		sqlite3_stmt *st;
		snprintf(sql, sizeof sql, "INSERT INTO temp.\"prior_%s\" SELECT rowid FROM \"%s\" WHERE run_id IN "
			 "(SELECT id FROM runs WHERE period = ?)", d->table, d->table);
		if (!prepare(db, sql, &st, err))
			return false;
		sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
		bool ok = sqlite3_step(st) == SQLITE_DONE || fail(db, err);
		sqlite3_finalize(st);
		if (!ok)
			return false;
		snprintf(sql, sizeof sql, "INSERT INTO temp.\"prior_%s\" SELECT x.rowid FROM \"%s\" x, \"%s\" m "
			 "WHERE m.rowid IN (SELECT id FROM temp.\"prior_%s\") AND x.number = m.number AND x.run_id IS m.run_id",
			 d->detail, d->detail, d->table, d->table);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return fail(db, err);
	}
	return true;
}

/* SQL text appended to buf at *len (truncation is caught by the caller's size). */
static void put(char *buf, size_t size, size_t *len, const char *fmt, const char *a)
{
	if (*len < size)
		*len += (size_t)snprintf(buf + *len, size - *len, fmt, a);
}

static bool compared(const char *col)
{
	return strcmp(col, "run_id") != 0 && strcmp(col, "number") != 0 && strcmp(col, "rule") != 0 &&
	       strcmp(col, "status") != 0;
}

/* The earlier row (of the period's earlier runs, not void) equal to new row
 * ?1 (a rowid) of run ?2, detail rows included: SELECT rowid, number, status. */
static bool match_sql(const NumberedDef *d, char *buf, size_t size)
{
	const TableDef *t = schema_table(d->table), *dt = schema_table(d->detail);
	size_t len = 0;
	put(buf, size, &len, "SELECT o.rowid, o.number, o.status FROM \"%s\" o, ", t->name);
	put(buf, size, &len, "\"%s\" n WHERE n.rowid = ?1 ", t->name);
	put(buf, size, &len, "AND o.rowid IN (SELECT id FROM temp.\"prior_%s\") AND o.status IS NOT 'void'", t->name);
	for (int c = 0; c < t->ncols; c++)
		if (compared(t->cols[c].name)) {
			put(buf, size, &len, " AND o.\"%s\"", t->cols[c].name);
			put(buf, size, &len, " IS n.\"%s\"", t->cols[c].name);
		}
	char cols[1024];
	size_t cl = 0;
	cols[0] = 0;
	for (int c = 0; c < dt->ncols; c++)
		if (compared(dt->cols[c].name))
			put(cols, sizeof cols, &cl, cl ? ", \"%s\"" : "\"%s\"", dt->cols[c].name);
	/* the same detail rows, as sets, both ways: the new row's (written by
	 * run ?2, not earlier ones) and the earlier row's */
	char newer[256], older[256];
	snprintf(newer, sizeof newer, "run_id = ?2 AND rowid NOT IN (SELECT id FROM temp.\"prior_%s\") AND number = n.number",
		 dt->name);
	snprintf(older, sizeof older, "rowid IN (SELECT id FROM temp.\"prior_%s\") AND number = o.number", dt->name);
	for (int k = 0; k < 2; k++) {
		put(buf, size, &len, " AND NOT EXISTS (SELECT %s", cols);
		put(buf, size, &len, " FROM \"%s\"", dt->name);
		put(buf, size, &len, " WHERE %s EXCEPT SELECT ", k ? older : newer);
		put(buf, size, &len, "%s", cols);
		put(buf, size, &len, " FROM \"%s\"", dt->name);
		put(buf, size, &len, " WHERE %s)", k ? newer : older);
	}
	put(buf, size, &len, "%s", " ORDER BY o.rowid LIMIT 1");
	return len < size;
}

/* Run one statement with text/int64 parameters given as "t" / "i" in types. */
static bool exec_args(sqlite3 *db, const char *sql, const char *types, const void *const *args, char *err)
{
	sqlite3_stmt *st;
	if (!prepare(db, sql, &st, err))
		return false;
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i')
			sqlite3_bind_int64(st, i + 1, *(const long long *)args[i]);
		else
			sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT);
	}
	bool ok = sqlite3_step(st) == SQLITE_DONE || fail(db, err);
	sqlite3_finalize(st);
	return ok;
}

static bool number_table(sqlite3 *db, long long run_id, const NumberedDef *d, SequenceStats *s, char *err)
{
	char sql[8192], buf[2048];
	/* provisional keys are unique within the run */
	sqlite3_stmt *st;
	snprintf(buf, sizeof buf, "SELECT number, count(*) FROM \"%s\" WHERE run_id = ? AND rowid NOT IN "
		 "(SELECT id FROM temp.\"prior_%s\") GROUP BY number HAVING count(*) > 1", d->table, d->table);
	if (!prepare(db, buf, &st, err))
		return false;
	sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		snprintf(err, SEQUENCE_ERRSZ, "%s: %lld rows have the provisional number '%.200s'; rules must give each row its own",
			 d->table, (long long)sqlite3_column_int64(st, 1), k ? k : "");
		sqlite3_finalize(st);
		return false;
	}
	sqlite3_finalize(st);
	if (!match_sql(d, sql, sizeof sql)) {
		snprintf(err, SEQUENCE_ERRSZ, "%s: too many columns to compare", d->table);
		return false;
	}
	sqlite3_stmt *match;
	if (!prepare(db, sql, &match, err))
		return false;
	/* (sorted first, so the updates below do not disturb the scan) */
	snprintf(buf, sizeof buf, "SELECT rowid, number, \"%s\" FROM \"%s\" WHERE run_id = ? AND rowid NOT IN "
		 "(SELECT id FROM temp.\"prior_%s\") ORDER BY \"%s\", number", d->date, d->table, d->table, d->date);
	if (!prepare(db, buf, &st, err)) {
		sqlite3_finalize(match);
		return false;
	}
	sqlite3_bind_int64(st, 1, run_id);
	bool ok = true;
	char upd_main[256], upd_detail[256], del_main[256], del_new[256], del_old[256], rename[256];
	snprintf(upd_main, sizeof upd_main, "UPDATE \"%s\" SET number = ?1 WHERE rowid = ?2", d->table);
	snprintf(upd_detail, sizeof upd_detail, "UPDATE \"%s\" SET number = ?1 WHERE run_id = ?2 AND number = ?3 AND rowid NOT IN "
		 "(SELECT id FROM temp.\"prior_%s\")", d->detail, d->detail);
	snprintf(del_main, sizeof del_main, "DELETE FROM \"%s\" WHERE rowid = ?1", d->table);
	snprintf(del_new, sizeof del_new, "DELETE FROM \"%s\" WHERE run_id = ?1 AND number = ?2 AND rowid NOT IN "
		 "(SELECT id FROM temp.\"prior_%s\")", d->detail, d->detail);
	snprintf(del_old, sizeof del_old, "DELETE FROM \"%s\" WHERE number = ?1 AND rowid IN (SELECT id FROM temp.\"prior_%s\")",
		 d->detail, d->detail);
	/* key -> number, for renaming the findings in one statement at the end */
	snprintf(rename, sizeof rename, "INSERT OR REPLACE INTO temp.numbered_keys (number, run_id, key) VALUES (?1, ?2, ?3)");
	if (sqlite3_exec(db, "DROP TABLE IF EXISTS temp.numbered_keys; CREATE TEMP TABLE numbered_keys "
			 "(key TEXT PRIMARY KEY, number TEXT, run_id INTEGER)", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		sqlite3_finalize(match);
		return fail(db, err);
	}
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		long long rowid = sqlite3_column_int64(st, 0);
		char key[256], number[64];
		const char *k = (const char *)sqlite3_column_text(st, 1), *day = (const char *)sqlite3_column_text(st, 2);
		snprintf(key, sizeof key, "%s", k ? k : "");
		if (!day || strlen(day) < 4) {
			snprintf(err, SEQUENCE_ERRSZ, "%s %.200s: %s is unset; a number counts in the year of it", d->table, key, d->date);
			ok = false;
			break;
		}
		sqlite3_reset(match);
		sqlite3_bind_int64(match, 1, rowid);
		sqlite3_bind_int64(match, 2, run_id);
		int rc = sqlite3_step(match);
		if (rc == SQLITE_ROW) {
			long long old = sqlite3_column_int64(match, 0);
			const char *num = (const char *)sqlite3_column_text(match, 1), *status = (const char *)sqlite3_column_text(match, 2);
			snprintf(number, sizeof number, "%s", num ? num : "");
			bool issued = !status || strcmp(status, "draft") != 0;
			/* a draft gives way to its identical successor; an issued row stands */
			long long gone = issued ? rowid : old;
			const void *a1[] = { &run_id, key }, *a1o[] = { number }, *a2[] = { &gone };
			ok = (issued ? exec_args(db, del_new, "it", a1, err) : exec_args(db, del_old, "t", a1o, err)) &&
			     exec_args(db, del_main, "i", a2, err);
			s->kept++;
			if (issued) {
				s->issued++;
				const void *a3[] = { number, &run_id, key };
				ok = ok && exec_args(db, rename, "tit", a3, err);
				continue;
			}
		} else if (rc == SQLITE_DONE) {
			ok = sequence_next(db, d->sequence, atoi(day), number, sizeof number, err);
			s->drawn++;
		} else {
			ok = fail(db, err);
			break;
		}
		const void *a4[] = { number, &rowid }, *a5[] = { number, &run_id, key }, *a6[] = { number, &run_id, key };
		ok = ok && exec_args(db, upd_main, "ti", a4, err) && exec_args(db, upd_detail, "tit", a5, err) &&
		     exec_args(db, rename, "tit", a6, err);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(match);
	if (!ok)
		return false;
	snprintf(buf, sizeof buf, "UPDATE findings SET subject = '%s:' || (SELECT number FROM temp.numbered_keys WHERE key = "
		 "substr(subject, %d)) WHERE run_id = ? AND substr(subject, %d) IN (SELECT key FROM temp.numbered_keys) "
		 "AND subject LIKE '%s:%%'", d->table, (int)strlen(d->table) + 2, (int)strlen(d->table) + 2, d->table);
	if (!prepare(db, buf, &st, err))
		return false;
	sqlite3_bind_int64(st, 1, run_id);
	ok = sqlite3_step(st) == SQLITE_DONE || fail(db, err);
	sqlite3_finalize(st);
	if (!ok || sqlite3_exec(db, "DROP TABLE temp.numbered_keys", NULL, NULL, NULL) != SQLITE_OK)
		return ok ? fail(db, err) : false;
	/* earlier drafts of the period that nothing replaced: void, with their number */
	snprintf(buf, sizeof buf, "UPDATE \"%s\" SET status = 'void' WHERE status = 'draft' AND rowid IN "
		 "(SELECT id FROM temp.\"prior_%s\")", d->table, d->table);
	if (!prepare(db, buf, &st, err))
		return false;
	ok = sqlite3_step(st) == SQLITE_DONE || fail(db, err);
	s->voided += sqlite3_changes(db);
	sqlite3_finalize(st);
	return ok;
}

bool sequence_commit(sqlite3 *db, long long run_id, SequenceStats *s, char *err)
{
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < sizeof numbered / sizeof *numbered; i++)
		if (!number_table(db, run_id, &numbered[i], s, err))
			return false;
	return true;
}
