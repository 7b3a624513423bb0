/* main.c: the `sow` command line. A table of commands (name, handler,
 * usage, summary) drives dispatch, `sow --help` and `sow CMD --help`.
 * This is the only file that decides exit status; the core reports errors
 * through a Diag and returns.
 *
 * Exit status: 0 success, 1 errors in rule files or at run time, 2 usage,
 * 3 database or I/O error. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "eval.h"
#include "fmt.h"
#include "format.h"
#include "import.h"
#include "invoice.h"
#include "journal.h"
#include "ubl.h"
#include "ledger.h"
#include "repl.h"
#include "runcmd.h"
#include "serve.h"
#include "session.h"
#include "vm.h"
#include "stmt.h"
#include "doc.h"
#include "lsp.h"
#include "overlap.h"
#include "strict.h"
#include "testrun.h"
#include "xref.h"
#include "parse.h"
#include "period.h"
#include "program.h"
#include "store.h"

#ifndef SOW_VERSION
#define SOW_VERSION "0.0.0"
#endif

enum { EXIT_RULES = 1, EXIT_USAGE = 2, EXIT_DB = 3 };

typedef struct Command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
	const char *help;     /* options, one per line */
} Command;

static const Command *find_command(const char *name);

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "sow %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'sow %s --help'.\n", cmd);
	return EXIT_USAGE;
}

/* getopt was told (a leading ':') to say nothing: a missing value is
 * ':', anything else '?', and the option as typed is argv[optind - 1]. */
static int bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, 0 };
	if (optopt && strncmp(arg, "--", 2) != 0)
		arg = shortopt;
	if (c == ':')
		return usage_error(cmd, "option '%s' needs a value", arg);
	return usage_error(cmd, "unknown option '%s'", arg);
}

static void print_help(const Command *c)
{
	printf("usage: sow %s\n\n%s\n", c->usage, c->summary);
	if (c->help && *c->help)
		printf("\n%s", c->help);
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

/* ---- sow check ------------------------------------------------------- */

static int load_all(Program *P, int n, char **paths)
{
	bool ok = true;
	for (int i = 0; i < n; i++)
		ok &= program_load_path(P, paths[i]);
	return ok ? 0 : EXIT_DB;
}

static void summary(const Diag *D)
{
	if (D->errors || D->warnings)
		fprintf(stderr, "%d error%s, %d warning%s\n", D->errors, D->errors == 1 ? "" : "s", D->warnings,
			D->warnings == 1 ? "" : "s");
}

/* What the loaded files keep in memory (issue 13: SOW files as their terms). */
static void check_stats(const Program *P)
{
	int user = 0;
	for (int i = 0; i < P->nmods; i++)
		user += P->mods[i]->user;
	size_t files, kept;
	compact_stats(P, &files, &kept);
	printf("files: %d (%d named, %zu of them kept as SOW terms)\n", P->nmods, user, files);
	printf("kept as SOW terms: %zu bytes (%zu a file)\n", kept, files ? kept / files : 0);
	printf("everything loaded: %zu bytes\n", arena_bytes(P->A));
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
					      { "strict", no_argument, NULL, 's' },
					      { "stats", no_argument, NULL, 'S' },
					      { 0, 0, 0, 0 } };
	const char *db_path = NULL;
	bool strict = false, stats = false;
	int c;
	while ((c = getopt_long(argc, argv, ":d:", opts, NULL)) != -1) {
		if (c == 'd')
			db_path = optarg;
		else if (c == 's')
			strict = true;
		else if (c == 'S')
			stats = true;
		else
			return bad_option("check", c, argv);
	}
	if (optind >= argc)
		return usage_error("check", "name at least one rule file or folder");
	sqlite3 *db = NULL;
	if (db_path) {
		char err[512];
		if (!(db = store_open(db_path, STORE_READ, err, sizeof err))) {
			fprintf(stderr, "sow: error: %s\n", err);
			return EXIT_DB;
		}
	}
	Arena *A = arena_new();
	Diag D;
	diag_init(&D, stderr);
	Program P;
	program_init(&P, A, &D, argv[0]);
	int rc = load_all(&P, argc - optind, argv + optind);
	check_program(&P);
	if (!D.errors)
		overlap_check(&P);
	if (strict && !D.errors)
		strict_check(&P);
	if (db && xref_check(&P, db) < 0)
		rc = EXIT_DB;
	if (stats)
		check_stats(&P);
	summary(&D);
	if (!rc && D.errors)
		rc = EXIT_RULES;
	program_free(&P);
	arena_free(A);
	sqlite3_close(db);
	return rc;
}

/* ---- sow eval -------------------------------------------------------- */

