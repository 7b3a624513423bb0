/* doc.c: `sow doc [NAME]`, the REPL's `.fns`, and the signatures and
 * comments the language server shows.
 *
 * A definition's documentation is the block of whole-line comments right
 * above it (no blank line between), with the `#` and one space taken off;
 * its signature is its first line as `sow fmt` would write it (parameters,
 * columns, what a rule reads and emits). Built-in functions and database
 * tables are listed from their tables. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "diag.h"
#include "schema.h"

/* ---- comments and signatures ------------------------------------------------ */

static int line_of(const Src *src, int off)
{
	int line, col;
	diag_linecol(src, off, &line, &col);
	return line;
}

/* Only blanks between the start of its line and the comment. */
static bool whole_line(const Src *src, int beg)
{
	for (int i = beg - 1; i >= 0 && src->text[i] != '\n'; i--)
		if (src->text[i] != ' ' && src->text[i] != '\t')
			return false;
	return true;
}

char *doc_comment(const Module *m, const Node *it)
{
	const Comment *first = NULL;
	int want = 0;
	int item_line = line_of(m->src, it->loc.beg);
	/* the last run of consecutive whole-line comments ending on the line above */
	for (const Comment *c = m->comments; c && c->loc.beg < it->loc.beg; c = c->next) {
		int l = line_of(m->src, c->loc.beg);
		if (!whole_line(m->src, c->loc.beg)) {
			first = NULL;
			continue;
		}
		if (!first || l != want)
			first = c;
		want = l + 1;
	}
	if (!first || want != item_line)
		return NULL;
	size_t cap = 256, n = 0;
	char *out = malloc(cap);
	if (!out)
		abort();
	for (const Comment *c = first; c && c->loc.beg < it->loc.beg; c = c->next) {
		const char *s = m->src->text + c->loc.beg + 1;
		size_t k = (size_t)(c->loc.end - c->loc.beg - 1);
		if (k && *s == ' ')
			s++, k--;
		while (k && (s[k - 1] == '\r' || s[k - 1] == ' '))
			k--;
		if (n + k + 2 > cap) {
			cap = (n + k + 2) * 2;
			char *o = realloc(out, cap);
			if (!o)
				abort();
			out = o;
		}
		if (n)
			out[n++] = '\n';
		memcpy(out + n, s, k);
		n += k;
	}
	out[n] = 0;
	return out;
}

static void names(char *buf, size_t n, size_t *len, const Node *list, const char *sep)
{
	for (const Node *p = list; p && *len < n; p = p->next)
		*len += (size_t)snprintf(buf + *len, n - *len, "%s%s", p->s, p->next ? sep : "");
}

void doc_signature(const Program *P, const Module *m, const Node *it, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = 0;
	switch (it->kind) {
	case N_FN:
	case N_QUERY:
		len = (size_t)snprintf(buf, n, "%s %s(", it->kind == N_FN ? "fn" : "query", it->s);
		names(buf, n, &len, it->a, ", ");
		if (len < n)
			snprintf(buf + len, n - len, ")");
		break;
	case N_ROUNDING: snprintf(buf, n, "rounding %s to %s mode %s", it->s, it->a->s, it->s2); break;
	case N_LET: {
		char val[160];
		diag_snippet(m->src, it->a->loc, val, sizeof val);
		snprintf(buf, n, "const %s = %s", it->s, val);
		break;
	}
	case N_RELATION:
		len = (size_t)snprintf(buf, n, "relation %s(", it->s);
		for (const Node *c = it->a; c && len < n; c = c->next)
			len += (size_t)snprintf(buf + len, n - len, "%s %s%s", c->s, c->s2, c->next ? ", " : "");
		if (len < n)
			len += (size_t)snprintf(buf + len, n - len, ")");
		if (it->b && len < n) {
			len += (size_t)snprintf(buf + len, n - len, " unique (");
			names(buf, n, &len, it->b, ", ");
			if (len < n)
				snprintf(buf + len, n - len, ")");
		}
		break;
	case N_RULE: {
		len = (size_t)snprintf(buf, n, "rule %s", it->s);
		const char *sep = ": for ";
		for (const Node *c = it->a; c && len < n; c = c->next)
			if (c->kind == N_FOR && c->a && c->a->kind == N_NAME) {
				len += (size_t)snprintf(buf + len, n - len, "%s%s", sep, c->a->s);
				sep = ", ";
			}
		sep = *sep == ':' ? ": emits " : "; emits ";
		for (const Node *c = it->a; c && len < n; c = c->next)
			if (c->kind == N_EMIT) {
				len += (size_t)snprintf(buf + len, n - len, "%s%s", sep, c->s);
				sep = ", ";
			}
		break;
	}
	case N_MACHINE: snprintf(buf, n, "machine %s(%s): statuses of projects", it->s, it->s2); break;
	case N_ENUM:
		len = (size_t)snprintf(buf, n, "enum %s { ", it->s);
		names(buf, n, &len, it->a, ", ");
		if (len < n)
			snprintf(buf + len, n - len, " }");
		break;
	case N_CALENDAR: snprintf(buf, n, "calendar \"%s\"", it->s); break;
	default: snprintf(buf, n, "%s", it->s ? it->s : ""); break;
	}
	(void)P;
}

/* ---- listing ------------------------------------------------------------------ */

