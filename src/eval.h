/*
 * eval: every scorecard x rule x entity decided, with the tallies of the
 * states: per entity and scorecard (its score and level), per rule and per
 * scorecard. docs/scoring.md is the user's reference.
 *
 * The result is a dense matrix (entities x all rules, scorecard by
 * scorecard) plus those tallies; everything lives in the arena and is
 * read-only afterwards. Figures that combine them (team scores, campaign
 * progress, rankings) are the roll-up stage's (rollup.h).
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

/* State counts; `counted` are those that count towards scores (pass,
 * fail, and no data when no_data = fail); `weighted_*` multiply by the
 * rule weights. */
struct tally {
	size_t pass, fail, skip, no_data, exempt, counted;
	double weighted_pass, weighted_counted;
};

/* An entity on one scorecard. */
struct entity_score {
	bool in_scope;  /* inside the scorecard's scope */
	double score;   /* NaN when nothing counts */
	int level;      /* 0 when level 1 is not met; -1 when out of scope */
	struct tally tally;
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
};

/*
 * Decide everything for `site` as of `today`. Scopes and checks were
 * validated when loading; one that does not parse here is a BUG.
 * Allocates in the arena; cannot fail.
 */
void eval_run(struct arena *a, const struct site *site, const struct conf *conf,
	      day_t today, struct eval *ev);

/* Whether a state counts towards scores (pass, fail, and no data when
 * no_data = fail), and whether it is open work: counted and not passing. */
bool eval_state_counts(const struct eval *ev, enum rule_state s);
bool eval_state_open(const struct eval *ev, enum rule_state s);

/* Count state `s` of a rule of weight `weight` in `t`. */
void eval_tally_add(const struct eval *ev, struct tally *t, enum rule_state s,
		    double weight);

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
