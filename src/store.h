/* store.h: opening the project database and creating its schema.
 * Every failure here is a database or I/O error: exit status 3. */
#ifndef SOW_STORE_H
#define SOW_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "date.h"

typedef enum { STORE_READ, STORE_WRITE, STORE_CREATE } StoreMode;

/* Open path. STORE_READ and STORE_WRITE need an existing sow database of a
 * schema version this binary knows; STORE_CREATE may create the file.
 * On failure writes a message naming the file into err and returns NULL. */
sqlite3 *store_open(const char *path, StoreMode mode, char *err, size_t n);
/* Create or upgrade the schema, in one transaction. */
bool store_init(sqlite3 *db, char *err, size_t n);
/* The database file's change counter (its header, offset 24), which every
 * committed write transaction raises by one in a rollback-journal
 * database. Call it inside a transaction (a lock is held). False when it
 * cannot tell: a WAL database (whose writes leave the counter alone), an
 * in-memory one, or a read error. */
bool store_change_counter(sqlite3 *db, unsigned long long *counter);

typedef enum { STORE_READ_OK, STORE_READ_DB, STORE_READ_BAD } StoreRead;
/* Add the days of the holidays table's rows of calendar to c. STORE_READ_DB:
 * the database failed (sqlite3_errmsg says why); STORE_READ_BAD: row
 * *bad_row's day (text in bad_day) is not a date. */
StoreRead store_holidays(sqlite3 *db, const char *calendar, Calendar *c, long long *bad_row, char *bad_day, size_t n);
/* A project's status history, oldest first: bind the project id as ?1;
 * each row is (status, changed_on). */
bool store_status_history(sqlite3 *db, sqlite3_stmt **st);
/* Was the revenue row of (source, source_id) released in a period before
 * month ("2026-11")? The revenue table holds each source row once, ever
 * (superseded runs' rows are in revenue_history). False on a database
 * error (sqlite3_errmsg says which). */
bool store_released_before(sqlite3 *db, const char *source, const char *id, const char *month, bool *out);

#endif
