/* store.c: SQLite access shared by every command: open with a busy timeout,
 * refuse what is not a sow database (or a newer or older one), create the
 * schema or upgrade an older one in place.
 *
 * The upgrade is the schema itself applied to what is there: every table the
 * schema lists that the database lacks is created, every column a table
 * lacks is added (ALTER TABLE ... ADD COLUMN: existing rows get NULL), and
 * the schema's views are rebuilt. It runs in one transaction and sets
 * PRAGMA user_version last, so a crash at any point leaves the old version
 * whole (SQLite rolls the journal back at the next open). */
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "schema.h"

#define BUSY_MS 5000

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

sqlite3 *store_open(const char *path, StoreMode mode, char *err, size_t n)
{
	struct stat sb;
	if (mode != STORE_CREATE && stat(path, &sb) != 0) {
		snprintf(err, n, "%s: no such database (create it with: sow init %s)", path, path);
		return NULL;
	}
	int flags = mode == STORE_READ ? SQLITE_OPEN_READONLY
		  : mode == STORE_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	/* sow is single threaded: no mutex around every SQLite call */
	flags |= SQLITE_OPEN_NOMUTEX;
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, n, "%s: cannot open database: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_MS);
	int v = 0;
	rc = user_version(db, &v);
	if (rc == SQLITE_READONLY && mode == STORE_READ && sqlite3_extended_errcode(db) == SQLITE_READONLY_ROLLBACK) {
		/* A run was interrupted (Ctrl-C, kill -9, power): its journal is
		 * hot and a read-only handle cannot roll it back. One read-write
		 * open does, restoring the database as it was before that run. */
		sqlite3_close(db);
		db = NULL;
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
			sqlite3_busy_timeout(db, BUSY_MS);
			rc = user_version(db, &v);
		}
		sqlite3_close(db);
		db = NULL;
		if (rc != SQLITE_OK || sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
			snprintf(err, n, "%s: an interrupted run left %s-journal, which rolls the database back to before that run "
				 "once it is opened with write access (here: %s); as a user who may write the database and its folder, run: "
				 "sqlite3 %s 'PRAGMA user_version'", path, path, sqlite3_errstr(rc), path);
			sqlite3_close(db);
			return NULL;
		}
		sqlite3_busy_timeout(db, BUSY_MS);
		rc = user_version(db, &v);
	}
	if (rc != SQLITE_OK) {
		snprintf(err, n, "%s: %s", path,
			 rc == SQLITE_NOTADB ? "not a database (or corrupt)" :
			 rc == SQLITE_BUSY ? "database is locked by another process" : sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	if (v > SCHEMA_VERSION) {
		snprintf(err, n, "%s: schema version %d is newer than this sow knows (%d); upgrade sow", path, v, SCHEMA_VERSION);
		sqlite3_close(db);
		return NULL;
	}
	if (mode != STORE_CREATE && v == 0) {
		snprintf(err, n, "%s: not a sow database (run: sow init %s)", path, path);
		sqlite3_close(db);
		return NULL;
	}
	if (mode != STORE_CREATE && v < SCHEMA_VERSION) {
		snprintf(err, n, "%s: schema version %d is older than this sow's (%d); upgrade it in place with: sow init %s",
			 path, v, SCHEMA_VERSION, path);
		sqlite3_close(db);
		return NULL;
	}
	/* A batch reads one big table in order and writes hundreds of
	 * thousands of result rows into indexed tables (and, for a dry run,
	 * into TEMP copies). A page cache above the 2 MB default holds the upper
	 * levels of the result indexes. Measured once, T&M book at SF1 on the
	 * shared machine, 2 -> 16 MB: full run 328 s -> 219 s wall, CPU 131 s ->
	 * 148 s, system time (page reads) unchanged at 32 s: the result indexes
	 * outgrow any cache that fits the memory target, so this is a modest
	 * setting, not a cure. It is 8 MB, not 16: SQLite gives every sort
	 * (the totals' and the summary's ORDER BY over the run's lines) as much
	 * memory as the page cache, so the cache counts twice in the peak.
	 * Measured, T&M book at SF0.3, 16 -> 8 MB: dry run 52.7 -> 36.2 MB peak,
	 * 31.6 s -> 23.1 s; full run 53.0 -> 36.3 MB, 21.7-26.3 s both (SF1 dry
	 * run at 16 MB: 71.0 MB). No mmap and temp_store stays FILE: mapped
	 * pages and in-memory temp tables count as resident memory and grow
	 * with the database and the results. */
	sqlite3_exec(db, "PRAGMA cache_size = -8192; PRAGMA temp_store = FILE", NULL, NULL, NULL);
	/* Rules may not write: the read-only handle enforces it for queries. */
	return db;
}

/* Does table t of the database have column col? */
static int has_column(sqlite3 *db, const char *t, const char *col, bool *yes)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Add the columns of table t that an older database lacks. */
static int add_columns(sqlite3 *db, const TableDef *t, char **msg)
{
	for (int c = 0; c < t->ncols; c++) {
		bool yes;
		int rc = has_column(db, t->name, t->cols[c].name, &yes);
		if (rc != SQLITE_OK)
			return rc;
		if (yes)
			continue;
		char sql[512];
		snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" ADD COLUMN %s", t->name, t->cols[c].sql);
		if ((rc = sqlite3_exec(db, sql, NULL, NULL, msg)) != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

/* Drop the views the schema defines, so that schema_index_sql creates them
 * as this version writes them (a view holds no rows). Other views stay. */
static int drop_schema_views(sqlite3 *db, char **msg)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'view'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	char names[64][128];
	int k = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < 64) {
		char pat[160];
		const char *v = (const char *)sqlite3_column_text(st, 0);
		snprintf(pat, sizeof pat, "VIEW IF NOT EXISTS %s AS", v ? v : "");
		if (v && strstr(schema_index_sql, pat))
			snprintf(names[k++], sizeof names[0], "%s", v);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return rc;
	for (int i = 0; i < k; i++) {
		char sql[sizeof names[0] + 16];
		snprintf(sql, sizeof sql, "DROP VIEW \"%.127s\"", names[i]);
		if ((rc = sqlite3_exec(db, sql, NULL, NULL, msg)) != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

bool store_init(sqlite3 *db, char *err, size_t n)
{
	char *msg = NULL;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	for (int i = 0; i < schema_ntables; i++) {
		char sql[2048];
		schema_table_sql(&schema_tables[i], sql, sizeof sql);
		if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK || add_columns(db, &schema_tables[i], &msg) != SQLITE_OK)
			goto fail;
	}
	if (drop_schema_views(db, &msg) != SQLITE_OK || sqlite3_exec(db, schema_index_sql, NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK || sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	return true;
fail:
	snprintf(err, n, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return false;
}

bool store_change_counter(sqlite3 *db, unsigned long long *counter)
{
	/* through SQLite's own file handle: opening the file a second time
	 * and closing it would drop the locks SQLite holds (POSIX locks) */
	sqlite3_file *f = NULL;
	unsigned char h[100];
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods ||
	    f->pMethods->xRead(f, h, sizeof h, 0) != SQLITE_OK)
		return false;
	if (memcmp(h, "SQLite format 3", 16) != 0 || h[18] != 1 || h[19] != 1)
		return false; /* 2: WAL */
	*counter = (unsigned long long)h[24] << 24 | (unsigned long long)h[25] << 16 | (unsigned long long)h[26] << 8 | h[27];
	return true;
}

bool store_released_before(sqlite3 *db, const char *source, const char *id, const char *month, bool *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM revenue WHERE source = ?1 AND source_id = ?2 AND period < ?3", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, month, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

StoreRead store_holidays(sqlite3 *db, const char *calendar, Calendar *c, long long *bad_row, char *bad_day, size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT day, rowid FROM holidays WHERE calendar = ?", -1, &st, NULL) != SQLITE_OK)
		return STORE_READ_DB;
	sqlite3_bind_text(st, 1, calendar, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		Date h;
		if (!t || !date_parse(t, (size_t)sqlite3_column_bytes(st, 0), &h)) {
			*bad_row = sqlite3_column_int64(st, 1);
			snprintf(bad_day, n, "%s", t ? t : "NULL");
			sqlite3_finalize(st);
			return STORE_READ_BAD;
		}
		cal_add_holiday(c, h);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_READ_OK : STORE_READ_DB;
}

bool store_status_history(sqlite3 *db, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(db, "SELECT status, changed_on FROM status_history WHERE project_id = ?1 "
				      "ORDER BY changed_on, rowid", -1, st, NULL) == SQLITE_OK;
}
