/* rules.c: evaluating rules and queries.
 *
 * A rule is run as nested loops, one per `for`, written as recursion over
 * its clauses: `for` scans its source and runs the rest of the clauses once
 * per row; `where`/`when` stop this row; `let` binds; `emit` writes a row.
 * Rules run in dependency order (what a rule reads is complete before it
 * runs), ties broken by name, so results never depend on file order.
 *
 * A query collects rows, or groups them (sum, count, min, max, any, all
 * accumulate per group), then orders and limits the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "engine.h"
#include "ledger.h"
#include "money.h"
#include "ops.h"
#include "plan.h"
#include "schema.h"

/* ---- keeping values ----------------------------------------------------- */

Value value_keep(Arena *A, Value v)
{
	if ((v.k == V_TEXT || v.k == V_SYM) && v.s)
		v.s = arena_strndup(A, v.s, strlen(v.s));
	else if (v.k == V_LIST && v.nitems) {
		Value *items = arena_alloc(A, (size_t)v.nitems * sizeof *items);
		for (int i = 0; i < v.nitems; i++)
			items[i] = value_keep(A, v.items[i]);
		v.items = items;
	} else if (v.k == V_ROW && v.row) {
		Row *r = arena_alloc(A, sizeof *r);
		*r = *v.row;
		int n = r->shape->ncols;
		r->vals = arena_alloc(A, (size_t)(n ? n : 1) * sizeof(Value));
		for (int i = 0; i < n; i++)
			r->vals[i] = value_keep(A, v.row->vals[i]);
		r->table = arena_strndup(A, r->table, strlen(r->table));
		r->id = arena_strndup(A, r->id, strlen(r->id));
		v.row = r;
	}
	return v;
}

/* ---- rules -------------------------------------------------------------- */



typedef struct {
	Decl *rule;
	Node *rest;           /* clauses after the current `for` */
	const char *var;
	int depth;            /* nesting of `for`s: 0 is the outermost */
} ForCtx;

static bool run_clauses(Eval *E, Decl *rule, Node *c, int depth);
static bool run_machines(Eval *E);

static bool bind_sow(Eval *E, const Row *row, const SowRef **saved)
{
	*saved = E->sow;
	if (row->sow)
		E->sow = row->sow; /* set when the SOW terms were built */
	else if (row->table[0] == 's' && strcmp(row->table, "sows") == 0) {
		E->sow = map_get(&E->test_sows, row->id);
		if (!E->sow)
			E->sow = map_get(&E->P->sows, row->id);
	}
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
}

/* ok: whether the row's clauses succeeded (else name the row as context,
 * innermost first). */
static bool row_leave(Eval *E, Frame *f, bool ok)
{
	const Row *row = f->s.v.row;
	if (!ok)
		fprintf(E->D->out, "  on %s %s\n", row->table, row->id);
	E->steps = f->steps;
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
	return row_leave(E, &fr, run_clauses(E, f->rule, f->rest, f->depth + 1));
}

/* A readable name of what a rule is looking at, for messages. */
static void subject(const Eval *E, char *buf, size_t n)
{
	buf[0] = 0;
	size_t len = 0;
	for (const EScope *s = E->scope; s && len < n - 1; s = s->up)
		if (s->v.k == V_ROW && s->v.row)
			len += (size_t)snprintf(buf + len, n - len, "%s%s %s", len ? ", " : "", s->v.row->table, s->v.row->id);
}

static bool emit(Eval *E, Node *c);

/* A where or when clause: does it hold for the rows bound? */
static bool filter(Eval *E, Node *c, bool *holds)
{
	Value v;
	*holds = false;
	if (!eval_expr(E, E->mod, c->a, &v))
		return false;
	if (v.k != V_BOOL)
		return eval_fail(E, c->a, "%s must be true or false, got %s", c->kind == N_WHERE ? "where" : "when",
				 vkind_name(v.k));
	*holds = v.b;
	if (v.b && E->cov)
		coverage_hit(E->cov, c);
	return true;
}

/* ---- joins (plan.h) ------------------------------------------------------ */

/* A copy of the n items of old in a new array of cap items (arena-made
 * arrays grow by copying; the old one goes with the arena). */
static void *grown(Arena *A, const void *old, size_t n, size_t cap, size_t size)
{
	void *p = arena_alloc(A, cap * size);
	if (n)
		memcpy(p, old, n * size);
	return p;
}

