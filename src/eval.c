/* eval.c: the expression evaluator.
 *
 * A tree walk over checked expressions. Every arithmetic step is exact
 * (decimal.c) or fails with a message located at the operator; an unset
 * operand is an error, never a zero. Kinds of result come from ops.c, the
 * table the checker uses too; built-ins are called through their table
 * (builtin.c). */
#include "eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "ops.h"
#include "query.h"
#include "schema.h"
#include "sink.h"
#include "source.h"
#include "store.h"

#define MAX_DEPTH 200

void eval_init(Eval *E, Program *P, Arena *A, sqlite3 *db, Date as_of)
{
	memset(E, 0, sizeof *E);
	E->P = P;
	E->D = P->D;
	E->A = A;
	E->db = db;
	E->as_of = as_of;
	/* Per source row (rules.c for_row) or per rule outside one, a query's
	 * whole work included; and what one query keeps: together they bound a
	 * runaway join's time and memory (README "Limits"). */
	E->max_steps = 10000000;
	E->max_rows = 1000000;
	E->tmp = arena_new();
}

void eval_free(Eval *E)
{
	engine_free(E);
	if (E->vm_free) /* (vm.c frees its own, as plan.c its joins) */
		E->vm_free(E);
	arena_free(E->tmp);
	arena_free(E->memo_arena);
	bytesmap_free(&E->memo);
	ptrmap_free(&E->pure);
	for (size_t i = 0; i < E->cals.cap; i++)
		if (E->cals.keys[i]) {
			cal_free(E->cals.vals[i]);
			free(E->cals.vals[i]);
		}
	map_free(&E->cals);
}

bool eval_fail(Eval *E, const Node *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_at(E->D, E->mod->src, at->loc, DIAG_ERROR, "%s", msg);
	return false;
}

/* The database as messages name it. */
static const char *db_name(const Eval *E)
{
	const char *f = E->db_name ? E->db_name : sqlite3_db_filename(E->db, "main");
	return f && *f ? f : "the database";
}

bool eval_db_fail(Eval *E, const Node *at, const char *what)
{
	E->D->db_errors++;
	return eval_fail(E, at, "%s: %s (%s)", db_name(E), sqlite3_errmsg(E->db), what);
}

static bool dec_fail(Eval *E, const Node *at, DecStatus st) { return eval_fail(E, at, "%s", dec_strerror(st)); }

static Value vdate(Date d) { return (Value){ .k = V_DATE, .date = d }; }
/* `run_id`: the run the rules are writing (sow run, the REPL's view, a
 * test), unset outside one. */
static Value eval_run_id(const Eval *E)
{
	long long id = E->run.id;
	return id ? (Value){ .k = V_NUM, .d = dec_from_int(id) } : (Value){ .k = V_UNSET };
}
static Value vbool(bool b) { return (Value){ .k = V_BOOL, .b = b }; }

/* ---- calendars ------------------------------------------------------- */

