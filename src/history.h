/*
 * history: every recorded run date in one SQLite file, so the site can draw
 * trends and list what changed between any two dates (docs/history.md).
 *
 * Per date the store keeps the aggregates the pages chart, whole; the
 * entity x rule matrix is kept as changes only: a cell, an entity's
 * presence or a rule's definition is written on the first recorded date
 * and then only on the dates it differs from the date recorded before.
 * "The state at date D" is the newest change on or before D.
 *
 * This module knows nothing of eval or rollup: a snapshot is plain data
 * (refs, states as `enum rule_state` numbers, aggregates), so it can be
 * tested alone and fed by whichever stage computes the figures.
 *
 * Every failure fills a `struct err` naming the history file (or the URL)
 * with a one-line reason; SQLite and libcurl codes never leave this module.
 *
 * Threads: one handle is used by one thread at a time (its SQLite
 * connection has no mutex of its own: a lock and an unlock around every
 * call into SQLite cost a fifth of reading a year of history); handles
 * opened on one file by different threads or processes are independent.
 */
#ifndef YARDSTICK_HISTORY_H
#define YARDSTICK_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "model.h"

/* The schema this build reads and writes (PRAGMA user_version). */
#define HISTORY_SCHEMA_VERSION 3

/*
 * One aggregate of one run date: which slice (each dimension "" = all) and
 * its numbers. `dimension` is "", "tier", "lifecycle", "kind",
 * "application" or "level" (anything else is a BUG); `value` is that
 * dimension's value ("1", "production", "service", "2"...), or "".
 */
struct history_aggregate {
	const char *scorecard; /* scorecard id, or "" */
	const char *rule;      /* rule reference "scorecard/rule", or "" */
	const char *team;      /* team id (its sub-teams included), or "" */
	const char *campaign;  /* campaign key, or "" */
	const char *dimension;
	const char *value;
	size_t pass, fail, skip, no_data, exempt;
	double weighted_pass, weighted_counted;
	double score;    /* as the pages show it; NaN when none (stored NULL) */
	size_t entities; /* entities in this slice */
};

/*
 * The full entity x rule matrix of one run and its aggregates. Entities and
 * rules are sorted by strcmp and unique (a BUG otherwise); the store keeps
 * only what changed.
 */
struct history_snapshot {
	day_t day;
	const struct history_aggregate *aggregates; /* slices unique */
	size_t aggregate_count;
	const char *const *entities; /* entity refs "kind:name" */
	size_t entity_count;
	const char *const *rules; /* rule refs "scorecard/rule" */
	size_t rule_count;
	/* [rule]: text whose change means "the rule changed" (its check,
	 * scope, weight...); NULL when the caller has none ("" for all). */
	const char *const *rule_definitions;
	/* [entity * rule_count + rule]: an enum rule_state (eval.h) */
	const unsigned char *states;
};

struct history;

enum history_mode {
	HISTORY_READ,  /* the file must exist; opened read-only */
	HISTORY_WRITE, /* created (with the schema) when missing */
	HISTORY_INSPECT, /* like READ, and an older schema is accepted as it is
			    (a downloaded file, migrated when a build opens it) */
	HISTORY_WRITE_TRUSTED, /* like WRITE, for a file the caller knows is as
				  yardstick's last write left it (the output's
				  stamp, stamp.h): not checked again */
};

/*
 * Open the history at `path` (":memory:" for a private in-memory one).
 * Refuses, with a message naming the file and without touching it: a file
 * that is not SQLite or is truncated, an SQLite database that is not a
 * yardstick history, a history of a newer schema, and a damaged one
 * (PRAGMA quick_check, which reads the whole file: skipped with
 * HISTORY_WRITE_TRUSTED). An older schema is migrated (the write modes
 * only). Waits up to 60 s for another process
 * holding the file. Returns 0 and sets *h (free with history_close), or -1.
 */
int history_open(struct history **h, const char *path, enum history_mode mode,
		 struct err *e);
/* PRAGMA quick_check on an open history (what history_open() runs unless
 * HISTORY_WRITE_TRUSTED): 0, or -1 with `e` saying the file is damaged. */
int history_check(struct history *h, struct err *e);
/* Close; the file is left alone and self-contained (no journal beside it). */
void history_close(struct history *h);

/*
 * Record snapshot `s` in one transaction: a date recorded before is
 * replaced; a date earlier than the newest lands in date order and the
 * changes of the date after it are rewritten against it. Then dates more
 * than `keep_days` (> 0) before the newest recorded are pruned, the oldest
 * kept date keeping the full state they implied. A date that would be
 * pruned at once is refused. Returns 0, or -1 and nothing is changed.
 */
int history_record(struct history *h, const struct history_snapshot *s,
		   long keep_days, struct err *e);

/*
 * The Slack digests posted (schema version 2): one row per (day, channel,
 * kind), where `channel` is the channel a digest went to ("webhook" for an
 * incoming webhook) and `kind` "org" or "team:<id>".
 *
 * history_digest_sent: whether that digest was recorded as posted.
 * history_digest_last: the newest day before `before` a digest of that
 * channel and kind was posted, or -1.
 * history_digest_record: record a post (replacing one of the same key),
 * with the payload's hash and the time now. All return 0 or -1.
 */
