/* lsp.c: `sow lsp`, a Language Server (LSP 3.17) on stdin and stdout.
 *
 * Messages are JSON-RPC with Content-Length framing, read and written with
 * Jansson. Each open document is kept as its full text (full sync) and, after
 * every change, as a checked Program built the way `sow check --strict` builds
 * one (the document's imports resolve from its folder): the diagnostics are
 * that checker's errors and warnings, published for the document. Completion
 * offers keywords, billing terms, tables and relations, columns (after `x.`,
 * for the source x ranges over), functions with their parameters, constants,
 * rounding policies and modes; hover shows a definition's signature and the
 * comment above it; go to definition finds where a name is defined.
 * Positions are converted between byte offsets and the protocol's UTF-16
 * line/character pairs. */
#include "lsp.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builtin.h"
#include "check.h"
#include "doc.h"
#include "overlap.h"
#include "parse.h"
#include "schema.h"
#include "strict.h"
#include "terms.h"

enum { RPC_PARSE_ERROR = -32700, RPC_INVALID_REQUEST = -32600, RPC_METHOD_NOT_FOUND = -32601,
       RPC_INVALID_PARAMS = -32602 };
enum { CK_FUNCTION = 3, CK_FIELD = 5, CK_MODULE = 9, CK_KEYWORD = 14, CK_ENUM_MEMBER = 20, CK_CONSTANT = 21,
       CK_STRUCT = 22 };

typedef struct Doc {
	char *uri, *path, *text;
	size_t len;
	Arena *A;             /* the checked program of the last text */
	Diag D;
	Program P;
	const Src *src;
	Module *mod;
	json_t *diags;        /* the last check's diagnostics of this document */
	struct Doc *next;
} Doc;

typedef struct {
	FILE *in, *out;
	Doc *docs;
	bool shutdown;
	const char *argv0;
} Server;

/* ---- framing ----------------------------------------------------------------- */

/* Where "Content-Length:" is in a header line, in any case, or NULL. */
static const char *length_header(const char *line)
{
	for (; *line; line++)
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			return line;
	return NULL;
}

/* The next message, NULL at end of input; *bad set when it is not JSON.
 * A frame without Content-Length is bad; its body, if it had one, runs into
 * the next frame's header line ("{...}Content-Length: 52"): a header found
 * anywhere in a line starts the next frame there, so one bad frame costs
 * one error, not every message after it. */
static json_t *read_message(FILE *in, bool *bad)
{
	char *line = NULL;
	size_t cap = 0;
	long len = -1;
	*bad = false;
	for (;;) {
		ssize_t n = getline(&line, &cap, in);
		if (n < 0) {
			free(line);
			return NULL;
		}
		if (strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0)
			break;
		const char *h = length_header(line);
		if (h)
			len = strtol(h + 15, NULL, 10);
	}
	free(line);
	if (len < 0 || len > 64L * 1024 * 1024) {
		*bad = true;
		return NULL;
	}
	char *body = malloc((size_t)len + 1);
	if (!body)
		abort();
	if (fread(body, 1, (size_t)len, in) != (size_t)len) {
		free(body);
		return NULL;
	}
	json_error_t err;
	json_t *msg = json_loadb(body, (size_t)len, 0, &err);
	free(body);
	if (!msg || !json_is_object(msg)) {
		json_decref(msg);
		*bad = true;
	}
	return *bad ? NULL : msg;
}

/* Send msg (and release it). */
static void send_message(Server *S, json_t *msg)
{
	json_t *full = json_pack("{s:s}", "jsonrpc", "2.0");
	json_object_update(full, msg);
	json_decref(msg);
	char *text = json_dumps(full, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(full);
	if (!text)
		return;
	fprintf(S->out, "Content-Length: %zu\r\n\r\n%s", strlen(text), text);
	fflush(S->out);
	free(text);
}

static void reply(Server *S, json_t *id, json_t *result)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "result", result ? result : json_null());
	send_message(S, m);
}

