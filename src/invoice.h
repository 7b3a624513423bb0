/* invoice.h: credit invoices, finalizing, the printable page, and the
 * numbering line of the run summary (invoice.c). */
#ifndef SOW_INVOICE_H
#define SOW_INVOICE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "date.h"
#include "sequence.h"

/* What went wrong, naming the database and the invoice; status is the exit
 * status (1 bad data or refused, 2 usage, 3 database or I/O). */
typedef struct InvoiceError {
	int status;
	char msg[768];
} InvoiceError;

/* Set e (status and message) and return false. */
bool invoice_fail(InvoiceError *e, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* sow credit: a credit invoice (a draft) against final invoice `number`,
 * reason "cancelled" (dated today) or "mistake" (dated as the invoice), for
 * `amount` (net, NULL: all that is left). Its number goes into created. */
bool invoice_credit(const char *db_path, const char *number, const char *reason, const char *amount, Date today,
		    char *created, size_t n, InvoiceError *e);
/* sow invoice --finalize: draft -> final; --sent: final -> sent. */
bool invoice_finalize(const char *db_path, const char *number, InvoiceError *e);
bool invoice_sent(const char *db_path, const char *number, InvoiceError *e);
/* sow invoice --html: the printable page of one invoice. */
bool invoice_html(const char *db_path, const char *number, FILE *out, InvoiceError *e);
/* The error for an invoice number that is not in invoice_drafts (false). */
bool invoice_unknown(sqlite3 *db, const char *path, const char *number, InvoiceError *e);
/* The run summary's line: numbers drawn, kept and voided at commit. */
void invoice_numbering(const SequenceStats *s, const char *indent, FILE *out);

#endif