static int cmd_eval(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "expr", required_argument, NULL, 'e' },
		{ "as-of", required_argument, NULL, 'a' }, { "max-steps", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' }, { "explain", no_argument, NULL, 'x' },
		{ "profile", no_argument, NULL, 'P' }, { "no-reuse", no_argument, NULL, 'n' },
		{ "max-rows", required_argument, NULL, 'R' }, { "engine", required_argument, NULL, 'E' },
		{ "profile-plan", no_argument, NULL, 'L' }, { 0, 0, 0, 0 } };
	const char *db_path = NULL, *text = NULL;
	int engine = ENGINE_VM;
	Format format = FMT_TABLE;
	Date as_of = date_today();
	long long max_steps = 0, max_rows = 0;
	bool explain = false, profile = false, profile_plan = false, reuse = true;
	int c;
	while ((c = getopt_long(argc, argv, ":d:e:a:s:f:xP", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'e': text = optarg; break;
		case 'x': explain = true; break;
		case 'P': profile = true; break;
		case 'L': profile = profile_plan = true; break;
		case 'E':
			if (!engine_parse(optarg, &engine))
				return usage_error("eval", "--engine is walk or vm, not '%s'", optarg);
			break;
		case 'n': reuse = false; break;
		case 'f':
			if (!format_parse(optarg, &format))
				return usage_error("eval", "--format is table, csv, json, markdown, expanded or html, not '%s'", optarg);
			break;
		case 'a':
			if (!date_parse(optarg, strlen(optarg), &as_of))
				return usage_error("eval", "--as-of wants a date YYYY-MM-DD, not '%s'", optarg);
			break;
		case 's':
		case 'R': {
			char *end;
			errno = 0;
			long long v = strtoll(optarg, &end, 10);
			if (errno || *end || v <= 0)
				return usage_error("eval", "--max-%s wants a positive number", c == 's' ? "steps" : "rows");
			*(c == 's' ? &max_steps : &max_rows) = v;
			break;
		}
		default: return bad_option("eval", c, argv);
		}
	}
	if (!text)
		return usage_error("eval", "give the expression with -e 'EXPR'");
	Session S;
	int rc = session_open(&S, argv[0], db_path, argv + optind, argc - optind, as_of);
	if (rc == 0) {
		S.format = format;
		S.max_steps = max_steps;
		S.max_rows = max_rows;
		S.explain = explain;
		S.profile = profile ? stderr : NULL;
		S.profile_plan = profile_plan;
		S.engine = engine;
		S.reuse = reuse;
		if (!stmt_run(&S, &(Stmt){ text, strlen(text), "<eval>", 1 }, format, stdout))
			rc = S.D.db_errors ? EXIT_DB : EXIT_RULES;
	}
	session_close(&S);
	return rc;
}

/* ---- sow fmt --------------------------------------------------------- */

static int fmt_one(const char *path, bool check_only, int *unformatted)
{
	Arena *A = arena_new();
	Diag D;
	diag_init(&D, stderr);
	int rc = 0;
	Src *src = src_read(A, path);
	if (!src) {
		fprintf(stderr, "sow: error: cannot read %s: %s\n", path, strerror(errno));
		arena_free(A);
		return EXIT_DB;
	}
	Parser ps;
	if (parse_source(&ps, A, src, &D, PARSE_FILE) != 0) {
		/* Never rewrite what could not be read whole. */
		arena_free(A);
		return EXIT_RULES;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		abort();
	fmt_file(mem, src, ps.items, ps.comments);
	fclose(mem);
	if (check_only) {
		if (len != src->len || memcmp(buf, src->text, len) != 0) {
			printf("%s\n", path);
			(*unformatted)++;
		}
	} else {
		fwrite(buf, 1, len, stdout);
	}
	free(buf);
	arena_free(A);
	return rc;
}

typedef struct {
	bool check_only;
	int unformatted;      /* files not in canonical layout (--check) */
	int rc;               /* worst status so far */
} FmtCtx;

static bool fmt_file_cb(const char *file, void *arg)
{
	FmtCtx *c = arg;
	int r = fmt_one(file, c->check_only, &c->unformatted);
	if (r > c->rc)
		c->rc = r;
	return true;
}

static int cmd_fmt(int argc, char **argv)
{
	static const struct option opts[] = { { "check", no_argument, NULL, 'c' }, { 0, 0, 0, 0 } };
	bool check_only = false;
	int c;
	while ((c = getopt_long(argc, argv, ":c", opts, NULL)) != -1) {
		if (c == 'c')
			check_only = true;
		else
			return bad_option("fmt", c, argv);
	}
	if (optind >= argc)
		return usage_error("fmt", "name at least one rule file or folder");
	FmtCtx fc = { check_only, 0, 0 };
	Diag D;
	diag_init(&D, stderr);
	for (int i = optind; i < argc; i++)
		if (!sow_files(argv[i], fmt_file_cb, &fc, &D) && fc.rc < EXIT_DB)
			fc.rc = EXIT_DB;
	if (!fc.rc && fc.unformatted)
		fc.rc = 1;
	return fc.rc;
}

/* ---- sow init -------------------------------------------------------- */

static int cmd_init(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("init", "name one database file");
	char err[512];
	sqlite3 *db = store_open(argv[1], STORE_CREATE, err, sizeof err);
	if (!db) {
		fprintf(stderr, "sow: error: %s\n", err);
		return EXIT_DB;
	}
	bool ok = store_init(db, err, sizeof err);
	sqlite3_close(db);
	if (!ok) {
		fprintf(stderr, "sow: error: %s: %s\n", argv[1], err);
		return EXIT_DB;
	}
	return 0;
}

/* ---- sow import ------------------------------------------------------ */

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "replace", no_argument, NULL, 'r' }, { "upsert", no_argument, NULL, 'u' },
		{ "dry-run", no_argument, NULL, 'n' }, { "map", required_argument, NULL, 'm' }, { 0, 0, 0, 0 } };
	ImportOptions o = { 0 };
	const char *map_path = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":run", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.replace = true; break;
		case 'u': o.upsert = true; break;
		case 'n': o.dry_run = true; break;
		case 'm': map_path = optarg; break;
		default: return bad_option("import", c, argv);
		}
	}
	if (argc - optind != 3)
		return usage_error("import", "give DB TABLE FILE.csv");
	if (o.replace && o.upsert)
		return usage_error("import", "give --replace (reload the table) or --upsert (replace rows by key), not both");
	Arena *A = arena_new();
	Mapping map;
	if (map_path && access(map_path, R_OK) != 0) {
		fprintf(stderr, "sow: error: cannot read %s: %s\n", map_path, strerror(errno));
		arena_free(A);
		return EXIT_DB;
	}
	if (map_path) {
		Diag D;
		diag_init(&D, stderr);
		if (!mapping_load(&map, A, map_path, &D)) {
			summary(&D);
			arena_free(A);
			return EXIT_RULES;
		}
		o.map = &map;
	}
	char err[512];
	sqlite3 *db = store_open(argv[optind], STORE_WRITE, err, sizeof err);
	if (!db) {
		fprintf(stderr, "sow: error: %s\n", err);
		if (o.map)
			mapping_free(&map);
		arena_free(A);
		return EXIT_DB;
	}
	ImportCounts n;
	const char *table = argv[optind + 1];
	int rc = import_csv(db, table, argv[optind + 2], &o, &n, stderr);
	sqlite3_close(db);
	if (o.map)
		mapping_free(&map);
	arena_free(A);
	if (rc == 0) {
		printf("%s %lld row%s into %s", o.dry_run ? "would load" : "loaded", n.rows, n.rows == 1 ? "" : "s", table);
		if (o.upsert)
			printf(" (%lld replaced, %lld added)", n.replaced, n.rows - n.replaced);
		if (n.skipped)
			printf("; skipped %lld row%s as the mapping says", n.skipped, n.skipped == 1 ? "" : "s");
		printf("%s\n", o.dry_run ? "; dry run: nothing was written" : "");
	}
	return rc;
}

