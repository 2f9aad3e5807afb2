#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "query.h"
#include "util.h"

const char *eval_state_name(enum rule_state s)
{
	static const char *const names[] = {
		[STATE_PASS] = "pass", [STATE_FAIL] = "fail", [STATE_SKIP] = "skip",
		[STATE_NO_DATA] = "no_data", [STATE_EXEMPT] = "exempt",
	};
	return names[s];
}

double eval_tally_score(const struct tally *t)
{
	return t->weighted_counted > 0 ? t->weighted_pass / t->weighted_counted : NAN;
}

size_t eval_rule_index(const struct eval *ev, const struct rule *r)
{
	size_t sc = site_scorecard_index(ev->site, r->scorecard);
	return ev->rule_offset[sc] + (size_t)(r - r->scorecard->rules);
}

static size_t entity_index(const struct site *site, const struct entity *e)
{
	size_t i = site_entity_index(site, e->ref);
	if (i == SITE_NONE)
		BUG("entity not in the site");
	return i;
}

/* Whether a state counts towards scores, and whether it counts as passing. */
static bool counted(enum rule_state s, bool no_data_fails)
{
	return s == STATE_PASS || s == STATE_FAIL ||
	       (s == STATE_NO_DATA && no_data_fails);
}

bool eval_state_counts(const struct eval *ev, enum rule_state s)
{
	return counted(s, ev->no_data_fails);
}

bool eval_state_open(const struct eval *ev, enum rule_state s)
{
	return s == STATE_FAIL || (s == STATE_NO_DATA && ev->no_data_fails);
}

void eval_tally_add(const struct eval *ev, struct tally *t, enum rule_state s,
		    double weight)
{
	switch (s) {
	case STATE_PASS: t->pass++; break;
	case STATE_FAIL: t->fail++; break;
	case STATE_SKIP: t->skip++; break;
	case STATE_NO_DATA: t->no_data++; break;
	case STATE_EXEMPT: t->exempt++; break;
	}
	if (counted(s, ev->no_data_fails)) {
		t->counted++;
		t->weighted_counted += weight;
		if (s == STATE_PASS)
			t->weighted_pass += weight;
	}
}

/*
 * The newest outcome and any valid exemption for each (entity, rule),
 * found once so deciding a state is a look-up.
 */
struct lookups {
	const struct outcome **outcome;     /* [entity * rule_total + rule] */
	const struct exemption **exemption; /* likewise */
};

static void build_lookups(struct arena *a, const struct eval *ev,
			  struct lookups *lk)
{
	const struct site *site = ev->site;
	size_t cells = site->entity_count * ev->rule_total;
	lk->outcome = arena_alloc_array(a, cells ? cells : 1, sizeof(*lk->outcome));
	lk->exemption = arena_alloc_array(a, cells ? cells : 1, sizeof(*lk->exemption));
	for (size_t i = 0; i < site->outcome_count; i++) {
		const struct outcome *o = &site->outcomes[i];
		size_t cell = entity_index(site, o->entity) * ev->rule_total +
			      eval_rule_index(ev, o->rule);
		/* The newest wins; at equal times (or none), the later file. */
		const struct outcome *old = lk->outcome[cell];
		if (!old || o->observed >= old->observed)
			lk->outcome[cell] = o;
	}
	for (size_t i = 0; i < site->exemption_count; i++) {
		const struct exemption *x = &site->exemptions[i];
		if (x->expires < ev->today)
			continue;
		size_t cell = entity_index(site, x->entity) * ev->rule_total +
			      eval_rule_index(ev, x->rule);
		if (!lk->exemption[cell] || x->expires > lk->exemption[cell]->expires)
			lk->exemption[cell] = x;
	}
}

static const char *finish_reason(struct arena *a, struct buf *b)
{
	const char *s = arena_strndup(a, b->data, b->len);
	buf_reset(b);
	return s;
}

static struct rule_result decide(struct arena *a, const struct eval *ev,
				 const struct conf *conf, const struct lookups *lk,
				 const struct entity *e, size_t cell,
				 const struct rule *r, struct buf *b)
{
	struct rule_result res;
	if (!r->enabled) {
		res.state = STATE_SKIP;
		res.reason = "the rule is disabled";
		return res;
	}
	if (r->scope_query && !query_match(r->scope_query, e)) {
		res.state = STATE_SKIP;
		buf_adds(b, "outside the rule's scope: ");
		query_explain(r->scope_query, e, b);
		res.reason = finish_reason(a, b);
		return res;
	}
	const struct exemption *x = lk->exemption[cell];
	if (x) {
		char day[11];
		date_format(x->expires, day);
		res.state = STATE_EXEMPT;
		buf_addf(b, "exempt until %s: %s", day, x->reason);
		res.reason = finish_reason(a, b);
		return res;
	}
	if (r->check_query) {
		res.state = query_match(r->check_query, e) ? STATE_PASS : STATE_FAIL;
		query_explain(r->check_query, e, b);
		res.reason = finish_reason(a, b);
		return res;
	}
	const struct outcome *o = lk->outcome[cell];
	if (!o) {
		res.state = STATE_NO_DATA;
		res.reason = "no outcome reported";
		return res;
	}
	if (conf->outcome_max_age_days > 0 && o->observed != OUTCOME_NO_TIME) {
		long long age_days = ((long long)ev->today * 86400 - o->observed) / 86400;
		if (age_days > conf->outcome_max_age_days) {
			char day[11];
			long long secs = o->observed; /* the day it falls on: round down */
			date_format((day_t)((secs - (secs < 0 ? 86399 : 0)) / 86400), day);
			res.state = STATE_NO_DATA;
			buf_addf(b, "last outcome is from %s, older than %ld days", day,
				 conf->outcome_max_age_days);
			res.reason = finish_reason(a, b);
			return res;
		}
	}
	static const enum rule_state from_outcome[] = {
		[OUTCOME_PASS] = STATE_PASS, [OUTCOME_FAIL] = STATE_FAIL,
		[OUTCOME_SKIP] = STATE_SKIP,
	};
	res.state = from_outcome[o->state];
	if (o->remarks && *o->remarks) {
		res.reason = o->remarks;
	} else {
		buf_addf(b, "reported %s", eval_state_name(res.state));
		res.reason = finish_reason(a, b);
	}
	return res;
}

