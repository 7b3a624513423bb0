/* source.c: where rows come from — database tables (streamed, with filters
 * pushed into SQL), SOW terms, relations rules emit into, and queries.
 *
 * A database row is read into Values that point into SQLite's own buffers:
 * they live while the statement stays on that row, which is exactly while
 * the rule runs for it. A scan selects only the columns its rule or query
 * reads. Values are checked as they are read: a date that is not a date or
 * "12,50" as hours is an error naming table, row and column. What SQL
 * filtered is not tested again in C (source_left). */
#include "source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "query.h"
#include "schema.h"

#define MAX_PARAMS 16

/* An index of an in-memory relation on the columns a scan's filters equal
 * to what is fixed before it (`r.sow_id == s.id and r.role == role`): their
 * values' text -> the rows that have them, chained through `next`. Built on
 * first use; a lookup touches only the rows of those values. */
#define INDEX_COLS 4
typedef struct RelIndex {
	int cols[INDEX_COLS];
	int ncols;
	Map heads;            /* values' text -> first row index + 1 */
	size_t *next;         /* next row index + 1 with the same value */
	size_t built;         /* rows indexed when it was built */
} RelIndex;

/* How one for/from clause reads its source; made on first use, kept. */
typedef struct Plan {
	RelIndex *ix;              /* in-memory relation: index used, or NULL */
	Node *key[INDEX_COLS];     /* ... and the expressions looked up in it */
	const TableDef *table;     /* database table: */
	sqlite3_stmt *pushed;      /* SELECT ... WHERE pushed filters, or NULL */
	sqlite3_stmt *plain;       /* SELECT ... (no filters), made when needed */
	Node *params[MAX_PARAMS];  /* expressions bound to the ?s of pushed */
	int nparams;
	bool earlier;              /* earlier(T): this run's rows left out */
	uint64_t cols;             /* columns selected (bit i: column i); the rest read as unset */
	const Node *stop;          /* the first clause whose filters were not pushed (shared scans) */
	struct {                   /* what is left to test in C of each pushed filter clause */
		const Node *clause;
		Node *cond;        /* NULL: all of it went into SQL */
	} left[8];
	int nleft;
	bool filtered;             /* the scan running now uses `pushed`: its rows passed it */
	const char *project;       /* Eval.only_project when it was made */
} Plan;

/* ---- relations in memory ---------------------------------------------- */

static Rel *new_rel(Eval *E, const char *name, const Shape *shape)
{
	Rel *r = arena_alloc(E->P->A, sizeof *r);
	r->name = name;
	r->shape = shape;
	map_put(&E->rels, name, r);
	return r;
}

Row *rel_add(Eval *E, Rel *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		Row *nr = arena_alloc(E->P->A, cap * sizeof *nr);
		if (r->n)
			memcpy(nr, r->rows, r->n * sizeof *nr);
		r->rows = nr;
		r->cap = cap;
	}
	Row *row = &r->rows[r->n++];
	row->shape = r->shape;
	row->vals = arena_alloc(E->P->A, (size_t)(r->shape->ncols ? r->shape->ncols : 1) * sizeof(Value));
	return row;
}

static Value text(const char *s) { return s ? (Value){ .k = V_TEXT, .s = s } : (Value){ .k = V_UNSET }; }

static Value money_of(const char *amount, const char *cur)
{
	Value v = { .k = V_MONEY };
	dec_parse(amount, strlen(amount), &v.d); /* checked by the checker */
	memcpy(v.cur, cur ? cur : "???", 3);
	return v;
}

enum { REL_SOWS, REL_RATES, REL_MILESTONES, REL_TRAININGS, REL_CAPS, REL_AMENDMENTS, NSOWRELS };
static const char *const sow_rel_names[NSOWRELS] = { "sows", "sow_rates", "sow_milestones", "sow_trainings", "sow_caps",
						     "sow_amendments" };

static Value date_of(const char *s)
{
	Value v = { .k = V_UNSET };
	if (s && date_parse(s, strlen(s), &v.date)) /* checked by the lexer */
		v.k = V_DATE;
	return v;
}

