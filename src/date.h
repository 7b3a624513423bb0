/* date.h: civil dates (no time zone), calendars, business days, fiscal periods.
 *
 * A date is a count of days since 1970-01-01 in the proleptic Gregorian
 * calendar, limited to 0001-01-01 .. 9999-12-31. A calendar is a set of weekend
 * weekdays plus a sorted list of holidays. Business-day arithmetic follows
 * numpy.busday_offset(roll='forward') and numpy.busday_count exactly, which is
 * what the generated tests compare against. */
#ifndef SOW_DATE_H
#define SOW_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t Date; /* days since 1970-01-01 */

#define DATE_MIN (-719162) /* 0001-01-01 */
#define DATE_MAX 2932896   /* 9999-12-31 */
#define DATE_BUFSZ 11
#define DATE_MONTH_BUFSZ 8

bool date_valid_ymd(int y, int m, int d);
Date date_from_ymd(int y, int m, int d);          /* caller checked validity */
void date_to_ymd(Date t, int *y, int *m, int *d);
/* Parse exactly "YYYY-MM-DD" of a real day. */
bool date_parse(const char *s, size_t n, Date *out);
/* Parse exactly "YYYY-MM" of a real month. */
bool date_parse_month(const char *s, size_t n, int *year, int *month);
char *date_fmt(Date t, char *buf);                 /* buf: DATE_BUFSZ bytes */
char *date_fmt_month(Date t, char *buf);           /* "YYYY-MM"; buf: DATE_MONTH_BUFSZ */
int date_weekday(Date t);                          /* 0 = Monday .. 6 = Sunday */
int date_days_in_month(int y, int m);
Date date_month_end(Date t);
Date date_month_start(Date t);
/* Add months, clamping the day to the end of the target month. */
bool date_add_months(Date t, long long months, Date *out);
/* The time now, UTC, as "2026-11-30T18:04:05Z" (run and period stamps). */
void date_timestamp_utc(char *buf, size_t n);
/* Today in the local time zone: the default as-of date of commands. */
Date date_today(void);

typedef struct {
	char *name;           /* "US"; owned */
	uint8_t weekend;      /* bit i set: weekday i (0 = Monday) is not worked */
	Date *holidays;       /* sorted, unique; owned */
	size_t nholidays;
	size_t capholidays;
	bool declared;        /* declared in a rule file (else: implied by name) */
} Calendar;

void cal_init(Calendar *c, const char *name);      /* Sat+Sun weekend */
void cal_free(Calendar *c);
void cal_add_holiday(Calendar *c, Date d);         /* keeps order; ignores dups */
bool cal_is_business_day(const Calendar *c, Date d);

typedef enum { BD_OK, BD_RANGE, BD_NO_WORKDAYS } BdStatus;
/* Roll d forward to a business day, then move n business days. */
BdStatus cal_business_day(const Calendar *c, Date d, long long n, Date *out);
/* Business days in [a, b); negative when b < a (as numpy.busday_count). */
BdStatus cal_business_days_between(const Calendar *c, Date a, Date b, long long *out);

/* Fiscal periods. start_month 1..12 is the month the fiscal year starts; the
 * fiscal year is named by the calendar year in which it ends. */
int fiscal_year(Date d, int start_month);
int fiscal_quarter(Date d, int start_month);       /* 1..4 */
Date fiscal_year_start(int fy, int start_month);

#endif
