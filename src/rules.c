/* rules.c: evaluating rules.
 *
 * A rule is run as nested loops, one per `for`, written as recursion over
 * its clauses: `for` scans its source and runs the rest of the clauses once
 * per row; `where`/`when` stop this row; `let` binds; `emit` hands a row
 * to the Eval's sink (sink.h), whichever it is.
 * Rules run in dependency order (what a rule reads is complete before it
 * runs), ties broken by name, so results never depend on file order.
 * Ready rules written alike up to their inner `for`'s filters share one
 * scan of the table: each row goes to each of them in turn.
 *
 * Queries are evaluated in query.c; status machines, which run after the
 * rules, in machine.c. */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "machine.h"
#include "money.h"
#include "ops.h"
#include "plan.h"
#include "profile.h"
#include "schema.h"
#include "sink.h"
#include "source.h"
#include "vm.h"

/* ---- rules -------------------------------------------------------------- */



typedef struct {
	Decl *rule;
	Node *rest;           /* clauses after the current `for` */
	const char *var;
	int depth;            /* nesting of `for`s: 0 is the outermost */
	const void *scan;     /* the scan binding var (source.c: what SQL filtered) */
} ForCtx;

static bool run_clauses(Eval *E, Decl *rule, Node *c, int depth, const void *scan);
static bool walk_clauses(Eval *E, Decl *rule, Node *c, int depth, const void *scan);

static bool bind_sow(Eval *E, const Row *row, const SowRef **saved)
{
	*saved = E->sow;
	if (row->sow)
		E->sow = row->sow; /* set when the SOW terms were built */
	else if (row->table[0] == 's' && strcmp(row->table, "sows") == 0)
		E->sow = map_get(&E->P->sows, row->id);
	return true;
}

static long long clock_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* "rule release_time: 1,200,000 rows" on a terminal, once a run has taken a
 * second, at most five times a second. */
static void progress(Eval *E)
{
	if ((++E->rows_seen & 0xfff) != 0 || !E->progress)
		return;
	long long now = clock_ms();
	if (now - E->started_ms < 1000 || now - E->shown_ms < 200)
		return;
	E->shown_ms = now;
	fprintf(stderr, "\r  %s: %lld rows read\033[K", E->rule ? E->rule : "", E->rows_seen);
}

/* A row bound to a variable while the clauses after its `for` run. */
typedef struct Frame {
	EScope s;
	const SowRef *sow;    /* the SOW in force before */
	ArenaMark mark;
	long long steps;      /* the enclosing row's step count */
} Frame;

static void row_enter(Eval *E, Frame *f, const char *var, const Row *row)
{
	f->s = (EScope){ var, { .k = V_ROW, .row = row }, E->scope };
	f->mark = arena_mark(E->tmp);
	bind_sow(E, row, &f->sow);
	E->scope = &f->s;
	/* The step limit bounds the work done for one row (a runaway is a
	 * call tree exploding inside one row's evaluation, not a table that
	 * grew): each row starts with the whole budget. */
	f->steps = E->steps;
	E->steps = 0;
	E->rows_in++;
}

/* ok: whether the row's clauses succeeded (else name the row as context,
 * innermost first). */
static bool row_leave(Eval *E, Frame *f, bool ok)
{
	const Row *row = f->s.v.row;
	if (!ok)
		fprintf(E->D->out, "  on %s %s\n", row->table, row->id);
	E->steps = f->steps;
	E->rows_in--;
	E->scope = f->s.up;
	E->sow = f->sow;
	arena_release(E->tmp, f->mark); /* nothing made for this row is needed any more */
	return ok;
}

static bool for_row(Eval *E, const Row *row, void *arg)
{
	ForCtx *f = arg;
	Frame fr;
	progress(E);
	row_enter(E, &fr, f->var, row);
	return row_leave(E, &fr, run_clauses(E, f->rule, f->rest, f->depth + 1, f->scan));
}

static bool emit(Eval *E, Node *c);

/* A where or when clause: does it hold for the rows bound? What the scan
 * of `scan` tested in SQL is not tested again. */
