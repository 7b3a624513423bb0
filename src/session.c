/* session.c: statements against a loaded program and a read-only database.
 *
 * Everything a statement may be: an expression or query (printed in the
 * session's format), `why EXPR` or `why TABLE { ... }` (provenance),
 * `assume TABLE["ID"].COLUMN = VALUE` (a what-if that changes the session's
 * view, never the database), or a definition (rule, fn, const, query ...)
 * added to the session's program. */
#include "session.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "parse.h"
#include "schema.h"
#include "store.h"
#include "totals.h"
#include "why.h"

static char *dupstr(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static bool build(Session *S)
{
	S->A = arena_new();
	diag_init(&S->D, stderr);
	program_init(&S->P, S->A, &S->D, S->argv0);
	bool ok = true;
	for (int i = 0; i < S->npaths; i++)
		ok &= program_load_path(&S->P, S->paths[i]);
	for (int i = 0; i < S->ndefs; i++) {
		char name[32];
		snprintf(name, sizeof name, "<def:%d>", i + 1);
		Src *src = src_from_string(S->A, name, S->defs[i], strlen(S->defs[i]));
		Parser ps;
		parse_source(&ps, S->A, src, &S->D, PARSE_FILE);
		program_add_source(&S->P, src, ps.items, ps.comments);
	}
	check_program(&S->P);
	S->loaded = ok && S->D.errors == 0;
	/* before any statement adds a module of its own */
	ledger_digest(&S->P, S->digest, sizeof S->digest);
	return S->loaded;
}

/* ---- views: the rules' results as of a date, kept --------------------- */

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
static bool exec_fmt(sqlite3 *db, const char *fmt, ...)
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
			exec_fmt(S->db, "DROP TABLE IF EXISTS temp.\"%s__v%d\"", schema_tables[i].name, p->slot);
	ledger_end(&p->R);
	eval_free(&p->E);
	free(p->vs.stale);
	free(p);
}

static void drop_parked(Session *S)
{
	for (int i = 0; i < S->nparked; i++)
		free_parked(S, S->parked[i]);
	S->nparked = 0;
}

static void forget_stale(Session *S)
{
	free(S->vs.stale);
	S->vs.stale = NULL;
	S->vs.stale_machines = S->vs.stale_totals = false;
}

/* Drop the view's results (the next statement that reads them makes them
 * again). */