static const char *join_id(Eval *E, const char *a, const char *b, const char *amend)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s%s%s%s%s", a, b ? " " : "", b ? b : "", amend ? " amendment " : "", amend ? amend : "");
	return arena_strndup(E->P->A, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* The relation a term clause makes a row of; 0 (sows) for the others. */
static int term_rel(NodeKind k)
{
	return k == N_RATE ? REL_RATES : k == N_MILESTONE ? REL_MILESTONES : k == N_TRAINING ? REL_TRAININGS :
	       k == N_AUTHORIZED ? REL_CAPS : 0;
}

/* The rate, milestone, training and cap clauses of a SOW (amend NULL) or of
 * one of its amendments, as term rows carrying the amendment's date and id. */
static void add_terms(Eval *E, Rel **rels, const Node *sow, const Node *list, const Node *amend, const char *cur)
{
	Value from = amend ? date_of(amend->s2) : (Value){ .k = V_UNSET };
	Value by = amend ? text(amend->s) : (Value){ .k = V_UNSET };
	for (const Node *c = list; c; c = c->next) {
		int k = term_rel(c->kind);
		if (!k)
			continue;
		Row *t = rel_add(E, rels[k]);
		t->table = sow_rel_names[k];
		t->vals[0] = text(sow->s);
		t->vals[1] = text(sow->s2);
		int at;
		if (k == REL_RATES) {
			t->id = join_id(E, sow->s, c->s, amend ? amend->s : NULL);
			t->vals[2] = text(c->s);
			t->vals[3] = money_of(c->s2, cur);
			at = 4;
		} else if (k == REL_CAPS) {
			t->id = join_id(E, sow->s, NULL, amend ? amend->s : NULL);
			t->vals[2] = (Value){ .k = V_HOURS };
			dec_parse(c->s, strlen(c->s), &t->vals[2].d);
			at = 3;
		} else {
			/* unique across all SOWs; why shows the amendment that added it */
			t->id = amend ? join_id(E, c->s, NULL, amend->s) : c->s;
			t->vals[2] = text(c->s);
			t->vals[3] = text(c->s2);
			t->vals[4] = money_of(c->a->s, cur);
			at = 5;
		}
		t->vals[at] = from;
		t->vals[at + 1] = by;
	}
}

/* Rows of each SOW relation that a SOW's clauses (or an amendment's) make. */
static void sow_rel_rows(const Node *list, size_t *count)
{
	for (const Node *c = list; c; c = c->next) {
		int k = term_rel(c->kind);
		count[k] += k != REL_SOWS;
		if (c->kind == N_AMENDMENT) {
			count[REL_AMENDMENTS]++;
			sow_rel_rows(c->a, count);
		}
	}
}

/* The SOW terms as relations: sows, sow_rates, sow_milestones, sow_trainings,
 * sow_caps (authorized hours) and sow_amendments. */
static void build_sow_rels(Eval *E)
{
	Rel *rels[NSOWRELS];
	for (int i = 0; i < NSOWRELS; i++)
		rels[i] = new_rel(E, sow_rel_names[i], map_get(&E->P->shapes, sow_rel_names[i]));
	/* In file order, so results never depend on hash order; the SOWs the
	 * run adds (a test's own) come after the files' ones. */
	Map own = { 0 };          /* sow id -> SowRef* of those */
	const Node *added = E->run.sows;
	/* Arrays of the final size: a book's terms are most of what a run keeps,
	 * and arrays doubled in an arena leave every smaller copy behind. */
	size_t count[NSOWRELS] = { 0 };
	for (int m = 0; m <= E->P->nmods; m++)
		for (const Node *it = m < E->P->nmods ? E->P->mods[m]->items : added; it; it = it->next)
			if (it->kind == N_SOW) {
				count[REL_SOWS]++;
				sow_rel_rows(it->a, count);
			}
	for (int i = 0; i < NSOWRELS; i++)
		if (count[i]) {
			rels[i]->rows = arena_alloc(E->P->A, count[i] * sizeof *rels[i]->rows);
			rels[i]->cap = count[i];
		}
	for (int m = 0; m <= E->P->nmods; m++)
		for (Node *it = m < E->P->nmods ? E->P->mods[m]->items : (Node *)added; it; it = it->next) {
			if (it->kind != N_SOW)
				continue;
			if (m == E->P->nmods) {
				SowRef *ref = arena_alloc(E->P->A, sizeof *ref);
				*ref = (SowRef){ it, it, E->mod };
				map_put(&own, it->s, ref);
			}
			const char *cur = NULL, *cal = NULL, *customer = NULL, *billing = NULL;
			/* no acceptance clause: unset, and rules/std supplies the default window */
			Value days = { .k = V_UNSET }, auth = { .k = V_UNSET }, po = { .k = V_BOOL, .b = false };
			for (Node *c = it->a; c; c = c->next)
				switch (c->kind) {
				case N_CURRENCY: cur = c->s; break;
				case N_SOWCAL: cal = c->s; break;
				case N_CUSTOMER: customer = c->s; break;
				case N_BILLING: billing = c->s; break;
				case N_ACCEPTANCE: days.k = V_NUM; dec_parse(c->s, strlen(c->s), &days.d); break;
				case N_AUTHORIZED: auth.k = V_HOURS; dec_parse(c->s, strlen(c->s), &auth.d); break;
				case N_PO_REQUIRED: po.b = true; break;
				default: break;
				}
			Row *r = rel_add(E, rels[REL_SOWS]);
			r->table = "sows";
			r->id = it->s;
			Value v[] = { text(it->s), text(it->s2), text(customer), text(cur), text(cal ? cal : NULL),
				      billing ? (Value){ .k = V_SYM, .s = billing } : (Value){ .k = V_UNSET }, days, auth, po };
			memcpy(r->vals, v, sizeof v);
			add_terms(E, rels, it, it->a, NULL, cur);
			for (Node *a = it->a; a; a = a->next) {
				if (a->kind != N_AMENDMENT)
					continue;
				add_terms(E, rels, it, a->a, a, cur);
				Row *t = rel_add(E, rels[REL_AMENDMENTS]);
				t->table = "sow_amendments";
				t->id = join_id(E, it->s, NULL, a->s);
				t->vals[0] = text(it->s);
				t->vals[1] = text(it->s2);
				t->vals[2] = text(a->s);
				t->vals[3] = date_of(a->s2);
			}
		}
	/* the SOW each row is (the run's own SOW first, as bind_sow did) */
	for (size_t i = 0; i < rels[0]->n; i++) {
		Row *r = &rels[0]->rows[i];
		r->sow = map_get(&own, r->id);
		if (!r->sow)
			r->sow = map_get(&E->P->sows, r->id);
	}
	map_free(&own);
}

Rel *engine_rel(Eval *E, const char *name)
{
	Rel *r = map_get(&E->rels, name);
	if (r)
		return r;
	if (strncmp(name, "sow", 3) == 0 && map_get(&E->P->shapes, name) && !schema_table(name)) {
		const Shape *s = map_get(&E->P->shapes, name);
		if (s->source == 2) {
			build_sow_rels(E);
			return map_get(&E->rels, name);
		}
	}
	Decl *d = map_get(&E->P->decls, name);
	if (d && d->kind == D_RELATION) {
		r = new_rel(E, name, map_get(&E->P->shapes, name));
		r->unique = d->node->b;
		return r;
	}
	return NULL;
}

void engine_free(Eval *E)
{
	for (size_t i = 0; i < E->plans.cap; i++)
		if (E->plans.keys[i]) {
			Plan *p = E->plans.vals[i];
			sqlite3_finalize(p->pushed);
			sqlite3_finalize(p->plain);
			if (p->ix) {
				map_free(&p->ix->heads);
				free(p->ix->next);
				free(p->ix);
			}
			free(p);
		}
	ptrmap_free(&E->plans);
	if (E->joins_free) /* (plan.c frees its own: the scans know nothing of joins) */
		E->joins_free(E);
	for (size_t i = 0; i < E->rels.cap; i++)
		if (E->rels.keys[i])
			map_free(&((Rel *)E->rels.vals[i])->keys);
	map_free(&E->rels);
	map_free(&E->warned);
}

/* ---- database rows ------------------------------------------------------ */

static bool bad_value(Eval *E, Node *at, const TableDef *t, const char *id, const char *col, const char *text,
		      const char *why)
{
	return eval_fail(E, at, "%s row %s: column %s: '%s' %s", t->name, id, col, text ? text : "NULL", why);
}

/* Column i of the statement's current row (column 0 is the rowid). */
static bool read_value(Eval *E, Node *at, sqlite3_stmt *st, const TableDef *t, int i, const char *id, Value *v)
{
	const ColumnDef *col = &t->cols[i];
	int type = sqlite3_column_type(st, i + 1);
	*v = (Value){ .k = V_UNSET };
	if (type == SQLITE_NULL)
		return true;
	const char *s = (const char *)sqlite3_column_text(st, i + 1);
	size_t n = (size_t)sqlite3_column_bytes(st, i + 1);
	switch (col->type) {
	case COL_TEXT:
		*v = (Value){ .k = V_TEXT, .s = s };
		return true;
	case COL_DATE:
		v->k = V_DATE;
		return date_parse(s, n, &v->date) || bad_value(E, at, t, id, col->name, s, "is not a date (YYYY-MM-DD)");
	case COL_PERIOD: {
		int y, m;
		*v = (Value){ .k = V_PERIOD, .pk = PER_MONTH };
		if (!date_parse_month(s, n, &y, &m))
			return bad_value(E, at, t, id, col->name, s, "is not a month (YYYY-MM)");
		v->year = y;
		v->idx = m;
		return true;
	}
	case COL_BOOL:
		v->k = V_BOOL;
		if (type == SQLITE_INTEGER && (sqlite3_column_int64(st, i + 1) == 0 || sqlite3_column_int64(st, i + 1) == 1)) {
			v->b = sqlite3_column_int64(st, i + 1) == 1;
			return true;
		}
		if (n == 1 && (s[0] == '0' || s[0] == '1')) {
			v->b = s[0] == '1';
			return true;
		}
		return bad_value(E, at, t, id, col->name, s, "is not 1 or 0");
	case COL_INT: case COL_DECIMAL: case COL_HOURS: case COL_MONEY: {
		v->k = col->type == COL_HOURS ? V_HOURS : col->type == COL_MONEY ? V_MONEY : V_NUM;
		if (type == SQLITE_INTEGER) {
			v->d = dec_from_int(sqlite3_column_int64(st, i + 1));
			return true;
		}
		if (type == SQLITE_FLOAT) {
			/* A binary float in the data: take its shortest decimal form,
			 * and say so once per column. */
			char buf[40];
			double x = sqlite3_column_double(st, i + 1);
			for (int p = 1; p <= 17; p++) {
				snprintf(buf, sizeof buf, "%.*g", p, x);
				if (strtod(buf, NULL) == x)
					break;
			}
			if (strchr(buf, 'e') || strchr(buf, 'n') || strchr(buf, 'i') || dec_parse(buf, strlen(buf), &v->d) != DEC_OK)
				return bad_value(E, at, t, id, col->name, buf, "is a floating-point value that is not a plain decimal");
			char key[128];
			snprintf(key, sizeof key, "%s.%s", t->name, col->name);
			if (!map_get(&E->warned, key)) {
				map_put(&E->warned, arena_strndup(E->P->A, key, strlen(key)), (void *)1);
				diag_at(E->D, E->mod->src, at->loc, DIAG_WARNING,
					"%s row %s: column %s holds a binary floating-point value (%s); store amounts as text",
					t->name, id, col->name, buf);
			}
			return true;
		}
		DecStatus st2 = dec_parse(s, n, &v->d);
		if (st2 != DEC_OK)
			return bad_value(E, at, t, id, col->name, s, st2 == DEC_SYNTAX ? "is not a decimal number" : "is out of range");
		if (col->type == COL_INT && v->d.scale)
			return bad_value(E, at, t, id, col->name, s, "is not a whole number");
		return true;
	}
	}
	return true;
}

/* Column index of a table's id and currency (-1: none), found once. */
static void table_cols(const TableDef *t, int *idcol, int *cur)
{
	*idcol = t->id ? schema_column(t, t->id) : -1;
	*cur = schema_column(t, "currency");
}

/* Read the current row of st (rowid, then every column of t). */
static bool read_row(Eval *E, Node *at, sqlite3_stmt *st, const TableDef *t, const Shape *shape, Row *row, char *idbuf)
{
	int idcol, cur;
	if (shape && shape->table == t) { /* found by the checker: no names compared per row */
		idcol = shape->idcol;
		cur = shape->curcol;
	} else {
		table_cols(t, &idcol, &cur);
	}
	const char *id = idcol >= 0 ? (const char *)sqlite3_column_text(st, idcol + 1) : NULL;
	if (!id) {
		/* the rowid as its name (no printf: once per row of a table without an id) */
		long long r = sqlite3_column_int64(st, 0);
		char tmp[24];
		int k = 0;
		unsigned long long u = r < 0 ? 0 - (unsigned long long)r : (unsigned long long)r;
		do
			tmp[k++] = (char)('0' + u % 10);
		while (u /= 10);
		if (r < 0)
			tmp[k++] = '-';
		for (int i = 0; i < k; i++)
			idbuf[i] = tmp[k - 1 - i];
		idbuf[k] = 0;
		id = idbuf;
	}
	row->shape = shape;
	row->table = t->name;
	row->id = id;
	for (int i = 0; i < t->ncols; i++)
		if (!read_value(E, at, st, t, i, id, &row->vals[i]))
			return false;
	for (int i = 0; i < t->ncols; i++)
		if (row->vals[i].k == V_MONEY) {
			/* reporting_amount is in reporting_currency (schema.h); a plain
			 * name like amount needs no lookup per row */
			int ci = strchr(t->cols[i].name, '_') ? schema_currency_column(t, t->cols[i].name) : cur;
			if (ci < 0)
				continue;
			const char *c = row->vals[ci].k == V_TEXT ? row->vals[ci].s : NULL;
			if (!c || !money_is_currency(c))
				return bad_value(E, at, t, id, t->cols[ci].name, c, "is not a currency code this row's amount can be in");
			memcpy(row->vals[i].cur, c, 3);
		}
	return true;
}

static size_t select_list(char *sql, size_t size, const TableDef *t, uint64_t cols)
{
	size_t n = (size_t)snprintf(sql, size, "SELECT rowid");
	for (int i = 0; i < t->ncols; i++)
		if (cols >> i & 1)
			n += (size_t)snprintf(sql + n, size - n, ", \"%s\"", t->cols[i].name);
		else
			n += (size_t)snprintf(sql + n, size - n, ", NULL");
	return n + (size_t)snprintf(sql + n, size - n, " FROM \"%s\"", t->name);
}

/* ---- the columns a scan reads ----------------------------------------- */

typedef struct {
	const TableDef *t;
	uint64_t cols;
	bool whole;           /* the row is used as a whole */
} Need;

static void need_column(const char *col, void *arg)
{
	Need *n = arg;
	int c = col ? schema_column(n->t, col) : -1;
	if (!col)
		n->whole = true;
	else if (c >= 0)
		n->cols |= (uint64_t)1 << c;
}

/* The columns of t a scan of `clause` must read: those that `rest` (the
 * rule's clauses after it, or the query it is a source of) reads as
 * var.col, or as a bare name in a single-source query; the id and the
 * currency (the row's name, its amounts' unit). Every column when the row
 * is used whole, a query has no select (its rows are the source's), or
 * nothing says who reads the row (a scan made by the engine itself). */
static uint64_t columns_read(const Node *clause, const char *var, const Node *rest, const TableDef *t)
{
	uint64_t all = t->ncols >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << t->ncols) - 1;
	if (!rest || t->ncols > 64 || (clause->kind == N_FROMITEM && (rest->kind != N_SELECTQ || !rest->d)))
		return all;
	Need n = { t, 0, false };
	bool single = clause->kind == N_FROMITEM && rest->a == clause && !clause->next;
	ast_uses(rest, var, single, need_column, &n);
	if (n.whole)
		return all;
	int idcol, cur;
	table_cols(t, &idcol, &cur);
	if (idcol >= 0)
		n.cols |= (uint64_t)1 << idcol;
	if (cur >= 0)
		n.cols |= (uint64_t)1 << cur;
	for (int i = 0; i < t->ncols; i++) /* the currency of each amount read */
		if (n.cols >> i & 1 && t->cols[i].type == COL_MONEY) {
			int c = schema_currency_column(t, t->cols[i].name);
			if (c >= 0)
				n.cols |= (uint64_t)1 << c;
		}
	return n.cols;
}

