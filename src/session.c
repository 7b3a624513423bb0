/* session.c: statements against a loaded program and a read-only database.
 *
 * Everything a statement may be: an expression or query (printed in the
 * session's format), `why EXPR` or `why TABLE { ... }` (provenance),
 * `assume TABLE["ID"].COLUMN = VALUE` (a what-if that changes the session's
 * view, never the database), or a definition (rule, fn, const, query ...)
 * added to the session's program. */
#include "session.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "parse.h"
#include "schema.h"
#include "store.h"
#include "totals.h"
#include "why.h"

static char *dupstr(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static bool build(Session *S)
{
	S->A = arena_new();
	diag_init(&S->D, stderr);
	program_init(&S->P, S->A, &S->D, S->argv0);
	bool ok = true;
	for (int i = 0; i < S->npaths; i++)
		ok &= program_load_path(&S->P, S->paths[i]);
	for (int i = 0; i < S->ndefs; i++) {
		char name[32];
		snprintf(name, sizeof name, "<def:%d>", i + 1);
		Src *src = src_from_string(S->A, name, S->defs[i], strlen(S->defs[i]));
		Parser ps;
		parse_source(&ps, S->A, src, &S->D, PARSE_FILE);
		program_add_source(&S->P, src, ps.items, ps.comments);
	}
	check_program(&S->P);
	S->loaded = ok && S->D.errors == 0;
	return S->loaded;
}

static void unbuild(Session *S)
{
	if (S->fresh) {
		ledger_end(&S->R);
		eval_free(&S->E);
		S->fresh = false;
	}
	if (S->A) {
		program_free(&S->P);
		arena_free(S->A);
		S->A = NULL;
	}
}

int session_open(Session *S, const char *argv0, const char *db_path, char **paths, int npaths, Date as_of)
{
	memset(S, 0, sizeof *S);
	S->argv0 = argv0;
	S->db_path = db_path;
	S->as_of = as_of;
	S->paths = paths;
	S->npaths = npaths;
	if (db_path) {
		char err[512];
		if (!(S->db = store_open(db_path, STORE_READ, err, sizeof err))) {
			fprintf(stderr, "sow: error: %s\n", err);
			return 3;
		}
	}
	if (!build(S))
		return S->D.errors ? 1 : 3;
	return 0;
}

void session_close(Session *S)
{
	unbuild(S);
	for (int i = 0; i < S->ndefs; i++)
		free(S->defs[i]);
	free(S->defs);
	session_clear_assumptions(S);
	sqlite3_close(S->db);
}

bool session_reload(Session *S)
{
	unbuild(S);
	return build(S);
}

void session_set_asof(Session *S, Date d)
{
	S->as_of = d;
	if (S->fresh) {
		ledger_end(&S->R);
		eval_free(&S->E);
		S->fresh = false;
	}
}

void session_clear_assumptions(Session *S)
{
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		free(a->table);
		free(a->id);
		free(a->column);
		free(a->value);
		free(a->source);
	}
	free(S->assumes);
	S->assumes = NULL;
	S->nassumes = 0;
	session_set_asof(S, S->as_of);
	if (S->db)
		sqlite3_exec(S->db, "DROP TABLE IF EXISTS temp.projects; DROP TABLE IF EXISTS temp.milestones;"
				    "DROP TABLE IF EXISTS temp.trainings; DROP TABLE IF EXISTS temp.time_entries;"
				    "DROP TABLE IF EXISTS temp.allocations", NULL, NULL, NULL);
}

