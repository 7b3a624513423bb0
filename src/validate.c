/* validate.c: the values a standard column accepts, and why a text is not one.
 *
 * Types first: dates are real days (YYYY-MM-DD), amounts and hours exact
 * decimals ("12,50" is refused, not guessed), flags 1 or 0, periods
 * YYYY-MM. Then the enumerated columns of SPEC 4 and 6.6: a project's kind
 * and status, an ISO 3166 alpha-2 country, an allocation's kind, an
 * opportunity's forecast category, a health report's colours, and ISO 4217
 * currency codes. Refusing here is what keeps `Netherlands` or `active` from
 * loading silently and changing results later (in_eu("Netherlands") is
 * false). Each refusal carries a guess at the mapping entry that would
 * translate the value, for the importer's note. */
#include "validate.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "country.h"
#include "date.h"
#include "decimal.h"
#include "diag.h"
#include "money.h"

static const char *const kinds[] = { "consulting", "training", "consulting_training", "internal", NULL };
/* SPEC 6.6, as rules/std/status.sow's machines name them */
static const char *const statuses[] = { "Estimate", "Prospect", "In Set Up", "Okay to Start", "Active", "On Hold",
					"Backlog", "Closed", "Completed", "Cancelled", NULL };
static const char *const alloc_kinds[] = { "soft", "hard", NULL };
/* the forecast categories of the CRM (the handbook: "Forecast category is Commit") */
static const char *const categories[] = { "Pipeline", "Best Case", "Commit", "Closed", "Omitted", NULL };
static const char *const colours[] = { "red", "yellow", "green", NULL };

static const struct {
	const char *table, *column, *what;
	const char *const *values;
} enums[] = {
	{ "projects", "kind", "a project kind", kinds },
	{ "projects", "status", "a project status", statuses },
	{ "status_history", "status", "a project status", statuses },
	{ "allocations", "kind", "an allocation kind", alloc_kinds },
	{ "opportunities", "forecast_category", "a forecast category", categories },
	{ "health_reports", "overall", "a health colour", colours },
	{ "health_reports", "schedule", "a health colour", colours },
	{ "health_reports", "scope", "a health colour", colours },
	{ "health_reports", "budget", "a health colour", colours },
	{ "health_reports", "client", "a health colour", colours },
};

/* Columns holding codes rather than members of a list. */
static bool is_country(const TableDef *t, const char *col) { return strcmp(col, "country") == 0 && strcmp(t->name, "projects") == 0; }
static bool is_currency(const TableDef *t, const char *col)
{
	return (strcmp(t->name, "invoices") == 0 && strcmp(col, "currency") == 0) ||
	       (strcmp(t->name, "fx_rates") == 0 && (strcmp(col, "base") == 0 || strcmp(col, "quote") == 0));
}

const char *const *validate_enum(const TableDef *t, int col, const char **what)
{
	for (size_t i = 0; i < sizeof enums / sizeof *enums; i++)
		if (strcmp(enums[i].table, t->name) == 0 && strcmp(enums[i].column, t->cols[col].name) == 0) {
			if (what)
				*what = enums[i].what;
			return enums[i].values;
		}
	return NULL;
}

static void hint(Invalid *w, HintKind k, const char *fmt, const char *a, const char *b)
{
	w->hint_kind = k;
	snprintf(w->hint, sizeof w->hint, fmt, a, b);
}

/* s lower-cased with only its letters and digits ("Consulting & Training"
 * -> "consultingtraining"); returns the length. */
static size_t squash(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = 0;
	return n;
}

/* The member a value most likely means: the same but for case and
 * punctuation,
 * one edit away, or sharing its first five letters ("Consultancy"). */
static const char *closest(const char *s, const char *const *vals)
{
	char low[128], m[128];
	size_t n = squash(s, low, sizeof low);
	int nv = 0;
	for (; vals[nv]; nv++) {
		squash(vals[nv], m, sizeof m);
		if (strcmp(m, low) == 0)
			return vals[nv];
	}
	const char *s2 = diag_suggest(s, vals, nv);
	if (s2)
		return s2;
	for (int i = 0; i < nv; i++)
		if (n >= 5 && strncasecmp(vals[i], low, 5) == 0)
			return vals[i];
	return NULL;
}

