/* ledger.c: the month-end run as one transaction, and the release ledger.
 *
 * A run for period P: refuse if P is closed or a later period has results;
 * set P's earlier results aside (a re-run supersedes them: period.c);
 * evaluate the rules, which hand their rows to the run's sink (ledger_emit:
 * output tables into the run's INSERTs, relation rows on to the
 * relations); compute each project's period total exactly and round it
 * once; commit. Any error rolls everything back, so the database is
 * exactly as it was. Errors are reported through the program's
 * diagnostics; nothing here prints a result or picks an exit status (the
 * command, runcmd.c, does).
 *
 * "Each source row is released exactly once, ever" is enforced here and by a
 * unique index, not left to rules: a revenue (or billing) row whose source
 * was released in an earlier period is skipped and counted; a second row for
 * the same source in one run is an error naming both rules. */
#include "ledger.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "period.h"
#include "rules.h"
#include "schema.h"
#include "store.h"
#include "totals.h"
#include "xref.h"

static int table_index(const TableDef *t) { return (int)(t - schema_tables); }
static bool is_history(const TableDef *t)
{
	size_t n = strlen(t->name);
	return n > 8 && strcmp(t->name + n - 8, "_history") == 0;
}
/* A table holding rows of a run (replaced when its period is run again). */
static bool run_results(const TableDef *t) { return t->output && schema_column(t, "run_id") >= 0 && !is_history(t); }
static bool run_sql(sqlite3 *db, const char *sql, const char *arg, const char **err);

static bool exec(sqlite3 *db, const char *sql, const char **err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return true;
	*err = sqlite3_errmsg(db);
	return false;
}

/* Which rules produced a run: FNV-1a over every loaded file's text, taken
 * as each file loaded (a compacted SOW file keeps no text). */
void ledger_digest(const Program *P, char *buf, size_t n) { snprintf(buf, n, "%016llx", P->digest); }

static bool ledger_emit(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals);

/* Output tables are written only by a run. */
static bool view_emit(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals)
{
	if (!to->table)
		return s->next->emit(s->next, E, at, to, vals);
	return eval_fail(E, at, "rules write %s only during sow run or sow test", to->name);
}

void ledger_view(Eval *E, RunCtx *R, sqlite3 *db)
{
	memset(R, 0, sizeof *R);
	R->db = db;
	sink_relations(&R->relations);
	R->sink = (Sink){ .emit = view_emit, .next = &R->relations };
	E->sink = &R->sink;
	E->run = (RunInfo){ .history = db, .sows = E->run.sows };
}

void ledger_adopt(Eval *E, RunCtx *R, sqlite3 *db, const char *period, Date as_of, long long run_id)
{
	ledger_view(E, R, db);
	R->sink.emit = ledger_emit;
	snprintf(R->period, sizeof R->period, "%s", period);
	R->period_end = date_month_end(as_of);
	R->run_id = E->run.id = run_id;
}

bool ledger_begin(Eval *E, RunCtx *R, sqlite3 *db, const char *period, Date as_of, const char **err)
{
	ledger_adopt(E, R, db, period, as_of, 0);
	char started[32], day[DATE_BUFSZ], dig[20];
	date_timestamp_utc(started, sizeof started);
	ledger_digest(E->P, dig, sizeof dig);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO runs (period, as_of, started_at, rules_digest, status) VALUES (?, ?, ?, ?, 'running')",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = sqlite3_errmsg(db);
		return false;
	}
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date_fmt(as_of, day), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, started, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, dig, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = sqlite3_errmsg(db);
		return false;
	}
	R->run_id = sqlite3_last_insert_rowid(db);
	E->run.id = R->run_id;
	return true;
}

void ledger_end(RunCtx *R)
{
	for (int i = 0; i < LEDGER_TABLES; i++)
		sqlite3_finalize(R->ins[i]);
}

