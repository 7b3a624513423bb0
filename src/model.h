/* model.h: the checked program, as the checker leaves it and the engine
 * reads it.
 *
 * Beneath both check.c (which builds the shapes and types) and the engine
 * (which evaluates with them): the type of an expression, the columns of a
 * relation, name lookup, and what an expression reads. Nothing here checks
 * or evaluates. */
#ifndef SOW_MODEL_H
#define SOW_MODEL_H

#include <stddef.h>

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
 * by a Shape's address (N_MEMBER). The checker fills P->shapes. */

/* Index of a column of a shape, or -1. */
int shape_col(const Shape *s, const char *name);
const char *type_name(Type t, char *buf, size_t n);

/* The column naming the project of a row of table t ("id" for projects,
 * "project_id" for a table that has one), or NULL: t is not keyed by
 * project (a what-if on one project reads only its rows: keyscope.h). */
const char *project_column(const struct TableDef *t);
/* The same for a source's shape (a table, SOW terms, a relation): the
 * column's index, or -1. */
int shape_project_column(const Shape *sh);

/* Name lookup as seen from module m (its own definitions first). */
Decl *program_lookup(const Program *P, const Module *m, const char *name);
const char *decl_kind_name(DeclKind k);
/* Call fn with the name of every relation or table that e reads (through
 * named queries and functions too). */
void program_reads(Program *P, Node *e, void (*fn)(const char *, void *), void *arg);

#endif