/*
 * A level needs evidence: the highest L such that at least one of the
 * entity's rules at level L passes and none at levels 1..L fails or has no
 * data (whatever no_data counts as: missing evidence is not evidence).
 * Skipped and exempt rules are neutral. 0 when no level qualifies.
 */
static int entity_level(const struct eval *ev, const struct scorecard *sc,
			size_t offset, size_t entity)
{
	/* Levels are numbered 1..level_count (content.c enforces it). */
	int blocked = (int)sc->level_count + 1; /* lowest level with a failure */
	bool passes[MODEL_MAX_LEVELS + 2] = { false };
	for (size_t i = 0; i < sc->rule_count; i++) {
		enum rule_state s = eval_result(ev, entity, offset + i)->state;
		int level = sc->rules[i].level;
		if (level < 1 || level > (int)sc->level_count)
			continue; /* reported when loading */
		if ((s == STATE_FAIL || s == STATE_NO_DATA) && level < blocked)
			blocked = level;
		else if (s == STATE_PASS)
			passes[level] = true;
	}
	int reached = 0;
	for (int level = 1; level < blocked; level++)
		if (passes[level])
			reached = level;
	return reached;
}

static void evaluate_entities(struct arena *a, struct eval *ev,
			      const struct conf *conf, const struct lookups *lk)
{
	const struct site *site = ev->site;
	struct buf b = BUF_INIT;
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity *ent = site->entities[e];
		for (size_t s = 0; s < site->scorecard_count; s++) {
			const struct scorecard *sc = site->scorecards[s];
			size_t offset = ev->rule_offset[s];
			struct entity_score *es = &ev->entity_scores[e * site->scorecard_count + s];
			es->in_scope = !sc->scope_query || query_match(sc->scope_query, ent);
			for (size_t i = 0; i < sc->rule_count; i++) {
				size_t rule = offset + i;
				struct rule_result *res = &ev->results[e * ev->rule_total + rule];
				if (es->in_scope) {
					*res = decide(a, ev, conf, lk, ent,
						      e * ev->rule_total + rule,
						      &sc->rules[i], &b);
				} else {
					res->state = STATE_SKIP;
					res->reason = "outside the scorecard's scope";
				}
				double w = sc->rules[i].weight;
				eval_tally_add(ev, &es->tally, res->state, w);
				eval_tally_add(ev, &ev->rule_tallies[rule], res->state, w);
				eval_tally_add(ev, &ev->scorecard_tallies[s], res->state, w);
			}
			es->score = eval_tally_score(&es->tally);
			es->level = es->in_scope ? entity_level(ev, sc, offset, e) : -1;
		}
	}
	buf_release(&b);
}

void eval_run(struct arena *a, const struct site *site, const struct conf *conf,
	      day_t today, struct eval *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->site = site;
	ev->today = today;
	ev->no_data_fails = conf->no_data_fails;
	ev->rule_offset = arena_alloc_array(a, site->scorecard_count + 1, sizeof(size_t));
	for (size_t s = 0; s < site->scorecard_count; s++) {
		ev->rule_offset[s] = ev->rule_total;
		ev->rule_total += site->scorecards[s]->rule_count;
	}
	size_t cells = site->entity_count * ev->rule_total;
	ev->results = arena_alloc_array(a, cells ? cells : 1, sizeof(*ev->results));
	ev->entity_scores = arena_alloc_array(
		a, site->entity_count * site->scorecard_count + 1, sizeof(*ev->entity_scores));
	ev->rule_tallies = arena_alloc_array(a, ev->rule_total + 1, sizeof(*ev->rule_tallies));
	ev->scorecard_tallies = arena_alloc_array(a, site->scorecard_count + 1,
						  sizeof(*ev->scorecard_tallies));
	struct lookups lk;
	build_lookups(a, ev, &lk);
	evaluate_entities(a, ev, conf, &lk);
}
