/* pages.c: the pages of `sow serve`, plain HTML that reads without
 * JavaScript. Each figure comes from the database as stored: the pack from
 * summary.c through report.c, a table's rows as eval prints them (format.c
 * for csv and json), the invoice from invoice.c, `why` from the session.
 * Every value goes out through html_text; table and column names in SQL come
 * from schema.c only, values are bound, so a URL never reaches SQL text. */
#include "pages.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "format.h"
#include "invoice.h"
#include "money.h"
#include "report.h"
#include "schema.h"
#include "stmt.h"
#include "summary.h"

enum { MAX_HTML_ROWS = 5000, MAX_COLS = 32 };

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:80em}\n"
	"table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"nav.site{margin-bottom:1em}nav.site a{margin-right:1em}.note{color:#666}pre{background:#f6f6f6;padding:1em;overflow-x:auto}\n"
	".figure{font-size:1.3em}form input{margin-right:1em}\n";

static void h(FILE *out, const char *s) { html_text(out, s); }

/* s percent-encoded for a URL path segment or query value. */
static void url(FILE *out, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("-._~", *c))
			fputc(*c, out);
		else
			fprintf(out, "%%%02X", *c);
	}
}

static void nav(FILE *out)
{
	fputs("<nav class=site><a href=\"/\">periods and runs</a> · <a href=\"/eval\">ask</a></nav>\n", out);
}

static void head(FILE *out, const char *title, const char *title2)
{
	fputs("<!doctype html>\n<html lang=en><head><meta charset=utf-8>\n<title>", out);
	h(out, title);
	if (title2) {
		fputc(' ', out);
		h(out, title2);
	}
	fprintf(out, "</title>\n<style>\n%s</style></head><body>\n", style);
	nav(out);
	fputs("<h1>", out);
	h(out, title);
	if (title2) {
		fputc(' ', out);
		h(out, title2);
	}
	fputs("</h1>\n", out);
}

static void foot(FILE *out) { fputs("</body></html>\n", out); }

void page_errorf(Page *p, int status, const char *fmt, ...)
{
	char what[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	page_error(p, status, what);
}

void page_error(Page *p, int status, const char *what)
{
	rewind(p->out);
	p->status = status;
	p->type = "text/html; charset=utf-8";
	const char *title = status == 404 ? "Not found" : status == 405 ? "Method not allowed"
			  : status == 400 ? "Bad request" : "Server error";
	head(p->out, title, NULL);
	fputs("<p>", p->out);
	h(p->out, what);
	fputs("</p>\n", p->out);
	foot(p->out);
}

/* A read that failed: a 500 page naming the database and SQLite's reason. */
static void db_error(Site *s, Page *p) { page_errorf(p, 500, "%s: %s", s->db_path, sqlite3_errmsg(s->db)); }

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static sqlite3_stmt *prepare(Site *s, Page *p, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(s, p);
		return NULL;
	}
	return st;
}

/* Finish a statement; a read that failed makes the page a 500. */
static bool finish(Site *s, Page *p, sqlite3_stmt *st, int rc)
{
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return true;
	db_error(s, p);
	return false;
}

/* A link: prefix, then the value percent-encoded, the value shown. */
static void link(FILE *out, const char *prefix, const char *value, const char *shown)
{
	fprintf(out, "<a href=\"%s", prefix);
	url(out, value);
	fputs("\">", out);
	h(out, shown ? shown : value);
	fputs("</a>", out);
}

/* "rules/std/revenue.sow:16 release_time" (a row's rule column) as a link
 * to that line of the rule file, when the file is one the site loaded. */
static bool loaded_file(Site *s, const char *path);
static void rule_cell(Site *s, FILE *out, const char *rule)
{
	const char *colon = strrchr(rule, ':');
	char file[512];
	size_t n = colon ? (size_t)(colon - rule) : 0;
	if (colon && n < sizeof file && colon[1] >= '0' && colon[1] <= '9') {
		memcpy(file, rule, n);
		file[n] = 0;
		if (loaded_file(s, file)) {
			fputs("<a href=\"/source?file=", out);
			url(out, file);
			fprintf(out, "#L%d\">", atoi(colon + 1));
			h(out, rule);
			fputs("</a>", out);
			return;
		}
	}
	h(out, rule);
}

/* ---- / ----------------------------------------------------------------- */

/* Rows of a statement as a table; columns named in links[] (by header) link
 * to prefix + value. */
typedef struct ColLink {
	const char *col, *prefix;
} ColLink;

