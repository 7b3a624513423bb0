/* runcmd.h: sow run, sow close and sow reopen (the command layer: what is
 * printed, and the exit status). */
#ifndef SOW_RUNCMD_H
#define SOW_RUNCMD_H

#include <stdbool.h>
#include <stdio.h>

#include "ledger.h"

/* Month-end over the loaded, checked program P: the summary on out,
 * messages on stderr. Returns the exit status. */
int runcmd_run(Program *P, const RunOptions *o, FILE *out);
/* sow close (reopen false) or sow reopen of period: what was done on out.
 * Returns the exit status. */
int runcmd_period(const char *db_path, const char *period, const char *reason, bool reopen, FILE *out);

#endif
