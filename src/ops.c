/* ops.c: the operator table. Money never meets another currency without an
 * explicit convert(); dates move by calendar durations only (business days
 * need a calendar, so they go through business_day()); comparisons need
 * like with like. V_ANY (unknown until run time) passes, and the evaluator
 * asks again with the real kinds. */
#include "ops.h"

#include <stdio.h>

static int numeric(VKind k) { return k == V_NUM || k == V_PERCENT; }

static VKind arith(int op, VKind a, int ua, VKind b, int ub)
{
	switch (op) {
	case OP_ADD:
	case OP_SUB:
		if (a == b && (a == V_NUM || a == V_PERCENT || a == V_HOURS || a == V_MONEY))
			return a;
		if (a == V_DUR && b == V_DUR && ua == ub)
			return V_DUR;
		if (a == V_DATE && b == V_DUR && ub != U_BDAYS)
			return V_DATE;
		if (op == OP_ADD && a == V_DUR && b == V_DATE && ua != U_BDAYS)
			return V_DATE;
		if (op == OP_SUB && a == V_DATE && b == V_DATE)
			return V_DUR;
		if (op == OP_ADD && a == V_TEXT && b == V_TEXT)
			return V_TEXT;
		return V_UNSET;
	case OP_MUL:
		if (numeric(a) && numeric(b))
			return V_NUM;
		if ((a == V_MONEY || a == V_HOURS || a == V_DUR) && numeric(b))
			return a;
		if (numeric(a) && (b == V_MONEY || b == V_HOURS || b == V_DUR))
			return b;
		if ((a == V_HOURS && b == V_MONEY) || (a == V_MONEY && b == V_HOURS))
			return V_MONEY; /* hours x rate */
		return V_UNSET;
	case OP_DIV:
		if (numeric(a) && numeric(b))
			return V_NUM;
		if ((a == V_MONEY || a == V_HOURS) && numeric(b))
			return a;
		if ((a == V_MONEY && b == V_MONEY) || (a == V_HOURS && b == V_HOURS))
			return V_NUM;
		if (a == V_MONEY && b == V_HOURS)
			return V_MONEY; /* a rate */
		return V_UNSET;
	}
	return V_UNSET;
}

static int orderable(VKind k)
{
	return k == V_NUM || k == V_PERCENT || k == V_HOURS || k == V_MONEY || k == V_DATE ||
	       k == V_DUR || k == V_PERIOD || k == V_TEXT;
}

VKind op_result(int op, VKind a, int ua, const char *ca, VKind b, int ub, const char *cb,
		char *msg, size_t n)
{
	static const char *const verbs[] = { "add", "subtract", "multiply", "divide" };
	if (op == OP_AND || op == OP_OR) {
		if ((a == V_BOOL || a == V_ANY) && (b == V_BOOL || b == V_ANY))
			return V_BOOL;
		snprintf(msg, n, "'%s' needs true/false on both sides, not %s and %s",
			 op == OP_AND ? "and" : "or", vkind_name(a), vkind_name(b));
		return V_UNSET;
	}
	if (a == V_UNSET || b == V_UNSET) {
		if (op == OP_EQ || op == OP_NE)
			snprintf(msg, n, "compare with unset using 'is set' or 'is not set'");
		else
			snprintf(msg, n, "%s on an unset value", op >= OP_ADD ? "arithmetic" : "comparison");
		return V_UNSET;
	}
	if (a == V_MONEY && b == V_MONEY && ca && cb && ca[0] && cb[0] && !(ca[0] == cb[0] && ca[1] == cb[1] && ca[2] == cb[2])) {
		if (op >= OP_ADD)
			snprintf(msg, n, "cannot %s %s and %s; convert first with convert(amount, rate, \"%s\")",
				 verbs[op - OP_ADD], ca, cb, ca);
		else
			snprintf(msg, n, "cannot compare %s with %s; convert first with convert(amount, rate, \"%s\")",
				 ca, cb, ca);
		return V_UNSET;
	}
	if (a == V_ANY || b == V_ANY)
		return op >= OP_ADD ? V_ANY : V_BOOL;
	if (op >= OP_ADD) {
		VKind r = arith(op, a, ua, b, ub);
		if (r != V_UNSET)
			return r;
		if ((a == V_DATE && b == V_DUR && ub == U_BDAYS) || (a == V_DUR && ua == U_BDAYS && b == V_DATE))
			snprintf(msg, n, "business days depend on a calendar; use business_day(date, n, calendar)");
		else if (a == V_DUR && b == V_DUR)
			snprintf(msg, n, "cannot %s %s and %s", verbs[op - OP_ADD], unit_name((Unit)ua, 1), unit_name((Unit)ub, 1));
		else
			snprintf(msg, n, "cannot %s %s and %s", verbs[op - OP_ADD], vkind_name(a), vkind_name(b));
		return V_UNSET;
	}
	/* comparisons */
	int same = a == b || (a == V_TEXT && b == V_SYM) || (a == V_SYM && b == V_TEXT);
	if (same && a == V_DUR && ua != ub) {
		snprintf(msg, n, "cannot compare %s with %s", unit_name((Unit)ua, 1), unit_name((Unit)ub, 1));
		return V_UNSET;
	}
	if (same && (op == OP_EQ || op == OP_NE || orderable(a)))
		return V_BOOL;
	if (same)
		snprintf(msg, n, "%s values have no order", vkind_name(a));
	else
		snprintf(msg, n, "cannot compare %s with %s", vkind_name(a), vkind_name(b));
	return V_UNSET;
}
