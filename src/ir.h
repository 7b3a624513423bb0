/* ir.h: a rule compiled to a plan (compile.c), run by the VM (vm.c).
 *
 * A rule's clauses between two `for`s are one unit: straight-line code
 * with forward jumps over numbered registers, each instruction carrying
 * the node it stands for (its file is the rule's, so messages and the
 * listing locate it). A `for` ends its unit: the scan stays with rules.c
 * and the source/plan layer, which enter the unit after it once per row.
 * A unit is entered with the bindings of the clauses before it (the rows
 * of the enclosing `for`s, earlier `let`s) taken from the evaluator's
 * scope, where `let` also leaves its value, so that what the compiler
 * leaves to the tree-walker (calls, queries, aggregates) sees them all. */
#ifndef SOW_IR_H
#define SOW_IR_H

#include "program.h"
#include "value.h"

typedef enum {
	I_LIT,      /* r[a] = the literal n (parsed once, by the walker) */
	I_KONST,    /* r[a] = k: text, true/false, unset */
	I_MOVE,     /* r[a] = r[b]; counts a step of n when n is set (a name) */
	I_STEP,     /* a step of n (a node whose value comes from others: before them) */
	I_COL,      /* r[a] = r[b].column n->s (c: also the steps of n and of its base, a name) */
	I_BIN,      /* r[a] = r[b] op r[c], as eval_binop */
	I_NOT,      /* r[a] = not r[b] */
	I_ISSET,    /* r[a] = r[b] is set (n->op 1: is not set) */
	I_NEEDBOOL, /* r[a] must be true or false: the operand n of operator c */
	I_JUMPIF,   /* go to b when r[a] is c (1 true, 0 false) */
	I_JUMP,     /* go to b */
	I_WALK,     /* r[a] = n evaluated by the tree-walker */
	I_WHERE,    /* filter clause n: what its scan left to test goes to r[a]; go to b to test it */
	I_TEST,     /* the filter n holds when r[a] is true, else this row is done */
	I_LET,      /* bind n's name to r[a] (in the evaluator's scope too) */
	I_ROW,      /* emit n begins: count the row */
	I_FIELD,    /* emit n: column b is r[a] (its kind checked) */
	I_EMIT,     /* emit n: the row r[a] .. r[a + columns - 1] to the sink */
	I_FOR,      /* the `for` n and the clauses after it, by rules.c */
	I_RET       /* the unit is done (an expression unit: its value in r[a]) */
} IrOp;

typedef struct Instr {
	IrOp op;
	int a, b, c;
	Node *n;
	Value k;              /* I_KONST */
	const void *aux;      /* I_EMIT: its EmitTo (vm.h) */
} Instr;

/* A binding visible on entry: the name as its binding spells it (the
 * checker's resolution of a name, compared by address) and its register. */
typedef struct IrOuter {
	const char *name;
	int reg;
} IrOuter;

typedef struct IrUnit {
	Decl *rule;
	Node *entry;          /* the first clause, or the expression of an expression unit */
	bool expr;            /* an expression unit (what a scan left of a filter) */
	Instr *code;
	int n, cap;
	int nregs;
	IrOuter *outer;       /* loaded from the scope on entry */
	int nouter;
	int nlets;            /* I_LETs: each needs a scope entry while the unit runs */
	struct IrUnit *next;    /* the rule's next unit (the listing) */
} IrUnit;

#define IR_MAX_REGS 160
#define IR_MAX_LETS 16

/* Compile the clauses of rule from entry (or, when expr is set, the
 * expression entry of the filter clause `at`) into a unit made in A.
 * NULL when the compiler does not take it; *why then says why. */
struct Eval;
struct VmHost;
IrUnit *compile_unit(struct Eval *E, const struct VmHost *host, Arena *A, Decl *rule, Node *entry, bool expr,
		     const Node *at, const char **why);
/* The unit's listing, one instruction a line with its source line, into
 * buf (at most n bytes, cut at a line). */
void compile_list(const IrUnit *u, char *buf, size_t n);

#endif
