/* why.c: explaining where a value comes from.
 *
 * An expression is explained by evaluating it and each of its parts, printed
 * as a tree ("amount = timesheet_hours(t.hours) * hourly = 2000.0000 USD").
 * An emitted row is explained by running the rule that emitted it again in
 * trace mode: when it would emit a row matching what was asked, it prints
 * the rows it was looking at (with the columns the rule uses), its lets, and
 * each field's tree, instead of writing anything.
 *
 * As a statement of a session (`why ...` in the REPL or eval), rows are
 * first looked up as the database's runs stored them, then as the
 * session's view re-derives them (stmt_why). */
#include "why.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fmt.h"
#include "ledger.h"
#include "money.h"
#include "parse.h"
#include "rules.h"
#include "schema.h"
#include "sink.h"
#include "stmtint.h"
#include "totals.h"
#include "view.h"

#define MAX_DEPTH 6

static void show(FILE *out, int indent, const Node *e, const Value *v, const char *note)
{
	char buf[512];
	fprintf(out, "%*s", indent, "");
	fmt_expr(out, e);
	fprintf(out, " = %s%s%s\n", value_fmt(v, buf, sizeof buf), note ? "  " : "", note ? note : "");
}

static bool is_literal(const Node *e)
{
	return e->kind == N_NUM || e->kind == N_STR || e->kind == N_DATE || e->kind == N_PERIOD || e->kind == N_BOOL ||
	       e->kind == N_MONEY || e->kind == N_QTY || e->kind == N_PERCENT || e->kind == N_UNSET;
}

static bool tree(Eval *E, const Node *e, int indent, int depth, FILE *out)
{
	Value v;
	if (!eval_expr(E, E->mod, (Node *)e, &v))
		return false;
	char note[256] = "";
	if (e->kind == N_MEMBER && e->a->kind == N_NAME) {
		Value row;
		if (eval_expr(E, E->mod, e->a, &row) && row.k == V_ROW)
			snprintf(note, sizeof note, "(%s %s)", row.row->table, row.row->id);
	}
	if (e->kind == N_CALL) {
		Decl *d = program_lookup(E->P, E->mod, e->s);
		if (d && d->kind == D_ROUNDING) {
			const char *to = d->node->a->s, *mode = d->node->s2;
			for (Node *c = E->sow ? E->sow->sow->a : NULL; c; c = c->next)
				if (c->kind == N_SOWROUND && strcmp(c->s, e->s) == 0) {
					to = c->a->s;
					mode = c->s2;
				}
			snprintf(note, sizeof note, "[rounding %s to %s mode %s%s]", e->s, to, mode,
				 mode != d->node->s2 || to != d->node->a->s ? ", this SOW's own" : "");
		} else if (d && d->kind == D_FN) {
			snprintf(note, sizeof note, "[fn %s, %s]", e->s, d->mod->src->path);
		}
	}
	show(out, indent, e, &v, *note ? note : NULL);
	if (depth >= MAX_DEPTH || is_literal(e))
		return true;
	switch (e->kind) {
	case N_BIN:
		if (e->op == OP_AND || e->op == OP_OR) {
			/* as evaluation does: the right side only when it counts */
			Value l;
			if (!tree(E, e->a, indent + 2, depth + 1, out) || !eval_expr(E, E->mod, e->a, &l))
				return false;
			if (l.k == V_BOOL && l.b == (e->op == OP_OR))
				return true;
		}
		if (e->op != OP_AND && e->op != OP_OR && !tree(E, e->a, indent + 2, depth + 1, out))
			return false;
		return tree(E, e->b, indent + 2, depth + 1, out);
	case N_NEG: case N_NOT: case N_ISSET:
		return tree(E, e->a, indent + 2, depth + 1, out);
	case N_IF: {
		Value c;
		if (!tree(E, e->a, indent + 2, depth + 1, out) || !eval_expr(E, E->mod, e->a, &c))
			return false;
		return tree(E, c.k == V_BOOL && c.b ? e->b : e->c, indent + 2, depth + 1, out);
	}
	case N_CALL:
		for (const Node *a = e->a; a; a = a->next) {
			const Node *x = a->a;
			if (is_literal(x) || x->kind == N_SELECTQ || (a->s && strcmp(a->s, "mode") == 0))
				continue;
			/* round(a / b, ...) divides and rounds in one step: a / b alone
			 * may not be exact, so show its two sides */
			if (x->kind == N_BIN && x->op == OP_DIV && strcmp(e->s, "round") == 0) {
				if (!tree(E, x->a, indent + 2, depth + 1, out) || !tree(E, x->b, indent + 2, depth + 1, out))
					return false;
				continue;
			}
			if (!tree(E, x, indent + 2, depth + 1, out))
				return false;
		}
		{
			/* a function of the rules: its body, with its parameters bound */
			Decl *d = program_lookup(E->P, E->mod, e->s);
			if (!d || d->kind != D_FN || depth + 1 >= MAX_DEPTH)
				return true;
			EScope params[16];
			EScope *chain = NULL;
			int i = 0;
			const Node *p = d->node->a;
			for (const Node *a = e->a; a && p && i < 16; a = a->next, p = p->next, i++) {
				params[i].name = p->s;
				if (!eval_expr(E, E->mod, a->a, &params[i].v))
					return false;
				params[i].up = chain;
				chain = &params[i];
			}
			EScope *saved = E->scope;
			Module *saved_mod = E->mod;
			E->scope = chain;
			E->mod = d->mod;
			bool ok = tree(E, d->node->b, indent + 2, depth + 1, out);
			E->scope = saved;
			E->mod = saved_mod;
			return ok;
		}
	default:
		return true;
	}
}