int history_digest_sent(struct history *h, day_t day, const char *channel,
			const char *kind, bool *sent, struct err *e);
int history_digest_last(struct history *h, day_t before, const char *channel,
			const char *kind, day_t *day, struct err *e);
int history_digest_record(struct history *h, day_t day, const char *channel,
			  const char *kind, const char *payload_hash,
			  struct err *e);

/* The recorded dates, ascending, in *days (caller frees; NULL when none). */
int history_days(struct history *h, day_t **days, size_t *count, struct err *e);

/*
 * Which aggregates a series takes: NULL matches anything, a string exactly
 * that value ("" = the all-slice of that dimension). A chart asks for one
 * slice by setting all six; an export leaves most NULL.
 */
struct history_filter {
	const char *scorecard, *rule, *team, *campaign, *dimension, *value;
};

typedef void history_row_fn(void *ctx, day_t day,
			    const struct history_aggregate *a);

/*
 * Call `fn` for every aggregate matching `f` recorded in [since, until]
 * (day numbers; pass LONG_MIN/LONG_MAX for open ends), by date and then by
 * scorecard, rule, team, campaign, dimension, value. The aggregate's
 * strings live until `fn` returns. Days without a run have no rows.
 */
int history_series(struct history *h, const struct history_filter *f,
		   day_t since, day_t until, history_row_fn *fn, void *ctx,
		   struct err *e);

/* A cell that does not exist at a date: its entity or rule is absent. */
#define HISTORY_ABSENT (-1)

/* The matrix as of a date: present entities and rules (sorted) and states. */
struct history_state {
	day_t day;
	const char **entities;
	size_t entity_count;
	const char **rules;
	const char **rule_definitions;
	size_t rule_count;
	signed char *states; /* [entity * rule_count + rule]; HISTORY_ABSENT
			      * only if the cell was never recorded (a BUG) */
	/* [entity * rule_count + rule]: the recorded date from which the
	 * cell has had that state ("failing since"), -1 where absent. A date
	 * on or before `oldest` means "at least since then": the history
	 * does not go further back. */
	day_t *since;
	day_t oldest; /* the oldest recorded date, -1 when none */
};

/* The state as of `day`: that of the newest recorded date <= day (empty
 * before the first). Allocated in `a`. */
int history_state_at(struct history *h, struct arena *a, day_t day,
		     struct history_state *out, struct err *e);

/*
 * Every recorded state change of a cell in (since, until], entity by
 * entity (all of one entity's rows together, by rule and then by date),
 * as refs. Rows of dates when an entity or rule came back are included
 * (they rewrite every cell). The strings live until the call returns.
 */
typedef void history_cell_fn(void *ctx, const char *entity, const char *rule,
			     day_t day, int state);
int history_cell_changes(struct history *h, day_t since, day_t until,
			 history_cell_fn *fn, void *ctx, struct err *e);

struct history_cell_change {
	const char *entity, *rule;
	int old_state, new_state; /* enum rule_state or HISTORY_ABSENT */
};

/* What differs between the states as of two dates. Sorted by ref. */
struct history_changes {
	day_t from, to;
	struct history_cell_change *cells; /* by entity, then rule */
	size_t cell_count;
	const char **entities_added, **entities_removed;
	size_t entities_added_count, entities_removed_count;
	const char **rules_added, **rules_removed, **rules_changed;
	size_t rules_added_count, rules_removed_count, rules_changed_count;
};

/*
 * The changes from the state as of `from` to the state as of `to`
 * (normally two recorded dates, `from` before `to`). A cell whose entity
 * or rule appears or disappears is listed with HISTORY_ABSENT on the
 * missing side. Allocated in `a`.
 */
int history_changes(struct history *h, struct arena *a, day_t from, day_t to,
		    struct history_changes *out, struct err *e);

/*
 * (history_restore.c) Fetch a history from `url` (https, http or file) into `path`, which must
 * not exist: downloaded to a temporary file beside it (at most `max_bytes`,
 * within `timeout_seconds`, HTTP errors fail), checked to open as a
 * yardstick history of a known schema that passes PRAGMA quick_check, then
 * renamed into place. Returns 0, or -1 with a one-line reason in `e` and no
 * file left behind.
 */
int history_restore(const char *url, const char *path, long max_bytes,
		    long timeout_seconds, struct err *e);

/* (history_export.c) The time-series export: CSV (RFC 4180, a header
 * row) or a JSON array. */
enum history_format { HISTORY_CSV, HISTORY_JSON };

/*
 * A writer of aggregates in the long format of docs/history.md: one row per
 * date and aggregate, its dimension in its own column (application, tier,
 * lifecycle, kind, level). history_writer_row fits history_series as `fn`
 * with the writer as `ctx`.
 */
struct history_writer {
	struct buf *out;
	enum history_format format;
	size_t rows;
};

void history_writer_begin(struct history_writer *w, struct buf *out,
			  enum history_format format);
void history_writer_row(void *writer, day_t day,
			const struct history_aggregate *a);
void history_writer_end(struct history_writer *w);

#endif
