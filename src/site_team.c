#include "site_pages.h"

#include <stdlib.h>
#include <string.h>

#include "site_changes.h"
#include "site_trends.h"
#include "util.h"

/* "Fix first" on team pages: how many rules, and entities under each. */
enum { FIX_FIRST_COUNT = 10, FIX_FIRST_ENTITIES = 20 };

/* Teams parents first, children in id order under them, with depths. */
static void team_order(const struct site *site, size_t *order, size_t *depth)
{
	size_t n = site->team_count, count = 0;
	bool *placed = xcalloc(n + 1, sizeof(*placed));
	size_t *stack = xcalloc(n + 1, sizeof(*stack));
	for (size_t root = 0; root < n; root++) {
		const char *parent = site->teams[root]->parent;
		if (placed[root] || (parent && site_team_index(site, parent) != SITE_NONE))
			continue;
		/* Depth-first with an explicit stack; children are pushed in
		 * reverse so they come out in id order. */
		size_t top = 0;
		stack[top++] = root;
		depth[root] = 0;
		while (top) {
			size_t t = stack[--top];
			if (placed[t])
				continue;
			placed[t] = true;
			order[count++] = t;
			for (size_t c = n; c-- > 0;) {
				const char *p = site->teams[c]->parent;
				if (!placed[c] && p && strcmp(p, site->teams[t]->id) == 0 &&
				    top < n) {
					depth[c] = depth[t] + 1;
					stack[top++] = c;
				}
			}
		}
	}
	/* Teams in a parent cycle (an error `check` reports) still get a row. */
	for (size_t t = 0; t < n; t++)
		if (!placed[t]) {
			depth[t] = 0;
			order[count++] = t;
		}
	free(stack);
	free(placed);
}

int page_teams(struct render *r)
{
	const struct site *site = r->site;
	size_t *order = xcalloc(site->team_count + 1, sizeof(*order));
	size_t *depth = xcalloc(site->team_count + 1, sizeof(*depth));
	team_order(site, order, depth);
	struct pager pg = pager_first(r, "teams/index.html", site->team_count, "Teams");
	int status = 0;
	do {
		struct value *ctx = page_begin(r, pg.path, "teams", "teams", pg.title);
		put_pagination(r, ctx, &pg);
		struct value *list = put_list(r, ctx, "teams");
		for (size_t i = pg.from; i < pg.to; i++) {
			size_t t = order[i];
			struct value *v = trend_team_row(r, t);
			value_seq_push(r->mem, list, v);
			put_count(r, v, "depth", depth[t]);
			struct value *indent = put_list(r, v, "indent");
			for (size_t d = 0; d < depth[t]; d++)
				push_map(r, indent);
			put(r, v, "parent", site->teams[t]->parent
			    ? team_link(r, site->teams[t]->parent) : NULL);
		}
		status = page_end(r, "teams", pg.path, ctx);
	} while (status == 0 && pager_next(r, &pg));
	free(order);
	free(depth);
	return status;
}

static const char *const team_origins[] = {
	[TEAM_FROM_FILE] = "file",
	[TEAM_FROM_GROUP] = "group",
	[TEAM_FROM_OWNER] = "owner",
};

struct fix {
	size_t rule, failing, level;
	double weight;
};

/* Lowest level first, then most failing, heaviest, and by reference. */
static int fix_compare(const void *pa, const void *pb)
{
	const struct fix *a = pa, *b = pb;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->failing != b->failing)
		return a->failing > b->failing ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* The rules that fail most among team `t`'s entities (sub-teams' included). */