/* ---- pushdown --------------------------------------------------------- */

static bool in_scope(const Eval *E, const char *name)
{
	for (const EScope *s = E->scope; s; s = s->up)
		if (strcmp(s->name, name) == 0)
			return true;
	return false;
}

/* Does e depend only on what is known before the scan starts? */
bool source_fixed(const Eval *E, const Node *e, const char *var)
{
	if (!e)
		return true;
	switch (e->kind) {
	case N_NAME:
		if (strcmp(e->s, var) == 0)
			return false;
		if (in_scope(E, e->s) || strcmp(e->s, "as_of") == 0 || strcmp(e->s, "run_id") == 0 || map_get(&E->P->enum_member, e->s))
			return true;
		{
			Decl *d = program_lookup(E->P, E->mod, e->s);
			return d && d->kind == D_CONST;
		}
	case N_SELECTQ: case N_RECORD: case N_INDEX:
		return false;
	case N_CALL:
		for (const Node *a = e->a; a; a = a->next)
			if (!source_fixed(E, a->a, var))
				return false;
		return true;
	case N_MEMBER:
		return source_fixed(E, e->a, var);
	default:
		return source_fixed(E, e->a, var) && source_fixed(E, e->b, var) && source_fixed(E, e->c, var) &&
		       (e->kind != N_LIST || !e->a || source_fixed(E, e->a->next, var));
	}
}

