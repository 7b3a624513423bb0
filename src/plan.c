/* plan.c: the planner, between check and evaluation (see plan.h).
 *
 * It decides, per rule, how the sources of its `for` clauses are read; the
 * evaluation of the chosen plan is in rules.c, the SQL in source.c. A plan
 * never changes a result: a join is chosen only where the nested loops and
 * the hash give the same rows (text keys compared exactly), and the inner
 * filters, the join equality included, are still evaluated per row. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "sink.h"

/* var.col with col a text column of t: the column, else -1. */
static int text_column(const Node *e, const char *var, const TableDef *t)
{
	if (e->kind != N_MEMBER || e->a->kind != N_NAME || strcmp(e->a->s, var) != 0)
		return -1;
	int c = schema_column(t, e->s);
	return c >= 0 && t->cols[c].type == COL_TEXT ? c : -1;
}

/* A conjunct `inner.col == K` (either way round) of e where K depends only
 * on the outer variable and constants. */
static bool find_key(Eval *E, const Node *e, JoinPlan *j)
{
	if (e->kind == N_BIN && e->op == OP_AND)
		return find_key(E, e->a, j) || find_key(E, e->b, j);
	if (e->kind != N_BIN || e->op != OP_EQ)
		return false;
	const char *var = j->inner->s;
	/* K may name the outer variable: bind its name while asking */
	EScope outer = { j->outer->s, { .k = V_UNSET }, E->scope };
	EScope *saved = E->scope;
	E->scope = &outer;
	bool found = false;
	for (int side = 0; side < 2 && !found; side++) {
		const Node *m = side ? e->b : e->a, *k = side ? e->a : e->b;
		int c = text_column(m, var, j->table);
		if (c >= 0 && source_fixed(E, k, var)) {
			j->col = c;
			j->key = (Node *)k;
			found = true;
		}
	}
	E->scope = saved;
	return found;
}

static JoinPlan *choose(Eval *E, Node *outer)
{
	/* only filters between the two `for`s: then the outer side is a set of
	 * rows, each with a key, and nothing else is bound */
	Node *inner = outer->next;
	while (inner && (inner->kind == N_WHERE || inner->kind == N_WHEN))
		inner = inner->next;
	if (!inner || inner->kind != N_FOR || inner->a->kind != N_NAME || !E->db)
		return NULL;
	Decl *d = program_lookup(E->P, E->mod, inner->a->s);
	const TableDef *t = schema_table(inner->a->s);
	if (!t || (d && d->kind == D_QUERY) || strcmp(inner->s, outer->s) == 0)
		return NULL;
	JoinPlan j = { .outer = outer, .inner = inner, .table = t, .col = -1 };
	for (Node *f = inner->next; f && f->kind != N_FOR; f = f->next)
		if ((f->kind == N_WHERE || f->kind == N_WHEN) && find_key(E, f->a, &j))
			break;
	if (j.col < 0)
		return NULL;
	JoinPlan *p = malloc(sizeof *p);
	if (!p)
		abort();
	*p = j;
	return p;
}

static char no_join; /* cached "nested loops" (a constant, not state) */
static char no_decor; /* cached "as written" */

const JoinPlan *plan_join(Eval *E, Node *outer)
{
	void *p = ptrmap_get(&E->joins, outer);
	if (!p) {
		p = choose(E, outer);
		ptrmap_put(&E->joins, outer, p ? p : &no_join);
		E->joins_free = plan_free;
	}
	return p == &no_join ? NULL : p;
}

bool plan_hash_worth(Eval *E, const JoinPlan *j, size_t nkeys)
{
	/* One index probe costs a few page reads plus one scattered page per
	 * matching row; a scan reads every page once, in order, about 40 rows
	 * to a page. Probes pay only when the keys are a small part of the
	 * table's (a few inactive projects among thousands): measured on the
	 * bench, 5,000 probes into 2,000,000 entries took 5x the one scan. */
	long long rows = source_rows_estimate(E, j->table);
	return rows < 0 || (long long)nkeys * 1024 >= rows;
}

