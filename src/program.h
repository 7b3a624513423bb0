/* program.h: a set of loaded rule files and their declarations.
 *
 * load.c fills a Program from paths (resolving imports); check.c verifies
 * it; eval.c computes with it. Names follow one rule: a name defined in a
 * file named on the command line (a "user" file, typically a SOW) overrides
 * the library's definition of that name for that file's own SOWs and rules;
 * two definitions of one name in one file, or of a rule, relation, enum,
 * machine, calendar or query in two user files, are errors. */
#ifndef SOW_PROGRAM_H
#define SOW_PROGRAM_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "map.h"

typedef enum {
	D_CONST, D_FN, D_ROUNDING, D_RELATION, D_ENUM, D_MACHINE, D_RULE, D_QUERY, D_CALENDAR
} DeclKind;

typedef struct Module Module;

typedef struct Decl {
	DeclKind kind;
	const char *name;
	Node *node;            /* the item that declares it */
	Module *mod;           /* file it is in */
	int visiting;          /* cycle detection: 0 new, 1 in progress, 2 done */
	struct Decl *lib;      /* for an override: the definition it replaces */
} Decl;

struct Module {
	const Src *src;
	Node *items;
	Comment *comments;
	bool user;             /* named on the command line (else only imported) */
	bool imported;         /* reached by an import (a library file, even when also named) */
	bool compact;          /* a checked SOW file kept as its terms (compact.c) */
	Map local;             /* name -> Decl* defined in this file */
};

/* Where a SOW, or a milestone or training declared in one, was declared. */
typedef struct SowRef {
	Node *node;            /* the N_SOW, N_MILESTONE or N_TRAINING node */
	Node *sow;             /* its SOW block */
	Module *mod;           /* its file */
} SowRef;

typedef struct Program {
	Arena *A;              /* tree, strings, decls */
	Diag *D;
	Module **mods;         /* in load order */
	int nmods, capmods;
	Map by_path;           /* "device:inode" -> Module* (each file loads once) */
	Map imports;           /* "folder\x1fname" -> (void *)1: import resolved and loaded */
	Map decls;             /* name -> Decl*: library definition, or user one */
	Map sows;              /* sow id -> SowRef* */
	Map milestones;        /* milestone id -> SowRef* */
	Map trainings;         /* training id -> SowRef* */
	Map enum_member;       /* symbol -> Decl* of its enum */
	Node *fiscal;          /* the `fiscal year starts` item, or NULL */
	int fiscal_start;      /* month 1..12 (default 2, February) */
	const char *exe_dir;   /* folder of the running binary, for the tree's rules/ */
	Map shapes;            /* relation name -> Shape*, filled by the checker */
	struct Compact *compact; /* compact.c's tables, or NULL */
	unsigned long long digest; /* FNV-1a over every loaded file's path and text, in load order */
} Program;

void program_init(Program *P, Arena *A, Diag *D, const char *argv0);
void program_free(Program *P);
/* Load a file or every *.sow below a folder, as user files. Returns false
 * when a path cannot be read (reported). Syntax errors are reported and
 * counted in D; the rest of the file still loads. */
bool program_load_path(Program *P, const char *path);
/* Call fn for path, or for every *.sow below it when it is a folder (in name
 * order). False when a folder cannot be read (reported) or fn says so. */
bool sow_files(const char *path, bool (*fn)(const char *file, void *arg), void *arg, Diag *D);
/* Add an in-memory source (REPL line, -e expression) as a user module. */
Module *program_add_source(Program *P, const Src *src, Node *items, Comment *comments);

/* compact.c. A user file read into program_scratch: when it holds only
 * imports and SOW blocks and parses and checks with no message, its items
 * are copied, shared with equal ones already kept, into P's arena, with a
 * Src that has no text; else false, and nothing is reported. */
bool compact_sow_file(Program *P, const Src *src, Src **out_src, Node **out_items);
Arena *program_scratch(Program *P);
void compact_free(Program *P);
/* Files compacted, and the bytes their copies hold (sow check --stats). */
void compact_stats(const Program *P, size_t *files, size_t *bytes);

#endif
