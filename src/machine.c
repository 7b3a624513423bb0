/* machine.c: status machines (SPEC 6.7), run after the rules.
 *
 * For each project a machine checks the recorded status changes against its
 * allowed transitions and proposes the transitions whose guards hold; the
 * guards read what the rules wrote, so machines run last. */
#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "money.h"
#include "ops.h"
#include "schema.h"
#include "sink.h"
#include "source.h"
#include "store.h"

/* Hand a row of output table `to` to the sink, from column/value pairs. */
static bool emit_row(Eval *E, Node *at, const EmitTo *to, const char *const *cols, const Value *vals, int n)
{
	const TableDef *t = to->table;
	Value row[32];
	for (int c = 0; c < t->ncols; c++) {
		row[c] = (Value){ .k = V_UNSET };
		for (int i = 0; i < n; i++)
			if (strcmp(cols[i], t->cols[c].name) == 0)
				row[c] = vals[i];
	}
	return E->sink->emit(E->sink, E, at, to, row);
}

static EmitTo emit_to(Eval *E, const char *table)
{
	return (EmitTo){ table, map_get(&E->P->shapes, table), schema_table(table) };
}

static bool allowed(const Node *m, const char *from, const char *to)
{
	for (const Node *t = m->a; t; t = t->next)
		if (strcmp(t->s, to) == 0)
			for (const Node *f = t->a; f; f = f->next)
				if (strcmp(f->s, from) == 0)
					return true;
	return false;
}

static Value txt(const char *s) { return s ? (Value){ .k = V_TEXT, .s = s } : (Value){ .k = V_UNSET }; }

typedef struct {
	Node *m;              /* the machine */
	sqlite3_stmt *hist;   /* its project's recorded changes, in order */
	EmitTo findings, transitions;
} MachineCtx;

/* One project: check its recorded changes, propose guarded transitions. */
static bool machine_row(Eval *E, const Row *p, void *arg)
{
	MachineCtx *M = arg;
	Node *m = M->m;
	EScope s = { m->s2, { .k = V_ROW, .row = p }, E->scope };
	E->scope = &s;
	bool ok = true;
	Value v;
	if (m->b) {
		ok = eval_expr(E, E->mod, m->b, &v);
		if (ok && v.k != V_BOOL)
			ok = eval_fail(E, m->b, "the machine's where must be true or false");
		if (!ok || !v.b)
			goto done;
	}
	int id = shape_col(p->shape, "id"), st = shape_col(p->shape, "status");
	const char *pid = p->vals[id].k == V_TEXT ? p->vals[id].s : "";
	sqlite3_reset(M->hist);
	sqlite3_bind_text(M->hist, 1, pid, -1, SQLITE_TRANSIENT);
	char prev[128] = "";
	while (ok && sqlite3_step(M->hist) == SQLITE_ROW) {
		const char *to = (const char *)sqlite3_column_text(M->hist, 0);
		const char *on = (const char *)sqlite3_column_text(M->hist, 1);
		if (!to)
			continue;
		if (*prev && strcmp(prev, to) != 0 && !allowed(m, prev, to)) {
			char msg[512], subj[256];
			snprintf(msg, sizeof msg, "recorded status change %s -> %s on %s is not allowed by machine %s", prev, to,
				 on ? on : "?", m->s);
			snprintf(subj, sizeof subj, "status_history:%s", pid);
			static const char *const cols[] = { "project_id", "severity", "code", "message", "subject" };
			Value vals[] = { txt(pid), txt("error"), txt("forbidden_transition"), txt(msg), txt(subj) };
			ok = emit_row(E, m, &M->findings, cols, vals, 5);
		}
		snprintf(prev, sizeof prev, "%s", to);
	}
	sqlite3_reset(M->hist);
	const char *cur = p->vals[st].k == V_TEXT ? p->vals[st].s : NULL;
	for (Node *t = m->a; ok && t && cur; t = t->next) {
		bool from = false;
		for (Node *f = t->a; f; f = f->next)
			from |= strcmp(f->s, cur) == 0;
		if (!from)
			continue;
		if (t->b) {
			ok = eval_expr(E, E->mod, t->b, &v);
			if (ok && v.k != V_BOOL)
				ok = eval_fail(E, t->b, "a transition guard must be true or false");
			if (!ok || !v.b)
				continue;
		} else {
			continue; /* unguarded: allowed, but nothing to propose */
		}
		static const char *const cols[] = { "project_id", "from_status", "to_status", "on_date", "reason" };
		Value vals[] = { txt(pid), txt(cur), txt(t->s), { .k = V_DATE, .date = E->as_of },
				 txt(t->c ? t->c->s : "guard holds") };
		if (E->cov)
			coverage_hit(E->cov, t);
		ok = emit_row(E, t, &M->transitions, cols, vals, 5);
	}
done:
	E->scope = s.up;
	arena_reset(E->tmp);
	return ok;
}

void machines_name(const Decl *d, char *buf, size_t n)
{
	int line, col;
	diag_linecol(d->mod->src, d->node->loc.beg, &line, &col);
	snprintf(buf, n, "%s:%d machine %s", d->mod->src->path, line, d->node->s);
}

bool machines_run(Eval *E)
{
	for (int mi = 0; mi < E->P->nmods; mi++)
		for (Node *it = E->P->mods[mi]->items; it; it = it->next) {
			if (it->kind != N_MACHINE)
				continue;
			Decl *d = map_get(&E->P->decls, it->s);
			if (!d || d->node != it)
				continue; /* replaced by a user file's machine */
			char name[512];
			machines_name(d, name, sizeof name);
			E->rule = arena_strndup(E->P->A, name, strlen(name));
			E->mod = d->mod;
			E->sow = NULL;
			/* a for clause of its own, so the scan has a stable plan */
			Node *src = ast_node(E->P->A, N_NAME, it->loc);
			src->s = "projects";
			Node *clause = ast_node(E->P->A, N_FOR, it->loc);
			clause->a = src;
			clause->s = it->s2;
			clause->aux = map_get(&E->P->shapes, "projects");
			MachineCtx M = { it, NULL, emit_to(E, "findings"), emit_to(E, "transitions") };
			if (!store_status_history(E->db, &M.hist))
				return eval_fail(E, it, "cannot read status_history: %s", sqlite3_errmsg(E->db));
			bool ok = source_scan(E, clause, it->s2, NULL, machine_row, &M);
			sqlite3_finalize(M.hist);
			if (!ok)
				return false;
		}
	return true;
}
