/* journal.c: the general-ledger journal of a period (sow journal, SPEC 9.2).
 *
 * Every project's history is replayed in date order, from its first
 * released revenue and its first final invoice: revenue moves its position
 * (recognized less billed) up, an invoice or credit moves it down by its
 * net. A positive position is a contract asset, a negative one a contract
 * liability (IFRS 15.105-107), so an entry debits or credits whichever the
 * move crosses. In the books currency a balance grows at the rate of the
 * amount that raises it (the run's rate of a revenue day, the invoice's
 * rate) and is relieved at its carrying amount, in proportion; the
 * difference is an exchange gain or loss. Each total is rounded to the
 * cent once; what the lines' own roundings differ from it goes to the
 * rounding account. Only the entries of the period asked are written; the
 * earlier ones give the opening balances. The database is opened read-only. */
#include "journal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "format.h"
#include "map.h"
#include "money.h"
#include "store.h"

typedef struct {
	char *id, *country, *kind, *customer;
	Dec asset, liab, asset_b, liab_b; /* liab: a magnitude; _b: carrying in the books currency */
} Proj;

typedef struct {
	const AccountRule *acct;
	Dec amt, books;                   /* debit positive */
	char *memo, *source, *source_id;
} Line;

typedef struct {
	int type;                         /* 0 revenue, 1 invoice */
	char date[DATE_BUFSZ];
	char *desc, *project, *invoice;
	char cur[8];
	long long run;                    /* 0: none (a credit made by sow credit) */
	Line *lines;
	int n, cap;
} Entry;

typedef struct {
	sqlite3 *db;
	const char *path;
	const Accounts *acc;
	char books[8];
	Dec step;                         /* the books currency's minor unit */
	Map projects;
	Entry *e;
	int n, cap;
	char *err;
	size_t errsize;
	bool failed;
} J;

static const Dec zero = { 0, 0 };

static bool fail(J *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(J *j, const char *fmt, ...)
{
	if (!j->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(j->err, j->errsize, fmt, ap);
		va_end(ap);
	}
	j->failed = true;
	return false;
}

static char *sdup(const char *s) { return strdup(s ? s : ""); }

static void *grow(void *p, int *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 16;
	void *q = realloc(p, (size_t)*cap * size);
	if (!q)
		abort();
	return q;
}

static const char *text(sqlite3_stmt *st, int c) { return (const char *)sqlite3_column_text(st, c); }

static bool dec_col(J *j, sqlite3_stmt *st, int c, const char *what, const char *row, Dec *out)
{
	const char *s = text(st, c);
	if (!s || dec_parse(s, strlen(s), out) != DEC_OK)
		return fail(j, "%s: %s: %s is %s%s%s, not an exact decimal", j->path, row, what, s ? "'" : "unset", s ? s : "",
			    s ? "'" : "");
	return true;
}

/* ---- exact arithmetic that cannot fail on money-sized values ----------- */

static Dec add(J *j, Dec a, Dec b)
{
	Dec r = zero;
	if (dec_add(a, b, &r) != DEC_OK)
		fail(j, "%s: an amount overflowed", j->path);
	return r;
}
static Dec sub(J *j, Dec a, Dec b) { return add(j, a, dec_neg(b)); }
static Dec max0(Dec a) { return dec_sign(a) > 0 ? a : zero; }

/* round(a * b / c) to the books' minor unit, half away from zero. */
static Dec muldiv(J *j, Dec a, Dec b, Dec c, Dec step)
{
	Dec t, r = zero;
	if (dec_mul(a, b, &t) != DEC_OK || dec_div_round(t, c, step, ROUND_HALF_UP, &r) != DEC_OK)
		fail(j, "%s: an amount cannot be converted exactly", j->path);
	return r;
}
static Dec cents(J *j, Dec a, const char *cur)
{
	Dec r = zero;
	if (!money_round_total(a, cur, &r))
		fail(j, "%s: %s is not a currency with a minor unit", j->path, cur);
	return r;
}
static Dec mul(J *j, Dec a, Dec b)
{
	Dec r = zero;
	if (dec_mul(a, b, &r) != DEC_OK)
		fail(j, "%s: an amount overflowed", j->path);
	return r;
}

/* ---- entries ----------------------------------------------------------- */

static Entry *entry_new(J *j, int type, const char *date, const char *cur, long long run, const char *project,
			const char *invoice, char *desc)
{
	if (j->n == j->cap)
		j->e = grow(j->e, &j->cap, sizeof *j->e);
	Entry *e = &j->e[j->n++];
	memset(e, 0, sizeof *e);
	e->type = type;
	snprintf(e->date, sizeof e->date, "%s", date);
	snprintf(e->cur, sizeof e->cur, "%s", cur);
	e->run = run;
	e->project = sdup(project);
	e->invoice = invoice ? sdup(invoice) : NULL;
	e->desc = desc;
	return e;
}

static void entry_free(Entry *e)
{
	for (int i = 0; i < e->n; i++) {
		free(e->lines[i].memo);
		free(e->lines[i].source);
		free(e->lines[i].source_id);
	}
	free(e->lines);
	free(e->desc);
	free(e->project);
	free(e->invoice);
}

static char *fmtstr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmtstr(const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!s)
		abort();
	vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	return s;
}

