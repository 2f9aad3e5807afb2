/*
 * history_db: the store's handle, the matrix in memory and SQLite at the
 * edge, shared by the files of the history module (history.c defines them
 * all).
 *
 * Internal to the history module: for history.c, history_read.c,
 * history_restore.c and history_export.c only (the first two include it
 * today). Everyone else calls history.h, the public API.
 *
 * The functions that can fail return 0 or -1 and fill `e`, with the
 * history's path and SQLite's message (history_db_fail()).
 */
#ifndef YARDSTICK_HISTORY_DB_H
#define YARDSTICK_HISTORY_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "history.h"

struct history;

/* ---- SQLite at the edge ----------------------------------------------- */

/* Fill `e` with "what: SQLite's message" at the history's path; -1. */
int history_db_fail(struct history *h, struct err *e, const char *what);
/* Compile `sql` into *st (NULL on failure); the caller finalizes it. */
int history_db_prepare(struct history *h, const char *sql, sqlite3_stmt **st,
		       struct err *e);
/* The first column of the first row of `sql` (with ?1 = a) as an integer;
 * *found tells whether there was a non-NULL one. */
int history_db_query_int(struct history *h, const char *sql, int64_t a,
			 int64_t *value, bool *found, struct err *e);
/* Run `sql`, one or more statements without parameters; `what` heads
 * the error. */
int history_db_exec(struct history *h, const char *sql, const char *what,
		    struct err *e);
/* Roll back the open transaction, if there is one. */
void history_db_rollback(struct history *h);

/* ---- the matrix in memory --------------------------------------------- */

/* A cell by entity and rule id (of the entity and rule tables), and its
 * state as cell_change records it. */
struct cell {
	int64_t entity, rule;
	int state;
	int64_t day; /* of the change row that set the state (matrix loads) */
};

/* A full state: present entities and rules (ids ascending) and the cells
 * of present entities and rules (by entity, then rule). */
struct matrix {
	int64_t *entities;
	size_t entity_count, entity_alloc;
	int64_t *rules;
	char **definitions; /* [rule], owned */
	size_t rule_count, rule_alloc, definition_alloc;
	struct cell *cells;
	size_t cell_count, cell_alloc;
};

/* The handle. `latest` is the full state of the newest recorded date as
 * the last history_record() of this connection left it (each cell's `day`
 * as a load would give it), kept for the first whole read of that date
 * (history_db_matrix_take()): a build records a date and then reads its
 * state once, and so reads it from memory instead of the whole
 * cell_change table. */
struct history {
	sqlite3 *db;
	char *path;
	struct matrix latest;
	int64_t latest_day;
	int64_t latest_version; /* PRAGMA data_version after that commit */
	bool has_latest;
};

/* The full state as of recorded date `day` (rows on or before it; rows
 * before the oldest recorded date hold that date's state); without cells
 * unless `with_cells`. `m` is the caller's to release, and empty on
 * failure. */
int history_db_matrix_load(struct history *h, int64_t day, bool with_cells,
			   struct matrix *m, struct err *e);
/* Move the kept state of recorded date `day` (with cells) into `m`, when
 * this connection recorded that date last and no other connection wrote
 * since; false (and `m` untouched) otherwise. Taken once. */
bool history_db_matrix_take(struct history *h, int64_t day, struct matrix *m);
/* Free what `m` holds and empty it. */
void history_db_matrix_release(struct matrix *m);
/* Whether `id` is in ids[0..n) (ascending); *at (when not NULL) is where
 * it is or would go. */
bool history_db_id_find(const int64_t *ids, size_t n, int64_t id, size_t *at);
/* qsort() order of struct cell: by entity, then rule. */
int history_db_cell_compare(const void *pa, const void *pb);

#endif
