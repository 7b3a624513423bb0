/* summary.c: what the month-end summary shows, as data, and reading it.
 *
 * Each section is a title, a statement over the run's tables and the kind of
 * each column. The terminal summary, the HTML pack and the workbook all read
 * the sections from here, so their rows and their order cannot drift apart.
 * Sums are never SQLite's (binary floating point): a grouped section returns
 * the lines and totals.c adds them exactly and rounds once. */
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "totals.h"

#define SEVERITY_ORDER "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"

const SummarySection summary_sections[] = {
	{ "Revenue by project (lines summed, then rounded once)", "Revenue by project",
	  "SELECT t.project_id, p.customer, t.currency, t.amount, t.reporting_currency, t.reporting_amount "
	  "FROM revenue_totals t LEFT JOIN projects p ON p.id = t.project_id WHERE t.run_id = ?1 ORDER BY t.project_id, t.currency",
	  0, NULL, "ttcmcm", SUM_ALL, 0 },
	{ "Revenue by currency", "Revenue by currency",
	  "SELECT currency, amount FROM revenue WHERE run_id = ?1 ORDER BY currency", 1, "lines", "cnm", SUM_ALL, 0 },
	{ "Revenue in the reporting currency", "Revenue reporting",
	  "SELECT reporting_currency, reporting_amount FROM reporting_lines WHERE run_id = ?1 AND kind = 'revenue' ORDER BY reporting_currency",
	  1, NULL, "cm", SUM_ALL, 0 },
	{ "Revenue by basis", "Revenue by basis",
	  "SELECT basis, currency, amount FROM revenue WHERE run_id = ?1 ORDER BY basis, currency", 2, "lines", "tcnm", SUM_ALL, 0 },
	{ "Billing to raise", "Billing",
	  "SELECT b.project_id, p.customer, b.source_id, b.bill_on, b.amount, b.currency, b.reason "
	  "FROM billing b LEFT JOIN projects p ON p.id = b.project_id WHERE b.run_id = ?1 ORDER BY b.bill_on, b.project_id, b.source_id, b.reason",
	  0, NULL, "tttdmct", SUM_ALL, 0 },
	{ "Billing by currency", "Billing by currency",
	  "SELECT currency, amount FROM billing WHERE run_id = ?1 ORDER BY currency", 1, "lines", "cnm", SUM_ALL, 0 },
	{ "Billing in the reporting currency", "Billing reporting",
	  "SELECT reporting_currency, reporting_amount FROM reporting_lines WHERE run_id = ?1 AND kind = 'billing' ORDER BY reporting_currency",
	  1, NULL, "cm", SUM_ALL, 0 },
	/* SPEC 8.5: the run's drafts, numbered at commit (sequence.c); 9.1: a
	 * supplementary or credit names the invoice on the record it corrects */
	{ "Invoice drafts (numbered when the run committed; VAT rounded once per invoice)", "Invoice drafts",
	  "SELECT number, kind, coalesce(supplement_of, credit_of) AS corrects, project_id, customer, invoice_on, due_on, currency, "
	  "net, vat, gross, books_currency, books_gross, status FROM invoice_drafts WHERE run_id = ?1 ORDER BY number",
	  0, NULL, "tttttddcmmmcmt", SUM_ALL, 0 },
	{ "Invoice drafts by currency", "Invoices by currency",
	  "SELECT currency, net, vat, gross FROM invoice_drafts WHERE run_id = ?1 ORDER BY currency", 1, "drafts", "cnmmm", SUM_ALL, 0 },
	{ "Forecast by fiscal quarter (each total exact, rounded once)", "Forecast by quarter",
	  "SELECT fiscal_quarter, currency, actual_amount, forecast_amount, amount, reporting_currency, reporting_amount "
	  "FROM forecast_totals WHERE run_id = ?1 ORDER BY fiscal_quarter, currency",
	  0, NULL, "tcmmmcm", SUM_ALL, SUM_CHART_CURRENCY },
	{ "Forecast in the reporting currency", "Forecast reporting",
	  "SELECT fiscal_quarter, reporting_currency, reporting_amount FROM reporting_lines WHERE run_id = ?1 AND kind = 'forecast' "
	  "ORDER BY fiscal_quarter, reporting_currency",
	  2, NULL, "tcm", SUM_ALL, SUM_CHART_REPORTING },
	{ "Forecast lines", "Forecast lines",
	  "SELECT f.fiscal_quarter, f.project_id, p.customer, f.basis, f.amount, f.currency "
	  "FROM forecast f LEFT JOIN projects p ON p.id = f.project_id WHERE f.run_id = ?1 ORDER BY f.fiscal_quarter, f.project_id, f.basis, f.amount",
	  0, NULL, "ttttmc", SUM_ALL, 0 },
	/* SPEC 8.6: recognized and billed to the period end, exact as written */
	{ "Work in progress (revenue and billing to date)", "Balances",
	  "SELECT w.project_id, p.customer, w.currency, w.recognized_to_date, w.billed_to_date, w.unbilled, w.deferred "
	  "FROM balances w LEFT JOIN projects p ON p.id = w.project_id WHERE w.run_id = ?1 ORDER BY w.project_id, w.currency",
	  0, NULL, "ttcmmmm", SUM_ALL, 0 },
	/* SPEC 9.2, the IFRS 15 / ASC 606 disclosures: views in schema.c */
	{ "Contract balances, roll-forward (IFRS 15.116-118, ASC 606-10-50-8)", "Contract balances",
	  "SELECT line, item, currency, amount FROM contract_balance_rollforward WHERE run_id = ?1 ORDER BY line, currency",
	  3, NULL, "ttcm", SUM_PACK, 0 },
	{ "Remaining performance obligations by fiscal quarter (fixed-price work; time and materials left out under the "
	  "right-to-invoice expedient, IFRS 15.121, ASC 606-10-50-14)", "Remaining obligations",
	  "SELECT fiscal_quarter, currency, amount FROM remaining_performance_obligations WHERE run_id = ?1 "
	  "ORDER BY fiscal_quarter, currency",
	  2, "lines", "tcnm", SUM_PACK, 0 },
	{ "Proposed transitions", "Transitions",
	  "SELECT t.project_id, p.customer, t.from_status, t.to_status, t.on_date, t.reason "
	  "FROM transitions t LEFT JOIN projects p ON p.id = t.project_id WHERE t.run_id = ?1 ORDER BY t.project_id, t.on_date",
	  0, NULL, "ttttdt", SUM_ALL, 0 },
	{ "Findings by severity", "Findings by severity",
	  "SELECT severity, count(*) AS findings FROM findings WHERE run_id = ?1 GROUP BY severity ORDER BY " SEVERITY_ORDER,
	  0, NULL, "tn", SUM_PACK, 0 },
	{ "Errors", "Errors",
	  "SELECT f.code, f.project_id, p.customer, f.subject, f.message FROM findings f LEFT JOIN projects p ON p.id = f.project_id "
	  "WHERE f.run_id = ?1 AND f.severity = 'error' ORDER BY f.code, f.project_id, f.subject",
	  0, NULL, "ttttt", SUM_ALL, 0 },
	{ "Warnings and notes", "Warnings",
	  "SELECT f.severity, f.code, f.project_id, p.customer, f.subject, f.message FROM findings f "
	  "LEFT JOIN projects p ON p.id = f.project_id WHERE f.run_id = ?1 AND f.severity <> 'error' "
	  "ORDER BY CASE f.severity WHEN 'warning' THEN 0 ELSE 1 END, f.code, f.project_id, f.subject",
	  0, NULL, "tttttt", SUM_ALL, 0 },
};
const int summary_nsections = (int)(sizeof summary_sections / sizeof *summary_sections);

