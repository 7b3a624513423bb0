/* coverage.c: `sow test --coverage`, what the tests exercised.
 *
 * Counting is one call per event, made by the evaluator when the Eval has a
 * Coverage (rules.c: an emit, a `where`/`when` that held, a transition
 * proposed; eval.c: a call of a `fn` or `rounding`). The report walks the
 * files under test and lists every rule (covered when it emitted a row), every
 * `where`/`when` branch (covered when it held at least once), every function
 * (covered when called) and every guarded transition (covered when proposed),
 * by file and line. Percentages are in tenths, in integers. */
#include "coverage.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void coverage_hit(Coverage *c, const void *node)
{
	size_t n = (size_t)ptrmap_get(&c->hits, node);
	ptrmap_put(&c->hits, node, (void *)(n + 1));
}

void coverage_free(Coverage *c) { ptrmap_free(&c->hits); }

bool coverage_parse_threshold(const char *s, int *tenths)
{
	int whole = 0, frac = 0, digits = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
		whole = whole * 10 + (*p - '0');
	if (!digits)
		return false;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		frac = *p++ - '0';
	}
	if (*p == '%')
		p++;
	if (*p || whole * 10 + frac > 1000)
		return false;
	*tenths = whole * 10 + frac;
	return true;
}

typedef enum { K_RULE, K_BRANCH, K_FN, K_TRANSITION, K__N } ItemKind;
static const char *const kind_names[K__N] = { "rule", "branch", "function", "transition" };

typedef struct {
	ItemKind kind;
	const Module *mod;
	int line;
	char what[96];        /* "rule release_time", "when on <= as_of" */
	size_t hits;
} Item;

typedef struct {
	Item *v;
	size_t n, cap;
} Items;

static size_t hits(const Coverage *c, const void *node) { return (size_t)ptrmap_get(&c->hits, node); }

static Item *add(Items *it, ItemKind kind, const Module *m, Loc loc, size_t h)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 64;
		Item *v = realloc(it->v, it->cap * sizeof *v);
		if (!v)
			abort();
		it->v = v;
	}
	Item *x = &it->v[it->n++];
	int col;
	x->kind = kind;
	x->mod = m;
	diag_linecol(m->src, loc.beg, &x->line, &col);
	x->hits = h;
	x->what[0] = 0;
	return x;
}

static void collect(const Program *P, const Coverage *c, Items *it)
{
	for (int mi = 0; mi < P->nmods; mi++) {
		const Module *m = P->mods[mi];
		if (!m->user)
			continue;
		for (const Node *d = m->items; d; d = d->next) {
			if (d->kind == N_RULE) {
				size_t h = 0;
				for (const Node *cl = d->a; cl; cl = cl->next)
					if (cl->kind == N_EMIT)
						h += hits(c, cl);
				Item *r = add(it, K_RULE, m, d->loc, h);
				snprintf(r->what, sizeof r->what, "rule %s", d->s);
				for (const Node *cl = d->a; cl; cl = cl->next) {
					if (cl->kind != N_WHERE && cl->kind != N_WHEN)
						continue;
					Item *b = add(it, K_BRANCH, m, cl->loc, hits(c, cl));
					char text[80];
					diag_snippet(m->src, cl->a->loc, text, sizeof text);
					snprintf(b->what, sizeof b->what, "%s %s", cl->kind == N_WHERE ? "where" : "when", text);
				}
			} else if (d->kind == N_FN || d->kind == N_ROUNDING) {
				Item *f = add(it, K_FN, m, d->loc, hits(c, d));
				snprintf(f->what, sizeof f->what, "%s %s", d->kind == N_FN ? "fn" : "rounding", d->s);
			} else if (d->kind == N_MACHINE) {
				for (const Node *t = d->a; t; t = t->next) {
					if (!t->b)
						continue; /* unguarded: allowed, never proposed */
					Item *x = add(it, K_TRANSITION, m, t->loc, hits(c, t));
					snprintf(x->what, sizeof x->what, "machine %s -> \"%s\"", d->s, t->s);
				}
			}
		}
	}
}

/* "87.5" from covered of total, rounded down to a tenth. */
static int tenths(size_t covered, size_t total) { return total ? (int)(covered * 1000 / total) : 1000; }

