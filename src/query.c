/* query.c: evaluating queries (`from ... where ... group by ... select`).
 *
 * A query collects rows, or groups them (sum, count, min, max, any, all
 * accumulate per group), then orders and limits the result. */
#include "query.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "money.h"
#include "ops.h"
#include "schema.h"
#include "source.h"

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
	long long kept;       /* result rows or groups so far (E->max_rows) */
} QCtx;

/* One more row or group kept: within the query's budget? */
static bool keep_one(Eval *E, QCtx *Q)
{
	if (++Q->kept <= E->max_rows)
		return true;
	return eval_fail(E, Q->q, "this query keeps more rows than its limit of %lld; narrow it (where, group by) or see --max-rows",
			 E->max_rows);
}

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
	if (!E->group && !keep_one(E, Q))
		return false;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rows = arena_grow(Q->A, r->rows, r->n, r->cap, sizeof *r->rows);
		Q->keys = arena_grow(Q->A, Q->keys, r->n, r->cap, sizeof *Q->keys);
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
		/* the items, a unit separator between them (no printf: once per row) */
		if (len && len + 1 < sizeof key)
			key[len++] = '\x1f';
		for (const char *c = item; *c && len + 1 < sizeof key; c++)
			key[len++] = *c;
		key[len] = 0;
	}
	Group *g = map_get(&Q->groups, key);
	if (!g) {
		if (!keep_one(E, Q))
			return false;
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
	const Shape *shape;   /* a single source: the shape its rows had so far */
	uint32_t hidden;      /* ... and its columns not bound as names (bit i) */
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
	if (single && row->shape != f->shape) {
		/* as the checker does: a name already bound keeps its meaning
		 * (worked out once per scan: what is bound around it is the same
		 * for every row) */
		f->shape = row->shape;
		f->hidden = 0;
		for (int i = 0; i < row->shape->ncols && i < 32; i++) {
			bool bound = strcmp(var, row->shape->cols[i]) == 0;
			for (const EScope *b = s.up; b && !bound; b = b->up)
				bound = strcmp(b->name, row->shape->cols[i]) == 0;
			if (bound)
				f->hidden |= (uint32_t)1 << i;
		}
	}
	if (single)
		for (int i = 0; i < row->shape->ncols && i < 32; i++) {
			if (f->hidden >> i & 1)
				continue;
			cols[i] = (EScope){ row->shape->cols[i], row->vals[i], E->scope };
			E->scope = &cols[i];
		}
	/* A query's whole work counts against the source row that asked for
	 * it. Outside any row (a rule's source, sow eval) the rows of the
	 * query's first source are the source rows, as a rule's `for` rows
	 * are: each has the whole budget for its share (the rest of the join
	 * and whatever it asks), so a pass over a large table is not stopped
	 * but a join that explodes within one row is. */
	bool source = E->rows_in == 0 && f->item == f->Q->q->a;
	long long steps = E->steps;
	if (source) {
		E->steps = 0;
		E->rows_in++;
	}
	bool ok = eval_step(E, f->item) && from_items(E, f->Q, f->item->next);
	if (source) {
		E->steps = steps;
		E->rows_in--;
	}
	E->scope = s.up;
	return ok;
}

static bool from_items(Eval *E, QCtx *Q, Node *item)
{
	if (item) {
		FromCtx f = { .Q = Q, .item = item };
		const char *var = item->s ? item->s : item->a->kind == N_NAME ? item->a->s : "_";
		return source_scan(E, item, var, Q->q, from_row, &f);
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
			E->scope = g->early ? saved : g->scope;
			E->group = g;
			ok = produce(E, &Q);
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
