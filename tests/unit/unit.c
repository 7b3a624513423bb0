/* unit.c: table-driven tests of decimal.c and date.c.
 *
 * The tables (busday.tsv, decimal.tsv, dates.tsv, calendars.tsv) were
 * computed once by an independent implementation (numpy, Python decimal and
 * datetime; see gen_tables.py) and are committed. Each row is one case; a
 * failing row is printed with expected and actual. The last line is
 * "unit: N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "map.h"
#include "money.h"

static int passed, failed;

static void result(const char *file, int line, const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) == 0) {
		passed++;
		return;
	}
	failed++;
	if (failed <= 50)
		fprintf(stderr, "FAIL %s:%d: %s: expected %s, got %s\n", file, line, what, want, got);
}

/* Split a tab-separated line in place; returns the number of fields. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = 0;
	for (char *p = line; n < max;) {
		f[n++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = 0;
		p = t + 1;
	}
	return n;
}

static FILE *open_table(const char *dir, const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "FAIL cannot open %s\n", path);
		failed++;
	}
	return f;
}

#define NCAL 16
static Calendar cals[NCAL];
static int ncals;

static const Calendar *cal(const char *name)
{
	for (int i = 0; i < ncals; i++)
		if (strcmp(cals[i].name, name) == 0)
			return &cals[i];
	return NULL;
}

static void load_calendars(const char *dir)
{
	char path[512], line[8192], *f[4];
	FILE *fp = open_table(dir, "calendars.tsv", path, sizeof path);
	if (!fp)
		return;
	while (fgets(line, sizeof line, fp) && ncals < NCAL) {
		if (line[0] == '#' || split(line, f, 3) < 2)
			continue;
		Calendar *c = &cals[ncals++];
		cal_init(c, f[0]);
		c->weekend = 0;
		for (char *p = f[1]; *p; p++)
			if (*p >= '0' && *p <= '6')
				c->weekend |= (uint8_t)(1 << (*p - '0'));
		for (char *h = f[2]; h && *h;) {
			Date d;
			if (date_parse(h, 10, &d))
				cal_add_holiday(c, d);
			h = strchr(h, ',');
			h = h ? h + 1 : NULL;
		}
	}
	fclose(fp);
}

static void busday(const char *dir)
{
	char path[512], line[512], *f[6], got[64];
	FILE *fp = open_table(dir, "busday.tsv", path, sizeof path);
	if (!fp)
		return;
	for (int ln = 1; fgets(line, sizeof line, fp); ln++) {
		if (line[0] == '#' || split(line, f, 5) < 5)
			continue;
		const Calendar *c = cal(f[1]);
		Date d, e, r;
		long long n;
		if (!c || !date_parse(f[2], strlen(f[2]), &d)) {
			result(path, ln, "setup", "ok", "bad row");
			continue;
		}
		if (strcmp(f[0], "business_days_between") == 0) {
			date_parse(f[3], strlen(f[3]), &e);
			cal_business_days_between(c, d, e, &n);
			snprintf(got, sizeof got, "%lld", n);
		} else {
			n = atoll(f[3]);
			if (strcmp(f[0], "passive_acceptance_on") == 0)
				n -= 1; /* day 1 of the window is the day it was sent (SPEC 6.2) */
			if (cal_business_day(c, d, n, &r) != BD_OK)
				strcpy(got, "ERR");
			else
				date_fmt(r, got);
		}
		char what[128];
		snprintf(what, sizeof what, "%s(%s, %s, %s)", f[0], f[2], f[3], f[1]);
		result(path, ln, what, f[4], got);
	}
	fclose(fp);
}