static void reply_error(Server *S, json_t *id, int code, const char *message)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "error", json_pack("{s:i,s:s}", "code", code, "message", message));
	send_message(S, m);
}

/* ---- positions and URIs --------------------------------------------------------- */

/* LSP positions count UTF-16 units within the line; the line comes from
 * the document's line table (diag.c), so a diagnostic costs its own line,
 * not the text before it. */
static json_t *position(const Src *src, int off)
{
	int start, ch = 0;
	int line = diag_line(src, src->text, off, &start) - 1;
	for (int i = start; i < off && i < (int)src->len; i++) {
		unsigned char c = (unsigned char)src->text[i];
		if ((c & 0xC0) != 0x80)
			ch += c >= 0xF0 ? 2 : 1; /* outside the BMP: two UTF-16 units */
	}
	return json_pack("{s:i,s:i}", "line", line, "character", ch);
}

static json_t *range(const Src *src, int beg, int end)
{
	if (end < beg)
		end = beg;
	return json_pack("{s:o,s:o}", "start", position(src, beg), "end", position(src, end));
}

static int offset_of(const Doc *d, json_t *pos)
{
	json_int_t line = json_integer_value(json_object_get(pos, "line"));
	int ch = (int)json_integer_value(json_object_get(pos, "character"));
	size_t i = line < 0 ? 0 : line < d->src->nlines ? (size_t)d->src->lines[line] : d->len;
	for (int c = 0; c < ch && i < d->len && d->text[i] != '\n';) {
		unsigned char b = (unsigned char)d->text[i];
		int n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
		c += n == 4 ? 2 : 1;
		i += (size_t)n;
	}
	return i > d->len ? (int)d->len : (int)i;
}

static int hex(int c) { return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1; }

