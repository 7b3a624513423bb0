/* xlsx.h: the month-end pack as a workbook (`sow run --report FILE.xlsx`). */
#ifndef SOW_XLSX_H
#define SOW_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger.h"

/* Write run R's pack to path: a Summary sheet (the sections of summary.c)
 * and one sheet per output table of the run. False with err on failure. */
bool xlsx_write(sqlite3 *db, const RunCtx *R, Date as_of, bool dry_run, const char *path, char *err, size_t n);

#endif
