/* pages.h: the pages of the read-only web view (`sow serve`), each written
 * whole into a stream, with its HTTP status. serve.c routes a request to
 * one of them; they read the database through the Site and never write. */
#ifndef SOW_PAGES_H
#define SOW_PAGES_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "date.h"
#include "format.h"

struct Session;

/* What every page reads: the database (read-only) and, when rule files were
 * given, the session that answers `why`. */
typedef struct Site {
	sqlite3 *db;
	const char *db_path;
	char **paths;          /* rule files and folders, as `sow repl` takes them */
	int npaths;
	struct Session *S;     /* NULL without rule files: no why pages */
} Site;

/* A request's query parameter by name (decoded), or NULL. */
typedef const char *(*ParamFn)(void *arg, const char *name);

/* One page: its status, its content type and its body. */
typedef struct Page {
	int status;
	const char *type;      /* "text/html; charset=utf-8" unless a page says else */
	FILE *out;             /* the body */
	ParamFn param;
	void *arg;
} Page;

/* The `why` statement's answer as of a date into out (serve.c: the one
 * place that calls the session). False with the reason in out. */
bool site_why(Site *s, Date as_of, const char *statement, FILE *out);
/* Any question (an expression, a query, why) answered in format f into
 * out, as sow eval and the REPL answer it: the same statement layer
 * (stmt.h); its errors and notes into diag. */
bool site_answer(Site *s, Date as_of, const char *statement, Format f, FILE *out, FILE *diag);
/* Is path one of the rule files the session loaded (as it names them)? */
bool site_loaded(Site *s, const char *path);

void page_index(Site *s, Page *p);
void page_eval(Site *s, Page *p);
void page_run(Site *s, Page *p, long long run);
void page_run_table(Site *s, Page *p, long long run, const char *table);
void page_why(Site *s, Page *p, long long run, const char *table);
void page_invoice(Site *s, Page *p, const char *number);
void page_project(Site *s, Page *p, const char *id);
void page_row(Site *s, Page *p, const char *table, const char *id);
void page_source(Site *s, Page *p);
/* A page that says what went wrong: 404, 405, 400 or 500. */
void page_error(Page *p, int status, const char *what);
void page_errorf(Page *p, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
