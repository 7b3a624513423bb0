/* view.c: a session's view of the rules' results (see view.h): made lazily,
 * caught up after an assumption, answered from a stored run when it is
 * this view, set aside for .asof and brought back. */
#include "view.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "keyscope.h"
#include "machine.h"
#include "rules.h"
#include "schema.h"
#include "source.h"
#include "store.h"

/* A view set aside by .asof: its TEMP tables renamed NAME__vSLOT (their
 * indexes dropped, made again when it comes back), its evaluator (with the
 * declared relations) and run context moved out of the session. */
typedef struct Parked {
	Date as_of;
	Eval E;
	RunCtx R;
	int slot;
	ViewState vs;          /* the session's, as it was */
} Parked;

#define PARKED (int)(sizeof ((Session *)0)->parked / sizeof *((Session *)0)->parked)

/* Move results: both hold pointers into themselves (the sink chain). */
static void move_results(Eval *dE, RunCtx *dR, Eval *sE, RunCtx *sR)
{
	*dE = *sE;
	*dR = *sR;
	if (sE->sink == &sR->sink)
		dE->sink = &dR->sink;
	if (sR->sink.next == &sR->relations)
		dR->sink.next = &dR->relations;
}

/* The TEMP tables a scratch run makes (ledger_scratch): one per output table. */
static bool view_table(const TableDef *t)
{
	size_t n = strlen(t->name);
	return t->output && !(n > 8 && strcmp(t->name + n - 8, "_history") == 0);
}

/* (sqlite3_mprintf's formats: %Q quotes a text) */
bool view_exec(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql)
		abort();
	bool ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_free(sql);
	return ok;
}

static void free_parked(Session *S, Parked *p)
{
	for (int i = 0; i < schema_ntables; i++)
		if (view_table(&schema_tables[i]))
			view_exec(S->db, "DROP TABLE IF EXISTS temp.\"%s__v%d\"", schema_tables[i].name, p->slot);
	ledger_end(&p->R);
	eval_free(&p->E);
	free(p->vs.stale);
	free(p->vs.project);
	free(p);
}

void view_drop_parked(Session *S)
{
	for (int i = 0; i < S->nparked; i++)
		free_parked(S, S->parked[i]);
	S->nparked = 0;
}

static void forget_stale(Session *S)
{
	free(S->vs.stale);
	S->vs.stale = NULL;
	free(S->vs.project);
	S->vs.project = NULL;
	S->vs.stale_machines = S->vs.stale_totals = false;
}

/* Drop the view's results (the next statement that reads them makes them
 * again). */
void view_forget(Session *S)
{
	if (S->fresh) {
		ledger_end(&S->R);
		eval_free(&S->E);
		S->fresh = false;
	}
	if (S->stored_run) {
		const char *err = NULL;
		ledger_stored_views(S->db, S->stored_run, "", STORED_DROP, &err);
		S->stored_run = 0;
	}
	forget_stale(S);
}

static bool any_stale(const Session *S)
{
	for (int i = 0; S->vs.stale && i < S->nrules; i++)
		if (S->vs.stale[i])
			return true;
	return S->vs.stale_machines || S->vs.stale_totals;
}

/* Set the current view aside (for .asof back to its date), or drop it:
 * a stored run's views cost nothing to make again. */