/* file:///a%20b/x.sow -> /a b/x.sow (malloc'd), or NULL for another scheme. */
static char *uri_path(const char *uri)
{
	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	const char *s = uri + 7;
	char *out = malloc(strlen(s) + 1), *o = out;
	if (!out)
		abort();
	for (; *s; s++) {
		if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
			*o++ = (char)(hex(s[1]) * 16 + hex(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	return out;
}

static json_t *path_uri(const char *path)
{
	char abs[PATH_MAX];
	if (!realpath(path, abs))
		snprintf(abs, sizeof abs, "%s", path);
	char buf[PATH_MAX * 3 + 8] = "file://";
	size_t k = strlen(buf);
	for (const unsigned char *p = (const unsigned char *)abs; *p && k + 4 < sizeof buf; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
			buf[k++] = (char)*p;
		else
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%%%02X", *p);
	}
	buf[k] = 0;
	return json_string(buf);
}

/* ---- documents and diagnostics ------------------------------------------------ */

static void sink(void *arg, const Src *src, Loc loc, DiagLevel lv, const char *msg)
{
	Doc *d = arg;
	if (src != d->src)
		return; /* about another file: shown when that file is open */
	json_t *x = json_pack("{s:o,s:i,s:s,s:s}", "range", range(src, loc.beg, loc.end), "severity",
			      lv == DIAG_ERROR ? 1 : lv == DIAG_WARNING ? 2 : 3, "source", "sow", "message", msg);
	json_array_append_new(d->diags, x);
}

static void doc_release(Doc *d)
{
	if (d->A) {
		program_free(&d->P);
		arena_free(d->A);
		d->A = NULL;
	}
	json_decref(d->diags);
	d->diags = NULL;
}

/* Check the document's text as `sow check --strict` would. */
static void doc_build(Server *S, Doc *d)
{
	doc_release(d);
	d->diags = json_array();
	d->A = arena_new();
	diag_init(&d->D, stderr);
	d->D.sink = sink;
	d->D.sink_arg = d;
	program_init(&d->P, d->A, &d->D, S->argv0);
	Src *src = src_from_string(d->A, d->path, d->text, d->len);
	d->src = src;
	Parser ps;
	parse_source(&ps, d->A, src, &d->D, PARSE_FILE);
	d->mod = program_add_source(&d->P, src, ps.items, ps.comments);
	check_program(&d->P);
	if (!d->D.errors) {
		overlap_check(&d->P);
		strict_check(&d->P);
	}
	/* past the caps (diag.c) messages are counted, not sent: say so */
	if ((d->D.max_errors && d->D.errors > d->D.max_errors) || (d->D.max_warnings && d->D.warnings > d->D.max_warnings)) {
		char msg[160];
		snprintf(msg, sizeof msg, "%d errors and %d warnings in all; only the first %d errors and %d warnings are listed",
			 d->D.errors, d->D.warnings, d->D.max_errors, d->D.max_warnings);
		sink(d, src, (Loc){ 0, 0 }, DIAG_NOTE, msg);
	}
}

static void publish(Server *S, const char *uri, json_t *diags)
{
	json_t *m = json_pack("{s:s,s:{s:s,s:O}}", "method", "textDocument/publishDiagnostics", "params", "uri", uri,
			      "diagnostics", diags);
	send_message(S, m);
}

static Doc *find_doc(Server *S, const char *uri)
{
	for (Doc *d = S->docs; d; d = d->next)
		if (strcmp(d->uri, uri) == 0)
			return d;
	return NULL;
}

static void set_text(Server *S, const char *uri, const char *text)
{
	Doc *d = find_doc(S, uri);
	if (!d) {
		char *path = uri_path(uri);
		if (!path)
			return; /* not a file: nothing to resolve imports from */
		d = calloc(1, sizeof *d);
		if (!d)
			abort();
		d->uri = strdup(uri);
		d->path = path;
		d->next = S->docs;
		S->docs = d;
	}
	free(d->text);
	d->text = strdup(text);
	d->len = strlen(text);
	doc_build(S, d);
	publish(S, d->uri, d->diags);
}

static void close_doc(Server *S, const char *uri)
{
	for (Doc **p = &S->docs; *p; p = &(*p)->next)
		if (strcmp((*p)->uri, uri) == 0) {
			Doc *d = *p;
			*p = d->next;
			json_t *none = json_array();
			publish(S, uri, none);
			json_decref(none);
			doc_release(d);
			free(d->uri);
			free(d->path);
			free(d->text);
			free(d);
			return;
		}
}

/* ---- words ------------------------------------------------------------------------ */

static bool word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* The name around off: [*beg, *end). */
static void word_at(const Doc *d, int off, int *beg, int *end)
{
	int b = off, e = off;
	while (b > 0 && word_char(d->text[b - 1]))
		b--;
	while (e < (int)d->len && word_char(d->text[e]))
		e++;
	*beg = b;
	*end = e;
}

static char *dup_range(const Doc *d, int beg, int end)
{
	char *s = malloc((size_t)(end - beg) + 1);
	if (!s)
		abort();
	memcpy(s, d->text + beg, (size_t)(end - beg));
	s[end - beg] = 0;
	return s;
}

/* What the row variable var ranges over, from the text before off:
 * `for var in SOURCE`, `from var in SOURCE`, or a machine's `(var)`. */
static char *source_of(const Doc *d, const char *var, int off)
{
	char *found = NULL;
	size_t n = strlen(var);
	for (int i = 0; i + (int)n < off; i++) {
		if (strncmp(d->text + i, var, n) != 0 || (i > 0 && word_char(d->text[i - 1])) || word_char(d->text[i + n]))
			continue;
		int j = i + (int)n;
		if (strncmp(d->text + j, " in ", 4) == 0) {
			int b = j + 4, e = b;
			while (e < off && word_char(d->text[e]))
				e++;
			if (e > b) {
				free(found);
				found = dup_range(d, b, e);
			}
		} else if (i > 0 && d->text[i - 1] == '(' && d->text[j] == ')') {
			int k = i - 1;
			while (k > 0 && word_char(d->text[k - 1]))
				k--;
			while (k > 0 && d->text[k - 1] == ' ')
				k--;
			if (k >= 8 && strncmp(d->text + k - 8, "machine ", 8) == 0) {
				free(found);
				found = strdup("projects");
			}
		}
	}
	return found;
}

/* ---- completion ----------------------------------------------------------------------- */

static void item(json_t *items, const char *prefix, const char *label, int kind, const char *detail, const char *docs)
{
	if (strncmp(label, prefix, strlen(prefix)) != 0)
		return;
	json_t *it = json_pack("{s:s,s:i}", "label", label, "kind", kind);
	if (detail)
		json_object_set_new(it, "detail", json_string(detail));
	if (docs && *docs)
		json_object_set_new(it, "documentation", json_pack("{s:s,s:s}", "kind", "markdown", "value", docs));
	json_array_append_new(items, it);
}

static int by_label(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "label")), json_string_value(json_object_get(y, "label")));
	return c ? c : (int)(json_integer_value(json_object_get(x, "kind")) - json_integer_value(json_object_get(y, "kind")));
}

