/* schema.c: table and column definitions of SPEC section 4. */
#include "schema.h"

#include <stdio.h>
#include <string.h>

#define COLS(x) x, (int)(sizeof x / sizeof *x)

static const ColumnDef projects[] = {
	{ "id", COL_TEXT, "id TEXT PRIMARY KEY" }, { "name", COL_TEXT, "name TEXT" },
	{ "customer", COL_TEXT, "customer TEXT" }, { "kind", COL_TEXT, "kind TEXT" },
	{ "status", COL_TEXT, "status TEXT" }, { "country", COL_TEXT, "country TEXT" },
	{ "vat_number", COL_TEXT, "vat_number TEXT" }, { "booked_on", COL_DATE, "booked_on TEXT" },
	{ "sow_signed_on", COL_DATE, "sow_signed_on TEXT" },
	{ "calendar", COL_TEXT, "calendar TEXT DEFAULT 'US'" },
	{ "po_reference", COL_TEXT, "po_reference TEXT" },
	/* version 3: the buyer block of an e-invoice (EN 16931 BG-7, BT-49) */
	{ "customer_street", COL_TEXT, "customer_street TEXT" },
	{ "customer_postcode", COL_TEXT, "customer_postcode TEXT" },
	{ "customer_city", COL_TEXT, "customer_city TEXT" },
	{ "customer_endpoint_scheme", COL_TEXT, "customer_endpoint_scheme TEXT" },
	{ "customer_endpoint_id", COL_TEXT, "customer_endpoint_id TEXT" },
};
static const ColumnDef milestones[] = {
	{ "id", COL_TEXT, "id TEXT PRIMARY KEY" }, { "project_id", COL_TEXT, "project_id TEXT" },
	{ "name", COL_TEXT, "name TEXT" }, { "planned_sign_off_on", COL_DATE, "planned_sign_off_on TEXT" },
	{ "confident", COL_BOOL, "confident INTEGER" }, { "sign_off_sent_on", COL_DATE, "sign_off_sent_on TEXT" },
	{ "sign_off_received_on", COL_DATE, "sign_off_received_on TEXT" },
};
static const ColumnDef time_entries[] = {
	{ "id", COL_INT, "id INTEGER PRIMARY KEY" }, { "project_id", COL_TEXT, "project_id TEXT" },
	{ "person", COL_TEXT, "person TEXT" }, { "role", COL_TEXT, "role TEXT" },
	{ "worked_on", COL_DATE, "worked_on TEXT" }, { "hours", COL_HOURS, "hours TEXT" },
	{ "approved_on", COL_DATE, "approved_on TEXT" }, { "billable", COL_BOOL, "billable INTEGER" },
};
static const ColumnDef allocations[] = {
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "person", COL_TEXT, "person TEXT" },
	{ "role", COL_TEXT, "role TEXT" }, { "week_of", COL_DATE, "week_of TEXT" },
	{ "hours", COL_HOURS, "hours TEXT" }, { "kind", COL_TEXT, "kind TEXT" },
};
static const ColumnDef trainings[] = {
	{ "id", COL_TEXT, "id TEXT PRIMARY KEY" }, { "project_id", COL_TEXT, "project_id TEXT" },
	{ "course", COL_TEXT, "course TEXT" }, { "planned_on", COL_DATE, "planned_on TEXT" },
	{ "delivered_on", COL_DATE, "delivered_on TEXT" },
	{ "roster_received_on", COL_DATE, "roster_received_on TEXT" },
};
static const ColumnDef holidays[] = {
	{ "calendar", COL_TEXT, "calendar TEXT NOT NULL" }, { "day", COL_DATE, "day TEXT NOT NULL" },
	{ "name", COL_TEXT, "name TEXT" },
};
static const ColumnDef status_history[] = {
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "status", COL_TEXT, "status TEXT" },
	{ "changed_on", COL_DATE, "changed_on TEXT" },
};
static const ColumnDef opportunities[] = {
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "stage", COL_INT, "stage INTEGER" },
	{ "forecast_category", COL_TEXT, "forecast_category TEXT" },
	{ "sow_agreed", COL_BOOL, "sow_agreed INTEGER" }, { "quote_created", COL_BOOL, "quote_created INTEGER" },
	{ "msa_executed", COL_BOOL, "msa_executed INTEGER" },
	{ "close_plan_agreed", COL_BOOL, "close_plan_agreed INTEGER" },
	{ "skills_pushed", COL_BOOL, "skills_pushed INTEGER" },
	{ "intake_complete", COL_BOOL, "intake_complete INTEGER" },
};
static const ColumnDef health_reports[] = {
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "week_of", COL_DATE, "week_of TEXT" },
	{ "overall", COL_TEXT, "overall TEXT" }, { "schedule", COL_TEXT, "schedule TEXT" },
	{ "scope", COL_TEXT, "scope TEXT" }, { "budget", COL_TEXT, "budget TEXT" },
	{ "client", COL_TEXT, "client TEXT" }, { "submitted_on", COL_DATE, "submitted_on TEXT" },
};
static const ColumnDef partner_invoices[] = {
	{ "id", COL_TEXT, "id TEXT PRIMARY KEY" }, { "partner", COL_TEXT, "partner TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "period", COL_PERIOD, "period TEXT" },
	{ "hours", COL_HOURS, "hours TEXT" }, { "rate", COL_DECIMAL, "rate TEXT" },
	{ "amount", COL_DECIMAL, "amount TEXT" },
};
static const ColumnDef people[] = {
	{ "person", COL_TEXT, "person TEXT PRIMARY KEY" }, { "partner", COL_TEXT, "partner TEXT" },
};
static const ColumnDef service_logs[] = {
	{ "id", COL_TEXT, "id TEXT PRIMARY KEY" }, { "customer", COL_TEXT, "customer TEXT" },
	{ "logged_on", COL_DATE, "logged_on TEXT" }, { "service_type", COL_TEXT, "service_type TEXT" },
	{ "title", COL_TEXT, "title TEXT" }, { "minutes", COL_INT, "minutes INTEGER" },
	/* version 3: a log belongs to a SOW by id (or to its project's SOW),
	 * never by the customer's display name */
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "sow_id", COL_TEXT, "sow_id TEXT" },
};
static const ColumnDef invoices[] = {
	{ "id", COL_TEXT, "id TEXT PRIMARY KEY" }, { "customer", COL_TEXT, "customer TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "invoice_on", COL_DATE, "invoice_on TEXT" },
	{ "currency", COL_TEXT, "currency TEXT" }, { "amount", COL_MONEY, "amount TEXT" },
	{ "credit_of", COL_TEXT, "credit_of TEXT" }, { "reason", COL_TEXT, "reason TEXT" },
};
static const ColumnDef fx_rates[] = {
	{ "day", COL_DATE, "day TEXT" }, { "base", COL_TEXT, "base TEXT" },
	{ "quote", COL_TEXT, "quote TEXT" }, { "rate", COL_DECIMAL, "rate TEXT" },
};
static const ColumnDef runs[] = {
	{ "id", COL_INT, "id INTEGER PRIMARY KEY" }, { "period", COL_PERIOD, "period TEXT" },
	{ "as_of", COL_DATE, "as_of TEXT" }, { "started_at", COL_TEXT, "started_at TEXT" },
	{ "finished_at", COL_TEXT, "finished_at TEXT" }, { "rules_digest", COL_TEXT, "rules_digest TEXT" },
	{ "status", COL_TEXT, "status TEXT" },
	/* the database file's change counter when the run began (its commit
	 * adds one): while it is one more, nothing was written since, and the
	 * REPL reads this run's rows instead of recomputing them */
	{ "change_counter", COL_INT, "change_counter INTEGER" },
};
static const ColumnDef revenue[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "period", COL_PERIOD, "period TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "source", COL_TEXT, "source TEXT" },
	{ "source_id", COL_TEXT, "source_id TEXT" }, { "amount", COL_MONEY, "amount TEXT" },
	{ "currency", COL_TEXT, "currency TEXT" }, { "recognized_on", COL_DATE, "recognized_on TEXT" },
	{ "basis", COL_TEXT, "basis TEXT" }, { "rule", COL_TEXT, "rule TEXT" },
};
static const ColumnDef billing[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "period", COL_PERIOD, "period TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "source_id", COL_TEXT, "source_id TEXT" },
	{ "amount", COL_MONEY, "amount TEXT" }, { "currency", COL_TEXT, "currency TEXT" },
	{ "bill_on", COL_DATE, "bill_on TEXT" }, { "reason", COL_TEXT, "reason TEXT" },
	{ "rule", COL_TEXT, "rule TEXT" },
};
static const ColumnDef forecast[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "project_id", COL_TEXT, "project_id TEXT" },
	{ "fiscal_quarter", COL_TEXT, "fiscal_quarter TEXT" }, { "amount", COL_MONEY, "amount TEXT" },
	{ "currency", COL_TEXT, "currency TEXT" }, { "basis", COL_TEXT, "basis TEXT" },
	{ "rule", COL_TEXT, "rule TEXT" },
};
static const ColumnDef transitions[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "project_id", COL_TEXT, "project_id TEXT" },
	{ "from_status", COL_TEXT, "from_status TEXT" }, { "to_status", COL_TEXT, "to_status TEXT" },
	{ "on_date", COL_DATE, "on_date TEXT" }, { "reason", COL_TEXT, "reason TEXT" },
	{ "rule", COL_TEXT, "rule TEXT" },
};
static const ColumnDef findings[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "project_id", COL_TEXT, "project_id TEXT" },
	{ "severity", COL_TEXT, "severity TEXT" }, { "code", COL_TEXT, "code TEXT" },
	{ "message", COL_TEXT, "message TEXT" }, { "subject", COL_TEXT, "subject TEXT" },
	{ "rule", COL_TEXT, "rule TEXT" },
};
/* SPEC 8.6: work in progress per project and currency at the period end */
static const ColumnDef balances[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "period", COL_PERIOD, "period TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "currency", COL_TEXT, "currency TEXT" },
	{ "recognized_to_date", COL_MONEY, "recognized_to_date TEXT" }, { "billed_to_date", COL_MONEY, "billed_to_date TEXT" },
	{ "unbilled", COL_MONEY, "unbilled TEXT" }, { "deferred", COL_MONEY, "deferred TEXT" },
	{ "rule", COL_TEXT, "rule TEXT" },
};

