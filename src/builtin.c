/* builtin.c: the built-in functions: names, arities, one-line usage and
 * implementations, in one table. The evaluator calls an entry through
 * builtin_call with the arguments evaluated (a lazy entry evaluates its
 * own: coalesce stops at the first set value, round divides and rounds in
 * one step); their types are checked in check.c, by id. */
#include "builtin.h"

#include <stdio.h>
#include <string.h>

#include "money.h"
#include "ops.h"
#include "period.h"
#include "query.h"
#include "source.h"
#include "store.h"

#define MAX_ARGS 16

typedef struct BuiltinCall {
	Eval *E;
	Node *e;              /* the call */
	int id;               /* BuiltinId */
	Value v[MAX_ARGS];    /* positional arguments, evaluated (not for a lazy entry) */
	Node *at[MAX_ARGS];   /* ... their expressions, to locate messages */
	int n;
} BuiltinCall;

static Value vnum(Dec d) { return (Value){ .k = V_NUM, .d = d }; }
static Value vdate(Date d) { return (Value){ .k = V_DATE, .date = d }; }
static Value vbool(bool b) { return (Value){ .k = V_BOOL, .b = b }; }

static bool dec_fail(Eval *E, const Node *at, DecStatus st) { return eval_fail(E, at, "%s", dec_strerror(st)); }

/* ---- arguments ------------------------------------------------------- */

static bool want_int(Eval *E, const Node *at, const Value *v, long long *n)
{
	if ((v->k != V_NUM && !(v->k == V_DUR && v->unit == U_BDAYS)) || !dec_to_ll(v->d, n))
		return eval_fail(E, at, "expected a whole number, got %s", vkind_name(v->k));
	return true;
}

static bool want_kind(Eval *E, const Node *at, const Value *v, VKind k)
{
	if (v->k == V_UNSET)
		return eval_fail(E, at, "this argument is unset (expected %s)", vkind_name(k));
	if (v->k != k)
		return eval_fail(E, at, "expected %s, got %s", vkind_name(k), vkind_name(v->k));
	return true;
}

/* Argument i is a date (most built-ins take one first). */
static bool want_date(BuiltinCall *c, int i) { return want_kind(c->E, c->at[i], &c->v[i], V_DATE); }

static bool get_cal(Eval *E, const Node *at, const Value *v, const Calendar **c)
{
	if (!want_kind(E, at, v, V_TEXT))
		return false;
	*c = eval_calendar(E, v->s, E->mod->src, at->loc);
	return *c != NULL;
}

static bool bd_result(Eval *E, const Node *at, BdStatus st)
{
	if (st == BD_RANGE)
		return eval_fail(E, at, "date out of range (0001-01-01 .. 9999-12-31)");
	if (st == BD_NO_WORKDAYS)
		return eval_fail(E, at, "this calendar has no working days");
	return true;
}

/* ---- calendars ------------------------------------------------------- */

static bool f_business_day(BuiltinCall *c, Value *out)
{
	Eval *E = c->E;
	const Calendar *cal;
	long long k;
	Date d;
	if (!want_date(c, 0) || !want_int(E, c->at[1], &c->v[1], &k) || !get_cal(E, c->at[2], &c->v[2], &cal))
		return false;
	if (c->id == B_PASSIVE_ACCEPTANCE_ON) {
		if (k < 1)
			return eval_fail(E, c->at[1], "an acceptance window is 1 business day or more, not %lld", k);
		k -= 1; /* day 1 of the window is the day the request was sent */
	}
	if (!bd_result(E, c->e, cal_business_day(cal, c->v[0].date, k, &d)))
		return false;
	*out = vdate(d);
	return true;
}

static bool f_business_days_between(BuiltinCall *c, Value *out)
{
	Eval *E = c->E;
	const Calendar *cal;
	long long k;
	if (!want_date(c, 0) || !want_date(c, 1) || !get_cal(E, c->at[2], &c->v[2], &cal))
		return false;
	if (!bd_result(E, c->e, cal_business_days_between(cal, c->v[0].date, c->v[1].date, &k)))
		return false;
	*out = vnum(dec_from_int(k));
	return true;
}

