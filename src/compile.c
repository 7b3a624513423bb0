/* compile.c: a rule's clauses (or one filter's condition) to a unit of
 * register code (ir.h).
 *
 * What the rules of rules/std do per row compiles to instructions:
 * literals, names bound by `for` and `let`, column loads by the index the
 * checker resolved, arithmetic and comparisons (eval_binop, so the rules
 * of arithmetic stay in one place), and/or/not with short-circuit, is
 * set, if/then/else. Anything else (calls, queries, aggregates, indexing)
 * is one I_WALK: the tree-walker evaluates that subtree, so every
 * expression compiles. Each node evaluated counts one step, in the walk's
 * order (a node before its operands), so that a step limit stops both
 * engines at the same node. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "ir.h"
#include "ops.h"
#include "vm.h"

typedef struct {
	const char *name;     /* as the binding spells it */
	int reg;
	bool used;
} Bind;

typedef struct {
	Eval *E;
	const VmHost *host;
	Arena *A;
	IrUnit *u;
	Bind env[64];         /* bindings visible, innermost last */
	int nenv;
	const char *why;      /* set: the unit is not taken */
} Comp;

static int emit_ins(Comp *C, IrOp op, int a, int b, int c, Node *n)
{
	IrUnit *u = C->u;
	if (u->n == u->cap) {
		int cap = u->cap ? u->cap * 2 : 32;
		u->code = arena_grow(C->A, u->code, (size_t)u->n, (size_t)cap, sizeof *u->code);
		u->cap = cap;
	}
	u->code[u->n] = (Instr){ op, a, b, c, n, { .k = V_UNSET }, NULL };
	return u->n++;
}

static int new_reg(Comp *C)
{
	if (C->u->nregs == IR_MAX_REGS) {
		C->why = "more than 160 registers";
		return 0;
	}
	return C->u->nregs++;
}

static void bind(Comp *C, const char *name, int reg)
{
	if (C->nenv == (int)(sizeof C->env / sizeof *C->env)) {
		C->why = "more than 64 bindings";
		return;
	}
	C->env[C->nenv++] = (Bind){ name, reg, false };
}

/* The register of a name bound by a `for` or `let` of this rule, or -1.
 * The innermost binding made with the very name the checker saw, as
 * eval.c's find_binding. */
static int bound(Comp *C, const Node *e)
{
	if (e->kind != N_NAME || e->op != NAME_VAR || !e->aux)
		return -1;
	for (int i = C->nenv; i-- > 0;)
		if (C->env[i].name == e->aux) {
			C->env[i].used = true;
			return C->env[i].reg;
		}
	return -1;
}

static bool literal(const Node *e)
{
	switch (e->kind) {
	case N_NUM: case N_PERCENT: case N_MONEY: case N_QTY: case N_DATE: case N_PERIOD: return true;
	default: return false;
	}
}

static void expr_into(Comp *C, Node *e, int dst);

/* e's value in a register: a bound name's own (one step), else a new one. */
static int expr(Comp *C, Node *e)
{
	int r = bound(C, e);
	if (r >= 0) {
		emit_ins(C, I_STEP, 0, 0, 0, e);
		return r;
	}
	r = new_reg(C);
	expr_into(C, e, r);
	return r;
}