Node *source_and_left(Eval *E, Node *and, Node *a, Node *b)
{
	if (!a || !b)
		return a ? a : b;
	if (a == and->a && b == and->b)
		return and;
	Node *both = ast_node(E->P->A, N_BIN, and->loc);
	both->op = OP_AND;
	both->a = a;
	both->b = b;
	return both;
}

/* var.col of a pushable column type, else -1. */
static int column_of(const Node *e, const char *var, const TableDef *t)
{
	if (e->kind != N_MEMBER || e->a->kind != N_NAME || strcmp(e->a->s, var) != 0)
		return -1;
	int c = schema_column(t, e->s);
	if (c < 0)
		return -1;
	ColType ty = t->cols[c].type;
	/* text, dates (ISO text orders as dates) and integers compare in SQL
	 * exactly as here; decimals stored as text do not, so they stay in C. */
	return ty == COL_TEXT || ty == COL_DATE || ty == COL_INT || ty == COL_BOOL || ty == COL_PERIOD ? c : -1;
}

/* Push the conjuncts of e that SQL tests exactly as C does into the WHERE
 * of sql; returns what is left for C to test (NULL: nothing, e: all). */
static Node *push(Eval *E, Plan *p, Node *e, const char *var, char *sql, size_t *n, size_t size)
{
	static const char *const ops[] = { [OP_EQ - OP_EQ] = "=", [OP_NE - OP_EQ] = "!=", [OP_LT - OP_EQ] = "<",
		[OP_LE - OP_EQ] = "<=", [OP_GT - OP_EQ] = ">", [OP_GE - OP_EQ] = ">=" };
	static const char *const flipped[] = { "=", "!=", ">", ">=", "<", "<=" };
	if (e->kind == N_BIN && e->op == OP_AND) {
		/* in the written order: the SQL says them so */
		Node *a = push(E, p, e->a, var, sql, n, size), *b = push(E, p, e->b, var, sql, n, size);
		return source_and_left(E, e, a, b);
	}
	const char *where = p->nparams || strstr(sql, " WHERE ") ? " AND " : " WHERE ";
	if (e->kind == N_ISSET) {
		int c = column_of(e->a, var, p->table);
		if (c < 0)
			return e;
		*n += (size_t)snprintf(sql + *n, size - *n, "%s\"%s\" IS %sNULL", where, p->table->cols[c].name,
				       e->op ? "" : "NOT ");
		return NULL;
	}
	if (e->kind != N_BIN || e->op < OP_EQ || e->op > OP_GE || p->nparams == MAX_PARAMS)
		return e;
	int c = column_of(e->a, var, p->table);
	const Node *other = e->b;
	const char *op = ops[e->op - OP_EQ];
	if (c < 0) {
		c = column_of(e->b, var, p->table);
		other = e->a;
		op = flipped[e->op - OP_EQ];
	}
	if (c < 0 || !source_fixed(E, other, var))
		return e;
	*n += (size_t)snprintf(sql + *n, size - *n, "%s\"%s\" %s ?", where, p->table->cols[c].name, op);
	p->params[p->nparams++] = (Node *)other;
	return NULL;
}