static void report_text(const Items *it, FILE *out, int pct, const size_t cov[K__N], const size_t tot[K__N],
			size_t covered)
{
	if (!it->n) {
		fprintf(out, "coverage: nothing to cover (no rule, function or guarded transition in the files under test)\n");
		return;
	}
	fprintf(out, "coverage: %d.%d%% (%zu of %zu:", pct / 10, pct % 10, covered, it->n);
	for (int k = 0; k < K__N; k++)
		fprintf(out, "%s %s%s %zu/%zu", k ? "," : "", kind_names[k], k == K_BRANCH ? "es" : "s", cov[k], tot[k]);
	fprintf(out, ")\n");
	for (size_t i = 0; i < it->n;) {
		const Module *m = it->v[i].mod;
		size_t c = 0, t = 0;
		for (; i < it->n && it->v[i].mod == m; i++, t++)
			c += it->v[i].hits > 0;
		int p = tenths(c, t);
		fprintf(out, "  %-36s %5d.%d%%  %zu of %zu\n", m->src->path, p / 10, p % 10, c, t);
	}
	if (covered < it->n)
		fprintf(out, "uncovered:\n");
	static const char *const why[K__N] = { "emitted no row", "never held", "never called", "never proposed" };
	for (size_t i = 0; i < it->n; i++)
		if (!it->v[i].hits)
			fprintf(out, "  %s:%d: %s: %s\n", it->v[i].mod->src->path, it->v[i].line, it->v[i].what,
				why[it->v[i].kind]);
}

static void report_json(const Items *it, FILE *out, int pct, int threshold, bool ok, int passed, int failed)
{
	json_t *root = json_object(), *files = json_array(), *unc = json_array();
	json_object_set_new(root, "tests", json_pack("{s:i,s:i}", "passed", passed, "failed", failed));
	size_t covered = 0;
	for (size_t i = 0; i < it->n;) {
		const Module *m = it->v[i].mod;
		json_t *items = json_array();
		size_t c = 0, t = 0;
		for (; i < it->n && it->v[i].mod == m; i++, t++) {
			const Item *x = &it->v[i];
			c += x->hits > 0;
			json_t *o = json_pack("{s:s,s:i,s:s,s:I,s:b}", "kind", kind_names[x->kind], "line", x->line, "what",
					      x->what, "hits", (json_int_t)x->hits, "covered", x->hits > 0);
			if (!x->hits)
				json_array_append_new(unc, json_pack("{s:s,s:i,s:s,s:s}", "file", m->src->path, "line", x->line,
								     "kind", kind_names[x->kind], "what", x->what));
			json_array_append_new(items, o);
		}
		covered += c;
		int p = tenths(c, t);
		json_array_append_new(files, json_pack("{s:s,s:I,s:I,s:f,s:o}", "file", m->src->path, "covered",
						       (json_int_t)c, "total", (json_int_t)t, "percent", p / 10.0, "items", items));
	}
	json_object_set_new(root, "covered", json_integer((json_int_t)covered));
	json_object_set_new(root, "total", json_integer((json_int_t)it->n));
	json_object_set_new(root, "percent", json_real(pct / 10.0));
	json_object_set_new(root, "threshold", threshold >= 0 ? json_real(threshold / 10.0) : json_null());
	json_object_set_new(root, "ok", json_boolean(ok));
	json_object_set_new(root, "files", files);
	json_object_set_new(root, "uncovered", unc);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
	fputc('\n', out);
	json_decref(root);
}

bool coverage_report(const Program *P, const Coverage *c, FILE *out, bool json, int threshold, int tests_passed,
		     int tests_failed)
{
	Items it = { 0 };
	collect(P, c, &it);
	size_t cov[K__N] = { 0 }, tot[K__N] = { 0 }, covered = 0;
	for (size_t i = 0; i < it.n; i++) {
		tot[it.v[i].kind]++;
		cov[it.v[i].kind] += it.v[i].hits > 0;
		covered += it.v[i].hits > 0;
	}
	int pct = tenths(covered, it.n);
	bool ok = threshold < 0 || pct >= threshold;
	if (json) {
		report_json(&it, out, pct, threshold, ok, tests_passed, tests_failed);
	} else {
		report_text(&it, out, pct, cov, tot, covered);
		if (!ok)
			fprintf(out, "coverage: %d.%d%% is below the threshold of %d.%d%%\n", pct / 10, pct % 10,
				threshold / 10, threshold % 10);
	}
	free(it.v);
	return ok;
}
