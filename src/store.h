/* store.h: opening the project database and creating its schema.
 * Every failure here is a database or I/O error: exit status 3. */
#ifndef SOW_STORE_H
#define SOW_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

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

#endif
