/* repl.c: the interactive session — line editing, history, completion,
 * continuation lines and dot-commands — around session.c, which runs the
 * statements. This and main.c are the only files that talk to a terminal.
 *
 * On a terminal: a prompt with the as-of date, libedit line editing, history
 * in ~/.sow_history (or $SOW_HISTORY), Tab completion, Ctrl-C to cancel a
 * line or a running query, Ctrl-D to leave. Not on a terminal (or --batch):
 * no prompt and no banner; statements run in order and the first error ends
 * the session with exit 1 (unless --keep-going). */
#include "repl.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <histedit.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "doc.h"
#include "schema.h"
#include "session.h"

typedef struct Repl {
	Session S;
	bool tty;              /* interactive: prompt, banner, line editing */
	bool keep_going;       /* scripts: go on after an error */
	bool timer;            /* print how long each statement took */
	EditLine *el;          /* line editor (tty only) */
	History *hist;
	char histfile[PATH_MAX];
	char prompt[64];
	bool continuing;       /* the next line continues a statement */
	char **ids;            /* project ids, for completion (read once) */
	int nids;
	FILE *out;             /* .output/.once FILE: where results go (NULL: stdout) */
	bool once;             /* .once: back to stdout after the next statement */
	Format unexpanded;     /* the format .expanded off returns to */
} Repl;

static volatile int interrupted; /* set by SIGINT; the evaluator checks it */

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- dot-commands --------------------------------------------------------- */

typedef struct {
	const char *name, *args, *help, *example;
} DotCmd;

static const DotCmd dots[] = {
	{ ".help", "", "show this help", ".help" },
	{ ".quit", "", "leave (also .exit, or Ctrl-D)", ".quit" },
	{ ".tables", "", "list tables and relations", ".tables" },
	{ ".schema", "[TABLE]", "columns and types of a table or relation", ".schema milestones" },
	{ ".rules", "", "list rules, with the file and line of each", ".rules" },
	{ ".fns", "[NAME]", "functions and built-ins, with parameters and comment", ".fns rate_for" },
	{ ".load", "PATH", "load more rule files (a file or a folder)", ".load examples/sows" },
	{ ".reload", "", "read the rule files again", ".reload" },
	{ ".asof", "[DATE]", "show or set the session date (as_of)", ".asof 2026-12-31" },
	{ ".format", "FORMAT", "how results are printed: table, csv, json, markdown or expanded", ".format json" },
	{ ".expanded", "[on|off]", "one line per field, a header per record (psql's \\x)", ".expanded on" },
	{ ".output", "[FILE]", "send results to FILE (truncated), or back to the terminal", ".output pack.csv" },
	{ ".once", "FILE", "send the next statement's results to FILE", ".once milestones.csv" },
		{ ".forecast", "[PROJECT|QUARTER]", "the forecast by fiscal quarter as of the session date (of one project, or one quarter)", ".forecast P-1042" },
	{ ".balances", "[PROJECT]", "recognized, billed, unbilled and deferred revenue to date", ".balances P-1003" },
	{ ".why", "[full|short]", "how to ask where a value comes from; full: also each row's derivation tree", ".why full" },
	{ ".assume", "[clear]", "list what-if assumptions, or drop them all", ".assume clear" },
	{ ".timer", "on|off", "print the time each statement takes", ".timer on" },
	{ ".reuse", "[on|off]", "answer from the latest run's stored rows when they are this view (on), or recompute", ".reuse off" },
	{ ".read", "FILE", "run the statements in a file", ".read examples/sessions/month-end-questions.repl" },
};

static int run_file(Repl *R, const char *path);

static void help(void)
{
	printf("Statements:\n"
	       "  EXPRESSION                 business_day(2026-11-27, 4, \"US\")\n"
	       "  QUERY                      from m in milestones where m.confident == false select m.id\n"
	       "  why EXPRESSION             why passive_acceptance_on(2026-11-27, 5, \"US\")\n"
	       "  why TABLE { column: v }    why revenue { project_id: \"P-1001\", source_id: \"6\" }\n"
	       "  assume T[\"ID\"].COL = V     assume milestones[\"P-1002-M3\"].sign_off_received_on = 2027-02-03\n"
	       "  rule/fn/const/query ...    a definition, ended by an empty line or ';'\n"
	       "A statement may span lines: an open bracket or a trailing operator continues it,\n"
	       "and a query or definition goes on until an empty line or ';'.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof dots / sizeof *dots; i++) {
		char head[64];
		snprintf(head, sizeof head, "%s %s", dots[i].name, dots[i].args);
		printf("  %-33s %s   e.g. %s\n", head, dots[i].help, dots[i].example);
	}
}

