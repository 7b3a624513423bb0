/* money.h: ISO 4217 currencies and their minor units.
 * A money value is a Dec plus a currency code; this file only knows codes. */
#ifndef SOW_MONEY_H
#define SOW_MONEY_H

#include <stdbool.h>

/* Minor unit (decimal places) of an ISO 4217 code, or -1 if unknown. */
int money_minor_unit(const char *code);
bool money_is_currency(const char *code);
/* The known codes, into out (at most max); returns how many. */
int money_codes(const char **out, int max);

#endif