static void forget(Session *S)
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
		forget(S);
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
			ok &= exec_fmt(S->db, "DROP INDEX temp.\"%s\"", names[i]);
	}
	for (int i = 0; ok && i < schema_ntables; i++)
		if (view_table(&schema_tables[i]))
			ok = exec_fmt(S->db, "ALTER TABLE temp.\"%s\" RENAME TO \"%s__v%d\"", schema_tables[i].name,
				      schema_tables[i].name, p->slot);
	move_results(&p->E, &p->R, &S->E, &S->R);
	p->vs = S->vs;
	S->vs.stale = NULL;
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
			ok = exec_fmt(S->db, "DROP TABLE IF EXISTS temp.\"%s\"; ALTER TABLE temp.\"%s__v%d\" RENAME TO \"%s\"",
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

static void unbuild(Session *S)
{
	forget(S);
	drop_parked(S);
	free(S->rules);
	S->rules = NULL;
	S->nrules = 0;
	if (S->A) {
		program_free(&S->P);
		arena_free(S->A);
		S->A = NULL;
	}
}

int session_open(Session *S, const char *argv0, const char *db_path, char **paths, int npaths, Date as_of)
{
	memset(S, 0, sizeof *S);
	S->reuse = true;
	S->argv0 = argv0;
	S->db_path = db_path;
	S->as_of = as_of;
	S->paths = paths;
	S->npaths = npaths;
	if (db_path) {
		char err[512];
		if (!(S->db = store_open(db_path, STORE_READ, err, sizeof err))) {
			fprintf(stderr, "sow: error: %s\n", err);
			return 3;
		}
	}
	if (!build(S))
		return S->D.errors ? 1 : 3;
	return 0;
}

void session_close(Session *S)
{
	unbuild(S);
	for (int i = 0; i < S->ndefs; i++)
		free(S->defs[i]);
	free(S->defs);
	session_clear_assumptions(S);
	sqlite3_close(S->db);
}

bool session_reload(Session *S)
{
	unbuild(S);
	return build(S);
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

static void mark_stale(Session *S, char **tables, int n, bool relations);

void session_clear_assumptions(Session *S)
{
	char *tables[64];
	int n = 0;
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		if (n < 64)
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
	drop_parked(S); /* made with the assumptions */
	for (int i = 0; S->db && i < n; i++)
		exec_fmt(S->db, "DROP TABLE IF EXISTS temp.\"%s\"", tables[i]);
	/* what read the assumed tables runs again; the rest stays */
	if (n)
		mark_stale(S, tables, n, false);
	for (int i = 0; i < n; i++)
		free(tables[i]);
}

/* Copy each assumed table into TEMP (shadowing it) and apply the changes. */
static bool apply_assumptions(Session *S)
{
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		char sql[512];
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.%s; CREATE TEMP TABLE %s AS SELECT * FROM main.%s",
			 a->table, a->table, a->table);
		if (sqlite3_exec(S->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return false;
	}
	for (int i = 0; i < S->nassumes; i++) {
		Assume *a = &S->assumes[i];
		char sql[512];
		snprintf(sql, sizeof sql, "UPDATE temp.%s SET \"%s\" = ? WHERE id = ?", a->table, a->column);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK)
			return false;
		if (a->value)
			sqlite3_bind_text(st, 1, a->value, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_text(st, 2, a->id, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return true;
}

/* An evaluator without the rules' results: for what does not read them. */
static void light_eval(Session *S, Eval *E)
{
	eval_init(E, &S->P, S->P.A, S->db, S->as_of);
	E->db_name = S->db_path;
	if (S->db)
		ledger_view(E, &S->view, S->db);
	E->interrupted = S->interrupted;
	if (S->max_steps)
		E->max_steps = S->max_steps;
	if (S->max_rows)
		E->max_rows = S->max_rows;
}

/* Rules to run? Without any, results are read from the database as they are. */
static bool has_rules(const Session *S)
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
static void mark_stale(Session *S, char **tables, int n, bool relations)
{
	if (!S->fresh || S->stored_run || !S->reuse || !S->db) {
		forget(S);
		return;
	}
	list_rules(S);
	if (!S->vs.stale && !(S->vs.stale = calloc((size_t)(S->nrules ? S->nrules : 1), 1)))
		abort();
	S->vs.reran = S->vs.left = 0; /* counted from this assumption on */
	S->vs.reread = 0;
	unsigned char *newly = calloc((size_t)(S->nrules ? S->nrules : 1), 1);
	if (!newly)
		abort();
	Map changed = { 0 }, emptied = { 0 };
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
			if (S->vs.stale[i] || !(reads_any(&S->P, r->node->a, &changed) || emits_any(r, &emptied)))
				continue;
			S->vs.stale[i] = newly[i] = 1;
			add_emits(r, &changed);
			/* a relation, or a table whose rows do not name their rule
			 * (invoice_lines), is emptied: all its emitters run again */
			for (Node *c = r->node->a; c; c = c->next)
				if (c->kind == N_EMIT && (!schema_table(c->s) || schema_column(schema_table(c->s), "rule") < 0))
					map_put(&emptied, c->s, (void *)1);
			more = true;
		}
		if (!S->vs.stale_machines && machines_read_any(S, &changed)) {
			S->vs.stale_machines = machines = true;
			map_put(&changed, "transitions", (void *)1);
			map_put(&changed, "findings", (void *)1);
			more = true;
		}
	}
	/* their rows go (every row names its rule); totals are summed again */
	char name[512];
	for (int i = 0; i < S->nrules; i++) {
		if (!newly[i])
			continue;
		rules_name(S->rules[i], name, sizeof name);
		for (Node *c = S->rules[i]->node->a; c; c = c->next) {
			const TableDef *t = c->kind == N_EMIT ? schema_table(c->s) : NULL;
			if (t && t->output && schema_column(t, "rule") >= 0)
				exec_fmt(S->db, "DELETE FROM temp.\"%s\" WHERE run_id = %lld AND rule = %Q", t->name, S->R.run_id, name);
		}
		S->vs.stale_totals = true;
	}
	for (int mi = 0; machines && mi < S->P.nmods; mi++)
		for (Node *it = S->P.mods[mi]->items; it; it = it->next) {
			Decl *d = it->kind == N_MACHINE ? map_get(&S->P.decls, it->s) : NULL;
			if (!d || d->node != it)
				continue;
			machines_name(d, name, sizeof name);
			exec_fmt(S->db, "DELETE FROM temp.transitions WHERE run_id = %lld AND rule = %Q;"
					"DELETE FROM temp.findings WHERE run_id = %lld AND rule = %Q", S->R.run_id, name, S->R.run_id, name);
		}
	for (size_t i = 0; i < emptied.cap; i++) {
		const TableDef *t = emptied.keys[i] ? schema_table(emptied.keys[i]) : NULL;
		if (t && t->output)
			exec_fmt(S->db, "DELETE FROM temp.\"%s\" WHERE run_id = %lld", t->name, S->R.run_id);
		Rel *r = emptied.keys[i] && !t ? map_get(&S->E.rels, emptied.keys[i]) : NULL;
		if (r) {
			r->n = 0;
			map_free(&r->keys);
		}
	}
	/* what the evaluator keeps of the tables (hashed sides, prepared
	 * scans, results of functions) may hold the old rows: it goes, the
	 * relations stay */
	Map rels = S->E.rels;
	memset(&S->E.rels, 0, sizeof S->E.rels);
	engine_free(&S->E);
	S->E.rels = rels;
	arena_free(S->E.memo_arena);
	S->E.memo_arena = NULL;
	bytesmap_free(&S->E.memo);
	S->E.memo_size = 0;
	map_free(&changed);
	map_free(&emptied);
	free(newly);
}

/* The stored run's rows as the session's own view: TEMP tables, as a
 * scratch run leaves them, written as that run, so that an assume runs
 * again only what it changes. No run stores the declared relations: their
 * emitters are stale from the start. Inside the statement's hold(), so the
 * copy is of what was checked. */
static void promote(Session *S)
{
	const char *err = NULL;
	long long id = S->stored_run;
	ledger_stored_views(S->db, id, "", STORED_DROP, &err);
	S->stored_run = 0;
	if (!ledger_stored_views(S->db, id, S->stored_period, STORED_TABLES, &err)) {
		forget(S);
		return;
	}
	ledger_adopt(&S->E, &S->R, S->db, S->stored_period, S->as_of, id);
	S->vs.adopted = id;
	mark_stale(S, NULL, 0, true);
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
	Profile prof = { 0 };
	if (S->profile)
		S->E.profile = &prof;
	long long read = S->E.rows_seen;
	bool ok = rules_run_some(&S->E, wanted, &w);
	if (S->profile) {
		profile_print(&prof, stderr);
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
	for (int i = 0; i < S->nrules; i++)
		S->vs.left += S->vs.stale[i];
	free(w.want);
	const char *err = NULL;
	if (ok && totals) {
		ok = ledger_scratch_totals(&S->R, &err);
		S->vs.stale_totals = !ok;
		if (!ok && err)
			fprintf(stderr, "sow: error: %s\n", err);
	}
	if (!ok) /* half caught up is no view */
		forget(S);
	return ok;
}

/* A read transaction, so that what is checked and what is read next are
 * one state of the database (no writer commits in between); release()
 * ends it after the statement. */
static void hold(Session *S)
{
	if (S->db && sqlite3_get_autocommit(S->db))
		sqlite3_exec(S->db, "BEGIN; SELECT count(*) FROM main.sqlite_master", NULL, NULL, NULL);
}

static void release(Session *S)
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
		release(S);
		return false;
	}
	light_eval(S, &S->E);
	ledger_view(&S->E, &S->R, S->db); /* its own: `run_id` is the stored run's */
	S->R.run_id = S->R.sink.run_id = id;
	S->stored_run = id;
	snprintf(S->stored_period, sizeof S->stored_period, "%s", period);
	S->fresh = true;
	fprintf(stderr, "sow: note: answering from run %lld (period %s, as of %s), as stored: the same rules, and nothing "
			"written since (.reuse off or --no-reuse recomputes)\n", id, period, date_fmt(S->as_of, day));
	if (S->profile)
		fprintf(stderr, "profile: no rule ran: the rows are run %lld's\n", id);
	return true;
}

/* Make sure E holds the rules' results as of the session date, for a
 * statement that reads need (NULL: anything). stored_ok: it reads only
 * database tables, so a stored run may answer. In order: the stored run
 * still answering, this view (caught up after an assume), a view of this
 * date set aside, the stored run, and else the rules run. */
static bool refresh(Session *S, bool stored_ok, const Map *need)
{
	if (S->fresh && S->stored_run) {
		char period[DATE_MONTH_BUFSZ + 8];
		hold(S);
		long long still = stored_run(S, period, sizeof period);
		if (still == S->stored_run && stored_ok)
			return true;
		if (still == S->stored_run) /* needs a relation, or why: what no run stores runs */
			promote(S);
		else {
			fprintf(stderr, "sow: note: the database changed after run %lld was read; the rules run again\n", S->stored_run);
			forget(S);
			release(S);
		}
	}
	if (S->fresh)
		return catch_up(S, need);
	if (S->reuse && S->db && unpark(S))
		return true;
	if (S->reuse && S->db && S->nassumes == 0 && has_rules(S) && use_stored(S)) {
		S->results_asof = S->as_of;
		if (stored_ok)
			return true;
		promote(S); /* what no run stores runs, from its rows */
		return !S->fresh || catch_up(S, need);
	}
	light_eval(S, &S->E);
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
		if (!apply_assumptions(S) || !ledger_scratch_open(&S->E, &S->R, S->db, S->as_of, &err)) {
			fprintf(stderr, "sow: error: %s\n", err ? err : sqlite3_errmsg(S->db));
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
	Profile prof = { 0 };
	if (S->profile)
		S->E.profile = &prof;
	bool ok = apply_assumptions(S) && ledger_scratch(&S->E, &S->R, S->db, S->as_of, &err);
	if (S->profile) {
		profile_print(&prof, stderr);
		profile_free(&prof);
		S->E.profile = NULL;
	}
	if (!ok) {
		if (err && strcmp(err, "a rule failed (see above)") != 0)
			fprintf(stderr, "sow: error: %s\n", err);
		ledger_end(&S->R);
		eval_free(&S->E);
		return false;
	}
	S->fresh = true;
	return true;
}

bool session_is_definition(const char *text)
{
	static const char *const words[] = { "rule", "fn", "const", "query", "relation", "sow", "calendar", "enum",
		"machine", "rounding", "test", "import", "fiscal" };
	while (isspace((unsigned char)*text))
		text++;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t n = strlen(words[i]);
		if (strncmp(text, words[i], n) == 0 && (isspace((unsigned char)text[n]) || !text[n]))
			return true;
	}
	return false;
}

static bool starts_with_word(const char *text, const char *word, const char **rest)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(word);
	if (strncmp(text, word, n) != 0 || !(isspace((unsigned char)text[n]) || !text[n]))
		return false;
	*rest = text + n;
	return true;
}

