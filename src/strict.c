/* strict.c: `sow check --strict`, warnings about rules that are legal but
 * probably not what their author meant.
 *
 * Runs after the checker has found no errors, over the whole tree:
 *   - a const, fn or rounding nothing uses; a rule's `let` nothing reads;
 *   - an import none of the file's names, SOWs or tests need;
 *   - a definition in a SOW file that replaces the library's without
 *     `override` (and `override` on one that replaces nothing is an error,
 *     checked by every `sow check`: see strict_overrides);
 *   - a machine without `initial`/`final` states, a state no initial state
 *     reaches, a state that is not final and has no way out, a guard that
 *     mentions nothing that can change (no field, table or as_of);
 *   - a multiplication or division of money or hours that reaches a money or
 *     hours column of an output without a named rounding (a `rounding`
 *     policy or round(..., mode: m)). The run's ledger tables (revenue,
 *     billing, forecast amounts, reporting_lines' amounts) are summed exactly
 *     and each total rounded once by the run, so their lines may carry more
 *     places.
 * Each is one located warning with a one-line reason. */
#include "strict.h"

#include <string.h>

#include "builtin.h"
#include "schema.h"

enum { MAX_LOCALS = 256, MAX_DEPTH = 64 };

typedef struct {
	const char *name;
	const Node *let;      /* the rule's let clause, or NULL (for, param) */
	bool used;
} Local;

typedef struct {
	Program *P;
	Module *mod;          /* whose names resolve first */
	Map used;             /* name of a definition -> (void *)1 */
	Local locals[MAX_LOCALS];
	int nlocals;
	PtrMap seen;          /* node -> 1: reported, or a body already walked */
} St;

#define WARN(S, m, loc, ...) diag_at((S)->P->D, (m)->src, (loc), DIAG_WARNING, __VA_ARGS__)

static Local *local(St *S, const char *name)
{
	for (int i = S->nlocals - 1; i >= 0; i--)
		if (strcmp(S->locals[i].name, name) == 0)
			return &S->locals[i];
	return NULL;
}

static void push(St *S, const char *name, const Node *let)
{
	if (name && S->nlocals < MAX_LOCALS)
		S->locals[S->nlocals++] = (Local){ name, let, false };
}

/* ---- uses ------------------------------------------------------------------ */

static void uses(St *S, const Node *e);

static void uses_list(St *S, const Node *e)
{
	for (; e; e = e->next)
		uses(S, e);
}

static void use_name(St *S, const char *name)
{
	Local *l = local(S, name);
	if (l)
		l->used = true;
	else if (program_lookup(S->P, S->mod, name))
		map_put(&S->used, name, (void *)1);
}

static void uses_query(St *S, const Node *q)
{
	int mark = S->nlocals;
	for (const Node *f = q->a; f; f = f->next) {
		uses(S, f->a);
		push(S, f->s, NULL);
	}
	uses_list(S, q->b);
	uses_list(S, q->c);
	uses_list(S, q->d);
	uses_list(S, q->e);
	uses_list(S, q->f);
	S->nlocals = mark;
}

static void uses(St *S, const Node *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case N_NAME: use_name(S, e->s); return;
	case N_CALL:
		use_name(S, e->s);
		uses_list(S, e->a);
		return;
	case N_SELECTQ: uses_query(S, e); return;
	case N_MEMBER: uses(S, e->a); return;
	case N_LET: uses(S, e->a); return; /* its c is the checker's memo, not a node */
	default:
		uses_list(S, e->a);
		uses_list(S, e->b);
		uses_list(S, e->c);
		uses_list(S, e->d);
		return;
	}
}

/* The lets of a rule nothing reads after them. */
static void uses_rule(St *S, const Node *r)
{
	int mark = S->nlocals;
	for (const Node *c = r->a; c; c = c->next) {
		switch (c->kind) {
		case N_FOR:
			uses(S, c->a);
			push(S, c->s, NULL);
			break;
		case N_LETC:
			uses(S, c->a);
			push(S, c->s, c);
			break;
		case N_EMIT:
			use_name(S, c->s);
			uses(S, c->a);
			break;
		default: uses(S, c->a); break;
		}
	}
	for (int i = mark; i < S->nlocals; i++)
		if (S->locals[i].let && !S->locals[i].used)
			WARN(S, S->mod, S->locals[i].let->loc, "let '%s' is never used in rule %s", S->locals[i].name, r->s);
	S->nlocals = mark;
}

