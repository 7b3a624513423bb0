/* ubl.c: sow invoice --ubl, an invoice or a credit as the e-invoice a
 * customer's system reads: UBL 2.1 following Peppol BIS Billing 3.0, the
 * Peppol profile of EN 16931.
 *
 * It reads what the run and sow credit stored (invoice_drafts and
 * invoice_lines) and the parties (seller, projects), and never writes the
 * database. Only a final or sent document is written: a draft is not an
 * invoice yet (its VAT or lines may still change), so it is refused rather
 * than marked, and so is a void one. A credit (credit_of set) becomes a
 * CreditNote with positive amounts and a BillingReference to the invoice it
 * credits.
 *
 * VAT category (EN 16931 BT-118, SPEC 6.10): a rate above zero is S
 * (standard rate); zero for a customer in the EU is AE (reverse charge),
 * outside it O (not subject to VAT: a B2B service is supplied where the
 * customer is, articles 44 and 59). The rules' vat_text is the exemption
 * reason of AE and O. Category O forbids the parties' VAT numbers in the
 * document (BR-O-02..04): the seller is identified by its Chamber of
 * Commerce number instead.
 *
 * The document is built in memory and written only when whole, so a missing
 * field leaves no file behind. Amounts keep their stored exact decimals: the
 * totals are sums of what is stored, checked against the draft (net, VAT,
 * gross) rather than recomputed, so the XML says what the invoice says. */
#include "ubl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "country.h"
#include "decimal.h"
#include "store.h"

enum { E_DATA = 1, E_DB = 3 };

static const char customization[] = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
static const char profile[] = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

#define fail invoice_fail

/* A row's text columns by name order of the query; empty when NULL. */
enum { MAXCOLS = 16 };
typedef struct Row {
	char v[MAXCOLS][512];
} Row;

/* The first row of sql with one text parameter; false (no error) if none. */
static bool row_of(sqlite3 *db, const char *sql, const char *param, Row *r, bool *found, InvoiceError *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(e, E_DB, "%s", sqlite3_errmsg(db));
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		for (int c = 0; c < sqlite3_column_count(st) && c < MAXCOLS; c++) {
			const char *t = (const char *)sqlite3_column_text(st, c);
			snprintf(r->v[c], sizeof r->v[c], "%s", t ? t : "");
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(e, E_DB, "%s", sqlite3_errmsg(db));
	return true;
}

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			/* control characters are not XML 1.0 text */
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
				fputc(*s, out);
			else
				fputc(' ', out);
		}
}

/* <cbc:NAME>text</cbc:NAME>, or nothing when text is empty (Peppol forbids
 * empty elements). */
static void elem(FILE *out, int indent, const char *name, const char *text)
{
	if (!*text)
		return;
	fprintf(out, "%*s<cbc:%s>", indent, "", name);
	xml_text(out, text);
	fprintf(out, "</cbc:%s>\n", name);
}

static void elem_attr(FILE *out, int indent, const char *name, const char *attr, const char *aval, const char *text)
{
	fprintf(out, "%*s<cbc:%s %s=\"", indent, "", name, attr);
	xml_text(out, aval);
	fputs("\">", out);
	xml_text(out, text);
	fprintf(out, "</cbc:%s>\n", name);
}

/* An amount: exact, two places (BR-DEC-*); more places is an error. */
static bool amount_of(const char *what, const char *s, Dec *d, InvoiceError *e)
{
	if (dec_parse(s, strlen(s), d) != DEC_OK)
		return fail(e, E_DATA, "%s is '%s', not an exact decimal", what, s);
	Dec cent, r;
	dec_parse("0.01", 4, &cent);
	if (dec_round(*d, cent, ROUND_HALF_UP, &r) != DEC_OK || dec_cmp(r, *d) != 0)
		return fail(e, E_DATA, "%s is %s: an e-invoice amount has at most two decimals", what, s);
	return true;
}

static void money(FILE *out, int indent, const char *name, Dec d, const char *cur)
{
	char b[DEC_BUFSZ];
	elem_attr(out, indent, name, "currencyID", cur, dec_fmt_places(d, 2, b));
}

/* The UN/ECE Recommendation 20 code of an invoice_lines.unit. */
static const char *unit_code(const char *unit)
{
	static const struct { const char *unit, *code; } codes[] = {
		{ "hours", "HUR" }, { "hour", "HUR" }, { "days", "DAY" }, { "day", "DAY" },
		{ "each", "C62" }, { "unit", "C62" }, { "units", "C62" }, { "", "C62" },
	};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (strcmp(unit, codes[i].unit) == 0)
			return codes[i].code;
	return NULL;
}

