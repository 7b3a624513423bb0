/* ops.h: what the operators mean on kinds of value. One table for the
 * checker (on types) and the evaluator (on values), so both always agree. */
#ifndef SOW_OPS_H
#define SOW_OPS_H

#include <stddef.h>

#include "value.h"

/* Kind of `a op b` (op: OP_ADD .. OP_DIV, OP_EQ .. OP_GE, OP_AND, OP_OR).
 * ua/ub: units of durations; ca/cb: currencies of money (NULL: unknown).
 * On an undefined combination returns V_UNSET and writes why into msg. */
VKind op_result(int op, VKind a, int ua, const char *ca, VKind b, int ub, const char *cb,
		char *msg, size_t n);

#endif
