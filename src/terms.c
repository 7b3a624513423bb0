/* terms.c: a SOW block's own checks (SPEC 6.1, 8.7).
 *
 * They need nothing but the block, its file and the program's rounding
 * policies, so the loader can check a SOW file before it compacts it
 * (compact.c) without the checker, and the checker runs the same checks
 * on every SOW it meets. */
#include "terms.h"

#include <stdio.h>
#include <string.h>

#include "money.h"
#include "ops.h"

typedef struct {
	Program *P;
	Diag *D;
	Module *mod;          /* file the SOW is in */
} Tk;

#define ERR(C, loc, ...) diag_at((C)->D, (C)->mod->src, (loc), DIAG_ERROR, __VA_ARGS__)
#define WARN(C, loc, ...) diag_at((C)->D, (C)->mod->src, (loc), DIAG_WARNING, __VA_ARGS__)

static const char *const billing_terms[] = {
	"on_sow_execution", "on_order_form", "time_and_materials", "milestone", "half_and_half", "on_completion",
};
const char *terms_billing(int i)
{
	return i >= 0 && i < (int)(sizeof billing_terms / sizeof *billing_terms) ? billing_terms[i] : NULL;
}


/* Why a clause may not stand in an amendment (SPEC 8.7), or NULL if it may. */
static const char *not_amendable(NodeKind k)
{
	switch (k) {
	case N_CUSTOMER: return "the customer is the other party to the SOW; a new customer needs a new SOW";
	case N_CURRENCY: return "a SOW is priced, released and billed in one currency; rows already released would mix two";
	case N_BILLING: return "the billing term decides how rows already billed and released were counted; a new term needs a new SOW";
	case N_SOWCAL: return "business days already counted (acceptance windows under way) would move";
	case N_ACCEPTANCE: return "acceptance windows already under way would change length; amend the SOW itself";
	case N_SOWROUND: return "a rounding policy applies to the whole SOW, not from a date; released rows are never repriced";
	case N_AMENDMENT: return "amendments stand in the sow block, one after another";
	default: return NULL;
	}
}

/* The clauses of a SOW or of one of its amendments (amend set): each valid,
 * and each that may appear once given once. */