static void park(Session *S)
{
	if (!S->fresh || S->stored_run || !S->reuse || !S->db) {
		view_forget(S);
		return;
	}
	if (S->nparked == PARKED) { /* the oldest makes way */
		free_parked(S, S->parked[0]);
		memmove(S->parked, S->parked + 1, (PARKED - 1) * sizeof *S->parked);
		S->nparked--;
	}
	Parked *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->as_of = S->results_asof;
	p->slot = ++S->slots;
	bool ok = true;
	sqlite3_stmt *st;
	/* an index name is the schema's, not the table's: they go */
	if (sqlite3_prepare_v2(S->db, "SELECT name FROM temp.sqlite_master WHERE type = 'index' AND sql IS NOT NULL", -1, &st,
			       NULL) == SQLITE_OK) {
		char names[64][64];
		int n = 0;
		while (sqlite3_step(st) == SQLITE_ROW && n < 64)
			snprintf(names[n++], sizeof names[0], "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		for (int i = 0; i < n; i++)
			ok &= view_exec(S->db, "DROP INDEX temp.\"%s\"", names[i]);
	}
	for (int i = 0; ok && i < schema_ntables; i++)
		if (view_table(&schema_tables[i]))
			ok = view_exec(S->db, "ALTER TABLE temp.\"%s\" RENAME TO \"%s__v%d\"", schema_tables[i].name,
				      schema_tables[i].name, p->slot);
	move_results(&p->E, &p->R, &S->E, &S->R);
	p->vs = S->vs;
	S->vs.stale = NULL;
	S->vs.project = NULL;
	S->fresh = false;
	forget_stale(S);
	if (!ok) {
		free_parked(S, p);
		return;
	}
	S->parked[S->nparked++] = p;
}

/* The view of the session date, if one was set aside: back under its names. */
static bool unpark(Session *S)
{
	int k = -1;
	for (int i = 0; i < S->nparked && k < 0; i++)
		if (S->parked[i]->as_of == S->as_of)
			k = i;
	if (k < 0)
		return false;
	Parked *p = S->parked[k];
	memmove(S->parked + k, S->parked + k + 1, (size_t)(S->nparked - k - 1) * sizeof *S->parked);
	S->nparked--;
	bool ok = true;
	for (int i = 0; ok && i < schema_ntables; i++)
		if (view_table(&schema_tables[i]))
			ok = view_exec(S->db, "DROP TABLE IF EXISTS temp.\"%s\"; ALTER TABLE temp.\"%s__v%d\" RENAME TO \"%s\"",
				      schema_tables[i].name, schema_tables[i].name, p->slot, schema_tables[i].name);
	const char *err = NULL;
	if (!ok || !ledger_scratch_indexes(S->db, &err)) {
		free_parked(S, p);
		return false;
	}
	move_results(&S->E, &S->R, &p->E, &p->R);
	forget_stale(S);
	S->vs = p->vs;
	free(p);
	S->fresh = true;
	S->results_asof = S->as_of;
	S->kept = true;
	return true;
}

/* A TEMP copy of main.table with its keys and indexes (CREATE TABLE AS
 * has neither), so that what reads the copy finds a time entry by its id,
 * or one project's rows, as in the table and does not scan it whole. The
 * statements are read whole before any runs: a schema change expires a
 * statement still stepping. */
static bool copy_table(sqlite3 *db, const char *table)
{
	char *sql = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&sql, &len);
	sqlite3_stmt *st;
	bool ok = m && sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?1 "
					     "AND sql LIKE 'CREATE TABLE %'", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW;
		char *q = ok ? sqlite3_mprintf("DROP TABLE IF EXISTS temp.\"%w\"; CREATE TEMP TABLE %s; "
					       "INSERT INTO temp.\"%w\" SELECT * FROM main.\"%w\";",
					       table, (const char *)sqlite3_column_text(st, 0) + 13, table, table) : NULL;
		if (q)
			fputs(q, m);
		sqlite3_free(q);
		sqlite3_finalize(st);
	}
	if (ok && sqlite3_prepare_v2(db, "SELECT il.seq, il.\"unique\", group_concat('\"' || replace(ii.name, '\"', '\"\"') || '\"', ', ') "
					 "FROM pragma_index_list(?1, 'main') il JOIN pragma_index_info(il.name, 'main') ii "
					 "WHERE il.origin = 'c' GROUP BY il.seq ORDER BY il.seq", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			char *q = sqlite3_mprintf("CREATE %sINDEX temp.\"%w__assumed%d\" ON \"%w\"(%s);",
						  sqlite3_column_int(st, 1) ? "UNIQUE " : "", table, sqlite3_column_int(st, 0), table,
						  (const char *)sqlite3_column_text(st, 2));
			if (q)
				fputs(q, m);
			sqlite3_free(q);
		}
		sqlite3_finalize(st);
	}
	if (m)
		fclose(m);
	ok = ok && sql && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
	free(sql);
	return ok;
}

