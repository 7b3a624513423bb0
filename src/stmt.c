/* stmt.c: one statement answered against a session (see stmt.h): what kind
 * it is, parsing it located at its origin, bringing the view up to date for
 * what it reads, and printing its value in the format asked. `why` is
 * why.c's, `assume` assume.c's, the standing figures figures.c's. */
#include "stmt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "schema.h"
#include "stmtint.h"
#include "view.h"
#include "why.h"

static const char *const def_words[] = { "rule", "fn", "const", "query", "relation", "sow", "calendar", "enum",
	"machine", "rounding", "test", "import", "fiscal" };

bool stmt_word(const char *text, const char *word, const char **rest)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(word);
	if (strncmp(text, word, n) != 0 || !(isspace((unsigned char)text[n]) || !text[n]))
		return false;
	if (rest)
		*rest = text + n;
	return true;
}

/* Messages of a trial parse go nowhere. */
static void discard(void *arg, const Src *src, Loc loc, DiagLevel lv, const char *msg)
{
	(void)arg, (void)src, (void)loc, (void)lv, (void)msg;
}

static void quiet(Diag *d)
{
	diag_init(d, NULL);
	d->sink = discard;
	d->max_errors = 0;
}

StmtKind stmt_kind(const char *text)
{
	while (isspace((unsigned char)*text) || *text == ';')
		text++;
	if (!*text)
		return STMT_EMPTY;
	if (*text == '.' || *text == '\\')
		return STMT_COMMAND;
	if (stmt_word(text, "why", NULL))
		return STMT_WHY;
	if (stmt_word(text, "assume", NULL))
		return STMT_ASSUME;
	for (size_t i = 0; i < sizeof def_words / sizeof *def_words; i++)
		if (stmt_word(text, def_words[i], NULL))
			return STMT_DEFINITION;
	return STMT_EXPR;
}

bool stmt_incomplete(const char *text)
{
	Arena *A = arena_new();
	Diag q;
	quiet(&q);
	const char *rest;
	StmtKind k = stmt_kind(text);
	Src *src;
	if (stmt_word(text, "why", &rest) || stmt_word(text, "assume", &rest)) {
		rest += strspn(rest, " \t");
		if (strncmp(rest, "--full", 6) == 0)
			rest += 6;
		src = src_from_string(A, "<repl>", rest, strlen(rest));
	} else {
		src = src_from_string(A, "<repl>", text, strlen(text));
	}
	Parser ps;
	parse_source(&ps, A, src, &q, k == STMT_DEFINITION ? PARSE_FILE : PARSE_EVAL);
	/* `why` alone is finished (and wrong), not the start of more */
	bool more = ps.eof_error && src->len > strspn(src->text, " \t\n");
	arena_free(A);
	return more;
}

/* The names a definition's text declares ("fn g", "rule r"), as "KIND NAME"
 * lines, or NULL when it does not parse (the reload says why). */
static char *declared(const char *text)
{
	Arena *A = arena_new();
	Diag q;
	quiet(&q);
	Src *src = src_from_string(A, "<def>", text, strlen(text));
	Parser ps;
	char *names = NULL;
	size_t len = 0;
	if (parse_source(&ps, A, src, &q, PARSE_FILE) == 0) {
		FILE *m = open_memstream(&names, &len);
		for (Node *it = ps.items; m && it; it = it->next)
			if (it->s)
				fprintf(m, "%d %s\n", (int)it->kind, it->s);
		if (m)
			fclose(m);
	}
	arena_free(A);
	return names;
}

