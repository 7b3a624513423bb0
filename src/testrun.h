/* testrun.h: `sow test`, the test blocks of rule files. */
#ifndef SOW_TESTRUN_H
#define SOW_TESTRUN_H

#include <stdio.h>

#include "coverage.h"
#include "program.h"

/* Run every test block of the user files of P, counting what ran in cov
 * (may be NULL); counts gets the passed and failed. Returns the exit status
 * (0 all passed, 1 a test failed or could not run, 3 database error). */
int testrun_all(Program *P, FILE *out, Coverage *cov, int counts[2]);

#endif