/* earlier(T) reads the rows of runs before this one: those this run
 * writes are left out, whenever the rule runs. */
static size_t earlier_filter(Eval *E, const Plan *p, char *sql, size_t size)
{
	if (!p->earlier || size < 2)
		return 0;
	long long id = E->run.id;
	return (size_t)snprintf(sql, size, " WHERE run_id IS NOT %lld", id);
}

/* A what-if run for one project (Eval.only_project): a table keyed by
 * project gives that project's rows only. Returns the length written. */
static size_t project_filter(Eval *E, const TableDef *t, char *sql, size_t n, size_t size)
{
	const char *col = E->only_project ? project_column(t) : NULL;
	if (!col || n + 1 >= size)
		return 0;
	sqlite3_snprintf((int)(size - n), sql + n, "%s\"%w\" = %Q", strstr(sql, " WHERE ") ? " AND " : " WHERE ", col,
			 E->only_project);
	return strlen(sql + n);
}

/* ... and of SOW terms and declared relations, the rows of that project
 * (a query's result is made from scans that were filtered already): the
 * column to test, or -1. */
static int project_col(const Eval *E, const Shape *sh)
{
	return E->only_project && sh && sh->source != 3 ? shape_project_column(sh) : -1;
}

static bool in_project(const Eval *E, int col, const Row *r)
{
	const Value *v = col >= 0 ? &r->vals[col] : NULL;
	return !v || ((v->k == V_TEXT || v->k == V_SYM) && strcmp(v->s, E->only_project) == 0);
}

/* The scan kept under key, made on first use; `also`: columns others read
 * too (a shared scan), which remakes a plan made without them. */