bool why_expr(Eval *E, Module *m, Node *e, FILE *out)
{
	E->mod = m;
	return tree(E, e, 0, 0, out);
}

/* ---- rows ------------------------------------------------------------- */

/* Columns of var that the rule uses, for showing its row. */
typedef struct { const char **cols; int n; } Used;

static void use_column(const char *col, void *arg)
{
	Used *u = arg;
	bool seen = !col;
	for (int i = 0; i < u->n && !seen; i++)
		seen = strcmp(u->cols[i], col) == 0;
	if (!seen && u->n < 32)
		u->cols[u->n++] = col;
}

static void show_row(const Decl *rule, const char *var, const Row *r, FILE *out)
{
	fprintf(out, "  %s: %s %s", var, r->table, r->id);
	const char *cols[32];
	Used u = { cols, 0 };
	ast_uses(rule->node->a, var, false, use_column, &u);
	int n = u.n;
	if (n)
		fputs(" {", out);
	for (int i = 0; i < n; i++) {
		int c = shape_col(r->shape, cols[i]);
		char buf[256];
		if (c >= 0)
			fprintf(out, "%s%s: %s", i ? ", " : " ", cols[i],
				r->vals[c].k == V_UNSET ? "unset" : value_fmt(&r->vals[c], buf, sizeof buf));
	}
	if (n)
		fputs(" }", out);
	fputc('\n', out);
}

/* The period a revenue row was (or is being) released in, from the ledger. */
static Value released_period(Eval *E, const Value *vals, const struct Shape *sh)
{
	Value p = { .k = V_UNSET };
	int src = shape_col(sh, "source"), id = shape_col(sh, "source_id");
	sqlite3_stmt *st;
	if (src < 0 || id < 0 || !E->db ||
	    sqlite3_prepare_v2(E->db, "SELECT period FROM revenue WHERE source = ? AND source_id = ?", -1, &st, NULL) != SQLITE_OK)
		return p;
	ledger_bind(st, 1, &vals[src]);
	ledger_bind(st, 2, &vals[id]);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (t && strlen(t) == 7) {
			p = (Value){ .k = V_PERIOD, .pk = PER_MONTH, .year = atoi(t), .idx = atoi(t + 5) };
		}
	}
	sqlite3_finalize(st);
	return p;
}

