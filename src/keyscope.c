/* keyscope.c: which rules can run again for one project alone (see
 * keyscope.h). The test is on the rule's text and errs towards no: a rule
 * it cannot show to be local runs again for every project, as before. */
#include "keyscope.h"

#include <string.h>

#include "sink.h"

typedef struct Walk {
	Program *P;
	PtrMap seen;          /* functions and queries walked already */
	bool ok;
} Walk;

/* Does e use the name var? */
static bool mentions(const Node *e, const char *var)
{
	for (; e; e = e->next) {
		if (e->kind == N_NAME && e->s && strcmp(e->s, var) == 0)
			return true;
		if (mentions(e->a, var) || mentions(e->b, var) || mentions(e->c, var) || mentions(e->d, var) ||
		    mentions(e->e, var) || mentions(e->f, var))
			return true;
	}
	return false;
}

static bool is_field(const Node *e, const char *var, const char *col)
{
	return e && e->kind == N_MEMBER && e->a && e->a->kind == N_NAME && e->s && strcmp(e->a->s, var) == 0 &&
	       strcmp(e->s, col) == 0;
}

/* Does e name a project: a name (a parameter, a let) or a field
 * project_id or project of another row? */
static bool names_project(const Node *e, const char *var)
{
	if (e->kind == N_NAME)
		return !var || strcmp(e->s, var) != 0;
	return e->kind == N_MEMBER && e->s && (strcmp(e->s, "project_id") == 0 || strcmp(e->s, "project") == 0) &&
	       (!var || !mentions(e->a, var));
}

/* Is cond (its conjuncts) `var.col == e`, e naming a project: the scan is
 * tied to the project the rule is working on. */
static bool tied(const Node *cond, const char *var, const char *col)
{
	if (!cond)
		return false;
	if (cond->kind == N_BIN && cond->op == OP_AND)
		return tied(cond->a, var, col) || tied(cond->b, var, col);
	if (cond->kind != N_BIN || cond->op != OP_EQ)
		return false;
	for (int side = 0; side < 2; side++) {
		const Node *m = side ? cond->b : cond->a, *o = side ? cond->a : cond->b;
		if (is_field(m, var, col) && names_project(o, var))
			return true;
	}
	return false;
}

/* The key column's name of a scan's source when it is keyed (a query's
 * result is not: the scans inside it decide), else NULL. */
static const char *key_of(const Node *clause)
{
	const Shape *sh = clause->aux;
	int c = sh && sh->source != 3 ? shape_project_column(sh) : -1;
	return c >= 0 ? sh->cols[c] : NULL;
}

static void walk(Walk *w, const Node *e);

/* A named query or function: its body, once. */
static void walk_decl(Walk *w, const char *name, DeclKind kind)
{
	Decl *d = name ? program_lookup(w->P, NULL, name) : NULL;
	if (!d || d->kind != kind || ptrmap_get(&w->seen, d))
		return;
	ptrmap_put(&w->seen, d, d);
	walk(w, d->node->b);
}

/* Every scan of a keyed source in e (a list) is tied to a project. */
static void walk(Walk *w, const Node *e)
{
	for (; e && w->ok; e = e->next) {
		if (e->kind == N_FOR && key_of(e)) {
			bool t = false;
			if (!e->s)
				w->ok = false;
			for (const Node *f = e->next; e->s && f && f->kind != N_FOR && !t; f = f->next)
				t = (f->kind == N_WHERE || f->kind == N_WHEN) && tied(f->a, e->s, key_of(e));
			w->ok = w->ok && t;
		}
		if (e->kind == N_SELECTQ)
			for (const Node *fi = e->a; fi && w->ok; fi = fi->next)
				if (key_of(fi))
					w->ok = fi->s && tied(e->b, fi->s, key_of(fi));
		if ((e->kind == N_FOR || e->kind == N_FROMITEM) && e->a && (e->a->kind == N_NAME || e->a->kind == N_CALL))
			walk_decl(w, e->a->s, D_QUERY);
		if (e->kind == N_CALL)
			walk_decl(w, e->s, D_FN);
		/* projects[p.project_id]; a keyed table's row by its id may be any project's */
		const TableDef *t = e->kind == N_INDEX && e->a && e->a->kind == N_NAME ? schema_table(e->a->s) : NULL;
		if (project_column(t))
			w->ok = w->ok && strcmp(t->name, "projects") == 0 && e->b && names_project(e->b, NULL);
		walk(w, e->a);
		walk(w, e->b);
		walk(w, e->c);
		walk(w, e->d);
		walk(w, e->e);
		walk(w, e->f);
	}
}

