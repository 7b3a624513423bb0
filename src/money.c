/* money.c: the currency table. Minor units from ISO 4217; codes not listed
 * here are rejected at check time rather than guessed. */
#include "money.h"

#include <string.h>

static const struct { char code[4]; signed char minor; } currencies[] = {
	{ "AED", 2 }, { "ARS", 2 }, { "AUD", 2 }, { "BGN", 2 }, { "BHD", 3 }, { "BRL", 2 },
	{ "CAD", 2 }, { "CHF", 2 }, { "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "CZK", 2 },
	{ "DKK", 2 }, { "EGP", 2 }, { "EUR", 2 }, { "GBP", 2 }, { "HKD", 2 }, { "HUF", 2 },
	{ "IDR", 2 }, { "ILS", 2 }, { "INR", 2 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 },
	{ "KRW", 0 }, { "KWD", 3 }, { "MXN", 2 }, { "MYR", 2 }, { "NGN", 2 }, { "NOK", 2 },
	{ "NZD", 2 }, { "OMR", 3 }, { "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "QAR", 2 },
	{ "RON", 2 }, { "RSD", 2 }, { "SAR", 2 }, { "SEK", 2 }, { "SGD", 2 }, { "THB", 2 },
	{ "TND", 3 }, { "TRY", 2 }, { "TWD", 2 }, { "UAH", 2 }, { "USD", 2 }, { "VND", 0 },
	{ "ZAR", 2 },
};

/* Three capitals as one number, so that a lookup (one per money value
 * read) compares numbers, not text; -1 for anything else. */
static long code_key(const char *c)
{
	for (int i = 0; i < 3; i++)
		if (c[i] < 'A' || c[i] > 'Z')
			return -1;
	return c[3] ? -1 : (long)c[0] << 16 | (long)c[1] << 8 | (long)c[2];
}

int money_minor_unit(const char *code)
{
	long k = code_key(code);
	size_t lo = 0, hi = sizeof currencies / sizeof *currencies; /* the table is in code order */
	while (k >= 0 && lo < hi) {
		size_t mid = (lo + hi) / 2;
		long m = code_key(currencies[mid].code);
		if (m == k)
			return currencies[mid].minor;
		if (m < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

bool money_is_currency(const char *code) { return money_minor_unit(code) >= 0; }

int money_codes(const char **out, int max)
{
	int n = 0;
	for (size_t i = 0; i < sizeof currencies / sizeof *currencies && n < max; i++)
		out[n++] = currencies[i].code;
	return n;
}

bool money_round_total(Dec exact, const char *code, Dec *out)
{
	int minor = code ? money_minor_unit(code) : -1;
	return minor >= 0 && dec_round(exact, (Dec){ 1, minor }, ROUND_HALF_UP, out) == DEC_OK;
}

char *money_fmt(Dec d, const char *code, char *buf)
{
	int minor = code ? money_minor_unit(code) : -1;
	return minor >= 0 ? dec_fmt_places(d, minor, buf) : dec_fmt(d, buf);
}

char *hours_fmt(Dec d, char *buf) { return dec_fmt_places(d, HOURS_PLACES, buf); }

const char *money_text(const char *amount, const char *code, char *buf)
{
	Dec d;
	if (!amount || dec_parse(amount, strlen(amount), &d) != DEC_OK)
		return amount ? amount : "";
	return money_fmt(d, code, buf);
}

const char *hours_text(const char *hours, char *buf)
{
	Dec d;
	if (!hours || dec_parse(hours, strlen(hours), &d) != DEC_OK)
		return hours ? hours : "";
	return hours_fmt(d, buf);
}