/* Copy each assumed table into TEMP (shadowing it) and apply the changes. */
static bool apply_assumptions(Session *S)
{
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		char sql[512];
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.%s; CREATE TEMP TABLE %s AS SELECT * FROM main.%s",
			 a->table, a->table, a->table);
		if (sqlite3_exec(S->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return false;
	}
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		char sql[512];
		snprintf(sql, sizeof sql, "UPDATE temp.%s SET \"%s\" = ? WHERE id = ?", a->table, a->column);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK)
			return false;
		if (a->value)
			sqlite3_bind_text(st, 1, a->value, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_text(st, 2, a->id, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return true;
}

/* An evaluator without the rules' results: for what does not read them. */
static void light_eval(Session *S, Eval *E)
{
	eval_init(E, &S->P, S->P.A, S->db, S->as_of);
	if (S->db)
		ledger_view(E, &S->view, S->db);
	E->interrupted = S->interrupted;
	if (S->max_steps)
		E->max_steps = S->max_steps;
}

/* Make sure E holds the rules' results as of the session date. */
static bool refresh(Session *S)
{
	if (S->fresh)
		return true;
	light_eval(S, &S->E);
	if (!S->db) {
		S->fresh = true;
		memset(&S->R, 0, sizeof S->R);
		return true;
	}
	const char *err = NULL;
	Profile prof = { 0 };
	if (S->profile)
		S->E.profile = &prof;
	bool ok = apply_assumptions(S) && ledger_scratch(&S->E, &S->R, S->db, S->as_of, &err);
	if (S->profile) {
		profile_print(&prof, stderr);
		profile_free(&prof);
		S->E.profile = NULL;
	}
	if (!ok) {
		if (err && strcmp(err, "a rule failed (see above)") != 0)
			fprintf(stderr, "sow: error: %s\n", err);
		ledger_end(&S->R);
		eval_free(&S->E);
		return false;
	}
	S->fresh = true;
	return true;
}

bool session_is_definition(const char *text)
{
	static const char *const words[] = { "rule", "fn", "const", "query", "relation", "sow", "calendar", "enum",
		"machine", "rounding", "test", "import", "fiscal" };
	while (isspace((unsigned char)*text))
		text++;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t n = strlen(words[i]);
		if (strncmp(text, words[i], n) == 0 && (isspace((unsigned char)text[n]) || !text[n]))
			return true;
	}
	return false;
}

static bool starts_with_word(const char *text, const char *word, const char **rest)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(word);
	if (strncmp(text, word, n) != 0 || !(isspace((unsigned char)text[n]) || !text[n]))
		return false;
	*rest = text + n;
	return true;
}

bool session_incomplete(Session *S, const char *text)
{
	Arena *A = arena_new();
	Diag quiet;
	FILE *null = fopen("/dev/null", "w");
	diag_init(&quiet, null ? null : stderr);
	const char *rest;
	bool def = session_is_definition(text);
	Src *src;
	if (starts_with_word(text, "why", &rest) || starts_with_word(text, "assume", &rest)) {
		rest += strspn(rest, " \t");
		if (strncmp(rest, "--full", 6) == 0)
			rest += 6;
		src = src_from_string(A, "<repl>", rest, strlen(rest));
	} else {
		src = src_from_string(A, "<repl>", text, strlen(text));
	}
	Parser ps;
	parse_source(&ps, A, src, &quiet, def ? PARSE_FILE : PARSE_EVAL);
	/* `why` alone is finished (and wrong), not the start of more */
	bool more = ps.eof_error && src->len > strspn(src->text, " \t\n");
	(void)S;
	if (null)
		fclose(null);
	arena_free(A);
	return more;
}

static bool run_definition(Session *S, const char *text)
{
	S->defs = realloc(S->defs, (size_t)(S->ndefs + 1) * sizeof *S->defs);
	if (!S->defs)
		abort();
	S->defs[S->ndefs++] = dupstr(text);
	if (session_reload(S))
		return true;
	/* refused (the errors are shown): forget it and rebuild as before */
	free(S->defs[--S->ndefs]);
	unbuild(S);
	build(S);
	return false;
}

/* Parse text as an expression or query in a fresh module of the session. */
static Node *parse_expr(Session *S, const char *text, Module **mod)
{
	Src *src = src_from_string(S->P.A, "<eval>", text, strlen(text));
	Parser ps;
	if (parse_source(&ps, S->P.A, src, &S->D, PARSE_EVAL) != 0 || !ps.expr)
		return NULL;
	*mod = program_add_source(&S->P, src, NULL, NULL);
	Type t;
	if (check_expr(&S->P, *mod, ps.expr, &t) != 0)
		return NULL;
	return ps.expr;
}

/* Does e read something rules produce (so the rules must run first)? */
static void note_read(const char *rel, void *arg)
{
	bool *needs = arg;
	const TableDef *t = schema_table(rel);
	if (!t || t->output)
		*needs = true;
}

/* Rules to run? Without any, results are read from the database as they are. */
static bool has_rules(const Session *S)
{
	for (size_t i = 0; i < S->P.decls.cap; i++) {
		const Decl *d = S->P.decls.keys[i] ? S->P.decls.vals[i] : NULL;
		if (d && d->kind == D_RULE)
			return true;
	}
	return false;
}


static bool why_total(Session *S, Module *m, Node *record, const char *schema, FILE *out);