/* "s.project_id" for a member access, else "(expression)". */
static const char *expr_text(const Node *e, char *buf, size_t n)
{
	if (e->kind == N_MEMBER && e->a->kind == N_NAME)
		snprintf(buf, n, "%s.%s", e->a->s, e->s);
	else if (e->kind == N_NAME)
		snprintf(buf, n, "%s", e->s);
	else
		snprintf(buf, n, "(expression)");
	return buf;
}

void plan_describe(Eval *E, const Decl *rule, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = 0;
	const JoinPlan *j = NULL;
	for (Node *c = rule->node->a; c && len < n; c = c->next) {
		if (c->kind != N_FOR)
			continue;
		const char *src = c->a->kind == N_NAME ? c->a->s : c->a->kind == N_CALL ? c->a->s : "(query)";
		const void *key = c;
		char k[96];
		if (!j) {
			void *p = ptrmap_get(&E->joins, c);
			j = p && p != &no_join ? p : NULL;
			if (j && j->outer == c && j->hashed) {
				len += (size_t)snprintf(buf + len, n - len, "%s%s hashed on %s (%zu rows)", len ? "; " : "", src,
							expr_text(j->key, k, sizeof k), j->nkeys);
				continue;
			}
		}
		if (j && j->inner == c) {
			if (j->hashed) {
				len += (size_t)snprintf(buf + len, n - len, "; %s read once, probing by %s.%s", src, c->s,
							j->table->cols[j->col].name);
				key = j;
			} else {
				len += (size_t)snprintf(buf + len, n - len, "; %s by index, one probe per %s (%zu)", src,
							j->outer->s, j->nkeys);
			}
		} else {
			len += (size_t)snprintf(buf + len, n - len, "%s%s%s", len ? "; " : "", schema_table(src) ? "" : "for ", src);
		}
		const char *where = schema_table(src) ? source_where(E, key) : NULL;
		if (where && len < n)
			len += (size_t)snprintf(buf + len, n - len, " [SQL:%s]", where);
	}
	if (len < n)
		plan_decorrelate_describe(E, buf, len, n);
}

void plan_free(Eval *E)
{
	plan_decorrelate_forget(E);
	for (size_t i = 0; i < E->decor.cap; i++)
		if (E->decor.keys[i] && E->decor.vals[i] != &no_decor)
			free(E->decor.vals[i]);
	ptrmap_free(&E->decor);
	for (size_t i = 0; i < E->joins.cap; i++)
		if (E->joins.keys[i] && E->joins.vals[i] != &no_join)
			free(E->joins.vals[i]);
	ptrmap_free(&E->joins);
}

/* ---- correlated queries, read once (see plan.h) ------------------------- */

/* the key under which a batch's emitted relations are kept in E->decor */
static const char batch_key;

typedef struct Batch {
	Map emits;            /* relation -> 1: what the rules of the batch emit */
} Batch;

/* Does e (and the list after it when list) name a variable bound outside
 * the query being planned, that is, in the scope now? */
static bool names_outer(const Eval *E, const Node *e, bool list)
{
	for (; e; e = list ? e->next : NULL) {
		if (e->kind == N_NAME)
			for (const EScope *s = E->scope; s; s = s->up)
				if (strcmp(s->name, e->s) == 0)
					return true;
		if (names_outer(E, e->a, true) || names_outer(E, e->b, true) || names_outer(E, e->c, true) ||
		    names_outer(E, e->d, true) || names_outer(E, e->e, true) || names_outer(E, e->f, true))
			return true;
	}
	return false;
}

/* Does k depend on none of the query's own variables? */
static bool outside_query(const Eval *E, const Node *q, const Node *k)
{
	for (const Node *it = q->a; it; it = it->next)
		if (!source_fixed(E, k, it->s ? it->s : it->a->s))
			return false;
	return true;
}

/* Is the conjunct e a key equality `var.col == K`? Then note it in d. */
static bool key_conjunct(Eval *E, DecorPlan *d, const char *var, const Node *e)
{
	if (e->kind != N_BIN || e->op != OP_EQ || d->nkeys == 4)
		return false;
	for (int side = 0; side < 2; side++) {
		Node *m = side ? e->b : e->a, *k = side ? e->a : e->b;
		if (text_column(m, var, d->table) >= 0 && names_outer(E, k, false) && outside_query(E, d->q, k)) {
			d->inner[d->nkeys] = m;
			d->outer[d->nkeys++] = k;
			return true;
		}
	}
	return false;
}