static void line(J *j, Entry *e, AccountKind k, const AccountFacts *f, Dec amt, Dec books, char *memo,
		 const char *source, const char *source_id)
{
	if (dec_sign(amt) == 0 && dec_sign(books) == 0) {
		free(memo);
		return;
	}
	if (e->n == e->cap)
		e->lines = grow(e->lines, &e->cap, sizeof *e->lines);
	e->lines[e->n++] = (Line){ accounts_find(j->acc, k, f), amt, books, memo, source ? sdup(source) : NULL,
				   source_id ? sdup(source_id) : NULL };
}

/* The books value of part of a move whose whole (delta, in its currency)
 * is worth whole_b at the rate of the day: in proportion. */
static Dec at_rate(J *j, Dec whole_b, Dec part, Dec delta)
{
	if (dec_sign(part) == 0)
		return zero;
	if (dec_cmp(part, delta) == 0)
		return whole_b;
	return muldiv(j, whole_b, part, delta, j->step);
}

/* The books change of a balance (a magnitude bal, carried at carry) that
 * moves by d: growth at the rate of the day (at), relief at the carrying
 * amount in proportion (all of it when the balance is cleared). */
static Dec carry_move(J *j, Dec bal, Dec carry, Dec d, Dec at)
{
	if (dec_sign(d) >= 0)
		return at;
	Dec r = dec_neg(d);
	if (dec_cmp(r, bal) >= 0)
		return dec_neg(carry);
	return dec_neg(muldiv(j, carry, r, bal, j->step));
}

/* Move p's position by delta (worth delta_b in the books): the contract
 * asset and liability lines of e, and the balances after them. */
static void contract_lines(J *j, Entry *e, Proj *p, const AccountFacts *f, Dec delta, Dec delta_b)
{
	Dec pos = sub(j, p->asset, p->liab);
	Dec q = add(j, pos, delta);
	Dec dA = sub(j, max0(q), max0(pos));
	Dec dL = sub(j, max0(dec_neg(q)), max0(dec_neg(pos)));
	Dec dAb = carry_move(j, p->asset, p->asset_b, dA, at_rate(j, delta_b, dA, delta));
	Dec dLb = carry_move(j, p->liab, p->liab_b, dL, dec_neg(at_rate(j, delta_b, dec_neg(dL), delta)));
	line(j, e, ACC_CONTRACT_ASSET, f, dA, dAb, fmtstr("contract asset of %s", p->id), NULL, NULL);
	line(j, e, ACC_CONTRACT_LIABILITY, f, dec_neg(dL), dec_neg(dLb), fmtstr("contract liability of %s", p->id), NULL,
	     NULL);
	p->asset = add(j, p->asset, dA);
	p->asset_b = add(j, p->asset_b, dAb);
	p->liab = add(j, p->liab, dL);
	p->liab_b = add(j, p->liab_b, dLb);
}