/* One line per row of schema.table (main: what the database's runs stored;
 * temp: re-derived as of the session date) that matches the record's fields,
 * with the run and period that wrote it. For stored revenue, a row that the
 * rules re-derive differently today says how. Returns how many rows, or -1. */
static int why_summary(Session *S, Module *m, const char *schema, const char *table, Node *record, FILE *out)
{
	const TableDef *t = schema_table(table);
	if (!t || !t->output || schema_column(t, "run_id") < 0)
		return 0;
	bool stored = strcmp(schema, "main") == 0, rev = strcmp(table, "revenue") == 0;
	char where[1024] = "", period[DATE_MONTH_BUFSZ] = "";
	Value v[16];
	int nb = 0;
	for (Node *f = record->a; f && nb < 16; f = f->next) {
		if (schema_column(t, f->s) < 0)
			continue;
		if (!eval_expr(&S->E, m, f->a, &v[nb]))
			return -1;
		/* revenue_by_project { period: P }: every line of the project is
		 * listed, those of other periods marked, so that "0.00 in P"
		 * says where the revenue went */
		if (rev && strcmp(f->s, "period") == 0 && v[nb].k == V_PERIOD) {
			snprintf(period, sizeof period, "%04d-%02d", v[nb].year, v[nb].idx);
			continue;
		}
		size_t n = strlen(where);
		snprintf(where + n, sizeof where - n, " AND x.\"%s\" = ?%d", f->s, nb + 1);
		nb++;
	}
	char sql[2048];
	/* (the scratch run's own row in temp.runs has no id, only its rowid) */
	snprintf(sql, sizeof sql, "SELECT x.*, r.period AS run_period FROM %s.\"%s\" x JOIN %s.runs r ON coalesce(r.id, r.rowid) = x.run_id "
		 "WHERE r.status %s%s ORDER BY r.period, x.rowid", schema, table, schema,
		 stored ? "= 'ok'" : "IN ('ok', 'running')", where);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return -1;
	}
	for (int i = 0; i < nb; i++)
		ledger_bind(st, i + 1, &v[i]);
	int rows = 0, in_period = 0, ncol = sqlite3_column_count(st);
	char day[DATE_BUFSZ], who[300] = "";
	/* lines of other periods are listed only when the period asked has none */
	bool others = true;
	if (rev && *period) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *p = (const char *)sqlite3_column_text(st, 1);
			others = others && !(p && strcmp(p, period) == 0);
		}
		sqlite3_reset(st);
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rev && *period && !others) {
			const char *p = (const char *)sqlite3_column_text(st, 1);
			if (!p || strcmp(p, period) != 0)
				continue;
		}
		const char *rp = (const char *)sqlite3_column_text(st, ncol - 1);
		if (rows++ == 0)
			fprintf(out, stored ? "stored by the database's runs:\n" : "re-derived as of %s (no run of the database stored one):\n",
				date_fmt(S->as_of, day));
		if (!rev) {
			fprintf(out, " ");
			for (int c = 0; c < ncol - 1; c++) {
				const char *name = sqlite3_column_name(st, c), *val = (const char *)sqlite3_column_text(st, c);
				if (strcmp(name, "run_id") != 0 && strcmp(name, "rule") != 0 && val)
					fprintf(out, " %s: %s", name, val);
			}
			fprintf(out, "  (%s %lld, period %s)\n", stored ? "run" : "view", (long long)sqlite3_column_int64(st, 0), rp ? rp : "?");
			continue;
		}
		const char *col[10];
		for (int c = 0; c < 10; c++)
			col[c] = (const char *)sqlite3_column_text(st, c);
		/* run_id period project_id source source_id amount currency recognized_on basis rule */
		bool here = !*period || (col[1] && strcmp(col[1], period) == 0);
		in_period += here;
		snprintf(who, sizeof who, "%s", col[2] ? col[2] : "");
		fprintf(out, "  %s %s %s: %s %s, recognized %s, basis %s, released in %s %s %s%s\n", col[2] ? col[2] : "",
			col[3] ? col[3] : "", col[4] ? col[4] : "", col[5] ? col[5] : "", col[6] ? col[6] : "", col[7] ? col[7] : "",
			col[8] ? col[8] : "", col[1] ? col[1] : "?", stored ? "by run" : "as of", stored ? col[0] : date_fmt(S->as_of, day),
			here ? "" : " (not in the period asked)");
		if (!stored || !col[3] || !col[4])
			continue;
		/* the same source row, re-derived by today's rules (the session's view) */
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(S->db, "SELECT amount, basis, recognized_on, period FROM temp.revenue WHERE source = ? AND source_id = ?",
				       -1, &q, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_text(q, 1, col[3], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, col[4], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_ROW) {
			fprintf(out, "    re-derived as of %s: the rules release it nowhere now\n", date_fmt(S->as_of, day));
		} else {
			const char *a = (const char *)sqlite3_column_text(q, 0), *b = (const char *)sqlite3_column_text(q, 1);
			const char *o = (const char *)sqlite3_column_text(q, 2);
			if ((a && col[5] && strcmp(a, col[5]) != 0) || (b && col[8] && strcmp(b, col[8]) != 0) ||
			    (o && col[7] && strcmp(o, col[7]) != 0))
				fprintf(out, "    re-derived as of %s it differs: %s %s, recognized %s, basis %s\n", date_fmt(S->as_of, day),
					a ? a : "", col[6] ? col[6] : "", o ? o : "", b ? b : "");
		}
		sqlite3_finalize(q);
	}
	sqlite3_finalize(st);
	if (rev && *period && rows && !in_period)
		fprintf(out, "  total %s %s: 0.00; nothing of it was released in %s (the lines above were released in other periods)\n",
			who, period, period);
	return rows;
}