static sqlite3_stmt *insert_for(RunCtx *R, const TableDef *t)
{
	int i = table_index(t);
	if (R->ins[i])
		return R->ins[i];
	char sql[2048];
	const char *cols[32];
	for (int c = 0; c < t->ncols && c < 32; c++)
		cols[c] = t->cols[c].name;
	schema_insert_sql(t->name, cols, t->ncols, sql, sizeof sql);
	if (sqlite3_prepare_v2(R->db, sql, -1, &R->ins[i], NULL) != SQLITE_OK)
		return NULL;
	return R->ins[i];
}

void ledger_bind(sqlite3_stmt *st, int i, const Value *v)
{
	char buf[DEC_BUFSZ + 8];
	Dec d;
	switch (v->k) {
	case V_UNSET: sqlite3_bind_null(st, i); break;
	case V_TEXT: case V_SYM: sqlite3_bind_text(st, i, v->s, -1, SQLITE_TRANSIENT); break;
	case V_DATE: sqlite3_bind_text(st, i, date_fmt(v->date, buf), -1, SQLITE_TRANSIENT); break;
	case V_BOOL: sqlite3_bind_int(st, i, v->b); break;
	case V_NUM: case V_HOURS: case V_MONEY: case V_DUR:
		sqlite3_bind_text(st, i, dec_fmt(v->d, buf), -1, SQLITE_TRANSIENT);
		break;
	case V_PERCENT:
		if (dec_div(v->d, dec_from_int(100), &d) == DEC_OK)
			sqlite3_bind_text(st, i, dec_fmt(d, buf), -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, i);
		break;
	default: {
		char text[512];
		value_fmt(v, text, sizeof text);
		sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
	}
	}
}

/* A unique-key clash: earlier period (skip) or this run (error). */
static bool clash(RunCtx *R, Eval *E, const Node *at, const TableDef *t, Value *vals, bool *skip)
{
	bool rev = strcmp(t->name, "revenue") == 0;
	const char *sql = rev ? "SELECT run_id, period, rule FROM revenue WHERE source = ? AND source_id = ?"
			      : "SELECT run_id, period, rule FROM billing WHERE project_id = ? AND source_id = ? AND reason = ?";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(R->db, sql, -1, &st, NULL) != SQLITE_OK)
		return eval_db_fail(E, at, t->name);
	const char *const keys[] = { rev ? "source" : "project_id", "source_id", "reason" };
	for (int k = 0; k < (rev ? 2 : 3); k++)
		ledger_bind(st, k + 1, &vals[schema_column(t, keys[k])]);
	bool ok = true;
	*skip = false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != R->run_id) {
			*skip = true;
		} else {
			char id[256], src[64] = "";
			value_fmt(&vals[schema_column(t, "source_id")], id, sizeof id);
			if (rev)
				value_fmt(&vals[schema_column(t, "source")], src, sizeof src);
			ok = eval_fail(E, at, "%s for %s%s%s would be counted twice: emitted by %s and again by %s",
				       t->name, src, *src ? " " : "", id, (const char *)sqlite3_column_text(st, 2), E->rule);
		}
	} else {
		ok = eval_db_fail(E, at, t->name);
	}
	sqlite3_finalize(st);
	return ok;
}

