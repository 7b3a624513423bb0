/* figures.c: the session's standing figures, as the REPL's .forecast and
 * .balances (and serve's pages) show them, and the forecast before and
 * after an assumption. The forecast by quarter is the month-end summary's
 * own section (summary.c): one query, whether a run's pack or a session's
 * view shows it. */
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "stmtint.h"
#include "summary.h"
#include "totals.h"
#include "view.h"

/* What the forecast by quarter reads (the totals sum the forecast; their
 * reporting amounts come from reporting_lines). */
static bool refresh_forecast(Session *S)
{
	Map m = { 0 };
	map_put(&m, "forecast_totals", (void *)1);
	map_put(&m, "forecast", (void *)1);
	map_put(&m, "reporting_lines", (void *)1);
	bool ok = view_refresh(S, true, &m);
	map_free(&m);
	return ok;
}

/* The rows of a summary section of the session's view, or NULL (reported). */
static SummaryRows *section(Session *S, const char *sheet)
{
	const char *err = "no such section";
	const SummarySection *s = summary_section(sheet);
	SummaryRows *r = s ? summary_open(S->db, s, S->R.run_id, &err) : NULL;
	if (!r)
		session_fail(S, "%s", err);
	return r;
}

static bool close_section(Session *S, SummaryRows *r)
{
	const char *err = NULL;
	if (summary_close(r, &err))
		return true;
	session_fail(S, "%s", err ? err : "reading the forecast failed");
	return false;
}

int figures_forecast_totals(Session *S, Total *t, int max)
{
	if (!refresh_forecast(S))
		return -1;
	SummaryRows *r = section(S, "Forecast by quarter");
	if (!r)
		return -1;
	const char *c[16];
	int n = 0;
	while (n < max && summary_next(r, c)) {
		snprintf(t[n].key, sizeof t[n].key, "%.15s %.7s", c[0], c[1]);
		if (dec_parse(c[4], strlen(c[4]), &t[n].amount) == DEC_OK)
			n++;
	}
	return close_section(S, r) ? n : -1;
}

/* Each quarter's whole forecast in the reporting currency: every line at
 * the as-of rate (reporting_lines), summed exactly, rounded once. */
static bool forecast_reporting(Session *S, const char *quarter, FILE *out)
{
	SummaryRows *r = section(S, "Forecast reporting");
	if (!r)
		return false;
	static const char *const headers[] = { "fiscal_quarter", "reporting_total" };
	static const bool right[] = { false, true };
	if (S->format == FMT_TABLE || S->format == FMT_MARKDOWN)
		fputs("\nAll currencies, in the reporting currency (each line at the as-of rate):\n", out);
	FTable *ft = format_begin(NULL, 2, headers, right, S->format, out);
	const char *c[16];
	while (summary_next(r, c)) {
		if (quarter && strcmp(c[0], quarter) != 0)
			continue;
		char b[DEC_BUFSZ + 16] = "";
		if (*c[2])
			snprintf(b, sizeof b, "%s %.7s", c[2], c[1]);
		const char *cells[] = { c[0], *b ? b : "(a rate is missing)" };
		format_row(ft, cells);
	}
	format_end(ft);
	return close_section(S, r);
}

/* By quarter and currency: the run's totals (the summary's section). */
static bool forecast_all(Session *S, const char *quarter, FILE *out)
{
	const char *c[16];
	if (quarter) {
		SummaryRows *r = section(S, "Forecast by quarter");
		if (!r)
			return false;
		bool any = false;
		while (!any && summary_next(r, c))
			any = strcmp(c[0], quarter) == 0;
		if (!close_section(S, r))
			return false;
		if (!any) {
			char day[DATE_BUFSZ];
			fprintf(out, "nothing is forecast in %s as of %s\n", quarter, date_fmt(S->as_of, day));
			return true;
		}
	}
	SummaryRows *r = section(S, "Forecast by quarter");
	if (!r)
		return false;
	stmt_mark(S, out);
	static const char *const headers[] = { "fiscal_quarter", "currency", "actual", "forecast", "amount", "reporting" };
	static const bool right[] = { false, false, true, true, true, true };
	FTable *ft = format_begin(NULL, 6, headers, right, S->format, out);
	while (summary_next(r, c)) {
		if (quarter && strcmp(c[0], quarter) != 0)
			continue;
		char rep[DEC_BUFSZ + 16] = "";
		if (*c[5] && *c[6])
			snprintf(rep, sizeof rep, "%s %s", c[6], c[5]);
		const char *cells[] = { c[0], c[1], c[2], c[3], c[4], rep };
		format_row(ft, cells);
	}
	format_end(ft);
	return close_section(S, r) && forecast_reporting(S, quarter, out);
}

/* One project's: its own lines by quarter, actual (released) and the rest,
 * each summed exactly and rounded once. */