static Plan *plan_for(Eval *E, const void *key, Node *clause, const char *var, Node *rest, const TableDef *t,
		      uint64_t also, const Node *stop)
{
	Plan *p = ptrmap_get(&E->plans, key);
	if (p && (also & ~p->cols) == 0 && p->stop == stop && p->project == E->only_project)
		return p;
	if (p) {
		also |= p->cols;
		sqlite3_finalize(p->pushed);
		sqlite3_finalize(p->plain);
		memset(p, 0, sizeof *p);
	} else {
		p = calloc(1, sizeof *p);
		if (!p)
			abort();
	}
	p->table = t;
	p->project = E->only_project;
	p->cols = columns_read(clause, var, rest, t) | also;
	p->earlier = clause->a->kind == N_CALL && strcmp(clause->a->s, "earlier") == 0;
	char sql[8192];
	size_t n = select_list(sql, sizeof sql, t, p->cols);
	n += earlier_filter(E, p, sql + n, sizeof sql - n);
	n += project_filter(E, t, sql, n, sizeof sql);
	/* A rule's filters up to its next `for` (or the end of what a shared
	 * scan shares), or a query's where. What SQL tests, C need not test
	 * again: each clause's remainder is kept. */
	p->stop = stop;
	if (clause->kind == N_FOR) {
		for (Node *f = rest; f && f != stop && f->kind != N_FOR; f = f->next)
			if (f->kind == N_WHERE || f->kind == N_WHEN) {
				Node *left = push(E, p, f->a, var, sql, &n, sizeof sql);
				if (left != f->a && p->nleft < (int)(sizeof p->left / sizeof *p->left)) {
					p->left[p->nleft].clause = f;
					p->left[p->nleft++].cond = left;
				}
			}
	} else if (rest && rest->b) {
		push(E, p, rest->b, var, sql, &n, sizeof sql);
	}
	if (n < sizeof sql - 1 && sqlite3_prepare_v2(E->db, sql, -1, &p->pushed, NULL) != SQLITE_OK) {
		sqlite3_finalize(p->pushed);
		p->pushed = NULL;
	}
	/* The plan is keyed by the clause node (or the join that reads it),
	 * which lives as long as E. */
	ptrmap_put(&E->plans, key, p);
	return p;
}

/* Bind the pushed parameters; false when one cannot be bound exactly (an
 * unset or a decimal value): then the scan runs unfiltered and C decides. */
static bool bind_params(Eval *E, Plan *p, bool *ok)
{
	*ok = true;
	sqlite3_reset(p->pushed);
	for (int i = 0; i < p->nparams; i++) {
		Value v;
		if (!eval_expr(E, E->mod, p->params[i], &v)) {
			*ok = false;
			return false;
		}
		char buf[64];
		long long k;
		switch (v.k) {
		case V_TEXT: case V_SYM: sqlite3_bind_text(p->pushed, i + 1, v.s, -1, SQLITE_TRANSIENT); break;
		case V_DATE: sqlite3_bind_text(p->pushed, i + 1, date_fmt(v.date, buf), 10, SQLITE_TRANSIENT); break;
		case V_BOOL: sqlite3_bind_int(p->pushed, i + 1, v.b); break;
		case V_PERIOD:
			if (v.pk != PER_MONTH)
				return false;
			snprintf(buf, sizeof buf, "%04d-%02d", v.year, v.idx);
			sqlite3_bind_text(p->pushed, i + 1, buf, -1, SQLITE_TRANSIENT);
			break;
		case V_NUM:
			if (!dec_to_ll(v.d, &k))
				return false;
			sqlite3_bind_int64(p->pushed, i + 1, k);
			break;
		default: return false;
		}
	}
	return true;
}

static bool scan_table(Eval *E, const void *key, Node *clause, const char *var, Node *rest, uint64_t also,
		       const Node *stop, const TableDef *t, const Shape *shape, RowFn fn, void *arg)
{
	if (!E->db)
		return eval_fail(E, clause, "reading %s needs a database (--db DB)", t->name);
	Plan *p = plan_for(E, key, clause, var, rest, t, also, stop);
	sqlite3_stmt *st = NULL;
	bool ok = true;
	if (p->pushed && bind_params(E, p, &ok))
		st = p->pushed;
	if (!ok)
		return false;
	if (!st) {
		if (!p->plain) {
			char sql[8192];
			size_t n = select_list(sql, sizeof sql, t, p->cols);
			n += earlier_filter(E, p, sql + n, sizeof sql - n);
			project_filter(E, t, sql, n, sizeof sql);
			if (sqlite3_prepare_v2(E->db, sql, -1, &p->plain, NULL) != SQLITE_OK)
				return eval_db_fail(E, clause, t->name);
		}
		st = p->plain;
		sqlite3_reset(st);
	}
	Value vals[32];
	Row row = { .vals = vals };
	char idbuf[24];
	int rc;
	bool filtered = p->filtered; /* (a scan of this clause inside its own rows) */
	p->filtered = st == p->pushed;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!read_row(E, clause, st, t, shape, &row, idbuf) || !fn(E, &row, arg)) {
			sqlite3_reset(st);
			p->filtered = filtered;
			return false;
		}
	}
	p->filtered = filtered;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return eval_db_fail(E, clause, t->name);
	return true;
}

static bool scan_rel(Eval *E, const Rel *r, RowFn fn, void *arg)
{
	int pc = project_col(E, r->shape);
	for (size_t i = 0; i < r->n; i++)
		if (in_project(E, pc, &r->rows[i]) && !fn(E, &r->rows[i], arg))
			return false;
	return true;
}