/* ---- sow run, sow close ------------------------------------------------ */

static bool parse_period(const char *s, Date *end)
{
	int y, m;
	if (!date_parse_month(s, strlen(s), &y, &m))
		return false;
	*end = date_month_end(date_from_ymd(y, m, 1));
	return true;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "period", required_argument, NULL, 'p' },
		{ "as-of", required_argument, NULL, 'a' }, { "dry-run", no_argument, NULL, 'n' },
		{ "apply-transitions", no_argument, NULL, 't' }, { "fail-on", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' }, { "max-steps", required_argument, NULL, 's' },
		{ "max-memory", required_argument, NULL, 'm' }, { "report", required_argument, NULL, 'r' },
		{ "skip-gap", no_argument, NULL, 'G' }, { "output", required_argument, NULL, 'o' },
		{ "profile", no_argument, NULL, 'P' }, { "max-rows", required_argument, NULL, 'R' },
		{ "engine", required_argument, NULL, 'E' }, { "profile-plan", no_argument, NULL, 'L' }, { 0, 0, 0, 0 } };
	RunOptions o = { .format = FMT_TABLE, .progress = isatty(2) };
	bool have_asof = false;
	int c;
	while ((c = getopt_long(argc, argv, ":d:p:a:ntF:f:s:m:r:GP", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.db_path = optarg; break;
		case 'P': o.profile = true; break;
		case 'L': o.profile = o.profile_plan = true; break;
		case 'E':
			if (!engine_parse(optarg, &o.engine))
				return usage_error("run", "--engine is walk or vm, not '%s'", optarg);
			break;
		case 'p':
			if (!parse_period(optarg, &o.as_of))
				return usage_error("run", "--period wants a month YYYY-MM, not '%s'", optarg);
			o.period = optarg;
			break;
		case 'a':
			if (!date_parse(optarg, strlen(optarg), &o.as_of))
				return usage_error("run", "--as-of wants a date YYYY-MM-DD, not '%s'", optarg);
			have_asof = true;
			break;
		case 'n': o.dry_run = true; break;
		case 'G': o.skip_gap = true; break;
		case 'r': {
			size_t n = strlen(optarg);
			if (!((n > 5 && strcasecmp(optarg + n - 5, ".html") == 0) || (n > 5 && strcasecmp(optarg + n - 5, ".xlsx") == 0) ||
			      (n > 4 && strcasecmp(optarg + n - 4, ".htm") == 0)))
				return usage_error("run", "--report writes FILE.html or FILE.xlsx, not '%s'", optarg);
			o.report = optarg;
			break;
		}
		case 'o': o.output_dir = optarg; break;
		case 't': o.apply_transitions = true; break;
		case 'F':
			if (strcmp(optarg, "error") == 0)
				o.fail_on = 1;
			else if (strcmp(optarg, "warning") == 0)
				o.fail_on = 2;
			else
				return usage_error("run", "--fail-on is error or warning");
			break;
		case 'f':
			if (!format_parse(optarg, &o.format))
				return usage_error("run", "--format is table, csv, json, markdown, expanded or html, not '%s'", optarg);
			break;
		case 's':
		case 'm':
		case 'R': {
			char *end;
			errno = 0;
			long long v = strtoll(optarg, &end, 10);
			if (errno || *end || v <= 0)
				return usage_error("run", "--max-%s wants a positive number", c == 's' ? "steps" : c == 'm' ? "memory" : "rows");
			*(c == 's' ? &o.max_steps : c == 'm' ? &o.max_memory_mb : &o.max_rows) = v;
			break;
		}
		default: return bad_option("run", c, argv);
		}
	}
	if (!o.db_path)
		return usage_error("run", "--db DB is required");
	if (!o.period && !have_asof)
		return usage_error("run", "give --period YYYY-MM, or --as-of DATE --dry-run");
	if (o.period && have_asof)
		return usage_error("run", "give --period or --as-of, not both");
	if (have_asof && !o.dry_run)
		return usage_error("run", "--as-of previews a day: add --dry-run (a run that writes takes --period)");
	if (optind >= argc)
		return usage_error("run", "name the rule files or folders to run");
	Arena *A = arena_new();
	Diag D;
	diag_init(&D, stderr);
	Program P;
	program_init(&P, A, &D, argv[0]);
	int rc = load_all(&P, argc - optind, argv + optind);
	if (!rc) {
		check_program(&P);
		if (D.errors) {
			summary(&D);
			rc = EXIT_RULES;
		} else {
			/* a reader that stops reading (| head) ends the summary,
			 * after the run has committed; it is not an error */
			signal(SIGPIPE, SIG_IGN);
			rc = runcmd_run(&P, &o, stdout);
		}
	}
	program_free(&P);
	arena_free(A);
	return rc;
}

