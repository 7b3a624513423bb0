/* overlap.c: two rules that can emit the same unique key for one source row.
 *
 * A revenue row is unique by (source, source_id), a billing row by
 * (project_id, source_id, reason), a declared relation by its `unique`
 * columns; at run time a second row with the same key is an error. Here the
 * checker finds the pairs it can see before any data: two emits into one
 * table whose key expressions are the same once each row variable is named by
 * the table it ranges over and each `let` is replaced by its expression, and
 * whose filters cannot be shown to exclude each other (`x.c == "a"` against
 * `x.c == "b"`, `e` against `not e`, `e is set` against `e is not set`).
 * Each such pair is one warning at the second emit, with a note at the first. */
#include "overlap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

enum { MAX_TEXT = 2048, MAX_CONDS = 64, MAX_DEPTH = 32 };

typedef struct {
	char *s;
	size_t n, cap;
} Buf;

static void put(Buf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		char *ns = realloc(b->s, b->cap);
		if (!ns)
			abort();
		b->s = ns;
	}
	memcpy(b->s + b->n, s, k + 1);
	b->n += k;
}

/* The rule a canonical text is made in: its variables and lets. */
typedef struct {
	const Node *rule;
	const Node *upto;     /* clauses before this one are in scope */
} Ctx;

static const Node *binding(const Ctx *c, const char *name)
{
	const Node *found = NULL;
	for (const Node *cl = c->rule->a; cl && cl != c->upto; cl = cl->next)
		if ((cl->kind == N_FOR || cl->kind == N_LETC) && strcmp(cl->s, name) == 0)
			found = cl;
	return found;
}

/* e as text, with row variables named by their source and lets expanded. */
static void canon(const Ctx *c, const Node *e, Buf *b, int depth)
{
	if (!e || depth > MAX_DEPTH) {
		put(b, "?");
		return;
	}
	switch (e->kind) {
	case N_NAME: {
		const Node *bd = binding(c, e->s);
		if (bd && bd->kind == N_LETC) {
			Ctx inner = { c->rule, bd };
			canon(&inner, bd->a, b, depth + 1);
		} else if (bd && bd->a && bd->a->kind == N_NAME) {
			put(b, "@");
			put(b, bd->a->s); /* the table or relation it ranges over */
		} else {
			put(b, e->s);
		}
		return;
	}
	case N_STR: put(b, "\""); put(b, e->s); put(b, "\""); return;
	case N_NUM: case N_DATE: case N_PERIOD: case N_BOOL: put(b, e->s ? e->s : "?"); return;
	case N_UNSET: put(b, "unset"); return;
	case N_MEMBER: canon(c, e->a, b, depth + 1); put(b, "."); put(b, e->s); return;
	case N_CALL:
		put(b, e->s);
		put(b, "(");
		for (const Node *a = e->a; a; a = a->next) {
			canon(c, a->a, b, depth + 1);
			put(b, ",");
		}
		put(b, ")");
		return;
	case N_BIN:
		put(b, "(");
		canon(c, e->a, b, depth + 1);
		put(b, op_text(e->op));
		canon(c, e->b, b, depth + 1);
		put(b, ")");
		return;
	case N_NOT: put(b, "not "); canon(c, e->a, b, depth + 1); return;
	case N_ISSET: canon(c, e->a, b, depth + 1); put(b, e->op ? " unset?" : " set?"); return;
	default: {
		char tag[32];
		snprintf(tag, sizeof tag, "#%d@%d", (int)e->kind, e->loc.beg); /* unique: never equal to another */
		put(b, tag);
		return;
	}
	}
}

static char *canon_text(const Node *rule, const Node *upto, const Node *e)
{
	Buf b = { 0 };
	Ctx c = { rule, upto };
	canon(&c, e, &b, 0);
	if (!b.s)
		put(&b, "");
	return b.s;
}

/* The conjuncts of every where/when of a rule, as canonical texts. */
typedef struct {
	char *text[MAX_CONDS];
	const Node *node[MAX_CONDS];
	int n;
} Conds;

static void conjuncts(const Node *rule, const Node *cl, const Node *e, Conds *cs)
{
	if (e->kind == N_BIN && e->op == OP_AND) {
		conjuncts(rule, cl, e->a, cs);
		conjuncts(rule, cl, e->b, cs);
		return;
	}
	if (cs->n < MAX_CONDS) {
		cs->node[cs->n] = e;
		cs->text[cs->n++] = canon_text(rule, cl, e);
	}
}

static void conditions(const Node *rule, Conds *cs)
{
	cs->n = 0;
	for (const Node *cl = rule->a; cl; cl = cl->next)
		if (cl->kind == N_WHERE || cl->kind == N_WHEN)
			conjuncts(rule, cl, cl->a, cs);
}

static void free_conds(Conds *cs)
{
	for (int i = 0; i < cs->n; i++)
		free(cs->text[i]);
}

static bool literal(const Node *e) { return e->kind == N_STR || e->kind == N_NUM || e->kind == N_BOOL || e->kind == N_DATE; }