/* What is left unbalanced in the books currency is an exchange difference. */
static void fx_line(J *j, Entry *e, const AccountFacts *f, const char *why)
{
	Dec s = zero;
	for (int i = 0; i < e->n; i++)
		s = add(j, s, e->lines[i].books);
	if (dec_sign(s) == 0)
		return;
	Dec b = dec_neg(s);
	line(j, e, dec_sign(b) > 0 ? ACC_FX_LOSS : ACC_FX_GAIN, f, zero, b, fmtstr("exchange difference: %s", why), NULL,
	     NULL);
}

static void facts_of(const Proj *p, const char *cur, AccountFacts *f)
{
	memset(f, 0, sizeof *f);
	f->country = p->country;
	f->kind = p->kind;
	f->currency = cur;
}

static bool books_of(J *j, const char *cur, const char *where)
{
	if (!cur)
		return true;
	if (!j->books[0]) {
		int minor = money_minor_unit(cur);
		if (minor < 0)
			return fail(j, "%s: %s: books currency '%s' is not a currency", j->path, where, cur);
		snprintf(j->books, sizeof j->books, "%s", cur);
		j->step = (Dec){ 1, minor };
	} else if (strcmp(j->books, cur) != 0) {
		return fail(j, "%s: %s is converted into %s, other amounts into %s: one journal has one books currency", j->path,
			    where, cur, j->books);
	}
	return true;
}

/* ---- the replay ---------------------------------------------------------- */

typedef struct {
	char *source, *source_id, *recognized_on, *basis;
	Dec amt, rate;
} RevRow;

static Proj *project(J *j, const char *id)
{
	Proj *p = map_get(&j->projects, id);
	if (p)
		return p;
	p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->id = sdup(id);
	map_put(&j->projects, p->id, p);
	return p;
}

/* One project's revenue of one run: one entry at the run's as-of date. */
static void revenue_entry(J *j, Proj *p, const char *date, long long run, const char *period, const char *cur,
			  RevRow *rows, int n)
{
	Dec T = zero, Tb = zero, sum = zero, sum_b = zero;
	Entry *e = entry_new(j, 0, date, cur, run, p->id, NULL,
			     fmtstr("revenue of %s %s, %s (run %lld)", p->id, p->customer ? p->customer : "", period, run));
	AccountFacts f;
	for (int i = 0; i < n; i++) {
		facts_of(p, cur, &f);
		f.source = rows[i].source;
		f.basis = rows[i].basis;
		Dec exact_b = mul(j, rows[i].amt, rows[i].rate);
		T = add(j, T, rows[i].amt);
		Tb = add(j, Tb, exact_b);
		Dec a = cents(j, rows[i].amt, cur), b = cents(j, exact_b, j->books);
		sum = add(j, sum, a);
		sum_b = add(j, sum_b, b);
		line(j, e, ACC_REVENUE, &f, dec_neg(a), dec_neg(b),
		     fmtstr("%s %s %s, recognized %s (%s)", p->id, rows[i].source, rows[i].source_id, rows[i].recognized_on,
			    rows[i].basis ? rows[i].basis : ""),
		     rows[i].source, rows[i].source_id);
	}
	/* each total rounded once: the project's revenue as revenue_by_project has it */
	T = cents(j, T, cur);
	Tb = cents(j, Tb, j->books);
	facts_of(p, cur, &f);
	contract_lines(j, e, p, &f, T, Tb);
	line(j, e, ACC_ROUNDING, &f, sub(j, sum, T), sub(j, sum_b, Tb),
	     fmtstr("rounding: the lines of %s against their total, rounded once", p->id), NULL, NULL);
	fx_line(j, e, &f, "contract liability relieved at its carrying amount");
}

