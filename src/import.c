/* import.c: RFC 4180 CSV into a standard table, all or nothing.
 *
 * The header names the columns (any order, any subset of the table's), or a
 * mapping (importmap.c) says which header feeds which column and how its
 * values translate. Each value is checked before it is stored (validate.c:
 * types and enumerated columns); an empty field is NULL. Every bad record of
 * the file is reported in one pass (the first 50, then a count) and then
 * nothing is written. Keys are checked here too, so a clash names both rows.
 * Fields are quoted with ", may hold commas, doubled quotes and newlines; a
 * UTF-8 BOM and CRLF line ends are accepted. Line numbers in messages are
 * physical lines. */
#include "import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "diag.h"
#include "importmap.h"
#include "refs.h"
#include "schema.h"
#include "validate.h"

typedef struct {
	FILE *f;
	long line;        /* physical line of the next byte */
	long err_line;    /* where a malformed field went wrong */
	char *buf;        /* current field */
	size_t len, cap;
} Csv;

static void put(Csv *c, int ch)
{
	if (c->len + 1 >= c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		char *nb = realloc(c->buf, c->cap);
		if (!nb) {
			fputs("sow: out of memory\n", stderr);
			abort();
		}
		c->buf = nb;
	}
	c->buf[c->len++] = (char)ch;
	c->buf[c->len] = 0;
}

/* Read one field. Returns 1 field then more on this record, 2 field ends the
 * record, 0 end of file before any field, -1 malformed (msg set). */
static int field(Csv *c, const char **msg, bool *quoted)
{
	c->len = 0;
	if (c->buf)
		c->buf[0] = 0;
	*quoted = false;
	c->err_line = c->line;
	int ch = getc(c->f);
	if (ch == EOF)
		return 0;
	if (ch == '"') {
		*quoted = true;
		for (;;) {
			ch = getc(c->f);
			if (ch == EOF) {
				/* reported on the line the field opened, not at the end */
				*msg = "a quoted field that starts on this line is not closed before the end of the file";
				return -1;
			}
			if (ch == '\n')
				c->line++;
			if (ch == '"') {
				int next = getc(c->f);
				if (next == '"') {
					put(c, '"');
					continue;
				}
				ch = next;
				break;
			}
			put(c, ch);
		}
		if (ch == '\r')
			ch = getc(c->f);
		if (ch == ',')
			return 1;
		if (ch == '\n') {
			c->line++;
			return 2;
		}
		if (ch == EOF)
			return 2;
		c->err_line = c->line;
		*msg = "text after the closing quote of a field";
		return -1;
	}
	for (;; ch = getc(c->f)) {
		if (ch == ',')
			return 1;
		if (ch == '\n') {
			c->line++;
			return 2;
		}
		if (ch == EOF)
			return 2;
		if (ch == '\r') {
			int next = getc(c->f);
			if (next == '\n') {
				c->line++;
				return 2;
			}
			if (next == EOF) /* a CRLF cut short at the end of the file */
				return 2;
			ungetc(next, c->f);
		}
		if (ch == '"') {
			c->err_line = c->line;
			*msg = "a quote inside an unquoted field (quote the whole field)";
			return -1;
		}
		put(c, ch);
	}
}

/* One record's fields, each NUL-terminated in text. */
typedef struct {
	char *text;
	size_t len, cap;
	size_t *off, *flen;
	int n, capf;
	int bad_field;        /* the first field with a NUL or bytes that are not
	                       * UTF-8 (text_check), or -1 */
	long bad_line;        /* ... the line where that byte is */
	bool bad_nul;         /* ... and whether it is a NUL */
} Rec;

static void *grow(void *p, size_t size)
{
	void *np = realloc(p, size);
	if (!np) {
		fputs("sow: out of memory\n", stderr);
		abort();
	}
	return np;
}