/* why TABLE { ... }: what the database's runs stored first (a short
 * summary: one line per row, the total), else the rows re-derived as of the
 * session date; with full, also each row's derivation tree. */
static bool why_table(Session *S, Module *m, Node *x, bool totals, bool full, FILE *out)
{
	const char *table = totals ? "revenue" : x->s;
	int n = why_summary(S, m, "main", table, x->a, out);
	if (n < 0)
		return false;
	if (n > 0 && totals && !why_total(S, m, x->a, "main", out))
		return false;
	if (n == 0) {
		int k = why_summary(S, m, "temp", table, x->a, out);
		if (k < 0)
			return false;
		if (k > 0 && totals && !why_total(S, m, x->a, "temp", out))
			return false;
		if (k == 0 && !full) {
			fprintf(out, "no %s row like that, stored or re-derived as of this date\n", table);
			return true;
		}
	}
	if (!full) {
		fprintf(out, "(why --full, or .why full, shows how each row is derived)\n");
		return true;
	}
	if (totals)
		fprintf(out, "revenue_by_project is each project's revenue lines of the period, summed exactly, then rounded once\n"
			     "(half away from zero, to the currency's minor unit); each line, re-derived as of this date:\n");
	return why_rows(&S->E, m, table, x->a, out);
}

/* Is text an id written without quotes (P-1010, SOW-2026-014)? */
static bool bare_id(const char *text, size_t *len)
{
	const char *p = text;
	while (isalpha((unsigned char)*p))
		p++;
	if (p == text || *p != '-' || !isalnum((unsigned char)p[1]))
		return false;
	while (isalnum((unsigned char)*p) || *p == '-')
		p++;
	*len = (size_t)(p - text);
	while (isspace((unsigned char)*p))
		p++;
	return *p == 0;
}