bool session_incomplete(Session *S, const char *text)
{
	Arena *A = arena_new();
	Diag quiet;
	FILE *null = fopen("/dev/null", "w");
	diag_init(&quiet, null ? null : stderr);
	const char *rest;
	bool def = session_is_definition(text);
	Src *src;
	if (starts_with_word(text, "why", &rest) || starts_with_word(text, "assume", &rest)) {
		rest += strspn(rest, " \t");
		if (strncmp(rest, "--full", 6) == 0)
			rest += 6;
		src = src_from_string(A, "<repl>", rest, strlen(rest));
	} else {
		src = src_from_string(A, "<repl>", text, strlen(text));
	}
	Parser ps;
	parse_source(&ps, A, src, &quiet, def ? PARSE_FILE : PARSE_EVAL);
	/* `why` alone is finished (and wrong), not the start of more */
	bool more = ps.eof_error && src->len > strspn(src->text, " \t\n");
	(void)S;
	if (null)
		fclose(null);
	arena_free(A);
	return more;
}

static bool run_definition(Session *S, const char *text)
{
	S->defs = realloc(S->defs, (size_t)(S->ndefs + 1) * sizeof *S->defs);
	if (!S->defs)
		abort();
	S->defs[S->ndefs++] = dupstr(text);
	if (session_reload(S))
		return true;
	/* refused (the errors are shown): forget it and rebuild as before */
	free(S->defs[--S->ndefs]);
	unbuild(S);
	build(S);
	return false;
}

/* Parse text as an expression or query in a fresh module of the session. */
static Node *parse_expr(Session *S, const char *text, Module **mod)
{
	Src *src = src_from_string(S->P.A, "<eval>", text, strlen(text));
	Parser ps;
	if (parse_source(&ps, S->P.A, src, &S->D, PARSE_EVAL) != 0 || !ps.expr)
		return NULL;
	*mod = program_add_source(&S->P, src, NULL, NULL);
	Type t;
	if (check_expr(&S->P, *mod, ps.expr, &t) != 0)
		return NULL;
	return ps.expr;
}

/* What a statement reads. */
typedef struct Reads {
	const Program *P;
	bool needs;            /* something rules produce: they must run first */
	bool relations;        /* a declared relation, which no run stores */
	Map names;             /* every name read */
} Reads;