/* Is name a variable of one of q's own sources? */
static bool query_var(const Node *q, const char *name)
{
	for (const Node *it = q->a; it; it = it->next)
		if (strcmp(it->s ? it->s : it->a->s, name) == 0)
			return true;
	return false;
}

/* A conjunct `x.col == K` on another of the query's sources, where K is a
 * key's outer side: for that key's rows it says `x.col == <the key's inner
 * column>` (both equal K), which the one read can test, so it names nothing
 * outside the query. Else e itself. */
static Node *rekey(Eval *E, const DecorPlan *d, const char *var, Node *e)
{
	if (e->kind != N_BIN || e->op != OP_EQ)
		return e;
	for (int side = 0; side < 2; side++) {
		Node *m = side ? e->b : e->a, *k = side ? e->a : e->b;
		if (m->kind != N_MEMBER || m->a->kind != N_NAME || strcmp(m->a->s, var) == 0 || !query_var(d->q, m->a->s))
			continue;
		for (int i = 0; i < d->nkeys; i++)
			if (ast_same(d->outer[i], k)) {
				Node *r = ast_node(E->P->A, N_BIN, e->loc), *in = ast_node(E->P->A, N_MEMBER, d->inner[i]->loc);
				*r = *e;
				*in = *d->inner[i];
				r->next = in->next = NULL;
				*(side ? &r->a : &r->b) = in;
				return r;
			}
	}
	return e;
}

/* e without its key equalities (NULL: nothing left). */
static Node *drop_keys(Eval *E, DecorPlan *d, const char *var, Node *e)
{
	if (!e)
		return NULL;
	if (e->kind == N_BIN && e->op == OP_AND) {
		/* in the written order: the keys are numbered so */
		Node *a = drop_keys(E, d, var, e->a), *b = drop_keys(E, d, var, e->b);
		return source_and_left(E, e, a, b);
	}
	return key_conjunct(E, d, var, e) ? NULL : rekey(E, d, var, e);
}

static DecorPlan *decor_choose(Eval *E, Node *q)
{
	Node *first = q->a;
	if (getenv("SOW_NO_DECORRELATE") || !E->db || !first || !q->b || first->a->kind != N_NAME)
		return NULL;
	const TableDef *t = schema_table(first->a->s);
	Decl *src = program_lookup(E->P, E->mod, first->a->s);
	if (!t || (src && src->kind == D_QUERY))
		return NULL;
	for (const Node *it = first; it; it = it->next)
		if (it->a->kind != N_NAME)
			return NULL; /* a source with arguments or a query of its own */
	DecorPlan d = { .q = q, .table = t, .mod = E->mod };
	const char *var = first->s ? first->s : first->a->s;
	Node *where = drop_keys(E, &d, var, q->b);
	if (!d.nkeys || names_outer(E, where, false) || names_outer(E, q->c, true) || names_outer(E, q->d, true) ||
	    names_outer(E, q->e, true) || names_outer(E, q->f, false))
		return NULL;
	/* its own from items: a scan's plan is kept per item (source.c), and
	 * this one pushes other filters into SQL */
	Node *whole = ast_node(E->P->A, N_SELECTQ, q->loc);
	*whole = *q;
	whole->next = NULL;
	whole->b = where;
	Node **tail = &whole->a;
	for (const Node *it = first; it; it = it->next) {
		Node *c = ast_node(E->P->A, it->kind, it->loc);
		*c = *it;
		c->next = NULL;
		*tail = c;
		tail = &c->next;
	}
	/* grouped by the key too: that also makes the scan select its columns */
	Node **by = &whole->c;
	for (int i = 0; i < d.nkeys; i++) {
		Node *c = ast_node(E->P->A, N_MEMBER, d.inner[i]->loc);
		*c = *d.inner[i];
		c->next = NULL;
		*by = c;
		by = &c->next;
	}
	*by = q->c;
	d.whole = whole;
	d.rows = source_rows_estimate(E, t);
	DecorPlan *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	*p = d;
	return p;
}

typedef struct {
	const Batch *b;
	bool hit;
} Written;

static void note_written(const char *rel, void *arg)
{
	Written *w = arg;
	w->hit = w->hit || map_get(&w->b->emits, rel);
}

