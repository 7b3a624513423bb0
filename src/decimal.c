/* decimal.c: exact decimal arithmetic on a 128-bit coefficient.
 *
 * Every operation either produces the exact result or reports why it cannot
 * (overflow, too many places, inexact quotient). Bounds: 38 significant digits,
 * 24 decimal places, which covers 18 integer + 12 fractional digits with room
 * for the product of a rate and an hour count. Nothing here rounds unless the
 * caller asked for a rounding mode. */
#include "decimal.h"

#include <string.h>

static const dec_int DEC_LIMIT = (dec_int)10000000000000000000ULL * (dec_int)10000000000000000000ULL; /* 10^38 */

static dec_int pow10i(int n)
{
	dec_int p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

static bool fits(dec_int c) { return c < DEC_LIMIT && c > -DEC_LIMIT; }

/* c * 10^n within full 128 bits (intermediate values), checked. */
static bool mul_pow10(dec_int c, int n, dec_int *out)
{
	while (n-- > 0)
		if (__builtin_mul_overflow(c, (dec_int)10, &c))
			return false;
	*out = c;
	return true;
}

/* c * 10^n within the 38-digit bound, checked. */
static bool scale_up(dec_int c, int n, dec_int *out)
{
	while (n-- > 0) {
		if (__builtin_mul_overflow(c, (dec_int)10, &c) || !fits(c))
			return false;
	}
	*out = c;
	return true;
}

Dec dec_from_int(long long v) { return (Dec){ (dec_int)v, 0 }; }

DecStatus dec_parse(const char *s, size_t n, Dec *out)
{
	size_t i = 0;
	bool neg = false, seen_digit = false, in_frac = false;
	dec_int c = 0;
	int scale = 0, digits = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		char ch = s[i];
		if (ch == '.' && !in_frac && seen_digit) {
			in_frac = true;
			continue;
		}
		if (ch < '0' || ch > '9')
			return DEC_SYNTAX;
		seen_digit = true;
		if (c != 0 || ch != '0')
			digits++;
		if (digits > DEC_MAXDIGITS)
			return DEC_OVERFLOW;
		c = c * 10 + (ch - '0');
		if (in_frac && ++scale > DEC_MAXSCALE)
			return DEC_SCALE;
	}
	/* "5." and "." are not numbers an analyst types; neither is "". */
	if (!seen_digit || (n > 0 && s[n - 1] == '.'))
		return DEC_SYNTAX;
	out->c = neg ? -c : c;
	out->scale = scale;
	return DEC_OK;
}

char *dec_fmt(Dec d, char *buf)
{
	char tmp[DEC_BUFSZ];
	int n = 0;
	dec_int c = d.c < 0 ? -d.c : d.c;
	do {
		tmp[n++] = (char)('0' + (int)(c % 10));
		c /= 10;
	} while (c != 0);
	while (n <= d.scale)
		tmp[n++] = '0';
	char *p = buf;
	if (d.c < 0)
		*p++ = '-';
	for (int i = n - 1; i >= 0; i--) {
		*p++ = tmp[i];
		if (i == d.scale && i != 0)
			*p++ = '.';
	}
	*p = 0;
	return buf;
}

char *dec_fmt_places(Dec d, int places, char *buf)
{
	if (d.scale < places) {
		dec_int c;
		if (scale_up(d.c, places - d.scale, &c))
			d = (Dec){ c, places };
	} else if (d.scale > places) {
		d = dec_trim(d, places);
	}
	return dec_fmt(d, buf);
}

Dec dec_neg(Dec a) { return (Dec){ -a.c, a.scale }; }
int dec_sign(Dec a) { return (a.c > 0) - (a.c < 0); }

static DecStatus align(Dec *a, Dec *b)
{
	if (a->scale < b->scale) {
		if (!scale_up(a->c, b->scale - a->scale, &a->c))
			return DEC_OVERFLOW;
		a->scale = b->scale;
	} else if (b->scale < a->scale) {
		if (!scale_up(b->c, a->scale - b->scale, &b->c))
			return DEC_OVERFLOW;
		b->scale = a->scale;
	}
	return DEC_OK;
}

DecStatus dec_add(Dec a, Dec b, Dec *r)
{
	DecStatus st = align(&a, &b);
	if (st)
		return st;
	dec_int c = a.c + b.c; /* both < 10^38, the sum fits in 128 bits */
	if (!fits(c))
		return DEC_OVERFLOW;
	*r = (Dec){ c, a.scale };
	return DEC_OK;
}

DecStatus dec_sub(Dec a, Dec b, Dec *r) { return dec_add(a, dec_neg(b), r); }

DecStatus dec_mul(Dec a, Dec b, Dec *r)
{
	dec_int c;
	if (__builtin_mul_overflow(a.c, b.c, &c) || !fits(c))
		return DEC_OVERFLOW;
	if (a.scale + b.scale > DEC_MAXSCALE)
		return DEC_SCALE;
	*r = (Dec){ c, a.scale + b.scale };
	return DEC_OK;
}

