/* accounts.h: account mappings (`accounts "x" { ... }`, SPEC 9.2).
 *
 * An account mapping says which general-ledger account each kind of amount
 * of the journal goes to (revenue, contract assets and liabilities,
 * receivables, VAT, FX differences, rounding), optionally only when
 * conditions on the amount hold (the customer's country, the project's
 * kind, the currency; a revenue line's source or basis; an invoice's VAT
 * rate). accounts_compile checks a parsed mapping (`sow check` calls it, and
 * `sow journal` before it reads the database); accounts_find picks the
 * account of one amount. */
#ifndef SOW_ACCOUNTS_H
#define SOW_ACCOUNTS_H

#include <stdbool.h>

#include "ast.h"
#include "decimal.h"
#include "diag.h"

typedef enum {
	ACC_RECEIVABLE, ACC_CONTRACT_ASSET, ACC_CONTRACT_LIABILITY, ACC_REVENUE, ACC_VAT_PAYABLE,
	ACC_FX_GAIN, ACC_FX_LOSS, ACC_ROUNDING, ACC__COUNT
} AccountKind;

typedef enum { AK_COUNTRY, AK_KIND, AK_CURRENCY, AK_SOURCE, AK_BASIS, AK_VAT_RATE, AK__COUNT } AccountKey;

typedef struct {
	AccountKey key;
	const char *value;        /* text keys */
	Dec rate;                 /* AK_VAT_RATE */
} AccountCond;

typedef struct {
	AccountKind kind;
	const char *code;         /* the GL account's code, as the GL knows it */
	const char *title;        /* its name, or NULL */
	AccountCond *conds;
	int nconds;
	int line;                 /* where it is written, for messages */
} AccountRule;

typedef struct {
	const char *name;
	const char *path;
	AccountRule *rules;
	int nrules;
} Accounts;

/* What is known of one amount; NULL (or !has_vat_rate): not known, and a
 * condition on it does not hold. */
typedef struct {
	const char *country, *kind, *currency, *source, *basis;
	bool has_vat_rate;
	Dec vat_rate;
} AccountFacts;

/* Check item (an N_ACCOUNTS of src) and fill A, allocating in arena. Errors
 * are located in src and reported to D; returns false if there were any. */
bool accounts_compile(Accounts *A, Arena *arena, const Src *src, const Node *item, Diag *D);
/* Read, parse and compile the one account mapping in path. false: reported to D. */
bool accounts_load(Accounts *A, Arena *arena, const char *path, Diag *D);
/* The account of an amount of kind k: of the clauses whose conditions all
 * hold, the one with the most conditions, the first among equals. Never
 * NULL for a compiled mapping (each kind has a clause without conditions). */
const AccountRule *accounts_find(const Accounts *A, AccountKind k, const AccountFacts *f);
const char *account_kind_name(AccountKind k);
/* The top of the account's hledger name (assets, liabilities, revenues, expenses). */
const char *account_kind_class(AccountKind k);

#endif