static bool simple_table(Site *s, Page *p, const char *sql, const char *bind, const ColLink *links, int nlinks)
{
	sqlite3_stmt *st = prepare(s, p, sql);
	if (!st)
		return false;
	if (bind)
		sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
	FILE *out = p->out;
	int n = sqlite3_column_count(st);
	fputs("<table>\n<tr>", out);
	for (int i = 0; i < n; i++) {
		fputs("<th>", out);
		h(out, sqlite3_column_name(st, i));
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
	int rc, rows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs("<tr>", out);
		for (int i = 0; i < n; i++) {
			const char *v = col_text(st, i), *prefix = NULL;
			for (int k = 0; k < nlinks; k++)
				if (strcmp(links[k].col, sqlite3_column_name(st, i)) == 0)
					prefix = links[k].prefix;
			fputs("<td>", out);
			if (prefix && *v)
				link(out, prefix, v, NULL);
			else if (strcmp(sqlite3_column_name(st, i), "rule") == 0)
				rule_cell(s, out, v);
			else
				h(out, v);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
		rows++;
	}
	fputs("</table>\n", out);
	if (rows == 0 && rc == SQLITE_DONE)
		fputs("<p class=note>none</p>\n", out);
	return finish(s, p, st, rc);
}

void page_index(Site *s, Page *p)
{
	FILE *out = p->out;
	head(out, "sow:", s->db_path);
	fputs("<h2>Periods</h2>\n", out);
	static const ColLink run_link[] = { { "run", "/runs/" }, { "latest run", "/runs/" } };
	if (!simple_table(s, p,
			  "SELECT m.period, CASE WHEN c.period IS NOT NULL THEN 'closed' ELSE 'open' END AS status, "
			  "coalesce(c.closed_at, '') AS closed_at, (SELECT max(id) FROM runs r WHERE r.period = m.period) AS \"latest run\" "
			  "FROM (SELECT period FROM runs UNION SELECT period FROM periods) m LEFT JOIN periods c ON c.period = m.period "
			  "ORDER BY m.period",
			  NULL, run_link, 2))
		return;
	fputs("<h2>Runs</h2>\n", out);
	if (!simple_table(s, p,
			  "SELECT id AS run, period, as_of, status, rules_digest, started_at, finished_at, "
			  "CASE WHEN id = (SELECT max(id) FROM runs r2 WHERE r2.period = runs.period) THEN 'current' ELSE 'superseded' END "
			  "AS \"record\" FROM runs ORDER BY id",
			  NULL, run_link, 1))
		return;
	fputs("<h2>Closes and reopens</h2>\n", out);
	if (!simple_table(s, p, "SELECT period, action, \"by\", at, reason FROM period_events ORDER BY rowid", NULL, NULL, 0))
		return;
	fputs("<h2>Projects</h2>\n", out);
	static const ColLink project_link[] = { { "project", "/projects/" } };
	if (!simple_table(s, p, "SELECT id AS project, name, customer, kind, status, country FROM projects ORDER BY id",
			  NULL, project_link, 1))
		return;
	fputs("<h2>Invoices</h2>\n", out);
	static const ColLink invoice_links[] = { { "number", "/invoices/" }, { "project", "/projects/" },
						 { "credit of", "/invoices/" }, { "run", "/runs/" } };
	if (!simple_table(s, p,
			  "SELECT number, project_id AS project, customer, invoice_on, currency, net, gross, status, "
			  "coalesce(credit_of, '') AS \"credit of\", run_id AS run FROM invoice_drafts ORDER BY number",
			  NULL, invoice_links, 4))
		return;
	if (s->S) {
		fputs("<h2>Rule files</h2>\n<p class=note>What the <code>why</code> pages explain with.</p>\n<ul>\n", out);
		for (int i = 0; i < s->npaths; i++) {
			fputs("<li>", out);
			h(out, s->paths[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	} else {
		fputs("<p class=note>No rule files were given: figures have no <code>why</code> pages "
		      "(sow serve --db DB RULE-FILES...).</p>\n",
		      out);
	}
	foot(out);
}

/* ---- runs --------------------------------------------------------------- */

typedef struct RunRow {
	long long id;
	char period[16], as_of[16], digest[32], status[16];
	Date date;
} RunRow;

static bool load_run(Site *s, Page *p, long long id, RunRow *r)
{
	sqlite3_stmt *st = prepare(s, p, "SELECT period, as_of, coalesce(rules_digest, ''), coalesce(status, '') FROM runs WHERE id = ?");
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	bool found = rc == SQLITE_ROW;
	if (found) {
		r->id = id;
		snprintf(r->period, sizeof r->period, "%s", col_text(st, 0));
		snprintf(r->as_of, sizeof r->as_of, "%s", col_text(st, 1));
		snprintf(r->digest, sizeof r->digest, "%s", col_text(st, 2));
		snprintf(r->status, sizeof r->status, "%s", col_text(st, 3));
		found = date_parse(r->as_of, strlen(r->as_of), &r->date);
	}
	if (!finish(s, p, st, rc))
		return false;
	if (!found) {
		page_errorf(p, 404, "there is no run %lld", id);
	}
	return found;
}

/* Output tables of a run: those with a run_id column, not the history. */
static const TableDef *run_table(const char *name)
{
	const TableDef *t = schema_table(name);
	if (!t || schema_column(t, "run_id") < 0 || strcmp(t->name, "runs") == 0)
		return NULL;
	size_t n = strlen(name);
	if (n > 8 && strcmp(name + n - 8, "_history") == 0)
		return NULL;
	return t;
}

typedef struct PackLinks {
	Site *s;
	const RunRow *run;
} PackLinks;

static void pack_top(void *arg, FILE *out)
{
	const PackLinks *l = arg;
	nav(out);
	fprintf(out, "<nav class=site>run %lld's tables: ", l->run->id);
	for (int i = 0; i < schema_ntables; i++)
		if (run_table(schema_tables[i].name))
			fprintf(out, "<a href=\"/runs/%lld/%s\">%s</a> ", l->run->id, schema_tables[i].name, schema_tables[i].name);
	fputs("</nav>\n", out);
	/* the pack reads the current tables; a superseded run's rows moved to
	 * the *_history tables, which its table pages read */
	if (strcmp(l->run->status, "superseded") == 0)
		fputs("<p class=note>This run was superseded (its period was run again or reopened): the pack below reads "
		      "the current tables and is empty; its rows are kept in the tables linked above.</p>\n",
		      out);
}

static int colno(const struct SummaryRows *r, const char *name)
{
	for (int i = 0; i < summary_ncols(r); i++)
		if (strcmp(summary_colname(r, i), name) == 0)
			return i;
	return -1;
}

static void url_to(FILE *f, const char *prefix, const char *v)
{
	fputs(prefix, f);
	url(f, v);
}

/* In the pack: revenue by project's amounts and billing's amounts link to
 * their why; projects and invoice numbers to their pages. */
static bool pack_cell(void *arg, const SummarySection *sec, const struct SummaryRows *r, const char *const *cells, int col,
		      char *href, size_t n)
{
	const PackLinks *l = arg;
	const char *name = summary_colname(r, col);
	FILE *f = fmemopen(href, n, "w");
	if (!f)
		return false;
	bool linked = true;
	int pc = colno(r, "project_id");
	if (strcmp(name, "project_id") == 0) {
		url_to(f, "/projects/", cells[col]);
	} else if (strcmp(name, "number") == 0) {
		url_to(f, "/invoices/", cells[col]);
	} else if (l->s->S && pc >= 0 && colno(r, "currency") >= 0 && strcmp(sec->sheet, "Revenue by project") == 0 &&
		   strstr(name, "amount")) {
		fprintf(f, "/runs/%lld/why/revenue_by_project?project_id=", l->run->id);
		url(f, cells[pc]);
		fprintf(f, "&period=%s&currency=", l->run->period);
		url(f, cells[colno(r, "currency")]);
	} else if (l->s->S && pc >= 0 && strcmp(sec->sheet, "Billing") == 0 && strcmp(name, "amount") == 0 && colno(r, "source_id") >= 0) {
		fprintf(f, "/runs/%lld/why/billing?project_id=", l->run->id);
		url(f, cells[pc]);
		fputs("&source_id=", f);
		url(f, cells[colno(r, "source_id")]);
	} else {
		linked = false;
	}
	bool whole = fputc(0, f) != EOF && fflush(f) == 0 && !ferror(f);
	fclose(f);
	return linked && whole && memchr(href, 0, n);
}

void page_run(Site *s, Page *p, long long id)
{
	RunRow run;
	if (!load_run(s, p, id, &run))
		return;
	RunCtx R;
	memset(&R, 0, sizeof R);
	R.run_id = id;
	snprintf(R.period, sizeof R.period, "%.7s", run.period);
	PackLinks l = { s, &run };
	ReportLinks links = { pack_top, pack_cell, &l };
	if (!report_html_links(s->db, &R, run.date, false, &links, p->out)) {
		db_error(s, p);
	}
}

/* ---- /runs/N/TABLE -------------------------------------------------------- */

static bool decimal_col(ColType t) { return t == COL_MONEY || t == COL_DECIMAL || t == COL_HOURS; }

/* A value in a form field or query parameter that is present and not empty. */
static const char *param(Page *p, const char *name)
{
	const char *v = p->param ? p->param(p->arg, name) : NULL;
	return v && *v ? v : NULL;
}

/* The table's query string without sort and dir, for the links that sort. */
static void filters_query(Page *p, FILE *out)
{
	static const char *const keys[] = { "project", "customer", "period" };
	for (int i = 0; i < 3; i++) {
		const char *v = param(p, keys[i]);
		if (v) {
			fprintf(out, "&amp;%s=", keys[i]);
			url(out, v);
		}
	}
}

/* The column of a statement's row called name (a table upgraded in place
 * may not have the schema's order), or -1. */
static int stmt_col(sqlite3_stmt *st, const char *name)
{
	for (int j = 0; j < sqlite3_column_count(st); j++)
		if (strcmp(sqlite3_column_name(st, j), name) == 0)
			return j;
	return -1;
}

/* A row's cells as eval prints them: money at its currency's places. */
static void row_cells(const TableDef *t, sqlite3_stmt *st, int n, const char **cells, char (*money)[DEC_BUFSZ])
{
	for (int i = 0; i < n; i++) {
		const char *c = sqlite3_column_name(st, i);
		int k = schema_column(t, c), cc = k >= 0 && t->cols[k].type == COL_MONEY ? schema_currency_column(t, c) : -1;
		int at = cc >= 0 ? stmt_col(st, t->cols[cc].name) : -1;
		cells[i] = at >= 0 ? money_text(col_text(st, i), col_text(st, at), money[i]) : col_text(st, i);
	}
}

static void why_link_row(FILE *out, long long run, const TableDef *t, sqlite3_stmt *st)
{
	int pc = stmt_col(st, "project_id"), sc = stmt_col(st, "source_id"), src = stmt_col(st, "source");
	fprintf(out, "<td><a href=\"/runs/%lld/why/%s?project_id=", run, t->name);
	url(out, col_text(st, pc));
	if (src >= 0) {
		fputs("&amp;source=", out);
		url(out, col_text(st, src));
	}
	fputs("&amp;source_id=", out);
	url(out, col_text(st, sc));
	fputs("\">why</a></td>", out);
}

void page_run_table(Site *s, Page *p, long long id, const char *name)
{
	const TableDef *t = run_table(name);
	if (!t) {
		page_errorf(p, 404, "a run has no table '%.200s'", name);
		return;
	}
	RunRow run;
	if (!load_run(s, p, id, &run))
		return;
	Format fmt = FMT_TABLE;
	const char *fname = param(p, "format");
	if (fname && (!format_parse(fname, &fmt) || (fmt != FMT_CSV && fmt != FMT_JSON && fmt != FMT_TABLE))) {
		page_error(p, 400, "format is csv or json (or none, for this page)");
		return;
	}
	const char *project = param(p, "project"), *customer = param(p, "customer"), *period = param(p, "period");
	const char *sort = param(p, "sort"), *dir = param(p, "dir");
	int sortcol = sort ? schema_column(t, sort) : -1;
	if (sort && sortcol < 0) {
		page_errorf(p, 400, "%s has no column '%.100s' to sort by", t->name, sort);
		return;
	}
	bool desc = dir && strcmp(dir, "desc") == 0;
	int pc = schema_column(t, "project_id"), cc = schema_column(t, "customer"), perc = schema_column(t, "period");
	if ((project && pc < 0) || (customer && pc < 0 && cc < 0)) {
		page_errorf(p, 400, "%s has no project or customer to filter by", t->name);
		return;
	}
	/* SQL from schema names only; every value is bound */
	char *sql = NULL;
	size_t sqln = 0;
	FILE *q = open_memstream(&sql, &sqln);
	if (!q) {
		page_error(p, 500, "out of memory");
		return;
	}
	char hist[64];
	snprintf(hist, sizeof hist, "%s_history", t->name);
	fputs("SELECT * FROM (SELECT * FROM ", q);
	fputs(t->name, q);
	fputs(" WHERE run_id = ?1", q);
	if (schema_table(hist))
		fprintf(q, " UNION ALL SELECT * FROM %s WHERE run_id = ?1", hist);
	fputs(") AS x WHERE 1", q);
	if (project)
		fputs(" AND x.project_id = ?2", q);
	if (customer)
		fputs(cc >= 0 ? " AND x.customer = ?3" : " AND x.project_id IN (SELECT id FROM projects WHERE customer = ?3)", q);
	if (period)
		fputs(perc >= 0 ? " AND x.period = ?4" : " AND ?4 = ?5", q);
	if (sortcol >= 0)
		fprintf(q, " ORDER BY x.%s%s%s", t->cols[sortcol].name, decimal_col(t->cols[sortcol].type) ? " COLLATE sow_decimal" : "",
			desc ? " DESC" : "");
	fclose(q);
	sqlite3_stmt *st = prepare(s, p, sql);
	free(sql);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, project ? project : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, customer ? customer : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, period ? period : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, run.period, -1, SQLITE_STATIC);
	int n = sqlite3_column_count(st);
	if (n > MAX_COLS)
		n = MAX_COLS;
	FILE *out = p->out;
	int rc;
	char money[MAX_COLS][DEC_BUFSZ];
	const char *cells[MAX_COLS];
	if (fmt != FMT_TABLE) {
		const char *headers[MAX_COLS];
		for (int i = 0; i < n; i++)
			headers[i] = sqlite3_column_name(st, i);
		FTable *ft = format_begin(NULL, n, headers, NULL, fmt, out);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			row_cells(t, st, n, cells, money);
			format_row(ft, cells);
		}
		format_end(ft);
		if (finish(s, p, st, rc))
			p->type = fmt == FMT_CSV ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
		return;
	}
	char title[64];
	snprintf(title, sizeof title, "run %lld:", id);
	head(out, title, t->name);
	fprintf(out, "<p>Period %s, as of %s. <a href=\"/runs/%lld\">The run's month-end pack</a>. "
		     "As <a href=\"/runs/%lld/%s?format=csv", run.period, run.as_of, id, id, t->name);
	filters_query(p, out);
	if (sort) {
		fputs("&amp;sort=", out);
		url(out, sort);
		if (desc)
			fputs("&amp;dir=desc", out);
	}
	fprintf(out, "\">CSV</a> or <a href=\"/runs/%lld/%s?format=json", id, t->name);
	filters_query(p, out);
	fputs("\">JSON</a>.</p>\n<form method=get>", out);
	static const char *const keys[] = { "project", "customer", "period" };
	for (int i = 0; i < 3; i++) {
		const char *v = param(p, keys[i]);
		fprintf(out, "<label>%s <input name=%s value=\"", keys[i], keys[i]);
		h(out, v ? v : "");
		fputs("\"></label>", out);
	}
	if (sort) {
		fputs("<input type=hidden name=sort value=\"", out);
		h(out, sort);
		fprintf(out, "\"><input type=hidden name=dir value=\"%s\">", desc ? "desc" : "asc");
	}
	fputs("<button>filter</button></form>\n<table>\n<tr>", out);
	bool why = s->S && (strcmp(t->name, "revenue") == 0 || strcmp(t->name, "billing") == 0);
	for (int i = 0; i < n; i++) {
		const char *c = sqlite3_column_name(st, i);
		int k = schema_column(t, c);
		bool right = k >= 0 && decimal_col(t->cols[k].type);
		fputs(right ? "<th class=n>" : "<th>", out);
		bool this = sortcol >= 0 && strcmp(c, sort) == 0;
		fprintf(out, "<a href=\"/runs/%lld/%s?sort=", id, t->name);
		url(out, c);
		if (this && !desc)
			fputs("&amp;dir=desc", out);
		filters_query(p, out);
		fputs("\">", out);
		h(out, c);
		if (this)
			fputs(desc ? " &#9660;" : " &#9650;", out);
		fputs("</a></th>", out);
	}
	if (why)
		fputs("<th>why</th>", out);
	fputs("</tr>\n", out);
	long long rows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > MAX_HTML_ROWS)
			continue;   /* counted, not shown */
		fputs("<tr>", out);
		row_cells(t, st, n, cells, money);
		for (int i = 0; i < n; i++) {
			const char *c = sqlite3_column_name(st, i), *v = cells[i];
			int k = schema_column(t, c);
			bool right = k >= 0 && decimal_col(t->cols[k].type);
			fputs(right ? "<td class=n>" : "<td>", out);
			if (*v && strcmp(c, "project_id") == 0)
				link(out, "/projects/", v, NULL);
			else if (*v && (strcmp(c, "number") == 0 || strcmp(c, "credit_of") == 0))
				link(out, "/invoices/", v, NULL);
			else if (strcmp(c, "rule") == 0)
				rule_cell(s, out, v);
			else
				h(out, v);
			fputs("</td>", out);
		}
		if (why)
			why_link_row(out, id, t, st);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!finish(s, p, st, rc))
		return;
	if (rows > MAX_HTML_ROWS)
		fprintf(out, "<p class=note>%lld rows; the first %d are shown (CSV and JSON have all).</p>\n", rows, MAX_HTML_ROWS);
	else
		fprintf(out, "<p class=note>%lld row%s</p>\n", rows, rows == 1 ? "" : "s");
	foot(out);
}

