#include "rollup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "util.h"

const char *rollup_campaign_status_name(enum campaign_status s)
{
	static const char *const names[] = {
		[CAMPAIGN_NOT_STARTED] = "not_started",
		[CAMPAIGN_IN_PROGRESS] = "in_progress",
		[CAMPAIGN_COMPLETED] = "completed",
		[CAMPAIGN_OVERDUE] = "overdue",
		[CAMPAIGN_ENDED] = "ended",
	};
	return names[s];
}

void rollup_tally_sum(struct tally *into, const struct tally *t)
{
	into->pass += t->pass;
	into->fail += t->fail;
	into->skip += t->skip;
	into->no_data += t->no_data;
	into->exempt += t->exempt;
	into->counted += t->counted;
	into->weighted_pass += t->weighted_pass;
	into->weighted_counted += t->weighted_counted;
}

double rollup_part_progress(const struct campaign_part *p)
{
	return p->total ? (double)p->pass / (double)p->total : NAN;
}

/*
 * The one walk up a team's parents, done once per team: the team itself,
 * its parent, and so on to the root. Parents were checked for cycles when
 * loading; the bound keeps a cycle that slipped through from looping.
 */
static void build_chains(struct arena *a, struct rollup *ru, size_t *scratch)
{
	size_t n = ru->site->team_count;
	ru->chain = arena_alloc_array(a, n + 1, sizeof(size_t *));
	ru->chain_length = arena_alloc_array(a, n + 1, sizeof(size_t));
	for (size_t t = 0; t < n; t++) {
		size_t count = 0;
		for (size_t u = t; u < n && count < n; u = ru->team_parent[u])
			scratch[count++] = u;
		size_t *chain = arena_alloc_array(a, count, sizeof(size_t));
		memcpy(chain, scratch, count * sizeof(size_t));
		ru->chain[t] = chain;
		ru->chain_length[t] = count;
	}
	/* The unowned belong to no team. */
	ru->chain[n] = scratch;
	ru->chain_length[n] = 0;
}

bool rollup_team_within(const struct rollup *ru, size_t t, size_t root)
{
	if (t > ru->site->team_count)
		return false;
	for (size_t i = 0; i < ru->chain_length[t]; i++)
		if (ru->chain[t][i] == root)
			return true;
	return false;
}

/* Owner teams, parents, and who owns and belongs to what. */
static void build_teams(struct arena *a, struct rollup *ru, size_t *scratch)
{
	const struct site *site = ru->site;
	size_t n = site->entity_count, teams = site->team_count;
	ru->entity_team = arena_alloc_array(a, n + 1, sizeof(size_t));
	ru->team_parent = arena_alloc_array(a, teams + 1, sizeof(size_t));
	ru->owned = arena_alloc_array(a, teams + 1, sizeof(size_t *));
	ru->owned_count = arena_alloc_array(a, teams + 1, sizeof(size_t));
	ru->members = arena_alloc_array(a, teams + 1, sizeof(size_t *));
	ru->member_count = arena_alloc_array(a, teams + 1, sizeof(size_t));
	for (size_t t = 0; t < teams; t++) {
		const char *parent = site->teams[t]->parent;
		ru->team_parent[t] = parent ? site_team_index(site, parent) : SITE_NONE;
	}
	build_chains(a, ru, scratch);
	for (size_t e = 0; e < n; e++) {
		size_t t = site_team_index(site, site->entities[e]->owner);
		if (t == SITE_NONE)
			t = teams;
		ru->entity_team[e] = t;
		ru->owned_count[t]++;
		for (size_t i = 0; i < ru->chain_length[t]; i++)
			ru->member_count[ru->chain[t][i]]++;
	}
	for (size_t t = 0; t <= teams; t++) {
		ru->owned[t] = arena_alloc_array(a, ru->owned_count[t] + 1, sizeof(size_t));
		ru->members[t] = arena_alloc_array(a, ru->member_count[t] + 1, sizeof(size_t));
		ru->owned_count[t] = ru->member_count[t] = 0;
	}
	for (size_t e = 0; e < n; e++) {
		size_t t = ru->entity_team[e];
		ru->owned[t][ru->owned_count[t]++] = e;
		for (size_t i = 0; i < ru->chain_length[t]; i++) {
			size_t u = ru->chain[t][i];
			ru->members[u][ru->member_count[u]++] = e;
		}
	}
}