static void note_read(const char *rel, void *arg)
{
	Reads *r = arg;
	const TableDef *t = schema_table(rel);
	if (!t || t->output)
		r->needs = true;
	const Decl *d = t ? NULL : map_get(&r->P->decls, rel);
	if (d && d->kind == D_RELATION)
		r->relations = true;
	map_put(&r->names, rel, (void *)1);
}



static bool why_total(Session *S, Module *m, Node *record, const char *schema, bool unstored, FILE *out);
/* Which lines why_summary lists: all; none unless some are in the period
 * asked; only those of periods no run of the database stored. */
enum { WHY_ALL, WHY_IN_PERIOD, WHY_UNSTORED };
#define UNSTORED_SQL(alias) " AND " alias ".period NOT IN (SELECT period FROM main.runs WHERE status = 'ok')"

/* One line per row of schema.table (main: what the database's runs stored;
 * temp: re-derived as of the session date) that matches the record's fields,
 * with the run and period that wrote it. For stored revenue, a row that the
 * rules re-derive differently today says how. Returns how many rows, or -1. */
static int why_summary(Session *S, Module *m, const char *schema, const char *table, Node *record, int which, FILE *out)
{
	const TableDef *t = schema_table(table);
	if (!t || !t->output || schema_column(t, "run_id") < 0)
		return 0;
	bool stored = strcmp(schema, "main") == 0, rev = strcmp(table, "revenue") == 0;
	char where[1024] = "", period[DATE_MONTH_BUFSZ] = "";
	Value v[16];
	int nb = 0;
	for (Node *f = record->a; f && nb < 16; f = f->next) {
		if (schema_column(t, f->s) < 0)
			continue;
		if (!eval_expr(&S->E, m, f->a, &v[nb]))
			return -1;
		/* revenue_by_project { period: P }: every line of the project is
		 * listed, those of other periods marked, so that "0.00 in P"
		 * says where the revenue went */
		if (rev && strcmp(f->s, "period") == 0 && v[nb].k == V_PERIOD) {
			snprintf(period, sizeof period, "%04d-%02d", v[nb].year, v[nb].idx);
			continue;
		}
		size_t n = strlen(where);
		snprintf(where + n, sizeof where - n, " AND x.\"%s\" = ?%d", f->s, nb + 1);
		nb++;
	}
	char sql[2048];
	/* (the scratch run's own row in temp.runs has no id, only its rowid) */
	snprintf(sql, sizeof sql, "SELECT x.*, r.period AS run_period FROM %s.\"%s\" x JOIN %s.runs r ON coalesce(r.id, r.rowid) = x.run_id "
		 "WHERE r.status %s%s%s ORDER BY r.period, x.rowid", schema, table, schema,
		 stored ? "= 'ok'" : "IN ('ok', 'running')", where, which == WHY_UNSTORED ? UNSTORED_SQL("x") : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return -1;
	}
	for (int i = 0; i < nb; i++)
		ledger_bind(st, i + 1, &v[i]);
	int rows = 0, in_period = 0, ncol = sqlite3_column_count(st);
	char day[DATE_BUFSZ], who[300] = "";
	/* lines of other periods are listed only when the period asked has none */
	bool others = true;
	if (rev && *period) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *p = (const char *)sqlite3_column_text(st, 1);
			others = others && !(p && strcmp(p, period) == 0);
		}
		sqlite3_reset(st);
		if (others && which == WHY_IN_PERIOD) {
			sqlite3_finalize(st);
			return 0;
		}
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rev && *period && !others) {
			const char *p = (const char *)sqlite3_column_text(st, 1);
			if (!p || strcmp(p, period) != 0)
				continue;
		}
		const char *rp = (const char *)sqlite3_column_text(st, ncol - 1);
		if (rows++ == 0)
			fprintf(out, stored ? "stored by the database's runs:\n" : "re-derived as of %s (no run of the database stored one):\n",
				date_fmt(S->as_of, day));
		if (!rev) {
			fprintf(out, " ");
			const TableDef *td = schema_table(table);
			for (int c = 0; c < ncol - 1; c++) {
				const char *name = sqlite3_column_name(st, c), *val = (const char *)sqlite3_column_text(st, c);
				char shown[DEC_BUFSZ];
				if (val && td && c < td->ncols && td->cols[c].type == COL_MONEY) {
					int cc = schema_currency_column(td, name);
					val = money_text(val, cc >= 0 ? (const char *)sqlite3_column_text(st, cc) : NULL, shown);
				} else if (val && td && c < td->ncols && td->cols[c].type == COL_HOURS) {
					val = hours_text(val, shown);
				}
				if (strcmp(name, "run_id") != 0 && strcmp(name, "rule") != 0 && val)
					fprintf(out, " %s: %s", name, val);
			}
			fprintf(out, "  (%s %lld, period %s)\n", stored ? "run" : "view", (long long)sqlite3_column_int64(st, 0), rp ? rp : "?");
			continue;
		}
		const char *col[10];
		for (int c = 0; c < 10; c++)
			col[c] = (const char *)sqlite3_column_text(st, c);
		/* run_id period project_id source source_id amount currency recognized_on basis rule */
		bool here = !*period || (col[1] && strcmp(col[1], period) == 0);
		in_period += here;
		snprintf(who, sizeof who, "%s", col[2] ? col[2] : "");
		char amt[DEC_BUFSZ];
		fprintf(out, "  %s %s %s: %s %s, recognized %s, basis %s, released in %s %s %s%s\n", col[2] ? col[2] : "",
			col[3] ? col[3] : "", col[4] ? col[4] : "", money_text(col[5], col[6], amt), col[6] ? col[6] : "", col[7] ? col[7] : "",
			col[8] ? col[8] : "", col[1] ? col[1] : "?", stored ? "by run" : "as of", stored ? col[0] : date_fmt(S->as_of, day),
			here ? "" : " (not in the period asked)");
		if (!stored || !col[3] || !col[4])
			continue;
		/* the same source row, re-derived by today's rules (the session's view) */
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(S->db, "SELECT amount, basis, recognized_on, period FROM temp.revenue WHERE source = ? AND source_id = ?",
				       -1, &q, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_text(q, 1, col[3], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, col[4], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_ROW) {
			fprintf(out, "    re-derived as of %s: the rules release it nowhere now\n", date_fmt(S->as_of, day));
		} else {
			const char *a = (const char *)sqlite3_column_text(q, 0), *b = (const char *)sqlite3_column_text(q, 1);
			const char *o = (const char *)sqlite3_column_text(q, 2);
			if ((a && col[5] && strcmp(a, col[5]) != 0) || (b && col[8] && strcmp(b, col[8]) != 0) ||
			    (o && col[7] && strcmp(o, col[7]) != 0))
				fprintf(out, "    re-derived as of %s it differs: %s %s, recognized %s, basis %s\n", date_fmt(S->as_of, day),
					money_text(a, col[6], amt), col[6] ? col[6] : "", o ? o : "", b ? b : "");
		}
		sqlite3_finalize(q);
	}
	sqlite3_finalize(st);
	if (rev && *period && rows && !in_period)
		fprintf(out, "  total %s %s: 0.00; nothing of it was released in %s (the lines above were released in other periods)\n",
			who, period, period);
	return rows;
}