static bool cell_key(const Value *v, char *buf, size_t n)
{
	if (v->k == V_TEXT || v->k == V_SYM) {
		snprintf(buf, n, "%s", v->s);
		return true;
	}
	if (v->k == V_DATE || v->k == V_PERIOD || v->k == V_BOOL) {
		value_fmt(v, buf, n);
		return true;
	}
	return false; /* numbers: 1.0 == 1.00, so no text key */
}

/* var.col == fixed expression, with col a text-like column: the column. */
static int rel_eq(const Eval *E, const Node *e, const char *var, const Shape *sh, Node **other)
{
	if (e->kind != N_BIN || e->op != OP_EQ)
		return -1;
	for (int side = 0; side < 2; side++) {
		const Node *m = side ? e->b : e->a, *o = side ? e->a : e->b;
		if (m->kind != N_MEMBER || m->a->kind != N_NAME || strcmp(m->a->s, var) != 0 || !source_fixed(E, o, var))
			continue;
		for (int c = 0; c < sh->ncols; c++)
			if (strcmp(sh->cols[c], m->s) == 0 &&
			    (sh->types[c].k == V_TEXT || sh->types[c].k == V_SYM || sh->types[c].k == V_DATE)) {
				*other = (Node *)o;
				return c;
			}
	}
	return -1;
}

/* Every conjunct of e that is an equality on a text-like column (one per
 * column), into ix and keys. */
static void find_eqs(const Eval *E, const Node *e, const char *var, const Shape *sh, RelIndex *ix, Node **keys)
{
	if (e->kind == N_BIN && e->op == OP_AND) {
		find_eqs(E, e->a, var, sh, ix, keys);
		find_eqs(E, e->b, var, sh, ix, keys);
		return;
	}
	Node *other = NULL;
	int c = rel_eq(E, e, var, sh, &other);
	for (int i = 0; i < ix->ncols && c >= 0; i++)
		if (ix->cols[i] == c)
			c = -1;
	if (c >= 0 && ix->ncols < INDEX_COLS) {
		keys[ix->ncols] = other;
		ix->cols[ix->ncols++] = c;
	}
}

/* The index key of values vals[cols[i]] (a row's, or the looked-up ones):
 * their texts, a unit separator between; false when one has no text key. */
static bool index_key(const RelIndex *ix, const Value *const *vals, char *buf, size_t n)
{
	size_t len = 0;
	for (int i = 0; i < ix->ncols; i++) {
		if (i) {
			if (len + 2 >= n)
				return false;
			buf[len++] = '\x1f';
		}
		if (!cell_key(vals[i], buf + len, n - len))
			return false;
		len += strlen(buf + len);
		if (len + 1 >= n)
			return false; /* cut short: it might equal another key */
	}
	return true;
}

static bool scan_rel_filtered(Eval *E, Node *clause, const char *var, Node *rest, Rel *r, RowFn fn, void *arg)
{
	Plan *rp = ptrmap_get(&E->plans, clause);
	if (!rp) {
		rp = calloc(1, sizeof *rp);
		RelIndex ix = { .ncols = 0 };
		if (!rp)
			abort();
		if (clause->kind == N_FOR) {
			for (Node *f = rest; f && f->kind != N_FOR; f = f->next)
				if (f->kind == N_WHERE || f->kind == N_WHEN)
					find_eqs(E, f->a, var, r->shape, &ix, rp->key);
		} else if (rest && rest->b) {
			find_eqs(E, rest->b, var, r->shape, &ix, rp->key);
		}
		if (ix.ncols) {
			rp->ix = calloc(1, sizeof *rp->ix);
			if (!rp->ix)
				abort();
			*rp->ix = ix;
		}
		ptrmap_put(&E->plans, clause, rp);
	}
	if (!rp->ix)
		return scan_rel(E, r, fn, arg);
	RelIndex *ix = rp->ix;
	const Value *vals[INDEX_COLS];
	char key[512];
	if (ix->built != r->n) {
		size_t *nx = realloc(ix->next, (r->n ? r->n : 1) * sizeof *nx);
		if (!nx)
			abort();
		ix->next = nx;
		map_free(&ix->heads);
		/* chain in reverse so a lookup yields rows in insertion order */
		for (size_t i = r->n; i-- > 0;) {
			ix->next[i] = 0;
			for (int c = 0; c < ix->ncols; c++)
				vals[c] = &r->rows[i].vals[ix->cols[c]];
			if (!index_key(ix, vals, key, sizeof key))
				continue;
			ix->next[i] = (size_t)map_get(&ix->heads, key);
			map_put(&ix->heads, ix->next[i] ? (const char *)map_key(&ix->heads, key)
							 : arena_strndup(E->P->A, key, strlen(key)), (void *)(i + 1));
		}
		ix->built = r->n;
	}
	Value v[INDEX_COLS];
	for (int c = 0; c < ix->ncols; c++) {
		if (!eval_expr(E, E->mod, rp->key[c], &v[c]))
			return false;
		vals[c] = &v[c];
	}
	if (!index_key(ix, vals, key, sizeof key))
		return scan_rel(E, r, fn, arg);
	int pc = project_col(E, r->shape);
	for (size_t i = (size_t)map_get(&ix->heads, key); i; i = ix->next[i - 1])
		if (in_project(E, pc, &r->rows[i - 1]) && !fn(E, &r->rows[i - 1], arg))
			return false;
	return true;
}

bool source_scan(Eval *E, Node *clause, const char *var, Node *rest, RowFn fn, void *arg)
{
	return source_scan_as(E, clause, clause, var, rest, fn, arg);
}