static bool filter(Eval *E, Node *c, const void *scan, bool *holds)
{
	Value v = { .k = V_BOOL, .b = true };
	*holds = false;
	Node *cond = (Node *)source_left(E, scan, c);
	if (cond && !eval_expr(E, E->mod, cond, &v))
		return false;
	if (v.k != V_BOOL)
		return eval_fail(E, cond, "%s must be true or false, got %s", c->kind == N_WHERE ? "where" : "when",
				 vkind_name(v.k));
	*holds = v.b;
	if (v.b && E->cov)
		coverage_hit(E->cov, c);
	return true;
}

/* ---- joins (plan.h) ------------------------------------------------------ */

/* Rules that read their sources the same way share one scan: the same
 * `for`s and filters up to the end of the inner `for`'s filters. Each then
 * goes on with its own clauses, as itself (its name on what it emits). */
typedef struct Shared {
	Decl **rules;
	Node **rest;          /* each rule's clauses after the shared ones */
	const char **names;   /* "file:line name", as E->rule */
	long long *ms, *emitted; /* --profile: each rule's own part */
	int n;
	int failed;           /* the rule that failed, or -1 */
} Shared;

typedef struct {
	Shared *sh;           /* the rules reading the join, and how each goes on */
	const JoinPlan *j;
	Arena *A;             /* the kept outer rows and their keys */
	const Row **rows;     /* outer rows that passed their filters, in order */
	const char **keys;    /* ... their join keys (NULL: not text) */
	size_t n, cap;
	bool mixed;           /* a key that is not text: index probes decide */
	Map heads;            /* key -> first outer row + 1 */
	size_t *next;         /* next outer row + 1 with the same key */
} JoinCtx;

/* One outer row: its filters, then keep it with its key. */
static bool join_collect(Eval *E, const Row *row, void *arg)
{
	JoinCtx *J = arg;
	Frame fr;
	progress(E);
	row_enter(E, &fr, J->j->outer->s, row);
	bool ok = true, keep = true;
	for (Node *c = J->j->outer->next; ok && keep && c != J->j->inner; c = c->next)
		ok = filter(E, c, J->j->outer, &keep);
	Value key = { .k = V_UNSET };
	if (ok && keep)
		ok = eval_expr(E, E->mod, J->j->key, &key);
	if (ok && keep) {
		if (J->n == J->cap) {
			J->cap = J->cap ? J->cap * 2 : 256;
			J->rows = arena_grow(J->A, J->rows, J->n, J->cap, sizeof *J->rows);
			J->keys = arena_grow(J->A, J->keys, J->n, J->cap, sizeof *J->keys);
		}
		/* a row of SOW terms lives as long as the run; a table's row
		 * only while its statement stays on it */
		const Shape *sh = J->j->outer->aux;
		J->rows[J->n] = sh && sh->source == 2 ? row : value_keep(J->A, (Value){ .k = V_ROW, .row = row }).row;
		if (key.k == V_TEXT || key.k == V_SYM)
			J->keys[J->n] = arena_strndup(J->A, key.s, strlen(key.s));
		else
			J->mixed = true;
		J->n++;
	}
	return row_leave(E, &fr, ok);
}

/* The inner row's clauses, for each rule of the group: the shared filters
 * once (the first rule's), then each rule's own. */
static bool run_shared(Eval *E, JoinCtx *J)
{
	Shared *sh = J->sh;
	for (Node *c = J->j->inner->next; c != sh->rest[0]; c = c->next) {
		bool holds;
		if (!filter(E, c, J->j, &holds))
			return false;
		if (!holds)
			return true;
	}
	for (int k = 0; k < sh->n; k++) {
		long long t0 = E->profile && sh->n > 1 ? clock_ms() : 0, em = E->rows_emitted;
		E->rule = sh->names[k];
		bool ok = run_clauses(E, sh->rules[k], sh->rest[k], 2, J->j);
		if (E->profile && sh->n > 1) {
			sh->ms[k] += clock_ms() - t0;
			sh->emitted[k] += E->rows_emitted - em;
		}
		if (!ok) {
			sh->failed = k;
			return false;
		}
	}
	return true;
}