/* A query as a rule's first source: each of its sources keyed and grouped
 * by its key; the name of the result's column giving the project, or NULL. */
static const char *grouped_by_project(Walk *w, const Node *q)
{
	const char *out = NULL;
	for (const Node *fi = q->a; fi; fi = fi->next) {
		const char *k = key_of(fi);
		bool grouped = false;
		for (const Node *g = q->c; k && fi->s && g && !grouped; g = g->next)
			grouped = is_field(g, fi->s, k);
		if (!grouped)
			return NULL;
		for (const Node *it = q->d; it && !out; it = it->next)
			if (is_field(it->a, fi->s, k))
				out = it->s ? it->s : it->a->s;
	}
	/* what else the query reads: its where, its select */
	walk(w, q->b);
	walk(w, q->d);
	return out;
}

bool keyscope_rule(Program *P, const Decl *r)
{
	const Node *first = r->node->a;
	if (!first || first->kind != N_FOR || !first->s || !first->a)
		return false;
	Walk w = { P, { 0 }, true };
	const char *var = first->s, *col = key_of(first);
	const Node *src = first->a;
	Decl *q = src->kind == N_NAME || src->kind == N_CALL ? program_lookup(P, NULL, src->s) : NULL;
	if (src->kind == N_SELECTQ)
		col = grouped_by_project(&w, src);
	else if (q && q->kind == D_QUERY)
		col = q->node->b && q->node->b->kind == N_SELECTQ ? grouped_by_project(&w, q->node->b) : NULL;
	bool ok = col != NULL;
	/* what it emits: one project's rows, its rows known by their rule */
	for (const Node *c = first; ok && c; c = c->next) {
		if (c->kind != N_EMIT)
			continue;
		const TableDef *t = schema_table(c->s);
		ok = ((t && t->output && schema_column(t, "project_id") >= 0 && schema_column(t, "rule") >= 0) ||
		      (!t && keyscope_relation(P, c->s))) && c->a;
		const Node *f = ok ? c->a->a : NULL;
		while (f && strcmp(f->s, "project_id") != 0)
			f = f->next;
		ok = ok && f && is_field(f->a, var, col);
	}
	/* the rest of its clauses (the first `for`'s source is done) */
	if (ok && src->kind != N_SELECTQ && !(q && q->kind == D_QUERY))
		walk(&w, src);
	if (ok)
		walk(&w, first->next);
	ptrmap_free(&w.seen);
	return ok && w.ok;
}

bool keyscope_relation(Program *P, const char *name)
{
	const Decl *d = schema_table(name) ? NULL : program_lookup(P, NULL, name);
	return d && d->kind == D_RELATION && shape_col(map_get(&P->shapes, name), "project_id") >= 0;
}

void keyscope_rel_drop(Eval *E, Rel *r, const char *project)
{
	int col = shape_col(r->shape, "project_id");
	if (col < 0)
		return;
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++) {
		const Value *v = &r->rows[i].vals[col];
		if (!((v->k == V_TEXT || v->k == V_SYM) && strcmp(v->s, project) == 0))
			r->rows[n++] = r->rows[i];
	}
	r->n = n;
	map_free(&r->keys);
	char key[1024];
	for (size_t i = 0; r->unique && i < n; i++) {
		sink_rel_key(r, r->rows[i].vals, key, sizeof key);
		map_put(&r->keys, arena_strndup(E->P->A, key, strlen(key)), (void *)(i + 1));
	}
}
