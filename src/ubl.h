/* ubl.h: one invoice or credit as a Peppol BIS Billing 3.0 UBL 2.1
 * document (ubl.c). */
#ifndef SOW_UBL_H
#define SOW_UBL_H

#include "invoice.h"

/* sow invoice --ubl: the final (or sent) invoice `number` as UBL, a credit as
 * a CreditNote; to `output` written atomically (a temporary file beside it,
 * renamed), or to stdout when output is NULL. Opens the database read-only. */
bool invoice_ubl(const char *db_path, const char *number, const char *output, InvoiceError *e);

#endif