/* The IBAN without its print grouping. */
static void compact(char *s)
{
	char *w = s;
	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = 0;
}

enum { S_NAME, S_STREET, S_POSTCODE, S_CITY, S_COUNTRY, S_VAT, S_KVK, S_EMAIL, S_IBAN, S_BIC, S_SCHEME, S_ENDPOINT };
enum { B_COUNTRY, B_VAT, B_STREET, B_POSTCODE, B_CITY, B_SCHEME, B_ENDPOINT };
enum { D_NUMBER, D_PROJECT, D_CUSTOMER, D_INVOICE_ON, D_DUE_ON, D_CURRENCY, D_NET, D_VAT_RATE, D_VAT, D_GROSS, D_VAT_TEXT,
       D_PO, D_STATUS, D_CREDIT_OF, D_SUPPLEMENT_OF };

/* Name every empty field of a party that EN 16931 or Peppol requires. */
static bool require(const Row *r, const int *cols, const char *const *names, int n, const char *who, InvoiceError *e)
{
	char missing[400] = "";
	size_t len = 0;
	for (int i = 0; i < n; i++)
		if (!*r->v[cols[i]] && len < sizeof missing)
			len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "", names[i]);
	if (!len)
		return true;
	return fail(e, E_DATA, "%s has no %s (an e-invoice needs them: sow import --upsert them)", who, missing);
}

typedef struct Doc {
	Row d, s, b;
	bool credit;
	char cat[3];     /* S, AE or O */
	char percent[DEC_BUFSZ];
	Dec net, vat, gross;
	const char *cur;
} Doc;

static void party_address(FILE *out, const char *street, const char *city, const char *postcode, const char *country)
{
	fputs("      <cac:PostalAddress>\n", out);
	elem(out, 8, "StreetName", street);
	elem(out, 8, "CityName", city);
	elem(out, 8, "PostalZone", postcode);
	fputs("        <cac:Country>\n", out);
	elem(out, 10, "IdentificationCode", country);
	fputs("        </cac:Country>\n      </cac:PostalAddress>\n", out);
}

static void tax_scheme(FILE *out, int indent)
{
	fprintf(out, "%*s<cac:TaxScheme>\n%*s<cbc:ID>VAT</cbc:ID>\n%*s</cac:TaxScheme>\n", indent, "", indent + 2, "", indent, "");
}

static void party_vat(FILE *out, const char *vat)
{
	fputs("      <cac:PartyTaxScheme>\n", out);
	elem(out, 8, "CompanyID", vat);
	tax_scheme(out, 8);
	fputs("      </cac:PartyTaxScheme>\n", out);
}

static void parties(FILE *out, const Doc *x)
{
	const Row *s = &x->s, *b = &x->b;
	bool vat_ids = strcmp(x->cat, "O") != 0;
	fputs("  <cac:AccountingSupplierParty>\n    <cac:Party>\n", out);
	elem_attr(out, 6, "EndpointID", "schemeID", s->v[S_SCHEME], s->v[S_ENDPOINT]);
	fputs("      <cac:PartyName>\n", out);
	elem(out, 8, "Name", s->v[S_NAME]);
	fputs("      </cac:PartyName>\n", out);
	party_address(out, s->v[S_STREET], s->v[S_CITY], s->v[S_POSTCODE], s->v[S_COUNTRY]);
	if (vat_ids)
		party_vat(out, s->v[S_VAT]);
	fputs("      <cac:PartyLegalEntity>\n", out);
	elem(out, 8, "RegistrationName", s->v[S_NAME]);
	elem_attr(out, 8, "CompanyID", "schemeID", "0106", s->v[S_KVK]);
	fputs("      </cac:PartyLegalEntity>\n", out);
	if (*s->v[S_EMAIL]) {
		fputs("      <cac:Contact>\n", out);
		elem(out, 8, "ElectronicMail", s->v[S_EMAIL]);
		fputs("      </cac:Contact>\n", out);
	}
	fputs("    </cac:Party>\n  </cac:AccountingSupplierParty>\n", out);

	fputs("  <cac:AccountingCustomerParty>\n    <cac:Party>\n", out);
	elem_attr(out, 6, "EndpointID", "schemeID", b->v[B_SCHEME], b->v[B_ENDPOINT]);
	fputs("      <cac:PartyName>\n", out);
	elem(out, 8, "Name", x->d.v[D_CUSTOMER]);
	fputs("      </cac:PartyName>\n", out);
	party_address(out, b->v[B_STREET], b->v[B_CITY], b->v[B_POSTCODE], b->v[B_COUNTRY]);
	if (vat_ids && *b->v[B_VAT])
		party_vat(out, b->v[B_VAT]);
	fputs("      <cac:PartyLegalEntity>\n", out);
	elem(out, 8, "RegistrationName", x->d.v[D_CUSTOMER]);
	fputs("      </cac:PartyLegalEntity>\n    </cac:Party>\n  </cac:AccountingCustomerParty>\n", out);
}

