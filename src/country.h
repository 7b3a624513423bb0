/* country.h: ISO 3166-1 alpha-2 country codes (projects.country). */
#ifndef SOW_COUNTRY_H
#define SOW_COUNTRY_H

#include <stdbool.h>

/* code is an assigned alpha-2 code ("NL"; upper case only). */
bool country_known(const char *code);
/* The code of an English country name ("Netherlands", any case), or NULL. */
const char *country_for_name(const char *name);

/* code is an EU member state: the VAT case of an e-invoice (ubl.c). Must
 * agree with eu_countries of rules/std/invoices.sow (tests/run/ubl.sh). */
bool country_in_eu(const char *code);

#endif
