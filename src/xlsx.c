/* xlsx.c: the month-end pack as a workbook, through libxlsxwriter (Debian
 * libxlsxwriter-dev; see the README for why). A Summary sheet holds the
 * sections of summary.c, the same rows the terminal summary and the HTML
 * pack show; then one sheet per output table of the run, every row. Amounts
 * are numbers formatted with their currency's decimals, so Finance can add
 * them up, and dates are dates; a value a spreadsheet number (a binary double) cannot hold
 * exactly is written as text instead, so no cent is ever changed silently.
 * The workbook is written row by row (constant memory). */
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "export.h"
#include "money.h"
#include "schema.h"
#include "summary.h"

#define SUMMARY_ROWS 1000 /* rows a section lists on the Summary sheet */
#define PLACES 7          /* amount formats: 0 to 6 decimals */

typedef struct Book {
	lxw_workbook *wb;
	lxw_format *bold, *title, *money[PLACES], *count, *date;
} Book;

/* An ISO date as a spreadsheet date (a day number shown yyyy-mm-dd), so
 * that it sorts and filters as a date; anything else stays text. */
static void date_cell(const Book *b, lxw_worksheet *ws, int row, int col, const char *s)
{
	Date d;
	int y, m, day;
	if (!date_parse(s, strlen(s), &d)) {
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, NULL);
		return;
	}
	date_to_ymd(d, &y, &m, &day);
	lxw_datetime dt = { .year = y, .month = m, .day = day };
	worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt, b->date);
}

/* Write decimal text as a number when a spreadsheet shows it exactly: at
 * most 15 significant digits (what a double keeps through any reader; the
 * file then holds the nearest double); else as the exact text. */
static void number_or_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	Dec d;
	if (!*s)
		return;
	int digits = 0;
	if (dec_parse(s, strlen(s), &d) == DEC_OK) {
		d = dec_trim(d, 0);
		for (dec_int c = d.c < 0 ? -d.c : d.c; c > 0; c /= 10)
			digits++;
	}
	if (digits > 0 && digits <= 15)
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, strtod(s, NULL), f);
	else if (digits == 0 && dec_parse(s, strlen(s), &d) == DEC_OK)
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, 0.0, f);
	else
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, NULL);
}

/* An amount as money_text or hours_text shows it (SPEC 9.1), as a number
 * formatted with exactly those decimals. */
static void amount_cell(const Book *b, lxw_worksheet *ws, int row, int col, const char *s)
{
	const char *dot = strchr(s, '.');
	size_t places = dot ? strlen(dot + 1) : 0;
	number_or_text(ws, row, col, s, places < PLACES ? b->money[places] : NULL);
}

/* The Summary sheet: the run, then each section of the pack. */
static bool summary_sheet(Book *b, sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, char *err, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Summary");
	if (!ws) {
		snprintf(err, n, "cannot add the Summary sheet");
		return false;
	}
	worksheet_set_column(ws, 0, 0, 22, NULL);
	worksheet_set_column(ws, 1, 8, 16, NULL);
	char line[256], day[DATE_BUFSZ];
	snprintf(line, sizeof line, "Month-end %s", R->period);
	worksheet_write_string(ws, 0, 0, line, b->title);
	snprintf(line, sizeof line, "As of %s, run %lld%s. Each total is its lines summed exactly, then rounded once.",
		 date_fmt(as_of, day), R->run_id, dry_run ? " (a dry run: nothing was written)" : "");
	worksheet_write_string(ws, 1, 0, line, NULL);
	int row = 3;
	for (int i = 0; i < summary_nsections; i++) {
		const SummarySection *s = &summary_sections[i];
		if (!(s->where & SUM_PACK))
			continue;
		const char *why;
		SummaryRows *r = summary_open(db, s, R->run_id, &why);
		if (!r) {
			snprintf(err, n, "%s", why);
			return false;
		}
		worksheet_write_string(ws, (lxw_row_t)row++, 0, s->title, b->bold);
		int nc = summary_ncols(r);
		for (int c = 0; c < nc; c++)
			worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, summary_colname(r, c), b->bold);
		row++;
		const char *cells[16];
		int rows = 0;
		while (rows < SUMMARY_ROWS && summary_next(r, cells)) {
			for (int c = 0; c < nc; c++) {
				char k = s->cols[c];
				if (k == 'm') {
					amount_cell(b, ws, row, c, cells[c]);
				} else if (k == 'n') {
					number_or_text(ws, row, c, cells[c], b->count);
				} else if (k == 'd' && *cells[c]) {
					date_cell(b, ws, row, c, cells[c]);
				} else if (*cells[c]) {
					worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, cells[c], NULL);
				}
			}
			row++;
			rows++;
		}
		if (!summary_close(r, &why)) {
			snprintf(err, n, "%s", why);
			return false;
		}
		if (rows == 0)
			worksheet_write_string(ws, (lxw_row_t)row++, 0, "none", NULL);
		if (rows == SUMMARY_ROWS) {
			snprintf(line, sizeof line, "(the first %d rows; the table's own sheet has them all)", SUMMARY_ROWS);
			worksheet_write_string(ws, (lxw_row_t)row++, 0, line, NULL);
		}
		row++;
	}
	return true;
}

