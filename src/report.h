/* report.h: the month-end pack as one HTML file (`sow run --report`). */
#ifndef SOW_REPORT_H
#define SOW_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "ledger.h"

/* Write the pack of run R to out: summary tables and a chart of the
 * forecast by fiscal quarter. False on a database error. */
bool report_html(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, FILE *out);

/* Links in the pack (sow serve): top writes what comes first in the body
 * (a navigation bar); cell puts into href (n bytes) where column col of a
 * row of section s links to, or returns false for no link. */
struct SummarySection;
struct SummaryRows;
typedef struct ReportLinks {
	void (*top)(void *arg, FILE *out);
	bool (*cell)(void *arg, const struct SummarySection *s, const struct SummaryRows *r, const char *const *cells, int col,
		     char *href, size_t n);
	void *arg;
} ReportLinks;
bool report_html_links(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, const ReportLinks *links, FILE *out);

/* s as HTML text: <, >, & and " escaped (NULL writes nothing). The
 * invoice page uses it too. */
void html_text(FILE *out, const char *s);

/* An amount as the pack shows it: thousands separators, the currency's
 * minor-unit places when exact (more digits when the value has them). */
void html_amount(FILE *out, const char *amount, const char *cur);

#endif
