/* check.h: names, types and references of a loaded Program.
 *
 * The checker reports every error it can find in one pass and never stops
 * at the first: each expression that fails gets the type `any`, which
 * silences the errors that would only follow from the first one. */
#ifndef SOW_CHECK_H
#define SOW_CHECK_H

#include "ast.h"
#include "program.h"
#include "value.h"

typedef struct Shape Shape;

typedef struct Type {
	VKind k;              /* the value kind; V_ANY when unknown */
	const char *cur;      /* money: ISO code, or NULL when known only at run time */
	int unit;             /* duration: Unit, or -1 */
	const Shape *row;     /* row: the shape of the row */
	const char *enm;      /* symbol: enum name, or NULL */
} Type;

/* The columns of a table, declared relation, SOW relation or query result. */
struct Shape {
	const char *name;
	int ncols;
	const char **cols;
	Type *types;
	int source;           /* 0 database table, 1 relation, 2 SOW terms, 3 query */
	const struct TableDef *table; /* a database table's definition (schema.h), else NULL */
	int idcol, curcol;    /* a table's id and currency columns (-1: none), found once */
};
/* A Shape lives as long as its Program: the evaluator keeps column indexes
 * by a Shape's address (N_MEMBER). */

/* The i-th billing term and rounding mode, or NULL past the last (completion). */
const char *check_billing_term(int i);
const char *check_round_mode(int i);

/* Index of a column of a shape, or -1. */
int shape_col(const Shape *s, const char *name);

/* Check everything loaded. Returns the number of errors found. */
int check_program(Program *P);
/* Check one expression (or query) in the context of P, as seen from m. */
int check_expr(Program *P, Module *m, Node *e, Type *out);
/* The checks of m's SOW blocks alone, reported to D; returns the errors
 * and warnings. They need no other file (the loader checks a SOW file so
 * before compacting it), except a SOW's own rounding clause. */
int check_sow_blocks(Program *P, Module *m, Diag *D);
const char *type_name(Type t, char *buf, size_t n);
/* Call fn with the name of every relation or table that e reads (through
 * named queries and functions too). */
void program_reads(Program *P, Node *e, void (*fn)(const char *, void *), void *arg);

#endif
