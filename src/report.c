/* report.c: the month-end pack for Finance, as a self-contained HTML page:
 * the run, revenue by project, billing to raise, the forecast by fiscal
 * quarter (a bar chart in inline SVG and its table), transitions and
 * findings. Bar lengths are computed in exact decimals like everything else. */
#include "report.h"

#include <string.h>

static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
}

/* A table of the rows of sql (bound to the run id), at most 500. */
static bool table(FILE *out, sqlite3 *db, const char *title, const char *sql, long long run_id)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, run_id);
	int n = sqlite3_column_count(st);
	fprintf(out, "<h2>");
	esc(out, title);
	fprintf(out, "</h2>\n<table>\n<tr>");
	for (int i = 0; i < n; i++) {
		fputs("<th>", out);
		esc(out, sqlite3_column_name(st, i));
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
	int rows = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && rows < 500) {
		fputs("<tr>", out);
		for (int i = 0; i < n; i++) {
			const char *c = (const char *)sqlite3_column_text(st, i);
			bool num = c && (strcmp(sqlite3_column_name(st, i), "amount") == 0 || strcmp(sqlite3_column_name(st, i), "lines") == 0);
			fputs(num ? "<td class=n>" : "<td>", out);
			esc(out, c ? c : "");
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
		rows++;
	}
	sqlite3_finalize(st);
	fputs("</table>\n", out);
	if (rows == 0)
		fputs("<p class=none>none</p>\n", out);
	if (rows == 500)
		fputs("<p class=none>(the first 500 rows; query the database for all)</p>\n", out);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static void chart(FILE *out, const Total *t, int n)
{
	if (n == 0)
		return;
	Dec max = dec_from_int(1);
	for (int i = 0; i < n; i++)
		if (dec_cmp(t[i].amount, max) > 0)
			max = t[i].amount;
	int row = 28, width = 520, left = 150;
	fprintf(out, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"forecast by fiscal quarter\">\n",
		left + width + 140, n * row + 10);
	for (int i = 0; i < n; i++) {
		Dec w;
		long long px = 0;
		Dec scaled;
		/* bar = amount / max * width, rounded to a whole pixel */
		if (dec_mul(t[i].amount, dec_from_int(width), &scaled) == DEC_OK &&
		    dec_div_round(scaled, max, dec_from_int(1), ROUND_HALF_UP, &w) == DEC_OK)
			dec_to_ll(w, &px);
		if (px < 0)
			px = 0;
		char amount[DEC_BUFSZ];
		fprintf(out, "<text x=\"0\" y=\"%d\">", i * row + 20);
		esc(out, t[i].key);
		fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"18\"/>"
			     "<text x=\"%lld\" y=\"%d\">%s</text>\n",
			left, i * row + 6, px, left + px + 6, i * row + 20, dec_fmt(t[i].amount, amount));
	}
	fputs("</svg>\n", out);
}

bool report_html(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, FILE *out)
{
	char day[DATE_BUFSZ];
	fprintf(out, "<!doctype html>\n<html lang=en><head><meta charset=utf-8>\n"
		     "<title>Month-end %s</title>\n<style>\n"
		     "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\n"
		     "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}\n"
		     "td.n{text-align:right;font-variant-numeric:tabular-nums}h2{margin-top:1.5em}.none{color:#888}\n"
		     "svg text{font:12px system-ui,sans-serif}svg rect{fill:#4a78b5}\n"
		     "</style></head><body>\n", R->period);
	fprintf(out, "<h1>Month-end %s</h1>\n<p>As of %s, run %lld%s. Every amount is exact; each project's "
		     "period total is its lines summed, then rounded once.</p>\n",
		R->period, date_fmt(as_of, day), R->run_id, dry_run ? " (a dry run: nothing was written)" : "");
	bool ok = table(out, db, "Revenue by project",
			"SELECT project_id, currency, amount FROM revenue_totals WHERE run_id = ? ORDER BY project_id, currency",
			R->run_id) &&
		  table(out, db, "Revenue lines by basis",
			"SELECT basis, currency, count(*) AS lines FROM revenue WHERE run_id = ? GROUP BY basis, currency ORDER BY basis",
			R->run_id) &&
		  table(out, db, "Billing to raise",
			"SELECT project_id, source_id, bill_on, amount, currency, reason FROM billing WHERE run_id = ? ORDER BY bill_on, project_id",
			R->run_id);
	Total t[256];
	int n = ledger_forecast_totals(db, R->run_id, NULL, t, 256);
	if (n < 0)
		return false;
	fputs("<h2>Forecast by fiscal quarter</h2>\n", out);
	chart(out, t, n);
	ok = ok &&
	     table(out, db, "Forecast lines",
		   "SELECT fiscal_quarter, project_id, basis, amount, currency FROM forecast WHERE run_id = ? ORDER BY fiscal_quarter, project_id",
		   R->run_id) &&
	     table(out, db, "Proposed status transitions",
		   "SELECT project_id, from_status, to_status, on_date, reason FROM transitions WHERE run_id = ? ORDER BY project_id",
		   R->run_id) &&
	     table(out, db, "Findings by severity",
		   "SELECT severity, count(*) AS lines FROM findings WHERE run_id = ? GROUP BY severity "
		   "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END",
		   R->run_id) &&
	     table(out, db, "Findings",
		   "SELECT severity, code, project_id, subject, message FROM findings WHERE run_id = ? "
		   "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, code, project_id",
		   R->run_id);
	fputs("</body></html>\n", out);
	return ok;
}