/* why's sink: rules run again with it in place of the run's; each row like
 * the one asked for is explained, and nothing is written. */
typedef struct Tracer {
	Sink sink;                /* first: the sink is the tracer */
	const char *table;        /* explain emits into this table */
	const Node *record;       /* ... that match this record */
	Module *mod;              /* ... whose field values are evaluated here */
	const Decl *rule;         /* the rule being run again */
	FILE *out;
	int hits;
} Tracer;

static bool trace_emit(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals_in)
{
	Tracer *T = (Tracer *)s;
	const Shape *sh = to->shape;
	if (strcmp(to->name, T->table) != 0 || at->kind != N_EMIT)
		return true;
	Value vals[32];
	for (int i = 0; i < sh->ncols && i < 32; i++) {
		vals[i] = vals_in[i];
		if (strcmp(sh->cols[i], "period") == 0 && vals[i].k == V_UNSET && strcmp(to->name, "revenue") == 0)
			vals[i] = released_period(E, vals_in, sh);
	}
	for (const Node *f = T->record->a; f; f = f->next) {
		int c = shape_col(sh, f->s);
		Value w;
		char a[512], b[512];
		Module *rule_mod = E->mod;
		bool got = c >= 0 && eval_expr(E, T->mod, f->a, &w);
		E->mod = rule_mod;
		if (!got)
			return false;
		if (strcmp(value_fmt(&vals[c], a, sizeof a), value_fmt(&w, b, sizeof b)) != 0) {
			/* compare numbers by value: 2000 matches 2000.0000 */
			if (!(vals[c].k == w.k && (w.k == V_NUM || w.k == V_MONEY || w.k == V_HOURS) && dec_cmp(vals[c].d, w.d) == 0))
				return true;
		}
	}
	FILE *out = T->out;
	T->hits++;
	const Decl *rule = T->rule;
	fprintf(out, "%s row from rule %s (%s)\n", to->name, rule->name, E->rule);
	/* the rows and lets in scope, outermost first */
	const EScope *chain[64];
	int n = 0;
	for (const EScope *sc = E->scope; sc && n < 64; sc = sc->up)
		chain[n++] = sc;
	for (int i = n - 1; i >= 0; i--) {
		const EScope *sc = chain[i];
		if (sc->v.k == V_ROW && sc->v.row) {
			show_row(rule, sc->name, sc->v.row, out);
			continue;
		}
		const Node *let = NULL;
		for (const Node *c = rule->node->a; c; c = c->next)
			if (c->kind == N_LETC && strcmp(c->s, sc->name) == 0)
				let = c;
		if (!let) {
			char buf[512];
			fprintf(out, "  %s = %s\n", sc->name, value_fmt(&sc->v, buf, sizeof buf));
			continue;
		}
		/* the let's own derivation, with what was bound before it */
		EScope *saved = E->scope;
		E->scope = (EScope *)sc->up;
		fprintf(out, "  let %s =\n", sc->name);
		bool ok = tree(E, let->a, 4, 0, out);
		E->scope = saved;
		if (!ok)
			return false;
	}
	for (Node *f = at->a->a; f; f = f->next) {
		fprintf(out, "  %s:\n", f->s);
		if (!tree(E, f->a, 4, 0, out))
			return false;
	}
	return true;
}

static bool trace_rule(Eval *E, Tracer *T, Decl *rule)
{
	T->rule = rule;
	char name[512];
	int line, col;
	diag_linecol(rule->mod->src, rule->node->loc.beg, &line, &col);
	snprintf(name, sizeof name, "%s:%d %s", rule->mod->src->path, line, rule->name);
	E->rule = arena_strndup(E->P->A, name, strlen(name));
	return rules_run_one(E, rule);
}