static void uses_item(St *S, const Node *it)
{
	int mark = S->nlocals;
	switch (it->kind) {
	case N_FN:
		for (const Node *p = it->a; p; p = p->next)
			push(S, p->s, NULL);
		uses(S, it->b);
		break;
	case N_QUERY:
		for (const Node *p = it->a; p; p = p->next)
			push(S, p->s, NULL);
		uses(S, it->b);
		break;
	case N_LET: uses(S, it->a); break;
	case N_RULE: uses_rule(S, it); break;
	case N_MACHINE:
		push(S, it->s2, NULL);
		uses(S, it->b);
		for (const Node *t = it->a; t; t = t->next)
			uses(S, t->b);
		break;
	case N_SOW:
		for (const Node *c = it->a; c; c = c->next)
			if (c->kind == N_SOWROUND)
				use_name(S, c->s);
		break;
	case N_TEST:
		for (const Node *c = it->a; c; c = c->next) {
			if (c->kind == N_SOW)
				uses_item(S, c);
			else if (c->kind == N_EXPECT)
				uses(S, c->a);
			else if (c->kind == N_GIVEN || c->kind == N_EXPECTROW)
				uses_list(S, c->a);
		}
		break;
	default: break;
	}
	S->nlocals = mark;
}

/* A file needs its imports when it uses a name defined elsewhere, or has
 * SOWs or tests (the library's rules read their terms). */
static bool needs_imports(St *S, const Module *m)
{
	for (const Node *it = m->items; it; it = it->next)
		if (it->kind == N_SOW || it->kind == N_TEST)
			return true;
	for (size_t i = 0; i < S->used.cap; i++) {
		const char *name = S->used.keys[i];
		if (name && !map_get(&m->local, name))
			return true; /* approximate: used by some file, defined elsewhere */
	}
	return false;
}

static void unused(St *S)
{
	for (int mi = 0; mi < S->P->nmods; mi++) {
		S->mod = S->P->mods[mi];
		Map saved = S->used;
		S->used = (Map){ 0 };
		for (const Node *it = S->mod->items; it; it = it->next)
			uses_item(S, it);
		bool needs = needs_imports(S, S->mod);
		if (S->mod->user)
			for (const Node *it = S->mod->items; it; it = it->next)
				if (it->kind == N_IMPORT && !needs)
					WARN(S, S->mod, it->loc, "import \"%s\" is not needed: this file uses nothing it defines",
					     it->s);
		/* merge this file's uses into everyone's */
		for (size_t i = 0; i < S->used.cap; i++)
			if (S->used.keys[i])
				map_put(&saved, S->used.keys[i], (void *)1);
		map_free(&S->used);
		S->used = saved;
	}
	for (int mi = 0; mi < S->P->nmods; mi++) {
		const Module *m = S->P->mods[mi];
		if (!m->user)
			continue;
		for (const Node *it = m->items; it; it = it->next) {
			const char *what = it->kind == N_LET ? "const" : it->kind == N_FN ? "fn" : it->kind == N_ROUNDING ? "rounding" : NULL;
			if (what && !map_get(&S->used, it->s))
				WARN(S, m, it->loc, "%s '%s' is never used", what, it->s);
		}
	}
}

/* ---- overrides ---------------------------------------------------------------- */

static bool is_definition(NodeKind k)
{
	return k == N_LET || k == N_FN || k == N_ROUNDING || k == N_RELATION || k == N_ENUM || k == N_MACHINE ||
	       k == N_RULE || k == N_QUERY || k == N_CALENDAR;
}

/* The library's definition that m's item named name replaces, or NULL. */
static const Decl *replaced(const Program *P, const Module *m, const char *name)
{
	if (m->imported)
		return NULL; /* library files do not override each other */
	for (int i = 0; i < P->nmods; i++) {
		const Module *o = P->mods[i];
		const Decl *d = o != m && o->imported ? map_get(&o->local, name) : NULL;
		if (d)
			return d;
	}
	return NULL;
}

void strict_overrides(Program *P)
{
	for (int mi = 0; mi < P->nmods; mi++) {
		const Module *m = P->mods[mi];
		for (const Node *it = m->items; it; it = it->next)
			if (it->op == DEF_OVERRIDE && is_definition(it->kind) && it->s && !replaced(P, m, it->s))
				diag_at(P->D, m->src, it->loc, DIAG_ERROR,
					"'%s' is marked override, but no library definition of it is loaded", it->s);
	}
}

static void overrides(St *S)
{
	for (int mi = 0; mi < S->P->nmods; mi++) {
		const Module *m = S->P->mods[mi];
		for (const Node *it = m->items; it; it = it->next) {
			if (!is_definition(it->kind) || it->op == DEF_OVERRIDE || !it->s)
				continue;
			const Decl *lib = replaced(S->P, m, it->s);
			if (!lib)
				continue;
			int line, col;
			diag_linecol(lib->mod->src, lib->node->loc.beg, &line, &col);
			char where[256];
			snprintf(where, sizeof where, "%s:%d", lib->mod->src->path, line);
			WARN(S, m, it->loc, "'%s' replaces the library's definition (%s) without saying so; write 'override' if that is meant",
			     it->s, where);
		}
	}
}