static const ColumnDef periods[] = {
	{ "period", COL_PERIOD, "period TEXT PRIMARY KEY" }, { "closed_at", COL_TEXT, "closed_at TEXT" },
};
/* every close and reopen (SPEC 8.1) */
static const ColumnDef period_events[] = {
	{ "period", COL_PERIOD, "period TEXT" }, { "action", COL_TEXT, "action TEXT" },
	{ "reason", COL_TEXT, "reason TEXT" }, { "by", COL_TEXT, "\"by\" TEXT" }, { "at", COL_TEXT, "at TEXT" },
};
static const ColumnDef revenue_totals[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "period", COL_PERIOD, "period TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "currency", COL_TEXT, "currency TEXT" },
	{ "amount", COL_MONEY, "amount TEXT" },
	{ "reporting_currency", COL_TEXT, "reporting_currency TEXT" },
	{ "reporting_amount", COL_MONEY, "reporting_amount TEXT" },
};
/* The forecast of a run by fiscal quarter and currency (SPEC 8.3): each sum
 * exact, rounded once; actual is released revenue, forecast the rest. */
static const ColumnDef forecast_totals[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "fiscal_quarter", COL_TEXT, "fiscal_quarter TEXT" },
	{ "currency", COL_TEXT, "currency TEXT" }, { "amount", COL_MONEY, "amount TEXT" },
	{ "actual_amount", COL_MONEY, "actual_amount TEXT" }, { "forecast_amount", COL_MONEY, "forecast_amount TEXT" },
	{ "reporting_currency", COL_TEXT, "reporting_currency TEXT" },
	{ "reporting_amount", COL_MONEY, "reporting_amount TEXT" },
};
/* Lines of a run converted into the reporting currency by the rules of
 * rules/std/reporting.sow (kind revenue, billing or forecast), exact; the
 * totals above add them up. reporting_amount is NULL when no rate exists. */