/* One row of the big table: every outer row with its key, in their order. */
static bool join_probe(Eval *E, const Row *row, void *arg)
{
	JoinCtx *J = arg;
	progress(E);
	const Value *v = &row->vals[J->j->col];
	if (v->k != V_TEXT)
		return true; /* NULL equals nothing, as in the index probe */
	for (size_t i = (size_t)map_get(&J->heads, v->s); i; i = J->next[i - 1]) {
		Frame outer, inner;
		row_enter(E, &outer, J->j->outer->s, J->rows[i - 1]);
		row_enter(E, &inner, J->j->inner->s, row);
		bool ok = row_leave(E, &inner, run_shared(E, J));
		if (!row_leave(E, &outer, ok))
			return false;
	}
	return true;
}

static bool run_join(Eval *E, Shared *sh, const JoinPlan *j)
{
	JoinCtx J = { .sh = sh, .j = j, .A = arena_new() };
	bool ok = source_scan(E, j->outer, j->outer->s, j->outer->next, join_collect, &J);
	((JoinPlan *)j)->nkeys = J.n;
	((JoinPlan *)j)->hashed = J.n && !J.mixed && plan_hash_worth(E, j, J.n);
	if (ok && J.n && !j->hashed) {
		/* few keys (or keys that are not text): one index probe each, and
		 * each rule of a group reads for itself */
		for (int k = 0; ok && k < sh->n; k++) {
			Node *inner = sh->rules[k]->node->a;
			while (inner->kind != N_FOR || inner == sh->rules[k]->node->a)
				inner = inner->next;
			E->rule = sh->names[k];
			for (size_t i = 0; ok && i < J.n; i++) {
				Frame fr;
				row_enter(E, &fr, j->outer->s, J.rows[i]);
				ok = row_leave(E, &fr, run_clauses(E, sh->rules[k], inner, 1, NULL));
			}
			if (!ok)
				sh->failed = k;
		}
	} else if (ok && J.n) {
		J.next = calloc(J.n, sizeof *J.next);
		if (!J.next)
			abort();
		/* chained in reverse, so a probe meets outer rows in their order */
		for (size_t i = J.n; i-- > 0;) {
			J.next[i] = (size_t)map_get(&J.heads, J.keys[i]);
			map_put(&J.heads, J.keys[i], (void *)(i + 1));
		}
		ok = source_scan_shared(E, j, j->inner, j->inner->s, j->inner->next, sh->n > 1 ? sh->rest[0] : NULL,
					sh->rest + 1, sh->n - 1, join_probe, &J);
		free(J.next);
	}
	map_free(&J.heads);
	arena_free(J.A);
	return ok;
}

static bool rules_for(Eval *E, Decl *rule, Node *c, int depth)
{
	/* why lists the lines in the nested loops' order (per SOW, then by
	 * the index): speed does not matter there */
	const JoinPlan *j = depth == 0 && !(E->sink && E->sink->tracing) ? plan_join(E, c) : NULL;
	if (j) {
		Node *rest = j->inner->next;
		const char *name = E->rule;
		long long ms = 0, em = 0;
		Shared one = { &rule, &rest, &name, &ms, &em, 1, -1 };
		return run_join(E, &one, j);
	}
	ForCtx f = { rule, c->next, c->s, depth, c };
	return source_scan(E, c, c->s, c->next, for_row, &f);
}

static const EmitTo *emit_to(Eval *E, Node *c, Node *const **field, int *n);
static bool emit_check(Eval *E, Node *c, int col, const Node *f, const Value *v);

/* The clauses from c: compiled (vm.c), or else walked. */
static bool run_clauses(Eval *E, Decl *rule, Node *c, int depth, const void *scan)
{
	static const VmHost host = { rules_for, emit_to, emit_check };
	bool ok;
	return vm_run(E, &host, rule, c, depth, scan, &ok) ? ok : walk_clauses(E, rule, c, depth, scan);
}