/* Overall tallies and scores of entities, and whether any rule fails. */
static void build_entities(struct arena *a, struct rollup *ru)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	size_t n = site->entity_count, scs = site->scorecard_count;
	ru->entity_totals = arena_alloc_array(a, n + 1, sizeof(*ru->entity_totals));
	ru->entity_score = arena_alloc_array(a, n + 1, sizeof(double));
	ru->entity_failing = arena_alloc_array(a, n + 1, sizeof(bool));
	for (size_t e = 0; e < n; e++) {
		for (size_t s = 0; s < scs; s++) {
			const struct entity_score *es = &ev->entity_scores[e * scs + s];
			if (es->in_scope)
				rollup_tally_sum(&ru->entity_totals[e], &es->tally);
		}
		ru->entity_score[e] = eval_tally_score(&ru->entity_totals[e]);
		ru->entity_failing[e] = ru->entity_totals[e].fail > 0;
	}
}

static void mean_add(struct team_score *ts, double score)
{
	ts->in_scope++;
	if (isnan(score))
		return;
	ts->sum += score;
	ts->scored++;
}

static void mean_finish(struct team_score *ts)
{
	ts->score = ts->scored ? ts->sum / (double)ts->scored : NAN;
}

/* Team scores (per scorecard and overall) and rule tallies, each entity
 * counted for its owner team and every ancestor. */
static void build_team_scores(struct arena *a, struct rollup *ru)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	size_t teams = site->team_count, scs = site->scorecard_count;
	size_t rules = ev->rule_total;
	ru->team_scores = arena_alloc_array(a, teams * scs + 1, sizeof(*ru->team_scores));
	ru->team_overall = arena_alloc_array(a, teams + 1, sizeof(*ru->team_overall));
	ru->team_rule_tallies = arena_alloc_array(a, teams * rules + 1,
						  sizeof(*ru->team_rule_tallies));
	for (size_t e = 0; e < site->entity_count; e++) {
		const size_t *chain = ru->chain[ru->entity_team[e]];
		for (size_t i = 0; i < ru->chain_length[ru->entity_team[e]]; i++) {
			size_t t = chain[i];
			mean_add(&ru->team_overall[t], ru->entity_score[e]);
			for (size_t s = 0; s < scs; s++) {
				const struct entity_score *es = &ev->entity_scores[e * scs + s];
				if (es->in_scope)
					mean_add(&ru->team_scores[t * scs + s], es->score);
				const struct scorecard *sc = site->scorecards[s];
				for (size_t r = 0; r < sc->rule_count; r++) {
					size_t ri = ev->rule_offset[s] + r;
					struct tally *tt = &ru->team_rule_tallies[t * rules + ri];
					eval_tally_add(ev, tt, eval_result(ev, e, ri)->state,
						       sc->rules[r].weight);
				}
			}
		}
	}
	for (size_t i = 0; i < teams * scs; i++)
		mean_finish(&ru->team_scores[i]);
	for (size_t t = 0; t < teams; t++)
		mean_finish(&ru->team_overall[t]);
}

/* Level distributions and the organisation's total. */
static void build_scorecards(struct arena *a, struct rollup *ru)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	size_t scs = site->scorecard_count;
	ru->level_counts = arena_alloc_array(a, scs + 1, sizeof(size_t *));
	ru->scorecard_entities = arena_alloc_array(a, scs + 1, sizeof(size_t));
	for (size_t s = 0; s < scs; s++) {
		const struct scorecard *sc = site->scorecards[s];
		ru->level_counts[s] = arena_alloc_array(a, sc->level_count + 1,
							sizeof(size_t));
		for (size_t e = 0; e < site->entity_count; e++) {
			const struct entity_score *es = &ev->entity_scores[e * scs + s];
			if (!es->in_scope)
				continue;
			ru->scorecard_entities[s]++;
			if (es->level >= 0 && (size_t)es->level <= sc->level_count)
				ru->level_counts[s][es->level]++;
		}
		rollup_tally_sum(&ru->overall, &ev->scorecard_tallies[s]);
	}
	ru->overall_score = eval_tally_score(&ru->overall);
}