/* ---- why ------------------------------------------------------------------ */

/* A value put into a why statement: an id or a period as the database
 * holds them; anything else (quotes, braces, blanks) is refused. */
static bool plain_value(const char *v)
{
	if (!v || !*v || strlen(v) > 100)
		return false;
	for (const char *c = v; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("-_.:/", *c)))
			return false;
	return true;
}

static bool loaded_file(Site *s, const char *path);

/* A word of why's text that names a source row ("time_entries 9") or a
 * rule file line ("rules/std/revenue.sow:16") becomes a link. The text is
 * sow's own output; anything else in it is shown as is, escaped. */
static void why_text(Site *s, FILE *out, const char *text)
{
	const char *c = text;
	while (*c) {
		size_t w = strcspn(c, " \n(){},[]");
		if (w == 0) {
			char one[2] = { *c, 0 };
			h(out, one);
			c++;
			continue;
		}
		char word[256];
		if (w >= sizeof word) {
			for (size_t i = 0; i < w; i++) {
				char one[2] = { c[i], 0 };
				h(out, one);
			}
			c += w;
			continue;
		}
		memcpy(word, c, w);
		word[w] = 0;
		const TableDef *t = schema_table(word);
		char *colon = strrchr(word, ':');
		if (t && !t->output && t->id && c[w] == ' ' && (c == text || c[-1] == ' ' || c[-1] == '(')) {
			/* TABLE ID */
			const char *id = c + w + 1;
			size_t iw = strcspn(id, " \n(){},:");
			if (iw > 0 && iw < 200) {
				char idbuf[200];
				memcpy(idbuf, id, iw);
				idbuf[iw] = 0;
				fprintf(out, "<a href=\"/data/%s/", t->name);
				url(out, idbuf);
				fputs("\">", out);
				h(out, word);
				fputc(' ', out);
				h(out, idbuf);
				fputs("</a>", out);
				c = id + iw;
				continue;
			}
		}
		if (colon && colon[1] >= '0' && colon[1] <= '9') {
			*colon = 0;
			bool known = loaded_file(s, word);
			*colon = ':';
			if (known) {
				rule_cell(s, out, word);
				c += w;
				continue;
			}
		}
		h(out, word);
		c += w;
	}
}