/* The category of a tax subtotal or a line: ID, Percent (not for O), the
 * exemption reason (AE and O). */
static void category(FILE *out, int indent, const char *tag, const Doc *x, bool reason)
{
	fprintf(out, "%*s<cac:%s>\n", indent, "", tag);
	elem(out, indent + 2, "ID", x->cat);
	if (strcmp(x->cat, "O") != 0)
		elem(out, indent + 2, "Percent", x->percent);
	if (reason && strcmp(x->cat, "S") != 0) {
		elem(out, indent + 2, "TaxExemptionReasonCode", strcmp(x->cat, "AE") == 0 ? "VATEX-EU-AE" : "VATEX-EU-O");
		elem(out, indent + 2, "TaxExemptionReason", x->d.v[D_VAT_TEXT]);
	}
	tax_scheme(out, indent + 2);
	fprintf(out, "%*s</cac:%s>\n", indent, "", tag);
}

/* The lines, their amounts turned positive for a credit note; their sum
 * into *sum. A negative unit price (a credit's line) moves its sign to the
 * quantity: EN 16931 prices are never negative (BR-27). */
static bool lines(sqlite3 *db, FILE *out, const Doc *x, Dec *sum, InvoiceError *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT line, description, quantity, unit, unit_price, amount FROM invoice_lines "
				   "WHERE number = ? ORDER BY line", -1, &st, NULL) != SQLITE_OK)
		return fail(e, E_DB, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, x->d.v[D_NUMBER], -1, SQLITE_STATIC);
	const char *tag = x->credit ? "CreditNoteLine" : "InvoiceLine";
	const char *qty_tag = x->credit ? "CreditedQuantity" : "InvoicedQuantity";
	*sum = dec_from_int(0);
	int n = 0, rc;
	bool ok = true;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t[6];
		for (int c = 0; c < 6; c++)
			t[c] = sqlite3_column_text(st, c) ? (const char *)sqlite3_column_text(st, c) : "";
		char what[700];
		Dec q, p, a;
		snprintf(what, sizeof what, "invoice_lines: line %s of %s: amount", t[0], x->d.v[D_NUMBER]);
		if (!amount_of(what, t[5], &a, e)) {
			ok = false;
			break;
		}
		if (dec_parse(t[2], strlen(t[2]), &q) != DEC_OK || dec_parse(t[4], strlen(t[4]), &p) != DEC_OK) {
			ok = fail(e, E_DATA, "invoice_lines: line %s of %s: quantity '%s' or unit_price '%s' is not an exact decimal",
				  t[0], x->d.v[D_NUMBER], t[2], t[4]);
			break;
		}
		const char *code = unit_code(t[3]);
		if (!code) {
			ok = fail(e, E_DATA, "invoice_lines: line %s of %s: unit '%s' has no UN/ECE code here (hours, days, each)",
				  t[0], x->d.v[D_NUMBER], t[3]);
			break;
		}
		if (dec_sign(p) < 0) {
			p = dec_neg(p);
			q = dec_neg(q);
		}
		if (x->credit) {
			q = dec_neg(q);
			a = dec_neg(a);
		}
		if (dec_add(*sum, a, sum) != DEC_OK) {
			ok = fail(e, E_DATA, "the lines of %s overflow", x->d.v[D_NUMBER]);
			break;
		}
		char qb[DEC_BUFSZ], pb[DEC_BUFSZ];
		fprintf(out, "  <cac:%s>\n", tag);
		elem(out, 4, "ID", t[0]);
		elem_attr(out, 4, qty_tag, "unitCode", code, dec_fmt(q, qb));
		money(out, 4, "LineExtensionAmount", a, x->cur);
		fputs("    <cac:Item>\n", out);
		elem(out, 6, "Name", *t[1] ? t[1] : "(no description)");
		category(out, 6, "ClassifiedTaxCategory", x, false);
		fputs("    </cac:Item>\n    <cac:Price>\n", out);
		elem_attr(out, 6, "PriceAmount", "currencyID", x->cur, dec_fmt(p, pb));
		fprintf(out, "    </cac:Price>\n  </cac:%s>\n", tag);
		n++;
	}
	if (ok && rc != SQLITE_DONE)
		ok = fail(e, E_DB, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (ok && n == 0)
		ok = fail(e, E_DATA, "invoice %s has no lines in invoice_lines", x->d.v[D_NUMBER]);
	return ok;
}