static enum campaign_status campaign_status(const struct campaign *c, day_t today,
					    const struct campaign_part *all)
{
	bool complete = all->total > 0 && all->pass == all->total;
	bool due_passed = c->has_due && today > c->due;
	if (today < c->start)
		return CAMPAIGN_NOT_STARTED;
	/* Its owner closed it (`status: completed`): it is past, with the
	 * progress it has, whatever its due date. */
	if (c->completed)
		return CAMPAIGN_COMPLETED;
	if (due_passed)
		return complete ? CAMPAIGN_ENDED : CAMPAIGN_OVERDUE;
	return complete ? CAMPAIGN_COMPLETED : CAMPAIGN_IN_PROGRESS;
}

static void build_campaign(struct arena *a, struct rollup *ru, size_t c,
			   size_t *open)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	const struct campaign *camp = site->campaigns[c];
	struct campaign_result *cr = &ru->campaigns[c];
	size_t teams = site->team_count, n = site->entity_count;
	bool *member = &ru->in_campaign[c * n];
	cr->campaign = camp;
	cr->by_owner = arena_alloc_array(a, teams + 1, sizeof(*cr->by_owner));
	cr->by_team = arena_alloc_array(a, teams + 1, sizeof(*cr->by_team));
	cr->by_rule = arena_alloc_array(a, camp->rule_count + 1, sizeof(*cr->by_rule));
	cr->rule_index = arena_alloc_array(a, camp->rule_count + 1, sizeof(size_t));
	cr->work_start = arena_alloc_array(a, teams + 2, sizeof(size_t));
	for (size_t r = 0; r < camp->rule_count; r++)
		cr->rule_index[r] = eval_rule_index(ev, camp->rules[r].rule);

	/* Owned entities team by team give the work in its documented order. */
	size_t work_alloc = 0;
	for (size_t t = 0; t <= teams; t++) {
		cr->work_start[t] = cr->work_count;
		for (size_t k = 0; k < ru->owned_count[t]; k++) {
			size_t e = ru->owned[t][k];
			member[e] = !camp->scope_query ||
				    query_match(camp->scope_query, site->entities[e]);
			if (!member[e])
				continue;
			cr->entity_count++;
			size_t open_count = 0;
			struct campaign_part part = { 0, 0 };
			for (size_t r = 0; r < camp->rule_count; r++) {
				enum rule_state s = eval_result(ev, e, cr->rule_index[r])->state;
				if (!eval_state_counts(ev, s))
					continue;
				bool pass = s == STATE_PASS;
				part.total++;
				part.pass += pass;
				cr->by_rule[r].total++;
				cr->by_rule[r].pass += pass;
				if (!pass)
					open[open_count++] = r;
			}
			cr->all.total += part.total;
			cr->all.pass += part.pass;
			cr->by_owner[t].total += part.total;
			cr->by_owner[t].pass += part.pass;
			for (size_t i = 0; i < ru->chain_length[t]; i++) {
				cr->by_team[ru->chain[t][i]].total += part.total;
				cr->by_team[ru->chain[t][i]].pass += part.pass;
			}
			if (!open_count)
				continue;
			ALLOC_GROW(cr->work, cr->work_count + 1, work_alloc);
			size_t *rules = arena_alloc_array(a, open_count, sizeof(size_t));
			memcpy(rules, open, open_count * sizeof(size_t));
			cr->work[cr->work_count++] = (struct campaign_work){
				e, t, rules, open_count,
			};
		}
	}
	cr->work_start[teams + 1] = cr->work_count;
	/* The unowned share the slot after the last team in by_team too. */
	cr->by_team[teams] = cr->by_owner[teams];
	if (cr->work_count) {
		/* Move the work into the arena: it lives as long as the rest. */
		struct campaign_work *w = arena_alloc_array(a, cr->work_count, sizeof(*w));
		memcpy(w, cr->work, cr->work_count * sizeof(*w));
		free(cr->work);
		cr->work = w;
	}
	cr->progress = rollup_part_progress(&cr->all);
	cr->status = campaign_status(camp, ev->today, &cr->all);
	cr->active = cr->status == CAMPAIGN_IN_PROGRESS || cr->status == CAMPAIGN_OVERDUE;
	cr->has_days_left = camp->has_due;
	cr->days_left = camp->has_due ? camp->due - ev->today : 0;
}