static bool run_why(Session *S, const char *rest, FILE *out)
{
	bool full = S->why_full;
	rest += strspn(rest, " \t");
	if (strncmp(rest, "--full", 6) == 0 && (!rest[6] || isspace((unsigned char)rest[6]))) {
		full = true;
		rest += 6 + strspn(rest + 6, " \t");
	}
	if (!*rest) {
		fprintf(stderr, "sow: error: why what? why EXPRESSION, or why TABLE { column: value, ... } (.why explains)\n");
		return false;
	}
	size_t idlen;
	if (bare_id(rest, &idlen)) {
		fprintf(stderr, "sow: error: why %.*s: an id is text, in quotes; ask for the rows it is in, e.g.\n"
				"  why revenue { project_id: \"%.*s\" }\n"
				"  why revenue_by_project { project_id: \"%.*s\", period: 2026-11 }\n"
				"  why revenue { source_id: \"%.*s\" }\n",
			(int)idlen, rest, (int)idlen, rest, (int)idlen, rest, (int)idlen, rest);
		return false;
	}
	/* reuse the test grammar: `expect X` is an expression or TABLE { ... } */
	size_t n = strlen(rest) + 32;
	char *text = malloc(n);
	if (!text)
		abort();
	snprintf(text, n, "test \"why\" {\nexpect %s\n}", rest);
	Src *src = src_from_string(S->P.A, "<why>", text, strlen(text));
	free(text);
	Parser ps;
	if (parse_source(&ps, S->P.A, src, &S->D, PARSE_FILE) != 0 || !ps.items || !ps.items->a)
		return false;
	Node *x = ps.items->a;
	Module *m = program_add_source(&S->P, src, NULL, NULL);
	if (x->kind == N_EXPECT) {
		Type t;
		if (check_expr(&S->P, m, x->a, &t) != 0)
			return false;
		bool needs = false;
		program_reads(&S->P, x->a, note_read, &needs);
		needs = needs && has_rules(S);
		if (needs || S->fresh) {
			if (!refresh(S))
				return false;
			return why_expr(&S->E, m, x->a, out);
		}
		Eval light;
		light_eval(S, &light);
		bool ok = why_expr(&light, m, x->a, out);
		eval_free(&light);
		return ok;
	}
	bool totals = strcmp(x->s, "revenue_by_project") == 0 || strcmp(x->s, "revenue_totals") == 0;
	if (!totals && !map_get(&S->P.shapes, x->s)) {
		diag_at(&S->D, src, x->loc, DIAG_ERROR, "unknown relation '%s'", x->s);
		return false;
	}
	if (!S->db) {
		fprintf(stderr, "sow: error: why of rows needs a database (--db DB)\n");
		return false;
	}
	if (!refresh(S))
		return false;
	return why_table(S, m, x, totals, full, out);
}

/* Forecast totals of the session's view, by quarter and currency. */
static int forecast_totals(Session *S, const char *project, Total *t, int max)
{
	if (!refresh(S))
		return -1;
	return ledger_forecast_totals(S->db, S->R.run_id, project, t, max);
}

static void split_key(const char *key, char *q, char *cur)
{
	sscanf(key, "%15s %7s", q, cur);
}

/* Each quarter's whole forecast in the reporting currency: every line at
 * the as-of rate (reporting_lines), summed exactly, rounded once. */
static bool forecast_reporting(Session *S, const char *quarter, FILE *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, "SELECT fiscal_quarter, reporting_currency, reporting_amount FROM reporting_lines "
				      "WHERE run_id = ?1 AND kind = 'forecast' AND (?2 IS NULL OR fiscal_quarter = ?2) ORDER BY 1, 2",
				      -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (quarter)
		sqlite3_bind_text(st, 2, quarter, -1, SQLITE_STATIC);
	static const char *const headers[] = { "fiscal_quarter", "reporting_total" };
	static const bool right[] = { false, true };
	if (S->format == FMT_TABLE || S->format == FMT_MARKDOWN)
		fputs("\nAll currencies, in the reporting currency (each line at the as-of rate):\n", out);
	FTable *ft = format_begin(NULL, 2, headers, right, S->format, out);
	Totals T;
	totals_open(&T, st, 2, 1);
	while (totals_next(&T)) {
		char b[DEC_BUFSZ + 8] = "";
		Dec r;
		if (totals_rounded(&T, 0, T.key[1], &r)) {
			char d[DEC_BUFSZ];
			snprintf(b, sizeof b, "%s %.7s", dec_fmt(r, d), T.key[1]);
		}
		const char *cells[] = { T.key[0], *b ? b : "(a rate is missing)" };
		format_row(ft, cells);
	}
	format_end(ft);
	sqlite3_finalize(st);
	return !T.err;
}

static bool row_exists(Session *S, const char *table, const char *id);

/* .forecast: by quarter and currency, the actual (released) and forecast
 * parts and the whole, each exact and rounded once, and the whole in the
 * reporting currency; for one project, its own lines. */
