/* session.c: a session's lifetime: the program loaded and checked (the rule
 * files and the definitions typed in the session), the database opened
 * read-only, reloads. What a statement does is stmt.c's; the rules'
 * results the session keeps are view.c's; assumptions are assume.c's. */
#include "session.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "schema.h"
#include "store.h"
#include "view.h"

static bool build(Session *S)
{
	S->A = arena_new();
	/* a reload counts afresh; messages go where they went */
	Diag keep = S->D;
	diag_init(&S->D, keep.out ? keep.out : stderr);
	S->D.sink = keep.sink;
	S->D.sink_arg = keep.sink_arg;
	S->D.max_errors = 0; /* a session is long: every error of every statement is shown */
	program_init(&S->P, S->A, &S->D, S->argv0);
	bool ok = true;
	for (int i = 0; i < S->npaths; i++)
		ok &= program_load_path(&S->P, S->paths[i]);
	for (int i = 0; i < S->ndefs; i++) {
		Src *src = src_from_string(S->A, S->defs[i].origin, S->defs[i].text, strlen(S->defs[i].text));
		src->lines_before = S->defs[i].lines_before;
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

static void unbuild(Session *S)
{
	view_forget(S);
	view_drop_parked(S);
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
	diag_init(&S->D, stderr);
	S->reuse = true;
	S->argv0 = argv0;
	S->db_path = db_path;
	S->as_of = as_of;
	S->paths = paths;
	S->npaths = npaths;
	if (db_path) {
		char err[512];
		if (!(S->db = store_open(db_path, STORE_READ, err, sizeof err))) {
			diag_plain(&S->D, DIAG_ERROR, "%s", err);
			return 3;
		}
		/* the views SPEC 4 and 8.3 define, over the session's own view:
		 * a TEMP view reads the TEMP tables that shadow the stored ones */
		for (int i = 0; i < schema_nviews; i++) {
			char sql[1024];
			schema_view_sql(&schema_views[i], sql, sizeof sql);
			if (!view_exec(S->db, "CREATE TEMP VIEW IF NOT EXISTS \"%w\" AS %s", schema_views[i].name, sql)) {
				diag_plain(&S->D, DIAG_ERROR, "%s: %s", db_path, sqlite3_errmsg(S->db));
				return 3;
			}
		}
	}
	if (!build(S))
		return S->D.errors ? 1 : 3;
	return 0;
}

void session_diag(Session *S, DiagSink sink, void *arg)
{
	S->D.sink = sink;
	S->D.sink_arg = arg;
}

void session_close(Session *S)
{
	unbuild(S);
	for (int i = 0; i < S->ndefs; i++)
		free(S->defs[i].text), free(S->defs[i].origin);
	free(S->defs);
	session_clear_assumptions(S);
	sqlite3_close(S->db);
}

bool session_reload(Session *S)
{
	unbuild(S);
	return build(S);
}

/* The statement being answered, so that a message names its origin and line. */
void session_fail(Session *S, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (S->cur)
		diag_at(&S->D, S->cur, (Loc){ 0, (int)S->cur->len }, DIAG_ERROR, "%s", msg);
	else
		diag_plain(&S->D, DIAG_ERROR, "%s", msg);
}
