/* eval.c: the expression evaluator.
 *
 * A tree walk over checked expressions. Every arithmetic step is exact
 * (decimal.c) or fails with a message located at the operator; an unset
 * operand is an error, never a zero. Kinds of result come from ops.c, the
 * table the checker uses too. Built-ins are evaluated here by id. */
#include "eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "engine.h"
#include "money.h"
#include "ops.h"
#include "schema.h"
#include "sink.h"

#define MAX_DEPTH 200

void eval_init(Eval *E, Program *P, Arena *A, sqlite3 *db, Date as_of)
{
	memset(E, 0, sizeof *E);
	E->P = P;
	E->D = P->D;
	E->A = A;
	E->db = db;
	E->as_of = as_of;
	E->max_steps = 10000000; /* per source row (rules.c for_row) */
	E->tmp = arena_new();
}

void eval_free(Eval *E)
{
	engine_free(E);
	arena_free(E->tmp);
	arena_free(E->memo_arena);
	map_free(&E->memo);
	map_free(&E->pure);
	for (size_t i = 0; i < E->cals.cap; i++)
		if (E->cals.keys[i]) {
			cal_free(E->cals.vals[i]);
			free(E->cals.vals[i]);
		}
	map_free(&E->cals);
}

bool eval_fail(Eval *E, const Node *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_at(E->D, E->mod->src, at->loc, DIAG_ERROR, "%s", msg);
	return false;
}

static bool dec_fail(Eval *E, const Node *at, DecStatus st) { return eval_fail(E, at, "%s", dec_strerror(st)); }

static Value vnum(Dec d) { return (Value){ .k = V_NUM, .d = d }; }
static Value vdate(Date d) { return (Value){ .k = V_DATE, .date = d }; }
/* `run_id`: the run the rules are writing (sow run, the REPL's view, a
 * test), unset outside one. */
static Value eval_run_id(const Eval *E)
{
	long long id = sink_run_id(E->sink);
	return id ? (Value){ .k = V_NUM, .d = dec_from_int(id) } : (Value){ .k = V_UNSET };
}
static Value vbool(bool b) { return (Value){ .k = V_BOOL, .b = b }; }

/* ---- calendars ------------------------------------------------------- */

const Calendar *eval_calendar(Eval *E, const char *name, const Src *src, Loc loc)
{
	Calendar *c = map_get(&E->cals, name);
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		abort();
	cal_init(c, name);
	Decl *d = program_lookup(E->P, NULL, name);
	if (d && d->kind == D_CALENDAR) {
		c->declared = true;
		for (Node *cl = d->node->a; cl; cl = cl->next) {
			if (cl->kind == N_WEEKEND) {
				static const char *const days[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
				c->weekend = 0;
				for (Node *w = cl->a; w; w = w->next)
					for (int i = 0; i < 7; i++)
						if (strcmp(w->s, days[i]) == 0)
							c->weekend |= (uint8_t)(1 << i);
			} else if (cl->kind == N_HOLIDAY) {
				Date h;
				if (date_parse(cl->s, strlen(cl->s), &h))
					cal_add_holiday(c, h);
			}
		}
	}
	if (E->db) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(E->db, "SELECT day, rowid FROM holidays WHERE calendar = ?", -1, &st, NULL) != SQLITE_OK) {
			diag_at(E->D, src, loc, DIAG_ERROR, "cannot read holidays: %s", sqlite3_errmsg(E->db));
			cal_free(c);
			free(c);
			return NULL;
		}
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			Date h;
			if (!t || !date_parse(t, (size_t)sqlite3_column_bytes(st, 0), &h)) {
				diag_at(E->D, src, loc, DIAG_ERROR, "holidays row %lld (calendar \"%s\"): day '%s' is not a date (YYYY-MM-DD)",
					(long long)sqlite3_column_int64(st, 1), name, t ? t : "NULL");
				sqlite3_finalize(st);
				cal_free(c);
				free(c);
				return NULL;
			}
			cal_add_holiday(c, h);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			diag_at(E->D, src, loc, DIAG_ERROR, "cannot read holidays: %s", sqlite3_errmsg(E->db));
			cal_free(c);
			free(c);
			return NULL;
		}
	} else if (!c->declared && !E->warned_no_db) {
		E->warned_no_db = true;
		diag_at(E->D, src, loc, DIAG_WARNING,
			"calendar \"%s\" is declared nowhere and no database is open (--db): counting weekends only", name);
	}
	map_put(&E->cals, c->name, c);
	return c;
}

/* ---- values ---------------------------------------------------------- */