/* Check the stored draft, choose its VAT category and read its parties. */
static bool prepare(sqlite3 *db, const char *path, const char *number, Doc *x, InvoiceError *e)
{
	bool found;
	if (!row_of(db, "SELECT number, project_id, customer, invoice_on, due_on, currency, net, vat_rate, vat, gross, "
			"vat_text, po_reference, status, credit_of, supplement_of FROM invoice_drafts WHERE number = ? ORDER BY rowid DESC LIMIT 1",
		    number, &x->d, &found, e))
		return false;
	if (!found)
		return invoice_unknown(db, path, number, e);
	const Row *d = &x->d;
	x->credit = *d->v[D_CREDIT_OF] != 0;
	const char *status = d->v[D_STATUS];
	if (strcmp(status, "final") != 0 && strcmp(status, "sent") != 0)
		return fail(e, E_DATA, "%s: %s %s is %s, not sendable as an e-invoice%s", path, x->credit ? "credit" : "invoice",
			    number, strcmp(status, "draft") == 0 ? "a draft" : status,
			    strcmp(status, "draft") == 0 ? ": review it, then sow invoice --finalize it" : "");
	if (!*d->v[D_VAT_RATE] || !*d->v[D_VAT] || !*d->v[D_GROSS])
		return fail(e, E_DATA, "%s: invoice %s has no VAT determined", path, number);
	x->cur = d->v[D_CURRENCY];
	if (!amount_of("invoice_drafts: net", d->v[D_NET], &x->net, e) || !amount_of("invoice_drafts: vat", d->v[D_VAT], &x->vat, e) ||
	    !amount_of("invoice_drafts: gross", d->v[D_GROSS], &x->gross, e))
		return false;
	if (x->credit) {
		x->net = dec_neg(x->net);
		x->vat = dec_neg(x->vat);
		x->gross = dec_neg(x->gross);
	}
	Dec rate, pct;
	if (dec_parse(d->v[D_VAT_RATE], strlen(d->v[D_VAT_RATE]), &rate) != DEC_OK ||
	    dec_mul(rate, dec_from_int(100), &pct) != DEC_OK)
		return fail(e, E_DATA, "invoice_drafts: %s: vat_rate '%s' is not an exact decimal", number, d->v[D_VAT_RATE]);
	dec_fmt(dec_trim(pct, 0), x->percent);

	if (!row_of(db, "SELECT name, street, postcode, city, country, vat_number, chamber_of_commerce, email, iban, bic, "
			"endpoint_scheme, endpoint_id FROM seller LIMIT 1", NULL, &x->s, &found, e))
		return false;
	if (!found)
		return fail(e, E_DATA, "%s: table seller is empty: import the one row that issues the invoices", path);
	if (!row_of(db, "SELECT country, vat_number, customer_street, customer_postcode, customer_city, customer_endpoint_scheme, "
			"customer_endpoint_id FROM projects WHERE id = ?", d->v[D_PROJECT], &x->b, &found, e))
		return false;
	if (!found)
		return fail(e, E_DATA, "%s: invoice %s: its project '%s' is not in projects", path, number, d->v[D_PROJECT]);

	int sign = dec_sign(rate);
	if (sign < 0)
		return fail(e, E_DATA, "invoice_drafts: %s: negative vat_rate %s", number, d->v[D_VAT_RATE]);
	bool eu = country_in_eu(x->b.v[B_COUNTRY]);
	snprintf(x->cat, sizeof x->cat, "%s", sign > 0 ? "S" : eu ? "AE" : "O");

	static const int scols[] = { S_NAME, S_STREET, S_POSTCODE, S_CITY, S_COUNTRY, S_KVK, S_SCHEME, S_ENDPOINT };
	static const char *const snames[] = { "name", "street", "postcode", "city", "country", "chamber_of_commerce",
					      "endpoint_scheme", "endpoint_id" };
	if (!require(&x->s, scols, snames, 8, "seller", e))
		return false;
	if (strcmp(x->cat, "O") != 0 && !*x->s.v[S_VAT])
		return fail(e, E_DATA, "seller has no vat_number (category %s needs it)", x->cat);
	if (!x->credit && !*x->s.v[S_IBAN])
		return fail(e, E_DATA, "seller has no iban: the invoice must say where to pay");
	static const int bcols[] = { B_COUNTRY, B_STREET, B_POSTCODE, B_CITY, B_SCHEME, B_ENDPOINT };
	static const char *const bnames[] = { "country", "customer_street", "customer_postcode", "customer_city",
					      "customer_endpoint_scheme", "customer_endpoint_id" };
	char who[700];
	snprintf(who, sizeof who, "project %s (the buyer of %s)", d->v[D_PROJECT], number);
	if (!require(&x->b, bcols, bnames, 6, who, e))
		return false;
	if (strcmp(x->cat, "AE") == 0 && !*x->b.v[B_VAT])
		return fail(e, E_DATA, "%s has no vat_number: reverse charge needs the buyer's", who);
	if (strcmp(x->cat, "S") != 0 && !*d->v[D_VAT_TEXT])
		return fail(e, E_DATA, "invoice_drafts: %s: VAT category %s needs its exemption text (vat_text)", number, x->cat);
	compact(x->s.v[S_IBAN]);
	return true;
}

