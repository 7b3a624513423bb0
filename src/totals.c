/* totals.c: every total sow prints or stores is its lines summed exactly,
 * then rounded once to the currency's minor unit. This is that loop, once:
 * group a statement's ordered rows by their key columns, add each amount
 * column exactly (text, never a float), and round at the end with
 * money_round_total. The period totals of a run, the forecast by quarter,
 * the reporting amounts and `why revenue_by_project` all go through it. */
#include "totals.h"

#include <stdio.h>
#include <string.h>

#include "money.h"

void totals_open(Totals *T, sqlite3_stmt *st, int nkeys, int nsums)
{
	memset(T, 0, sizeof *T);
	T->st = st;
	T->nkeys = nkeys < TOTAL_KEYS ? nkeys : TOTAL_KEYS;
	T->nsums = nsums < TOTAL_SUMS ? nsums : TOTAL_SUMS;
}

static bool same_key(const Totals *T)
{
	for (int k = 0; k < T->nkeys; k++) {
		const char *c = (const char *)sqlite3_column_text(T->st, k);
		if (strcmp(c ? c : "", T->key[k]) != 0)
			return false;
	}
	return true;
}

bool totals_next(Totals *T)
{
	if (!T->started) {
		T->rc = sqlite3_step(T->st);
		T->started = true;
	}
	if (T->rc != SQLITE_ROW) {
		if (T->rc != SQLITE_DONE)
			T->err = sqlite3_errmsg(sqlite3_db_handle(T->st));
		return false;
	}
	for (int k = 0; k < T->nkeys; k++) {
		const char *c = (const char *)sqlite3_column_text(T->st, k);
		snprintf(T->key[k], sizeof T->key[k], "%s", c ? c : "");
	}
	for (int i = 0; i < T->nsums; i++)
		T->sum[i] = (Sum){ dec_from_int(0), false };
	T->lines = 0;
	do {
		for (int i = 0; i < T->nsums; i++) {
			const char *a = (const char *)sqlite3_column_text(T->st, T->nkeys + i);
			Dec d;
			if (!a) {
				T->sum[i].unset = true;
			} else if (dec_parse(a, strlen(a), &d) != DEC_OK || dec_add(T->sum[i].exact, d, &T->sum[i].exact) != DEC_OK) {
				T->err = "an amount is not an exact decimal, or a total overflowed";
				T->rc = SQLITE_ERROR;
				return false;
			}
		}
		T->lines++;
		T->rc = sqlite3_step(T->st);
	} while (T->rc == SQLITE_ROW && same_key(T));
	if (T->rc != SQLITE_ROW && T->rc != SQLITE_DONE) {
		T->err = sqlite3_errmsg(sqlite3_db_handle(T->st));
		return false;
	}
	return true;
}

bool totals_rounded(const Totals *T, int i, const char *cur, Dec *out)
{
	return !T->sum[i].unset && money_round_total(T->sum[i].exact, cur, out);
}
