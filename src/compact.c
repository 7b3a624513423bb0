/* compact.c: a checked SOW file kept as its terms, not as its parse.
 *
 * A book is thousands of SOW files that are mostly the same few clauses. A
 * file named on the command line that holds only imports and SOW blocks,
 * and that parses and checks without a single message, is kept as a copy of
 * its items in which equal strings are one string and equal subtrees (same
 * kind, place, text and children, down to the end of the list) are one node.
 * Its text, tokens and comments are not kept: a message about it later (a
 * run-time error, `why`, a duplicate id in another file) reads the file again
 * (src_text). Every SOW block keeps a node of its own (SowRef and the
 * duplicate-id checks tell SOWs apart by node), and so does each milestone
 * and training (their ids are unique); those stand first among a SOW's
 * clauses (unique_first), so that the rest is shared. The copy is read-only,
 * as every reader of SOW terms treats it. Anything else -- a definition, a SOW's
 * own rounding clause (checked against the whole program), a syntax error or
 * a warning -- keeps the whole tree, and is checked with everything else. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "terms.h"

#include "parse.h"

struct Compact {
	Arena *scratch;       /* a candidate's parse, reset after each file */
	Map strings;          /* text -> the one copy kept */
	Node **nodes;         /* open addressing: the distinct nodes kept */
	size_t cap, len;
	size_t files, kept;   /* files compacted; bytes their copies added */
};

static struct Compact *compact_of(Program *P)
{
	if (!P->compact) {
		P->compact = calloc(1, sizeof *P->compact);
		if (!P->compact)
			abort();
		P->compact->scratch = arena_new();
	}
	return P->compact;
}

Arena *program_scratch(Program *P) { return compact_of(P)->scratch; }

void compact_free(Program *P)
{
	if (!P->compact)
		return;
	arena_free(P->compact->scratch);
	map_free(&P->compact->strings);
	free(P->compact->nodes);
	free(P->compact);
	P->compact = NULL;
}

void compact_stats(const Program *P, size_t *files, size_t *bytes)
{
	*files = P->compact ? P->compact->files : 0;
	*bytes = P->compact ? P->compact->kept : 0;
}

static const char *keep_str(Program *P, const char *s)
{
	if (!s)
		return NULL;
	struct Compact *c = P->compact;
	const char *k = map_key(&c->strings, s);
	if (k)
		return k;
	size_t n = strlen(s);
	char *copy = arena_strndup(P->A, s, n);
	c->kept += (n + 16) & ~(size_t)15;
	map_put(&c->strings, copy, copy);
	return copy;
}

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 1099511628211ULL; }

static uint64_t node_hash(const Node *n)
{
	uint64_t h = 1469598103934665603ULL;
	h = mix(h, (uint64_t)n->kind);
	h = mix(h, (uint64_t)(unsigned)n->loc.beg);
	h = mix(h, (uint64_t)(unsigned)n->loc.end);
	h = mix(h, (uint64_t)(unsigned)n->op);
	h = mix(h, (uint64_t)(unsigned)n->idx);
	const void *p[] = { n->s, n->s2, n->a, n->b, n->c, n->d, n->e, n->f, n->next };
	for (size_t i = 0; i < sizeof p / sizeof *p; i++)
		h = mix(h, (uint64_t)(uintptr_t)p[i]);
	return h;
}

static bool node_same(const Node *x, const Node *y)
{
	return x->kind == y->kind && x->loc.beg == y->loc.beg && x->loc.end == y->loc.end && x->op == y->op &&
	       x->idx == y->idx && x->s == y->s && x->s2 == y->s2 && x->a == y->a && x->b == y->b && x->c == y->c &&
	       x->d == y->d && x->e == y->e && x->f == y->f && x->next == y->next;
}

static void grow_nodes(struct Compact *c)
{
	size_t cap = c->cap ? c->cap * 2 : 1024;
	Node **nn = calloc(cap, sizeof *nn);
	if (!nn)
		abort();
	for (size_t i = 0; i < c->cap; i++)
		if (c->nodes[i]) {
			size_t j = node_hash(c->nodes[i]) & (cap - 1);
			while (nn[j])
				j = (j + 1) & (cap - 1);
			nn[j] = c->nodes[i];
		}
	free(c->nodes);
	c->nodes = nn;
	c->cap = cap;
}

/* The kept node equal to n (whose strings and children are kept already). */
static Node *keep_node(Program *P, const Node *n)
{
	struct Compact *c = P->compact;
	/* a SOW is told apart by its node; a milestone or training id is
	 * unique in the book, so there is nothing to share */
	bool own = n->kind == N_SOW || n->kind == N_MILESTONE || n->kind == N_TRAINING;
	if (!own) {
		if ((c->len + 1) * 2 > c->cap)
			grow_nodes(c);
		size_t i = node_hash(n) & (c->cap - 1);
		for (; c->nodes[i]; i = (i + 1) & (c->cap - 1))
			if (node_same(c->nodes[i], n))
				return c->nodes[i];
	}
	Node *k = arena_alloc(P->A, sizeof *k);
	*k = *n;
	c->kept += sizeof *k;
	if (!own) {
		size_t i = node_hash(k) & (c->cap - 1);
		while (c->nodes[i])
			i = (i + 1) & (c->cap - 1);
		c->nodes[i] = k;
		c->len++;
	}
	return k;
}