static bool document(sqlite3 *db, FILE *out, Doc *x, InvoiceError *e)
{
	const Row *d = &x->d;
	const char *root = x->credit ? "CreditNote" : "Invoice";
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<%s xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:%s-2\"\n"
		     "    xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\"\n"
		     "    xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n",
		root, root);
	elem(out, 2, "CustomizationID", customization);
	elem(out, 2, "ProfileID", profile);
	elem(out, 2, "ID", d->v[D_NUMBER]);
	elem(out, 2, "IssueDate", d->v[D_INVOICE_ON]);
	if (!x->credit)
		elem(out, 2, "DueDate", d->v[D_DUE_ON]);
	elem(out, 2, x->credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", x->credit ? "381" : "380");
	elem(out, 2, "DocumentCurrencyCode", x->cur);
	/* Peppol needs a buyer reference or an order reference (R003): the
	 * PO where there is one, else the project the customer knows */
	elem(out, 2, "BuyerReference", *d->v[D_PO] ? d->v[D_PO] : d->v[D_PROJECT]);
	if (*d->v[D_PO]) {
		fputs("  <cac:OrderReference>\n", out);
		elem(out, 4, "ID", d->v[D_PO]);
		fputs("  </cac:OrderReference>\n", out);
	}
	/* a credit, or a supplementary invoice (SPEC 9.1), names the invoice it
	 * corrects: BG-3, the preceding invoice reference */
	const char *of = x->credit ? d->v[D_CREDIT_OF] : d->v[D_SUPPLEMENT_OF];
	if (*of) {
		Row o;
		bool found;
		if (!row_of(db, "SELECT invoice_on FROM invoice_drafts WHERE number = ? ORDER BY rowid DESC LIMIT 1",
			    of, &o, &found, e))
			return false;
		fputs("  <cac:BillingReference>\n    <cac:InvoiceDocumentReference>\n", out);
		elem(out, 6, "ID", of);
		if (found)
			elem(out, 6, "IssueDate", o.v[0]);
		fputs("    </cac:InvoiceDocumentReference>\n  </cac:BillingReference>\n", out);
	}
	parties(out, x);
	if (!x->credit) {
		/* SEPA credit transfer in euros, a plain credit transfer otherwise */
		fputs("  <cac:PaymentMeans>\n", out);
		elem(out, 4, "PaymentMeansCode", strcmp(x->cur, "EUR") == 0 ? "58" : "30");
		elem(out, 4, "PaymentID", d->v[D_NUMBER]);
		fputs("    <cac:PayeeFinancialAccount>\n", out);
		elem(out, 6, "ID", x->s.v[S_IBAN]);
		elem(out, 6, "Name", x->s.v[S_NAME]);
		if (*x->s.v[S_BIC]) {
			fputs("      <cac:FinancialInstitutionBranch>\n", out);
			elem(out, 8, "ID", x->s.v[S_BIC]);
			fputs("      </cac:FinancialInstitutionBranch>\n", out);
		}
		fputs("    </cac:PayeeFinancialAccount>\n  </cac:PaymentMeans>\n", out);
	}
	fputs("  <cac:TaxTotal>\n", out);
	money(out, 4, "TaxAmount", x->vat, x->cur);
	fputs("    <cac:TaxSubtotal>\n", out);
	money(out, 6, "TaxableAmount", x->net, x->cur);
	money(out, 6, "TaxAmount", x->vat, x->cur);
	category(out, 6, "TaxCategory", x, true);
	fputs("    </cac:TaxSubtotal>\n  </cac:TaxTotal>\n", out);

	/* the lines go last in the document but their sum is a total: write
	 * them aside first */
	char *buf = NULL;
	size_t len = 0;
	FILE *ls = open_memstream(&buf, &len);
	if (!ls)
		return fail(e, E_DB, "out of memory");
	Dec sum;
	bool ok = lines(db, ls, x, &sum, e);
	fclose(ls);
	Dec gross;
	char a[DEC_BUFSZ], b[DEC_BUFSZ];
	if (ok && dec_cmp(sum, x->net) != 0)
		ok = fail(e, E_DATA, "invoice %s: its lines sum to %s but its net is %s", d->v[D_NUMBER], dec_fmt(sum, a),
			  dec_fmt(x->net, b));
	if (ok && (dec_add(x->net, x->vat, &gross) != DEC_OK || dec_cmp(gross, x->gross) != 0))
		ok = fail(e, E_DATA, "invoice %s: net plus VAT is not its gross %s", d->v[D_NUMBER], d->v[D_GROSS]);
	if (ok) {
		fputs("  <cac:LegalMonetaryTotal>\n", out);
		money(out, 4, "LineExtensionAmount", sum, x->cur);
		money(out, 4, "TaxExclusiveAmount", x->net, x->cur);
		money(out, 4, "TaxInclusiveAmount", x->gross, x->cur);
		money(out, 4, "PayableAmount", x->gross, x->cur);
		fputs("  </cac:LegalMonetaryTotal>\n", out);
		fwrite(buf, 1, len, out);
		fprintf(out, "</%s>\n", root);
	}
	free(buf);
	return ok;
}

