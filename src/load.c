/* load.c: reading rule files into a Program and resolving `import`.
 *
 * `import "std"` looks, in order, in the importing file's folder, each folder
 * of $SOW_PATH, the installed library, and the build tree's rules/ beside the
 * binary; the name may be a file (std.sow) or a folder of *.sow files. A file
 * is loaded once however often it is imported; import cycles are harmless. */
#include "model.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

#ifndef SOW_RULES_DIR
#define SOW_RULES_DIR "/usr/local/share/sow/rules"
#endif

void program_init(Program *P, Arena *A, Diag *D, const char *argv0)
{
	memset(P, 0, sizeof *P);
	P->A = A;
	P->D = D;
	P->fiscal_start = 2;
	P->digest = 1469598103934665603ULL;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 && argv0) {
		n = (ssize_t)strlen(argv0);
		if ((size_t)n >= sizeof exe)
			n = 0;
		memcpy(exe, argv0, (size_t)n);
	}
	exe[n > 0 ? n : 0] = 0;
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(exe, ".");
	P->exe_dir = arena_strndup(A, exe, strlen(exe));
}

void program_free(Program *P)
{
	for (int i = 0; i < P->nmods; i++)
		map_free(&P->mods[i]->local);
	free(P->mods);
	map_free(&P->by_path);
	map_free(&P->imports);
	map_free(&P->decls);
	map_free(&P->sows);
	map_free(&P->milestones);
	map_free(&P->trainings);
	map_free(&P->enum_member);
	map_free(&P->shapes);
	compact_free(P);
}

static DeclKind item_decl_kind(NodeKind k, bool *is_decl)
{
	*is_decl = true;
	switch (k) {
	case N_LET: return D_CONST;
	case N_FN: return D_FN;
	case N_ROUNDING: return D_ROUNDING;
	case N_RELATION: return D_RELATION;
	case N_ENUM: return D_ENUM;
	case N_MACHINE: return D_MACHINE;
	case N_RULE: return D_RULE;
	case N_QUERY: return D_QUERY;
	case N_CALENDAR: return D_CALENDAR;
	default: *is_decl = false; return D_CONST;
	}
}

/* Overridable per file: values, functions and rounding policies; but the
 * reporting currency (an N_LET with s2 set) is one for the whole program. */
static bool overridable(DeclKind k, const Node *item)
{
	return (k == D_CONST && !item->s2) || k == D_FN || k == D_ROUNDING;
}

static void note_previous(Program *P, const Module *m, Loc loc, const char *what)
{
	diag_at(P->D, m->src, loc, DIAG_NOTE, "%s", what);
}

