/* serve.h: `sow serve`, the read-only web view (serve.c), and one request
 * answered without a socket (for tests and a fuzzing harness). */
#ifndef SOW_SERVE_H
#define SOW_SERVE_H

#include "pages.h"

typedef struct ServeOptions {
	const char *argv0;
	const char *db_path;
	const char *bind;      /* "127.0.0.1" unless told */
	int port;              /* 0: any free port */
	char **paths;          /* rule files, for why */
	int npaths;
} ServeOptions;

/* Listen until SIGTERM or SIGINT; the exit status (0 when stopped so). */
int serve_main(const ServeOptions *o);

/* Route one request (method, decoded path; p's param gives the query) to
 * its page: p gets the status, type and body. */
void serve_request(Site *s, const char *method, const char *path, Page *p);

#endif
