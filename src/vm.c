/* vm.c: the interpreter of compiled units (ir.h), and their cache.
 *
 * A unit is compiled the first time its clauses run (compile.c) and kept
 * for the evaluator's life; one the compiler does not take is remembered
 * as such, and the walker runs it. Registers live on the C stack; a
 * unit's `let`s are also pushed on the evaluator's scope, as the walker
 * does, so that what is left to the walker sees them. */
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "ops.h"
#include "source.h"

/* What the VM did with one rule (--profile). */
typedef struct RuleVm {
	IrUnit *units;          /* compiled, in the order they were first run */
	IrUnit **tail;
	const char *why;      /* set: some of it ran on the walker, and why */
} RuleVm;

typedef struct Vm {
	const VmHost *host;   /* the rule runner's (the same on every call) */
	Arena *A;
	PtrMap units;         /* first clause (or filter expression) -> IrUnit*, or &none */
	PtrMap rules;         /* Decl* -> RuleVm* */
	IrUnit none;            /* not taken */
} Vm;

bool engine_parse(const char *s, int *out)
{
	if (strcmp(s, "vm") == 0)
		*out = ENGINE_VM;
	else if (strcmp(s, "walk") == 0)
		*out = ENGINE_WALK;
	else
		return false;
	return true;
}

static void vm_free(Eval *E)
{
	Vm *vm = E->vm;
	if (!vm)
		return;
	ptrmap_free(&vm->units);
	ptrmap_free(&vm->rules);
	arena_free(vm->A);
	free(vm);
	E->vm = NULL;
}

static RuleVm *rule_vm(Vm *vm, Decl *rule)
{
	RuleVm *r = ptrmap_get(&vm->rules, rule);
	if (!r) {
		r = arena_alloc(vm->A, sizeof *r);
		r->tail = &r->units;
		ptrmap_put(&vm->rules, rule, r);
	}
	return r;
}

/* The unit of rule's clauses from entry (or of the filter expression
 * entry of clause at), compiled on first use; NULL: the walker's. */
static Vm *vm_of(Eval *E)
{
	if (!E->vm) {
		E->vm = calloc(1, sizeof *E->vm);
		if (!E->vm)
			abort();
		E->vm->A = arena_new();
		E->vm_free = vm_free;
	}
	return E->vm;
}

static const IrUnit *unit_for(Eval *E, Decl *rule, Node *entry, bool expr, const Node *at)
{
	Vm *vm = E->vm;
	IrUnit *u = ptrmap_get(&vm->units, entry);
	if (u)
		return u == &vm->none ? NULL : u;
	const char *why;
	RuleVm *r = rule_vm(vm, rule);
	u = compile_unit(E, vm->host, vm->A, rule, entry, expr, at, &why);
	if (u) {
		*r->tail = u;
		r->tail = &u->next;
	} else if (!r->why) {
		r->why = why;
	}
	ptrmap_put(&vm->units, entry, u ? u : &vm->none);
	return u;
}

/* The outer bindings of u from the scope, into r; false when one is not
 * there (a binding the walker made otherwise: the walker goes on). */
static bool load(const Eval *E, const IrUnit *u, Value *r)
{
	for (int i = 0; i < u->nouter; i++) {
		const EScope *s = E->scope;
		while (s && s->name != u->outer[i].name)
			s = s->up;
		if (!s)
			return false;
		r[u->outer[i].reg] = s->v;
	}
	return true;
}

static bool exec(Eval *E, const IrUnit *u, int depth, const void *scan, Value *r, Value *result);

/* What the scan of a filter left to test, cond (not the whole condition),
 * into out: as a unit of its own. */
static bool eval_left(Eval *E, Decl *rule, const Node *clause, Node *cond, Value *out)
{
	const IrUnit *u = unit_for(E, rule, cond, true, clause);
	Value r[IR_MAX_REGS];
	if (!u || !load(E, u, r))
		return eval_expr(E, E->mod, cond, out);
	return exec(E, u, 0, NULL, r, out);
}

static Value vbool(bool b) { return (Value){ .k = V_BOOL, .b = b }; }

