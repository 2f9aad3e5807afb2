/*
 * rollup: the figures derived from the evaluation, computed once per run
 * and read by every consumer: pages, data exports, `yardstick eval`, the
 * history and the Slack digest.
 *
 * eval decides states and the per-entity, per-rule and per-scorecard
 * tallies; everything that combines them lives here: an entity's overall
 * score, team scores through the team hierarchy, campaign membership,
 * progress and open work, scorecard level distributions and the rankings
 * the dashboard lists. The walk up a team's parents and the matching of a
 * campaign's scope exist here only. docs/scoring.md is the user's
 * reference for every formula.
 *
 * Everything lives in the run's arena and is read-only after rollup_run.
 * Entities, teams, rules and campaigns are referred to by their index in
 * site->entities, site->teams, the eval's rule order and site->campaigns.
 */
#ifndef YARDSTICK_ROLLUP_H
#define YARDSTICK_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "eval.h"

/* A mean of entity scores: a team's, on one scorecard or overall. */
struct team_score {
	double score;    /* sum / scored; NaN when no entity has a score */
	double sum;
	size_t scored;   /* entities with a score */
	size_t in_scope; /* entities in scope (with or without a score) */
};

/* Pass and counted pairs of a campaign slice. */
struct campaign_part {
	size_t pass, total; /* open work is total - pass */
};

enum campaign_status {
	CAMPAIGN_NOT_STARTED,
	CAMPAIGN_IN_PROGRESS,
	CAMPAIGN_COMPLETED,
	CAMPAIGN_OVERDUE,
	CAMPAIGN_ENDED,
};

/* "not_started", "in_progress", "completed", "overdue", "ended" */
const char *rollup_campaign_status_name(enum campaign_status s);

/* One entity's open rules in a campaign. */
struct campaign_work {
	size_t entity;
	size_t team;          /* owner's index, or team_count when unowned */
	const size_t *rules;  /* positions in campaign->rules, in order */
	size_t rule_count;
};

struct campaign_result {
	const struct campaign *campaign;
	enum campaign_status status;
	bool active;         /* in progress or overdue: shown as current work */
	struct campaign_part all;
	double progress;     /* all.pass / all.total, NaN when total is 0 */
	bool has_days_left;
	long days_left;      /* due - today; negative when overdue */
	size_t entity_count; /* entities in the campaign's scope */
	/* [team_count + 1]: by owner team alone ([team_count]: the unowned),
	 * and with every sub-team's entities included. */
	struct campaign_part *by_owner, *by_team;
	struct campaign_part *by_rule; /* [rule position in the campaign] */
	size_t *rule_index;            /* [rule position]: eval rule index */
	/* Open work, by owner team (team index order, the unowned last), then
	 * entity order; work_start[t]..work_start[t + 1] are team t's. */
	struct campaign_work *work;
	size_t work_count;
	size_t *work_start;            /* [team_count + 2] */
};

/* Best-first orders of everything that has a score; the dashboard shows
 * the first few and the last few. Equal scores are ordered by id. */
struct ranking {
	size_t *order; /* indices */
	size_t count;
};

struct rollup {
	const struct eval *ev;
	const struct site *site;

	/* The team hierarchy. */
	size_t *entity_team;   /* [entity]: owner team's index, team_count if none */
	size_t *team_parent;   /* [team]: parent's index, SITE_NONE for a root */
	size_t **chain;        /* [team + 1]: the team, its parent, ... the root;
				  [team_count] (no owner): empty */
	size_t *chain_length;
	size_t **owned;        /* [team + 1]: entities a team owns itself, in order;
				  [team_count]: entities without a known owner */
	size_t *owned_count;
	size_t **members;      /* [team]: its entities and its sub-teams', in order */
	size_t *member_count;

	/* Entities. */
	struct tally *entity_totals; /* [entity]: every scorecard it is in scope of */
	double *entity_score;        /* [entity]: eval_tally_score of its total */
	bool *entity_failing;        /* [entity]: some rule fails */

	/* Teams. */
	struct team_score *team_scores;  /* [team * scorecard_count + scorecard] */
	struct team_score *team_overall; /* [team]: mean of members' overall scores */
	struct tally *team_rule_tallies; /* [team * rule_total + rule], members' */

	/* Scorecards and the organisation. */
	size_t **level_counts; /* [scorecard][level]: in-scope entities at each
				  level 0..level_count */
	size_t *scorecard_entities; /* [scorecard]: entities in its scope */
	struct tally overall;  /* every scorecard together */
	double overall_score;

	/* Campaigns. */
	bool *in_campaign;     /* [campaign * entity_count + entity] */
	struct campaign_result *campaigns; /* [campaign] */

	struct ranking teams, rules, entities;
};

/* Derive everything above from `ev`. Allocates in the arena; cannot fail. */
void rollup_run(struct arena *a, const struct eval *ev, struct rollup *ru);

/* Whether team `t` is `root` or one of its sub-teams. */
bool rollup_team_within(const struct rollup *ru, size_t t, size_t root);

/* A campaign slice's progress, NaN when nothing counts. */
double rollup_part_progress(const struct campaign_part *p);

/* Add the counts of `t` to `into`. */
void rollup_tally_sum(struct tally *into, const struct tally *t);

#endif