const Calendar *eval_calendar(Eval *E, const char *name, const Src *src, Loc loc)
{
	Calendar *c = map_get(&E->cals, name);
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		abort();
	cal_init(c, name);
	Decl *d = program_lookup(E->P, NULL, name);
	if (d && d->kind == D_CALENDAR) {
		c->declared = true;
		for (Node *cl = d->node->a; cl; cl = cl->next) {
			if (cl->kind == N_WEEKEND) {
				static const char *const days[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
				c->weekend = 0;
				for (Node *w = cl->a; w; w = w->next)
					for (int i = 0; i < 7; i++)
						if (strcmp(w->s, days[i]) == 0)
							c->weekend |= (uint8_t)(1 << i);
			} else if (cl->kind == N_HOLIDAY) {
				Date h;
				if (date_parse(cl->s, strlen(cl->s), &h))
					cal_add_holiday(c, h);
			}
		}
	}
	if (E->db) {
		long long bad_row;
		char bad_day[64];
		StoreRead r = store_holidays(E->db, name, c, &bad_row, bad_day, sizeof bad_day);
		if (r != STORE_READ_OK) {
			if (r == STORE_READ_DB) {
				E->D->db_errors++;
				diag_at(E->D, src, loc, DIAG_ERROR, "%s: %s (reading holidays)", db_name(E), sqlite3_errmsg(E->db));
			} else {
				diag_at(E->D, src, loc, DIAG_ERROR, "holidays row %lld (calendar \"%s\"): day '%s' is not a date (YYYY-MM-DD)",
					bad_row, name, bad_day);
			}
			cal_free(c);
			free(c);
			return NULL;
		}
	} else if (!c->declared && !E->warned_no_db) {
		E->warned_no_db = true;
		diag_at(E->D, src, loc, DIAG_WARNING,
			"calendar \"%s\" is declared nowhere and no database is open (--db): counting weekends only", name);
	}
	map_put(&E->cals, c->name, c);
	return c;
}

/* ---- values ---------------------------------------------------------- */

static bool parse_period(const char *s, Value *v)
{
	*v = (Value){ .k = V_PERIOD };
	if (s[0] == 'F') {
		v->year = atoi(s + 2);
		v->pk = s[6] == '-' ? PER_QUARTER : PER_YEAR;
		v->idx = v->pk == PER_QUARTER ? s[8] - '0' : 0;
		return v->year >= 2 && v->year <= 9999;
	}
	v->pk = PER_MONTH;
	v->year = atoi(s);
	v->idx = atoi(s + 5);
	return v->year >= 1 && v->idx >= 1 && v->idx <= 12;
}

static int cmp_values(Eval *E, const Node *at, const Value *a, const Value *b, bool *ok)
{
	*ok = true;
	switch (a->k) {
	case V_NUM: case V_PERCENT: case V_HOURS: case V_MONEY: case V_DUR: {
		Dec x, y;
		if (value_dec(a, &x) || value_dec(b, &y)) {
			*ok = false;
			eval_fail(E, at, "%s", dec_strerror(DEC_SCALE));
			return 0;
		}
		return dec_cmp(x, y);
	}
	case V_DATE: return (a->date > b->date) - (a->date < b->date);
	case V_BOOL: return (int)a->b - (int)b->b;
	case V_PERIOD: {
		if (a->pk != b->pk) {
			*ok = false;
			eval_fail(E, at, "cannot compare periods of different lengths (a month with a fiscal quarter or year)");
			return 0;
		}
		if (a->year != b->year)
			return a->year < b->year ? -1 : 1;
		return (a->idx > b->idx) - (a->idx < b->idx);
	}
	case V_TEXT: case V_SYM: {
		int c = a->s == b->s ? 0 : strcmp(a->s, b->s); /* a symbol, or text from one place */
		return (c > 0) - (c < 0);
	}
	default:
		*ok = false;
		eval_fail(E, at, "cannot compare %s values", vkind_name(a->k));
		return 0;
	}
}

static bool date_shift(Eval *E, const Node *at, Date d, const Value *dur, int sign, Value *out)
{
	long long n;
	if (!dec_to_ll(dur->d, &n))
		return eval_fail(E, at, "a number of %s must be whole", unit_name(dur->unit, 1));
	n *= sign;
	Date r;
	bool ok = true;
	switch (dur->unit) {
	case U_DAYS: case U_WEEKS: {
		long long days = dur->unit == U_WEEKS ? n * 7 : n;
		long long t = (long long)d + days;
		ok = t >= DATE_MIN && t <= DATE_MAX;
		r = (Date)t;
		break;
	}
	case U_MONTHS: ok = date_add_months(d, n, &r); break;
	case U_YEARS: ok = n > -10000 && n < 10000 && date_add_months(d, n * 12, &r); break;
	default: return eval_fail(E, at, "business days depend on a calendar; use business_day(date, n, calendar)");
	}
	if (!ok)
		return eval_fail(E, at, "date out of range (0001-01-01 .. 9999-12-31)");
	*out = vdate(r);
	return true;
}

bool eval_binop(Eval *E, const Node *e, const Value *a, const Value *b, Value *out)
{
	char msg[200];
	VKind k = op_result(e->op, a->k, a->unit, a->k == V_MONEY ? a->cur : NULL, b->k, b->unit,
			    b->k == V_MONEY ? b->cur : NULL, msg, sizeof msg);
	if (k == V_UNSET) {
		if (a->k == V_UNSET || b->k == V_UNSET)
			return eval_fail(E, e, "%s: the %s operand of '%s' is unset", msg, a->k == V_UNSET ? "left" : "right", op_text(e->op));
		return eval_fail(E, e, "%s", msg);
	}
	if (e->op >= OP_EQ && e->op <= OP_GE) {
		bool ok;
		int c = cmp_values(E, e, a, b, &ok);
		if (!ok)
			return false;
		bool r = e->op == OP_EQ ? c == 0 : e->op == OP_NE ? c != 0 : e->op == OP_LT ? c < 0 :
			 e->op == OP_LE ? c <= 0 : e->op == OP_GT ? c > 0 : c >= 0;
		*out = vbool(r);
		return true;
	}
	Value r = { .k = k };
	Dec x, y;
	DecStatus st = DEC_OK;
	if (k == V_TEXT) {
		size_t la = strlen(a->s), lb = strlen(b->s);
		char *s = arena_alloc(E->tmp, la + lb + 1);
		memcpy(s, a->s, la);
		memcpy(s + la, b->s, lb);
		r.s = s;
		*out = r;
		return true;
	}
	if (k == V_DATE && (a->k == V_DUR || b->k == V_DUR))
		return date_shift(E, e, a->k == V_DATE ? a->date : b->date, a->k == V_DUR ? a : b,
				  e->op == OP_SUB ? -1 : 1, out);
	if (k == V_DUR && a->k == V_DATE) {
		r.unit = U_DAYS;
		r.d = dec_from_int((long long)a->date - b->date);
		*out = r;
		return true;
	}
	/* Same-kind sums keep their kind (a percentage plus a percentage stays
	 * one); everything else computes on plain numbers. */
	if ((e->op == OP_ADD || e->op == OP_SUB) && a->k == b->k) {
		x = a->d;
		y = b->d;
	} else if ((st = value_dec(a, &x)) || (st = value_dec(b, &y))) {
		return dec_fail(E, e, st);
	}
	switch (e->op) {
	case OP_ADD: st = dec_add(x, y, &r.d); break;
	case OP_SUB: st = dec_sub(x, y, &r.d); break;
	case OP_MUL: st = dec_mul(x, y, &r.d); break;
	case OP_DIV: st = dec_div(x, y, &r.d); break;
	}
	if (st)
		return dec_fail(E, e, st);
	if (k == V_MONEY)
		memcpy(r.cur, a->k == V_MONEY ? a->cur : b->cur, 4);
	if (k == V_DUR) {
		r.unit = a->k == V_DUR ? a->unit : b->unit;
		if (!dec_is_int(r.d))
			return eval_fail(E, e, "a number of %s must be whole", unit_name(r.unit, 1));
	}
	*out = r;
	return true;
}

bool eval_member(Eval *E, Node *e, const Value *base, Value *out)
{
	if (base->k == V_UNSET) {
		/* a missing row has no fields: each is unset (and arithmetic
		 * on it is still an error) */
		*out = *base;
		return true;
	}
	if (base->k != V_ROW)
		return eval_fail(E, e, "'.%s': %s has no fields", e->s, vkind_name(base->k));
	const Row *r = base->row;
	/* idx is a column of the shape in aux: the checker's, or the last
	 * one seen here (a function's rows may have another) */
	if (r->shape != e->aux || e->idx <= 0) {
		int i = shape_col(r->shape, e->s);
		if (i < 0)
			return eval_fail(E, e, "%s has no column '%s'", r->shape->name, e->s);
		e->aux = (void *)r->shape;
		e->idx = i + 1;
	}
	*out = r->vals[e->idx - 1];
	return true;
}

/* ---- built-ins ------------------------------------------------------- */

static bool eval(Eval *E, Node *e, Value *out);

/* ---- the walk -------------------------------------------------------- */

/* A definition as seen from here: the current SOW's file first (its
 * overrides), then the file being evaluated, then the library. */
static Decl *lookup(const Eval *E, const char *name)
{
	if (E->sow) {
		Decl *d = map_get(&E->sow->mod->local, name);
		if (d)
			return d;
	}
	return program_lookup(E->P, E->mod, name);
}

/* A call's definition, resolved once per node where nothing can override
 * it: the same module, no SOW file with definitions of its own in force,
 * and no definition added since (the REPL adds them). */
typedef struct Resolved {
	const Module *mod;
	size_t gen;           /* P->decls.len when resolved */
	Decl *d;
} Resolved;

static Decl *lookup_def(Eval *E, Node *e)
{
	if (E->sow && E->sow->mod->local.len)
		return lookup(E, e->s);
	Resolved *r = e->aux;
	if (r && r->mod == E->mod && r->gen == E->P->decls.len)
		return r->d;
	if (!r)
		r = e->aux = arena_alloc(E->P->A, sizeof *r);
	*r = (Resolved){ E->mod, E->P->decls.len, lookup(E, e->s) };
	return r->d;
}

/* A variable by its text: for a name the checker did not resolve, or one
 * bound under another spelling than the checker saw. */
static bool lookup_var(Eval *E, const char *name, Value *out)
{
	for (EScope *s = E->scope; s; s = s->up)
		if (strcmp(s->name, name) == 0) {
			*out = s->v;
			return true;
		}
	return false;
}

/* A variable the checker resolved: its binding is the innermost one made
 * with the very name it saw (bindings keep the pointer of their node's
 * name), so the walk compares addresses, not text. */
static bool find_binding(const Eval *E, const Node *e, Value *out)
{
	for (const EScope *s = E->scope; s; s = s->up)
		if (s->name == e->aux) {
			*out = s->v;
			return true;
		}
	return false;
}

#define MEMO_MAX 65536 /* cached results kept per evaluation, at most (memory stays flat): enough
                       * for a per-entry check of every project of a 20,000-SOW book
                       * (about 100 bytes each) */

static void note_impure(const char *rel, void *arg)
{
	/* input tables and SOW terms cannot change during a run; anything a rule
	 * emits (output tables, declared relations) can */
	bool *impure = arg;
	const TableDef *t = schema_table(rel);
	if (t ? t->output != 0 : strncmp(rel, "sow", 3) != 0)
		*impure = true;
}

/* A function is pure when its body reads nothing that rules write. */
static bool is_pure(Eval *E, Decl *d)
{
	void *known = ptrmap_get(&E->pure, d);
	if (known)
		return known == (void *)1;
	bool impure = false;
	program_reads(E->P, d->node->b, note_impure, &impure);
	ptrmap_put(&E->pure, d, impure ? (void *)2 : (void *)1);
	return !impure;
}

/* Append n bytes to the key being built; false when it does not fit. */
static bool key_add(char *key, size_t size, size_t *len, const void *s, size_t n)
{
	if (*len + n > size)
		return false;
	memcpy(key + *len, s, n);
	*len += n;
	return true;
}

/* ... a string with its terminating NUL (which no string holds otherwise) */
static bool key_str(char *key, size_t size, size_t *len, const char *s)
{
	return key_add(key, size, len, s, strlen(s) + 1);
}

/* The memo key of a call: function, SOW in force, and each argument as the
 * bytes of its value (so 250.00 and 250.0, which print differently, stay
 * apart; rows by table and id). False when an argument has no stable
 * identity. Made for every call of a pure function: no formatting, and it
 * is hashed once. */
static bool memo_key(Eval *E, Decl *d, const Value *args, int n, char *key, size_t size, size_t *len)
{
	*len = 0;
	if (!key_add(key, size, len, &d, sizeof d) || !key_str(key, size, len, E->sow ? E->sow->sow->s : ""))
		return false;
	for (int i = 0; i < n; i++) {
		const Value *v = &args[i];
		char kind = (char)v->k;
		if (v->k == V_LIST || (v->k == V_ROW && (!v->row || !*v->row->id || (v->row->table[0] == 'q' && strcmp(v->row->table, "query") == 0))))
			return false;
		if (!key_add(key, size, len, &kind, 1))
			return false;
		bool ok = true;
		switch (v->k) {
		case V_NUM: case V_PERCENT: case V_HOURS: case V_MONEY: case V_DUR: {
			/* the fields one by one: a struct's padding is not part of the value */
			long long parts[3] = { (long long)(v->d.c >> 64), (long long)(unsigned long long)v->d.c, v->d.scale };
			ok = key_add(key, size, len, parts, sizeof parts);
			if (ok && v->k == V_MONEY)
				ok = key_add(key, size, len, v->cur, 3);
			if (ok && v->k == V_DUR)
				ok = key_add(key, size, len, &v->unit, sizeof v->unit);
			break;
		}
		case V_DATE: ok = key_add(key, size, len, &v->date, sizeof v->date); break;
		case V_BOOL: ok = key_add(key, size, len, &v->b, sizeof v->b); break;
		case V_PERIOD: {
			int parts[3] = { (int)v->pk, v->year, v->idx };
			ok = key_add(key, size, len, parts, sizeof parts);
			break;
		}
		case V_TEXT: case V_SYM: ok = key_str(key, size, len, v->s); break;
		case V_ROW: ok = key_str(key, size, len, v->row->table) && key_str(key, size, len, v->row->id); break;
		default: break; /* unset: its kind says it all */
		}
		if (!ok)
			return false;
	}
	return true;
}

/* not inlined into eval: its memo key and argument frames would make every
 * step of the tree walk reserve kilobytes of stack */
__attribute__((noinline)) static bool call_decl(Eval *E, Node *e, Decl *d, Value *out)
{
	if (++E->depth > MAX_DEPTH) {
		E->depth--;
		return eval_fail(E, e, "calls nested more than %d deep", MAX_DEPTH);
	}
	bool ok;
	if (d->kind == D_ROUNDING) {
		Node *x = e->a ? e->a->a : NULL;
		if (!x)
			ok = eval_fail(E, e, "rounding %s takes 1 argument", d->name);
		else
			ok = builtin_round(E, e, x, d->node->a, d->node->idx, d->node->s2, out);
		E->depth--;
		return ok;
	}
	/* Bind arguments in the caller's scope, then evaluate the body in the
	 * function's own file with only its parameters visible. */
	EScope *params = NULL;
	Node *p = d->node->a;
	Value args[16];
	/* the parameters live while the body is evaluated: on the C stack, so a
	 * row's scratch does not grow with the calls made for it */
	EScope frame[16];
	int nargs = 0;
	for (Node *a = e->a; a && p; a = a->next, p = p->next) {
		EScope *s = nargs < 16 ? &frame[nargs] : arena_alloc(E->tmp, sizeof *s);
		s->name = p->s;
		if (!eval(E, a->a, &s->v)) {
			E->depth--;
			return false;
		}
		if (nargs < 16)
			args[nargs] = s->v;
		nargs++;
		s->up = params;
		params = s;
	}
	char key[2048];
	size_t klen = 0, khash = 0;
	bool memo = nargs <= 16 && !(E->sink && E->sink->tracing) && is_pure(E, d) &&
		    memo_key(E, d, args, nargs, key, sizeof key, &klen);
	if (memo) {
		khash = map_hash(key, klen);
		Value *hit = bytesmap_get(&E->memo, key, klen, khash);
		if (hit) {
			/* a copy in the row's scratch: the memo may start again
			 * (below) while the caller still holds what it returned */
			*out = value_keep(E->tmp, *hit);
			E->depth--;
			return true;
		}
	}
	EScope *saved = E->scope;
	Module *saved_mod = E->mod;
	E->scope = params;
	E->mod = d->mod;
	ok = eval(E, d->node->b, out);
	E->scope = saved;
	E->mod = saved_mod;
	E->depth--;
	if (ok && memo && out->k != V_LIST) {
		/* full: start again, so the memo keeps what is used now (a run
		 * moves through the book; what it used early rarely comes back) */
		if (E->memo_size >= MEMO_MAX) {
			bytesmap_free(&E->memo);
			arena_reset(E->memo_arena);
			E->memo_size = 0;
		}
		if (!E->memo_arena)
			E->memo_arena = arena_new();
		Value *keep = arena_alloc(E->memo_arena, sizeof *keep);
		*keep = value_keep(E->memo_arena, *out);
		char *k = arena_alloc(E->memo_arena, klen);
		memcpy(k, key, klen);
		bytesmap_put(&E->memo, k, klen, khash, keep);
		E->memo_size++;
	}
	return ok;
}

/* Resident memory of this process in MB (Linux), 0 when unknown. */
static long long resident_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%lld %lld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4096 / (1024 * 1024);
}

