/* summary.h: the month-end summary as one table of sections, shared by the
 * terminal summary of `sow run` (ledger.c), the HTML pack (report.c) and the
 * workbook (xlsx.c). Adding a section is one entry in summary_sections[]. */
#ifndef SOW_SUMMARY_H
#define SOW_SUMMARY_H

#include <sqlite3.h>
#include <stdbool.h>

/* Where a section is shown. */
enum { SUM_TERMINAL = 1, SUM_PACK = 2, SUM_ALL = 3 };
/* Special drawing in the HTML pack. */
enum { SUM_CHART_CURRENCY = 1, SUM_CHART_REPORTING = 2 };

typedef struct SummarySection {
	const char *title;
	const char *sheet;     /* workbook sheet name (at most 31 characters) */
	const char *sql;       /* ?1 is the run id */
	/* group > 0: the first `group` columns of sql are keys (sql orders by
	 * them); each later column is an amount, summed exactly and rounded once
	 * per group. The section's columns are then the keys, a count named
	 * `count` (unless NULL) and the sums. group == 0: the rows as they are. */
	int group;
	const char *count;
	/* One letter per column shown: t text, d date, n count, c currency code,
	 * m money (its currency is the nearest c column before it, else after). */
	const char *cols;
	int where;             /* SUM_TERMINAL, SUM_PACK or both */
	int chart;             /* SUM_CHART_*: the pack draws it as bars */
} SummarySection;

extern const SummarySection summary_sections[];
extern const int summary_nsections;

/* The section shown on the sheet named so (its one query, which the REPL's
 * .forecast reads too), or NULL. */
const SummarySection *summary_section(const char *sheet);
/* The currency column of money column i of s, or -1. */
int summary_currency_col(const SummarySection *s, int i);

/* The rows of one section of one run, as text cells: money is exact
 * decimal text as money_fmt shows it (a grouped sum rounded once to its
 * currency's places; unset is ""). */
typedef struct SummaryRows SummaryRows;
SummaryRows *summary_open(sqlite3 *db, const SummarySection *s, long long run_id, const char **err);
int summary_ncols(const SummaryRows *r);
const char *summary_colname(const SummaryRows *r, int i);
/* The next row into cells (valid until the next call). False at the end or
 * on an error (summary_close returns it). */
bool summary_next(SummaryRows *r, const char **cells);
/* Close; false (with *err) if reading failed. */
bool summary_close(SummaryRows *r, const char **err);
/* How many rows the section has in all. */
long long summary_count(sqlite3 *db, const SummarySection *s, long long run_id);

#endif
