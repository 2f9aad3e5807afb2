#include "site_pages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "site_changes.h"
#include "site_trends.h"
#include "util.h"

/* Dashboard lists: how many of the best and of the worst. */
enum { TOP_COUNT = 5 };

typedef struct value *(*ranked_row_fn)(struct render *r, size_t index);

/* The best few of `ranking` under `top_key`, and the worst few not already
 * among them under `bottom_key`, worst first. */
static void put_ranking(struct render *r, struct value *ctx, const char *top_key,
			const char *bottom_key, const struct ranking *ranking,
			ranked_row_fn row)
{
	size_t n = ranking->count;
	struct value *top = put_list(r, ctx, top_key);
	struct value *bottom = put_list(r, ctx, bottom_key);
	size_t top_n = n < TOP_COUNT ? n : TOP_COUNT;
	for (size_t i = 0; i < top_n; i++)
		value_seq_push(r->mem, top, row(r, ranking->order[i]));
	for (size_t i = n; i > top_n && n - i < TOP_COUNT; i--)
		value_seq_push(r->mem, bottom, row(r, ranking->order[i - 1]));
}

static struct value *entity_ranked_row(struct render *r, size_t e)
{
	struct value *v = entity_link(r, e);
	put(r, v, "owner", entity_owner_link(r, e));
	put(r, v, "score", score_value(r, r->ru->entity_score[e],
				       &r->ru->entity_totals[e]));
	return v;
}

int page_index(struct render *r)
{
	const struct site *site = r->site;
	const struct rollup *ru = r->ru;
	struct value *ctx = page_begin(r, "index.html", "index", "index", "Dashboard");
	put(r, ctx, "overall", score_value(r, ru->overall_score, &ru->overall));
	put(r, ctx, "trend", trend_scores(r));
	put(r, ctx, "changes", changes_summary(r));
	struct value *counts = put_map(r, ctx, "counts");
	put_count(r, counts, "entities", site->entity_count);
	put_count(r, counts, "teams", site->team_count);
	put_count(r, counts, "scorecards", site->scorecard_count);
	put_count(r, counts, "rules", r->ev->rule_total);
	put_count(r, counts, "campaigns", site->campaign_count);

	struct value *scorecards = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < site->scorecard_count; s++)
		value_seq_push(r->mem, scorecards, trend_scorecard_row(r, s));

	put_ranking(r, ctx, "top_teams", "bottom_teams", &ru->teams, trend_team_row);
	put_ranking(r, ctx, "top_rules", "bottom_rules", &ru->rules, rule_row);
	put_ranking(r, ctx, "top_entities", "bottom_entities", &ru->entities,
		    entity_ranked_row);

	const struct campaign_result **active =
		xcalloc(site->campaign_count + 1, sizeof(*active));
	size_t n = 0;
	for (size_t c = 0; c < site->campaign_count; c++)
		if (ru->campaigns[c].active)
			active[n++] = &ru->campaigns[c];
	qsort(active, n, sizeof(*active), campaign_due_compare);
	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t i = 0; i < n; i++)
		value_seq_push(r->mem, campaigns,
			       campaign_row(r, (size_t)(active[i] - ru->campaigns), NULL));
	free(active);

	struct value *problems = put_map(r, ctx, "problems");
	put_count(r, problems, "errors", r->problems->errors);
	put_count(r, problems, "warnings", r->problems->warnings);
	put_text(r, problems, "href", href(r, "problems.html"));
	put_bool(r, problems, "any", r->problems->count > 0);
	return page_end(r, "index", "index.html", ctx);
}

int page_problems(struct render *r)
{
	struct value *ctx = page_begin(r, "problems.html", "problems", "problems",
				       "Problems");
	const struct errlist *list = r->problems;
	put_count(r, ctx, "errors", list->errors);
	put_count(r, ctx, "warnings", list->warnings);
	put_bool(r, ctx, "any", list->count > 0);
	struct value *items = put_list(r, ctx, "problems");
	for (size_t i = 0; i < list->count; i++) {
		const struct err *p = &list->items[i];
		struct value *v = push_map(r, items);
		put_text(r, v, "severity", p->level == ERR_WARNING ? "warning" : "error");
		put_text(r, v, "path", p->path ? p->path : "");
		put_count(r, v, "line", p->line);
		put_count(r, v, "col", p->col);
		put_text(r, v, "location",
			 !p->path ? "" :
			 p->line && p->col ? arena_printf(r->mem, "%s:%u:%u", p->path, p->line, p->col) :
			 p->line ? arena_printf(r->mem, "%s:%u", p->path, p->line) :
			 p->path);
		put_text(r, v, "message", p->msg ? p->msg : "");
	}
	return page_end(r, "problems", "problems.html", ctx);
}

