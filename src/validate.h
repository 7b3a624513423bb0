/* validate.h: is a text a valid value of a standard column (SPEC 4)?
 *
 * One check for every way data comes in (sow import with or without a
 * mapping, a mapping's own value maps): the column's type, and for the
 * enumerated columns their values. A refusal says why and, where it can
 * guess, how a mapping file would translate the value. */
#ifndef SOW_VALIDATE_H
#define SOW_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

typedef enum {
	HINT_NONE,
	HINT_VALUE,     /* hint is a value-map entry: "TRUE" -> 1 */
	HINT_DATE,      /* hint is a date format: %Y-%m-%d %H:%M:%S */
	HINT_NUMBER,    /* hint is a setting: decimal "," */
} HintKind;

typedef struct {
	char msg[640];        /* "'TRUE' is not 1 or 0" (the value quoted) */
	HintKind hint_kind;
	char hint[160];
} Invalid;

/* true when s[0..n) is a valid value of column col of t; else *why says
 * why. An empty text is NULL and always valid here. */
bool validate_value(const TableDef *t, int col, const char *s, size_t n, Invalid *why);
/* Offset of the first byte of s[0..n) that is a NUL or not part of valid
 * UTF-8 (RFC 3629), or n: what no text value may hold (a C string would be
 * cut at a NUL; reports and the database want text). */
size_t text_check(const char *s, size_t n);
/* The allowed values of an enumerated column, NULL-terminated, or NULL. */
const char *const *validate_enum(const TableDef *t, int col, const char **what);

#endif
