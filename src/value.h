/* value.h: run-time values of the sow language.
 *
 * A Value is small and passed by value. Money carries its currency; hours,
 * percentages and durations carry their unit, so "USD + EUR" and "date +
 * money" are caught when they happen (the checker catches them earlier
 * wherever types are known). Text points into an arena owned by whoever
 * evaluates. Nothing here is a binary floating-point number. */
#ifndef SOW_VALUE_H
#define SOW_VALUE_H

#include <stdbool.h>

#include "ast.h"
#include "date.h"
#include "decimal.h"

typedef enum {
	V_UNSET, V_BOOL, V_NUM, V_PERCENT, V_HOURS, V_MONEY, V_DATE, V_DUR,
	V_PERIOD, V_TEXT, V_SYM, V_LIST,
	V_ROW,              /* a row of a table or relation */
	V_ANY               /* type only: not known until run time */
} VKind;

typedef enum { PER_MONTH, PER_QUARTER, PER_YEAR } PeriodKind;

typedef struct Value Value;
struct Value {
	VKind k;
	Unit unit;          /* V_DUR: days, business days, weeks, months, years */
	char cur[4];        /* V_MONEY: ISO code */
	union {             /* one payload, by kind */
		Dec d;      /* V_NUM, V_HOURS, V_MONEY, V_DUR; V_PERCENT holds 21 for 21% */
		Date date;  /* V_DATE */
		bool b;     /* V_BOOL */
		struct {    /* V_PERIOD: month (year, idx 1..12), fiscal quarter
		             * (fiscal year, idx 1..4), fiscal year (year) */
			PeriodKind pk;
			int year, idx;
		};
		const char *s;  /* V_TEXT, V_SYM (symbol name) */
		struct {        /* V_LIST */
			const Value *items;
			int nitems;
		};
		const struct Row *row; /* V_ROW */
	};
};

struct Shape;

/* A row of a table, relation or query result, with where it came from. */
typedef struct Row {
	const struct Shape *shape;
	Value *vals;        /* one per column of shape */
	const char *table;  /* source, for messages ("time_entries") */
	const char *id;     /* its id or rowid as text, for messages */
	const struct SowRef *sow; /* a row of `sows`: the SOW it is, else NULL */
} Row;

const char *vkind_name(VKind k);
/* Text form, as `sow eval` prints it; writes into buf of size n. */
char *value_fmt(const Value *v, char *buf, size_t n);
/* The plain number inside a numeric value; a percentage as its fraction. */
DecStatus value_dec(const Value *v, Dec *out);

/* Copy a value so it outlives the row it came from (text, list items and
 * a row's values into A). */
Value value_keep(Arena *A, Value v);

#endif