/* The figure a why page explains, as the run stored it. */
static bool why_figure(Site *s, Page *p, const RunRow *run, const char *table, const char *project, const char *source,
		       const char *source_id, const char *period, const char *currency, bool *found)
{
	FILE *out = p->out;
	const char *sql;
	if (strcmp(table, "revenue_by_project") == 0)
		sql = "SELECT amount, currency, reporting_amount, reporting_currency FROM revenue_totals "
		      "WHERE run_id = ?1 AND project_id = ?2 AND period = ?4 AND (?5 = '' OR currency = ?5) "
		      "UNION ALL SELECT amount, currency, reporting_amount, reporting_currency FROM revenue_totals_history "
		      "WHERE run_id = ?1 AND project_id = ?2 AND period = ?4 AND (?5 = '' OR currency = ?5)";
	else if (strcmp(table, "revenue") == 0)
		sql = "SELECT amount, currency, recognized_on, basis FROM revenue WHERE run_id = ?1 AND project_id = ?2 "
		      "AND (?3 = '' OR source = ?3) AND source_id = ?6 UNION ALL SELECT amount, currency, recognized_on, basis "
		      "FROM revenue_history WHERE run_id = ?1 AND project_id = ?2 AND (?3 = '' OR source = ?3) AND source_id = ?6";
	else
		sql = "SELECT amount, currency, bill_on, reason FROM billing WHERE run_id = ?1 AND project_id = ?2 AND source_id = ?6 "
		      "UNION ALL SELECT amount, currency, bill_on, reason FROM billing_history WHERE run_id = ?1 AND project_id = ?2 "
		      "AND source_id = ?6";
	sqlite3_stmt *st = prepare(s, p, sql);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, run->id);
	sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, source ? source : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, period ? period : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, currency ? currency : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, source_id ? source_id : "", -1, SQLITE_STATIC);
	int rc;
	*found = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*found = true;
		fputs("<p class=figure>", out);
		h(out, table);
		fputc(' ', out);
		h(out, project);
		fputc(' ', out);
		h(out, period ? period : source_id);
		char shown[DEC_BUFSZ];
		fputs(": <data class=amount value=\"", out);
		h(out, money_text(col_text(st, 0), col_text(st, 1), shown));
		fputs("\">", out);
		html_amount(out, col_text(st, 0), col_text(st, 1));
		fputs("</data> ", out);
		h(out, col_text(st, 1));
		if (strcmp(table, "revenue_by_project") == 0) {
			if (*col_text(st, 2)) {
				fputs(" (", out);
				html_amount(out, col_text(st, 2), col_text(st, 3));
				fputc(' ', out);
				h(out, col_text(st, 3));
				fputs(" in the reporting currency)", out);
			}
		} else {
			fputs(", ", out);
			h(out, col_text(st, 2));
			fputs(", ", out);
			h(out, col_text(st, 3));
		}
		fprintf(out, " &mdash; as run %lld stored it</p>\n", run->id);
	}
	return finish(s, p, st, rc);
}