int page_scorecards(struct render *r)
{
	struct value *ctx = page_begin(r, "scorecards/index.html", "scorecards",
				       "scorecards", "Scorecards");
	struct value *list = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < r->site->scorecard_count; s++)
		value_seq_push(r->mem, list, trend_scorecard_row(r, s));
	return page_end(r, "scorecards", "scorecards/index.html", ctx);
}

/* A scorecard's summary, trends and levels: page 1 only. */
static void put_scorecard_summary(struct render *r, struct value *ctx,
				  struct value *row, size_t s)
{
	const struct scorecard *sc = r->site->scorecards[s];
	size_t first = r->ev->rule_offset[s];
	put(r, row, "description_html", markdown_value(r, sc->description));
	put_text(r, row, "scope", sc->scope);
	put_count(r, row, "rule_count", sc->rule_count);
	put(r, row, "owner", sc->owner ? team_link(r, sc->owner) : NULL);
	put(r, ctx, "trend", trend_scorecard(r, s));
	put(r, ctx, "level_trend", trend_levels(r, s));

	struct value *levels = put_list(r, ctx, "levels");
	for (size_t l = 0; l < sc->level_count; l++) {
		struct value *level = push_map(r, levels);
		put_number(r, level, "number", sc->levels[l].number);
		put_text(r, level, "name", sc->levels[l].name);
		struct value *rules = put_list(r, level, "rules");
		for (size_t i = 0; i < sc->rule_count; i++)
			if (sc->rules[i].level == sc->levels[l].number)
				value_seq_push(r->mem, rules, rule_row(r, first + i));
	}
}

static struct value *scorecard_entity_row(struct render *r, size_t s, size_t e)
{
	const struct scorecard *sc = r->site->scorecards[s];
	const struct entity *ent = r->site->entities[e];
	const struct entity_score *es =
		&r->ev->entity_scores[e * r->site->scorecard_count + s];
	struct value *v = entity_link(r, e);
	put(r, v, "owner", entity_owner_link(r, e));
	put_text(r, v, "tier", ent->tier_text);
	put_text(r, v, "lifecycle", ent->lifecycle_text);
	put(r, v, "level", level_value(r, sc, es->level));
	put(r, v, "score", score_value(r, es->score, &es->tally));
	put_bool(r, v, "failing", es->tally.fail > 0);
	/* Of the rules that count, as the score: no data that does not count
	 * is left out of both. */
	put_text(r, v, "passed", arena_printf(r->mem, "%zu/%zu",
					      es->tally.pass, es->tally.counted));
	return v;
}

/*
 * A scorecard page. Its list is the teams with entities in scope (owners
 * and their parents), then the entities in scope, paginated as one: with
 * thousands of teams the teams alone would not fit a page.
 */
int page_scorecard(struct render *r, size_t s)
{
	const struct site *site = r->site;
	const struct scorecard *sc = site->scorecards[s];
	size_t scs = site->scorecard_count;
	size_t *teams = xcalloc(site->team_count + 1, sizeof(*teams));
	size_t *entities = xcalloc(site->entity_count + 1, sizeof(*entities));
	size_t team_n = 0, entity_n = 0;
	for (size_t t = 0; t < site->team_count; t++)
		if (r->ru->team_scores[t * scs + s].in_scope)
			teams[team_n++] = t;
	for (size_t e = 0; e < site->entity_count; e++)
		if (r->ev->entity_scores[e * scs + s].in_scope)
			entities[entity_n++] = e;
	struct pager pg = pager_first(r, r->layout.scorecard_page[s],
				      team_n + entity_n, sc->name);
	int status = 0;
	do {
		struct value *ctx = page_begin(r, pg.path, "scorecard", "scorecards",
					       pg.title);
		put_pagination(r, ctx, &pg);
		struct value *row = trend_scorecard_row(r, s);
		put(r, ctx, "scorecard", row);
		if (pg.number == 1)
			put_scorecard_summary(r, ctx, row, s);
		put_count(r, ctx, "team_count", team_n);
		struct value *show = put_map(r, ctx, "show");
		size_t lo, hi;
		struct value *list = put_list(r, ctx, "teams");
		put_bool(r, show, "teams", pager_section(&pg, 0, team_n, &lo, &hi));
		for (size_t i = lo; i < hi; i++) {
			const struct team_score *ts = &r->ru->team_scores[teams[i] * scs + s];
			struct value *v = team_link_index(r, teams[i]);
			value_seq_push(r->mem, list, v);
			put(r, v, "score", score_value(r, ts->score, NULL));
			put_count(r, v, "entities", ts->in_scope);
		}
		list = put_list(r, ctx, "entities");
		put_bool(r, show, "entities",
			 pager_section(&pg, team_n, entity_n, &lo, &hi));
		for (size_t i = lo; i < hi; i++)
			value_seq_push(r->mem, list, scorecard_entity_row(r, s, entities[i]));
		status = page_end(r, "scorecard", pg.path, ctx);
	} while (status == 0 && pager_next(r, &pg));
	free(teams);
	free(entities);
	return status;
}