static bool exec(Eval *E, const IrUnit *u, int depth, const void *scan, Value *r, Value *result)
{
	EScope lets[IR_MAX_LETS];
	EScope *saved = E->scope;
	const Node *cond = NULL; /* the condition of the filter being tested */
	bool ok = true;
	for (int pc = 0;;) {
		const Instr *i = &u->code[pc++];
		Node *n = i->n;
		switch (i->op) {
		case I_LIT:
			if (n->aux) {
				if (!(ok = eval_step(E, n)))
					goto out;
				r[i->a] = *(const Value *)n->aux;
			} else if (!(ok = eval_expr(E, E->mod, n, &r[i->a]))) { /* parses it, once */
				goto out;
			}
			break;
		case I_KONST:
			if (n && !(ok = eval_step(E, n)))
				goto out;
			r[i->a] = i->k;
			break;
		case I_MOVE:
			if (n && !(ok = eval_step(E, n)))
				goto out;
			r[i->a] = r[i->b];
			break;
		case I_STEP:
			if (!(ok = eval_step(E, n)))
				goto out;
			break;
		case I_COL: {
			if (i->c && !(ok = eval_step(E, n) && eval_step(E, n->a)))
				goto out;
			const Value *base = &r[i->b];
			if (base->k == V_ROW && base->row->shape == n->aux && n->idx > 0)
				r[i->a] = base->row->vals[n->idx - 1];
			else if (!(ok = eval_member(E, n, base, &r[i->a])))
				goto out;
			break;
		}
		case I_BIN:
			if (!(ok = eval_binop(E, n, &r[i->b], &r[i->c], &r[i->a])))
				goto out;
			break;
		case I_NOT:
			if (r[i->b].k != V_BOOL) {
				ok = eval_fail(E, n->a, "'not' needs true or false, got %s", vkind_name(r[i->b].k));
				goto out;
			}
			r[i->a] = vbool(!r[i->b].b);
			break;
		case I_ISSET:
			r[i->a] = vbool((r[i->b].k != V_UNSET) != (n->op == 1));
			break;
		case I_NEEDBOOL:
			if (r[i->a].k != V_BOOL) {
				ok = eval_fail(E, n, "'%s' needs true or false, got %s", i->c ? op_text(i->c) : "if",
					       vkind_name(r[i->a].k));
				goto out;
			}
			break;
		case I_JUMPIF:
			if (r[i->a].b == (i->c != 0))
				pc = i->b;
			break;
		case I_JUMP:
			pc = i->b;
			break;
		case I_WALK:
			if (!(ok = eval_expr(E, E->mod, n, &r[i->a])))
				goto out;
			break;
		case I_WHERE: {
			Node *left = (Node *)source_left(E, scan, n);
			cond = left;
			if (!left) {
				r[i->a] = vbool(true); /* SQL tested it all */
				pc = i->b;
			} else if (left != n->a) {
				if (!(ok = eval_left(E, u->rule, n, left, &r[i->a])))
					goto out;
				pc = i->b;
			}
			break;
		}
		case I_TEST:
			if (r[i->a].k != V_BOOL) {
				ok = eval_fail(E, cond, "%s must be true or false, got %s", n->kind == N_WHERE ? "where" : "when",
					       vkind_name(r[i->a].k));
				goto out;
			}
			if (!r[i->a].b)
				goto out; /* this row is done */
			break;
		case I_LET:
			lets[i->b] = (EScope){ n->s, r[i->a], E->scope };
			E->scope = &lets[i->b];
			break;
		case I_ROW:
			E->rows_emitted++;
			break;
		case I_FIELD:
			if (!(ok = E->vm->host->emit_check(E, n, i->b, i->aux, &r[i->a])))
				goto out;
			break;
		case I_EMIT:
			if (!(ok = E->sink->emit(E->sink, E, n, i->aux, &r[i->a])))
				goto out;
			break;
		case I_FOR:
			ok = E->vm->host->for_clause(E, u->rule, n, depth);
			goto out;
		case I_RET:
			if (result)
				*result = r[i->a];
			goto out;
		}
	}
out:
	E->scope = saved;
	return ok;
}

bool vm_run(Eval *E, const VmHost *host, Decl *rule, Node *c, int depth, const void *scan, bool *ok)
{
	/* why traces the walk; coverage counts what the walker visits */
	if (E->engine != ENGINE_VM || !c || (E->sink && E->sink->tracing) || E->cov)
		return false;
	vm_of(E)->host = host;
	const IrUnit *u = unit_for(E, rule, c, false, NULL);
	Value r[IR_MAX_REGS];
	if (!u || !load(E, u, r))
		return false;
	*ok = exec(E, u, depth, scan, r, NULL);
	return true;
}

void vm_describe(Eval *E, const Decl *rule, char *engine, size_t n, char **listing)
{
	Vm *vm = E->vm;
	RuleVm *r = vm ? ptrmap_get(&vm->rules, rule) : NULL;
	const char *why = r ? r->why : NULL;
	if (E->engine != ENGINE_VM)
		why = "--engine=walk";
	else if (E->sink && E->sink->tracing)
		why = "why traces the walk";
	else if (E->cov)
		why = "coverage counts the walk";
	bool vm_ran = E->engine == ENGINE_VM && r && r->units;
	/* a rule none of whose rows reached its clauses compiled nothing */
	snprintf(engine, n, "%s", !why ? "vm" : vm_ran ? "vm+walk" : "walk");
	size_t size = 200;
	for (const IrUnit *u = vm_ran ? r->units : NULL; u; u = u->next)
		size += 160 + (size_t)u->n * 120;
	char *buf = malloc(size), *p = buf;
	if (!buf)
		abort();
	if (why)
		p += snprintf(p, size, "  walked: %s\n", why);
	else if (!vm_ran)
		p += snprintf(p, size, "  no row reached its clauses: nothing compiled\n");
	for (const IrUnit *u = vm_ran ? r->units : NULL; u; u = u->next) {
		compile_list(u, p, size - (size_t)(p - buf));
		p += strlen(p);
	}
	*listing = buf;
}
