/* builtin.c: names, arities and one-line usage of the built-in functions.
 * Their types are in check.c and their meaning in eval.c, both by id. */
#include "builtin.h"

#include <string.h>

const Builtin builtins[B__COUNT] = {
	[B_BUSINESS_DAY] = { "business_day", 3, 3, "", 0, "business_day(date, n, calendar): roll forward to a business day, then n more" },
	[B_BUSINESS_DAYS_BETWEEN] = { "business_days_between", 3, 3, "", 0, "business_days_between(a, b, calendar): business days in [a, b)" },
	[B_PASSIVE_ACCEPTANCE_ON] = { "passive_acceptance_on", 3, 3, "", 0, "passive_acceptance_on(sent, n, calendar): business_day(sent, n - 1)" },
	[B_IS_BUSINESS_DAY] = { "is_business_day", 2, 2, "", 0, "is_business_day(date, calendar)" },
	[B_ROUND] = { "round", 1, 1, "to,mode", 0, "round(x, to: step, mode: half_up|half_even|up|down)" },
	[B_MONTH_END] = { "month_end", 1, 1, "", 0, "month_end(date): last day of its month" },
	[B_MONTH_START] = { "month_start", 1, 1, "", 0, "month_start(date): first day of its month" },
	[B_ADD_MONTHS] = { "add_months", 2, 2, "", 0, "add_months(date, n): same day n months on, clamped to month end" },
	[B_FISCAL_QUARTER] = { "fiscal_quarter", 1, 1, "", 0, "fiscal_quarter(date): FY2027-Q4" },
	[B_FISCAL_YEAR] = { "fiscal_year", 1, 1, "", 0, "fiscal_year(date): FY2027" },
	[B_PERIOD_OF] = { "period_of", 1, 1, "", 0, "period_of(date): its month, 2026-11" },
	[B_PERIOD_START] = { "period_start", 1, 1, "", 0, "period_start(period): first day" },
	[B_PERIOD_END] = { "period_end", 1, 1, "", 0, "period_end(period): last day" },
	[B_YEAR] = { "year_of", 1, 1, "", 0, "year_of(date)" },
	[B_MONTH] = { "month_of", 1, 1, "", 0, "month_of(date): 1..12" },
	[B_DAY] = { "day_of", 1, 1, "", 0, "day_of(date): 1..31" },
	[B_WEEKDAY] = { "weekday", 1, 1, "", 0, "weekday(date): \"Monday\" .. \"Sunday\"" },
	[B_MINOR_UNIT] = { "minor_unit", 1, 1, "", 0, "minor_unit(\"USD\"): decimal places of a currency" },
	[B_MONEY] = { "money", 2, 2, "", 0, "money(amount, \"EUR\"): an amount in a currency" },
	[B_CONVERT] = { "convert", 3, 3, "", 0, "convert(money, rate, \"EUR\"): amount * rate, in the new currency" },
	[B_CURRENCY] = { "currency_of", 1, 1, "", 0, "currency_of(money): its ISO code" },
	[B_HOURS] = { "hours_of", 1, 1, "", 0, "hours_of(number): the number as hours" },
	[B_NUMBER] = { "number", 1, 1, "", 0, "number(x): the bare number of hours, money, a percentage or text" },
	[B_TEXT] = { "text", 1, 1, "", 0, "text(x): x as text" },
	[B_DATE] = { "date", 1, 1, "", 0, "date(\"2026-11-27\"): text to date" },
	[B_COALESCE] = { "coalesce", 2, -1, "", 0, "coalesce(x, y, ...): the first that is set" },
	[B_ABS] = { "abs", 1, 1, "", 0, "abs(x)" },
	[B_FIRST] = { "first", 1, 1, "", 0, "first(from ...): the first row of a query, or unset" },
	[B_SIZE] = { "size", 1, 1, "", 0, "size(from ...): how many rows (or items of a list)" },
	[B_WEEK_START] = { "week_start", 1, 1, "", 0, "week_start(date): the Monday of its week" },
	[B_IS_CLOSED] = { "is_closed", 1, 1, "", 0, "is_closed(2026-10): the period was closed with sow close" },
	[B_MIN] = { "min", 1, -1, "", 2, "min(a, b, ...) or, in a query, min(x) over a group" },
	[B_MAX] = { "max", 1, -1, "", 2, "max(a, b, ...) or, in a query, max(x) over a group" },
	[B_SUM] = { "sum", 1, 1, "", 1, "sum(x) over a group" },
	[B_COUNT] = { "count", 0, 1, "", 1, "count() or count(x) over a group" },
	[B_ANY] = { "any", 1, 1, "", 1, "any(condition) over a group" },
	[B_ALL] = { "all", 1, 1, "", 1, "all(condition) over a group" },
};

int builtin_find(const char *name)
{
	for (int i = 0; i < B__COUNT; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return i;
	return -1;
}