bool why_rows(Eval *E, Module *m, const char *table, Node *record, FILE *out)
{
	E->mod = m;
	/* what the run knows (its id, closed periods) the tracer asks it */
	Tracer T = { { .emit = trace_emit, .tracing = true, .next = E->sink }, table, record, m, NULL, out, 0 };
	Sink *run = E->sink;
	E->sink = &T.sink;
	bool ok = true;
	/* every rule that emits into the table */
	for (int mi = 0; mi < E->P->nmods && ok; mi++)
		for (Node *it = E->P->mods[mi]->items; it && ok; it = it->next) {
			if (it->kind != N_RULE)
				continue;
			Decl *d = map_get(&E->P->decls, it->s);
			if (!d || d->node != it)
				continue;
			bool emits = false;
			for (Node *c = it->a; c; c = c->next)
				emits |= c->kind == N_EMIT && strcmp(c->s, table) == 0;
			if (emits)
				ok = trace_rule(E, &T, d);
		}
	E->sink = run;
	if (ok && T.hits == 0)
		fprintf(out, "no rule emits a %s row like that as of this date\n", table);
	return ok;
}

/* ---- why as a statement of a session: stored rows first, then re-derived ---- */

static bool why_total(Session *S, Module *m, Node *record, const char *schema, bool unstored, FILE *out);
/* Which lines why_summary lists: all; none unless some are in the period
 * asked; only those of periods no run of the database stored. */
enum { WHY_ALL, WHY_IN_PERIOD, WHY_UNSTORED };
#define UNSTORED_SQL(alias) " AND " alias ".period NOT IN (SELECT period FROM main.runs WHERE status = 'ok')"

/* One line per row of schema.table (main: what the database's runs stored;
 * temp: re-derived as of the session date) that matches the record's fields,
 * with the run and period that wrote it. For stored revenue, a row that the
 * rules re-derive differently today says how. Returns how many rows, or -1. */
