/* report.h: the month-end pack as one HTML file (`sow run --report`). */
#ifndef SOW_REPORT_H
#define SOW_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "ledger.h"

/* Write the pack of run R to out: summary tables and a chart of the
 * forecast by fiscal quarter. False on a database error. */
bool report_html(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, FILE *out);

/* s as HTML text: <, >, & and " escaped (NULL writes nothing). The
 * invoice page uses it too. */
void html_text(FILE *out, const char *s);

#endif
