/* money.h: ISO 4217 currencies and their minor units.
 * A money value is a Dec plus a currency code; this file only knows codes. */
#ifndef SOW_MONEY_H
#define SOW_MONEY_H

#include <stdbool.h>

#include "decimal.h"

/* Minor unit (decimal places) of an ISO 4217 code, or -1 if unknown. */
int money_minor_unit(const char *code);
bool money_is_currency(const char *code);
/* The known codes, into out (at most max); returns how many. */
int money_codes(const char **out, int max);
/* The one rounding of a total: an exact sum to the currency's minor unit,
 * half away from zero (SPEC 4). False for an unknown code or an overflow. */
bool money_round_total(Dec exact, const char *code, Dec *out);

#endif
