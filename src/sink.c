/* sink.c: the in-memory relations as a sink, and the questions a chain of
 * sinks answers (sink.h).
 *
 * A row emitted into a declared relation is kept (its values copied into
 * the program's arena, so they outlive the row being evaluated) with the
 * rule and the rows it was made for, which a duplicate-key error names. */
#include "sink.h"

#include <stdio.h>
#include <string.h>

#include "source.h"

/* A readable name of what a rule is looking at, for messages. */
static void subject(const Eval *E, char *buf, size_t n)
{
	buf[0] = 0;
	size_t len = 0;
	for (const EScope *s = E->scope; s && len < n - 1; s = s->up)
		if (s->v.k == V_ROW && s->v.row)
			len += (size_t)snprintf(buf + len, n - len, "%s%s %s", len ? ", " : "", s->v.row->table, s->v.row->id);
}

void sink_rel_key(const Rel *r, const Value *vals, char *buf, size_t n)
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

static bool relation_emit(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals)
{
	(void)s;
	Rel *r = engine_rel(E, to->name);
	if (!r)
		return eval_fail(E, at, "%s is not a relation rules can emit into", to->name);
	char key[1024], what[512];
	subject(E, what, sizeof what);
	if (r->unique) {
		sink_rel_key(r, vals, key, sizeof key);
		size_t dup = (size_t)map_get(&r->keys, key);
		if (dup) {
			const Row *first = &r->rows[dup - 1];
			return eval_fail(E, at, "%s already has a row with key %s: emitted by %s (for %s) and again by %s (for %s)",
					 to->name, key, first->table, first->id, E->rule, what);
		}
	}
	Row *row = rel_add(E, r);
	for (int i = 0; i < to->shape->ncols && i < 32; i++)
		row->vals[i] = value_keep(E->P->A, vals[i]);
	row->table = E->rule;
	row->id = arena_strndup(E->P->A, what, strlen(what));
	if (r->unique)
		map_put(&r->keys, arena_strndup(E->P->A, key, strlen(key)), (void *)r->n);
	return true;
}

void sink_relations(Sink *s) { *s = (Sink){ .emit = relation_emit }; }
