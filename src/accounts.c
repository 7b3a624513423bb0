/* accounts.c: account mappings, checked and looked up.
 *
 * Written in the language's syntax (grammar/sow.y, `accounts`) and checked
 * like an import mapping (importmap.c): every kind and condition is known
 * (did-you-mean otherwise), every value is one its column accepts
 * (validate.c for countries and project kinds), every kind has an account
 * without conditions, and no two clauses say the same thing. */
#include "accounts.h"

#include <string.h>

#include "money.h"
#include "parse.h"
#include "schema.h"
#include "validate.h"

#define ERR(D, src, loc, ...) diag_at(D, src, loc, DIAG_ERROR, __VA_ARGS__)

static const char *const kinds[ACC__COUNT] = {
	"receivable", "contract_asset", "contract_liability", "revenue", "vat_payable", "fx_gain", "fx_loss", "rounding",
};
static const char *const classes[ACC__COUNT] = {
	"assets", "assets", "liabilities", "revenues", "liabilities", "revenues", "expenses", "expenses",
};
static const char *const keys[AK__COUNT] = { "country", "kind", "currency", "source", "basis", "vat_rate" };

const char *account_kind_name(AccountKind k) { return kinds[k]; }
const char *account_kind_class(AccountKind k) { return classes[k]; }

/* Which conditions make sense for which amounts: a revenue line has a
 * source and a basis, a VAT amount its invoice's rate; every amount
 * belongs to a project (country, kind) and has a currency. */
static bool key_applies(AccountKind k, AccountKey key)
{
	if (key == AK_SOURCE || key == AK_BASIS)
		return k == ACC_REVENUE;
	if (key == AK_VAT_RATE)
		return k == ACC_VAT_PAYABLE;
	return true;
}

/* A code or title becomes part of an hledger account name and a CSV field:
 * printable, no colon (hledger's separator), no tab or double space (its
 * end of an account name), no ';' (its comment), not blank at either end. */
static const char *name_problem(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return "is empty";
	if (s[0] == ' ' || s[n - 1] == ' ')
		return "starts or ends with a space";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f)
			return "holds a control character";
		if (ch == ':' || ch == ';')
			return "holds ':' or ';' (hledger reads them as an account separator and a comment)";
		if (ch == ' ' && s[i + 1] == ' ')
			return "holds two spaces in a row (hledger reads them as the end of the account name)";
	}
	return NULL;
}

static bool cond_value(const Src *src, Diag *D, AccountCond *c, const Node *v)
{
	c->value = v->s;
	switch (c->key) {
	case AK_COUNTRY:
	case AK_KIND: {
		const TableDef *t = schema_table("projects");
		int col = schema_column(t, c->key == AK_COUNTRY ? "country" : "kind");
		Invalid w;
		if (!*v->s || !validate_value(t, col, v->s, strlen(v->s), &w)) {
			ERR(D, src, v->loc, "%s: %s", keys[c->key], *v->s ? w.msg : "an empty text matches nothing");
			return false;
		}
		return true;
	}
	case AK_CURRENCY:
		if (!money_is_currency(v->s)) {
			ERR(D, src, v->loc, "currency: '%s' is not an ISO 4217 currency code", v->s);
			return false;
		}
		return true;
	case AK_VAT_RATE:
		if (v->kind != N_NUM || dec_parse(v->s, strlen(v->s), &c->rate) != DEC_OK || dec_sign(c->rate) < 0 ||
		    dec_cmp(c->rate, dec_from_int(1)) >= 0) {
			ERR(D, src, v->loc, "vat_rate is a number from 0 up to 1 (0.21 for 21%%), not '%s'", v->s);
			return false;
		}
		return true;
	default:
		if (!*v->s) {
			ERR(D, src, v->loc, "%s: an empty text matches nothing", keys[c->key]);
			return false;
		}
		return true;
	}
}

static bool cond_equal(const AccountCond *a, const AccountCond *b)
{
	if (a->key != b->key)
		return false;
	return a->key == AK_VAT_RATE ? dec_cmp(a->rate, b->rate) == 0 : strcmp(a->value, b->value) == 0;
}

/* Same kind and the same set of conditions (in any order). */
static bool same_clause(const AccountRule *a, const AccountRule *b)
{
	if (a->kind != b->kind || a->nconds != b->nconds)
		return false;
	for (int i = 0; i < a->nconds; i++) {
		bool found = false;
		for (int j = 0; j < b->nconds && !found; j++)
			found = cond_equal(&a->conds[i], &b->conds[j]);
		if (!found)
			return false;
	}
	return true;
}