/* The plain number inside a numeric value; a percentage as its fraction. */
static DecStatus as_dec(const Value *v, Dec *out)
{
	if (v->k == V_PERCENT)
		return dec_div(v->d, dec_from_int(100), out);
	*out = v->d;
	return DEC_OK;
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

static bool parse_period(const char *s, Value *v)
{
	*v = (Value){ .k = V_PERIOD };
	if (s[0] == 'F') {
		v->year = atoi(s + 2);
		v->pk = s[6] == '-' ? PER_QUARTER : PER_YEAR;
		v->idx = v->pk == PER_QUARTER ? s[8] - '0' : 0;
		return v->year >= 2 && v->year <= 9999;
	}
	v->pk = PER_MONTH;
	v->year = atoi(s);
	v->idx = atoi(s + 5);
	return v->year >= 1 && v->idx >= 1 && v->idx <= 12;
}

static int cmp_values(Eval *E, const Node *at, const Value *a, const Value *b, bool *ok)
{
	*ok = true;
	switch (a->k) {
	case V_NUM: case V_PERCENT: case V_HOURS: case V_MONEY: case V_DUR: {
		Dec x, y;
		if (as_dec(a, &x) || as_dec(b, &y)) {
			*ok = false;
			eval_fail(E, at, "%s", dec_strerror(DEC_SCALE));
			return 0;
		}
		return dec_cmp(x, y);
	}
	case V_DATE: return (a->date > b->date) - (a->date < b->date);
	case V_BOOL: return (int)a->b - (int)b->b;
	case V_PERIOD: {
		if (a->pk != b->pk) {
			*ok = false;
			eval_fail(E, at, "cannot compare periods of different lengths (a month with a fiscal quarter or year)");
			return 0;
		}
		if (a->year != b->year)
			return a->year < b->year ? -1 : 1;
		return (a->idx > b->idx) - (a->idx < b->idx);
	}
	case V_TEXT: case V_SYM: {
		int c = strcmp(a->s, b->s);
		return (c > 0) - (c < 0);
	}
	default:
		*ok = false;
		eval_fail(E, at, "cannot compare %s values", vkind_name(a->k));
		return 0;
	}
}

static bool date_shift(Eval *E, const Node *at, Date d, const Value *dur, int sign, Value *out)
{
	long long n;
	if (!dec_to_ll(dur->d, &n))
		return eval_fail(E, at, "a number of %s must be whole", unit_name(dur->unit, 1));
	n *= sign;
	Date r;
	bool ok = true;
	switch (dur->unit) {
	case U_DAYS: case U_WEEKS: {
		long long days = dur->unit == U_WEEKS ? n * 7 : n;
		long long t = (long long)d + days;
		ok = t >= DATE_MIN && t <= DATE_MAX;
		r = (Date)t;
		break;
	}
	case U_MONTHS: ok = date_add_months(d, n, &r); break;
	case U_YEARS: ok = n > -10000 && n < 10000 && date_add_months(d, n * 12, &r); break;
	default: return eval_fail(E, at, "business days depend on a calendar; use business_day(date, n, calendar)");
	}
	if (!ok)
		return eval_fail(E, at, "date out of range (0001-01-01 .. 9999-12-31)");
	*out = vdate(r);
	return true;
}

bool eval_binop(Eval *E, const Node *e, const Value *a, const Value *b, Value *out)
{
	char msg[200];
	VKind k = op_result(e->op, a->k, a->unit, a->k == V_MONEY ? a->cur : NULL, b->k, b->unit,
			    b->k == V_MONEY ? b->cur : NULL, msg, sizeof msg);
	if (k == V_UNSET) {
		if (a->k == V_UNSET || b->k == V_UNSET)
			return eval_fail(E, e, "%s: the %s operand of '%s' is unset", msg, a->k == V_UNSET ? "left" : "right", op_text(e->op));
		return eval_fail(E, e, "%s", msg);
	}
	if (e->op >= OP_EQ && e->op <= OP_GE) {
		bool ok;
		int c = cmp_values(E, e, a, b, &ok);
		if (!ok)
			return false;
		bool r = e->op == OP_EQ ? c == 0 : e->op == OP_NE ? c != 0 : e->op == OP_LT ? c < 0 :
			 e->op == OP_LE ? c <= 0 : e->op == OP_GT ? c > 0 : c >= 0;
		*out = vbool(r);
		return true;
	}
	Value r = { .k = k };
	Dec x, y;
	DecStatus st = DEC_OK;
	if (k == V_TEXT) {
		size_t la = strlen(a->s), lb = strlen(b->s);
		char *s = arena_alloc(E->tmp, la + lb + 1);
		memcpy(s, a->s, la);
		memcpy(s + la, b->s, lb);
		r.s = s;
		*out = r;
		return true;
	}
	if (k == V_DATE && (a->k == V_DUR || b->k == V_DUR))
		return date_shift(E, e, a->k == V_DATE ? a->date : b->date, a->k == V_DUR ? a : b,
				  e->op == OP_SUB ? -1 : 1, out);
	if (k == V_DUR && a->k == V_DATE) {
		r.unit = U_DAYS;
		r.d = dec_from_int((long long)a->date - b->date);
		*out = r;
		return true;
	}
	/* Same-kind sums keep their kind (a percentage plus a percentage stays
	 * one); everything else computes on plain numbers. */
	if ((e->op == OP_ADD || e->op == OP_SUB) && a->k == b->k) {
		x = a->d;
		y = b->d;
	} else if ((st = as_dec(a, &x)) || (st = as_dec(b, &y))) {
		return dec_fail(E, e, st);
	}
	switch (e->op) {
	case OP_ADD: st = dec_add(x, y, &r.d); break;
	case OP_SUB: st = dec_sub(x, y, &r.d); break;
	case OP_MUL: st = dec_mul(x, y, &r.d); break;
	case OP_DIV: st = dec_div(x, y, &r.d); break;
	}
	if (st)
		return dec_fail(E, e, st);
	if (k == V_MONEY)
		memcpy(r.cur, a->k == V_MONEY ? a->cur : b->cur, 4);
	if (k == V_DUR) {
		r.unit = a->k == V_DUR ? a->unit : b->unit;
		if (!dec_is_int(r.d))
			return eval_fail(E, e, "a number of %s must be whole", unit_name(r.unit, 1));
	}
	*out = r;
	return true;
}

/* ---- built-ins ------------------------------------------------------- */

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

static bool eval(Eval *E, Node *e, Value *out);

static bool do_round(Eval *E, Node *e, Node *xnode, Node *tonode, const char *mode_name, Value *out)
{
	RoundMode mode;
	if (!round_mode_parse(mode_name, &mode))
		return eval_fail(E, e, "unknown rounding mode '%s'", mode_name);
	Value x, num, den;
	bool divide = xnode->kind == N_BIN && xnode->op == OP_DIV;
	if (divide) {
		/* round(a / b, ...) divides and rounds in one exact step */
		if (!eval(E, xnode->a, &num) || !eval(E, xnode->b, &den))
			return false;
		char msg[200];
		VKind k = op_result(OP_DIV, num.k, num.unit, num.k == V_MONEY ? num.cur : NULL, den.k, den.unit,
				    den.k == V_MONEY ? den.cur : NULL, msg, sizeof msg);
		if (k == V_UNSET)
			return eval_fail(E, xnode, "%s", msg);
		x = (Value){ .k = k };
		memcpy(x.cur, num.k == V_MONEY ? num.cur : den.cur, 4);
	} else {
		if (!eval(E, xnode, &x))
			return false;
	}
	if (x.k != V_NUM && x.k != V_MONEY && x.k != V_HOURS && x.k != V_PERCENT)
		return eval_fail(E, xnode, "round() needs a number, money or hours, not %s", vkind_name(x.k));
	Dec step;
	if (tonode) {
		Value s;
		if (!eval(E, tonode, &s))
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
		if ((st = as_dec(&num, &a)) || (st = as_dec(&den, &b)))
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

static Node *find_named(Node *args, const char *name)
{
	for (Node *a = args; a; a = a->next)
		if (a->s && strcmp(a->s, name) == 0)
			return a->a;
	return NULL;
}

static bool call_builtin(Eval *E, Node *e, int id, Value *out)
{
	if (id == B_ROUND) {
		Node *x = NULL;
		for (Node *a = e->a; a; a = a->next)
			if (!a->s)
				x = a->a;
		Node *mode = find_named(e->a, "mode");
		if (!x || !mode || mode->kind != N_NAME)
			return eval_fail(E, e, "round() needs a value and mode: (half_up, half_even, up or down)");
		return do_round(E, e, x, find_named(e->a, "to"), mode->s, out);
	}
	Value v[16];
	Node *at[16];
	int n = 0;
	if (builtins[id].aggregate == 1 || (builtins[id].aggregate == 2 && e->a && !e->a->next))
		return rules_aggregate_value(E, e, out);
	if (id == B_COALESCE) {
		for (Node *a = e->a; a; a = a->next) {
			if (!eval(E, a->a, out))
				return false;
			if (out->k != V_UNSET)
				return true;
		}
		return true;
	}
	for (Node *a = e->a; a && n < 16; a = a->next) {
		if (a->s)
			continue;
		at[n] = a->a;
		if (!eval(E, a->a, &v[n]))
			return false;
		n++;
	}
	const Builtin *b = &builtins[id];
	if (n < b->min_args || (b->max_args >= 0 && n > b->max_args))
		return eval_fail(E, e, "%s() takes %d argument%s", b->name, b->min_args, b->min_args == 1 ? "" : "s");
	const Calendar *cal;
	long long k;
	Date d;
	switch ((BuiltinId)id) {
	case B_BUSINESS_DAY:
	case B_PASSIVE_ACCEPTANCE_ON:
		if (!want_kind(E, at[0], &v[0], V_DATE) || !want_int(E, at[1], &v[1], &k) || !get_cal(E, at[2], &v[2], &cal))
			return false;
		if (id == B_PASSIVE_ACCEPTANCE_ON) {
			if (k < 1)
				return eval_fail(E, at[1], "an acceptance window is 1 business day or more, not %lld", k);
			k -= 1; /* day 1 of the window is the day the request was sent */
		}
		if (!bd_result(E, e, cal_business_day(cal, v[0].date, k, &d)))
			return false;
		*out = vdate(d);
		return true;
	case B_BUSINESS_DAYS_BETWEEN:
		if (!want_kind(E, at[0], &v[0], V_DATE) || !want_kind(E, at[1], &v[1], V_DATE) || !get_cal(E, at[2], &v[2], &cal))
			return false;
		if (!bd_result(E, e, cal_business_days_between(cal, v[0].date, v[1].date, &k)))
			return false;
		*out = vnum(dec_from_int(k));
		return true;
	case B_IS_BUSINESS_DAY:
		if (!want_kind(E, at[0], &v[0], V_DATE) || !get_cal(E, at[1], &v[1], &cal))
			return false;
		*out = vbool(cal_is_business_day(cal, v[0].date));
		return true;
	case B_MONTH_END: case B_MONTH_START: case B_FISCAL_QUARTER: case B_FISCAL_YEAR: case B_PERIOD_OF:
	case B_YEAR: case B_MONTH: case B_DAY: case B_WEEKDAY: {
		if (!want_kind(E, at[0], &v[0], V_DATE))
			return false;
		int y, m, dd;
		date_to_ymd(v[0].date, &y, &m, &dd);
		int fs = E->P->fiscal_start;
		switch (id) {
		case B_MONTH_END: *out = vdate(date_month_end(v[0].date)); break;
		case B_MONTH_START: *out = vdate(date_month_start(v[0].date)); break;
		case B_FISCAL_QUARTER:
			*out = (Value){ .k = V_PERIOD, .pk = PER_QUARTER, .year = fiscal_year(v[0].date, fs), .idx = fiscal_quarter(v[0].date, fs) };
			if (out->year > 9999)
				return eval_fail(E, e, "fiscal year out of range");
			break;
		case B_FISCAL_YEAR:
			*out = (Value){ .k = V_PERIOD, .pk = PER_YEAR, .year = fiscal_year(v[0].date, fs) };
			if (out->year > 9999)
				return eval_fail(E, e, "fiscal year out of range");
			break;
		case B_PERIOD_OF: *out = (Value){ .k = V_PERIOD, .pk = PER_MONTH, .year = y, .idx = m }; break;
		case B_YEAR: *out = vnum(dec_from_int(y)); break;
		case B_MONTH: *out = vnum(dec_from_int(m)); break;
		case B_DAY: *out = vnum(dec_from_int(dd)); break;
		default: {
			static const char *const names[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
			*out = (Value){ .k = V_TEXT, .s = names[date_weekday(v[0].date)] };
		}
		}
		return true;
	}
	case B_ADD_MONTHS:
		if (!want_kind(E, at[0], &v[0], V_DATE) || !want_int(E, at[1], &v[1], &k))
			return false;
		if (!date_add_months(v[0].date, k, &d))
			return eval_fail(E, e, "date out of range (0001-01-01 .. 9999-12-31)");
		*out = vdate(d);
		return true;
	case B_PERIOD_START: case B_PERIOD_END: {
		Date s, en;
		if (!want_kind(E, at[0], &v[0], V_PERIOD))
			return false;
		if (!period_bounds(E, &v[0], &s, &en))
			return eval_fail(E, e, "period out of range");
		*out = vdate(id == B_PERIOD_START ? s : en);
		return true;
	}
	case B_MINOR_UNIT: {
		if (!want_kind(E, at[0], &v[0], V_TEXT))
			return false;
		int m = money_minor_unit(v[0].s);
		if (m < 0)
			return eval_fail(E, at[0], "unknown currency \"%s\"", v[0].s);
		*out = vnum(dec_from_int(m));
		return true;
	}
	case B_MONEY: case B_CONVERT: {
		int last = id == B_MONEY ? 1 : 2;
		if (!want_kind(E, at[last], &v[last], V_TEXT))
			return false;
		if (!money_is_currency(v[last].s))
			return eval_fail(E, at[last], "unknown currency \"%s\"", v[last].s);
		Value r = { .k = V_MONEY };
		memcpy(r.cur, v[last].s, 3);
		if (id == B_MONEY) {
			if (v[0].k != V_NUM)
				return eval_fail(E, at[0], "money() needs a number, not %s", vkind_name(v[0].k));
			r.d = v[0].d;
		} else {
			if (!want_kind(E, at[0], &v[0], V_MONEY) || !want_kind(E, at[1], &v[1], V_NUM))
				return false;
			DecStatus st = dec_mul(v[0].d, v[1].d, &r.d);
			if (st)
				return dec_fail(E, e, st);
		}
		*out = r;
		return true;
	}
	case B_CURRENCY:
		if (!want_kind(E, at[0], &v[0], V_MONEY))
			return false;
		*out = (Value){ .k = V_TEXT, .s = arena_strndup(E->tmp, v[0].cur, 3) };
		return true;
	case B_HOURS:
		if (!want_kind(E, at[0], &v[0], V_NUM))
			return false;
		*out = (Value){ .k = V_HOURS, .d = v[0].d };
		return true;
	case B_NUMBER: {
		Dec x;
		if (v[0].k == V_TEXT) {
			DecStatus st = dec_parse(v[0].s, strlen(v[0].s), &x);
			if (st)
				return eval_fail(E, at[0], "\"%s\" is not a number (%s)", v[0].s, dec_strerror(st));
		} else if (v[0].k == V_NUM || v[0].k == V_HOURS || v[0].k == V_MONEY || v[0].k == V_PERCENT || v[0].k == V_DUR) {
			DecStatus st = as_dec(&v[0], &x);
			if (st)
				return dec_fail(E, e, st);
		} else {
			return eval_fail(E, at[0], "number() of %s", vkind_name(v[0].k));
		}
		*out = vnum(x);
		return true;
	}
	case B_TEXT: {
		char buf[512];
		value_fmt(&v[0], buf, sizeof buf);
		*out = (Value){ .k = V_TEXT, .s = arena_strndup(E->tmp, buf, strlen(buf)) };
		return true;
	}
	case B_DATE:
		if (!want_kind(E, at[0], &v[0], V_TEXT))
			return false;
		if (!date_parse(v[0].s, strlen(v[0].s), &d))
			return eval_fail(E, at[0], "\"%s\" is not a date (YYYY-MM-DD)", v[0].s);
		*out = vdate(d);
		return true;
	case B_ABS:
		if (v[0].k != V_NUM && v[0].k != V_MONEY && v[0].k != V_HOURS && v[0].k != V_PERCENT)
			return eval_fail(E, at[0], "abs() of %s", vkind_name(v[0].k));
		*out = v[0];
		if (dec_sign(out->d) < 0)
			out->d = dec_neg(out->d);
		return true;
	case B_MIN: case B_MAX: {
		if (n < 2)
			return rules_aggregate_value(E, e, out);
		Value best = v[0];
		for (int i = 1; i < n; i++) {
			Node cmp = { .kind = N_BIN, .op = OP_LT, .loc = at[i]->loc };
			Value lt;
			if (!eval_binop(E, &cmp, id == B_MIN ? &v[i] : &best, id == B_MIN ? &best : &v[i], &lt))
				return false;
			if (lt.b)
				best = v[i];
		}
		*out = best;
		return true;
	}
	case B_SUM: case B_COUNT: case B_ANY: case B_ALL:
		return rules_aggregate_value(E, e, out);
	case B_FIRST:
		if (v[0].k != V_LIST)
			return eval_fail(E, at[0], "first() takes a query or a list, not %s", vkind_name(v[0].k));
		*out = v[0].nitems ? v[0].items[0] : (Value){ .k = V_UNSET };
		return true;
	case B_SIZE:
		if (v[0].k != V_LIST)
			return eval_fail(E, at[0], "size() takes a query or a list, not %s", vkind_name(v[0].k));
		*out = vnum(dec_from_int(v[0].nitems));
		return true;
	case B_WEEK_START:
		if (!want_kind(E, at[0], &v[0], V_DATE))
			return false;
		*out = vdate(v[0].date - date_weekday(v[0].date));
		return true;
	case B_IS_CLOSED: {
		if (!want_kind(E, at[0], &v[0], V_PERIOD))
			return false;
		if (v[0].pk != PER_MONTH)
			return eval_fail(E, at[0], "is_closed() takes a month, like 2026-10");
		/* the run written into knows (the ledger: SPEC 8.1) */
		char key[16];
		bool closed;
		snprintf(key, sizeof key, "%04d-%02d", v[0].year, v[0].idx);
		if (!sink_closed(E->sink, E, at[0], key, &closed))
			return false;
		*out = vbool(closed);
		return true;
	}
	case B_ROUND: case B_COALESCE: case B__COUNT:
		break;
	}
	return eval_fail(E, e, "cannot evaluate %s()", b->name);
}

/* ---- the walk -------------------------------------------------------- */

/* A definition as seen from here: the current SOW's file first (its
 * overrides), then the file being evaluated, then the library. */
static Decl *lookup(const Eval *E, const char *name)
{
	if (E->sow) {
		Decl *d = map_get(&E->sow->mod->local, name);
		if (d)
			return d;
	}
	return program_lookup(E->P, E->mod, name);
}

/* A call's definition, resolved once per node where nothing can override
 * it: the same module, no SOW file with definitions of its own in force,
 * and no definition added since (the REPL adds them). */
typedef struct Resolved {
	const Module *mod;
	size_t gen;           /* P->decls.len when resolved */
	Decl *d;
} Resolved;

static Decl *lookup_def(Eval *E, Node *e)
{
	if (E->sow && E->sow->mod->local.len)
		return lookup(E, e->s);
	Resolved *r = e->aux;
	if (r && r->mod == E->mod && r->gen == E->P->decls.len)
		return r->d;
	if (!r)
		r = e->aux = arena_alloc(E->P->A, sizeof *r);
	*r = (Resolved){ E->mod, E->P->decls.len, lookup(E, e->s) };
	return r->d;
}

/* A variable by its text: for a name the checker did not resolve, or one
 * bound under another spelling than the checker saw. */
static bool lookup_var(Eval *E, const char *name, Value *out)
{
	for (EScope *s = E->scope; s; s = s->up)
		if (strcmp(s->name, name) == 0) {
			*out = s->v;
			return true;
		}
	return false;
}

/* A variable the checker resolved: its binding is the innermost one made
 * with the very name it saw (bindings keep the pointer of their node's
 * name), so the walk compares addresses, not text. */
static bool find_binding(const Eval *E, const Node *e, Value *out)
{
	for (const EScope *s = E->scope; s; s = s->up)
		if (s->name == e->aux) {
			*out = s->v;
			return true;
		}
	return false;
}

#define MEMO_MAX 20000 /* cached results kept per evaluation, at most (memory stays flat) */

static void note_impure(const char *rel, void *arg)
{
	/* input tables and SOW terms cannot change during a run; anything a rule
	 * emits (output tables, declared relations) can */
	bool *impure = arg;
	const TableDef *t = schema_table(rel);
	if (t ? t->output != 0 : strncmp(rel, "sow", 3) != 0)
		*impure = true;
}

/* A function is pure when its body reads nothing that rules write. */
static bool is_pure(Eval *E, Decl *d)
{
	void *known = map_get(&E->pure, d->name);
	if (known)
		return known == (void *)1;
	bool impure = false;
	program_reads(E->P, d->node->b, note_impure, &impure);
	map_put(&E->pure, d->name, impure ? (void *)2 : (void *)1);
	return !impure;
}

/* Append text to the key being built; false when it does not fit. */
static bool key_add(char *key, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > size)
		return false;
	memcpy(key + *len, s, n);
	*len += n;
	key[*len] = 0;
	return true;
}

/* The memo key of a call: function, SOW in force, and each argument (rows by
 * table and id). False when an argument has no stable identity. Built by
 * hand, not with printf: it is made for every call of a pure function. */
static bool memo_key(Eval *E, Decl *d, const Value *args, int n, char *key, size_t size)
{
	size_t len = 0;
	const char *sow = E->sow ? E->sow->sow->s : "";
	if (!key_add(key, size, &len, d->name, strlen(d->name)) || !key_add(key, size, &len, "\x1f", 1) ||
	    !key_add(key, size, &len, sow, strlen(sow)))
		return false;
	for (int i = 0; i < n; i++) {
		char buf[512];
		const char *t = buf;
		char kind[4] = { '\x1f', (char)('A' + (int)args[i].k), ':', 0 };
		if (args[i].k == V_ROW) {
			const Row *r = args[i].row;
			if (!r || !*r->id || strcmp(r->table, "query") == 0)
				return false;
			if (!key_add(key, size, &len, kind, 3) || !key_add(key, size, &len, r->table, strlen(r->table)) ||
			    !key_add(key, size, &len, ":", 1) || !key_add(key, size, &len, r->id, strlen(r->id)))
				return false;
			continue;
		}
		if (args[i].k == V_LIST)
			return false;
		if (args[i].k == V_TEXT || args[i].k == V_SYM)
			t = args[i].s;
		else
			value_fmt(&args[i], buf, sizeof buf);
		if (!key_add(key, size, &len, kind, 3) || !key_add(key, size, &len, t, strlen(t)))
			return false;
	}
	return true;
}

static bool call_decl(Eval *E, Node *e, Decl *d, Value *out)
{
	if (++E->depth > MAX_DEPTH) {
		E->depth--;
		return eval_fail(E, e, "calls nested more than %d deep", MAX_DEPTH);
	}
	bool ok;
	if (d->kind == D_ROUNDING) {
		Node *x = e->a ? e->a->a : NULL;
		if (!x)
			ok = eval_fail(E, e, "rounding %s takes 1 argument", d->name);
		else
			ok = do_round(E, e, x, d->node->a, d->node->s2, out);
		E->depth--;
		return ok;
	}
	/* Bind arguments in the caller's scope, then evaluate the body in the
	 * function's own file with only its parameters visible. */
	EScope *params = NULL;
	Node *p = d->node->a;
	Value args[16];
	/* the parameters live while the body is evaluated: on the C stack, so a
	 * row's scratch does not grow with the calls made for it */
	EScope frame[16];
	int nargs = 0;
	for (Node *a = e->a; a && p; a = a->next, p = p->next) {
		EScope *s = nargs < 16 ? &frame[nargs] : arena_alloc(E->tmp, sizeof *s);
		s->name = p->s;
		if (!eval(E, a->a, &s->v)) {
			E->depth--;
			return false;
		}
		if (nargs < 16)
			args[nargs] = s->v;
		nargs++;
		s->up = params;
		params = s;
	}
	char key[2048];
	bool memo = nargs <= 16 && !(E->sink && E->sink->tracing) && is_pure(E, d) && memo_key(E, d, args, nargs, key, sizeof key);
	if (memo) {
		Value *hit = map_get(&E->memo, key);
		if (hit) {
			*out = *hit;
			E->depth--;
			return true;
		}
	}
	EScope *saved = E->scope;
	Module *saved_mod = E->mod;
	E->scope = params;
	E->mod = d->mod;
	ok = eval(E, d->node->b, out);
	E->scope = saved;
	E->mod = saved_mod;
	E->depth--;
	if (ok && memo && out->k != V_LIST) {
		/* full: start again, so the memo keeps what is used now (a run
		 * moves through the book; what it used early rarely comes back) */
		if (E->memo_size >= MEMO_MAX) {
			map_free(&E->memo);
			arena_reset(E->memo_arena);
			E->memo_size = 0;
		}
		if (!E->memo_arena)
			E->memo_arena = arena_new();
		Value *keep = arena_alloc(E->memo_arena, sizeof *keep);
		*keep = value_keep(E->memo_arena, *out);
		map_put(&E->memo, arena_strndup(E->memo_arena, key, strlen(key)), keep);
		E->memo_size++;
	}
	return ok;
}

/* Resident memory of this process in MB (Linux), 0 when unknown. */
static long long resident_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%lld %lld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4096 / (1024 * 1024);
}

/* A literal's value, parsed once into the program's arena (e->aux). */
static bool parse_literal(Eval *E, Node *e)
{
	Value v = { .k = V_UNSET };
	DecStatus st = DEC_OK;
	switch (e->kind) {
	case N_NUM: v.k = V_NUM; st = dec_parse(e->s, strlen(e->s), &v.d); break;
	case N_PERCENT: v.k = V_PERCENT; st = dec_parse(e->s, strlen(e->s), &v.d); break;
	case N_MONEY:
		v.k = V_MONEY;
		memcpy(v.cur, e->s2, 3);
		st = dec_parse(e->s, strlen(e->s), &v.d);
		break;
	case N_QTY:
		v = (Value){ .k = e->op == U_HOURS ? V_HOURS : V_DUR, .unit = (Unit)e->op };
		st = dec_parse(e->s, strlen(e->s), &v.d);
		break;
	case N_DATE:
		v.k = V_DATE;
		if (!date_parse(e->s, strlen(e->s), &v.date))
			return eval_fail(E, e, "not a date");
		break;
	default:
		if (!parse_period(e->s, &v))
			return eval_fail(E, e, "not a period");
		break;
	}
	if (st)
		return dec_fail(E, e, st);
	Value *keep = arena_alloc(E->P->A, sizeof *keep);
	*keep = v;
	e->aux = keep;
	return true;
}

/* A const's value, evaluated in its own file with no variables visible. */
static bool eval_const(Eval *E, const Node *e, const Decl *d, Value *out)
{
	if (++E->depth > MAX_DEPTH) {
		E->depth--;
		return eval_fail(E, e, "'%s' is defined in terms of itself", e->s);
	}
	Module *saved = E->mod;
	EScope *ss = E->scope;
	E->mod = d->mod;
	E->scope = NULL;
	bool ok = eval(E, d->node->a, out);
	E->mod = saved;
	E->scope = ss;
	E->depth--;
	return ok;
}

/* A name: what the checker resolved it to (e->op), else by its text, in
 * the checker's order: variables, as_of, run_id, definitions, enum members. */
static bool eval_name(Eval *E, Node *e, Value *out)
{
	switch (e->op) {
	case NAME_VAR:
		if (find_binding(E, e, out))
			return true;
		break;
	case NAME_AS_OF: *out = vdate(E->as_of); return true;
	case NAME_RUN_ID: *out = eval_run_id(E); return true;
	case NAME_CONST: case NAME_SYM: {
		/* the definition may change with the SOW in force and in the REPL */
		Decl *d = lookup_def(E, e);
		if (d && d->kind == D_CONST)
			return eval_const(E, e, d, out);
		if (e->op == NAME_SYM) {
			*out = (Value){ .k = V_SYM, .s = e->s };
			return true;
		}
		break;
	}
	default: break;
	}
	if (lookup_var(E, e->s, out))
		return true;
	if (strcmp(e->s, "as_of") == 0) {
		*out = vdate(E->as_of);
		return true;
	}
	if (strcmp(e->s, "run_id") == 0) {
		*out = eval_run_id(E);
		return true;
	}
	Decl *d = lookup(E, e->s);
	if (d && d->kind == D_CONST)
		return eval_const(E, e, d, out);
	if (map_get(&E->P->enum_member, e->s)) {
		*out = (Value){ .k = V_SYM, .s = e->s };
		return true;
	}
	return eval_fail(E, e, "unknown name '%s'", e->s);
}

static bool eval(Eval *E, Node *e, Value *out)
{
	if (E->interrupted && *E->interrupted)
		return eval_fail(E, e, "interrupted");
	if (E->max_memory_mb && (E->steps & 0xffff) == 0 && resident_mb() > E->max_memory_mb)
		return eval_fail(E, e, "memory limit reached (%lld MB); see --max-memory", E->max_memory_mb);
	if (++E->steps > E->max_steps)
		return eval_fail(E, e, "evaluation step limit reached (%lld steps); see --max-steps", E->max_steps);
	switch (e->kind) {
	case N_NUM: case N_PERCENT: case N_MONEY: case N_QTY: case N_DATE: case N_PERIOD:
		/* parsed on first use and kept on the node: no parsing on a hot path */
		if (!e->aux && !parse_literal(E, e))
			return false;
		*out = *(const Value *)e->aux;
		return true;
	case N_STR: *out = (Value){ .k = V_TEXT, .s = e->s }; return true;
	case N_BOOL: *out = vbool(e->op); return true;
	case N_UNSET: *out = (Value){ .k = V_UNSET }; return true;
	case N_NAME:
		return eval_name(E, e, out);
	case N_BIN: {
		Value a, b;
		if (!eval(E, e->a, &a))
			return false;
		if (e->op == OP_AND || e->op == OP_OR) {
			if (a.k != V_BOOL)
				return eval_fail(E, e->a, "'%s' needs true or false, got %s", op_text(e->op), vkind_name(a.k));
			if (a.b == (e->op == OP_OR)) {
				*out = a;
				return true;
			}
			if (!eval(E, e->b, &b))
				return false;
			if (b.k != V_BOOL)
				return eval_fail(E, e->b, "'%s' needs true or false, got %s", op_text(e->op), vkind_name(b.k));
			*out = b;
			return true;
		}
		if (!eval(E, e->b, &b))
			return false;
		return eval_binop(E, e, &a, &b, out);
	}
	case N_NOT:
		if (!eval(E, e->a, out))
			return false;
		if (out->k != V_BOOL)
			return eval_fail(E, e->a, "'not' needs true or false, got %s", vkind_name(out->k));
		out->b = !out->b;
		return true;
	case N_NEG:
		if (!eval(E, e->a, out))
			return false;
		if (out->k == V_UNSET)
			return eval_fail(E, e, "cannot negate an unset value");
		if (out->k != V_NUM && out->k != V_MONEY && out->k != V_HOURS && out->k != V_PERCENT && out->k != V_DUR)
			return eval_fail(E, e, "cannot negate %s", vkind_name(out->k));
		out->d = dec_neg(out->d);
		return true;
	case N_ISSET: {
		Value v;
		if (!eval(E, e->a, &v))
			return false;
		*out = vbool((v.k != V_UNSET) != (e->op == 1));
		return true;
	}
	case N_IN: {
		Value a, list;
		if (!eval(E, e->a, &a) || !eval(E, e->b, &list))
			return false;
		if (list.k != V_LIST)
			return eval_fail(E, e->b, "'in' needs a list, not %s", vkind_name(list.k));
		const Node *x = e->b->kind == N_LIST ? e->b->a : e->b;
		for (int i = 0; i < list.nitems; i++) {
			Value eq;
			Node cmp = { .kind = N_BIN, .op = OP_EQ, .loc = x->loc };
			if (!eval_binop(E, &cmp, &a, &list.items[i], &eq))
				return false;
			if (eq.b) {
				*out = vbool(true);
				return true;
			}
			if (e->b->kind == N_LIST && x->next)
				x = x->next;
		}
		*out = vbool(false);
		return true;
	}
	case N_IF: {
		Value c;
		if (!eval(E, e->a, &c))
			return false;
		if (c.k != V_BOOL)
			return eval_fail(E, e->a, "'if' needs true or false, got %s", vkind_name(c.k));
		return eval(E, c.b ? e->b : e->c, out);
	}
	case N_LIST: {
		int n = 0;
		for (Node *x = e->a; x; x = x->next)
			n++;
		Value *items = arena_alloc(E->tmp, (size_t)(n ? n : 1) * sizeof *items);
		int i = 0;
		for (Node *x = e->a; x; x = x->next)
			if (!eval(E, x, &items[i++]))
				return false;
		*out = (Value){ .k = V_LIST, .items = items, .nitems = n };
		return true;
	}
	case N_CALL: {
		Decl *d = lookup_def(E, e);
		if (d && E->cov)
			coverage_hit(E->cov, d->node);
		if (d && d->kind == D_ROUNDING && E->sow) {
			/* a SOW's own rounding clause overrides the policy for it */
			for (Node *c = E->sow->sow->a; c; c = c->next)
				if (c->kind == N_SOWROUND && strcmp(c->s, e->s) == 0) {
					Node *x = e->a ? e->a->a : NULL;
					if (!x)
						return eval_fail(E, e, "rounding %s takes 1 argument", e->s);
					return do_round(E, e, x, c->a, c->s2, out);
				}
		}
		if (d && (d->kind == D_FN || d->kind == D_ROUNDING))
			return call_decl(E, e, d, out);
		int id = e->op > 0 ? e->op - 1 : builtin_find(e->s);
		if (id >= 0)
			return call_builtin(E, e, id, out);
		return eval_fail(E, e, "unknown function '%s'", e->s);
	}
	case N_SELECTQ: {
		Rel *r;
		if (!rules_query(E, e, &r))
			return false;
		Value *items = arena_alloc(E->tmp, (r->n ? r->n : 1) * sizeof *items);
		for (size_t i = 0; i < r->n; i++)
			items[i] = (Value){ .k = V_ROW, .row = &r->rows[i] };
		*out = (Value){ .k = V_LIST, .items = items, .nitems = (int)r->n };
		return true;
	}
	case N_MEMBER: {
		Value base;
		if (!eval(E, e->a, &base))
			return false;
		if (base.k == V_UNSET) {
			/* a missing row has no fields: each is unset (and arithmetic
			 * on it is still an error) */
			*out = base;
			return true;
		}
		if (base.k != V_ROW)
			return eval_fail(E, e, "'.%s': %s has no fields", e->s, vkind_name(base.k));
		const Row *r = base.row;
		/* idx is a column of the shape in aux: the checker's, or the last
		 * one seen here (a function's rows may have another) */
		if (r->shape != e->aux || e->idx <= 0) {
			int i = shape_col(r->shape, e->s);
			if (i < 0)
				return eval_fail(E, e, "%s has no column '%s'", r->shape->name, e->s);
			e->aux = (void *)r->shape;
			e->idx = i + 1;
		}
		*out = r->vals[e->idx - 1];
		return true;
	}
	case N_INDEX: {
		Value id;
		const struct Shape *sh = e->a->kind == N_NAME ? map_get(&E->P->shapes, e->a->s) : NULL;
		if (!sh)
			return eval_fail(E, e, "only a table can be indexed by id");
		if (!eval(E, e->b, &id))
			return false;
		if (id.k != V_TEXT && id.k != V_NUM)
			return eval_fail(E, e->b, "a row id is text, not %s", vkind_name(id.k));
		return source_lookup(E, e, (const Shape *)sh, &id, out);
	}
	default:
		return eval_fail(E, e, "cannot evaluate this expression");
	}
}

bool eval_expr(Eval *E, Module *m, Node *e, Value *out)
{
	E->mod = m;
	return eval(E, e, out);
}