static Node *keep_list(Program *P, const Node *list);

/* A string of its own: a SOW's id and project, a milestone's id, are one
 * per file, and a table of them would cost more than it shares. */
static const char *own_str(Program *P, const char *s)
{
	size_t n = strlen(s);
	P->compact->kept += (n + 16) & ~(size_t)15;
	return arena_strndup(P->A, s, n);
}

static Node *keep_one(Program *P, const Node *n, Node *next)
{
	Node t = *n;
	/* ids are unique across the book: not worth a table */
	bool own = n->kind == N_SOW || n->kind == N_MILESTONE || n->kind == N_TRAINING;
	t.s = (char *)(own && n->s ? own_str(P, n->s) : keep_str(P, n->s));
	t.s2 = (char *)(n->kind == N_SOW && n->s2 ? own_str(P, n->s2) : keep_str(P, n->s2));
	t.a = keep_list(P, n->a);
	t.b = keep_list(P, n->b);
	t.c = keep_list(P, n->c);
	t.d = keep_list(P, n->d);
	t.e = keep_list(P, n->e);
	t.f = keep_list(P, n->f);
	t.next = next;
	t.tail = NULL; /* only the parser appends */
	return keep_node(P, &t);
}

/* A list is kept from its end, so that equal tails are one. */
static Node *keep_list(Program *P, const Node *list)
{
	if (!list)
		return NULL;
	return keep_one(P, list, keep_list(P, list->next));
}

/* A SOW without amendments, with its milestones and trainings (unique ids)
 * moved first, each kind still in file order: then the clauses after them
 * (customer, currency, rates) are a tail other files share. Every reader
 * takes these clauses one kind at a time; with amendments, where a clause
 * stands among them decides which of two equal ids is "first declared",
 * so those stay as written. */
static void unique_first(Node *sow)
{
	for (Node *c = sow->a; c; c = c->next)
		if (c->kind == N_AMENDMENT)
			return;
	Node *ids = NULL, *rest = NULL, **li = &ids, **lr = &rest;
	for (Node *c = sow->a, *next; c; c = next) {
		next = c->next;
		c->next = NULL;
		if (c->kind == N_MILESTONE || c->kind == N_TRAINING)
			*li = c, li = &c->next;
		else
			*lr = c, lr = &c->next;
	}
	*li = rest;
	sow->a = ids;
}

static void quiet(void *arg, const Src *src, Loc loc, DiagLevel lv, const char *msg)
{
	(void)src, (void)loc, (void)lv, (void)msg;
	++*(int *)arg;
}

static bool sow_only(const Node *items)
{
	for (const Node *it = items; it; it = it->next) {
		if (it->kind != N_IMPORT && it->kind != N_SOW)
			return false;
		for (const Node *c = it->kind == N_SOW ? it->a : NULL; c; c = c->next)
			if (c->kind == N_SOWROUND || c->kind == N_ERROR)
				return false;
	}
	return true;
}

bool compact_sow_file(Program *P, const Src *src, Src **out_src, Node **out_items)
{
	struct Compact *c = compact_of(P);
	Diag q;
	int said = 0;
	diag_init(&q, stderr);
	q.max_errors = 0; /* counted, never shown */
	q.sink = quiet;
	q.sink_arg = &said;
	Parser ps;
	parse_source(&ps, c->scratch, src, &q, PARSE_FILE);
	if (said || ps.errors || !sow_only(ps.items))
		return false;
	Module m = { .src = src, .items = ps.items, .user = true };
	if (terms_check(P, &m, &q) || said)
		return false;
	Src *s = arena_alloc(P->A, sizeof *s);
	s->path = arena_strndup(P->A, src->path, strlen(src->path));
	s->len = src->len;
	c->kept += sizeof *s + ((strlen(s->path) + 16) & ~(size_t)15);
	*out_src = s;
	/* imports last: an import followed by this file's SOW would be a node
	 * of its own in every file (their order among themselves is kept) */
	Node *sows = NULL, *imports = NULL, **ls = &sows, **li = &imports;
	for (Node *it = ps.items, *next; it; it = next) {
		next = it->next;
		it->next = NULL;
		if (it->kind == N_IMPORT)
			*li = it, li = &it->next;
		else
			*ls = it, ls = &it->next;
	}
	*ls = imports;
	for (Node *it = sows; it; it = it->next)
		if (it->kind == N_SOW)
			unique_first(it);
	*out_items = keep_list(P, sows);
	c->files++;
	return true;
}