static void invoice_entry(J *j, Proj *p, sqlite3_stmt *st, const char *cur)
{
	const char *number = text(st, 5), *credit_of = text(st, 16);
	Dec net, vat, gross, fx, gross_b, rate = zero;
	bool has_rate = text(st, 13) != NULL;
	if (!dec_col(j, st, 6, "net", number, &net) || !dec_col(j, st, 12, "vat", number, &vat) ||
	    !dec_col(j, st, 14, "gross", number, &gross) || !dec_col(j, st, 10, "fx_rate", number, &fx) ||
	    !dec_col(j, st, 15, "books_gross", number, &gross_b) ||
	    (has_rate && !dec_col(j, st, 13, "vat_rate", number, &rate)))
		return;
	const char *customer = p->customer ? p->customer : "";
	char *desc = credit_of ? fmtstr("credit %s of %s to %s", number, credit_of, customer)
			       : fmtstr("invoice %s to %s", number, customer);
	Entry *e = entry_new(j, 1, text(st, 2), cur, sqlite3_column_int64(st, 3), p->id, number, desc);
	AccountFacts f;
	facts_of(p, cur, &f);
	Dec vat_b = cents(j, mul(j, vat, fx), j->books), net_b = cents(j, mul(j, net, fx), j->books);
	line(j, e, ACC_RECEIVABLE, &f, gross, gross_b, fmtstr("%s %s receivable", credit_of ? "credit" : "invoice", number),
	     NULL, NULL);
	AccountFacts fv = f;
	fv.has_vat_rate = has_rate;
	fv.vat_rate = rate;
	line(j, e, ACC_VAT_PAYABLE, &fv, dec_neg(vat), dec_neg(vat_b), fmtstr("VAT of %s", number), NULL, NULL);
	contract_lines(j, e, p, &f, dec_neg(net), dec_neg(net_b));
	line(j, e, ACC_ROUNDING, &f, zero, sub(j, add(j, net_b, vat_b), gross_b),
	     fmtstr("rounding: %s's books gross against its net and VAT converted", number), NULL, NULL);
	fx_line(j, e, &f, "contract asset relieved at its carrying amount");
}

static bool load_projects(J *j)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, "SELECT id, country, kind, customer FROM projects", -1, &st, NULL) != SQLITE_OK)
		return fail(j, "%s: %s", j->path, sqlite3_errmsg(j->db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		Proj *p = project(j, text(st, 0));
		p->country = text(st, 1) ? sdup(text(st, 1)) : NULL;
		p->kind = text(st, 2) ? sdup(text(st, 2)) : NULL;
		p->customer = text(st, 3) ? sdup(text(st, 3)) : NULL;
	}
	sqlite3_finalize(st);
	return true;
}

static const char events_sql[] =
	"SELECT 0, r.project_id, u.as_of, r.run_id, r.source, r.source_id, r.amount, r.currency, r.recognized_on, r.basis,\n"
	"       l.rate, l.reporting_currency, NULL, NULL, NULL, NULL, r.period, r.run_id\n"
	"FROM revenue r JOIN runs u ON u.id = r.run_id\n"
	"LEFT JOIN reporting_lines l ON l.run_id = r.run_id AND l.kind = 'revenue' AND l.project_id = r.project_id\n"
	"  AND l.on_date = r.recognized_on AND l.currency = r.currency\n"
	"WHERE r.period <= ?1\n"
	"UNION ALL\n"
	"SELECT 1, d.project_id, d.invoice_on, d.run_id, NULL, d.number, d.net, d.currency, NULL, NULL,\n"
	"       d.fx_rate, d.books_currency, d.vat, d.vat_rate, d.gross, d.books_gross, d.credit_of, 0\n"
	"FROM invoice_drafts d WHERE d.status IN ('final', 'sent') AND d.invoice_on < ?2\n"
	/* a project's days in order, revenue before invoices, a run's lines together, invoices by number */
	"ORDER BY 2, 3, 1, 18, 6";

