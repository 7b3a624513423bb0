/* serve.c: `sow serve`, the read-only web view of the month-ends: HTTP
 * through libmicrohttpd (Debian's; no parser of our own), routing of a
 * request to its page (pages.c), and the one place that asks the session.
 *
 * One MHD thread polls every connection and runs the handler, so the
 * database handle and the session are only ever used by that thread; the
 * main thread waits for SIGTERM or SIGINT (blocked, then sigwait: no
 * handler, no global flag) and stops the daemon. */
#include "serve.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "pages.h"
#include "session.h"
#include "stmt.h"
#include "store.h"

typedef struct Server {
	Site site;
	Session S;
	bool session_open;
	const char *argv0;
	long long data_version;  /* the session's database as of its results */
} Server;

/* ---- the session: the one place serve asks it ---------------------------- */

static long long data_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

bool site_answer(Site *s, Date as_of, const char *statement, Format f, FILE *out, FILE *diag)
{
	Server *sv = (Server *)s;   /* the Site is the Server's first member */
	/* a run or an import beside us since the session's last answer: what it
	 * computed or kept may be out of date, so start it again */
	long long v = data_version(sv->S.db);
	if (v != sv->data_version) {
		session_close(&sv->S);
		sv->session_open = false;
		s->S = NULL;
		int rc = session_open(&sv->S, sv->argv0, s->db_path, s->paths, s->npaths, as_of);
		sv->session_open = true;
		if (rc != 0) {
			fputs("the rule files or the database could not be loaded again (see the server's log)\n", out);
			return false;
		}
		s->S = &sv->S;
		sv->data_version = data_version(sv->S.db);
	}
	session_set_asof(&sv->S, as_of);
	FILE *was = sv->S.D.out;
	sv->S.D.out = diag;   /* the statement's own errors and notes go on the page */
	Stmt st = { .text = statement, .len = strlen(statement), .origin = "<eval>", .line = 1 };
	bool ok = stmt_run(&sv->S, &st, f, out);
	sv->S.D.out = was;
	return ok;
}

bool site_why(Site *s, Date as_of, const char *statement, FILE *out)
{
	return site_answer(s, as_of, statement, FMT_TABLE, out, out);
}

bool site_loaded(Site *s, const char *path)
{
	if (!s->S)
		return false;
	const Program *P = &s->S->P;
	for (int i = 0; i < P->nmods; i++)
		if (strcmp(P->mods[i]->src->path, path) == 0)
			return true;
	return false;
}

/* ---- routing -------------------------------------------------------------- */

/* A run number: digits only, no sign, no leading blanks. */
static bool run_number(const char *s, long long *n)
{
	size_t len = strlen(s);
	if (len == 0 || len > 15 || strspn(s, "0123456789") != len)
		return false;
	*n = strtoll(s, NULL, 10);
	return true;
}

void serve_request(Site *s, const char *method, const char *path, Page *p)
{
	p->status = 200;
	p->type = "text/html; charset=utf-8";
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		page_error(p, 405, "this view is read-only: GET and HEAD only");
		return;
	}
	/* segments of the decoded path; an empty one, "." or ".." is no page */
	char buf[1024];
	char *seg[8];
	int n = 0;
	if (path[0] != '/' || strlen(path) >= sizeof buf) {
		page_error(p, 404, "no such page");
		return;
	}
	strcpy(buf, path + 1);
	if (*buf) {
		for (char *c = buf;;) {
			char *slash = strchr(c, '/');
			if (slash)
				*slash = 0;
			if (n == 8 || !*c || strcmp(c, ".") == 0 || strcmp(c, "..") == 0) {
				page_error(p, 404, "no such page");
				return;
			}
			seg[n++] = c;
			if (!slash)
				break;
			c = slash + 1;
		}
	}
	long long run;
	if (n == 0)
		page_index(s, p);
	else if (strcmp(seg[0], "runs") == 0 && n >= 2 && run_number(seg[1], &run) && n <= 4) {
		if (n == 2)
			page_run(s, p, run);
		else if (n == 3)
			page_run_table(s, p, run, seg[2]);
		else if (strcmp(seg[2], "why") == 0)
			page_why(s, p, run, seg[3]);
		else
			page_error(p, 404, "no such page");
	} else if (strcmp(seg[0], "invoices") == 0 && n == 2)
		page_invoice(s, p, seg[1]);
	else if (strcmp(seg[0], "projects") == 0 && n == 2)
		page_project(s, p, seg[1]);
	else if (strcmp(seg[0], "data") == 0 && n == 3)
		page_row(s, p, seg[1], seg[2]);
	else if (strcmp(seg[0], "source") == 0 && n == 1)
		page_source(s, p);
	else if (strcmp(seg[0], "eval") == 0 && n == 1)
		page_eval(s, p);
	else
		page_error(p, 404, "no such page");
}

