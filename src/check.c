/* check.c: names, types, rule dependencies (a SOW block's own terms: terms.c).
 *
 * Walks every loaded file once. Expressions get a Type; an expression that
 * is wrong gets V_ANY so one mistake yields one message. Names resolve from
 * the innermost scope out: rule and query variables, then the file's own
 * definitions, then the library's, then enum symbols and built-ins. Rules
 * are ordered by the relations they read and emit; a cycle is an error. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "builtin.h"
#include "date.h"
#include "decimal.h"
#include "importmap.h"
#include "money.h"
#include "ops.h"
#include "schema.h"
#include "strict.h"
#include "terms.h"

typedef struct Scope {
	const char *name;
	Type t;
	struct Scope *up;
} Scope;

typedef struct {
	Program *P;
	Diag *D;
	Module *mod;          /* file being checked */
	Map *shapes;          /* relation name -> Shape* (the Program's) */
	Scope *scope;         /* innermost variable */
	int agg;              /* >0: aggregates allowed here (select of a grouped query) */
	int in_agg;           /* >0: inside an aggregate's argument */
	int depth;            /* expression nesting, bounded */
} Ck;

static const char *const weekday_names[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
static const char *const month_names[] = { "january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december" };
static const char *const type_names[] = { "text", "date", "number", "decimal", "int", "money", "hours",
	"percent", "bool", "period", "symbol" };
static const char *const round_modes[] = { "half_up", "half_even", "up", "down" };
const char *check_round_mode(int i)
{
	return i >= 0 && i < (int)(sizeof round_modes / sizeof *round_modes) ? round_modes[i] : NULL;
}

/* Columns `sow run` fills itself when a rule emits into an output table. */
static const char *const auto_columns[] = { "run_id", "rule", "period", "currency" };

static Type ty(VKind k) { return (Type){ .k = k, .unit = -1 }; }
static Type any(void) { return ty(V_ANY); }

#define ERR(C, loc, ...) diag_at((C)->D, (C)->mod->src, (loc), DIAG_ERROR, __VA_ARGS__)
#define WARN(C, loc, ...) diag_at((C)->D, (C)->mod->src, (loc), DIAG_WARNING, __VA_ARGS__)

static Type coltype(ColType c)
{
	switch (c) {
	case COL_TEXT: return ty(V_TEXT);
	case COL_DATE: return ty(V_DATE);
	case COL_DECIMAL: case COL_INT: return ty(V_NUM);
	case COL_HOURS: return ty(V_HOURS);
	case COL_MONEY: return ty(V_MONEY);
	case COL_BOOL: return ty(V_BOOL);
	case COL_PERIOD: return ty(V_PERIOD);
	}
	return any();
}

static Type typename_type(const char *name)
{
	static const VKind kinds[] = { V_TEXT, V_DATE, V_NUM, V_NUM, V_NUM, V_MONEY, V_HOURS, V_PERCENT,
		V_BOOL, V_PERIOD, V_SYM };
	for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
		if (strcmp(name, type_names[i]) == 0)
			return ty(kinds[i]);
	return any();
}

static Shape *new_shape(Ck *C, const char *name, int n, int source)
{
	Shape *s = arena_alloc(C->P->A, sizeof *s);
	s->name = name;
	s->ncols = n;
	s->cols = arena_alloc(C->P->A, (size_t)(n ? n : 1) * sizeof *s->cols);
	s->types = arena_alloc(C->P->A, (size_t)(n ? n : 1) * sizeof *s->types);
	s->source = source;
	return s;
}

/* The relations every program has: database tables and the SOW terms. */
static void builtin_shapes(Ck *C)
{
	if (C->shapes->len)
		return; /* made by an earlier check of this program */
	for (int i = 0; i < schema_ntables + schema_nviews; i++) {
		const TableDef *t = i < schema_ntables ? &schema_tables[i] : &schema_views[i - schema_ntables];
		Shape *s = new_shape(C, t->name, t->ncols, 0);
		s->table = t;
		s->idcol = t->id ? schema_column(t, t->id) : -1;
		s->curcol = schema_column(t, "currency");
		for (int c = 0; c < t->ncols; c++) {
			s->cols[c] = t->cols[c].name;
			s->types[c] = coltype(t->cols[c].type);
		}
		map_put(C->shapes, t->name, s);
	}
	static const struct { const char *name; const char *cols[10]; VKind kinds[10]; } sow[] = {
		{ "sows", { "id", "project_id", "customer", "currency", "calendar", "billing", "acceptance_days", "authorized_hours",
			    "po_required", NULL },
		  { V_TEXT, V_TEXT, V_TEXT, V_TEXT, V_TEXT, V_SYM, V_NUM, V_HOURS, V_BOOL } },
		/* a term an amendment gives has its effective date and id; the
		 * SOW's own have them unset */
		{ "sow_rates", { "sow_id", "project_id", "role", "rate", "effective_from", "amendment", NULL },
		  { V_TEXT, V_TEXT, V_TEXT, V_MONEY, V_DATE, V_TEXT } },
		{ "sow_milestones", { "sow_id", "project_id", "id", "name", "amount", "effective_from", "amendment", NULL },
		  { V_TEXT, V_TEXT, V_TEXT, V_TEXT, V_MONEY, V_DATE, V_TEXT } },
		{ "sow_trainings", { "sow_id", "project_id", "id", "course", "price", "effective_from", "amendment", NULL },
		  { V_TEXT, V_TEXT, V_TEXT, V_TEXT, V_MONEY, V_DATE, V_TEXT } },
		{ "sow_caps", { "sow_id", "project_id", "authorized_hours", "effective_from", "amendment", NULL },
		  { V_TEXT, V_TEXT, V_HOURS, V_DATE, V_TEXT } },
		{ "sow_amendments", { "sow_id", "project_id", "id", "effective_on", NULL }, { V_TEXT, V_TEXT, V_TEXT, V_DATE } },
	};
	for (size_t i = 0; i < sizeof sow / sizeof *sow; i++) {
		int n = 0;
		while (sow[i].cols[n])
			n++;
		Shape *s = new_shape(C, sow[i].name, n, 2);
		for (int c = 0; c < n; c++) {
			s->cols[c] = sow[i].cols[c];
			s->types[c] = ty(sow[i].kinds[c]);
		}
		map_put(C->shapes, sow[i].name, s);
	}
}

/* ---- scopes ---------------------------------------------------------- */

static void bind(Ck *C, const char *name, Type t)
{
	Scope *s = arena_alloc(C->P->A, sizeof *s);
	s->name = name;
	s->t = t;
	s->up = C->scope;
	C->scope = s;
}

static Scope *find_var(Ck *C, const char *name)
{
	for (Scope *s = C->scope; s; s = s->up)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* Candidates for "did you mean": variables, definitions, built-ins. */
static const char *suggest_name(Ck *C, const char *name)
{
	const char *cands[256];
	int n = 0;
	for (Scope *s = C->scope; s && n < 200; s = s->up)
		cands[n++] = s->name;
	for (size_t i = 0; i < C->P->decls.cap && n < 230; i++)
		if (C->P->decls.keys[i])
			cands[n++] = C->P->decls.keys[i];
	for (int i = 0; i < B__COUNT && n < 255; i++)
		cands[n++] = builtins[i].name;
	if (n < 256)
		cands[n++] = "as_of";
	return diag_suggest(name, cands, n);
}

static const char *suggest_relation(Ck *C, const char *name)
{
	const char *cands[256];
	int n = 0;
	for (size_t i = 0; i < C->shapes->cap && n < 256; i++)
		if (C->shapes->keys[i])
			cands[n++] = C->shapes->keys[i];
	return diag_suggest(name, cands, n);
}

static const Shape *find_shape(Ck *C, const char *name);

/* ---- expressions ----------------------------------------------------- */

static Type ck(Ck *C, Node *e);
static Type ck_query(Ck *C, Node *q, const Shape **out);

static Type ck_cond(Ck *C, Node *e, const char *what)
{
	Type t = ck(C, e);
	if (t.k != V_BOOL && t.k != V_ANY)
		ERR(C, e->loc, "%s must be true or false, not %s", what, vkind_name(t.k));
	return t;
}

static bool parse_step(const char *text, Dec *d) { return text && dec_parse(text, strlen(text), d) == DEC_OK; }

static Type ck_binop(Ck *C, Node *e)
{
	Type a = ck(C, e->a), b = ck(C, e->b);
	char msg[200];
	VKind r = op_result(e->op, a.k, a.unit, a.cur, b.k, b.unit, b.cur, msg, sizeof msg);
	if (r == V_UNSET) {
		ERR(C, e->loc, "%s", msg);
		return any();
	}
	Type t = ty(r);
	if (r == V_MONEY)
		t.cur = a.k == V_MONEY ? (a.cur ? a.cur : b.cur) : b.cur;
	if (r == V_DUR)
		t.unit = a.k == V_DUR ? a.unit : b.k == V_DUR ? b.unit : U_DAYS;
	if ((e->op == OP_DIV) && e->b->kind == N_NUM && e->b->s) {
		Dec z;
		if (parse_step(e->b->s, &z) && dec_sign(z) == 0)
			ERR(C, e->b->loc, "division by zero");
	}
	return t;
}

static Node *named_arg(Node *args, const char *name)
{
	for (Node *a = args; a; a = a->next)
		if (a->s && strcmp(a->s, name) == 0)
			return a;
	return NULL;
}

static bool is_kind(Type t, VKind k) { return t.k == k || t.k == V_ANY; }

static void want(Ck *C, Node *arg, Type t, VKind k, const char *fn, int pos)
{
	if (!is_kind(t, k) && !(k == V_NUM && t.k == V_PERCENT))
		ERR(C, arg->loc, "argument %d of %s must be %s, not %s", pos, fn, vkind_name(k), vkind_name(t.k));
}

static Type ck_builtin(Ck *C, Node *e, int id)
{
	const Builtin *b = &builtins[id];
	Node *pos[16];
	Type pt[16];
	int np = 0;
	bool agg = b->aggregate == 1 || (b->aggregate == 2 && e->a && !e->a->next);
	if (agg && !C->agg) {
		ERR(C, e->loc, "%s() sums up a group: use it in the select of a query (from ... select %s(...))",
		    b->name, b->name);
		return any();
	}
	if (agg && C->in_agg) {
		ERR(C, e->loc, "%s() inside another aggregate", b->name);
		return any();
	}
	if (agg && C->agg)
		C->in_agg++;
	for (Node *a = e->a; a; a = a->next) {
		if (a->s) {
			if (!*b->named || !strstr(b->named, a->s) || strlen(a->s) < 2) {
				ERR(C, a->loc, "%s() has no argument named '%s'%s%s", b->name, a->s,
				    *b->named ? "; it takes " : "", b->named);
			}
			continue;
		}
		if (np < 16) {
			pos[np] = a;
			pt[np] = ck(C, a->a);
		}
		np++;
	}
	if (agg && C->agg)
		C->in_agg--;
	if (np < b->min_args || (b->max_args >= 0 && np > b->max_args)) {
		if (b->min_args == b->max_args)
			ERR(C, e->loc, "%s() takes %d argument%s, not %d", b->name, b->min_args, b->min_args == 1 ? "" : "s", np);
		else
			ERR(C, e->loc, "%s() takes at least %d argument%s, not %d", b->name, b->min_args, b->min_args == 1 ? "" : "s", np);
		return any();
	}
	if (np > 16)
		np = 16;
	switch ((BuiltinId)id) {
	case B_BUSINESS_DAY:
	case B_PASSIVE_ACCEPTANCE_ON:
	case B_BUSINESS_DAYS_BETWEEN:
		want(C, pos[0]->a, pt[0], V_DATE, b->name, 1);
		if (id == B_BUSINESS_DAYS_BETWEEN)
			want(C, pos[1]->a, pt[1], V_DATE, b->name, 2);
		else if (!is_kind(pt[1], V_NUM) && !(pt[1].k == V_DUR && pt[1].unit == U_BDAYS))
			ERR(C, pos[1]->loc, "argument 2 of %s must be a number of business days, not %s", b->name, vkind_name(pt[1].k));
		want(C, pos[2]->a, pt[2], V_TEXT, b->name, 3);
		return ty(id == B_BUSINESS_DAYS_BETWEEN ? V_NUM : V_DATE);
	case B_IS_BUSINESS_DAY:
		want(C, pos[0]->a, pt[0], V_DATE, b->name, 1);
		want(C, pos[1]->a, pt[1], V_TEXT, b->name, 2);
		return ty(V_BOOL);
	case B_ROUND: {
		Node *to = named_arg(e->a, "to"), *mode = named_arg(e->a, "mode");
		Type x = pt[0];
		if (x.k != V_ANY && x.k != V_NUM && x.k != V_MONEY && x.k != V_HOURS && x.k != V_PERCENT)
			ERR(C, pos[0]->loc, "round() needs a number, money or hours, not %s", vkind_name(x.k));
		if (to) {
			Type st = ck(C, to->a);
			Dec d;
			if (!is_kind(st, V_NUM) && st.k != x.k && st.k != V_HOURS && st.k != V_MONEY)
				ERR(C, to->a->loc, "round(to:) must be a number, not %s", vkind_name(st.k));
			else if (to->a->kind == N_NUM && parse_step(to->a->s, &d) && dec_sign(d) <= 0)
				ERR(C, to->a->loc, "round(to:) must be greater than zero");
		} else if (x.k != V_MONEY && x.k != V_ANY) {
			ERR(C, e->loc, "round() of %s needs to: (the step, e.g. to: 0.25)", vkind_name(x.k));
		}
		RoundMode m;
		if (!mode) {
			ERR(C, e->loc, "round() needs mode: (half_up, half_even, up or down): every rounding is named");
		} else if (mode->a->kind != N_NAME || !diag_suggest(mode->a->s, round_modes, 4) ||
			   strcmp(diag_suggest(mode->a->s, round_modes, 4), mode->a->s) != 0) {
			const char *s = mode->a->kind == N_NAME ? diag_suggest(mode->a->s, round_modes, 4) : NULL;
			ERR(C, mode->a->loc, "unknown rounding mode%s%s%s (half_up, half_even, up, down)",
			    s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		} else if (round_mode_parse(mode->a->s, &m)) {
			mode->a->idx = (int)m + 1; /* parsed once: the evaluator reads it */
		}
		/* the evaluator finds them by these marks, not by name */
		if (to)
			to->op = ARG_TO;
		if (mode)
			mode->op = ARG_MODE;
		return x;
	}
	case B_MONTH_END: case B_MONTH_START: case B_FISCAL_QUARTER: case B_FISCAL_YEAR: case B_PERIOD_OF:
	case B_YEAR: case B_MONTH: case B_DAY: case B_WEEKDAY:
		want(C, pos[0]->a, pt[0], V_DATE, b->name, 1);
		if (id == B_MONTH_END || id == B_MONTH_START)
			return ty(V_DATE);
		if (id == B_WEEKDAY)
			return ty(V_TEXT);
		return ty(id <= B_PERIOD_OF ? V_PERIOD : V_NUM);
	case B_ADD_MONTHS:
		want(C, pos[0]->a, pt[0], V_DATE, b->name, 1);
		want(C, pos[1]->a, pt[1], V_NUM, b->name, 2);
		return ty(V_DATE);
	case B_PERIOD_START: case B_PERIOD_END:
		want(C, pos[0]->a, pt[0], V_PERIOD, b->name, 1);
		return ty(V_DATE);
	case B_FIRST: {
		if (!is_kind(pt[0], V_LIST))
			ERR(C, pos[0]->loc, "first() takes a query or a list, not %s", vkind_name(pt[0].k));
		Type t = ty(V_ROW);
		t.row = pos[0]->a->kind == N_SELECTQ ? pos[0]->a->aux : NULL;
		return t.row ? t : any();
	}
	case B_SIZE:
		if (!is_kind(pt[0], V_LIST))
			ERR(C, pos[0]->loc, "size() takes a query or a list, not %s", vkind_name(pt[0].k));
		return ty(V_NUM);
	case B_WEEK_START:
		want(C, pos[0]->a, pt[0], V_DATE, b->name, 1);
		return ty(V_DATE);
	case B_IS_CLOSED:
		want(C, pos[0]->a, pt[0], V_PERIOD, b->name, 1);
		return ty(V_BOOL);
	case B_RELEASED_BEFORE:
		want(C, pos[0]->a, pt[0], V_TEXT, b->name, 1);
		want(C, pos[1]->a, pt[1], V_TEXT, b->name, 2);
		return ty(V_BOOL);
	case B_MINOR_UNIT:
		want(C, pos[0]->a, pt[0], V_TEXT, b->name, 1);
		return ty(V_NUM);
	case B_MONEY: case B_CONVERT: {
		int last = id == B_MONEY ? 1 : 2;
		if (id == B_MONEY)
			want(C, pos[0]->a, pt[0], V_NUM, b->name, 1);
		else {
			want(C, pos[0]->a, pt[0], V_MONEY, b->name, 1);
			want(C, pos[1]->a, pt[1], V_NUM, b->name, 2);
		}
		want(C, pos[last]->a, pt[last], V_TEXT, b->name, last + 1);
		Type t = ty(V_MONEY);
		Node *code = pos[last]->a;
		if (code->kind == N_STR) {
			if (!money_is_currency(code->s))
				ERR(C, code->loc, "unknown currency \"%s\" (an ISO 4217 code such as USD or EUR)", code->s);
			else
				t.cur = code->s;
		}
		return t;
	}
	case B_CURRENCY:
		want(C, pos[0]->a, pt[0], V_MONEY, b->name, 1);
		return ty(V_TEXT);
	case B_HOURS:
		want(C, pos[0]->a, pt[0], V_NUM, b->name, 1);
		return ty(V_HOURS);
	case B_NUMBER:
		return ty(V_NUM);
	case B_TEXT:
		return ty(V_TEXT);
	case B_DATE:
		want(C, pos[0]->a, pt[0], V_TEXT, b->name, 1);
		return ty(V_DATE);
	case B_COALESCE: {
		Type t = pt[0];
		for (int i = 1; i < np; i++) {
			if (t.k == V_ANY || t.k == V_UNSET)
				t = pt[i];
			else if (pt[i].k != V_ANY && pt[i].k != V_UNSET && pt[i].k != t.k)
				ERR(C, pos[i]->loc, "coalesce() arguments must have one type: %s and %s", vkind_name(t.k), vkind_name(pt[i].k));
		}
		return t;
	}
	case B_ABS:
		if (pt[0].k != V_ANY && pt[0].k != V_NUM && pt[0].k != V_MONEY && pt[0].k != V_HOURS && pt[0].k != V_PERCENT)
			ERR(C, pos[0]->loc, "abs() needs a number, money or hours, not %s", vkind_name(pt[0].k));
		return pt[0];
	case B_MIN: case B_MAX: {
		Type t = pt[0];
		char msg[200];
		for (int i = 1; i < np; i++)
			if (op_result(OP_LT, t.k, t.unit, t.cur, pt[i].k, pt[i].unit, pt[i].cur, msg, sizeof msg) == V_UNSET)
				ERR(C, pos[i]->loc, "%s", msg);
		if (np == 1 && t.k != V_ANY && op_result(OP_LT, t.k, t.unit, t.cur, t.k, t.unit, t.cur, msg, sizeof msg) == V_UNSET)
			ERR(C, pos[0]->loc, "%s", msg);
		return t;
	}
	case B_SUM:
		if (pt[0].k != V_ANY && pt[0].k != V_NUM && pt[0].k != V_MONEY && pt[0].k != V_HOURS && pt[0].k != V_PERCENT)
			ERR(C, pos[0]->loc, "sum() needs numbers, money or hours, not %s", vkind_name(pt[0].k));
		return pt[0];
	case B_COUNT:
		return ty(V_NUM);
	case B_ANY: case B_ALL:
		want(C, pos[0]->a, pt[0], V_BOOL, b->name, 1);
		return ty(V_BOOL);
	case B__COUNT:
		break;
	}
	return any();
}

static Type ck_decl_value(Ck *C, Decl *d, Node *use);

static Type ck_call(Ck *C, Node *e)
{
	Decl *d = program_lookup(C->P, C->mod, e->s);
	int id = builtin_find(e->s);
	if (!d && id >= 0) {
		e->op = id + 1; /* the evaluator skips the name search */
		return ck_builtin(C, e, id);
	}
	if (!d) {
		const char *s = suggest_name(C, e->s);
		ERR(C, e->loc, "unknown function '%s'%s%s%s", e->s, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		for (Node *a = e->a; a; a = a->next)
			ck(C, a->a);
		return any();
	}
	int nargs = 0;
	for (Node *a = e->a; a; a = a->next) {
		if (a->s)
			ERR(C, a->loc, "'%s' takes no named arguments", e->s);
		ck(C, a->a);
		nargs++;
	}
	if (d->kind == D_FN) {
		int np = 0;
		for (Node *p = d->node->a; p; p = p->next)
			np++;
		if (np != nargs) {
			ERR(C, e->loc, "%s() takes %d argument%s, not %d", e->s, np, np == 1 ? "" : "s", nargs);
			return any();
		}
		return ck_decl_value(C, d, e);
	}
	if (d->kind == D_ROUNDING) {
		if (nargs != 1) {
			ERR(C, e->loc, "rounding %s takes 1 argument, not %d", e->s, nargs);
			return any();
		}
		return ck(C, e->a->a);
	}
	ERR(C, e->loc, "'%s' is a %s, not a function", e->s, decl_kind_name(d->kind));
	return any();
}

/* Type of a const or the result of a fn; finds recursive definitions. */
static Type ck_decl_value(Ck *C, Decl *d, Node *use)
{
	if (d->visiting == 1) {
		ERR(C, use->loc, "'%s' is defined in terms of itself", d->name);
		return any();
	}
	if (d->visiting == 2 && d->kind == D_FN)
		return any();
	Module *saved = C->mod;
	Scope *saved_scope = C->scope;
	int saved_agg = C->agg;
	C->mod = d->mod;
	C->scope = NULL;
	C->agg = 0;
	d->visiting = 1;
	Type t;
	if (d->kind == D_FN) {
		for (Node *p = d->node->a; p; p = p->next)
			bind(C, p->s, any());
		ck(C, d->node->b);
		t = any(); /* parameters are untyped: the result is known at run time */
	} else {
		t = ck(C, d->node->a);
	}
	d->visiting = 2;
	C->mod = saved;
	C->scope = saved_scope;
	C->agg = saved_agg;
	return t;
}

static Type ck_name(Ck *C, Node *e)
{
	/* resolved here once, so that evaluating a name compares no text */
	Scope *s = find_var(C, e->s);
	if (s) {
		e->op = NAME_VAR;
		e->aux = (void *)s->name;
		return s->t;
	}
	if (strcmp(e->s, "as_of") == 0) {
		e->op = NAME_AS_OF;
		return ty(V_DATE);
	}
	if (strcmp(e->s, "run_id") == 0) {
		e->op = NAME_RUN_ID;
		return ty(V_NUM);
	}
	Decl *d = program_lookup(C->P, C->mod, e->s);
	if (d) {
		if (d->kind == D_CONST) {
			e->op = NAME_CONST;
			if (d->visiting == 2 && d->node->c)
				return *(Type *)d->node->c;
			Type t = ck_decl_value(C, d, e);
			Type *keep = arena_alloc(C->P->A, sizeof *keep);
			*keep = t;
			if (d->visiting == 2)
				d->node->c = (Node *)keep; /* memo: the type, stored beside the tree */
			return t;
		}
		if (d->kind == D_FN || d->kind == D_ROUNDING)
			ERR(C, e->loc, "'%s' is a function; call it: %s(...)", e->s, e->s);
		else if (d->kind == D_RELATION || d->kind == D_QUERY)
			ERR(C, e->loc, "'%s' is a %s of rows; read it with: for x in %s, or from %s", e->s,
			    decl_kind_name(d->kind), e->s, e->s);
		else
			ERR(C, e->loc, "'%s' is a %s, not a value", e->s, decl_kind_name(d->kind));
		return any();
	}
	Decl *en = map_get(&C->P->enum_member, e->s);
	if (en) {
		e->op = NAME_SYM;
		Type t = ty(V_SYM);
		t.enm = en->name;
		return t;
	}
	if (find_shape(C, e->s)) {
		ERR(C, e->loc, "'%s' is a table; read it with: for x in %s, or from %s", e->s, e->s, e->s);
		return any();
	}
	if (builtin_find(e->s) >= 0) {
		ERR(C, e->loc, "'%s' is a built-in function; call it: %s(...)", e->s, e->s);
		return any();
	}
	const char *sug = suggest_name(C, e->s);
	ERR(C, e->loc, "unknown name '%s'%s%s%s", e->s, sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
	return any();
}

static Type ck_member(Ck *C, Node *e)
{
	Type base = ck(C, e->a);
	if (base.k == V_ANY)
		return any();
	if (base.k != V_ROW || !base.row) {
		ERR(C, e->loc, "'.%s': %s has no fields", e->s, vkind_name(base.k));
		return any();
	}
	int i = shape_col(base.row, e->s);
	if (i < 0) {
		const char *s = diag_suggest(e->s, base.row->cols, base.row->ncols);
		Loc l = { e->loc.end - (int)strlen(e->s), e->loc.end };
		ERR(C, l, "%s has no column '%s'%s%s%s", base.row->name, e->s, s ? "; did you mean '" : "",
		    s ? s : "", s ? "'?" : "");
		return any();
	}
	e->idx = i + 1;
	e->aux = (void *)base.row;
	return base.row->types[i];
}

static Type ck(Ck *C, Node *e)
{
	if (!e)
		return any();
	if (++C->depth > 1000) {
		if (C->depth == 1001)
			ERR(C, e->loc, "expression nested too deeply");
		C->depth--;
		return any();
	}
	Type t = any();
	Dec d;
	switch (e->kind) {
	case N_NUM:
		t = ty(V_NUM);
		if (dec_parse(e->s, strlen(e->s), &d) != DEC_OK)
			ERR(C, e->loc, "number out of range (at most 38 digits, 24 after the point)");
		break;
	case N_PERCENT:
		t = ty(V_PERCENT);
		break;
	case N_QTY:
		t = e->op == U_HOURS ? ty(V_HOURS) : ty(V_DUR);
		if (e->op != U_HOURS) {
			t.unit = e->op;
			if (dec_parse(e->s, strlen(e->s), &d) == DEC_OK && !dec_is_int(d))
				ERR(C, e->loc, "a number of %s must be whole", unit_name((Unit)e->op, 1));
		}
		break;
	case N_MONEY:
		t = ty(V_MONEY);
		if (!money_is_currency(e->s2)) {
			Loc l = { e->loc.end - 3, e->loc.end };
			ERR(C, l, "unknown currency '%s' (an ISO 4217 code such as USD or EUR)", e->s2);
		} else {
			t.cur = e->s2; /* more places than the minor unit are fine: only totals are rounded */
		}
		break;
	case N_STR: t = ty(V_TEXT); break;
	case N_DATE: t = ty(V_DATE); break;
	case N_PERIOD: t = ty(V_PERIOD); break;
	case N_BOOL: t = ty(V_BOOL); break;
	case N_UNSET: t = ty(V_UNSET); break;
	case N_NAME: t = ck_name(C, e); break;
	case N_BIN: t = ck_binop(C, e); break;
	case N_NOT:
		ck_cond(C, e->a, "the operand of 'not'");
		t = ty(V_BOOL);
		break;
	case N_NEG: {
		Type a = ck(C, e->a);
		if (a.k != V_ANY && a.k != V_NUM && a.k != V_MONEY && a.k != V_HOURS && a.k != V_PERCENT && a.k != V_DUR)
			ERR(C, e->loc, "cannot negate %s", vkind_name(a.k));
		t = a;
		break;
	}
	case N_ISSET:
		ck(C, e->a);
		t = ty(V_BOOL);
		break;
	case N_IN: {
		Type a = ck(C, e->a);
		char msg[200];
		if (e->b->kind == N_LIST) {
			for (Node *x = e->b->a; x; x = x->next) {
				Type b = ck(C, x);
				if (op_result(OP_EQ, a.k, a.unit, a.cur, b.k, b.unit, b.cur, msg, sizeof msg) == V_UNSET)
					ERR(C, x->loc, "%s", msg);
			}
		} else {
			Type b = ck(C, e->b);
			if (b.k != V_LIST && b.k != V_ANY)
				ERR(C, e->b->loc, "'in' needs a list, like [\"NL\", \"BE\"], not %s", vkind_name(b.k));
		}
		t = ty(V_BOOL);
		break;
	}
	case N_CALL: t = ck_call(C, e); break;
	case N_MEMBER: t = ck_member(C, e); break;
	case N_INDEX: {
		/* table["id"]: the row with that id */
		if (e->a->kind == N_NAME && !find_var(C, e->a->s) && find_shape(C, e->a->s)) {
			const Shape *s = find_shape(C, e->a->s);
			const TableDef *td = s->table;
			e->aux = (void *)s; /* the table, found once */
			Type k = ck(C, e->b);
			if (!td || !td->id || strcmp(td->id, "id") != 0)
				ERR(C, e->loc, "%s has no id column to look a row up by", s->name);
			else if (k.k != V_ANY && k.k != V_TEXT && k.k != V_NUM)
				ERR(C, e->b->loc, "a row id is text, not %s", vkind_name(k.k));
			t = ty(V_ROW);
			t.row = s;
		} else {
			Type a = ck(C, e->a);
			ck(C, e->b);
			if (a.k != V_LIST && a.k != V_ANY)
				ERR(C, e->loc, "only a list or a table can be indexed, not %s", vkind_name(a.k));
		}
		break;
	}
	case N_IF: {
		ck_cond(C, e->a, "the condition of 'if'");
		Type a = ck(C, e->b), b = ck(C, e->c);
		if (a.k != V_ANY && b.k != V_ANY && a.k != b.k && a.k != V_UNSET && b.k != V_UNSET)
			ERR(C, e->loc, "the branches of 'if' differ: %s and %s", vkind_name(a.k), vkind_name(b.k));
		/* unset says nothing about the other branch's type: a branch of
		 * unknown type stays unknown, not unset */
		t = a.k == V_UNSET || (a.k == V_ANY && b.k != V_UNSET) ? b : a;
		break;
	}
	case N_LIST: {
		Type first = any();
		for (Node *x = e->a; x; x = x->next) {
			Type xt = ck(C, x);
			if (first.k == V_ANY)
				first = xt;
			else if (xt.k != V_ANY && xt.k != first.k)
				ERR(C, x->loc, "a list holds one type: %s and %s", vkind_name(first.k), vkind_name(xt.k));
		}
		t = ty(V_LIST);
		break;
	}
	case N_RECORD:
		for (Node *f = e->a; f; f = f->next)
			ck(C, f->a);
		ERR(C, e->loc, "a record { ... } is only used after emit, given or expect");
		break;
	case N_SELECTQ: {
		const Shape *s;
		t = ck_query(C, e, &s);
		break;
	}
	case N_ERROR:
		break;
	default:
		ERR(C, e->loc, "not an expression");
		break;
	}
	C->depth--;
	return t;
}

/* ---- relations and queries ------------------------------------------- */

static Shape *relation_shape(Ck *C, Decl *d)
{
	Node *r = d->node;
	int n = 0;
	for (Node *c = r->a; c; c = c->next)
		n++;
	Shape *s = new_shape(C, d->name, n, 1);
	int i = 0;
	for (Node *c = r->a; c; c = c->next, i++) {
		s->cols[i] = c->s;
		s->types[i] = typename_type(c->s2);
	}
	return s;
}

static const Shape *find_shape(Ck *C, const char *name)
{
	Shape *s = map_get(C->shapes, name);
	if (s)
		return s;
	Decl *d = map_get(&C->P->decls, name);
	if (d && d->kind == D_RELATION) {
		s = relation_shape(C, d);
		map_put(C->shapes, name, s);
		return s;
	}
	return NULL;
}

/* Shape of a `for`/`from` source: a table, relation, query call, or query. */
static const Shape *ck_source(Ck *C, Node *src)
{
	if (src->kind == N_SELECTQ) {
		const Shape *s = NULL;
		ck_query(C, src, &s);
		return s;
	}
	const char *name = src->s;
	Decl *d = program_lookup(C->P, C->mod, name);
	if (d && d->kind == D_QUERY) {
		int np = 0, na = 0;
		for (Node *p = d->node->a; p; p = p->next)
			np++;
		for (Node *a = src->kind == N_CALL ? src->a : NULL; a; a = a->next, na++)
			ck(C, a->a);
		if (np != na) {
			ERR(C, src->loc, "query %s takes %d argument%s, not %d", name, np, np == 1 ? "" : "s", na);
			return NULL;
		}
		if (d->visiting == 1) {
			ERR(C, src->loc, "query '%s' reads itself", name);
			return NULL;
		}
		Module *sm = C->mod;
		Scope *ss = C->scope;
		int sa = C->agg;
		C->mod = d->mod;
		C->scope = NULL;
		C->agg = 0;
		for (Node *p = d->node->a; p; p = p->next)
			bind(C, p->s, any());
		d->visiting = 1;
		const Shape *s = NULL;
		ck_query(C, d->node->b, &s);
		d->visiting = 2;
		C->mod = sm;
		C->scope = ss;
		C->agg = sa;
		return s;
	}
	if (src->kind == N_CALL && !d && strcmp(name, "earlier") == 0) {
		/* earlier(TABLE): an output table's rows of earlier runs */
		const Node *a = src->a && !src->a->next ? src->a->a : NULL;
		const TableDef *t = a && a->kind == N_NAME ? schema_table(a->s) : NULL;
		if (!t || !t->output || schema_column(t, "run_id") < 0) {
			ERR(C, src->loc, "earlier() takes one output table that rules emit into (revenue, billing, invoice_drafts, ...)");
			return NULL;
		}
		return find_shape(C, a->s);
	}
	if (src->kind == N_CALL) {
		ERR(C, src->loc, "'%s' is not a query that takes arguments", name);
		return NULL;
	}
	const Shape *s = find_shape(C, name);
	if (!s) {
		const char *sug = suggest_relation(C, name);
		ERR(C, src->loc, "unknown table or relation '%s'%s%s%s", name, sug ? "; did you mean '" : "",
		    sug ? sug : "", sug ? "'?" : "");
	}
	return s;
}

static bool same_tree(const Node *a, const Node *b);

static bool same_list(const Node *a, const Node *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!same_tree(a, b))
			return false;
	return a == b;
}

/* Structural equality of two expressions (a group key and a select item). */
static bool same_tree(const Node *a, const Node *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || (a->op != b->op && a->kind != N_NAME)) /* a name's op: what it resolved to */
		return false;
	if ((a->s == NULL) != (b->s == NULL) || (a->s && strcmp(a->s, b->s) != 0))
		return false;
	if (a->kind == N_CALL || a->kind == N_LIST)
		return same_list(a->a, b->a);
	if (a->kind == N_IN)
		return same_tree(a->a, b->a) && same_list(a->b, b->b);
	return same_tree(a->a, b->a) && same_tree(a->b, b->b) && same_tree(a->c, b->c);
}

static bool has_aggregate(const Node *e)
{
	if (!e)
		return false;
	if (e->kind == N_SELECTQ)
		return false;
	if (e->kind == N_CALL) {
		int id = builtin_find(e->s);
		if (id >= 0 && (builtins[id].aggregate == 1 || (builtins[id].aggregate == 2 && e->a && !e->a->next)))
			return true;
	}
	if (e->kind == N_CALL || e->kind == N_LIST) {
		for (const Node *a = e->a; a; a = a->next)
			if (has_aggregate(a->kind == N_ARG ? a->a : a))
				return true;
		return false;
	}
	return has_aggregate(e->a) || has_aggregate(e->b) || has_aggregate(e->c);
}

/* In a grouped query a select item is an aggregate, a group key, or built
 * from those; a bare column that is neither has no single value. */
static const Node *ungrouped(const Node *e, const Node *groups)
{
	if (!e)
		return NULL;
	for (const Node *g = groups; g; g = g->next)
		if (same_tree(e, g))
			return NULL;
	if (e->kind == N_CALL) {
		int id = builtin_find(e->s);
		if (id >= 0 && (builtins[id].aggregate == 1 || (builtins[id].aggregate == 2 && e->a && !e->a->next)))
			return NULL;
		for (const Node *a = e->a; a; a = a->next) {
			const Node *u = ungrouped(a->a, groups);
			if (u)
				return u;
		}
		return NULL;
	}
	if (e->kind == N_MEMBER || (e->kind == N_NAME))
		return e;
	const Node *u = ungrouped(e->a, groups);
	if (!u && e->kind != N_SELECTQ)
		u = ungrouped(e->b, groups);
	if (!u && e->kind != N_SELECTQ)
		u = ungrouped(e->c, groups);
	return u;
}

static const char *item_name(Node *it)
{
	if (it->s)
		return it->s;
	Node *e = it->a;
	if (e->kind == N_MEMBER || e->kind == N_NAME || e->kind == N_CALL)
		return e->s;
	return NULL;
}

static Type ck_query(Ck *C, Node *q, const Shape **out)
{
	Scope *saved = C->scope;
	const Shape *only = NULL;
	int nfrom = 0;
	*out = NULL;
	for (Node *f = q->a; f; f = f->next) {
		const Shape *s = ck_source(C, f->a);
		f->aux = (void *)s;
		Type rt = s ? ty(V_ROW) : any();
		rt.row = s;
		const char *var = f->s ? f->s : f->a->kind == N_NAME ? f->a->s : NULL;
		if (var) {
			for (Node *g = q->a; g != f; g = g->next) {
				const char *other = g->s ? g->s : g->a->kind == N_NAME ? g->a->s : NULL;
				if (other && strcmp(other, var) == 0)
					ERR(C, f->loc, "'%s' is used twice in this from; give one an alias", var);
			}
			bind(C, var, rt);
		}
		only = s;
		nfrom++;
	}
	/* With one source, its columns are names too: from milestones where confident == 0 */
	if (nfrom == 1 && only)
		for (int i = 0; i < only->ncols; i++)
			if (!find_var(C, only->cols[i]))
				bind(C, only->cols[i], only->types[i]);
	if (q->b)
		ck_cond(C, q->b, "a where condition");
	for (Node *g = q->c; g; g = g->next)
		ck(C, g);
	bool grouped = q->c != NULL;
	for (Node *it = q->d; it; it = it->next)
		grouped |= has_aggregate(it->a);
	int n = 0;
	for (Node *it = q->d; it; it = it->next)
		n++;
	Shape *s = NULL;
	if (q->d) {
		s = new_shape(C, "query", n, 3);
		int i = 0;
		C->agg += grouped;
		for (Node *it = q->d; it; it = it->next, i++) {
			Type t = ck(C, it->a);
			const char *name = item_name(it);
			if (!name) {
				ERR(C, it->a->loc, "name this column: select name: expression");
				name = "?";
			}
			for (int j = 0; j < i; j++)
				if (strcmp(s->cols[j], name) == 0)
					ERR(C, it->loc, "column '%s' is selected twice; name one with 'name: ...'", name);
			s->cols[i] = name;
			s->types[i] = t;
			if (grouped) {
				const Node *u = ungrouped(it->a, q->c);
				if (u)
					ERR(C, u->loc, "'%s' is neither grouped by nor inside an aggregate (sum, count, min, max, any, all)",
					    u->s ? u->s : "this");
			}
		}
		C->agg -= grouped;
	} else if (grouped) {
		ERR(C, q->loc, "a grouped query needs a select");
	} else if (only && nfrom == 1) {
		s = (Shape *)only;
	} else {
		ERR(C, q->loc, "a query over several sources needs a select that names its columns (select * takes every column of one source)");
	}
	/* order by sees the selected names as well as the sources; a selected
	 * name hides a variable of that name, as when evaluated */
	if (s)
		for (int i = 0; i < s->ncols; i++)
			bind(C, s->cols[i], s->types[i]);
	C->agg += grouped;
	for (Node *o = q->e; o; o = o->next) {
		Type t = ck(C, o->a);
		char msg[200];
		if (t.k != V_ANY && op_result(OP_LT, t.k, t.unit, t.cur, t.k, t.unit, t.cur, msg, sizeof msg) == V_UNSET)
			ERR(C, o->a->loc, "cannot order by %s", vkind_name(t.k));
	}
	C->agg -= grouped;
	/* limit is one value for the whole query, evaluated before any row:
	 * it sees only the names around the query */
	C->scope = saved;
	if (q->f) {
		Type t = ck(C, q->f);
		Dec d;
		if (!is_kind(t, V_NUM))
			ERR(C, q->f->loc, "limit must be a number, not %s", vkind_name(t.k));
		else if (q->f->kind == N_NUM && parse_step(q->f->s, &d) && (!dec_is_int(d) || dec_sign(d) < 0))
			ERR(C, q->f->loc, "limit must be a whole number, zero or more");
	}
	C->scope = saved;
	*out = s;
	q->aux = s;
	Type t = ty(V_LIST);
	return t;
}

/* ---- declarations ---------------------------------------------------- */

static void ck_record_into(Ck *C, Node *rec, const Shape *s, const char *what, bool require_all)
{
	for (Node *f = rec->a; f; f = f->next) {
		for (Node *g = rec->a; g != f; g = g->next)
			if (strcmp(g->s, f->s) == 0)
				ERR(C, f->loc, "column '%s' is given twice", f->s);
		Type t = ck(C, f->a);
		int i = shape_col(s, f->s);
		if (i < 0) {
			const char *sug = diag_suggest(f->s, s->cols, s->ncols);
			ERR(C, f->loc, "%s has no column '%s'%s%s%s", s->name, f->s, sug ? "; did you mean '" : "",
			    sug ? sug : "", sug ? "'?" : "");
			continue;
		}
		Type want_t = s->types[i];
		bool ok = t.k == V_ANY || want_t.k == V_ANY || t.k == want_t.k || t.k == V_UNSET ||
			  (want_t.k == V_TEXT && t.k == V_SYM) || (want_t.k == V_SYM && t.k == V_TEXT) ||
			  (want_t.k == V_TEXT && t.k == V_PERIOD) || (want_t.k == V_NUM && t.k == V_PERCENT) ||
			  (want_t.k == V_BOOL && t.k == V_NUM && f->a->kind == N_NUM) ||
			  (want_t.k == V_HOURS && t.k == V_NUM) || (want_t.k == V_MONEY && t.k == V_NUM && s->source == 0);
		if (!ok)
			ERR(C, f->a->loc, "%s.%s is %s, not %s", s->name, f->s, vkind_name(want_t.k), vkind_name(t.k));
	}
	if (!require_all)
		return;
	for (int i = 0; i < s->ncols; i++) {
		bool given = false, autofill = false;
		for (Node *f = rec->a; f; f = f->next)
			given |= strcmp(f->s, s->cols[i]) == 0;
		for (size_t k = 0; s->source == 0 && k < sizeof auto_columns / sizeof *auto_columns; k++)
			autofill |= strcmp(auto_columns[k], s->cols[i]) == 0;
		if (!given && !autofill)
			ERR(C, rec->loc, "%s into %s is missing column '%s'", what, s->name, s->cols[i]);
	}
}

static void ck_rule(Ck *C, Decl *d)
{
	Scope *saved = C->scope;
	bool emits = false;
	for (Node *c = d->node->a; c; c = c->next) {
		switch (c->kind) {
		case N_FOR: {
			const Shape *s = ck_source(C, c->a);
			c->aux = (void *)s;
			if (find_var(C, c->s))
				ERR(C, c->loc, "'%s' is already bound in this rule", c->s);
			Type t = s ? ty(V_ROW) : any();
			t.row = s;
			bind(C, c->s, t);
			break;
		}
		case N_WHERE: ck_cond(C, c->a, "a where condition"); break;
		case N_WHEN: ck_cond(C, c->a, "a when condition"); break;
		case N_LETC: {
			Type t = ck(C, c->a);
			if (find_var(C, c->s))
				ERR(C, c->loc, "'%s' is already bound in this rule", c->s);
			else
				bind(C, c->s, t);
			break;
		}
		case N_EMIT: {
			emits = true;
			const Shape *s = find_shape(C, c->s);
			const TableDef *td = schema_table(c->s);
			if (!s) {
				const char *sug = suggest_relation(C, c->s);
				ERR(C, c->loc, "emit into unknown relation '%s'%s%s%s", c->s, sug ? "; did you mean '" : "",
				    sug ? sug : "", sug ? "'?" : "");
				for (Node *f = c->a->a; f; f = f->next)
					ck(C, f->a);
			} else if (s->source == 2 || (td && !td->output)) {
				ERR(C, c->loc, "'%s' is input data; rules emit into output tables and declared relations", c->s);
			} else if ((td && td->output == 2) || schema_view(c->s)) {
				ERR(C, c->loc, "'%s' is kept by sow run itself; rules cannot emit into it", c->s);
			} else {
				ck_record_into(C, c->a, s, "emit", true);
			}
			break;
		}
		default: break;
		}
	}
	if (!emits)
		WARN(C, d->node->loc, "rule '%s' emits nothing", d->name);
	C->scope = saved;
}

static void ck_calendar(Ck *C, Node *cal)
{
	Map days = { 0 };
	bool weekend = false;
	for (Node *c = cal->a; c; c = c->next) {
		if (c->kind == N_WEEKEND) {
			if (weekend)
				ERR(C, c->loc, "weekend is given twice in this calendar");
			weekend = true;
			for (Node *w = c->a; w; w = w->next) {
				bool ok = false;
				for (int i = 0; i < 7; i++)
					ok |= strcmp(w->s, weekday_names[i]) == 0;
				if (!ok) {
					const char *s = diag_suggest(w->s, weekday_names, 7);
					ERR(C, w->loc, "'%s' is not a day of the week%s%s%s", w->s, s ? "; did you mean '" : "",
					    s ? s : "", s ? "'?" : "");
				}
			}
		} else if (c->kind == N_HOLIDAY) {
			if (map_get(&days, c->s))
				WARN(C, c->loc, "holiday %s is listed twice", c->s);
			map_put(&days, c->s, c);
		}
	}
	map_free(&days);
}

static void ck_machine(Ck *C, Node *m)
{
	Scope *saved = C->scope;
	Type row = ty(V_ROW);
	row.row = find_shape(C, "projects");
	bind(C, m->s2, row);
	if (m->b)
		ck_cond(C, m->b, "the machine's where condition");
	for (Node *t = m->a; t; t = t->next) {
		for (Node *from = t->a; from; from = from->next) {
			if (strcmp(from->s, t->s) == 0)
				WARN(C, from->loc, "transition from \"%s\" to itself", from->s);
			for (Node *u = m->a; u != t; u = u->next)
				for (Node *uf = u->a; uf; uf = uf->next)
					if (strcmp(uf->s, from->s) == 0 && strcmp(u->s, t->s) == 0 && !u->b && !t->b)
						ERR(C, from->loc, "transition \"%s\" -> \"%s\" is given twice", from->s, t->s);
		}
		if (t->b)
			ck_cond(C, t->b, "a transition guard");
	}
	C->scope = saved;
}

static bool is_history_table(const TableDef *t)
{
	size_t n = strlen(t->name);
	return n > 8 && strcmp(t->name + n - 8, "_history") == 0;
}

static void ck_test(Ck *C, Node *t)
{
	bool asof = false;
	for (Node *c = t->a; c; c = c->next) {
		switch (c->kind) {
		case N_ASOF:
			if (asof)
				ERR(C, c->loc, "'as of' is given twice in this test");
			asof = true;
			break;
		case N_GIVEN: {
			/* an output table given: rows earlier runs (or sow credit) wrote */
			const TableDef *td = schema_table(c->s);
			if (td && td->output && is_history_table(td)) {
				ERR(C, c->loc, "'%s' holds superseded rows; given takes an input table or the rows of earlier runs", c->s);
				break;
			}
			if (!td) {
				const char *sug = suggest_relation(C, c->s);
				ERR(C, c->loc, "given names an input table, not '%s'%s%s%s", c->s, sug ? "; did you mean '" : "",
				    sug ? sug : "", sug ? "'?" : "");
				break;
			}
			for (Node *r = c->a; r; r = r->next)
				ck_record_into(C, r, find_shape(C, c->s), "given", false);
			break;
		}
		case N_EXPECT:
			ck_cond(C, c->a, "an expect");
			break;
		case N_SOW:
			terms_check_sow(C->P, C->mod, C->D, c);
			break;
		case N_EXPECTROW: {
			const Shape *s = find_shape(C, c->s);
			if (!s) {
				const char *sug = suggest_relation(C, c->s);
				ERR(C, c->loc, "unknown relation '%s'%s%s%s", c->s, sug ? "; did you mean '" : "",
				    sug ? sug : "", sug ? "'?" : "");
				break;
			}
			ck_record_into(C, c->a, s, "expect", false);
			/* a money column compared with a bare number would match
			 * nothing, or anything: the test says which currency */
			for (Node *f = c->a->a; f; f = f->next) {
				int i = shape_col(s, f->s);
				const Node *e = f->a->kind == N_NEG ? f->a->a : f->a;
				if (i >= 0 && s->types[i].k == V_MONEY && e->kind == N_NUM)
					ERR(C, f->a->loc, "%s.%s is money: give the expected amount with its currency (%s%s USD)", s->name,
					    f->s, f->a->kind == N_NEG ? "-" : "", e->s);
			}
			break;
		}
		default: break;
		}
	}
}

static void ck_item(Ck *C, Node *it)
{
	Decl *d = NULL;
	if (it->s && it->kind != N_SOW && it->kind != N_IMPORT && it->kind != N_TEST && it->kind != N_CALENDAR) {
		d = map_get(&C->mod->local, it->s);
		if (d && d->node != it)
			d = NULL; /* a duplicate, already reported */
	}
	switch (it->kind) {
	case N_SOW: terms_check_sow(C->P, C->mod, C->D, it); break;
	case N_CALENDAR: ck_calendar(C, it); break;
	case N_FISCAL: {
		bool ok = false;
		for (int i = 0; i < 12; i++)
			if (strcmp(it->s, month_names[i]) == 0) {
				ok = true;
				if (C->P->fiscal && C->P->fiscal != it) {
					ERR(C, it->loc, "the fiscal year start is declared twice");
				} else {
					C->P->fiscal = it;
					C->P->fiscal_start = i + 1;
				}
			}
		if (!ok) {
			const char *s = diag_suggest(it->s, month_names, 12);
			ERR(C, it->a->loc, "'%s' is not a month%s%s%s", it->s, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		}
		break;
	}
	case N_LET:
		if (it->s2 && !money_is_currency(it->a->s))
			ERR(C, it->a->loc, "unknown currency %s (an ISO 4217 code such as USD or EUR)", it->a->s);
		if (d && d->visiting == 0)
			ck_name(C, &(Node){ .kind = N_NAME, .loc = it->loc, .s = it->s });
		break;
	case N_FN: {
		for (Node *p = it->a; p; p = p->next)
			for (Node *q = it->a; q != p; q = q->next)
				if (strcmp(p->s, q->s) == 0)
					ERR(C, p->loc, "parameter '%s' is named twice", p->s);
		if (d && d->lib && d->lib->kind == D_FN) {
			int a = 0, b = 0;
			for (Node *p = it->a; p; p = p->next)
				a++;
			for (Node *p = d->lib->node->a; p; p = p->next)
				b++;
			if (a != b) {
				ERR(C, it->loc, "'%s' overrides a function of %d parameter%s with %d", it->s, b, b == 1 ? "" : "s", a);
				diag_at(C->D, d->lib->mod->src, d->lib->node->loc, DIAG_NOTE, "the library's definition");
			}
		}
		if (d && d->visiting == 0)
			ck_decl_value(C, d, it);
		break;
	}
	case N_ROUNDING: {
		RoundMode m;
		Dec st;
		if (!round_mode_parse(it->s2, &m)) {
			const char *s = diag_suggest(it->s2, round_modes, 4);
			ERR(C, it->b->loc, "unknown rounding mode '%s'%s%s%s (half_up, half_even, up, down)", it->s2,
			    s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		} else {
			it->idx = (int)m + 1; /* parsed once (builtin_round) */
		}
		if (!parse_step(it->a->s, &st) || dec_sign(st) <= 0)
			ERR(C, it->a->loc, "a rounding step must be more than zero");
		break;
	}
	case N_RELATION: {
		for (Node *c = it->a; c; c = c->next) {
			for (Node *o = it->a; o != c; o = o->next)
				if (strcmp(o->s, c->s) == 0)
					ERR(C, c->loc, "column '%s' is declared twice", c->s);
			if (typename_type(c->s2).k == V_ANY) {
				const char *s = diag_suggest(c->s2, type_names, (int)(sizeof type_names / sizeof *type_names));
				Loc l = { c->loc.end - (int)strlen(c->s2), c->loc.end };
				ERR(C, l, "unknown column type '%s'%s%s%s", c->s2, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
			}
		}
		for (Node *k = it->b; k; k = k->next) {
			bool found = false;
			for (Node *c = it->a; c; c = c->next)
				found |= strcmp(c->s, k->s) == 0;
			if (!found)
				ERR(C, k->loc, "unique names '%s', which is not a column of %s", k->s, it->s);
		}
		if (schema_table(it->s))
			ERR(C, it->loc, "'%s' is a database table; a relation needs another name", it->s);
		break;
	}
	case N_ENUM:
		for (Node *m = it->a; m; m = m->next) {
			Decl *other = map_get(&C->P->enum_member, m->s);
			if (other && other->node == it)
				ERR(C, m->loc, "'%s' is listed twice in enum %s", m->s, it->s);
			else if (other)
				ERR(C, m->loc, "'%s' is already a member of enum %s", m->s, other->name);
			else if (d)
				map_put(&C->P->enum_member, m->s, d);
		}
		break;
	case N_MACHINE: ck_machine(C, it); break;
	case N_RULE:
		if (d)
			ck_rule(C, d);
		break;
	case N_QUERY:
		if (d && d->visiting == 0) {
			Scope *ss = C->scope;
			C->scope = NULL;
			for (Node *p = it->a; p; p = p->next)
				bind(C, p->s, any());
			d->visiting = 1;
			const Shape *s;
			ck_query(C, it->b, &s);
			d->visiting = 2;
			C->scope = ss;
		}
		break;
	case N_TEST: ck_test(C, it); break;
	case N_MAPPING: {
		/* the importer's own check: what passes here imports the same way */
		Mapping m;
		if (mapping_compile(&m, C->P->A, C->mod->src, it, C->D))
			mapping_free(&m);
		break;
	}
	case N_ACCOUNTS: {
		/* sow journal's own check: what passes here journals the same way */
		Accounts a;
		accounts_compile(&a, C->P->A, C->mod->src, it, C->D);
		break;
	}
	default: break;
	}
}

/* ---- rule order ------------------------------------------------------ */

typedef struct { Decl **rules; int n; } RuleSet;

typedef struct {
	Ck *C;
	Map *emitters;        /* relation -> RuleSet* */
	Decl *rule;
	Decl **stack;
	int depth;
	bool found;
} CycleWalk;

static void visit_rule(Ck *C, Decl *r, CycleWalk *w);

static void visit_read(const char *rel, void *arg)
{
	CycleWalk *w = arg;
	RuleSet *rs = map_get(w->emitters, rel);
	for (int i = 0; rs && i < rs->n && !w->found; i++)
		visit_rule(w->C, rs->rules[i], w);
}

static void visit_rule(Ck *C, Decl *r, CycleWalk *w)
{
	if (r->visiting == 2 || w->found)
		return;
	if (r->visiting == 1) {
		char path[1024];
		size_t n = 0;
		int from = 0;
		for (int i = 0; i < w->depth; i++)
			if (w->stack[i] == r)
				from = i;
		for (int i = from; i < w->depth && n < sizeof path - 80; i++)
			n += (size_t)snprintf(path + n, sizeof path - n, "%s -> ", w->stack[i]->name);
		snprintf(path + n, sizeof path - n, "%s", r->name);
		Module *saved = C->mod;
		C->mod = r->mod;
		ERR(C, r->node->loc, "rules depend on each other in a cycle: %s (each reads what the next emits)", path);
		C->mod = saved;
		w->found = true;
		return;
	}
	r->visiting = 1;
	w->stack[w->depth++] = r;
	program_reads(C->P, r->node->a, visit_read, w);
	w->depth--;
	r->visiting = 2;
}

static void check_rule_order(Ck *C)
{
	Map emitters = { 0 };
	int nrules = 0;
	for (size_t i = 0; i < C->P->decls.cap; i++) {
		Decl *d = C->P->decls.keys[i] ? C->P->decls.vals[i] : NULL;
		if (!d || d->kind != D_RULE)
			continue;
		nrules++;
		d->visiting = 0;
		for (Node *c = d->node->a; c; c = c->next) {
			if (c->kind != N_EMIT)
				continue;
			RuleSet *rs = map_get(&emitters, c->s);
			if (!rs) {
				rs = arena_alloc(C->P->A, sizeof *rs);
				map_put(&emitters, c->s, rs);
			}
			Decl **nr = arena_alloc(C->P->A, (size_t)(rs->n + 1) * sizeof *nr);
			if (rs->n)
				memcpy(nr, rs->rules, (size_t)rs->n * sizeof *nr);
			nr[rs->n++] = d;
			rs->rules = nr;
		}
	}
	Decl **stack = calloc((size_t)nrules + 1, sizeof *stack);
	for (int m = 0; m < C->P->nmods; m++)
		for (Node *it = C->P->mods[m]->items; it; it = it->next) {
			if (it->kind != N_RULE)
				continue;
			Decl *d = map_get(&C->P->decls, it->s);
			if (!d || d->node != it)
				continue;
			CycleWalk w = { C, &emitters, d, stack, 0, false };
			visit_rule(C, d, &w);
		}
	free(stack);
	map_free(&emitters);
}

/* SOW blocks and no rule at all (a file without import "std"): a run would
 * write nothing for them and look like success. Once per file. */
static void no_rules_warning(Ck *C)
{
	for (size_t i = 0; i < C->P->decls.cap; i++) {
		const Decl *d = C->P->decls.keys[i] ? C->P->decls.vals[i] : NULL;
		if (d && d->kind == D_RULE)
			return;
	}
	for (int m = 0; m < C->P->nmods; m++) {
		C->mod = C->P->mods[m];
		for (Node *it = C->mod->items; it; it = it->next)
			if (it->kind == N_SOW) {
				WARN(C, it->loc, "no rule is loaded, so SOW \"%s\" releases, bills and forecasts nothing; "
				     "add import \"std\" (the standard library's rules) at the top of this file", it->s);
				break;
			}
	}
}

int check_program(Program *P)
{
	Ck C = { .P = P, .D = P->D, .shapes = &P->shapes };
	builtin_shapes(&C);
	int before = P->D->errors;
	/* Enums first: their members are names everywhere. */
	for (int m = 0; m < P->nmods; m++) {
		C.mod = P->mods[m];
		for (Node *it = C.mod->items; it; it = it->next)
			if (it->kind == N_ENUM)
				ck_item(&C, it);
	}
	for (int m = 0; m < P->nmods; m++) {
		C.mod = P->mods[m];
		for (Node *it = C.mod->items; it; it = it->next)
			if (it->kind != N_ENUM)
				ck_item(&C, it);
	}
	check_rule_order(&C);
	strict_overrides(P);
	/* (with errors, they come first; the file is not run anyway) */
	if (P->D->errors == 0)
		no_rules_warning(&C);
	return P->D->errors - before;
}

int check_expr(Program *P, Module *m, Node *e, Type *out)
{
	Ck C = { .P = P, .D = P->D, .mod = m, .shapes = &P->shapes };
	builtin_shapes(&C);
	int before = P->D->errors;
	*out = ck(&C, e);
	return P->D->errors - before;
}
