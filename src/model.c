/* model.c: the checked program's lookups (model.h): names, columns, and
 * what an expression reads. */
#include "model.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

const char *decl_kind_name(DeclKind k)
{
	static const char *const names[] = { "const", "fn", "rounding", "relation", "enum",
		"machine", "rule", "query", "calendar" };
	return names[k];
}

Decl *program_lookup(const Program *P, const Module *m, const char *name)
{
	Decl *d = m ? map_get(&m->local, name) : NULL;
	return d ? d : map_get(&P->decls, name);
}

int shape_col(const Shape *s, const char *name)
{
	for (int i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i], name) == 0)
			return i;
	return -1;
}

const char *type_name(Type t, char *buf, size_t n)
{
	if (t.k == V_MONEY && t.cur)
		snprintf(buf, n, "money (%s)", t.cur);
	else if (t.k == V_DUR && t.unit >= 0)
		snprintf(buf, n, "%s", unit_name((Unit)t.unit, 1));
	else if (t.k == V_ROW && t.row)
		snprintf(buf, n, "row of %s", t.row->name);
	else
		snprintf(buf, n, "%s", vkind_name(t.k));
	return buf;
}

/* Each function or query body is walked once per program_reads: a body
 * called twice (or a recursion the checker reports) is not walked again,
 * so the walk is linear in the program, not exponential in its calls. */
static void reads_at(Program *P, Node *e, void (*fn)(const char *, void *), void *arg, PtrMap *seen)
{
	for (; e; e = e->next) {
		if (e->kind == N_FOR || e->kind == N_FROMITEM) {
			Node *src = e->a;
			if (src && (src->kind == N_NAME || src->kind == N_CALL)) {
				Decl *d = program_lookup(P, NULL, src->s);
				if (d && d->kind == D_QUERY) {
					if (!ptrmap_get(seen, d)) {
						ptrmap_put(seen, d, d);
						reads_at(P, d->node->b, fn, arg, seen);
					}
				} else if (src->kind == N_CALL && !d && strcmp(src->s, "earlier") == 0) {
					/* earlier runs' rows: not what this run's rules emit */
				} else {
					fn(src->s, arg);
				}
			}
		}
		if (e->kind == N_INDEX && e->a && e->a->kind == N_NAME)
			fn(e->a->s, arg);
		if (e->kind == N_CALL) {
			Decl *d = program_lookup(P, NULL, e->s);
			if (d && d->kind == D_FN && !ptrmap_get(seen, d)) {
				ptrmap_put(seen, d, d);
				reads_at(P, d->node->b, fn, arg, seen);
			}
		}
		reads_at(P, e->a, fn, arg, seen);
		reads_at(P, e->b, fn, arg, seen);
		reads_at(P, e->c, fn, arg, seen);
		reads_at(P, e->d, fn, arg, seen);
		reads_at(P, e->e, fn, arg, seen);
		reads_at(P, e->f, fn, arg, seen);
	}
}

void program_reads(Program *P, Node *e, void (*fn)(const char *, void *), void *arg)
{
	PtrMap seen = { 0 };
	reads_at(P, e, fn, arg, &seen);
	ptrmap_free(&seen);
}

const char *project_column(const TableDef *t)
{
	if (!t)
		return NULL;
	if (strcmp(t->name, "projects") == 0)
		return "id";
	return schema_column(t, "project_id") >= 0 ? "project_id" : NULL;
}

int shape_project_column(const Shape *sh)
{
	if (!sh)
		return -1;
	if (sh->table) {
		const char *c = project_column(sh->table);
		return c ? shape_col(sh, c) : -1;
	}
	/* of the SOW terms, the SOWs: their rates, milestones ... are read by
	 * the SOW's id, whole (they are few and in memory) */
	if (sh->source == 2 && strcmp(sh->name, "sows") != 0)
		return -1;
	return shape_col(sh, "project_id");
}