/* ---- machines ---------------------------------------------------------------- */

typedef struct {
	const char *name[128];
	const Node *at[128];  /* first mention */
	bool initial[128], final[128], out[128], reached[128];
	int n;
} States;

static int state(States *s, const Node *at)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->name[i], at->s) == 0)
			return i;
	if (s->n == 128)
		return -1;
	s->name[s->n] = at->s;
	s->at[s->n] = at;
	return s->n++;
}

/* Does e (through the functions and consts it uses) read anything that can
 * change between runs: a field, a table, a query, as_of? */
static bool can_change(St *S, const Module *m, const Node *e, int depth)
{
	for (; e; e = e->next) {
		if (depth > MAX_DEPTH)
			return true;
		switch (e->kind) {
		case N_MEMBER: case N_INDEX: case N_SELECTQ: return true;
		case N_NAME: {
			if (strcmp(e->s, "as_of") == 0)
				return true;
			const Decl *d = program_lookup(S->P, m, e->s);
			if (d && d->kind == D_CONST && can_change(S, d->mod, d->node->a, depth + 1))
				return true;
			break;
		}
		case N_CALL: {
			const Decl *d = program_lookup(S->P, m, e->s);
			if (d && d->kind == D_FN && can_change(S, d->mod, d->node->b, depth + 1))
				return true;
			if (!d && (strcmp(e->s, "is_closed") == 0 || strcmp(e->s, "released_before") == 0))
				return true;
			break;
		}
		default: break;
		}
		if (e->kind != N_LET && (can_change(S, m, e->a, depth + 1) || can_change(S, m, e->b, depth + 1) ||
					 can_change(S, m, e->c, depth + 1) || can_change(S, m, e->d, depth + 1)))
			return true;
	}
	return false;
}

static void machine(St *S, const Module *m, const Node *it)
{
	States s = { 0 };
	bool has_initial = false, has_final = false;
	for (const Node *d = it->c; d; d = d->next)
		for (const Node *x = d->a; x; x = x->next) {
			int i = state(&s, x);
			if (i < 0)
				continue;
			if (strcmp(d->s, "initial") == 0)
				s.initial[i] = has_initial = true;
			else
				s.final[i] = has_final = true;
		}
	for (const Node *t = it->a; t; t = t->next) {
		for (const Node *f = t->a; f; f = f->next) {
			int i = state(&s, f);
			if (i >= 0)
				s.out[i] = true;
		}
		Node to = { .kind = N_STR, .loc = t->loc, .s = t->s };
		if (state(&s, &to) == s.n - 1 && s.at[s.n - 1] == &to)
			s.at[s.n - 1] = t; /* first mentioned as a target: point at its line */
		if (t->b && !can_change(S, m, t->b, 0))
			WARN(S, m, t->b->loc, "the guard of -> \"%s\" mentions no field, table or as_of: it never changes", t->s);
	}
	if (!has_initial || !has_final) {
		WARN(S, m, it->loc, "machine %s declares no %s states; write: %s \"...\"", it->s,
		     !has_initial ? "initial" : "final", !has_initial ? "initial" : "final");
		if (!has_initial)
			return;
	}
	/* reach from the initial states */
	for (int i = 0; i < s.n; i++)
		s.reached[i] = s.initial[i];
	for (bool more = true; more;) {
		more = false;
		for (const Node *t = it->a; t; t = t->next) {
			bool from = false;
			for (const Node *f = t->a; f && !from; f = f->next)
				for (int i = 0; i < s.n; i++)
					from |= s.reached[i] && strcmp(s.name[i], f->s) == 0;
			if (!from)
				continue;
			for (int i = 0; i < s.n; i++)
				if (!s.reached[i] && strcmp(s.name[i], t->s) == 0)
					s.reached[i] = more = true;
		}
	}
	for (int i = 0; i < s.n; i++) {
		if (!s.reached[i])
			WARN(S, m, s.at[i]->loc, "state \"%s\" of machine %s cannot be reached from an initial state",
			     s.name[i], it->s);
		if (has_final && !s.out[i] && !s.final[i])
			WARN(S, m, s.at[i]->loc, "state \"%s\" of machine %s has no way out and is not final", s.name[i],
			     it->s);
	}
}

/* ---- rounding ------------------------------------------------------------------ */

typedef struct {
	const Node *rule;     /* lets of this rule are followed */
	const char *column;   /* "billing.amount" */
} Flow;

/* `x * 3`, `x * 1 hour`: a whole multiple adds no places */
static bool integer_literal(const Node *e) { return (e->kind == N_NUM || e->kind == N_QTY) && !strchr(e->s, '.'); }