static void list_tables(Repl *R)
{
	printf("database tables:\n ");
	for (int i = 0; i < schema_ntables; i++)
		printf(" %s", schema_tables[i].name);
	printf("\nSOW terms: sows sow_rates sow_milestones sow_trainings sow_caps sow_amendments\nrelations:");
	for (size_t i = 0; i < R->S.P.decls.cap; i++) {
		Decl *d = R->S.P.decls.keys[i] ? R->S.P.decls.vals[i] : NULL;
		if (d && (d->kind == D_RELATION || d->kind == D_QUERY))
			printf(" %s%s", d->name, d->kind == D_QUERY ? "(query)" : "");
	}
	printf("\n");
}

static void schema(Repl *R, const char *name)
{
	for (size_t i = 0; i < R->S.P.shapes.cap; i++) {
		const char *k = R->S.P.shapes.keys[i];
		if (!k || (*name && strcmp(k, name) != 0))
			continue;
		const Shape *s = R->S.P.shapes.vals[i];
		printf("%s(", k);
		for (int c = 0; c < s->ncols; c++) {
			char t[64];
			printf("%s%s %s", c ? ", " : "", s->cols[c], type_name(s->types[c], t, sizeof t));
		}
		printf(")\n");
		if (*name)
			return;
	}
	if (*name)
		fprintf(stderr, "sow: error: no table or relation '%s' (.tables lists them)\n", name);
}

static void list_rules(Repl *R)
{
	for (int m = 0; m < R->S.P.nmods; m++)
		for (Node *it = R->S.P.mods[m]->items; it; it = it->next)
			if (it->kind == N_RULE) {
				int line, col;
				diag_linecol(R->S.P.mods[m]->src, it->loc.beg, &line, &col);
				printf("  %-28s %s:%d\n", it->s, R->S.P.mods[m]->src->path, line);
			}
}

static FILE *results(const Repl *R) { return R->out ? R->out : stdout; }
/* A line starting so is a command (.help; psql's \x), not a statement. */
static bool is_command(char c) { return c == '.' || c == '\\'; }

/* .output FILE / .once FILE: results go to FILE from now (or for one
 * statement); .output alone goes back to stdout. */
