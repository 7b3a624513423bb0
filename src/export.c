/* export.c: the files of a run. `--report FILE.html` is the HTML pack
 * (report.c), `--report FILE.xlsx` the workbook (xlsx.c), `--output DIR` one
 * CSV per output table of the run (revenue.csv, billing.csv, ...).
 *
 * They are as atomic as the database: the destinations are checked before
 * the run's transaction begins (a folder where a file goes, a file that is
 * the database, a folder holding files that are not a run's); the files are
 * written while it is open, to new names made with mkstemp / mkdtemp beside
 * their destinations (never a predictable name, never through a link); and
 * only once the run has committed, the pack is renamed into place and the
 * new CSV folder is exchanged with DIR in one rename (RENAME_EXCHANGE), so
 * DIR holds one run's files, never two runs' mixed. What an interrupted run
 * left (.NAME.sow-XXXXXX) is removed by the next run to the same place. */
#define _GNU_SOURCE /* renameat2 */
#include "export.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* path's folder ("." for a bare name) and last component, into dir and
 * base; false if the path does not fit. */
static bool split_path(const char *path, char *dir, char *base, size_t n)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t b = len;
	while (b > 0 && path[b - 1] != '/')
		b--;
	if (len - b + 1 > n || b + 2 > n)
		return false;
	snprintf(base, n, "%.*s", (int)(len - b), path + b);
	if (b == 0)
		snprintf(dir, n, ".");
	else
		snprintf(dir, n, "%.*s", b > 1 ? (int)(b - 1) : 1, path);
	return *base != 0;
}

/* The name of a new file or folder beside path: DIR/.BASE.sow-XXXXXX. */
static bool temp_name(const char *path, char *out, size_t n)
{
	char dir[4096], base[4096];
	return split_path(path, dir, base, sizeof dir) &&
	       (size_t)snprintf(out, n, "%s/.%s.sow-XXXXXX", dir, base) < n;
}

static mode_t file_mode(mode_t m)
{
	mode_t mask = umask(0);
	umask(mask);
	return m & ~mask;
}

/* A new file beside dest, made with O_EXCL (mkstemp), as a FILE; the entry
 * records it for commit or discard. */
static FILE *new_file(Exports *x, const char *dest)
{
	if (x->n == EXPORT_FILES || !temp_name(dest, x->tmp[x->n], sizeof x->tmp[x->n]))
		return NULL;
	int fd = mkstemp(x->tmp[x->n]);
	if (fd < 0)
		return NULL;
	fchmod(fd, file_mode(0666));
	snprintf(x->dest[x->n], sizeof x->dest[x->n], "%s", dest);
	x->folder[x->n++] = false;
	FILE *f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* Remove a folder this code made and the regular files in it (nothing
 * else: a link or a folder inside means it is not ours). */
static void remove_folder(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return;
	int fd = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(fd, e->d_name, 0);
	closedir(d);
	rmdir(path);
}

/* Is name a file a run writes into --output DIR (TABLE.csv)? */
static bool run_csv(const char *name)
{
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *t = &schema_tables[i];
		size_t k = strlen(t->name);
		if (export_is_run_table(t) && strncmp(name, t->name, k) == 0 && strcmp(name + k, ".csv") == 0)
			return true;
	}
	return false;
}

/* What an interrupted run left beside path (.BASE.sow-XXXXXX, a file or a
 * folder of CSVs) and, for a folder, inside it (.NAME.csv.tmp of older
 * versions): removed. */
static void clear_leftovers(const char *path, bool folder)
{
	char dir[4096], base[4096], prefix[4200];
	if (!split_path(path, dir, base, sizeof dir))
		return;
	snprintf(prefix, sizeof prefix, ".%s.sow-", base);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || strlen(e->d_name) != strlen(prefix) + 6)
			continue;
		struct stat sb;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		char p[8400];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (S_ISREG(sb.st_mode))
			unlink(p);
		else if (S_ISDIR(sb.st_mode))
			remove_folder(p);
	}
	if (d)
		closedir(d);
	if (!folder || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		size_t k = strlen(e->d_name);
		if (e->d_name[0] == '.' && k > 9 && strcmp(e->d_name + k - 8, ".csv.tmp") == 0) {
			char name[256];
			snprintf(name, sizeof name, "%.*s", (int)(k - 5), e->d_name + 1);
			if (run_csv(name))
				unlinkat(dirfd(d), e->d_name, 0);
		}
	}
	closedir(d);
}

static bool same_file(const struct stat *a, const struct stat *b) { return a->st_dev == b->st_dev && a->st_ino == b->st_ino; }

/* Is the folder of path writable (where its new name is made)? */
static bool folder_ok(const char *what, const char *path, struct stat *folder, char *err, size_t n)
{
	char dir[4096], base[4096];
	if (!split_path(path, dir, base, sizeof dir)) {
		snprintf(err, n, "%s %s: not a file name", what, path);
		return false;
	}
	if (stat(dir, folder) != 0 || !S_ISDIR(folder->st_mode)) {
		snprintf(err, n, "%s %s: no folder %s", what, path, dir);
		return false;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(err, n, "%s %s: cannot write in %s: %s", what, path, dir, strerror(errno));
		return false;
	}
	return true;
}

