/* importmap.h: import mappings (`mapping "x" for table { ... }`, SPEC 8.2).
 *
 * A mapping says which CSV header feeds which column of a standard table,
 * how its dates are written, how its values translate, which rows to skip
 * and how its numbers are written. mapping_compile checks a parsed mapping
 * (the checker calls it for `sow check`, the importer before it reads) and
 * turns it into this form; mapping_apply turns one field of an export into
 * the standard text of its column. */
#ifndef SOW_IMPORTMAP_H
#define SOW_IMPORTMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "map.h"
#include "schema.h"

typedef struct {
	const char *key;          /* export text; NULL: the else entry */
	const char *value;        /* standard text; NULL: unset (NULL) */
	const Node *at;
} MapEntry;

typedef struct {
	int col;                  /* column index in the table */
	const char *header;       /* the CSV header feeding it; NULL: a constant */
	const char *constant;     /* the constant's standard text (NULL: unset) */
	const char **formats;     /* date formats tried in order (date columns) */
	int nformats;
	MapEntry *entries;        /* value map, in file order */
	int nentries;
	const MapEntry *otherwise; /* else -> ..., or NULL: unlisted values pass */
	Map index;                /* key -> MapEntry, for long value maps */
} MapColumn;

typedef struct {
	const char *header, *value;
} MapSkip;

/* if "Header" == "value" { column = value ... skip }: applied in order to
 * each record; a later assignment wins. */
typedef struct {
	int col;
	const char *value;        /* standard text; NULL: unset */
} MapSet;

typedef struct {
	const char *header, *value;
	bool negate;              /* != */
	bool skip;
	MapSet *sets;
	int nsets;
} MapRule;

typedef struct Mapping {
	const char *name;
	const char *path;         /* the mapping file, for messages */
	const TableDef *table;
	MapColumn *cols;
	int ncols;
	MapSkip *skips;
	int nskips;
	MapRule *rules;
	int nrules;
	int skip_lines;           /* physical lines before the header */
	char thousands;           /* 0: none */
	char decimal;             /* '.' or ',' */
	const char **date_formats; /* for date columns without their own */
	int ndate_formats;
} Mapping;

/* Check item (an N_MAPPING of src) and fill M, allocating in A. Errors
 * are located in src and reported to D; returns false if there were any. */
bool mapping_compile(Mapping *M, Arena *A, const Src *src, const Node *item, Diag *D);
/* Read, parse and compile the one mapping in path. false: reported to D. */
bool mapping_load(Mapping *M, Arena *A, const char *path, Diag *D);
/* Free what compiling allocated outside the arena (the value-map indexes). */
void mapping_free(Mapping *M);

/* The standard text of one export field s (NUL-terminated, n bytes) for
 * column c: value map first (a
 * mapped value is taken as written), then the date format or the number
 * layout. Writes into buf (size bytes); *null set for unset. Returns NULL
 * and sets *why when the field cannot be read that way. */
const char *mapping_apply(const Mapping *M, const MapColumn *c, const char *s, size_t n, char *buf, size_t size,
			  bool *null, char *why, size_t whysize);
/* Parse s as a date written in strptime format fmt (%Y %y %m %d %e %b %B %H
 * %M %S %T %%); the time of day is read and dropped. */
bool mapping_parse_date(const char *fmt, const char *s, size_t n, int *y, int *m, int *d);

#endif