static bool redirect(Repl *R, const char *arg, bool once)
{
	if (R->out)
		fclose(R->out);
	R->out = NULL;
	R->once = false;
	if (!*arg)
		return !once || (fprintf(stderr, "sow: error: .once needs a file name\n"), false);
	FILE *f = fopen(arg, "w");
	if (!f) {
		fprintf(stderr, "sow: error: cannot write %s: %s\n", arg, strerror(errno));
		return false;
	}
	R->out = f;
	R->once = once;
	return true;
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
	Session *S = &R->S;
	if (strcmp(cmd, ".help") == 0)
		help();
	else if (strcmp(cmd, ".quit") == 0 || strcmp(cmd, ".exit") == 0)
		*quit = true;
	else if (strcmp(cmd, ".tables") == 0)
		list_tables(R);
	else if (strcmp(cmd, ".schema") == 0)
		schema(R, arg);
	else if (strcmp(cmd, ".rules") == 0)
		list_rules(R);
	else if (strcmp(cmd, ".fns") == 0) {
		const char *sug = NULL;
		if (!doc_print(&S->P, stdout, *arg ? arg : NULL, DOC_FNS, &sug) && *arg) {
			fprintf(stderr, "sow: error: no function '%s'%s%s%s (.fns lists them)\n", arg,
				sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
			return false;
		}
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
		else {
			fprintf(stderr, "sow: error: .asof wants a date YYYY-MM-DD, not '%s'\n", arg);
			return false;
		}
	} else if (strcmp(cmd, ".format") == 0) {
		if (!format_parse(arg, &S->format)) {
			fprintf(stderr, "sow: error: .format is table, csv, json, markdown or expanded\n");
			return false;
		}
	} else if (strcmp(cmd, ".forecast") == 0) {
		return session_forecast(S, *arg ? arg : NULL, results(R));
	} else if (strcmp(cmd, ".expanded") == 0 || strcmp(cmd, "\\x") == 0) {
		bool on = strcmp(arg, "on") == 0 || (!*arg && S->format != FMT_EXPANDED);
		if (*arg && !on && strcmp(arg, "off") != 0) {
			fprintf(stderr, "sow: error: .expanded on, .expanded off, or .expanded alone to switch\n");
			return false;
		}
		if (on && S->format != FMT_EXPANDED)
			R->unexpanded = S->format;
		S->format = on ? FMT_EXPANDED : S->format == FMT_EXPANDED ? R->unexpanded : S->format;
		printf("Expanded display is %s.\n", on ? "on" : "off");
	} else if (strcmp(cmd, ".output") == 0 || strcmp(cmd, ".once") == 0) {
		return redirect(R, arg, cmd[1] == 'o' && cmd[2] == 'n');
	} else if (strcmp(cmd, ".balances") == 0) {
		return session_balances(S, *arg ? arg : NULL, results(R));
	} else if (strcmp(cmd, ".why") == 0 && (strcmp(arg, "full") == 0 || strcmp(arg, "short") == 0)) {
		S->why_full = strcmp(arg, "full") == 0;
	} else if (strcmp(cmd, ".why") == 0 && *arg) {
		fprintf(stderr, "sow: error: .why full or .why short (or .why alone for help)\n");
		return false;
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
		else if (*arg) {
			fprintf(stderr, "sow: error: .assume lists assumptions; .assume clear drops them\n");
			return false;
		} else if (S->nassumes == 0)
			printf("no assumptions (add one: assume milestones[\"ID\"].sign_off_received_on = 2027-02-03)\n");
		for (int i = 0; i < S->nassumes; i++)
			printf("  assume %s\n", S->assumes[i].source);
	} else if (strcmp(cmd, ".timer") == 0) {
		if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
			R->timer = strcmp(arg, "on") == 0;
		else {
			fprintf(stderr, "sow: error: .timer on or .timer off\n");
			return false;
		}
	} else if (strcmp(cmd, ".reuse") == 0) {
		if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0) {
			session_set_reuse(S, strcmp(arg, "on") == 0);
		} else if (*arg) {
			fprintf(stderr, "sow: error: .reuse on, .reuse off, or .reuse alone to see where answers come from\n");
			return false;
		} else
			session_reuse_status(S, stdout);
	} else if (strcmp(cmd, ".read") == 0 && *arg) {
		return run_file(R, arg) == 0;
	} else {
		const char *names[32];
		int n = 0;
		for (size_t i = 0; i < sizeof dots / sizeof *dots; i++)
			names[n++] = dots[i].name;
		const char *s = diag_suggest(cmd, names, n);
		fprintf(stderr, "sow: error: unknown command '%s'%s%s%s (.help lists them)\n", cmd, s ? "; did you mean '" : "",
			s ? s : "", s ? "'?" : "");
		return false;
	}
	return true;
}

/* ---- statements ----------------------------------------------------------- */

static bool is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Ready to run? Definitions and queries run at an empty line or ';';
 * expressions as soon as they parse (an open bracket or trailing operator
 * keeps them going). */
static bool complete(Repl *R, const char *buf, bool blank_line)
{
	const char *p = buf;
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	if (n && buf[n - 1] == ';')
		return true;
	bool waits = session_is_definition(p) || strncmp(p, "from", 4) == 0;
	if (waits)
		return blank_line;
	return blank_line || !session_incomplete(&R->S, buf);
}