/* A literal's value, parsed once into the program's arena (e->aux). */
static bool parse_literal(Eval *E, Node *e)
{
	Value v = { .k = V_UNSET };
	DecStatus st = DEC_OK;
	switch (e->kind) {
	case N_NUM: v.k = V_NUM; st = dec_parse(e->s, strlen(e->s), &v.d); break;
	case N_PERCENT: v.k = V_PERCENT; st = dec_parse(e->s, strlen(e->s), &v.d); break;
	case N_MONEY:
		v.k = V_MONEY;
		memcpy(v.cur, e->s2, 3);
		st = dec_parse(e->s, strlen(e->s), &v.d);
		break;
	case N_QTY:
		v = (Value){ .k = e->op == U_HOURS ? V_HOURS : V_DUR, .unit = (Unit)e->op };
		st = dec_parse(e->s, strlen(e->s), &v.d);
		break;
	case N_DATE:
		v.k = V_DATE;
		if (!date_parse(e->s, strlen(e->s), &v.date))
			return eval_fail(E, e, "not a date");
		break;
	default:
		if (!parse_period(e->s, &v))
			return eval_fail(E, e, "not a period");
		break;
	}
	if (st)
		return dec_fail(E, e, st);
	Value *keep = arena_alloc(E->P->A, sizeof *keep);
	*keep = v;
	e->aux = keep;
	return true;
}