static const ColumnDef reporting_lines[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "kind", COL_TEXT, "kind TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "fiscal_quarter", COL_TEXT, "fiscal_quarter TEXT" },
	{ "on_date", COL_DATE, "on_date TEXT" }, { "amount", COL_MONEY, "amount TEXT" },
	{ "currency", COL_TEXT, "currency TEXT" }, { "rate", COL_DECIMAL, "rate TEXT" },
	{ "reporting_currency", COL_TEXT, "reporting_currency TEXT" },
	{ "reporting_amount", COL_MONEY, "reporting_amount TEXT" }, { "rule", COL_TEXT, "rule TEXT" },
};
/* Invoice drafts (SPEC 8.5): written by rules in a run (number is then a
 * provisional key the run replaces at commit, see sequence.c), and by
 * sow credit; status draft, final, sent or void. */
static const ColumnDef invoice_drafts[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "number", COL_TEXT, "number TEXT" },
	{ "project_id", COL_TEXT, "project_id TEXT" }, { "customer", COL_TEXT, "customer TEXT" },
	{ "invoice_on", COL_DATE, "invoice_on TEXT" }, { "due_on", COL_DATE, "due_on TEXT" },
	{ "currency", COL_TEXT, "currency TEXT" }, { "net", COL_MONEY, "net TEXT" },
	{ "vat_rate", COL_DECIMAL, "vat_rate TEXT" }, { "vat", COL_MONEY, "vat TEXT" },
	{ "gross", COL_MONEY, "gross TEXT" }, { "vat_text", COL_TEXT, "vat_text TEXT" },
	{ "po_reference", COL_TEXT, "po_reference TEXT" }, { "books_currency", COL_TEXT, "books_currency TEXT" },
	{ "fx_rate", COL_DECIMAL, "fx_rate TEXT" }, { "books_gross", COL_DECIMAL, "books_gross TEXT" },
	{ "status", COL_TEXT, "status TEXT" }, { "credit_of", COL_TEXT, "credit_of TEXT" },
	{ "rule", COL_TEXT, "rule TEXT" },
	/* SPEC 9.1: invoice, supplementary (for more than the record of its
	 * project and bill date: supplement_of the original) or credit */
	{ "kind", COL_TEXT, "kind TEXT" }, { "supplement_of", COL_TEXT, "supplement_of TEXT" },
};
static const ColumnDef invoice_lines[] = {
	{ "run_id", COL_INT, "run_id INTEGER" }, { "number", COL_TEXT, "number TEXT" },
	{ "line", COL_INT, "line INTEGER" }, { "description", COL_TEXT, "description TEXT" },
	{ "quantity", COL_DECIMAL, "quantity TEXT" }, { "unit", COL_TEXT, "unit TEXT" },
	{ "unit_price", COL_MONEY, "unit_price TEXT" }, { "amount", COL_MONEY, "amount TEXT" },
	{ "source_id", COL_TEXT, "source_id TEXT" },
};
/* Who issues the invoices (one row): the seller block of every invoice. */
static const ColumnDef seller[] = {
	{ "name", COL_TEXT, "name TEXT" }, { "address", COL_TEXT, "address TEXT" },
	{ "country", COL_TEXT, "country TEXT" }, { "vat_number", COL_TEXT, "vat_number TEXT" },
	{ "chamber_of_commerce", COL_TEXT, "chamber_of_commerce TEXT" }, { "email", COL_TEXT, "email TEXT" },
	{ "iban", COL_TEXT, "iban TEXT" },
	/* version 3: the seller block of an e-invoice (EN 16931 BG-4, BT-34,
	 * BT-86); chamber_of_commerce is the KvK number, Peppol scheme 0106 */
	{ "street", COL_TEXT, "street TEXT" }, { "postcode", COL_TEXT, "postcode TEXT" },
	{ "city", COL_TEXT, "city TEXT" }, { "bic", COL_TEXT, "bic TEXT" },
	{ "endpoint_scheme", COL_TEXT, "endpoint_scheme TEXT" }, { "endpoint_id", COL_TEXT, "endpoint_id TEXT" },
};
/* The last number drawn from each gap-free sequence, per calendar year. */
static const ColumnDef sequences[] = {
	{ "name", COL_TEXT, "name TEXT NOT NULL" }, { "year", COL_INT, "year INTEGER NOT NULL" },
	{ "last", COL_INT, "last INTEGER NOT NULL" },
};

