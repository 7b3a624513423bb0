/* testrun.h: `sow test`, the test blocks of rule files. */
#ifndef SOW_TESTRUN_H
#define SOW_TESTRUN_H

#include <stdio.h>

#include "program.h"

/* Run every test block of the user files of P. Returns the exit status
 * (0 all passed, 1 a test failed or could not run, 3 database error). */
int testrun_all(Program *P, FILE *out);

#endif