void page_why(Site *s, Page *p, long long id, const char *table)
{
	bool totals = strcmp(table, "revenue_by_project") == 0;
	if (!totals && strcmp(table, "revenue") != 0 && strcmp(table, "billing") != 0) {
		page_error(p, 404, "why pages explain revenue_by_project, revenue and billing");
		return;
	}
	if (!s->S) {
		page_error(p, 404, "why needs the rule files: start sow serve with them (sow serve --db DB RULE-FILES...)");
		return;
	}
	RunRow run;
	if (!load_run(s, p, id, &run))
		return;
	const char *project = param(p, "project_id"), *source = param(p, "source"), *source_id = param(p, "source_id");
	const char *period = param(p, "period"), *currency = param(p, "currency");
	if (!plain_value(project) || (totals ? !plain_value(period) || (currency && !plain_value(currency))
					     : !plain_value(source_id) || (source && !plain_value(source)))) {
		page_error(p, 400, totals ? "why revenue_by_project needs project_id and period (and may name the currency)"
					  : "why of a row needs its project_id and source_id");
		return;
	}
	if (totals && !date_parse_month(period, strlen(period), &(int){ 0 }, &(int){ 0 })) {
		page_error(p, 400, "period is a month: YYYY-MM");
		return;
	}
	char stmt[600];
	if (totals)
		snprintf(stmt, sizeof stmt, "why revenue_by_project { project_id: \"%s\", period: %s%s%s%s }", project, period,
			 currency ? ", currency: \"" : "", currency ? currency : "", currency ? "\"" : "");
	else
		snprintf(stmt, sizeof stmt, "why --full %s { project_id: \"%s\", %s%s%ssource_id: \"%s\" }", table, project,
			 source ? "source: \"" : "", source ? source : "", source ? "\", " : "", source_id);
	FILE *out = p->out;
	char title[64];
	snprintf(title, sizeof title, "run %lld: why", id);
	head(out, title, table);
	bool found;
	if (!why_figure(s, p, &run, table, project, source, source_id, period, currency, &found))
		return;
	if (!found) {
		page_error(p, 404, "the run stored no such figure");
		return;
	}
	fprintf(out, "<p>Run <a href=\"/runs/%lld\">%lld</a>, period %s, as of %s. ", id, id, run.period, run.as_of);
	fputs("<a href=\"/projects/", out);
	url(out, project);
	fputs("\">", out);
	h(out, project);
	fputs("</a> across runs.</p>\n<p>The derivation, as <code>", out);
	h(out, stmt);
	fprintf(out, "</code> answers it as of %s:</p>\n<pre>", run.as_of);
	char *text = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&text, &len);
	if (!w) {
		page_error(p, 500, "out of memory");
		return;
	}
	bool ok = site_why(s, run.date, stmt, w);
	fclose(w);
	why_text(s, out, text ? text : "");
	free(text);
	fputs("</pre>\n", out);
	if (!ok)
		fputs("<p class=note>(the statement failed: the lines above say why)</p>\n", out);
	if (totals) {
		fputs("<h2>The revenue lines</h2>\n", out);
		char link_run[64];
		snprintf(link_run, sizeof link_run, "/runs/%lld/revenue?project=", id);
		fputs("<p>", out);
		link(out, link_run, project, "All of the project's revenue rows of this run");
		fputs(", each with its why.</p>\n", out);
	}
	foot(out);
}