const TableDef schema_tables[] = {
	{ "projects", COLS(projects), "id", NULL, 0 },
	{ "milestones", COLS(milestones), "id", NULL, 0 },
	{ "time_entries", COLS(time_entries), "id", NULL, 0 },
	{ "allocations", COLS(allocations), NULL, NULL, 0 },
	{ "trainings", COLS(trainings), "id", NULL, 0 },
	{ "holidays", COLS(holidays), NULL, "PRIMARY KEY (calendar, day)", 0 },
	{ "status_history", COLS(status_history), NULL, NULL, 0 },
	{ "opportunities", COLS(opportunities), "project_id", NULL, 0 },
	{ "health_reports", COLS(health_reports), NULL, NULL, 0 },
	{ "partner_invoices", COLS(partner_invoices), "id", NULL, 0 },
	{ "people", COLS(people), "person", NULL, 0 },
	{ "service_logs", COLS(service_logs), "id", NULL, 0 },
	{ "invoices", COLS(invoices), "id", NULL, 0 },
	{ "fx_rates", COLS(fx_rates), NULL, NULL, 0 },
	{ "runs", COLS(runs), "id", NULL, 2 },
	{ "revenue", COLS(revenue), NULL, NULL, 1 },
	{ "billing", COLS(billing), NULL, NULL, 1 },
	{ "forecast", COLS(forecast), NULL, NULL, 1 },
	{ "transitions", COLS(transitions), NULL, NULL, 1 },
	{ "findings", COLS(findings), NULL, NULL, 1 },
	{ "balances", COLS(balances), NULL, NULL, 1 },
	{ "periods", COLS(periods), "period", NULL, 2 },
	{ "revenue_totals", COLS(revenue_totals), NULL, NULL, 2 },
	{ "forecast_totals", COLS(forecast_totals), NULL, NULL, 2 },
	{ "reporting_lines", COLS(reporting_lines), NULL, NULL, 1 },
	{ "seller", COLS(seller), NULL, NULL, 0 },
	{ "invoice_drafts", COLS(invoice_drafts), "number", NULL, 1 },
	{ "invoice_lines", COLS(invoice_lines), NULL, NULL, 1 },
	{ "sequences", COLS(sequences), NULL, "PRIMARY KEY (name, year)", 2 },
	{ "period_events", COLS(period_events), NULL, NULL, 2 },
	/* the rows of superseded runs (re-run or reopened periods), never
	 * deleted: NAME_history has NAME's columns (period.c moves them) */
	{ "revenue_history", COLS(revenue), NULL, NULL, 2 },
	{ "billing_history", COLS(billing), NULL, NULL, 2 },
	{ "forecast_history", COLS(forecast), NULL, NULL, 2 },
	{ "transitions_history", COLS(transitions), NULL, NULL, 2 },
	{ "findings_history", COLS(findings), NULL, NULL, 2 },
	{ "revenue_totals_history", COLS(revenue_totals), NULL, NULL, 2 },
	{ "forecast_totals_history", COLS(forecast_totals), NULL, NULL, 2 },
	{ "reporting_lines_history", COLS(reporting_lines), NULL, NULL, 2 },
	{ "balances_history", COLS(balances), NULL, NULL, 2 },
};
const int schema_ntables = (int)(sizeof schema_tables / sizeof *schema_tables);