/* ---- HTTP ----------------------------------------------------------------- */

static const char *query_param(void *arg, const char *name)
{
	return MHD_lookup_connection_value(arg, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method, const char *version,
			      const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	(void)upload;
	(void)con_cls;
	Server *sv = cls;
	/* answered on the first call, with the headers: a body (of a method
	 * refused anyway) is never read */
	*upload_size = 0;
	char *body = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	if (!out)
		return MHD_NO;
	Page p = { .out = out, .param = query_param, .arg = conn };
	serve_request(&sv->site, method, url, &p);
	if (fclose(out) != 0) {
		free(body);
		return MHD_NO;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", p.type);
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (p.status == 405)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)p.status, r);
	MHD_destroy_response(r);
	return ok;
}

/* The decimal collation: money, hours and rates sort by value, exactly. */
static int by_decimal(void *arg, int na, const void *a, int nb, const void *b)
{
	(void)arg;
	Dec x, y;
	bool xa = dec_parse(a, (size_t)na, &x) == DEC_OK, yb = dec_parse(b, (size_t)nb, &y) == DEC_OK;
	if (xa && yb)
		return dec_cmp(x, y);
	if (xa != yb)
		return xa ? -1 : 1;   /* numbers before anything else */
	int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
	return c ? c : na - nb;
}

int serve_main(const ServeOptions *o)
{
	static Server zero;
	Server *sv = malloc(sizeof *sv);
	if (!sv)
		return 3;
	*sv = zero;
	sv->argv0 = o->argv0;
	Site *s = &sv->site;
	s->db_path = o->db_path;
	s->paths = o->paths;
	s->npaths = o->npaths;
	int rc = 0;
	char err[512];
	struct MHD_Daemon *d = NULL;
	if (!(s->db = store_open(o->db_path, STORE_READ, err, sizeof err))) {
		fprintf(stderr, "sow: error: %s\n", err);
		rc = 3;
		goto done;
	}
	sqlite3_create_collation(s->db, "sow_decimal", SQLITE_UTF8, NULL, by_decimal);
	if (o->npaths) {
		rc = session_open(&sv->S, o->argv0, o->db_path, o->paths, o->npaths, date_today());
		sv->session_open = true;
		if (rc)
			goto done;
		s->S = &sv->S;
		sv->data_version = data_version(sv->S.db);
	}

	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} addr;
	memset(&addr, 0, sizeof addr);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	bool six = strchr(o->bind, ':') != NULL;
	if (!six && inet_pton(AF_INET, o->bind, &addr.in.sin_addr) == 1) {
		addr.in.sin_family = AF_INET;
		addr.in.sin_port = htons((uint16_t)o->port);
	} else if (six && inet_pton(AF_INET6, o->bind, &addr.in6.sin6_addr) == 1) {
		addr.in6.sin6_family = AF_INET6;
		addr.in6.sin6_port = htons((uint16_t)o->port);
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "sow serve: --bind %s: not an IPv4 or IPv6 address\n", o->bind);
		rc = 2;
		goto done;
	}

	/* SIGTERM and SIGINT wait for sigwait below; the MHD thread, started
	 * after this, inherits the mask and never sees them */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, answer, sv, MHD_OPTION_SOCK_ADDR, &addr.sa,
			     MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 32u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, 64u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "sow serve: cannot listen on %s port %d (in use, or not an address of this machine)\n", o->bind,
			o->port);
		rc = 3;
		goto done;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf(six ? "listening on http://[%s]:%u/\n" : "listening on http://%s:%u/\n", o->bind,
	       info ? (unsigned)info->port : (unsigned)o->port);
	fflush(stdout);
	int sig;
	sigwait(&stop, &sig);
done:
	if (d)
		MHD_stop_daemon(d);
	if (sv->session_open)
		session_close(&sv->S);
	sqlite3_close(s->db);
	free(sv);
	return rc;
}