/* why TABLE { ... }: what the database's runs stored first (a short
 * summary: one line per row, the total), else the rows re-derived as of the
 * session date; with full, also each row's derivation tree. */
static bool why_table(Session *S, Module *m, Node *x, bool totals, bool full, FILE *out)
{
	const char *table = totals ? "revenue" : x->s;
	/* one source of truth with the session's queries: a period the runs
	 * stored nothing for is answered as the session derives it (a month
	 * not yet run); "0.00, released in other periods" only when neither has it */
	int n = why_summary(S, m, "main", table, x->a, WHY_IN_PERIOD, out);
	if (n < 0)
		return false;
	if (n > 0 && totals && !why_total(S, m, x->a, "main", false, out))
		return false;
	/* no period asked: the months no run stored yet too, as the session has them */
	bool any_period = true;
	for (Node *f = x->a->a; f; f = f->next)
		any_period = any_period && strcmp(f->s, "period") != 0;
	int u = n > 0 && totals && any_period ? why_summary(S, m, "temp", table, x->a, WHY_UNSTORED, out) : 0;
	if (u < 0 || (u > 0 && !why_total(S, m, x->a, "temp", true, out)))
		return false;
	int k = n ? n : why_summary(S, m, "temp", table, x->a, WHY_IN_PERIOD, out);
	if (k < 0)
		return false;
	if (n == 0 && k > 0 && totals && !why_total(S, m, x->a, "temp", false, out))
		return false;
	if (k == 0) {
		k = why_summary(S, m, "main", table, x->a, WHY_ALL, out);
		if (k == 0)
			k = why_summary(S, m, "temp", table, x->a, WHY_ALL, out);
		if (k < 0)
			return false;
		if (k == 0 && !full) {
			fprintf(out, "no %s row like that, stored or re-derived as of this date\n", table);
			return true;
		}
	}
	if (!full) {
		fprintf(out, "(why --full, or .why full, shows how each row is derived)\n");
		return true;
	}
	if (totals)
		fprintf(out, "revenue_by_project is each project's revenue lines of the period, summed exactly, then rounded once\n"
			     "(half away from zero, to the currency's minor unit); each line, re-derived as of this date:\n");
	return why_rows(&S->E, m, table, x->a, out);
}

/* Is text an id written without quotes (P-1010, SOW-2026-014)? */
static bool bare_id(const char *text, size_t *len)
{
	const char *p = text;
	while (isalpha((unsigned char)*p))
		p++;
	if (p == text || *p != '-' || !isalnum((unsigned char)p[1]))
		return false;
	while (isalnum((unsigned char)*p) || *p == '-')
		p++;
	*len = (size_t)(p - text);
	while (isspace((unsigned char)*p))
		p++;
	return *p == 0;
}

static bool run_why(Session *S, const char *rest, FILE *out)
{
	bool full = S->why_full;
	rest += strspn(rest, " \t");
	if (strncmp(rest, "--full", 6) == 0 && (!rest[6] || isspace((unsigned char)rest[6]))) {
		full = true;
		rest += 6 + strspn(rest + 6, " \t");
	}
	if (!*rest) {
		fprintf(stderr, "sow: error: why what? why EXPRESSION, or why TABLE { column: value, ... } (.why explains)\n");
		return false;
	}
	size_t idlen;
	if (bare_id(rest, &idlen)) {
		fprintf(stderr, "sow: error: why %.*s: an id is text, in quotes; ask for the rows it is in, e.g.\n"
				"  why revenue { project_id: \"%.*s\" }\n"
				"  why revenue_by_project { project_id: \"%.*s\", period: 2026-11 }\n"
				"  why revenue { source_id: \"%.*s\" }\n",
			(int)idlen, rest, (int)idlen, rest, (int)idlen, rest, (int)idlen, rest);
		return false;
	}
	/* reuse the test grammar: `expect X` is an expression or TABLE { ... } */
	size_t n = strlen(rest) + 32;
	char *text = malloc(n);
	if (!text)
		abort();
	snprintf(text, n, "test \"why\" {\nexpect %s\n}", rest);
	Src *src = src_from_string(S->P.A, "<why>", text, strlen(text));
	free(text);
	Parser ps;
	if (parse_source(&ps, S->P.A, src, &S->D, PARSE_FILE) != 0 || !ps.items || !ps.items->a)
		return false;
	Node *x = ps.items->a;
	Module *m = program_add_source(&S->P, src, NULL, NULL);
	if (x->kind == N_EXPECT) {
		Type t;
		if (check_expr(&S->P, m, x->a, &t) != 0)
			return false;
		Reads rd = { &S->P, false, false, { 0 } };
		program_reads(&S->P, x->a, note_read, &rd);
		map_free(&rd.names);
		bool needs = rd.needs && has_rules(S);
		if (needs || S->fresh) {
			if (!refresh(S, false, NULL))
				return false;
			return why_expr(&S->E, m, x->a, out);
		}
		Eval light;
		light_eval(S, &light);
		bool ok = why_expr(&light, m, x->a, out);
		eval_free(&light);
		return ok;
	}
	bool totals = strcmp(x->s, "revenue_by_project") == 0 || strcmp(x->s, "revenue_totals") == 0;
	if (!totals && !map_get(&S->P.shapes, x->s)) {
		diag_at(&S->D, src, x->loc, DIAG_ERROR, "unknown relation '%s'", x->s);
		return false;
	}
	if (!S->db) {
		fprintf(stderr, "sow: error: why of rows needs a database (--db DB)\n");
		return false;
	}
	if (!refresh(S, false, NULL))
		return false;
	return why_table(S, m, x, totals, full, out);
}

