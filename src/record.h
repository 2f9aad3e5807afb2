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

#include "arena.h"
#include "history.h"
#include "rollup.h"

/* Fill `s` for the run `ru` describes; everything lives in the arena.
 * Cannot fail. */
void record_snapshot(struct arena *a, const struct rollup *ru,
		     struct history_snapshot *s);

#endif