DecorPlan *plan_decorrelate(Eval *E, Node *q)
{
	void *p = ptrmap_get(&E->decor, q);
	if (!p) {
		p = decor_choose(E, q);
		if (!p)
			p = &no_decor;
		ptrmap_put(&E->decor, q, p);
	}
	if (p == &no_decor)
		return NULL;
	DecorPlan *d = p;
	if (!d->calls && !d->failed) {
		/* reading what a rule of this batch writes (from a source, or in
		 * a function it calls): the rows are not all there yet, so each
		 * evaluation reads what is there now */
		Written w = { ptrmap_get(&E->decor, &batch_key), false };
		if (w.b)
			program_reads(E->P, d->whole, note_written, &w);
		d->failed = w.hit;
	}
	return d;
}

void plan_decorrelate_begin(Eval *E, Decl *const *rules, int n)
{
	Batch *b = ptrmap_get(&E->decor, &batch_key);
	if (!b) {
		b = calloc(1, sizeof *b);
		if (!b)
			abort();
		ptrmap_put(&E->decor, &batch_key, b);
	}
	for (int i = 0; i < n; i++)
		for (const Node *c = rules[i]->node->a; c; c = c->next)
			if (c->kind == N_EMIT)
				map_put(&b->emits, c->s, (void *)1);
	/* why traces rules as nested loops, each evaluation on its own rows */
	E->decorrelate = E->sink && E->sink->tracing ? NULL : plan_decorrelate;
	E->joins_free = plan_free;
}

static void decor_reset(DecorPlan *d)
{
	if (d->A)
		arena_free(d->A);
	map_free(&d->parts);
	d->A = NULL;
	d->calls = d->nparts = d->read = 0;
	d->built = d->failed = d->too_big = false;
}

void plan_decorrelate_forget(Eval *E)
{
	for (size_t i = 0; i < E->decor.cap; i++) {
		if (!E->decor.keys[i] || E->decor.vals[i] == &no_decor)
			continue;
		if (E->decor.keys[i] == &batch_key)
			map_free(&((Batch *)E->decor.vals[i])->emits);
		else
			decor_reset(E->decor.vals[i]);
	}
	E->decorrelate = NULL;
}

static int by_place(const void *a, const void *b)
{
	const DecorPlan *x = *(DecorPlan *const *)a, *y = *(DecorPlan *const *)b;
	int c = strcmp(x->mod->src->path, y->mod->src->path);
	return c ? c : (x->q->loc.beg > y->q->loc.beg) - (x->q->loc.beg < y->q->loc.beg);
}

size_t plan_decorrelate_describe(Eval *E, char *buf, size_t len, size_t n)
{
	const DecorPlan *built[16];
	size_t nb = 0;
	for (size_t i = 0; i < E->decor.cap && nb < 16; i++) {
		const DecorPlan *d = E->decor.keys[i] && E->decor.keys[i] != &batch_key && E->decor.vals[i] != &no_decor
					     ? E->decor.vals[i] : NULL;
		if (d && (d->built || d->too_big))
			built[nb++] = d;
	}
	qsort(built, nb, sizeof *built, by_place); /* in source order, not the hash's */
	for (size_t i = 0; i < nb && len < n; i++) {
		const DecorPlan *d = built[i];
		int line, col;
		diag_linecol(d->mod->src, d->q->loc.beg, &line, &col);
		const char *path = strrchr(d->mod->src->path, '/');
		char k[96];
		len += (size_t)snprintf(buf + len, n - len, "%s%s read once by %s", len ? "; " : "",
					d->table->name, expr_text(d->inner[0], k, sizeof k));
		for (int j = 1; j < d->nkeys && len < n; j++)
			len += (size_t)snprintf(buf + len, n - len, ", %s", expr_text(d->inner[j], k, sizeof k));
		if (len < n && d->too_big)
			len += (size_t)snprintf(buf + len, n - len, " (%s:%d: more groups than fit in memory, read per key)",
						path ? path + 1 : d->mod->src->path, line);
		else if (len < n)
			len += (size_t)snprintf(buf + len, n - len, " (decorrelated, %s:%d; %lld keys)",
						path ? path + 1 : d->mod->src->path, line, d->nparts);
	}
	return len < n ? len : n - 1;
}