static void ck_sow_clauses(Tk *C, Node *list, Node **seen, Node *amend)
{
	Map roles = { 0 };
	for (Node *c = list; c; c = c->next) {
		const char *why = amend ? not_amendable(c->kind) : NULL;
		if (why) {
			ERR(C, c->loc, "'%.*s' cannot stand in amendment \"%s\": %s", (int)strcspn(C->mod->src->text + c->loc.beg, " \t\n"),
			    C->mod->src->text + c->loc.beg, amend->s, why);
			continue;
		}
		bool repeatable = c->kind == N_RATE || c->kind == N_MILESTONE || c->kind == N_TRAINING || c->kind == N_SOWROUND ||
				  c->kind == N_AMENDMENT;
		if (!repeatable && seen[c->kind]) {
			ERR(C, c->loc, "'%.*s' is given twice in this %s", (int)strcspn(C->mod->src->text + c->loc.beg, " \t\n"),
			    C->mod->src->text + c->loc.beg, amend ? "amendment" : "SOW");
			diag_at(C->D, C->mod->src, seen[c->kind]->loc, DIAG_NOTE, "first given here");
			continue;
		}
		seen[c->kind] = c;
		Dec d;
		switch (c->kind) {
		case N_BILLING: {
			bool ok = false;
			for (int i = 0; i < 6; i++)
				ok |= strcmp(c->s, billing_terms[i]) == 0;
			if (!ok) {
				const char *s = diag_suggest(c->s, billing_terms, 6);
				ERR(C, c->a->loc, "unknown billing term '%s'%s%s%s (one of on_sow_execution, on_order_form, "
				    "time_and_materials, milestone, half_and_half, on_completion)", c->s,
				    s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
			}
			break;
		}
		case N_CURRENCY:
			if (c->op == 0 && !money_is_currency(c->s)) {
				const char *codes[256];
				const char *near = diag_suggest(c->s, codes, money_codes(codes, 256));
				ERR(C, c->loc, "unknown currency '%s'%s%s%s", c->s, near ? "; did you mean " : " (an ISO 4217 code such as USD or EUR)",
				    near ? near : "", near ? "?" : "");
			}
			break;
		case N_ACCEPTANCE:
			if (dec_parse(c->s, strlen(c->s), &d) != DEC_OK || !dec_is_int(d) || dec_sign(d) <= 0)
				ERR(C, c->a->loc, "the acceptance window is a whole number of business days, 1 or more");
			break;
		case N_AUTHORIZED:
			if (dec_parse(c->s, strlen(c->s), &d) != DEC_OK || dec_sign(d) <= 0)
				ERR(C, c->a->loc, "authorized hours must be more than zero");
			break;
		case N_RATE: {
			Node *prev = map_get(&roles, c->s);
			if (prev) {
				ERR(C, c->loc, "rate for role \"%s\" is given twice", c->s);
				diag_at(C->D, C->mod->src, prev->loc, DIAG_NOTE, "first given here");
			} else {
				map_put(&roles, c->s, c);
			}
			if (dec_parse(c->s2, strlen(c->s2), &d) != DEC_OK || dec_sign(d) <= 0)
				ERR(C, c->a->loc, "a rate must be more than zero");
			break;
		}
		case N_MILESTONE:
		case N_TRAINING:
			if (dec_parse(c->a->s, strlen(c->a->s), &d) != DEC_OK || dec_sign(d) <= 0)
				ERR(C, c->a->loc, "an amount must be more than zero");
			break;
		case N_SOWROUND: {
			Decl *pol = program_lookup(C->P, C->mod, c->s);
			if (!pol || pol->kind != D_ROUNDING) {
				ERR(C, c->loc, "unknown rounding policy '%s'", c->s);
			}
			RoundMode m;
			if (!round_mode_parse(c->s2, &m))
				ERR(C, c->b->loc, "unknown rounding mode '%s' (half_up, half_even, up, down)", c->s2);
			else
				c->idx = (int)m + 1; /* parsed once (builtin_round) */
			if (dec_parse(c->a->s, strlen(c->a->s), &d) != DEC_OK || dec_sign(d) <= 0)
				ERR(C, c->a->loc, "a rounding step must be more than zero");
			break;
		}
		case N_AMENDMENT:
			if (!*c->s)
				ERR(C, c->loc, "an amendment needs an id");
			break;
		default: break;
		}
	}
	map_free(&roles);
}

/* Does amendment b set a clause that a also sets? Returns b's clause.
 * (A milestone or training id given twice is reported by the loader.) */
static Node *same_clause(const Node *a, const Node *b)
{
	for (Node *x = a->a; x; x = x->next)
		for (Node *y = b->a; y; y = y->next)
			if (x->kind == y->kind && (x->kind == N_AUTHORIZED || (x->kind == N_RATE && strcmp(x->s, y->s) == 0)))
				return y;
	return NULL;
}

/* Amendments apply in date order; two of one SOW on the same day must not
 * set the same clause (which would win?), and ids are unique in the SOW. */
static void ck_amendments(Tk *C, Node *sow)
{
	for (Node *b = sow->a; b; b = b->next) {
		if (b->kind != N_AMENDMENT)
			continue;
		Node *seen[N__COUNT] = { 0 };
		ck_sow_clauses(C, b->a, seen, b);
		if (!b->a)
			WARN(C, b->loc, "amendment \"%s\" changes nothing", b->s);
		for (Node *a = sow->a; a != b; a = a->next) {
			if (a->kind != N_AMENDMENT)
				continue;
			if (strcmp(a->s, b->s) == 0) {
				ERR(C, b->loc, "amendment \"%s\" is given twice in SOW \"%s\"", b->s, sow->s);
				diag_at(C->D, C->mod->src, a->loc, DIAG_NOTE, "first given here");
				continue;
			}
			Node *y = strcmp(a->s2, b->s2) == 0 ? same_clause(a, b) : NULL;
			if (y) {
				char what[300];
				if (y->kind == N_AUTHORIZED)
					snprintf(what, sizeof what, "the authorized hours");
				else
					snprintf(what, sizeof what, "the rate for role \"%s\"", y->s);
				ERR(C, y->loc, "amendments \"%s\" and \"%s\" both take effect on %s and both set %s "
				    "(merge them, or give them different dates)", a->s, b->s, b->s2, what);
				diag_at(C->D, C->mod->src, a->loc, DIAG_NOTE, "amendment \"%s\" is here", a->s);
			}
		}
	}
}

/* Amounts with more places than the currency has (in amendments too). */
static void warn_places(Tk *C, Node *list, const char *cur, int minor)
{
	for (Node *c = list; c; c = c->next) {
		Dec d;
		if (c->kind == N_AMENDMENT)
			warn_places(C, c->a, cur, minor);
		else if ((c->kind == N_MILESTONE || c->kind == N_TRAINING) &&
			 dec_parse(c->a->s, strlen(c->a->s), &d) == DEC_OK && d.scale > minor)
			WARN(C, c->a->loc, "%s has more decimal places than %s's %d", c->a->s, cur, minor);
	}
}

static void ck_sow(Tk *C, Node *sow)
{
	Node *seen[N__COUNT] = { 0 };
	if (!*sow->s)
		ERR(C, sow->loc, "a SOW needs an id");
	ck_sow_clauses(C, sow->a, seen, NULL);
	sow->idx = SOW_ROUNDING_NONE;
	for (const Node *c = sow->a; c; c = c->next)
		if (c->kind == N_SOWROUND)
			sow->idx = SOW_ROUNDING_SOME;
	ck_amendments(C, sow);
	if (!seen[N_CURRENCY])
		ERR(C, sow->loc, "SOW \"%s\" has no currency (add: currency USD)", sow->s);
	if (!seen[N_BILLING])
		ERR(C, sow->loc, "SOW \"%s\" has no billing term (add: billing milestone, or another of the six)", sow->s);
	if (!seen[N_CUSTOMER])
		WARN(C, sow->loc, "SOW \"%s\" names no customer", sow->s);
	const char *cur = seen[N_CURRENCY] ? seen[N_CURRENCY]->s : NULL;
	int minor = cur ? money_minor_unit(cur) : -1;
	if (minor >= 0)
		warn_places(C, sow->a, cur, minor);
}


void terms_check_sow(Program *P, Module *m, Diag *D, Node *sow)
{
	Tk C = { .P = P, .D = D, .mod = m };
	ck_sow(&C, sow);
}

int terms_check(Program *P, Module *m, Diag *D)
{
	Tk C = { .P = P, .D = D, .mod = m };
	int before = D->errors + D->warnings;
	for (Node *it = m->items; it; it = it->next)
		if (it->kind == N_SOW)
			ck_sow(&C, it);
	return D->errors + D->warnings - before;
}