/* Replay every project up to the period's end; keep the period's entries. */
static bool replay(J *j, const char *period, const char *from, const char *upto)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, events_sql, -1, &st, NULL) != SQLITE_OK)
		return fail(j, "%s: %s", j->path, sqlite3_errmsg(j->db));
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upto, -1, SQLITE_STATIC);
	RevRow *rows = NULL;
	int nrows = 0, caprows = 0;
	char gproj[128] = "", gdate[DATE_BUFSZ] = "", gcur[8] = "", gperiod[16] = "";
	long long grun = -1;
	int rc;
	for (;;) {
		rc = sqlite3_step(st);
		bool row = rc == SQLITE_ROW;
		bool same = row && sqlite3_column_int(st, 0) == 0 && sqlite3_column_int64(st, 3) == grun &&
			    strcmp(text(st, 1), gproj) == 0;
		if (nrows && !same) {
			int before = j->n;
			revenue_entry(j, project(j, gproj), gdate, grun, gperiod, gcur, rows, nrows);
			if (strcmp(gperiod, period) != 0)
				while (j->n > before)
					entry_free(&j->e[--j->n]);
			for (int i = 0; i < nrows; i++) {
				free(rows[i].source);
				free(rows[i].source_id);
				free(rows[i].recognized_on);
				free(rows[i].basis);
			}
			nrows = 0;
		}
		if (!row || j->failed)
			break;
		const char *pid = text(st, 1), *cur = text(st, 7), *id = text(st, 5);
		if (!pid || !cur || !id || !text(st, 2)) {
			fail(j, "%s: a revenue row or final invoice lacks its project, currency, id or date", j->path);
			break;
		}
		if (sqlite3_column_int(st, 0) == 1) {
			char where[160];
			snprintf(where, sizeof where, "invoice_drafts %s", id);
			if (!books_of(j, text(st, 11), where))
				break;
			int before = j->n;
			invoice_entry(j, project(j, pid), st, cur);
			if (strcmp(text(st, 2), from) < 0)
				while (j->n > before)
					entry_free(&j->e[--j->n]);
			continue;
		}
		char where[200];
		snprintf(where, sizeof where, "revenue %s %s of run %lld", text(st, 4), id, (long long)sqlite3_column_int64(st, 3));
		if (!text(st, 10)) {
			fail(j, "%s: %s (%s, %s %s recognized %s) has no rate into the books currency: the run found none "
			     "(see its fx_rate_missing finding); add the rate to fx_rates and run %s again",
			     j->path, where, pid, text(st, 6), cur, text(st, 8) ? text(st, 8) : "?", text(st, 16));
			break;
		}
		if (!books_of(j, text(st, 11), where))
			break;
		if (nrows == 0) {
			snprintf(gproj, sizeof gproj, "%s", pid);
			snprintf(gdate, sizeof gdate, "%s", text(st, 2));
			snprintf(gcur, sizeof gcur, "%s", cur);
			snprintf(gperiod, sizeof gperiod, "%s", text(st, 16));
			grun = sqlite3_column_int64(st, 3);
		}
		if (nrows == caprows)
			rows = grow(rows, &caprows, sizeof *rows);
		RevRow *r = &rows[nrows];
		memset(r, 0, sizeof *r);
		if (!dec_col(j, st, 6, "amount", where, &r->amt) || !dec_col(j, st, 10, "rate", where, &r->rate))
			break;
		if (strcmp(cur, gcur) != 0) {
			fail(j, "%s: %s is in %s, other revenue of %s in run %lld in %s", j->path, where, cur, gproj, grun, gcur);
			break;
		}
		r->source = sdup(text(st, 4));
		r->source_id = sdup(id);
		r->recognized_on = sdup(text(st, 8));
		r->basis = text(st, 9) ? sdup(text(st, 9)) : NULL;
		nrows++;
	}
	for (int i = 0; i < nrows; i++) {
		free(rows[i].source);
		free(rows[i].source_id);
		free(rows[i].recognized_on);
		free(rows[i].basis);
	}
	free(rows);
	if (!j->failed && rc != SQLITE_DONE)
		fail(j, "%s: %s", j->path, sqlite3_errmsg(j->db));
	sqlite3_finalize(st);
	return !j->failed;
}