/* The views SPEC 4 and 8.3 define: rows of a totals table under another
 * name (revenue_by_project without the run id), read like a table. */
const TableDef schema_views[] = {
	{ "revenue_by_project", revenue_totals + 1, (int)(sizeof revenue_totals / sizeof *revenue_totals) - 1, NULL, NULL, 2 },
	{ "forecast_by_quarter", COLS(forecast_totals), NULL, NULL, 2 },
};
const int schema_nviews = (int)(sizeof schema_views / sizeof *schema_views);
static const char *const view_of[] = { "revenue_totals", "forecast_totals" };

const TableDef *schema_view(const char *name)
{
	for (int i = 0; i < schema_nviews; i++)
		if (strcmp(schema_views[i].name, name) == 0)
			return &schema_views[i];
	return NULL;
}

void schema_view_sql(const TableDef *v, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "SELECT rowid AS rowid");
	for (int c = 0; c < v->ncols && n < size; c++)
		n += (size_t)snprintf(buf + n, size - n, ", \"%s\"", v->cols[c].name);
	if (n < size)
		snprintf(buf + n, size - n, " FROM \"%s\"", view_of[v - schema_views]);
}

const TableDef *schema_table(const char *name)
{
	for (int i = 0; i < schema_ntables; i++)
		if (strcmp(schema_tables[i].name, name) == 0)
			return &schema_tables[i];
	return NULL;
}