static void rec_add(Rec *r, const char *s, size_t n)
{
	if (r->n == r->capf) {
		r->capf = r->capf ? r->capf * 2 : 16;
		r->off = grow(r->off, (size_t)r->capf * sizeof *r->off);
		r->flen = grow(r->flen, (size_t)r->capf * sizeof *r->flen);
	}
	if (r->len + n + 1 > r->cap) {
		while (r->len + n + 1 > r->cap)
			r->cap = r->cap ? r->cap * 2 : 256;
		r->text = grow(r->text, r->cap);
	}
	memcpy(r->text + r->len, s, n);
	r->text[r->len + n] = 0;
	r->off[r->n] = r->len;
	r->flen[r->n++] = n;
	r->len += n + 1;
}

static const char *rec_field(const Rec *r, int i) { return r->text + r->off[i]; }

/* Read one record. Returns 1 a record, 2 a blank line, 0 end of file,
 * -1 malformed (msg set); *start is its first physical line. */
static int record(Csv *c, Rec *r, const char **msg, long *start)
{
	bool quoted;
	r->n = 0;
	r->len = 0;
	r->bad_field = -1;
	*start = c->line;
	for (int more = 1; more == 1;) {
		more = field(c, msg, &quoted);
		if (more < 0)
			return -1;
		/* the end of the file right after a comma: an empty last field
		 * (RFC 4180 allows the last record without a line end) */
		if (more == 0 && r->n)
			rec_add(r, "", 0);
		if (more == 0)
			return r->n ? 1 : 0;
		if (r->n == 0 && more == 2 && c->len == 0 && !quoted)
			return 2;
		/* a NUL would cut the value ("7<NUL>.5" stored as 7); bytes that
		 * are not UTF-8 would be stored raw: the record is read to its end
		 * (its boundaries hold) and refused by the caller */
		size_t bad = c->buf ? text_check(c->buf, c->len) : 0;
		if (bad < c->len && r->bad_field < 0) {
			r->bad_field = r->n;
			r->bad_nul = c->buf[bad] == 0;
			r->bad_line = c->err_line;
			for (size_t i = 0; i < bad; i++)
				r->bad_line += c->buf[i] == '\n';
		}
		rec_add(r, c->buf ? c->buf : "", c->len);
	}
	return 1;
}

/* What is wrong with the record's bytes (the caller names the place). */
static const char *bad_bytes(const Rec *r)
{
	return r->bad_nul ? "a NUL byte (the file is binary or damaged)" : "bytes that are not UTF-8 (save the export as UTF-8)";
}

/* Mapping snippets that would translate the values refused, per column. */
typedef struct {
	int col;
	HintKind kind;
	char text[160];
} Hint;

typedef struct {
	const char *path;
	FILE *err;
	long long bad;        /* records refused */
	int shown;            /* messages printed */
	Hint hints[24];
	int nhints;
	int cur_bad;          /* this record already counted */
} Report;

#define MAX_SHOWN 50