bool accounts_compile(Accounts *A, Arena *arena, const Src *src, const Node *it, Diag *D)
{
	int before = D->errors;
	memset(A, 0, sizeof *A);
	A->name = it->s;
	A->path = src->path;
	int n = 0;
	for (const Node *c = it->a; c; c = c->next)
		n++;
	A->rules = arena_alloc(arena, (size_t)(n ? n : 1) * sizeof *A->rules);
	const Node **at = arena_alloc(arena, (size_t)(n ? n : 1) * sizeof *at);
	for (const Node *c = it->a; c; c = c->next) {
		if (c->kind != N_ACCOUNT)
			continue;
		int k = 0;
		while (k < ACC__COUNT && strcmp(kinds[k], c->s) != 0)
			k++;
		if (k == ACC__COUNT) {
			const char *s = diag_suggest(c->s, kinds, ACC__COUNT);
			ERR(D, src, c->c->loc, "unknown kind of amount '%s'%s%s%s (receivable, contract_asset, contract_liability, "
			    "revenue, vat_payable, fx_gain, fx_loss, rounding)", c->s, s ? "; did you mean '" : "", s ? s : "",
			    s ? "'?" : "");
			continue;
		}
		const char *why = name_problem(c->s2);
		if (why)
			ERR(D, src, c->d->loc, "the account code %s", why);
		if (c->b && (why = name_problem(c->b->s)))
			ERR(D, src, c->b->loc, "the account name %s", why);
		AccountRule *r = &A->rules[A->nrules];
		*r = (AccountRule){ (AccountKind)k, c->s2, c->b ? c->b->s : NULL, NULL, 0, 0 };
		int col;
		diag_linecol(src, c->loc.beg, &r->line, &col);
		int nc = 0;
		for (const Node *q = c->a; q; q = q->next)
			nc++;
		r->conds = arena_alloc(arena, (size_t)(nc ? nc : 1) * sizeof *r->conds);
		bool ok = true;
		for (const Node *q = c->a; q; q = q->next) {
			int key = 0;
			while (key < AK__COUNT && strcmp(keys[key], q->s) != 0)
				key++;
			if (key == AK__COUNT) {
				const char *s = diag_suggest(q->s, keys, AK__COUNT);
				ERR(D, src, q->c->loc, "unknown condition '%s'%s%s%s (country, kind, currency; source and basis of "
				    "revenue; vat_rate of vat_payable)", q->s, s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
				ok = false;
				continue;
			}
			if (!key_applies((AccountKind)k, (AccountKey)key)) {
				ERR(D, src, q->c->loc, "%s amounts have no %s (%s is a condition of %s)", kinds[k], keys[key], keys[key],
				    key == AK_VAT_RATE ? "vat_payable" : "revenue");
				ok = false;
				continue;
			}
			AccountCond *cd = &r->conds[r->nconds];
			cd->key = (AccountKey)key;
			if (!cond_value(src, D, cd, q->a)) {
				ok = false;
				continue;
			}
			for (int j = 0; j < r->nconds; j++)
				if (r->conds[j].key == cd->key) {
					ERR(D, src, q->c->loc, "two conditions on %s: an amount has one %s", keys[key], keys[key]);
					ok = false;
				}
			r->nconds++;
		}
		if (!ok)
			continue;
		for (int j = 0; j < A->nrules; j++)
			if (same_clause(&A->rules[j], r)) {
				ERR(D, src, c->loc, "%s is mapped twice under the same conditions", kinds[k]);
				diag_at(D, src, at[j]->loc, DIAG_NOTE, "first mapped here");
				ok = false;
				break;
			}
		if (ok)
			at[A->nrules++] = c;
	}
	if (D->errors == before) {
		char missing[256] = "";
		for (int k = 0; k < ACC__COUNT; k++) {
			bool plain = false;
			for (int j = 0; j < A->nrules && !plain; j++)
				plain = A->rules[j].kind == (AccountKind)k && A->rules[j].nconds == 0;
			if (!plain)
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", *missing ? ", " : "", kinds[k]);
		}
		if (*missing)
			ERR(D, src, it->loc, "accounts \"%s\" has no account without conditions for %s (every kind of amount needs "
			    "one, for the amounts no condition takes: write KIND \"CODE\")", it->s, missing);
	}
	return D->errors == before;
}

bool accounts_load(Accounts *A, Arena *arena, const char *path, Diag *D)
{
	Src *src;
	const Node *found = parse_single_block(arena, path, N_ACCOUNTS, "an account mapping file", "accounts block",
					       "account mapping (accounts \"NAME\" { revenue \"8000\" ... })", D, &src);
	return found && accounts_compile(A, arena, src, found, D);
}

static bool holds(const AccountCond *c, const AccountFacts *f)
{
	const char *v = NULL;
	switch (c->key) {
	case AK_COUNTRY: v = f->country; break;
	case AK_KIND: v = f->kind; break;
	case AK_CURRENCY: v = f->currency; break;
	case AK_SOURCE: v = f->source; break;
	case AK_BASIS: v = f->basis; break;
	case AK_VAT_RATE: return f->has_vat_rate && dec_cmp(f->vat_rate, c->rate) == 0;
	default: return false;
	}
	return v && strcmp(v, c->value) == 0;
}

const AccountRule *accounts_find(const Accounts *A, AccountKind k, const AccountFacts *f)
{
	const AccountRule *best = NULL;
	for (int i = 0; i < A->nrules; i++) {
		const AccountRule *r = &A->rules[i];
		if (r->kind != k || (best && r->nconds <= best->nconds))
			continue;
		bool all = true;
		for (int j = 0; j < r->nconds && all; j++)
			all = holds(&r->conds[j], f);
		if (all)
			best = r;
	}
	return best;
}