/* sow close and sow reopen: --db DB --period P [--reason TEXT]. */
static int period_command(int argc, char **argv, bool reopen)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
		{ "period", required_argument, NULL, 'p' }, { "reason", required_argument, NULL, 'r' }, { 0, 0, 0, 0 } };
	const char *db = NULL, *period = NULL, *reason = NULL, *cmd = reopen ? "reopen" : "close";
	Date end;
	int c;
	while ((c = getopt_long(argc, argv, ":d:p:r:", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'p')
			period = optarg;
		else if (c == 'r')
			reason = optarg;
		else
			return bad_option(cmd, c, argv);
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!db || !period)
		return usage_error(cmd, reopen ? "give --db DB --period YYYY-MM --reason TEXT" : "give --db DB --period YYYY-MM");
	if (!parse_period(period, &end))
		return usage_error(cmd, "--period wants a month YYYY-MM, not '%s'", period);
	if (reopen && (!reason || !*reason))
		return usage_error(cmd, "say why with --reason TEXT (it is kept in period_events)");
	return runcmd_period(db, period, reason, reopen, stdout);
}

static int cmd_close(int argc, char **argv) { return period_command(argc, argv, false); }
static int cmd_reopen(int argc, char **argv) { return period_command(argc, argv, true); }

/* ---- sow journal ----------------------------------------------------------- */

/* The shipped account mapping: in the build tree of the binary (beside it,
 * or one folder up for build/sow-san), else installed beside the library. */
static const char *standard_accounts(char *buf, size_t n)
{
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = len > 0 ? (exe[len] = 0, strrchr(exe, '/')) : NULL;
	if (slash) {
		*slash = 0;
		static const char *const up[] = { "", "/.." };
		for (int i = 0; i < 2; i++) {
			snprintf(buf, n, "%s%s/examples/accounts/standard.accounts", exe, up[i]);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, n, "%s/../accounts/standard.accounts", SOW_RULES_DIR);
	return buf;
}

static int cmd_journal(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { "period", required_argument, NULL, 'p' },
					      { "accounts", required_argument, NULL, 'a' }, { "layout", required_argument, NULL, 'l' },
					      { "output", required_argument, NULL, 'o' }, { 0, 0, 0, 0 } };
	const char *db = NULL, *period = NULL, *accounts = NULL, *layout = "csv", *output = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":d:p:a:l:o:", opts, NULL)) != -1) {
		if (c == 'd') db = optarg;
		else if (c == 'p') period = optarg;
		else if (c == 'a') accounts = optarg;
		else if (c == 'l') layout = optarg;
		else if (c == 'o') output = optarg;
		else return bad_option("journal", c, argv);
	}
	if (!db || !period || optind != argc)
		return usage_error("journal", "give --db DB --period YYYY-MM");
	JournalLayout lay;
	if (!journal_layout(layout, &lay)) {
		static const char *const names[] = { "csv", "xero", "netsuite", "hledger" };
		const char *s = diag_suggest(layout, names, 4);
		fprintf(stderr, "sow: error: --layout %s: unknown layout%s%s%s (csv, xero, netsuite, hledger)\n", layout,
			s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		return EXIT_RULES;
	}
	char std[4200];
	if (!accounts)
		accounts = standard_accounts(std, sizeof std);
	Arena *A = arena_new();
	Accounts acc;
	Diag D;
	diag_init(&D, stderr);
	if (!accounts_load(&acc, A, accounts, &D)) {
		summary(&D);
		arena_free(A);
		return EXIT_RULES;
	}
	char err[1024];
	bool ok = journal_to_file(db, period, &acc, lay, output, err, sizeof err);
	arena_free(A);
	if (!ok) {
		fprintf(stderr, "sow: error: %s\n", err);
		return EXIT_RULES;
	}
	return 0;
}

