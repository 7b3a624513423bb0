/* report.c: the month-end pack for Finance, as a self-contained HTML page.
 * Its tables are the sections of summary.c (the same rows and order as the
 * terminal summary); here they get customer names, thousands separators,
 * errors set apart from warnings, and the forecast by fiscal quarter drawn
 * as bars split into actual (released) and forecast, per currency and in
 * the reporting currency. Bar lengths are computed in exact decimals. */
#include "report.h"

#include <string.h>

#include "money.h"
#include "summary.h"

void html_text(FILE *out, const char *s)
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

/* A section's anchor: its sheet name, lower case, blanks as dashes. */
static void anchor(FILE *out, const char *name)
{
	for (; *name; name++)
		fputc(*name == ' ' ? '-' : *name >= 'A' && *name <= 'Z' ? *name - 'A' + 'a' : *name, out);
}

/* "-1234567.5" as "-1,234,567.5": separators in the whole part only. */
static void grouped(FILE *out, const char *s)
{
	if (*s == '-' || *s == '+')
		fputc(*s++, out);
	size_t whole = strcspn(s, ".");
	for (size_t i = 0; i < whole; i++) {
		if (i && (whole - i) % 3 == 0)
			fputc(',', out);
		fputc(s[i], out);
	}
	html_text(out, s + whole);
}