static void expr_into(Comp *C, Node *e, int dst)
{
	int r;
	switch (e->kind) {
	case N_STR: case N_BOOL: case N_UNSET: {
		int i = emit_ins(C, I_KONST, dst, 0, 0, e);
		C->u->code[i].k = e->kind == N_STR ? (Value){ .k = V_TEXT, .s = e->s } :
				  e->kind == N_BOOL ? (Value){ .k = V_BOOL, .b = e->op } : (Value){ .k = V_UNSET };
		return;
	}
	case N_NAME:
		if ((r = bound(C, e)) >= 0)
			emit_ins(C, I_MOVE, dst, r, 0, e);
		else
			emit_ins(C, I_WALK, dst, 0, 0, e);
		return;
	case N_MEMBER:
		/* steps in the walk's order: the member, then its base */
		if ((r = bound(C, e->a)) >= 0) {
			emit_ins(C, I_COL, dst, r, 1, e);
		} else {
			emit_ins(C, I_STEP, 0, 0, 0, e);
			r = expr(C, e->a);
			emit_ins(C, I_COL, dst, r, 0, e);
		}
		return;
	case N_BIN:
		emit_ins(C, I_STEP, 0, 0, 0, e);
		if (e->op == OP_AND || e->op == OP_OR) {
			int a = expr(C, e->a);
			emit_ins(C, I_NEEDBOOL, a, 0, e->op, e->a);
			emit_ins(C, I_MOVE, dst, a, 0, NULL);
			int j = emit_ins(C, I_JUMPIF, a, 0, e->op == OP_OR, NULL);
			int b = expr(C, e->b);
			emit_ins(C, I_NEEDBOOL, b, 0, e->op, e->b);
			emit_ins(C, I_MOVE, dst, b, 0, NULL);
			C->u->code[j].b = C->u->n;
		} else {
			int a = expr(C, e->a), b = expr(C, e->b);
			emit_ins(C, I_BIN, dst, a, b, e);
		}
		return;
	case N_NOT:
		emit_ins(C, I_STEP, 0, 0, 0, e);
		r = expr(C, e->a);
		emit_ins(C, I_NOT, dst, r, 0, e);
		return;
	case N_ISSET:
		emit_ins(C, I_STEP, 0, 0, 0, e);
		r = expr(C, e->a);
		emit_ins(C, I_ISSET, dst, r, 0, e);
		return;
	case N_IF:
		if (e->b && e->c) {
			emit_ins(C, I_STEP, 0, 0, 0, e);
			r = expr(C, e->a);
			emit_ins(C, I_NEEDBOOL, r, 0, 0, e->a);
			int j = emit_ins(C, I_JUMPIF, r, 0, 0, NULL);
			expr_into(C, e->b, dst);
			int k = emit_ins(C, I_JUMP, 0, 0, 0, NULL);
			C->u->code[j].b = C->u->n;
			expr_into(C, e->c, dst);
			C->u->code[k].b = C->u->n;
			return;
		}
		break;
	default:
		if (literal(e)) {
			emit_ins(C, I_LIT, dst, 0, 0, e);
			return;
		}
		break;
	}
	emit_ins(C, I_WALK, dst, 0, 0, e);
}

/* The bindings of rule's clauses before `stop`, each in a register. */
static int outer(Comp *C, Decl *rule, const Node *stop)
{
	for (Node *c = rule->node->a; c && c != stop; c = c->next)
		if (c->kind == N_FOR || c->kind == N_LETC)
			bind(C, c->s, new_reg(C));
	return C->nenv;
}

/* ... those of the first n the unit reads, loaded on entry. */
static void load_outer(Comp *C, int n)
{
	IrUnit *u = C->u;
	u->outer = arena_alloc(C->A, (size_t)(n ? n : 1) * sizeof *u->outer);
	for (int i = 0; i < n; i++)
		if (C->env[i].used)
			u->outer[u->nouter++] = (IrOuter){ C->env[i].name, C->env[i].reg };
}

static void emit_clause(Comp *C, Node *c)
{
	Node *const *field;
	int n;
	const EmitTo *to = C->host->emit_to(C->E, c, &field, &n);
	int base = C->u->nregs;
	for (int i = 0; i < n; i++)
		new_reg(C);
	emit_ins(C, I_ROW, 0, 0, 0, c);
	for (int i = 0; i < n && !C->why; i++) {
		if (!field[i]) {
			emit_ins(C, I_KONST, base + i, 0, 0, NULL);
			continue;
		}
		expr_into(C, field[i]->a, base + i);
		int f = emit_ins(C, I_FIELD, base + i, i, 0, c);
		C->u->code[f].aux = field[i];
	}
	int i = emit_ins(C, I_EMIT, base, 0, 0, c);
	C->u->code[i].aux = to;
}

static void clauses(Comp *C, Node *c)
{
	for (; c && !C->why; c = c->next) {
		switch (c->kind) {
		case N_FOR:
			emit_ins(C, I_FOR, 0, 0, 0, c);
			return;
		case N_WHERE:
		case N_WHEN: {
			int r = new_reg(C);
			int w = emit_ins(C, I_WHERE, r, 0, 0, c);
			expr_into(C, c->a, r);
			C->u->code[w].b = emit_ins(C, I_TEST, r, 0, 0, c);
			break;
		}
		case N_LETC: {
			int r = new_reg(C);
			expr_into(C, c->a, r);
			if (C->u->nlets == IR_MAX_LETS) {
				C->why = "more than 16 lets between two fors";
				return;
			}
			emit_ins(C, I_LET, r, C->u->nlets++, 0, c);
			bind(C, c->s, r);
			break;
		}
		case N_EMIT:
			emit_clause(C, c);
			break;
		default:
			break;
		}
	}
	emit_ins(C, I_RET, 0, 0, 0, NULL);
}

IrUnit *compile_unit(Eval *E, const VmHost *host, Arena *A, Decl *rule, Node *entry, bool expr_only, const Node *at,
		     const char **why)
{
	Comp C = { .E = E, .host = host, .A = A };
	C.u = arena_alloc(A, sizeof *C.u);
	*C.u = (IrUnit){ .rule = rule, .entry = entry, .expr = expr_only };
	int n = outer(&C, rule, expr_only ? at : entry);
	if (expr_only) {
		int r = new_reg(&C);
		expr_into(&C, entry, r);
		emit_ins(&C, I_RET, r, 0, 0, NULL);
	} else {
		clauses(&C, entry);
	}
	load_outer(&C, n);
	*why = C.why;
	return C.why ? NULL : C.u;
}