static void put_fix_first(struct render *r, struct value *ctx, size_t t)
{
	const struct eval *ev = r->ev;
	const struct rollup *ru = r->ru;
	const size_t *members = ru->members[t];
	size_t member_count = ru->member_count[t];
	struct fix *fixes = xcalloc(ev->rule_total + 1, sizeof(*fixes));
	size_t n = 0;
	for (size_t ri = 0; ri < ev->rule_total; ri++) {
		size_t failing = ru->team_rule_tallies[t * ev->rule_total + ri].fail;
		if (failing)
			fixes[n++] = (struct fix){ ri, failing,
						   (size_t)r->layout.rules[ri]->level,
						   r->layout.rules[ri]->weight };
	}
	qsort(fixes, n, sizeof(*fixes), fix_compare);
	struct value *list = put_list(r, ctx, "fix_first");
	for (size_t i = 0; i < n && i < FIX_FIRST_COUNT; i++) {
		struct value *v = rule_link(r, fixes[i].rule);
		value_seq_push(r->mem, list, v);
		put_count(r, v, "failing", fixes[i].failing);
		struct value *entities = put_list(r, v, "entities");
		size_t shown = 0;
		for (size_t m = 0; m < member_count && shown < FIX_FIRST_ENTITIES; m++)
			if (eval_result(ev, members[m], fixes[i].rule)->state == STATE_FAIL) {
				value_seq_push(r->mem, entities, entity_link(r, members[m]));
				shown++;
			}
		put_count(r, v, "more", fixes[i].failing - shown);
	}
	free(fixes);
}

/* A team's summary, trend, changes, fix-first list, campaigns and
 * sub-teams: page 1 only. */
static void put_team_summary(struct render *r, struct value *ctx, size_t t)
{
	const struct site *site = r->site;
	const struct team *team = site->teams[t];
	size_t scs = site->scorecard_count;
	struct value *v = put_map(r, ctx, "team");
	put_text(r, v, "id", team->id);
	put_text(r, v, "name", team->name);
	put_text(r, v, "description", team->description);
	put_text(r, v, "slack", team->slack);
	put_strings(r, v, "members", team->members, team->member_count);
	put(r, v, "parent", team->parent ? team_link(r, team->parent) : NULL);
	put_text(r, v, "origin", team_origins[team->origin]);
	put(r, ctx, "score", score_value(r, r->ru->team_overall[t].score, NULL));
	put(r, ctx, "trend", trend_team(r, t));
	put(r, ctx, "changes", changes_of_team(r, t));

	struct value *scorecards = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < scs; s++) {
		struct value *row = scorecard_link(r, s);
		value_seq_push(r->mem, scorecards, row);
		put(r, row, "score", score_value(r, r->ru->team_scores[t * scs + s].score, NULL));
	}
	struct value *children = put_list(r, ctx, "children");
	for (size_t c = 0; c < site->team_count; c++) {
		const char *parent = site->teams[c]->parent;
		if (parent && strcmp(parent, team->id) == 0)
			value_seq_push(r->mem, children, trend_team_row(r, c));
	}
	/* Campaigns with counted work among the team's entities, sub-teams'
	 * included, with the team's share of the progress. */
	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct campaign_part *part = &r->ru->campaigns[c].by_team[t];
		if (!part->total)
			continue;
		struct value *row = campaign_row(r, c, part);
		value_seq_push(r->mem, campaigns, row);
		put_count(r, row, "open", part->total - part->pass);
	}
	put_fix_first(r, ctx, t);
}

/* A team page: its own entities are the long list. */
int page_team(struct render *r, size_t t)
{
	const struct site *site = r->site;
	const struct team *team = site->teams[t];
	size_t scs = site->scorecard_count;
	struct pager pg = pager_first(r, r->layout.team_page[t], r->ru->owned_count[t],
				      team->name);
	do {
		struct value *ctx = page_begin(r, pg.path, "team", "teams", pg.title);
		put_pagination(r, ctx, &pg);
		if (pg.number == 1) {
			put_team_summary(r, ctx, t);
		} else {
			/* The crumbs and the head name the team. */
			struct value *v = put_map(r, ctx, "team");
			put_text(r, v, "id", team->id);
			put_text(r, v, "name", team->name);
			put(r, v, "parent", team->parent ? team_link(r, team->parent) : NULL);
			struct value *scorecards = put_list(r, ctx, "scorecards");
			for (size_t s = 0; s < scs; s++)
				value_seq_push(r->mem, scorecards, scorecard_link(r, s));
		}
		struct value *entities = put_list(r, ctx, "entities");
		for (size_t i = pg.from; i < pg.to; i++)
			value_seq_push(r->mem, entities, entity_row(r, r->ru->owned[t][i]));
		if (page_end(r, "team", pg.path, ctx) < 0)
			return -1;
	} while (pager_next(r, &pg));
	return 0;
}
