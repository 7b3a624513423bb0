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

/* Amounts as Finance reads them (SPEC 9.1), the one display every output
 * uses: the currency's minor-unit places when the exact value equals its
 * rounding (1680.000 EUR as 1680.00), its sub-unit digits only where it has
 * them (4.125); an unknown code keeps the value's own places. buf holds
 * DEC_BUFSZ bytes. */
char *money_fmt(Dec d, const char *code, char *buf);
/* Hours likewise: 2 places unless more are significant (8 as 8.00). */
#define HOURS_PLACES 2
char *hours_fmt(Dec d, char *buf);
/* The same for amount text read back from the database: text that is not a
 * plain decimal (empty, NULL as "") is returned as it is. */
const char *money_text(const char *amount, const char *code, char *buf);
const char *hours_text(const char *hours, char *buf);

#endif