static void decimals(const char *dir)
{
	char path[512], line[1024], *f[6], got[DEC_BUFSZ + 8];
	FILE *fp = open_table(dir, "decimal.tsv", path, sizeof path);
	if (!fp)
		return;
	for (int ln = 1; fgets(line, sizeof line, fp); ln++) {
		if (line[0] == '#' || split(line, f, 5) < 5)
			continue;
		Dec a, b, c, r;
		DecStatus st = dec_parse(f[1], strlen(f[1]), &a);
		if (strcmp(f[0], "parse") == 0) {
			strcpy(got, "ERR");
			if (st == DEC_OK)
				dec_fmt(a, got);
			result(path, ln, "parse", f[4], got);
			continue;
		}
		if (st || dec_parse(f[2], strlen(f[2]), &b) != DEC_OK) {
			result(path, ln, "operands", "parse", "failed");
			continue;
		}
		const char *op = f[0];
		RoundMode m;
		if (strcmp(op, "add") == 0)
			st = dec_add(a, b, &r);
		else if (strcmp(op, "sub") == 0)
			st = dec_sub(a, b, &r);
		else if (strcmp(op, "mul") == 0)
			st = dec_mul(a, b, &r);
		else if (strcmp(op, "div") == 0)
			st = dec_div(a, b, &r);
		else if (strcmp(op, "cmp") == 0) {
			snprintf(got, sizeof got, "%d", dec_cmp(a, b));
			result(path, ln, "cmp", f[4], got);
			continue;
		} else if (strncmp(op, "round_", 6) == 0 && round_mode_parse(op + 6, &m))
			st = dec_round(a, b, m, &r);
		else if (strncmp(op, "divround_", 9) == 0 && round_mode_parse(op + 9, &m) &&
			 dec_parse(f[3], strlen(f[3]), &c) == DEC_OK)
			st = dec_div_round(a, b, c, m, &r);
		else {
			result(path, ln, "op", "known", op);
			continue;
		}
		if (st)
			strcpy(got, "ERR");
		else
			dec_fmt(r, got);
		char what[256];
		snprintf(what, sizeof what, "%s(%s, %s%s%s)", op, f[1], f[2], *f[3] ? ", " : "", f[3]);
		result(path, ln, what, f[4], got);
	}
	fclose(fp);
}

static void dates(const char *dir)
{
	char path[512], line[512], *f[5], got[64];
	FILE *fp = open_table(dir, "dates.tsv", path, sizeof path);
	if (!fp)
		return;
	for (int ln = 1; fgets(line, sizeof line, fp); ln++) {
		if (line[0] == '#' || split(line, f, 4) < 4)
			continue;
		Date d, r;
		bool ok = date_parse(f[1], strlen(f[1]), &d);
		if (strcmp(f[0], "parse") == 0) {
			strcpy(got, "ERR");
			if (ok)
				date_fmt(d, got);
		} else if (!ok) {
			strcpy(got, "unparsed");
		} else if (strcmp(f[0], "month_end") == 0) {
			date_fmt(date_month_end(d), got);
		} else if (strcmp(f[0], "weekday") == 0) {
			snprintf(got, sizeof got, "%d", date_weekday(d));
		} else if (strcmp(f[0], "days") == 0) {
			snprintf(got, sizeof got, "%d", (int)d);
		} else if (strcmp(f[0], "add_months") == 0) {
			if (date_add_months(d, atoll(f[2]), &r))
				date_fmt(r, got);
			else
				strcpy(got, "ERR");
		} else if (strcmp(f[0], "fiscal") == 0) {
			int start = atoi(f[2]);
			snprintf(got, sizeof got, "FY%04d-Q%d", fiscal_year(d, start), fiscal_quarter(d, start));
		} else {
			strcpy(got, "?");
		}
		char what[128];
		snprintf(what, sizeof what, "%s(%s%s%s)", f[0], f[1], *f[2] ? ", " : "", f[2]);
		result(path, ln, what, f[3], got);
	}
	fclose(fp);
}