/* ---- the listing ---------------------------------------------------------- */

static const char *const op_names[] = {
	[I_LIT] = "lit", [I_KONST] = "const", [I_MOVE] = "move", [I_STEP] = "step", [I_COL] = "col",
	[I_BIN] = "bin", [I_NOT] = "not", [I_ISSET] = "isset", [I_NEEDBOOL] = "needbool", [I_JUMPIF] = "jumpif",
	[I_JUMP] = "jump", [I_WALK] = "walk", [I_WHERE] = "where", [I_TEST] = "test", [I_LET] = "let",
	[I_ROW] = "row", [I_FIELD] = "field", [I_EMIT] = "emit", [I_FOR] = "for", [I_RET] = "ret",
};

/* What an instruction says about its node, briefly. */
static void operand(const IrUnit *u, const Instr *i, char *buf, size_t n)
{
	const Node *e = i->n;
	buf[0] = 0;
	switch (i->op) {
	case I_LIT: case I_KONST:
		snprintf(buf, n, e && e->kind == N_STR ? "r%d = \"%s\"" : "r%d = %s", i->a,
			 e && e->s ? e->s : e && e->kind == N_BOOL ? (e->op ? "true" : "false") : "unset");
		break;
	case I_MOVE: snprintf(buf, n, "r%d = r%d", i->a, i->b); break;
	case I_STEP: snprintf(buf, n, "%s", e->kind == N_NAME ? e->s : ""); break;
	case I_COL: snprintf(buf, n, "r%d = r%d.%s", i->a, i->b, e->s); break;
	case I_BIN: snprintf(buf, n, "r%d = r%d %s r%d", i->a, i->b, op_text(e->op), i->c); break;
	case I_NOT: snprintf(buf, n, "r%d = not r%d", i->a, i->b); break;
	case I_ISSET: snprintf(buf, n, "r%d = r%d is %sset", i->a, i->b, e->op == 1 ? "not " : ""); break;
	case I_NEEDBOOL: snprintf(buf, n, "r%d", i->a); break;
	case I_JUMPIF: snprintf(buf, n, "r%d %s -> %d", i->a, i->c ? "true" : "false", i->b); break;
	case I_JUMP: snprintf(buf, n, "-> %d", i->b); break;
	case I_WALK: snprintf(buf, n, "r%d = %s%s", i->a, e->kind == N_CALL ? e->s : e->kind == N_NAME ? e->s : "<expr>", e->kind == N_CALL ? "(...)" : ""); break;
	case I_WHERE: snprintf(buf, n, "r%d, left by the scan -> %d", i->a, i->b); break;
	case I_TEST: snprintf(buf, n, "r%d", i->a); break;
	case I_LET: snprintf(buf, n, "%s = r%d", e->s, i->a); break;
	case I_ROW: snprintf(buf, n, "%s", e->s); break;
	case I_FIELD: snprintf(buf, n, "%s[%d] = r%d", e->s, i->b, i->a); break;
	case I_EMIT: snprintf(buf, n, "%s r%d..", e->s, i->a); break;
	case I_FOR: snprintf(buf, n, "%s (scan)", e->s); break;
	case I_RET: if (u->expr) snprintf(buf, n, "r%d", i->a); break;
	}
}

void compile_list(const IrUnit *u, char *buf, size_t n)
{
	size_t len = 0;
	int line = 0, col;
	if (n)
		buf[0] = 0;
	if (u->entry)
		diag_linecol(u->rule->mod->src, u->entry->loc.beg, &line, &col);
	len += (size_t)snprintf(buf + len, n - len, "  %s %s at line %d: %d instructions, %d registers\n",
				u->expr ? "filter left by the scan" : "clauses", u->rule->name, line, u->n, u->nregs);
	for (int k = 0; k < u->n && len < n; k++) {
		const Instr *i = &u->code[k];
		char what[200];
		operand(u, i, what, sizeof what);
		line = 0;
		if (i->n)
			diag_linecol(u->rule->mod->src, i->n->loc.beg, &line, &col);
		char l[400];
		int m = line ? snprintf(l, sizeof l, "  %4d  %-8s %-40s line %d\n", k, op_names[i->op], what, line) :
			       snprintf(l, sizeof l, "  %4d  %-8s %s\n", k, op_names[i->op], what);
		if (len + (size_t)m >= n)
			break; /* cut at a line */
		memcpy(buf + len, l, (size_t)m + 1);
		len += (size_t)m;
	}
}
