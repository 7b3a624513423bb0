/* journal.h: sow journal, the general-ledger journal of a period (SPEC 9.2).
 *
 * The entries of a period's latest run: the revenue it released (per
 * project, against the contract asset or the contract liability the
 * project's position holds) and the final and sent invoices and credits
 * dated in the period (receivable against the contract balances and VAT).
 * Each entry balances in its own currency and, translated at the rates the
 * runs and invoices used, in the books currency; FX differences and the
 * rounding of each total to the cent go to their own accounts. */
#ifndef SOW_JOURNAL_H
#define SOW_JOURNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "accounts.h"

typedef enum { LAYOUT_CSV, LAYOUT_XERO, LAYOUT_NETSUITE, LAYOUT_HLEDGER } JournalLayout;

/* The layout named s; false for an unknown name. */
bool journal_layout(const char *s, JournalLayout *out);

/* Write the journal of period (YYYY-MM) of the database at path in layout
 * to out. false: a message in err (naming the database, the period, or the
 * row that cannot be journaled), and nothing should be kept of out. */
bool journal_write(const char *path, const char *period, const Accounts *acc, JournalLayout layout, FILE *out,
		   char *err, size_t errsize);

/* The same into output (NULL: stdout), atomically: a temporary file in
 * output's folder renamed over it when complete, removed on failure. */
bool journal_to_file(const char *path, const char *period, const Accounts *acc, JournalLayout layout, const char *output,
		     char *err, size_t errsize);

#endif