/* Forecast totals of the session's view, by quarter and currency. */
/* What the forecast by quarter reads (the totals sum the forecast; their
 * reporting amounts come from reporting_lines). */
static void forecast_need(Map *m)
{
	map_put(m, "forecast_totals", (void *)1);
	map_put(m, "forecast", (void *)1);
	map_put(m, "reporting_lines", (void *)1);
}

static bool refresh_for(Session *S, void (*need)(Map *))
{
	Map m = { 0 };
	need(&m);
	bool ok = refresh(S, true, &m);
	map_free(&m);
	return ok;
}

static int forecast_totals(Session *S, const char *project, Total *t, int max)
{
	if (!refresh_for(S, forecast_need))
		return -1;
	return ledger_forecast_totals(S->db, S->R.run_id, project, t, max);
}

static void split_key(const char *key, char *q, char *cur)
{
	sscanf(key, "%15s %7s", q, cur);
}

/* Each quarter's whole forecast in the reporting currency: every line at
 * the as-of rate (reporting_lines), summed exactly, rounded once. */
static bool forecast_reporting(Session *S, const char *quarter, FILE *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, "SELECT fiscal_quarter, reporting_currency, reporting_amount FROM reporting_lines "
				      "WHERE run_id = ?1 AND kind = 'forecast' AND (?2 IS NULL OR fiscal_quarter = ?2) ORDER BY 1, 2",
				      -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (quarter)
		sqlite3_bind_text(st, 2, quarter, -1, SQLITE_STATIC);
	static const char *const headers[] = { "fiscal_quarter", "reporting_total" };
	static const bool right[] = { false, true };
	if (S->format == FMT_TABLE || S->format == FMT_MARKDOWN)
		fputs("\nAll currencies, in the reporting currency (each line at the as-of rate):\n", out);
	FTable *ft = format_begin(NULL, 2, headers, right, S->format, out);
	Totals T;
	totals_open(&T, st, 2, 1);
	while (totals_next(&T)) {
		char b[DEC_BUFSZ + 8] = "";
		Dec r;
		if (totals_rounded(&T, 0, T.key[1], &r)) {
			char d[DEC_BUFSZ];
			snprintf(b, sizeof b, "%s %.7s", money_fmt(r, T.key[1], d), T.key[1]);
		}
		const char *cells[] = { T.key[0], *b ? b : "(a rate is missing)" };
		format_row(ft, cells);
	}
	format_end(ft);
	sqlite3_finalize(st);
	return !T.err;
}

static bool row_exists(Session *S, const char *table, const char *id);

/* .forecast: by quarter and currency, the actual (released) and forecast
 * parts and the whole, each exact and rounded once, and the whole in the
 * reporting currency; for one project, its own lines. */
static bool forecast(Session *S, const char *project, FILE *out)
{
	if (!S->db) {
		fprintf(stderr, "sow: error: the forecast needs a database (--db DB)\n");
		return false;
	}
	/* .forecast FY2027-Q4 is a quarter; anything else names a project */
	const char *quarter = NULL;
	int fy, qn;
	char tail;
	if (project && sscanf(project, "FY%4d-Q%d%c", &fy, &qn, &tail) == 2) {
		if (qn < 1 || qn > 4) {
			fprintf(stderr, "sow: error: no quarter %s: a fiscal year has quarters Q1 to Q4\n", project);
			return false;
		}
		quarter = project;
		project = NULL;
	} else if (project && !row_exists(S, "projects", project)) {
		fprintf(stderr, "sow: error: no project %s in the projects table (.forecast PROJECT or .forecast FY2027-Q4)\n", project);
		return false;
	}
	if (!refresh_for(S, forecast_need))
		return false;
	const char *sql = project
		? "SELECT f.fiscal_quarter, f.currency, CASE WHEN f.basis = 'released' THEN f.amount ELSE '0' END, "
		  "CASE WHEN f.basis = 'released' THEN '0' ELSE f.amount END, f.amount FROM forecast f "
		  "WHERE f.run_id = ?1 AND f.project_id = ?2 ORDER BY 1, 2"
		: "SELECT fiscal_quarter, currency, actual_amount, forecast_amount, amount, reporting_currency, reporting_amount "
		  "FROM forecast_totals WHERE run_id = ?1 AND (?3 IS NULL OR fiscal_quarter = ?3) ORDER BY 1, 2";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (project)
		sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	if (quarter)
		sqlite3_bind_text(st, 3, quarter, -1, SQLITE_STATIC);
	if (quarter && sqlite3_step(st) != SQLITE_ROW) {
		char day[DATE_BUFSZ];
		fprintf(out, "nothing is forecast in %s as of %s\n", quarter, date_fmt(S->as_of, day));
		sqlite3_finalize(st);
		return true;
	}
	sqlite3_reset(st);
	static const char *const headers[] = { "fiscal_quarter", "currency", "actual", "forecast", "amount", "reporting" };
	static const bool right[] = { false, false, true, true, true, true };
	FTable *ft = format_begin(NULL, project ? 5 : 6, headers, right, S->format, out);
	bool ok = true;
	if (project) {
		Totals T;
		totals_open(&T, st, 2, 3);
		while (totals_next(&T)) {
			char b[3][DEC_BUFSZ];
			const char *cells[5] = { T.key[0], T.key[1], "", "", "" };
			for (int i = 0; i < 3; i++) {
				Dec r;
				if (totals_rounded(&T, i, T.key[1], &r))
					cells[2 + i] = money_fmt(r, T.key[1], b[i]);
			}
			format_row(ft, cells);
		}
		ok = !T.err;
	} else {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *cells[6];
			char rep[DEC_BUFSZ + 8] = "", b[3][DEC_BUFSZ];
			for (int i = 0; i < 5; i++) {
				const char *c = (const char *)sqlite3_column_text(st, i);
				cells[i] = i >= 2 ? money_text(c, cells[1], b[i - 2]) : c ? c : "";
			}
			const char *rc = (const char *)sqlite3_column_text(st, 5), *ra = (const char *)sqlite3_column_text(st, 6);
			char rb[DEC_BUFSZ];
			if (rc && ra)
				snprintf(rep, sizeof rep, "%s %s", money_text(ra, rc, rb), rc);
			cells[5] = rep;
			format_row(ft, cells);
		}
	}
	format_end(ft);
	sqlite3_finalize(st);
	return ok && (project || forecast_reporting(S, quarter, out));
}