static bool forecast_project(Session *S, const char *project, FILE *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, "SELECT f.fiscal_quarter, f.currency, CASE WHEN f.basis = 'released' THEN f.amount ELSE '0' END, "
				      "CASE WHEN f.basis = 'released' THEN '0' ELSE f.amount END, f.amount FROM forecast f "
				      "WHERE f.run_id = ?1 AND f.project_id = ?2 ORDER BY 1, 2",
			       -1, &st, NULL) != SQLITE_OK) {
		session_fail(S, "%s", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	stmt_mark(S, out);
	static const char *const headers[] = { "fiscal_quarter", "currency", "actual", "forecast", "amount" };
	static const bool right[] = { false, false, true, true, true };
	FTable *ft = format_begin(NULL, 5, headers, right, S->format, out);
	Totals T;
	totals_open(&T, st, 2, 3);
	while (totals_next(&T)) {
		char b[3][DEC_BUFSZ];
		const char *cells[5] = { T.key[0], T.key[1], "", "", "" };
		for (int i = 0; i < 3; i++) {
			Dec r;
			if (totals_rounded(&T, i, T.key[1], &r))
				cells[2 + i] = money_fmt(r, T.key[1], b[i]);
		}
		format_row(ft, cells);
	}
	format_end(ft);
	sqlite3_finalize(st);
	if (T.err)
		session_fail(S, "%s", T.err);
	return !T.err;
}

bool figures_row_exists(Session *S, const char *table, const char *id)
{
	char *sql = sqlite3_mprintf("SELECT 1 FROM main.\"%w\" WHERE id = ?", table);
	sqlite3_stmt *st;
	bool ok = sql && sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK;
	sqlite3_free(sql);
	if (!ok)
		return false;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static bool forecast(Session *S, const char *arg, FILE *out)
{
	if (!S->db) {
		session_fail(S, "the forecast needs a database (--db DB)");
		return false;
	}
	/* .forecast FY2027-Q4 is a quarter; anything else names a project */
	int fy, qn;
	char tail;
	bool quarter = arg && sscanf(arg, "FY%4d-Q%d%c", &fy, &qn, &tail) == 2;
	if (quarter && (qn < 1 || qn > 4)) {
		session_fail(S, "no quarter %s: a fiscal year has quarters Q1 to Q4", arg);
		return false;
	}
	if (arg && !quarter && !figures_row_exists(S, "projects", arg)) {
		session_fail(S, "no project %s in the projects table (.forecast PROJECT or .forecast FY2027-Q4)", arg);
		return false;
	}
	if (!refresh_forecast(S))
		return false;
	return arg && !quarter ? forecast_project(S, arg, out) : forecast_all(S, quarter ? arg : NULL, out);
}

/* A figure in format f, its read transaction ended after it. */
static bool figure(Session *S, bool (*fn)(Session *, const char *, FILE *), const char *arg, Format f, FILE *out)
{
	Format saved = S->format;
	S->format = f;
	bool ok = fn(S, arg, out);
	view_release(S);
	S->format = saved;
	return ok;
}

bool stmt_forecast(Session *S, const char *arg, Format f, FILE *out) { return figure(S, forecast, arg, f, out); }

/* Work in progress (SPEC 8.6) of the session's view: the balances rows its
 * run of the rules wrote, per project and currency, exact as written. */
static bool balances(Session *S, const char *project, FILE *out)
{
	if (!S->db) {
		session_fail(S, "balances need a database (--db DB)");
		return false;
	}
	Map m = { 0 };
	map_put(&m, "balances", (void *)1);
	bool ok = view_refresh(S, true, &m);
	map_free(&m);
	if (!ok)
		return false;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db,
			       "SELECT project_id, currency, recognized_to_date, billed_to_date, unbilled, deferred FROM temp.balances "
			       "WHERE run_id = ?1 AND (?2 IS NULL OR project_id = ?2) ORDER BY project_id, currency",
			       -1, &st, NULL) != SQLITE_OK) {
		session_fail(S, "%s", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (project)
		sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	static const char *const headers[] = { "project_id", "currency", "recognized_to_date", "billed_to_date", "unbilled",
					       "deferred" };
	static const bool right[] = { false, false, true, true, true, true };
	stmt_mark(S, out);
	FTable *ft = format_begin(NULL, 6, headers, right, S->format, out);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cells[6];
		char shown[4][DEC_BUFSZ];
		for (int i = 0; i < 6; i++) {
			const char *c = (const char *)sqlite3_column_text(st, i);
			cells[i] = i >= 2 ? money_text(c, cells[1], shown[i - 2]) : c ? c : "";
		}
		format_row(ft, cells);
		rows++;
	}
	sqlite3_finalize(st);
	format_end(ft);
	if (!rows && project)
		fprintf(out, "no balances for project %s as of this date (no revenue or billing, or no SOW names it)\n", project);
	return true;
}

bool stmt_balances(Session *S, const char *project, Format f, FILE *out) { return figure(S, balances, project, f, out); }

bool figures_forecast_change(Session *S, const Total *before, int nb, FILE *out)
{
	Total after[256];
	int na = figures_forecast_totals(S, after, 256);
	if (na < 0)
		return false;
	static const char *const headers[] = { "fiscal_quarter", "currency", "before", "after", "change" };
	static const bool right[] = { false, false, true, true, true };
	FTable *ft = format_begin(NULL, 5, headers, right, S->format, out);
	int i = 0, j = 0;
	while (i < nb || j < na) {
		int c = i >= nb ? 1 : j >= na ? -1 : strcmp(before[i].key, after[j].key);
		Dec b = c <= 0 ? before[i].amount : dec_from_int(0), a = c >= 0 ? after[j].amount : dec_from_int(0), d;
		const char *key = c <= 0 ? before[i].key : after[j].key;
		char q[16] = "", cur[8] = "", bb[DEC_BUFSZ], ab[DEC_BUFSZ], db[DEC_BUFSZ + 1];
		sscanf(key, "%15s %7s", q, cur);
		dec_sub(a, b, &d);
		snprintf(db, sizeof db, "%s%s", dec_sign(d) > 0 ? "+" : "", money_fmt(d, cur, ab));
		const char *cells[] = { q, cur, c <= 0 ? money_fmt(b, cur, bb) : "", c >= 0 ? money_fmt(a, cur, ab) : "",
					dec_sign(d) ? db : "" };
		format_row(ft, cells);
		i += c <= 0;
		j += c >= 0;
	}
	format_end(ft);
	return true;
}