/* ---- invoices, projects, source rows, rule files ------------------------- */

void page_invoice(Site *s, Page *p, const char *number)
{
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);
	if (!f) {
		page_error(p, 500, "out of memory");
		return;
	}
	InvoiceError e = { 0 };
	bool ok = invoice_html(s->db_path, number, f, &e);
	fclose(f);
	if (!ok) {
		page_error(p, e.status == 1 ? 404 : 500, e.msg);
	} else {
		/* the printable page as it is, with the site's links on top
		 * (not printed) */
		char *body = strstr(page, "<body>");
		size_t at = body ? (size_t)(body - page) + 6 : 0;
		fwrite(page, 1, at, p->out);
		fputs("\n<style>@media print{nav.site{display:none}}nav.site a{margin-right:1em}</style>", p->out);
		nav(p->out);
		fwrite(page + at, 1, len - at, p->out);
	}
	free(page);
}

void page_project(Site *s, Page *p, const char *id)
{
	sqlite3_stmt *st = prepare(s, p, "SELECT name, customer, kind, status, country FROM projects WHERE id = ?");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	char name[256] = "", customer[256] = "", kind[64] = "", status[64] = "";
	bool found = rc == SQLITE_ROW;
	if (found) {
		snprintf(name, sizeof name, "%s", col_text(st, 0));
		snprintf(customer, sizeof customer, "%s", col_text(st, 1));
		snprintf(kind, sizeof kind, "%s", col_text(st, 2));
		snprintf(status, sizeof status, "%s", col_text(st, 3));
	}
	if (!finish(s, p, st, rc))
		return;
	/* a project the runs name (a finding about time booked to it) but the
	 * projects table lacks still has its page */
	bool named = found;
	if (!found) {
		st = prepare(s, p, "SELECT 1 FROM findings WHERE project_id = ?1 UNION ALL SELECT 1 FROM findings_history WHERE project_id = ?1 "
				   "UNION ALL SELECT 1 FROM revenue_totals WHERE project_id = ?1 UNION ALL SELECT 1 FROM billing WHERE project_id = ?1 "
				   "UNION ALL SELECT 1 FROM invoice_drafts WHERE project_id = ?1 LIMIT 1");
		if (!st)
			return;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		named = rc == SQLITE_ROW;
		if (!finish(s, p, st, rc))
			return;
	}
	if (!named) {
		page_errorf(p, 404, "there is no project '%.200s'", id);
		return;
	}
	FILE *out = p->out;
	head(out, "project", id);
	if (found) {
		fputs("<p>", out);
		h(out, name);
		fputs(" for ", out);
		h(out, customer);
		fputs(" (", out);
		h(out, kind);
		fputs(", ", out);
		h(out, status);
		fputs("). <a href=\"/data/projects/", out);
		url(out, id);
		fputs("\">The project's row</a>.</p>\n", out);
	} else {
		fputs("<p>Not in the projects table; the runs name it (see its findings).</p>\n", out);
	}

	fputs("<h2>Revenue by run</h2>\n<table>\n<tr><th>run</th><th>period</th><th>currency</th><th class=n>amount</th>"
	      "<th>reporting</th><th class=n>reporting amount</th></tr>\n", out);
	st = prepare(s, p,
		     "SELECT run_id, period, currency, amount, coalesce(reporting_currency, ''), coalesce(reporting_amount, '') "
		     "FROM (SELECT * FROM revenue_totals WHERE project_id = ?1 UNION ALL "
		     "SELECT * FROM revenue_totals_history WHERE project_id = ?1) ORDER BY run_id, currency");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *period = col_text(st, 1), *cur = col_text(st, 2);
		long long run = sqlite3_column_int64(st, 0);
		fprintf(out, "<tr><td><a href=\"/runs/%lld\">%lld</a></td><td>", run, run);
		h(out, period);
		fputs("</td><td>", out);
		h(out, cur);
		fputs("</td><td class=n>", out);
		if (s->S) {
			fprintf(out, "<a href=\"/runs/%lld/why/revenue_by_project?project_id=", run);
			url(out, id);
			fputs("&amp;period=", out);
			url(out, period);
			fputs("&amp;currency=", out);
			url(out, cur);
			fputs("\">", out);
		}
		html_amount(out, col_text(st, 3), cur);
		fputs(s->S ? "</a></td><td>" : "</td><td>", out);
		h(out, col_text(st, 4));
		fputs("</td><td class=n>", out);
		html_amount(out, col_text(st, 5), col_text(st, 4));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!finish(s, p, st, rc))
		return;

	static const char *const per_run[][2] = {
		{ "Billing", "SELECT run_id AS run, period, source_id, bill_on, amount, currency, reason FROM billing WHERE project_id = ?1 "
			     "UNION ALL SELECT run_id, period, source_id, bill_on, amount, currency, reason FROM billing_history "
			     "WHERE project_id = ?1 ORDER BY 1, 4" },
		{ "Work in progress", "SELECT run_id AS run, period, currency, recognized_to_date, billed_to_date, unbilled, deferred "
				      "FROM balances WHERE project_id = ?1 ORDER BY run_id, currency" },
		{ "Invoices", "SELECT number, invoice_on, currency, net, vat, gross, status, coalesce(credit_of, '') AS credit_of, "
			      "run_id AS run FROM invoice_drafts WHERE project_id = ?1 ORDER BY number" },
		{ "Findings", "SELECT run_id AS run, severity, code, subject, message FROM findings WHERE project_id = ?1 "
			      "ORDER BY run_id, severity, code" },
	};
	static const ColLink links[] = { { "run", "/runs/" }, { "number", "/invoices/" }, { "credit_of", "/invoices/" } };
	for (size_t i = 0; i < sizeof per_run / sizeof *per_run; i++) {
		fprintf(out, "<h2>%s</h2>\n", per_run[i][0]);
		if (!simple_table(s, p, per_run[i][1], id, links, 3))
			return;
	}
	foot(out);
}