/* ---- sow credit, sow invoice ------------------------------------------- */

static int invoice_failed(const InvoiceError *e)
{
	fprintf(stderr, "sow: error: %s\n", e->msg);
	return e->status;
}

static int cmd_credit(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { "reason", required_argument, NULL, 'r' },
					      { "amount", required_argument, NULL, 'a' }, { "as-of", required_argument, NULL, 't' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *reason = NULL, *amount = NULL;
	Date today = date_today();
	int c;
	while ((c = getopt_long(argc, argv, ":d:r:a:t:", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'r')
			reason = optarg;
		else if (c == 'a')
			amount = optarg;
		else if (c == 't') {
			if (!date_parse(optarg, strlen(optarg), &today))
				return usage_error("credit", "--as-of wants a date YYYY-MM-DD, not '%s'", optarg);
		} else
			return bad_option("credit", c, argv);
	}
	if (!db || !reason || argc - optind != 1)
		return usage_error("credit", "give --db DB INVOICE --reason cancelled|mistake");
	char number[64];
	InvoiceError e = { 0 };
	if (!invoice_credit(db, argv[optind], reason, amount, today, number, sizeof number, &e))
		return invoice_failed(&e);
	printf("drafted credit invoice %s of %s (a draft: review it, then sow invoice --db %s --finalize %s)\n", number,
	       argv[optind], db, number);
	return 0;
}

static int cmd_invoice(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { "finalize", required_argument, NULL, 'f' },
					      { "sent", required_argument, NULL, 's' }, { "html", required_argument, NULL, 'h' },
					      { "ubl", required_argument, NULL, 'u' }, { "output", required_argument, NULL, 'o' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *number = NULL, *output = NULL;
	int action = 0, c;
	while ((c = getopt_long(argc, argv, ":d:f:s:h:u:o:", opts, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else if (c == 'o') {
			output = optarg;
		} else if (c == 'f' || c == 's' || c == 'h' || c == 'u') {
			if (action)
				return usage_error("invoice", "give one of --finalize, --sent, --html, --ubl");
			action = c;
			number = optarg;
		} else {
			return bad_option("invoice", c, argv);
		}
	}
	if (!db || !action || optind != argc)
		return usage_error("invoice", "give --db DB and one of --finalize NUMBER, --sent NUMBER, --html NUMBER, --ubl NUMBER");
	if (output && action != 'u')
		return usage_error("invoice", "--output goes with --ubl");
	InvoiceError e = { 0 };
	bool ok = action == 'f' ? invoice_finalize(db, number, &e)
		: action == 's' ? invoice_sent(db, number, &e)
		: action == 'u' ? invoice_ubl(db, number, output, &e) : invoice_html(db, number, stdout, &e);
	if (!ok)
		return invoice_failed(&e);
	if (action == 'u')
		return 0;
	if (action != 'h')
		printf("%s is %s\n", number, action == 'f' ? "final" : "sent");
	else if (fflush(stdout) != 0 || ferror(stdout))
		return fprintf(stderr, "sow: error: cannot write the page: %s\n", strerror(errno)), EXIT_DB;
	return 0;
}

/* ---- sow test ---------------------------------------------------------- */

static int cmd_test(int argc, char **argv)
{
	static const struct option opts[] = { { "coverage", no_argument, NULL, 'c' },
					      { "threshold", required_argument, NULL, 't' },
					      { "format", required_argument, NULL, 'f' },
					      { 0, 0, 0, 0 } };
	bool coverage = false, json = false;
	int threshold = -1, c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'c')
			coverage = true;
		else if (c == 't' && coverage_parse_threshold(optarg, &threshold))
			coverage = true; /* a threshold is about coverage */
		else if (c == 't')
			return usage_error("test", "--threshold wants a percentage 0..100, not '%s'", optarg);
		else if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "text") == 0))
			json = strcmp(optarg, "json") == 0;
		else if (c == 'f')
			return usage_error("test", "--format wants text or json, not '%s'", optarg);
		else
			return bad_option("test", c, argv);
	}
	if (optind >= argc)
		return usage_error("test", "name the rule files or folders whose tests to run");
	if (json && !coverage)
		return usage_error("test", "--format json is the coverage report's; add --coverage");
	Arena *A = arena_new();
	Diag D;
	diag_init(&D, stderr);
	Program P;
	program_init(&P, A, &D, argv[0]);
	Coverage cov = { 0 };
	int rc = load_all(&P, argc - optind, argv + optind);
	if (!rc) {
		check_program(&P);
		if (D.errors) {
			summary(&D);
			rc = EXIT_RULES;
		} else {
			int counts[2];
			/* in JSON the test lines go to stderr, so stdout is the report alone */
			rc = testrun_all(&P, json ? stderr : stdout, coverage ? &cov : NULL, counts);
			if (coverage && rc != EXIT_DB &&
			    !coverage_report(&P, &cov, stdout, json, threshold, counts[0], counts[1]) && !rc)
				rc = EXIT_RULES;
		}
	}
	coverage_free(&cov);
	program_free(&P);
	arena_free(A);
	return rc;
}

