/* runcmd.c: sow run, sow close and sow reopen, the month-end commands.
 *
 * The ledger (ledger.c) and the periods (period.c) do the work and report
 * what went wrong through the diagnostics; this layer decides what is
 * printed where and with which exit status: the run's summary on stdout,
 * after the commit (so that a closed pipe or a full disk never decides the
 * fate of a run; a dry run prints before it rolls back), the files of
 * --report and --output put in place only once the run is committed. */
#include "runcmd.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "invoice.h"
#include "period.h"
#include "summary.h"

#define LISTED 100 /* rows a table/markdown summary lists per section */

static int run_once(Program *P, const RunOptions *o, FILE *out);

/* One section of the summary. csv and json list every row, streamed, each
 * row naming its section (the sections' columns differ); the table and
 * markdown views list the first LISTED and say how many more. */
static void section(sqlite3 *db, const SummarySection *s, long long run_id, Format f, FILE *out)
{
	bool capped = f == FMT_TABLE || f == FMT_MARKDOWN;
	const char *err;
	SummaryRows *r = summary_open(db, s, run_id, &err);
	if (!r)
		return;
	int n = summary_ncols(r);
	const char *headers[16];
	bool right[16];
	for (int i = 0; i < n && i < 16; i++) {
		headers[i] = summary_colname(r, i);
		right[i] = s->cols[i] == 'm' || s->cols[i] == 'n';
	}
	if (capped)
		fputc('\n', out);
	/* csv and json: each row names its section, by its short name */
	FTable *t = format_begin(f == FMT_CSV || f == FMT_JSON ? s->sheet : s->title, n, headers, right, f, out);
	long long rows = 0;
	const char *cells[16];
	while ((!capped || rows < LISTED) && summary_next(r, cells)) {
		format_row(t, cells);
		rows++;
	}
	summary_close(r, &err);
	format_end(t);
	if (capped && rows == LISTED) {
		long long all = summary_count(db, s, run_id);
		if (all > LISTED)
			fprintf(out, "(the first %d of %lld; --format csv lists them all)\n", LISTED, all);
	}
}

static void summary(const Run *run, FILE *out)
{
	const RunOptions *o = run->o;
	const RunCtx *R = &run->R;
	Format f = o->format;
	if (f == FMT_TABLE || f == FMT_MARKDOWN) {
		char day[DATE_BUFSZ];
		fprintf(out, "%sRun %lld: period %s, as of %s%s\n", f == FMT_MARKDOWN ? "## " : "", R->run_id, R->period,
			date_fmt(o->as_of, day), o->dry_run ? " (dry run: nothing written)" : "");
		const char *names[] = { "revenue", "billing", "forecast", "transitions", "findings" };
		for (int i = 0; i < 5; i++) {
			long long earlier, rows = ledger_rows(R, names[i], &earlier);
			fprintf(out, "%s%-12s %lld row%s", f == FMT_MARKDOWN ? "- " : "  ", names[i], rows, rows == 1 ? "" : "s");
			if (earlier)
				fprintf(out, " (%lld already %s in an earlier period, not repeated)", earlier,
					i == 0 ? "released" : "billed");
			fputc('\n', out);
		}
		invoice_numbering(&R->seq, f == FMT_MARKDOWN ? "- " : "  ", out);
	}
	for (int i = 0; i < summary_nsections; i++)
		if (summary_sections[i].where & SUM_TERMINAL)
			section(run->db, &summary_sections[i], R->run_id, f, out);
}

/* The exit status of a step that failed (its error is already reported). */
static int failed(Run *run)
{
	if (run->status == RUN_STOPPED)
		fprintf(stderr, "sow: run stopped; nothing was written\n");
	int rc = run->status == RUN_DBERROR ? 3 : 1;
	ledger_close(run);
	return rc;
}

/* Ctrl-C, kill or a closed terminal before the commit: the transaction
 * never committed, so the database is as it was (SQLite rolls the journal
 * back at the next open, store.c) and the files are still temporaries
 * (export.c clears them at the next run). One line says so. */
static void on_stop(int sig)
{
	static const char line[] = "\nsow: interrupted before the commit; nothing was written (the database is as before the run)\n";
	ssize_t w = write(STDERR_FILENO, line, sizeof line - 1);
	(void)w;
	_exit(128 + sig);
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signals(void (*handler)(int))
{
	struct sigaction sa = { 0 };
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
		sigaction(stop_signals[i], &sa, NULL);
}

/* Signals held while the run commits and its files are put in place: after
 * that they end the process as usual (the run is committed). */
static void hold_signals(bool hold)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
		sigaddset(&set, stop_signals[i]);
	if (!hold)
		on_signals(SIG_DFL);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int runcmd_run(Program *P, const RunOptions *o, FILE *out)
{
	on_signals(on_stop);
	int rc = run_once(P, o, out);
	hold_signals(false);
	return rc;
}

static int run_once(Program *P, const RunOptions *o, FILE *out)
{
	Run run;
	char err[512];
	/* a bad destination is found before anything is written */
	if (!export_check(o, err, sizeof err)) {
		fprintf(stderr, "sow: error: %s\n", err);
		return 2;
	}
	if (!ledger_open(&run, P, o))
		return failed(&run);
	Profile prof = { .plans = o->profile_plan };
	bool ok = ledger_evaluate(&run, o->profile ? &prof : NULL);
	if (o->profile && (ok || run.status == RUN_STOPPED)) {
		profile_print(&prof, stderr);
		profile_free(&prof);
	}
	if (!ok || !ledger_complete(&run))
		return failed(&run);
	/* The pack and the CSVs go to temporary files now, and into place
	 * only once the run is committed: a failed run leaves none behind. */
	Exports x = { 0 };
	if (!export_write(run.db, &run.R, o, &x, err, sizeof err)) {
		fprintf(stderr, "sow: error: %s\n", err);
		run.status = RUN_DBERROR;
		return failed(&run);
	}
	if (o->dry_run)
		summary(&run, out);
	hold_signals(true);
	if (!ledger_finish(&run)) {
		export_discard(&x);
		return failed(&run);
	}
	bool lost_report = !export_commit(&x, err, sizeof err);
	hold_signals(false);
	if (lost_report)
		fprintf(stderr, "sow: error: %s\n", err);
	if (!o->dry_run) {
		if (*run.skipped)
			fprintf(stderr, "sow: note: --skip-gap: skipped %s (no run); their rows are released in %s\n", run.skipped,
				run.period);
		summary(&run, out);
	}
	ledger_close(&run);
	int werr = fflush(out) != 0 || ferror(out) ? errno : 0;
	if (werr && werr != EPIPE) {
		/* a reader that stopped reading ends the output; anything else
		 * is an I/O error, but the run stays */
		fprintf(stderr, "sow: error: cannot write the summary: %s%s\n", strerror(werr),
			o->dry_run ? "" : " (the run is committed)");
		return 3;
	}
	if (lost_report)
		return 3;
	return (o->fail_on == 1 && run.errors > 0) || (o->fail_on == 2 && run.errors + run.warnings > 0);
}

int runcmd_period(const char *db_path, const char *period, const char *reason, bool reopen, FILE *out)
{
	Diag D;
	diag_init(&D, stderr);
	char done[1024];
	bool refused = false;
	bool ok = reopen ? period_reopen(db_path, period, reason, &D, done, sizeof done, &refused)
			 : period_close(db_path, period, reason, &D, done, sizeof done, &refused);
	if (!ok)
		return refused ? 1 : 3;
	fprintf(out, "%s\n", done);
	return 0;
}