static json_t *sorted(json_t *items)
{
	size_t n = json_array_size(items);
	json_t **v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(items, i));
	qsort(v, n, sizeof *v, by_label);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(items);
	return out;
}

static void columns(json_t *items, const char *prefix, const Shape *sh)
{
	for (int c = 0; c < sh->ncols; c++) {
		char ty[64];
		item(items, prefix, sh->cols[c], CK_FIELD, type_name(sh->types[c], ty, sizeof ty), NULL);
	}
}

static void decl_items(json_t *items, const char *prefix, const Doc *d)
{
	for (int mi = 0; mi < d->P.nmods; mi++) {
		const Module *m = d->P.mods[mi];
		for (const Node *it = m->items; it; it = it->next) {
			int kind = it->kind == N_FN || it->kind == N_ROUNDING ? CK_FUNCTION : it->kind == N_LET ? CK_CONSTANT
				 : it->kind == N_QUERY || it->kind == N_RELATION ? CK_STRUCT : it->kind == N_RULE ? CK_MODULE : 0;
			if (!kind || !it->s)
				continue;
			const Decl *dd = program_lookup(&d->P, d->mod, it->s);
			if (!dd || dd->node != it)
				continue; /* replaced by the document's own */
			char sig[512];
			doc_signature(&d->P, m, it, sig, sizeof sig);
			char *c = doc_comment(m, it);
			item(items, prefix, it->s, kind, sig, c);
			free(c);
		}
		for (const Node *it = m->items; it; it = it->next)
			if (it->kind == N_ENUM)
				for (const Node *x = it->a; x; x = x->next)
					item(items, prefix, x->s, CK_ENUM_MEMBER, it->s, NULL);
	}
}

static json_t *complete(Server *S, Doc *d, int off)
{
	(void)S;
	int beg, end;
	word_at(d, off, &beg, &end);
	char *prefix = dup_range(d, beg, off);
	json_t *items = json_array();
	if (beg > 0 && d->text[beg - 1] == '.') {
		int vb = beg - 1, ve = beg - 1;
		while (vb > 0 && word_char(d->text[vb - 1]))
			vb--;
		char *var = dup_range(d, vb, ve);
		char *src = *var ? source_of(d, var, vb) : NULL;
		const Shape *sh = src ? map_get(&d->P.shapes, src) : NULL;
		if (sh)
			columns(items, prefix, sh);
		free(var);
		free(src);
	} else {
		for (size_t i = 0; lex_keyword(i); i++)
			item(items, prefix, lex_keyword(i), CK_KEYWORD, "keyword", NULL);
		for (int i = 0; terms_billing(i); i++)
			item(items, prefix, terms_billing(i), CK_ENUM_MEMBER, "billing term", NULL);
		for (int i = 0; check_round_mode(i); i++)
			item(items, prefix, check_round_mode(i), CK_ENUM_MEMBER, "rounding mode", NULL);
		for (size_t i = 0; i < d->P.shapes.cap; i++) {
			const char *name = d->P.shapes.keys[i];
			const Shape *sh = name ? d->P.shapes.vals[i] : NULL;
			if (!sh || map_get(&d->P.decls, name))
				continue; /* declared relations and queries come with their comment below */
			static const char *const what[] = { "database table", "relation", "SOW terms", "query" };
			item(items, prefix, name, CK_STRUCT, what[sh->source & 3], NULL);
		}
		decl_items(items, prefix, d);
		for (int b = 0; b < B__COUNT; b++)
			item(items, prefix, builtins[b].name, CK_FUNCTION, builtins[b].usage, NULL);
		item(items, prefix, "as_of", CK_CONSTANT, "the evaluation date", NULL);
	}
	free(prefix);
	return json_pack("{s:b,s:o}", "isIncomplete", 0, "items", sorted(items));
}

