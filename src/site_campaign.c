#include "site_pages.h"

#include <stdlib.h>

#include "followup.h"
#include "site_trends.h"
#include "util.h"

int page_campaigns(struct render *r)
{
	const struct rollup *ru = r->ru;
	struct value *ctx = page_begin(r, "campaigns/index.html", "campaigns",
				       "campaigns", "Campaigns");
	size_t n = r->site->campaign_count;
	const struct campaign_result **sorted = xcalloc(n + 1, sizeof(*sorted));
	for (size_t c = 0; c < n; c++)
		sorted[c] = &ru->campaigns[c];
	qsort(sorted, n, sizeof(*sorted), campaign_due_compare);
	struct value *active = put_list(r, ctx, "active");
	struct value *upcoming = put_list(r, ctx, "upcoming");
	struct value *past = put_list(r, ctx, "past");
	for (size_t i = 0; i < n; i++) {
		struct value *list = sorted[i]->active ? active
				   : sorted[i]->status == CAMPAIGN_NOT_STARTED ? upcoming
				   : past;
		value_seq_push(r->mem, list,
			       campaign_row(r, (size_t)(sorted[i] - ru->campaigns), NULL));
	}
	free(sorted);
	put_bool(r, ctx, "any_active", active->count > 0);
	put_bool(r, ctx, "any_upcoming", upcoming->count > 0);
	put_bool(r, ctx, "any_past", past->count > 0);
	return page_end(r, "campaigns", "campaigns/index.html", ctx);
}

/* Team `t`'s open work (an index, or team_count for the unowned) that
 * falls in the work items [lo, hi): its entities with their open rules;
 * where the team's work starts, the follow-up message and ticket link,
 * elsewhere `continued`. */
static void put_team_work(struct render *r, struct value *teams, size_t c,
			  size_t t, const char *page_url, size_t lo, size_t hi)
{
	const struct campaign_result *cr = &r->ru->campaigns[c];
	const struct campaign *camp = cr->campaign;
	size_t from = cr->work_start[t] > lo ? cr->work_start[t] : lo;
	size_t to = cr->work_start[t + 1] < hi ? cr->work_start[t + 1] : hi;
	if (from >= to)
		return;
	struct value *row = team_link_index(r, t);
	value_seq_push(r->mem, teams, row);
	bool continued = from > cr->work_start[t];
	put_bool(r, row, "continued", continued);
	struct value *entities = put_list(r, row, "entities");
	for (size_t w = from; w < to; w++) {
		const struct campaign_work *work = &cr->work[w];
		struct value *entity = entity_link(r, work->entity);
		value_seq_push(r->mem, entities, entity);
		struct value *rules = put_list(r, entity, "rules");
		for (size_t i = 0; i < work->rule_count; i++) {
			size_t ri = cr->rule_index[work->rules[i]];
			struct value *rule = rule_link(r, ri);
			value_seq_push(r->mem, rules, rule);
			put(r, rule, "state", state_value(r, eval_result(r->ev, work->entity, ri)));
		}
	}
	size_t open;
	const char *message = followup_message(r->mem, r->ru, c, t, page_url, &open);
	put_count(r, row, "open", open);
	put_text(r, row, "message", continued ? NULL : message);
	const char *url_template = r->conf->ticket_url_template;
	if (continued) {
		put(r, row, "ticket_url", NULL);
	} else if (url_template && *url_template) {
		const char *team_id = t < r->site->team_count ? r->site->teams[t]->id : "";
		const char *title = followup_title(r->mem, camp, open,
						   followup_team_name(r->ru, t));
		put_text(r, row, "ticket_url",
			 followup_ticket_url(r->mem, url_template, title, message,
					     team_id, camp->key));
	}
}

/*
 * A campaign page. Its list is the progress of each owning team, then the
 * open work team by team (by entity: a team's work may run over two pages),
 * paginated as one; page 1 also has the summary, the burn-up and the
 * progress by rule. The guidance is on every page: the open work links to it.
 */
int page_campaign(struct render *r, size_t c)
{
	const struct site *site = r->site;
	const struct campaign_result *cr = &r->ru->campaigns[c];
	const struct campaign *camp = cr->campaign;
	const char *first = r->layout.campaign_page[c];
	size_t owners = 0;
	for (size_t t = 0; t <= site->team_count; t++)
		owners += cr->by_owner[t].total > 0;
	size_t work_first = cr->work_start[0];
	size_t work_n = cr->work_start[site->team_count + 1] - work_first;
	struct pager pg = pager_first(r, first, owners + work_n, camp->name);
	do {
		struct value *ctx = page_begin(r, pg.path, "campaign", "campaigns", pg.title);
		put_pagination(r, ctx, &pg);
		struct value *v = campaign_row(r, c, NULL);
		put(r, ctx, "campaign", v);
		if (pg.number == 1) {
			put(r, v, "description_html", markdown_value(r, camp->description));
			put_text(r, v, "scope", camp->scope);
			put_count(r, v, "entities", cr->entity_count);
			put(r, ctx, "burnup", trend_burnup(r, c));
		}
		struct value *by_rule = put_list(r, ctx, "by_rule");
		for (size_t i = 0; i < camp->rule_count; i++) {
			const struct campaign_rule *rule = &camp->rules[i];
			struct value *row = rule_link(r, cr->rule_index[i]);
			value_seq_push(r->mem, by_rule, row);
			put_part(r, row, &cr->by_rule[i]);
			put_text(r, row, "guidance_html", r->guidance_html[c][i]);
			put_url(r, row, "docs", rule->docs);
			put_url(r, row, "workflow", rule->workflow);
		}

		/* Progress by owner team, in id order, the unowned last. */
		struct value *show = put_map(r, ctx, "show");
		size_t lo, hi;
		struct value *by_team = put_list(r, ctx, "by_team");
		put_bool(r, show, "by_team", pager_section(&pg, 0, owners, &lo, &hi));
		for (size_t t = 0, i = 0; t <= site->team_count && i < hi; t++) {
			if (!cr->by_owner[t].total || i++ < lo)
				continue;
			struct value *row = team_link_index(r, t);
			value_seq_push(r->mem, by_team, row);
			put_part(r, row, &cr->by_owner[t]);
		}
		/* Open work, team by team in id order, the unowned last. */
		const char *page_url = absolute_url(r, first);
		struct value *teams = put_list(r, ctx, "teams");
		put_bool(r, show, "teams", pager_section(&pg, owners, work_n, &lo, &hi));
		for (size_t t = 0; t <= site->team_count && lo < hi; t++)
			put_team_work(r, teams, c, t, page_url, work_first + lo,
				      work_first + hi);
		if (page_end(r, "campaign", pg.path, ctx) < 0)
			return -1;
	} while (pager_next(r, &pg));
	return 0;
}
