/*
 * eval: every scorecard x rule x entity decided, and the numbers derived
 * from the states: rule, scorecard, entity and team scores, entity levels,
 * campaign progress. docs/scoring.md is the user's reference.
 *
 * The result is a dense matrix (entities x all rules, scorecard by
 * scorecard) plus per-scorecard, per-rule, per-team and per-campaign
 * tallies; everything lives in the arena and is read-only afterwards.
 */
#ifndef YARDSTICK_EVAL_H
#define YARDSTICK_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "conf.h"
#include "err.h"
#include "model.h"

enum rule_state {
	STATE_PASS,
	STATE_FAIL,
	STATE_SKIP,    /* out of the scorecard's or rule's scope, or disabled */
	STATE_NO_DATA, /* external outcome missing or stale */
	STATE_EXEMPT,  /* a valid exemption */
};

/* "pass", "fail", "skip", "no_data", "exempt" */
const char *eval_state_name(enum rule_state s);

struct rule_result {
	enum rule_state state;
	const char *reason; /* for people; never NULL */
};

/* State counts; `weighted_*` multiply by the rule weights. */
struct tally {
	size_t pass, fail, skip, no_data, exempt;
	double weighted_pass, weighted_counted;
};

/* An entity on one scorecard. */
struct entity_score {
	bool in_scope;  /* inside the scorecard's scope */
	double score;   /* NaN when nothing counts */
	int level;      /* 0 when level 1 is not met; -1 when out of scope */
	struct tally tally;
};

/* A team on one scorecard: the mean of its entities' scores, including
 * those of its sub-teams. */
struct team_score {
	double score; /* NaN when no entity has a score */
	double sum;
	size_t scored; /* entities with a score */
};

struct campaign_part {
	const char *key; /* team id or rule reference; "" for unowned */
	size_t pass, total;
};

enum campaign_status {
	CAMPAIGN_NOT_STARTED,
	CAMPAIGN_IN_PROGRESS,
	CAMPAIGN_COMPLETED,
	CAMPAIGN_OVERDUE,
	CAMPAIGN_ENDED,
};

/* "not_started", "in_progress", "completed", "overdue", "ended" */
const char *eval_campaign_status_name(enum campaign_status s);

struct campaign_result {
	const struct campaign *campaign;
	enum campaign_status status;
	size_t pass, total;
	double progress;     /* NaN when total is 0 */
	bool has_days_left;
	long days_left;      /* due - today; negative when overdue */
	struct campaign_part *by_team; /* sorted by team id */
	size_t team_count;
	struct campaign_part *by_rule; /* in the campaign's order */
	size_t rule_count;
	size_t entity_count; /* entities in the campaign's scope */
};

struct eval {
	const struct site *site;
	day_t today;
	bool no_data_fails;
	size_t rule_total;          /* rules across all scorecards */
	size_t *rule_offset;        /* per scorecard: index of its first rule */
	struct rule_result *results; /* [entity * rule_total + rule] */
	struct entity_score *entity_scores; /* [entity * scorecard_count + sc] */
	struct tally *rule_tallies;      /* [rule] */
	struct tally *scorecard_tallies; /* [scorecard] */
	struct team_score *team_scores;  /* [team * scorecard_count + sc] */
	size_t *team_entity_counts;      /* [team]: own and sub-teams' entities */
	struct campaign_result *campaigns; /* [campaign] */
};

/*
 * Decide everything for `site` as of `today`. Scopes and checks were
 * validated when loading; one that does not parse here is a BUG.
 * Allocates in the arena; cannot fail.
 */
void eval_run(struct arena *a, const struct site *site, const struct conf *conf,
	      day_t today, struct eval *ev);

/* A score from a tally: weighted pass / weighted (pass + fail [+ no data]),
 * NaN when nothing counts. */
double eval_tally_score(const struct tally *t);

/* Index of a rule in the results matrix. */
size_t eval_rule_index(const struct eval *ev, const struct rule *r);

static inline const struct rule_result *eval_result(const struct eval *ev,
						    size_t entity, size_t rule)
{
	return &ev->results[entity * ev->rule_total + rule];
}

#endif