/* ---- hover and definition ------------------------------------------------------------ */

static const Decl *decl_at(Doc *d, int off, int *beg, int *end)
{
	word_at(d, off, beg, end);
	if (*beg == *end)
		return NULL;
	char *w = dup_range(d, *beg, *end);
	const Decl *x = program_lookup(&d->P, d->mod, w);
	free(w);
	return x;
}

static json_t *hover(Doc *d, int off)
{
	int beg, end;
	const Decl *x = decl_at(d, off, &beg, &end);
	char text[4096];
	if (x) {
		char sig[512];
		doc_signature(&d->P, x->mod, x->node, sig, sizeof sig);
		char *c = doc_comment(x->mod, x->node);
		int line, col;
		diag_linecol(x->mod->src, x->node->loc.beg, &line, &col);
		snprintf(text, sizeof text, "```sow\n%s\n```\n%s%s*%s:%d*", sig, c ? c : "", c ? "\n\n" : "", x->mod->src->path,
			 line);
		free(c);
	} else {
		if (beg == end)
			return NULL;
		char *w = dup_range(d, beg, end);
		int b = builtin_find(w);
		const Shape *sh = map_get(&d->P.shapes, w);
		if (b >= 0 && end < (int)d->len && d->text[end] == '(') {
			snprintf(text, sizeof text, "```sow\n%s\n```\nbuilt-in function", builtins[b].usage);
		} else if (sh) {
			size_t k = (size_t)snprintf(text, sizeof text, "```sow\n%s(", w);
			for (int c = 0; c < sh->ncols && k < sizeof text - 64; c++) {
				char ty[64];
				k += (size_t)snprintf(text + k, sizeof text - k, "%s%s %s", c ? ", " : "", sh->cols[c],
						      type_name(sh->types[c], ty, sizeof ty));
			}
			snprintf(text + k, sizeof text - k, ")\n```\n%s", sh->source == 0 ? "database table" : "SOW terms");
		} else if (b >= 0) {
			snprintf(text, sizeof text, "```sow\n%s\n```\nbuilt-in function", builtins[b].usage);
		} else {
			free(w);
			return NULL;
		}
		free(w);
	}
	return json_pack("{s:{s:s,s:s},s:o}", "contents", "kind", "markdown", "value", text, "range",
			 range(d->src, beg, end));
}

static json_t *definition(Doc *d, int off)
{
	int beg, end;
	const Decl *x = decl_at(d, off, &beg, &end);
	if (!x)
		return NULL;
	const Src *src = x->mod->src;
	int e = x->node->loc.beg;
	while (e < x->node->loc.end && src->text[e] != '\n')
		e++;
	json_t *uri = x->mod == d->mod ? json_string(d->uri) : path_uri(src->path);
	return json_pack("{s:o,s:o}", "uri", uri, "range", range(src, x->node->loc.beg, e));
}

/* ---- dispatch ------------------------------------------------------------------------- */

static json_t *capabilities(void)
{
	return json_pack("{s:{s:{s:b,s:i},s:{s:[s]},s:b,s:b},s:{s:s,s:s}}", "capabilities", "textDocumentSync",
			 "openClose", 1, "change", 1, "completionProvider", "triggerCharacters", ".", "hoverProvider", 1,
			 "definitionProvider", 1, "serverInfo", "name", "sow", "version", SOW_VERSION);
}