int summary_currency_col(const SummarySection *s, int i)
{
	for (int j = i - 1; j >= 0; j--)
		if (s->cols[j] == 'c')
			return j;
	for (int j = i + 1; s->cols[j]; j++)
		if (s->cols[j] == 'c')
			return j;
	return -1;
}

#define MAXCOLS 16

struct SummaryRows {
	const SummarySection *s;
	sqlite3_stmt *st;
	Totals T;
	int ncols;
	const char *names[MAXCOLS];
	char buf[MAXCOLS][DEC_BUFSZ + 24];
	const char *err;
	bool failed;
};

SummaryRows *summary_open(sqlite3 *db, const SummarySection *s, long long run_id, const char **err)
{
	SummaryRows *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->s = s;
	if (sqlite3_prepare_v2(db, s->sql, -1, &r->st, NULL) != SQLITE_OK) {
		*err = sqlite3_errmsg(db);
		free(r);
		return NULL;
	}
	sqlite3_bind_int64(r->st, 1, run_id);
	int n = sqlite3_column_count(r->st);
	if (s->group) {
		totals_open(&r->T, r->st, s->group, n - s->group);
		int k = 0;
		for (int i = 0; i < s->group && k < MAXCOLS; i++)
			r->names[k++] = sqlite3_column_name(r->st, i);
		if (s->count)
			r->names[k++] = s->count;
		for (int i = s->group; i < n && k < MAXCOLS; i++)
			r->names[k++] = sqlite3_column_name(r->st, i);
		r->ncols = k;
	} else {
		r->ncols = n < MAXCOLS ? n : MAXCOLS;
		for (int i = 0; i < r->ncols; i++)
			r->names[i] = sqlite3_column_name(r->st, i);
	}
	return r;
}

