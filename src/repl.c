/* repl.c: the interactive session — line editing, history, completion,
 * continuation lines and dot-commands — around the statement layer
 * (stmt.h), which answers the statements. This and main.c are the only
 * files that talk to a terminal.
 *
 * One input loop (process_input, after sqlite3's) reads a terminal through
 * libedit, or a script, a pipe or a .read file line by line: the same
 * statements end the same way wherever they come from. On a terminal: a
 * prompt with the as-of date (and the assumptions in effect), history in
 * ~/.sow_history (or $SOW_HISTORY), Tab completion, Ctrl-C to cancel a line
 * or a running query, Ctrl-D to leave. Not on a terminal (or --batch): no
 * prompt and no banner; every statement runs, each error names the script
 * and line, and the exit status is 1 if any failed (--bail: stop at the
 * first, as sqlite3 -bail). */
#include "repl.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <histedit.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "doc.h"
#include "parse.h"
#include "schema.h"
#include "stmt.h"
#include "vm.h"

typedef struct Repl {
	Session S;
	Format format;         /* how results are printed (.format) */
	bool tty;              /* interactive: prompt, banner, line editing */
	bool bail;             /* scripts: stop at the first error */
	bool timer;            /* print how long each statement took */
	EditLine *el;          /* line editor (tty only) */
	History *hist;
	char histfile[PATH_MAX];
	char prompt[96];
	bool continuing;       /* the next line continues a statement */
	char **ids;            /* project ids, for completion (read once) */
	int nids;
	FILE *out;             /* .output/.once FILE: where results go (NULL: stdout) */
	bool once;             /* .once: back to stdout after the next result */
	Format unexpanded;     /* the format .expanded off returns to */
	const char *origin;    /* the statement being run: its script ... */
	int line;              /* ... and line, for messages */
} Repl;

