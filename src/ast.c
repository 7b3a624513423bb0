/* ast.c: arena allocation and tree helpers. One allocator, one
 * out-of-memory policy (abort with a message): the tree is freed as a whole. */
#include "ast.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Chunk { struct Chunk *next; size_t used, cap; max_align_t data[]; } Chunk;
struct Arena { Chunk *head; };

Arena *arena_new(void)
{
	Arena *a = calloc(1, sizeof *a);
	if (!a) {
		fputs("sow: out of memory\n", stderr);
		abort();
	}
	return a;
}

void arena_free(Arena *a)
{
	if (!a)
		return;
	for (Chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void arena_reset(Arena *a)
{
	/* keep the newest chunk for reuse, free the rest */
	Chunk *keep = a->head;
	if (!keep)
		return;
	for (Chunk *c = keep->next, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	keep->next = NULL;
	keep->used = 0;
}

ArenaMark arena_mark(Arena *a)
{
	return (ArenaMark){ a->head, a->head ? a->head->used : 0 };
}

void arena_release(Arena *a, ArenaMark m)
{
	while (a->head && a->head != m.chunk) {
		Chunk *c = a->head;
		a->head = c->next;
		free(c);
	}
	if (a->head)
		a->head->used = m.used;
}

void *arena_alloc(Arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	Chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		c = malloc(sizeof *c + cap);
		if (!c) {
			fputs("sow: out of memory\n", stderr);
			abort();
		}
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

size_t arena_bytes(const Arena *a)
{
	size_t n = 0;
	for (const Chunk *c = a->head; c; c = c->next)
		n += c->used;
	return n;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void *arena_grow(Arena *a, const void *old, size_t n, size_t cap, size_t size)
{
	void *p = arena_alloc(a, cap * size);
	if (n)
		memcpy(p, old, n * size);
	return p;
}

void ast_uses(const Node *n, const char *var, bool names, void (*fn)(const char *col, void *arg), void *arg)
{
	for (; n; n = n->next) {
		if (n->kind == N_MEMBER && n->a && n->a->kind == N_NAME && strcmp(n->a->s, var) == 0) {
			fn(n->s, arg);
			continue;
		}
		if (n->kind == N_NAME && n->s)
			if (strcmp(n->s, var) == 0 || names)
				fn(strcmp(n->s, var) == 0 ? NULL : n->s, arg);
		const Node *kids[] = { n->a, n->b, n->c, n->d, n->e, n->f };
		for (size_t i = 0; i < sizeof kids / sizeof *kids; i++)
			ast_uses(kids[i], var, names, fn, arg);
	}
}

Node *ast_node(Arena *A, NodeKind k, Loc loc)
{
	Node *n = arena_alloc(A, sizeof *n);
	n->kind = k;
	n->loc = loc;
	return n;
}

Node *ast_append(Node *head, Node *item)
{
	if (!item)
		return head;
	if (!head) {
		item->tail = item;
		return item;
	}
	if (!head->tail)
		head->tail = head; /* a single node made by the grammar */
	head->tail->next = item;
	head->tail = item;
	return head;
}

const char *unit_name(Unit u, int plural)
{
	static const char *const one[] = { "day", "business day", "week", "month", "year", "hour" };
	static const char *const many[] = { "days", "business days", "weeks", "months", "years", "hours" };
	return plural ? many[u] : one[u];
}

const char *op_text(int op)
{
	switch (op) {
	case OP_OR: return "or";
	case OP_AND: return "and";
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	}
	return "?";
}

char *src_load(const char *path, size_t *out_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
		if (len == cap) {
			if (cap > (size_t)1 << 30) { /* a rule file over 1 GiB is not a rule file */
				free(buf);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	/* a UTF-8 byte order mark, as some editors save files, is not text */
	size_t bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	memmove(buf, buf + bom, len - bom);
	*out_len = len - bom;
	buf[*out_len] = 0; /* (room: the loop stops with len < cap) */
	return buf;
}

const char *src_text(const Src *src, char **owned)
{
	*owned = NULL;
	if (src->text)
		return src->text;
	size_t len;
	char *t = src_load(src->path, &len);
	if (!t || len != src->len) { /* gone, or changed since it was checked */
		free(t);
		return NULL;
	}
	return *owned = t;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_list(const Node *a, const Node *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!ast_same(a, b))
			return false;
	return a == b;
}

bool ast_same(const Node *a, const Node *b)
{
	if (!a || !b)
		return a == b;
	return a->kind == b->kind && a->op == b->op && same_str(a->s, b->s) && same_str(a->s2, b->s2) &&
	       same_list(a->a, b->a) && same_list(a->b, b->b) && same_list(a->c, b->c) && same_list(a->d, b->d) &&
	       same_list(a->e, b->e) && same_list(a->f, b->f);
}