/* ---- layouts ------------------------------------------------------------- */

static int entry_cmp(const void *a, const void *b)
{
	const Entry *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	if (c)
		return c;
	if (x->type != y->type)
		return x->type - y->type;
	c = strcmp(x->invoice ? x->invoice : "", y->invoice ? y->invoice : "");
	return c ? c : strcmp(x->project, y->project);
}

/* Amounts are rounded to the minor unit by now: the shared money format
 * shows them with its places, and no thousands separator (GL imports). */
static const char *amount(Dec d, const char *cur, char *buf) { return money_fmt(d, cur, buf); }

/* debit and credit columns: the positive side, the other empty */
static void sides(Dec d, const char *cur, char *deb, char *cred)
{
	deb[0] = cred[0] = 0;
	if (dec_sign(d) > 0)
		amount(d, cur, deb);
	else if (dec_sign(d) < 0)
		amount(dec_neg(d), cur, cred);
}

static void account_name(const Line *l, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s", l->acct->code, l->acct->title ? " " : "", l->acct->title ? l->acct->title : "");
}

static void cells(FILE *out, int n, const char **v)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		csv_cell(out, v[i] ? v[i] : "");
	}
	fputs("\r\n", out);
}

static void write_csv(const J *j, FILE *out)
{
	static const char *head[] = { "entry", "date", "account", "account_name", "debit", "credit", "currency",
				      "books_debit", "books_credit", "books_currency", "memo", "run", "project",
				      "source", "source_id", "invoice", "entry_memo" };
	cells(out, 17, head);
	for (int i = 0; i < j->n; i++) {
		const Entry *e = &j->e[i];
		char id[24], run[24];
		snprintf(id, sizeof id, "%d", i + 1);
		snprintf(run, sizeof run, "%lld", e->run);
		for (int k = 0; k < e->n; k++) {
			const Line *l = &e->lines[k];
			char d[DEC_BUFSZ], c[DEC_BUFSZ], bd[DEC_BUFSZ], bc[DEC_BUFSZ];
			sides(l->amt, e->cur, d, c);
			sides(l->books, j->books, bd, bc);
			const char *v[] = { id, e->date, l->acct->code, l->acct->title, d, c, e->cur, bd, bc, j->books, l->memo,
					    e->run ? run : "", e->project, l->source, l->source_id, e->invoice, e->desc };
			cells(out, 17, v);
		}
	}
}

/* Xero's manual journal import: one journal per narration and date, in the
 * organisation's base currency (the books'), positive amounts debit. */
static void write_xero(const J *j, FILE *out)
{
	static const char *head[] = { "*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount",
				      "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2" };
	cells(out, 10, head);
	for (int i = 0; i < j->n; i++) {
		const Entry *e = &j->e[i];
		char narration[400], date[16];
		snprintf(narration, sizeof narration, "%d %s", i + 1, e->desc);
		snprintf(date, sizeof date, "%.2s/%.2s/%.4s", e->date + 8, e->date + 5, e->date);
		for (int k = 0; k < e->n; k++) {
			const Line *l = &e->lines[k];
			if (dec_sign(l->books) == 0)
				continue;
			char amt[DEC_BUFSZ];
			amount(l->books, j->books, amt);
			const char *v[] = { narration, date, l->memo, l->acct->code, "No VAT", amt, "Project", e->project,
					    e->invoice ? "Invoice" : "", e->invoice };
			cells(out, 10, v);
		}
	}
}