/* The strptime format a date-like text seems to be written in, or NULL. */
static const char *date_shape(const char *s, size_t n)
{
	char shape[40];
	if (n >= sizeof shape)
		return NULL;
	for (size_t i = 0; i < n; i++)
		shape[i] = isdigit((unsigned char)s[i]) ? '9' : s[i];
	shape[n] = 0;
	static const struct { const char *shape, *fmt; } shapes[] = {
		{ "9999-99-99 99:99:99", "%Y-%m-%d %H:%M:%S" }, { "9999-99-99T99:99:99", "%Y-%m-%dT%H:%M:%S" },
		{ "9999-99-99 99:99", "%Y-%m-%d %H:%M" }, { "9999/99/99", "%Y/%m/%d" },
		{ "99.99.9999", "%d.%m.%Y" }, { "9999-9-9", "%Y-%m-%d" }, { "9999-99-9", "%Y-%m-%d" }, { "9999-9-99", "%Y-%m-%d" },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
		if (strcmp(shape, shapes[i].shape) == 0)
			return shapes[i].fmt;
	/* 11/10/2026: month first (US exports) unless the first part cannot be a month */
	int a, b, y;
	char c1, c2;
	if (sscanf(s, "%d%c%d%c%d", &a, &c1, &b, &c2, &y) == 5 && c1 == c2 && (c1 == '/' || c1 == '-') && y > 999)
		return a > 12 ? (c1 == '/' ? "%d/%m/%Y" : "%d-%m-%Y") : (c1 == '/' ? "%m/%d/%Y" : "%m-%d-%Y");
	return NULL;
}

static bool bad_type(ColType t, const char *s, size_t n, Invalid *w)
{
	Dec d;
	Date dt;
	int y, m;
	switch (t) {
	case COL_DATE:
		if (date_parse(s, n, &dt))
			return false;
		snprintf(w->msg, sizeof w->msg, "'%.*s' is not a date (YYYY-MM-DD)", (int)n, s);
		{
			const char *f = date_shape(s, n);
			if (f)
				hint(w, HINT_DATE, "%s%s", f, "");
		}
		return true;
	case COL_DECIMAL: case COL_HOURS: case COL_MONEY:
		switch (dec_parse(s, n, &d)) {
		case DEC_OK: return false;
		case DEC_SYNTAX:
			snprintf(w->msg, sizeof w->msg, "'%.*s' is not a decimal number (digits, one '.', no separators or exponents)", (int)n, s);
			if (memchr(s, ',', n) && !memchr(s, '.', n))
				hint(w, HINT_NUMBER, "decimal \",\"%s%s", "", "");
			else if (memchr(s, ',', n))
				hint(w, HINT_NUMBER, "thousands \",\"%s%s", "", "");
			return true;
		default:
			snprintf(w->msg, sizeof w->msg, "'%.*s' is out of range (38 digits, 24 after the point)", (int)n, s);
			return true;
		}
	case COL_INT:
		if (dec_parse(s, n, &d) != DEC_OK || d.scale != 0)
			snprintf(w->msg, sizeof w->msg, "'%.*s' is not a whole number", (int)n, s);
		else if (d.c > INT64_MAX || d.c < INT64_MIN) /* SQLite's integers are 64-bit: it would be clamped */
			snprintf(w->msg, sizeof w->msg, "'%.*s' is out of range for a whole number (-9223372036854775808 to 9223372036854775807)", (int)n, s);
		else
			return false;
		return true;
	case COL_BOOL:
		if (n == 1 && (s[0] == '0' || s[0] == '1'))
			return false;
		snprintf(w->msg, sizeof w->msg, "'%.*s' is not 1 or 0", (int)n, s);
		{
			static const char *const yes[] = { "TRUE", "true", "True", "yes", "Yes", "YES", "Y", "y", "x", "X" };
			static const char *const no[] = { "FALSE", "false", "False", "no", "No", "NO", "N", "n" };
			for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
				if (strlen(yes[i]) == n && memcmp(yes[i], s, n) == 0)
					hint(w, HINT_VALUE, "\"%s\" -> 1%s", yes[i], "");
			for (size_t i = 0; i < sizeof no / sizeof *no; i++)
				if (strlen(no[i]) == n && memcmp(no[i], s, n) == 0)
					hint(w, HINT_VALUE, "\"%s\" -> 0%s", no[i], "");
		}
		return true;
	case COL_PERIOD:
		if (date_parse_month(s, n, &y, &m))
			return false;
		snprintf(w->msg, sizeof w->msg, "'%.*s' is not a month (YYYY-MM)", (int)n, s);
		return true;
	case COL_TEXT:
		return false;
	}
	return false;
}

bool validate_value(const TableDef *t, int col, const char *s, size_t n, Invalid *w)
{
	w->msg[0] = w->hint[0] = 0;
	w->hint_kind = HINT_NONE;
	if (n == 0)
		return true;
	const ColumnDef *c = &t->cols[col];
	if (bad_type(c->type, s, n, w))
		return false;
	char text[128];
	if (n >= sizeof text) {
		if (!validate_enum(t, col, NULL) && !is_country(t, c->name) && !is_currency(t, c->name))
			return true;
		snprintf(w->msg, sizeof w->msg, "a %zu-byte text is not a valid %s", n, c->name);
		return false;
	}
	memcpy(text, s, n);
	text[n] = 0;
	if (is_country(t, c->name)) {
		if (country_known(text))
			return true;
		char up[3] = { (char)toupper((unsigned char)text[0]), n > 1 ? (char)toupper((unsigned char)text[1]) : 0, 0 };
		const char *code = country_for_name(text);
		if (n == 2 && country_known(up)) {
			snprintf(w->msg, sizeof w->msg, "'%s' is not an ISO 3166 alpha-2 country code; codes are upper case: '%s'", text, up);
			code = up;
		} else if (code)
			snprintf(w->msg, sizeof w->msg, "'%s' is not an ISO 3166 alpha-2 country code; it is the name of %s", text, code);
		else
			snprintf(w->msg, sizeof w->msg, "'%s' is not an ISO 3166 alpha-2 country code (NL, DE, US ...)", text);
		if (code)
			hint(w, HINT_VALUE, "\"%s\" -> %s", text, code);
		return false;
	}
	if (is_currency(t, c->name)) {
		if (money_is_currency(text))
			return true;
		snprintf(w->msg, sizeof w->msg, "'%s' is not an ISO 4217 currency code (EUR, USD ...)", text);
		return false;
	}
	const char *what;
	const char *const *vals = validate_enum(t, col, &what);
	if (!vals)
		return true;
	for (int i = 0; vals[i]; i++)
		if (strcmp(vals[i], text) == 0)
			return true;
	char list[256];
	size_t len = 0;
	for (int i = 0; vals[i] && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", vals[i]);
	const char *near = closest(text, vals);
	if (near) {
		snprintf(w->msg, sizeof w->msg, "'%s' is not %s (%s); did you mean '%s'?", text, what, list, near);
		/* a bare word where the member is one, else a string */
		bool word = true;
		for (const char *p = near; *p; p++)
			word &= isalnum((unsigned char)*p) || *p == '_';
		hint(w, HINT_VALUE, word ? "\"%s\" -> %s" : "\"%s\" -> \"%s\"", text, near);
	} else {
		snprintf(w->msg, sizeof w->msg, "'%s' is not %s (%s)", text, what, list);
	}
	return false;
}

size_t text_check(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}
		size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
		if (!len || i + len > n)
			return i;
		/* the second byte's range rules out overlong forms, surrogates and
		 * code points past U+10FFFF (RFC 3629) */
		unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80, hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
		if (u[i + 1] < lo || u[i + 1] > hi)
			return i;
		for (size_t k = 2; k < len; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				return i;
		i += len;
	}
	return n;
}