static bool statement(Repl *R, char *buf, bool *quit)
{
	size_t n = strlen(buf);
	while (n && (isspace((unsigned char)buf[n - 1]) || buf[n - 1] == ';'))
		buf[--n] = 0;
	char *p = buf;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return true;
	interrupted = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool redirecting = R->once && !(strncmp(p, ".once", 5) == 0 && isspace((unsigned char)p[5]));
	bool ok = *p == '.' || (p[0] == '\\' && p[1] == 'x' && !p[2]) ? dot(R, p, quit) : session_run(&R->S, p, results(R));
	if (redirecting && R->once) {
		fclose(R->out);
		R->out = NULL;
		R->once = false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (R->timer)
		printf("Run Time: %.3fs\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
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

/* Statements from a stream (a script, piped input or .read). */
static int run_stream(Repl *R, FILE *in)
{
	char *line = NULL, *buf = NULL;
	size_t cap = 0, len = 0, bcap = 0;
	ssize_t got;
	int rc = 0;
	bool quit = false;
	while (!quit && (got = getline(&line, &cap, in)) >= 0) {
		bool blank = is_blank(line);
		if (len == 0 && blank)
			continue;
		/* a finished query or definition runs when the next statement starts */
		if (len && !blank && starts_statement(line) && !session_incomplete(&R->S, buf)) {
			if (!statement(R, buf, &quit)) {
				rc = 1;
				if (!R->keep_going)
					break;
			}
			len = 0;
			buf[0] = 0;
			if (quit)
				break;
		}
		if (len + (size_t)got + 1 > bcap) {
			bcap = (len + (size_t)got + 1) * 2;
			buf = realloc(buf, bcap);
			if (!buf)
				abort();
		}
		memcpy(buf + len, line, (size_t)got + 1);
		len += (size_t)got;
		bool dotcmd = is_command(buf[strspn(buf, " \t")]);
		if (!dotcmd && !complete(R, buf, blank))
			continue;
		if (!statement(R, buf, &quit)) {
			rc = 1;
			if (!R->keep_going)
				break;
		}
		len = 0;
		buf[0] = 0;
	}
	if (rc == 0 && len && !is_blank(buf) && !statement(R, buf, &quit))
		rc = 1;
	free(line);
	free(buf);
	return rc;
}

static int run_file(Repl *R, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "sow: error: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	int rc = run_stream(R, f);
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
	char d[DATE_BUFSZ];
	date_fmt(R->S.as_of, d);
	if (R->continuing)
		snprintf(R->prompt, sizeof R->prompt, "%*s...> ", (int)strlen(d) + 1, "");
	else
		snprintf(R->prompt, sizeof R->prompt, "sow %s> ", d);
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
	char *buf = NULL;
	size_t len = 0, cap = 0;
	bool quit = false;
	while (!quit) {
		set_prompt(R);
		int count;
		interrupted = 0;
		errno = 0;
		const char *line = el_gets(R->el, &count);
		if (!line) {
			if (errno == EINTR || interrupted) {
				printf("^C\n");
				len = 0;
				R->continuing = false;
				continue;
			}
			printf("\n");
			break; /* Ctrl-D */
		}
		bool blank = is_blank(line);
		if (len == 0 && blank)
			continue;
		if (len + (size_t)count + 1 > cap) {
			cap = (len + (size_t)count + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		memcpy(buf + len, line, (size_t)count + 1);
		len += (size_t)count;
		bool dotcmd = is_command(buf[strspn(buf, " \t")]);
		if (!dotcmd && !complete(R, buf, blank)) {
			R->continuing = true;
			continue;
		}
		R->continuing = false;
		char *entry = strdup(buf);
		if (entry) {
			size_t el = strlen(entry);
			while (el && (entry[el - 1] == '\n' || entry[el - 1] == ' '))
				entry[--el] = 0;
			history(R->hist, &ev, H_ENTER, entry);
			if (*R->histfile)
				history(R->hist, &ev, H_SAVE, R->histfile);
			free(entry);
		}
		statement(R, buf, &quit);
		len = 0;
		buf[0] = 0;
	}
	free(buf);
	history_end(R->hist);
	el_end(R->el);
	return 0;
}

int repl_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "as-of", required_argument, NULL, 'a' },
		{ "batch", no_argument, NULL, 'b' }, { "keep-going", no_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' }, { "no-reuse", no_argument, NULL, 'n' }, { 0, 0, 0, 0 } };
	Repl R = { 0 };
	const char *db = NULL;
	Format format = FMT_TABLE;
	Date as_of = date_today();
	bool batch = false, reuse = true;
	int c;
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
		case 'k': R.keep_going = true; break;
		case 'n': reuse = false; break;
		case 'f':
			if (!format_parse(optarg, &format)) {
				fprintf(stderr, "sow repl: --format is table, csv, json, markdown or expanded\n");
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
	R.S.format = format;
	R.S.reuse = reuse;
	R.S.interrupted = &interrupted;
	R.tty = !batch && isatty(0) && isatty(1);
	rc = R.tty ? interactive(&R) : run_stream(&R, stdin);
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