static void refuse(Report *R, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(Report *R, long line, const char *fmt, ...)
{
	if (!R->cur_bad) {
		R->bad++;
		R->cur_bad = 1;
	}
	if (R->shown++ >= MAX_SHOWN)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(R->err, "%s:%ld: error: ", R->path, line);
	vfprintf(R->err, fmt, ap);
	fputc('\n', R->err);
	va_end(ap);
}

static void remember_hint(Report *R, int col, const Invalid *w)
{
	if (w->hint_kind == HINT_NONE)
		return;
	for (int i = 0; i < R->nhints; i++)
		if (R->hints[i].kind == w->hint_kind && (w->hint_kind == HINT_NUMBER || R->hints[i].col == col) &&
		    strcmp(R->hints[i].text, w->hint) == 0)
			return;
	if (R->nhints == (int)(sizeof R->hints / sizeof *R->hints))
		return;
	Hint *h = &R->hints[R->nhints++];
	h->col = col;
	h->kind = w->hint_kind;
	snprintf(h->text, sizeof h->text, "%s", w->hint);
}

/* After the errors: how a mapping would read what was refused. */
static void print_hints(const Report *R, const TableDef *t, const Mapping *map, const char *const *headers)
{
	if (R->nhints == 0)
		return;
	if (map)
		fprintf(R->err, "%s: note: the mapping %s could translate these values with:\n", R->path, map->path);
	else
		fprintf(R->err, "%s: note: a mapping file reads exports like this one (sow import --map FILE.map; "
				"see 'Import mappings' in LANGUAGE.md), for example:\n", R->path);
	for (int i = 0; i < R->nhints; i++) {
		const Hint *h = &R->hints[i];
		if (h->kind == HINT_NUMBER) {
			fprintf(R->err, "  %s\n", h->text);
			continue;
		}
		bool done = false;
		for (int j = 0; j < i; j++)
			done |= R->hints[j].col == h->col && R->hints[j].kind == h->kind;
		if (done)
			continue;
		const char *name = t->cols[h->col].name;
		fprintf(R->err, "  %s from \"%s\"", name, headers[h->col] ? headers[h->col] : name);
		if (h->kind == HINT_DATE) {
			fprintf(R->err, " as date \"%s\"\n", h->text);
			continue;
		}
		fputs(" {", R->err);
		for (int j = i, k = 0; j < R->nhints; j++)
			if (R->hints[j].col == h->col && R->hints[j].kind == HINT_VALUE)
				fprintf(R->err, "%s %s", k++ ? "," : "", R->hints[j].text);
		fputs(" }\n", R->err);
	}
}

/* The table's primary key columns, in key order (PRAGMA table_info). */
static int key_columns(sqlite3 *db, const TableDef *t, int *keys, int max)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info('%s') WHERE pk > 0 ORDER BY pk", t->name);
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < max) {
		int c = schema_column(t, (const char *)sqlite3_column_text(st, 0));
		if (c >= 0)
			keys[n++] = c;
	}
	sqlite3_finalize(st);
	return n;
}

