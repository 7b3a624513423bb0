/* sequence.h: gap-free numbers per calendar year, and the numbered output
 * tables whose rows get them when a run commits (see sequence.c). */
#ifndef SOW_SEQUENCE_H
#define SOW_SEQUENCE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define SEQUENCE_ERRSZ 512   /* size of the err buffers below */

typedef struct NumberedDef {
	const char *table;     /* output table with a `number` and a `status` column */
	const char *detail;    /* table of its detail rows, naming it by `number` */
	const char *sequence;  /* name of the sequence in table sequences */
	const char *date;      /* the column whose year the number counts in */
} NumberedDef;

typedef struct SequenceStats {
	long long drawn;       /* rows given a new number */
	long long kept;        /* rows equal to an earlier run's: its number kept */
	long long issued;      /* of those, already final: the earlier row stands */
	long long voided;      /* earlier drafts nothing replaced */
} SequenceStats;

/* The numbered table of that name, or NULL. */
const NumberedDef *sequence_numbered(const char *table);
/* A numbered table or its detail table: its rows outlive the run (drafts of
 * earlier periods stay drafts until finalized), like the release ledger. */
bool sequence_kept(const char *table);
/* Draw the next number of sequence name in year: "2026-0001" into out. */
bool sequence_next(sqlite3 *db, const char *name, int year, char *out, size_t n, char *err);
/* Before a re-run of period replaces its results: remember its earlier runs. */
bool sequence_prepare(sqlite3 *db, const char *period, char *err);
/* Number the rows run_id wrote into every numbered table (sequence.c). */
bool sequence_commit(sqlite3 *db, long long run_id, SequenceStats *s, char *err);

#endif