/* n / d rounded to an integer by mode; d != 0. */
static dec_int div_round(dec_int n, dec_int d, RoundMode m)
{
	dec_int q = n / d, rem = n % d;
	if (rem == 0)
		return q;
	int sign = ((n < 0) != (d < 0)) ? -1 : 1;
	dec_int ar = rem < 0 ? -rem : rem, ad = d < 0 ? -d : d;
	bool away;
	switch (m) {
	case ROUND_DOWN: away = false; break;
	case ROUND_UP: away = true; break;
	case ROUND_HALF_UP: away = ar >= ad - ar; break;
	default: away = ar > ad - ar || (ar == ad - ar && (q % 2) != 0); break;
	}
	return away ? q + sign : q;
}

DecStatus dec_div(Dec a, Dec b, Dec *r)
{
	if (b.c == 0)
		return DEC_DIVZERO;
	/* a/b = (a.c / b.c) * 10^(b.scale - a.scale); find the least scale s at
	 * or above the ideal one where the quotient is exact. */
	int ideal = a.scale - b.scale;
	for (int s = ideal < 0 ? 0 : ideal; s <= DEC_MAXSCALE; s++) {
		int shift = s - ideal; /* multiply a.c by 10^shift */
		dec_int n;
		if (!scale_up(a.c, shift, &n))
			return DEC_OVERFLOW;
		if (n % b.c == 0) {
			dec_int q = n / b.c;
			if (!fits(q))
				return DEC_OVERFLOW;
			*r = (Dec){ q, s };
			return DEC_OK;
		}
	}
	return DEC_INEXACT;
}

/* Integer-scaled numerator and denominator of (a / b) / step, then round. */
DecStatus dec_div_round(Dec a, Dec b, Dec step, RoundMode m, Dec *r)
{
	if (b.c == 0 || step.c == 0)
		return DEC_DIVZERO;
	if (step.c < 0)
		step = dec_neg(step);
	dec_int den;
	if (__builtin_mul_overflow(b.c, step.c, &den))
		return DEC_OVERFLOW;
	/* a.c*10^-as / (den*10^-(bs+ss)) = a.c*10^(bs+ss-as) / den */
	int e = b.scale + step.scale - a.scale;
	dec_int num = a.c;
	if (!mul_pow10(num, e > 0 ? e : 0, &num) || !mul_pow10(den, e < 0 ? -e : 0, &den))
		return DEC_OVERFLOW;
	dec_int q = div_round(num, den, m);
	dec_int c;
	if (__builtin_mul_overflow(q, step.c, &c) || !fits(c))
		return DEC_OVERFLOW;
	*r = (Dec){ c, step.scale };
	return DEC_OK;
}

DecStatus dec_round(Dec x, Dec step, RoundMode m, Dec *r)
{
	return dec_div_round(x, dec_from_int(1), step, m, r);
}

int dec_cmp(Dec a, Dec b)
{
	int sa = dec_sign(a), sb = dec_sign(b);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	/* Same sign: compare integer parts, then fractions at a common scale.
	 * Neither step can overflow, unlike aligning the coefficients. */
	dec_int pa = pow10i(a.scale), pb = pow10i(b.scale);
	dec_int ia = a.c / pa, ib = b.c / pb;
	if (ia != ib)
		return ia < ib ? -1 : 1;
	dec_int fa = (a.c % pa) * pow10i(DEC_MAXSCALE - a.scale);
	dec_int fb = (b.c % pb) * pow10i(DEC_MAXSCALE - b.scale);
	return (fa > fb) - (fa < fb);
}

bool dec_is_int(Dec a) { return a.c % pow10i(a.scale) == 0; }

bool dec_to_ll(Dec a, long long *out)
{
	if (!dec_is_int(a))
		return false;
	dec_int v = a.c / pow10i(a.scale);
	if (v > (dec_int)(1LL << 62) || v < -(dec_int)(1LL << 62))
		return false;
	*out = (long long)v;
	return true;
}

Dec dec_trim(Dec a, int min_scale)
{
	while (a.scale > min_scale && a.c % 10 == 0) {
		a.c /= 10;
		a.scale--;
	}
	return a;
}

const char *dec_strerror(DecStatus s)
{
	switch (s) {
	case DEC_OK: return "ok";
	case DEC_OVERFLOW: return "decimal overflow (more than 38 digits)";
	case DEC_SCALE: return "result needs more than 24 decimal places";
	case DEC_DIVZERO: return "division by zero";
	case DEC_INEXACT: return "division is not exact; write round(a / b, to: STEP, mode: MODE)";
	case DEC_SYNTAX: return "not a decimal number";
	}
	return "?";
}

static const char *const mode_names[] = { "half_up", "half_even", "up", "down" };

bool round_mode_parse(const char *name, RoundMode *m)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, mode_names[i]) == 0) {
			*m = (RoundMode)i;
			return true;
		}
	return false;
}

const char *round_mode_name(RoundMode m) { return mode_names[m]; }