static void bind_value(sqlite3_stmt *st, int i, ColType t, const char *v)
{
	if (!v)
		sqlite3_bind_null(st, i);
	else if (t == COL_INT || t == COL_BOOL)
		sqlite3_bind_int64(st, i, strtoll(v, NULL, 10));
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* "id 6, project_id P-1001, person ann, ..." for the stored row st is on. */
static void describe_row(sqlite3_stmt *st, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	int nc = sqlite3_column_count(st);
	for (int i = 0; i < nc && i < 5 && n < size; i++) {
		const unsigned char *v = sqlite3_column_text(st, i);
		n += (size_t)snprintf(buf + n, size - n, "%s%s %s", i ? ", " : "", sqlite3_column_name(st, i), v ? (const char *)v : "unset");
	}
	if (nc > 5 && n < size)
		snprintf(buf + n, size - n, ", ...");
}

static long long count_rows(sqlite3 *db, const char *table)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	sqlite3_stmt *st;
	long long n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int import_csv(sqlite3 *db, const char *table, const char *path, const ImportOptions *o, ImportCounts *cnt, FILE *err)
{
	const TableDef *t = schema_table(table);
	const Mapping *map = o->map;
	memset(cnt, 0, sizeof *cnt);
	if (!t || t->output) {
		fprintf(err, "sow: error: '%s' is not an input table (", table);
		for (int i = 0, n = 0; i < schema_ntables; i++)
			if (!schema_tables[i].output)
				fprintf(err, "%s%s", n++ ? ", " : "", schema_tables[i].name);
		fprintf(err, ")\n");
		return 2;
	}
	if (map && map->table != t) {
		fprintf(err, "sow: error: the mapping \"%s\" (%s) is for %s, not %s\n", map->name, map->path, map->table->name, table);
		return 2;
	}
	Csv c = { .line = 1 };
	c.f = fopen(path, "rb");
	if (!c.f) {
		fprintf(err, "sow: error: cannot open %s: %s\n", path, strerror(errno));
		return 3;
	}
	int rc = 1;
	const char *msg = NULL;
	Rec hdr = { 0 }, rec = { 0 };
	enum { MAXC = 128 };
	/* target column j: its table column, and where its text comes from
	 * (a field index, or a mapping column) */
	int tcol[MAXC], src_field[MAXC], ntarget = 0;
	const MapColumn *src_map[MAXC];
	const char *headers[MAXC] = { 0 };  /* by table column: the header feeding it */
	int *skip_field = NULL, *rule_field = NULL; /* the field each skip and if reads */
	int *rule_target = NULL;                     /* per assignment of each if: its target */
	int keys[8], nkeys = 0, key_target[8];
	sqlite3_stmt *ins = NULL, *find = NULL, *seen = NULL, *note = NULL;
	RefCheck *refs = NULL;
	char *scratch = NULL;
	size_t scratch_cap = 0;
	const char **vals = NULL, **hnames = NULL;
	Report R = { .path = path, .err = err };
	bool began = false;
	/* a UTF-8 byte order mark, then the lines a mapping skips */
	/* (one byte pushed back when there is none, so a pipe works too) */
	int b0 = getc(c.f);
	if (b0 != 0xEF)
		ungetc(b0, c.f);
	else if (!(getc(c.f) == 0xBB && getc(c.f) == 0xBF))
		rewind(c.f);
	for (int i = 0; map && i < map->skip_lines; i++) {
		int ch;
		while ((ch = getc(c.f)) != EOF && ch != '\n')
			;
		if (ch == EOF)
			break;
		c.line++;
	}
	long hline;
	int got = record(&c, &hdr, &msg, &hline);
	if (got < 0) {
		fprintf(err, "%s:%ld: error: %s\n", path, c.err_line, msg);
		goto out;
	}
	if (got == 1 && hdr.bad_field >= 0) {
		fprintf(err, "%s:%ld: error: the header's field %d holds %s\n", path, hdr.bad_line, hdr.bad_field + 1, bad_bytes(&hdr));
		goto out;
	}
	if (got != 1) {
		if (map && map->skip_lines)
			fprintf(err, "%s:%ld: error: no header row after the %d line%s the mapping skips\n", path, hline, map->skip_lines,
				map->skip_lines == 1 ? "" : "s");
		else
			fprintf(err, "%s:%ld: error: the file is empty (a header row names the columns)\n", path, hline);
		goto out;
	}
	if (!map && hdr.n > MAXC) { /* (a mapping may ignore any number of them) */
		fprintf(err, "%s:%ld: error: too many columns (at most %d)\n", path, hline, MAXC);
		goto out;
	}
	if (!map) {
		for (int i = 0; i < hdr.n; i++) {
			const char *name = rec_field(&hdr, i);
			int idx = schema_column(t, name);
			if (idx < 0) {
				const char *names[MAXC];
				int nn = t->ncols < MAXC ? t->ncols : MAXC;
				for (int k = 0; k < nn; k++)
					names[k] = t->cols[k].name;
				const char *s = diag_suggest(name, names, nn);
				fprintf(err, "%s:%ld: error: %s has no column '%s'%s%s%s\n", path, hline, table, name,
					s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
				if (!s)
					fprintf(err, "%s: note: an export with its own headers needs a mapping (sow import --map FILE.map)\n", path);
				goto out;
			}
			for (int k = 0; k < ntarget; k++)
				if (tcol[k] == idx) {
					fprintf(err, "%s:%ld: error: column '%s' is named twice\n", path, hline, name);
					goto out;
				}
			tcol[ntarget] = idx;
			src_field[ntarget] = i;
			src_map[ntarget++] = NULL;
			headers[idx] = t->cols[idx].name;
		}
	} else {
		hnames = calloc((size_t)hdr.n, sizeof *hnames);
		if (!hnames)
			abort();
		const char **names = hnames;
		for (int i = 0; i < hdr.n; i++)
			names[i] = rec_field(&hdr, i);
		/* a header the mapping reads, found exactly once */
#define FIND_HEADER(h, out_idx) do { \
		out_idx = -1; \
		for (int i_ = 0; i_ < hdr.n; i_++) \
			if (strcmp(names[i_], h) == 0) { \
				if (out_idx >= 0) { \
					fprintf(err, "%s:%ld: error: header '%s' appears twice; the mapping cannot tell which to read\n", path, hline, h); \
					goto out; \
				} \
				out_idx = i_; \
			} \
		if (out_idx < 0) { \
			const char *s_ = diag_suggest(h, names, hdr.n); \
			fprintf(err, "%s:%ld: error: the mapping %s reads header '%s', which this file does not have%s%s%s\n", path, hline, \
				map->path, h, s_ ? "; did you mean '" : "", s_ ? s_ : "", s_ ? "'?" : ""); \
			goto out; \
		} } while (0)
		for (int j = 0; j < map->ncols; j++) {
			const MapColumn *mc = &map->cols[j];
			int fi = -1;
			if (mc->header)
				FIND_HEADER(mc->header, fi);
			tcol[ntarget] = mc->col;
			src_field[ntarget] = fi;
			src_map[ntarget++] = mc;
			headers[mc->col] = mc->header;
		}
		int nsets = 0;
		for (int r = 0; r < map->nrules; r++)
			nsets += map->rules[r].nsets;
		skip_field = calloc((size_t)map->nskips + 1, sizeof *skip_field);
		rule_field = calloc((size_t)map->nrules + 1, sizeof *rule_field);
		rule_target = calloc((size_t)nsets + 1, sizeof *rule_target);
		if (!skip_field || !rule_field || !rule_target)
			abort();
		for (int k = 0; k < map->nskips; k++)
			FIND_HEADER(map->skips[k].header, skip_field[k]);
		for (int r = 0, si = 0; r < map->nrules; r++) {
			FIND_HEADER(map->rules[r].header, rule_field[r]);
			/* a column only an if block sets is unset in the other rows */
			for (int k = 0; k < map->rules[r].nsets; k++, si++) {
				int col = map->rules[r].sets[k].col, j = 0;
				while (j < ntarget && tcol[j] != col)
					j++;
				if (j == ntarget) {
					if (ntarget == MAXC) {
						fprintf(err, "%s: error: the mapping sets too many columns\n", map->path);
						goto out;
					}
					tcol[ntarget] = col;
					src_field[ntarget] = -1;
					src_map[ntarget++] = NULL;
				}
				rule_target[si] = j;
			}
		}
#undef FIND_HEADER
	}
	/* rows are matched by key when the file gives every key column */
	nkeys = key_columns(db, t, keys, 8);
	for (int k = 0; k < nkeys; k++) {
		key_target[k] = -1;
		for (int j = 0; j < ntarget; j++)
			if (tcol[j] == keys[k])
				key_target[k] = j;
		if (key_target[k] < 0) {
			if (o->upsert) {
				fprintf(err, "sow: error: --upsert matches %s rows by %s; %s does not give it\n", table, t->cols[keys[k]].name, path);
				rc = 2;
				goto out;
			}
			nkeys = 0;
			break;
		}
	}
	if (o->upsert && nkeys == 0) {
		fprintf(err, "sow: error: %s has no key, so --upsert cannot match rows (--replace reloads the whole table)\n", table);
		rc = 2;
		goto out;
	}
	char sql[8192];
	const char *cnames[MAXC];
	for (int j = 0; j < ntarget; j++)
		cnames[j] = t->cols[tcol[j]].name;
	schema_insert_sql(table, cnames, ntarget, sql, sizeof sql);
	if (o->upsert) {
		size_t len = strlen(sql);
		len += (size_t)snprintf(sql + len, sizeof sql - len, " ON CONFLICT (");
		for (int k = 0; k < nkeys; k++)
			len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\"", k ? ", " : "", t->cols[keys[k]].name);
		int set = 0;
		for (int j = 0; j < ntarget; j++) {
			bool is_key = false;
			for (int k = 0; k < nkeys; k++)
				is_key |= keys[k] == tcol[j];
			if (!is_key)
				len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\" = excluded.\"%s\"",
							set++ ? ", " : ") DO UPDATE SET ", cnames[j], cnames[j]);
		}
		if (!set)
			snprintf(sql + len, sizeof sql - len, ") DO NOTHING");
	}
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(err, "sow: error: %s: %s\n", path, sqlite3_errmsg(db));
		rc = 3;
		goto out;
	}
	began = true;
	if (o->replace) {
		char del[128];
		snprintf(del, sizeof del, "DELETE FROM \"%s\"", table);
		if (sqlite3_exec(db, del, NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(err, "sow: error: %s\n", sqlite3_errmsg(db));
			rc = 3;
			goto out;
		}
	}
	if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK) {
		fprintf(err, "sow: error: %s\n", sqlite3_errmsg(db));
		rc = 3;
		goto out;
	}
	char rerr[256] = "";
	if (!(refs = refs_prepare(db, t, rerr, sizeof rerr)) && *rerr) {
		fprintf(err, "sow: error: %s\n", rerr);
		rc = 3;
		goto out;
	}
	if (nkeys) {
		/* the stored row a record's key names, and the lines of this file
		 * seen so far by key (a temporary table: memory stays flat) */
		char q[1024];
		size_t len = (size_t)snprintf(q, sizeof q, "SELECT * FROM \"%s\" WHERE ", table);
		for (int k = 0; k < nkeys; k++)
			len += (size_t)snprintf(q + len, sizeof q - len, "%s\"%s\" = ?%d", k ? " AND " : "", t->cols[keys[k]].name, k + 1);
		if (sqlite3_prepare_v2(db, q, -1, &find, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS sow_import_keys (k PRIMARY KEY, line INTEGER) WITHOUT ROWID;"
				     "DELETE FROM temp.sow_import_keys", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "SELECT line FROM temp.sow_import_keys WHERE k = ?1", -1, &seen, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "INSERT INTO temp.sow_import_keys VALUES (?1, ?2)", -1, &note, NULL) != SQLITE_OK) {
			fprintf(err, "sow: error: %s\n", sqlite3_errmsg(db));
			rc = 3;
			goto out;
		}
	}
	char kname[160] = ""; /* id, or calendar/day */
	for (int k = 0, kn = 0; k < nkeys; k++)
		kn += snprintf(kname + kn, sizeof kname - (size_t)kn, "%s%s", k ? "/" : "", t->cols[keys[k]].name);
	long long before = o->upsert ? count_rows(db, table) : 0;
	char ovr[MAXC];           /* set by an if block in this record ... */
	const char *ovr_val[MAXC]; /* ... to this */
	vals = calloc((size_t)ntarget + 1, sizeof *vals);
	size_t *voff = calloc((size_t)ntarget + 1, sizeof *voff);
	if (!vals || !voff)
		abort();
	for (;;) {
		long start;
		int r = record(&c, &rec, &msg, &start);
		if (r == 0)
			break;
		if (r == 2)
			continue;
		R.cur_bad = 0;
		if (r < 0) {
			refuse(&R, c.err_line, "%s", msg);
			break; /* the record boundaries are lost: nothing after this can be trusted */
		}
		if (rec.bad_field >= 0) {
			refuse(&R, rec.bad_line, "field %d ('%s') holds %s", rec.bad_field + 1,
			       rec.bad_field < hdr.n ? rec_field(&hdr, rec.bad_field) : "past the header's columns", bad_bytes(&rec));
			continue;
		}
		if (rec.n != hdr.n) {
			if (rec.n > hdr.n)
				refuse(&R, start, "more fields than the header's %d columns", hdr.n);
			else
				refuse(&R, start, "%d fields where the header has %d columns", rec.n, hdr.n);
			continue;
		}
		bool skip = false;
		for (int k = 0; map && k < map->nskips && !skip; k++)
			skip = strcmp(rec_field(&rec, skip_field[k]), map->skips[k].value) == 0;
		/* the if blocks that hold, in order: later assignments win */
		for (int j = 0; j < ntarget; j++)
			ovr[j] = 0;
		for (int ri = 0, si = 0; map && ri < map->nrules && !skip; ri++) {
			const MapRule *mr = &map->rules[ri];
			if ((strcmp(rec_field(&rec, rule_field[ri]), mr->value) == 0) == mr->negate) {
				si += mr->nsets;
				continue;
			}
			skip = mr->skip;
			for (int k = 0; k < mr->nsets; k++, si++) {
				ovr[rule_target[si]] = 1;
				ovr_val[rule_target[si]] = mr->sets[k].value;
			}
		}
		if (skip) {
			cnt->skipped++;
			continue;
		}
		/* every value into one scratch buffer (offsets: it may move) */
		size_t used = 0;
#define ROOM(n) do { if (scratch_cap - used < (n)) { scratch_cap = (used + (n)) * 2; scratch = grow(scratch, scratch_cap); } } while (0)
		for (int j = 0; j < ntarget; j++) {
			const ColumnDef *col = &t->cols[tcol[j]];
			const char *raw = src_field[j] >= 0 ? rec_field(&rec, src_field[j]) : "";
			size_t rawn = src_field[j] >= 0 ? rec.flen[src_field[j]] : 0;
			ROOM(rawn + 64); /* a field's standard text: at most its own length, or a date */
			const char *v = raw;
			bool null = rawn == 0;
			if (ovr[j]) {
				v = ovr_val[j];
				null = !v;
			} else if (src_map[j]) {
				char why[320];
				v = mapping_apply(map, src_map[j], raw, rawn, scratch + used, scratch_cap - used, &null, why, sizeof why);
				if (!v && !null) {
					refuse(&R, start, "column %s (from '%s'): %s", col->name, src_map[j]->header, why);
					voff[j] = (size_t)-1;
					continue;
				}
			}
			if (null) {
				voff[j] = (size_t)-1;
				continue;
			}
			size_t vn = strlen(v);
			Invalid w;
			if (!validate_value(t, tcol[j], v, vn, &w)) {
				if (src_map[j] && src_map[j]->header)
					refuse(&R, start, "column %s (from '%s'): %s", col->name, src_map[j]->header, w.msg);
				else
					refuse(&R, start, "column %s: %s", col->name, w.msg);
				remember_hint(&R, tcol[j], &w);
			}
			if (v != scratch + used) { /* the field itself, or a mapped value */
				ROOM(vn + 1);
				memcpy(scratch + used, v, vn + 1);
			}
			voff[j] = used;
			used += vn + 1;
		}
#undef ROOM
		if (R.cur_bad)
			continue;
		for (int j = 0; j < ntarget; j++)
			vals[j] = voff[j] == (size_t)-1 ? NULL : scratch + voff[j];
		char shown[120] = ""; /* the key as messages show it */
		if (nkeys) {
			sqlite3_str *ks = sqlite3_str_new(db);
			bool unset = false;
			for (int k = 0; k < nkeys; k++) {
				const char *v = vals[key_target[k]];
				unset |= !v;
				ColType kt = t->cols[keys[k]].type;
				if (v && kt == COL_INT)
					sqlite3_str_appendf(ks, "%s%lld", k ? "\x1f" : "", strtoll(v, NULL, 10));
				else
					sqlite3_str_appendf(ks, "%s%s", k ? "\x1f" : "", v ? v : "");
				bind_value(find, k + 1, kt, v);
			}
			int kl = sqlite3_str_length(ks);
			char *key = sqlite3_str_finish(ks);
			if (!key) {
				fputs("sow: out of memory\n", stderr);
				abort();
			}
			snprintf(shown, sizeof shown, "%.*s%s", kl > 100 ? 100 : kl, key, kl > 100 ? "..." : "");
			for (char *p = shown; *p; p++)
				if (*p == '\x1f')
					*p = '/';
			if (unset) {
				refuse(&R, start, "%s is the key of %s and cannot be empty", kname, table);
				sqlite3_reset(find);
				sqlite3_free(key);
				continue;
			}
			/* noting the key finds a second one in this file */
			/* one whole-number key is noted as a number: ids arrive in
			 * order, so the table grows at its end */
			bool int_key = nkeys == 1 && t->cols[keys[0]].type == COL_INT;
			if (int_key)
				sqlite3_bind_int64(note, 1, strtoll(key, NULL, 10));
			else
				sqlite3_bind_text(note, 1, key, kl, SQLITE_TRANSIENT);
			sqlite3_bind_int64(note, 2, start);
			int nrc = sqlite3_step(note);
			sqlite3_reset(note);
			if (nrc == SQLITE_CONSTRAINT) {
				if (int_key)
					sqlite3_bind_int64(seen, 1, strtoll(key, NULL, 10));
				else
					sqlite3_bind_text(seen, 1, key, kl, SQLITE_TRANSIENT);
				long long other = sqlite3_step(seen) == SQLITE_ROW ? sqlite3_column_int64(seen, 0) : 0;
				sqlite3_reset(seen);
				refuse(&R, start, "%s %s is also on line %lld of this file", kname, shown, other);
				sqlite3_free(key);
				continue;
			}
			sqlite3_free(key);
			if (nrc != SQLITE_DONE) {
				fprintf(err, "sow: error: %s\n", sqlite3_errmsg(db));
				rc = 3;
				goto out;
			}
		}
		char why[400];
		if (!refs_row(refs, tcol, (const char *const *)vals, ntarget, why, sizeof why)) {
			refuse(&R, start, "%s", why);
			continue;
		}
		for (int j = 0; j < ntarget; j++)
			bind_value(ins, j + 1, t->cols[tcol[j]].type, vals[j]);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			int ext = sqlite3_extended_errcode(db);
			if ((ext & 0xff) != SQLITE_CONSTRAINT) {
				fprintf(err, "%s:%ld: error: %s\n", path, start, sqlite3_errmsg(db));
				rc = 3;
				goto out;
			}
			/* not this file's (noted above): the key of a stored row */
			if (nkeys && (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE) &&
			    sqlite3_step(find) == SQLITE_ROW) {
				char row[400];
				describe_row(find, row, sizeof row);
				refuse(&R, start, "%s already has %s %s (the stored row: %s); --upsert replaces stored rows", table, kname,
				       shown, row);
			} else {
				refuse(&R, start, "%s", sqlite3_errmsg(db));
			}
		} else {
			cnt->rows++;
		}
		if (find)
			sqlite3_reset(find);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
	}
	free(voff);
	if (o->upsert)
		cnt->replaced = cnt->rows - (count_rows(db, table) - before);
	if (R.bad) {
		if (R.shown > MAX_SHOWN)
			fprintf(err, "%s: %d more error%s not shown\n", path, R.shown - MAX_SHOWN, R.shown - MAX_SHOWN == 1 ? "" : "s");
		print_hints(&R, t, map, headers);
		fprintf(err, "sow: error: %lld bad record%s in %s; nothing was loaded\n", R.bad, R.bad == 1 ? "" : "s", path);
		rc = 1;
		goto out;
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if (o->dry_run) {
		rc = 0;
		goto out; /* rolled back below: the database is as it was */
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(err, "sow: error: %s: %s\n", path, sqlite3_errmsg(db));
		rc = 3;
		goto out;
	}
	began = false;
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(find);
	sqlite3_finalize(seen);
	sqlite3_finalize(note);
	refs_free(refs);
	if (began) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		if (rc)
			memset(cnt, 0, sizeof *cnt);
	}
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.sow_import_keys", NULL, NULL, NULL);
	free(vals);
	free(hnames);
	free(skip_field);
	free(rule_field);
	free(rule_target);
	free(scratch);
	free(hdr.text);
	free(hdr.off);
	free(hdr.flen);
	free(rec.text);
	free(rec.off);
	free(rec.flen);
	free(c.buf);
	fclose(c.f);
	return rc;
}
