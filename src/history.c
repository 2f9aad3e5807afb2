/*
 * history: the SQLite store of recorded runs (history.h, docs/history.md).
 *
 * Journal mode: rollback (DELETE), not WAL. The file is published with the
 * site on a static host and restored from there; with a rollback journal it
 * is whole and self-contained after every commit, whereas WAL keeps a -wal
 * and a -shm file beside it while open (and needs shared memory, which
 * network file systems lack). One write a night needs no WAL concurrency.
 * Two builds on one history queue on the busy timeout; every write takes
 * the lock up front (BEGIN IMMEDIATE), so a waiting writer never deadlocks.
 *
 * The matrix is kept as changes: cell_change, entity_change and
 * rule_change rows exist on the first date and where the value differs
 * from the recorded date before. A cell is only meaningful while its entity
 * and rule are present, so a returning entity or rule gets all its cells
 * written again. Recording a date D between P (recorded before) and N
 * (recorded after) reads the full state as of N first, drops every change
 * in (P, N], writes D against P and N against D: the state at every date
 * stays right whatever order dates arrive in.
 *
 * Pruning keeps, of the changes older than the oldest kept date K, only the
 * newest per cell (the state they imply at K) and drops what is absent at
 * K; those rows keep their old dates, which is harmless because a state is
 * always read as of a recorded date, and saves rewriting the whole matrix
 * every night.
 *
 * This file writes: open, schema and migrations, the matrix in memory,
 * recording and pruning (history_db.h shares the handle, the matrix and
 * the SQLite helpers with the rest of the module). history_read.c reads,
 * history_restore.c fetches a published history, history_export.c writes
 * the time-series export.
 */
#include "history.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "eval.h"
#include "history_db.h"
#include "util.h"

/* "YSHD" in the header (PRAGMA application_id): a foreign SQLite file is
 * told apart from an empty one. */
#define HISTORY_APPLICATION_ID 0x59534844
#define HISTORY_BUSY_MS 60000

/* ---- schema and migrations ---------------------------------------------- */

static const char schema_v1[] =
	"CREATE TABLE run ("
	"  day INTEGER PRIMARY KEY," /* days since 1970-01-01 */
	"  recorded_at INTEGER NOT NULL);" /* Unix time of the recording */
	"CREATE TABLE slice ("
	"  id INTEGER PRIMARY KEY,"
	"  scorecard TEXT NOT NULL, rule TEXT NOT NULL, team TEXT NOT NULL,"
	"  campaign TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL,"
	"  UNIQUE (scorecard, rule, team, campaign, dimension, value));"
	"CREATE TABLE aggregate ("
	"  slice INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  pass INTEGER NOT NULL, fail INTEGER NOT NULL, skip INTEGER NOT NULL,"
	"  no_data INTEGER NOT NULL, exempt INTEGER NOT NULL,"
	"  weighted_pass REAL NOT NULL, weighted_counted REAL NOT NULL,"
	"  score REAL, entities INTEGER NOT NULL,"
	"  PRIMARY KEY (slice, day)) WITHOUT ROWID;"
	"CREATE TABLE entity (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE);"
	"CREATE TABLE rule (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE);"
	"CREATE TABLE entity_change ("
	"  entity INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  present INTEGER NOT NULL," /* 1 appeared, 0 gone */
	"  PRIMARY KEY (entity, day)) WITHOUT ROWID;"
	"CREATE TABLE rule_change ("
	"  rule INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  definition TEXT," /* NULL: the rule is gone */
	"  PRIMARY KEY (rule, day)) WITHOUT ROWID;"
	"CREATE TABLE cell_change ("
	"  entity INTEGER NOT NULL, rule INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  state INTEGER NOT NULL," /* enum rule_state */
	"  PRIMARY KEY (entity, rule, day)) WITHOUT ROWID;";

/* Version 2: the Slack digests posted (slack.h), so a digest is never
 * posted twice for one date and the next one knows what it compares with.
 * payload_hash is util_hash_bytes() of the payload, in hex. */
static const char schema_v2[] =
	"CREATE TABLE digest ("
	"  day INTEGER NOT NULL," /* the run date the digest reports */
	"  channel TEXT NOT NULL, kind TEXT NOT NULL,"
	"  payload_hash TEXT NOT NULL,"
	"  sent_at INTEGER NOT NULL," /* Unix time of the post */
	"  PRIMARY KEY (day, channel, kind)) WITHOUT ROWID;";

/* Version 3: each run's digest (record_digest below, 16 hex digits), so
 * recording a date again with the same results writes nothing. NULL for
 * runs recorded before: they are rewritten once. */
static const char schema_v3[] = "ALTER TABLE run ADD COLUMN digest TEXT;";

/* Step i takes the schema from version i to i + 1; version 0 is an empty
 * file. A new version appends a step (and a test from a file of the
 * version before). */
static const char *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == HISTORY_SCHEMA_VERSION,
	       "one migration step per schema version");

/* ---- SQLite at the edge --------------------------------------------------- */

int history_db_fail(struct history *h, struct err *e, const char *what)
{
	err_path(e, ERR_ERROR, h->path, "%s: %s", what, sqlite3_errmsg(h->db));
	return -1;
}

int history_db_prepare(struct history *h, const char *sql, sqlite3_stmt **st,
		       struct err *e)
{
	if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) == SQLITE_OK)
		return 0;
	*st = NULL;
	return history_db_fail(h, e, "cannot read the history");
}

