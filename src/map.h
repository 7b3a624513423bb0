/* map.h: string-keyed hash map (open addressing). Keys are not copied: they
 * must outlive the map (they live in the tree's arena). */
#ifndef SOW_MAP_H
#define SOW_MAP_H

#include <stddef.h>

typedef struct {
	const char **keys;  /* NULL = empty slot */
	void **vals;
	size_t cap;         /* power of two, or 0 */
	size_t len;
} Map;

void *map_get(const Map *m, const char *key);
void map_put(Map *m, const char *key, void *val);  /* insert or replace */
void map_free(Map *m);
const char *map_key(const Map *m, const char *key); /* the stored key equal to key, or NULL */


/* A map keyed by pointer identity (plans by their tree node). */
typedef struct {
	const void **keys;
	void **vals;
	size_t cap, len;
} PtrMap;

void *ptrmap_get(const PtrMap *m, const void *key);
void ptrmap_put(PtrMap *m, const void *key, void *val);
void ptrmap_free(PtrMap *m);

/* A map keyed by byte strings that may hold NULs (the memo of pure calls:
 * values as their bytes), each with its hash, made once with map_hash. */
typedef struct {
	struct BytesEntry *e;
	size_t cap, len;
} BytesMap;

size_t map_hash(const void *key, size_t n);
void *bytesmap_get(const BytesMap *m, const void *key, size_t n, size_t h);
void bytesmap_put(BytesMap *m, const void *key, size_t n, size_t h, void *val); /* insert or replace */
void bytesmap_free(BytesMap *m);
#endif
