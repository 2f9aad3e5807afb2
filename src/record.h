/*
 * record: the run as the history store keeps it (the record stage).
 *
 * Turns the roll-up into a history snapshot: the entity x rule matrix
 * (history.c keeps only its changes) and one aggregate per slice the pages
 * chart and the exports list: the organisation, each scorecard and its
 * level distribution, each rule, each team (overall and per scorecard),
 * each campaign (overall, by team with its sub-teams, by rule), and the
 * entities per tier, lifecycle, kind and application. docs/history.md
 * lists them; nothing here touches SQLite.
 */
#ifndef YARDSTICK_RECORD_H
#define YARDSTICK_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "history.h"
#include "rollup.h"

/* Fill `s` for the run `ru` describes; everything lives in the arena.
 * Cannot fail. */
void record_snapshot(struct arena *a, const struct rollup *ru,
		     struct history_snapshot *s);

/* A restored history may be at most this big, and take this long. */
enum { RECORD_RESTORE_MAX_BYTES = 1 << 30, RECORD_RESTORE_SECONDS = 300 };

/*
 * Open the history at `path` for writing, creating its folder. When the
 * file does not exist and `restore_url` is set (not ""), fetch it from
 * there first; a restore that fails fills `warning` (one line: why, and
 * that a new history starts) and goes on. Returns 0 with *h set, or -1
 * with `e` filled: a file that is not a yardstick history of a schema this
 * build reads, or that cannot be opened; it is never overwritten.
 * `trusted`: the caller knows the file is as yardstick's last write left
 * it, and it is not checked for damage again (HISTORY_WRITE_TRUSTED).
 */
int record_open(const char *path, const char *restore_url, bool trusted,
		struct history **h, struct err *warning, struct err *e);

/*
 * Record the run: its snapshot in one transaction, keeping `keep_days`.
 * Returns 0 with *said the line to print, "recorded: DATE in PATH (N
 * runs)" (no newline, in `a`), or -1 with `e` filled and nothing recorded.
 */
int record_run(struct arena *a, struct history *h, const char *path,
	       const struct rollup *ru, long keep_days, const char **said,
	       struct err *e);

#endif
