/*
 * followup: the words a campaign owner sends a team with open work.
 *
 * The campaign page shows, for each team, a ready-to-send message listing
 * its entities and their open rules, and a "create ticket" link built from
 * site.conf's `[campaigns] ticket_url_template`; the Slack digest reuses
 * the same wording. Everything here reads the roll-up stage's open work
 * (rollup.h) and returns text in the arena; nothing can fail.
 */
#ifndef YARDSTICK_FOLLOWUP_H
#define YARDSTICK_FOLLOWUP_H

#include <stddef.h>

#include "arena.h"
#include "rollup.h"

/* Where a campaign stands in time: "starts in 3 days", "12 days left",
 * "due today", "2 days overdue", "ended 2026-10-01", "no due date",
 * "closed by its owner" (`status: completed`). */
const char *followup_when(struct arena *a, const struct campaign_result *cr,
			  day_t today);

/* The display name a message greets: the team's name, or "team" for the
 * entities without a known owner (team == team_count). */
const char *followup_team_name(const struct rollup *ru, size_t team);

/*
 * The message to team `team` (an index, or team_count for the unowned)
 * about its open work in campaign `campaign`: one line per entity with
 * its open rules, the due date, and `page_url` for the guidance. Sets
 * `*open` to the number of open (entity, rule) pairs; NULL when there are
 * none.
 */
const char *followup_message(struct arena *a, const struct rollup *ru,
			     size_t campaign, size_t team, const char *page_url,
			     size_t *open);

/* A ticket's title: "Campaign: 3 open items for Payments". */
const char *followup_title(struct arena *a, const struct campaign *c,
			   size_t open, const char *team_name);

/*
 * The ticket link: `url_template` with {title}, {body}, {team} and
 * {campaign} replaced by their percent-encoded text; any other text is
 * kept as written (site.conf is trusted, its URL is checked when loaded).
 */
const char *followup_ticket_url(struct arena *a, const char *url_template,
				const char *title, const char *body,
				const char *team, const char *campaign);

#endif