/* A request about a position in an open document: its document and offset. */
static Doc *at(Server *S, json_t *params, int *off)
{
	const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
	json_t *pos = json_object_get(params, "position");
	Doc *d = uri ? find_doc(S, uri) : NULL;
	if (d && json_is_object(pos))
		*off = offset_of(d, pos);
	return d && json_is_object(pos) ? d : NULL;
}

/* One message; false when the server is to stop (exit). */
static bool handle(Server *S, json_t *msg, int *status)
{
	const char *method = json_string_value(json_object_get(msg, "method"));
	json_t *id = json_object_get(msg, "id");
	json_t *params = json_object_get(msg, "params");
	if (!method) {
		json_t *m = json_object_get(msg, "method");
		if (!m && id && (json_object_get(msg, "result") || json_object_get(msg, "error")))
			return true; /* a response to us: we send no requests */
		reply_error(S, id, RPC_INVALID_REQUEST, m ? "method must be a string" : "a message needs a method");
		return true;
	}
	if (strcmp(method, "exit") == 0) {
		*status = S->shutdown ? 0 : 1;
		return false;
	}
	if (S->shutdown && id) {
		reply_error(S, id, RPC_INVALID_REQUEST, "the server is shutting down");
		return true;
	}
	if (strcmp(method, "initialize") == 0) {
		reply(S, id, capabilities());
	} else if (strcmp(method, "shutdown") == 0) {
		S->shutdown = true;
		reply(S, id, NULL);
	} else if (strcmp(method, "textDocument/didOpen") == 0) {
		json_t *td = json_object_get(params, "textDocument");
		const char *uri = json_string_value(json_object_get(td, "uri"));
		const char *text = json_string_value(json_object_get(td, "text"));
		if (uri && text)
			set_text(S, uri, text);
	} else if (strcmp(method, "textDocument/didChange") == 0) {
		const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
		json_t *changes = json_object_get(params, "contentChanges");
		json_t *last = json_array_get(changes, json_array_size(changes) - 1);
		const char *text = json_string_value(json_object_get(last, "text"));
		if (uri && text)
			set_text(S, uri, text); /* full sync: the last change is the whole text */
	} else if (strcmp(method, "textDocument/didClose") == 0) {
		const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
		if (uri)
			close_doc(S, uri);
	} else if (strcmp(method, "textDocument/completion") == 0 || strcmp(method, "textDocument/hover") == 0 ||
		   strcmp(method, "textDocument/definition") == 0) {
		int off = 0;
		Doc *d = at(S, params, &off);
		if (!d)
			reply(S, id, NULL); /* not open, or no position: nothing to say */
		else if (method[13] == 'c')
			reply(S, id, complete(S, d, off));
		else if (method[13] == 'h')
			reply(S, id, hover(d, off));
		else
			reply(S, id, definition(d, off));
	} else if (id) {
		char m[256];
		snprintf(m, sizeof m, "method not supported: %s", method);
		reply_error(S, id, RPC_METHOD_NOT_FOUND, m);
	}
	/* other notifications ($/cancelRequest, initialized, ...) need nothing */
	return true;
}

int lsp_serve(FILE *in, FILE *out, const char *argv0)
{
	Server S = { in, out, NULL, false, argv0 };
	int status = 1; /* input ended without exit */
	for (;;) {
		bool bad;
		json_t *msg = read_message(in, &bad);
		if (!msg && bad) {
			reply_error(&S, NULL, RPC_PARSE_ERROR, "not a JSON-RPC message");
			continue;
		}
		if (!msg)
			break;
		bool more = handle(&S, msg, &status);
		json_decref(msg);
		if (!more)
			break;
	}
	while (S.docs) {
		Doc *d = S.docs;
		S.docs = d->next;
		doc_release(d);
		free(d->uri);
		free(d->path);
		free(d->text);
		free(d);
	}
	return status;
}