static bool walk_clauses(Eval *E, Decl *rule, Node *c, int depth, const void *scan)
{
	for (; c; c = c->next) {
		switch (c->kind) {
		case N_FOR:
			return rules_for(E, rule, c, depth);
		case N_WHERE:
		case N_WHEN: {
			bool holds;
			if (!filter(E, c, scan, &holds))
				return false;
			if (!holds)
				return true;
			break;
		}
		case N_LETC: {
			EScope s = { c->s, { .k = V_UNSET }, E->scope };
			if (!eval_expr(E, E->mod, c->a, &s.v))
				return false;
			E->scope = &s;
			bool ok = walk_clauses(E, rule, c->next, depth, scan);
			E->scope = s.up;
			return ok;
		}
		case N_EMIT:
			if (E->cov)
				coverage_hit(E->cov, c);
			if (!emit(E, c))
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

static bool compatible(const Type *want, const Value *v)
{
	if (v->k == V_UNSET || want->k == V_ANY || want->k == v->k)
		return true;
	if (want->k == V_TEXT && (v->k == V_SYM || v->k == V_PERIOD))
		return true;
	if (want->k == V_SYM && v->k == V_TEXT)
		return true;
	if (want->k == V_NUM && v->k == V_PERCENT)
		return true;
	if ((want->k == V_HOURS || want->k == V_MONEY) && v->k == V_NUM)
		return true;
	return false;
}

/* An emit's fields as output positions: field node per column of the
 * target, worked out once per emit clause (kept in its aux). */
typedef struct EmitPlan {
	EmitTo to;
	int n;
	Node *field[32];         /* per column: the field giving it, or NULL */
} EmitPlan;

static const EmitPlan *emit_plan(Eval *E, Node *c)
{
	if (c->aux)
		return c->aux;
	EmitPlan *p = arena_alloc(E->P->A, sizeof *p);
	const Shape *sh = map_get(&E->P->shapes, c->s);
	p->to = (EmitTo){ c->s, sh, schema_table(c->s) };
	p->n = sh->ncols < 32 ? sh->ncols : 32;
	for (int i = 0; i < p->n; i++)
		for (Node *f = c->a->a; f; f = f->next)
			if (strcmp(f->s, sh->cols[i]) == 0)
				p->field[i] = f; /* the last one wins, as before */
	c->aux = p;
	return p;
}

static const EmitTo *emit_to(Eval *E, Node *c, Node *const **field, int *n)
{
	const EmitPlan *p = emit_plan(E, c);
	*field = p->field;
	*n = p->n;
	return &p->to;
}

static bool emit_check(Eval *E, Node *c, int col, const Node *f, const Value *v)
{
	const Shape *sh = emit_plan(E, c)->to.shape;
	if (!compatible(&sh->types[col], v))
		return eval_fail(E, f->a, "%s.%s is %s, got %s", c->s, f->s, vkind_name(sh->types[col].k), vkind_name(v->k));
	return true;
}

/* Evaluate an emit's fields and hand the row to the sink. */
static bool emit(Eval *E, Node *c)
{
	const EmitPlan *p = emit_plan(E, c);
	E->rows_emitted++;
	Value vals[32];
	int n = p->n;
	for (int i = 0; i < n; i++) {
		vals[i] = (Value){ .k = V_UNSET };
		Node *f = p->field[i];
		if (f && !(eval_expr(E, E->mod, f->a, &vals[i]) && emit_check(E, c, i, f, &vals[i])))
			return false;
	}
	return E->sink->emit(E->sink, E, c, &p->to, vals);
}

bool rules_run_one(Eval *E, Decl *rule)
{
	E->mod = rule->mod;
	E->sow = NULL;
	E->steps = 0; /* outside its rows, each rule has the whole budget */
	bool ok = run_clauses(E, rule, rule->node->a, 0, NULL);
	arena_reset(E->tmp);
	return ok;
}

/* ---- rule order ----------------------------------------------------------- */

typedef struct {
	Decl **rules;
	int n;
	Map index;            /* rule name -> position + 1 */
	Map emitters;         /* relation -> first rule (for reads) */
	int *deps;            /* deps[i * n + j]: rule i reads what rule j emits */
	int cur;
} Order;

static void note_read(const char *rel, void *arg)
{
	Order *o = arg;
	for (int j = 0; j < o->n; j++)
		for (Node *c = o->rules[j]->node->a; c; c = c->next)
			if (c->kind == N_EMIT && strcmp(c->s, rel) == 0)
				o->deps[o->cur * o->n + j] = 1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(Decl *const *)a)->name, (*(Decl *const *)b)->name);
}

/* ---- shared scans ---------------------------------------------------------- */

/* How many clauses of a rule with join j are its shared part: the two
 * `for`s, the filters between them and the `where`s after the inner one. */
static int join_length(const JoinPlan *j)
{
	int n = 1;
	for (const Node *c = j->outer->next; c != j->inner; c = c->next)
		n++;
	for (const Node *c = j->inner->next; c && c->kind == N_WHERE; c = c->next)
		n++;
	return n + 1;
}

static Node *nth_clause(Decl *r, int n)
{
	Node *c = r->node->a;
	while (c && n-- > 0)
		c = c->next;
	return c;
}

/* Can rule b share a's scan (a's plan j)? The same clauses up to the end
 * of the join, in the same file, and no table both emit into (rows of one
 * table keep the order of separate runs). */
static bool can_share(Decl *a, const JoinPlan *j, Decl *b)
{
	if (a->mod != b->mod)
		return false;
	int n = join_length(j);
	Node *ca = a->node->a, *cb = b->node->a;
	for (int i = 0; i < n; i++, ca = ca->next, cb = cb->next)
		if (!cb || !ast_same(ca, cb))
			return false;
	for (Node *x = ca; x; x = x->next)
		for (Node *y = cb; y && x->kind == N_EMIT; y = y->next)
			if (y->kind == N_EMIT && strcmp(x->s, y->s) == 0)
				return false;
	return true;
}

void rules_name(const Decl *r, char *buf, size_t n)
{
	int line, col;
	diag_linecol(r->mod->src, r->node->loc.beg, &line, &col);
	snprintf(buf, n, "%s:%d %s", r->mod->src->path, line, r->name);
}

static const char *rule_name(Eval *E, Decl *r)
{
	char name[512];
	rules_name(r, name, sizeof name);
	return arena_strndup(E->P->A, name, strlen(name));
}

static RuleProfile *profile_add(Profile *p)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->r = realloc(p->r, (size_t)p->cap * sizeof *p->r);
		if (!p->r)
			abort();
	}
	return &p->r[p->n++];
}