/* /data/TABLE/ID: one row of an analysts' table (what why names). */
void page_row(Site *s, Page *p, const char *table, const char *id)
{
	const TableDef *t = schema_table(table);
	if (!t || t->output || !t->id) {
		page_errorf(p, 404, "no source table '%.200s' with rows by id", table);
		return;
	}
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s = ?1", t->name, t->id);
	sqlite3_stmt *st = prepare(s, p, sql);
	if (!st)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (finish(s, p, st, rc)) {
			page_errorf(p, 404, "%s has no row '%.200s'", t->name, id);
		}
		return;
	}
	FILE *out = p->out;
	head(out, t->name, id);
	fputs("<table>\n", out);
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		const char *c = sqlite3_column_name(st, i), *v = col_text(st, i);
		fputs("<tr><th>", out);
		h(out, c);
		fputs("</th><td>", out);
		if (*v && strcmp(c, "project_id") == 0)
			link(out, "/projects/", v, NULL);
		else
			h(out, v);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!finish(s, p, st, SQLITE_DONE))
		return;
	foot(out);
}

/* Only the rule files the session loaded are shown, by the path it knows
 * them by: a URL never names an arbitrary file. */
static bool loaded_file(Site *s, const char *path)
{
	return s->S && site_loaded(s, path);
}