/* ---- sow doc ---------------------------------------------------------- */

static int cmd_doc(int argc, char **argv)
{
	static const struct option opts[] = { { "rules", required_argument, NULL, 'r' }, { 0, 0, 0, 0 } };
	char **paths = calloc((size_t)argc, sizeof *paths);
	int npaths = 0, c;
	if (!paths)
		abort();
	while ((c = getopt_long(argc, argv, ":r:", opts, NULL)) != -1) {
		if (c == 'r') {
			paths[npaths++] = optarg;
		} else {
			free(paths);
			return bad_option("doc", c, argv);
		}
	}
	if (argc - optind > 1) {
		free(paths);
		return usage_error("doc", "name at most one function, relation, rule or table");
	}
	const char *name = optind < argc ? argv[optind] : NULL;
	Arena *A = arena_new();
	Diag D;
	diag_init(&D, stderr);
	Program P;
	program_init(&P, A, &D, argv[0]);
	int rc = load_all(&P, npaths, paths);
	if (!npaths) {
		/* the standard library, found as `import "std"` here would find it */
		static const char text[] = "import \"std\"\n";
		Src *src = src_from_string(A, "<doc>", text, sizeof text - 1);
		Parser ps;
		parse_source(&ps, A, src, &D, PARSE_FILE);
		program_add_source(&P, src, ps.items, ps.comments);
	}
	if (!rc) {
		check_program(&P);
		if (D.errors) {
			summary(&D);
			rc = EXIT_RULES;
		}
	}
	if (!rc) {
		const char *sug = NULL;
		if (!doc_print(&P, stdout, name, DOC_ALL, &sug) && name) {
			fprintf(stderr, "sow doc: nothing is called '%s'%s%s%s\n", name, sug ? "; did you mean '" : "",
				sug ? sug : "", sug ? "'?" : "");
			rc = EXIT_RULES;
		}
	}
	program_free(&P);
	arena_free(A);
	free(paths);
	return rc;
}

/* ---- sow lsp ---------------------------------------------------------- */

static int cmd_lsp(int argc, char **argv)
{
	if (argc > 1)
		return usage_error("lsp", "takes no arguments; it speaks JSON-RPC on stdin and stdout");
	return lsp_serve(stdin, stdout, argv[0]);
}

/* ---- sow serve ------------------------------------------------------- */

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
					      { "port", required_argument, NULL, 'p' },
					      { "bind", required_argument, NULL, 'b' },
					      { 0, 0, 0, 0 } };
	ServeOptions o = { .argv0 = argv[0], .bind = "127.0.0.1", .port = 8080 };
	int c;
	while ((c = getopt_long(argc, argv, ":d:p:b:", opts, NULL)) != -1) {
		if (c == 'd') {
			o.db_path = optarg;
		} else if (c == 'p') {
			char *end;
			long port = strtol(optarg, &end, 10);
			if (!*optarg || *end || port < 0 || port > 65535)
				return usage_error("serve", "--port %s: a port is a number from 0 (any free one) to 65535", optarg);
			o.port = (int)port;
		} else if (c == 'b') {
			o.bind = optarg;
		} else {
			return bad_option("serve", c, argv);
		}
	}
	if (!o.db_path)
		return usage_error("serve", "name the database: --db DB");
	o.paths = argv + optind;
	o.npaths = argc - optind;
	return serve_main(&o);
}

/* ---- the table ------------------------------------------------------- */

static int cmd_help(int argc, char **argv);

