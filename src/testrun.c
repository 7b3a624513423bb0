/* testrun.c: running `test` blocks.
 *
 * Each test gets a fresh in-memory database with the standard schema and
 * only its `given` rows, runs every rule as of its date (as a run for that
 * month would), then checks each `expect`: a condition that must be true,
 * or a row that must be in a relation or output table. Tests never touch a
 * real database. */
#include "testrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "ledger.h"
#include "rules.h"
#include "schema.h"
#include "sink.h"
#include "source.h"
#include "store.h"

static bool given(Eval *E, Node *g, sqlite3 *db)
{
	const TableDef *t = schema_table(g->s);
	for (Node *rec = g->a; rec; rec = rec->next) {
		char sql[2048];
		const char *cols[64];
		int k = 0;
		for (Node *f = rec->a; f && k < 64; f = f->next)
			cols[k++] = f->s;
		schema_insert_sql(t->name, cols, k, sql, sizeof sql);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			return eval_fail(E, rec, "cannot insert: %s", sqlite3_errmsg(db));
		int i = 1;
		for (Node *f = rec->a; f; f = f->next, i++) {
			Value v;
			if (!eval_expr(E, E->mod, f->a, &v)) {
				sqlite3_finalize(st);
				return false;
			}
			ledger_bind(st, i, &v);
		}
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return eval_fail(E, rec, "cannot insert into %s: %s", t->name, sqlite3_errmsg(db));
	}
	return true;
}

#define NEAREST 3 /* actual rows shown for a failed expect */

typedef struct {
	Node *rec;
	bool found;
	bool failed;
	long long rows;           /* rows of the table looked at */
	int best;                 /* most fields any row matched */
	int nbest;
	char near[NEAREST][2048]; /* those rows, field by field */
} Match;

/* Does the actual value equal the expected one? (as `==` would say) */
static bool same_value(Eval *E, Node *at, const Value *got, const Value *want)
{
	if (want->k == V_UNSET || got->k == V_UNSET)
		return want->k == got->k;
	/* text columns also match symbols and periods by their text */
	char a[512], b[512];
	if (got->k == V_TEXT || want->k == V_TEXT)
		return strcmp(value_fmt(got, a, sizeof a), value_fmt(want, b, sizeof b)) == 0;
	Node op = { .kind = N_BIN, .op = OP_EQ, .loc = at->loc };
	Value eq;
	Diag quiet = *E->D;
	FILE *devnull = fopen("/dev/null", "w");
	Diag *saved = E->D;
	quiet.out = devnull ? devnull : saved->out;
	E->D = &quiet;
	bool ok = eval_binop(E, &op, got, want, &eq);
	E->D = saved;
	if (devnull)
		fclose(devnull);
	return ok && eq.b;
}

static bool match_row(Eval *E, const Row *row, void *arg)
{
	Match *m = arg;
	int hits = 0;
	char diff[2048] = "";
	size_t len = 0;
	m->rows++;
	for (Node *f = m->rec->a; f; f = f->next) {
		int c = shape_col(row->shape, f->s);
		Value want;
		if (c < 0 || !eval_expr(E, E->mod, f->a, &want)) {
			m->failed = true;
			return false;
		}
		const Value *got = &row->vals[c];
		bool same = same_value(E, f, got, &want);
		hits += same;
		char a[256], b[256];
		if (len < sizeof diff) {
			if (same)
				len += (size_t)snprintf(diff + len, sizeof diff - len, "      %s: %s\n", f->s, value_fmt(got, a, sizeof a));
			else
				len += (size_t)snprintf(diff + len, sizeof diff - len, "      %s: expected %s, actual %s\n", f->s,
							value_fmt(&want, b, sizeof b), value_fmt(got, a, sizeof a));
		}
	}
	int nfields = 0;
	for (Node *f = m->rec->a; f; f = f->next)
		nfields++;
	if (hits == nfields) {
		m->found = true;
		return false; /* stop: found */
	}
	/* keep the rows that match the most fields, the first few of them */
	if (hits > m->best)
		m->best = hits, m->nbest = 0;
	if (hits == m->best && m->nbest < NEAREST)
		snprintf(m->near[m->nbest++], sizeof m->near[0], "%s", diff);
	return true;
}

static bool expect_row(Eval *E, Node *x, FILE *out)
{
	Node *src = ast_node(E->P->A, N_NAME, x->loc);
	src->s = x->s;
	Node *clause = ast_node(E->P->A, N_FROMITEM, x->loc);
	clause->a = src;
	clause->s = "expected";
	clause->aux = map_get(&E->P->shapes, x->s);
	Match *m = calloc(1, sizeof *m);
	if (!m)
		abort();
	m->rec = x->a;
	m->best = -1;
	source_scan(E, clause, "expected", NULL, match_row, m);
	bool found = m->found && !m->failed;
	if (!found && !m->failed && out) {
		int nfields = 0;
		for (Node *f = x->a->a; f; f = f->next)
			nfields++;
		if (m->rows == 0)
			fprintf(out, "    %s has no rows at all\n", x->s);
		if (m->nbest > 0)
			fprintf(out, "    nearest actual row%s (%d of %d fields match%s):\n", m->nbest > 1 ? "s" : "", m->best, nfields,
				m->nbest > 1 ? " in each" : "");
		for (int i = 0; i < m->nbest; i++)
			fprintf(out, "%s%s", i ? "      --\n" : "", m->near[i]);
		if (m->nbest == NEAREST)
			fprintf(out, "    (the first %d rows that match as many fields)\n", NEAREST);
	}
	free(m);
	return found;
}