typedef struct {
	int section;
	const char *name;
	char sig[512];
	char *comment;        /* malloc'd, or NULL */
	char where[300];      /* file:line, or "" */
} Entry;

enum { S_FN, S_ROUNDING, S_CONST, S_QUERY, S_RELATION, S_RULE, S_MACHINE, S_OTHER, S_TABLE, S_BUILTIN, S__N };
static const char *const section_names[S__N] = {
	"Functions", "Rounding policies", "Constants", "Queries", "Relations", "Rules",
	"Status machines", "Enums and calendars", "Database tables", "Built-in functions",
};

static int section_of(NodeKind k)
{
	switch (k) {
	case N_FN: return S_FN;
	case N_ROUNDING: return S_ROUNDING;
	case N_LET: return S_CONST;
	case N_QUERY: return S_QUERY;
	case N_RELATION: return S_RELATION;
	case N_RULE: return S_RULE;
	case N_MACHINE: return S_MACHINE;
	case N_ENUM: case N_CALENDAR: return S_OTHER;
	default: return -1;
	}
}

typedef struct {
	Entry *v;
	size_t n, cap;
} Entries;

static Entry *add(Entries *es)
{
	if (es->n == es->cap) {
		es->cap = es->cap ? es->cap * 2 : 128;
		Entry *v = realloc(es->v, es->cap * sizeof *v);
		if (!v)
			abort();
		es->v = v;
	}
	Entry *e = &es->v[es->n++];
	memset(e, 0, sizeof *e);
	return e;
}

static int by_section_name(const void *a, const void *b)
{
	const Entry *x = a, *y = b;
	if (x->section != y->section)
		return x->section - y->section;
	return strcmp(x->name, y->name);
}

static void collect(const Program *P, Entries *es, unsigned kinds)
{
	for (int mi = 0; mi < P->nmods; mi++) {
		const Module *m = P->mods[mi];
		for (const Node *it = m->items; it; it = it->next) {
			int s = section_of(it->kind);
			if (s < 0 || !(kinds & (1u << s)) || !it->s)
				continue;
			Entry *e = add(es);
			e->section = s;
			e->name = it->s;
			doc_signature(P, m, it, e->sig, sizeof e->sig);
			e->comment = doc_comment(m, it);
			snprintf(e->where, sizeof e->where, "%s:%d", m->src->path, line_of(m->src, it->loc.beg));
		}
	}
	if (kinds & (1u << S_TABLE))
		for (int t = 0; t < schema_ntables; t++) {
			const Shape *sh = map_get(&P->shapes, schema_tables[t].name);
			Entry *e = add(es);
			e->section = S_TABLE;
			e->name = schema_tables[t].name;
			size_t len = (size_t)snprintf(e->sig, sizeof e->sig, "table %s(", e->name);
			for (int c = 0; sh && c < sh->ncols && len < sizeof e->sig; c++) {
				char ty[64];
				len += (size_t)snprintf(e->sig + len, sizeof e->sig - len, "%s%s %s", c ? ", " : "", sh->cols[c],
							type_name(sh->types[c], ty, sizeof ty));
			}
			if (len < sizeof e->sig)
				snprintf(e->sig + len, sizeof e->sig - len, ")");
		}
	if (kinds & (1u << S_BUILTIN))
		for (int b = 0; b < B__COUNT; b++) {
			Entry *e = add(es);
			e->section = S_BUILTIN;
			e->name = builtins[b].name;
			const char *colon = strstr(builtins[b].usage, "): ");
			if (colon) {
				snprintf(e->sig, sizeof e->sig, "%.*s", (int)(colon - builtins[b].usage + 1), builtins[b].usage);
				e->comment = strdup(colon + 3);
			} else {
				snprintf(e->sig, sizeof e->sig, "%s", builtins[b].usage);
			}
		}
	qsort(es->v, es->n, sizeof *es->v, by_section_name);
}

static void print_entry(FILE *out, const Entry *e)
{
	if (*e->where)
		fprintf(out, "%-60s %s\n", e->sig, e->where);
	else
		fprintf(out, "%s\n", e->sig);
	for (const char *c = e->comment; c && *c;) {
		const char *nl = strchr(c, '\n');
		int k = nl ? (int)(nl - c) : (int)strlen(c);
		fprintf(out, "    %.*s\n", k, c);
		c += k + (nl ? 1 : 0);
	}
}

int doc_print(const Program *P, FILE *out, const char *name, unsigned kinds, const char **suggest)
{
	Entries es = { 0 };
	collect(P, &es, kinds);
	int shown = 0, section = -1;
	for (size_t i = 0; i < es.n; i++) {
		const Entry *e = &es.v[i];
		if (name && strcmp(e->name, name) != 0)
			continue;
		if (!name && e->section != section) {
			fprintf(out, "%s%s\n", shown ? "\n" : "", section_names[e->section]);
			section = e->section;
		}
		if (name && shown)
			fputc('\n', out);
		print_entry(out, e);
		shown++;
	}
	if (name && !shown && suggest) {
		const char **cands = malloc((es.n + 1) * sizeof *cands);
		if (!cands)
			abort();
		for (size_t i = 0; i < es.n; i++)
			cands[i] = es.v[i].name;
		*suggest = diag_suggest(name, cands, (int)es.n);
		free(cands);
	}
	for (size_t i = 0; i < es.n; i++)
		free(es.v[i].comment);
	free(es.v);
	return shown;
}