static const Command commands[] = {
	{ "init", cmd_init, "init DB", "Create or upgrade the standard schema in DB (idempotent).", "" },
	{ "check", cmd_check, "check [--strict] [--stats] [--db DB] PATH...",
	  "Parse and type-check rule files; PATH may be a folder (every *.sow and *.map below it).",
	  "  --db DB     also check each SOW's milestones and trainings against DB (read-only)\n"
	  "  --strict    also warn about unused definitions and imports, unmarked overrides,\n"
	  "              machine states, unchanging guards and unrounded money\n" },
	{ "eval", cmd_eval, "eval [--db DB] [--as-of DATE] [PATH...] -e EXPR",
	  "Print the value of one expression, with the rule files in PATH loaded.",
	  "  -e, --expr EXPR    the expression, e.g. 'business_day(2026-11-27, 4, \"US\")'\n"
	  "  --db DB            read holidays (and data) from DB, read-only\n"
	  "  --as-of DATE       the date as_of stands for (default: today)\n"
	  "  --max-steps N      stop a runaway evaluation after N steps for one row, its queries'\n"
	  "                     whole work included (default 10000000)\n"
	  "  --max-rows N       stop a query that keeps more than N rows or groups (default 1000000)\n"
	  "  --format F         table, csv, json, markdown or expanded (for query results)\n"
	  "  --explain          print how the value is derived, step by step (the REPL's why)\n"
	  "  --profile          print, per rule, its time, rows read and emitted, engine and plan (stderr)\n"
	  "  --profile-plan     ... and each rule's compiled plan, an instruction a line\n"
	  "  --engine E         vm (compiled rules, the default) or walk (the reference tree-walker)\n"
	  "  --no-reuse         run the rules even when the database's latest run is this view\n"
	  "EXPR may be a query (from ... select ...), `why TABLE { column: value }`, or\n"
	  "`why EXPR`. Queries over rule results (revenue, forecast, findings ...) see\n"
	  "the rules run as of --as-of in temporary tables: nothing is written. When the\n"
	  "latest run is as of that date, by the same rule files, with nothing written\n"
	  "since, its stored rows answer instead (a note on stderr says so).\n" },
	{ "import", cmd_import, "import [OPTIONS] DB TABLE FILE.csv", "Load a CSV export into a standard table, whole or not at all.",
	  "  --map FILE.map  read the export through a mapping (its headers, dates, values)\n"
	  "  --upsert        a row whose key is already stored replaces it; the rest are added\n"
	  "  --replace       empty the table first (in the same transaction)\n"
	  "  --dry-run       check everything and report; write nothing\n"
	  "Every bad record is reported (the first 50, then a count) and then nothing is loaded.\n" },
	{ "run", cmd_run, "run --db DB --period YYYY-MM PATH...",
	  "Month-end: evaluate the rules, write revenue, billing, forecast, transitions, findings in one transaction.",
	  "  --db DB               the project database\n"
	  "  --period YYYY-MM      the month to run (as of its last day)\n"
	  "  --as-of DATE --dry-run  preview any day; writes nothing\n"
	  "  --apply-transitions   also update projects.status and status_history\n"
	  "  --fail-on error|warning  exit 1 when findings of that severity exist\n"
	  "  --format table|csv|json|markdown|expanded   the summary's format\n"
	  "  --max-steps N         stop a runaway rule after N evaluation steps for one row, its\n"
	  "                        queries' whole work included (default 10000000)\n"
	  "  --max-rows N          stop a query that keeps more than N rows or groups (default 1000000)\n"
	  "  --max-memory MB       stop a run whose resident memory passes MB\n"
	  "  --profile             print, per rule, its time, rows read and emitted, engine and plan (stderr)\n"
	  "  --profile-plan        ... and each rule's compiled plan, an instruction a line\n"
	  "  --engine vm|walk      run the rules compiled (the default) or on the reference tree-walker\n"
	  "  --report FILE.html    also write the month-end pack (tables, forecast chart)\n"
	  "  --report FILE.xlsx    ... or as a workbook: a Summary sheet, a sheet per output table\n"
	  "  --output DIR          also write one CSV per output table of the run into DIR\n"
	  "  --skip-gap            run although the month before has no run (says which months)\n"
	  "On a terminal, a run that takes more than a second shows its progress on stderr.\n" },
	{ "repl", repl_main, "repl [--db DB] [--as-of DATE] [PATH...]",
	  "Interactive session: expressions, queries, why, assume; history and Tab completion.",
	  "  --db DB          open DB read-only\n"
	  "  --as-of DATE     the session date (default: today); .asof changes it\n"
	  "  --format F       table, csv, json, markdown or expanded\n"
	  "  --batch          no prompt or line editing even on a terminal\n"
	  "  --keep-going     in a script, go on after an error (default: stop, exit 1)\n"
	  "  --no-reuse       always run the rules; never read a stored run's rows (.reuse off)\n"
	  "  --engine vm|walk run the rules compiled (the default) or on the reference tree-walker\n"
	  "On a terminal: Tab completes, Up/Down and Ctrl-R search history (~/.sow_history\n"
	  "or $SOW_HISTORY), Ctrl-C cancels, Ctrl-D leaves. .help lists the commands.\n" },
	{ "serve", cmd_serve, "serve --db DB [--port N] [--bind ADDR] [PATH...]",
	  "A read-only web view of the month-ends: runs, packs, tables, invoices, projects, why.",
	  "  --db DB          the database, opened read-only (a run beside it still works)\n"
	  "  --port N         the port (default 8080; 0: any free port)\n"
	  "  --bind ADDR      the address to listen on (default 127.0.0.1: this machine only)\n"
	  "  PATH...          the rule files, for the why pages (as sow repl takes them)\n"
	  "The first line on stdout is `listening on http://ADDR:PORT/`. GET and HEAD\n"
	  "only; SIGTERM or Ctrl-C stops it (exit 0).\n" },
	{ "test", cmd_test, "test [--coverage [--threshold PCT] [--format json]] PATH...",
	  "Run the test blocks in rule files, each against its own in-memory data.",
	  "  --coverage       then list which rules, where/when branches, functions and transitions\n"
	  "                   of the files under test ran, and each one that did not\n"
	  "  --threshold PCT  exit 1 when coverage is below PCT (implies --coverage)\n"
	  "  --format json    the coverage report as JSON on stdout (test lines go to stderr)\n" },
	{ "close", cmd_close, "close --db DB --period YYYY-MM", "Lock a period and every earlier one: later runs never rewrite them.",
	  "  --reason TEXT    kept with the close in period_events\n"
	  "Rows recognized on or before the end of a closed period and released later are `late`.\n" },
	{ "reopen", cmd_reopen, "reopen --db DB --period YYYY-MM --reason TEXT",
	  "Reopen the latest closed period; its runs are kept as superseded.",
	  "  --reason TEXT    why (required); kept in period_events with $USER and the time\n"
	  "Only the latest closed period, and only while no later period has results.\n"
	  "Its runs are marked superseded and their rows move to the *_history tables.\n" },
	{ "credit", cmd_credit, "credit --db DB INVOICE --reason cancelled|mistake [--amount X]",
	  "Draft a credit invoice against a final invoice (never more than is left on it).",
	  "  --reason cancelled   the customer cancelled: the credit is dated today\n"
	  "  --reason mistake     undoing a mistake: dated as the incorrect invoice\n"
	  "  --amount X           the net amount to credit (default: all that is left); VAT at the invoice's rate\n"
	  "  --as-of DATE         the date today stands for\n"
	  "The credit stays a draft until sow invoice --finalize.\n" },
	{ "invoice", cmd_invoice, "invoice --db DB --finalize NUMBER | --sent NUMBER | --html NUMBER | --ubl NUMBER [--output FILE]",
	  "Finalize an invoice draft, mark a final one sent, or print one as an HTML page.",
	  "  --finalize NUMBER    draft -> final (refused while its VAT or FX rate is undetermined)\n"
	  "  --sent NUMBER        final -> sent (sent to the customer)\n"
	  "  --html NUMBER        the printable page on stdout: seller, customer, PO, lines, VAT, due date\n"
	  "  --ubl NUMBER         the final invoice (a credit: CreditNote) as Peppol BIS Billing 3.0 UBL\n"
	  "  --output FILE        with --ubl: write FILE (atomically) instead of stdout\n" },
	{ "journal", cmd_journal, "journal --db DB --period YYYY-MM [--accounts FILE] [--layout csv|xero|netsuite|hledger] [--output FILE]",
	  "The general-ledger journal of a period's latest run: revenue, final invoices and credits, double entry.",
	  "  --accounts FILE  the account mapping (default: examples/accounts/standard.accounts as installed)\n"
	  "  --layout NAME    csv (default), xero (manual journal import), netsuite (journal import), hledger\n"
	  "  --output FILE    write FILE (replaced whole, only when complete) instead of stdout\n"
	  "Drafts are not journaled. Every line names its run, project, and source row or invoice.\n"
	  "The database is only read.\n" },
	{ "doc", cmd_doc, "doc [--rules PATH]... [NAME]",
	  "Every function, rounding, constant, relation, rule and table, with its parameters and comment.",
	  "  NAME          only the definitions, built-ins or tables called NAME\n"
	  "  --rules PATH  document these rule files (default: the standard library)\n" },
	{ "lsp", cmd_lsp, "lsp",
	  "A Language Server on stdin and stdout: diagnostics, completion, hover, go to definition.", "" },
	{ "fmt", cmd_fmt, "fmt [--check] PATH...", "Print rule files in canonical layout.",
	  "  --check     print the names of files that are not formatted; exit 1 if any\n" },
	{ "help", cmd_help, "help [COMMAND]", "Show help for sow or one command.", "" },
};