/* A const's value, evaluated in its own file with no variables visible. */
static bool eval_const(Eval *E, const Node *e, const Decl *d, Value *out)
{
	if (++E->depth > MAX_DEPTH) {
		E->depth--;
		return eval_fail(E, e, "'%s' is defined in terms of itself", e->s);
	}
	Module *saved = E->mod;
	EScope *ss = E->scope;
	E->mod = d->mod;
	E->scope = NULL;
	bool ok = eval(E, d->node->a, out);
	E->mod = saved;
	E->scope = ss;
	E->depth--;
	return ok;
}

/* A name: what the checker resolved it to (e->op), else by its text, in
 * the checker's order: variables, as_of, run_id, definitions, enum members. */
static bool eval_name(Eval *E, Node *e, Value *out)
{
	switch (e->op) {
	case NAME_VAR:
		if (find_binding(E, e, out))
			return true;
		break;
	case NAME_AS_OF: *out = vdate(E->as_of); return true;
	case NAME_RUN_ID: *out = eval_run_id(E); return true;
	case NAME_CONST: case NAME_SYM: {
		/* the definition may change with the SOW in force and in the REPL */
		Decl *d = lookup_def(E, e);
		if (d && d->kind == D_CONST)
			return eval_const(E, e, d, out);
		if (e->op == NAME_SYM) {
			*out = (Value){ .k = V_SYM, .s = e->s };
			return true;
		}
		break;
	}
	default: break;
	}
	if (lookup_var(E, e->s, out))
		return true;
	if (strcmp(e->s, "as_of") == 0) {
		*out = vdate(E->as_of);
		return true;
	}
	if (strcmp(e->s, "run_id") == 0) {
		*out = eval_run_id(E);
		return true;
	}
	Decl *d = lookup(E, e->s);
	if (d && d->kind == D_CONST)
		return eval_const(E, e, d, out);
	if (map_get(&E->P->enum_member, e->s)) {
		*out = (Value){ .k = V_SYM, .s = e->s };
		return true;
	}
	return eval_fail(E, e, "unknown name '%s'", e->s);
}