/* A test's sink: the test's own SOWs beside the program's, for the whole
 * test; once its run starts, rows go to that run's ledger on the test's
 * database. */
static bool test_emit(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals)
{
	return s->next->emit(s->next, E, at, to, vals); /* rules run only in the run */
}

/* One test; true when it passed. Failures are described on out. */
static bool run_test(Program *P, Module *mod, Node *t, FILE *out, Coverage *cov, bool *dberror)
{
	char err[512];
	sqlite3 *db = store_open(":memory:", STORE_CREATE, err, sizeof err);
	if (!db || !store_init(db, err, sizeof err)) {
		fprintf(out, "sow: error: in-memory database: %s\n", err);
		sqlite3_close(db);
		*dberror = true;
		return false;
	}
	Date as_of = date_today();
	for (Node *c = t->a; c; c = c->next)
		if (c->kind == N_ASOF)
			date_parse(c->s, strlen(c->s), &as_of);
	Eval E;
	eval_init(&E, P, P->A, db, as_of);
	Sink own = { .emit = test_emit };
	E.sink = &own;
	E.run.sows = t->a;
	E.mod = mod;
	E.cov = cov;
	int errors = P->D->errors;
	bool ok = true;
	for (Node *c = t->a; c && ok; c = c->next)
		if (c->kind == N_GIVEN)
			ok = given(&E, c, db);
	RunCtx R;
	char period[DATE_MONTH_BUFSZ];
	date_fmt_month(as_of, period);
	const char *why = NULL;
	if (ok && !ledger_begin(&E, &R, db, period, as_of, &why)) {
		fprintf(out, "sow: error: %s\n", why);
		ok = false;
	}
	if (ok) {
		own.next = &R.sink;
		E.sink = &own;
		ok = rules_run_all(&E);
		ledger_end(&R);
	}
	int failed = 0;
	for (Node *c = t->a; c && ok; c = c->next) {
		E.mod = mod;
		if (c->kind == N_EXPECT) {
			Value v;
			if (!eval_expr(&E, mod, c->a, &v)) {
				failed++;
				continue;
			}
			if (v.k == V_BOOL && v.b)
				continue;
			int line, col;
			diag_linecol(mod->src, c->loc.beg, &line, &col);
			fprintf(out, "  %s:%d: expected ", mod->src->path, line);
			fmt_expr(out, c->a);
			/* show what a comparison's left side was */
			if (c->a->kind == N_BIN && c->a->op >= OP_EQ && c->a->op <= OP_GE) {
				Value l;
				char buf[512];
				if (eval_expr(&E, mod, c->a->a, &l))
					fprintf(out, " (left side is %s)", value_fmt(&l, buf, sizeof buf));
			}
			fputc('\n', out);
			failed++;
		} else if (c->kind == N_EXPECTROW) {
			/* the nearest rows are printed after the line that names the expect */
			char *near = NULL;
			size_t nlen = 0;
			FILE *buf = open_memstream(&near, &nlen);
			if (expect_row(&E, c, buf)) {
				if (buf)
					fclose(buf);
				free(near);
				continue;
			}
			if (buf)
				fclose(buf);
			int line, col;
			diag_linecol(mod->src, c->loc.beg, &line, &col);
			fprintf(out, "  %s:%d: expected a row in %s: ", mod->src->path, line, c->s);
			fmt_expr(out, c->a);
			fputc('\n', out);
			if (near)
				fputs(near, out);
			free(near);
			failed++;
		}
	}
	if (P->D->errors > errors)
		ok = false;
	eval_free(&E);
	sqlite3_close(db);
	return ok && failed == 0;
}

int testrun_all(Program *P, FILE *out, Coverage *cov, int counts[2])
{
	int pass = 0, fail = 0;
	bool dberror = false;
	for (int m = 0; m < P->nmods; m++) {
		Module *mod = P->mods[m];
		if (!mod->user)
			continue;
		for (Node *it = mod->items; it; it = it->next) {
			if (it->kind != N_TEST)
				continue;
			int line, col;
			diag_linecol(mod->src, it->loc.beg, &line, &col);
			bool ok = run_test(P, mod, it, out, cov, &dberror);
			fprintf(out, "%s %s:%d %s\n", ok ? "PASS" : "FAIL", mod->src->path, line, it->s);
			ok ? pass++ : fail++;
		}
	}
	fprintf(out, "tests: %d passed, %d failed\n", pass, fail);
	counts[0] = pass;
	counts[1] = fail;
	return dberror ? 3 : fail ? 1 : 0;
}
