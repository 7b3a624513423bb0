/* assume.c: what-if assumptions of a session. `assume TABLE["ID"].COLUMN =
 * VALUE` changes one cell of the session's view, never the database: the
 * table is shadowed by a TEMP copy holding the assumptions, and what reads
 * it is made again when next read (view.c). A later assumption of the same
 * cell replaces the earlier one, so a session's assumptions are as many as
 * the cells they change, and each costs one copy of its table at most. */
#include <stdlib.h>
#include <string.h>

#include "keyscope.h"
#include "schema.h"
#include "stmtint.h"
#include "view.h"

static char *dupstr(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

void session_clear_assumptions(Session *S)
{
	char *tables[64]; /* each assumed table once (there are fewer input tables) */
	int n = 0;
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		bool seen = false;
		for (int j = 0; j < n && !seen; j++)
			seen = strcmp(tables[j], a->table) == 0;
		if (!seen && n < 64)
			tables[n++] = a->table;
		else
			free(a->table);
		free(a->id);
		free(a->column);
		free(a->value);
		free(a->source);
	}
	free(S->assumes);
	S->assumes = NULL;
	S->nassumes = 0;
	view_drop_parked(S); /* made with the assumptions */
	for (int i = 0; S->db && i < n; i++)
		view_exec(S->db, "DROP TABLE IF EXISTS temp.\"%s\"", tables[i]);
	/* what read the assumed tables runs again; the rest stays */
	if (n)
		view_mark_stale(S, tables, n, false, NULL);
	for (int i = 0; i < n; i++)
		free(tables[i]);
}

/* The project whose rows an assumption on table.column of row id changes
 * (the row's project as the view has it), or NULL: another or more than one
 * (a row moved to another project, a table not keyed by project). */