/* /source?file=PATH: a loaded rule file, each line with its anchor #LN. */
void page_source(Site *s, Page *p)
{
	const char *file = param(p, "file");
	if (!file || !loaded_file(s, file)) {
		page_error(p, 404, "no such rule file among those loaded");
		return;
	}
	size_t len;
	char *text = src_load(file, &len);
	if (!text) {
		page_errorf(p, 500, "%.500s: cannot read it", file);
		return;
	}
	FILE *out = p->out;
	head(out, "rule file", file);
	fputs("<style>a.ln{color:#999;display:inline-block;width:4em;text-align:right;margin-right:1em;text-decoration:none}"
	      ":target{background:#ffe9a8}</style>\n<pre>",
	      out);
	int line = 1;
	for (const char *c = text; c < text + len;) {
		size_t w = strcspn(c, "\n");
		fprintf(out, "<span id=L%d><a class=ln href=\"#L%d\">%d</a>", line, line, line);
		for (size_t i = 0; i < w; i++) {
			char one[2] = { c[i], 0 };
			if (c[i])
				h(out, one);
		}
		fputs("</span>\n", out);
		c += w + (c[w] == '\n');
		line++;
	}
	fputs("</pre>\n", out);
	free(text);
	foot(out);
}

/* ---- a question ------------------------------------------------------------ */

/* /eval?q=STATEMENT[&asof=DATE][&format=table|csv|json|html]: an expression,
 * a query or why answered as sow eval and the REPL answer it (one statement
 * layer), as of asof or the latest run's date. A definition or an assume
 * would change what later pages show: this view only asks. */
void page_eval(Site *s, Page *p)
{
	if (!s->S) {
		page_error(p, 404, "questions need the rule files: start sow serve with them (sow serve --db DB RULE-FILES...)");
		return;
	}
	const char *q = param(p, "q"), *asof = param(p, "asof"), *fname = param(p, "format");
	Format f = FMT_HTML;
	if (fname && (!format_parse(fname, &f) || (f != FMT_TABLE && f != FMT_CSV && f != FMT_JSON && f != FMT_HTML))) {
		page_error(p, 400, "format is table, csv, json or html");
		return;
	}
	StmtKind k = q ? stmt_kind(q) : STMT_EMPTY;
	if (q && k != STMT_EXPR && k != STMT_WHY && k != STMT_EMPTY) {
		page_error(p, 400, "this view only asks: an expression, a query (from ... select ...) or why; "
				   "definitions, assume and dot-commands belong to sow repl");
		return;
	}
	char latest[16] = "";
	sqlite3_stmt *st = prepare(s, p, "SELECT as_of FROM runs ORDER BY id DESC LIMIT 1");
	if (!st)
		return;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(latest, sizeof latest, "%s", col_text(st, 0));
	if (!finish(s, p, st, rc))
		return;
	if (!asof || !*asof)
		asof = latest;
	Date d;
	if (!date_parse(asof, strlen(asof), &d)) {
		page_error(p, 400, *asof ? "asof is a date: YYYY-MM-DD" : "no run yet: give asof=YYYY-MM-DD");
		return;
	}
	if (f != FMT_HTML && (!q || k == STMT_EMPTY)) {
		page_error(p, 400, "q is the statement to answer");
		return;
	}
	char *text = NULL, *notes = NULL;
	size_t len = 0, nlen = 0;
	bool ok = true;
	if (q && k != STMT_EMPTY) {
		FILE *w = open_memstream(&text, &len), *n = open_memstream(&notes, &nlen);
		if (w && n)
			ok = site_answer(s, d, q, f != FMT_HTML ? f : k == STMT_WHY ? FMT_TABLE : FMT_HTML, w, n);
		if (w)
			fclose(w);
		if (n)
			fclose(n);
		if (!w || !n) {
			free(text);
			free(notes);
			page_error(p, 500, "out of memory");
			return;
		}
		if (!ok)
			p->status = 400;
	}
	if (f != FMT_HTML) {
		/* the answer alone, as sow eval prints it on stdout; its located
		 * errors (stderr there) when it failed */
		p->type = f == FMT_CSV ? "text/csv; charset=utf-8" : f == FMT_JSON ? "application/json" : "text/plain; charset=utf-8";
		fputs(ok ? text : notes, p->out);
		free(text);
		free(notes);
		return;
	}
	FILE *out = p->out;
	head(out, "Ask", NULL);
	fputs("<form method=get action=\"/eval\"><p><textarea name=q rows=3 cols=100>", out);
	h(out, q ? q : "");
	fputs("</textarea></p><p>as of <input name=asof value=\"", out);
	h(out, asof);
	fputs("\"> <button>Answer</button></p></form>\n", out);
	if (notes && *notes) {
		fputs("<pre class=note>", out);
		h(out, notes);
		fputs("</pre>\n", out);
	}
	if (text && ok && k == STMT_WHY) {
		fputs("<pre>", out);
		h(out, text);
		fputs("</pre>\n", out);
	} else if (text && ok)
		fputs(text, out);   /* the html format escapes every value */
	free(text);
	free(notes);
	fputs("<p class=note>Read-only: expressions, queries (<code>from ... select ...</code>) and <code>why</code>, "
	      "as <code>sow eval</code> answers them; <code>?format=table|csv|json</code> gives the answer alone.</p>\n", out);
	foot(out);
}