static volatile int interrupted; /* set by SIGINT; the evaluator checks it */

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* A command's error: located in a script, plain on a terminal. */
static bool fail(const Repl *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(const Repl *R, const char *fmt, ...)
{
	if (R->tty || !R->origin)
		fputs("sow: error: ", stderr);
	else
		fprintf(stderr, "%s:%d: error: ", R->origin, R->line);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return false;
}

/* ---- dot-commands --------------------------------------------------------- */

typedef struct {
	const char *name, *args, *help, *example;
	bool results;          /* writes results (to .output/.once), not a setting */
} DotCmd;

static const DotCmd dots[] = {
	{ ".help", "", "show this help (\\? too)", ".help", false },
	{ ".quit", "", "leave (also .exit, \\q, or Ctrl-D)", ".quit", false },
	{ ".tables", "[PATTERN]", "list tables, views and relations (\\d)", ".tables invoice", true },
	{ ".schema", "[TABLE]", "columns and types of a table, view or relation (\\d TABLE)", ".schema milestones", true },
	{ ".rules", "", "list rules, with the file and line of each", ".rules", true },
	{ ".fns", "[NAME]", "functions and built-ins, with parameters and comment", ".fns rate_for", true },
	{ ".load", "PATH", "load more rule files (a file or a folder)", ".load examples/sows", false },
	{ ".reload", "", "read the rule files again", ".reload", false },
	{ ".asof", "[DATE]", "show or set the session date (as_of)", ".asof 2026-12-31", false },
	{ ".format", "FORMAT", "how results are printed: table, csv, json, markdown, expanded or html", ".format json", false },
	{ ".expanded", "[on|off]", "one line per field, a header per record (psql's \\x)", ".expanded on", false },
	{ ".output", "[FILE]", "send results to FILE (truncated), or back to the terminal", ".output pack.csv", false },
	{ ".once", "FILE", "send the next result (a statement, .forecast, ...) to FILE", ".once milestones.csv", false },
	{ ".forecast", "[PROJECT|QUARTER]", "the forecast by fiscal quarter as of the session date (of one project, or one quarter)",
	  ".forecast P-1042", true },
	{ ".balances", "[PROJECT]", "recognized, billed, unbilled and deferred revenue to date", ".balances P-1003", true },
	{ ".why", "[full|short]", "how to ask where a value comes from; full: also each row's derivation tree", ".why full", false },
	{ ".assume", "[clear]", "list what-if assumptions, or drop them all", ".assume clear", true },
	{ ".timer", "on|off", "print the time each statement takes", ".timer on", false },
	{ ".reuse", "[on|off]", "answer from the latest run's stored rows when they are this view (on), or recompute", ".reuse off",
	  false },
	{ ".read", "FILE", "run the statements in a file", ".read examples/sessions/month-end-questions.repl", true },
};

static const DotCmd *find_dot(const char *name)
{
	for (size_t i = 0; i < sizeof dots / sizeof *dots; i++)
		if (strcmp(dots[i].name, name) == 0)
			return &dots[i];
	return NULL;
}

static int run_file(Repl *R, const char *path);

static void help(FILE *out)
{
	fprintf(out, "Statements:\n"
	       "  EXPRESSION                 business_day(2026-11-27, 4, \"US\")\n"
	       "  QUERY                      from m in milestones where m.confident == false select m.id\n"
	       "  why EXPRESSION             why passive_acceptance_on(2026-11-27, 5, \"US\")\n"
	       "  why TABLE { column: v }    why revenue { project_id: \"P-1001\", source_id: \"6\" }\n"
	       "  assume T[\"ID\"].COL = V     assume milestones[\"P-1002-M3\"].sign_off_received_on = 2027-02-03\n"
	       "  rule/fn/const/query ...    a definition, ended by an empty line or ';' (again: replaces it)\n"
	       "A statement may span lines: an open bracket or a trailing operator continues it,\n"
	       "and a query or definition goes on until an empty line or ';'. A query starts with\n"
	       "`from` (from p in projects select p.id), not SQL's `select`.\n\nCommands (psql's \\d, \\x, \\q, \\? too):\n");
	for (size_t i = 0; i < sizeof dots / sizeof *dots; i++) {
		char head[64];
		snprintf(head, sizeof head, "%s %s", dots[i].name, dots[i].args);
		fprintf(out, "  %-33s %s   e.g. %s\n", head, dots[i].help, dots[i].example);
	}
}

/* Names in columns, sqlite3 .tables style, those matching pattern (a
 * substring; "" matches all). */
static void columns(FILE *out, const char *title, const char **names, int n, const char *pattern)
{
	int w = 0, shown = 0, pad = 0;
	for (int i = 0; i < n; i++)
		if (strstr(names[i], pattern) && (int)strlen(names[i]) > w)
			w = (int)strlen(names[i]);
	int per = w && w < 74 ? 76 / (w + 2) : 1;
	for (int i = 0; i < n; i++) {
		if (!strstr(names[i], pattern))
			continue;
		if (shown == 0)
			fprintf(out, "%s:\n", title); /* (no blanks at the end of a line) */
		if (shown % per)
			fprintf(out, "%*s", pad, "");
		fprintf(out, "  %s", names[i]);
		pad = w - (int)strlen(names[i]);
		if (++shown % per == 0)
			fputc('\n', out);
	}
	if (shown % per)
		fputc('\n', out);
}

static int by_name(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static bool list_tables(Repl *R, const char *pattern, FILE *out)
{
	const char *names[256];
	int n = 0;
	for (int i = 0; i < schema_ntables && n < 256; i++)
		if (!schema_tables[i].output)
			names[n++] = schema_tables[i].name;
	columns(out, "input tables (sow import)", names, n, pattern);
	n = 0;
	for (int i = 0; i < schema_ntables && n < 256; i++) {
		size_t l = strlen(schema_tables[i].name);
		if (schema_tables[i].output && !(l > 8 && strcmp(schema_tables[i].name + l - 8, "_history") == 0))
			names[n++] = schema_tables[i].name;
	}
	columns(out, "written by sow run (NAME_history keeps superseded rows)", names, n, pattern);
	n = 0;
	for (int i = 0; i < schema_nviews; i++)
		names[n++] = schema_views[i].name;
	columns(out, "views", names, n, pattern);
	static const char *const sow[] = { "sows", "sow_rates", "sow_milestones", "sow_trainings", "sow_caps", "sow_amendments" };
	n = 0;
	for (size_t i = 0; i < sizeof sow / sizeof *sow; i++)
		names[n++] = sow[i];
	columns(out, "SOW terms (the rule files)", names, n, pattern);
	int nr = 0, nq = 0;
	const char *queries[256];
	for (size_t i = 0; i < R->S.P.decls.cap; i++) {
		Decl *d = R->S.P.decls.keys[i] ? R->S.P.decls.vals[i] : NULL;
		if (d && d->kind == D_RELATION && nr < 256)
			names[nr++] = d->name;
		else if (d && d->kind == D_QUERY && nq < 256)
			queries[nq++] = d->name;
	}
	qsort(names, (size_t)nr, sizeof *names, by_name);
	qsort(queries, (size_t)nq, sizeof *queries, by_name);
	columns(out, "relations (declared in the rule files)", names, nr, pattern);
	columns(out, "queries", queries, nq, pattern);
	return true;
}

/* .schema TABLE (\d TABLE): its columns and types, as a table in the
 * session's format; .schema alone: every table on a line. */
static bool schema(Repl *R, const char *name, FILE *out)
{
	if (*name) {
		const Shape *s = map_get(&R->S.P.shapes, name);
		if (!s) {
			const char *cands[512];
			int n = 0;
			for (size_t i = 0; i < R->S.P.shapes.cap && n < 512; i++)
				if (R->S.P.shapes.keys[i])
					cands[n++] = R->S.P.shapes.keys[i];
			const char *sug = diag_suggest(name, cands, n);
			return fail(R, "no table, view or relation '%s'%s%s%s (.tables lists them)", name, sug ? "; did you mean '" : "",
				    sug ? sug : "", sug ? "'?" : "");
		}
		const char *kind = schema_view(name) ? "view" : schema_table(name) ? (schema_table(name)->output ? "written by sow run" : "input table")
			: strncmp(name, "sow", 3) == 0 && !map_get(&R->S.P.decls, name) ? "SOW terms" : "relation";
		if (R->format == FMT_TABLE)
			fprintf(out, "%s (%s)\n", name, kind);
		static const char *const headers[] = { "column", "type" };
		FTable *t = format_begin(NULL, 2, headers, NULL, R->format, out);
		for (int c = 0; c < s->ncols; c++) {
			char ty[64];
			const char *cells[] = { s->cols[c], type_name(s->types[c], ty, sizeof ty) };
			format_row(t, cells);
		}
		format_end(t);
		return true;
	}
	const char *names[512];
	int n = 0;
	for (size_t i = 0; i < R->S.P.shapes.cap && n < 512; i++)
		if (R->S.P.shapes.keys[i])
			names[n++] = R->S.P.shapes.keys[i];
	qsort(names, (size_t)n, sizeof *names, by_name);
	for (int i = 0; i < n; i++) {
		const Shape *s = map_get(&R->S.P.shapes, names[i]);
		fprintf(out, "%s(", names[i]);
		for (int c = 0; c < s->ncols; c++) {
			char t[64];
			fprintf(out, "%s%s %s", c ? ", " : "", s->cols[c], type_name(s->types[c], t, sizeof t));
		}
		fprintf(out, ")\n");
	}
	return true;
}

static void list_rules(Repl *R, FILE *out)
{
	for (int m = 0; m < R->S.P.nmods; m++)
		for (Node *it = R->S.P.mods[m]->items; it; it = it->next)
			if (it->kind == N_RULE) {
				int line, col;
				diag_linecol(R->S.P.mods[m]->src, it->loc.beg, &line, &col);
				fprintf(out, "  %-28s %s:%d\n", it->s, R->S.P.mods[m]->src->path, line);
			}
}

static FILE *results(const Repl *R) { return R->out ? R->out : stdout; }

/* .output FILE / .once FILE: results go to FILE from now (or for the next
 * result); .output alone goes back to stdout. */
static bool redirect(Repl *R, const char *arg, bool once)
{
	if (R->out && fclose(R->out) != 0)
		fail(R, "writing the .output file: %s", strerror(errno));
	R->out = NULL;
	R->once = false;
	if (!*arg)
		return !once || fail(R, ".once needs a file name");
	FILE *f = fopen(arg, "w");
	if (!f)
		return fail(R, "cannot write %s: %s", arg, strerror(errno));
	R->out = f;
	R->once = once;
	return true;
}

/* psql's backslash commands, as the dot-commands they are. */
static const char *psql_alias(const char *cmd, const char *arg)
{
	if (strcmp(cmd, "\\d") == 0 || strcmp(cmd, "\\dt") == 0)
		return *arg ? ".schema" : ".tables";
	if (strcmp(cmd, "\\q") == 0)
		return ".quit";
	if (strcmp(cmd, "\\x") == 0)
		return ".expanded";
	if (strcmp(cmd, "\\?") == 0 || strcmp(cmd, "\\h") == 0)
		return ".help";
	if (strcmp(cmd, "\\o") == 0)
		return ".output";
	if (strcmp(cmd, "\\i") == 0)
		return ".read";
	return cmd;
}

static bool dot(Repl *R, char *line, bool *quit)
{
	char *save = NULL;
	char *cmd = strtok_r(line, " \t\r\n", &save), *arg = strtok_r(NULL, "\r\n", &save);
	while (arg && isspace((unsigned char)*arg))
		arg++;
	if (!arg)
		arg = "";
	for (char *e = arg + strlen(arg); e > arg && isspace((unsigned char)e[-1]);)
		*--e = 0;
	const char *typed = cmd;
	cmd = (char *)psql_alias(cmd, arg);
	Session *S = &R->S;
	FILE *out = results(R);
	if (strcmp(cmd, ".help") == 0)
		help(out);
	else if (strcmp(cmd, ".quit") == 0 || strcmp(cmd, ".exit") == 0)
		*quit = true;
	else if (strcmp(cmd, ".tables") == 0)
		return list_tables(R, arg, out);
	else if (strcmp(cmd, ".schema") == 0)
		return schema(R, arg, out);
	else if (strcmp(cmd, ".rules") == 0)
		list_rules(R, out);
	else if (strcmp(cmd, ".fns") == 0) {
		const char *sug = NULL;
		if (!doc_print(&S->P, out, *arg ? arg : NULL, DOC_FNS, &sug) && *arg)
			return fail(R, "no function '%s'%s%s%s (.fns lists them)", arg, sug ? "; did you mean '" : "", sug ? sug : "",
				    sug ? "'?" : "");
	}
	else if (strcmp(cmd, ".load") == 0 && *arg) {
		S->paths = realloc(S->paths, (size_t)(S->npaths + 1) * sizeof *S->paths);
		if (!S->paths)
			abort();
		S->paths[S->npaths++] = strdup(arg);
		if (!session_reload(S)) {
			free(S->paths[--S->npaths]);
			session_reload(S);
			return false;
		}
	} else if (strcmp(cmd, ".reload") == 0) {
		return session_reload(S);
	} else if (strcmp(cmd, ".asof") == 0) {
		char buf[DATE_BUFSZ];
		Date d;
		if (!*arg)
			printf("%s\n", date_fmt(S->as_of, buf));
		else if (date_parse(arg, strlen(arg), &d))
			session_set_asof(S, d);
		else
			return fail(R, ".asof wants a date YYYY-MM-DD, not '%s'", arg);
	} else if (strcmp(cmd, ".format") == 0) {
		if (!format_parse(arg, &R->format))
			return fail(R, ".format is table, csv, json, markdown, expanded or html");
	} else if (strcmp(cmd, ".forecast") == 0) {
		return stmt_forecast(S, *arg ? arg : NULL, R->format, out);
	} else if (strcmp(cmd, ".expanded") == 0) {
		bool on = strcmp(arg, "on") == 0 || (!*arg && R->format != FMT_EXPANDED);
		if (*arg && !on && strcmp(arg, "off") != 0)
			return fail(R, ".expanded on, .expanded off, or .expanded alone to switch");
		if (on && R->format != FMT_EXPANDED)
			R->unexpanded = R->format;
		R->format = on ? FMT_EXPANDED : R->format == FMT_EXPANDED ? R->unexpanded : R->format;
		printf("Expanded display is %s.\n", on ? "on" : "off");
	} else if (strcmp(cmd, ".output") == 0 || strcmp(cmd, ".once") == 0) {
		return redirect(R, arg, strcmp(cmd, ".once") == 0);
	} else if (strcmp(cmd, ".balances") == 0) {
		return stmt_balances(S, *arg ? arg : NULL, R->format, out);
	} else if (strcmp(cmd, ".why") == 0 && (strcmp(arg, "full") == 0 || strcmp(arg, "short") == 0)) {
		S->why_full = strcmp(arg, "full") == 0;
	} else if (strcmp(cmd, ".why") == 0 && *arg) {
		return fail(R, ".why full or .why short (or .why alone for help)");
	} else if (strcmp(cmd, ".why") == 0) {
		printf("why EXPRESSION shows each step of the value with its exact result:\n"
		       "  why passive_acceptance_on(2026-11-27, 5, \"US\")\n"
		       "why TABLE { column: value, ... } lists the matching rows the database's runs stored\n"
		       "(run, period, basis; where today's rules derive one differently, how), or else\n"
		       "the rows as of the session date, with the total; why --full (or .why full) also\n"
		       "traces each row to the rule that made it, the rows it read and every step:\n"
		       "  why revenue { project_id: \"P-1001\", source_id: \"6\" }\n"
		       "  why revenue_by_project { project_id: \"P-1001\" }\n");
	} else if (strcmp(cmd, ".assume") == 0) {
		if (strcmp(arg, "clear") == 0)
			session_clear_assumptions(S);
		else if (*arg)
			return fail(R, ".assume lists assumptions; .assume clear drops them");
		else if (S->nassumes == 0)
			fprintf(out, "no assumptions (add one: assume milestones[\"ID\"].sign_off_received_on = 2027-02-03)\n");
		for (int i = 0; i < S->nassumes && !*arg; i++)
			fprintf(out, "  assume %s\n", S->assumes[i].source);
	} else if (strcmp(cmd, ".timer") == 0) {
		if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
			R->timer = strcmp(arg, "on") == 0;
		else
			return fail(R, ".timer on or .timer off");
	} else if (strcmp(cmd, ".reuse") == 0) {
		if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
			session_set_reuse(S, strcmp(arg, "on") == 0);
		else if (*arg)
			return fail(R, ".reuse on, .reuse off, or .reuse alone to see where answers come from");
		else
			session_reuse_status(S, stdout);
	} else if (strcmp(cmd, ".read") == 0 && *arg) {
		const char *origin = R->origin;
		int at = R->line;
		bool ok = run_file(R, arg) == 0;
		R->origin = origin, R->line = at;
		return ok;
	} else {
		const char *names[32];
		int n = 0;
		for (size_t i = 0; i < sizeof dots / sizeof *dots; i++)
			names[n++] = dots[i].name;
		const char *s = diag_suggest(typed, names, n);
		return fail(R, "unknown command '%s'%s%s%s (.help lists them)", typed, s ? "; did you mean '" : "", s ? s : "",
			    s ? "'?" : "");
	}
	return true;
}

/* Does this command write results (and so use up a .once)? */
static bool writes_results(const char *line)
{
	char cmd[32] = "", arg = 0;
	sscanf(line, "%31s %c", cmd, &arg);
	const DotCmd *d = find_dot(psql_alias(cmd, arg ? "x" : ""));
	return d && d->results;
}

/* ---- statements ----------------------------------------------------------- */

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* A line starting so is a command (.help; psql's \d), not a statement. */
static bool is_command(const char *buf) { return stmt_kind(buf) == STMT_COMMAND; }

/* Ready to run? Definitions and queries run at an empty line or ';';
 * expressions as soon as they parse (an open bracket or trailing operator
 * keeps them going). */
static bool complete(const char *buf, bool blank_line)
{
	const char *p = buf;
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	if (n && buf[n - 1] == ';')
		return true;
	bool waits = stmt_kind(p) == STMT_DEFINITION || strncmp(p, "from", 4) == 0;
	if (waits)
		return blank_line;
	return blank_line || !stmt_incomplete(buf);
}

/* Run the statement or command in buf (len bytes, which may hold a NUL),
 * which started on line `line` of origin. */
static bool statement(Repl *R, char *buf, size_t len, const char *origin, int line, bool *quit)
{
	while (len && (isspace((unsigned char)buf[len - 1]) || buf[len - 1] == ';'))
		buf[--len] = 0;
	size_t skip = 0;
	while (skip < len && isspace((unsigned char)buf[skip])) {
		line += buf[skip] == '\n';
		skip++;
	}
	char *p = buf + skip;
	len -= skip;
	if (!len)
		return true;
	R->origin = origin;
	R->line = line;
	interrupted = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool command = is_command(p), ok;
	/* a setting (.format, .timer ...) leaves a .once for the result after it */
	bool result = !command || writes_results(p);
	bool once = R->once && result;
	if (command && memchr(p, 0, len))
		ok = fail(R, "a NUL byte in the command; it is not run");
	else if (command) {
		/* what the session reports for a command (.forecast ...) names it */
		Src *at = src_from_string(R->S.P.A, origin, p, len);
		at->lines_before = line - 1;
		R->S.cur = at;
		ok = dot(R, p, quit);
		R->S.cur = NULL;
	}
	else
		ok = stmt_run(&R->S, &(Stmt){ p, len, origin, line }, R->format, results(R));
	if (once && R->once) {
		if (fclose(R->out) != 0)
			ok = fail(R, "writing the .once file: %s", strerror(errno));
		R->out = NULL;
		R->once = false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (R->timer)
		printf("Run Time: %.3fs\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	if (R->out)
		fflush(R->out);
	return ok;
}

/* In a script, does this line start a new statement (so a finished query
 * or definition before it can run)? Indented lines and clause words go on. */
static bool starts_statement(const char *line)
{
	static const char *const cont[] = { "where", "group", "select", "order", "limit", "and", "or", "for", "when",
		"let", "emit", "then", "else", "if", "not", "in" };
	if (isspace((unsigned char)line[0]))
		return false;
	if (strchr("+-*/)]},=<>", line[0]))
		return false;
	for (size_t i = 0; i < sizeof cont / sizeof *cont; i++) {
		size_t n = strlen(cont[i]);
		if (strncmp(line, cont[i], n) == 0 && !isalnum((unsigned char)line[n]) && line[n] != '_')
			return false;
	}
	return true;
}

/* Where lines come from: the terminal (libedit) or a stream. */
typedef struct Input {
	FILE *f;               /* a script, a pipe or a .read file; NULL: the terminal */
	const char *origin;    /* what messages name */
	int line;              /* lines read so far */
	char *buf;             /* the stream's line */
	size_t cap;
} Input;

static void set_prompt(Repl *R);

/* The next line (n bytes, NULs and all), or NULL at the end; *cancel when
 * Ctrl-C ended the line being typed. */
static const char *next_line(Repl *R, Input *in, size_t *n, bool *cancel)
{
	*cancel = false;
	if (in->f) {
		ssize_t got = getline(&in->buf, &in->cap, in->f);
		if (got < 0)
			return NULL;
		in->line++;
		*n = (size_t)got;
		return in->buf;
	}
	set_prompt(R);
	int count;
	interrupted = 0;
	errno = 0;
	const char *line = el_gets(R->el, &count);
	if (!line) {
		if (errno == EINTR || interrupted) {
			printf("^C\n");
			*cancel = true;
		} else {
			printf("\n"); /* Ctrl-D */
		}
		return NULL;
	}
	in->line++;
	*n = (size_t)count;
	return line;
}

static void remember(Repl *R, const char *buf)
{
	HistEvent ev;
	char *entry = strdup(buf);
	if (!entry)
		return;
	size_t el = strlen(entry);
	while (el && (entry[el - 1] == '\n' || entry[el - 1] == ' '))
		entry[--el] = 0;
	history(R->hist, &ev, H_ENTER, entry);
	if (*R->histfile)
		history(R->hist, &ev, H_SAVE, R->histfile);
	free(entry);
}

/* Statements from in, until its end, .quit or (with --bail) an error:
 * lines gather into a statement until it is complete, and it runs. 0, or 1
 * if any statement failed. */
static int process_input(Repl *R, Input *in, bool *quit)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0, first = 0;
	bool stop = false;
	while (!stop && !*quit) {
		size_t n;
		bool cancel;
		const char *line = next_line(R, in, &n, &cancel);
		if (!line && cancel) {
			len = 0;
			R->continuing = false;
			continue;
		}
		if (!line)
			break;
		bool blank = is_blank(line, n);
		if (len == 0 && blank)
			continue;
		/* a finished query or definition runs when the next statement starts */
		if (len && !blank && starts_statement(line) && !stmt_incomplete(buf)) {
			if (!statement(R, buf, len, in->origin, first, quit)) {
				rc = 1;
				stop = R->bail && !R->tty;
			}
			len = 0;
			if (stop || *quit)
				break;
		}
		if (len == 0)
			first = in->line;
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		memcpy(buf + len, line, n);
		len += n;
		buf[len] = 0;
		if (!is_command(buf) && !complete(buf, blank)) {
			R->continuing = true;
			continue;
		}
		R->continuing = false;
		if (!in->f)
			remember(R, buf);
		if (!statement(R, buf, len, in->origin, first, quit)) {
			rc = 1;
			stop = R->bail && !R->tty;
		}
		len = 0;
	}
	if (!stop && !*quit && len && !is_blank(buf, len) && !statement(R, buf, len, in->origin, first, quit))
		rc = 1;
	free(buf);
	return rc;
}

static int run_file(Repl *R, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fail(R, "cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	Input in = { f, path, 0, NULL, 0 };
	bool quit = false;
	int rc = process_input(R, &in, &quit);
	free(in.buf);
	fclose(f);
	return rc;
}

/* ---- line editing --------------------------------------------------------- */

/* The session behind an editor (libedit's client data). */
static Repl *repl_of(EditLine *el)
{
	void *data = NULL;
	el_get(el, EL_CLIENTDATA, &data);
	return data;
}

static char *prompt(EditLine *el) { return repl_of(el)->prompt; }

static void add_candidate(const char ***c, int *n, int *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*c = realloc(*c, (size_t)*cap * sizeof **c);
		if (!*c)
			abort();
	}
	(*c)[(*n)++] = s;
}

static void load_ids(Repl *R)
{
	if (R->ids || !R->S.db)
		return;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(R->S.db, "SELECT id FROM main.projects ORDER BY id LIMIT 5000", -1, &st, NULL) != SQLITE_OK)
		return;
	int cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (R->nids == cap) {
			cap = cap ? cap * 2 : 64;
			R->ids = realloc(R->ids, (size_t)cap * sizeof *R->ids);
			if (!R->ids)
				abort();
		}
		R->ids[R->nids++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

/* Tab: complete keywords, built-ins, tables, columns (after "x."), rules and
 * other definitions, project ids (inside quotes) and dot-commands. */
static unsigned char complete_word(EditLine *el, int ch)
{
	(void)ch;
	Repl *R = repl_of(el);
	const LineInfo *li = el_line(el);
	const char *end = li->cursor, *start = end;
	while (start > li->buffer && (isalnum((unsigned char)start[-1]) || start[-1] == '_' || start[-1] == '.' ||
				      start[-1] == '-'))
		start--;
	bool quoted = start > li->buffer && start[-1] == '"';
	char word[256];
	size_t wl = (size_t)(end - start) < sizeof word - 1 ? (size_t)(end - start) : sizeof word - 1;
	memcpy(word, start, wl);
	word[wl] = 0;
	const char *prefix = word;
	const char **c = NULL;
	int n = 0, cap = 0;
	char *dotp = strrchr(word, '.');
	if (word[0] == '.' && start == li->buffer) {
		for (size_t i = 0; i < sizeof dots / sizeof *dots; i++)
			add_candidate(&c, &n, &cap, dots[i].name);
	} else if (quoted) {
		load_ids(R);
		for (int i = 0; i < R->nids; i++)
			add_candidate(&c, &n, &cap, R->ids[i]);
	} else if (dotp) {
		/* columns: of the table if the name is one, else of every shape */
		prefix = dotp + 1;
		*dotp = 0;
		const Shape *only = map_get(&R->S.P.shapes, word);
		for (size_t i = 0; i < R->S.P.shapes.cap; i++) {
			const Shape *s = R->S.P.shapes.keys[i] ? R->S.P.shapes.vals[i] : NULL;
			if (!s || (only && s != only))
				continue;
			for (int k = 0; k < s->ncols; k++) {
				bool dup = false;
				for (int j = 0; j < n && !dup; j++)
					dup = strcmp(c[j], s->cols[k]) == 0;
				if (!dup)
					add_candidate(&c, &n, &cap, s->cols[k]);
			}
		}
	} else {
		static const char *const kw[] = { "from", "where", "group", "by", "select", "order", "limit", "why",
			"assume", "rule", "fn", "const", "query", "for", "in", "let", "when", "emit", "and", "or", "not",
			"is", "set", "unset", "if", "then", "else", "true", "false", "as_of", "desc" };
		for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
			add_candidate(&c, &n, &cap, kw[i]);
		for (int i = 0; i < B__COUNT; i++)
			add_candidate(&c, &n, &cap, builtins[i].name);
		for (size_t i = 0; i < R->S.P.shapes.cap; i++)
			if (R->S.P.shapes.keys[i])
				add_candidate(&c, &n, &cap, R->S.P.shapes.keys[i]);
		for (size_t i = 0; i < R->S.P.decls.cap; i++)
			if (R->S.P.decls.keys[i])
				add_candidate(&c, &n, &cap, R->S.P.decls.keys[i]);
	}
	size_t pl = strlen(prefix);
	const char *match = NULL;
	size_t common = 0;
	int hits = 0;
	for (int i = 0; i < n; i++) {
		if (strncmp(c[i], prefix, pl) != 0)
			continue;
		if (!match) {
			match = c[i];
			common = strlen(match);
		} else {
			size_t k = 0;
			while (k < common && match[k] == c[i][k])
				k++;
			common = k;
		}
		hits++;
	}
	unsigned char rc = CC_ERROR;
	if (hits == 1) {
		char ins[300];
		snprintf(ins, sizeof ins, "%s%s", match + pl, quoted ? "\"" : "");
		el_insertstr(el, ins);
		rc = CC_REFRESH;
	} else if (hits > 1) {
		if (common > pl) {
			char ins[300];
			snprintf(ins, sizeof ins, "%.*s", (int)(common - pl), match + pl);
			el_insertstr(el, ins);
		}
		fputc('\n', stdout);
		int col = 0;
		for (int i = 0; i < n; i++)
			if (strncmp(c[i], prefix, pl) == 0) {
				col += printf("%s  ", c[i]);
				if (col > 70) {
					fputc('\n', stdout);
					col = 0;
				}
			}
		if (col)
			fputc('\n', stdout);
		rc = CC_REDISPLAY;
	}
	free(c);
	return rc;
}


static void set_prompt(Repl *R)
{
	char d[DATE_BUFSZ], what[32] = "";
	date_fmt(R->S.as_of, d);
	int n = stmt_assumptions(&R->S);
	/* figures under assumptions are not the database's: the prompt says so */
	if (n)
		snprintf(what, sizeof what, " (assume %d)", n);
	if (R->continuing)
		snprintf(R->prompt, sizeof R->prompt, "%*s...> ", (int)(strlen(d) + strlen(what)) + 1, "");
	else
		snprintf(R->prompt, sizeof R->prompt, "sow %s%s> ", d, what);
}

static int interactive(Repl *R)
{
	R->el = el_init("sow", stdin, stdout, stderr);
	el_set(R->el, EL_CLIENTDATA, R);
	R->hist = history_init();
	HistEvent ev;
	history(R->hist, &ev, H_SETSIZE, 2000);
	history(R->hist, &ev, H_SETUNIQUE, 1);
	const char *hf = getenv("SOW_HISTORY"), *home = getenv("HOME");
	if (hf && *hf)
		snprintf(R->histfile, sizeof R->histfile, "%s", hf);
	else if (home)
		snprintf(R->histfile, sizeof R->histfile, "%s/.sow_history", home);
	if (*R->histfile)
		history(R->hist, &ev, H_LOAD, R->histfile);
	el_set(R->el, EL_EDITOR, "emacs");
	el_set(R->el, EL_HIST, history, R->hist);
	el_set(R->el, EL_PROMPT, prompt);
	el_set(R->el, EL_ADDFN, "sow-complete", "complete a name", complete_word);
	el_set(R->el, EL_BIND, "^I", "sow-complete", NULL);
	el_set(R->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
	el_source(R->el, NULL);

	struct sigaction sa = { 0 };
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: Ctrl-C ends the read */

	printf("sow %s: %d file%s, %d SOW%s; %s%s. .help for help, Ctrl-D to leave.\n", SOW_VERSION, R->S.P.nmods,
	       R->S.P.nmods == 1 ? "" : "s", (int)R->S.P.sows.len, R->S.P.sows.len == 1 ? "" : "s",
	       R->S.db_path ? "database " : "no database", R->S.db_path ? R->S.db_path : "");
	Input in = { NULL, "<stdin>", 0, NULL, 0 };
	bool quit = false;
	process_input(R, &in, &quit);
	history_end(R->hist);
	el_end(R->el);
	return 0; /* errors were shown as they came (psql and sqlite3 alike) */
}

int repl_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "as-of", required_argument, NULL, 'a' },
		{ "batch", no_argument, NULL, 'b' }, { "keep-going", no_argument, NULL, 'k' },
		{ "bail", no_argument, NULL, 'B' }, { "format", required_argument, NULL, 'f' },
		{ "no-reuse", no_argument, NULL, 'n' }, { "engine", required_argument, NULL, 'E' }, { 0, 0, 0, 0 } };
	Repl R = { 0 };
	const char *db = NULL;
	Format format = FMT_TABLE;
	Date as_of = date_today();
	bool batch = false, reuse = true;
	int c, engine = ENGINE_VM;
	while ((c = getopt_long(argc, argv, "d:a:bkf:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a':
			if (!date_parse(optarg, strlen(optarg), &as_of)) {
				fprintf(stderr, "sow repl: --as-of wants a date YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'b': batch = true; break;
		case 'k': R.bail = false; break; /* (the default since SPEC 9.1) */
		case 'B': R.bail = true; break;
		case 'n': reuse = false; break;
		case 'E':
			if (!engine_parse(optarg, &engine)) {
				fprintf(stderr, "sow repl: --engine is walk or vm\n");
				return 2;
			}
			break;
		case 'f':
			if (!format_parse(optarg, &format)) {
				fprintf(stderr, "sow repl: --format is table, csv, json, markdown, expanded or html\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "Try 'sow repl --help'.\n");
			return 2;
		}
	}
	/* paths are owned by the session (.load adds to them) */
	int np = argc - optind;
	char **paths = calloc((size_t)(np ? np : 1), sizeof *paths);
	if (!paths)
		abort();
	for (int i = 0; i < np; i++)
		paths[i] = strdup(argv[optind + i]);
	int rc = session_open(&R.S, argv[0], db, paths, np, as_of);
	R.S.paths = paths;
	if (rc != 0) {
		session_close(&R.S);
		for (int i = 0; i < R.S.npaths; i++)
			free(R.S.paths[i]);
		free(R.S.paths);
		return rc;
	}
	R.format = format;
	R.S.reuse = reuse;
	R.S.engine = engine;
	R.S.interrupted = &interrupted;
	R.tty = !batch && isatty(0) && isatty(1);
	if (R.tty) {
		rc = interactive(&R);
	} else {
		Input in = { stdin, "<stdin>", 0, NULL, 0 };
		bool quit = false;
		rc = process_input(&R, &in, &quit);
		free(in.buf);
	}
	if (rc == 1 && R.S.D.db_errors)
		rc = 3; /* the database failed, not the statements (SPEC 3) */
	if (R.out && fclose(R.out) != 0 && !rc) {
		fprintf(stderr, "sow: error: cannot write the .output file: %s\n", strerror(errno));
		rc = 3;
	}
	session_close(&R.S);
	for (int i = 0; i < R.S.npaths; i++)
		free(R.S.paths[i]);
	free(R.S.paths);
	for (int i = 0; i < R.nids; i++)
		free(R.ids[i]);
	free(R.ids);
	return rc;
}
