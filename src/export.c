/* export.c: the files of a run. `--report FILE.html` is the HTML pack
 * (report.c), `--report FILE.xlsx` the workbook (xlsx.c), `--output DIR` one
 * CSV per output table of the run (revenue.csv, billing.csv, ...). Each is
 * written to a temporary name in its own folder while the run's transaction
 * is open, and renamed into place once it has committed: a run that fails,
 * or a file that cannot be written, leaves nothing half-written behind. */
#include "export.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "format.h"
#include "money.h"
#include "report.h"
#include "schema.h"
#include "xlsx.h"

bool export_is_run_table(const TableDef *t)
{
	size_t n = strlen(t->name);
	bool history = n > 8 && strcmp(t->name + n - 8, "_history") == 0;
	return t->output && !history && schema_column(t, "run_id") >= 0;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcasecmp(s + a - b, tail) == 0;
}

/* dest's temporary name: ".NAME.tmp" in the same folder (rename is atomic
 * within a file system). */
static char *add(Exports *x, const char *dest)
{
	if (x->n == EXPORT_FILES)
		return NULL;
	snprintf(x->dest[x->n], sizeof x->dest[x->n], "%s", dest);
	const char *slash = strrchr(dest, '/');
	int dir = slash ? (int)(slash - dest + 1) : 0;
	snprintf(x->tmp[x->n], sizeof x->tmp[x->n], "%.*s.%s.tmp", dir, dest, dest + dir);
	return x->tmp[x->n++];
}

bool export_table_csv(sqlite3 *db, const TableDef *t, long long run_id, FILE *out)
{
	char sql[2048];
	size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	const char *headers[64];
	for (int c = 0; c < t->ncols && c < 64; c++) {
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\"", c ? ", " : "", t->cols[c].name);
		headers[c] = t->cols[c].name;
	}
	snprintf(sql + len, sizeof sql - len, " FROM \"%s\" WHERE run_id = ?1 ORDER BY rowid", t->name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, run_id);
	FTable *ft = format_begin(NULL, t->ncols, headers, NULL, FMT_CSV, out);
	int rc;
	int cur[64];
	for (int c = 0; c < t->ncols && c < 64; c++)
		cur[c] = t->cols[c].type == COL_MONEY ? schema_currency_column(t, t->cols[c].name) : -1;
	static_assert(DEC_BUFSZ <= 64, "an amount fits a cell buffer");
	char bufs[64][64];
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cells[64];
		for (int c = 0; c < t->ncols && c < 64; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			if (!v)
				cells[c] = "";
			else if (t->cols[c].type == COL_MONEY)
				cells[c] = money_text(v, cur[c] >= 0 ? (const char *)sqlite3_column_text(st, cur[c]) : NULL, bufs[c]);
			else if (t->cols[c].type == COL_HOURS)
				cells[c] = hours_text(v, bufs[c]);
			else
				cells[c] = v;
		}
		format_row(ft, cells);
	}
	format_end(ft);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

static bool write_csvs(sqlite3 *db, const RunCtx *R, const char *dir, Exports *x, char *err, size_t n)
{
	struct stat sb;
	if (stat(dir, &sb) != 0 && mkdir(dir, 0777) != 0) {
		snprintf(err, n, "cannot create %s: %s", dir, strerror(errno));
		return false;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, n, "--output %s is not a folder", dir);
		return false;
	}
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *t = &schema_tables[i];
		if (!export_is_run_table(t))
			continue;
		char dest[4096];
		snprintf(dest, sizeof dest, "%s/%s.csv", dir, t->name);
		const char *tmp = add(x, dest);
		FILE *f = tmp ? fopen(tmp, "w") : NULL;
		bool ok = f && export_table_csv(db, t, R->run_id, f);
		if (f && fclose(f) != 0)
			ok = false;
		if (!ok) {
			snprintf(err, n, "cannot write %s%s%s", dest, errno ? ": " : "", errno ? strerror(errno) : "");
			return false;
		}
	}
	return true;
}

bool export_write(sqlite3 *db, const RunCtx *R, const RunOptions *o, Exports *x, char *err, size_t n)
{
	x->n = 0;
	errno = 0;
	if (o->report) {
		const char *tmp = add(x, o->report);
		bool ok;
		if (ends_with(o->report, ".xlsx")) {
			ok = xlsx_write(db, R, o->as_of, o->dry_run, tmp, err, n);
		} else {
			FILE *f = fopen(tmp, "w");
			ok = f && report_html(db, R, o->as_of, o->dry_run, f);
			if (f && fclose(f) != 0)
				ok = false;
			if (!ok)
				snprintf(err, n, "cannot write %s%s%s", o->report, errno ? ": " : "", errno ? strerror(errno) : "");
		}
		if (!ok) {
			export_discard(x);
			return false;
		}
	}
	if (o->output_dir && !write_csvs(db, R, o->output_dir, x, err, n)) {
		export_discard(x);
		return false;
	}
	return true;
}

bool export_commit(Exports *x, char *err, size_t n)
{
	bool ok = true;
	for (int i = 0; i < x->n; i++)
		if (rename(x->tmp[i], x->dest[i]) != 0) {
			if (ok)
				snprintf(err, n, "cannot write %s: %s", x->dest[i], strerror(errno));
			remove(x->tmp[i]);
			ok = false;
		}
	x->n = 0;
	return ok;
}

void export_discard(Exports *x)
{
	for (int i = 0; i < x->n; i++)
		remove(x->tmp[i]);
	x->n = 0;
}