/* Run `sql` to the end with up to two integer parameters ?1 and ?2. */
static int run_sql(struct history *h, const char *sql, int64_t a, int64_t b,
		   struct err *e)
{
	sqlite3_stmt *st;
	if (history_db_prepare(h, sql, &st, e) != 0)
		return -1;
	int params = sqlite3_bind_parameter_count(st);
	if (params >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (params >= 2)
		sqlite3_bind_int64(st, 2, b);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : history_db_fail(h, e, "cannot write the history");
}

/* The first column of the first row of `sql` (with ?1 = a) as an integer;
 * *found tells whether there was a non-NULL one. */
int history_db_query_int(struct history *h, const char *sql, int64_t a,
			 int64_t *value, bool *found, struct err *e)
{
	sqlite3_stmt *st;
	if (history_db_prepare(h, sql, &st, e) != 0)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (*found)
		*value = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return history_db_fail(h, e, "cannot read the history");
	return 0;
}

int history_db_exec(struct history *h, const char *sql, const char *what,
		    struct err *e)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return history_db_fail(h, e, what);
}

void history_db_rollback(struct history *h)
{
	if (!sqlite3_get_autocommit(h->db))
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- open and close ------------------------------------------------------- */

static int migrate(struct history *h, int64_t version, struct err *e)
{
	if (history_db_exec(h, "BEGIN IMMEDIATE", "cannot lock the history", e) != 0)
		return -1;
	/* Read again under the lock: another process may have migrated. */
	bool found;
	if (history_db_query_int(h, "PRAGMA user_version", 0, &version, &found, e) != 0)
		goto fail;
	for (int64_t v = version; v < HISTORY_SCHEMA_VERSION; v++)
		if (history_db_exec(h, migrations[v],
				    "cannot update the history's schema", e) != 0)
			goto fail;
	char sql[96];
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION);
	if (history_db_exec(h, sql, "cannot update the history's schema", e) != 0 ||
	    history_db_exec(h, "COMMIT", "cannot update the history's schema", e) != 0)
		goto fail;
	return 0;
fail:
	history_db_rollback(h);
	return -1;
}

/* PRAGMA quick_check: a damaged file is refused before it is used (its
 * first problem, on one line, in the message). */
static int quick_check(struct history *h, struct err *e)
{
	sqlite3_stmt *st;
	if (history_db_prepare(h, "PRAGMA quick_check(1)", &st, e) != 0)
		return -1;
	int rc = sqlite3_step(st);
	const char *result = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
					      : sqlite3_errmsg(h->db);
	if (result && strcmp(result, "ok") == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	const char *line = result ? result : "unknown problem";
	if (strncmp(line, "*** in database main ***\n", 25) == 0)
		line += 25;
	err_path(e, ERR_ERROR, h->path, "damaged history (PRAGMA quick_check: %.*s)",
		 (int)strcspn(line, "\n"), line);
	sqlite3_finalize(st);
	return -1;
}

int history_check(struct history *h, struct err *e)
{
	return quick_check(h, e);
}

int history_open(struct history **out, const char *path, enum history_mode mode,
		 struct err *e)
{
	struct history *h = xcalloc(1, sizeof(*h));
	h->path = xstrdup(path);
	bool memory = strcmp(path, ":memory:") == 0;
	bool writing = mode == HISTORY_WRITE || mode == HISTORY_WRITE_TRUSTED;
	bool read_only = !writing;
	struct stat st;
	if (!memory && read_only && stat(path, &st) != 0) {
		err_path(e, ERR_ERROR, path, "cannot open the history: %s",
			 strerror(errno));
		goto fail;
	}
	/* One thread at a time (history.h): no per-connection mutex. */
	int flags = SQLITE_OPEN_NOMUTEX |
		    (read_only ? SQLITE_OPEN_READONLY
			       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
		if (!h->db)
			BUG("sqlite3_open_v2 out of memory");
		history_db_fail(h, e, "cannot open the history");
		goto fail;
	}
	sqlite3_extended_result_codes(h->db, 1);
	sqlite3_busy_timeout(h->db, HISTORY_BUSY_MS);

	/* The first read parses the header: a file that is not SQLite or is
	 * cut short fails here. */
	int64_t app_id = 0, version = 0, tables = 0;
	bool found;
	if (history_db_query_int(h, "PRAGMA application_id", 0, &app_id, &found,
				 e) != 0 ||
	    history_db_query_int(h, "PRAGMA user_version", 0, &version, &found,
				 e) != 0 ||
	    history_db_query_int(h, "SELECT count(*) FROM sqlite_master", 0,
				 &tables, &found, e) != 0) {
		err_release(e);
		err_path(e, ERR_ERROR, path, "not a yardstick history (%s)",
			 sqlite3_errmsg(h->db));
		goto fail;
	}
	bool empty = app_id == 0 && version == 0 && tables == 0;
	if (empty && read_only) {
		err_path(e, ERR_ERROR, path, "not a yardstick history (an empty file)");
		goto fail;
	}
	if (!empty && app_id != HISTORY_APPLICATION_ID) {
		err_path(e, ERR_ERROR, path,
			 "not a yardstick history (an SQLite database of another "
			 "program, application id %lld); not touched",
			 (long long)app_id);
		goto fail;
	}
	if (!empty && (version < 1 || version > HISTORY_SCHEMA_VERSION)) {
		err_path(e, ERR_ERROR, path,
			 "history of schema version %lld, newer than this yardstick "
			 "reads (%d); upgrade yardstick",
			 (long long)version, HISTORY_SCHEMA_VERSION);
		goto fail;
	}
	if (!empty && mode != HISTORY_WRITE_TRUSTED && quick_check(h, e) != 0)
		goto fail;
	if (writing) {
		/* A file left in WAL mode by some other tool goes back to one
		 * self-contained file (see the top of this file). */
		if (history_db_exec(h, "PRAGMA journal_mode = DELETE",
				    "cannot set the journal mode", e) != 0)
			goto fail;
		if (version < HISTORY_SCHEMA_VERSION && migrate(h, version, e) != 0)
			goto fail;
	} else if (version < HISTORY_SCHEMA_VERSION && mode == HISTORY_READ) {
		err_path(e, ERR_ERROR, path,
			 "history of an older schema version (%lld); a build "
			 "updates it", (long long)version);
		goto fail;
	}
	*out = h;
	return 0;
fail:
	history_close(h);
	*out = NULL;
	return -1;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	/* Every statement is finalized where it is prepared, so this closes. */
	if (h->db && sqlite3_close(h->db) != SQLITE_OK)
		BUG("history closed with statements open");
	history_db_matrix_release(&h->latest);
	free(h->path);
	free(h);
}

/* ---- the matrix in memory ------------------------------------------------- */

void history_db_matrix_release(struct matrix *m)
{
	for (size_t i = 0; i < m->rule_count; i++)
		free(m->definitions[i]);
	free(m->entities);
	free(m->rules);
	free(m->definitions);
	free(m->cells);
	memset(m, 0, sizeof(*m));
}

/* SQLite's count of the commits of other connections (or -1). */
static int64_t data_version(struct history *h)
{
	int64_t version;
	bool found;
	struct err e = ERR_INIT;
	if (history_db_query_int(h, "PRAGMA data_version", 0, &version, &found, &e) != 0) {
		err_release(&e);
		return -1;
	}
	return found ? version : -1;
}

static void forget_latest(struct history *h)
{
	history_db_matrix_release(&h->latest);
	h->has_latest = false;
}

bool history_db_matrix_take(struct history *h, int64_t day, struct matrix *m)
{
	if (!h->has_latest || h->latest_day != day)
		return false;
	bool current = data_version(h) == h->latest_version;
	if (current) {
		*m = h->latest;
		memset(&h->latest, 0, sizeof(h->latest));
	}
	forget_latest(h);
	return current;
}

bool history_db_id_find(const int64_t *ids, size_t n, int64_t id, size_t *at)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (at)
		*at = lo;
	return lo < n && ids[lo] == id;
}

