/* map.c: FNV-1a hashing, linear probing, doubling at half full. */
#include "map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

void *map_get(const Map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return NULL;
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	}
}

const char *map_key(const Map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return NULL;
		if (strcmp(m->keys[i], key) == 0)
			return m->keys[i];
	}
}

static void grow(Map *m)
{
	Map n = { 0 };
	n.cap = m->cap ? m->cap * 2 : 16;
	n.keys = calloc(n.cap, sizeof *n.keys);
	n.vals = calloc(n.cap, sizeof *n.vals);
	if (!n.keys || !n.vals) {
		fputs("sow: out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			map_put(&n, m->keys[i], m->vals[i]);
	free(m->keys);
	free(m->vals);
	*m = n;
}

void map_put(Map *m, const char *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap)
		grow(m);
	size_t i = hash(key) & (m->cap - 1);
	for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->len++;
}

void map_free(Map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t hash_ptr(const void *p)
{
	size_t h = (size_t)p;
	h ^= h >> 17;
	h *= 0xed5ad4bbU;
	return h ^ (h >> 11);
}

void *ptrmap_get(const PtrMap *m, const void *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash_ptr(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return NULL;
		if (m->keys[i] == key)
			return m->vals[i];
	}
}

void ptrmap_put(PtrMap *m, const void *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap) {
		PtrMap n = { 0 };
		n.cap = m->cap ? m->cap * 2 : 16;
		n.keys = calloc(n.cap, sizeof *n.keys);
		n.vals = calloc(n.cap, sizeof *n.vals);
		if (!n.keys || !n.vals) {
			fputs("sow: out of memory\n", stderr);
			abort();
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				ptrmap_put(&n, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = n;
	}
	size_t i = hash_ptr(key) & (m->cap - 1);
	for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->len++;
}

void ptrmap_free(PtrMap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

size_t map_hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	size_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

struct BytesEntry {
	const void *key;      /* NULL = empty slot */
	size_t n, h;
	void *val;
};

static struct BytesEntry *bytes_slot(const BytesMap *m, const void *key, size_t n, size_t h)
{
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct BytesEntry *e = &m->e[i];
		if (!e->key || (e->h == h && e->n == n && memcmp(e->key, key, n) == 0))
			return e;
	}
}

void *bytesmap_get(const BytesMap *m, const void *key, size_t n, size_t h)
{
	return m->cap ? bytes_slot(m, key, n, h)->val : NULL;
}

void bytesmap_put(BytesMap *m, const void *key, size_t n, size_t h, void *val)
{
	if ((m->len + 1) * 2 > m->cap) {
		BytesMap g = { calloc(m->cap ? m->cap * 2 : 16, sizeof *g.e), m->cap ? m->cap * 2 : 16, 0 };
		if (!g.e) {
			fputs("sow: out of memory\n", stderr);
			abort();
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->e[i].key)
				*bytes_slot(&g, m->e[i].key, m->e[i].n, m->e[i].h) = m->e[i];
		g.len = m->len;
		free(m->e);
		*m = g;
	}
	struct BytesEntry *e = bytes_slot(m, key, n, h);
	if (!e->key)
		m->len++;
	*e = (struct BytesEntry){ key, n, h, val };
}

void bytesmap_free(BytesMap *m)
{
	free(m->e);
	memset(m, 0, sizeof *m);
}
