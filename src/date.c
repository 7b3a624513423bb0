/* date.c: civil-date arithmetic, calendars and business days.
 *
 * Day counts use Howard Hinnant's days_from_civil algorithm, exact for the
 * whole supported range. Business-day counting is closed-form (whole weeks
 * plus a remainder, minus holidays found by binary search), so a count over
 * centuries costs the same as one over a week. */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int date_days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : dim[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

Date date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(Date t, int *y, int *m, int *d)
{
	int z = t + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse(const char *s, size_t n, Date *out)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

bool date_parse_month(const char *s, size_t n, int *year, int *month)
{
	if (n != 7 || s[4] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2);
	if (y < 0 || m < 0 || !date_valid_ymd(y, m, 1))
		return false;
	*year = y;
	*month = m;
	return true;
}

/* n as `width` digits at p (dates are formatted once per row: no printf) */
static char *put_digits(char *p, int n, int width)
{
	for (int i = width - 1; i >= 0; i--, n /= 10)
		p[i] = (char)('0' + n % 10);
	return p + width;
}

char *date_fmt(Date t, char *buf)
{
	int y, m, d;
	date_to_ymd(t, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
		return buf;
	}
	char *p = put_digits(buf, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p = 0;
	return buf;
}

char *date_fmt_month(Date t, char *buf)
{
	int y, m, d;
	date_to_ymd(t, &y, &m, &d);
	snprintf(buf, DATE_MONTH_BUFSZ, "%04d-%02d", y, m);
	return buf;
}

int date_weekday(Date t)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (t + 3) % 7;
	return w < 0 ? w + 7 : w;
}

Date date_month_end(Date t)
{
	int y, m, d;
	date_to_ymd(t, &y, &m, &d);
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

Date date_month_start(Date t)
{
	int y, m, d;
	date_to_ymd(t, &y, &m, &d);
	return date_from_ymd(y, m, 1);
}

bool date_add_months(Date t, long long months, Date *out)
{
	int y, m, d;
	date_to_ymd(t, &y, &m, &d);
	if (months > 120000 || months < -120000)
		return false;
	long long idx = (long long)y * 12 + (m - 1) + months;
	long long ny = idx / 12, nm = idx % 12 + 1;
	if (ny < 1 || ny > 9999)
		return false;
	int dim = date_days_in_month((int)ny, (int)nm);
	*out = date_from_ymd((int)ny, (int)nm, d > dim ? dim : d);
	return true;
}

void cal_init(Calendar *c, const char *name)
{
	memset(c, 0, sizeof *c);
	c->name = strdup(name);
	c->weekend = (1 << 5) | (1 << 6);
}

void cal_free(Calendar *c)
{
	free(c->name);
	free(c->holidays);
	memset(c, 0, sizeof *c);
}

/* Index of the first holiday >= d. */
static size_t lower_bound(const Calendar *c, Date d)
{
	size_t lo = 0, hi = c->nholidays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->holidays[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void cal_add_holiday(Calendar *c, Date d)
{
	size_t i = lower_bound(c, d);
	if (i < c->nholidays && c->holidays[i] == d)
		return;
	if (c->nholidays == c->capholidays) {
		c->capholidays = c->capholidays ? c->capholidays * 2 : 16;
		Date *h = realloc(c->holidays, c->capholidays * sizeof *h);
		if (!h)
			abort(); /* out of memory: the one policy, as for every allocation */
		c->holidays = h;
	}
	memmove(c->holidays + i + 1, c->holidays + i, (c->nholidays - i) * sizeof *c->holidays);
	c->holidays[i] = d;
	c->nholidays++;
}

static bool is_weekend(const Calendar *c, Date d) { return (c->weekend >> date_weekday(d)) & 1; }

bool cal_is_business_day(const Calendar *c, Date d)
{
	if (is_weekend(c, d))
		return false;
	size_t i = lower_bound(c, d);
	return !(i < c->nholidays && c->holidays[i] == d);
}

/* Working weekdays in [a, b), a <= b, ignoring holidays. */
static long long weekdays_between(const Calendar *c, Date a, Date b)
{
	int per_week = 0;
	for (int i = 0; i < 7; i++)
		per_week += !((c->weekend >> i) & 1);
	long long days = (long long)b - a;
	long long n = days / 7 * per_week;
	for (Date d = a + (Date)(days / 7 * 7); d < b; d++)
		n += !is_weekend(c, d);
	return n;
}

/* Holidays in [a, b) that fall on a working weekday. */
static long long holidays_between(const Calendar *c, Date a, Date b)
{
	long long n = 0;
	for (size_t i = lower_bound(c, a); i < c->nholidays && c->holidays[i] < b; i++)
		n += !is_weekend(c, c->holidays[i]);
	return n;
}

BdStatus cal_business_days_between(const Calendar *c, Date a, Date b, long long *out)
{
	if ((c->weekend & 0x7f) == 0x7f)
		return BD_NO_WORKDAYS;
	int sign = 1;
	if (b < a) {
		Date t = a;
		a = b;
		b = t;
		sign = -1;
	}
	*out = sign * (weekdays_between(c, a, b) - holidays_between(c, a, b));
	return BD_OK;
}

BdStatus cal_business_day(const Calendar *c, Date d, long long n, Date *out)
{
	if ((c->weekend & 0x7f) == 0x7f)
		return BD_NO_WORKDAYS;
	while (!cal_is_business_day(c, d))
		if (++d > DATE_MAX)
			return BD_RANGE;
	/* Jump by whole weeks while far from the target (a week holds at most
	 * per_week business days, so a jump never overshoots), then walk. d is
	 * always a business day here, so the steps taken from d to another
	 * business day e > d are the business days in [d, e). */
	int per_week = 0;
	for (int i = 0; i < 7; i++)
		per_week += !((c->weekend >> i) & 1);
	int dir = n > 0 ? 1 : -1;
	while (n != 0) {
		long long left = n * dir;
		if (left > 2LL * per_week) {
			long long nd = (long long)d + dir * 7 * (left / per_week - 1);
			if (nd > DATE_MAX || nd < DATE_MIN)
				return BD_RANGE;
			Date e = (Date)nd;
			while (!cal_is_business_day(c, e))
				if ((e += dir) > DATE_MAX || e < DATE_MIN)
					return BD_RANGE;
			long long moved;
			cal_business_days_between(c, dir > 0 ? d : e, dir > 0 ? e : d, &moved);
			n -= dir * moved;
			d = e;
			continue;
		}
		d += dir;
		if (d > DATE_MAX || d < DATE_MIN)
			return BD_RANGE;
		if (cal_is_business_day(c, d))
			n -= dir;
	}
	*out = d;
	return BD_OK;
}

int fiscal_year(Date d, int start_month)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return (start_month == 1 || m < start_month) ? y : y + 1;
}

int fiscal_quarter(Date d, int start_month)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return ((m - start_month + 12) % 12) / 3 + 1;
}

Date fiscal_year_start(int fy, int start_month)
{
	return date_from_ymd(start_month == 1 ? fy : fy - 1, start_month, 1);
}

Date date_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void date_timestamp_utc(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