int history_db_cell_compare(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;
	if (a->entity != b->entity)
		return a->entity < b->entity ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return 0;
}

/* The full state as of recorded date `day` (rows on or before it; rows
 * before the oldest recorded date hold that date's state). */
int history_db_matrix_load(struct history *h, int64_t day, bool with_cells,
			   struct matrix *m, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;
	memset(m, 0, sizeof(*m));
	/* SQLite returns the other columns of the row holding max(day). */
	if (history_db_prepare(h, "SELECT entity, present, max(day) FROM entity_change "
				  "WHERE day <= ?1 GROUP BY entity ORDER BY entity",
			       &st, e) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, day);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!sqlite3_column_int(st, 1))
			continue;
		ALLOC_GROW(m->entities, m->entity_count + 1, m->entity_alloc);
		m->entities[m->entity_count++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		goto fail_db;

	if (history_db_prepare(h, "SELECT rule, definition, max(day) FROM rule_change "
				  "WHERE day <= ?1 GROUP BY rule ORDER BY rule",
			       &st, e) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, day);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		ALLOC_GROW(m->rules, m->rule_count + 1, m->rule_alloc);
		ALLOC_GROW(m->definitions, m->rule_count + 1, m->definition_alloc);
		m->rules[m->rule_count] = sqlite3_column_int64(st, 0);
		m->definitions[m->rule_count++] =
			xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		goto fail_db;
	if (!with_cells)
		return 0;

	/* The primary key's order, each cell's rows by date: its newest row
	 * on or before `day` is its last (a plain scan, about twice as fast
	 * as SQLite's GROUP BY with max()). */
	if (history_db_prepare(h, "SELECT entity, rule, state, day FROM cell_change "
				  "WHERE day <= ?1 ORDER BY entity, rule, day",
			       &st, e) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, day);
	struct cell *last = NULL;
	int64_t entity = -1, rule = -1;
	bool entity_present = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t en = sqlite3_column_int64(st, 0), ru = sqlite3_column_int64(st, 1);
		if (en != entity || ru != rule) {
			if (en != entity)
				entity_present = history_db_id_find(m->entities,
								    m->entity_count, en, NULL);
			entity = en;
			rule = ru;
			last = NULL;
			if (entity_present &&
			    history_db_id_find(m->rules, m->rule_count, ru, NULL)) {
				ALLOC_GROW(m->cells, m->cell_count + 1, m->cell_alloc);
				last = &m->cells[m->cell_count++];
				last->entity = en;
				last->rule = ru;
			}
		}
		if (last) {
			last->state = sqlite3_column_int(st, 2);
			last->day = sqlite3_column_int64(st, 3);
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		goto fail_db;
	return 0;
fail_db:
	history_db_fail(h, e, "cannot read the history");
fail:
	sqlite3_finalize(st);
	history_db_matrix_release(m);
	return -1;
}

/* The id of `ref` in table `table` ("entity" or "rule"), added if new. */
static int ref_id(struct history *h, sqlite3_stmt *find, sqlite3_stmt *add,
		  const char *ref, int64_t *id, struct err *e)
{
	sqlite3_reset(find);
	sqlite3_bind_text(find, 1, ref, -1, SQLITE_STATIC);
	int rc = sqlite3_step(find);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(find, 0);
		sqlite3_reset(find);
		return 0;
	}
	sqlite3_reset(find);
	if (rc != SQLITE_DONE)
		return history_db_fail(h, e, "cannot read the history");
	sqlite3_reset(add);
	sqlite3_bind_text(add, 1, ref, -1, SQLITE_STATIC);
	if (sqlite3_step(add) != SQLITE_DONE) {
		sqlite3_reset(add);
		return history_db_fail(h, e, "cannot write the history");
	}
	sqlite3_reset(add);
	*id = sqlite3_last_insert_rowid(h->db);
	return 0;
}

