/* lsp.h: `sow lsp`, the Language Server. */
#ifndef SOW_LSP_H
#define SOW_LSP_H

#include <stdio.h>

/* Serve JSON-RPC messages from in until `exit` or end of input, answering
 * on out. Returns the exit status: 0 after shutdown then exit, else 1. */
int lsp_serve(FILE *in, FILE *out, const char *argv0);

#endif