/* One sheet with every row the run wrote into table t. */
static bool table_sheet(Book *b, sqlite3 *db, const TableDef *t, long long run_id, char *err, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, t->name);
	if (!ws) {
		snprintf(err, n, "cannot add the sheet %s", t->name);
		return false;
	}
	char sql[2048];
	size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	for (int c = 0; c < t->ncols; c++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s\"%s\"", c ? ", " : "", t->cols[c].name);
	snprintf(sql + len, sizeof sql - len, " FROM \"%s\" WHERE run_id = ?1 ORDER BY rowid", t->name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, n, "%s", sqlite3_errmsg(db));
		return false;
	}
	sqlite3_bind_int64(st, 1, run_id);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, (lxw_col_t)(t->ncols - 1), 14, NULL);
	for (int c = 0; c < t->ncols; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].name, b->bold);
	int row = 1, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < t->ncols; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			char buf[DEC_BUFSZ];
			if (!v)
				continue;
			switch (t->cols[c].type) {
			case COL_MONEY: {
				int cc = schema_currency_column(t, t->cols[c].name);
				amount_cell(b, ws, row, c, money_text(v, cc >= 0 ? (const char *)sqlite3_column_text(st, cc) : NULL, buf));
				break;
			}
			case COL_HOURS:
				amount_cell(b, ws, row, c, hours_text(v, buf));
				break;
			case COL_DECIMAL: case COL_INT:
				number_or_text(ws, row, c, v, NULL);
				break;
			case COL_DATE:
				date_cell(b, ws, row, c, v);
				break;
			default:
				worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, v, NULL);
			}
		}
		row++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, n, "%s", sqlite3_errmsg(db));
		return false;
	}
	return true;
}

bool xlsx_write(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, const char *path, char *err, size_t n)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	Book b = { .wb = workbook_new_opt(path, &opt) };
	if (!b.wb) {
		snprintf(err, n, "cannot create %s", path);
		return false;
	}
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	b.title = workbook_add_format(b.wb);
	format_set_bold(b.title);
	format_set_font_size(b.title, 14);
	for (int i = 0; i < PLACES; i++) {
		char f[16];
		snprintf(f, sizeof f, "#,##0%s%.*s", i ? "." : "", i, "000000");
		b.money[i] = workbook_add_format(b.wb);
		format_set_num_format(b.money[i], f);
	}
	b.count = workbook_add_format(b.wb);
	format_set_num_format(b.count, "#,##0");
	b.date = workbook_add_format(b.wb);
	format_set_num_format(b.date, "yyyy-mm-dd");
	bool ok = summary_sheet(&b, db, R, as_of, dry_run, err, n);
	for (int i = 0; ok && i < schema_ntables; i++)
		if (export_is_run_table(&schema_tables[i]))
			ok = table_sheet(&b, db, &schema_tables[i], R->run_id, err, n);
	lxw_error e = workbook_close(b.wb);
	if (ok && e != LXW_NO_ERROR) {
		snprintf(err, n, "cannot write %s: %s", path, lxw_strerror(e));
		ok = false;
	}
	return ok;
}