bool eval_step(Eval *E, const Node *at)
{
	if (E->interrupted && *E->interrupted)
		return eval_fail(E, at, "interrupted");
	if (E->max_memory_mb && (E->steps & 0xffff) == 0 && resident_mb() > E->max_memory_mb)
		return eval_fail(E, at, "memory limit reached (%lld MB); see --max-memory", E->max_memory_mb);
	if (++E->steps > E->max_steps)
		return eval_fail(E, at, "evaluation step limit reached (%lld steps); see --max-steps", E->max_steps);
	return true;
}

static bool eval(Eval *E, Node *e, Value *out)
{
	if (!eval_step(E, e))
		return false;
	switch (e->kind) {
	case N_NUM: case N_PERCENT: case N_MONEY: case N_QTY: case N_DATE: case N_PERIOD:
		/* parsed on first use and kept on the node: no parsing on a hot path */
		if (!e->aux && !parse_literal(E, e))
			return false;
		*out = *(const Value *)e->aux;
		return true;
	case N_STR: *out = (Value){ .k = V_TEXT, .s = e->s }; return true;
	case N_BOOL: *out = vbool(e->op); return true;
	case N_UNSET: *out = (Value){ .k = V_UNSET }; return true;
	case N_NAME:
		return eval_name(E, e, out);
	case N_BIN: {
		Value a, b;
		if (!eval(E, e->a, &a))
			return false;
		if (e->op == OP_AND || e->op == OP_OR) {
			if (a.k != V_BOOL)
				return eval_fail(E, e->a, "'%s' needs true or false, got %s", op_text(e->op), vkind_name(a.k));
			if (a.b == (e->op == OP_OR)) {
				*out = a;
				return true;
			}
			if (!eval(E, e->b, &b))
				return false;
			if (b.k != V_BOOL)
				return eval_fail(E, e->b, "'%s' needs true or false, got %s", op_text(e->op), vkind_name(b.k));
			*out = b;
			return true;
		}
		if (!eval(E, e->b, &b))
			return false;
		return eval_binop(E, e, &a, &b, out);
	}
	case N_NOT:
		if (!eval(E, e->a, out))
			return false;
		if (out->k != V_BOOL)
			return eval_fail(E, e->a, "'not' needs true or false, got %s", vkind_name(out->k));
		out->b = !out->b;
		return true;
	case N_NEG:
		if (!eval(E, e->a, out))
			return false;
		if (out->k == V_UNSET)
			return eval_fail(E, e, "cannot negate an unset value");
		if (out->k != V_NUM && out->k != V_MONEY && out->k != V_HOURS && out->k != V_PERCENT && out->k != V_DUR)
			return eval_fail(E, e, "cannot negate %s", vkind_name(out->k));
		out->d = dec_neg(out->d);
		return true;
	case N_ISSET: {
		Value v;
		if (!eval(E, e->a, &v))
			return false;
		*out = vbool((v.k != V_UNSET) != (e->op == 1));
		return true;
	}
	case N_IN: {
		Value a, list;
		if (!eval(E, e->a, &a) || !eval(E, e->b, &list))
			return false;
		if (list.k != V_LIST)
			return eval_fail(E, e->b, "'in' needs a list, not %s", vkind_name(list.k));
		const Node *x = e->b->kind == N_LIST ? e->b->a : e->b;
		for (int i = 0; i < list.nitems; i++) {
			Value eq;
			Node cmp = { .kind = N_BIN, .op = OP_EQ, .loc = x->loc };
			if (!eval_binop(E, &cmp, &a, &list.items[i], &eq))
				return false;
			if (eq.b) {
				*out = vbool(true);
				return true;
			}
			if (e->b->kind == N_LIST && x->next)
				x = x->next;
		}
		*out = vbool(false);
		return true;
	}
	case N_IF: {
		Value c;
		if (!eval(E, e->a, &c))
			return false;
		if (c.k != V_BOOL)
			return eval_fail(E, e->a, "'if' needs true or false, got %s", vkind_name(c.k));
		return eval(E, c.b ? e->b : e->c, out);
	}
	case N_LIST: {
		int n = 0;
		for (Node *x = e->a; x; x = x->next)
			n++;
		Value *items = arena_alloc(E->tmp, (size_t)(n ? n : 1) * sizeof *items);
		int i = 0;
		for (Node *x = e->a; x; x = x->next)
			if (!eval(E, x, &items[i++]))
				return false;
		*out = (Value){ .k = V_LIST, .items = items, .nitems = n };
		return true;
	}
	case N_CALL: {
		Decl *d = lookup_def(E, e);
		if (d && E->cov)
			coverage_hit(E->cov, d->node);
		if (d && d->kind == D_ROUNDING && E->sow && E->sow->sow->idx != SOW_ROUNDING_NONE) {
			/* a SOW's own rounding clause overrides the policy for it */
			for (Node *c = E->sow->sow->a; c; c = c->next)
				if (c->kind == N_SOWROUND && strcmp(c->s, e->s) == 0) {
					Node *x = e->a ? e->a->a : NULL;
					if (!x)
						return eval_fail(E, e, "rounding %s takes 1 argument", e->s);
					return builtin_round(E, e, x, c->a, c->idx, c->s2, out);
				}
		}
		if (d && (d->kind == D_FN || d->kind == D_ROUNDING))
			return call_decl(E, e, d, out);
		int id = e->op > 0 ? e->op - 1 : builtin_find(e->s);
		if (id >= 0)
			return builtin_call(E, e, id, out);
		return eval_fail(E, e, "unknown function '%s'", e->s);
	}
	case N_SELECTQ: {
		Rel *r;
		if (!rules_query(E, e, &r))
			return false;
		Value *items = arena_alloc(E->tmp, (r->n ? r->n : 1) * sizeof *items);
		for (size_t i = 0; i < r->n; i++)
			items[i] = (Value){ .k = V_ROW, .row = &r->rows[i] };
		*out = (Value){ .k = V_LIST, .items = items, .nitems = (int)r->n };
		return true;
	}
	case N_MEMBER: {
		Value base;
		return eval(E, e->a, &base) && eval_member(E, e, &base, out);
	}
	case N_INDEX: {
		Value id;
		const struct Shape *sh = e->aux ? e->aux : e->a->kind == N_NAME ? map_get(&E->P->shapes, e->a->s) : NULL;
		if (!sh)
			return eval_fail(E, e, "only a table can be indexed by id");
		if (!eval(E, e->b, &id))
			return false;
		if (id.k != V_TEXT && id.k != V_NUM)
			return eval_fail(E, e->b, "a row id is text, not %s", vkind_name(id.k));
		return source_lookup(E, e, (const Shape *)sh, &id, out);
	}
	default:
		return eval_fail(E, e, "cannot evaluate this expression");
	}
}

bool eval_expr(Eval *E, Module *m, Node *e, Value *out)
{
	E->mod = m;
	return eval(E, e, out);
}