bool export_check(const RunOptions *o, char *err, size_t n)
{
	struct stat db, sb, rdir, odir;
	bool have_db = o->db_path && stat(o->db_path, &db) == 0;
	if (o->report) {
		if (!folder_ok("--report", o->report, &rdir, err, n))
			return false;
		if (lstat(o->report, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			snprintf(err, n, "--report %s is a folder; give the file to write (.html or .xlsx)", o->report);
			return false;
		}
		if (have_db && stat(o->report, &sb) == 0 && same_file(&sb, &db)) {
			snprintf(err, n, "--report %s is the database %s; give another file", o->report, o->db_path);
			return false;
		}
		clear_leftovers(o->report, false);
	}
	if (!o->output_dir)
		return true;
	if (!folder_ok("--output", o->output_dir, &odir, err, n))
		return false;
	if (lstat(o->output_dir, &sb) != 0) {
		clear_leftovers(o->output_dir, false);
		return true; /* made at commit */
	}
	if (S_ISLNK(sb.st_mode) || !S_ISDIR(sb.st_mode)) {
		snprintf(err, n, "--output %s is not a folder%s", o->output_dir, S_ISLNK(sb.st_mode) ? " (a link; give the folder itself)" : "");
		return false;
	}
	char dir[4096], base[4096];
	if (have_db && split_path(o->db_path, dir, base, sizeof dir) && stat(dir, &odir) == 0 && same_file(&odir, &sb)) {
		snprintf(err, n, "--output %s holds the database %s: a run replaces the whole folder; give another folder", o->output_dir,
			 o->db_path);
		return false;
	}
	if (o->report && split_path(o->report, dir, base, sizeof dir) && stat(dir, &rdir) == 0 && same_file(&rdir, &sb)) {
		snprintf(err, n, "--report %s is in --output %s, which a run replaces as a whole; put it elsewhere", o->report,
			 o->output_dir);
		return false;
	}
	clear_leftovers(o->output_dir, true);
	DIR *d = opendir(o->output_dir);
	if (!d) {
		snprintf(err, n, "--output %s: %s", o->output_dir, strerror(errno));
		return false;
	}
	struct dirent *e;
	bool ok = true;
	while (ok && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!run_csv(e->d_name) || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode)) {
			snprintf(err, n, "--output %s holds %s, which is not a file of a run: a run replaces the whole folder; give an "
					 "empty or new folder", o->output_dir, e->d_name);
			ok = false;
		}
	}
	closedir(d);
	return ok;
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

/* The CSVs into a new folder beside dir, swapped in at commit. */
static bool write_csvs(sqlite3 *db, const RunCtx *R, const char *dir, Exports *x, char *err, size_t n)
{
	if (x->n == EXPORT_FILES || !temp_name(dir, x->tmp[x->n], sizeof x->tmp[x->n]) || !mkdtemp(x->tmp[x->n])) {
		snprintf(err, n, "cannot create a folder beside %s: %s", dir, strerror(errno));
		return false;
	}
	const char *stage = x->tmp[x->n];
	snprintf(x->dest[x->n], sizeof x->dest[x->n], "%s", dir);
	x->folder[x->n++] = true;
	chmod(stage, file_mode(0777));
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *t = &schema_tables[i];
		if (!export_is_run_table(t))
			continue;
		char path[8400];
		snprintf(path, sizeof path, "%s/%s.csv", stage, t->name);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (fd >= 0 && !f)
			close(fd);
		bool ok = f && export_table_csv(db, t, R->run_id, f);
		if (f && fclose(f) != 0)
			ok = false;
		if (!ok) {
			snprintf(err, n, "cannot write %s/%s.csv%s%s", dir, t->name, errno ? ": " : "", errno ? strerror(errno) : "");
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
		FILE *f = new_file(x, o->report);
		const char *tmp = x->tmp[x->n - 1];
		bool ok;
		if (!f) {
			snprintf(err, n, "cannot create a file beside %s: %s", o->report, strerror(errno));
			ok = false;
		} else if (ends_with(o->report, ".xlsx")) {
			fclose(f); /* libxlsxwriter writes the file by its (new, unguessable) name */
			ok = xlsx_write(db, R, o->as_of, o->dry_run, tmp, err, n);
		} else {
			ok = report_html(db, R, o->as_of, o->dry_run, f);
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

/* Put the new folder stage in dir's place: a plain rename if dir is
 * absent (or empty), else one exchange of the two, then the old one, now at
 * stage, is removed. Without RENAME_EXCHANGE (some file systems), dir is
 * moved aside first: for a moment there is no dir, never a mixed one. */
static bool swap_in(const char *stage, const char *dir)
{
	if (rename(stage, dir) == 0)
		return true;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return false;
	if (renameat2(AT_FDCWD, stage, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
		remove_folder(stage);
		return true;
	}
	char old[4200];
	if (!temp_name(dir, old, sizeof old) || !mkdtemp(old))
		return false;
	if (rename(dir, old) != 0) {
		rmdir(old);
		return false;
	}
	if (rename(stage, dir) != 0) {
		int e = errno;
		rename(old, dir);
		errno = e;
		return false;
	}
	remove_folder(old);
	return true;
}

bool export_commit(Exports *x, char *err, size_t n)
{
	bool ok = true;
	for (int i = 0; i < x->n; i++) {
		bool done = x->folder[i] ? swap_in(x->tmp[i], x->dest[i]) : rename(x->tmp[i], x->dest[i]) == 0;
		if (!done) {
			if (ok)
				snprintf(err, n, "cannot write %s: %s", x->dest[i], strerror(errno));
			ok = false;
		}
	}
	export_discard(x);
	return ok;
}

void export_discard(Exports *x)
{
	for (int i = 0; i < x->n; i++)
		if (x->folder[i])
			remove_folder(x->tmp[i]);
		else
			remove(x->tmp[i]);
	x->n = 0;
}