static const Command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void main_help(void)
{
	printf("sow %s: rules for professional-services billing and revenue\n\nusage: sow COMMAND [ARGS]\n\n", SOW_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		printf("  %-46s %s\n", commands[i].usage, commands[i].summary);
	printf("\nExit status: 0 ok, 1 rule errors, 2 usage, 3 database or I/O error.\n"
	       "'sow COMMAND --help' describes one command.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		main_help();
		return 0;
	}
	const Command *c = find_command(argv[1]);
	if (!c)
		return usage_error("help", "no command '%s'", argv[1]);
	print_help(c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		main_help();
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_help();
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sow %s (sqlite %s)\n", SOW_VERSION, sqlite3_libversion());
		return 0;
	}
	const Command *c = find_command(argv[1]);
	if (!c) {
		const char *names[sizeof commands / sizeof *commands];
		int n = 0;
		for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
			names[n++] = commands[i].name;
		const char *s = diag_suggest(argv[1], names, n);
		fprintf(stderr, "sow: unknown command '%s'%s%s%s\nTry 'sow --help'.\n", argv[1],
			s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		return EXIT_USAGE;
	}
	if (wants_help(argc - 1, argv + 1)) {
		print_help(c);
		return 0;
	}
	return c->run(argc - 1, argv + 1);
}