static char *assumed_project(Session *S, const char *table, const char *id, const char *column)
{
	const char *col = project_column(schema_table(table));
	if (!col || strcmp(column, col) == 0)
		return NULL;
	if (strcmp(col, "id") == 0)
		return dupstr(id);
	/* (unqualified: the TEMP copy holding earlier assumptions, if any) */
	char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE id = ?", col, table);
	sqlite3_stmt *st;
	bool ok = sql && sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK;
	sqlite3_free(sql);
	if (!ok)
		return NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	char *p = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		p = dupstr((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return p;
}

/* Does v fit a column of type t? unset fits any (it stores NULL). */
static bool fits_column(ColType t, const Value *v)
{
	if (v->k == V_UNSET)
		return true;
	switch (t) {
	case COL_TEXT: return v->k == V_TEXT || v->k == V_SYM;
	case COL_DATE: return v->k == V_DATE;
	case COL_DECIMAL: return v->k == V_NUM;
	case COL_HOURS: return v->k == V_HOURS || v->k == V_NUM;
	case COL_MONEY: return v->k == V_MONEY || v->k == V_NUM;
	case COL_INT: return v->k == V_NUM && dec_is_int(v->d);
	case COL_BOOL: return v->k == V_BOOL;
	case COL_PERIOD: return v->k == V_PERIOD && v->pk == PER_MONTH;
	}
	return false;
}

/* What to write for a column of type t, for the message. */
static const char *column_example(ColType t)
{
	switch (t) {
	case COL_DATE: return "a date, like 2027-02-10";
	case COL_BOOL: return "true or false";
	case COL_INT: return "a whole number";
	case COL_PERIOD: return "a month, like 2027-02";
	case COL_TEXT: return "a text in quotes";
	default: return "a number";
	}
}

/* assume TABLE["ID"].COLUMN = VALUE: checked against the column's type and
 * the row when it is typed; a refused assumption is not kept. */
bool stmt_assume(Session *S, const char *rest, FILE *out)
{
	const char *eq = strstr(rest, " = ");
	if (!eq) {
		session_fail(S, "write assume TABLE[\"ID\"].COLUMN = VALUE (or unset)");
		return false;
	}
	char *lhs = strndup(rest, (size_t)(eq - rest));
	Module *m;
	Node *target = lhs ? stmt_parse_expr(S, lhs, &m) : NULL;
	free(lhs);
	if (!target)
		return false;
	if (target->kind != N_MEMBER || target->a->kind != N_INDEX || target->a->a->kind != N_NAME ||
	    target->a->b->kind != N_STR) {
		session_fail(S, "assume changes one column of one row: TABLE[\"ID\"].COLUMN = VALUE");
		return false;
	}
	const char *table = target->a->a->s;
	const TableDef *t = schema_table(table);
	if (!t || t->output || !t->id || strcmp(t->id, "id") != 0) {
		session_fail(S, "assume works on input tables with an id (projects, milestones, trainings, ...)");
		return false;
	}
	int col = schema_column(t, target->s);
	if (col < 0) {
		const char *names[64];
		int n = 0;
		for (int i = 0; i < t->ncols && n < 64; i++)
			names[n++] = t->cols[i].name;
		const char *sug = diag_suggest(target->s, names, n);
		diag_at(&S->D, m->src, target->loc, DIAG_ERROR, "%s has no column '%s'%s%s%s", table, target->s,
			sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
		return false;
	}
	if (S->db && !figures_row_exists(S, table, target->a->b->s)) {
		diag_at(&S->D, m->src, target->a->b->loc, DIAG_ERROR, "%s has no row with id \"%s\"", table, target->a->b->s);
		return false;
	}
	Module *vm;
	Node *value = stmt_parse_expr(S, eq + 3, &vm);
	if (!value)
		return false;
	Eval E;
	view_light_eval(S, &E);
	Value v;
	bool ok = eval_expr(&E, vm, value, &v);
	eval_free(&E);
	if (!ok)
		return false;
	char buf[512];
	if (!fits_column(t->cols[col].type, &v)) {
		diag_at(&S->D, vm->src, value->loc, DIAG_ERROR, "%s.%s takes %s, not a %s; the assumption is not kept", table,
			target->s, column_example(t->cols[col].type), vkind_name(v.k));
		return false;
	}
	Assume a = { dupstr(table), dupstr(target->a->b->s), dupstr(target->s),
		     v.k == V_UNSET ? NULL : dupstr(v.k == V_BOOL ? (v.b ? "1" : "0") : value_fmt(&v, buf, sizeof buf)),
		     dupstr(rest + strspn(rest, " \t")) };
	if (v.k == V_NUM || v.k == V_MONEY || v.k == V_HOURS) {
		free(a.value);
		a.value = dupstr(dec_fmt(v.d, buf));
	}
	Total before[256];
	int nb = S->db ? figures_forecast_totals(S, before, 256) : -1;
	if (S->db && nb < 0) {
		free(a.table), free(a.id), free(a.column), free(a.value), free(a.source);
		return false;
	}
	/* the same cell again: the new value replaces the old */
	int k = 0;
	while (k < S->nassumes && !(strcmp(S->assumes[k].table, a.table) == 0 && strcmp(S->assumes[k].id, a.id) == 0 &&
				   strcmp(S->assumes[k].column, a.column) == 0))
		k++;
	if (k < S->nassumes) {
		Assume *o = &S->assumes[k];
		free(o->table), free(o->id), free(o->column), free(o->value), free(o->source);
	} else {
		S->assumes = realloc(S->assumes, (size_t)(S->nassumes + 1) * sizeof *S->assumes);
		if (!S->assumes)
			abort();
		S->nassumes++;
	}
	S->assumes[k] = a;
	/* this view: what reads the table runs again, when it is read; views
	 * of other dates were made without the assumption */
	char *project = S->db ? assumed_project(S, a.table, a.id, a.column) : NULL;
	view_drop_parked(S);
	bool promoted = S->fresh && S->stored_run && S->reuse;
	if (promoted)
		view_promote(S);
	/* (only what changed is applied: the TEMP copies hold the rest) */
	if (S->fresh && !S->stored_run && S->reuse && S->db && view_apply_assumptions(S, promoted ? 0 : k)) {
		char *changed[] = { a.table };
		view_mark_stale(S, changed, 1, false, project);
	} else
		view_forget(S);
	free(project);
	if (nb < 0)
		return true;
	fprintf(out, "forecast by fiscal quarter, before and after assuming %s:\n", a.source);
	return figures_forecast_change(S, before, nb, out);
}