bool session_forecast(Session *S, const char *project, FILE *out)
{
	if (!S->db) {
		fprintf(stderr, "sow: error: the forecast needs a database (--db DB)\n");
		return false;
	}
	/* .forecast FY2027-Q4 is a quarter; anything else names a project */
	const char *quarter = NULL;
	int fy, qn;
	char tail;
	if (project && sscanf(project, "FY%4d-Q%d%c", &fy, &qn, &tail) == 2) {
		if (qn < 1 || qn > 4) {
			fprintf(stderr, "sow: error: no quarter %s: a fiscal year has quarters Q1 to Q4\n", project);
			return false;
		}
		quarter = project;
		project = NULL;
	} else if (project && !row_exists(S, "projects", project)) {
		fprintf(stderr, "sow: error: no project %s in the projects table (.forecast PROJECT or .forecast FY2027-Q4)\n", project);
		return false;
	}
	if (!refresh(S))
		return false;
	const char *sql = project
		? "SELECT f.fiscal_quarter, f.currency, CASE WHEN f.basis = 'released' THEN f.amount ELSE '0' END, "
		  "CASE WHEN f.basis = 'released' THEN '0' ELSE f.amount END, f.amount FROM forecast f "
		  "WHERE f.run_id = ?1 AND f.project_id = ?2 ORDER BY 1, 2"
		: "SELECT fiscal_quarter, currency, actual_amount, forecast_amount, amount, reporting_currency, reporting_amount "
		  "FROM forecast_totals WHERE run_id = ?1 AND (?3 IS NULL OR fiscal_quarter = ?3) ORDER BY 1, 2";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (project)
		sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	if (quarter)
		sqlite3_bind_text(st, 3, quarter, -1, SQLITE_STATIC);
	if (quarter && sqlite3_step(st) != SQLITE_ROW) {
		char day[DATE_BUFSZ];
		fprintf(out, "nothing is forecast in %s as of %s\n", quarter, date_fmt(S->as_of, day));
		sqlite3_finalize(st);
		return true;
	}
	sqlite3_reset(st);
	static const char *const headers[] = { "fiscal_quarter", "currency", "actual", "forecast", "amount", "reporting" };
	static const bool right[] = { false, false, true, true, true, true };
	FTable *ft = format_begin(NULL, project ? 5 : 6, headers, right, S->format, out);
	bool ok = true;
	if (project) {
		Totals T;
		totals_open(&T, st, 2, 3);
		while (totals_next(&T)) {
			char b[3][DEC_BUFSZ];
			const char *cells[5] = { T.key[0], T.key[1], "", "", "" };
			for (int i = 0; i < 3; i++) {
				Dec r;
				if (totals_rounded(&T, i, T.key[1], &r))
					cells[2 + i] = dec_fmt(r, b[i]);
			}
			format_row(ft, cells);
		}
		ok = !T.err;
	} else {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *cells[6];
			char rep[DEC_BUFSZ + 8] = "";
			for (int i = 0; i < 5; i++) {
				const char *c = (const char *)sqlite3_column_text(st, i);
				cells[i] = c ? c : "";
			}
			const char *rc = (const char *)sqlite3_column_text(st, 5), *ra = (const char *)sqlite3_column_text(st, 6);
			if (rc && ra)
				snprintf(rep, sizeof rep, "%s %s", ra, rc);
			cells[5] = rep;
			format_row(ft, cells);
		}
	}
	format_end(ft);
	sqlite3_finalize(st);
	return ok && (project || forecast_reporting(S, quarter, out));
}

/* Work in progress (SPEC 8.6) of the session's view: the balances rows its
 * run of the rules wrote, per project and currency, exact as written. */