/* The ledger's sink: a row of an output table into the run's INSERT. */
static bool ledger_emit(Sink *s, Eval *E, const Node *at, const EmitTo *to, Value *vals)
{
	RunCtx *R = (RunCtx *)s;
	const TableDef *t = to->table;
	if (!t)
		return s->next->emit(s->next, E, at, to, vals);
	int ti = table_index(t);
	struct EmitCols *k = &R->cols[ti];
	if (!k->known) /* looked up once per table and run, not per row */
		*k = (struct EmitCols){ true, schema_column(t, "run_id"), schema_column(t, "rule"), schema_column(t, "period"),
					schema_column(t, "currency"), schema_column(t, "amount"),
					schema_column(t, "recognized_on") };
	int cur = k->currency, amt = k->amount;
	if (k->run_id >= 0)
		vals[k->run_id] = (Value){ .k = V_NUM, .d = dec_from_int(R->run_id) };
	if (k->rule >= 0)
		vals[k->rule] = (Value){ .k = V_TEXT, .s = E->rule };
	if (k->period >= 0 && vals[k->period].k == V_UNSET)
		vals[k->period] = (Value){ .k = V_TEXT, .s = R->period };
	if (amt >= 0 && cur >= 0) {
		Value *a = &vals[amt], *c = &vals[cur];
		if (a->k == V_MONEY && c->k == V_UNSET)
			*c = (Value){ .k = V_TEXT, .s = arena_strndup(E->tmp, a->cur, 3) };
		else if (a->k == V_MONEY && c->k == V_TEXT && strcmp(c->s, a->cur) != 0)
			return eval_fail(E, at, "%s: amount is in %s but currency says %s", t->name, a->cur, c->s);
		if (c->k == V_UNSET)
			return eval_fail(E, at, "%s needs a currency: give money as the amount, or a currency column", t->name);
		if (a->k == V_UNSET)
			return eval_fail(E, at, "%s: the amount is unset", t->name);
	}
	if (k->recognized_on >= 0 && strcmp(t->name, "revenue") == 0) {
		/* Release only what is recognized by the period's last day. */
		const Value *on = &vals[k->recognized_on];
		if (on->k != V_DATE)
			return eval_fail(E, at, "revenue needs recognized_on, a date");
		if (on->date > R->period_end) {
			char a[DATE_BUFSZ], b[DATE_BUFSZ];
			return eval_fail(E, at, "revenue recognized on %s cannot be released in %s (it ends %s)",
					 date_fmt(on->date, a), R->period, date_fmt(R->period_end, b));
		}
	}
	sqlite3_stmt *st = insert_for(R, t);
	if (!st)
		return eval_db_fail(E, at, t->name);
	for (int c = 0; c < t->ncols; c++)
		ledger_bind(st, c + 1, &vals[c]);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		R->emitted[ti]++;
		return true;
	}
	if (rc == SQLITE_CONSTRAINT) {
		bool skip;
		if (!clash(R, E, at, t, vals, &skip))
			return false;
		R->earlier[ti] += skip;
		return true;
	}
	return eval_db_fail(E, at, t->name);
}

/* Prepare sql bound to the run id; NULL with *err on failure. */
static sqlite3_stmt *prepare_run(sqlite3 *db, const char *sql, long long run_id, const char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		*err = sqlite3_errmsg(db);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, run_id);
	return st;
}