bool view_apply_assumptions(Session *S, int from)
{
	/* a table is copied when its first assumption is among those applied */
	for (int i = from; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		bool copied = false;
		for (int j = 0; j < i && !copied; j++)
			copied = strcmp(S->assumes[j].table, a->table) == 0;
		if (!copied && !copy_table(S->db, a->table))
			return false;
	}
	for (int i = from; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		char *sql = sqlite3_mprintf("UPDATE temp.\"%w\" SET \"%w\" = ? WHERE id = ?", a->table, a->column);
		sqlite3_stmt *st;
		bool ok = sql && sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) == SQLITE_OK;
		sqlite3_free(sql);
		if (!ok)
			return false;
		if (a->value)
			sqlite3_bind_text(st, 1, a->value, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_text(st, 2, a->id, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
		if (!ok)
			return false;
	}
	return true;
}

/* An evaluator without the rules' results: for what does not read them. */
void view_light_eval(Session *S, Eval *E)
{
	eval_init(E, &S->P, S->P.A, S->db, S->as_of);
	E->db_name = S->db_path;
	E->engine = S->engine;
	if (S->db)
		ledger_view(E, &S->view, S->db);
	E->interrupted = S->interrupted;
	if (S->max_steps)
		E->max_steps = S->max_steps;
	if (S->max_rows)
		E->max_rows = S->max_rows;
}

/* Rules to run? Without any, results are read from the database as they are. */
bool view_has_rules(const Session *S)
{
	for (size_t i = 0; i < S->P.decls.cap; i++) {
		const Decl *d = S->P.decls.keys[i] ? S->P.decls.vals[i] : NULL;
		if (d && d->kind == D_RULE)
			return true;
	}
	return false;
}

/* ---- what an assume makes stale -------------------------------------- */

/* Is any name e reads in names? */
typedef struct Hit {
	const Map *names;
	bool hit;
} Hit;

static void note_hit(const char *rel, void *arg)
{
	Hit *h = arg;
	h->hit = h->hit || map_get(h->names, rel);
}

static bool reads_any(Program *P, Node *e, const Map *names)
{
	Hit h = { names, false };
	program_reads(P, e, note_hit, &h);
	return h.hit;
}

static void note_name(const char *rel, void *arg)
{
	map_put(arg, rel, (void *)1);
}

/* The names a rule emits into (its emit clauses are its own clauses). */
static bool emits_any(const Decl *r, const Map *names)
{
	for (Node *c = r->node->a; c; c = c->next)
		if (c->kind == N_EMIT && map_get(names, c->s))
			return true;
	return false;
}

static void add_emits(const Decl *r, Map *names)
{
	for (Node *c = r->node->a; c; c = c->next)
		if (c->kind == N_EMIT)
			map_put(names, c->s, (void *)1);
}

static int by_rule_name(const void *a, const void *b)
{
	return strcmp((*(Decl *const *)a)->name, (*(Decl *const *)b)->name);
}

/* The program's rules, by name (once per build). */
static void list_rules(Session *S)
{
	if (S->rules)
		return;
	for (size_t i = 0; i < S->P.decls.cap; i++) {
		Decl *d = S->P.decls.keys[i] ? S->P.decls.vals[i] : NULL;
		if (d && d->kind == D_RULE) {
			S->rules = realloc(S->rules, (size_t)(S->nrules + 1) * sizeof *S->rules);
			if (!S->rules)
				abort();
			S->rules[S->nrules++] = d;
		}
	}
	if (S->nrules)
		qsort(S->rules, (size_t)S->nrules, sizeof *S->rules, by_rule_name);
}

/* Status machines read projects and status_history (machine.c), and what
 * their guards read. */
static bool machines_read_any(Session *S, const Map *names)
{
	if (map_get(names, "projects") || map_get(names, "status_history"))
		return true;
	for (int mi = 0; mi < S->P.nmods; mi++)
		for (Node *it = S->P.mods[mi]->items; it; it = it->next)
			if (it->kind == N_MACHINE && reads_any(&S->P, it, names))
				return true;
	return false;
}

static void add_machine_reads(Session *S, Map *names)
{
	map_put(names, "projects", (void *)1);
	map_put(names, "status_history", (void *)1);
	for (int mi = 0; mi < S->P.nmods; mi++)
		for (Node *it = S->P.mods[mi]->items; it; it = it->next)
			if (it->kind == N_MACHINE)
				program_reads(&S->P, it, note_name, names);
}

/* The tables changed (an assumption added or dropped): every rule that
 * reads them, or reads what such a rule emits, is stale, its rows in the
 * view are deleted and it runs again when a statement reads what it
 * emits (catch_up). A declared relation one of them emits is emptied and
 * all its emitters run again. Without a current view (or with reuse off)
 * the view is simply made again. */
/* What the evaluator keeps of the tables (hashed sides, prepared scans,
 * results of functions) may hold rows another view of them gave: it goes,
 * the relations stay. */
static void forget_kept(Session *S)
{
	Map rels = S->E.rels;
	memset(&S->E.rels, 0, sizeof S->E.rels);
	engine_free(&S->E);
	S->E.rels = rels;
	arena_free(S->E.memo_arena);
	S->E.memo_arena = NULL;
	bytesmap_free(&S->E.memo);
	S->E.memo_size = 0;
}

/* Delete rule i's rows in the view: all of them, or project's. */
static void delete_rows(Session *S, int i, const char *project)
{
	char name[512];
	rules_name(S->rules[i], name, sizeof name);
	for (Node *c = S->rules[i]->node->a; c; c = c->next) {
		const TableDef *t = c->kind == N_EMIT ? schema_table(c->s) : NULL;
		if (t && t->output && schema_column(t, "rule") >= 0 && project)
			view_exec(S->db, "DELETE FROM temp.\"%s\" WHERE run_id = %lld AND rule = %Q AND project_id = %Q", t->name,
				  S->R.run_id, name, project);
		else if (t && t->output && schema_column(t, "rule") >= 0)
			view_exec(S->db, "DELETE FROM temp.\"%s\" WHERE run_id = %lld AND rule = %Q", t->name, S->R.run_id, name);
	}
}

/* The rules stale for one project only become stale for all: the rest
 * of their rows go too. */
static void widen(Session *S)
{
	for (int i = 0; S->vs.stale && i < S->nrules; i++)
		if (S->vs.stale[i] == 2) {
			delete_rows(S, i, NULL);
			S->vs.stale[i] = 1;
			/* (its relations: every emitter of one is stale for the project too) */
			for (Node *c = S->rules[i]->node->a; c; c = c->next) {
				Rel *r = c->kind == N_EMIT && !schema_table(c->s) ? map_get(&S->E.rels, c->s) : NULL;
				if (r) {
					r->n = 0;
					map_free(&r->keys);
				}
			}
		}
	free(S->vs.project);
	S->vs.project = NULL;
}

void view_mark_stale(Session *S, char **tables, int n, bool relations, const char *project)
{
	if (!S->fresh || S->stored_run || !S->reuse || !S->db) {
		view_forget(S);
		return;
	}
	list_rules(S);
	if (!S->vs.stale && !(S->vs.stale = calloc((size_t)(S->nrules ? S->nrules : 1), 1)))
		abort();
	S->vs.reran = S->vs.left = 0; /* counted from this assumption on */
	S->vs.reread = 0;
	/* rules stale for another project's rows are stale for all */
	if (S->vs.project && (!project || strcmp(project, S->vs.project) != 0))
		widen(S);
	unsigned char *newly = calloc((size_t)(S->nrules ? S->nrules : 1), 1);
	if (!newly)
		abort();
	Map changed = { 0 }, emptied = { 0 }, emptied_p = { 0 }; /* (emptied_p: of the project's rows) */
	for (int i = 0; i < n; i++)
		map_put(&changed, tables[i], (void *)1);
	for (size_t i = 0; relations && i < S->P.decls.cap; i++) {
		const Decl *d = S->P.decls.keys[i] ? S->P.decls.vals[i] : NULL;
		if (d && d->kind == D_RELATION)
			map_put(&emptied, d->name, (void *)1);
	}
	bool machines = false;
	for (bool more = true; more;) {
		more = false;
		for (int i = 0; i < S->nrules; i++) {
			Decl *r = S->rules[i];
			if (S->vs.stale[i] ||
			    !(reads_any(&S->P, r->node->a, &changed) || emits_any(r, &emptied) || emits_any(r, &emptied_p)))
				continue;
			S->vs.stale[i] = newly[i] = project && !emits_any(r, &emptied) && keyscope_rule(&S->P, r) ? 2 : 1;
			add_emits(r, &changed);
			/* a relation, or a table whose rows do not name their rule
			 * (invoice_lines), is emptied: all its emitters run again
			 * (for the project, if it is only the project's rows) */
			for (Node *c = r->node->a; c; c = c->next)
				if (c->kind == N_EMIT && (!schema_table(c->s) || schema_column(schema_table(c->s), "rule") < 0))
					map_put(newly[i] == 2 ? &emptied_p : &emptied, c->s, (void *)1);
			more = true;
		}
		if (!S->vs.stale_machines && machines_read_any(S, &changed)) {
			S->vs.stale_machines = machines = true;
			map_put(&changed, "transitions", (void *)1);
			map_put(&changed, "findings", (void *)1);
			more = true;
		}
	}
	/* a relation emptied whole: its emitters run for all */
	for (bool more = true; more;) {
		more = false;
		for (int i = 0; i < S->nrules; i++)
			if (S->vs.stale[i] == 2 && emits_any(S->rules[i], &emptied)) {
				if (newly[i])
					newly[i] = 1;
				else /* stale for the project from before: the rest of its rows go */
					delete_rows(S, i, NULL);
				S->vs.stale[i] = 1;
				for (Node *c = S->rules[i]->node->a; c; c = c->next)
					if (c->kind == N_EMIT && !schema_table(c->s))
						map_put(&emptied, c->s, (void *)1);
				more = true;
			}
	}
	/* their rows go (every row names its rule), or the project's rows of
	 * a rule local to a project; totals are summed again */
	char name[512];
	for (int i = 0; i < S->nrules; i++) {
		if (!newly[i])
			continue;
		delete_rows(S, i, newly[i] == 2 ? project : NULL);
		if (newly[i] == 2 && !S->vs.project && !(S->vs.project = strdup(project)))
			abort();
		S->vs.stale_totals = true;
	}
	for (int mi = 0; machines && mi < S->P.nmods; mi++)
		for (Node *it = S->P.mods[mi]->items; it; it = it->next) {
			Decl *d = it->kind == N_MACHINE ? map_get(&S->P.decls, it->s) : NULL;
			if (!d || d->node != it)
				continue;
			machines_name(d, name, sizeof name);
			view_exec(S->db, "DELETE FROM temp.transitions WHERE run_id = %lld AND rule = %Q;"
					"DELETE FROM temp.findings WHERE run_id = %lld AND rule = %Q", S->R.run_id, name, S->R.run_id, name);
		}
	for (size_t i = 0; i < emptied.cap; i++) {
		const TableDef *t = emptied.keys[i] ? schema_table(emptied.keys[i]) : NULL;
		if (t && t->output)
			view_exec(S->db, "DELETE FROM temp.\"%s\" WHERE run_id = %lld", t->name, S->R.run_id);
		Rel *r = emptied.keys[i] && !t ? map_get(&S->E.rels, emptied.keys[i]) : NULL;
		if (r) {
			r->n = 0;
			map_free(&r->keys);
		}
	}
	for (size_t i = 0; i < emptied_p.cap; i++) {
		Rel *r = emptied_p.keys[i] && !map_get(&emptied, emptied_p.keys[i]) ? map_get(&S->E.rels, emptied_p.keys[i]) : NULL;
		if (r)
			keyscope_rel_drop(&S->E, r, project);
	}
	/* what the evaluator keeps may hold the old rows */
	forget_kept(S);
	map_free(&changed);
	map_free(&emptied);
	map_free(&emptied_p);
	free(newly);
}

/* The stored run's rows as the session's own view: TEMP tables, as a
 * scratch run leaves them, written as that run, so that an assume runs
 * again only what it changes. No run stores the declared relations: their
 * emitters are stale from the start. Inside the statement's hold(), so the
 * copy is of what was checked. */
void view_promote(Session *S)
{
	const char *err = NULL;
	long long id = S->stored_run;
	ledger_stored_views(S->db, id, "", STORED_DROP, &err);
	S->stored_run = 0;
	if (!ledger_stored_views(S->db, id, S->stored_period, STORED_TABLES, &err)) {
		view_forget(S);
		return;
	}
	ledger_adopt(&S->E, &S->R, S->db, S->stored_period, S->as_of, id);
	S->vs.adopted = id;
	view_mark_stale(S, NULL, 0, true, NULL);
}

/* The rules to run again before a statement that reads need (NULL:
 * anything): the stale ones that emit what it reads, and those that emit
 * what these read. */
typedef struct Want {
	Session *S;
	unsigned char *want;
	bool machines;
} Want;

static bool wanted(const Decl *r, void *arg)
{
	Want *w = arg;
	if (!r)
		return w->machines;
	for (int i = 0; i < w->S->nrules; i++)
		if (w->S->rules[i] == r)
			return w->want[i];
	return false;
}

static bool reads_totals(const Map *need)
{
	return !need || map_get(need, "revenue_totals") || map_get(need, "forecast_totals") ||
	       map_get(need, "revenue_by_project") || map_get(need, "forecast_by_quarter");
}

static bool catch_up(Session *S, const Map *need_in)
{
	if (!any_stale(S))
		return true;
	Map need = { 0 };
	bool all = !need_in;
	for (size_t i = 0; need_in && i < need_in->cap; i++)
		if (need_in->keys[i])
			map_put(&need, need_in->keys[i], (void *)1);
	bool totals = S->vs.stale_totals && reads_totals(need_in);
	if (totals) { /* what ledger totals sum */
		map_put(&need, "revenue", (void *)1);
		map_put(&need, "forecast", (void *)1);
		map_put(&need, "reporting_lines", (void *)1);
	}
	Want w = { S, calloc((size_t)(S->nrules ? S->nrules : 1), 1), false };
	if (!w.want)
		abort();
	for (bool more = true; more;) {
		more = false;
		for (int i = 0; i < S->nrules; i++)
			if (S->vs.stale[i] && !w.want[i] && (all || emits_any(S->rules[i], &need))) {
				w.want[i] = 1;
				program_reads(&S->P, S->rules[i]->node->a, note_name, &need);
				more = true;
			}
		if (S->vs.stale_machines && !w.machines && (all || map_get(&need, "transitions") || map_get(&need, "findings"))) {
			w.machines = true;
			add_machine_reads(S, &need);
			more = true;
		}
	}
	map_free(&need);
	/* rules stale for the project run for it alone, the rest for all */
	bool one = false;
	for (int i = 0; i < S->nrules; i++)
		if (w.want[i] && S->vs.stale[i] == 2) {
			ptrmap_put(&S->E.scoped, S->rules[i], S->vs.project);
			one = true;
		}
	Profile prof = { .plans = S->profile_plan };
	if (S->profile)
		S->E.profile = &prof;
	long long read = S->E.rows_seen;
	if (one) /* (results of functions kept may be of all projects' rows) */
		forget_kept(S);
	bool ok = rules_run_some(&S->E, wanted, &w);
	if (one) {
		ptrmap_free(&S->E.scoped);
		forget_kept(S);
	}
	if (S->profile) {
		profile_print(&prof, S->profile);
		profile_free(&prof);
		S->E.profile = NULL;
	}
	for (int i = 0; i < S->nrules; i++)
		if (w.want[i]) {
			S->vs.stale[i] = 0;
			S->vs.reran++;
		}
	S->vs.stale_machines = S->vs.stale_machines && !w.machines;
	S->vs.reread += S->E.rows_seen - read;
	S->vs.left = 0;
	bool some = false; /* stale for the project still */
	for (int i = 0; i < S->nrules; i++) {
		S->vs.left += S->vs.stale[i] != 0;
		some |= S->vs.stale[i] == 2;
	}
	if (!some) {
		free(S->vs.project);
		S->vs.project = NULL;
	}
	free(w.want);
	const char *err = NULL;
	if (ok && totals) {
		ok = ledger_scratch_totals(&S->R, &err);
		S->vs.stale_totals = !ok;
		if (!ok && err)
			diag_plain(&S->D, DIAG_ERROR, "%s", err);
	}
	if (!ok) /* half caught up is no view */
		view_forget(S);
	return ok;
}

/* A read transaction, so that what is checked and what is read next are
 * one state of the database (no writer commits in between); view_release()
 * ends it after the statement. */
static void hold(Session *S)
{
	if (S->db && sqlite3_get_autocommit(S->db))
		sqlite3_exec(S->db, "BEGIN; SELECT count(*) FROM main.sqlite_master", NULL, NULL, NULL);
}

void view_release(Session *S)
{
	if (S->db && !sqlite3_get_autocommit(S->db))
		sqlite3_exec(S->db, "COMMIT", NULL, NULL, NULL);
}

/* The database's latest run, if its stored rows are what a scratch run
 * would make now: as of the session date, by the same rules (the digest
 * of the loaded files, paths and text), and nothing written to the
 * database since it committed (the file's change counter is still the one
 * its commit left; see store_change_counter). Else 0. Inside hold(). */
static long long stored_run(Session *S, char *period, size_t n)
{
	sqlite3_stmt *st;
	/* (a database made before runs.change_counter cannot say: recompute) */
	if (sqlite3_prepare_v2(S->db, "SELECT id, period, as_of, rules_digest, status, change_counter FROM main.runs "
				      "ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	long long id = 0;
	unsigned long long now;
	char day[DATE_BUFSZ];
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 5) == SQLITE_INTEGER) {
		const char *p = (const char *)sqlite3_column_text(st, 1), *a = (const char *)sqlite3_column_text(st, 2);
		const char *d = (const char *)sqlite3_column_text(st, 3), *status = (const char *)sqlite3_column_text(st, 4);
		if (p && a && d && status && strcmp(status, "ok") == 0 && strcmp(a, date_fmt(S->as_of, day)) == 0 &&
		    strcmp(d, S->digest) == 0 && store_change_counter(S->db, &now) &&
		    now == (unsigned long long)sqlite3_column_int64(st, 5) + 1) {
			id = sqlite3_column_int64(st, 0);
			snprintf(period, n, "%s", p);
		}
	}
	sqlite3_finalize(st);
	return id;
}

/* Answer from the stored run instead of running the rules, if it is this
 * view; the evaluator is a light one (declared relations are not stored,
 * so what reads them is recomputed: see refresh). */
static bool use_stored(Session *S)
{
	char period[DATE_MONTH_BUFSZ + 8], day[DATE_BUFSZ];
	hold(S);
	long long id = stored_run(S, period, sizeof period);
	const char *err = NULL;
	if (!id || !ledger_stored_views(S->db, id, period, STORED_VIEWS, &err)) {
		if (id)
			ledger_stored_views(S->db, id, period, STORED_DROP, &err);
		view_release(S);
		return false;
	}
	view_light_eval(S, &S->E);
	ledger_view(&S->E, &S->R, S->db); /* its own: `run_id` is the stored run's */
	S->R.run_id = S->E.run.id = id;
	S->stored_run = id;
	snprintf(S->stored_period, sizeof S->stored_period, "%s", period);
	S->fresh = true;
	diag_plain(&S->D, DIAG_NOTE, "answering from run %lld (period %s, as of %s), as stored: the same rules, and nothing "
			"written since (.reuse off or --no-reuse recomputes)", id, period, date_fmt(S->as_of, day));
	if (S->profile)
		fprintf(S->profile, "profile: no rule ran: the rows are run %lld's\n", id);
	return true;
}

/* Make sure E holds the rules' results as of the session date, for a
 * statement that reads need (NULL: anything). stored_ok: it reads only
 * database tables, so a stored run may answer. In order: the stored run
 * still answering, this view (caught up after an assume), a view of this
 * date set aside, the stored run, and else the rules run. */
bool view_refresh(Session *S, bool stored_ok, const Map *need)
{
	if (S->fresh && S->stored_run) {
		char period[DATE_MONTH_BUFSZ + 8];
		hold(S);
		long long still = stored_run(S, period, sizeof period);
		if (still == S->stored_run && stored_ok)
			return true;
		if (still == S->stored_run) /* needs a relation, or why: what no run stores runs */
			view_promote(S);
		else {
			diag_plain(&S->D, DIAG_NOTE, "the database changed after run %lld was read; the rules run again", S->stored_run);
			view_forget(S);
			view_release(S);
		}
	}
	if (S->fresh)
		return catch_up(S, need);
	if (S->reuse && S->db && unpark(S))
		return true;
	if (S->reuse && S->db && S->nassumes == 0 && view_has_rules(S) && use_stored(S)) {
		S->results_asof = S->as_of;
		if (stored_ok)
			return true;
		view_promote(S); /* what no run stores runs, from its rows */
		return !S->fresh || catch_up(S, need);
	}
	view_light_eval(S, &S->E);
	S->results_asof = S->as_of;
	S->kept = false;
	S->vs.adopted = 0;
	if (!S->db) {
		S->fresh = true;
		memset(&S->R, 0, sizeof S->R);
		return true;
	}
	const char *err = NULL;
	if (S->reuse) {
		/* only what the statement reads: every rule starts stale */
		if (!view_apply_assumptions(S, 0) || !ledger_scratch_open(&S->E, &S->R, S->db, S->as_of, &err)) {
			diag_plain(&S->D, DIAG_ERROR, "%s", err ? err : sqlite3_errmsg(S->db));
			ledger_end(&S->R);
			eval_free(&S->E);
			return false;
		}
		S->fresh = true;
		list_rules(S);
		free(S->vs.stale);
		if (!(S->vs.stale = malloc((size_t)(S->nrules ? S->nrules : 1))))
			abort();
		memset(S->vs.stale, 1, (size_t)(S->nrules ? S->nrules : 1));
		S->vs.stale_machines = S->vs.stale_totals = true;
		S->vs.reran = S->vs.left = 0;
		S->vs.reread = 0;
		return catch_up(S, need);
	}
	Profile prof = { .plans = S->profile_plan };
	if (S->profile)
		S->E.profile = &prof;
	bool ok = view_apply_assumptions(S, 0) && ledger_scratch(&S->E, &S->R, S->db, S->as_of, &err);
	if (S->profile) {
		profile_print(&prof, S->profile);
		profile_free(&prof);
		S->E.profile = NULL;
	}
	if (!ok) {
		if (err && strcmp(err, "a rule failed (see above)") != 0)
			diag_plain(&S->D, DIAG_ERROR, "%s", err);
		ledger_end(&S->R);
		eval_free(&S->E);
		return false;
	}
	S->fresh = true;
	return true;
}

void session_set_reuse(Session *S, bool on)
{
	if (!on) {
		view_drop_parked(S);
		if (S->stored_run || any_stale(S))
			view_forget(S);
	}
	S->reuse = on;
}

void session_reuse_status(Session *S, FILE *out)
{
	char day[DATE_BUFSZ];
	if (S->fresh && S->stored_run)
		fprintf(out, "reuse is on: answering from run %lld of the database, as stored (as of %s)\n", S->stored_run,
			date_fmt(S->as_of, day));
	else if (S->fresh && S->db && S->vs.adopted)
		fprintf(out, "reuse is on: run %lld's stored rows (as of %s), and the rules an assumption changed run again here\n",
			S->vs.adopted, date_fmt(S->as_of, day));
	else if (S->fresh && S->db)
		fprintf(out, "reuse is %s: the rules ran in this session as of %s%s\n", S->reuse ? "on" : "off", date_fmt(S->as_of, day),
			S->kept ? " (kept while another date was asked, and back)" : "");
	else
		fprintf(out, "reuse is %s: nothing computed yet as of %s\n", S->reuse ? "on" : "off", date_fmt(S->as_of, day));
	if (S->fresh && S->vs.stale)
		fprintf(out, "%d of %d rules ran for what was asked (since the view was made or an assumption changed it), "
			     "reading %lld rows; %d wait until their rows are read\n", S->vs.reran, S->nrules, S->vs.reread, S->vs.left);
	for (int i = 0; i < S->nparked; i++)
		fprintf(out, "kept for .asof %s: the rules' results as of that date\n", date_fmt(S->parked[i]->as_of, day));
}

void session_set_asof(Session *S, Date d)
{
	if (S->fresh && d == S->results_asof && !S->stored_run)
		return;
	park(S);
	S->as_of = d;
	if (S->reuse && S->db)
		unpark(S);
}