static const struct exemption *find_exemption(const struct site *site,
					      const struct entity *ent,
					      const struct rule *rule)
{
	for (size_t i = 0; i < site->exemption_count; i++)
		if (site->exemptions[i].entity == ent && site->exemptions[i].rule == rule)
			return &site->exemptions[i];
	return NULL;
}

/* The lists of a rule page, in the order they are shown and paginated.
 * Passing entities are not listed: page 1 counts them by team (below),
 * each entity's page shows its state and the data exports list them. */
static const struct {
	enum rule_state state;
	const char *key;
} rule_lists[] = {
	{ STATE_FAIL, "failing" },
	{ STATE_NO_DATA, "no_data" },
	{ STATE_EXEMPT, "exempt" },
};
enum { RULE_LISTS = sizeof(rule_lists) / sizeof(rule_lists[0]) };

/* A rule's description, trend and campaigns: page 1 only. */
static void put_rule_summary(struct render *r, struct value *ctx,
			     struct value *v, size_t ri)
{
	const struct rule *rule = r->layout.rules[ri];
	put_text(r, v, "scope", rule->scope);
	put_text(r, v, "check", rule->check);
	put_number(r, v, "weight", rule->weight);
	put(r, v, "description_html", markdown_value(r, rule->description));
	put(r, v, "remediation_html", markdown_value(r, rule->remediation));
	put_url(r, v, "docs", rule->docs);
	put(r, v, "owner", rule->owner ? team_link(r, rule->owner) : NULL);
	put(r, ctx, "trend", trend_rule(r, ri));
	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t c = 0; c < r->site->campaign_count; c++) {
		const struct campaign_result *cr = &r->ru->campaigns[c];
		for (size_t i = 0; i < cr->campaign->rule_count; i++)
			if (cr->rule_index[i] == ri) {
				value_seq_push(r->mem, campaigns, campaign_row(r, c, NULL));
				break;
			}
	}
}

struct team_count {
	size_t team; /* index, or team_count for no known owner */
	struct tally tally;
};

/* Most failures first, then the teams' order (no owner last). */
static int by_failures(const void *pa, const void *pb)
{
	const struct team_count *a = pa, *b = pb;
	if (a->tally.fail != b->tally.fail)
		return a->tally.fail > b->tally.fail ? -1 : 1;
	return a->team < b->team ? -1 : a->team > b->team;
}

/*
 * The rule's states counted by owner team, each entity once (its own
 * team, not the parents): "by_team", teams with entities in the rule's
 * scope, those with the most failures first, at most page_rows of them
 * ("by_team_more" counts the rest: each team's page counts its failures
 * by rule). What stands for the list of passing entities, which would be
 * most of the pages of a rule.
 */
static void put_rule_teams(struct render *r, struct value *ctx, size_t ri)
{
	size_t teams = r->site->team_count;
	double weight = r->layout.rules[ri]->weight;
	struct team_count *counts = xcalloc(teams + 1, sizeof(*counts));
	for (size_t t = 0; t <= teams; t++)
		counts[t].team = t;
	for (size_t e = 0; e < r->site->entity_count; e++) {
		enum rule_state st = eval_result(r->ev, e, ri)->state;
		if (st != STATE_SKIP)
			eval_tally_add(r->ev, &counts[r->ru->entity_team[e]].tally, st,
				       weight);
	}
	size_t n = 0;
	for (size_t t = 0; t <= teams; t++) {
		const struct tally *c = &counts[t].tally;
		if (c->pass + c->fail + c->no_data + c->exempt)
			counts[n++] = counts[t];
	}
	qsort(counts, n, sizeof(*counts), by_failures);
	size_t shown = n < (size_t)r->conf->page_rows ? n : (size_t)r->conf->page_rows;
	/* Null rather than 0, which a template would find true. */
	put(r, ctx, "by_team_more",
	    n > shown ? value_new_number(r->mem, (double)(n - shown)) : NULL);
	struct value *list = put_list(r, ctx, "by_team");
	for (size_t i = 0; i < shown; i++) {
		struct value *row = push_map(r, list);
		put(r, row, "team", team_link_index(r, counts[i].team));
		put_tally(r, row, &counts[i].tally);
		put(r, row, "score", score_value(r, eval_tally_score(&counts[i].tally),
						 &counts[i].tally));
	}
	free(counts);
	/* Where the passing entities are listed, when the site exports it. */
	unsigned formats = r->conf->export_formats;
	put_text(r, ctx, "results_csv",
		 formats & CONF_EXPORT_CSV ? href(r, "data/results.csv") : NULL);
	put_text(r, ctx, "results_json",
		 formats & CONF_EXPORT_JSON ? href(r, "data/results.json") : NULL);
}

