/* value.c: naming and printing values. Money prints with at least its
 * currency's minor unit of places (more when the exact value has more:
 * nothing is rounded by printing). */
#include "value.h"

#include <stdio.h>
#include <string.h>

#include "model.h" /* a row's Shape, for value_keep */
#include "money.h"

const char *vkind_name(VKind k)
{
	static const char *const names[] = { "unset", "bool", "number", "percentage", "hours",
		"money", "date", "duration", "period", "text", "symbol", "list", "row", "any" };
	return names[k];
}

/* a, b and c one after the other in buf (at most n bytes with the NUL, as
 * snprintf would cut them): value_fmt makes group and memo keys per row. */
static void put(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	size_t len = 0;
	const char *parts[3] = { a, b, c };
	for (int i = 0; i < 3 && n; i++)
		for (const char *s = parts[i]; s && *s && len + 1 < n; s++)
			buf[len++] = *s;
	if (n)
		buf[len] = 0;
}

char *value_fmt(const Value *v, char *buf, size_t n)
{
	char t[DEC_BUFSZ], d[DATE_BUFSZ];
	switch (v->k) {
	case V_UNSET: put(buf, n, "unset", NULL, NULL); break;
	case V_BOOL: put(buf, n, v->b ? "true" : "false", NULL, NULL); break;
	case V_NUM: put(buf, n, dec_fmt(v->d, t), NULL, NULL); break;
	case V_PERCENT: put(buf, n, dec_fmt(v->d, t), "%", NULL); break;
	case V_HOURS: put(buf, n, hours_fmt(v->d, t), " hours", NULL); break;
	case V_MONEY: {
		char cur[5] = { ' ', v->cur[0], v->cur[1], v->cur[2], 0 };
		put(buf, n, money_fmt(v->d, cur + 1, t), cur, NULL);
		break;
	}
	case V_DATE: put(buf, n, date_fmt(v->date, d), NULL, NULL); break;
	case V_DUR: {
		long long c = 0;
		dec_to_ll(v->d, &c);
		snprintf(buf, n, "%s %s", dec_fmt(v->d, t), unit_name(v->unit, c != 1 && c != -1));
		break;
	}
	case V_PERIOD:
		if (v->pk == PER_MONTH)
			snprintf(buf, n, "%04d-%02d", v->year, v->idx);
		else if (v->pk == PER_QUARTER)
			snprintf(buf, n, "FY%04d-Q%d", v->year, v->idx);
		else
			snprintf(buf, n, "FY%04d", v->year);
		break;
	case V_TEXT: put(buf, n, v->s, NULL, NULL); break;
	case V_SYM: put(buf, n, v->s, NULL, NULL); break;
	case V_ROW:
		if (v->row)
			snprintf(buf, n, "%s %s", v->row->table, v->row->id);
		else
			snprintf(buf, n, "<row>");
		break;
	case V_ANY: snprintf(buf, n, "<any>"); break;
	case V_LIST: {
		size_t len = (size_t)snprintf(buf, n, "[");
		for (int i = 0; i < v->nitems && len < n; i++) {
			char item[256];
			value_fmt(&v->items[i], item, sizeof item);
			len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", item);
		}
		if (len < n)
			snprintf(buf + len, n - len, "]");
		break;
	}
	}
	return buf;
}

DecStatus value_dec(const Value *v, Dec *out)
{
	if (v->k == V_PERCENT)
		return dec_div(v->d, dec_from_int(100), out);
	*out = v->d;
	return DEC_OK;
}

Value value_keep(Arena *A, Value v)
{
	if ((v.k == V_TEXT || v.k == V_SYM) && v.s)
		v.s = arena_strndup(A, v.s, strlen(v.s));
	else if (v.k == V_LIST && v.nitems) {
		Value *items = arena_alloc(A, (size_t)v.nitems * sizeof *items);
		for (int i = 0; i < v.nitems; i++)
			items[i] = value_keep(A, v.items[i]);
		v.items = items;
	} else if (v.k == V_ROW && v.row) {
		Row *r = arena_alloc(A, sizeof *r);
		*r = *v.row;
		int n = r->shape->ncols;
		r->vals = arena_alloc(A, (size_t)(n ? n : 1) * sizeof(Value));
		for (int i = 0; i < n; i++)
			r->vals[i] = value_keep(A, v.row->vals[i]);
		r->table = arena_strndup(A, r->table, strlen(r->table));
		r->id = arena_strndup(A, r->id, strlen(r->id));
		v.row = r;
	}
	return v;
}