static int why_summary(Session *S, Module *m, const char *schema, const char *table, Node *record, int which, FILE *out)
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
		 "WHERE r.status %s%s%s ORDER BY r.period, x.rowid", schema, table, schema,
		 stored ? "= 'ok'" : "IN ('ok', 'running')", where, which == WHY_UNSTORED ? UNSTORED_SQL("x") : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK) {
		session_fail(S, "%s", sqlite3_errmsg(S->db));
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
		if (others && which == WHY_IN_PERIOD) {
			sqlite3_finalize(st);
			return 0;
		}
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
			const TableDef *td = schema_table(table);
			for (int c = 0; c < ncol - 1; c++) {
				const char *name = sqlite3_column_name(st, c), *val = (const char *)sqlite3_column_text(st, c);
				char shown[DEC_BUFSZ];
				if (val && td && c < td->ncols && td->cols[c].type == COL_MONEY) {
					int cc = schema_currency_column(td, name);
					val = money_text(val, cc >= 0 ? (const char *)sqlite3_column_text(st, cc) : NULL, shown);
				} else if (val && td && c < td->ncols && td->cols[c].type == COL_HOURS) {
					val = hours_text(val, shown);
				}
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
		char amt[DEC_BUFSZ];
		fprintf(out, "  %s %s %s: %s %s, recognized %s, basis %s, released in %s %s %s%s\n", col[2] ? col[2] : "",
			col[3] ? col[3] : "", col[4] ? col[4] : "", money_text(col[5], col[6], amt), col[6] ? col[6] : "", col[7] ? col[7] : "",
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
					money_text(a, col[6], amt), col[6] ? col[6] : "", o ? o : "", b ? b : "");
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
	/* one source of truth with the session's queries: a period the runs
	 * stored nothing for is answered as the session derives it (a month
	 * not yet run); "0.00, released in other periods" only when neither has it */
	int n = why_summary(S, m, "main", table, x->a, WHY_IN_PERIOD, out);
	if (n < 0)
		return false;
	if (n > 0 && totals && !why_total(S, m, x->a, "main", false, out))
		return false;
	/* no period asked: the months no run stored yet too, as the session has them */
	bool any_period = true;
	for (Node *f = x->a->a; f; f = f->next)
		any_period = any_period && strcmp(f->s, "period") != 0;
	int u = n > 0 && totals && any_period ? why_summary(S, m, "temp", table, x->a, WHY_UNSTORED, out) : 0;
	if (u < 0 || (u > 0 && !why_total(S, m, x->a, "temp", true, out)))
		return false;
	int k = n ? n : why_summary(S, m, "temp", table, x->a, WHY_IN_PERIOD, out);
	if (k < 0)
		return false;
	if (n == 0 && k > 0 && totals && !why_total(S, m, x->a, "temp", false, out))
		return false;
	if (k == 0) {
		k = why_summary(S, m, "main", table, x->a, WHY_ALL, out);
		if (k == 0)
			k = why_summary(S, m, "temp", table, x->a, WHY_ALL, out);
		if (k < 0)
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

/* The closing line of `why revenue_by_project {...}`: the exact sum of
 * the lines and the total rounded once, per project, period and currency. */
static bool why_total(Session *S, Module *m, Node *record, const char *schema, bool unstored, FILE *out)
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
	snprintf(sql, sizeof sql, "SELECT project_id, period, currency, amount FROM %s.revenue r WHERE %s%s%s ORDER BY 1, 2, 3", schema,
		 where, strcmp(schema, "main") == 0 ? " AND run_id IN (SELECT id FROM main.runs WHERE status = 'ok')" : "",
		 unstored ? UNSTORED_SQL("r") : "");
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
			T.lines, T.lines == 1 ? "" : "s", money_fmt(T.sum[0].exact, T.key[2], a), money_fmt(r, T.key[2], b), T.key[2]);
	}
	sqlite3_finalize(st);
	return !T.err;
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

bool stmt_why(Session *S, const char *rest, FILE *out)
{
	bool full = S->why_full;
	rest += strspn(rest, " \t");
	if (strncmp(rest, "--full", 6) == 0 && (!rest[6] || isspace((unsigned char)rest[6]))) {
		full = true;
		rest += 6 + strspn(rest + 6, " \t");
	}
	if (!*rest) {
		session_fail(S, "why what? why EXPRESSION, or why TABLE { column: value, ... } (.why explains)");
		return false;
	}
	size_t idlen;
	if (bare_id(rest, &idlen)) {
		session_fail(S, "why %.*s: an id is text, in quotes; ask for the rows it is in, e.g.\n"
				"  why revenue { project_id: \"%.*s\" }\n"
				"  why revenue_by_project { project_id: \"%.*s\", period: 2026-11 }\n"
				"  why revenue { source_id: \"%.*s\" }",
			(int)idlen, rest, (int)idlen, rest, (int)idlen, rest, (int)idlen, rest);
		return false;
	}
	/* reuse the test grammar: `expect X` is an expression or TABLE { ... } */
	size_t n = strlen(rest) + 32;
	char *text = malloc(n);
	if (!text)
		abort();
	snprintf(text, n, "test \"why\" {\nexpect\n%s\n}", rest);
	Src *src = src_from_string(S->P.A, S->cur ? S->cur->path : "<why>", text, strlen(text));
	free(text);
	if (S->cur) /* the expression, the third line here, is on the statement's line */
		src->lines_before = S->cur->lines_before - 2;
	Parser ps;
	if (parse_source(&ps, S->P.A, src, &S->D, PARSE_FILE) != 0 || !ps.items || !ps.items->a)
		return false;
	Node *x = ps.items->a;
	Module *m = program_add_source(&S->P, src, NULL, NULL);
	if (x->kind == N_EXPECT) {
		Type t;
		if (check_expr(&S->P, m, x->a, &t) != 0)
			return false;
		StmtReads rd;
		stmt_reads(S, x->a, &rd);
		map_free(&rd.names);
		if (rd.needs || S->fresh) {
			if (!view_refresh(S, false, NULL))
				return false;
			return why_expr(&S->E, m, x->a, out);
		}
		Eval light;
		view_light_eval(S, &light);
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
		session_fail(S, "why of rows needs a database (--db DB)");
		return false;
	}
	if (!view_refresh(S, false, NULL))
		return false;
	return why_table(S, m, x, totals, full, out);
}