typedef struct {
	Decl *rule;
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
		ok = filter(E, c, &keep);
	Value key = { .k = V_UNSET };
	if (ok && keep)
		ok = eval_expr(E, E->mod, J->j->key, &key);
	if (ok && keep) {
		if (J->n == J->cap) {
			J->cap = J->cap ? J->cap * 2 : 256;
			J->rows = grown(J->A, J->rows, J->n, J->cap, sizeof *J->rows);
			J->keys = grown(J->A, J->keys, J->n, J->cap, sizeof *J->keys);
		}
		J->rows[J->n] = value_keep(J->A, (Value){ .k = V_ROW, .row = row }).row;
		if (key.k == V_TEXT || key.k == V_SYM)
			J->keys[J->n] = arena_strndup(J->A, key.s, strlen(key.s));
		else
			J->mixed = true;
		J->n++;
	}
	return row_leave(E, &fr, ok);
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
		bool ok = row_leave(E, &inner, run_clauses(E, J->rule, J->j->inner->next, 2));
		if (!row_leave(E, &outer, ok))
			return false;
	}
	return true;
}

static bool run_join(Eval *E, Decl *rule, const JoinPlan *j)
{
	JoinCtx J = { .rule = rule, .j = j, .A = arena_new() };
	bool ok = source_scan(E, j->outer, j->outer->s, j->outer->next, join_collect, &J);
	((JoinPlan *)j)->nkeys = J.n;
	((JoinPlan *)j)->hashed = J.n && !J.mixed && plan_hash_worth(E, j, J.n);
	if (ok && J.n && !j->hashed) {
		/* few keys (or keys that are not text): one index probe each */
		for (size_t i = 0; ok && i < J.n; i++) {
			Frame fr;
			row_enter(E, &fr, j->outer->s, J.rows[i]);
			ok = row_leave(E, &fr, run_clauses(E, rule, j->inner, 1));
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
		ok = source_scan_as(E, j, j->inner, j->inner->s, j->inner->next, join_probe, &J);
		free(J.next);
	}
	map_free(&J.heads);
	arena_free(J.A);
	return ok;
}

static bool run_clauses(Eval *E, Decl *rule, Node *c, int depth)
{
	for (; c; c = c->next) {
		switch (c->kind) {
		case N_FOR: {
			/* why lists the lines in the nested loops' order (per SOW,
			 * then by the index): speed does not matter there */
			const JoinPlan *j = depth == 0 && !E->trace_table ? plan_join(E, c) : NULL;
			if (j)
				return run_join(E, rule, j);
			ForCtx f = { rule, c->next, c->s, depth };
			return source_scan(E, c, c->s, c->next, for_row, &f);
		}
		case N_WHERE:
		case N_WHEN: {
			bool holds;
			if (!filter(E, c, &holds))
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
			bool ok = run_clauses(E, rule, c->next, depth);
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

/* The unique key of a row, as text. */
static void key_of(const Rel *r, const Value *vals, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = 0;
	for (const Node *k = r->unique; k && len < n - 1; k = k->next) {
		for (int i = 0; i < r->shape->ncols; i++)
			if (strcmp(r->shape->cols[i], k->s) == 0) {
				char item[512];
				value_fmt(&vals[i], item, sizeof item);
				len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "\x1f" : "", item);
			}
	}
}

/* An emit's fields as output positions: field node per column of the
 * target, worked out once per emit clause (kept in its aux). */
typedef struct EmitPlan {
	const Shape *sh;
	const TableDef *table;   /* an output table, or NULL: a relation */
	int n;
	Node *field[32];         /* per column: the field giving it, or NULL */
} EmitPlan;

static const EmitPlan *emit_plan(Eval *E, Node *c)
{
	if (c->aux)
		return c->aux;
	EmitPlan *p = arena_alloc(E->P->A, sizeof *p);
	p->sh = map_get(&E->P->shapes, c->s);
	p->table = schema_table(c->s);
	p->n = p->sh->ncols < 32 ? p->sh->ncols : 32;
	for (int i = 0; i < p->n; i++)
		for (Node *f = c->a->a; f; f = f->next)
			if (strcmp(f->s, p->sh->cols[i]) == 0)
				p->field[i] = f; /* the last one wins, as before */
	c->aux = p;
	return p;
}

static bool emit(Eval *E, Node *c)
{
	const EmitPlan *p = emit_plan(E, c);
	E->rows_emitted++;
	const Shape *sh = p->sh;
	Value vals[32];
	int n = p->n;
	for (int i = 0; i < n; i++) {
		vals[i] = (Value){ .k = V_UNSET };
		Node *f = p->field[i];
		if (!f)
			continue;
		if (!eval_expr(E, E->mod, f->a, &vals[i]))
			return false;
		if (!compatible(&sh->types[i], &vals[i]))
			return eval_fail(E, f->a, "%s.%s is %s, got %s", c->s, f->s, vkind_name(sh->types[i].k),
					 vkind_name(vals[i].k));
	}
	if (E->trace_table)
		return why_emit(E, c, vals, sh);
	if (p->table)
		return ledger_emit(E, c, p->table, vals);
	Rel *r = engine_rel(E, c->s);
	char key[1024], what[512];
	subject(E, what, sizeof what);
	if (r->unique) {
		key_of(r, vals, key, sizeof key);
		size_t at = (size_t)map_get(&r->keys, key);
		if (at) {
			const Row *first = &r->rows[at - 1];
			return eval_fail(E, c, "%s already has a row with key %s: emitted by %s (for %s) and again by %s (for %s)",
					 c->s, key, first->table, first->id, E->rule, what);
		}
	}
	Row *row = rel_add(E, r);
	for (int i = 0; i < n; i++)
		row->vals[i] = value_keep(E->P->A, vals[i]);
	row->table = E->rule;
	row->id = arena_strndup(E->P->A, what, strlen(what));
	if (r->unique)
		map_put(&r->keys, arena_strndup(E->P->A, key, strlen(key)), (void *)r->n);
	return true;
}

bool rules_run_one(Eval *E, Decl *rule)
{
	E->mod = rule->mod;
	E->sow = NULL;
	bool ok = run_clauses(E, rule, rule->node->a, 0);
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

bool rules_run_all(Eval *E)
{
	Order o = { 0 };
	for (size_t i = 0; i < E->P->decls.cap; i++) {
		Decl *d = E->P->decls.keys[i] ? E->P->decls.vals[i] : NULL;
		if (d && d->kind == D_RULE)
			o.n++;
	}
	if (o.n == 0)
		return !E->run || run_machines(E);
	o.rules = calloc((size_t)o.n, sizeof *o.rules);
	o.deps = calloc((size_t)o.n * (size_t)o.n, sizeof *o.deps);
	int *done = calloc((size_t)o.n, sizeof *done);
	if (!o.rules || !o.deps || !done)
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
	bool ok = true;
	E->started_ms = clock_ms();
	/* Repeatedly run the first rule (by name) whose inputs are complete.
	 * The checker has refused cycles, so each pass finds one. */
	for (int ran = 0; ran < o.n && ok; ran++) {
		int pick = -1;
		for (int i = 0; i < o.n && pick < 0; i++) {
			if (done[i])
				continue;
			bool ready = true;
			for (int j = 0; j < o.n && ready; j++)
				if (j != i && o.deps[i * o.n + j] && !done[j])
					ready = false;
			if (ready)
				pick = i;
		}
		if (pick < 0)
			break;
		done[pick] = 1;
		Decl *r = o.rules[pick];
		char name[512];
		int line, col;
		diag_linecol(r->mod->src, r->node->loc.beg, &line, &col);
		snprintf(name, sizeof name, "%s:%d %s", r->mod->src->path, line, r->name);
		E->rule = arena_strndup(E->P->A, name, strlen(name));
		E->mod = r->mod;
		E->sow = NULL;
		long long t0 = clock_ms(), read = E->rows_seen, emitted = E->rows_emitted;
		ok = run_clauses(E, r, r->node->a, 0);
		if (!ok)
			diag_at(E->D, r->mod->src, r->node->loc, DIAG_NOTE, "while evaluating rule %s", r->name);
		if (E->profile) {
			Profile *p = E->profile;
			if (p->n == p->cap) {
				p->cap = p->cap ? p->cap * 2 : 64;
				p->r = realloc(p->r, (size_t)p->cap * sizeof *p->r);
				if (!p->r)
					abort();
			}
			RuleProfile *rp = &p->r[p->n++];
			*rp = (RuleProfile){ E->rule, clock_ms() - t0, E->rows_seen - read, E->rows_emitted - emitted, "" };
			plan_describe(E, r, rp->plan, sizeof rp->plan);
		}
		arena_reset(E->tmp);
	}
	free(o.rules);
	free(o.deps);
	free(done);
	if (E->progress && E->shown_ms)
		fputs("\r\033[K", stderr); /* clear the progress line */
	/* Machines run last: their guards read what the rules wrote. */
	return ok && (!E->run || run_machines(E));
}

/* ---- status machines ------------------------------------------------------ */

/* Write a row into an output table from column/value pairs. */
static bool emit_row(Eval *E, Node *at, const char *table, const char *const *cols, const Value *vals, int n)
{
	const TableDef *t = schema_table(table);
	Value row[32];
	for (int c = 0; c < t->ncols; c++) {
		row[c] = (Value){ .k = V_UNSET };
		for (int i = 0; i < n; i++)
			if (strcmp(cols[i], t->cols[c].name) == 0)
				row[c] = vals[i];
	}
	return ledger_emit(E, at, t, row);
}

static bool allowed(const Node *m, const char *from, const char *to)
{
	for (const Node *t = m->a; t; t = t->next)
		if (strcmp(t->s, to) == 0)
			for (const Node *f = t->a; f; f = f->next)
				if (strcmp(f->s, from) == 0)
					return true;
	return false;
}

static Value txt(const char *s) { return s ? (Value){ .k = V_TEXT, .s = s } : (Value){ .k = V_UNSET }; }

typedef struct {
	Node *m;              /* the machine */
	sqlite3_stmt *hist;   /* its project's recorded changes, in order */
} MachineCtx;

/* One project: check its recorded changes, propose guarded transitions. */
static bool machine_row(Eval *E, const Row *p, void *arg)
{
	MachineCtx *M = arg;
	Node *m = M->m;
	EScope s = { m->s2, { .k = V_ROW, .row = p }, E->scope };
	E->scope = &s;
	bool ok = true;
	Value v;
	if (m->b) {
		ok = eval_expr(E, E->mod, m->b, &v);
		if (ok && v.k != V_BOOL)
			ok = eval_fail(E, m->b, "the machine's where must be true or false");
		if (!ok || !v.b)
			goto done;
	}
	int id = shape_col(p->shape, "id"), st = shape_col(p->shape, "status");
	const char *pid = p->vals[id].k == V_TEXT ? p->vals[id].s : "";
	sqlite3_reset(M->hist);
	sqlite3_bind_text(M->hist, 1, pid, -1, SQLITE_TRANSIENT);
	char prev[128] = "";
	while (ok && sqlite3_step(M->hist) == SQLITE_ROW) {
		const char *to = (const char *)sqlite3_column_text(M->hist, 0);
		const char *on = (const char *)sqlite3_column_text(M->hist, 1);
		if (!to)
			continue;
		if (*prev && strcmp(prev, to) != 0 && !allowed(m, prev, to)) {
			char msg[512], subj[256];
			snprintf(msg, sizeof msg, "recorded status change %s -> %s on %s is not allowed by machine %s", prev, to,
				 on ? on : "?", m->s);
			snprintf(subj, sizeof subj, "status_history:%s", pid);
			static const char *const cols[] = { "project_id", "severity", "code", "message", "subject" };
			Value vals[] = { txt(pid), txt("error"), txt("forbidden_transition"), txt(msg), txt(subj) };
			ok = emit_row(E, m, "findings", cols, vals, 5);
		}
		snprintf(prev, sizeof prev, "%s", to);
	}
	sqlite3_reset(M->hist);
	const char *cur = p->vals[st].k == V_TEXT ? p->vals[st].s : NULL;
	for (Node *t = m->a; ok && t && cur; t = t->next) {
		bool from = false;
		for (Node *f = t->a; f; f = f->next)
			from |= strcmp(f->s, cur) == 0;
		if (!from)
			continue;
		if (t->b) {
			ok = eval_expr(E, E->mod, t->b, &v);
			if (ok && v.k != V_BOOL)
				ok = eval_fail(E, t->b, "a transition guard must be true or false");
			if (!ok || !v.b)
				continue;
		} else {
			continue; /* unguarded: allowed, but nothing to propose */
		}
		static const char *const cols[] = { "project_id", "from_status", "to_status", "on_date", "reason" };
		Value vals[] = { txt(pid), txt(cur), txt(t->s), { .k = V_DATE, .date = E->as_of },
				 txt(t->c ? t->c->s : "guard holds") };
		if (E->cov)
			coverage_hit(E->cov, t);
		ok = emit_row(E, t, "transitions", cols, vals, 5);
	}
done:
	E->scope = s.up;
	arena_reset(E->tmp);
	return ok;
}

static bool run_machines(Eval *E)
{
	for (int mi = 0; mi < E->P->nmods; mi++)
		for (Node *it = E->P->mods[mi]->items; it; it = it->next) {
			if (it->kind != N_MACHINE)
				continue;
			Decl *d = map_get(&E->P->decls, it->s);
			if (!d || d->node != it)
				continue; /* replaced by a user file's machine */
			char name[512];
			int line, col;
			diag_linecol(d->mod->src, it->loc.beg, &line, &col);
			snprintf(name, sizeof name, "%s:%d machine %s", d->mod->src->path, line, it->s);
			E->rule = arena_strndup(E->P->A, name, strlen(name));
			E->mod = d->mod;
			E->sow = NULL;
			/* a for clause of its own, so the scan has a stable plan */
			Node *src = ast_node(E->P->A, N_NAME, it->loc);
			src->s = "projects";
			Node *clause = ast_node(E->P->A, N_FOR, it->loc);
			clause->a = src;
			clause->s = it->s2;
			clause->aux = map_get(&E->P->shapes, "projects");
			MachineCtx M = { it, NULL };
			if (sqlite3_prepare_v2(E->db, "SELECT status, changed_on FROM status_history WHERE project_id = ? "
						      "ORDER BY changed_on, rowid", -1, &M.hist, NULL) != SQLITE_OK)
				return eval_fail(E, it, "cannot read status_history: %s", sqlite3_errmsg(E->db));
			bool ok = source_scan(E, clause, it->s2, NULL, machine_row, &M);
			sqlite3_finalize(M.hist);
			if (!ok)
				return false;
		}
	return true;
}

/* ---- queries -------------------------------------------------------------- */

typedef struct Acc {
	Value v;              /* sum, min, max */
	long long count;
	bool b;               /* any, all */
	bool seen;
} Acc;

typedef struct Group {
	EScope *scope;        /* a copy of the first row's bindings, or NULL: */
	Value *early;         /* ... the select items without aggregates, evaluated
	                       * on the group's first row (QCtx.early) */
	Acc *acc;             /* one per aggregate call */
	struct Group *next;
} Group;

typedef struct {
	Node *q;
	const Shape *shape;
	Rel *out;
	Value **keys;         /* order-by keys per result row */
	size_t nkeys;
	bool grouped;
	bool early;           /* every select item is free of aggregates or is one
	                       * aggregate call, and nothing is ordered: a group
	                       * keeps values, not a copy of its first row */
	int naggs;
	Node **aggs;          /* aggregate calls, by ordinal */
	Map groups;           /* group key -> Group* */
	Group *first, *last;
	Arena *A;             /* groups, copies */
} QCtx;

static bool is_aggregate(const Node *e)
{
	if (e->kind != N_CALL)
		return false;
	int id = e->op > 0 ? e->op - 1 : builtin_find(e->s); /* op: set by the checker */
	return id >= 0 && (builtins[id].aggregate == 1 || (builtins[id].aggregate == 2 && e->a && !e->a->next));
}

/* Does e contain an aggregate call (outside nested queries)? */
static bool has_aggregate(const Node *e)
{
	if (!e || e->kind == N_SELECTQ)
		return false;
	if (is_aggregate(e))
		return true;
	for (const Node *a = (e->kind == N_CALL || e->kind == N_LIST) ? e->a : NULL; a; a = a->next)
		if (has_aggregate(a->kind == N_ARG ? a->a : a))
			return true;
	return e->kind != N_CALL && e->kind != N_LIST && (has_aggregate(e->a) || has_aggregate(e->b) || has_aggregate(e->c));
}

static void find_aggs(QCtx *Q, Node *e)
{
	if (!e || e->kind == N_SELECTQ)
		return;
	if (is_aggregate(e)) {
		Node **n = arena_alloc(Q->A, (size_t)(Q->naggs + 1) * sizeof *n);
		if (Q->naggs)
			memcpy(n, Q->aggs, (size_t)Q->naggs * sizeof *n);
		n[Q->naggs++] = e;
		Q->aggs = n;
		e->idx = Q->naggs;
		return;
	}
	for (Node *a = (e->kind == N_CALL || e->kind == N_LIST) ? e->a : NULL; a; a = a->next)
		find_aggs(Q, a->kind == N_ARG ? a->a : a);
	if (e->kind != N_CALL && e->kind != N_LIST) {
		find_aggs(Q, e->a);
		find_aggs(Q, e->b);
		find_aggs(Q, e->c);
	}
}

static bool accumulate(Eval *E, QCtx *Q, Group *g)
{
	for (int i = 0; i < Q->naggs; i++) {
		Node *call = Q->aggs[i];
		Acc *a = &g->acc[i];
		int id = call->op > 0 ? call->op - 1 : builtin_find(call->s);
		if (id == B_COUNT && !call->a) {
			a->count++;
			continue;
		}
		Value v;
		if (!eval_expr(E, E->mod, call->a->a, &v))
			return false;
		if (id == B_COUNT) {
			a->count += v.k != V_UNSET;
			continue;
		}
		if (v.k == V_UNSET)
			return eval_fail(E, call->a->a, "%s() of an unset value; filter with 'where ... is set' or use coalesce()", call->s);
		if (id == B_ANY || id == B_ALL) {
			if (v.k != V_BOOL)
				return eval_fail(E, call->a->a, "%s() needs true or false", call->s);
			if (!a->seen)
				a->b = id == B_ALL;
			a->b = id == B_ANY ? (a->b || v.b) : (a->b && v.b);
			a->seen = true;
			continue;
		}
		if (!a->seen) {
			a->v = value_keep(Q->A, v);
			a->seen = true;
			continue;
		}
		Node op = { .kind = N_BIN, .op = id == B_SUM ? OP_ADD : OP_LT, .loc = call->loc };
		Value r;
		if (id == B_SUM) {
			if (!eval_binop(E, &op, &a->v, &v, &r))
				return false;
			a->v = value_keep(Q->A, r);
		} else {
			if (!eval_binop(E, &op, id == B_MIN ? &v : &a->v, id == B_MIN ? &a->v : &v, &r))
				return false;
			if (r.b)
				a->v = value_keep(Q->A, v);
		}
	}
	return true;
}

bool rules_aggregate_value(Eval *E, const Node *e, Value *out)
{
	if (!E->group || e->idx <= 0)
		return eval_fail(E, e, "%s() sums up a group: use it in the select of a query", e->s);
	const Acc *a = &E->group->acc[e->idx - 1];
	int id = e->op > 0 ? e->op - 1 : builtin_find(e->s); /* op: set by the checker */
	if (id == B_COUNT)
		*out = (Value){ .k = V_NUM, .d = dec_from_int(a->count) };
	else if (id == B_ANY || id == B_ALL)
		*out = (Value){ .k = V_BOOL, .b = a->seen ? a->b : id == B_ALL };
	else
		*out = a->seen ? a->v : (Value){ .k = V_UNSET };
	return true;
}

static EScope *copy_scope(Arena *A, const EScope *s)
{
	if (!s)
		return NULL;
	EScope *c = arena_alloc(A, sizeof *c);
	c->name = s->name;
	c->v = value_keep(A, s->v);
	c->up = copy_scope(A, s->up);
	return c;
}

/* Evaluate select items (and order keys) in the current scope into a row. */
static bool produce(Eval *E, QCtx *Q)
{
	Rel *r = Q->out;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rows = grown(Q->A, r->rows, r->n, r->cap, sizeof *r->rows);
		Q->keys = grown(Q->A, Q->keys, r->n, r->cap, sizeof *Q->keys);
	}
	Row *row = &r->rows[r->n];
	row->shape = Q->shape;
	int n = Q->shape->ncols;
	row->vals = arena_alloc(Q->A, (size_t)(n ? n : 1) * sizeof(Value));
	row->table = "query";
	row->id = "";
	if (Q->q->d) {
		int i = 0;
		for (Node *it = Q->q->d; it; it = it->next, i++) {
			Value v;
			if (E->group && E->group->early && !is_aggregate(it->a)) {
				row->vals[i] = E->group->early[i];
				continue;
			}
			if (!eval_expr(E, E->mod, it->a, &v))
				return false;
			row->vals[i] = value_keep(Q->A, v);
		}
	} else {
		/* no select: the source row itself */
		const EScope *s = E->scope;
		while (s && s->v.k != V_ROW)
			s = s->up;
		if (!s)
			return eval_fail(E, Q->q, "nothing to select");
		Value kept = value_keep(Q->A, s->v);
		*row = *kept.row;
	}
	/* order keys see the selected names too */
	int nord = 0;
	for (Node *o = Q->q->e; o; o = o->next)
		nord++;
	if (nord) {
		EScope *named = NULL;
		EScope *cells = arena_alloc(Q->A, (size_t)(n ? n : 1) * sizeof *cells);
		for (int i = 0; i < n; i++) {
			cells[i] = (EScope){ Q->shape->cols[i], row->vals[i], named ? named : E->scope };
			named = &cells[i];
		}
		EScope *saved = E->scope;
		if (named)
			E->scope = named;
		Value *keys = arena_alloc(Q->A, (size_t)nord * sizeof *keys);
		int i = 0;
		for (Node *o = Q->q->e; o; o = o->next, i++) {
			Value v;
			if (!eval_expr(E, E->mod, o->a, &v)) {
				E->scope = saved;
				return false;
			}
			keys[i] = value_keep(Q->A, v);
		}
		E->scope = saved;
		Q->keys[r->n] = keys;
	}
	r->n++;
	return true;
}

static bool group_row(Eval *E, QCtx *Q)
{
	char key[2048];
	size_t len = 0;
	key[0] = 0;
	for (Node *g = Q->q->c; g; g = g->next) {
		Value v;
		if (!eval_expr(E, E->mod, g, &v))
			return false;
		char item[512];
		value_fmt(&v, item, sizeof item);
		len += (size_t)snprintf(key + len, sizeof key - len, "%s%s", len ? "\x1f" : "", item);
	}
	Group *g = map_get(&Q->groups, key);
	if (!g) {
		g = arena_alloc(Q->A, sizeof *g);
		if (Q->early) {
			int n = 0;
			for (Node *it = Q->q->d; it; it = it->next)
				n++;
			g->early = arena_alloc(Q->A, (size_t)(n ? n : 1) * sizeof *g->early);
			int i = 0;
			for (Node *it = Q->q->d; it; it = it->next, i++) {
				Value v;
				if (is_aggregate(it->a))
					continue;
				if (!eval_expr(E, E->mod, it->a, &v))
					return false;
				g->early[i] = value_keep(Q->A, v);
			}
		} else {
			g->scope = copy_scope(Q->A, E->scope);
		}
		g->acc = arena_alloc(Q->A, (size_t)(Q->naggs ? Q->naggs : 1) * sizeof *g->acc);
		map_put(&Q->groups, arena_strndup(Q->A, key, len), g);
		if (Q->last)
			Q->last->next = g;
		else
			Q->first = g;
		Q->last = g;
	}
	return accumulate(E, Q, g);
}

typedef struct {
	QCtx *Q;
	Node *item;           /* from item being scanned */
} FromCtx;

static bool from_items(Eval *E, QCtx *Q, Node *item);

static bool from_row(Eval *E, const Row *row, void *arg)
{
	FromCtx *f = arg;
	const char *var = f->item->s ? f->item->s : f->item->a->kind == N_NAME ? f->item->a->s : "_";
	EScope s = { var, { .k = V_ROW, .row = row }, E->scope };
	E->scope = &s;
	/* a single source's columns are names too */
	EScope cols[32];
	bool single = f->Q->q->a == f->item && !f->item->next;
	if (single)
		for (int i = 0; i < row->shape->ncols && i < 32; i++) {
			/* as the checker does: a name already bound keeps its meaning */
			bool bound = false;
			for (const EScope *b = s.up; b && !bound; b = b->up)
				bound = strcmp(b->name, row->shape->cols[i]) == 0;
			if (bound || strcmp(var, row->shape->cols[i]) == 0)
				continue;
			cols[i] = (EScope){ row->shape->cols[i], row->vals[i], E->scope };
			E->scope = &cols[i];
		}
	long long steps = E->steps; /* a budget per row, as in for_row */
	E->steps = 0;
	bool ok = from_items(E, f->Q, f->item->next);
	E->steps = steps;
	E->scope = s.up;
	return ok;
}

static bool from_items(Eval *E, QCtx *Q, Node *item)
{
	if (item) {
		FromCtx f = { Q, item };
		const char *var = item->s ? item->s : item->a->kind == N_NAME ? item->a->s : "_";
		return source_scan(E, item, var, Q->q->b, from_row, &f);
	}
	if (Q->q->b) {
		Value v;
		if (!eval_expr(E, E->mod, Q->q->b, &v))
			return false;
		if (v.k != V_BOOL)
			return eval_fail(E, Q->q->b, "where must be true or false, got %s", vkind_name(v.k));
		if (!v.b)
			return true;
	}
	return Q->grouped ? group_row(E, Q) : produce(E, Q);
}

static int cmp_rows(const QCtx *Q, size_t i, size_t j)
{
	int k = 0;
	for (Node *o = Q->q->e; o; o = o->next, k++) {
		const Value *x = &Q->keys[i][k], *y = &Q->keys[j][k];
		int c;
		if (x->k == V_UNSET || y->k == V_UNSET)
			c = (x->k != V_UNSET) - (y->k != V_UNSET); /* unset first */
		else if (x->k == V_TEXT || x->k == V_SYM)
			c = strcmp(x->s, y->s);
		else if (x->k == V_DATE)
			c = (x->date > y->date) - (x->date < y->date);
		else if (x->k == V_BOOL)
			c = (int)x->b - (int)y->b;
		else if (x->k == V_PERIOD)
			c = x->year != y->year ? (x->year > y->year) - (x->year < y->year) : (x->idx > y->idx) - (x->idx < y->idx);
		else
			c = dec_cmp(x->d, y->d);
		if (c)
			return o->op ? -c : c;
	}
	return (i > j) - (i < j);
}

/* Stable merge sort of row numbers by the order-by keys. */
static void sort_rows(const QCtx *Q, size_t *a, size_t *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_rows(Q, a, tmp, h);
	sort_rows(Q, a + h, tmp, n - h);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = cmp_rows(Q, a[i], a[j]) <= 0 ? a[i++] : a[j++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof *a);
}

bool rules_query(Eval *E, Node *q, Rel **out)
{
	/* results live in the scratch arena: they last while the row that asked
	 * for them is being evaluated */
	QCtx Q = { .q = q, .shape = q->aux, .A = E->tmp };
	Q.out = arena_alloc(Q.A, sizeof *Q.out);
	Q.out->name = "query";
	Q.out->shape = Q.shape;
	for (Node *it = q->d; it; it = it->next)
		find_aggs(&Q, it->a);
	Q.grouped = q->c || Q.naggs;
	Q.early = Q.grouped && !q->e && q->d;
	for (Node *it = q->d; it && Q.early; it = it->next)
		if (!is_aggregate(it->a) && has_aggregate(it->a))
			Q.early = false;
	Group *saved_group = E->group;
	E->group = NULL;
	bool ok = from_items(E, &Q, q->a);
	if (ok && Q.grouped) {
		if (!Q.first && !q->c) {
			/* an aggregate over no rows still gives one row (count() = 0) */
			Q.first = arena_alloc(Q.A, sizeof *Q.first);
			Q.first->scope = E->scope;
			Q.first->acc = arena_alloc(Q.A, (size_t)(Q.naggs ? Q.naggs : 1) * sizeof *Q.first->acc);
		}
		EScope *saved = E->scope;
		for (Group *g = Q.first; g && ok; g = g->next) {
			long long steps = E->steps; /* a budget per group, as per row */
			E->steps = 0;
			E->scope = g->early ? saved : g->scope;
			E->group = g;
			ok = produce(E, &Q);
			E->steps = steps;
		}
		E->scope = saved;
	}
	E->group = saved_group;
	map_free(&Q.groups);
	if (!ok)
		return false;
	if (q->e && Q.out->n > 1) {
		size_t *order = malloc(2 * Q.out->n * sizeof *order);
		Row *sorted = arena_alloc(Q.A, Q.out->n * sizeof *sorted);
		if (!order)
			abort();
		for (size_t i = 0; i < Q.out->n; i++)
			order[i] = i;
		sort_rows(&Q, order, order + Q.out->n, Q.out->n);
		for (size_t i = 0; i < Q.out->n; i++)
			sorted[i] = Q.out->rows[order[i]];
		Q.out->rows = sorted;
		free(order);
	}
	if (q->f) {
		Value lim;
		long long n;
		if (!eval_expr(E, E->mod, q->f, &lim))
			return false;
		if (lim.k != V_NUM || !dec_to_ll(lim.d, &n) || n < 0)
			return eval_fail(E, q->f, "limit must be a whole number, zero or more");
		if ((size_t)n < Q.out->n)
			Q.out->n = (size_t)n;
	}
	*out = Q.out;
	return true;
}