static void declare(Program *P, Module *m, Node *item)
{
	bool is_decl;
	DeclKind k = item_decl_kind(item->kind, &is_decl);
	if (!is_decl)
		return;
	const char *name = item->s;
	Decl *same = map_get(&m->local, name);
	if (same) {
		diag_at(P->D, m->src, item->loc, DIAG_ERROR, "'%s' is defined twice in this file", name);
		note_previous(P, same->mod, same->node->loc, "first defined here");
		return;
	}
	Decl *d = arena_alloc(P->A, sizeof *d);
	d->kind = k;
	d->name = name;
	d->node = item;
	d->mod = m;
	map_put(&m->local, name, d);
	Decl *g = map_get(&P->decls, name);
	if (!g) {
		map_put(&P->decls, name, d);
		return;
	}
	if (g->kind != k) {
		/* Say it where the analyst can change it: at the user file. */
		Decl *user = m->user || !g->mod->user ? d : g, *other = user == d ? g : d;
		diag_at(P->D, user->mod->src, user->node->loc, DIAG_ERROR, "'%s' is a %s %s; a %s cannot replace it",
			name, decl_kind_name(other->kind), other->mod->user ? "already" : "in the library",
			decl_kind_name(user->kind));
		note_previous(P, other->mod, other->node->loc, "defined here");
		return;
	}
	if (m->user && !g->mod->user) {
		d->lib = g; /* a user file overriding the library */
		if (!overridable(k, item))
			map_put(&P->decls, name, d); /* global things are replaced outright */
		return;
	}
	if (overridable(k, item) && m->user)
		return; /* file-local definition; visible to this file first */
	if (!m->user && g->mod->user) {
		/* library loaded after a user file that overrides it */
		g->lib = d;
		if (overridable(k, item))
			map_put(&P->decls, name, d);
		return;
	}
	diag_at(P->D, m->src, item->loc, DIAG_ERROR, "%s '%s' is defined in two files", decl_kind_name(k), name);
	note_previous(P, g->mod, g->node->loc, "first defined here");
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool load_any(Program *P, const char *path, bool user);

/* A library file's path as messages show it: relative to the current
 * folder when that is short (../../rules/std/x.sow), else absolute. */
static const char *display_path(Program *P, const char *path)
{
	char abs[PATH_MAX], cwd[PATH_MAX];
	if (!realpath(path, abs) || !getcwd(cwd, sizeof cwd))
		return path;
	size_t common = 0, i = 0;
	for (; abs[i] && abs[i] == cwd[i]; i++)
		if (abs[i] == '/')
			common = i;
	if (!cwd[i] && abs[i] == '/')
		common = i; /* the file is below the current folder */
	int ups = 0;
	for (const char *c = cwd + common; *c; c++)
		ups += *c == '/';
	if (strcmp(cwd, "/") == 0 || ups > 3)
		return arena_strndup(P->A, abs, strlen(abs));
	char rel[PATH_MAX] = "";
	size_t n = 0;
	for (int u = 0; u < ups; u++)
		n += (size_t)snprintf(rel + n, sizeof rel - n, "../");
	snprintf(rel + n, sizeof rel - n, "%s", abs + common + 1);
	return arena_strndup(P->A, rel, strlen(rel));
}

/* text is the module's text (a compacted file's Src has none). */
static Module *new_module(Program *P, const Src *src, const char *text, Node *items, Comment *comments, bool user)
{
	/* the path too: every row a run writes names its rule by file and line */
	for (const char *p = src->path; p && *p; p++)
		P->digest = (P->digest ^ (unsigned char)*p) * 1099511628211ULL;
	P->digest = (P->digest ^ 0) * 1099511628211ULL;
	for (size_t i = 0; i < src->len; i++)
		P->digest = (P->digest ^ (unsigned char)text[i]) * 1099511628211ULL;
	Module *m = arena_alloc(P->A, sizeof *m);
	m->src = src;
	m->items = items;
	m->comments = comments;
	m->user = user;
	if (P->nmods == P->capmods) {
		P->capmods = P->capmods ? P->capmods * 2 : 16;
		Module **nm = realloc(P->mods, (size_t)P->capmods * sizeof *nm);
		if (!nm) {
			fputs("sow: out of memory\n", stderr);
			abort();
		}
		P->mods = nm;
	}
	P->mods[P->nmods++] = m;
	return m;
}

/* Resolve one import; report where it looked when nothing is there. */
static void resolve_import(Program *P, Module *m, Node *imp)
{
	const char *name = imp->s;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", m->src->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	/* Candidates live on the stack: every SOW file imports "std", and
	 * thousands of files must not leave thousands of path strings behind. */
	const char *places[64];
	int np = 0;
	places[np++] = dir;
	const char *sp = getenv("SOW_PATH");
	char spcopy[4096];
	snprintf(spcopy, sizeof spcopy, "%s", sp ? sp : "");
	char *save = NULL;
	for (char *tok = strtok_r(spcopy, ":", &save); tok && np < 60; tok = strtok_r(NULL, ":", &save))
		if (*tok)
			places[np++] = tok;
	places[np++] = SOW_RULES_DIR;
	/* the build tree: rules/ beside the binary, or one up (build/sow-san) */
	char tree[PATH_MAX];
	snprintf(tree, sizeof tree, "%s/rules", P->exe_dir);
	if (!is_dir(tree))
		snprintf(tree, sizeof tree, "%s/../rules", P->exe_dir);
	if (is_dir(tree))
		places[np++] = tree;
	if (name[0] == 0 || strstr(name, "..") || name[0] == '/') {
		diag_at(P->D, m->src, imp->loc, DIAG_ERROR, "import names a library (like \"std\"), not a path");
		return;
	}
	/* every SOW file of a folder imports "std": resolve and load it once */
	char key[PATH_MAX + 256];
	snprintf(key, sizeof key, "%s\x1f%s", dir, name);
	if (map_get(&P->imports, key))
		return;
	map_put(&P->imports, arena_strndup(P->A, key, strlen(key)), (void *)1);
	for (int i = 0; i < np; i++) {
		char asdir[PATH_MAX], asfile[PATH_MAX];
		snprintf(asdir, sizeof asdir, "%s/%s", places[i], name);
		snprintf(asfile, sizeof asfile, "%s/%s.sow", places[i], name);
		if (is_file(asfile)) {
			load_any(P, asfile, false);
			return;
		}
		if (is_dir(asdir)) {
			load_any(P, asdir, false);
			return;
		}
	}
	diag_at(P->D, m->src, imp->loc, DIAG_ERROR, "cannot find import \"%s\"", name);
	for (int i = 0; i < np; i++) {
		const char *place = places[i] == tree ? display_path(P, tree) : places[i];
		fprintf(P->D->out, "  looked for %s/%s.sow and %s/%s/\n", place, name, place, name);
	}
}

/* A SOW's milestones and trainings (of the SOW itself or of one of its
 * amendments): each id once across all SOWs. */
static void register_terms(Program *P, Module *m, Node *sow, Node *list)
{
	for (Node *c = list; c; c = c->next) {
		if (c->kind == N_AMENDMENT)
			register_terms(P, m, sow, c->a);
		if (c->kind != N_MILESTONE && c->kind != N_TRAINING)
			continue;
		Map *ids = c->kind == N_MILESTONE ? &P->milestones : &P->trainings;
		SowRef *other = map_get(ids, c->s);
		if (other) {
			if (other->sow == sow)
				diag_at(P->D, m->src, c->loc, DIAG_ERROR, "%s \"%s\" is declared twice in this SOW",
					c->kind == N_MILESTONE ? "milestone" : "training", c->s);
			else
				diag_at(P->D, m->src, c->loc, DIAG_ERROR, "%s \"%s\" is already declared in SOW \"%s\"",
					c->kind == N_MILESTONE ? "milestone" : "training", c->s, other->sow->s);
			note_previous(P, other->mod, other->node->loc, "first declared here");
			continue;
		}
		SowRef *cr = arena_alloc(P->A, sizeof *cr);
		*cr = (SowRef){ c, sow, m };
		map_put(ids, c->s, cr);
	}
}

static void register_sow(Program *P, Module *m, Node *sow)
{
	SowRef *prev = map_get(&P->sows, sow->s);
	if (prev) {
		diag_at(P->D, m->src, sow->loc, DIAG_ERROR, "SOW \"%s\" is declared twice", sow->s);
		note_previous(P, prev->mod, prev->node->loc, "first declared here");
		return;
	}
	SowRef *r = arena_alloc(P->A, sizeof *r);
	*r = (SowRef){ sow, sow, m };
	map_put(&P->sows, sow->s, r);
	register_terms(P, m, sow, sow->a);
}

/* Declare a parsed file's items, then load what it imports. */
static Module *add_module(Program *P, const Src *src, const char *text, Node *items, Comment *comments, bool user,
			  const char *canon)
{
	Module *m = new_module(P, src, text, items, comments, user);
	/* Registered before its imports load, so an import cycle finds it. */
	if (canon)
		map_put(&P->by_path, arena_strndup(P->A, canon, strlen(canon)), m);
	for (Node *it = items; it; it = it->next) {
		declare(P, m, it);
		if (it->kind == N_SOW)
			register_sow(P, m, it);
	}
	for (Node *it = items; it; it = it->next)
		if (it->kind == N_IMPORT)
			resolve_import(P, m, it);
	return m;
}

Module *program_add_source(Program *P, const Src *src, Node *items, Comment *comments)
{
	return add_module(P, src, src->text, items, comments, true, NULL);
}

static bool load_file(Program *P, const char *path, bool user)
{
	/* A file is itself whatever path reaches it: key on device and inode
	 * (one stat, where realpath would readlink every component). */
	struct stat st;
	char canon[64];
	if (stat(path, &st) != 0) {
		diag_plain(P->D, DIAG_ERROR, "cannot open %s: %s", path, strerror(errno));
		return false;
	}
	snprintf(canon, sizeof canon, "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	Module *seen = map_get(&P->by_path, canon);
	if (seen) {
		seen->user |= user;
		seen->imported |= !user;
		return true;
	}
	/* a file named on the command line may be a SOW file to compact: read
	 * it into the scratch arena, and keep it there only long enough */
	Arena *scratch = user ? program_scratch(P) : NULL;
	Src *src = src_read(user ? scratch : P->A, path);
	if (!src) {
		diag_plain(P->D, DIAG_ERROR, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	if (!user)
		src->path = (char *)display_path(P, path);
	Src *small;
	Node *items;
	if (user && compact_sow_file(P, src, &small, &items)) {
		add_module(P, small, src->text, items, NULL, user, canon)->compact = true;
		arena_reset(scratch);
		return true;
	}
	if (user) {
		src = src_from_string(P->A, src->path, src->text, src->len);
		arena_reset(scratch);
	}
	Parser ps;
	parse_source(&ps, P->A, src, P->D, PARSE_FILE);
	add_module(P, src, src->text, ps.items, ps.comments, user, canon)->imported = !user;
	return true;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* fn for every *.sow (and import mapping *.map, account mapping *.accounts) below dir, in name order (results must not depend on
 * directory order). */
static bool walk_dir(const char *dir, bool (*fn)(const char *, void *), void *arg, Diag *D, int depth)
{
	if (depth > 32)
		return true;
	DIR *d = opendir(dir);
	if (!d) {
		diag_plain(D, DIAG_ERROR, "cannot open %s: %s", dir, strerror(errno));
		return false;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				fputs("sow: out of memory\n", stderr);
				abort();
			}
			names = nn;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			abort();
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (is_dir(names[i]))
			ok &= walk_dir(names[i], fn, arg, D, depth + 1);
		else if ((l > 4 && (strcmp(names[i] + l - 4, ".sow") == 0 || strcmp(names[i] + l - 4, ".map") == 0)) ||
			 (l > 9 && strcmp(names[i] + l - 9, ".accounts") == 0))
			ok &= fn(names[i], arg);
		free(names[i]);
	}
	free(names);
	return ok;
}

bool sow_files(const char *path, bool (*fn)(const char *file, void *arg), void *arg, Diag *D)
{
	if (!is_dir(path))
		return fn(path, arg);
	char *p = strdup(path);
	if (!p)
		abort();
	for (size_t l = strlen(p); l > 1 && p[l - 1] == '/';)
		p[--l] = 0;
	bool ok = walk_dir(p, fn, arg, D, 0);
	free(p);
	return ok;
}

typedef struct {
	Program *P;
	bool user;
} LoadCtx;

static bool load_one(const char *file, void *arg)
{
	LoadCtx *c = arg;
	return load_file(c->P, file, c->user);
}

static bool load_any(Program *P, const char *path, bool user)
{
	LoadCtx c = { P, user };
	return sow_files(path, load_one, &c, P->D);
}

bool program_load_path(Program *P, const char *path) { return load_any(P, path, true); }
