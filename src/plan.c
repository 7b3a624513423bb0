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
}

void plan_free(Eval *E)
{
	for (size_t i = 0; i < E->joins.cap; i++)
		if (E->joins.keys[i] && E->joins.vals[i] != &no_join)
			free(E->joins.vals[i]);
	ptrmap_free(&E->joins);
}