bool session_balances(Session *S, const char *project, FILE *out)
{
	if (!S->db) {
		fprintf(stderr, "sow: error: balances need a database (--db DB)\n");
		return false;
	}
	if (!refresh(S))
		return false;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db,
			       "SELECT project_id, currency, recognized_to_date, billed_to_date, unbilled, deferred FROM temp.balances "
			       "WHERE run_id = ?1 AND (?2 IS NULL OR project_id = ?2) ORDER BY project_id, currency",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (project)
		sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	static const char *const headers[] = { "project_id", "currency", "recognized_to_date", "billed_to_date", "unbilled",
					       "deferred" };
	static const bool right[] = { false, false, true, true, true, true };
	FTable *ft = format_begin(NULL, 6, headers, right, S->format, out);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cells[6];
		for (int i = 0; i < 6; i++) {
			const char *c = (const char *)sqlite3_column_text(st, i);
			cells[i] = c ? c : "";
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

/* The forecast before and after a change, side by side. */
static bool forecast_change(Session *S, const Total *before, int nb, FILE *out)
{
	Total after[256];
	int na = forecast_totals(S, NULL, after, 256);
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
		split_key(key, q, cur);
		int places = money_minor_unit(cur) < 0 ? 2 : money_minor_unit(cur); /* totals are rounded to it */
		dec_sub(a, b, &d);
		d = dec_trim(d, places);
		snprintf(db, sizeof db, "%s%s", dec_sign(d) > 0 ? "+" : "", dec_fmt_places(d, places, ab));
		const char *cells[] = { q, cur, c <= 0 ? dec_fmt_places(b, places, bb) : "", c >= 0 ? dec_fmt_places(a, places, ab) : "",
					dec_sign(d) ? db : "" };
		format_row(ft, cells);
		i += c <= 0;
		j += c >= 0;
	}
	format_end(ft);
	return true;
}

/* The closing line of `why revenue_by_project {...}`: the exact sum of
 * the lines and the total rounded once, per project, period and currency. */
static bool why_total(Session *S, Module *m, Node *record, const char *schema, FILE *out)
{
	char where[512] = "run_id IS NOT NULL";
	Value v[3];
	static const char *const cols[] = { "project_id", "period", "currency" };
	int nb = 0;
	for (Node *f = record->a; f; f = f->next)
		for (int i = 0; i < 3; i++)
			if (strcmp(f->s, cols[i]) == 0 && nb < 3) {
				if (!eval_expr(&S->E, m, f->a, &v[nb]))
					return false;
				size_t n = strlen(where);
				snprintf(where + n, sizeof where - n, " AND %s = ?%d", cols[i], nb + 1);
				nb++;
			}
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT project_id, period, currency, amount FROM %s.revenue r WHERE %s%s ORDER BY 1, 2, 3", schema,
		 where, strcmp(schema, "main") == 0 ? " AND run_id IN (SELECT id FROM main.runs WHERE status = 'ok')" : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	for (int i = 0; i < nb; i++)
		ledger_bind(st, i + 1, &v[i]);
	Totals T;
	totals_open(&T, st, 3, 1);
	while (totals_next(&T)) {
		char a[DEC_BUFSZ], b[DEC_BUFSZ];
		Dec r;
		if (!totals_rounded(&T, 0, T.key[2], &r))
			continue;
		fprintf(out, "  total %s %s %s: %lld line%s summing to %s exactly; rounded once: %s %s\n", T.key[0], T.key[1], T.key[2],
			T.lines, T.lines == 1 ? "" : "s", dec_fmt(T.sum[0].exact, a), dec_fmt(r, b), T.key[2]);
	}
	sqlite3_finalize(st);
	return !T.err;
}

/* Does v fit a column of type t? unset fits any (it stores NULL). */
static bool fits_column(ColType t, const Value *v)
{
	if (v->k == V_UNSET)
		return true;
	switch (t) {
	case COL_TEXT: return v->k == V_TEXT || v->k == V_SYM;
	case COL_DATE: return v->k == V_DATE;
	case COL_DECIMAL: return v->k == V_NUM;
	case COL_HOURS: return v->k == V_HOURS || v->k == V_NUM;
	case COL_MONEY: return v->k == V_MONEY || v->k == V_NUM;
	case COL_INT: return v->k == V_NUM && dec_is_int(v->d);
	case COL_BOOL: return v->k == V_BOOL;
	case COL_PERIOD: return v->k == V_PERIOD && v->pk == PER_MONTH;
	}
	return false;
}

/* What to write for a column of type t, for the message. */
static const char *column_example(ColType t)
{
	switch (t) {
	case COL_DATE: return "a date, like 2027-02-10";
	case COL_BOOL: return "true or false";
	case COL_INT: return "a whole number";
	case COL_PERIOD: return "a month, like 2027-02";
	case COL_TEXT: return "a text in quotes";
	default: return "a number";
	}
}

/* The assumed row exists? A change to a row that is not there is lost. */
static bool row_exists(Session *S, const char *table, const char *id)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT 1 FROM main.\"%s\" WHERE id = ?", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* assume TABLE["ID"].COLUMN = VALUE: checked against the column's type and
 * the row when it is typed; a refused assumption is not kept. */
static bool run_assume(Session *S, const char *rest, FILE *out)
{
	const char *eq = strstr(rest, " = ");
	if (!eq) {
		fprintf(stderr, "sow: error: write assume TABLE[\"ID\"].COLUMN = VALUE (or unset)\n");
		return false;
	}
	char *lhs = strndup(rest, (size_t)(eq - rest));
	Module *m;
	Node *target = lhs ? parse_expr(S, lhs, &m) : NULL;
	free(lhs);
	if (!target)
		return false;
	if (target->kind != N_MEMBER || target->a->kind != N_INDEX || target->a->a->kind != N_NAME ||
	    target->a->b->kind != N_STR) {
		fprintf(stderr, "sow: error: assume changes one column of one row: TABLE[\"ID\"].COLUMN = VALUE\n");
		return false;
	}
	const char *table = target->a->a->s;
	const TableDef *t = schema_table(table);
	if (!t || t->output || !t->id || strcmp(t->id, "id") != 0) {
		fprintf(stderr, "sow: error: assume works on input tables with an id (projects, milestones, trainings, ...)\n");
		return false;
	}
	int col = schema_column(t, target->s);
	if (col < 0) {
		const char *names[64];
		int n = 0;
		for (int i = 0; i < t->ncols && n < 64; i++)
			names[n++] = t->cols[i].name;
		const char *sug = diag_suggest(target->s, names, n);
		diag_at(&S->D, m->src, target->loc, DIAG_ERROR, "%s has no column '%s'%s%s%s", table, target->s,
			sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
		return false;
	}
	if (S->db && !row_exists(S, table, target->a->b->s)) {
		diag_at(&S->D, m->src, target->a->b->loc, DIAG_ERROR, "%s has no row with id \"%s\"", table, target->a->b->s);
		return false;
	}
	Module *vm;
	Node *value = parse_expr(S, eq + 3, &vm);
	if (!value)
		return false;
	Eval E;
	light_eval(S, &E);
	Value v;
	bool ok = eval_expr(&E, vm, value, &v);
	eval_free(&E);
	if (!ok)
		return false;
	char buf[512];
	if (!fits_column(t->cols[col].type, &v)) {
		diag_at(&S->D, vm->src, value->loc, DIAG_ERROR, "%s.%s takes %s, not a %s; the assumption is not kept", table,
			target->s, column_example(t->cols[col].type), vkind_name(v.k));
		return false;
	}
	Assume a = { dupstr(table), dupstr(target->a->b->s), dupstr(target->s),
		     v.k == V_UNSET ? NULL : dupstr(v.k == V_BOOL ? (v.b ? "1" : "0") : value_fmt(&v, buf, sizeof buf)),
		     dupstr(rest + strspn(rest, " \t")) };
	if (v.k == V_NUM || v.k == V_MONEY || v.k == V_HOURS) {
		free(a.value);
		a.value = dupstr(dec_fmt(v.d, buf));
	}
	Total before[256];
	int nb = S->db ? forecast_totals(S, NULL, before, 256) : -1;
	S->assumes = realloc(S->assumes, (size_t)(S->nassumes + 1) * sizeof *S->assumes);
	if (!S->assumes)
		abort();
	S->assumes[S->nassumes++] = a;
	session_set_asof(S, S->as_of);
	if (nb < 0)
		return true;
	fprintf(out, "forecast by fiscal quarter, before and after assuming %s:\n", a.source);
	return forecast_change(S, before, nb, out);
}

bool session_run(Session *S, const char *text, FILE *out)
{
	const char *rest;
	if (!S->loaded && !session_reload(S))
		return false;
	int errors = S->D.errors;
	bool ok;
	if (starts_with_word(text, "why", &rest)) {
		ok = run_why(S, rest, out);
	} else if (starts_with_word(text, "assume", &rest)) {
		ok = run_assume(S, rest, out);
	} else if (session_is_definition(text)) {
		ok = run_definition(S, text);
		if (ok && S->fresh) {
			ledger_end(&S->R);
			eval_free(&S->E);
			S->fresh = false;
		}
	} else {
		Module *m;
		Node *e = parse_expr(S, text, &m);
		ok = e != NULL;
		if (ok) {
			bool needs = false;
			program_reads(&S->P, e, note_read, &needs);
			needs = needs && has_rules(S);
			if (needs && !S->db) {
				fprintf(stderr, "sow: error: this reads the database: give --db DB\n");
				ok = false;
			}
			/* Only what reads rule results pays for running the rules. */
			Eval light, *E = &S->E;
			if (ok && needs) {
				ok = refresh(S);
			} else if (ok && !S->fresh) {
				light_eval(S, &light);
				E = &light;
			}
			Value v;
			if (ok && S->explain)
				ok = why_expr(E, m, e, out);
			else if (ok && (ok = eval_expr(E, m, e, &v)))
				format_value(&v, S->format, out);
			if (E == &light)
				eval_free(&light);
			else if (S->fresh)
				arena_reset(S->E.tmp);
		}
	}
	return ok && S->D.errors == errors;
}
