/* period.c: periods are closed in order, and reopened only with a reason
 * (SPEC 8.1).
 *
 * `sow close --period P` closes P and every earlier month: a month is closed
 * when it is on or before the latest closed period, whether or not it was
 * ever run, so a row recognized then and released later is `late`. Close
 * also writes a `periods` row for each month since the first run that was
 * still open, so that reopening P opens P alone.
 *
 * Runs go forward one month at a time: after the first run of a database, a
 * run for P needs a run of the month before (or of P itself: a re-run), or
 * the caller's --skip-gap, and then it is told which months it leaves out.
 *
 * Nothing a run wrote is ever deleted: when a period is re-run or reopened,
 * its runs are marked `superseded` and their rows move into the *_history
 * table of each output table (same columns). Every close and reopen goes
 * into period_events with $USER and the time. A refusal or a database
 * error is reported through the caller's diagnostics; the command
 * (runcmd.c) prints what was done and picks the exit status. */
#include "period.h"

#include <pwd.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "schema.h"
#include "store.h"

/* The first column of the first row of sql (one text parameter, or none)
 * into buf; "" when there is no row or it is NULL. False on an error. */
static bool one_text(sqlite3 *db, const char *sql, const char *arg, char *buf, size_t n)
{
	sqlite3_stmt *st;
	*buf = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Run sql with up to three text parameters (NULL binds NULL). */
static bool step(sqlite3 *db, const char *sql, const char *a, const char *b, const char *c)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	const char *args[] = { a, b, c };
	for (int i = 0; i < 3 && i < sqlite3_bind_parameter_count(st); i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* The month k months after month ("2026-11"), into out. */
static void month_add(const char *month, int k, char *out)
{
	int y, m;
	Date d;
	if (!date_parse_month(month, strlen(month), &y, &m) || !date_add_months(date_from_ymd(y, m, 1), k, &d)) {
		snprintf(out, DATE_MONTH_BUFSZ, "%s", month);
		return;
	}
	date_fmt_month(d, out);
}

bool period_closed_through(sqlite3 *db, char *buf)
{
	return one_text(db, "SELECT max(period) FROM periods", NULL, buf, DATE_MONTH_BUFSZ);
}

static bool has_run(sqlite3 *db, const char *period, bool current)
{
	char n[24];
	one_text(db, current ? "SELECT count(*) FROM runs WHERE period = ? AND status = 'ok'"
			     : "SELECT count(*) FROM runs WHERE period = ?",
		 period, n, sizeof n);
	return atoll(n) > 0;
}

/* Append month (or "a to b") to a comma-separated list. */
static void list_add(char *list, size_t n, const char *a, const char *b)
{
	size_t len = strlen(list);
	if (strcmp(a, b) == 0)
		snprintf(list + len, n - len, "%s%s", len ? ", " : "", a);
	else
		snprintf(list + len, n - len, "%s%s to %s", len ? ", " : "", a, b);
}

int period_may_run(sqlite3 *db, const char *period, bool skip_gap, char *skipped, size_t sn, char *msg, size_t mn)
{
	char through[DATE_MONTH_BUFSZ], later[DATE_MONTH_BUFSZ], first[DATE_MONTH_BUFSZ];
	*skipped = 0;
	if (!period_closed_through(db, through) ||
	    !one_text(db, "SELECT min(period) FROM runs WHERE period > ? AND status = 'ok'", period, later, sizeof later) ||
	    !one_text(db, "SELECT min(period) FROM runs", NULL, first, sizeof first)) {
		snprintf(msg, mn, "%s", sqlite3_errmsg(db));
		return 3;
	}
	if (*through && strcmp(period, through) <= 0) {
		if (strcmp(period, through) == 0)
			snprintf(msg, mn, "period %s is closed; its results are the record and are not rewritten", period);
		else
			snprintf(msg, mn, "period %s is closed (every period through %s is); its results are the record and are not rewritten",
				 period, through);
		return 1;
	}
	if (*later) {
		snprintf(msg, mn, "a later period than %s already has results (%s); runs go forward in time", period, later);
		return 1;
	}
	/* the first run of a database may be for any month; a re-run of P
	 * already accepted its place in the sequence */
	if (!*first || has_run(db, period, false))
		return 0;
	char prev[DATE_MONTH_BUFSZ];
	month_add(period, -1, prev);
	if (has_run(db, prev, true) || (*through && strcmp(prev, through) <= 0))
		return 0;
	/* the months with no current run, from the first run's on, before P */
	char gap[512] = "", from[DATE_MONTH_BUFSZ] = "", m[DATE_MONTH_BUFSZ], last[DATE_MONTH_BUFSZ] = "";
	snprintf(m, sizeof m, "%s", strcmp(first, *through ? through : first) < 0 ? through : first);
	for (int guard = 0; strcmp(m, period) < 0 && guard < 1200; guard++) {
		bool open = !has_run(db, m, true) && !(*through && strcmp(m, through) <= 0);
		if (open && !*from)
			snprintf(from, sizeof from, "%s", m);
		if (open)
			snprintf(last, sizeof last, "%s", m);
		if (!open && *from) {
			list_add(gap, sizeof gap, from, last);
			*from = 0;
		}
		month_add(m, 1, m);
	}
	if (*from)
		list_add(gap, sizeof gap, from, last);
	if (!*gap)
		snprintf(gap, sizeof gap, "%s", prev);
	if (!skip_gap) {
		snprintf(msg, mn, "%s has no run, so a run for %s would release its rows in %s unnoticed; "
			 "run %s first, or give --skip-gap to skip %s", prev, period, period, prev, gap);
		return 1;
	}
	snprintf(skipped, sn, "%s", gap);
	return 0;
}

bool period_supersede(sqlite3 *db, const char *period, const char **err)
{
	char sql[4096];
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *h = &schema_tables[i];
		size_t n = strlen(h->name);
		if (h->output != 2 || n <= 8 || strcmp(h->name + n - 8, "_history") != 0)
			continue;
		char base[64];
		snprintf(base, sizeof base, "%.*s", (int)(n - 8), h->name);
		const TableDef *t = schema_table(base);
		if (!t)
			continue;
		/* the base table's columns, by name: the history has the same */
		char cols[2048] = "";
		size_t len = 0;
		for (int c = 0; c < t->ncols && len < sizeof cols; c++)
			len += (size_t)snprintf(cols + len, sizeof cols - len, "%s\"%s\"", c ? ", " : "", t->cols[c].name);
		snprintf(sql, sizeof sql,
			 "INSERT INTO %s (%s) SELECT %s FROM %s WHERE run_id IN "
			 "(SELECT id FROM runs WHERE period = ?1 AND status <> 'superseded');"
			 , h->name, cols, cols, base);
		if (!step(db, sql, period, NULL, NULL))
			goto fail;
		snprintf(sql, sizeof sql,
			 "DELETE FROM %s WHERE run_id IN (SELECT id FROM runs WHERE period = ?1 AND status <> 'superseded')", base);
		if (!step(db, sql, period, NULL, NULL))
			goto fail;
	}
	if (step(db, "UPDATE runs SET status = 'superseded' WHERE period = ? AND status <> 'superseded'", period, NULL, NULL))
		return true;
fail:
	*err = sqlite3_errmsg(db);
	return false;
}

static bool event(sqlite3 *db, const char *period, const char *action, const char *reason)
{
	char at[32];
	date_timestamp_utc(at, sizeof at);
	/* $USER, else the account's name (cron and containers often leave it unset) */
	const char *user = getenv("USER");
	struct passwd *pw = user && *user ? NULL : getpwuid(getuid());
	if (pw)
		user = pw->pw_name;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO period_events (period, action, reason, \"by\", at) VALUES (?, ?, ?, ?, ?)", -1,
			       &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, user && *user ? user : "unknown", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

/* Open db for writing inside BEGIN IMMEDIATE, or report why not. */
static sqlite3 *begin(const char *db_path, Diag *D)
{
	char err[512];
	sqlite3 *db = store_open(db_path, STORE_WRITE, err, sizeof err);
	if (!db) {
		diag_plain(D, DIAG_ERROR, "%s", err);
		return NULL;
	}
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		const char *why = sqlite3_errmsg(db);
		diag_plain(D, DIAG_ERROR, "%s: %s", db_path, strstr(why, "locked") ? "database is locked by another process" : why);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

typedef enum { DONE, REFUSED, DBERROR } Outcome;

/* Commit what is DONE, else roll back (a DBERROR is reported here, a
 * refusal was); true when done. */
static bool finish(sqlite3 *db, const char *db_path, Outcome rc, Diag *D, bool *refused)
{
	if (rc == DONE && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = DBERROR;
	if (rc == DBERROR)
		diag_plain(D, DIAG_ERROR, "%s: %s", db_path, sqlite3_errmsg(db));
	if (rc != DONE)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	*refused = rc == REFUSED;
	return rc == DONE;
}

bool period_close(const char *db_path, const char *period, const char *reason, Diag *D, char *done, size_t n, bool *refused)
{
	*refused = false;
	sqlite3 *db = begin(db_path, D);
	if (!db)
		return false;
	char through[DATE_MONTH_BUFSZ], first[DATE_MONTH_BUFSZ];
	if (!period_closed_through(db, through) || !one_text(db, "SELECT min(period) FROM runs", NULL, first, sizeof first))
		return finish(db, db_path, DBERROR, D, refused);
	if (*through && strcmp(period, through) <= 0) {
		if (strcmp(period, through) == 0)
			diag_plain(D, DIAG_ERROR, "period %s is already closed", period);
		else
			diag_plain(D, DIAG_ERROR, "period %s is already closed (every period through %s is)", period, through);
		return finish(db, db_path, REFUSED, D, refused);
	}
	if (!has_run(db, period, true)) {
		diag_plain(D, DIAG_ERROR, "period %s has no run to close (run: sow run --db %s --period %s RULES)", period, db_path,
			   period);
		return finish(db, db_path, REFUSED, D, refused);
	}
	/* every month since the first run (or the last close) that is still
	 * open closes with P */
	char m[DATE_MONTH_BUFSZ], now[32], also[512] = "", from[DATE_MONTH_BUFSZ] = "", last[DATE_MONTH_BUFSZ] = "";
	date_timestamp_utc(now, sizeof now);
	if (*through)
		month_add(through, 1, m);
	else
		snprintf(m, sizeof m, "%s", *first && strcmp(first, period) < 0 ? first : period);
	for (int guard = 0; strcmp(m, period) <= 0 && guard < 1200; guard++) {
		if (!step(db, "INSERT OR IGNORE INTO periods (period, closed_at) VALUES (?, ?)", m, now, NULL))
			return finish(db, db_path, DBERROR, D, refused);
		if (strcmp(m, period) != 0) {
			if (!*from)
				snprintf(from, sizeof from, "%s", m);
			snprintf(last, sizeof last, "%s", m);
		}
		month_add(m, 1, m);
	}
	if (*from)
		list_add(also, sizeof also, from, last);
	if (!event(db, period, "close", reason))
		return finish(db, db_path, DBERROR, D, refused);
	snprintf(done, n, "closed %s%s%s%s", period, *also ? " and every earlier period (" : "", also,
		 *also ? (strcmp(from, last) == 0 ? " was still open)" : " were still open)") : "");
	return finish(db, db_path, DONE, D, refused);
}

bool period_reopen(const char *db_path, const char *period, const char *reason, Diag *D, char *done, size_t n, bool *refused)
{
	*refused = false;
	sqlite3 *db = begin(db_path, D);
	if (!db)
		return false;
	char through[DATE_MONTH_BUFSZ], later[DATE_MONTH_BUFSZ], runs[512];
	if (!period_closed_through(db, through) ||
	    !one_text(db, "SELECT min(period) FROM runs WHERE period > ? AND status = 'ok'", period, later, sizeof later) ||
	    !one_text(db, "SELECT group_concat(id, ', ') FROM (SELECT id FROM runs WHERE period = ? AND status = 'ok' ORDER BY id)",
		      period, runs, sizeof runs))
		return finish(db, db_path, DBERROR, D, refused);
	if (!*through || strcmp(period, through) > 0) {
		diag_plain(D, DIAG_ERROR, "period %s is not closed%s%s", period, *through ? "; the latest closed period is " : "",
			   through);
		return finish(db, db_path, REFUSED, D, refused);
	}
	if (strcmp(period, through) != 0) {
		diag_plain(D, DIAG_ERROR, "%s is not the latest closed period; periods reopen in order, latest first (reopen %s first)",
			   period, through);
		return finish(db, db_path, REFUSED, D, refused);
	}
	if (*later) {
		diag_plain(D, DIAG_ERROR, "a later period (%s) has results; reopening %s would release its rows twice", later, period);
		return finish(db, db_path, REFUSED, D, refused);
	}
	const char *why;
	if (!step(db, "DELETE FROM periods WHERE period = ?", period, NULL, NULL) || !period_supersede(db, period, &why) ||
	    !event(db, period, "reopen", reason))
		return finish(db, db_path, DBERROR, D, refused);
	if (*runs)
		snprintf(done, n, "reopened %s: run %s superseded (its rows are kept in the *_history tables)", period, runs);
	else
		snprintf(done, n, "reopened %s", period);
	return finish(db, db_path, DONE, D, refused);
}