/* Hand-written cases: the SPEC's examples and limits, beside the tables. */
static void spec_cases(void)
{
	Calendar us;
	cal_init(&us, "US");
	Date thanks, d, r;
	char got[DEC_BUFSZ];
	date_parse("2026-11-26", 10, &thanks);
	cal_add_holiday(&us, thanks);
	date_parse("2026-11-23", 10, &d);
	cal_business_day(&us, d, 4, &r);
	result("spec", 62, "sent Mon 2026-11-23, 5 days", "2026-11-30", date_fmt(r, got));
	date_parse("2026-11-27", 10, &d);
	cal_business_day(&us, d, 4, &r);
	result("spec", 62, "sent Fri 2026-11-27, 5 days", "2026-12-03", date_fmt(r, got));
	cal_free(&us);
	Dec a, b;
	dec_parse("99999999999999999999999999999999999999", 38, &a);
	result("limits", 1, "38 nines + 1", "overflow", dec_add(a, dec_from_int(1), &b) == DEC_OVERFLOW ? "overflow" : "no error");
	result("limits", 2, "1 / 0", "divzero", dec_div(dec_from_int(1), dec_from_int(0), &b) == DEC_DIVZERO ? "divzero" : "no error");
	result("money", 1, "JPY minor unit", "0", money_minor_unit("JPY") == 0 ? "0" : "?");
	result("money", 2, "KWD minor unit", "3", money_minor_unit("KWD") == 3 ? "3" : "?");
	result("money", 3, "XXX unknown", "-1", money_minor_unit("XXX") == -1 ? "-1" : "?");
	/* every code of the table is found (the lookup is a binary search) */
	const char *codes[256];
	int ncodes = money_codes(codes, 256), found = 0;
	for (int i = 0; i < ncodes; i++)
		found += money_minor_unit(codes[i]) >= 0 && (i == 0 || strcmp(codes[i - 1], codes[i]) < 0);
	snprintf(got, sizeof got, "%d", found);
	char want[16];
	snprintf(want, sizeof want, "%d", ncodes);
	result("money", 4, "every code found, in order", want, got);
	result("money", 5, "usd (lower case)", "-1", money_minor_unit("usd") == -1 ? "-1" : "?");
	result("money", 6, "USDX (four letters)", "-1", money_minor_unit("USDX") == -1 ? "-1" : "?");
	result("money", 7, "US (two letters)", "-1", money_minor_unit("US") == -1 ? "-1" : "?");
	result("money", 8, "AED, the first", "2", money_minor_unit("AED") == 2 ? "2" : "?");
	result("money", 9, "ZAR, the last", "2", money_minor_unit("ZAR") == 2 ? "2" : "?");
}

/* The byte-keyed map of the memo (map.c): keys that hold NULs, keys that
 * differ only in length, many keys of one hash (every probe a collision),
 * growth and replacement. */
static void bytes_map(void)
{
	BytesMap m = { 0 };
	static unsigned char keys[3000][9];
	for (int i = 0; i < 3000; i++) {
		memset(keys[i], 0, sizeof keys[i]); /* mostly NULs */
		keys[i][1] = (unsigned char)(i & 0xff);
		keys[i][5] = (unsigned char)(i >> 8);
		size_t n = 6 + (size_t)(i % 3); /* 6, 7 or 8 bytes: prefixes of one another */
		size_t h = i % 2 ? 42 : map_hash(keys[i], n); /* half of them share a hash */
		bytesmap_put(&m, keys[i], n, h, (void *)(size_t)(i + 1));
	}
	int right = 0;
	for (int i = 0; i < 3000; i++) {
		size_t n = 6 + (size_t)(i % 3);
		size_t h = i % 2 ? 42 : map_hash(keys[i], n);
		right += bytesmap_get(&m, keys[i], n, h) == (void *)(size_t)(i + 1);
	}
	char got[32];
	snprintf(got, sizeof got, "%d of %zu", right, m.len);
	result("map", 1, "3000 keys found, each its own", "3000 of 3000", got);
	unsigned char other[9] = { 0 };
	result("map", 2, "a key never put", "absent", bytesmap_get(&m, other, 9, map_hash(other, 9)) ? "found" : "absent");
	bytesmap_put(&m, keys[7], 7, 42, (void *)(size_t)99999);
	snprintf(got, sizeof got, "%zu %zu", (size_t)bytesmap_get(&m, keys[7], 7, 42), m.len);
	result("map", 3, "put again replaces", "99999 3000", got);
	bytesmap_free(&m);
	result("map", 4, "an empty map", "absent", bytesmap_get(&m, other, 1, 0) ? "found" : "absent");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/unit";
	load_calendars(dir);
	busday(dir);
	decimals(dir);
	dates(dir);
	spec_cases();
	bytes_map();
	for (int i = 0; i < ncals; i++)
		cal_free(&cals[i]);
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