static bool f_is_business_day(BuiltinCall *c, Value *out)
{
	const Calendar *cal;
	if (!want_date(c, 0) || !get_cal(c->E, c->at[1], &c->v[1], &cal))
		return false;
	*out = vbool(cal_is_business_day(cal, c->v[0].date));
	return true;
}

/* ---- dates and periods ----------------------------------------------- */

/* month_end, month_start, fiscal_quarter, fiscal_year, period_of, year_of,
 * month_of, day_of, weekday: a function of one date. */
static bool f_date_part(BuiltinCall *c, Value *out)
{
	if (!want_date(c, 0))
		return false;
	Date d = c->v[0].date;
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int fs = c->E->P->fiscal_start;
	switch (c->id) {
	case B_MONTH_END: *out = vdate(date_month_end(d)); break;
	case B_MONTH_START: *out = vdate(date_month_start(d)); break;
	case B_WEEK_START: *out = vdate(d - date_weekday(d)); break;
	case B_FISCAL_QUARTER:
		*out = (Value){ .k = V_PERIOD, .pk = PER_QUARTER, .year = fiscal_year(d, fs), .idx = fiscal_quarter(d, fs) };
		if (out->year > 9999)
			return eval_fail(c->E, c->e, "fiscal year out of range");
		break;
	case B_FISCAL_YEAR:
		*out = (Value){ .k = V_PERIOD, .pk = PER_YEAR, .year = fiscal_year(d, fs) };
		if (out->year > 9999)
			return eval_fail(c->E, c->e, "fiscal year out of range");
		break;
	case B_PERIOD_OF: *out = (Value){ .k = V_PERIOD, .pk = PER_MONTH, .year = y, .idx = m }; break;
	case B_YEAR: *out = vnum(dec_from_int(y)); break;
	case B_MONTH: *out = vnum(dec_from_int(m)); break;
	case B_DAY: *out = vnum(dec_from_int(dd)); break;
	default: {
		static const char *const names[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
		*out = (Value){ .k = V_TEXT, .s = names[date_weekday(d)] };
	}
	}
	return true;
}

static bool f_add_months(BuiltinCall *c, Value *out)
{
	long long k;
	Date d;
	if (!want_date(c, 0) || !want_int(c->E, c->at[1], &c->v[1], &k))
		return false;
	if (!date_add_months(c->v[0].date, k, &d))
		return eval_fail(c->E, c->e, "date out of range (0001-01-01 .. 9999-12-31)");
	*out = vdate(d);
	return true;
}

static bool period_bounds(const Eval *E, const Value *p, Date *start, Date *end)
{
	Date s;
	int months;
	if (p->pk == PER_MONTH) {
		s = date_from_ymd(p->year, p->idx, 1);
		months = 1;
	} else {
		s = fiscal_year_start(p->year, E->P->fiscal_start);
		if (p->pk == PER_QUARTER && !date_add_months(s, 3 * (p->idx - 1), &s))
			return false;
		months = p->pk == PER_QUARTER ? 3 : 12;
	}
	Date e;
	if (!date_add_months(s, months, &e))
		return false;
	*start = s;
	*end = e - 1;
	return true;
}

static bool f_period_bound(BuiltinCall *c, Value *out)
{
	Date s, en;
	if (!want_kind(c->E, c->at[0], &c->v[0], V_PERIOD))
		return false;
	if (!period_bounds(c->E, &c->v[0], &s, &en))
		return eval_fail(c->E, c->e, "period out of range");
	*out = vdate(c->id == B_PERIOD_START ? s : en);
	return true;
}

static bool f_is_closed(BuiltinCall *c, Value *out)
{
	Eval *E = c->E;
	const Value *p = &c->v[0];
	if (!want_kind(E, c->at[0], p, V_PERIOD))
		return false;
	if (p->pk != PER_MONTH)
		return eval_fail(E, c->at[0], "is_closed() takes a month, like 2026-10");
	/* on or before the latest closed period of the run's history (SPEC 8.1) */
	RunInfo *R = &E->run;
	if (R->history && !R->closed_read) {
		if (!period_closed_through(R->history, R->closed_through))
			return eval_db_fail(E, c->at[0], "reading the closed periods");
		R->closed_read = true;
	}
	char key[16];
	snprintf(key, sizeof key, "%04d-%02d", p->year, p->idx);
	*out = vbool(*R->closed_through && strcmp(key, R->closed_through) <= 0);
	return true;
}

/* released_before("time", "42"): the ledger released that source row in a
 * period before the one evaluated (as_of's month). What earlier periods
 * released does not change while the rules run, so a rule that emits
 * revenue may ask it without reading its own output (a T&M cap counts the
 * hours it already released first: rules/std/caps.sow). */
static bool f_released_before(BuiltinCall *c, Value *out)
{
	Eval *E = c->E;
	if (!want_kind(E, c->at[0], &c->v[0], V_TEXT) || !want_kind(E, c->at[1], &c->v[1], V_TEXT))
		return false;
	int y, m, d;
	date_to_ymd(E->as_of, &y, &m, &d);
	char month[16];
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	bool released = false;
	if (E->run.history && !store_released_before(E->run.history, c->v[0].s, c->v[1].s, month, &released))
		return eval_db_fail(E, c->e, "reading the released revenue");
	*out = vbool(released);
	return true;
}

/* ---- money and conversions ------------------------------------------- */

static bool f_minor_unit(BuiltinCall *c, Value *out)
{
	if (!want_kind(c->E, c->at[0], &c->v[0], V_TEXT))
		return false;
	int m = money_minor_unit(c->v[0].s);
	if (m < 0)
		return eval_fail(c->E, c->at[0], "unknown currency \"%s\"", c->v[0].s);
	*out = vnum(dec_from_int(m));
	return true;
}

/* money(amount, "EUR") and convert(money, rate, "EUR") */
static bool f_money(BuiltinCall *c, Value *out)
{
	Eval *E = c->E;
	const Value *v = c->v;
	int last = c->id == B_MONEY ? 1 : 2;
	if (!want_kind(E, c->at[last], &v[last], V_TEXT))
		return false;
	if (!money_is_currency(v[last].s))
		return eval_fail(E, c->at[last], "unknown currency \"%s\"", v[last].s);
	Value r = { .k = V_MONEY };
	memcpy(r.cur, v[last].s, 3);
	if (c->id == B_MONEY) {
		if (v[0].k != V_NUM)
			return eval_fail(E, c->at[0], "money() needs a number, not %s", vkind_name(v[0].k));
		r.d = v[0].d;
	} else {
		if (!want_kind(E, c->at[0], &v[0], V_MONEY) || !want_kind(E, c->at[1], &v[1], V_NUM))
			return false;
		DecStatus st = dec_mul(v[0].d, v[1].d, &r.d);
		if (st)
			return dec_fail(E, c->e, st);
	}
	*out = r;
	return true;
}

static bool f_currency_of(BuiltinCall *c, Value *out)
{
	if (!want_kind(c->E, c->at[0], &c->v[0], V_MONEY))
		return false;
	*out = (Value){ .k = V_TEXT, .s = arena_strndup(c->E->tmp, c->v[0].cur, 3) };
	return true;
}

static bool f_hours_of(BuiltinCall *c, Value *out)
{
	if (!want_kind(c->E, c->at[0], &c->v[0], V_NUM))
		return false;
	*out = (Value){ .k = V_HOURS, .d = c->v[0].d };
	return true;
}

static bool f_number(BuiltinCall *c, Value *out)
{
	const Value *v = &c->v[0];
	Dec x;
	if (v->k == V_TEXT) {
		DecStatus st = dec_parse(v->s, strlen(v->s), &x);
		if (st)
			return eval_fail(c->E, c->at[0], "\"%s\" is not a number (%s)", v->s, dec_strerror(st));
	} else if (v->k == V_NUM || v->k == V_HOURS || v->k == V_MONEY || v->k == V_PERCENT || v->k == V_DUR) {
		DecStatus st = value_dec(v, &x);
		if (st)
			return dec_fail(c->E, c->e, st);
	} else {
		return eval_fail(c->E, c->at[0], "number() of %s", vkind_name(v->k));
	}
	*out = vnum(x);
	return true;
}

static bool f_text(BuiltinCall *c, Value *out)
{
	char buf[512];
	value_fmt(&c->v[0], buf, sizeof buf);
	*out = (Value){ .k = V_TEXT, .s = arena_strndup(c->E->tmp, buf, strlen(buf)) };
	return true;
}

static bool f_date(BuiltinCall *c, Value *out)
{
	Date d;
	if (!want_kind(c->E, c->at[0], &c->v[0], V_TEXT))
		return false;
	if (!date_parse(c->v[0].s, strlen(c->v[0].s), &d))
		return eval_fail(c->E, c->at[0], "\"%s\" is not a date (YYYY-MM-DD)", c->v[0].s);
	*out = vdate(d);
	return true;
}

static bool f_abs(BuiltinCall *c, Value *out)
{
	const Value *v = &c->v[0];
	if (v->k != V_NUM && v->k != V_MONEY && v->k != V_HOURS && v->k != V_PERCENT)
		return eval_fail(c->E, c->at[0], "abs() of %s", vkind_name(v->k));
	*out = *v;
	if (dec_sign(out->d) < 0)
		out->d = dec_neg(out->d);
	return true;
}

/* ---- values and lists ------------------------------------------------ */

/* coalesce(x, y, ...): the arguments are evaluated up to the first set one */
static bool f_coalesce(BuiltinCall *c, Value *out)
{
	for (Node *a = c->e->a; a; a = a->next) {
		if (!eval_expr(c->E, c->E->mod, a->a, out))
			return false;
		if (out->k != V_UNSET)
			return true;
	}
	return true;
}

/* min(a, b, ...) and max(a, b, ...); with one argument, an aggregate */
static bool f_min_max(BuiltinCall *c, Value *out)
{
	if (c->n < 2)
		return rules_aggregate_value(c->E, c->e, out);
	Value best = c->v[0];
	for (int i = 1; i < c->n; i++) {
		Node cmp = { .kind = N_BIN, .op = OP_LT, .loc = c->at[i]->loc };
		Value lt;
		if (!eval_binop(c->E, &cmp, c->id == B_MIN ? &c->v[i] : &best, c->id == B_MIN ? &best : &c->v[i], &lt))
			return false;
		if (lt.b)
			best = c->v[i];
	}
	*out = best;
	return true;
}

static bool f_aggregate(BuiltinCall *c, Value *out) { return rules_aggregate_value(c->E, c->e, out); }

static bool f_first_size(BuiltinCall *c, Value *out)
{
	const Value *v = &c->v[0];
	if (v->k != V_LIST)
		return eval_fail(c->E, c->at[0], "%s() takes a query or a list, not %s", builtins[c->id].name, vkind_name(v->k));
	if (c->id == B_FIRST)
		*out = v->nitems ? v->items[0] : (Value){ .k = V_UNSET };
	else
		*out = vnum(dec_from_int(v->nitems));
	return true;
}

/* ---- round ----------------------------------------------------------- */

/* A named argument: as the checker marked it, or by its name. */
static Node *find_named(Node *args, int op, const char *name)
{
	for (Node *a = args; a; a = a->next)
		if (a->s && (a->op ? a->op == op : strcmp(a->s, name) == 0))
			return a->a;
	return NULL;
}

bool builtin_round(Eval *E, Node *e, Node *xnode, Node *tonode, int parsed, const char *mode_name, Value *out)
{
	RoundMode mode = (RoundMode)(parsed - 1);
	if (!parsed && !round_mode_parse(mode_name, &mode))
		return eval_fail(E, e, "unknown rounding mode '%s'", mode_name);
	Value x, num, den;
	bool divide = xnode->kind == N_BIN && xnode->op == OP_DIV;
	if (divide) {
		/* round(a / b, ...) divides and rounds in one exact step */
		if (!eval_expr(E, E->mod, xnode->a, &num) || !eval_expr(E, E->mod, xnode->b, &den))
			return false;
		char msg[200];
		VKind k = op_result(OP_DIV, num.k, num.unit, num.k == V_MONEY ? num.cur : NULL, den.k, den.unit,
				    den.k == V_MONEY ? den.cur : NULL, msg, sizeof msg);
		if (k == V_UNSET)
			return eval_fail(E, xnode, "%s", msg);
		x = (Value){ .k = k };
		memcpy(x.cur, num.k == V_MONEY ? num.cur : den.cur, 4);
	} else {
		if (!eval_expr(E, E->mod, xnode, &x))
			return false;
	}
	if (x.k != V_NUM && x.k != V_MONEY && x.k != V_HOURS && x.k != V_PERCENT)
		return eval_fail(E, xnode, "round() needs a number, money or hours, not %s", vkind_name(x.k));
	Dec step;
	if (tonode) {
		Value s;
		if (!eval_expr(E, E->mod, tonode, &s))
			return false;
		if (s.k == V_UNSET)
			return eval_fail(E, tonode, "round(to:) is unset");
		if (s.k != V_NUM && s.k != x.k)
			return eval_fail(E, tonode, "round(to:) must be a number, not %s", vkind_name(s.k));
		step = s.d;
	} else if (x.k == V_MONEY) {
		int minor = money_minor_unit(x.cur);
		step = (Dec){ 1, minor < 0 ? 2 : minor };
	} else {
		return eval_fail(E, e, "round() of %s needs to: (the step)", vkind_name(x.k));
	}
	if (dec_sign(step) <= 0)
		return eval_fail(E, tonode ? tonode : e, "round(to:) must be greater than zero");
	DecStatus st;
	if (divide) {
		Dec a, b;
		if ((st = value_dec(&num, &a)) || (st = value_dec(&den, &b)))
			return dec_fail(E, e, st);
		st = dec_div_round(a, b, step, mode, &x.d);
	} else {
		st = dec_round(x.d, step, mode, &x.d);
	}
	if (st)
		return dec_fail(E, e, st);
	*out = x;
	return true;
}

static bool f_round(BuiltinCall *c, Value *out)
{
	Node *x = NULL;
	for (Node *a = c->e->a; a; a = a->next)
		if (!a->s)
			x = a->a;
	Node *mode = find_named(c->e->a, ARG_MODE, "mode");
	if (!x || !mode || mode->kind != N_NAME)
		return eval_fail(c->E, c->e, "round() needs a value and mode: (half_up, half_even, up or down)");
	return builtin_round(c->E, c->e, x, find_named(c->e->a, ARG_TO, "to"), mode->idx, mode->s, out);
}

/* ---- the table ------------------------------------------------------- */

const Builtin builtins[B__COUNT] = {
	[B_BUSINESS_DAY] = { "business_day", 3, 3, "", 0, "business_day(date, n, calendar): roll forward to a business day, then n more", f_business_day, false },
	[B_BUSINESS_DAYS_BETWEEN] = { "business_days_between", 3, 3, "", 0, "business_days_between(a, b, calendar): business days in [a, b)", f_business_days_between, false },
	[B_PASSIVE_ACCEPTANCE_ON] = { "passive_acceptance_on", 3, 3, "", 0, "passive_acceptance_on(sent, n, calendar): business_day(sent, n - 1)", f_business_day, false },
	[B_IS_BUSINESS_DAY] = { "is_business_day", 2, 2, "", 0, "is_business_day(date, calendar)", f_is_business_day, false },
	[B_ROUND] = { "round", 1, 1, "to,mode", 0, "round(x, to: step, mode: half_up|half_even|up|down)", f_round, true },
	[B_MONTH_END] = { "month_end", 1, 1, "", 0, "month_end(date): last day of its month", f_date_part, false },
	[B_MONTH_START] = { "month_start", 1, 1, "", 0, "month_start(date): first day of its month", f_date_part, false },
	[B_ADD_MONTHS] = { "add_months", 2, 2, "", 0, "add_months(date, n): same day n months on, clamped to month end", f_add_months, false },
	[B_FISCAL_QUARTER] = { "fiscal_quarter", 1, 1, "", 0, "fiscal_quarter(date): FY2027-Q4", f_date_part, false },
	[B_FISCAL_YEAR] = { "fiscal_year", 1, 1, "", 0, "fiscal_year(date): FY2027", f_date_part, false },
	[B_PERIOD_OF] = { "period_of", 1, 1, "", 0, "period_of(date): its month, 2026-11", f_date_part, false },
	[B_PERIOD_START] = { "period_start", 1, 1, "", 0, "period_start(period): first day", f_period_bound, false },
	[B_PERIOD_END] = { "period_end", 1, 1, "", 0, "period_end(period): last day", f_period_bound, false },
	[B_YEAR] = { "year_of", 1, 1, "", 0, "year_of(date)", f_date_part, false },
	[B_MONTH] = { "month_of", 1, 1, "", 0, "month_of(date): 1..12", f_date_part, false },
	[B_DAY] = { "day_of", 1, 1, "", 0, "day_of(date): 1..31", f_date_part, false },
	[B_WEEKDAY] = { "weekday", 1, 1, "", 0, "weekday(date): \"Monday\" .. \"Sunday\"", f_date_part, false },
	[B_MINOR_UNIT] = { "minor_unit", 1, 1, "", 0, "minor_unit(\"USD\"): decimal places of a currency", f_minor_unit, false },
	[B_MONEY] = { "money", 2, 2, "", 0, "money(amount, \"EUR\"): an amount in a currency", f_money, false },
	[B_CONVERT] = { "convert", 3, 3, "", 0, "convert(money, rate, \"EUR\"): amount * rate, in the new currency", f_money, false },
	[B_CURRENCY] = { "currency_of", 1, 1, "", 0, "currency_of(money): its ISO code", f_currency_of, false },
	[B_HOURS] = { "hours_of", 1, 1, "", 0, "hours_of(number): the number as hours", f_hours_of, false },
	[B_NUMBER] = { "number", 1, 1, "", 0, "number(x): the bare number of hours, money, a percentage or text", f_number, false },
	[B_TEXT] = { "text", 1, 1, "", 0, "text(x): x as text", f_text, false },
	[B_DATE] = { "date", 1, 1, "", 0, "date(\"2026-11-27\"): text to date", f_date, false },
	[B_COALESCE] = { "coalesce", 2, -1, "", 0, "coalesce(x, y, ...): the first that is set", f_coalesce, true },
	[B_ABS] = { "abs", 1, 1, "", 0, "abs(x)", f_abs, false },
	[B_FIRST] = { "first", 1, 1, "", 0, "first(from ...): the first row of a query, or unset", f_first_size, false },
	[B_SIZE] = { "size", 1, 1, "", 0, "size(from ...): how many rows (or items of a list)", f_first_size, false },
	[B_WEEK_START] = { "week_start", 1, 1, "", 0, "week_start(date): the Monday of its week", f_date_part, false },
	[B_IS_CLOSED] = { "is_closed", 1, 1, "", 0, "is_closed(2026-10): the period was closed with sow close", f_is_closed, false },
	[B_RELEASED_BEFORE] = { "released_before", 2, 2, "", 0, "released_before(source, source_id): a revenue row for it was released in an earlier period", f_released_before, false },
	[B_MIN] = { "min", 1, -1, "", 2, "min(a, b, ...) or, in a query, min(x) over a group", f_min_max, false },
	[B_MAX] = { "max", 1, -1, "", 2, "max(a, b, ...) or, in a query, max(x) over a group", f_min_max, false },
	[B_SUM] = { "sum", 1, 1, "", 1, "sum(x) over a group", f_aggregate, false },
	[B_COUNT] = { "count", 0, 1, "", 1, "count() or count(x) over a group", f_aggregate, false },
	[B_ANY] = { "any", 1, 1, "", 1, "any(condition) over a group", f_aggregate, false },
	[B_ALL] = { "all", 1, 1, "", 1, "all(condition) over a group", f_aggregate, false },
};

int builtin_find(const char *name)
{
	for (int i = 0; i < B__COUNT; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return i;
	return -1;
}

bool builtin_call(Eval *E, Node *e, int id, Value *out)
{
	const Builtin *b = &builtins[id];
	if (b->aggregate == 1 || (b->aggregate == 2 && e->a && !e->a->next))
		return rules_aggregate_value(E, e, out);
	BuiltinCall c; /* not zeroed: only the first n arguments are read */
	c.E = E;
	c.e = e;
	c.id = id;
	c.n = 0;
	if (!b->lazy) {
		for (Node *a = e->a; a && c.n < MAX_ARGS; a = a->next) {
			if (a->s)
				continue;
			c.at[c.n] = a->a;
			if (!eval_expr(E, E->mod, a->a, &c.v[c.n]))
				return false;
			c.n++;
		}
		if (c.n < b->min_args || (b->max_args >= 0 && c.n > b->max_args))
			return eval_fail(E, e, "%s() takes %d argument%s", b->name, b->min_args, b->min_args == 1 ? "" : "s");
	}
	return b->eval(&c, out);
}