bool rules_run_all(Eval *E)
{
	return rules_run_some(E, NULL, NULL);
}

bool rules_run_some(Eval *E, bool (*want)(const Decl *rule, void *arg), void *arg)
{
	Order o = { 0 };
	for (size_t i = 0; i < E->P->decls.cap; i++) {
		Decl *d = E->P->decls.keys[i] ? E->P->decls.vals[i] : NULL;
		if (d && d->kind == D_RULE)
			o.n++;
	}
	bool machines = !want || want(NULL, arg);
	if (o.n == 0)
		return !machines || machines_run(E);
	o.rules = calloc((size_t)o.n, sizeof *o.rules);
	o.deps = calloc((size_t)o.n * (size_t)o.n, sizeof *o.deps);
	int *done = calloc((size_t)o.n, sizeof *done), *ready = calloc((size_t)o.n, sizeof *ready);
	Shared sh = { calloc((size_t)o.n, sizeof(Decl *)), calloc((size_t)o.n, sizeof(Node *)),
		      calloc((size_t)o.n, sizeof(char *)), calloc((size_t)o.n, sizeof(long long)),
		      calloc((size_t)o.n, sizeof(long long)), 0, -1 };
	if (!o.rules || !o.deps || !done || !ready || !sh.rules || !sh.rest || !sh.names || !sh.ms || !sh.emitted)
		abort();
	int k = 0;
	for (size_t i = 0; i < E->P->decls.cap; i++) {
		Decl *d = E->P->decls.keys[i] ? E->P->decls.vals[i] : NULL;
		if (d && d->kind == D_RULE)
			o.rules[k++] = d;
	}
	qsort(o.rules, (size_t)o.n, sizeof *o.rules, by_name);
	for (o.cur = 0; o.cur < o.n; o.cur++)
		program_reads(E->P, o.rules[o.cur]->node->a, note_read, &o);
	/* a rule not wanted counts as done: its rows are there already */
	for (int i = 0; want && i < o.n; i++)
		done[i] = !want(o.rules[i], arg);
	bool ok = true;
	E->started_ms = clock_ms();
	/* Repeatedly run the first rule (by name) whose inputs are complete,
	 * with the other ready rules that can share its scan. The checker has
	 * refused cycles, so each pass finds one. */
	for (int ran = 0; ran < o.n && ok; ran += sh.n) {
		for (int i = 0; i < o.n; i++) {
			ready[i] = !done[i];
			for (int j = 0; j < o.n && ready[i]; j++)
				if (j != i && o.deps[i * o.n + j] && !done[j])
					ready[i] = 0;
		}
		int pick = 0;
		while (pick < o.n && !ready[pick])
			pick++;
		if (pick == o.n)
			break;
		Decl *r = o.rules[pick];
		E->only_project = ptrmap_get(&E->scoped, r);
		E->mod = r->mod;
		E->sow = NULL;
		/* coverage counts each rule's own filters: no sharing then */
		const JoinPlan *j = E->cov || (E->sink && E->sink->tracing) || r->node->a->kind != N_FOR ? NULL : plan_join(E, r->node->a);
		sh.n = 0;
		sh.failed = -1;
		for (int i = pick; i < o.n; i++)
			if (i == pick || (j && ready[i] && can_share(r, j, o.rules[i]) &&
					  ptrmap_get(&E->scoped, o.rules[i]) == E->only_project)) {
				done[i] = 1;
				sh.rules[sh.n] = o.rules[i];
				sh.rest[sh.n] = j ? nth_clause(o.rules[i], join_length(j)) : NULL;
				sh.names[sh.n] = rule_name(E, o.rules[i]);
				sh.ms[sh.n] = sh.emitted[sh.n] = 0;
				sh.n++;
			}
		E->rule = sh.names[0];
		E->steps = 0; /* outside its rows, each rule has the whole budget */
		long long t0 = clock_ms(), read = E->rows_seen, emitted = E->rows_emitted;
		plan_decorrelate_begin(E, sh.rules, sh.n);
		if (sh.n > 1) {
			ok = run_join(E, &sh, j);
		} else {
			ok = run_clauses(E, r, r->node->a, 0, NULL);
			sh.failed = 0;
		}
		if (!ok) {
			Decl *f = sh.rules[sh.failed >= 0 ? sh.failed : 0];
			diag_at(E->D, f->mod->src, f->node->loc, DIAG_NOTE, "while evaluating rule %s", f->name);
		}
		if (E->profile) {
			long long ms = clock_ms() - t0, own = 0;
			for (int i = 1; i < sh.n; i++)
				own += sh.ms[i];
			for (int i = 0; i < sh.n; i++) {
				RuleProfile *rp = profile_add(E->profile);
				if (i == 0)
					*rp = (RuleProfile){ sh.names[0], ms - own, E->rows_seen - read,
							     sh.n > 1 ? sh.emitted[0] : E->rows_emitted - emitted, "", "", NULL };
				else
					*rp = (RuleProfile){ sh.names[i], sh.ms[i], 0, sh.emitted[i], "", "", NULL };
				plan_describe(E, sh.rules[i], rp->plan, sizeof rp->plan);
				vm_describe(E, sh.rules[i], rp->engine, sizeof rp->engine, &rp->listing);
				if (i > 0)
					snprintf(rp->plan, sizeof rp->plan, "shares the scan of rule %s", sh.rules[0]->name);
			}
		}
		plan_decorrelate_forget(E);
		arena_reset(E->tmp);
	}
	free(o.rules);
	free(o.deps);
	free(done);
	free(ready);
	free(sh.rules);
	free(sh.rest);
	free(sh.names);
	free(sh.ms);
	free(sh.emitted);
	E->only_project = NULL;
	if (E->progress && E->shown_ms)
		fputs("\r\033[K", stderr); /* clear the progress line */
	/* Machines run last: their guards read what the rules wrote. */
	return ok && (!machines || machines_run(E));
}
