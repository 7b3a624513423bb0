/* ast.h: the syntax tree, its arena, and source files.
 *
 * The parser builds one tree per file out of generic nodes: a kind, a
 * location (byte offsets into the source), an operator or unit, up to two
 * strings and four children, and a `next` link for lists. Every node and
 * string lives in an arena freed at once, so no later phase frees piecemeal. */
#ifndef SOW_AST_H
#define SOW_AST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct { int beg, end; } Loc; /* byte offsets [beg, end) in Src.text */

typedef struct Src {
	char *path;      /* as given, or "<eval>" / "<stdin>" */
	char *text;      /* whole file, NUL-terminated (may hold NULs itself);
	                  * NULL once a checked SOW file is compacted (load.c):
	                  * messages read it again with src_text */
	size_t len;
	int *lines;      /* byte offset where each line starts, built once with
	                  * the text (diag.c looks positions up in it), or NULL */
	int nlines;
	int lines_before; /* text is a piece of a file (a REPL script's
	                   * statement) after this many lines; messages count them */
} Src;

/* A file's bytes (a UTF-8 byte order mark dropped), malloc'd and
 * NUL-terminated, or NULL with errno set. */
char *src_load(const char *path, size_t *len);
/* src's text; for a compacted file, read again into *owned (free it), or
 * NULL when the file is gone or no longer the length it had. */
const char *src_text(const Src *src, char **owned);

typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n);          /* zeroed; aborts when out of memory */
void arena_reset(Arena *a);                     /* forget everything, keep one chunk */
/* Stack discipline: everything allocated after a mark goes at release. */
typedef struct { void *chunk; size_t used; } ArenaMark;
ArenaMark arena_mark(Arena *a);
void arena_release(Arena *a, ArenaMark m);
char *arena_strndup(Arena *a, const char *s, size_t n);
size_t arena_bytes(const Arena *a);             /* allocated so far (sow check --stats) */
/* A copy of the n items of old (each `size` bytes) in a new array of cap
 * items: arena-made arrays grow by copying; the old one goes with the arena. */
void *arena_grow(Arena *a, const void *old, size_t n, size_t cap, size_t size);

typedef enum {
	/* top-level items */
	N_IMPORT, N_SOW, N_CALENDAR, N_FISCAL, N_LET, N_FN, N_RELATION, N_ENUM,
	N_MACHINE, N_RULE, N_QUERY, N_TEST, N_ROUNDING,
	/* clauses of a sow block */
	N_CUSTOMER, N_CURRENCY, N_SOWCAL, N_BILLING, N_ACCEPTANCE, N_RATE,
	N_MILESTONE, N_TRAINING, N_AUTHORIZED, N_SOWROUND, N_AMENDMENT, N_PO_REQUIRED,
	/* calendar clauses, relation columns, machine transitions */
	N_WEEKEND, N_HOLIDAY, N_COLUMN, N_TRANSITION,
	/* rule clauses */
	N_FOR, N_WHERE, N_WHEN, N_LETC, N_EMIT,
	/* queries */
	N_SELECTQ, N_FROMITEM, N_SELITEM, N_ORDITEM,
	/* test clauses */
	N_ASOF, N_GIVEN, N_EXPECT, N_EXPECTROW,
	/* expressions */
	N_NUM, N_MONEY, N_QTY, N_PERCENT, N_STR, N_DATE, N_PERIOD, N_BOOL, N_UNSET,
	N_NAME, N_BIN, N_NOT, N_NEG, N_ISSET, N_IN, N_CALL, N_ARG, N_MEMBER, N_INDEX,
	N_IF, N_RECORD, N_FIELD, N_LIST,
	/* import mappings: the block, a column from a header, a constant column,
	 * a setting, a skip, one value-map entry, an if block */
	N_MAPPING, N_MAPCOL, N_MAPCONST, N_MAPSET, N_MAPSKIP, N_MAPENTRY, N_MAPIF,
	/* account mappings: the block, one account clause, one condition */
	N_ACCOUNTS, N_ACCOUNT, N_ACCTCOND,
	N_ERROR, /* placeholder left by error recovery */
	N__COUNT
} NodeKind;

/* Units of N_QTY literals and of duration values. */
typedef enum { U_DAYS, U_BDAYS, U_WEEKS, U_MONTHS, U_YEARS, U_HOURS } Unit;

/* Binary operators (N_BIN op). */
enum { OP_OR = 256, OP_AND, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
       OP_ADD, OP_SUB, OP_MUL, OP_DIV };

/* What an N_NAME is, as the checker resolved it (its op; 0: not resolved):
 * a variable (aux: the name as its binding spelt it, found by address, not
 * by comparing text), as_of, run_id, a const or an enum member. */
enum { NAME_VAR = 1, NAME_AS_OF, NAME_RUN_ID, NAME_CONST, NAME_SYM };

/* Whether a SOW block has a `rounding` clause of its own (an N_SOW's idx,
 * set by the checker; 0: not known), so that a rounding call need not
 * look through the clauses of every SOW. */
enum { SOW_ROUNDING_NONE = 1, SOW_ROUNDING_SOME };

/* A top-level definition written `override ...`: it means to replace the library's. */
enum { DEF_OVERRIDE = 1 };

typedef struct Node Node;
struct Node {
	NodeKind kind;
	Loc loc;
	int op;            /* operator, unit, flag (is not set: 1; desc: 1;
	                    * a definition: DEF_OVERRIDE) */
	char *s;           /* name, literal text (decoded for strings) */
	char *s2;          /* second string: alias, currency code, reason */
	Node *a, *b, *c, *d;  /* children; a query uses all six: from, where, */
	Node *e, *f;          /* group, select, order, limit */
	Node *next;        /* next in a list */
	void *aux;         /* set by the checker for the evaluator: the Shape of a
	                    * for/from source or a query's result; a variable's
	                    * binding (NAME_VAR); the Shape that idx is a column
	                    * of (N_MEMBER); a literal's value, a call's or a
	                    * const's definition (eval.c, on first use) */
	int idx;           /* member access: column index + 1 (0: not resolved);
	                    * a rounding mode + 1, parsed by the checker (the
	                    * name after round's mode:, a rounding, a SOW's);
	                    * an N_SOW: SOW_ROUNDING_* */
	Node *tail;        /* last of a list; kept on the head only */
};

typedef struct Comment { Loc loc; struct Comment *next; } Comment;

Node *ast_node(Arena *A, NodeKind k, Loc loc);
/* Append item to list (head may be NULL); returns the head. */
Node *ast_append(Node *head, Node *item);
/* Do a and b say the same, ignoring where they are written (and the lists
 * after them)? */
bool ast_same(const Node *a, const Node *b);
const char *unit_name(Unit u, int plural);
/* Each use of the name var in n and the nodes after it: fn(col, arg) for
 * `var.col`, fn(NULL, arg) for var itself (the whole row); and, when names
 * is set, fn(name, arg) for every other bare name (a single-source query's
 * columns are names too). Conservative: a nested rebinding of var counts. */
void ast_uses(const Node *n, const char *var, bool names, void (*fn)(const char *col, void *arg), void *arg);
const char *op_text(int op);

#endif