/* Bind a rounded sum (or NULL when it is unset: a line had no amount). */
static void bind_total(sqlite3_stmt *st, int i, const Totals *T, int sum, const char *cur)
{
	Dec r;
	char buf[DEC_BUFSZ];
	if (totals_rounded(T, sum, cur, &r))
		sqlite3_bind_text(st, i, dec_fmt(r, buf), -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Group the rows of sel (keys, then amounts) and run ins once per group;
 * bind(ins, T, R) binds a group's values. */
static bool each_total(RunCtx *R, const char *sel_sql, int nkeys, int nsums, const char *ins_sql,
		       void (*bind)(sqlite3_stmt *, const Totals *, const RunCtx *), const char **err)
{
	sqlite3_stmt *sel = prepare_run(R->db, sel_sql, R->run_id, err), *ins = NULL;
	if (!sel)
		return false;
	if (sqlite3_prepare_v2(R->db, ins_sql, -1, &ins, NULL) != SQLITE_OK) {
		*err = sqlite3_errmsg(R->db);
		sqlite3_finalize(sel);
		return false;
	}
	Totals T;
	totals_open(&T, sel, nkeys, nsums);
	bool ok = true;
	while (ok && totals_next(&T)) {
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		bind(ins, &T, R);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			*err = sqlite3_errmsg(R->db);
			ok = false;
		}
	}
	if (ok && T.err) {
		*err = T.err;
		ok = false;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ok;
}

static void bind_revenue_total(sqlite3_stmt *ins, const Totals *T, const RunCtx *R)
{
	sqlite3_bind_int64(ins, 1, R->run_id);
	sqlite3_bind_text(ins, 2, R->period, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, T->key[0], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 4, T->key[1], -1, SQLITE_TRANSIENT);
	bind_total(ins, 5, T, 0, T->key[1]);
}

static void bind_forecast_total(sqlite3_stmt *ins, const Totals *T, const RunCtx *R)
{
	sqlite3_bind_int64(ins, 1, R->run_id);
	sqlite3_bind_text(ins, 2, T->key[0], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, T->key[1], -1, SQLITE_TRANSIENT);
	for (int i = 0; i < 3; i++)
		bind_total(ins, 4 + i, T, i, T->key[1]);
}

/* An UPDATE of a total's reporting columns: ?1 run, ?2 ?3 the keys. */
static void bind_reporting(sqlite3_stmt *ins, const Totals *T, const RunCtx *R)
{
	sqlite3_bind_int64(ins, 1, R->run_id);
	sqlite3_bind_text(ins, 2, T->key[0], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, T->key[1], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 4, T->key[2], -1, SQLITE_TRANSIENT);
	bind_total(ins, 5, T, 0, T->key[2]);
}

/* The run's totals, each its lines summed exactly and rounded once to the
 * currency's minor unit (SPEC 4, 8.3): each project's period revenue, the
 * forecast by quarter (all, actual = released, the rest), and beside both
 * the reporting-currency value of the same lines (unset when one line has
 * none: a missing rate is an error finding, never a zero). */
static bool totals(RunCtx *R, const char **err)
{
	return each_total(R, "SELECT project_id, currency, amount FROM revenue WHERE run_id = ?1 ORDER BY project_id, currency", 2, 1,
			  "INSERT INTO revenue_totals (run_id, period, project_id, currency, amount) VALUES (?, ?, ?, ?, ?)",
			  bind_revenue_total, err) &&
	       each_total(R, "SELECT fiscal_quarter, currency, amount, CASE WHEN basis = 'released' THEN amount ELSE '0' END, "
			     "CASE WHEN basis = 'released' THEN '0' ELSE amount END FROM forecast WHERE run_id = ?1 "
			     "ORDER BY fiscal_quarter, currency", 2, 3,
			  "INSERT INTO forecast_totals (run_id, fiscal_quarter, currency, amount, actual_amount, forecast_amount) "
			  "VALUES (?, ?, ?, ?, ?, ?)",
			  bind_forecast_total, err) &&
	       each_total(R, "SELECT project_id, currency, reporting_currency, reporting_amount FROM reporting_lines "
			     "WHERE run_id = ?1 AND kind = 'revenue' ORDER BY 1, 2, 3", 3, 1,
			  "UPDATE revenue_totals SET reporting_currency = ?4, reporting_amount = ?5 "
			  "WHERE run_id = ?1 AND project_id = ?2 AND currency = ?3",
			  bind_reporting, err) &&
	       each_total(R, "SELECT fiscal_quarter, currency, reporting_currency, reporting_amount FROM reporting_lines "
			     "WHERE run_id = ?1 AND kind = 'forecast' ORDER BY 1, 2, 3", 3, 1,
			  "UPDATE forecast_totals SET reporting_currency = ?4, reporting_amount = ?5 "
			  "WHERE run_id = ?1 AND fiscal_quarter = ?2 AND currency = ?3",
			  bind_reporting, err);
}

/* In a view as of a date (the REPL's), does output table t keep the rows
 * of earlier runs? The ledger's history does (what was released and
 * billed, runs, totals); the rest holds the view's own run only. */
static bool carried(const TableDef *t)
{
	return t->output == 2 || strcmp(t->name, "revenue") == 0 || strcmp(t->name, "billing") == 0 || sequence_kept(t->name);
}

bool ledger_scratch_indexes(sqlite3 *db, const char **err)
{
	/* the same keys and indexes as the real tables: rules depend on them */
	static const char *const setup =
		"CREATE UNIQUE INDEX temp.revenue_once_t ON revenue(source, source_id);"
		"CREATE UNIQUE INDEX temp.billing_once_t ON billing(project_id, source_id, reason);"
		"CREATE INDEX temp.revenue_project_t ON revenue(project_id, period);"
		"CREATE INDEX temp.revenue_run_t ON revenue(run_id);"
		"CREATE INDEX temp.runs_period_t ON runs(period);"
		"CREATE INDEX temp.revenue_totals_run_t ON revenue_totals(run_id);"
		"CREATE INDEX temp.forecast_run_t ON forecast(run_id);";
	return exec(db, setup, err);
}

bool ledger_scratch_totals(RunCtx *R, const char **err)
{
	char sql[256];
	snprintf(sql, sizeof sql, "DELETE FROM temp.revenue_totals WHERE run_id = %lld; DELETE FROM temp.forecast_totals WHERE run_id = %lld",
		 R->run_id, R->run_id);
	return exec(R->db, sql, err) && totals(R, err);
}

bool ledger_scratch_open(Eval *E, RunCtx *R, sqlite3 *db, Date as_of, const char **err)
{
	char period[DATE_MONTH_BUFSZ], sql[512];
	date_fmt_month(as_of, period);
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *t = &schema_tables[i];
		if (!t->output || is_history(t))
			continue; /* superseded runs' rows play no part in a view */
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.%s; CREATE TEMP TABLE %s AS SELECT * FROM main.%s%s",
			 t->name, t->name, t->name, carried(t) ? "" : " WHERE 0");
		if (!exec(db, sql, err))
			return false;
	}
	/* as a re-run of this period would: its earlier results make way */
	if (!ledger_scratch_indexes(db, err))
		return false;
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *t = &schema_tables[i];
		if (!run_results(t))
			continue;
		/* issued invoices stay: a re-run bills beside them (SPEC 9.1) */
		const NumberedDef *nd = sequence_numbered(t->name);
		char issued[256] = "";
		if (nd)
			snprintf(issued, sizeof issued, " AND status IS 'draft'");
		for (int k = 0; k < schema_ntables && !nd; k++) {
			const NumberedDef *m = sequence_numbered(schema_tables[k].name);
			if (m && strcmp(m->detail, t->name) == 0)
				snprintf(issued, sizeof issued, " AND number NOT IN (SELECT number FROM temp.\"%s\" WHERE status IS NOT 'draft')",
					 m->table);
		}
		snprintf(sql, sizeof sql, "DELETE FROM temp.%s WHERE run_id IN (SELECT id FROM temp.runs WHERE period >= ?)%s",
			 t->name, issued);
		if (!run_sql(db, sql, period, err))
			return false;
	}
	/* (the runs that wrote them stay too: the rules ask for their period) */
	if (!run_sql(db, "DELETE FROM temp.runs WHERE period >= ? AND id NOT IN "
			 "(SELECT run_id FROM temp.invoice_drafts WHERE run_id IS NOT NULL)", period, err))
		return false;
	return ledger_begin(E, R, db, period, as_of, err);
}