int schema_column(const TableDef *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

int schema_currency_of(const char *col, int (*find)(const void *cols, const char *name), const void *cols)
{
	char name[128];
	size_t len = strlen(col);
	for (;;) {
		if (len + sizeof "_currency" > sizeof name)
			break;
		snprintf(name, sizeof name, "%.*s_currency", (int)len, col);
		int c = find(cols, name);
		if (c >= 0)
			return c;
		while (len > 0 && col[len - 1] != '_')
			len--;
		if (len-- == 0)
			break;
	}
	return find(cols, "currency");
}

static int find_in_table(const void *t, const char *name) { return schema_column(t, name); }

int schema_currency_column(const TableDef *t, const char *col)
{
	return schema_currency_of(col, find_in_table, t);
}

const char *coltype_name(ColType t)
{
	static const char *const names[] = { "text", "date", "decimal", "hours", "money", "int", "bool", "period" };
	return names[t];
}

void schema_table_sql(const TableDef *t, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "CREATE TABLE IF NOT EXISTS %s (", t->name);
	for (int c = 0; c < t->ncols && n < size; c++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", c ? ", " : "", t->cols[c].sql);
	if (t->extra && n < size)
		n += (size_t)snprintf(buf + n, size - n, ", %s", t->extra);
	if (n < size)
		snprintf(buf + n, size - n, ")");
}

const char schema_index_sql[] =
	"CREATE INDEX IF NOT EXISTS milestones_project ON milestones(project_id);\n"
	"CREATE INDEX IF NOT EXISTS time_entries_project ON time_entries(project_id, approved_on);\n"
	"CREATE INDEX IF NOT EXISTS trainings_project ON trainings(project_id);\n"
	"CREATE INDEX IF NOT EXISTS allocations_project ON allocations(project_id, week_of);\n"
	"CREATE INDEX IF NOT EXISTS revenue_run ON revenue(run_id);\n"
	/* each source row is released once, ever; each billing line raised once */
	"CREATE UNIQUE INDEX IF NOT EXISTS revenue_once ON revenue(source, source_id);\n"
	"CREATE UNIQUE INDEX IF NOT EXISTS billing_once ON billing(project_id, source_id, reason);\n"
	"CREATE INDEX IF NOT EXISTS runs_period ON runs(period);\n"
	"CREATE INDEX IF NOT EXISTS revenue_project ON revenue(project_id, period);\n"
	"CREATE INDEX IF NOT EXISTS health_reports_project ON health_reports(project_id, week_of);\n"
	"CREATE INDEX IF NOT EXISTS status_history_project ON status_history(project_id, changed_on);\n"
	"CREATE INDEX IF NOT EXISTS revenue_totals_run ON revenue_totals(run_id);\n"
	"CREATE INDEX IF NOT EXISTS billing_project ON billing(project_id, period);\n"
	"CREATE INDEX IF NOT EXISTS balances_run ON balances(run_id);\n"
	"CREATE INDEX IF NOT EXISTS invoice_drafts_number ON invoice_drafts(number);\n"
	"CREATE INDEX IF NOT EXISTS invoice_drafts_run ON invoice_drafts(run_id);\n"
	"CREATE INDEX IF NOT EXISTS invoice_lines_number ON invoice_lines(number, line);\n"
	"CREATE INDEX IF NOT EXISTS revenue_history_source ON revenue_history(source, source_id);\n"
	/* the period's lines summed, then rounded once (sow run computes it exactly) */
	"CREATE INDEX IF NOT EXISTS forecast_totals_run ON forecast_totals(run_id);\n"
	"CREATE INDEX IF NOT EXISTS reporting_lines_run ON reporting_lines(run_id, kind);\n"
	/* fx_rate_on: the latest rate of a pair on or before a day */
	"CREATE INDEX IF NOT EXISTS fx_rates_pair ON fx_rates(base, quote, day);\n"
	/* views are replaced, so that an upgraded database gets their new columns */
	"DROP VIEW IF EXISTS revenue_by_project;\n"
	"CREATE VIEW revenue_by_project AS\n"
	"  SELECT period, project_id, currency, amount, reporting_currency, reporting_amount FROM revenue_totals;\n"
	"DROP VIEW IF EXISTS forecast_by_quarter;\n"
	"CREATE VIEW forecast_by_quarter AS\n"
	"  SELECT run_id, fiscal_quarter, currency, amount, reporting_currency, reporting_amount, actual_amount, forecast_amount\n"
	"  FROM forecast_totals;\n"
	/* IFRS 15.116-118 / ASC 606-10-50-8: each period's contract balances
	 * rolled forward, one row per project, currency and item (opening and
	 * closing contract assets and liabilities from balances, the period's
	 * revenue, the part of it out of the opening liability, its billings);
	 * the amounts are the stored exact texts, summed exactly by sow's pack.
	 * Only the choice of the smaller of two amounts compares as SQLite
	 * numbers; the value taken is the exact text. */
	"DROP VIEW IF EXISTS contract_balance_rollforward;\n"
	"CREATE VIEW contract_balance_rollforward AS\n"
	"  WITH c AS (\n"
	"    SELECT b.run_id, b.period, b.project_id, b.currency, b.unbilled, b.deferred,\n"
	"      (SELECT p.unbilled FROM balances p WHERE p.project_id = b.project_id AND p.currency = b.currency\n"
	"        AND p.period < b.period ORDER BY p.period DESC LIMIT 1) AS open_asset,\n"
	"      (SELECT p.deferred FROM balances p WHERE p.project_id = b.project_id AND p.currency = b.currency\n"
	"        AND p.period < b.period ORDER BY p.period DESC LIMIT 1) AS open_liability,\n"
	"      (SELECT t.amount FROM revenue_totals t WHERE t.run_id = b.run_id AND t.project_id = b.project_id\n"
	"        AND t.currency = b.currency) AS revenue\n"
	"    FROM balances b)\n"
	"  SELECT run_id, period, project_id, currency, 1 AS line, 'opening contract assets' AS item,\n"
	"    coalesce(open_asset, '0') AS amount FROM c\n"
	"  UNION ALL SELECT run_id, period, project_id, currency, 2, 'opening contract liabilities', coalesce(open_liability, '0') FROM c\n"
	"  UNION ALL SELECT run_id, period, project_id, currency, 3, 'revenue recognized', coalesce(revenue, '0') FROM c\n"
	"  UNION ALL SELECT run_id, period, project_id, currency, 4, 'of which out of the opening contract liabilities',\n"
	"    CASE WHEN open_liability IS NULL OR revenue IS NULL THEN '0'\n"
	"      WHEN CAST(open_liability AS REAL) < CAST(revenue AS REAL) THEN open_liability ELSE revenue END FROM c\n"
	"  UNION ALL SELECT b.run_id, b.period, b.project_id, b.currency, 5, 'billings', b.amount FROM billing b\n"
	/* Finance's own credits (sow credit: no run) bill less than the billing
	 * rows say; balances count them (rules/std/balances.sow), so does this. */
	"  UNION ALL SELECT c.run_id, c.period, c.project_id, c.currency, 5, 'credit notes', d.net FROM c\n"
	"    JOIN invoice_drafts d ON d.project_id = c.project_id AND d.currency = c.currency\n"
	"    AND d.run_id IS NULL AND d.credit_of IS NOT NULL AND d.status <> 'void'\n"
	"    AND substr(d.invoice_on, 1, 7) = c.period\n"
	"  UNION ALL SELECT run_id, period, project_id, currency, 6, 'closing contract assets', unbilled FROM c\n"
	"  UNION ALL SELECT run_id, period, project_id, currency, 7, 'closing contract liabilities', deferred FROM c;\n"
	/* IFRS 15.120 / ASC 606-10-50-13: the forecast of work not yet done on
	 * fixed-price SOWs. Time and materials (the allocation-based lines of
	 * rules/std/forecast.sow) is left out under the right-to-invoice
	 * expedient (IFRS 15.121(b), ASC 606-10-50-14(b)); released lines are
	 * revenue already. */
	"DROP VIEW IF EXISTS remaining_performance_obligations;\n"
	"CREATE VIEW remaining_performance_obligations AS\n"
	"  SELECT run_id, fiscal_quarter, project_id, currency, amount, basis FROM forecast\n"
	"  WHERE basis <> 'released' AND basis NOT LIKE 'allocation_%';\n";

void schema_insert_sql(const char *table, const char *const *cols, int n, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "INSERT INTO \"%s\" (", table);
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s\"%s\"", i ? ", " : "", cols[i]);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, ") VALUES (");
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s?", i ? ", " : "");
	if (len < size)
		snprintf(buf + len, size - len, ")");
	if (n == 0)
		snprintf(buf, size, "INSERT INTO \"%s\" DEFAULT VALUES", table);
}