/* Can a and b (conjuncts of two rules) not both hold? */
static bool exclusive(const Node *ra, const Node *a, const Node *rb, const Node *b)
{
	bool no = false;
	char *x = NULL, *y = NULL;
	if (a->kind == N_BIN && b->kind == N_BIN && a->op == OP_EQ && b->op == OP_EQ) {
		/* x.c == "a" and x.c == "b" */
		const Node *la = literal(a->b) ? a->b : literal(a->a) ? a->a : NULL;
		const Node *lb = literal(b->b) ? b->b : literal(b->a) ? b->a : NULL;
		if (la && lb && la->kind == lb->kind && strcmp(la->s, lb->s) != 0) {
			x = canon_text(ra, NULL, la == a->b ? a->a : a->b);
			y = canon_text(rb, NULL, lb == b->b ? b->a : b->b);
			no = strcmp(x, y) == 0;
		}
	} else if (a->kind == N_NOT || b->kind == N_NOT) {
		const Node *pa = a->kind == N_NOT ? a->a : a, *pb = b->kind == N_NOT ? b->a : b;
		if ((a->kind == N_NOT) != (b->kind == N_NOT)) {
			x = canon_text(ra, NULL, pa);
			y = canon_text(rb, NULL, pb);
			no = strcmp(x, y) == 0;
		}
	} else if (a->kind == N_ISSET && b->kind == N_ISSET && a->op != b->op) {
		x = canon_text(ra, NULL, a->a);
		y = canon_text(rb, NULL, b->a);
		no = strcmp(x, y) == 0;
	}
	free(x);
	free(y);
	return no;
}

/* The unique key columns of a table or relation, or NULL. */
static const char *const *key_of(const Program *P, const char *name, const char **buf, int cap)
{
	static const char *const revenue[] = { "source", "source_id", NULL };
	static const char *const billing[] = { "project_id", "source_id", "reason", NULL };
	if (strcmp(name, "revenue") == 0)
		return revenue;
	if (strcmp(name, "billing") == 0)
		return billing;
	const Decl *d = map_get(&P->decls, name);
	if (!d || d->kind != D_RELATION || !d->node->b)
		return NULL;
	int n = 0;
	for (const Node *k = d->node->b; k && n < cap - 1; k = k->next)
		buf[n++] = k->s;
	buf[n] = NULL;
	return buf;
}

static const Node *field(const Node *emit, const char *col)
{
	for (const Node *f = emit->a->a; f; f = f->next)
		if (strcmp(f->s, col) == 0)
			return f->a;
	return NULL;
}

/* Same key for one source row: every key column's canonical text equal.
 * src gets the tables the key is made from ("milestones"), or "" for none. */
static bool same_key(const Decl *ra, const Node *ea, const Decl *rb, const Node *eb, const char *const *key,
		     char *src, size_t n)
{
	src[0] = 0;
	for (int i = 0; key[i]; i++) {
		const Node *xa = field(ea, key[i]), *xb = field(eb, key[i]);
		if (!xa || !xb)
			return false;
		char *x = canon_text(ra->node, ea, xa), *y = canon_text(rb->node, eb, xb);
		bool eq = strcmp(x, y) == 0 && !strchr(x, '#');
		for (const char *at = strchr(x, '@'); eq && at; at = strchr(at + 1, '@')) {
			size_t k = strcspn(at + 1, ".,()@ ");
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)(k < 127 ? k : 127), at + 1);
			if (!strstr(src, name) && strlen(src) + k + 3 < n)
				snprintf(src + strlen(src), n - strlen(src), "%s%s", *src ? " and " : "", name);
		}
		free(x);
		free(y);
		if (!eq)
			return false;
	}
	return true;
}

static bool overlapping(const Decl *ra, const Decl *rb)
{
	Conds ca, cb;
	conditions(ra->node, &ca);
	conditions(rb->node, &cb);
	bool excl = false;
	for (int i = 0; i < ca.n && !excl; i++)
		for (int j = 0; j < cb.n && !excl; j++)
			excl = exclusive(ra->node, ca.node[i], rb->node, cb.node[j]);
	free_conds(&ca);
	free_conds(&cb);
	return !excl;
}

static void key_text(const char *const *key, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; key[i] && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", key[i]);
}

int overlap_check(Program *P)
{
	/* the rules in effect (a user file's replaces the library's) */
	const Decl **rules = NULL;
	int n = 0, warned = 0;
	for (int mi = 0; mi < P->nmods; mi++)
		for (const Node *it = P->mods[mi]->items; it; it = it->next) {
			const Decl *d = it->kind == N_RULE ? map_get(&P->decls, it->s) : NULL;
			if (!d || d->node != it)
				continue;
			const Decl **nr = realloc(rules, (size_t)(n + 1) * sizeof *nr);
			if (!nr)
				abort();
			rules = nr;
			rules[n++] = d;
		}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			for (const Node *ea = rules[i]->node->a; ea; ea = ea->next) {
				if (ea->kind != N_EMIT)
					continue;
				for (const Node *eb = rules[j]->node->a; eb; eb = eb->next) {
					if (eb->kind != N_EMIT || strcmp(ea->s, eb->s) != 0)
						continue;
					const char *buf[16];
					const char *const *key = key_of(P, ea->s, buf, 16);
					char src[256];
					if (!key || !same_key(rules[i], ea, rules[j], eb, key, src, sizeof src) ||
					    !overlapping(rules[i], rules[j]))
						continue;
					char keys[256];
					key_text(key, keys, sizeof keys);
					const Decl *first = rules[i], *second = rules[j];
					diag_at(P->D, second->mod->src, eb->loc, DIAG_WARNING,
						"rules %s and %s can emit the same %s key (%s) for one %s%s: the same key "
						"expressions, and conditions that can both hold",
						first->name, second->name, ea->s, keys, *src ? src : "run", *src ? " row" : "");
					diag_at(P->D, first->mod->src, ea->loc, DIAG_NOTE, "%s emits it here", first->name);
					warned++;
				}
			}
	free(rules);
	return warned;
}