bool ledger_scratch(Eval *E, RunCtx *R, sqlite3 *db, Date as_of, const char **err)
{
	if (!ledger_scratch_open(E, R, db, as_of, err))
		return false;
	bool ok = rules_run_all(E) && totals(R, err);
	if (!ok && !*err)
		*err = "a rule failed (see above)";
	return ok;
}

bool ledger_stored_views(sqlite3 *db, long long run_id, const char *period, StoredAs how, const char **err)
{
	bool drop = how == STORED_DROP;
	for (int i = 0; i < schema_ntables; i++) {
		const TableDef *t = &schema_tables[i];
		if (!t->output || is_history(t))
			continue;
		bool runs = strcmp(t->name, "runs") == 0, by_run = schema_column(t, "run_id") >= 0;
		if (!drop && !by_run && !runs && !carried(t)) {
			*err = "an output table without run_id"; /* not expected: recompute */
			return false;
		}
		/* the rows ledger_scratch would leave, with the run's own instead
		 * of a new one's; rowid too, since scans read it */
		const char *keep = "%s";
		if (runs)
			keep = "%s WHERE coalesce(period >= %Q, 0) = 0 OR id = %lld";
		else if (by_run && carried(t))
			keep = "%s WHERE run_id IS NULL OR run_id NOT IN (SELECT id FROM main.runs WHERE period >= %Q AND id <> %lld)";
		else if (by_run)
			keep = "%s WHERE run_id = %lld";
		char *from = how == STORED_TABLES ? sqlite3_mprintf("DROP TABLE IF EXISTS temp.%s; CREATE TEMP TABLE %s AS SELECT * FROM main.%s",
								     t->name, t->name, t->name)
			   : sqlite3_mprintf("CREATE TEMP VIEW %s AS SELECT rowid AS rowid, * FROM main.%s", t->name, t->name);
		char *sql = drop ? sqlite3_mprintf("DROP VIEW IF EXISTS temp.%s", t->name)
			  : by_run && !carried(t) ? sqlite3_mprintf(keep, from, run_id)
			  : sqlite3_mprintf(keep, from, period, run_id);
		sqlite3_free(from);
		if (!sql)
			abort();
		bool ok = exec(db, sql, err);
		sqlite3_free(sql);
		if (!ok)
			return false;
	}
	return how != STORED_TABLES || ledger_scratch_indexes(db, err);
}