static int refs_to_ids(struct history *h, const char *table,
		       const char *const *refs, size_t count, int64_t *ids,
		       struct err *e)
{
	char find_sql[64], add_sql[64];
	snprintf(find_sql, sizeof(find_sql), "SELECT id FROM %s WHERE ref = ?1", table);
	snprintf(add_sql, sizeof(add_sql), "INSERT INTO %s (ref) VALUES (?1)", table);
	sqlite3_stmt *find = NULL, *add = NULL;
	int status = -1;
	if (history_db_prepare(h, find_sql, &find, e) != 0 ||
	    history_db_prepare(h, add_sql, &add, e) != 0)
		goto done;
	for (size_t i = 0; i < count; i++)
		if (ref_id(h, find, add, refs[i], &ids[i], e) != 0)
			goto done;
	status = 0;
done:
	sqlite3_finalize(find);
	sqlite3_finalize(add);
	return status;
}


struct id_order {
	int64_t id;
	size_t index;
};

static int id_order_compare(const void *pa, const void *pb)
{
	const struct id_order *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The snapshot as a matrix of ids (refs new to the store are added). */
static int matrix_from_snapshot(struct history *h, const struct history_snapshot *s,
				struct matrix *m, struct err *e)
{
	size_t ne = s->entity_count, nr = s->rule_count;
	memset(m, 0, sizeof(*m));
	int64_t *entity_ids = xcalloc(ne + 1, sizeof(int64_t));
	int64_t *rule_ids = xcalloc(nr + 1, sizeof(int64_t));
	struct id_order *eo = xcalloc(ne + 1, sizeof(*eo));
	struct id_order *ro = xcalloc(nr + 1, sizeof(*ro));
	int status = -1;
	if (refs_to_ids(h, "entity", s->entities, ne, entity_ids, e) != 0 ||
	    refs_to_ids(h, "rule", s->rules, nr, rule_ids, e) != 0)
		goto done;
	for (size_t i = 0; i < ne; i++)
		eo[i] = (struct id_order){ entity_ids[i], i };
	for (size_t r = 0; r < nr; r++)
		ro[r] = (struct id_order){ rule_ids[r], r };
	qsort(eo, ne, sizeof(*eo), id_order_compare);
	qsort(ro, nr, sizeof(*ro), id_order_compare);

	m->entities = xcalloc(ne + 1, sizeof(int64_t));
	m->entity_count = m->entity_alloc = ne;
	for (size_t i = 0; i < ne; i++)
		m->entities[i] = eo[i].id;
	m->rules = xcalloc(nr + 1, sizeof(int64_t));
	m->definitions = xcalloc(nr + 1, sizeof(char *));
	m->rule_count = m->rule_alloc = m->definition_alloc = nr;
	for (size_t r = 0; r < nr; r++) {
		m->rules[r] = ro[r].id;
		const char *def = s->rule_definitions ? s->rule_definitions[ro[r].index]
						      : "";
		m->definitions[r] = xstrdup(def ? def : "");
	}
	m->cells = xcalloc(ne * nr + 1, sizeof(struct cell));
	m->cell_count = m->cell_alloc = ne * nr;
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		for (size_t r = 0; r < nr; r++)
			m->cells[k++] = (struct cell){
				eo[i].id, ro[r].id,
				s->states[eo[i].index * nr + ro[r].index], 0 };
	status = 0;
done:
	free(entity_ids);
	free(rule_ids);
	free(eo);
	free(ro);
	return status;
}

/* ---- recording ------------------------------------------------------------ */

static const char *const dimension_names[] = {
	"", "application", "tier", "lifecycle", "kind", "level",
};

static size_t dimension_index(const char *dimension)
{
	for (size_t i = 0; i < ARRAY_SIZE(dimension_names); i++)
		if (strcmp(dimension, dimension_names[i]) == 0)
			return i;
	BUG("unknown history aggregate dimension");
}

/* The caller's promises (history.h); breaking one is a BUG, not input. */
static void check_snapshot(const struct history_snapshot *s)
{
	for (size_t i = 1; i < s->entity_count; i++)
		if (strcmp(s->entities[i - 1], s->entities[i]) >= 0)
			BUG("history snapshot entities not sorted and unique");
	for (size_t r = 1; r < s->rule_count; r++)
		if (strcmp(s->rules[r - 1], s->rules[r]) >= 0)
			BUG("history snapshot rules not sorted and unique");
	for (size_t k = 0; k < s->entity_count * s->rule_count; k++)
		if (s->states[k] > STATE_EXEMPT)
			BUG("history snapshot state out of range");
	for (size_t i = 0; i < s->aggregate_count; i++)
		dimension_index(s->aggregates[i].dimension);
}

static int step_done(struct history *h, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : history_db_fail(h, e, "cannot write the history");
}

/* A digest of everything history_record writes for a snapshot: its
 * date, entities, rules and their definitions, states and aggregates
 * (strings with their terminating NUL, so pieces cannot run together;
 * numbers as their bytes). */
static uint64_t hash_text(uint64_t h, const char *s)
{
	return s ? util_hash_more(h, s, strlen(s) + 1) : util_hash_more(h, "\xff", 1);
}

static uint64_t hash_number(uint64_t h, uint64_t n)
{
	return util_hash_more(h, &n, sizeof(n));
}

static uint64_t hash_double(uint64_t h, double d)
{
	uint64_t bits;
	if (isnan(d))
		d = NAN; /* one NaN: the store keeps it as NULL */
	memcpy(&bits, &d, sizeof(bits));
	return hash_number(h, bits);
}

static void record_digest(const struct history_snapshot *s, char hex[17])
{
	uint64_t h = util_hash_bytes("yardstick history run 1", 23);
	h = hash_number(h, (uint64_t)s->day);
	h = hash_number(h, s->entity_count);
	for (size_t i = 0; i < s->entity_count; i++)
		h = hash_text(h, s->entities[i]);
	h = hash_number(h, s->rule_count);
	for (size_t r = 0; r < s->rule_count; r++) {
		h = hash_text(h, s->rules[r]);
		h = hash_text(h, s->rule_definitions ? s->rule_definitions[r] : "");
	}
	h = util_hash_more(h, s->states, s->entity_count * s->rule_count);
	h = hash_number(h, s->aggregate_count);
	for (size_t i = 0; i < s->aggregate_count; i++) {
		const struct history_aggregate *a = &s->aggregates[i];
		const char *key[] = { a->scorecard, a->rule, a->team, a->campaign,
				      a->dimension, a->value };
		for (size_t k = 0; k < ARRAY_SIZE(key); k++)
			h = hash_text(h, key[k] ? key[k] : "");
		const size_t counts[] = { a->pass, a->fail, a->skip, a->no_data,
					  a->exempt, a->entities };
		for (size_t k = 0; k < ARRAY_SIZE(counts); k++)
			h = hash_number(h, counts[k]);
		h = hash_double(h, a->weighted_pass);
		h = hash_double(h, a->weighted_counted);
		h = hash_double(h, a->score);
	}
	snprintf(hex, 17, "%016llx", (unsigned long long)h);
}

/* Whether `day` is recorded with this digest already. */
static int recorded_with(struct history *h, int64_t day, const char *digest,
			 bool *same, struct err *e)
{
	sqlite3_stmt *st;
	*same = false;
	if (history_db_prepare(h, "SELECT digest FROM run WHERE day = ?1", &st, e) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, day);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *old = sqlite3_column_text(st, 0);
		*same = old && strcmp((const char *)old, digest) == 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return history_db_fail(h, e, "cannot read the history");
	return 0;
}

/* Cell rows a statement inserts at once: a first date writes every cell,
 * and a statement a row spends more in SQLite's statement machinery
 * (binding, stepping, resetting) than in the table. */
enum { CELL_BATCH = 64 };

static void bind_cell(sqlite3_stmt *st, int at, const struct cell *c, int64_t day)
{
	sqlite3_bind_int64(st, at + 1, c->entity);
	sqlite3_bind_int64(st, at + 2, c->rule);
	sqlite3_bind_int64(st, at + 3, day);
	sqlite3_bind_int(st, at + 4, c->state);
}

/* Insert `n` cell_change rows of `day`, CELL_BATCH to a statement. */
static int insert_cells(struct history *h, const struct cell *const *cells, size_t n,
			int64_t day, struct err *e)
{
	static const char head[] = "INSERT INTO cell_change (entity, rule, day, state) "
				   "VALUES (?, ?, ?, ?)";
	if (n == 0)
		return 0;
	sqlite3_stmt *one = NULL, *many = NULL;
	struct buf sql = BUF_INIT;
	buf_adds(&sql, head);
	for (int r = 1; r < CELL_BATCH; r++)
		buf_adds(&sql, ", (?, ?, ?, ?)");
	int status = -1;
	size_t i = 0;
	/* A SQLite built to take fewer parameters gets one row at a time. */
	bool batches = n >= CELL_BATCH &&
		       sqlite3_limit(h->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) >= CELL_BATCH * 4;
	if (history_db_prepare(h, head, &one, e) != 0 ||
	    (batches && history_db_prepare(h, sql.data, &many, e) != 0))
		goto done;
	for (; batches && n - i >= CELL_BATCH; i += CELL_BATCH) {
		for (int r = 0; r < CELL_BATCH; r++)
			bind_cell(many, r * 4, cells[i + (size_t)r], day);
		if (step_done(h, many, e) != 0)
			goto done;
	}
	for (; i < n; i++) {
		bind_cell(one, 0, cells[i], day);
		if (step_done(h, one, e) != 0)
			goto done;
	}
	status = 0;
done:
	sqlite3_finalize(one);
	sqlite3_finalize(many);
	buf_release(&sql);
	return status;
}

/* Write at `day` what differs from `old` in `cur`. */
static int write_changes(struct history *h, int64_t day, const struct matrix *old,
			 const struct matrix *cur, struct err *e)
{
	sqlite3_stmt *ent = NULL, *rul = NULL;
	const struct cell **cells = NULL;
	size_t cells_alloc = 0;
	int status = -1;
	if (history_db_prepare(h, "INSERT INTO entity_change (entity, day, present) "
				  "VALUES (?1, ?2, ?3)", &ent, e) != 0 ||
	    history_db_prepare(h, "INSERT INTO rule_change (rule, day, definition) "
				  "VALUES (?1, ?2, ?3)", &rul, e) != 0)
		goto done;

	size_t i = 0, j = 0;
	while (i < old->entity_count || j < cur->entity_count) {
		int64_t id;
		int present;
		if (j == cur->entity_count ||
		    (i < old->entity_count && old->entities[i] < cur->entities[j])) {
			id = old->entities[i++];
			present = 0;
		} else if (i == old->entity_count || cur->entities[j] < old->entities[i]) {
			id = cur->entities[j++];
			present = 1;
		} else {
			i++, j++;
			continue;
		}
		sqlite3_bind_int64(ent, 1, id);
		sqlite3_bind_int64(ent, 2, day);
		sqlite3_bind_int(ent, 3, present);
		if (step_done(h, ent, e) != 0)
			goto done;
	}

	for (i = 0, j = 0; i < old->rule_count || j < cur->rule_count;) {
		int64_t id;
		const char *def;
		if (j == cur->rule_count ||
		    (i < old->rule_count && old->rules[i] < cur->rules[j])) {
			id = old->rules[i++];
			def = NULL;
		} else if (i == old->rule_count || cur->rules[j] < old->rules[i]) {
			id = cur->rules[j];
			def = cur->definitions[j++];
		} else {
			bool same = strcmp(old->definitions[i], cur->definitions[j]) == 0;
			id = cur->rules[j];
			def = cur->definitions[j];
			i++, j++;
			if (same)
				continue;
		}
		sqlite3_bind_int64(rul, 1, id);
		sqlite3_bind_int64(rul, 2, day);
		if (def)
			sqlite3_bind_text(rul, 3, def, -1, SQLITE_STATIC);
		if (step_done(h, rul, e) != 0)
			goto done;
	}

	size_t k = 0, changed = 0;
	for (j = 0; j < cur->cell_count; j++) {
		const struct cell *c = &cur->cells[j];
		while (k < old->cell_count &&
		       history_db_cell_compare(&old->cells[k], c) < 0)
			k++;
		if (k < old->cell_count &&
		    history_db_cell_compare(&old->cells[k], c) == 0 &&
		    old->cells[k].state == c->state)
			continue;
		ALLOC_GROW(cells, changed + 1, cells_alloc);
		cells[changed++] = c;
	}
	status = insert_cells(h, cells, changed, day, e);
done:
	free(cells);
	sqlite3_finalize(ent);
	sqlite3_finalize(rul);
	return status;
}

/* Each cell of `cur` (the state recorded for `day`) gets the day a load
 * would give it: that of `prev`'s cell when the state is the same, else
 * `day` (write_changes() wrote a row for it). Both are in cell order. */
static void set_since(const struct matrix *prev, struct matrix *cur, int64_t day)
{
	size_t k = 0;
	for (size_t j = 0; j < cur->cell_count; j++) {
		struct cell *c = &cur->cells[j];
		while (k < prev->cell_count &&
		       history_db_cell_compare(&prev->cells[k], c) < 0)
			k++;
		bool same = k < prev->cell_count &&
			    history_db_cell_compare(&prev->cells[k], c) == 0 &&
			    prev->cells[k].state == c->state;
		c->day = same ? prev->cells[k].day : day;
	}
}

static void bind_size(sqlite3_stmt *st, int col, size_t n)
{
	sqlite3_bind_int64(st, col, (sqlite3_int64)n);
}

static int write_aggregates(struct history *h, const struct history_snapshot *s,
			    struct err *e)
{
	sqlite3_stmt *add_slice = NULL, *find_slice = NULL, *add = NULL;
	int status = -1;
	if (history_db_prepare(h, "INSERT OR IGNORE INTO slice (scorecard, rule, team, "
				  "campaign, dimension, value) "
				  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       &add_slice, e) != 0 ||
	    history_db_prepare(h, "SELECT id FROM slice WHERE scorecard = ?1 AND "
				  "rule = ?2 AND team = ?3 AND campaign = ?4 AND "
				  "dimension = ?5 AND value = ?6",
			       &find_slice, e) != 0 ||
	    history_db_prepare(h, "INSERT INTO aggregate (slice, day, pass, fail, skip, "
				  "no_data, exempt, weighted_pass, weighted_counted, "
				  "score, entities) "
				  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			       &add, e) != 0)
		goto done;
	for (size_t i = 0; i < s->aggregate_count; i++) {
		const struct history_aggregate *a = &s->aggregates[i];
		const char *key[] = { a->scorecard, a->rule, a->team, a->campaign,
				      a->dimension, a->value };
		for (int c = 0; c < 6; c++) {
			sqlite3_bind_text(add_slice, c + 1, key[c] ? key[c] : "", -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(find_slice, c + 1, key[c] ? key[c] : "", -1,
					  SQLITE_STATIC);
		}
		if (step_done(h, add_slice, e) != 0)
			goto done;
		if (sqlite3_step(find_slice) != SQLITE_ROW) {
			history_db_fail(h, e, "cannot write the history");
			goto done;
		}
		int64_t slice = sqlite3_column_int64(find_slice, 0);
		sqlite3_reset(find_slice);
		sqlite3_bind_int64(add, 1, slice);
		sqlite3_bind_int64(add, 2, s->day);
		bind_size(add, 3, a->pass);
		bind_size(add, 4, a->fail);
		bind_size(add, 5, a->skip);
		bind_size(add, 6, a->no_data);
		bind_size(add, 7, a->exempt);
		sqlite3_bind_double(add, 8, a->weighted_pass);
		sqlite3_bind_double(add, 9, a->weighted_counted);
		if (isnan(a->score))
			sqlite3_bind_null(add, 10);
		else
			sqlite3_bind_double(add, 10, a->score);
		bind_size(add, 11, a->entities);
		if (step_done(h, add, e) != 0)
			goto done;
	}
	status = 0;
done:
	sqlite3_finalize(add_slice);
	sqlite3_finalize(find_slice);
	sqlite3_finalize(add);
	return status;
}

/*
 * Forget the dates before `keep`, the oldest kept: of each cell's (entity's,
 * rule's) changes on or before it only the newest stays, and what is
 * absent at `keep` goes altogether.
 */
static int prune_before(struct history *h, int64_t keep, struct err *e)
{
	static const char *const steps[] = {
		"DELETE FROM cell_change WHERE (entity, rule, day) IN ("
		" SELECT entity, rule, day FROM (SELECT entity, rule, day,"
		"  row_number() OVER (PARTITION BY entity, rule ORDER BY day DESC) AS n"
		"  FROM cell_change WHERE day <= ?1) WHERE n > 1)",
		"DELETE FROM entity_change WHERE (entity, day) IN ("
		" SELECT entity, day FROM (SELECT entity, day,"
		"  row_number() OVER (PARTITION BY entity ORDER BY day DESC) AS n"
		"  FROM entity_change WHERE day <= ?1) WHERE n > 1)",
		"DELETE FROM rule_change WHERE (rule, day) IN ("
		" SELECT rule, day FROM (SELECT rule, day,"
		"  row_number() OVER (PARTITION BY rule ORDER BY day DESC) AS n"
		"  FROM rule_change WHERE day <= ?1) WHERE n > 1)",
		/* now one row per entity and rule on or before ?1: its state */
		"DELETE FROM cell_change WHERE day <= ?1 AND entity IN ("
		" SELECT entity FROM entity_change WHERE day <= ?1 AND present = 0)",
		"DELETE FROM cell_change WHERE day <= ?1 AND rule IN ("
		" SELECT rule FROM rule_change WHERE day <= ?1 AND definition IS NULL)",
		"DELETE FROM entity_change WHERE day <= ?1 AND present = 0",
		"DELETE FROM rule_change WHERE day <= ?1 AND definition IS NULL",
		"DELETE FROM aggregate WHERE day < ?1",
		"DELETE FROM run WHERE day < ?1",
		"DELETE FROM slice WHERE id NOT IN (SELECT slice FROM aggregate)",
		"DELETE FROM entity WHERE id NOT IN (SELECT entity FROM entity_change)",
		"DELETE FROM rule WHERE id NOT IN (SELECT rule FROM rule_change)",
	};
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if (run_sql(h, steps[i], keep, 0, e) != 0)
			return -1;
	return 0;
}

/* Where a date lands among the recorded ones, and the states that must
 * survive its recording (history_record). */
struct landing {
	int64_t day;
	bool has_p, has_n; /* a recorded date before it (p), after it (n) */
	int64_t p, n;
	bool replacing;    /* the date itself is recorded */
	struct matrix prev, next, cur; /* as of p, n and the snapshot */
};

/*
 * Write the snapshot's date: read the states that must survive (as of p
 * and n), drop the changes in (p, n], then write the run, its aggregates,
 * its changes against p and n's against it.
 */
static int write_run(struct history *h, const struct history_snapshot *s,
		     const char *digest, struct landing *l, struct err *e)
{
	if ((l->has_n && history_db_matrix_load(h, l->n, true, &l->next, e) != 0) ||
	    (l->has_p && history_db_matrix_load(h, l->p, true, &l->prev, e) != 0))
		return -1;
	if (l->has_n || l->replacing) {
		static const char *const drop[] = {
			"DELETE FROM cell_change WHERE day > ?1 AND day <= ?2",
			"DELETE FROM entity_change WHERE day > ?1 AND day <= ?2",
			"DELETE FROM rule_change WHERE day > ?1 AND day <= ?2",
		};
		for (size_t i = 0; i < ARRAY_SIZE(drop); i++)
			if (run_sql(h, drop[i], l->has_p ? l->p : INT64_MIN,
				    l->has_n ? l->n : l->day, e) != 0)
				return -1;
	}
	if (l->replacing &&
	    (run_sql(h, "DELETE FROM aggregate WHERE day = ?1", l->day, 0, e) != 0 ||
	     run_sql(h, "DELETE FROM run WHERE day = ?1", l->day, 0, e) != 0))
		return -1;
	sqlite3_stmt *run;
	if (history_db_prepare(h, "INSERT INTO run (day, recorded_at, digest) "
				  "VALUES (?1, ?2, ?3)", &run, e) != 0)
		return -1;
	sqlite3_bind_int64(run, 1, l->day);
	sqlite3_bind_int64(run, 2, (int64_t)time(NULL));
	sqlite3_bind_text(run, 3, digest, -1, SQLITE_STATIC);
	int rc = step_done(h, run, e);
	sqlite3_finalize(run);
	if (rc != 0 || write_aggregates(h, s, e) != 0 ||
	    matrix_from_snapshot(h, s, &l->cur, e) != 0 ||
	    write_changes(h, l->day, &l->prev, &l->cur, e) != 0 ||
	    (l->has_n && write_changes(h, l->n, &l->cur, &l->next, e) != 0))
		return -1;
	return 0;
}

int history_record(struct history *h, const struct history_snapshot *s,
		   long keep_days, struct err *e)
{
	if (keep_days <= 0)
		BUG("history_record: keep_days must be positive");
	check_snapshot(s);
	struct landing l = { .day = s->day };
	int64_t newest = 0, same = 0;
	bool has_newest;
	char text[11], newest_text[11];
	date_format(s->day, text);

	forget_latest(h);
	if (history_db_exec(h, "BEGIN IMMEDIATE", "cannot lock the history", e) != 0)
		return -1;
	/* Read under the lock: no other connection commits until ours, and
	 * our own commit leaves it as it is, so a later read that differs
	 * means someone wrote after us (history_db_matrix_take). Read after
	 * the commit, another writer's commit could slip in first. */
	int64_t version = data_version(h);
	if (history_db_query_int(h, "SELECT max(day) FROM run", 0, &newest,
				 &has_newest, e) != 0 ||
	    history_db_query_int(h, "SELECT max(day) FROM run WHERE day < ?1", l.day,
				 &l.p, &l.has_p, e) != 0 ||
	    history_db_query_int(h, "SELECT min(day) FROM run WHERE day > ?1", l.day,
				 &l.n, &l.has_n, e) != 0 ||
	    history_db_query_int(h, "SELECT day FROM run WHERE day = ?1", l.day,
				 &same, &l.replacing, e) != 0)
		goto fail;
	if (has_newest && l.day < newest - keep_days) {
		date_format(newest, newest_text);
		err_path(e, ERR_ERROR, h->path,
			 "cannot record %s: it is more than keep_days (%ld) before "
			 "the newest recorded date, %s",
			 text, keep_days, newest_text);
		goto fail;
	}
	/* The same results recorded again (an idle rebuild): nothing to write,
	 * and the file stays byte for byte as it was. */
	char digest[17];
	record_digest(s, digest);
	bool unchanged = false;
	if (l.replacing && recorded_with(h, l.day, digest, &unchanged, e) != 0)
		goto fail;
	if (!unchanged && write_run(h, s, digest, &l, e) != 0)
		goto fail;

	/* The oldest date to keep, and whether anything is older. */
	int64_t latest = has_newest && newest > l.day ? newest : l.day, keep, oldest;
	bool found;
	if (history_db_query_int(h, "SELECT min(day) FROM run WHERE day >= ?1",
				 latest - keep_days, &keep, &found, e) != 0 ||
	    history_db_query_int(h, "SELECT min(day) FROM run", 0, &oldest,
				 &found, e) != 0 ||
	    (oldest < keep && prune_before(h, keep, e) != 0))
		goto fail;
	if (history_db_exec(h, "COMMIT", "cannot write the history", e) != 0)
		goto fail;
	/* Pruning keeps each cell's newest row, so the state of the newest
	 * date is the one written. */
	if (!unchanged && !l.has_n) {
		set_since(&l.prev, &l.cur, l.day);
		h->latest = l.cur;
		memset(&l.cur, 0, sizeof(l.cur));
		h->latest_day = l.day;
		h->latest_version = version;
		h->has_latest = version >= 0;
	}
	history_db_matrix_release(&l.prev);
	history_db_matrix_release(&l.next);
	history_db_matrix_release(&l.cur);
	return 0;
fail:
	history_db_rollback(h);
	history_db_matrix_release(&l.prev);
	history_db_matrix_release(&l.next);
	history_db_matrix_release(&l.cur);
	if (e->msg && strstr(e->msg, text) == NULL) {
		/* Say which date was not recorded. */
		char *msg = e->msg;
		e->msg = NULL;
		err_path(e, ERR_ERROR, h->path, "%s not recorded: %s", text, msg);
		free(msg);
	}
	return -1;
}


/* ---- Slack digests -------------------------------------------------------- */

/* Prepare `sql` with ?1 = day, ?2 = channel, ?3 = kind. */
static int digest_prepare(struct history *h, const char *sql, day_t day,
			  const char *channel, const char *kind,
			  sqlite3_stmt **st, struct err *e)
{
	if (history_db_prepare(h, sql, st, e) != 0)
		return -1;
	sqlite3_bind_int64(*st, 1, day);
	sqlite3_bind_text(*st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 3, kind, -1, SQLITE_STATIC);
	return 0;
}

int history_digest_sent(struct history *h, day_t day, const char *channel,
			const char *kind, bool *sent, struct err *e)
{
	sqlite3_stmt *st;
	if (digest_prepare(h, "SELECT 1 FROM digest WHERE day = ?1 AND "
			   "channel = ?2 AND kind = ?3", day, channel, kind, &st,
			   e) != 0)
		return -1;
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return history_db_fail(h, e, "cannot read the history");
	*sent = rc == SQLITE_ROW;
	return 0;
}

int history_digest_last(struct history *h, day_t before, const char *channel,
			const char *kind, day_t *day, struct err *e)
{
	sqlite3_stmt *st;
	if (digest_prepare(h, "SELECT max(day) FROM digest WHERE day < ?1 AND "
			   "channel = ?2 AND kind = ?3", before, channel, kind,
			   &st, e) != 0)
		return -1;
	int rc = sqlite3_step(st);
	*day = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
		       ? (day_t)sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return history_db_fail(h, e, "cannot read the history");
	return 0;
}

int history_digest_record(struct history *h, day_t day, const char *channel,
			  const char *kind, const char *payload_hash,
			  struct err *e)
{
	sqlite3_stmt *st;
	if (digest_prepare(h, "INSERT OR REPLACE INTO digest (day, channel, kind, "
			   "payload_hash, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
			   day, channel, kind, &st, e) != 0)
		return -1;
	sqlite3_bind_text(st, 4, payload_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : history_db_fail(h, e, "cannot write the history");
}