/* A ranking entry: its score and its id, for a reproducible order. */
struct ranked {
	double score;
	const char *id;
	size_t index;
};

/* Best first; equal scores by id, then index. */
static int ranked_compare(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void rank(struct arena *a, struct ranking *out, struct ranked *items,
		 size_t n)
{
	qsort(items, n, sizeof(*items), ranked_compare);
	out->order = arena_alloc_array(a, n + 1, sizeof(size_t));
	out->count = n;
	for (size_t i = 0; i < n; i++)
		out->order[i] = items[i].index;
}

static void build_rankings(struct arena *a, struct rollup *ru)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	size_t most = site->team_count;
	if (ev->rule_total > most)
		most = ev->rule_total;
	if (site->entity_count > most)
		most = site->entity_count;
	struct ranked *items = xcalloc(most + 1, sizeof(*items));
	size_t n = 0;
	for (size_t t = 0; t < site->team_count; t++)
		if (!isnan(ru->team_overall[t].score))
			items[n++] = (struct ranked){ ru->team_overall[t].score,
						      site->teams[t]->id, t };
	rank(a, &ru->teams, items, n);
	n = 0;
	for (size_t s = 0; s < site->scorecard_count; s++) {
		const struct scorecard *sc = site->scorecards[s];
		for (size_t r = 0; r < sc->rule_count; r++) {
			size_t ri = ev->rule_offset[s] + r;
			double score = eval_tally_score(&ev->rule_tallies[ri]);
			if (!isnan(score))
				items[n++] = (struct ranked){ score, sc->rules[r].ref, ri };
		}
	}
	rank(a, &ru->rules, items, n);
	n = 0;
	for (size_t e = 0; e < site->entity_count; e++)
		if (!isnan(ru->entity_score[e]))
			items[n++] = (struct ranked){ ru->entity_score[e],
						      site->entities[e]->ref, e };
	rank(a, &ru->entities, items, n);
	free(items);
}

void rollup_run(struct arena *a, const struct eval *ev, struct rollup *ru)
{
	const struct site *site = ev->site;
	memset(ru, 0, sizeof(*ru));
	ru->ev = ev;
	ru->site = site;
	size_t *scratch = arena_alloc_array(a, site->team_count + 1, sizeof(size_t));
	build_teams(a, ru, scratch);
	build_entities(a, ru);
	build_team_scores(a, ru);
	build_scorecards(a, ru);

	size_t most_rules = 1;
	for (size_t c = 0; c < site->campaign_count; c++)
		if (site->campaigns[c]->rule_count > most_rules)
			most_rules = site->campaigns[c]->rule_count;
	size_t *open = xcalloc(most_rules, sizeof(size_t));
	ru->in_campaign = arena_alloc_array(a, site->campaign_count * site->entity_count + 1,
					    sizeof(bool));
	ru->campaigns = arena_alloc_array(a, site->campaign_count + 1, sizeof(*ru->campaigns));
	for (size_t c = 0; c < site->campaign_count; c++)
		build_campaign(a, ru, c, open);
	free(open);
	build_rankings(a, ru);
}