/* ---- the month-end run ---------------------------------------------------- */

static long long count(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

/* One statement with one text parameter; false with *err on failure. */
static bool run_sql(sqlite3 *db, const char *sql, const char *arg, const char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		*err = sqlite3_errmsg(db);
		return false;
	}
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		*err = sqlite3_errmsg(db);
		return false;
	}
	return true;
}

static bool apply_transitions(RunCtx *R, const char **err)
{
	static const char *const sql[] = {
		"UPDATE projects SET status = (SELECT to_status FROM transitions t WHERE t.run_id = ?1 AND t.project_id = projects.id "
		"ORDER BY t.rowid LIMIT 1) WHERE id IN (SELECT project_id FROM transitions WHERE run_id = ?1)",
		"INSERT INTO status_history (project_id, status, changed_on) SELECT project_id, to_status, on_date FROM transitions WHERE run_id = ?1",
	};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(R->db, sql[i], -1, &st, NULL) != SQLITE_OK) {
			*err = sqlite3_errmsg(R->db);
			return false;
		}
		sqlite3_bind_int64(st, 1, R->run_id);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			*err = sqlite3_errmsg(R->db);
			return false;
		}
	}
	return true;
}

long long ledger_rows(const RunCtx *R, const char *table, long long *earlier)
{
	int ti = table_index(schema_table(table));
	*earlier = R->earlier[ti];
	return R->emitted[ti];
}

/* A database error of the run: reported; false. */
static bool db_failed(Run *run, const char *why)
{
	diag_plain(run->P->D, DIAG_ERROR, "%s: %s", run->o->db_path, why ? why : sqlite3_errmsg(run->db));
	run->status = RUN_DBERROR;
	return false;
}

bool ledger_open(Run *run, Program *P, const RunOptions *o)
{
	memset(run, 0, sizeof *run);
	run->P = P;
	run->o = o;
	run->status = RUN_DBERROR;
	Diag *D = P->D;
	char err[512], msg[1024], seqerr[SEQUENCE_ERRSZ];
	const char *why = NULL;
	if (!(run->db = store_open(o->db_path, STORE_WRITE, err, sizeof err))) {
		diag_plain(D, DIAG_ERROR, "%s", err);
		return false;
	}
	date_fmt_month(o->as_of, run->period);
	/* no silent weekends-only calendar */
	xref_calendars(P, run->db);
	if (!exec(run->db, "BEGIN IMMEDIATE", &why)) {
		diag_plain(D, DIAG_ERROR, "%s: %s", o->db_path, strstr(why, "locked") ? "database is locked by another process" : why);
		return false;
	}
	run->open = true;
	/* before this transaction writes: its commit makes it one more */
	run->counted = store_change_counter(run->db, &run->counter);
	if (!sequence_prepare(run->db, run->period, seqerr))
		return db_failed(run, seqerr);
	/* a preview of an open period is a preview of its re-run: its earlier
	 * results are replaced (inside this transaction, which is rolled
	 * back), not counted as released before. A run that would be refused
	 * is previewed against the record, and said so. */
	int may = period_may_run(run->db, run->period, o->skip_gap || o->dry_run, run->skipped, sizeof run->skipped, msg,
				 sizeof msg);
	if (o->dry_run)
		*run->skipped = 0;
	if (may == 3) {
		diag_plain(D, DIAG_ERROR, "%s: %s", o->db_path, msg);
		return false;
	}
	if (may && !o->dry_run) {
		diag_plain(D, DIAG_ERROR, "%s", msg);
		run->status = RUN_REFUSED;
		return false;
	}
	if (may) {
		diag_plain(D, DIAG_NOTE, "%s; this preview counts its recorded rows as released", msg);
		return true;
	}
	/* a re-run of an open period replaces its results; the earlier run
	 * and its rows are kept as superseded (numbered tables are matched
	 * against the earlier run's rows at commit instead) */
	return period_supersede(run->db, run->period, &why) || db_failed(run, why);
}