/* NetSuite's journal entry CSV import: lines of one External ID form one
 * journal entry, in the books currency (exchange rate 1: the lines are
 * already translated), account by number. */
static void write_netsuite(const J *j, FILE *out)
{
	static const char *head[] = { "External ID", "Date", "Currency", "Exchange Rate", "Memo", "Account", "Debit",
				      "Credit", "Line Memo", "Project", "Invoice" };
	cells(out, 11, head);
	for (int i = 0; i < j->n; i++) {
		const Entry *e = &j->e[i];
		char ext[64], date[16];
		snprintf(ext, sizeof ext, "sow-%s-%d", e->date, i + 1);
		snprintf(date, sizeof date, "%.2s/%.2s/%.4s", e->date + 5, e->date + 8, e->date);
		for (int k = 0; k < e->n; k++) {
			const Line *l = &e->lines[k];
			if (dec_sign(l->books) == 0)
				continue;
			char d[DEC_BUFSZ], c[DEC_BUFSZ];
			sides(l->books, j->books, d, c);
			const char *v[] = { ext, date, j->books, "1", e->desc, l->acct->code, d, c, l->memo, e->project, e->invoice };
			cells(out, 11, v);
		}
	}
}

static void hl_posting(FILE *out, const char *account, const char *amt, const char *tags)
{
	fprintf(out, "    %-56s  %s  ; %s\n", account, amt, tags);
}

/* An hledger journal: foreign amounts carry their books value as a total
 * cost (@@), so hledger balances each entry in the books currency. */
static void write_hledger(const J *j, FILE *out)
{
	if (j->books[0])
		fprintf(out, "; sow journal: books currency %s\n\n", j->books);
	else
		fputs("; sow journal: nothing to journal in this period\n", out);
	for (int i = 0; i < j->n; i++) {
		const Entry *e = &j->e[i];
		fprintf(out, "%s * (%d) %s\n", e->date, i + 1, e->desc);
		if (e->run)
			fprintf(out, "    ; run:%lld, project:%s%s%s\n", e->run, e->project, e->invoice ? ", invoice:" : "",
				e->invoice ? e->invoice : "");
		else
			fprintf(out, "    ; project:%s, invoice:%s\n", e->project, e->invoice ? e->invoice : "");
		for (int k = 0; k < e->n; k++) {
			const Line *l = &e->lines[k];
			char acct[300], tags[400], a[DEC_BUFSZ], b[DEC_BUFSZ], amt[160];
			char name[260];
			account_name(l, name, sizeof name);
			snprintf(acct, sizeof acct, "%s:%s", account_kind_class(l->acct->kind), name);
			snprintf(tags, sizeof tags, "%s%s%s%s%s", l->memo, l->source ? ", source:" : "", l->source ? l->source : "",
				 l->source_id ? ", source_id:" : "", l->source_id ? l->source_id : "");
			bool foreign = strcmp(e->cur, j->books) != 0;
			if (!foreign) {
				snprintf(amt, sizeof amt, "%s %s", amount(l->books, j->books, b), j->books);
				hl_posting(out, acct, amt, tags);
				continue;
			}
			int sa = dec_sign(l->amt), sb = dec_sign(l->books);
			if (sa != 0 && sa == sb) {
				snprintf(amt, sizeof amt, "%s %s @@ %s %s", amount(l->amt, e->cur, a), e->cur,
					 amount(sb < 0 ? dec_neg(l->books) : l->books, j->books, b), j->books);
				hl_posting(out, acct, amt, tags);
				continue;
			}
			/* a rounding or exchange line: its currency part at no cost, its books part alone */
			if (sa != 0) {
				snprintf(amt, sizeof amt, "%s %s @@ %s %s", amount(l->amt, e->cur, a), e->cur, amount(zero, j->books, b),
					 j->books);
				hl_posting(out, acct, amt, tags);
			}
			if (sb != 0) {
				snprintf(amt, sizeof amt, "%s %s", amount(l->books, j->books, b), j->books);
				hl_posting(out, acct, amt, tags);
			}
		}
		fputc('\n', out);
	}
}