static void balances_need(Map *m)
{
	map_put(m, "balances", (void *)1);
}

/* Work in progress (SPEC 8.6) of the session's view: the balances rows its
 * run of the rules wrote, per project and currency, exact as written. */
static bool balances(Session *S, const char *project, FILE *out)
{
	if (!S->db) {
		fprintf(stderr, "sow: error: balances need a database (--db DB)\n");
		return false;
	}
	if (!refresh_for(S, balances_need))
		return false;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db,
			       "SELECT project_id, currency, recognized_to_date, billed_to_date, unbilled, deferred FROM temp.balances "
			       "WHERE run_id = ?1 AND (?2 IS NULL OR project_id = ?2) ORDER BY project_id, currency",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sow: error: %s\n", sqlite3_errmsg(S->db));
		return false;
	}
	sqlite3_bind_int64(st, 1, S->R.run_id);
	if (project)
		sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
	static const char *const headers[] = { "project_id", "currency", "recognized_to_date", "billed_to_date", "unbilled",
					       "deferred" };
	static const bool right[] = { false, false, true, true, true, true };
	FTable *ft = format_begin(NULL, 6, headers, right, S->format, out);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *cells[6];
		char m[4][DEC_BUFSZ];
		for (int i = 0; i < 6; i++) {
			const char *c = (const char *)sqlite3_column_text(st, i);
			cells[i] = i >= 2 ? money_text(c, cells[1], m[i - 2]) : c ? c : "";
		}
		format_row(ft, cells);
		rows++;
	}
	sqlite3_finalize(st);
	format_end(ft);
	if (!rows && project)
		fprintf(out, "no balances for project %s as of this date (no revenue or billing, or no SOW names it)\n", project);
	return true;
}

/* The forecast before and after a change, side by side. */
static bool forecast_change(Session *S, const Total *before, int nb, FILE *out)
{
	Total after[256];
	int na = forecast_totals(S, NULL, after, 256);
	if (na < 0)
		return false;
	static const char *const headers[] = { "fiscal_quarter", "currency", "before", "after", "change" };
	static const bool right[] = { false, false, true, true, true };
	FTable *ft = format_begin(NULL, 5, headers, right, S->format, out);
	int i = 0, j = 0;
	while (i < nb || j < na) {
		int c = i >= nb ? 1 : j >= na ? -1 : strcmp(before[i].key, after[j].key);
		Dec b = c <= 0 ? before[i].amount : dec_from_int(0), a = c >= 0 ? after[j].amount : dec_from_int(0), d;
		const char *key = c <= 0 ? before[i].key : after[j].key;
		char q[16] = "", cur[8] = "", bb[DEC_BUFSZ], ab[DEC_BUFSZ], db[DEC_BUFSZ + 1];
		split_key(key, q, cur);
		dec_sub(a, b, &d);
		snprintf(db, sizeof db, "%s%s", dec_sign(d) > 0 ? "+" : "", money_fmt(d, cur, ab));
		const char *cells[] = { q, cur, c <= 0 ? money_fmt(b, cur, bb) : "", c >= 0 ? money_fmt(a, cur, ab) : "",
					dec_sign(d) ? db : "" };
		format_row(ft, cells);
		i += c <= 0;
		j += c >= 0;
	}
	format_end(ft);
	return true;
}

/* The closing line of `why revenue_by_project {...}`: the exact sum of
 * the lines and the total rounded once, per project, period and currency. */