static struct value *rule_entity_row(struct render *r, size_t e, size_t ri,
				     const struct rule_result *res)
{
	const struct site *site = r->site;
	const struct entity *ent = site->entities[e];
	struct value *row = entity_link(r, e);
	put(r, row, "owner", entity_owner_link(r, e));
	put(r, row, "state", state_value(r, res));
	put_bool(r, row, "failing", res->state == STATE_FAIL);
	const struct exemption *x = res->state == STATE_EXEMPT
		? find_exemption(site, ent, r->layout.rules[ri]) : NULL;
	if (x) {
		struct value *xv = put_map(r, row, "exemption");
		put_text(r, xv, "reason", x->reason);
		put_day(r, xv, "expires", x->expires);
		put_text(r, xv, "approved_by", x->approved_by);
	}
	return row;
}

/*
 * A rule page: the entities failing it, with no data and exempt, in that
 * order, paginated as one list, so failures come first; a section shows
 * on the pages that have its rows (and on page 1 when it is empty). Page
 * 1 also counts every state by owner team (put_rule_teams).
 */
int page_rule(struct render *r, size_t ri)
{
	const struct site *site = r->site;
	const struct rule *rule = r->layout.rules[ri];
	size_t s = site_scorecard_index(site, rule->scorecard);
	/* The entities of every list, in order: one pass to count, one to
	 * place, so each page takes its slice. */
	size_t total[RULE_LISTS] = { 0 }, start[RULE_LISTS + 1] = { 0 };
	for (size_t e = 0; e < site->entity_count; e++) {
		enum rule_state st = eval_result(r->ev, e, ri)->state;
		for (size_t l = 0; l < RULE_LISTS; l++)
			total[l] += rule_lists[l].state == st;
	}
	for (size_t l = 0; l < RULE_LISTS; l++)
		start[l + 1] = start[l] + total[l];
	size_t rows = start[RULE_LISTS];
	size_t *order = xcalloc(rows + 1, sizeof(*order));
	size_t fill[RULE_LISTS];
	memcpy(fill, start, sizeof(fill));
	for (size_t e = 0; e < site->entity_count; e++) {
		enum rule_state st = eval_result(r->ev, e, ri)->state;
		for (size_t l = 0; l < RULE_LISTS; l++)
			if (rule_lists[l].state == st)
				order[fill[l]++] = e;
	}

	struct pager pg = pager_first(r, r->layout.rule_page[ri], rows, rule->name);
	int status = 0;
	do {
		struct value *ctx = page_begin(r, pg.path, "rule", "scorecards", pg.title);
		put_pagination(r, ctx, &pg);
		struct value *v = rule_row(r, ri);
		put(r, ctx, "rule", v);
		put(r, ctx, "scorecard", scorecard_link(r, s));
		if (pg.number == 1) {
			put_rule_summary(r, ctx, v, ri);
			put_rule_teams(r, ctx, ri);
		}
		struct value *show = put_map(r, ctx, "show");
		for (size_t l = 0; l < RULE_LISTS; l++) {
			struct value *list = put_list(r, ctx, rule_lists[l].key);
			size_t lo, hi;
			put_bool(r, show, rule_lists[l].key,
				 pager_section(&pg, start[l], total[l], &lo, &hi));
			for (size_t i = start[l] + lo; i < start[l] + hi; i++)
				value_seq_push(r->mem, list,
					       rule_entity_row(r, order[i], ri,
							       eval_result(r->ev, order[i], ri)));
		}
		status = page_end(r, "rule", pg.path, ctx);
	} while (status == 0 && pager_next(r, &pg));
	free(order);
	return status;
}

int page_markdown(struct render *r, size_t p)
{
	const struct page *page = r->site->pages[p];
	const char *path = r->layout.markdown_page[p];
	struct value *ctx = page_begin(r, path, "page", path, page->title);
	struct value *v = put_map(r, ctx, "page");
	put_text(r, v, "slug", page->slug);
	put_text(r, v, "title", page->title);
	put(r, v, "body_html", markdown_value(r, page->body));
	return page_end(r, "page", path, ctx);
}
