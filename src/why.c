/* why.c: explaining where a value comes from.
 *
 * An expression is explained by evaluating it and each of its parts, printed
 * as a tree ("amount = timesheet_hours(t.hours) * hourly = 2000.0000 USD").
 * An emitted row is explained by running the rule that emitted it again in
 * trace mode: when it would emit a row matching what was asked, it prints
 * the rows it was looking at (with the columns the rule uses), its lets, and
 * each field's tree, instead of writing anything. */
#include "why.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "ledger.h"
#include "schema.h"
#include "sink.h"

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