static bool why_total(Session *S, Module *m, Node *record, const char *schema, bool unstored, FILE *out)
{
	char where[512] = "run_id IS NOT NULL";
	Value v[3];
	static const char *const cols[] = { "project_id", "period", "currency" };
	int nb = 0;
	for (Node *f = record->a; f; f = f->next)
		for (int i = 0; i < 3; i++)
			if (strcmp(f->s, cols[i]) == 0 && nb < 3) {
				if (!eval_expr(&S->E, m, f->a, &v[nb]))
					return false;
				size_t n = strlen(where);
				snprintf(where + n, sizeof where - n, " AND %s = ?%d", cols[i], nb + 1);
				nb++;
			}
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT project_id, period, currency, amount FROM %s.revenue r WHERE %s%s%s ORDER BY 1, 2, 3", schema,
		 where, strcmp(schema, "main") == 0 ? " AND run_id IN (SELECT id FROM main.runs WHERE status = 'ok')" : "",
		 unstored ? UNSTORED_SQL("r") : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	for (int i = 0; i < nb; i++)
		ledger_bind(st, i + 1, &v[i]);
	Totals T;
	totals_open(&T, st, 3, 1);
	while (totals_next(&T)) {
		char a[DEC_BUFSZ], b[DEC_BUFSZ];
		Dec r;
		if (!totals_rounded(&T, 0, T.key[2], &r))
			continue;
		fprintf(out, "  total %s %s %s: %lld line%s summing to %s exactly; rounded once: %s %s\n", T.key[0], T.key[1], T.key[2],
			T.lines, T.lines == 1 ? "" : "s", money_fmt(T.sum[0].exact, T.key[2], a), money_fmt(r, T.key[2], b), T.key[2]);
	}
	sqlite3_finalize(st);
	return !T.err;
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

/* The assumed row exists? A change to a row that is not there is lost. */
static bool row_exists(Session *S, const char *table, const char *id)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT 1 FROM main.\"%s\" WHERE id = ?", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(S->db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* assume TABLE["ID"].COLUMN = VALUE: checked against the column's type and
 * the row when it is typed; a refused assumption is not kept. */
static bool run_assume(Session *S, const char *rest, FILE *out)
{
	const char *eq = strstr(rest, " = ");
	if (!eq) {
		fprintf(stderr, "sow: error: write assume TABLE[\"ID\"].COLUMN = VALUE (or unset)\n");
		return false;
	}
	char *lhs = strndup(rest, (size_t)(eq - rest));
	Module *m;
	Node *target = lhs ? parse_expr(S, lhs, &m) : NULL;
	free(lhs);
	if (!target)
		return false;
	if (target->kind != N_MEMBER || target->a->kind != N_INDEX || target->a->a->kind != N_NAME ||
	    target->a->b->kind != N_STR) {
		fprintf(stderr, "sow: error: assume changes one column of one row: TABLE[\"ID\"].COLUMN = VALUE\n");
		return false;
	}
	const char *table = target->a->a->s;
	const TableDef *t = schema_table(table);
	if (!t || t->output || !t->id || strcmp(t->id, "id") != 0) {
		fprintf(stderr, "sow: error: assume works on input tables with an id (projects, milestones, trainings, ...)\n");
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
	if (S->db && !row_exists(S, table, target->a->b->s)) {
		diag_at(&S->D, m->src, target->a->b->loc, DIAG_ERROR, "%s has no row with id \"%s\"", table, target->a->b->s);
		return false;
	}
	Module *vm;
	Node *value = parse_expr(S, eq + 3, &vm);
	if (!value)
		return false;
	Eval E;
	light_eval(S, &E);
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
	int nb = S->db ? forecast_totals(S, NULL, before, 256) : -1;
	S->assumes = realloc(S->assumes, (size_t)(S->nassumes + 1) * sizeof *S->assumes);
	if (!S->assumes)
		abort();
	S->assumes[S->nassumes++] = a;
	/* this view: what reads the table runs again, when it is read; views
	 * of other dates were made without the assumption */
	drop_parked(S);
	if (S->fresh && S->stored_run && S->reuse)
		promote(S);
	if (S->fresh && !S->stored_run && S->reuse && S->db && apply_assumptions(S)) {
		char *changed[] = { a.table };
		mark_stale(S, changed, 1, false);
	} else
		forget(S);
	if (nb < 0)
		return true;
	fprintf(out, "forecast by fiscal quarter, before and after assuming %s:\n", a.source);
	return forecast_change(S, before, nb, out);
}

static bool run_statement(Session *S, const char *text, FILE *out)
{
	const char *rest;
	if (!S->loaded && !session_reload(S))
		return false;
	int errors = S->D.errors;
	bool ok;
	if (starts_with_word(text, "why", &rest)) {
		ok = run_why(S, rest, out);
	} else if (starts_with_word(text, "assume", &rest)) {
		ok = run_assume(S, rest, out);
	} else if (session_is_definition(text)) {
		ok = run_definition(S, text);
		if (ok)
			forget(S);
	} else {
		Module *m;
		Node *e = parse_expr(S, text, &m);
		ok = e != NULL;
		if (ok) {
			Reads rd = { &S->P, false, false, { 0 } };
			program_reads(&S->P, e, note_read, &rd);
			bool needs = rd.needs && has_rules(S), known = true;
			/* a name neither a table, a SOW term nor a declaration: anything */
			for (size_t i = 0; i < rd.names.cap; i++)
				if (rd.names.keys[i] && !schema_table(rd.names.keys[i]) && strncmp(rd.names.keys[i], "sow", 3) != 0 &&
				    !map_get(&S->P.decls, rd.names.keys[i]))
					known = false;
			if (needs && !S->db) {
				fprintf(stderr, "sow: error: this reads the database: give --db DB\n");
				ok = false;
			}
			/* Only what reads rule results pays for running the rules. */
			Eval light, *E = &S->E;
			if (ok && needs) {
				ok = refresh(S, !rd.relations && !S->explain, known ? &rd.names : NULL);
			} else if (ok && !S->fresh) {
				light_eval(S, &light);
				E = &light;
			}
			Value v;
			if (ok && S->explain)
				ok = why_expr(E, m, e, out);
			else if (ok && (ok = eval_expr(E, m, e, &v)))
				format_value(&v, S->format, out);
			if (E == &light)
				eval_free(&light);
			else if (S->fresh)
				arena_reset(S->E.tmp);
			map_free(&rd.names);
		}
	}
	return ok && S->D.errors == errors;
}

bool session_run(Session *S, const char *text, FILE *out)
{
	bool ok = run_statement(S, text, out);
	release(S);
	return ok;
}

bool session_forecast(Session *S, const char *project, FILE *out)
{
	bool ok = forecast(S, project, out);
	release(S);
	return ok;
}

bool session_balances(Session *S, const char *project, FILE *out)
{
	bool ok = balances(S, project, out);
	release(S);
	return ok;
}

void session_set_reuse(Session *S, bool on)
{
	if (!on) {
		drop_parked(S);
		if (S->stored_run || any_stale(S))
			forget(S);
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
