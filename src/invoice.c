/* invoice.c: what happens to an invoice draft after the run that drafted it:
 * sow credit (a credit invoice against a final one), sow invoice --finalize
 * and --sent (the draft's life: draft -> final -> sent), sow invoice --html
 * (the printable page), and the drafts' count line of the run summary (the
 * drafts themselves are sections of summary.c).
 *
 * Drafting itself is policy (rules/std/invoicing.sow); numbering is
 * sequence.c. Each command here is one transaction that either does all it
 * says or leaves the database as it was, and reports through InvoiceError;
 * main.c prints and chooses the exit status. */
#include "invoice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "money.h"
#include "report.h"
#include "sequence.h"
#include "store.h"

enum { E_DATA = 1, E_USAGE = 2, E_DB = 3 };

static bool err(InvoiceError *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool err(InvoiceError *e, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->status = status;
	return false;
}

/* One draft, as stored (text; NULL columns are empty strings, set false). */
enum { D_NUMBER, D_PROJECT, D_CUSTOMER, D_INVOICE_ON, D_DUE_ON, D_CURRENCY, D_NET, D_VAT_RATE, D_VAT, D_GROSS,
       D_VAT_TEXT, D_PO, D_BOOKS_CURRENCY, D_FX_RATE, D_BOOKS_GROSS, D_STATUS, D_CREDIT_OF, D_SUPPLEMENT_OF, D_NCOLS };
static const char draft_cols[] = "number, project_id, customer, invoice_on, due_on, currency, net, vat_rate, vat, gross, "
				 "vat_text, po_reference, books_currency, fx_rate, books_gross, status, credit_of, supplement_of";

typedef struct Draft {
	char v[D_NCOLS][512];
	bool set[D_NCOLS];
} Draft;

static const char *col(const Draft *d, int c) { return d->v[c]; }

static bool dec_of(const char *s, Dec *out) { return dec_parse(s, strlen(s), out) == DEC_OK; }

static sqlite3 *open_db(const char *path, StoreMode mode, InvoiceError *e)
{
	char msg[512];
	sqlite3 *db = store_open(path, mode, msg, sizeof msg);
	if (!db)
		err(e, E_DB, "%s", msg);
	return db;
}

static bool begin(sqlite3 *db, const char *path, InvoiceError *e)
{
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
		return true;
	return err(e, E_DB, "%s: %s", path, strstr(sqlite3_errmsg(db), "locked") ? "database is locked by another process"
							: sqlite3_errmsg(db));
}

/* The draft with that number (void ones too); false with e set if none. */
static bool load(sqlite3 *db, const char *path, const char *number, Draft *d, InvoiceError *e)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM invoice_drafts WHERE number = ? ORDER BY rowid DESC LIMIT 1", draft_cols);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return err(e, E_DB, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		for (int c = 0; c < D_NCOLS; c++) {
			const char *t = (const char *)sqlite3_column_text(st, c);
			d->set[c] = t != NULL;
			snprintf(d->v[c], sizeof d->v[c], "%s", t ? t : "");
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		return err(e, E_DB, "%s: %s", path, sqlite3_errmsg(db));
	/* name the nearest numbers, as a hint */
	char last[64] = "";
	if (sqlite3_prepare_v2(db, "SELECT max(number) FROM invoice_drafts WHERE number GLOB '[0-9][0-9][0-9][0-9]-*'", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(last, sizeof last, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	return err(e, E_DATA, "%s: invoice_drafts: no invoice numbered '%s'%s%s%s", path, number, *last ? " (the highest is " : "",
		   last, *last ? ")" : " (there are no invoice drafts yet: sow run drafts them)");
}

/* Sum of a column over the credits of an invoice that are not void. */
static bool credited(sqlite3 *db, const char *number, const char *column, Dec *sum, InvoiceError *e)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM invoice_drafts WHERE credit_of = ? AND status IS NOT 'void'", column);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return err(e, E_DB, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	*sum = dec_from_int(0);
	bool ok = true;
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		Dec d;
		if (t && (!dec_of(t, &d) || dec_add(*sum, d, sum) != DEC_OK))
			ok = err(e, E_DATA, "invoice_drafts: a credit of %s has %s '%s', not an exact decimal", number, column, t);
	}
	sqlite3_finalize(st);
	return ok;
}

/* INSERT the credit's row and its lines. */
static bool insert_credit(sqlite3 *db, const Draft *o, const char *number, const char *on, const char *due, Dec net, Dec vat,
			  Dec books_gross, bool whole, const char *reason, InvoiceError *e)
{
	char n[DEC_BUFSZ], v[DEC_BUFSZ], g[DEC_BUFSZ], b[DEC_BUFSZ], rule[64];
	Dec gross;
	if (dec_add(net, vat, &gross) != DEC_OK)
		return err(e, E_DATA, "the credit's gross overflowed");
	snprintf(rule, sizeof rule, "sow credit --reason %s", reason);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO invoice_drafts (run_id, number, project_id, customer, invoice_on, due_on, currency, "
				   "net, vat_rate, vat, gross, vat_text, po_reference, books_currency, fx_rate, books_gross, status, credit_of, rule, kind) "
				   "VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, 'credit')", -1, &st, NULL) != SQLITE_OK)
		return err(e, E_DB, "%s", sqlite3_errmsg(db));
	const char *vals[] = { number, col(o, D_PROJECT), col(o, D_CUSTOMER), on, due, col(o, D_CURRENCY), dec_fmt(net, n),
			       col(o, D_VAT_RATE), dec_fmt(vat, v), dec_fmt(gross, g), col(o, D_VAT_TEXT), col(o, D_PO),
			       col(o, D_BOOKS_CURRENCY), col(o, D_FX_RATE), dec_fmt(books_gross, b), col(o, D_NUMBER), rule };
	const int from[] = { -1, D_PROJECT, D_CUSTOMER, -1, -1, D_CURRENCY, -1, D_VAT_RATE, -1, -1, D_VAT_TEXT, D_PO,
			     D_BOOKS_CURRENCY, D_FX_RATE, -1, -1, -1 };
	for (int i = 0; i < 17; i++) {
		if (from[i] >= 0 && !o->set[from[i]])
			sqlite3_bind_null(st, i + 1);
		else
			sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
	}
	bool ok = sqlite3_step(st) == SQLITE_DONE || err(e, E_DB, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (!ok)
		return false;
	if (!whole) {
		/* part of it: one line for the amount */
		if (sqlite3_prepare_v2(db, "INSERT INTO invoice_lines (run_id, number, line, description, quantity, unit, unit_price, "
					   "amount, source_id) VALUES (NULL, ?1, 1, 'Credit of invoice ' || ?2 || ' (' || ?3 || ')', '1', "
					   "'each', ?4, ?4, ?2)", -1, &st, NULL) != SQLITE_OK)
			return err(e, E_DB, "%s", sqlite3_errmsg(db));
		sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, col(o, D_NUMBER), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, n, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE || err(e, E_DB, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return ok;
	}
	/* the whole invoice: each of its lines, negated */
	sqlite3_stmt *sel, *ins;
	if (sqlite3_prepare_v2(db, "SELECT line, description, quantity, unit, unit_price, amount, source_id FROM invoice_lines "
				   "WHERE number = ? ORDER BY line", -1, &sel, NULL) != SQLITE_OK)
		return err(e, E_DB, "%s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "INSERT INTO invoice_lines (run_id, number, line, description, quantity, unit, unit_price, amount, "
				   "source_id) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &ins, NULL) != SQLITE_OK) {
		sqlite3_finalize(sel);
		return err(e, E_DB, "%s", sqlite3_errmsg(db));
	}
	sqlite3_bind_text(sel, 1, col(o, D_NUMBER), -1, SQLITE_STATIC);
	while (ok && sqlite3_step(sel) == SQLITE_ROW) {
		const char *q = (const char *)sqlite3_column_text(sel, 2), *a = (const char *)sqlite3_column_text(sel, 5);
		Dec qd, ad;
		char qb[DEC_BUFSZ], ab[DEC_BUFSZ];
		if (!q || !a || !dec_of(q, &qd) || !dec_of(a, &ad)) {
			ok = err(e, E_DATA, "invoice_lines of %s: line %d has no exact quantity or amount", col(o, D_NUMBER),
				 sqlite3_column_int(sel, 0));
			break;
		}
		sqlite3_bind_text(ins, 1, number, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 2, sqlite3_column_int(sel, 0));
		sqlite3_bind_value(ins, 3, sqlite3_column_value(sel, 1));
		sqlite3_bind_text(ins, 4, dec_fmt(dec_neg(qd), qb), -1, SQLITE_TRANSIENT);
		sqlite3_bind_value(ins, 5, sqlite3_column_value(sel, 3));
		sqlite3_bind_value(ins, 6, sqlite3_column_value(sel, 4));
		sqlite3_bind_text(ins, 7, dec_fmt(dec_neg(ad), ab), -1, SQLITE_TRANSIENT);
		sqlite3_bind_value(ins, 8, sqlite3_column_value(sel, 6));
		ok = sqlite3_step(ins) == SQLITE_DONE || err(e, E_DB, "%s", sqlite3_errmsg(db));
		sqlite3_reset(ins);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ok;
}

bool invoice_credit(const char *path, const char *number, const char *reason, const char *amount, Date today, char *created,
		    size_t n, InvoiceError *e)
{
	bool mistake = strcmp(reason, "mistake") == 0;
	if (!mistake && strcmp(reason, "cancelled") != 0)
		return err(e, E_USAGE, "--reason is cancelled (the customer cancelled: dated today) or mistake (undoing a mistake: "
				       "dated as the invoice), not '%s'", reason);
	Dec want = { 0, 0 };
	if (amount && (!dec_of(amount, &want) || dec_sign(want) <= 0))
		return err(e, E_USAGE, "--amount is a positive amount such as 250.00 (the net to credit), not '%s'", amount);
	sqlite3 *db = open_db(path, STORE_WRITE, e);
	if (!db)
		return false;
	Draft o;
	bool ok = begin(db, path, e) && load(db, path, number, &o, e);
	const char *cur = col(&o, D_CURRENCY);
	Dec net, vat, books, cnet, cvat, cbooks, left;
	if (ok && o.set[D_CREDIT_OF])
		ok = err(e, E_DATA, "%s: invoice_drafts %s: is itself a credit (of %s); credit the invoice %s instead", path, number,
			 col(&o, D_CREDIT_OF), col(&o, D_CREDIT_OF));
	if (ok && strcmp(col(&o, D_STATUS), "final") != 0 && strcmp(col(&o, D_STATUS), "sent") != 0)
		ok = err(e, E_DATA, "%s: invoice_drafts %s: is %s; only a final invoice is credited (%s)", path, number,
			 col(&o, D_STATUS), strcmp(col(&o, D_STATUS), "void") == 0 ? "a void draft was never issued"
			 : "a draft changes when its period runs again, or: sow invoice --finalize");
	if (ok && (!dec_of(col(&o, D_NET), &net) || !dec_of(col(&o, D_VAT), &vat) || !dec_of(col(&o, D_BOOKS_GROSS), &books)))
		ok = err(e, E_DATA, "%s: invoice_drafts %s: net, vat or books_gross is not an exact decimal", path, number);
	ok = ok && credited(db, number, "net", &cnet, e) && credited(db, number, "vat", &cvat, e) &&
	     credited(db, number, "books_gross", &cbooks, e);
	if (ok && dec_add(net, cnet, &left) != DEC_OK)
		ok = err(e, E_DATA, "credits of %s overflowed", number);
	char lbuf[DEC_BUFSZ], wbuf[DEC_BUFSZ];
	int minor = money_minor_unit(cur);
	if (ok && dec_sign(left) <= 0)
		ok = err(e, E_DATA, "%s: invoice_drafts %s: nothing is left to credit (%s %s credited already)", path, number,
			 money_fmt(dec_neg(cnet), cur, wbuf), cur);
	if (ok && amount && want.scale > (minor < 0 ? 2 : minor))
		ok = err(e, E_USAGE, "--amount %s has more places than %s has (%d)", amount, cur, minor < 0 ? 2 : minor);
	if (ok && amount && dec_cmp(want, left) > 0)
		ok = err(e, E_DATA, "%s: invoice_drafts %s: --amount %s %s is more than is left on it (%s %s)", path, number, amount,
			 cur, money_fmt(left, cur, lbuf), cur);
	Dec cn, cv, cb;
	bool rest = !amount || dec_cmp(want, left) == 0;
	if (ok && rest) {
		/* what is left, exactly: the credits never add up to more than the invoice */
		ok = dec_sub(dec_neg(vat), cvat, &cv) == DEC_OK && dec_sub(dec_neg(books), cbooks, &cb) == DEC_OK;
		cn = dec_neg(left);
	} else if (ok) {
		/* part of it: VAT at the invoice's rate, rounded once to the minor
		 * unit, half away from zero (the drafts' rule, SPEC 6.10), and the
		 * books amount at the invoice's rate, rounded the same way */
		Dec rate, fx, g;
		cn = dec_neg(want);
		ok = dec_of(col(&o, D_VAT_RATE), &rate) && dec_of(col(&o, D_FX_RATE), &fx) && dec_mul(cn, rate, &cv) == DEC_OK &&
		     money_round_total(cv, cur, &cv) && dec_add(cn, cv, &g) == DEC_OK && dec_mul(g, fx, &cb) == DEC_OK &&
		     money_round_total(cb, col(&o, D_BOOKS_CURRENCY), &cb);
	}
	if (!ok && !e->status)
		err(e, E_DATA, "%s: invoice_drafts %s: the credit's amounts cannot be computed exactly", path, number);
	char on[DATE_BUFSZ], due[DATE_BUFSZ];
	Date inv, dued;
	if (ok && (!date_parse(col(&o, D_INVOICE_ON), strlen(col(&o, D_INVOICE_ON)), &inv) ||
		   !date_parse(col(&o, D_DUE_ON), strlen(col(&o, D_DUE_ON)), &dued)))
		ok = err(e, E_DATA, "%s: invoice_drafts %s: invoice_on or due_on is not a date", path, number);
	if (ok) {
		/* cancelled: dated today; a mistake: the incorrect invoice's date */
		Date d = mistake ? inv : today;
		date_fmt(d, on);
		date_fmt(d + (dued - inv), due);
		char seqerr[SEQUENCE_ERRSZ];
		int year = atoi(on);
		if (!sequence_next(db, "invoice", year, created, n, seqerr))
			ok = err(e, E_DB, "%s: %s", path, seqerr);
	}
	bool whole = ok && rest && dec_sign(cnet) == 0;
	ok = ok && insert_credit(db, &o, created, on, due, cn, cv, cb, whole, reason, e);
	if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ok = err(e, E_DB, "%s: %s", path, sqlite3_errmsg(db));
	if (!ok)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return ok;
}

/* draft -> final (complete drafts only), final -> sent. */
static bool advance(const char *path, const char *number, const char *from, const char *to, InvoiceError *e)
{
	sqlite3 *db = open_db(path, STORE_WRITE, e);
	if (!db)
		return false;
	Draft d;
	bool ok = begin(db, path, e) && load(db, path, number, &d, e);
	const char *status = col(&d, D_STATUS);
	if (ok && strcmp(status, from) != 0) {
		if (strcmp(status, to) == 0 || (strcmp(to, "final") == 0 && strcmp(status, "sent") == 0))
			ok = err(e, E_DATA, "%s: invoice_drafts %s: is already %s", path, number, status);
		else if (strcmp(status, "void") == 0)
			ok = err(e, E_DATA, "%s: invoice_drafts %s: is void (a re-run of its period replaced it); it is never issued",
				 path, number);
		else
			ok = err(e, E_DATA, "%s: invoice_drafts %s: is %s; finalize it first (sow invoice --finalize %s)", path,
				 number, status, number);
	}
	if (ok && strcmp(to, "final") == 0) {
		if (!d.set[D_VAT_RATE] || !d.set[D_VAT] || !d.set[D_GROSS])
			ok = err(e, E_DATA, "%s: invoice_drafts %s: its VAT is undetermined (project %s: an EU customer needs a VAT "
				 "number in projects.vat_number; then run the period again)", path, number, col(&d, D_PROJECT));
		else if (!d.set[D_FX_RATE] || !d.set[D_BOOKS_GROSS])
			ok = err(e, E_DATA, "%s: invoice_drafts %s: no %s/%s rate for %s in fx_rates (add it, then run the period again)",
				 path, number, col(&d, D_CURRENCY), col(&d, D_BOOKS_CURRENCY), col(&d, D_INVOICE_ON));
	}
	if (ok) {
		sqlite3_stmt *st;
		ok = sqlite3_prepare_v2(db, "UPDATE invoice_drafts SET status = ? WHERE number = ? AND status = ?", -1, &st, NULL) ==
			     SQLITE_OK ||
		     err(e, E_DB, "%s: %s", path, sqlite3_errmsg(db));
		if (ok) {
			sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
			ok = sqlite3_step(st) == SQLITE_DONE || err(e, E_DB, "%s: %s", path, sqlite3_errmsg(db));
			sqlite3_finalize(st);
		}
	}
	if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ok = err(e, E_DB, "%s: %s", path, sqlite3_errmsg(db));
	if (!ok)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return ok;
}

bool invoice_finalize(const char *path, const char *number, InvoiceError *e) { return advance(path, number, "draft", "final", e); }
bool invoice_sent(const char *path, const char *number, InvoiceError *e) { return advance(path, number, "final", "sent", e); }

/* ---- the printable page ------------------------------------------------ */

/* 36300.000 -> "36,300.00": as Finance reads it, grouped as printed. */
static void html_money(FILE *out, const char *amount, const char *currency)
{
	char buf[DEC_BUFSZ];
	const char *s = money_text(amount, currency, buf);
	if (*s == '-')
		fputc(*s++, out);
	size_t whole = strcspn(s, ".");
	for (size_t i = 0; i < whole; i++) {
		if (i && (whole - i) % 3 == 0)
			fputc(',', out);
		fputc(s[i], out);
	}
	fprintf(out, "%s&nbsp;%s", s + whole, currency);
}

/* A percentage from its stored fraction: 0.21 -> "21%". */
static void html_percent(FILE *out, const char *fraction)
{
	Dec d, p;
	char buf[DEC_BUFSZ];
	if (dec_of(fraction, &d) && dec_mul(d, dec_from_int(100), &p) == DEC_OK)
		fprintf(out, "%s%%", dec_fmt(dec_trim(p, 0), buf));
	else
		html_text(out, fraction);
}

static void row_text(FILE *out, sqlite3_stmt *st, int c)
{
	const char *t = (const char *)sqlite3_column_text(st, c);
	html_text(out, t ? t : "");
}

bool invoice_html(const char *path, const char *number, FILE *out, InvoiceError *e)
{
	sqlite3 *db = open_db(path, STORE_READ, e);
	if (!db)
		return false;
	Draft d;
	if (!load(db, path, number, &d, e)) {
		sqlite3_close(db);
		return false;
	}
	/* SPEC 9.1: a re-run's supplementary says which invoice it adds to */
	const char *title = d.set[D_CREDIT_OF] ? "Credit invoice" : d.set[D_SUPPLEMENT_OF] ? "Supplementary invoice" : "Invoice";
	const char *cur = col(&d, D_CURRENCY), *status = col(&d, D_STATUS);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", out);
	fprintf(out, "%s ", title);
	html_text(out, number);
	fputs("</title>\n<style>\n"
	      "body{font:11pt/1.4 system-ui,sans-serif;max-width:48em;margin:2em auto;color:#222}\n"
	      "h1{font-size:1.6em;margin:0}.mark{color:#b00;border:2px solid #b00;padding:0 .4em;font-size:.6em;vertical-align:middle}\n"
	      ".parties{display:flex;justify-content:space-between;margin:1.5em 0}.parties div{width:48%}\n"
	      "table{border-collapse:collapse;width:100%}th,td{padding:.3em .5em;text-align:left;border-bottom:1px solid #ddd}\n"
	      "td.n,th.n{text-align:right;white-space:nowrap}.totals td{border:0}.totals tr.gross td{font-weight:bold;border-top:2px solid #222}\n"
	      ".meta td{border:0;padding:.1em .5em .1em 0}.closing{margin-top:1.5em}\n"
	      "@media print{body{margin:0}}\n</style></head><body>\n", out);
	fprintf(out, "<h1>%s ", title);
	html_text(out, number);
	if (strcmp(status, "final") != 0 && strcmp(status, "sent") != 0) {
		fputs(" <span class=\"mark\">", out);
		html_text(out, strcmp(status, "void") == 0 ? "VOID" : "DRAFT");
		fputs("</span>", out);
	}
	fputs("</h1>\n<div class=\"parties\">\n<div><strong>From</strong><br>\n", out);
	sqlite3_stmt *st;
	bool seller = false;
	if (sqlite3_prepare_v2(db, "SELECT name, address, country, vat_number, chamber_of_commerce, email, iban FROM seller LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			seller = true;
			static const char *const label[] = { "", "", "", "VAT number ", "Chamber of Commerce ", "", "IBAN " };
			for (int c = 0; c < 7; c++)
				if (sqlite3_column_text(st, c)) {
					fputs(label[c], out);
					row_text(out, st, c);
					fputs("<br>\n", out);
				}
		}
		sqlite3_finalize(st);
	}
	if (!seller)
		fputs("(no seller: import one row into table seller)<br>\n", out);
	fputs("</div>\n<div><strong>To</strong><br>\n", out);
	html_text(out, col(&d, D_CUSTOMER));
	fputs("<br>\n", out);
	if (sqlite3_prepare_v2(db, "SELECT country, vat_number FROM projects WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, col(&d, D_PROJECT), -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_text(st, 0)) {
				fputs("Country ", out);
				row_text(out, st, 0);
				fputs("<br>\n", out);
			}
			if (sqlite3_column_text(st, 1)) {
				fputs("VAT number ", out);
				row_text(out, st, 1);
				fputs("<br>\n", out);
			}
		}
		sqlite3_finalize(st);
	}
	fputs("</div>\n</div>\n<table class=\"meta\">\n", out);
	const struct { const char *label; int c; } meta[] = { { "Invoice date", D_INVOICE_ON }, { "Due date", D_DUE_ON },
		{ "Project", D_PROJECT }, { "Your reference (PO)", D_PO }, { "Credits invoice", D_CREDIT_OF },
		{ "Supplements invoice", D_SUPPLEMENT_OF } };
	for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) {
		if (!d.set[meta[i].c])
			continue;
		fprintf(out, "<tr><td>%s</td><td>", meta[i].label);
		html_text(out, col(&d, meta[i].c));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<table class=\"lines\">\n<tr><th>Description</th><th class=\"n\">Quantity</th><th>Unit</th>"
	      "<th class=\"n\">Unit price</th><th class=\"n\">Amount</th></tr>\n", out);
	if (sqlite3_prepare_v2(db, "SELECT description, quantity, unit, unit_price, amount FROM invoice_lines WHERE number = ? ORDER BY line",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			fputs("<tr><td>", out);
			row_text(out, st, 0);
			fputs("</td><td class=\"n\">", out);
			const char *q = (const char *)sqlite3_column_text(st, 1), *unit = (const char *)sqlite3_column_text(st, 2);
			char qbuf[DEC_BUFSZ];
			html_text(out, unit && strcmp(unit, "hours") == 0 ? hours_text(q, qbuf) : q ? q : "");
			fputs("</td><td>", out);
			row_text(out, st, 2);
			for (int c = 3; c < 5; c++) {
				fputs(c == 3 ? "</td><td class=\"n\">" : "</td><td class=\"n\">", out);
				const char *a = (const char *)sqlite3_column_text(st, c);
				html_money(out, a ? a : "", cur);
			}
			fputs("</td></tr>\n", out);
		}
		sqlite3_finalize(st);
	}
	fputs("</table>\n<table class=\"totals\">\n<tr><td></td><td class=\"n\">Net</td><td class=\"n\">", out);
	html_money(out, col(&d, D_NET), cur);
	fputs("</td></tr>\n<tr><td></td><td class=\"n\">VAT ", out);
	if (d.set[D_VAT_RATE])
		html_percent(out, col(&d, D_VAT_RATE));
	fputs("</td><td class=\"n\">", out);
	if (d.set[D_VAT])
		html_money(out, col(&d, D_VAT), cur);
	else
		fputs("undetermined (no VAT number)", out);
	fputs("</td></tr>\n<tr class=\"gross\"><td></td><td class=\"n\">Total</td><td class=\"n\">", out);
	if (d.set[D_GROSS])
		html_money(out, col(&d, D_GROSS), cur);
	fputs("</td></tr>\n", out);
	if (strcmp(cur, col(&d, D_BOOKS_CURRENCY)) != 0) {
		fputs("<tr><td></td><td class=\"n\">", out);
		if (d.set[D_FX_RATE] && d.set[D_BOOKS_GROSS]) {
			fprintf(out, "In %s at 1&nbsp;%s = ", col(&d, D_BOOKS_CURRENCY), cur);
			html_text(out, col(&d, D_FX_RATE));
			fprintf(out, "&nbsp;%s (rate of ", col(&d, D_BOOKS_CURRENCY));
			html_text(out, col(&d, D_INVOICE_ON));
			fputs(")</td><td class=\"n\">", out);
			html_money(out, col(&d, D_BOOKS_GROSS), col(&d, D_BOOKS_CURRENCY));
		} else {
			fprintf(out, "In %s</td><td class=\"n\">no rate for the invoice date", col(&d, D_BOOKS_CURRENCY));
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<div class=\"closing\">\n", out);
	if (d.set[D_VAT_TEXT] && *col(&d, D_VAT_TEXT)) {
		fputs("<p>", out);
		html_text(out, col(&d, D_VAT_TEXT));
		fputs("</p>\n", out);
	}
	if (!d.set[D_CREDIT_OF]) {
		fputs("<p>Please pay ", out);
		if (d.set[D_GROSS])
			html_money(out, col(&d, D_GROSS), cur);
		fputs(" by ", out);
		html_text(out, col(&d, D_DUE_ON));
		fputs(", quoting invoice ", out);
		html_text(out, number);
		fputs(".</p>\n", out);
	}
	fputs("</div>\n</body></html>\n", out);
	sqlite3_close(db);
	return true;
}

/* ---- the run summary's count line ------------------------------------------ */

void invoice_numbering(const SequenceStats *s, const char *indent, FILE *out)
{
	fprintf(out, "%s%-12s %lld new number%s, %lld kept from an earlier run of the period%s, %lld earlier draft%s void\n",
		indent, "invoices", s->drawn, s->drawn == 1 ? "" : "s", s->kept, s->issued ? " (some already final)" : "",
		s->voided, s->voided == 1 ? "" : "s");
}