int summary_ncols(const SummaryRows *r) { return r->ncols; }
const char *summary_colname(const SummaryRows *r, int i) { return r->names[i]; }

bool summary_next(SummaryRows *r, const char **cells)
{
	const SummarySection *s = r->s;
	if (!s->group) {
		int rc = sqlite3_step(r->st);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE) {
				r->failed = true;
				r->err = sqlite3_errmsg(sqlite3_db_handle(r->st));
			}
			return false;
		}
		for (int i = 0; i < r->ncols; i++) {
			const char *c = (const char *)sqlite3_column_text(r->st, i);
			cells[i] = c ? c : "";
		}
		for (int i = 0; i < r->ncols; i++)
			if (s->cols[i] == 'm') {
				int cc = summary_currency_col(s, i);
				cells[i] = money_text(cells[i], cc >= 0 ? cells[cc] : NULL, r->buf[i]);
			}
		return true;
	}
	if (!totals_next(&r->T)) {
		if (r->T.err) {
			r->failed = true;
			r->err = r->T.err;
		}
		return false;
	}
	int k = 0;
	for (int i = 0; i < s->group; i++)
		cells[k++] = r->T.key[i];
	if (s->count) {
		snprintf(r->buf[k], sizeof r->buf[k], "%lld", r->T.lines);
		cells[k] = r->buf[k];
		k++;
	}
	for (int i = 0; i < r->T.nsums && k < r->ncols; i++, k++) {
		int cc = summary_currency_col(s, k);
		const char *cur = cc >= 0 && cc < s->group ? r->T.key[cc] : NULL;
		Dec d;
		if (totals_rounded(&r->T, i, cur, &d))
			money_fmt(d, cur, r->buf[k]);
		else
			r->buf[k][0] = 0;
		cells[k] = r->buf[k];
	}
	return true;
}

bool summary_close(SummaryRows *r, const char **err)
{
	bool ok = !r->failed;
	if (!ok)
		*err = r->err;
	sqlite3_finalize(r->st);
	free(r);
	return ok;
}

long long summary_count(sqlite3 *db, const SummarySection *s, long long run_id)
{
	long long n = 0;
	const char *err;
	SummaryRows *r = summary_open(db, s, run_id, &err);
	if (!r)
		return -1;
	const char *cells[MAXCOLS];
	if (!s->group) {
		/* count without reading every row into text */
		char q[2048];
		snprintf(q, sizeof q, "SELECT count(*) FROM (%s)", s->sql);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, run_id);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	} else {
		while (summary_next(r, cells))
			n++;
	}
	summary_close(r, &err);
	return n;
}

const SummarySection *summary_section(const char *sheet)
{
	for (int i = 0; i < summary_nsections; i++)
		if (strcmp(summary_sections[i].sheet, sheet) == 0)
			return &summary_sections[i];
	return NULL;
}
