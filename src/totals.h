/* totals.h: "sum exactly, round once" over rows a statement returns. */
#ifndef SOW_TOTALS_H
#define SOW_TOTALS_H

#include <sqlite3.h>
#include <stdbool.h>

#include "decimal.h"

#define TOTAL_KEYS 6
#define TOTAL_SUMS 4

/* One sum of a group: exact, and whether every line had an amount (a NULL
 * amount makes the sum unset: never a silent zero). */
typedef struct Sum {
	Dec exact;
	bool unset;
} Sum;

/* Groups of a statement's rows. The statement returns nkeys key columns,
 * ordered by them, then nsums amount columns (exact decimal text or NULL);
 * consecutive rows with equal keys form a group. */
typedef struct Totals {
	sqlite3_stmt *st;
	int nkeys, nsums;
	char key[TOTAL_KEYS][128];   /* the current group's keys, as text ("" for NULL) */
	Sum sum[TOTAL_SUMS];
	long long lines;             /* rows in the current group */
	int rc;                      /* the statement's last step */
	bool started;
	const char *err;             /* set when totals_next fails */
} Totals;

void totals_open(Totals *T, sqlite3_stmt *st, int nkeys, int nsums);
/* Next group into T->key / T->sum. False at the end, or on an error (then
 * T->err says which). */
bool totals_next(Totals *T);
/* Sum i of the current group rounded once to currency cur's minor unit.
 * False when the sum is unset or the currency is unknown. */
bool totals_rounded(const Totals *T, int i, const char *cur, Dec *out);

#endif