bool source_scan_as(Eval *E, const void *key, Node *clause, const char *var, Node *rest, RowFn fn, void *arg)
{
	Node *src = clause->a;
	const Shape *shape = clause->aux;
	if (src->kind == N_SELECTQ) {
		Rel *r;
		return rules_query(E, src, &r) && scan_rel(E, r, fn, arg);
	}
	Decl *d = program_lookup(E->P, E->mod, src->s);
	if (d && d->kind == D_QUERY) {
		/* bind the arguments to the query's parameters */
		EScope params[MAX_PARAMS];
		EScope *saved = E->scope;
		EScope *chain = NULL;
		int i = 0;
		Node *p = d->node->a;
		for (Node *a = src->kind == N_CALL ? src->a : NULL; a && p && i < MAX_PARAMS; a = a->next, p = p->next, i++) {
			params[i].name = p->s;
			if (!eval_expr(E, E->mod, a->a, &params[i].v))
				return false;
			params[i].up = chain;
			chain = &params[i];
		}
		Module *saved_mod = E->mod;
		E->scope = chain;
		E->mod = d->mod;
		Rel *r;
		bool ok = rules_query(E, d->node->b, &r);
		E->scope = saved;
		E->mod = saved_mod;
		return ok && scan_rel(E, r, fn, arg);
	}
	/* a table or not, as the checker found it: no name looked up per scan */
	if (src->kind == N_CALL && !d && strcmp(src->s, "earlier") == 0) {
		const TableDef *e = shape ? shape->table : NULL;
		if (!e)
			return eval_fail(E, src, "earlier() takes one output table");
		return scan_table(E, key, clause, var, rest, 0, NULL, e, shape, fn, arg);
	}
	const TableDef *t = shape ? shape->table : schema_table(src->s);
	if (t)
		return scan_table(E, key, clause, var, rest, 0, NULL, t, shape, fn, arg);
	Rel *r = engine_rel(E, src->s);
	if (!r)
		return eval_fail(E, src, "unknown relation '%s'", src->s);
	return scan_rel_filtered(E, clause, var, rest, r, fn, arg);
}

bool source_scan_shared(Eval *E, const void *key, Node *clause, const char *var, Node *rest, const Node *stop,
			Node *const *more, int nmore, RowFn fn, void *arg)
{
	const TableDef *t = clause->a->kind == N_NAME ? schema_table(clause->a->s) : NULL;
	if (!t || program_lookup(E->P, E->mod, clause->a->s))
		return source_scan_as(E, key, clause, var, rest, fn, arg);
	uint64_t also = 0;
	for (int i = 0; i < nmore; i++)
		also |= columns_read(clause, var, more[i], t);
	return scan_table(E, key, clause, var, rest, also, stop, t, clause->aux, fn, arg);
}

const Node *source_left(Eval *E, const void *key, const Node *filter)
{
	const Plan *p = key ? ptrmap_get(&E->plans, key) : NULL;
	if (p && p->filtered)
		for (int i = 0; i < p->nleft; i++)
			if (p->left[i].clause == filter)
				return p->left[i].cond;
	return filter->a;
}

const char *source_where(Eval *E, const void *key)
{
	const Plan *p = ptrmap_get(&E->plans, key);
	const char *sql = p && p->pushed ? sqlite3_sql(p->pushed) : NULL;
	const char *w = sql ? strstr(sql, " WHERE ") : NULL;
	return w ? w + 6 : NULL;
}

long long source_rows_estimate(Eval *E, const TableDef *t)
{
	/* max(rowid) is one step down the b-tree, not a count of the rows */
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT max(rowid) FROM \"%s\"", t->name);
	sqlite3_stmt *st;
	long long n = -1;
	if (E->db && sqlite3_prepare_v2(E->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

bool source_lookup(Eval *E, Node *at, const Shape *shape, const Value *id, Value *out)
{
	const TableDef *t = shape->table ? shape->table : schema_table(shape->name);
	if (!t || !E->db)
		return eval_fail(E, at, "looking up %s needs a database (--db DB)", shape->name);
	char sql[4096];
	size_t n = select_list(sql, sizeof sql, t, ~(uint64_t)0);
	snprintf(sql + n, sizeof sql - n, " WHERE \"%s\" = ?", t->id);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(E->db, sql, -1, &st, NULL) != SQLITE_OK)
		return eval_db_fail(E, at, t->name);
	char buf[DEC_BUFSZ];
	if (id->k == V_TEXT)
		sqlite3_bind_text(st, 1, id->s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 1, dec_fmt(id->d, buf), -1, SQLITE_TRANSIENT);
	*out = (Value){ .k = V_UNSET };
	int rc = sqlite3_step(st);
	bool ok = true;
	if (rc == SQLITE_ROW) {
		Value vals[32];
		Row row = { .vals = vals };
		char idbuf[24];
		ok = read_row(E, at, st, t, shape, &row, idbuf);
		if (ok) {
			/* copy: the row outlives the statement */
			Row *keep = arena_alloc(E->tmp, sizeof *keep);
			*keep = row;
			keep->vals = arena_alloc(E->tmp, (size_t)t->ncols * sizeof(Value));
			for (int i = 0; i < t->ncols; i++)
				keep->vals[i] = value_keep(E->tmp, vals[i]);
			keep->id = arena_strndup(E->tmp, row.id, strlen(row.id));
			*out = (Value){ .k = V_ROW, .row = keep };
		}
	} else if (rc != SQLITE_DONE) {
		ok = eval_db_fail(E, at, t->name);
	}
	sqlite3_finalize(st);
	return ok;
}