/* Write the text to path through a temporary file beside it, renamed over
 * it: a reader sees the old file or the whole new one, never a part. */
static bool write_atomically(const char *path, const char *text, size_t len, InvoiceError *e)
{
	char tmp[4096];
	const char *slash = strrchr(path, '/');
	int dir = slash ? (int)(slash - path) + 1 : 0;
	if (snprintf(tmp, sizeof tmp, "%.*s.%s.XXXXXX", dir, path, path + dir) >= (int)sizeof tmp)
		return fail(e, E_DB, "%s: path too long", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return fail(e, E_DB, "%s: cannot create a file beside it: %s", path, strerror(errno));
	FILE *f = fdopen(fd, "w");
	bool ok = f && fwrite(text, 1, len, f) == len && fflush(f) == 0 && fsync(fd) == 0;
	int saved = errno;
	if (f ? fclose(f) != 0 : close(fd) != 0)
		ok = false;
	if (ok && rename(tmp, path) == 0)
		return true;
	saved = saved ? saved : errno;
	unlink(tmp);
	return fail(e, E_DB, "%s: cannot write: %s", path, strerror(saved));
}

bool invoice_ubl(const char *path, const char *number, const char *output, InvoiceError *e)
{
	char msg[512];
	sqlite3 *db = store_open(path, STORE_READ, msg, sizeof msg);
	if (!db)
		return fail(e, E_DB, "%s", msg);
	Doc *x = calloc(1, sizeof *x);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = x ? open_memstream(&buf, &len) : NULL;
	bool ok = mem ? true : fail(e, E_DB, "out of memory");
	if (ok)
		ok = prepare(db, path, number, x, e) && document(db, mem, x, e);
	if (mem)
		fclose(mem);
	sqlite3_close(db);
	free(x);
	if (ok) {
		if (output)
			ok = write_atomically(output, buf, len, e);
		else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0)
			ok = fail(e, E_DB, "cannot write the document: %s", strerror(errno));
	}
	free(buf);
	return ok;
}