bool ledger_evaluate(Run *run, Profile *profile)
{
	const RunOptions *o = run->o;
	Eval *E = &run->E;
	eval_init(E, run->P, run->P->A, run->db, o->as_of);
	run->evaluating = true;
	if (o->max_steps)
		E->max_steps = o->max_steps;
	if (o->max_rows)
		E->max_rows = o->max_rows;
	E->max_memory_mb = o->max_memory_mb;
	E->db_name = o->db_path;
	E->progress = o->progress;
	E->profile = profile;
	const char *why = NULL;
	if (!ledger_begin(E, &run->R, run->db, run->period, o->as_of, &why))
		return db_failed(run, why);
	int db_errors = E->D->db_errors;
	if (rules_run_all(E))
		return true;
	/* the database failed under the rules: exit 3, as any database error */
	run->status = E->D->db_errors > db_errors ? RUN_DBERROR : RUN_STOPPED;
	if (run->status == RUN_DBERROR)
		diag_plain(E->D, DIAG_NOTE, "the run stopped at a database error; nothing was written");
	return false;
}

/* The evaluator and the run's statements are done with. */
static void end_evaluation(Run *run)
{
	if (!run->evaluating)
		return;
	ledger_end(&run->R);
	eval_free(&run->E);
	run->evaluating = false;
}

bool ledger_complete(Run *run)
{
	RunCtx *R = &run->R;
	const char *why = NULL;
	char seqerr[SEQUENCE_ERRSZ];
	if (!totals(R, &why))
		return db_failed(run, why);
	/* numbered tables get their numbers now, inside the transaction */
	if (!sequence_commit(run->db, R->run_id, &R->seq, seqerr)) {
		diag_plain(run->P->D, DIAG_ERROR, "%s", seqerr);
		run->status = RUN_STOPPED;
		return false;
	}
	if (run->o->apply_transitions && !run->o->dry_run && !apply_transitions(R, &why))
		return db_failed(run, why);
	char fin[32];
	date_timestamp_utc(fin, sizeof fin);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(run->db, "UPDATE runs SET finished_at = ?, status = 'ok' WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, fin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, R->run_id);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	/* (a database made before the column was added has none) */
	if (run->counted && sqlite3_prepare_v2(run->db, "UPDATE runs SET change_counter = ? WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)run->counter);
		sqlite3_bind_int64(st, 2, R->run_id);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	char id[24];
	snprintf(id, sizeof id, "%lld", R->run_id);
	run->errors = count(run->db, "SELECT count(*) FROM findings WHERE run_id = ? AND severity = 'error'", id);
	run->warnings = count(run->db, "SELECT count(*) FROM findings WHERE run_id = ? AND severity = 'warning'", id);
	end_evaluation(run);
	return true;
}

bool ledger_finish(Run *run)
{
	const char *why = NULL;
	end_evaluation(run);
	run->open = false;
	if (run->o->dry_run) {
		exec(run->db, "ROLLBACK", &why); /* a preview writes nothing */
		return true;
	}
	if (exec(run->db, "COMMIT", &why))
		return true;
	run->open = true; /* rolled back by ledger_close */
	return db_failed(run, why);
}

void ledger_close(Run *run)
{
	end_evaluation(run);
	if (run->open)
		sqlite3_exec(run->db, "ROLLBACK", NULL, NULL, NULL);
	run->open = false;
	sqlite3_close(run->db);
	run->db = NULL;
}
