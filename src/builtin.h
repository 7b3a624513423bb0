/* builtin.h: the built-in functions, as one table the checker, the
 * evaluator, the REPL's completion and the language reference share. Each
 * entry carries its name, arity, usage line and implementation; their
 * types are checked in check.c, by id. */
#ifndef SOW_BUILTIN_H
#define SOW_BUILTIN_H

#include <stdbool.h>

#include "value.h"

struct Eval;

typedef enum {
	B_BUSINESS_DAY, B_BUSINESS_DAYS_BETWEEN, B_PASSIVE_ACCEPTANCE_ON, B_IS_BUSINESS_DAY,
	B_ROUND, B_MONTH_END, B_MONTH_START, B_ADD_MONTHS, B_FISCAL_QUARTER, B_FISCAL_YEAR,
	B_PERIOD_OF, B_PERIOD_START, B_PERIOD_END, B_YEAR, B_MONTH, B_DAY, B_WEEKDAY,
	B_MINOR_UNIT, B_MONEY, B_CONVERT, B_CURRENCY, B_HOURS, B_NUMBER, B_TEXT, B_DATE,
	B_COALESCE, B_ABS, B_IS_CLOSED, B_RELEASED_BEFORE, B_FIRST, B_SIZE, B_WEEK_START, B_MIN, B_MAX, B_SUM, B_COUNT, B_ANY, B_ALL,
	B__COUNT
} BuiltinId;

/* One call being evaluated (builtin.c): the call node, and its positional
 * arguments evaluated, unless the function is lazy. */
struct BuiltinCall;
typedef bool (*BuiltinFn)(struct BuiltinCall *c, Value *out);

typedef struct {
	const char *name;
	int min_args, max_args;   /* positional arguments (max -1: any number) */
	const char *named;        /* named arguments it takes, comma-separated, or "" */
	int aggregate;            /* 1: sum/count/any/all; 2: min/max (aggregate with one argument) */
	const char *usage;        /* one line for .help and the reference */
	BuiltinFn eval;           /* the implementation */
	bool lazy;                /* evaluates its own arguments (round, coalesce) */
} Builtin;

extern const Builtin builtins[B__COUNT];
int builtin_find(const char *name);   /* BuiltinId or -1 */

/* Evaluate call e of built-in id. False on error (reported). */
bool builtin_call(struct Eval *E, Node *e, int id, Value *out);
/* round(x, to: step, mode: m) and rounding policies: xnode rounded to the
 * step tonode gives (NULL: money's minor unit); `round(a / b, ...)` divides
 * and rounds in one exact step. mode: the RoundMode + 1 the checker parsed
 * (a node's idx), or 0 to parse mode_name. */
bool builtin_round(struct Eval *E, Node *e, Node *xnode, Node *tonode, int mode, const char *mode_name, Value *out);

/* round()'s named arguments as the checker marks them (their N_ARG's op),
 * so that a call finds them without comparing names. */
enum { ARG_TO = 1, ARG_MODE };

#endif