/* Does any line of a appear in b? */
static bool shares_a_name(const char *a, const char *b)
{
	for (const char *p = a; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		for (const char *q = b; q && *q;) {
			const char *f = strchr(q, '\n');
			size_t k = f ? (size_t)(f - q) : strlen(q);
			if (k == n && memcmp(p, q, n) == 0)
				return true;
			q = f ? f + 1 : NULL;
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* A definition typed in the session: added to the program, which is
 * loaded again. One that declares a name an earlier definition of the
 * session declared replaces it (what read the old one is checked and made
 * again with the new); a definition that does not check is refused and the
 * session's definitions stay as they were. */
static bool run_definition(Session *S, const char *text)
{
	char *mine = declared(text);
	struct SessionDef *kept = malloc((size_t)(S->ndefs + 1) * sizeof *kept);
	if (!kept)
		abort();
	int nkept = 0, replaced = 0;
	for (int i = 0; i < S->ndefs; i++) {
		char *theirs = mine ? declared(S->defs[i].text) : NULL;
		bool same = theirs && shares_a_name(mine, theirs);
		free(theirs);
		if (same)
			replaced++;
		else
			kept[nkept++] = S->defs[i];
	}
	free(mine);
	struct SessionDef *old = S->defs;
	int nold = S->ndefs;
	kept[nkept++] = (struct SessionDef){ strdup(text), strdup(S->cur ? S->cur->path : "<eval>"), S->cur ? S->cur->lines_before : 0 };
	if (!kept[nkept - 1].text || !kept[nkept - 1].origin)
		abort();
	S->defs = kept;
	S->ndefs = nkept;
	if (session_reload(S)) {
		if (replaced)
			diag_plain(&S->D, DIAG_NOTE, "this replaces the session's earlier definition of the same name; what used it is "
						     "computed again");
		for (int i = 0; i < nold; i++) {
			bool still = false;
			for (int j = 0; j < nkept && !still; j++)
				still = kept[j].text == old[i].text;
			if (!still)
				free(old[i].text), free(old[i].origin);
		}
		free(old);
		return true;
	}
	/* refused (the errors are shown): the definitions as before */
	free(kept[nkept - 1].text), free(kept[nkept - 1].origin);
	free(kept);
	S->defs = old;
	S->ndefs = nold;
	session_reload(S);
	return false;
}

/* A source for text, a piece of the statement being answered: messages
 * name the statement's origin and the line text is on. */
Src *stmt_src(Session *S, const char *text)
{
	const Src *cur = S->cur;
	Src *src = src_from_string(S->P.A, cur ? cur->path : "<eval>", text, strlen(text));
	if (!cur)
		return src;
	int before = cur->lines_before;
	/* (a copy of a piece is on the statement's first line, near enough) */
	for (const char *p = cur->text; text >= cur->text && text <= cur->text + cur->len && p < text; p++)
		before += *p == '\n';
	src->lines_before = before;
	return src;
}

/* The first word, for hints: `select` and `SELECT` start SQL, not a query. */
static void hint_sql(Session *S, const char *text)
{
	char w[8] = "";
	size_t n = strspn(text, " \t\n");
	for (size_t i = 0; i < 6 && text[n + i]; i++)
		w[i] = (char)tolower((unsigned char)text[n + i]);
	if (strncmp(w, "select", 6) == 0 && !isalnum((unsigned char)text[n + 6]) && text[n + 6] != '_')
		diag_plain(&S->D, DIAG_NOTE, "a query starts with `from`: from p in projects where p.status == \"active\" select p.id, p.name "
					     "(.help shows more)");
}

Node *stmt_parse_expr(Session *S, const char *text, Module **mod)
{
	Src *src = stmt_src(S, text);
	Parser ps;
	if (parse_source(&ps, S->P.A, src, &S->D, PARSE_EVAL) != 0 || !ps.expr) {
		hint_sql(S, text);
		return NULL;
	}
	*mod = program_add_source(&S->P, src, NULL, NULL);
	Type t;
	if (check_expr(&S->P, *mod, ps.expr, &t) != 0)
		return NULL;
	return ps.expr;
}

static void note_read(const char *rel, void *arg)
{
	StmtReads *r = arg;
	const TableDef *t = schema_table(rel);
	const TableDef *v = t ? NULL : schema_view(rel);
	if ((!t && !v) || (t && t->output) || v)
		r->needs = true;
	const Decl *d = t || v ? NULL : map_get(&r->P->decls, rel);
	if (d && d->kind == D_RELATION)
		r->relations = true;
	/* a name neither a table, a view, a SOW term nor a declaration: anything */
	if (!t && !v && strncmp(rel, "sow", 3) != 0 && !map_get(&r->P->decls, rel))
		r->unknown = true;
	map_put(&r->names, rel, (void *)1);
}

void stmt_reads(Session *S, Node *e, StmtReads *rd)
{
	*rd = (StmtReads){ &S->P, false, false, false, { 0 } };
	program_reads(&S->P, e, note_read, rd);
	rd->needs = rd->needs && view_has_rules(S);
}

int stmt_assumptions(const Session *S) { return S->nassumes; }

void stmt_mark(Session *S, FILE *out)
{
	if (!S->nassumes)
		return;
	if (S->format == FMT_TABLE || S->format == FMT_MARKDOWN || S->format == FMT_EXPANDED)
		fprintf(out, "what-if: %d assumption%s in effect, not the database's figures (.assume lists, .assume clear drops)\n",
			S->nassumes, S->nassumes == 1 ? "" : "s");
	else
		diag_plain(&S->D, DIAG_NOTE, "what-if: %d assumption%s in effect, not the database's figures", S->nassumes,
			   S->nassumes == 1 ? "" : "s");
}

/* An expression or query: only what reads the rules' results pays for
 * running the rules. */
static bool run_expr(Session *S, const char *text, FILE *out)
{
	Module *m;
	Node *e = stmt_parse_expr(S, text, &m);
	if (!e)
		return false;
	StmtReads rd;
	stmt_reads(S, e, &rd);
	bool ok = true;
	if (rd.needs && !S->db) {
		session_fail(S, "this reads the database: give --db DB");
		ok = false;
	}
	Eval light, *E = &S->E;
	if (ok && rd.needs) {
		ok = view_refresh(S, !rd.relations && !S->explain, rd.unknown ? NULL : &rd.names);
	} else if (ok && !S->fresh) {
		view_light_eval(S, &light);
		E = &light;
	}
	Value v;
	if (ok && S->explain) {
		ok = why_expr(E, m, e, out);
	} else if (ok && (ok = eval_expr(E, m, e, &v))) {
		bool assumed = false; /* (an assumed table, read as it is assumed) */
		for (int i = 0; i < S->nassumes && !assumed; i++)
			assumed = map_get(&rd.names, S->assumes[i].table) != NULL;
		if (rd.needs || assumed)
			stmt_mark(S, out);
		format_value(&v, S->format, out);
	}
	if (E == &light)
		eval_free(&light);
	else if (S->fresh)
		arena_reset(S->E.tmp);
	map_free(&rd.names);
	return ok;
}

/* Where a NUL byte is, if text holds one. */
static bool has_nul(const Stmt *st, size_t *at)
{
	const char *p = memchr(st->text, 0, st->len);
	if (!p)
		return false;
	*at = (size_t)(p - st->text);
	return true;
}

bool stmt_run(Session *S, const Stmt *st, Format f, FILE *out)
{
	if (!S->loaded && !session_reload(S))
		return false;
	int errors = S->D.errors;
	Format saved = S->format;
	S->format = f;
	Src *cur = src_from_string(S->P.A, st->origin ? st->origin : "<eval>", st->text, st->len);
	cur->lines_before = st->line > 1 ? st->line - 1 : 0;
	S->cur = cur;
	bool ok;
	size_t nul;
	const char *text = cur->text, *rest;
	if (has_nul(st, &nul)) {
		/* the rest of the line would be lost without a word */
		diag_at(&S->D, cur, (Loc){ (int)nul, (int)nul + 1 }, DIAG_ERROR,
			"a NUL byte in the statement; nothing after it would be read, so none of it is run");
		ok = false;
	} else if (stmt_word(text, "why", &rest)) {
		ok = stmt_why(S, rest, out);
	} else if (stmt_word(text, "assume", &rest)) {
		ok = stmt_assume(S, rest, out);
	} else if (stmt_kind(text) == STMT_DEFINITION) {
		ok = run_definition(S, text);
		if (ok)
			view_forget(S);
	} else if (stmt_kind(text) == STMT_COMMAND) {
		session_fail(S, "'%.40s' is a command of the REPL, not a statement", text + strspn(text, " \t\n"));
		ok = false;
	} else if (stmt_kind(text) == STMT_EMPTY) {
		ok = true;
	} else {
		ok = run_expr(S, text, out);
	}
	view_release(S);
	S->cur = NULL;
	S->format = saved;
	return ok && S->D.errors == errors;
}

/* ---- what callers written before stmt.h call ------------------------------ */

bool session_run(Session *S, const char *text, FILE *out)
{
	Stmt st = { text, strlen(text), "<eval>", 1 };
	return stmt_run(S, &st, S->format, out);
}

bool session_incomplete(Session *S, const char *text)
{
	(void)S;
	return stmt_incomplete(text);
}

bool session_is_definition(const char *text) { return stmt_kind(text) == STMT_DEFINITION; }

bool session_forecast(Session *S, const char *project, FILE *out) { return stmt_forecast(S, project, S->format, out); }

bool session_balances(Session *S, const char *project, FILE *out) { return stmt_balances(S, project, S->format, out); }
