/* decimal.h: exact decimal numbers for money, hours and rates.
 *
 * A Dec is an integer coefficient and a count of decimal places: 12.50 is
 * {1250, 2}. Arithmetic is exact or it fails; there is no hidden rounding and
 * no binary floating point. Rounding happens only in dec_round / dec_div_round,
 * which a rule names explicitly. The semantics of + - * and exact / follow
 * Python's decimal module (scale of a sum is the larger scale, scale of a
 * product is the sum of scales), which is what the generated tests check. */
#ifndef SOW_DECIMAL_H
#define SOW_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

#define DEC_MAXSCALE 24   /* most decimal places a value may carry */
#define DEC_MAXDIGITS 38  /* most significant digits in a coefficient */
#define DEC_BUFSZ 48      /* enough for sign, 38 digits, point, leading 0s */

typedef __int128 dec_int;

typedef struct {
	dec_int c;     /* coefficient; |c| < 10^38 */
	int scale;     /* decimal places, 0..DEC_MAXSCALE */
} Dec;

typedef enum {
	DEC_OK = 0,
	DEC_OVERFLOW,     /* result has more than 38 digits */
	DEC_SCALE,        /* result needs more than 24 decimal places */
	DEC_DIVZERO,      /* division by zero */
	DEC_INEXACT,      /* quotient does not terminate within 24 places */
	DEC_SYNTAX        /* text is not a plain decimal number */
} DecStatus;

typedef enum { ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_UP, ROUND_DOWN } RoundMode;

/* Parse "-12.50", "+3", "0.125" (no exponent, no separators, no spaces). */
DecStatus dec_parse(const char *s, size_t n, Dec *out);
Dec dec_from_int(long long v);
/* Format into buf (DEC_BUFSZ bytes) keeping the value's scale; returns buf. */
char *dec_fmt(Dec d, char *buf);
/* Format with `places` decimals, more only where d has nonzero digits
 * there (trailing zeros past `places` dropped; nothing is rounded). */
char *dec_fmt_places(Dec d, int places, char *buf);

DecStatus dec_add(Dec a, Dec b, Dec *r);
DecStatus dec_sub(Dec a, Dec b, Dec *r);
DecStatus dec_mul(Dec a, Dec b, Dec *r);
/* Exact quotient, or DEC_INEXACT when it does not terminate within the
 * maximum scale: a division that needs rounding must say so (dec_div_round). */
DecStatus dec_div(Dec a, Dec b, Dec *r);
/* Round x to a multiple of step (> 0) by mode: round(x, to: step, mode: m). */
DecStatus dec_round(Dec x, Dec step, RoundMode m, Dec *r);
/* Round a / b to a multiple of step in one exact step. */
DecStatus dec_div_round(Dec a, Dec b, Dec step, RoundMode m, Dec *r);
Dec dec_neg(Dec a);
int dec_cmp(Dec a, Dec b);       /* -1, 0, 1; by value, 1.0 == 1.00 */
int dec_sign(Dec a);
bool dec_is_int(Dec a);
/* Integer value if a is whole and fits; false otherwise. */
bool dec_to_ll(Dec a, long long *out);
/* Remove trailing fractional zeros down to `min_scale`. */
Dec dec_trim(Dec a, int min_scale);
const char *dec_strerror(DecStatus s);
bool round_mode_parse(const char *name, RoundMode *m);
const char *round_mode_name(RoundMode m);

#endif
