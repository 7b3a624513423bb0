/* import.c: RFC 4180 CSV into a standard table, all or nothing.
 *
 * The header names the columns (any order, any subset of the table's). Each
 * field is checked against its column's type before it is stored: dates must
 * be real days, amounts and hours exact decimals ("12,50" is refused, not
 * guessed), flags 0 or 1. An empty field is NULL. Fields are quoted with ",
 * may hold commas, doubled quotes and newlines; a UTF-8 BOM and CRLF line
 * ends are accepted. Line numbers in messages are physical lines. */
#include "import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "diag.h"
#include "schema.h"

typedef struct {
	FILE *f;
	long line;        /* physical line of the next byte */
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
	int ch = getc(c->f);
	if (ch == EOF)
		return 0;
	if (ch == '"') {
		*quoted = true;
		for (;;) {
			ch = getc(c->f);
			if (ch == EOF) {
				*msg = "a quoted field is not closed before the end of the file";
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
			ungetc(next, c->f);
		}
		if (ch == '"') {
			*msg = "a quote inside an unquoted field (quote the whole field)";
			return -1;
		}
		put(c, ch);
	}
}

/* Check one value against its column type; NULL msg when fine. */
static const char *check_value(ColType t, const char *s, size_t n)
{
	Dec d;
	Date dt;
	int y, m;
	switch (t) {
	case COL_DATE:
		return date_parse(s, n, &dt) ? NULL : "is not a date (YYYY-MM-DD)";
	case COL_DECIMAL: case COL_HOURS: case COL_MONEY:
		switch (dec_parse(s, n, &d)) {
		case DEC_OK: return NULL;
		case DEC_SYNTAX: return "is not a decimal number (digits, one '.', no separators or exponents)";
		default: return "is out of range (38 digits, 24 after the point)";
		}
	case COL_INT:
		if (dec_parse(s, n, &d) != DEC_OK || d.scale != 0)
			return "is not a whole number";
		return NULL;
	case COL_BOOL:
		return (n == 1 && (s[0] == '0' || s[0] == '1')) ? NULL : "is not 1 or 0";
	case COL_PERIOD:
		return date_parse_month(s, n, &y, &m) ? NULL : "is not a month (YYYY-MM)";
	case COL_TEXT:
		return NULL;
	}
	return NULL;
}

int import_csv(sqlite3 *db, const char *table, const char *path, bool replace, long long *rows, FILE *err)
{
	const TableDef *t = schema_table(table);
	*rows = 0;
	if (!t || t->output) {
		fprintf(err, "sow: error: '%s' is not an input table (", table);
		for (int i = 0, n = 0; i < schema_ntables; i++)
			if (!schema_tables[i].output)
				fprintf(err, "%s%s", n++ ? ", " : "", schema_tables[i].name);
		fprintf(err, ")\n");
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
	bool quoted;
	int cols[64], ncols = 0;
	sqlite3_stmt *ins = NULL;
	/* header, after a UTF-8 byte order mark if there is one */
	unsigned char bom[3];
	if (!(fread(bom, 1, 3, c.f) == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF))
		rewind(c.f);
	for (int more = 1; more == 1;) {
		more = field(&c, &msg, &quoted);
		if (more < 0) {
			fprintf(err, "%s:%ld: error: %s\n", path, c.line, msg);
			goto out;
		}
		if (more == 0 && ncols == 0) {
			fprintf(err, "%s:1: error: the file is empty (a header row names the columns)\n", path);
			goto out;
		}
		const char *name = c.buf ? c.buf : "";
		int idx = schema_column(t, name);
		if (idx < 0) {
			const char *names[64];
			for (int i = 0; i < t->ncols && i < 64; i++)
				names[i] = t->cols[i].name;
			const char *s = diag_suggest(name, names, t->ncols < 64 ? t->ncols : 64);
			fprintf(err, "%s:1: error: %s has no column '%s'%s%s%s\n", path, table, name, s ? "; did you mean '" : "",
				s ? s : "", s ? "'?" : "");
			goto out;
		}
		for (int i = 0; i < ncols; i++)
			if (cols[i] == idx) {
				fprintf(err, "%s:1: error: column '%s' is named twice\n", path, name);
				goto out;
			}
		if (ncols == 64) {
			fprintf(err, "%s:1: error: too many columns\n", path);
			goto out;
		}
		cols[ncols++] = idx;
	}
	char sql[4096];
	const char *names[64];
	for (int i = 0; i < ncols; i++)
		names[i] = t->cols[cols[i]].name;
	schema_insert_sql(table, names, ncols, sql, sizeof sql);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(err, "sow: error: %s: %s\n", path, sqlite3_errmsg(db));
		rc = 3;
		goto out;
	}
	if (replace) {
		char del[128];
		snprintf(del, sizeof del, "DELETE FROM %s", table);
		if (sqlite3_exec(db, del, NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(err, "sow: error: %s\n", sqlite3_errmsg(db));
			rc = 3;
			goto rollback;
		}
	}
	if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK) {
		fprintf(err, "sow: error: %s\n", sqlite3_errmsg(db));
		rc = 3;
		goto rollback;
	}
	for (;;) {
		long start = c.line;
		int i = 0, more = 1;
		for (; more == 1; i++) {
			more = field(&c, &msg, &quoted);
			if (more == 0)
				break;
			if (more < 0) {
				fprintf(err, "%s:%ld: error: %s\n", path, c.line, msg);
				goto rollback;
			}
			if (i == 0 && more == 2 && c.len == 0 && !quoted) {
				i = -1; /* a blank line */
				break;
			}
			if (i >= ncols) {
				fprintf(err, "%s:%ld: error: more fields than the header's %d columns\n", path, start, ncols);
				goto rollback;
			}
			const ColumnDef *col = &t->cols[cols[i]];
			if (c.len == 0) {
				sqlite3_bind_null(ins, i + 1);
				continue;
			}
			const char *why = check_value(col->type, c.buf, c.len);
			if (why) {
				fprintf(err, "%s:%ld: error: column %s: '%s' %s\n", path, start, col->name, c.buf, why);
				goto rollback;
			}
			if (col->type == COL_INT || col->type == COL_BOOL)
				sqlite3_bind_int64(ins, i + 1, strtoll(c.buf, NULL, 10));
			else
				sqlite3_bind_text(ins, i + 1, c.buf, (int)c.len, SQLITE_TRANSIENT);
		}
		if (more == 0 && i == 0)
			break;
		if (i < 0)
			continue;
		if (i != ncols) {
			fprintf(err, "%s:%ld: error: %d fields where the header has %d columns\n", path, start, i, ncols);
			goto rollback;
		}
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(err, "%s:%ld: error: %s\n", path, start, sqlite3_errmsg(db));
			goto rollback;
		}
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		(*rows)++;
		if (more == 0)
			break;
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(err, "sow: error: %s: %s\n", path, sqlite3_errmsg(db));
		rc = 3;
		goto rollback;
	}
	rc = 0;
	goto out;
rollback:
	sqlite3_finalize(ins);
	ins = NULL;
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	*rows = 0;
out:
	sqlite3_finalize(ins);
	free(c.buf);
	fclose(c.f);
	return rc;
}
