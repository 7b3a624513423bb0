/* strict.h: `sow check --strict`, warnings about legal but suspicious rules. */
#ifndef SOW_STRICT_H
#define SOW_STRICT_H

#include "model.h"
#include "program.h"

/* Every strict warning (reported in P->D). Run after check_program. */
void strict_check(Program *P);
/* `override` on a definition that replaces no library definition is an
 * error; check_program calls this for every command. */
void strict_overrides(Program *P);

#endif
