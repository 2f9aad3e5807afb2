/*
 * site_changes: what changed since the last recorded run and over the last
 * seven days, from the history (history_changes) and the recorded scores
 * (trends.h): new failures, fixes, entities and rules added, removed or
 * changed, and score changes of scorecards and teams. It becomes the
 * changes page, a summary on the dashboard, a section on team and entity
 * pages, and data/changes.json; docs/history.md says how each list is
 * made.
 */
#ifndef YARDSTICK_SITE_CHANGES_H
#define YARDSTICK_SITE_CHANGES_H

#include "site_context.h"

/* A stretch of time compared: from a recorded date to today. */
struct change_period {
	const char *name;  /* "last_run", "last_7_days" */
	const char *label; /* for people */
	bool known;        /* false: nothing recorded before today */
	day_t from;
	struct history_changes changes;
	size_t new_failures, fixes; /* counts of the cell changes of each kind */
};

struct site_changes {
	struct change_period periods[2]; /* since the last run, last 7 days */
	/* Since the last run, by entity index: the range of its cell changes
	 * in periods[0].changes.cells; [entity_count] ends the last. */
	size_t *entity_first, *entity_end;
	/* Today's state with the date each cell took its state, and where
	 * each entity and eval rule is in it (SIZE_MAX: not there). */
	struct history_state today;
	size_t *entity_row, *rule_column;
};

/* Work out the changes for this build into r->changes, in the run's arena.
 * 0, or -1 with r->failure and r->e set. Without a history, nothing. */
int changes_prepare(struct render *r);

/* The dashboard's summary: counts since the last run and a link. */
struct value *changes_summary(struct render *r);
/* An entity's or a team's (sub-teams included) changes since the last run:
 * new failures and fixes, each a rule link (and entity link for a team)
 * with the old and new state. NULL without a history. */
struct value *changes_of_entity(struct render *r, size_t e);
struct value *changes_of_team(struct render *r, size_t t);

/* How long entity `e` has had its state on rule `ri`, for people: "since
 * 2026-11-02 (21 days)", "since 2025-11-23 or earlier" (the history's
 * first date), "since today"; NULL without a history. */
const char *changes_since(struct render *r, size_t e, size_t ri);

/* changes.html, and data/changes.json. */
int page_changes(struct render *r);
int changes_export(struct render *r);

#endif
