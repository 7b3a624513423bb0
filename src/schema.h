/* schema.h: the standard tables of SPEC section 4, as data.
 *
 * One description serves `sow init` (which turns it into CREATE TABLE), the
 * checker (which types `m.sign_off_sent_on` as a date) and the importer.
 * Column types are the value types rules see, not SQLite storage classes. */
#ifndef SOW_SCHEMA_H
#define SOW_SCHEMA_H

#include <stddef.h>

typedef enum {
	COL_TEXT, COL_DATE, COL_DECIMAL, COL_HOURS, COL_MONEY, COL_INT, COL_BOOL, COL_PERIOD
} ColType;

typedef struct {
	const char *name;
	ColType type;
	const char *sql;      /* column definition for CREATE TABLE */
} ColumnDef;

typedef struct TableDef {
	const char *name;
	const ColumnDef *cols;
	int ncols;
	const char *id;       /* column naming a row in messages ("id", or NULL) */
	const char *extra;    /* table constraints, or NULL */
	int output;           /* 0 analysts' data; 1 written by rules through `sow run`;
	                       * 2 bookkeeping of `sow run` itself (runs, periods, totals) */
} TableDef;

/* Version 2 (SPEC 8): projects.po_reference, invoice drafts and the tables
 * the second version adds; version 3 (SPEC 9): service_logs.project_id and
 * sow_id, the seller's and buyers' address, endpoint and payment fields of
 * e-invoices. sow init upgrades an older database in place. */
#define SCHEMA_VERSION 3

extern const TableDef schema_tables[];
extern const int schema_ntables;

const TableDef *schema_table(const char *name);
/* The views SPEC defines (revenue_by_project, forecast_by_quarter): read
 * only, queried like a table. schema_view_sql: the SELECT a session's TEMP
 * view of that name runs, over the totals of the session's own view. */
extern const TableDef schema_views[];
extern const int schema_nviews;
const TableDef *schema_view(const char *name);
void schema_view_sql(const TableDef *v, char *buf, size_t size);
int schema_column(const TableDef *t, const char *name);   /* index or -1 */
/* The currency column of money column col: the longest of col's prefixes
 * ending before a '_' (col itself first) with a "_currency" column beside it
 * (reporting_amount -> reporting_currency, books_gross -> books_currency),
 * else "currency"; -1 if none. find(cols, name) is a column's index or -1,
 * so a query's columns are matched by the same rule as a table's. */
int schema_currency_of(const char *col, int (*find)(const void *cols, const char *name), const void *cols);
int schema_currency_column(const TableDef *t, const char *col);
const char *coltype_name(ColType t);
/* CREATE TABLE IF NOT EXISTS statement for t, into buf. */
void schema_table_sql(const TableDef *t, char *buf, size_t size);
extern const char schema_index_sql[];
/* INSERT INTO table (cols...) VALUES (?, ...) into buf. */
void schema_insert_sql(const char *table, const char *const *cols, int n, char *buf, size_t size);   /* CREATE INDEX IF NOT EXISTS ... */

#endif