static void flows(St *S, const Module *m, const Node *e, const Flow *F, int depth);

static void flows_decl(St *S, const Decl *d, const Node *body, const Flow *F, int depth)
{
	flows(S, d->mod, body, F, depth + 1);
}

static void flows(St *S, const Module *m, const Node *e, const Flow *F, int depth)
{
	if (!e || depth > MAX_DEPTH)
		return;
	switch (e->kind) {
	case N_BIN:
		if (e->op == OP_MUL || e->op == OP_DIV) {
			if (!integer_literal(e->a) && !integer_literal(e->b) && !ptrmap_get(&S->seen, e)) {
				ptrmap_put(&S->seen, e, (void *)1);
				WARN(S, m, e->loc,
				     "this %s reaches %s unrounded: name the rounding (a `rounding` policy, or round(..., mode: m))",
				     e->op == OP_MUL ? "product" : "quotient", F->column);
			}
		} else if (e->op == OP_ADD || e->op == OP_SUB) {
			flows(S, m, e->a, F, depth + 1);
			flows(S, m, e->b, F, depth + 1);
		}
		return; /* comparisons and logic give no money */
	case N_NEG: flows(S, m, e->a, F, depth + 1); return;
	case N_IF:
		flows(S, m, e->b, F, depth + 1);
		flows(S, m, e->c, F, depth + 1);
		return;
	case N_NAME: {
		if (F->rule) {
			const Node *let = NULL;
			for (const Node *c = F->rule->a; c; c = c->next)
				if (c->kind == N_LETC && strcmp(c->s, e->s) == 0)
					let = c;
			if (let) {
				flows(S, m, let->a, F, depth + 1);
				return;
			}
		}
		const Decl *d = program_lookup(S->P, m, e->s);
		if (d && d->kind == D_CONST)
			flows_decl(S, d, d->node->a, F, depth);
		return;
	}
	case N_CALL: {
		const Decl *d = program_lookup(S->P, m, e->s);
		if (d && d->kind == D_ROUNDING)
			return;
		if (d && d->kind == D_FN) {
			Flow inner = { NULL, F->column }; /* the function's own names */
			flows_decl(S, d, d->node->b, &inner, depth);
			return;
		}
		if (!d && strcmp(e->s, "round") == 0)
			return;
		if (!d && strcmp(e->s, "convert") == 0 && !ptrmap_get(&S->seen, e)) {
			ptrmap_put(&S->seen, e, (void *)1);
			WARN(S, m, e->loc, "this conversion reaches %s unrounded: name the rounding (round(convert(...), mode: m))",
			     F->column);
			return;
		}
		for (const Node *a = e->a; a; a = a->next)
			flows(S, m, a->a, F, depth + 1);
		return;
	}
	case N_MEMBER: flows(S, m, e->a, F, depth + 1); return;
	case N_SELECTQ:
		for (const Node *i = e->d; i; i = i->next)
			flows(S, m, i->a, F, depth + 1);
		return;
	default: return;
	}
}

/* Lines `sow run` sums exactly and rounds once per total (SPEC 6.5, 8.3). */
static bool ledger_summed(const char *table, const char *col)
{
	if (strcmp(table, "reporting_lines") == 0)
		return strcmp(col, "amount") == 0 || strcmp(col, "reporting_amount") == 0;
	return strcmp(col, "amount") == 0 &&
	       (strcmp(table, "revenue") == 0 || strcmp(table, "billing") == 0 || strcmp(table, "forecast") == 0);
}

static void rounding(St *S, const Module *m, const Node *rule)
{
	for (const Node *c = rule->a; c; c = c->next) {
		if (c->kind != N_EMIT)
			continue;
		const Shape *sh = map_get(&S->P->shapes, c->s);
		if (!sh)
			continue;
		for (const Node *f = c->a->a; f; f = f->next) {
			int i = shape_col(sh, f->s);
			if (i < 0 || (sh->types[i].k != V_MONEY && sh->types[i].k != V_HOURS) || ledger_summed(c->s, f->s))
				continue;
			char column[256];
			snprintf(column, sizeof column, "%s.%s", c->s, f->s);
			Flow F = { rule, column };
			flows(S, m, f->a, &F, 0);
		}
	}
}

void strict_check(Program *P)
{
	St S = { .P = P };
	unused(&S);
	overrides(&S);
	for (int mi = 0; mi < P->nmods; mi++) {
		const Module *m = P->mods[mi];
		if (!m->user)
			continue;
		S.mod = P->mods[mi];
		for (const Node *it = m->items; it; it = it->next) {
			if (it->kind == N_MACHINE)
				machine(&S, m, it);
			else if (it->kind == N_RULE)
				rounding(&S, m, it);
		}
	}
	map_free(&S.used);
	ptrmap_free(&S.seen);
}