bool journal_layout(const char *s, JournalLayout *out)
{
	static const char *const names[] = { "csv", "xero", "netsuite", "hledger" };
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (JournalLayout)i;
			return true;
		}
	return false;
}

bool journal_write(const char *path, const char *period, const Accounts *acc, JournalLayout layout, FILE *out,
		   char *err, size_t errsize)
{
	J j = { 0 };
	j.path = path;
	j.acc = acc;
	j.err = err;
	j.errsize = errsize;
	char serr[512];
	j.db = store_open(path, STORE_READ, serr, sizeof serr);
	if (!j.db) {
		snprintf(err, errsize, "%s", serr);
		return false;
	}
	int y, m;
	if (!date_parse_month(period, strlen(period), &y, &m)) {
		sqlite3_close(j.db);
		snprintf(err, errsize, "--period wants a month YYYY-MM, not '%s'", period);
		return false;
	}
	char from[32], upto[32];
	snprintf(from, sizeof from, "%04d-%02d-01", y, m);
	snprintf(upto, sizeof upto, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	sqlite3_stmt *st;
	bool ok = sqlite3_prepare_v2(j.db, "SELECT id FROM runs WHERE period = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
				     -1, &st, NULL) == SQLITE_OK;
	if (!ok)
		fail(&j, "%s: %s", path, sqlite3_errmsg(j.db));
	else {
		sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW)
			fail(&j, "%s: period %s has no run (sow run --db %s --period %s RULES... first)", path, period, path, period);
		sqlite3_finalize(st);
	}
	if (!j.failed && load_projects(&j))
		replay(&j, period, from, upto);
	if (!j.failed) {
		qsort(j.e, (size_t)j.n, sizeof *j.e, entry_cmp);
		switch (layout) {
		case LAYOUT_CSV: write_csv(&j, out); break;
		case LAYOUT_XERO: write_xero(&j, out); break;
		case LAYOUT_NETSUITE: write_netsuite(&j, out); break;
		case LAYOUT_HLEDGER: write_hledger(&j, out); break;
		}
	}
	for (int i = 0; i < j.n; i++)
		entry_free(&j.e[i]);
	free(j.e);
	for (size_t i = 0; i < j.projects.cap; i++)
		if (j.projects.keys && j.projects.keys[i]) {
			Proj *p = j.projects.vals[i];
			free(p->country);
			free(p->kind);
			free(p->customer);
			free(p->id);
			free(p);
		}
	map_free(&j.projects);
	sqlite3_close(j.db);
	return !j.failed;
}

bool journal_to_file(const char *path, const char *period, const Accounts *acc, JournalLayout layout, const char *output,
		     char *err, size_t errsize)
{
	if (!output)
		return journal_write(path, period, acc, layout, stdout, err, errsize);
	/* a temporary file beside the output, renamed over it when complete */
	size_t n = strlen(output) + 8;
	char *tmp = malloc(n);
	if (!tmp)
		abort();
	snprintf(tmp, n, "%s.XXXXXX", output);
	int fd = mkstemp(tmp);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		snprintf(err, errsize, "cannot write %s: %s", output, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return false;
	}
	bool ok = journal_write(path, period, acc, layout, out, err, errsize);
	if (ok && (fflush(out) != 0 || ferror(out)))
		ok = !snprintf(err, errsize, "cannot write %s: %s", output, strerror(errno));
	if (fclose(out) != 0 && ok)
		ok = !snprintf(err, errsize, "cannot write %s: %s", output, strerror(errno));
	if (ok && rename(tmp, output) != 0)
		ok = !snprintf(err, errsize, "cannot write %s: %s", output, strerror(errno));
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok;
}