static bool table(FILE *out, sqlite3 *db, const SummarySection *s, long long run_id, bool heading)
{
	const char *err;
	SummaryRows *r = summary_open(db, s, run_id, &err);
	if (!r)
		return false;
	int n = summary_ncols(r);
	if (heading) {
		fputs("<h2 id=\"", out);
		anchor(out, s->sheet);
		fputs("\">", out);
		html_text(out, s->title);
		fputs("</h2>\n", out);
	}
	fputs("<table>\n<tr>", out);
	for (int i = 0; i < n; i++) {
		fputs(s->cols[i] == 'm' || s->cols[i] == 'n' ? "<th class=n>" : "<th>", out);
		html_text(out, summary_colname(r, i));
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
	int rows = 0;
	const char *cells[16];
	while (rows < 500 && summary_next(r, cells)) {
		fputs("<tr>", out);
		for (int i = 0; i < n; i++) {
			char k = s->cols[i];
			fputs(k == 'm' || k == 'n' ? "<td class=n>" : k == 'd' || k == 'c' ? "<td class=d>" : "<td>", out);
			if (k == 'm' || k == 'n') { /* money is as summary.c shows it */
				grouped(out, cells[i]);
			} else {
				html_text(out, cells[i]);
			}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
		rows++;
	}
	fputs("</table>\n", out);
	if (rows == 0)
		fputs("<p class=none>none</p>\n", out);
	if (rows == 500)
		fputs("<p class=none>(the first 500 rows; query the database for all)</p>\n", out);
	return summary_close(r, &err);
}

/* One bar of the chart: actual then forecast, scaled to max over width. */
typedef struct Bar {
	char label[48], cur[8];
	Dec actual, forecast;    /* forecast is the whole amount when not split */
} Bar;

static long long px(Dec v, Dec max, int width)
{
	Dec scaled, w;
	long long p = 0;
	if (dec_mul(v, dec_from_int(width), &scaled) == DEC_OK &&
	    dec_div_round(scaled, max, dec_from_int(1), ROUND_HALF_UP, &w) == DEC_OK)
		dec_to_ll(w, &p);
	return p < 0 ? 0 : p;
}

static bool parse_amount(const char *s, Dec *d)
{
	return *s && dec_parse(s, strlen(s), d) == DEC_OK;
}

/* The bars of a chart section: per currency split into actual and
 * forecast (columns quarter, currency, actual, forecast, ...), or in the
 * reporting currency (quarter, currency, amount). Each currency is
 * scaled on its own: amounts in different currencies are not comparable. */
static bool chart(FILE *out, sqlite3 *db, const SummarySection *s, long long run_id)
{
	const char *err;
	SummaryRows *r = summary_open(db, s, run_id, &err);
	if (!r)
		return false;
	Bar bars[256];
	int n = 0;
	const char *cells[16];
	bool split = s->chart == SUM_CHART_CURRENCY;
	while (n < 256 && summary_next(r, cells)) {
		Bar *b = &bars[n];
		snprintf(b->label, sizeof b->label, "%s %s", cells[0], cells[1]);
		snprintf(b->cur, sizeof b->cur, "%s", cells[1]);
		b->actual = dec_from_int(0);
		if (split ? parse_amount(cells[2], &b->actual) && parse_amount(cells[3], &b->forecast)
			  : parse_amount(cells[2], &b->forecast))
			n++;
	}
	if (!summary_close(r, &err))
		return false;
	if (n == 0)
		return true;
	int row = 26, width = 480, left = 130;
	fprintf(out, "<svg class=chart width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n", left + width + 200,
		n * row + (split ? 30 : 8), split ? "forecast by fiscal quarter and currency: actual and forecast"
						  : "forecast by fiscal quarter in the reporting currency");
	for (int i = 0; i < n; i++) {
		Bar *b = &bars[i];
		/* the largest quarter of this bar's currency is the full width */
		Dec max = dec_from_int(1), sum;
		for (int j = 0; j < n; j++)
			if (strcmp(bars[j].cur, b->cur) == 0 && dec_add(bars[j].actual, bars[j].forecast, &sum) == DEC_OK &&
			    dec_cmp(sum, max) > 0)
				max = sum;
		long long a = px(b->actual, max, width), f = px(b->forecast, max, width);
		char total[DEC_BUFSZ];
		if (dec_add(b->actual, b->forecast, &sum) != DEC_OK)
			sum = b->forecast;
		int y = i * row;
		fprintf(out, "<g><text x=\"0\" y=\"%d\">", y + 18);
		html_text(out, b->label);
		fputs("</text>", out);
		if (split)
			fprintf(out, "<rect class=actual x=\"%d\" y=\"%d\" width=\"%lld\" height=\"18\"/>", left, y + 4, a);
		fprintf(out, "<rect class=%s x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"18\"/>", split ? "forecast" : "total", left + a,
			y + 4, f);
		fprintf(out, "<text x=\"%lld\" y=\"%d\">", left + a + f + 6, y + 18);
		grouped(out, money_fmt(sum, b->cur, total));
		fputs("</text></g>\n", out);
	}
	if (split)
		fprintf(out, "<g class=legend><rect class=actual x=\"%d\" y=\"%d\" width=\"12\" height=\"12\"/><text x=\"%d\" y=\"%d\">actual "
			     "(released)</text><rect class=forecast x=\"%d\" y=\"%d\" width=\"12\" height=\"12\"/><text x=\"%d\" y=\"%d\">"
			     "forecast</text></g>\n",
			left, n * row + 10, left + 16, n * row + 21, left + 150, n * row + 10, left + 166, n * row + 21);
	fputs("</svg>\n", out);
	fprintf(out, "<p class=note>%s</p>\n", split ? "Each currency is drawn to its own scale: amounts in different currencies are not comparable."
						      : "All lines at the as-of rate, in the reporting currency.");
	return true;
}


bool report_html(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, FILE *out)
{
	char day[DATE_BUFSZ];
	fprintf(out, "<!doctype html>\n<html lang=en><head><meta charset=utf-8>\n"
		     "<title>Month-end %s</title>\n<style>\n"
		     "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:75em}\n"
		     "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}\n"
		     "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.d{white-space:nowrap}\n"
		     "h2{margin-top:1.5em}.none,.note{color:#666}nav a{margin-right:1em}\n"
		     "section.errors h2{color:#a40000}section.errors{border-left:4px solid #a40000;padding-left:1em}\n"
		     "section.warnings{border-left:4px solid #c68a00;padding-left:1em}\n"
		     "svg text{font:12px system-ui,sans-serif}svg rect.actual{fill:#2f5f98}svg rect.forecast{fill:#9bbbe0}svg rect.total{fill:#5a8f5a}\n"
		     "</style></head><body>\n", R->period);
	fprintf(out, "<h1>Month-end %s</h1>\n<p>As of %s, run %lld%s. Every amount is exact; each total is its lines "
		     "summed, then rounded once to the currency's minor unit.</p>\n",
		R->period, date_fmt(as_of, day), R->run_id, dry_run ? " (a dry run: nothing was written)" : "");
	fputs("<nav>", out);
	for (int i = 0; i < summary_nsections; i++)
		if (summary_sections[i].where & SUM_PACK) {
			fputs("<a href=\"#", out);
			anchor(out, summary_sections[i].sheet);
			fputs("\">", out);
			html_text(out, summary_sections[i].sheet);
			fputs("</a> ", out);
		}
	fputs("</nav>\n", out);
	bool ok = true;
	for (int i = 0; ok && i < summary_nsections; i++) {
		const SummarySection *s = &summary_sections[i];
		if (!(s->where & SUM_PACK))
			continue;
		bool errors = strcmp(s->sheet, "Errors") == 0, warnings = strcmp(s->sheet, "Warnings") == 0;
		if (errors || warnings)
			fprintf(out, "<section class=%s>\n", errors ? "errors" : "warnings");
		if (s->chart) {
			fputs("<h2 id=\"", out);
			anchor(out, s->sheet);
			fputs("\">", out);
			html_text(out, s->title);
			fputs("</h2>\n", out);
			ok = chart(out, db, s, R->run_id);
		}
		ok = ok && table(out, db, s, R->run_id, !s->chart);
		if (errors || warnings)
			fputs("</section>\n", out);
	}
	fputs("</body></html>\n", out);
	return ok;
}
